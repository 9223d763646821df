//! `dynbridge channel build|check`: the CIF channel provider (Section B, step 3).

use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use dynbridge_core::channel::{self, channel_url, ApiVersion, ChannelInputs};
use dynbridge_core::dynamics_url::OrgUrl;

use crate::output::{exit_code, print_findings, print_json};

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
    #[arg(long)]
    json: bool,
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
    /// Print the whole result (values, record body, checklist, findings) as JSON.
    #[arg(long, conflicts_with = "markdown")]
    json: bool,
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
    #[arg(long)]
    json: bool,
}

pub fn run(command: &ChannelCommand) -> Result<ExitCode, String> {
    match command {
        ChannelCommand::Build(args) => build(args),
        ChannelCommand::Check(args) => check(args),
        ChannelCommand::Push(args) => push(args),
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

fn build(args: &BuildArgs) -> Result<ExitCode, String> {
    let inputs = inputs(&args.provider);
    let built = channel::build(&inputs);
    if args.json {
        print_json(&built)?;
    } else if args.markdown {
        print!("{}", built.checklist);
    } else {
        print_findings(&built.findings, None);
        for value in &built.form {
            println!("{:<46} {}", value.label, value.value);
        }
        if let Some(uri) = &built.redirect_uri {
            println!("{:<46} {uri}", "Redirect URI (Entra ID app, platform Web)");
        }
    }
    Ok(exit_code(&built.findings))
}

fn check(args: &CheckArgs) -> Result<ExitCode, String> {
    let mut findings = Vec::new();
    let org = args.org.as_deref().and_then(|text| {
        let (org, more) = OrgUrl::parse(text, "Dynamics URL");
        findings.extend(more);
        org
    });
    let mut checked = channel_url::check(&args.url, org.as_ref());
    findings.append(&mut checked.findings);
    checked.findings = findings;
    if args.json {
        print_json(&checked)?;
    } else {
        print_findings(&checked.findings, None);
        if checked.findings.is_empty() {
            println!("ok: {}", args.url.trim());
        }
    }
    Ok(exit_code(&checked.findings))
}

fn push(args: &PushArgs) -> Result<ExitCode, String> {
    let built = channel::build(&inputs(&args.provider));
    let Some(record) = built.record else {
        print_findings(&built.findings, None);
        return Ok(exit_code(&built.findings));
    };
    let (account, access) = match crate::account::access_token(&args.account)? {
        Ok(token) => token,
        Err(findings) => {
            print_findings(&findings, None);
            return Ok(exit_code(&findings));
        }
    };
    match dynbridge_dataverse::channel::push(
        &dynbridge_dataverse::http_client(),
        account.api_url.trim_end_matches('/'),
        &access,
        &record,
    ) {
        Ok(result) if args.json => print_json(&result).map(|()| ExitCode::SUCCESS),
        Ok(result) => {
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
            Ok(ExitCode::SUCCESS)
        }
        Err(failure) => {
            let findings = failure.findings();
            print_findings(&findings, None);
            Ok(exit_code(&findings))
        }
    }
}
