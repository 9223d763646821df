//! `dynbridge`: the command-line face of Dynbridge, for scripting the same jobs the app
//! does. Exit codes: 0 success, 1 the job found problems or failed, 2 usage errors; with
//! `--json`, standard output is always one JSON document.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod account;
mod bp;
mod channel;
mod doctor;
mod info;
mod list;
mod output;
mod push;
mod screenpop;
mod sim;

#[derive(Parser)]
#[command(
    name = "dynbridge",
    version,
    about = "Connect Bright Pattern Contact Center to Microsoft Dynamics 365, checkably"
)]
struct Cli {
    /// Print exactly one JSON document on standard output (an "error" object when the
    /// job fails); progress and prompts go to standard error.
    #[arg(long, global = true)]
    json: bool,
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
    /// Bright Pattern connections for sending lists: add, list, show, remove, test,
    /// campaigns.
    #[command(subcommand)]
    Bp(bp::BpCommand),
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
    restore_sigpipe();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    let out = output::Output { json: cli.json };
    let result = match cli.command {
        Command::Info(args) => info::run(&args, out),
        Command::Account(command) => account::run(&command, out),
        Command::Bp(command) => bp::run(&command, out),
        Command::Sim(args) => sim::run(&args, out),
        Command::Doctor(args) => doctor::run(&args, out),
        Command::List(command) => list::run(&command, out),
        Command::Channel(command) => channel::run(&command, out),
        Command::Screenpop(command) => screenpop::run(&command, out),
    };
    result.unwrap_or_else(|message| out.error(&message))
}

/// Rust ignores SIGPIPE, so `println!` panics ("failed printing to stdout: Broken
/// pipe") when the reader of a pipe goes away (`dynbridge … | head`). Restoring the
/// default makes the CLI end quietly as other Unix tools do (the shell sees 141).
/// Sockets are unaffected: std, mio and tokio send with MSG_NOSIGNAL / SO_NOSIGPIPE.
#[cfg(unix)]
fn restore_sigpipe() {
    // The crate has no libc dependency; `signal` is in the C library std links.
    extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }
    const SIGPIPE: i32 = 13; // the same on Linux, macOS and the BSDs
    const SIG_DFL: usize = 0;
    // SAFETY: called first thing in main, before any thread starts; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        signal(SIGPIPE, SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_sigpipe() {}

/// Opens `url` in the browser, if it is a web address Dynbridge may open
/// ([`trust::check_openable`]).
fn open_in_browser(url: &str, simulator: bool) -> Result<(), String> {
    dynbridge_core::account::trust::check_openable(url, simulator)?;
    open::that(url).map_err(|e| format!("cannot open the browser: {e}"))
}

/// Help and the version print as usual; a wrong command line exits 2, with `--json` as
/// an error object on standard output.
fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        let _ = error.print();
        return ExitCode::SUCCESS;
    }
    if std::env::args()
        .skip(1)
        .take_while(|a| a != "--")
        .any(|a| a == "--json")
    {
        let message = error.render().to_string();
        let document = serde_json::json!({ "error": { "message": message.trim(), "usage": true } });
        println!("{document}");
    } else {
        let _ = error.print();
    }
    ExitCode::from(output::USAGE)
}
