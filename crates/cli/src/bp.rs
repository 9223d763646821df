//! `dynbridge bp …`: Bright Pattern connections (the tenant's address, the API user's
//! login ID, and its API secret from a hidden prompt or standard input, kept in the OS
//! keychain), Test and the tenant's campaigns.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use dynbridge_brightpattern::Client;
use dynbridge_core::brightpattern::Connection;
use dynbridge_store::brightpattern::{ConnectionStore, ConnectionView};
use serde_json::json;

use crate::account::read_secret;
use crate::output::{exit_code, Output};

#[derive(Subcommand)]
pub enum BpCommand {
    /// Add a connection; the API secret is asked for (or read from standard input).
    Add(AddArgs),
    /// List the connections.
    List,
    /// Show a connection's fields and findings.
    Show(NameArgs),
    /// Remove a connection and its API secret.
    Remove(NameArgs),
    /// Test: get a token with the stored API secret (exit 0), or say why not (exit 1).
    Test(NameArgs),
    /// The tenant's campaigns, their state and calling lists.
    Campaigns(NameArgs),
}

#[derive(Args)]
pub struct AddArgs {
    #[arg(long)]
    name: String,
    /// The tenant's address, e.g. https://example.brightpattern.com.
    #[arg(long)]
    url: String,
    /// The API user's login ID (Users page of the Contact Center Administrator).
    #[arg(long)]
    login: String,
    /// A simulator connection (`dynbridge sim`): its address may be on this computer.
    #[arg(long)]
    simulator: bool,
}

#[derive(Args)]
pub struct NameArgs {
    pub name: String,
}

pub fn run(command: &BpCommand, out: Output) -> Result<ExitCode, String> {
    let store = ConnectionStore::open_default().map_err(|e| e.to_string())?;
    match command {
        BpCommand::Add(args) => add(&store, args, out),
        BpCommand::List => {
            let connections = store.list().map_err(|e| e.to_string())?;
            out.result(&connections, |connections| {
                if connections.is_empty() {
                    println!("no Bright Pattern connections yet: dynbridge bp add --name NAME --url URL --login LOGIN");
                }
                for c in connections {
                    let simulator = if c.simulator { " (simulator)" } else { "" };
                    println!("{}\t{}\t{}{simulator}", c.name, c.url, c.login);
                }
            })?;
            Ok(ExitCode::SUCCESS)
        }
        BpCommand::Show(args) => {
            let connection = store.get(&args.name).map_err(|e| e.to_string())?;
            let view = store.view(connection).map_err(|e| e.to_string())?;
            out.result(&view, print_view)?;
            Ok(exit_code(&view.findings))
        }
        BpCommand::Test(args) => {
            let (connection, client) = client(&store, &args.name)?;
            match client.test() {
                Ok(report) => {
                    out.result(&json!({ "ok": true, "connection": connection.name, "campaigns": report.campaigns, "lists": report.lists }), |_| {
                        println!("{}: Bright Pattern accepted the login ID and API secret", connection.name);
                        if !report.campaigns {
                            println!("  campaigns cannot be listed: the user lacks \"Manage all services and campaigns\"");
                        }
                        if let Some(lists) = report.lists {
                            println!("  {lists} calling lists");
                        }
                    })?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => Ok(out.error(&format!("{}: {e}", connection.name))),
            }
        }
        BpCommand::Campaigns(args) => {
            let (_, client) = client(&store, &args.name)?;
            let campaigns = client.campaigns().map_err(|e| e.to_string())?;
            out.result(&campaigns, |campaigns| {
                if campaigns.is_empty() {
                    println!("no enabled campaigns");
                }
                for campaign in campaigns {
                    println!("{} ({})", campaign.name, campaign.state.to_lowercase());
                    for list in &campaign.lists {
                        println!("  {list}");
                    }
                }
            })?;
            Ok(ExitCode::SUCCESS)
        }
        BpCommand::Remove(args) => {
            let removed = store.remove(&args.name).map_err(|e| e.to_string())?;
            out.result(&json!({ "removed": removed.name }), |_| {
                println!("removed {} and its API secret", removed.name)
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The connection with this name and a client with its stored API secret.
pub fn client(store: &ConnectionStore, name: &str) -> Result<(Connection, Client), String> {
    let connection = store.get(name).map_err(|e| e.to_string())?;
    let secret = store
        .secret(&connection.id)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            format!(
                "{}: no API secret is stored; remove the connection and add it again",
                connection.name
            )
        })?;
    let client =
        Client::new(&connection, secret).map_err(|e| format!("{}: {e}", connection.name))?;
    Ok((connection, client))
}

fn add(store: &ConnectionStore, args: &AddArgs, out: Output) -> Result<ExitCode, String> {
    let connection = Connection {
        id: String::new(),
        name: args.name.clone(),
        url: args.url.clone(),
        login: args.login.clone(),
        simulator: args.simulator,
    };
    let findings = connection.validate();
    if dynbridge_core::findings::has_errors(&findings) {
        return out.failed(&findings);
    }
    let secret = read_secret("API secret (Users page, Generate): ")?;
    let added = store.add(connection, &secret).map_err(|e| e.to_string())?;
    let view = store.view(added).map_err(|e| e.to_string())?;
    out.result(&view, |view| {
        println!("added {}", view.connection.name);
        print_view(view);
    })?;
    Ok(exit_code(&view.findings))
}

fn print_view(view: &ConnectionView) {
    let c = &view.connection;
    println!("name:       {}", c.name);
    println!("address:    {}", c.url);
    println!("login ID:   {}", c.login);
    println!(
        "API secret: {}",
        if view.has_secret {
            "stored in the OS keychain"
        } else {
            "not stored"
        }
    );
    if c.simulator {
        println!("simulator:  yes");
    }
    crate::output::print_findings(&view.findings, None);
}
