//! `dynbridge list inspect|import`: Dynamics exports to Bright Pattern calling lists.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use dynbridge_core::lists::{self, ImportOptions, ReadLimits, Source};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::output::{exit_code, print_findings, Output, FOUND_ERRORS};

#[derive(Subcommand)]
pub enum ListCommand {
    /// Show what a file holds: sheets, the ID column, each column's role.
    Inspect(InspectArgs),
    /// Write a Bright Pattern calling list (and a rejects file) from the file.
    Import(ImportArgs),
    /// Send a calling list that `import` wrote into Bright Pattern (List Management API).
    Push(crate::push::PushArgs),
}

#[derive(Args)]
pub struct InspectArgs {
    file: PathBuf,
    /// The sheet to read (default: the first visible one).
    #[arg(long)]
    sheet: Option<String>,
}

#[derive(Args)]
pub struct ImportArgs {
    file: PathBuf,
    /// The calling list to write (default: <file>.brightpattern.csv beside the file).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The name of the ID column in the list; the Screenpop URL refers to it.
    #[arg(long = "id-column", default_value = "dyn_id")]
    id_column: String,
    /// The source column holding the record IDs (default: detected).
    #[arg(long)]
    id_source: Option<String>,
    /// US/CA: Bright Pattern's North American rules; else a two-letter country code.
    #[arg(long, default_value = "US")]
    country: String,
    #[arg(long)]
    sheet: Option<String>,
    /// Keep rows whose ID is empty or malformed.
    #[arg(long)]
    keep_invalid_ids: bool,
    /// Reject rows repeating an earlier row's ID or phone.
    #[arg(long)]
    dedupe: bool,
    /// Keep cells that Excel would run as formulas as they are (by default a leading '
    /// makes them text; phone numbers such as +15551234567 are never changed).
    #[arg(long)]
    keep_formulas: bool,
    /// Keep rows marked "Do not allow Phone Calls" (make sure they consented).
    #[arg(long)]
    include_do_not_call: bool,
    /// The consent column ("Do not allow Phone Calls" in the export's language), when
    /// it is not recognised by its header.
    #[arg(long, value_name = "HEADER")]
    do_not_call_column: Option<String>,
    /// The consent column's values meaning "do not call", comma-separated (every other
    /// value then means "may be called"), when they are not labels Dynbridge knows.
    #[arg(long, value_name = "VALUES", value_delimiter = ',')]
    do_not_call_values: Option<Vec<String>>,
    /// Start the list and rejects with a UTF-8 byte-order mark, so that Excel on Windows
    /// shows accented letters right (Bright Pattern's list wizard does not need it).
    #[arg(long)]
    excel_bom: bool,
}

pub fn run(command: &ListCommand, out: Output) -> Result<ExitCode, String> {
    match command {
        ListCommand::Inspect(args) => inspect(args, out),
        ListCommand::Import(args) => import(args, out),
        ListCommand::Push(args) => crate::push::push(args, out),
    }
}

fn inspect(args: &InspectArgs, out: Output) -> Result<ExitCode, String> {
    let source = Source::open(&args.file, args.sheet.as_deref(), ReadLimits::default())
        .map_err(|e| e.to_string())?;
    let inspection = lists::inspect(&source, &ImportOptions::default());
    out.result(&inspection, print_inspection)?;
    Ok(exit_code(&inspection.findings))
}

fn print_inspection(inspection: &lists::Inspection) {
    println!("{}", inspection.path);
    if let Some(sheet) = &inspection.sheet {
        println!(
            "  sheet        {sheet} (data sheets: {})",
            inspection.sheets.join(", ")
        );
    }
    println!(
        "  kind         {}",
        if inspection.dynamics_export {
            "Dynamics \"Export to Excel\" file"
        } else {
            "table"
        }
    );
    if let Some(object) = inspection.object_type {
        println!(
            "  object type  {} ({})",
            object.bright_pattern, object.logical_name
        );
    }
    if let Some(rows) = inspection.rows {
        println!("  rows         {rows}");
    }
    println!("  columns");
    for column in &inspection.columns {
        let id = if Some(column.index) == inspection.id_column {
            "  <- record IDs"
        } else {
            ""
        };
        let logical = column
            .logical_name
            .as_deref()
            .map(|l| format!(" [{l}]"))
            .unwrap_or_default();
        println!(
            "    {:<4} {:<32} {:?}{logical}{id}",
            column.letter, column.header, column.role
        );
    }
    print_findings(&inspection.findings, None);
}

#[derive(Serialize)]
struct ImportOutput<'a> {
    /// The calling list written, if any row was imported.
    output: Option<String>,
    /// The rejects written beside it, if any row was rejected.
    rejects: Option<String>,
    #[serde(flatten)]
    summary: &'a lists::ImportSummary,
}

fn default_output(input: &Path) -> PathBuf {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "list".into());
    input.with_file_name(format!("{stem}.brightpattern.csv"))
}

fn import(args: &ImportArgs, out: Output) -> Result<ExitCode, String> {
    let options = ImportOptions {
        sheet: args.sheet.clone(),
        id_source: args.id_source.clone(),
        id_name: args.id_column.clone(),
        country: args.country.clone(),
        keep_invalid_ids: args.keep_invalid_ids,
        dedupe: args.dedupe,
        excel_safe: !args.keep_formulas,
        include_do_not_call: args.include_do_not_call,
        do_not_call_column: args.do_not_call_column.clone(),
        do_not_call_values: args.do_not_call_values.clone(),
        columns: None,
        excel_bom: Some(args.excel_bom),
    };
    if args.include_do_not_call {
        eprintln!(
            "dynbridge: WARNING: rows marked \"Do not allow Phone Calls\" will be KEPT in the list"
        );
    }
    let source = Source::open(&args.file, args.sheet.as_deref(), ReadLimits::default())
        .map_err(|e| e.to_string())?;
    let bar = match source.expected_rows() {
        Some(rows) => ProgressBar::new(rows as u64),
        None => ProgressBar::new_spinner(),
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos}/{len} rows {wide_bar} {eta}")
            .expect("a valid template"),
    );
    let list = match lists::import(&source, &options, &mut |done| {
        bar.set_position(done as u64);
        ControlFlow::Continue(())
    }) {
        Ok(list) => list,
        Err(lists::ImportError::DoNotCallUnclear { finding, .. }) => {
            bar.finish_and_clear();
            return out.failed(&[*finding]);
        }
        Err(e) => return Err(e.to_string()),
    };
    bar.finish_and_clear();
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| default_output(&args.file));
    let summary = &list.summary;
    // The list and the rejects, all or nothing; an older run's file this import does
    // not produce is removed, so the folder matches this summary.
    let saved = list.save(&output).map_err(|e| e.to_string())?;
    let written = ImportOutput {
        output: saved.list.as_ref().map(|p| p.display().to_string()),
        rejects: saved.rejects.as_ref().map(|p| p.display().to_string()),
        summary,
    };
    out.result(&written, |_| {
        print_findings(&summary.findings, None);
        println!(
            "{} rows read: {} imported, {} rejected",
            summary.rows_read, summary.imported, summary.rejected
        );
        for count in &summary.rejected_by_reason {
            println!(
                "  {:>6}  {} ({})",
                count.count,
                count.reason.describe(),
                count.reason.code()
            );
        }
        if let Some(path) = &saved.list {
            println!("List:      {}", path.display());
        }
        if let Some(path) = &saved.rejects {
            println!("Rejects:   {}", path.display());
        }
        if let Some(screenpop) = &summary.screenpop {
            println!("Screenpop URL (Outbound > General): {screenpop}");
        }
        println!("List wizard field types:");
        for field in &summary.field_types {
            println!("  {:<32} {}", field.column, field.field_type);
        }
    })?;
    Ok(if summary.imported == 0 {
        ExitCode::from(FOUND_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}
