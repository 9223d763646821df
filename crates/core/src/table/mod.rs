//! Tables read from list files: a header row and data rows of text cells.
//!
//! Rows are numbered as a spreadsheet shows them, so error messages match what the
//! administrator sees in Excel: a [`Table`] keeps each data row's spreadsheet row
//! number (blank lines, multi-line cells and a title above the header all count, as
//! they do in Excel; a `sep=` line does not, as Excel hides it).

mod csv_text;
pub mod grid;
pub mod kind;
pub mod ods;
mod package;
pub mod xls_extent;
pub mod xlsx;
pub mod xml_guard;

use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

pub use csv_text::{
    binary_line, decode, load_text, read_csv, sniff_delimiter, text_from_bytes, Encoding,
    RowCounter, TextFile,
};
pub use kind::FileKind;

/// A table of text cells with a header row, each data row with its spreadsheet row
/// number ([`Table::sheet_row`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub source: PathBuf,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The spreadsheet row number of each row of `rows` (as many, increasing).
    sheet_rows: Vec<usize>,
}

/// What a page shows about a loaded table, without its rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TableSummary {
    pub path: String,
    pub headers: Vec<String>,
    pub rows: usize,
}

/// One page of rows, so a large table never crosses IPC whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RowsPage {
    /// The 1-based data row number of the first row in `rows`.
    pub first: usize,
    /// The spreadsheet row number (as Excel shows it in the file read) of each row.
    pub sheet_rows: Vec<usize>,
    pub rows: Vec<Vec<String>>,
}

/// The largest page [`Table::page`] returns.
pub const MAX_PAGE: usize = 500;

/// Rows with one kind of problem: how many, and the first few (spreadsheet row numbers).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct RowProblem {
    pub count: usize,
    pub first_rows: Vec<usize>,
}

/// How many offending rows a [`RowProblem`] lists by number.
pub const FIRST_ROWS: usize = 10;

impl RowProblem {
    pub fn add(&mut self, sheet_row: usize) {
        self.count += 1;
        if self.first_rows.len() < FIRST_ROWS {
            self.first_rows.push(sheet_row);
        }
    }

    /// "row 3" or "rows 3, 5, …" for messages.
    pub fn rows_text(&self) -> String {
        let rows: Vec<String> = self.first_rows.iter().map(usize::to_string).collect();
        let more = if self.count > self.first_rows.len() {
            ", …"
        } else {
            ""
        };
        let noun = if self.count == 1 { "row" } else { "rows" };
        format!("{noun} {}{more}", rows.join(", "))
    }
}

/// Why a file could not be read as a table. Every variant names the file.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TableError {
    #[error("{path}: cannot read the file: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{path}: the file is empty")]
    Empty { path: String },
    #[error("{path}: this is not a text (CSV) file{hint}")]
    NotText { path: String, hint: String },
    #[error("{path}: this file is {what}, not a spreadsheet Dynbridge reads (.xlsx, .xls, .ods, .csv or .txt)")]
    NotSpreadsheet { path: String, what: String },
    #[error("{path}, row {row}: {reason}")]
    Malformed {
        path: String,
        row: usize,
        reason: String,
    },
    #[error("{path}, row {row}: the header row has no column names")]
    NoHeader { path: String, row: usize },
    #[error("{path}, row {row}: columns {first} and {second} are both named {name:?}; column names must be unique")]
    DuplicateHeader {
        path: String,
        row: usize,
        name: String,
        first: String,
        second: String,
    },
    #[error("{path}: the workbook is password-protected (encrypted); open it in Excel, remove the password, save, and try again")]
    PasswordProtected { path: String },
    #[error("{path}: the workbook is damaged and cannot be read: {reason}")]
    Corrupt { path: String, reason: String },
    #[error("{path}: the workbook would unpack to more than {limit_mb} MB; refused to protect this computer (split the export)")]
    TooLarge { path: String, limit_mb: u64 },
    #[error("{path}: more than {limit} rows; refused (Dynamics exports at most 100,000 rows a file: split the list)")]
    TooManyRows { path: String, limit: usize },
    #[error("{path}: there is no sheet {sheet:?}; the data sheets are {available}")]
    NoSuchSheet {
        path: String,
        sheet: String,
        available: String,
    },
    #[error("{path}, sheet {sheet:?}: the sheet is empty")]
    EmptySheet { path: String, sheet: String },
    /// One cell beyond what Excel allows or this computer should hold.
    #[error("{path}, sheet {sheet:?}, cell {cell}: {reason}; refused to protect this computer")]
    CellTooLarge {
        path: String,
        sheet: String,
        cell: String,
        reason: String,
    },
}

/// One non-empty cell of a sheet as a workbook reader streams it: 0-based row and
/// column, the text Excel shows (dates as `2024-01-05 00:00:00`, whole numbers without
/// a decimal point), and whether it was a plain number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell<'a> {
    pub row: u32,
    pub column: u32,
    pub text: &'a str,
    pub numeric: bool,
}

/// The most characters Excel holds in a cell; a longer cell did not come from Excel.
pub const MAX_CELL_CHARS: usize = 32_767;

/// The Excel name of a cell from 0-based absolute coordinates: (2, 1) → B3.
pub fn cell_name(row: usize, column: usize) -> String {
    format!("{}{}", column_letter(column), row + 1)
}

/// The spreadsheet letter of a 0-based column index: 0 → A, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// Checks a header row: not empty, names unique (ignoring surrounding spaces).
pub fn check_headers(path: &Path, headers: &[String]) -> Result<(), TableError> {
    check_headers_at(path, headers, 1, 0)
}

/// [`check_headers`] for a header on spreadsheet row `row` (1-based) whose first
/// column is `first_column` (0-based), so errors name the row and letters Excel shows.
pub fn check_headers_at(
    path: &Path,
    headers: &[String],
    row: usize,
    first_column: usize,
) -> Result<(), TableError> {
    let shown = || path.display().to_string();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(TableError::NoHeader { path: shown(), row });
    }
    for (i, name) in headers.iter().enumerate() {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        if let Some(j) = headers[..i].iter().position(|other| other.trim() == name) {
            return Err(TableError::DuplicateHeader {
                path: shown(),
                row,
                name: name.to_owned(),
                first: column_letter(first_column + j),
                second: column_letter(first_column + i),
            });
        }
    }
    Ok(())
}

impl Table {
    /// A table whose header has been checked (not empty, names unique), on row 1 with
    /// the data rows right below it (rows 2, 3, …).
    pub fn new(
        source: &Path,
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
    ) -> Result<Self, TableError> {
        check_headers(source, &headers)?;
        let sheet_rows = (2..rows.len() + 2).collect();
        Ok(Self::with_sheet_rows(source, headers, rows, sheet_rows))
    }

    /// A table whose rows carry their own spreadsheet row numbers (one per row; when
    /// the counts differ, rows without a number are numbered on from the last one).
    pub fn with_sheet_rows(
        source: &Path,
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
        mut sheet_rows: Vec<usize>,
    ) -> Self {
        sheet_rows.truncate(rows.len());
        let mut next = sheet_rows.last().map_or(2, |last| last + 1);
        while sheet_rows.len() < rows.len() {
            sheet_rows.push(next);
            next += 1;
        }
        Self {
            source: source.to_path_buf(),
            headers,
            rows,
            sheet_rows,
        }
    }

    /// The index of the column with exactly this name (surrounding spaces ignored).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h.trim() == name)
    }

    /// The index of a column whose name matches ignoring case.
    pub fn column_ignoring_case(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    }

    /// A cell; a short row reads as empty cells.
    pub fn cell(&self, row: usize, column: usize) -> &str {
        self.rows
            .get(row)
            .and_then(|r| r.get(column))
            .map_or("", String::as_str)
    }

    pub fn summary(&self) -> TableSummary {
        TableSummary {
            path: self.source.display().to_string(),
            headers: self.headers.clone(),
            rows: self.rows.len(),
        }
    }

    /// Up to `count` (at most [`MAX_PAGE`]) rows from 1-based data row `first`.
    pub fn page(&self, first: usize, count: usize) -> RowsPage {
        let start = (first.max(1) - 1).min(self.rows.len());
        let end = (start + count.min(MAX_PAGE)).min(self.rows.len());
        RowsPage {
            first: start + 1,
            sheet_rows: self.sheet_rows[start..end].to_vec(),
            rows: self
                .rows
                .iter()
                .skip(start)
                .take(count.min(MAX_PAGE))
                .cloned()
                .collect(),
        }
    }

    /// The spreadsheet row number (as Excel shows it) of 0-based data row `index`.
    pub fn sheet_row(&self, index: usize) -> usize {
        self.sheet_rows.get(index).copied().unwrap_or_else(|| {
            self.sheet_rows.last().map_or(2, |last| last + 1) + index - self.sheet_rows.len()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_spreadsheets() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn duplicate_and_missing_headers_are_errors_naming_columns() {
        let path = Path::new("list.csv");
        let duplicate = Table::new(
            path,
            vec!["id".into(), "phone".into(), " id ".into()],
            vec![],
        )
        .unwrap_err();
        assert_eq!(
            duplicate.to_string(),
            "list.csv, row 1: columns A and C are both named \"id\"; column names must be unique"
        );
        assert!(matches!(
            Table::new(path, vec![" ".into()], vec![]),
            Err(TableError::NoHeader { .. })
        ));
    }

    #[test]
    fn row_problems_list_the_first_rows() {
        let mut problem = RowProblem::default();
        for row in 2..20 {
            problem.add(row);
        }
        assert_eq!(problem.count, 18);
        assert_eq!(
            problem.rows_text(),
            "rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …"
        );
        let mut one = RowProblem::default();
        one.add(9);
        assert_eq!(one.rows_text(), "row 9");
    }
}
