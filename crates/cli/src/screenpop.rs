//! `dynbridge screenpop lint|render|check`: the Screenpop URL of a preview campaign.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use dynbridge_core::screenpop::{self, Lint, Screenpop};
use dynbridge_core::table::{self, Table};
use dynbridge_core::Finding;
use serde::Serialize;

use crate::output::{exit_code, print_findings, print_json};

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
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct LintArgs {
    /// The Screenpop URL (quote it: it contains $ and parentheses).
    screenpop: String,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
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
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct CheckArgs {
    screenpop: String,
    /// The calling list (CSV).
    #[arg(long)]
    list: PathBuf,
    #[arg(long)]
    json: bool,
}

pub fn run(command: &ScreenpopCommand) -> Result<ExitCode, String> {
    match command {
        ScreenpopCommand::Lint(args) => lint(args),
        ScreenpopCommand::Render(args) => render(args),
        ScreenpopCommand::Check(args) => check(args),
        ScreenpopCommand::Verify(args) => verify(args),
    }
}

fn lint(args: &LintArgs) -> Result<ExitCode, String> {
    let result = screenpop::lint(&args.screenpop);
    if args.json {
        print_json(&result)?;
    } else {
        print_findings(&result.findings, Some(&args.screenpop));
        if result.findings.is_empty() {
            println!("ok: {}", args.screenpop);
        }
    }
    Ok(exit_code(&result.findings))
}

/// Lints first; when the string has errors, prints them and gives the exit code.
fn parsed(text: &str, json: bool) -> Result<Result<(Screenpop, Vec<Finding>), ExitCode>, String> {
    let Lint {
        screenpop,
        findings,
    } = screenpop::lint(text);
    match screenpop {
        Some(screenpop) => Ok(Ok((screenpop, findings))),
        None => {
            if json {
                print_json(&Lint {
                    screenpop: None,
                    findings: findings.clone(),
                })?;
            } else {
                print_findings(&findings, Some(text));
            }
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

fn render(args: &RenderArgs) -> Result<ExitCode, String> {
    let list = args.list.as_deref().map(read_list).transpose()?;
    let rendered = screenpop::render_text(
        &args.screenpop,
        list.as_ref().map(|l| (l, args.row)),
        args.org.as_deref().unwrap_or_default(),
        args.app_id.as_deref().unwrap_or_default(),
    );
    let opened = match (&rendered.record_url, args.open) {
        (Some(url), true) => {
            open::that(url).map_err(|e| format!("cannot open the browser: {e}"))?;
            true
        }
        _ => false,
    };
    let code = exit_code(&rendered.findings);
    if args.json {
        print_json(&RenderOutput { rendered, opened })?;
    } else {
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
    }
    Ok(code)
}

fn check(args: &CheckArgs) -> Result<ExitCode, String> {
    let (screenpop, _) = match parsed(&args.screenpop, args.json)? {
        Ok(parsed) => parsed,
        Err(code) => return Ok(code),
    };
    let list = read_list(&args.list)?;
    let check = screenpop::check_list(&screenpop, &list);
    if args.json {
        print_json(&check)?;
    } else {
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
    }
    Ok(exit_code(&check.findings))
}

fn verify(args: &VerifyArgs) -> Result<ExitCode, String> {
    let (screenpop, _) = match parsed(&args.screenpop, args.json)? {
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
    let (account, access) = match crate::account::access_token(&args.account)? {
        Ok(token) => token,
        Err(findings) => {
            print_findings(&findings, None);
            return Ok(exit_code(&findings));
        }
    };
    let bar = indicatif::ProgressBar::new(rows.len() as u64);
    let http = dynbridge_dataverse::http_client();
    let report = dynbridge_dataverse::verify::verify_rows(
        &http,
        account.api_url.trim_end_matches('/'),
        &access,
        &object,
        &rows,
        &|done| {
            bar.set_position(done as u64);
            std::ops::ControlFlow::Continue(())
        },
    );
    bar.finish_and_clear();
    let report = match report {
        Ok(report) => report,
        Err(failure) => {
            let findings = failure.findings();
            print_findings(&findings, None);
            return Ok(exit_code(&findings));
        }
    };
    if let Some(path) = &args.csv {
        dynbridge_core::fs::write_atomic(path, report.to_csv().as_bytes())
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if args.json {
        print_json(&report)?;
    } else {
        println!(
            "{} IDs: {} found, {} missing, {} of another type, {} inactive, {} marked do not call",
            report.rows.len(),
            report.found,
            report.missing,
            report.other_type,
            report.inactive,
            report.do_not_phone
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
    }
    let problems = report.missing + report.other_type;
    Ok(if problems == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(crate::output::FOUND_ERRORS)
    })
}
