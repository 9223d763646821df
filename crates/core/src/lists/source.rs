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

use calamine::{Data, Range, Reader, SheetType, SheetVisible, Sheets};

use super::hidden_sheet::HiddenSheet;
use crate::table::{self, TableError};

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
    Cells(Range<Data>),
    Text { text: String, delimiter: u8 },
}

/// An opened list: its header row, with the data rows ready to visit.
pub struct Source {
    pub path: PathBuf,
    pub format: Format,
    /// The data sheets a user may choose (visible worksheets, not `hiddenSheet`).
    pub sheets: Vec<String>,
    /// The sheet read; `None` for text files.
    pub sheet: Option<String>,
    pub hidden_sheet: Option<HiddenSheet>,
    pub headers: Vec<String>,
    body: Body,
    limits: ReadLimits,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn shown(path: &Path) -> String {
    path.display().to_string()
}

impl Source {
    /// Opens `path`, reading `sheet` (default: the first visible data sheet).
    pub fn open(path: &Path, sheet: Option<&str>, limits: ReadLimits) -> Result<Self, TableError> {
        let unreadable = |e: std::io::Error| TableError::Unreadable {
            path: shown(path),
            reason: e.to_string(),
        };
        let mut file = File::open(path).map_err(unreadable)?;
        let mut magic = [0u8; 8];
        let read = file.read(&mut magic).map_err(unreadable)?;
        let magic = &magic[..read];
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let spreadsheet_extension = matches!(extension.as_str(), "xlsx" | "xlsm" | "xls" | "ods");
        if magic.starts_with(ZIP_MAGIC) {
            check_unpacked_size(path, limits)?;
            let format = if extension == "ods" {
                Format::Ods
            } else {
                Format::Xlsx
            };
            return Self::open_workbook(path, format, sheet, limits);
        }
        if magic.starts_with(CFB_MAGIC) {
            if extension == "xls" {
                return Self::open_workbook(path, Format::Xls, sheet, limits);
            }
            // An OOXML workbook saved with a password is an encrypted compound file.
            return Err(TableError::PasswordProtected { path: shown(path) });
        }
        if spreadsheet_extension {
            return Err(TableError::NotSpreadsheet { path: shown(path) });
        }
        Self::open_text(path, limits)
    }

    fn open_workbook(
        path: &Path,
        format: Format,
        sheet: Option<&str>,
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
            Format::Xls => {
                Sheets::Xls(calamine::Xls::new(file).map_err(|e| corrupt(e.to_string()))?)
            }
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
        let chosen = match sheet {
            Some(name) if sheets.iter().any(|s| s == name) => name.to_owned(),
            Some(name) => {
                return Err(TableError::NoSuchSheet {
                    path: shown(path),
                    sheet: name.to_owned(),
                    available: sheets.join(", "),
                })
            }
            None => sheets
                .first()
                .cloned()
                .ok_or_else(|| TableError::EmptySheet {
                    path: shown(path),
                    sheet: "(no visible sheet)".into(),
                })?,
        };
        let hidden_sheet = hidden_sheet(&mut workbook);
        let range = workbook
            .worksheet_range(&chosen)
            .map_err(|e| corrupt(e.to_string()))?;
        if range.height() > limits.max_rows + 1 {
            return Err(TableError::TooManyRows {
                path: format!("{}, sheet {chosen:?}", shown(path)),
                limit: limits.max_rows,
            });
        }
        let Some(first) = range.rows().next() else {
            return Err(TableError::EmptySheet {
                path: shown(path),
                sheet: chosen,
            });
        };
        let mut headers: Vec<String> = first
            .iter()
            .map(|cell| cell_text(cell, String::new()))
            .collect();
        trim_trailing_empty(&mut headers);
        table::check_headers(path, &headers)?;
        Ok(Self {
            path: path.to_path_buf(),
            format,
            sheets,
            sheet: Some(chosen),
            hidden_sheet,
            headers,
            body: Body::Cells(range),
            limits,
        })
    }

    fn open_text(path: &Path, limits: ReadLimits) -> Result<Self, TableError> {
        let bytes = std::fs::read(path).map_err(|e| TableError::Unreadable {
            path: shown(path),
            reason: e.to_string(),
        })?;
        if bytes.is_empty() {
            return Err(TableError::Empty { path: shown(path) });
        }
        let (text, encoding) = table::decode(bytes);
        if encoding == table::Encoding::Utf8 && text.contains('\0') {
            return Err(TableError::NotText {
                path: shown(path),
                hint: String::new(),
            });
        }
        let delimiter = table::sniff_delimiter(&text);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
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
        Ok(Self {
            path: path.to_path_buf(),
            format: Format::Csv,
            sheets: Vec::new(),
            sheet: None,
            hidden_sheet: None,
            headers,
            body: Body::Text { text, delimiter },
            limits,
        })
    }

    /// The number of data rows, when known without reading them (workbooks).
    pub fn known_rows(&self) -> Option<usize> {
        match &self.body {
            Body::Cells(range) => Some(range.height().saturating_sub(1)),
            Body::Text { .. } => None,
        }
    }

    /// Visits every data row with its spreadsheet row number (the header is row 1) and
    /// its cells (as many as the header has; missing cells are empty). Rows whose cells
    /// are all empty are skipped. `visit` may stop early with `ControlFlow::Break`.
    pub fn for_each_row(
        &self,
        mut visit: impl FnMut(usize, &[String]) -> ControlFlow<()>,
    ) -> Result<(), TableError> {
        let width = self.headers.len();
        let mut cells = vec![String::new(); width];
        match &self.body {
            Body::Cells(range) => {
                for (index, row) in range.rows().enumerate().skip(1) {
                    for (i, cell) in cells.iter_mut().enumerate() {
                        let text = std::mem::take(cell);
                        *cell = match row.get(i) {
                            Some(data) => cell_text(data, text),
                            None => cleared(text),
                        };
                    }
                    if cells.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    if visit(index + 1, &cells).is_break() {
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
                let mut row = 0usize;
                loop {
                    match reader.read_record(&mut record) {
                        Ok(false) => break,
                        Ok(true) => {}
                        Err(e) => {
                            return Err(TableError::Malformed {
                                path: shown(&self.path),
                                row: row + 1,
                                reason: e.to_string(),
                            })
                        }
                    }
                    row += 1;
                    if row == 1 {
                        continue;
                    }
                    if row > self.limits.max_rows + 1 {
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
    let range = workbook.worksheet_range(HIDDEN_SHEET).ok()?;
    match range.get_value((0, 0)) {
        Some(Data::String(a1)) => HiddenSheet::parse(a1),
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
