//! What `list import` wrote, read back to send it to Bright Pattern: the calling list's
//! rows with their row numbers in that file and the Excel-safety apostrophes taken off
//! again, and, from the rejects file beside it, the phones of the rows left out as
//! "do not call".

use std::path::{Path, PathBuf};

use super::detect::{self, Role};
use super::import::{rejects_path, ImportedList, RejectReason};
use crate::excel_cells::restore;
use crate::table::{self, TableError};

/// A calling list as saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedList {
    pub path: PathBuf,
    pub header: Vec<String>,
    pub rows: Vec<SavedRow>,
}

/// One row of a saved list: its row number in the file (as Excel shows it) and its
/// values, one per header column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedRow {
    pub row: usize,
    pub values: Vec<String>,
}

/// A phone of a row the import left out as "do not call", with that row's number in
/// the spreadsheet it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoNotCallPhone {
    pub row: usize,
    pub phone: String,
}

impl SavedList {
    /// An import's list as it would be saved, its rows numbered as in the spreadsheet
    /// they came from (the app sends what it imported without a file in between).
    pub fn from_import(list: &ImportedList, source: &Path) -> Self {
        let page = list.page(1, list.rows());
        let rows = page
            .rows
            .into_iter()
            .zip(page.sheet_rows)
            .map(|(values, row)| SavedRow {
                row,
                values: values.iter().map(|v| restore(v).to_owned()).collect(),
            })
            .collect();
        Self {
            path: source.to_path_buf(),
            header: list.header.clone(),
            rows,
        }
    }
}

/// Reads a calling list that `list import` wrote.
pub fn read_saved(path: &Path) -> Result<SavedList, TableError> {
    let table = table::read_csv(path)?;
    let width = table.headers.len();
    let rows = table
        .rows
        .iter()
        .enumerate()
        .map(|(index, values)| SavedRow {
            row: table.sheet_row(index),
            values: (0..width)
                .map(|c| restore(values.get(c).map_or("", String::as_str)).to_owned())
                .collect(),
        })
        .collect();
    Ok(SavedList {
        path: path.to_path_buf(),
        header: table.headers.clone(),
        rows,
    })
}

/// The phones of the do-not-call rows in the rejects file beside `list` (none when
/// there is no rejects file): every phone column's value, as the source had it.
pub fn do_not_call_phones(list: &Path) -> Result<Vec<DoNotCallPhone>, TableError> {
    let rejects = rejects_path(list);
    if !rejects.exists() {
        return Ok(Vec::new());
    }
    let table = table::read_csv(&rejects)?;
    let (Some(row_column), Some(reason_column)) = (table.column("row"), table.column("reason"))
    else {
        return Err(TableError::Malformed {
            path: rejects.display().to_string(),
            row: 1,
            reason:
                "this is not a rejects file of `dynbridge list import` (no row and reason columns)"
                    .into(),
        });
    };
    let first_value = reason_column.max(row_column) + 1;
    let rows = table.rows.iter().enumerate().map(|(index, values)| {
        let cell = |c: usize| values.get(c).map_or("", |v| restore(v.trim()));
        let do_not_call = cell(reason_column) == RejectReason::DoNotCall.code();
        let row = cell(row_column).parse().unwrap_or(table.sheet_row(index));
        (
            do_not_call,
            row,
            values.get(first_value..).unwrap_or_default(),
        )
    });
    Ok(phones_of(&table.headers[first_value..], rows))
}

/// The phones of an import's do-not-call rejects.
pub fn import_do_not_call_phones(list: &ImportedList) -> Vec<DoNotCallPhone> {
    let rows = list.rejects.iter().map(|r| {
        (
            r.reason == RejectReason::DoNotCall,
            r.row,
            r.values.as_slice(),
        )
    });
    phones_of(&list.source_headers, rows)
}

/// Every phone-column value of the rows marked do-not-call, of rows given as
/// (do-not-call, row number, the source's values) under `headers`.
fn phones_of<'a>(
    headers: &[String],
    rows: impl Iterator<Item = (bool, usize, &'a [String])>,
) -> Vec<DoNotCallPhone> {
    let phones: Vec<usize> = detect::columns(headers, 0, None)
        .into_iter()
        .filter(|c| c.role == Role::Phone)
        .map(|c| c.index)
        .collect();
    let mut found = Vec::new();
    for (_, row, values) in rows.filter(|(do_not_call, _, _)| *do_not_call) {
        for &c in &phones {
            let phone = values.get(c).map_or("", |v| restore(v.trim()));
            if !phone.is_empty() {
                found.push(DoNotCallPhone {
                    row,
                    phone: phone.to_owned(),
                });
            }
        }
    }
    found
}
