//! What `list import` wrote, read back to send it to Bright Pattern: the calling list's
//! rows with their row numbers in that file and the Excel-safety apostrophes taken off
//! again, and, from the rejects file beside it, the phones of the rows left out as
//! "do not call".

use std::path::{Path, PathBuf};

use super::detect::{self, Role};
use super::import::{rejects_path, RejectReason};
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
    let phones: Vec<usize> = detect::columns(&table.headers[first_value..], first_value, None)
        .into_iter()
        .filter(|c| c.role == Role::Phone)
        .map(|c| c.index + first_value)
        .collect();
    let mut found = Vec::new();
    for (index, values) in table.rows.iter().enumerate() {
        let cell = |c: usize| values.get(c).map_or("", |v| restore(v.trim()));
        if cell(reason_column) != RejectReason::DoNotCall.code() {
            continue;
        }
        let row = cell(row_column).parse().unwrap_or(table.sheet_row(index));
        for &c in &phones {
            if !cell(c).is_empty() {
                found.push(DoNotCallPhone {
                    row,
                    phone: cell(c).to_owned(),
                });
            }
        }
    }
    Ok(found)
}
