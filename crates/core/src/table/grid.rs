//! A sheet as its non-empty cells only (a stray value in XFD1048576 costs one cell, not
//! a dense range of 17 billion), with absolute positions, and the search for its header
//! row: the first row that looks like a header (mostly text, at least half as wide as
//! the table) followed by data, so titles above the header are passed over.

/// One non-empty cell: 0-based absolute column, its text, and whether it was a number.
#[derive(Debug, Clone, PartialEq)]
pub struct GridCell {
    pub column: u32,
    pub text: String,
    pub numeric: bool,
}

/// One row holding at least one non-empty cell; cells sorted by column.
#[derive(Debug, Clone, PartialEq)]
pub struct GridRow {
    /// 0-based absolute row (Excel's row number minus one).
    pub row: u32,
    pub cells: Vec<GridCell>,
}

/// The non-empty rows of a sheet, sorted by row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grid {
    pub rows: Vec<GridRow>,
}

/// How many rows the header search looks at.
pub const HEADER_SEARCH_ROWS: usize = 30;

impl Grid {
    /// Builds a grid from cells in any order (empty texts are dropped).
    pub fn from_cells(mut cells: Vec<(u32, GridCell)>) -> Self {
        cells.retain(|(_, c)| !c.text.trim().is_empty());
        cells.sort_by_key(|(row, c)| (*row, c.column));
        let mut rows: Vec<GridRow> = Vec::new();
        for (row, cell) in cells {
            match rows.last_mut() {
                Some(last) if last.row == row => {
                    if last.cells.last().map(|c| c.column) == Some(cell.column) {
                        // A repeated position: the later cell wins, as in a sheet.
                        *last.cells.last_mut().expect("a cell") = cell;
                    } else {
                        last.cells.push(cell);
                    }
                }
                _ => rows.push(GridRow {
                    row,
                    cells: vec![cell],
                }),
            }
        }
        Self { rows }
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Indexes (into `rows`) of the rows that look like a header, best first.
    pub fn header_candidates(&self) -> Vec<usize> {
        let sample = &self.rows[..self.rows.len().min(HEADER_SEARCH_ROWS)];
        let widest = sample.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        let mut candidates: Vec<usize> = sample
            .iter()
            .enumerate()
            .filter(|(i, row)| {
                let filled = row.cells.len();
                let text = row.cells.iter().filter(|c| !c.numeric).count();
                let followed = self.rows.get(i + 1).is_some_and(|next| {
                    let (first, last) = span(row);
                    next.cells
                        .iter()
                        .any(|c| c.column >= first && c.column <= last)
                });
                filled >= 2 && filled * 2 >= widest && text * 5 >= filled * 4 && followed
            })
            .map(|(i, _)| i)
            .collect();
        if candidates.is_empty() && !self.rows.is_empty() {
            candidates.push(0);
        }
        candidates
    }

    /// The 0-based absolute column where a table with its header at `rows[header]`
    /// begins: the leftmost cell of the header and the rows just below it.
    pub fn first_column(&self, header: usize) -> u32 {
        self.rows[header..]
            .iter()
            .take(HEADER_SEARCH_ROWS + 1)
            .filter_map(|r| r.cells.first().map(|c| c.column))
            .min()
            .unwrap_or(0)
    }
}

fn span(row: &GridRow) -> (u32, u32) {
    (
        row.cells.first().map_or(0, |c| c.column),
        row.cells.last().map_or(0, |c| c.column),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(column: u32, text: &str, numeric: bool) -> GridCell {
        GridCell {
            column,
            text: text.into(),
            numeric,
        }
    }

    #[test]
    fn a_title_above_the_header_is_passed_over() {
        let grid = Grid::from_cells(vec![
            (0, cell(0, "Spring campaign", false)),
            (2, cell(0, "Name", false)),
            (2, cell(1, "Phone", false)),
            (2, cell(2, "ID", false)),
            (3, cell(0, "Ann", false)),
            (3, cell(1, "555", true)),
            (3, cell(2, "x", false)),
        ]);
        assert_eq!(grid.header_candidates(), vec![1]);
        assert_eq!(grid.rows[1].row, 2);
        assert_eq!(grid.first_column(1), 0);
    }

    #[test]
    fn numbers_do_not_make_a_header_and_sparse_cells_stay_sparse() {
        let grid = Grid::from_cells(vec![
            (0, cell(1, "1", true)),
            (0, cell(2, "2", true)),
            (1, cell(1, "3", true)),
            (1_048_575, cell(16_383, "stray", false)),
        ]);
        assert_eq!(grid.rows.len(), 3);
        assert_eq!(grid.header_candidates(), vec![0]);
        assert_eq!(grid.first_column(0), 1);
    }
}
