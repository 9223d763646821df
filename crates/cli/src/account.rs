//! `dynbridge account …`: integration accounts, their secrets (from a hidden prompt or
//! standard input, never the command line), Request token and Test connection.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::{Args, Subcommand};
use dynbridge_core::account::{self, Account};
use dynbridge_dataverse::connection::{login, test_connection};
use dynbridge_dataverse::loopback::DEFAULT_TIMEOUT;
use dynbridge_store::accounts::AccountStore;
use dynbridge_store::SecretKind;
use secrecy::{ExposeSecret, SecretString};

use crate::output::{exit_code, print_findings, print_json};

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
}

#[derive(Args)]
pub struct TestArgs {
    name: String,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ImportArgs {
    file: std::path::PathBuf,
}

pub fn run(command: &AccountCommand) -> Result<ExitCode, String> {
    let store = AccountStore::open_default().map_err(|e| e.to_string())?;
    match command {
        AccountCommand::Add(args) => add(&store, args),
        AccountCommand::List => list(&store),
        AccountCommand::Show(args) => show(&store, &args.name),
        AccountCommand::Edit(args) => edit(&store, args),
        AccountCommand::Remove(args) => {
            let removed = store.remove(&args.name).map_err(|e| e.to_string())?;
            println!("removed {} and its secrets", removed.name);
            Ok(ExitCode::SUCCESS)
        }
        AccountCommand::SetDefault(args) => {
            store.set_default(&args.name).map_err(|e| e.to_string())?;
            println!("{} is the default account", args.name);
            Ok(ExitCode::SUCCESS)
        }
        AccountCommand::Login(args) => request_token(&store, args),
        AccountCommand::Test(args) => test(&store, args),
        AccountCommand::Export(args) => {
            println!("{}", store.export(&args.name).map_err(|e| e.to_string())?);
            Ok(ExitCode::SUCCESS)
        }
        AccountCommand::Import(args) => {
            let json = std::fs::read_to_string(&args.file)
                .map_err(|e| format!("{}: {e}", args.file.display()))?;
            let added = store
                .import(&json)
                .map_err(|e| format!("{}: {e}", args.file.display()))?;
            let secret = read_secret(&format!("Client secret (Value) for {}: ", added.name))?;
            store
                .set_secret(&added.id, SecretKind::ClientSecret, &secret)
                .map_err(|e| e.to_string())?;
            show(&store, &added.id)
        }
    }
}

/// A secret from a hidden prompt on a terminal, else the first line of standard input.
fn read_secret(prompt: &str) -> Result<SecretString, String> {
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

fn add(store: &AccountStore, args: &AddArgs) -> Result<ExitCode, String> {
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
    print_findings(&findings, None);
    println!(
        "added {} ({})",
        added.name,
        if added.default {
            "default"
        } else {
            "not default"
        }
    );
    Ok(exit_code(&findings))
}

fn list(store: &AccountStore) -> Result<ExitCode, String> {
    let accounts = store.list().map_err(|e| e.to_string())?;
    if accounts.is_empty() {
        println!("no accounts yet: dynbridge account add --name …");
    }
    for a in accounts {
        let problems = account::validate(&a, None, account::today())
            .iter()
            .filter(|f| f.is_error())
            .count();
        println!(
            "{} {:<24} {:<50} {}",
            if a.default { "*" } else { " " },
            a.name,
            a.api_url,
            if problems == 0 {
                "ok".into()
            } else {
                format!("{problems} errors")
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn show(store: &AccountStore, name: &str) -> Result<ExitCode, String> {
    let a = store.get(name).map_err(|e| e.to_string())?;
    let has = |kind| {
        store
            .secret(&a.id, kind)
            .map(|s| {
                if s.is_some() {
                    "stored in the keychain"
                } else {
                    "none"
                }
            })
            .map_err(|e| e.to_string())
    };
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
    println!(
        "{:<18} {}",
        "Default account",
        if a.default { "yes" } else { "no" }
    );
    println!("{:<18} {}", "Client Secret", has(SecretKind::ClientSecret)?);
    println!("{:<18} {}", "Refresh token", has(SecretKind::RefreshToken)?);
    println!("Redirect URIs to register (platform Web):");
    for uri in account::redirect_uris(&a) {
        println!("  {uri}");
    }
    let findings = account::validate(&a, None, account::today());
    print_findings(&findings, None);
    Ok(exit_code(&findings))
}

fn edit(store: &AccountStore, args: &EditArgs) -> Result<ExitCode, String> {
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
        print_findings(&findings, None);
        store
            .set_secret(&edited.id, SecretKind::ClientSecret, &secret)
            .map_err(|e| e.to_string())?;
    }
    show(store, &edited.id)
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

/// Marks the refresh token as used today and stores a rotated one.
fn record_refresh(
    store: &AccountStore,
    a: &Account,
    refresh: Option<SecretString>,
) -> Result<(), String> {
    if let Some(token) = refresh {
        store
            .set_secret(&a.id, SecretKind::RefreshToken, &token)
            .map_err(|e| e.to_string())?;
    }
    store
        .edit(Account {
            refresh_token_used: Some(account::today().to_string()),
            ..a.clone()
        })
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// A fresh access token for an account (from its stored refresh token); findings when
/// there is none. Records the refresh token's use.
pub fn access_token(
    name: &str,
) -> Result<Result<(Account, SecretString), Vec<dynbridge_core::Finding>>, String> {
    let store = AccountStore::open_default().map_err(|e| e.to_string())?;
    let a = store.get(name).map_err(|e| e.to_string())?;
    let secret = secrets(&store, &a)?;
    let Some(refresh) = store
        .secret(&a.id, SecretKind::RefreshToken)
        .map_err(|e| e.to_string())?
    else {
        return Ok(Err(dynbridge_dataverse::Failure::NoToken.findings()));
    };
    let endpoints = match dynbridge_dataverse::Endpoints::from_account(&a) {
        Ok(endpoints) => endpoints,
        Err(failure) => return Ok(Err(failure.findings())),
    };
    match dynbridge_dataverse::oauth::refresh(
        &dynbridge_dataverse::http_client(),
        &endpoints,
        &secret,
        &refresh,
    ) {
        Ok(tokens) => {
            record_refresh(&store, &a, tokens.refresh)?;
            Ok(Ok((a, tokens.access)))
        }
        Err(failure) => Ok(Err(failure.findings())),
    }
}

fn request_token(store: &AccountStore, args: &LoginArgs) -> Result<ExitCode, String> {
    let a = store.get(&args.name).map_err(|e| e.to_string())?;
    let secret = secrets(store, &a)?;
    let no_browser = args.no_browser;
    let result = login(
        &a,
        &secret,
        args.admin_consent,
        DEFAULT_TIMEOUT,
        &AtomicBool::new(false),
        |url| {
            if no_browser {
                println!("Open this address in a browser and sign in:\n{url}");
                Ok(())
            } else {
                eprintln!("Signing in in your browser… (waiting up to 5 minutes)");
                open::that(url)
                    .map_err(|e| format!("cannot open the browser ({e}); use --no-browser"))
            }
        },
    );
    match result {
        Ok(tokens) => {
            record_refresh(store, &a, tokens.refresh)?;
            println!("signed in; the refresh token is stored in the keychain");
            Ok(ExitCode::SUCCESS)
        }
        Err(failure) => {
            let findings = failure.findings();
            print_findings(&findings, None);
            Ok(exit_code(&findings))
        }
    }
}

fn test(store: &AccountStore, args: &TestArgs) -> Result<ExitCode, String> {
    let a = store.get(&args.name).map_err(|e| e.to_string())?;
    let secret = secrets(store, &a)?;
    let refresh = store
        .secret(&a.id, SecretKind::RefreshToken)
        .map_err(|e| e.to_string())?;
    let (report, rotated) = test_connection(&a, &secret, refresh.as_ref());
    if report.ok {
        record_refresh(store, &a, rotated)?;
    }
    if args.json {
        print_json(&report)?;
    } else if report.ok {
        println!("connected in {} ms", report.latency_ms.unwrap_or_default());
        for (label, value) in [
            ("User", &report.user_id),
            ("Business unit", &report.business_unit_id),
            ("Organization", &report.organization_id),
        ] {
            println!("  {label:<14} {}", value.as_deref().unwrap_or("-"));
        }
    } else {
        print_findings(&report.findings, None);
    }
    Ok(exit_code(&report.findings))
}
