//! `dynbridge screenpop lint|render|check`: the Screenpop URL of a preview campaign.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use dynbridge_core::screenpop::{self, Lint, Screenpop};
use dynbridge_core::table::{self, Table};
use serde::Serialize;

use crate::output::{exit_code, print_findings, Output};

#[derive(Subcommand)]
pub enum ScreenpopCommand {
    /// Check the syntax of a Screenpop URL, e.g. "SHOW_OBJECT:$(workitem.otherInfo.dyn_id):contact".
    Lint(LintArgs),
    /// Substitute one list row and show the record it opens in Dynamics.
    Render(RenderArgs),
    /// Check every row of a list: the ID column exists, IDs are present, valid and unique.
    Check(CheckArgs),
    /// Look every ID of a list up in Dataverse: found, missing, of another type, inactive,
    /// or marked "Do not allow Phone Calls".
    Verify(VerifyArgs),
}

#[derive(Args)]
pub struct VerifyArgs {
    screenpop: String,
    #[arg(long)]
    list: PathBuf,
    /// The integration account to use (see `dynbridge account list`).
    #[arg(long)]
    account: String,
    /// Also write the per-row report to this CSV file.
    #[arg(long)]
    csv: Option<PathBuf>,
}

#[derive(Args)]
pub struct LintArgs {
    /// The Screenpop URL (quote it: it contains $ and parentheses).
    screenpop: String,
}

#[derive(Args)]
pub struct RenderArgs {
    screenpop: String,
    /// The calling list (CSV); needed unless the ID is hardcoded.
    #[arg(long)]
    list: Option<PathBuf>,
    /// The data row to render: 1 is the first row after the header.
    #[arg(long, default_value_t = 1)]
    row: usize,
    /// The Dynamics organization URL, e.g. https://contoso.crm.dynamics.com.
    #[arg(long)]
    org: Option<String>,
    /// The model-driven app to open the record in (its app module ID).
    #[arg(long)]
    app_id: Option<String>,
    /// Open the record in the browser.
    #[arg(long)]
    open: bool,
}

#[derive(Args)]
pub struct CheckArgs {
    screenpop: String,
    /// The calling list (CSV).
    #[arg(long)]
    list: PathBuf,
}

pub fn run(command: &ScreenpopCommand, out: Output) -> Result<ExitCode, String> {
    match command {
        ScreenpopCommand::Lint(args) => lint(args, out),
        ScreenpopCommand::Render(args) => render(args, out),
        ScreenpopCommand::Check(args) => check(args, out),
        ScreenpopCommand::Verify(args) => verify(args, out),
    }
}

fn lint(args: &LintArgs, out: Output) -> Result<ExitCode, String> {
    let result = screenpop::lint(&args.screenpop);
    out.result(&result, |result| {
        print_findings(&result.findings, Some(&args.screenpop));
        if result.findings.is_empty() {
            println!("ok: {}", args.screenpop);
        }
    })?;
    Ok(exit_code(&result.findings))
}

/// Lints first; when the string has errors, the job fails with them.
fn parsed(text: &str, out: Output) -> Result<Result<Screenpop, ExitCode>, String> {
    let Lint {
        screenpop,
        findings,
    } = screenpop::lint(text);
    match screenpop {
        Some(screenpop) => Ok(Ok(screenpop)),
        None if out.json => out.failed(&findings).map(Err),
        None => {
            print_findings(&findings, Some(text));
            Ok(Err(exit_code(&findings)))
        }
    }
}

fn read_list(path: &Path) -> Result<Table, String> {
    table::read_csv(path).map_err(|e| e.to_string())
}

#[derive(Serialize)]
struct RenderOutput {
    #[serde(flatten)]
    rendered: screenpop::Rendered,
    opened: bool,
}

fn render(args: &RenderArgs, out: Output) -> Result<ExitCode, String> {
    let list = args.list.as_deref().map(read_list).transpose()?;
    let rendered = screenpop::render_text(
        &args.screenpop,
        list.as_ref().map(|l| (l, args.row)),
        args.org.as_deref().unwrap_or_default(),
        args.app_id.as_deref().unwrap_or_default(),
    );
    let opened = match (&rendered.record_url, args.open) {
        (Some(url), true) => {
            crate::open_in_browser(url, false)?;
            true
        }
        _ => false,
    };
    let code = exit_code(&rendered.findings);
    out.result(
        &RenderOutput { rendered, opened },
        |RenderOutput { rendered, opened }| {
            print_findings(&rendered.findings, Some(&args.screenpop));
            for (label, value) in [
                ("Screenpop", Some(&rendered.show_object)),
                ("Hardcoded", rendered.hardcoded.as_ref()),
                ("Record URL", rendered.record_url.as_ref()),
            ] {
                if let Some(value) = value.filter(|v| !v.is_empty()) {
                    println!("{label:<11} {value}");
                }
            }
            if args.open && !opened {
                println!("not opened: no record URL (give --org and a row with a valid ID)");
            }
        },
    )?;
    Ok(code)
}

fn check(args: &CheckArgs, out: Output) -> Result<ExitCode, String> {
    let screenpop = match parsed(&args.screenpop, out)? {
        Ok(parsed) => parsed,
        Err(code) => return Ok(code),
    };
    let list = read_list(&args.list)?;
    let check = screenpop::check_list(&screenpop, &list);
    out.result(&check, |check| {
        print_findings(&check.findings, None);
        println!(
            "{}: {} rows, {} valid, {} empty, {} malformed, {} duplicates",
            list.source.display(),
            check.rows,
            check.valid,
            check.empty.count,
            check.malformed.count,
            check.duplicates.count
        );
    })?;
    Ok(exit_code(&check.findings))
}

fn verify(args: &VerifyArgs, out: Output) -> Result<ExitCode, String> {
    let screenpop = match parsed(&args.screenpop, out)? {
        Ok(parsed) => parsed,
        Err(code) => return Ok(code),
    };
    let object = screenpop.object_type.ok_or_else(|| {
        format!(
            "{:?} is not a known object type; fix the Screenpop URL first",
            screenpop.object
        )
    })?;
    let list = read_list(&args.list)?;
    let rows = screenpop::list_ids(&screenpop, &list).map_err(|f| f.message)?;
    let bar = indicatif::ProgressBar::new(rows.len() as u64);
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let report = crate::account::in_session(&args.account, &cancel, |session| {
        dynbridge_dataverse::verify::verify_rows(session, &object, &rows, &|done| {
            bar.set_position(done as u64);
            std::ops::ControlFlow::Continue(())
        })
    })?;
    bar.finish_and_clear();
    let report = match report {
        Ok(report) => report,
        Err(findings) => return out.failed(&findings),
    };
    // The verdicts are shown even when the CSV cannot be written; the job then fails.
    let csv_written = args.csv.as_ref().is_none_or(|path| {
        dynbridge_core::fs::write_atomic(path, report.to_csv().as_bytes())
            .map_err(|e| eprintln!("dynbridge: {}: {e}", path.display()))
            .is_ok()
    });
    out.result(&report, |report| {
        print_findings(&report.findings, None);
        println!(
            "{} IDs: {} found, {} missing, {} of another type, {} inactive, {} marked do not call, {} not checked",
            report.rows.len(),
            report.found,
            report.missing,
            report.other_type,
            report.inactive,
            report.do_not_phone,
            report.unchecked
        );
        for row in report
            .rows
            .iter()
            .filter(|r| r.status != dynbridge_dataverse::verify::RowStatus::Found)
            .take(20)
        {
            println!(
                "  row {:<6} {} {:?}{}",
                row.row,
                row.id,
                row.status,
                row.other_type
                    .as_deref()
                    .map(|t| format!(" ({t})"))
                    .unwrap_or_default()
            );
        }
    })?;
    let problems = report.missing + report.other_type + report.unchecked;
    Ok(if problems == 0 && report.complete() && csv_written {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(crate::output::FOUND_ERRORS)
    })
}
