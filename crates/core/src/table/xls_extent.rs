//! How far an .xls workbook's cells reach, found before calamine reads it: calamine
//! builds every sheet of an .xls as a dense range at once (65,536 × 256 cells, about
//! 0.5 GB, for one stray value in IV65536), so a workbook whose sheets would span more
//! than [`MAX_DENSE_CELLS`] is refused, naming the farthest cell. Walks the BIFF8
//! records of the Workbook stream ([MS-XLS] §2.4: BoundSheet8, BOF and the cell
//! records), holding one record at a time.

use std::io::Read;
use std::path::Path;

use super::{cell_name, TableError};

/// The most cells the sheets of an .xls may span together (about 256 MB as calamine
/// holds them); a full .xls sheet of 65,536 rows × 100 columns fits.
pub const MAX_DENSE_CELLS: u64 = 8_000_000;

/// BIFF8 record types ([MS-XLS] §2.3).
const BOF: u16 = 0x0809;
const BOUND_SHEET: u16 = 0x0085;
const FILE_PASS: u16 = 0x002F;
/// Records that hold one cell's value and begin with its row and column.
const ONE_CELL: [u16; 7] = [0x0203, 0x00FD, 0x027E, 0x0205, 0x0006, 0x0204, 0x00D6];
/// MulRk: row, first column, values, last column.
const MUL_RK: u16 = 0x00BD;

/// One sheet's span: its name and the rows and columns its value cells reach.
#[derive(Debug, Default)]
struct Span {
    name: String,
    rows: Option<(u16, u16)>,
    columns: Option<(u16, u16)>,
}

impl Span {
    fn add(&mut self, row: u16, first_column: u16, last_column: u16) {
        let (top, bottom) = self.rows.unwrap_or((row, row));
        self.rows = Some((top.min(row), bottom.max(row)));
        let (left, right) = self.columns.unwrap_or((first_column, last_column));
        self.columns = Some((left.min(first_column), right.max(last_column)));
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.columns) {
            (Some((top, bottom)), Some((left, right))) => {
                (u64::from(bottom - top) + 1) * (u64::from(right - left) + 1)
            }
            _ => 0,
        }
    }
}

/// Refuses `path` when its sheets' value cells span more than [`MAX_DENSE_CELLS`]. A
/// file that is not a readable BIFF8 workbook (or is encrypted) passes: calamine then
/// says what is wrong with it.
pub fn check(path: &Path) -> Result<(), TableError> {
    let Ok(spans) = spans(path) else {
        return Ok(());
    };
    let total: u64 = spans.iter().map(Span::cells).sum();
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
    Err(TableError::CellTooLarge {
        path: path.display().to_string(),
        sheet: widest.name.clone(),
        cell: cell_name(bottom.into(), right.into()),
        reason: format!(
            "the sheet's cells span {}:{} ({} cells), more than Dynbridge reads from an .xls ({MAX_DENSE_CELLS}); delete the cells far from the table, or save the workbook as .xlsx",
            cell_name(top.into(), left.into()),
            cell_name(bottom.into(), right.into()),
            widest.cells()
        ),
    })
}

fn spans(path: &Path) -> std::io::Result<Vec<Span>> {
    let mut file = cfb::open(path)?;
    let stream = if file.is_stream("/Workbook") {
        "/Workbook"
    } else {
        "/Book"
    };
    let mut stream = std::io::BufReader::new(file.open_stream(stream)?);
    let mut names: Vec<(u32, String)> = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    let mut offset: u64 = 0;
    let mut header = [0u8; 4];
    let mut data = Vec::with_capacity(8224);
    let mut globals_done = false;
    while stream.read_exact(&mut header).is_ok() {
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let length = u16::from_le_bytes([header[2], header[3]]) as usize;
        data.resize(length, 0);
        stream.read_exact(&mut data)?;
        let at = offset;
        offset += 4 + length as u64;
        let u16_at = |i: usize| data.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
        match kind {
            FILE_PASS => return Err(std::io::ErrorKind::Unsupported.into()),
            BOUND_SHEET if data.len() >= 8 => {
                let position = u32::from_le_bytes([data[0], data[1], data[2], data[3]]);
                let count = data[6] as usize;
                let name = if data[7] & 1 == 0 {
                    data.get(8..8 + count)
                        .map(|b| b.iter().map(|&c| c as char).collect())
                } else {
                    data.get(8..8 + 2 * count).map(|b| {
                        String::from_utf16_lossy(
                            &b.chunks_exact(2)
                                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                                .collect::<Vec<_>>(),
                        )
                    })
                };
                names.push((position, name.unwrap_or_default()));
            }
            BOF if !globals_done => globals_done = true,
            BOF => {
                let name = names
                    .iter()
                    .find(|(position, _)| u64::from(*position) == at)
                    .map(|(_, name)| name.clone())
                    .unwrap_or_else(|| format!("sheet {}", spans.len() + 1));
                spans.push(Span {
                    name,
                    ..Span::default()
                });
            }
            kind if ONE_CELL.contains(&kind) => {
                if let (Some(span), Some(row), Some(column)) =
                    (spans.last_mut(), u16_at(0), u16_at(2))
                {
                    span.add(row, column, column);
                }
            }
            MUL_RK => {
                let last = data.len().checked_sub(2).and_then(u16_at);
                if let (Some(span), Some(row), Some(first), Some(last)) =
                    (spans.last_mut(), u16_at(0), u16_at(2), last)
                {
                    span.add(row, first, last.max(first));
                }
            }
            _ => {}
        }
    }
    Ok(spans)
}
