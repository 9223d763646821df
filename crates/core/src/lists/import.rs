//! Turning an opened list into a Bright Pattern calling list: IDs canonical, phones
//! normalised, consent honoured, every rejected row kept with its reason.

use std::collections::HashSet;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::detect::{self, Consent, Role, SourceColumn};
use super::phone::{split_extension, PhoneProblem, PhoneRules};
use super::source::{Format, Source};
use crate::excel_cells;
use crate::findings::{Finding, Severity};
use crate::fs::OutputSet;
use crate::guid::Guid;
use crate::screenpop::{self, IdSource, ObjectType};
use crate::table::{RowProblem, RowsPage, Table, TableError, MAX_PAGE};

/// How many rows detection looks at.
const SAMPLE_ROWS: usize = 1000;
/// How often (in rows) progress is reported.
const PROGRESS_EVERY: usize = 2000;

/// One output column: where it comes from and what it is called.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OutputColumn {
    /// The source column's header.
    pub source: String,
    /// The header in the calling list.
    pub name: String,
}

/// What the administrator chose; the defaults suit a Dynamics export for the US.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportOptions {
    pub sheet: Option<String>,
    /// The source column holding the record IDs, overriding detection.
    pub id_source: Option<String>,
    /// The ID column's name in the list, used by the Screenpop URL.
    pub id_name: String,
    /// `US`/`CA` for Bright Pattern's North American rules, else a country code.
    pub country: String,
    /// Keep rows whose ID is empty or malformed (the ID cell is left as it was).
    pub keep_invalid_ids: bool,
    /// Reject a row repeating an earlier row's ID or first phone.
    pub dedupe: bool,
    /// Prefix cells Excel would run as formulas with ' (on by default; phone numbers
    /// such as +15551234567 are left as they are).
    pub excel_safe: bool,
    /// Keep rows marked "Do not allow Phone Calls".
    pub include_do_not_call: bool,
    /// The header of the consent column ("Do not allow Phone Calls" in the user's
    /// language), when detection did not find it.
    #[serde(default)]
    #[ts(optional)]
    pub do_not_call_column: Option<String>,
    /// The consent column's values that mean "do not call" (every other value then
    /// means "may be called"); needed when its labels are not ones Dynbridge knows.
    #[serde(default)]
    #[ts(optional)]
    pub do_not_call_values: Option<Vec<String>>,
    /// The output columns in order; `None` for the defaults.
    pub columns: Option<Vec<OutputColumn>>,
    /// Start the saved files with a UTF-8 byte-order mark: Excel on Windows then opens
    /// accented and non-Latin letters right (without one it reads the file as the
    /// computer's ANSI code page). Off by default: Bright Pattern's list wizard takes
    /// plain UTF-8. Lines always end in CRLF (RFC 4180), which Excel and Bright
    /// Pattern both read.
    #[serde(default)]
    #[ts(optional)]
    pub excel_bom: Option<bool>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            sheet: None,
            id_source: None,
            id_name: "dyn_id".into(),
            country: "US".into(),
            keep_invalid_ids: false,
            dedupe: false,
            excel_safe: true,
            include_do_not_call: false,
            do_not_call_column: None,
            do_not_call_values: None,
            columns: None,
            excel_bom: None,
        }
    }
}

/// What a list file holds, before importing it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Inspection {
    pub path: String,
    pub format: Format,
    pub sheets: Vec<String>,
    /// The sheet read; `None` for text files.
    pub sheet: Option<String>,
    /// The row of the header read, as Excel numbers it.
    pub header_row: usize,
    /// The rows that look like a header (as Excel numbers them), the one read by default
    /// first; the app offers them and reopens the file at the one chosen.
    pub header_rows: Vec<usize>,
    /// For each of `header_rows`, its first cells (at most 8, within the table's
    /// columns): a label for choosing it. Empty for rows above the header read.
    pub header_row_cells: Vec<Vec<String>>,
    /// A Dynamics "Export to Excel" file (its `(Do Not Modify)` ID column was found).
    pub dynamics_export: bool,
    /// The table's logical name, from the hiddenSheet.
    pub entity: Option<String>,
    pub object_type: Option<ObjectType>,
    pub columns: Vec<SourceColumn>,
    /// Index of the ID column, detected or chosen.
    pub id_column: Option<usize>,
    pub default_columns: Vec<OutputColumn>,
    /// Data rows (non-empty rows below the header), when the file could be read through.
    pub rows: Option<usize>,
    pub findings: Vec<Finding>,
    /// The consent column ("Do not allow Phone Calls"), when there is one.
    pub consent_column: Option<String>,
    /// The different values in the consent column(s), in the order found (at most 20,
    /// empty cells left out): what the `list.do_not_call_unclear` finding asks about.
    pub consent_values: Vec<String>,
    /// The column holds more different values than `consent_values` lists.
    pub consent_values_more: bool,
    /// Those of `consent_values` read as "do not call" (known labels, or the values the
    /// options state).
    pub consent_do_not_call: Vec<String>,
}

/// How many different consent values an inspection lists.
const MAX_CONSENT_VALUES: usize = 20;
/// How many cells label a header row candidate.
const HEADER_LABEL_CELLS: usize = 8;

/// Why a row was left out of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    IdMissing,
    IdMalformed,
    DoNotCall,
    NoValidPhone,
    DuplicateId,
    DuplicatePhone,
    /// The only phone numbers were ones Excel had turned into `1.42556E+10`.
    PhoneRoundedByExcel,
}

impl RejectReason {
    pub fn code(self) -> &'static str {
        match self {
            Self::IdMissing => "id_missing",
            Self::IdMalformed => "id_malformed",
            Self::DoNotCall => "do_not_call",
            Self::NoValidPhone => "no_valid_phone",
            Self::DuplicateId => "duplicate_id",
            Self::DuplicatePhone => "duplicate_phone",
            Self::PhoneRoundedByExcel => "phone_rounded_by_excel",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Self::IdMissing => "no record ID",
            Self::IdMalformed => "the record ID is not a GUID",
            Self::DoNotCall => "marked \"Do not allow Phone Calls\"",
            Self::NoValidPhone => "no phone number Bright Pattern accepts",
            Self::DuplicateId => "repeats an earlier row's record ID",
            Self::DuplicatePhone => "repeats an earlier row's phone number",
            Self::PhoneRoundedByExcel => "Excel rounded the phone number (it reads like 1.42556E+10, its last digits are lost); format the phone columns as Text before exporting, or export to CSV from Dynamics",
        }
    }
}

/// A rejected row: its spreadsheet row number, why, and its original values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Reject {
    pub row: usize,
    pub reason: RejectReason,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReasonCount {
    pub reason: RejectReason,
    pub count: usize,
}

/// The field type to choose for a column in Bright Pattern's list wizard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldType {
    pub column: String,
    pub field_type: String,
}

/// Counts and advice after an import.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportSummary {
    pub source: String,
    pub sheet: Option<String>,
    pub rows_read: usize,
    pub imported: usize,
    pub rejected: usize,
    pub rejected_by_reason: Vec<ReasonCount>,
    /// Invalid phones cleared in rows that kept another valid phone.
    pub phones_cleared: usize,
    pub duplicate_ids: RowProblem,
    pub duplicate_phones: RowProblem,
    /// Cells starting with = + - @ (formulas if the CSV is opened in Excel).
    pub formula_cells: usize,
    pub object_type: Option<ObjectType>,
    /// `SHOW_OBJECT:$(workitem.otherInfo.<id column>):<object>`.
    pub screenpop: Option<String>,
    pub field_types: Vec<FieldType>,
    pub findings: Vec<Finding>,
}

/// Why an import could not run.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Table(#[from] TableError),
    #[error("{0}")]
    Options(String),
    #[error("cancelled")]
    Cancelled,
    /// The consent column holds values Dynbridge does not know; the finding asks which
    /// of them mean "do not call".
    #[error("{message}")]
    DoNotCallUnclear {
        message: String,
        finding: Box<Finding>,
    },
    #[error("{path}: cannot write: {reason}")]
    Write { path: String, reason: String },
}

/// The imported list: kept rows as CSV lines (compact; paged for previews) and rejects.
#[derive(Debug, Clone)]
pub struct ImportedList {
    pub header: Vec<String>,
    lines: String,
    line_ends: Vec<usize>,
    /// The source's spreadsheet row number of each kept row.
    line_rows: Vec<usize>,
    pub source_headers: Vec<String>,
    pub rejects: Vec<Reject>,
    pub summary: ImportSummary,
    /// Whether saved files start with a byte-order mark ([`ImportOptions::excel_bom`]).
    bom: bool,
}

/// The UTF-8 byte-order mark.
const BOM: &str = "\u{feff}";

/// Inspects the opened file: export or not, column roles, the ID column.
pub fn inspect(source: &Source, options: &ImportOptions) -> Inspection {
    inspect_until(source, options, &|| false).expect("an inspection never stopped")
}

/// Inspects as [`inspect`] does, unless `stop` says to stop first (it is asked every
/// [`STOP_CHECK_ROWS`] rows of the pass over the rows): then `None`. For an open the
/// user may cancel.
pub fn inspect_until(
    source: &Source,
    options: &ImportOptions,
    stop: &dyn Fn() -> bool,
) -> Option<Inspection> {
    inspect_and_scan(source, options, stop).map(|(inspection, _)| inspection)
}

/// How many rows the pass over the rows reads between two questions to `stop`.
pub const STOP_CHECK_ROWS: usize = 1024;

/// What a pass over every row found: what the import must know before it starts.
#[derive(Default)]
struct Scan {
    /// Phone columns where some cell ends in an extension.
    extension_columns: HashSet<usize>,
    /// Consent values that are not known labels (at most 10), and how many rows.
    unknown_consent: Vec<String>,
    unknown_consent_rows: usize,
    /// The finding asking which consent values mean "do not call".
    unclear: Option<Finding>,
    /// Every different non-empty consent value (at most `MAX_CONSENT_VALUES`).
    consent_values: Vec<String>,
    consent_values_more: bool,
    /// Non-empty data rows.
    rows: usize,
    /// Why the rows could not be read through, if they could not.
    read_error: Option<TableError>,
}

const UNCLEAR_CODE: &str = "list.do_not_call_unclear";

/// The pass over every row; `None` when `stop` said to stop.
fn scan(
    source: &Source,
    columns: &[SourceColumn],
    options: &ImportOptions,
    stop: &dyn Fn() -> bool,
) -> Option<Scan> {
    let consent: Vec<usize> = columns
        .iter()
        .filter(|c| c.role == Role::DoNotPhone)
        .map(|c| c.index)
        .collect();
    let phones: Vec<usize> = columns
        .iter()
        .filter(|c| c.role == Role::Phone)
        .map(|c| c.index)
        .collect();
    let stated = options.do_not_call_values.as_deref();
    let mut scan = Scan::default();
    let mut stopped = false;
    let read = source.for_each_row(|_, cells| {
        if scan.rows % STOP_CHECK_ROWS == 0 && stop() {
            stopped = true;
            return ControlFlow::Break(());
        }
        scan.rows += 1;
        let mut unknown = false;
        for &c in &consent {
            let value = cells[c].trim();
            if !value.is_empty() && !scan.consent_values.iter().any(|v| v == value) {
                if scan.consent_values.len() < MAX_CONSENT_VALUES {
                    scan.consent_values.push(value.to_owned());
                } else {
                    scan.consent_values_more = true;
                }
            }
            if detect::consent(&cells[c], stated) == Consent::Unknown {
                unknown = true;
                let value = cells[c].trim();
                if scan.unknown_consent.len() < 10
                    && !scan.unknown_consent.iter().any(|v| v == value)
                {
                    scan.unknown_consent.push(value.to_owned());
                }
            }
        }
        scan.unknown_consent_rows += usize::from(unknown);
        for &p in &phones {
            if split_extension(&cells[p]).1.is_some() {
                scan.extension_columns.insert(p);
            }
        }
        ControlFlow::Continue(())
    });
    if stopped {
        return None;
    }
    scan.read_error = read.err();
    if !scan.unknown_consent.is_empty() {
        let headers: Vec<String> = consent
            .iter()
            .map(|&c| format!("{:?}", columns[c].header))
            .collect();
        let values: Vec<String> = scan
            .unknown_consent
            .iter()
            .map(|v| format!("{v:?}"))
            .collect();
        scan.unclear = Some(
            Finding::new(
                "Do not call",
                Severity::Error,
                UNCLEAR_CODE,
                format!(
                    "the consent column {} holds values Dynbridge does not recognise as \"Do Not Allow\" or \"Allow\" ({} rows): {}; no row is imported until you say which of them mean \"do not call\"",
                    headers.join(", "),
                    scan.unknown_consent_rows,
                    values.join(", ")
                ),
            )
            .with_fix(format!(
                "state the values meaning \"do not call\" (every other value then means \"may be called\"): dynbridge list import FILE --do-not-call-column {} --do-not-call-values \"{}\"",
                headers[0],
                scan.unknown_consent.first().map(String::as_str).unwrap_or("VALUE")
            )),
        );
    }
    Some(scan)
}

fn inspect_and_scan(
    source: &Source,
    options: &ImportOptions,
    stop: &dyn Fn() -> bool,
) -> Option<(Inspection, Scan)> {
    let hidden = source.hidden_sheet.as_ref();
    let mut columns = detect::columns(&source.headers, source.first_column, hidden);
    // What the reader decided (a misnamed file, the sheet read, a header not on row 1).
    let mut findings: Vec<Finding> = source
        .notes
        .iter()
        .map(|note| Finding::new("File", Severity::Info, "list.read_note", note.clone()))
        .collect();
    if let Some(name) = &options.do_not_call_column {
        match columns.iter_mut().find(|c| c.header.trim() == name.trim()) {
            Some(column) => column.role = Role::DoNotPhone,
            None => findings.push(
                Finding::new(
                    "Do not call",
                    Severity::Error,
                    "list.no_such_do_not_call_column",
                    format!("there is no column {name:?} to read \"do not call\" from"),
                )
                .with_fix("give the consent column's header exactly as the file has it"),
            ),
        }
    }
    let export_id = columns.iter().find(|c| c.role == Role::Id).map(|c| c.index);
    let id_column = match &options.id_source {
        Some(name) => source.headers.iter().position(|h| h.trim() == name.trim()),
        None => export_id.or_else(|| {
            let mut sample = Vec::new();
            let _ = source.for_each_row(|_, cells| {
                sample.push(cells.to_vec());
                if sample.len() >= SAMPLE_ROWS {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            });
            detect::guid_column(&sample, source.headers.len())
        }),
    };
    if id_column.is_none() {
        findings.push(Finding::new("ID column", Severity::Error, "list.no_id_column", "no column holds Dynamics record IDs").with_fix("choose the ID column; in a Dynamics export, unhide columns A–C: the IDs are in column A").with_guide_step("Configuring Screen Pop for Preview Campaigns, step 1"));
    }
    if export_id.is_some() && hidden.is_none() && source.format != Format::Csv {
        findings.push(Finding::new("File", Severity::Info, "list.no_hidden_sheet", "the export's hiddenSheet is missing or unreadable; columns were recognised by their headers"));
    }
    if !columns.iter().any(|c| c.role == Role::Phone) {
        findings.push(Finding::new("Phones", Severity::Error, "list.no_phone_column", "no column looks like a phone number; Bright Pattern needs at least one PHONE field").with_fix("add a phone column to the Dynamics view before exporting"));
    }
    let scan = scan(source, &columns, options, stop)?;
    findings.extend(scan.unclear.clone());
    if let Some(error) = &scan.read_error {
        findings.push(Finding::new(
            "File",
            Severity::Error,
            "list.unreadable_row",
            error.to_string(),
        ));
    }
    let object_type = detect::object_type(hidden, id_column.map(|i| source.headers[i].as_str()));
    let default_columns = default_columns(&columns, id_column, &options.id_name);
    let consent_column = columns
        .iter()
        .find(|c| c.role == Role::DoNotPhone)
        .map(|c| c.header.clone());
    let stated = options.do_not_call_values.as_deref();
    let consent_do_not_call = scan
        .consent_values
        .iter()
        .filter(|v| detect::consent(v, stated) == Consent::DoNotCall)
        .cloned()
        .collect();
    let inspection = Inspection {
        path: source.path.display().to_string(),
        format: source.format,
        sheets: source.sheets.clone(),
        sheet: source.sheet.clone(),
        header_row: source.header_row,
        header_rows: source.header_rows.clone(),
        header_row_cells: header_row_cells(source),
        dynamics_export: export_id.is_some(),
        entity: hidden.map(|h| h.entity.clone()),
        object_type,
        columns,
        id_column,
        default_columns,
        rows: scan.read_error.is_none().then_some(scan.rows),
        findings,
        consent_column,
        consent_values: scan.consent_values.clone(),
        consent_values_more: scan.consent_values_more,
        consent_do_not_call,
    };
    Some((inspection, scan))
}

/// The first cells of each header row candidate: the header read, and the rows below it
/// (rows above it are not kept once the file is open).
fn header_row_cells(source: &Source) -> Vec<Vec<String>> {
    let label = |cells: &[String]| -> Vec<String> {
        cells
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .take(HEADER_LABEL_CELLS)
            .map(str::to_owned)
            .collect()
    };
    let mut labels = vec![Vec::new(); source.header_rows.len()];
    let last = source.header_rows.iter().copied().max().unwrap_or(0);
    for (i, &row) in source.header_rows.iter().enumerate() {
        if row == source.header_row {
            labels[i] = label(&source.headers);
        }
    }
    if last > source.header_row {
        let _ = source.for_each_row(|row, cells| {
            if row > last {
                return ControlFlow::Break(());
            }
            for (i, &candidate) in source.header_rows.iter().enumerate() {
                if candidate == row {
                    labels[i] = label(cells);
                }
            }
            ControlFlow::Continue(())
        });
    }
    labels
}

fn default_columns(
    columns: &[SourceColumn],
    id_column: Option<usize>,
    id_name: &str,
) -> Vec<OutputColumn> {
    let id = id_column.map(|i| OutputColumn {
        source: columns[i].header.clone(),
        name: id_name.to_owned(),
    });
    let rest = columns
        .iter()
        .filter(|c| {
            Some(c.index) != id_column
                && c.role != Role::Id
                && !c.role.dropped_by_default()
                && !c.header.trim().is_empty()
        })
        .map(|c| OutputColumn {
            source: c.header.clone(),
            name: c.header.trim().to_owned(),
        });
    id.into_iter().chain(rest).collect()
}

/// One output column resolved to its source index and role.
struct Plan {
    index: usize,
    role: Role,
    is_id: bool,
    /// The extensions split off the phone column just before this one.
    extension: bool,
}

/// Imports the list. `progress` hears the rows read so far and may cancel.
pub fn import(
    source: &Source,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize) -> ControlFlow<()>,
) -> Result<ImportedList, ImportError> {
    let (inspection, mut scan) =
        inspect_and_scan(source, options, &|| false).expect("an inspection never stopped");
    if let Some(error) = scan.read_error.take() {
        return Err(error.into());
    }
    if let Some(missing) = inspection
        .findings
        .iter()
        .find(|f| f.code == "list.no_such_do_not_call_column")
    {
        return Err(ImportError::Options(missing.message.clone()));
    }
    if let Some(finding) = scan.unclear {
        let message = format!(
            "{}: {}; {}",
            source.path.display(),
            finding.message,
            finding.fix.as_deref().unwrap_or_default()
        );
        return Err(ImportError::DoNotCallUnclear {
            message,
            finding: Box::new(finding),
        });
    }
    let rules = PhoneRules::for_country(&options.country).ok_or_else(|| {
        ImportError::Options(format!(
            "{:?} is not a country code (use two letters, e.g. US, GB, DE)",
            options.country
        ))
    })?;
    let id_column = inspection.id_column.ok_or_else(|| {
        let choice = options
            .id_source
            .as_deref()
            .map(|s| format!("there is no column {s:?}"))
            .unwrap_or_else(|| "no column holds Dynamics record IDs; choose one".into());
        ImportError::Options(format!("{}: {choice}", source.path.display()))
    })?;
    if options.id_name.trim().is_empty() || options.id_name.contains(char::is_whitespace) {
        return Err(ImportError::Options(format!("the ID column's name {:?} must be one word, e.g. dyn_id: the Screenpop URL refers to it", options.id_name)));
    }
    let chosen = options
        .columns
        .clone()
        .unwrap_or_else(|| inspection.default_columns.clone());
    let (plan, header) = plan(
        &inspection.columns,
        &chosen,
        id_column,
        &scan.extension_columns,
    )?;
    if !plan.iter().any(|p| p.role == Role::Phone && !p.is_id) {
        return Err(ImportError::Options(format!(
            "{}: no phone column is in the list; Bright Pattern needs at least one PHONE field",
            source.path.display()
        )));
    }
    crate::table::check_headers(Path::new("the output"), &header)?;
    let do_not_phone: Vec<usize> = inspection
        .columns
        .iter()
        .filter(|c| c.role == Role::DoNotPhone)
        .map(|c| c.index)
        .collect();

    let recipe = Recipe {
        plan,
        id_column,
        do_not_phone,
        rules,
        options,
    };
    let mut run = Run::default();
    let mut read = 0usize;
    let mut cancelled = false;
    let mut out_cells: Vec<String> = vec![String::new(); recipe.plan.len()];
    source.for_each_row(|row, cells| {
        read += 1;
        run.row(&recipe, row, cells, &mut out_cells);
        if read.is_multiple_of(PROGRESS_EVERY) && progress(read).is_break() {
            cancelled = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    })?;
    if cancelled {
        return Err(ImportError::Cancelled);
    }
    let _ = progress(read);
    let summary = run.summary(source, &inspection, &recipe.plan, &header, options, read);
    Ok(ImportedList {
        header,
        lines: run.lines,
        line_ends: run.line_ends,
        line_rows: run.line_rows,
        source_headers: source.headers.clone(),
        rejects: run.rejects,
        summary,
        bom: options.excel_bom.unwrap_or(false),
    })
}

/// The output columns and their headers; a phone column whose cells carry extensions
/// is followed by `<name> extension`.
fn plan(
    columns: &[SourceColumn],
    chosen: &[OutputColumn],
    id_column: usize,
    extension_columns: &HashSet<usize>,
) -> Result<(Vec<Plan>, Vec<String>), ImportError> {
    let mut plan = Vec::new();
    let mut header = Vec::new();
    for c in chosen {
        let column = columns
            .iter()
            .find(|s| s.header.trim() == c.source.trim())
            .ok_or_else(|| {
                ImportError::Options(format!("there is no source column {:?}", c.source))
            })?;
        let is_id = column.index == id_column;
        plan.push(Plan {
            index: column.index,
            role: column.role,
            is_id,
            extension: false,
        });
        header.push(c.name.trim().to_owned());
        if column.role == Role::Phone && !is_id && extension_columns.contains(&column.index) {
            plan.push(Plan {
                index: column.index,
                role: Role::Custom,
                is_id: false,
                extension: true,
            });
            header.push(format!("{} extension", c.name.trim()));
        }
    }
    Ok((plan, header))
}

/// What each row goes through, fixed for one import.
struct Recipe<'a> {
    plan: Vec<Plan>,
    id_column: usize,
    do_not_phone: Vec<usize>,
    rules: PhoneRules,
    options: &'a ImportOptions,
}

/// The state of one import while rows stream through.
#[derive(Default)]
struct Run {
    lines: String,
    line_ends: Vec<usize>,
    line_rows: Vec<usize>,
    rejects: Vec<Reject>,
    seen_ids: HashSet<Guid>,
    seen_phones: HashSet<u128>,
    duplicate_ids: RowProblem,
    duplicate_phones: RowProblem,
    phones_cleared: usize,
    formula_cells: usize,
    invalid_ids_kept: usize,
    do_not_call_kept: usize,
    extensions: usize,
    phones_rounded: usize,
}

impl Run {
    fn reject(&mut self, row: usize, reason: RejectReason, cells: &[String]) {
        self.rejects.push(Reject {
            row,
            reason,
            values: cells.to_vec(),
        });
    }

    fn row(&mut self, recipe: &Recipe, row: usize, cells: &[String], out: &mut [String]) {
        let Recipe {
            plan,
            id_column,
            do_not_phone,
            rules,
            options,
        } = recipe;
        let (id_column, rules) = (*id_column, *rules);
        let raw_id = cells[id_column].trim();
        let id = match Guid::parse_lenient(raw_id) {
            Ok(lenient) => Some(lenient.guid),
            Err(_) if options.keep_invalid_ids => {
                self.invalid_ids_kept += 1;
                None
            }
            Err(_) => {
                let reason = if raw_id.is_empty() {
                    RejectReason::IdMissing
                } else {
                    RejectReason::IdMalformed
                };
                return self.reject(row, reason, cells);
            }
        };
        let stated = options.do_not_call_values.as_deref();
        // Unknown values stopped the import before it started; should one slip
        // through, it counts as "do not call".
        if do_not_phone
            .iter()
            .any(|&c| detect::consent(&cells[c], stated) != Consent::Allowed)
        {
            if !options.include_do_not_call {
                return self.reject(row, RejectReason::DoNotCall, cells);
            }
            self.do_not_call_kept += 1;
        }
        let mut first_phone: Option<usize> = None;
        let mut cleared = 0;
        let mut rounded = 0;
        let mut extensions = 0;
        let mut extension: Option<&str> = None;
        for (i, p) in plan.iter().enumerate() {
            out[i].clear();
            if p.extension {
                if let Some(digits) = extension.take() {
                    out[i].push_str(digits);
                    extensions += 1;
                }
            } else if p.is_id {
                match id {
                    Some(id) => {
                        out[i].push_str(std::str::from_utf8(&id.to_ascii()).expect("ASCII"))
                    }
                    None => out[i].push_str(raw_id),
                }
            } else if p.role == Role::Phone {
                let (number, digits) = split_extension(&cells[p.index]);
                extension = None;
                match rules.normalise_into(number, &mut out[i]) {
                    Ok(()) => {
                        first_phone.get_or_insert(i);
                        extension = digits;
                    }
                    Err(PhoneProblem::Invalid) => cleared += 1,
                    Err(PhoneProblem::RoundedByExcel) => {
                        cleared += 1;
                        rounded += 1;
                    }
                    Err(PhoneProblem::Empty) => {}
                }
            } else {
                out[i].push_str(cells[p.index].trim());
            }
        }
        self.phones_rounded += rounded;
        let Some(first_phone) = first_phone else {
            let reason = if rounded > 0 {
                RejectReason::PhoneRoundedByExcel
            } else {
                RejectReason::NoValidPhone
            };
            return self.reject(row, reason, cells);
        };
        let duplicate_id = id.is_some_and(|id| !self.seen_ids.insert(id));
        let duplicate_phone = !self.seen_phones.insert(phone_key(&out[first_phone]));
        if options.dedupe && duplicate_id {
            return self.reject(row, RejectReason::DuplicateId, cells);
        }
        if options.dedupe && duplicate_phone {
            return self.reject(row, RejectReason::DuplicatePhone, cells);
        }
        if duplicate_id {
            self.duplicate_ids.add(row);
        }
        if duplicate_phone {
            self.duplicate_phones.add(row);
        }
        self.phones_cleared += cleared;
        self.extensions += extensions;
        for (i, cell) in out.iter().enumerate() {
            if i > 0 {
                self.lines.push(',');
            }
            if excel_cells::is_formula_like(cell) {
                self.formula_cells += 1;
                if options.excel_safe {
                    push_csv_field(&mut self.lines, &excel_cells::neutralise(cell));
                    continue;
                }
            }
            push_csv_field(&mut self.lines, cell);
        }
        self.lines.push_str("\r\n");
        self.line_ends.push(self.lines.len());
        self.line_rows.push(row);
    }

    fn summary(
        &self,
        source: &Source,
        inspection: &Inspection,
        plan: &[Plan],
        header: &[String],
        options: &ImportOptions,
        read: usize,
    ) -> ImportSummary {
        let mut by_reason: Vec<ReasonCount> = Vec::new();
        for reject in &self.rejects {
            match by_reason.iter_mut().find(|r| r.reason == reject.reason) {
                Some(count) => count.count += 1,
                None => by_reason.push(ReasonCount {
                    reason: reject.reason,
                    count: 1,
                }),
            }
        }
        let field_types = plan
            .iter()
            .zip(header)
            .map(|(p, name)| FieldType {
                column: name.clone(),
                field_type: if p.is_id {
                    "custom".into()
                } else {
                    p.role.bright_pattern_type().into()
                },
            })
            .collect();
        let screenpop = inspection
            .object_type
            .and_then(|object| {
                screenpop::object_types::by_bright_pattern_name(object.bright_pattern)
            })
            .map(|object| {
                screenpop::build(
                    &IdSource::Column {
                        column: options.id_name.clone(),
                    },
                    object,
                )
            });
        let mut findings = inspection
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Error)
            .cloned()
            .collect::<Vec<_>>();
        let warn = |code: &str, message: String, fix: &str| {
            Finding::new("List", Severity::Warning, code, message).with_fix(fix)
        };
        if self.do_not_call_kept > 0 {
            findings.push(warn("list.do_not_call_included", format!("{} KEPT, as asked", counted(self.do_not_call_kept, "row marked \"Do not allow Phone Calls\" was", "rows marked \"Do not allow Phone Calls\" were")), "make sure these contacts consented; otherwise import again without --include-do-not-call"));
        }
        if self.extensions > 0 {
            let columns: Vec<&str> = header
                .iter()
                .zip(plan)
                .filter(|(_, p)| p.extension)
                .map(|(name, _)| name.as_str())
                .collect();
            findings.push(Finding::new(
                "Phones",
                Severity::Info,
                "list.extensions_split",
                format!(
                    "{} phone numbers had an extension (x123, ext. 45, #12…); the number was kept and the extension moved to {}",
                    self.extensions,
                    columns.join(", ")
                ),
            ).with_fix("Bright Pattern dials the number only; agents see the extension in its column"));
        }
        if self.phones_rounded > 0 {
            findings.push(warn(
                "list.phones_rounded_by_excel",
                format!(
                    "{} phone numbers were rounded by Excel into scientific notation (like 1.42556E+10) and could not be used; their last digits are lost",
                    self.phones_rounded
                ),
                "in Excel, format the phone columns as Text before saving or exporting; or export to CSV straight from Dynamics, then import again",
            ));
        }
        if self.invalid_ids_kept > 0 {
            findings.push(warn(
                "list.invalid_ids_kept",
                format!(
                    "{} rows with an empty or malformed ID were kept; they will not pop a record",
                    self.invalid_ids_kept
                ),
                "fix the IDs in Dynamics and export again",
            ));
        }
        if self.phones_cleared > 0 {
            findings.push(warn(
                "list.phones_cleared",
                format!(
                    "{} cleared in rows that have another valid one",
                    counted(
                        self.phones_cleared,
                        "invalid phone number was",
                        "invalid phone numbers were"
                    )
                ),
                "check those numbers in Dynamics",
            ));
        }
        if self.duplicate_ids.count > 0 {
            findings.push(warn(
                "list.duplicate_ids",
                format!(
                    "{} an earlier row's ID ({})",
                    counted(self.duplicate_ids.count, "row repeats", "rows repeat"),
                    self.duplicate_ids.rows_text()
                ),
                "use --dedupe (Remove duplicates) to keep only the first",
            ));
        }
        if self.duplicate_phones.count > 0 {
            findings.push(warn(
                "list.duplicate_phones",
                format!(
                    "{} an earlier row's phone ({})",
                    counted(self.duplicate_phones.count, "row repeats", "rows repeat"),
                    self.duplicate_phones.rows_text()
                ),
                "use --dedupe (Remove duplicates) to keep only the first",
            ));
        }
        if self.formula_cells > 0 {
            findings.push(if options.excel_safe {
                Finding::new(
                    "List",
                    Severity::Info,
                    "list.formulas_neutralised",
                    if self.formula_cells == 1 {
                        "1 cell would run as a formula in Excel; a leading ' was added so it opens as text".into()
                    } else {
                        format!(
                            "{} cells would run as formulas in Excel; a leading ' was added to each so they open as text",
                            self.formula_cells
                        )
                    },
                )
            } else {
                warn(
                    "list.formula_cells",
                    format!(
                        "{} cells start like formulas and were kept as they are; Excel runs them when it opens the list",
                        self.formula_cells
                    ),
                    "keep Excel-safe cells on if anyone will open the list in Excel",
                )
            });
        }
        if screenpop.is_none() {
            findings.push(Finding::new(
                "List",
                Severity::Info,
                "list.object_type_unknown",
                "the object type is not known from the file; pick it on the Screen pop page",
            ));
        }
        ImportSummary {
            source: source.path.display().to_string(),
            sheet: source.sheet.clone(),
            rows_read: read,
            imported: self.line_ends.len(),
            rejected: self.rejects.len(),
            rejected_by_reason: by_reason,
            phones_cleared: self.phones_cleared,
            duplicate_ids: self.duplicate_ids.clone(),
            duplicate_phones: self.duplicate_phones.clone(),
            formula_cells: self.formula_cells,
            object_type: inspection.object_type,
            screenpop,
            field_types,
            findings,
        }
    }
}

/// A normalised phone (digits only, at most 17 with the 011 prefix) as a number, with a
/// leading 1 marking its length so that "011…" and "11…" differ.
fn phone_key(digits: &str) -> u128 {
    digits.bytes().fold(1u128, |key, d| {
        key.wrapping_mul(10).wrapping_add(u128::from(d - b'0'))
    })
}

/// Appends one field with RFC 4180 quoting (only when needed).
fn push_csv_field(out: &mut String, field: &str) {
    if field
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
    {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// A CSV line whose cells are safe to open in Excel (headers and rejected rows are for
/// people, so their cells are always neutralised).
fn csv_line(fields: &[String]) -> String {
    let mut line = String::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        push_csv_field(&mut line, &excel_cells::neutralise(field));
    }
    line.push_str("\r\n");
    line
}

impl ImportedList {
    pub fn rows(&self) -> usize {
        self.line_ends.len()
    }

    fn line(&self, index: usize) -> &str {
        let start = if index == 0 {
            0
        } else {
            self.line_ends[index - 1]
        };
        &self.lines[start..self.line_ends[index]]
    }

    fn parse_line(line: &str) -> Vec<String> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        reader
            .records()
            .next()
            .and_then(Result::ok)
            .map(|r| r.iter().map(str::to_owned).collect())
            .unwrap_or_default()
    }

    /// Up to `count` (at most [`MAX_PAGE`]) output rows from 1-based row `first`, each
    /// with the source's spreadsheet row number.
    pub fn page(&self, first: usize, count: usize) -> RowsPage {
        let start = first.max(1) - 1;
        let end = (start + count.min(MAX_PAGE)).min(self.rows()).max(start);
        RowsPage {
            first: start + 1,
            sheet_rows: self.line_rows.get(start..end).unwrap_or_default().to_vec(),
            rows: (start..end)
                .map(|i| Self::parse_line(self.line(i)))
                .collect(),
        }
    }

    /// The list as a table (for testing its screen pop), named after `source`; its rows
    /// keep the source's spreadsheet row numbers.
    pub fn to_table(&self, source: &Path) -> Table {
        Table::with_sheet_rows(
            source,
            self.header.clone(),
            (0..self.rows())
                .map(|i| Self::parse_line(self.line(i)))
                .collect(),
            self.line_rows.clone(),
        )
    }

    /// The calling list: UTF-8, comma, header row, RFC 4180; written atomically, never
    /// over the input. (Use [`ImportedList::save`] for the list with its rejects.)
    pub fn write(&self, path: &Path) -> Result<(), ImportError> {
        let mut outputs = OutputSet::new();
        self.add_list(&mut outputs, path)?;
        outputs.commit().map_err(write_error)
    }

    /// The rejected rows: source row number, reason code, then the original values.
    pub fn write_rejects(&self, path: &Path) -> Result<(), ImportError> {
        let mut outputs = OutputSet::new();
        self.add_rejects(&mut outputs, path)?;
        outputs.commit().map_err(write_error)
    }

    /// Saves the import's outputs all or nothing: the list at `list` when any row was
    /// imported, the rejects beside it ([`rejects_path`]) when any row was rejected.
    /// An output this import does not produce is removed if an earlier run left one,
    /// so the folder matches the summary; if anything fails, nothing changes and the
    /// error names the file. Returns the files that exist afterwards.
    pub fn save(&self, list: &Path) -> Result<SavedFiles, ImportError> {
        let rejects = rejects_path(list);
        self.refuse_input(list)?;
        self.refuse_input(&rejects)?;
        let mut outputs = OutputSet::new();
        let saved = SavedFiles {
            list: (self.rows() > 0).then(|| list.to_path_buf()),
            rejects: (!self.rejects.is_empty()).then(|| rejects.clone()),
        };
        if saved.list.is_some() {
            self.add_list(&mut outputs, list)?;
        } else {
            outputs.remove(list);
        }
        if saved.rejects.is_some() {
            self.add_rejects(&mut outputs, &rejects)?;
        } else {
            outputs.remove(&rejects);
        }
        outputs.commit().map_err(write_error)?;
        Ok(saved)
    }

    fn add_list(&self, outputs: &mut OutputSet, path: &Path) -> Result<(), ImportError> {
        self.refuse_input(path)?;
        let header = csv_line(&self.header);
        outputs
            .write(
                path,
                &[
                    self.bom().as_bytes(),
                    header.as_bytes(),
                    self.lines.as_bytes(),
                ],
            )
            .map_err(write_error)
    }

    fn add_rejects(&self, outputs: &mut OutputSet, path: &Path) -> Result<(), ImportError> {
        self.refuse_input(path)?;
        let mut header = vec!["row".to_owned(), "reason".to_owned()];
        header.extend(self.source_headers.iter().cloned());
        let mut text = csv_line(&header);
        for reject in &self.rejects {
            let mut fields = vec![reject.row.to_string(), reject.reason.code().to_owned()];
            fields.extend(reject.values.iter().cloned());
            text.push_str(&csv_line(&fields));
        }
        outputs
            .write(path, &[self.bom().as_bytes(), text.as_bytes()])
            .map_err(write_error)
    }

    fn bom(&self) -> &'static str {
        if self.bom {
            BOM
        } else {
            ""
        }
    }

    /// Inputs are never overwritten or removed.
    fn refuse_input(&self, path: &Path) -> Result<(), ImportError> {
        if same_file(path, Path::new(&self.summary.source)) {
            return Err(ImportError::Write {
                path: path.display().to_string(),
                reason:
                    "that is the input file; choose another name (inputs are never overwritten)"
                        .into(),
            });
        }
        Ok(())
    }
}

/// The files an [`ImportedList::save`] left on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedFiles {
    /// The calling list, when any row was imported.
    pub list: Option<PathBuf>,
    /// The rejects, when any row was rejected.
    pub rejects: Option<PathBuf>,
}

/// The rejects file beside a calling list: `<stem>.rejects.csv`.
pub fn rejects_path(list: &Path) -> PathBuf {
    let stem = list
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "list".into());
    list.with_file_name(format!("{stem}.rejects.csv"))
}

fn write_error(e: crate::fs::OutputError) -> ImportError {
    ImportError::Write {
        path: e.path.display().to_string(),
        reason: e.error.to_string(),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// "1 row repeats" or "2 rows repeat": `n` with the words its number takes.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
