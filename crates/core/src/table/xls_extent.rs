//! How far an .xls workbook's cells reach, found before calamine reads it: calamine
//! builds every sheet of an .xls as a dense range at once (65,536 × 256 cells, about
//! 0.5 GB, for one stray value in IV65536), and reserves room for what a sheet's
//! Dimensions record claims, so a workbook whose sheets would span more than
//! [`MAX_DENSE_CELLS`], by their cells or by their Dimensions, is refused, naming the
//! farthest cell. Walks the BIFF8 records of the Workbook stream as calamine does
//! ([MS-XLS] §2.4): the globals up to their EOF for the sheets (BoundSheet8), then each
//! sheet from its own position to its EOF, embedded substreams (charts) skipped, so a
//! damaged record cannot make the two walks see different records. A stream that
//! cannot be walked is refused as damaged.

use std::io::Read;
use std::path::Path;

use super::{cell_name, TableError};

/// The most cells the sheets of an .xls may span together (about 256 MB as calamine
/// holds them); a full .xls sheet of 65,536 rows × 100 columns fits.
pub const MAX_DENSE_CELLS: u64 = 8_000_000;

/// BIFF8 record types ([MS-XLS] §2.3).
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUND_SHEET: u16 = 0x0085;
const FILE_PASS: u16 = 0x002F;
const DIMENSIONS: u16 = 0x0200;
/// Records that hold one cell's value and begin with its row and column.
const ONE_CELL: [u16; 7] = [0x0203, 0x00FD, 0x027E, 0x0205, 0x0006, 0x0204, 0x00D6];
/// MulRk: row, first column, values, last column.
const MUL_RK: u16 = 0x00BD;

/// One sheet's span: its name and the rows and columns its value cells reach.
#[derive(Debug, Default)]
struct Span {
    name: String,
    rows: Option<(u32, u32)>,
    columns: Option<(u32, u32)>,
}

impl Span {
    fn add(&mut self, row: u32, first_column: u32, last_column: u32) {
        let (top, bottom) = self.rows.unwrap_or((row, row));
        self.rows = Some((top.min(row), bottom.max(row)));
        let (left, right) = self.columns.unwrap_or((first_column, last_column));
        self.columns = Some((left.min(first_column), right.max(last_column)));
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.columns) {
            (Some((top, bottom)), Some((left, right))) => {
                (u64::from(bottom - top) + 1).saturating_mul(u64::from(right - left) + 1)
            }
            _ => 0,
        }
    }
}

/// Refuses `path` when its sheets' cells (or their Dimensions) span more than
/// [`MAX_DENSE_CELLS`], or when its compound file or records cannot be read. An
/// encrypted workbook passes: calamine then says it is password-protected.
pub fn check(path: &Path) -> Result<(), TableError> {
    let spans = match spans(path) {
        Ok(spans) => spans,
        Err(Walk::NotApplicable) => return Ok(()),
        Err(Walk::Damaged(reason)) => {
            return Err(TableError::Corrupt {
                path: path.display().to_string(),
                reason,
            })
        }
    };
    let total: u64 = spans.iter().map(Span::cells).fold(0, u64::saturating_add);
    if total <= MAX_DENSE_CELLS {
        return Ok(());
    }
    let widest = spans
        .iter()
        .max_by_key(|s| s.cells())
        .expect("a sheet spans cells");
    let (Some((top, bottom)), Some((left, right))) = (widest.rows, widest.columns) else {
        return Ok(());
    };
    let (top, bottom, left, right) = (top as usize, bottom as usize, left as usize, right as usize);
    Err(TableError::CellTooLarge {
        path: path.display().to_string(),
        sheet: widest.name.clone(),
        cell: cell_name(bottom, right),
        reason: format!(
            "the sheet's cells span {}:{} ({} cells), more than Dynbridge reads from an .xls ({MAX_DENSE_CELLS}); delete the cells far from the table, or save the workbook as .xlsx",
            cell_name(top, left),
            cell_name(bottom, right),
            widest.cells()
        ),
    })
}

/// Why the records were not walked.
enum Walk {
    /// Encrypted: calamine says so.
    NotApplicable,
    Damaged(String),
}

/// The records from the start of `stream`: (type, data), until the data runs out.
fn records(stream: &[u8]) -> impl Iterator<Item = Result<(u16, &[u8]), Walk>> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let header = rest.get(..4);
        let Some(&[t0, t1, l0, l1]) = header else {
            rest = &[];
            return Some(Err(Walk::Damaged("a record is cut short".into())));
        };
        let length = u16::from_le_bytes([l0, l1]) as usize;
        let Some(data) = rest.get(4..4 + length) else {
            rest = &[];
            return Some(Err(Walk::Damaged("a record is cut short".into())));
        };
        rest = &rest[4 + length..];
        Some(Ok((u16::from_le_bytes([t0, t1]), data)))
    })
}

fn spans(path: &Path) -> Result<Vec<Span>, Walk> {
    // A compound file the strict reader refuses may still be half read by calamine's
    // lenient one, so it is refused here as damaged (Excel's files always pass).
    let damaged =
        |e: std::io::Error| Walk::Damaged(format!("its compound-file structure is broken ({e})"));
    let mut file = cfb::open(path).map_err(damaged)?;
    let name = if file.is_stream("/Workbook") {
        "/Workbook"
    } else {
        "/Book"
    };
    let mut stream = Vec::new();
    file.open_stream(name)
        .and_then(|mut s| s.read_to_end(&mut stream))
        .map_err(damaged)?;
    let u16_at = |data: &[u8], i: usize| {
        data.get(i..i + 2)
            .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |data: &[u8], i: usize| {
        data.get(i..i + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };

    let mut sheets: Vec<(usize, String)> = Vec::new();
    for record in records(&stream) {
        let (kind, data) = record?;
        match kind {
            FILE_PASS => return Err(Walk::NotApplicable),
            BOUND_SHEET if data.len() >= 8 => {
                let position = u32_at(data, 0).unwrap_or_default() as usize;
                let count = data[6] as usize;
                let name = if data[7] & 1 == 0 {
                    data.get(8..8 + count)
                        .map(|b| b.iter().map(|&c| c as char).collect())
                } else {
                    data.get(8..8 + 2 * count).map(|b| {
                        let units: Vec<u16> = b
                            .chunks_exact(2)
                            .map(|c| u16::from_le_bytes([c[0], c[1]]))
                            .collect();
                        String::from_utf16_lossy(&units)
                    })
                };
                sheets.push((position, name.unwrap_or_default()));
            }
            EOF => break,
            _ => {}
        }
    }

    let mut spans = Vec::new();
    for (position, name) in sheets {
        let sheet = stream.get(position..).ok_or_else(|| {
            Walk::Damaged(format!(
                "sheet {name:?} starts past the end of the workbook"
            ))
        })?;
        let mut span = Span {
            name,
            ..Span::default()
        };
        let (mut seen_bof, mut depth) = (false, 0usize);
        for record in records(sheet) {
            let (kind, data) = record?;
            if depth > 0 {
                match kind {
                    BOF => depth += 1,
                    EOF => depth -= 1,
                    _ => {}
                }
                continue;
            }
            match kind {
                BOF if seen_bof => depth += 1,
                BOF => seen_bof = true,
                EOF => break,
                DIMENSIONS => {
                    let (first_row, last_row, first_column, last_column) = match data.len() {
                        10 => (
                            u16_at(data, 0),
                            u16_at(data, 2),
                            u16_at(data, 4),
                            u16_at(data, 6),
                        ),
                        _ => (
                            u32_at(data, 0),
                            u32_at(data, 4),
                            u16_at(data, 8),
                            u16_at(data, 10),
                        ),
                    };
                    if let (Some(top), Some(end_row), Some(left), Some(end_column)) =
                        (first_row, last_row, first_column, last_column)
                    {
                        if end_row >= 1 && end_column >= 1 {
                            span.add(
                                top.min(end_row - 1),
                                left.min(end_column - 1),
                                left.min(end_column - 1),
                            );
                            span.add(end_row - 1, end_column - 1, end_column - 1);
                        }
                    }
                }
                kind if ONE_CELL.contains(&kind) => {
                    if let (Some(row), Some(column)) = (u16_at(data, 0), u16_at(data, 2)) {
                        span.add(row, column, column);
                    }
                }
                MUL_RK => {
                    let last = data.len().checked_sub(2).and_then(|i| u16_at(data, i));
                    if let (Some(row), Some(first), Some(last)) =
                        (u16_at(data, 0), u16_at(data, 2), last)
                    {
                        span.add(row, first, last.max(first));
                    }
                }
                _ => {}
            }
        }
        spans.push(span);
    }
    Ok(spans)
}
