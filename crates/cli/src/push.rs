//! `dynbridge list push LIST.csv --bp NAME --list BPLIST`: a calling list that
//! `list import` wrote, sent into a Bright Pattern calling list through the List
//! Management API after a preflight, in batches with progress on standard error; with
//! `--dnc`, the do-not-call rows of the rejects file beside it go to a DNC list.
//! Ctrl+C stops after the batch under way and reports how far the push got.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use dynbridge_brightpattern::preflight::{preflight, rows};
use dynbridge_brightpattern::{reason_label, DncMode, DncReport, Error, Mode, PushReport};
use dynbridge_core::findings::has_errors;
use dynbridge_core::lists::phone::PhoneRules;
use dynbridge_core::lists::saved::{do_not_call_phones, read_saved};
use dynbridge_core::Finding;
use dynbridge_store::brightpattern::ConnectionStore;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::output::{Output, FOUND_ERRORS, USAGE};

#[derive(Args)]
pub struct PushArgs {
    /// A calling list that `dynbridge list import` wrote (its rejects file beside it
    /// supplies the do-not-call rows for --dnc).
    list_file: PathBuf,
    /// The Bright Pattern connection (dynbridge bp add).
    #[arg(long = "bp", value_name = "NAME")]
    connection: String,
    /// The Bright Pattern calling list to send to, as its name shows in Bright Pattern.
    #[arg(long = "list", value_name = "BPLIST")]
    list: String,
    /// add: add to what the list holds; replace: delete every record first (Bright
    /// Pattern also erases the campaign results for the list).
    #[arg(long, value_enum, default_value_t = PushMode::Add)]
    mode: PushMode,
    /// The DNC list to send the do-not-call rows' phones to.
    #[arg(long, value_name = "DNCLIST")]
    dnc: Option<String>,
    /// add: add the phones; replace: the DNC list then holds only these.
    #[arg(long, value_enum, default_value_t = PushMode::Add)]
    dnc_mode: PushMode,
    /// The phone rules for the DNC numbers: US/CA, else a two-letter country code.
    #[arg(long, default_value = "US")]
    country: String,
    /// Confirm replace without being asked.
    #[arg(long)]
    yes: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PushMode {
    Add,
    Replace,
}

/// What `list push --json` prints.
#[derive(Serialize)]
struct PushOutput<'a> {
    added: usize,
    /// Rejected rows counted by Bright Pattern's reason.
    rejected: std::collections::BTreeMap<&'a str, RejectedRows>,
    rows: usize,
    rows_sent: usize,
    batches: usize,
    requests: u64,
    elapsed_ms: u128,
    cancelled: bool,
    findings: &'a [Finding],
    dnc: Option<DncReport>,
}

#[derive(Serialize)]
struct RejectedRows {
    count: usize,
    /// Their row numbers in the list file.
    rows: Vec<usize>,
}

pub fn push(args: &PushArgs, out: Output) -> Result<ExitCode, String> {
    let rules = PhoneRules::for_country(&args.country).ok_or_else(|| {
        format!(
            "{:?} is not a country code (use two letters, e.g. US, GB, DE)",
            args.country
        )
    })?;
    let replacing = args.mode == PushMode::Replace
        || (args.dnc.is_some() && args.dnc_mode == PushMode::Replace);
    if replacing && !args.yes && !confirm(&args.list)? {
        eprintln!("dynbridge: replace needs confirming: add --yes (nothing was sent)");
        return Ok(ExitCode::from(USAGE));
    }
    let saved = read_saved(&args.list_file).map_err(|e| e.to_string())?;
    let store = ConnectionStore::open_default().map_err(|e| e.to_string())?;
    let (connection, client) = crate::bp::client(&store, &args.connection)?;
    let mode = match args.mode {
        PushMode::Add => Mode::Add,
        PushMode::Replace => Mode::Replace,
    };
    let findings = preflight(&client, &args.list, &saved, mode)
        .map_err(|e| format!("{}: {e}", connection.name))?;
    if has_errors(&findings) {
        return out.failed(&findings);
    }
    out.findings(&findings, None);

    let rows = rows(&saved);
    let cancel = Arc::new(AtomicBool::new(false));
    let on_interrupt = Arc::clone(&cancel);
    let _ = ctrlc::set_handler(move || {
        eprintln!("\ndynbridge: stopping after the batch under way…");
        on_interrupt.store(true, Ordering::SeqCst);
    });
    let bar = ProgressBar::new(rows.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos}/{len} rows sent {wide_bar} {eta}")
            .expect("a valid template"),
    );
    let pushed = client.push(
        &args.list,
        &rows,
        mode,
        &|p| bar.set_position(p.rows_sent as u64),
        &cancel,
    );
    bar.finish_and_clear();
    let report = match pushed {
        Ok(report) => report,
        Err(Error::Stopped {
            report,
            total,
            cause,
        }) => {
            eprintln!(
                "dynbridge: {}",
                Error::Stopped {
                    report: report.clone(),
                    total,
                    cause
                }
            );
            print_report(&report, rows.len(), &findings, None, out)?;
            return Ok(ExitCode::from(FOUND_ERRORS));
        }
        Err(e) => return Ok(out.error(&format!("{}: {e}", connection.name))),
    };
    let dnc = match &args.dnc {
        Some(dnc_list) if !report.cancelled => {
            let phones: Vec<String> = do_not_call_phones(&args.list_file)
                .map_err(|e| e.to_string())?
                .into_iter()
                .map(|p| p.phone)
                .collect();
            let dnc_mode = match args.dnc_mode {
                PushMode::Add => DncMode::Add,
                PushMode::Replace => DncMode::Replace,
            };
            Some(
                client
                    .dnc_sync(dnc_list, &phones, rules, dnc_mode)
                    .map_err(|e| format!("{}: {e}", connection.name))?,
            )
        }
        _ => None,
    };
    print_report(&report, rows.len(), &findings, dnc, out)?;
    let complete = report.added == rows.len() && !report.cancelled;
    Ok(if complete {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(FOUND_ERRORS)
    })
}

/// Asks to confirm Replace on a terminal; elsewhere Replace needs --yes.
fn confirm(list: &str) -> Result<bool, String> {
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    eprint!(
        "Replace deletes every record of {list:?} first, and Bright Pattern also erases the campaign results for that list. Type yes to go on: "
    );
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| e.to_string())?;
    Ok(answer.trim().eq_ignore_ascii_case("yes"))
}

fn print_report(
    report: &PushReport,
    rows: usize,
    findings: &[Finding],
    dnc: Option<DncReport>,
    out: Output,
) -> Result<(), String> {
    let rejected = report
        .rejected
        .iter()
        .map(|(reason, rejects)| {
            let rows = rejects.iter().filter_map(|r| r.row).collect();
            (
                reason.as_str(),
                RejectedRows {
                    count: rejects.len(),
                    rows,
                },
            )
        })
        .collect();
    let output = PushOutput {
        added: report.added,
        rejected,
        rows,
        rows_sent: report.rows_sent,
        batches: report.batches,
        requests: report.requests,
        elapsed_ms: report.elapsed.as_millis(),
        cancelled: report.cancelled,
        findings,
        dnc,
    };
    out.result(&output, |o| {
        println!(
            "{} of {} rows added ({} requests, {:.1} s)",
            o.added,
            o.rows,
            o.requests,
            report.elapsed.as_secs_f64()
        );
        if o.cancelled {
            println!("stopped on request after {} rows", o.rows_sent);
        }
        for (reason, rejected) in &o.rejected {
            let first: Vec<String> = rejected
                .rows
                .iter()
                .take(10)
                .map(usize::to_string)
                .collect();
            println!(
                "  {:>6}  {} (rows {}{})",
                rejected.count,
                reason_label(reason),
                first.join(", "),
                if rejected.rows.len() > 10 {
                    ", …"
                } else {
                    ""
                }
            );
        }
        if let Some(dnc) = &o.dnc {
            println!("Do Not Call: {} numbers sent, {} new", dnc.sent, dnc.added);
            for (_, phone) in &dnc.invalid {
                println!("  not a phone number Bright Pattern keeps: {phone}");
            }
        }
    })
}
