//! `dynbridge bp …`: Bright Pattern connections (the tenant's address, the API user's
//! login ID, and its API secret from a hidden prompt or standard input, kept in the OS
//! keychain), Test and the tenant's campaigns.

use std::process::ExitCode;

use clap::{Args, Subcommand};
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
        BpCommand::Remove(args) => {
            let removed = store.remove(&args.name).map_err(|e| e.to_string())?;
            out.result(&json!({ "removed": removed.name }), |_| {
                println!("removed {} and its API secret", removed.name)
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
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
