//! `dynbridge info`: the same facts as the app's `app_info` command.

use std::process::ExitCode;

use clap::Args;

use crate::output::Output;

#[derive(Args)]
pub struct InfoArgs {}

pub fn run(_: &InfoArgs, out: Output) -> Result<ExitCode, String> {
    let info = dynbridge_store::app_info().map_err(|e| e.to_string())?;
    out.result(&info, |info| {
        for (label, value) in info.lines() {
            println!("{label:<9} {value}");
        }
    })?;
    Ok(ExitCode::SUCCESS)
}
