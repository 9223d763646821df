//! Opening a list file: Excel (.xlsx, .xls), OpenDocument (.ods) or text (.csv, .txt),
//! choosing the sheet, and visiting its rows as text cells.
//!
//! Guards against files that would exhaust the machine: a workbook that unpacks to more
//! than [`ReadLimits::max_uncompressed_bytes`] or a sheet of more than
//! [`ReadLimits::max_rows`] rows is refused before it is read.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, SheetType, SheetVisible, Sheets};

use super::hidden_sheet::HiddenSheet;
use crate::table::grid::{Grid, GridBuilder, GridError, HEADER_SEARCH_ROWS};
use crate::table::xml_guard::{self, PartKind, Problem};
use crate::table::{self, FileKind, TableError};

/// The sheet where Dynamics keeps its export metadata.
pub const HIDDEN_SHEET: &str = "hiddenSheet";

/// Limits that keep a hostile or mistaken file from exhausting memory.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    pub max_uncompressed_bytes: u64,
    pub max_rows: usize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        Self {
            max_uncompressed_bytes: 2_000_000_000,
            max_rows: 2_000_000,
        }
    }
}

/// The kinds of file a list can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    Xls,
    Ods,
    Csv,
}

enum Body {
    Cells { grid: Grid, header: usize },
    Text { text: String, delimiter: u8 },
}

/// An opened list: its header row, with the data rows ready to visit.
///
/// Rows and columns are numbered as the spreadsheet shows them, wherever the table
/// sits on its sheet: header column `i` is spreadsheet column
/// [`Source::column_letter`]`(i)` (that is, `first_column + i`), the header is on row
/// [`Source::header_row`], and [`Source::for_each_row`] hands out Excel row numbers.
pub struct Source {
    pub path: PathBuf,
    pub format: Format,
    /// The data sheets a user may choose (visible worksheets, not `hiddenSheet`).
    pub sheets: Vec<String>,
    /// The sheet read; `None` for text files.
    pub sheet: Option<String>,
    pub hidden_sheet: Option<HiddenSheet>,
    pub headers: Vec<String>,
    /// The spreadsheet row (1-based, as Excel shows it) of the header row.
    pub header_row: usize,
    /// The 0-based spreadsheet column of `headers[0]` (0 = column A).
    pub first_column: usize,
    /// Rows (as Excel numbers them) that look like a header, the one read first; a
    /// caller may offer them and reopen with [`Source::open_at`]. One for text files.
    pub header_rows: Vec<usize>,
    /// What the reader decided that the user should know, as sentences: a misnamed file
    /// and what it was read as, the sheet read and the others, a header not on row 1.
    pub notes: Vec<String>,
    body: Body,
    known_rows: Option<usize>,
    limits: ReadLimits,
}

/// The most non-empty cells a sheet may hold (a 100,000-row export of 50 columns holds
/// 5 million).
pub const MAX_SHEET_CELLS: usize = 20_000_000;

fn shown(path: &Path) -> String {
    path.display().to_string()
}

fn sheet_path(path: &Path, sheet: &str) -> PathBuf {
    PathBuf::from(format!("{}, sheet {sheet:?}", shown(path)))
}

/// The table found on one sheet.
struct Layout {
    header: usize,
    header_rows: Vec<usize>,
    headers: Vec<String>,
    first_column: usize,
    data_rows: usize,
}

impl Source {
    /// Opens `path`, reading `sheet` (default: the sheet that holds the list).
    pub fn open(path: &Path, sheet: Option<&str>, limits: ReadLimits) -> Result<Self, TableError> {
        Self::open_at(path, sheet, None, limits)
    }

    /// Opens `path` with the header on spreadsheet row `header_row` (default: the first
    /// row that looks like a header; one of [`Source::header_rows`]).
    pub fn open_at(
        path: &Path,
        sheet: Option<&str>,
        header_row: Option<usize>,
        limits: ReadLimits,
    ) -> Result<Self, TableError> {
        let kind = table::kind::detect(path).map_err(|e| TableError::Unreadable {
            path: shown(path),
            reason: e.to_string(),
        })?;
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let mut notes = Vec::new();
        if kind.misnamed(&extension) {
            let named = if extension.is_empty() {
                "named without an extension".to_owned()
            } else {
                format!("named .{extension}")
            };
            notes.push(format!(
                "this file is {} {named}; it was read as {}",
                kind.describe(),
                kind.read_as()
            ));
        }
        let mut source = match kind {
            FileKind::Empty => return Err(TableError::Empty { path: shown(path) }),
            FileKind::Xlsx => {
                check_unpacked_size(path, limits)?;
                guard_xlsx(path, limits)?;
                Self::open_workbook(path, Format::Xlsx, sheet, header_row, limits)?
            }
            FileKind::Ods => {
                check_unpacked_size(path, limits)?;
                Self::open_workbook(path, Format::Ods, sheet, header_row, limits)?
            }
            FileKind::Xls => Self::open_workbook(path, Format::Xls, sheet, header_row, limits)?,
            FileKind::Encrypted => return Err(TableError::PasswordProtected { path: shown(path) }),
            FileKind::BrokenZip(reason) => {
                return Err(TableError::Corrupt {
                    path: shown(path),
                    reason,
                })
            }
            FileKind::Text => Self::open_text(path, limits)?,
            other => {
                return Err(TableError::NotSpreadsheet {
                    path: shown(path),
                    what: other.describe().to_owned(),
                })
            }
        };
        notes.append(&mut source.notes);
        source.notes = notes;
        Ok(source)
    }

    fn open_workbook(
        path: &Path,
        format: Format,
        sheet: Option<&str>,
        header_row: Option<usize>,
        limits: ReadLimits,
    ) -> Result<Self, TableError> {
        let corrupt = |reason: String| TableError::Corrupt {
            path: shown(path),
            reason,
        };
        let file = BufReader::new(File::open(path).map_err(|e| corrupt(e.to_string()))?);
        let mut workbook: Sheets<_> = match format {
            Format::Xlsx => {
                Sheets::Xlsx(calamine::Xlsx::new(file).map_err(|e| corrupt(e.to_string()))?)
            }
            Format::Xls => Sheets::Xls(calamine::Xls::new(file).map_err(|e| match e {
                calamine::XlsError::Password => TableError::PasswordProtected { path: shown(path) },
                e => corrupt(e.to_string()),
            })?),
            Format::Ods => {
                Sheets::Ods(calamine::Ods::new(file).map_err(|e| corrupt(e.to_string()))?)
            }
            Format::Csv => unreachable!("text files are not workbooks"),
        };
        let sheets: Vec<String> = workbook
            .sheets_metadata()
            .iter()
            .filter(|s| {
                s.typ == SheetType::WorkSheet
                    && s.visible == SheetVisible::Visible
                    && s.name != HIDDEN_SHEET
            })
            .map(|s| s.name.clone())
            .collect();
        let hidden_sheet = hidden_sheet(&mut workbook);
        let mut notes = Vec::new();
        let (chosen, grid, layout) = match sheet {
            Some(name) if sheets.iter().any(|s| s == name) => {
                let grid = read_grid(&mut workbook, path, name, limits)?;
                let layout = layout(path, name, &grid, header_row, limits)?;
                (name.to_owned(), grid, layout)
            }
            Some(name) => {
                return Err(TableError::NoSuchSheet {
                    path: shown(path),
                    sheet: name.to_owned(),
                    available: sheets.join(", "),
                })
            }
            None => {
                let mut first: Option<(String, Grid)> = None;
                let mut found = None;
                for name in &sheets {
                    let grid = read_grid(&mut workbook, path, name, limits)?;
                    if grid.is_empty() {
                        continue;
                    }
                    let candidate = layout(path, name, &grid, header_row, limits);
                    if let Ok(candidate) = &candidate {
                        if looks_like_a_list(&grid, candidate) {
                            found = Some((name.clone(), grid, candidate_owned(candidate)));
                            break;
                        }
                    }
                    if first.is_none() {
                        first = Some((name.clone(), grid));
                    }
                }
                let why = if found.is_some() {
                    "its columns hold record IDs or phone numbers"
                } else {
                    "the first sheet with data"
                };
                let (name, grid, layout) = match found {
                    Some(found) => found,
                    None => {
                        let Some((name, grid)) = first else {
                            return Err(TableError::EmptySheet {
                                path: shown(path),
                                sheet: sheets
                                    .first()
                                    .cloned()
                                    .unwrap_or_else(|| "(no visible sheet)".into()),
                            });
                        };
                        let layout = layout(path, &name, &grid, header_row, limits)?;
                        (name, grid, layout)
                    }
                };
                if sheets.len() > 1 {
                    let others: Vec<String> = sheets
                        .iter()
                        .filter(|s| **s != name)
                        .map(|s| format!("{s:?}"))
                        .collect();
                    notes.push(format!(
                        "read sheet {name:?} ({why}); the other sheets: {}",
                        others.join(", ")
                    ));
                }
                (name, grid, layout)
            }
        };
        if layout.header_rows.first() != Some(&1) || layout.first_column != 0 {
            let header_row = grid.row(layout.header).row as usize + 1;
            if header_row != 1 || layout.first_column != 0 {
                notes.push(format!(
                    "the header is on row {header_row}, from column {}",
                    table::column_letter(layout.first_column)
                ));
            }
        }
        let header_row = grid.row(layout.header).row as usize + 1;
        Ok(Self {
            path: path.to_path_buf(),
            format,
            sheets,
            sheet: Some(chosen),
            hidden_sheet,
            headers: layout.headers,
            header_row,
            first_column: layout.first_column,
            header_rows: layout.header_rows,
            notes,
            known_rows: Some(layout.data_rows),
            body: Body::Cells {
                grid,
                header: layout.header,
            },
            limits,
        })
    }

    fn open_text(path: &Path, limits: ReadLimits) -> Result<Self, TableError> {
        let file = table::load_text(path)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(file.delimiter)
            .from_reader(file.text.as_bytes());
        let mut headers: Vec<String> = match reader.records().next() {
            Some(Ok(record)) => record.iter().map(str::to_owned).collect(),
            Some(Err(e)) => {
                return Err(TableError::Malformed {
                    path: shown(path),
                    row: 1,
                    reason: e.to_string(),
                })
            }
            None => return Err(TableError::Empty { path: shown(path) }),
        };
        trim_trailing_empty(&mut headers);
        table::check_headers(path, &headers)?;
        let mut notes = Vec::new();
        if file.sep_line {
            notes.push(format!(
                "the file's first line sets the separator ({:?}); it was skipped, as Excel does",
                file.delimiter as char
            ));
        }
        Ok(Self {
            path: path.to_path_buf(),
            format: Format::Csv,
            sheets: Vec::new(),
            sheet: None,
            hidden_sheet: None,
            headers,
            header_row: 1,
            first_column: 0,
            header_rows: vec![1],
            notes,
            known_rows: None,
            body: Body::Text {
                text: file.text,
                delimiter: file.delimiter,
            },
            limits,
        })
    }

    /// The number of data rows, when known without reading them (workbooks).
    pub fn known_rows(&self) -> Option<usize> {
        self.known_rows
    }

    /// The spreadsheet letter of header column `index` (0-based into `headers`).
    pub fn column_letter(&self, index: usize) -> String {
        table::column_letter(self.first_column + index)
    }

    /// Visits every data row with its spreadsheet row number (as Excel shows it) and
    /// its cells (as many as the header has; missing cells are empty). Rows whose cells
    /// are all empty are skipped. `visit` may stop early with `ControlFlow::Break`.
    pub fn for_each_row(
        &self,
        mut visit: impl FnMut(usize, &[String]) -> ControlFlow<()>,
    ) -> Result<(), TableError> {
        let width = self.headers.len();
        let mut cells = vec![String::new(); width];
        match &self.body {
            Body::Cells { grid, header } => {
                let first = self.first_column as u32;
                for row in grid.rows_from(header + 1) {
                    for cell in cells.iter_mut() {
                        cell.clear();
                    }
                    for cell in row.cells() {
                        let Some(i) = cell.column.checked_sub(first) else {
                            continue;
                        };
                        if let Some(slot) = cells.get_mut(i as usize) {
                            slot.push_str(cell.text);
                        }
                    }
                    if cells.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    if visit(row.row as usize + 1, &cells).is_break() {
                        break;
                    }
                }
            }
            Body::Text { text, delimiter } => {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .delimiter(*delimiter)
                    .from_reader(text.as_bytes());
                let mut record = csv::StringRecord::new();
                let mut counter = table::RowCounter::new(*delimiter);
                let mut records = 0usize;
                loop {
                    let start = reader.position().byte() as usize;
                    match reader.read_record(&mut record) {
                        Ok(false) => break,
                        Ok(true) => {}
                        Err(e) => {
                            return Err(TableError::Malformed {
                                path: shown(&self.path),
                                row: counter.advance(text.as_bytes(), start),
                                reason: e.to_string(),
                            })
                        }
                    }
                    // The csv crate skips blank lines before a record; Excel counts them.
                    let mut at = record.position().map_or(start, |p| p.byte() as usize);
                    while matches!(text.as_bytes().get(at), Some(b'\r' | b'\n')) {
                        at += 1;
                    }
                    let row = counter.advance(text.as_bytes(), at);
                    records += 1;
                    if records == 1 {
                        continue;
                    }
                    if records > self.limits.max_rows + 1 {
                        return Err(TableError::TooManyRows {
                            path: shown(&self.path),
                            limit: self.limits.max_rows,
                        });
                    }
                    for (i, cell) in cells.iter_mut().enumerate() {
                        cell.clear();
                        cell.push_str(record.get(i).unwrap_or_default());
                    }
                    if cells.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    if visit(row, &cells).is_break() {
                        break;
                    }
                }
            }
        }
        Ok(())
    }
}

fn candidate_owned(layout: &Layout) -> Layout {
    Layout {
        header: layout.header,
        header_rows: layout.header_rows.clone(),
        headers: layout.headers.clone(),
        first_column: layout.first_column,
        data_rows: layout.data_rows,
    }
}

/// Finds the header row (or takes `header_row`), its columns and the data rows below.
fn layout(
    path: &Path,
    sheet: &str,
    grid: &Grid,
    header_row: Option<usize>,
    limits: ReadLimits,
) -> Result<Layout, TableError> {
    if grid.is_empty() {
        return Err(TableError::EmptySheet {
            path: shown(path),
            sheet: sheet.to_owned(),
        });
    }
    let candidates = grid.header_candidates();
    let header = match header_row {
        Some(wanted) => (0..grid.len())
            .find(|&i| grid.row(i).row as usize + 1 == wanted)
            .ok_or_else(|| TableError::NoHeader {
                path: shown(&sheet_path(path, sheet)),
                row: wanted,
            })?,
        None => candidates[0],
    };
    let first_column = grid.first_column(header);
    let row = grid.row(header);
    let last = row.last().map_or(first_column, |c| c.column);
    let mut headers = vec![String::new(); (last.saturating_sub(first_column) + 1) as usize];
    for cell in row.cells() {
        if let Some(slot) = headers.get_mut((cell.column - first_column) as usize) {
            *slot = cell.text.to_owned();
        }
    }
    trim_trailing_empty(&mut headers);
    let header_number = row.row as usize + 1;
    table::check_headers_at(
        &sheet_path(path, sheet),
        &headers,
        header_number,
        first_column as usize,
    )?;
    let end = first_column + headers.len() as u32;
    let data_rows = grid
        .rows_from(header + 1)
        .filter(|r| {
            r.cells()
                .any(|c| c.column >= first_column && c.column < end)
        })
        .count();
    if data_rows > limits.max_rows {
        return Err(TableError::TooManyRows {
            path: shown(&sheet_path(path, sheet)),
            limit: limits.max_rows,
        });
    }
    Ok(Layout {
        header,
        header_rows: candidates
            .iter()
            .map(|i| grid.row(*i).row as usize + 1)
            .collect(),
        headers,
        first_column: first_column as usize,
        data_rows,
    })
}

/// Whether a sheet's table has columns of record IDs or phones (by header, or GUIDs in
/// its first rows).
fn looks_like_a_list(grid: &Grid, layout: &Layout) -> bool {
    const NAMES: &[&str] = &["phone", "mobile", "telephone", "(do not modify)", "guid"];
    let named = layout.headers.iter().any(|h| {
        let h = h.to_lowercase();
        NAMES.iter().any(|n| h.contains(n)) || h.trim().ends_with("id")
    });
    named
        || grid
            .rows_from(layout.header + 1)
            .take(HEADER_SEARCH_ROWS)
            .flat_map(|r| r.cells())
            .any(|c| crate::guid::Guid::parse_lenient(c.text.trim()).is_ok())
}

/// Adds one cell to a sheet's grid, within the bounds of a cell and of a sheet;
/// `buffer` is reused for the cell's text.
fn push_cell(
    grid: &mut GridBuilder,
    (row, column): (u32, u32),
    data: &Data,
    buffer: &mut String,
    (path, sheet): (&Path, &str),
) -> Result<(), TableError> {
    let too_large = |reason: String| TableError::CellTooLarge {
        path: shown(path),
        sheet: sheet.to_owned(),
        cell: table::cell_name(row as usize, column as usize),
        reason,
    };
    if matches!(data, Data::Empty) {
        return Ok(());
    }
    let text = cell_text(data, std::mem::take(buffer));
    if text.len() > table::MAX_CELL_CHARS && text.chars().count() > table::MAX_CELL_CHARS {
        return Err(too_large(format!(
            "the cell holds more than {} characters (Excel's limit)",
            table::MAX_CELL_CHARS
        )));
    }
    if grid.len() >= MAX_SHEET_CELLS && !text.trim().is_empty() {
        return Err(too_large(format!(
            "the sheet holds more than {MAX_SHEET_CELLS} non-empty cells"
        )));
    }
    let numeric = matches!(data, Data::Int(_) | Data::Float(_));
    let pushed = grid.push(row, column, &text, numeric);
    *buffer = text;
    pushed.map_err(|e| match e {
        GridError::ColumnBeyondExcel => TableError::Corrupt {
            path: shown(path),
            reason: format!("sheet {sheet:?} has a cell beyond column XFD, the last Excel allows"),
        },
        GridError::CellTooLong => too_large(format!(
            "the cell holds more than {} characters (Excel's limit)",
            table::MAX_CELL_CHARS
        )),
        GridError::TooMuchText => too_large(format!(
            "the sheet's cells hold more than {} MB of text together",
            MAX_SHEET_TEXT_BYTES / 1_000_000
        )),
    })
}

/// The most bytes of text a sheet's cells may hold together (shared strings repeated
/// in many cells count each time), so a small file cannot fill memory.
pub const MAX_SHEET_TEXT_BYTES: usize = 1_000_000_000;

/// Reads a sheet's non-empty cells. Xlsx sheets stream (the dense range is never
/// built); xls and ods sheets come from calamine's range.
fn read_grid<RS: Read + Seek>(
    workbook: &mut Sheets<RS>,
    path: &Path,
    sheet: &str,
    limits: ReadLimits,
) -> Result<Grid, TableError> {
    let corrupt = |reason: String| TableError::Corrupt {
        path: shown(path),
        reason,
    };
    let mut cells = GridBuilder::new(
        MAX_SHEET_TEXT_BYTES
            .min(usize::try_from(limits.max_uncompressed_bytes).unwrap_or(usize::MAX)),
    );
    let mut buffer = String::new();
    let max_rows = limits.max_rows + HEADER_SEARCH_ROWS + 1;
    let too_many = || TableError::TooManyRows {
        path: shown(&sheet_path(path, sheet)),
        limit: limits.max_rows,
    };
    match workbook {
        Sheets::Xlsx(xlsx) => {
            let mut reader = xlsx
                .worksheet_cells_reader(sheet)
                .map_err(|e| corrupt(e.to_string()))?;
            let (mut rows, mut last_row) = (0usize, None);
            while let Some(cell) = reader.next_cell().map_err(|e| corrupt(e.to_string()))? {
                let position = cell.get_position();
                let data: Data = cell.get_value().clone().into();
                let before = cells.len();
                push_cell(&mut cells, position, &data, &mut buffer, (path, sheet))?;
                if cells.len() > before && last_row != Some(position.0) {
                    last_row = Some(position.0);
                    rows += 1;
                    if rows > max_rows {
                        return Err(too_many());
                    }
                }
            }
        }
        _ => {
            let range = workbook
                .worksheet_range(sheet)
                .map_err(|e| corrupt(e.to_string()))?;
            let Some((top, left)) = range.start() else {
                return Ok(Grid::default());
            };
            if range.height() > max_rows {
                return Err(too_many());
            }
            for (r, c, data) in range.used_cells() {
                let position = (top + r as u32, left + c as u32);
                push_cell(&mut cells, position, data, &mut buffer, (path, sheet))?;
            }
        }
    }
    Ok(cells.finish())
}

fn cleared(mut text: String) -> String {
    text.clear();
    text
}

/// A cell as the text a user sees; reuses `buffer`'s allocation.
fn cell_text(data: &Data, buffer: String) -> String {
    use std::fmt::Write;
    let mut text = cleared(buffer);
    let _ = match data {
        Data::Empty => Ok(()),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            text.push_str(s);
            Ok(())
        }
        // Whole numbers (phones typed as numbers) without a decimal point.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => write!(text, "{}", *f as i64),
        Data::Float(f) => write!(text, "{f}"),
        Data::Int(i) => write!(text, "{i}"),
        Data::Bool(b) => write!(text, "{}", if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) => write!(text, "{dt}"),
            None => write!(text, "{}", d.as_f64()),
        },
        Data::Error(e) => write!(text, "{e}"),
    };
    text
}

fn trim_trailing_empty(headers: &mut Vec<String>) {
    while headers.last().is_some_and(|h| h.trim().is_empty()) {
        headers.pop();
    }
}

fn hidden_sheet<RS: Read + Seek>(workbook: &mut Sheets<RS>) -> Option<HiddenSheet> {
    if !workbook.sheet_names().iter().any(|n| n == HIDDEN_SHEET) {
        return None;
    }
    let a1 = match workbook {
        // Streamed: the sheet is never built as a dense range.
        Sheets::Xlsx(xlsx) => {
            let mut reader = xlsx.worksheet_cells_reader(HIDDEN_SHEET).ok()?;
            loop {
                let cell = reader.next_cell().ok()??;
                if cell.get_position() == (0, 0) {
                    break Data::from(cell.get_value().clone());
                }
                if cell.get_position().0 > 0 {
                    return None;
                }
            }
        }
        _ => workbook
            .worksheet_range(HIDDEN_SHEET)
            .ok()?
            .get_value((0, 0))?
            .clone(),
    };
    match a1 {
        Data::String(a1) => HiddenSheet::parse(&a1),
        _ => None,
    }
}

/// Refuses a zip (xlsx, ods) whose entries claim to unpack past the limit.
fn check_unpacked_size(path: &Path, limits: ReadLimits) -> Result<(), TableError> {
    let corrupt = |reason: String| TableError::Corrupt {
        path: shown(path),
        reason,
    };
    let file = File::open(path).map_err(|e| corrupt(e.to_string()))?;
    let mut archive =
        zip::ZipArchive::new(BufReader::new(file)).map_err(|e| corrupt(e.to_string()))?;
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        total = total.saturating_add(
            archive
                .by_index_raw(index)
                .map_err(|e| corrupt(e.to_string()))?
                .size(),
        );
        if total > limits.max_uncompressed_bytes {
            return Err(TableError::TooLarge {
                path: shown(path),
                limit_mb: limits.max_uncompressed_bytes / 1_000_000,
            });
        }
    }
    Ok(())
}

/// Checks every XML part of an xlsx before calamine reads it (calamine holds shared
/// strings and each event's text whole): no cell beyond Excel's limit, no part beyond
/// the unpacked limit, whatever the zip's directory claims.
fn guard_xlsx(path: &Path, limits: ReadLimits) -> Result<(), TableError> {
    let corrupt = |reason: String| TableError::Corrupt {
        path: shown(path),
        reason,
    };
    let file = File::open(path).map_err(|e| corrupt(e.to_string()))?;
    let mut archive =
        zip::ZipArchive::new(BufReader::new(file)).map_err(|e| corrupt(e.to_string()))?;
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.map(|n| n.into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|e| corrupt(e.to_string()))?;
    let mut budget = limits.max_uncompressed_bytes;
    for name in &names {
        let lower = name.to_ascii_lowercase();
        if !(lower.ends_with(".xml") || lower.ends_with(".rels")) {
            continue;
        }
        let kind = if lower.starts_with("xl/worksheets/") {
            PartKind::Worksheet
        } else if lower == "xl/sharedstrings.xml" {
            PartKind::SharedStrings
        } else {
            PartKind::Other
        };
        let entry = archive.by_name(name).map_err(|e| corrupt(e.to_string()))?;
        let mut counted = CountingReader {
            inner: entry,
            read: 0,
        };
        let outcome = xml_guard::check_part(&mut counted, kind, budget);
        budget = budget.saturating_sub(counted.read);
        drop(counted);
        let problem = match outcome {
            Ok(()) => continue,
            Err(problem) => problem,
        };
        return Err(match problem {
            Problem::Cell { cell } => TableError::CellTooLarge {
                path: shown(path),
                sheet: sheet_parts(&mut archive)
                    .into_iter()
                    .find(|(_, part)| part == name)
                    .map_or_else(|| name.clone(), |(sheet, _)| sheet),
                cell: cell.unwrap_or_else(|| "(unnamed)".into()),
                reason: format!(
                    "the cell holds more than {} characters (Excel's limit)",
                    table::MAX_CELL_CHARS
                ),
            },
            Problem::SharedString { index } => {
                let mut found = None;
                for (sheet, part) in sheet_parts(&mut archive) {
                    let Ok(entry) = archive.by_name(&part) else {
                        continue;
                    };
                    if let Some(cell) = xml_guard::cell_showing_shared_string(
                        entry,
                        index,
                        limits.max_uncompressed_bytes,
                    ) {
                        found = Some((sheet, cell));
                        break;
                    }
                }
                let (sheet, cell) = found.unwrap_or_else(|| {
                    (
                        "(shared strings)".into(),
                        format!("shared string {}", index + 1),
                    )
                });
                TableError::CellTooLarge {
                    path: shown(path),
                    sheet,
                    cell,
                    reason: format!(
                        "the cell holds more than {} characters (Excel's limit)",
                        table::MAX_CELL_CHARS
                    ),
                }
            }
            Problem::Markup { reason } => corrupt(format!(
                "{name} holds {reason}, which spreadsheet programs do not write"
            )),
            Problem::TooLarge => TableError::TooLarge {
                path: shown(path),
                limit_mb: limits.max_uncompressed_bytes / 1_000_000,
            },
            Problem::Io(reason) => corrupt(format!("{name}: {reason}")),
        });
    }
    Ok(())
}

struct CountingReader<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// (sheet name, worksheet part) pairs from `xl/workbook.xml` and its relationships.
fn sheet_parts<R: Read + Seek>(archive: &mut zip::ZipArchive<R>) -> Vec<(String, String)> {
    let mut read = |name: &str| {
        let mut text = String::new();
        if let Ok(entry) = archive.by_name(name) {
            let _ = entry.take(16_000_000).read_to_string(&mut text);
        }
        text
    };
    let workbook = read("xl/workbook.xml");
    let rels = read("xl/_rels/workbook.xml.rels");
    let tags = |text: &str, tag: &str| -> Vec<String> {
        text.split('<')
            .filter(|t| {
                let name = t.split([' ', '/', '>']).next().unwrap_or_default();
                name.rsplit(':').next() == Some(tag)
            })
            .map(|t| t.split('>').next().unwrap_or_default().to_owned())
            .collect()
    };
    let targets: Vec<(String, String)> = tags(&rels, "Relationship")
        .iter()
        .filter_map(|t| {
            let id = xml_guard::attribute(t.as_bytes(), "Id")?;
            let target = xml_guard::attribute(t.as_bytes(), "Target")?;
            let part = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_owned(),
                None => format!("xl/{target}"),
            };
            Some((id, part))
        })
        .collect();
    tags(&workbook, "sheet")
        .iter()
        .filter_map(|t| {
            let name = xml_guard::attribute(t.as_bytes(), "name")?;
            let id = xml_guard::attribute(t.as_bytes(), "r:id")?;
            let part = targets.iter().find(|(i, _)| *i == id)?.1.clone();
            Some((name, part))
        })
        .collect()
}
