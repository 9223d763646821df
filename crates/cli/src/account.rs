//! `dynbridge account …`: integration accounts, their secrets (from a hidden prompt or
//! standard input, never the command line), Request token and Test connection.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use clap::{Args, Subcommand};
use dynbridge_core::account::{self, Account};
use dynbridge_core::Finding;
use dynbridge_dataverse::connection::{login, test_connection};
use dynbridge_dataverse::loopback::DEFAULT_TIMEOUT;
use dynbridge_dataverse::session::DEFAULT_BUDGET;
use dynbridge_dataverse::ConnectionReport;
use dynbridge_dataverse::{Failure, Patience, Session, Wait};
use dynbridge_store::accounts::{AccountStore, AccountView, NameClash};
use dynbridge_store::SecretKind;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde_json::json;

use crate::output::{exit_code, print_findings, Output, FOUND_ERRORS};

#[derive(Subcommand)]
pub enum AccountCommand {
    /// Add an account; the client secret is asked for (or read from standard input).
    Add(AddArgs),
    /// List the accounts.
    List,
    /// Show an account's fields, findings and the redirect URIs to register.
    Show(NameArgs),
    /// Change an account's fields (renaming keeps its secrets).
    Edit(EditArgs),
    /// Remove an account and its secrets.
    Remove(NameArgs),
    /// Make an account the default one.
    SetDefault(NameArgs),
    /// Request a token: sign in in the browser; the refresh token goes to the keychain.
    Login(LoginArgs),
    /// Test connection: a token from the refresh token, then WhoAmI.
    Test(TestArgs),
    /// Print an account as JSON to share (no secrets).
    Export(NameArgs),
    /// Add an account from an exported JSON file (its secret is asked for).
    Import(ImportArgs),
}

#[derive(Args)]
pub struct Fields {
    /// The Bright Pattern tenant, e.g. example (for the redirect URI to register).
    #[arg(long)]
    tenant: Option<String>,
    #[arg(long)]
    authorization_url: Option<String>,
    /// Default: derived from the Authorization URL.
    #[arg(long)]
    token_url: Option<String>,
    #[arg(long)]
    api_url: Option<String>,
    #[arg(long)]
    client_id: Option<String>,
    /// The client secret's expiry date (YYYY-MM-DD), to be warned 30 days ahead.
    #[arg(long)]
    secret_expires: Option<String>,
}

#[derive(Args)]
pub struct AddArgs {
    #[arg(long)]
    name: String,
    #[command(flatten)]
    fields: Fields,
    #[arg(long)]
    default: bool,
    /// Add without a client secret (set it later with `edit --secret`).
    #[arg(long)]
    no_secret: bool,
    /// A simulator account (`dynbridge sim`): its endpoints may be on this computer.
    #[arg(long)]
    simulator: bool,
}

#[derive(Args)]
pub struct EditArgs {
    name: String,
    #[arg(long = "rename")]
    new_name: Option<String>,
    #[command(flatten)]
    fields: Fields,
    /// Replace the client secret (asked for, or read from standard input).
    #[arg(long)]
    secret: bool,
}

#[derive(Args)]
pub struct NameArgs {
    name: String,
}

#[derive(Args)]
pub struct LoginArgs {
    name: String,
    /// Consent on behalf of the organization (prompt=admin_consent).
    #[arg(long)]
    admin_consent: bool,
    /// Print the URL to open instead of opening the browser.
    #[arg(long)]
    no_browser: bool,
    /// How long to wait for the browser to come back, in seconds.
    #[arg(long, default_value_t = DEFAULT_TIMEOUT.as_secs())]
    timeout: u64,
}

#[derive(Args)]
pub struct TestArgs {
    name: String,
}

#[derive(Args)]
pub struct ImportArgs {
    file: std::path::PathBuf,
    /// Import without asking: the endpoints were checked (they are printed anyway).
    #[arg(long)]
    yes: bool,
}

pub fn run(command: &AccountCommand, out: Output) -> Result<ExitCode, String> {
    let store = AccountStore::open_default().map_err(|e| e.to_string())?;
    match command {
        AccountCommand::Add(args) => add(&store, args, out),
        AccountCommand::List => list(&store, out),
        AccountCommand::Show(args) => show(&store, &args.name, out),
        AccountCommand::Edit(args) => edit(&store, args, out),
        AccountCommand::Remove(args) => {
            let removed = store.remove(&args.name).map_err(|e| e.to_string())?;
            out.result(&json!({ "removed": removed.name }), |_| {
                println!("removed {} and its secrets", removed.name)
            })?;
            Ok(ExitCode::SUCCESS)
        }
        AccountCommand::SetDefault(args) => {
            store.set_default(&args.name).map_err(|e| e.to_string())?;
            out.result(&json!({ "default": args.name }), |_| {
                println!("{} is the default account", args.name)
            })?;
            Ok(ExitCode::SUCCESS)
        }
        AccountCommand::Login(args) => request_token(&store, args, out),
        AccountCommand::Test(args) => test(&store, args, out),
        AccountCommand::Export(args) => {
            println!("{}", store.export(&args.name).map_err(|e| e.to_string())?);
            Ok(ExitCode::SUCCESS)
        }
        AccountCommand::Import(args) => {
            let json = std::fs::read_to_string(&args.file)
                .map_err(|e| format!("{}: {e}", args.file.display()))?;
            confirm_import(&args.file, &json, args.yes)?;
            let added = store
                .import(&json, NameClash::Refuse)
                .map_err(|e| format!("{}: {e}", args.file.display()))?;
            let secret = read_secret(&format!("Client secret (Value) for {}: ", added.name))?;
            store
                .set_secret(&added.id, SecretKind::ClientSecret, &secret)
                .map_err(|e| e.to_string())?;
            show(&store, &added.id, out)
        }
    }
}

/// Shows where an exported account's secrets would go and asks to confirm: `--yes`,
/// or "yes" typed at a terminal. A shared file could point anywhere.
fn confirm_import(file: &std::path::Path, json: &str, yes: bool) -> Result<(), String> {
    let incoming: Account = serde_json::from_str(json)
        .map_err(|e| format!("{}: not an exported account: {e}", file.display()))?;
    eprintln!("{} sends its client secret and tokens to:", incoming.name);
    for (label, value) in [
        ("Authorization URL", incoming.authorization_url.as_str()),
        ("Token URL", incoming.token_url.as_str()),
        ("API URL", incoming.api_url.as_str()),
    ] {
        eprintln!("  {label:<18} {value}");
    }
    if incoming.simulator {
        eprintln!("  (a simulator account: its addresses may be on this computer)");
    }
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err("check the addresses above, then import again with --yes".into());
    }
    eprint!("Import it? Type yes to go on: ");
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| e.to_string())?;
    if answer.trim().eq_ignore_ascii_case("yes") {
        Ok(())
    } else {
        Err("not imported".into())
    }
}

/// A secret from a hidden prompt on a terminal, else the first line of standard input.
pub(crate) fn read_secret(prompt: &str) -> Result<SecretString, String> {
    let text = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(prompt).map_err(|e| e.to_string())?
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    Ok(SecretString::from(text))
}

fn apply(account: &mut Account, fields: &Fields) {
    let set = |target: &mut String, value: &Option<String>| {
        if let Some(value) = value {
            *target = value.clone();
        }
    };
    set(&mut account.tenant, &fields.tenant);
    set(&mut account.authorization_url, &fields.authorization_url);
    set(&mut account.token_url, &fields.token_url);
    set(&mut account.api_url, &fields.api_url);
    set(&mut account.client_id, &fields.client_id);
    if fields.secret_expires.is_some() {
        account.secret_expires = fields.secret_expires.clone();
    }
    if account.token_url.is_empty() {
        if let (Some(authorize), _) = account::entra::parse(
            &account.authorization_url,
            account::entra::Endpoint::Authorize,
        ) {
            account.token_url = authorize.url(account::entra::Endpoint::Token);
        }
    }
}

fn add(store: &AccountStore, args: &AddArgs, out: Output) -> Result<ExitCode, String> {
    let mut new = Account {
        id: String::new(),
        name: args.name.clone(),
        default: args.default,
        tenant: String::new(),
        authorization_url: String::new(),
        token_url: String::new(),
        api_url: String::new(),
        client_id: String::new(),
        secret_expires: None,
        refresh_token_used: None,
        simulator: args.simulator,
    };
    apply(&mut new, &args.fields);
    let secret = if args.no_secret {
        None
    } else {
        Some(read_secret("Client secret (Value): ")?)
    };
    let findings = account::validate(
        &new,
        secret.as_ref().map(|s| s.expose_secret()),
        account::today(),
    );
    let added = store.add(new, secret.as_ref()).map_err(|e| e.to_string())?;
    let view = AccountView {
        findings,
        ..store.view(added).map_err(|e| e.to_string())?
    };
    out.result(&view, |view| {
        print_findings(&view.findings, None);
        println!(
            "added {} ({})",
            view.account.name,
            if view.account.default {
                "default"
            } else {
                "not default"
            }
        );
    })?;
    Ok(exit_code(&view.findings))
}

fn list(store: &AccountStore, out: Output) -> Result<ExitCode, String> {
    let views = store
        .list()
        .and_then(|accounts| accounts.into_iter().map(|a| store.view(a)).collect())
        .map_err(|e| e.to_string())?;
    out.result(&views, |views: &Vec<AccountView>| {
        if views.is_empty() {
            println!("no accounts yet: dynbridge account add --name …");
        }
        for view in views {
            let problems = view.findings.iter().filter(|f| f.is_error()).count();
            println!(
                "{} {:<24} {:<50} {}",
                if view.account.default { "*" } else { " " },
                view.account.name,
                view.account.api_url,
                if problems == 0 {
                    "ok".into()
                } else {
                    format!("{problems} errors")
                }
            );
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

fn show(store: &AccountStore, name: &str, out: Output) -> Result<ExitCode, String> {
    let a = store.get(name).map_err(|e| e.to_string())?;
    let view = store.view(a).map_err(|e| e.to_string())?;
    out.result(&view, |view| {
        let a = &view.account;
        for (label, value) in [
            ("Name", a.name.as_str()),
            ("Tenant", &a.tenant),
            ("Authorization URL", &a.authorization_url),
            ("Token URL", &a.token_url),
            ("API URL", &a.api_url),
            ("Client ID", &a.client_id),
        ] {
            println!("{label:<18} {value}");
        }
        let yes_no = |yes: bool, text: &'static str| if yes { text } else { "none" };
        println!(
            "{:<18} {}",
            "Default account",
            if a.default { "yes" } else { "no" }
        );
        if a.simulator {
            println!(
                "{:<18} yes: its endpoints may be on this computer",
                "Simulator account"
            );
        }
        println!(
            "{:<18} {}",
            "Client Secret",
            yes_no(view.has_secret, "stored in the keychain")
        );
        println!(
            "{:<18} {}",
            "Refresh token",
            yes_no(view.has_refresh_token, "stored in the keychain")
        );
        println!("Redirect URIs to register (platform Web):");
        for uri in &view.redirect_uris {
            println!("  {uri}");
        }
        print_findings(&view.findings, None);
    })?;
    Ok(exit_code(&view.findings))
}

fn edit(store: &AccountStore, args: &EditArgs, out: Output) -> Result<ExitCode, String> {
    let mut a = store.get(&args.name).map_err(|e| e.to_string())?;
    if let Some(name) = &args.new_name {
        a.name = name.clone();
    }
    apply(&mut a, &args.fields);
    let edited = store.edit(a).map_err(|e| e.to_string())?;
    if args.secret {
        let secret = read_secret("New client secret (Value): ")?;
        let mut findings = Vec::new();
        account::check_secret(secret.expose_secret(), &mut findings);
        out.findings(&findings, None);
        store
            .set_secret(&edited.id, SecretKind::ClientSecret, &secret)
            .map_err(|e| e.to_string())?;
    }
    show(store, &edited.id, out)
}

fn secrets(store: &AccountStore, a: &Account) -> Result<SecretString, String> {
    store
        .secret(&a.id, SecretKind::ClientSecret)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            format!(
                "{} has no client secret: dynbridge account edit {:?} --secret",
                a.name, a.name
            )
        })
}

/// The default budget, with each wait reported on standard error.
pub fn patience(cancel: &AtomicBool) -> Patience<'_> {
    Patience {
        budget: DEFAULT_BUDGET,
        cancel,
        on_wait: &|wait: Wait| eprintln!("{}", wait.describe()),
    }
}

/// Runs `job` in a session of the account (its rotated refresh token stored at once),
/// with waits reported on standard error; the failure's findings otherwise.
pub fn in_session<T>(
    name: &str,
    cancel: &AtomicBool,
    job: impl FnOnce(&Session) -> Result<T, Failure>,
) -> Result<Result<T, Vec<Finding>>, String> {
    let store = AccountStore::open_default().map_err(|e| e.to_string())?;
    let a = store.get(name).map_err(|e| e.to_string())?;
    Ok(
        Session::open(&a, &store.credentials(&a.id), patience(cancel))
            .and_then(|session| job(&session))
            .map_err(|failure| failure.findings()),
    )
}

/// What Request token did.
#[derive(Serialize)]
struct SignedIn {
    refresh_token_stored: bool,
    findings: Vec<Finding>,
}

fn request_token(store: &AccountStore, args: &LoginArgs, out: Output) -> Result<ExitCode, String> {
    let a = store.get(&args.name).map_err(|e| e.to_string())?;
    let secret = secrets(store, &a)?;
    let no_browser = args.no_browser;
    let timeout = Duration::from_secs(args.timeout);
    let result = login(
        &a,
        &secret,
        args.admin_consent,
        timeout,
        &AtomicBool::new(false),
        |url| {
            if no_browser {
                // On standard error under --json, so that standard output stays one document.
                if out.json {
                    eprintln!("Open this address in a browser and sign in:\n{url}");
                } else {
                    println!("Open this address in a browser and sign in:\n{url}");
                }
                Ok(())
            } else {
                eprintln!(
                    "Signing in in your browser… (waiting up to {} s)",
                    timeout.as_secs()
                );
                crate::open_in_browser(url, a.simulator)
                    .map_err(|e| format!("{e}; use --no-browser to print the address instead"))
            }
        },
    );
    match result {
        Ok(tokens) => {
            store
                .record_refresh(&a.id, tokens.refresh.as_ref())
                .map_err(|e| e.to_string())?;
            let signed_in = SignedIn {
                refresh_token_stored: tokens.refresh.is_some(),
                findings: tokens.sign_in_findings(),
            };
            out.result(&signed_in, |signed_in| {
                if signed_in.refresh_token_stored {
                    println!("signed in; the refresh token is stored in the keychain");
                }
                print_findings(&signed_in.findings, None);
            })?;
            Ok(exit_code(&signed_in.findings))
        }
        Err(failure) => out.failed(&failure.findings()),
    }
}

fn test(store: &AccountStore, args: &TestArgs, out: Output) -> Result<ExitCode, String> {
    let a = store.get(&args.name).map_err(|e| e.to_string())?;
    let cancel = AtomicBool::new(false);
    let report = test_connection(&a, &store.credentials(&a.id), patience(&cancel));
    out.result(&report, print_connection)?;
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(FOUND_ERRORS)
    })
}

fn print_connection(report: &ConnectionReport) {
    if report.ok {
        println!("connected in {} ms", report.latency_ms.unwrap_or_default());
        for (label, value) in [
            ("User", &report.user_name),
            ("User ID", &report.user_id),
            ("Organization", &report.organization_name),
            ("Org ID", &report.organization_id),
            ("Business unit", &report.business_unit_id),
        ] {
            println!("  {label:<14} {}", value.as_deref().unwrap_or("-"));
        }
    } else {
        print_findings(&report.findings, None);
    }
}
