//! `dynbridge channel build|check`: the CIF channel provider (Section B, step 3).

use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use dynbridge_core::channel::{self, channel_url, ApiVersion, ChannelInputs};
use dynbridge_core::dynamics_url::OrgUrl;

use crate::output::{exit_code, print_findings, Output};

#[derive(Subcommand)]
pub enum ChannelCommand {
    /// Build the channel provider's values from the tenant and the Dynamics URL.
    Build(BuildArgs),
    /// Check a Channel URL, e.g. one copied from Active Channel Providers.
    Check(CheckArgs),
    /// Create or update the msdyn_ciprovider record (matched by name) in the org.
    Push(PushArgs),
}

#[derive(Args)]
pub struct PushArgs {
    #[command(flatten)]
    provider: ProviderArgs,
    /// The integration account to use.
    #[arg(long)]
    account: String,
}

#[derive(Clone, Copy, ValueEnum)]
enum Api {
    #[value(name = "1.0")]
    V1,
    #[value(name = "2.0")]
    V2,
}

#[derive(Args)]
pub struct ProviderArgs {
    /// The Bright Pattern tenant: a name (example), a host or a custom domain.
    #[arg(long)]
    tenant: String,
    /// The Dynamics URL agents use, e.g. https://contoso.crm.dynamics.com.
    #[arg(long)]
    org: String,
    #[arg(long, default_value = "Bright Pattern")]
    name: String,
    #[arg(long, default_value = "Bright Pattern Agent Desktop")]
    label: String,
    /// Channel Order (0 first).
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    order: i32,
    /// Turn off Enable Outbound Communication (click-to-call).
    #[arg(long)]
    no_outbound: bool,
    #[arg(long, value_enum, default_value = "1.0")]
    api_version: Api,
    /// A Unified Interface app's ID (appmoduleid); repeat for more.
    #[arg(long = "app")]
    apps: Vec<String>,
    /// A security role's ID; repeat for more.
    #[arg(long = "role")]
    roles: Vec<String>,
}

#[derive(Args)]
pub struct BuildArgs {
    #[command(flatten)]
    provider: ProviderArgs,
    /// Print the checklist of the manual steps as Markdown.
    #[arg(long)]
    markdown: bool,
}

#[derive(Args)]
pub struct CheckArgs {
    /// The Channel URL (quote it: it contains ? and =).
    url: String,
    /// The Dynamics URL; crmDomain must be its host.
    #[arg(long)]
    org: Option<String>,
}

pub fn run(command: &ChannelCommand, out: Output) -> Result<ExitCode, String> {
    match command {
        ChannelCommand::Build(args) => build(args, out),
        ChannelCommand::Check(args) => check(args, out),
        ChannelCommand::Push(args) => push(args, out),
    }
}

fn inputs(args: &ProviderArgs) -> ChannelInputs {
    ChannelInputs {
        tenant: args.tenant.clone(),
        org: args.org.clone(),
        name: args.name.clone(),
        label: args.label.clone(),
        outbound: !args.no_outbound,
        order: args.order,
        api_version: match args.api_version {
            Api::V1 => ApiVersion::V1,
            Api::V2 => ApiVersion::V2,
        },
        apps: args.apps.clone(),
        roles: args.roles.clone(),
    }
}

fn build(args: &BuildArgs, out: Output) -> Result<ExitCode, String> {
    let inputs = inputs(&args.provider);
    let built = channel::build(&inputs);
    out.result(&built, |built| {
        if args.markdown {
            print!("{}", built.checklist);
            return;
        }
        print_findings(&built.findings, None);
        for value in &built.form {
            println!("{:<46} {}", value.label, value.value);
        }
        if let Some(uri) = &built.redirect_uri {
            println!("{:<46} {uri}", "Redirect URI (Entra ID app, platform Web)");
        }
    })?;
    Ok(exit_code(&built.findings))
}

fn check(args: &CheckArgs, out: Output) -> Result<ExitCode, String> {
    let mut findings = Vec::new();
    let org = args.org.as_deref().and_then(|text| {
        let (org, more) = OrgUrl::parse(text, "Dynamics URL");
        findings.extend(more);
        org
    });
    let mut checked = channel_url::check(&args.url, org.as_ref());
    findings.append(&mut checked.findings);
    checked.findings = findings;
    out.result(&checked, |checked| {
        print_findings(&checked.findings, None);
        if checked.findings.is_empty() {
            println!("ok: {}", args.url.trim());
        }
    })?;
    Ok(exit_code(&checked.findings))
}

fn push(args: &PushArgs, out: Output) -> Result<ExitCode, String> {
    let built = channel::build(&inputs(&args.provider));
    let Some(record) = built.record else {
        return out.failed(&built.findings);
    };
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let pushed = crate::account::in_session(&args.account, &cancel, |session| {
        dynbridge_dataverse::channel::push(session, &record)
    })?;
    let result = match pushed {
        Ok(result) => result,
        Err(findings) => return out.failed(&findings),
    };
    out.result(&result, |result| {
        println!(
            "{} the channel provider {:?} ({})",
            if result.created { "created" } else { "updated" },
            args.provider.name,
            result.id
        );
        for change in &result.changes {
            println!(
                "  {:<28} {} -> {}",
                change.column,
                change.before.as_deref().unwrap_or("(new)"),
                change.after
            );
        }
        if result.changes.is_empty() {
            println!("  nothing changed");
        }
    })?;
    Ok(ExitCode::SUCCESS)
}
