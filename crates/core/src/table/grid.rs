//! A sheet as its non-empty cells only (a stray value in XFD1048576 costs one cell, not
//! a dense range of 17 billion), with absolute positions, and the search for its header
//! row: the first row that looks like a header (mostly text, at least half as wide as
//! the table) followed by data, so titles above the header are passed over.

/// One non-empty cell: 0-based absolute column, its text, and whether it was a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridCell<'a> {
    pub column: u32,
    pub text: &'a str,
    pub numeric: bool,
}

/// Excel's last column (XFD), 0-based; a grid holds no cell beyond it.
pub const MAX_COLUMN: u32 = 16_383;
/// The most bytes one cell's text may take in a grid (Excel's 32,767 characters of up
/// to four bytes each).
pub const MAX_CELL_BYTES: usize = super::MAX_CELL_CHARS * 4;

/// A cell as stored: 8 bytes, its text in the grid's one arena. `meta` packs the text's
/// length (17 bits), whether it was a number (1 bit) and the column (14 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    start: u32,
    meta: u32,
}

const LEN_BITS: u32 = 17;
const NUMERIC_BIT: u32 = 1 << LEN_BITS;
const COLUMN_SHIFT: u32 = LEN_BITS + 1;

impl Slot {
    fn column(self) -> u32 {
        self.meta >> COLUMN_SHIFT
    }
    fn len(self) -> usize {
        (self.meta & (NUMERIC_BIT - 1)) as usize
    }
    fn numeric(self) -> bool {
        self.meta & NUMERIC_BIT != 0
    }
}

/// Why a cell could not be added to a grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridError {
    /// Beyond column XFD.
    ColumnBeyondExcel,
    /// More than [`MAX_CELL_BYTES`].
    CellTooLong,
    /// The texts together exceed the grid's byte limit.
    TooMuchText,
}

/// One row holding at least one non-empty cell; cells sorted by column.
#[derive(Debug, Clone, Copy)]
pub struct GridRow<'a> {
    /// 0-based absolute row (Excel's row number minus one).
    pub row: u32,
    slots: &'a [Slot],
    text: &'a str,
}

impl<'a> GridRow<'a> {
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub fn cells(&self) -> impl DoubleEndedIterator<Item = GridCell<'a>> + ExactSizeIterator + 'a {
        let text = self.text;
        self.slots.iter().map(move |s| GridCell {
            column: s.column(),
            text: &text[s.start as usize..s.start as usize + s.len()],
            numeric: s.numeric(),
        })
    }

    pub fn first(&self) -> Option<GridCell<'a>> {
        self.cells().next()
    }

    pub fn last(&self) -> Option<GridCell<'a>> {
        self.cells().next_back()
    }
}

/// The non-empty cells of a sheet, sorted by row then column, compactly: one text arena,
/// 8 bytes a cell and 8 a row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grid {
    text: String,
    slots: Vec<Slot>,
    /// (0-based row, index of its first slot), sorted by row.
    rows: Vec<(u32, u32)>,
}

/// Builds a [`Grid`] from cells in any order; cells in sheet order (as xlsx, xls and ods
/// store them) go straight in, without a sort or a second copy.
#[derive(Debug)]
pub struct GridBuilder {
    grid: Grid,
    max_text: usize,
    /// Cells that arrived out of order, with their rows; sorted in at the end.
    disordered: Vec<(u32, Slot)>,
}

/// How many rows the header search looks at.
pub const HEADER_SEARCH_ROWS: usize = 30;

impl GridBuilder {
    /// A builder whose texts may take at most `max_text` bytes together.
    pub fn new(max_text: usize) -> Self {
        Self {
            grid: Grid::default(),
            max_text: max_text.min(u32::MAX as usize),
            disordered: Vec::new(),
        }
    }

    /// The cells held so far.
    pub fn len(&self) -> usize {
        self.grid.slots.len() + self.disordered.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds a cell (0-based row and column); an empty or blank text is dropped. A cell
    /// at a position already filled replaces it, as in a sheet.
    pub fn push(
        &mut self,
        row: u32,
        column: u32,
        text: &str,
        numeric: bool,
    ) -> Result<(), GridError> {
        if text.trim().is_empty() {
            return Ok(());
        }
        if column > MAX_COLUMN {
            return Err(GridError::ColumnBeyondExcel);
        }
        if text.len() > MAX_CELL_BYTES {
            return Err(GridError::CellTooLong);
        }
        let start = self.grid.text.len();
        if start + text.len() > self.max_text {
            return Err(GridError::TooMuchText);
        }
        self.grid.text.push_str(text);
        let slot = Slot {
            start: start as u32,
            meta: text.len() as u32
                | if numeric { NUMERIC_BIT } else { 0 }
                | column << COLUMN_SHIFT,
        };
        let grid = &mut self.grid;
        let in_order = self.disordered.is_empty()
            && match grid.rows.last() {
                None => true,
                Some(&(last, _)) if row > last => true,
                Some(&(last, _)) if row == last => {
                    grid.slots.last().is_some_and(|s| column > s.column())
                }
                _ => false,
            };
        if in_order {
            if grid.rows.last().is_none_or(|&(last, _)| row > last) {
                grid.rows.push((row, grid.slots.len() as u32));
            }
            grid.slots.push(slot);
        } else {
            self.disordered.push((row, slot));
        }
        Ok(())
    }

    pub fn finish(self) -> Grid {
        let Self {
            mut grid,
            disordered,
            ..
        } = self;
        if disordered.is_empty() {
            grid.slots.shrink_to_fit();
            grid.rows.shrink_to_fit();
            return grid;
        }
        // Rare (hand-made files): everything with its row, one stable sort, then the
        // later of two cells at one position wins.
        let mut all: Vec<(u32, Slot)> = Vec::with_capacity(grid.slots.len() + disordered.len());
        for (i, &(row, first)) in grid.rows.iter().enumerate() {
            let end = grid
                .rows
                .get(i + 1)
                .map_or(grid.slots.len(), |r| r.1 as usize);
            all.extend(grid.slots[first as usize..end].iter().map(|s| (row, *s)));
        }
        all.extend(disordered);
        all.sort_by_key(|(row, s)| (*row, s.column()));
        grid.slots.clear();
        grid.rows.clear();
        for (row, slot) in all {
            if grid.rows.last().is_some_and(|&(last, _)| last == row) {
                let last = grid.slots.last_mut().expect("a row has a cell");
                if last.column() == slot.column() {
                    *last = slot;
                    continue;
                }
            } else {
                grid.rows.push((row, grid.slots.len() as u32));
            }
            grid.slots.push(slot);
        }
        grid.slots.shrink_to_fit();
        grid.rows.shrink_to_fit();
        grid
    }
}

impl Grid {
    /// Builds a grid from (row, cell) pairs in any order (empty texts are dropped).
    pub fn from_cells<'a>(
        cells: impl IntoIterator<Item = (u32, GridCell<'a>)>,
    ) -> Result<Self, GridError> {
        let mut builder = GridBuilder::new(usize::MAX);
        for (row, cell) in cells {
            builder.push(row, cell.column, cell.text, cell.numeric)?;
        }
        Ok(builder.finish())
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// How many non-empty rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// The `index`th non-empty row.
    pub fn row(&self, index: usize) -> GridRow<'_> {
        let (row, first) = self.rows[index];
        let end = self
            .rows
            .get(index + 1)
            .map_or(self.slots.len(), |r| r.1 as usize);
        GridRow {
            row,
            slots: &self.slots[first as usize..end],
            text: &self.text,
        }
    }

    /// The non-empty rows from the `from`th on.
    pub fn rows_from(&self, from: usize) -> impl Iterator<Item = GridRow<'_>> + '_ {
        (from.min(self.len())..self.len()).map(|i| self.row(i))
    }

    /// Indexes (of [`Grid::row`]) of the rows that look like a header, best first.
    pub fn header_candidates(&self) -> Vec<usize> {
        let sample = self.len().min(HEADER_SEARCH_ROWS);
        let widest = (0..sample).map(|i| self.row(i).len()).max().unwrap_or(0);
        let mut candidates: Vec<usize> = (0..sample)
            .filter(|&i| {
                let row = self.row(i);
                let filled = row.len();
                let text = row.cells().filter(|c| !c.numeric).count();
                let followed = i + 1 < self.len() && {
                    let (first, last) = span(&row);
                    self.row(i + 1)
                        .cells()
                        .any(|c| c.column >= first && c.column <= last)
                };
                filled >= 2 && filled * 2 >= widest && text * 5 >= filled * 4 && followed
            })
            .collect();
        if candidates.is_empty() && !self.is_empty() {
            candidates.push(0);
        }
        candidates
    }

    /// The 0-based absolute column where a table with its header at `row(header)`
    /// begins: the leftmost cell of the header and the rows just below it.
    pub fn first_column(&self, header: usize) -> u32 {
        self.rows_from(header)
            .take(HEADER_SEARCH_ROWS + 1)
            .filter_map(|r| r.first().map(|c| c.column))
            .min()
            .unwrap_or(0)
    }
}

fn span(row: &GridRow<'_>) -> (u32, u32) {
    (
        row.first().map_or(0, |c| c.column),
        row.last().map_or(0, |c| c.column),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(column: u32, text: &str, numeric: bool) -> GridCell<'_> {
        GridCell {
            column,
            text,
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
        ])
        .unwrap();
        assert_eq!(grid.header_candidates(), vec![1]);
        assert_eq!(grid.row(1).row, 2);
        assert_eq!(grid.first_column(1), 0);
    }

    #[test]
    fn numbers_do_not_make_a_header_and_sparse_cells_stay_sparse() {
        let grid = Grid::from_cells(vec![
            (0, cell(1, "1", true)),
            (0, cell(2, "2", true)),
            (1, cell(1, "3", true)),
            (1_048_575, cell(16_383, "stray", false)),
        ])
        .unwrap();
        assert_eq!(grid.len(), 3);
        assert_eq!(grid.header_candidates(), vec![0]);
        assert_eq!(grid.first_column(0), 1);
    }

    #[test]
    fn cells_out_of_order_are_sorted_and_the_later_wins() {
        let grid = Grid::from_cells(vec![
            (2, cell(1, "b", false)),
            (0, cell(3, "x", false)),
            (2, cell(0, "a", false)),
            (0, cell(3, "y", true)),
            (1, cell(0, " ", false)),
        ])
        .unwrap();
        type Cells<'a> = Vec<(u32, &'a str, bool)>;
        let rows: Vec<(u32, Cells<'_>)> = grid
            .rows_from(0)
            .map(|r| {
                (
                    r.row,
                    r.cells().map(|c| (c.column, c.text, c.numeric)).collect(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                (0, vec![(3, "y", true)]),
                (2, vec![(0, "a", false), (1, "b", false)])
            ]
        );
        let mut builder = GridBuilder::new(4);
        assert_eq!(
            builder.push(0, 16_384, "a", false),
            Err(GridError::ColumnBeyondExcel)
        );
        assert_eq!(
            builder.push(0, 0, "abcde", false),
            Err(GridError::TooMuchText)
        );
    }
}
