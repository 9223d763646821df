//! `dynbridge doctor`: the guide's checklist for an account, checked where the API can
//! tell, as text, Markdown or JSON.

use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::Args;
use dynbridge_dataverse::doctor::{self, Status};
use dynbridge_store::accounts::AccountStore;

use crate::output::{Output, FOUND_ERRORS};

#[derive(Args)]
pub struct DoctorArgs {
    /// The integration account to check.
    #[arg(long)]
    account: String,
    /// Print the checklist as Markdown.
    #[arg(long)]
    markdown: bool,
}

pub fn run(args: &DoctorArgs, out: Output) -> Result<ExitCode, String> {
    let store = AccountStore::open_default().map_err(|e| e.to_string())?;
    let account = store.get(&args.account).map_err(|e| e.to_string())?;
    let provider = dynbridge_store::channel::load().map_err(|e| e.to_string())?;
    let cancel = AtomicBool::new(false);
    let report = doctor::run(
        &account,
        &store.credentials(&account.id),
        &provider,
        crate::account::patience(&cancel),
    );
    out.result(&report, |report| {
        if args.markdown {
            print!("{}", report.to_markdown());
            return;
        }
        for step in &report.steps {
            println!(
                "{:<4} {:<8} {}: {}",
                step.id,
                format!("{:?}", step.status),
                step.title,
                step.detail
            );
            for finding in &step.findings {
                println!(
                    "              {}{}",
                    finding.message,
                    finding
                        .fix
                        .as_deref()
                        .map(|f| format!(" (fix: {f})"))
                        .unwrap_or_default()
                );
            }
        }
    })?;
    let failed = report.steps.iter().any(|s| s.status == Status::Fail);
    Ok(if failed {
        ExitCode::from(FOUND_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}
