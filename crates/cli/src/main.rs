//! `dynbridge`: the command-line face of Dynbridge, for scripting the same jobs the app
//! does. Exit codes: 0 success, 1 the job found problems or failed, 2 usage errors.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod account;
mod channel;
mod doctor;
mod info;
mod list;
mod output;
mod screenpop;
mod sim;

#[derive(Parser)]
#[command(
    name = "dynbridge",
    version,
    about = "Connect Bright Pattern Contact Center to Microsoft Dynamics 365, checkably"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show the version, where profiles are kept and which keychain holds secrets.
    Info(info::InfoArgs),
    /// Integration accounts: add, edit, Request token, Test connection.
    #[command(subcommand)]
    Account(account::AccountCommand),
    /// The guide's checklist for an account, checked where the API can tell.
    Doctor(doctor::DoctorArgs),
    /// Run the local Entra ID and Dataverse simulator.
    Sim(sim::SimArgs),
    /// Turn Dynamics exports (xlsx, xls, ods, csv) into Bright Pattern calling lists.
    #[command(subcommand)]
    List(list::ListCommand),
    /// Build and check the CIF channel provider that embeds the Agent Desktop.
    #[command(subcommand)]
    Channel(channel::ChannelCommand),
    /// Build, lint, render and check Screenpop URLs of preview campaigns.
    #[command(subcommand)]
    Screenpop(screenpop::ScreenpopCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Info(args) => info::run(&args),
        Command::Account(command) => account::run(&command),
        Command::Sim(args) => sim::run(&args),
        Command::Doctor(args) => doctor::run(&args),
        Command::List(command) => list::run(&command),
        Command::Channel(command) => channel::run(&command),
        Command::Screenpop(command) => screenpop::run(&command),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("dynbridge: {message}");
            ExitCode::from(output::FOUND_ERRORS)
        }
    }
}
