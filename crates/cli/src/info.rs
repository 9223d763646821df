//! `dynbridge info`: the same facts as the app's `app_info` command.

use std::process::ExitCode;

use clap::Args;

#[derive(Args)]
pub struct InfoArgs {
    /// Print the facts as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &InfoArgs) -> Result<ExitCode, String> {
    let info = dynbridge_store::app_info().map_err(|e| e.to_string())?;
    if args.json {
        let json = serde_json::to_string_pretty(&info).map_err(|e| e.to_string())?;
        println!("{json}");
    } else {
        for (label, value) in info.lines() {
            println!("{label:<9} {value}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
