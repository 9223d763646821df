//! `dynbridge`: the command-line face of Dynbridge, for scripting the same jobs the app
//! does. Exit codes: 0 success, 1 the job found problems or failed, 2 usage errors.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod info;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Info(args) => info::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("dynbridge: {message}");
            ExitCode::FAILURE
        }
    }
}
