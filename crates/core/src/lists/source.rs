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
use crate::table::ods::Spreadsheet;
use crate::table::xlsx::Workbook;
use crate::table::{self, Cell, FileKind, TableError};

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
    /// A sheet held as its non-empty cells (xls, ods): the header is `grid.row(header)`.
    Cells {
        grid: Grid,
        header: usize,
    },
    /// An xlsx or ods sheet, streamed from the file on each visit; `header` is the
    /// header's 0-based sheet row.
    Stream {
        book: Book,
        sheet: String,
        header: u32,
    },
    Text {
        text: String,
        delimiter: u8,
    },
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
    expected_rows: Option<usize>,
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
                let book = Book::Xlsx(Workbook::open(path, limits.max_uncompressed_bytes)?);
                Self::open_streamed(path, book, sheet, header_row, limits)?
            }
            FileKind::Ods => {
                check_unpacked_size(path, limits)?;
                let book = Book::Ods(Spreadsheet::open(path, limits.max_uncompressed_bytes)?);
                Self::open_streamed(path, book, sheet, header_row, limits)?
            }
            FileKind::Xls => {
                table::xls_extent::check(path)?;
                Self::open_workbook(path, Format::Xls, sheet, header_row, limits)?
            }
            FileKind::Encrypted => return Err(TableError::PasswordProtected { path: shown(path) }),
            FileKind::BrokenZip(reason) => {
                return Err(TableError::Corrupt {
                    path: shown(path),
                    reason,
                })
            }
            FileKind::Text => Self::open_text(path, header_row, limits)?,
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

    /// An xls workbook (at most 65,536 × 256 cells), read whole by calamine into a grid
    /// of its non-empty cells.
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
            Format::Xls => Sheets::Xls(calamine::Xls::new(file).map_err(|e| match e {
                calamine::XlsError::Password => TableError::PasswordProtected { path: shown(path) },
                e => corrupt(e.to_string()),
            })?),
            Format::Xlsx | Format::Ods | Format::Csv => {
                unreachable!("xlsx and ods stream; text is not a workbook")
            }
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
        let chosen = choose_sheet(path, &sheets, sheet, header_row, limits, |name| {
            read_grid(&mut workbook, path, name, limits)
        })?;
        let known_rows = chosen.layout.data_rows;
        let header = chosen.layout.header;
        let opened = Opened {
            format,
            sheets,
            hidden_sheet,
        };
        Ok(
            chosen.into_source(path, opened, Some(known_rows), limits, |grid| Body::Cells {
                grid,
                header,
            }),
        )
    }

    /// An xlsx or ods workbook: the sheet's first rows are read to find its table, and
    /// its rows are streamed from the file on each visit, never held whole.
    fn open_streamed(
        path: &Path,
        book: Book,
        sheet: Option<&str>,
        header_row: Option<usize>,
        limits: ReadLimits,
    ) -> Result<Self, TableError> {
        let (format, sheets, has_hidden_sheet) = match &book {
            Book::Xlsx(workbook) => (
                Format::Xlsx,
                workbook
                    .sheets()
                    .iter()
                    .filter(|s| s.worksheet && s.visible && s.name != HIDDEN_SHEET)
                    .map(|s| s.name.clone())
                    .collect::<Vec<_>>(),
                workbook.sheets().iter().any(|s| s.name == HIDDEN_SHEET),
            ),
            Book::Ods(spreadsheet) => (
                Format::Ods,
                spreadsheet
                    .tables()
                    .iter()
                    .filter(|t| t.visible && t.name != HIDDEN_SHEET)
                    .map(|t| t.name.clone())
                    .collect(),
                spreadsheet.tables().iter().any(|t| t.name == HIDDEN_SHEET),
            ),
        };
        let hidden_sheet = has_hidden_sheet.then(|| hidden_sheet_a1(&book)).flatten();
        let chosen = choose_sheet(path, &sheets, sheet, header_row, limits, |name| {
            read_head(&book, path, name, header_row)
        })?;
        let header = chosen.grid.row(chosen.layout.header).row;
        let expected = match &book {
            Book::Xlsx(workbook) => workbook
                .stated_last_row(&chosen.name)
                .map(|last| (last as usize).saturating_sub(header as usize + 1)),
            Book::Ods(_) => None,
        };
        let name = chosen.name.clone();
        let opened = Opened {
            format,
            sheets,
            hidden_sheet,
        };
        Ok(
            chosen.into_source(path, opened, expected, limits, |_| Body::Stream {
                book,
                sheet: name,
                header,
            }),
        )
    }

    /// A text (CSV) file: its header found in the first lines as on a sheet (a title
    /// line above it is passed over), the rows parsed again on each visit.
    fn open_text(
        path: &Path,
        header_row: Option<usize>,
        limits: ReadLimits,
    ) -> Result<Self, TableError> {
        let file = table::load_text(path)?;
        let mut head = GridBuilder::new(usize::MAX);
        let mut window = HeadWindow::new(header_row);
        let mut failure = None;
        text_records(path, &file.text, file.delimiter, |row, record| {
            if window.is_full(row as u32 - 1) {
                return ControlFlow::Break(());
            }
            for (column, cell) in record.iter().enumerate() {
                let numeric = cell.trim().parse::<f64>().is_ok();
                if let Err(e) = head.push(row as u32 - 1, column as u32, cell, numeric) {
                    let reason = match e {
                        GridError::ColumnBeyondExcel => "more than 16,384 columns (Excel's limit)",
                        GridError::CellTooLong | GridError::TooMuchText => {
                            "a cell holds more than 32,767 characters (Excel's limit)"
                        }
                    };
                    failure = Some(TableError::Malformed {
                        path: shown(path),
                        row,
                        reason: reason.into(),
                    });
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        })?;
        if let Some(failure) = failure {
            return Err(failure);
        }
        let head = head.finish();
        let layout = layout(path, None, &head, header_row, limits)?;
        let mut notes = Vec::new();
        if file.sep_line {
            notes.push(format!(
                "the file's first line sets the separator ({:?}); it was skipped, as Excel does",
                file.delimiter as char
            ));
        }
        let chosen = Chosen {
            name: String::new(),
            grid: head,
            layout,
            notes,
        };
        let opened = Opened {
            format: Format::Csv,
            sheets: Vec::new(),
            hidden_sheet: None,
        };
        let mut source = chosen.into_source(path, opened, None, limits, |_| Body::Text {
            text: file.text,
            delimiter: file.delimiter,
        });
        source.sheet = None;
        Ok(source)
    }

    /// How many data rows to expect, when known without reading them: counted for xls
    /// and ods, the sheet's stated extent for xlsx (an upper bound, for progress);
    /// `None` for text files.
    pub fn expected_rows(&self) -> Option<usize> {
        self.expected_rows
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
            Body::Stream {
                book,
                sheet,
                header,
            } => self.stream_rows(book, sheet, *header, &mut cells, &mut visit)?,
            Body::Text { text, delimiter } => {
                let first = self.first_column;
                let mut rows = 0usize;
                let mut failure = None;
                text_records(&self.path, text, *delimiter, |row, record| {
                    if row <= self.header_row {
                        return ControlFlow::Continue(());
                    }
                    for (i, cell) in cells.iter_mut().enumerate() {
                        cell.clear();
                        cell.push_str(record.get(first + i).unwrap_or_default());
                    }
                    if cells.iter().all(|c| c.trim().is_empty()) {
                        return ControlFlow::Continue(());
                    }
                    rows += 1;
                    if rows > self.limits.max_rows {
                        failure = Some(TableError::TooManyRows {
                            path: shown(&self.path),
                            limit: self.limits.max_rows,
                        });
                        return ControlFlow::Break(());
                    }
                    visit(row, &cells)
                })?;
                if let Some(failure) = failure {
                    return Err(failure);
                }
            }
        }
        Ok(())
    }
}

impl Source {
    /// Visits an xlsx sheet's rows below `header` as the file holds them, a row at a
    /// time in `cells`.
    fn stream_rows(
        &self,
        book: &Book,
        sheet: &str,
        header: u32,
        cells: &mut [String],
        visit: &mut impl FnMut(usize, &[String]) -> ControlFlow<()>,
    ) -> Result<(), TableError> {
        let first = self.first_column as u32;
        let mut current: Option<u32> = None;
        let mut rows = 0usize;
        let mut failure = None;
        let mut emit = |row: u32, cells: &mut [String]| -> ControlFlow<()> {
            if cells.iter().all(|c| c.trim().is_empty()) {
                return ControlFlow::Continue(());
            }
            rows += 1;
            if rows > self.limits.max_rows {
                failure = Some(TableError::TooManyRows {
                    path: shown(&sheet_path(&self.path, sheet)),
                    limit: self.limits.max_rows,
                });
                return ControlFlow::Break(());
            }
            visit(row as usize + 1, cells)
        };
        let mut stopped = false;
        book.for_each_cell(sheet, |cell| {
            if cell.row <= header {
                return ControlFlow::Continue(());
            }
            if current != Some(cell.row) {
                if let Some(row) = current {
                    if emit(row, cells).is_break() {
                        stopped = true;
                        return ControlFlow::Break(());
                    }
                }
                cells.iter_mut().for_each(String::clear);
                current = Some(cell.row);
            }
            if let Some(slot) = cell
                .column
                .checked_sub(first)
                .and_then(|i| cells.get_mut(i as usize))
            {
                slot.push_str(cell.text);
            }
            ControlFlow::Continue(())
        })?;
        if let (Some(row), false) = (current, stopped) {
            let _ = emit(row, cells);
        }
        failure.map_or(Ok(()), Err)
    }
}

/// What a workbook holds besides the sheet read.
struct Opened {
    format: Format,
    /// The data sheets a user may choose.
    sheets: Vec<String>,
    hidden_sheet: Option<HiddenSheet>,
}

/// The sheet chosen and the table found on it.
struct Chosen {
    name: String,
    grid: Grid,
    layout: Layout,
    notes: Vec<String>,
}

impl Chosen {
    fn into_source(
        self,
        path: &Path,
        opened: Opened,
        expected_rows: Option<usize>,
        limits: ReadLimits,
        body: impl FnOnce(Grid) -> Body,
    ) -> Source {
        let Chosen {
            name,
            grid,
            layout,
            mut notes,
        } = self;
        let header_row = grid.row(layout.header).row as usize + 1;
        if header_row != 1 || layout.first_column != 0 {
            notes.push(format!(
                "the header is on row {header_row}, from column {}",
                table::column_letter(layout.first_column)
            ));
        }
        Source {
            path: path.to_path_buf(),
            format: opened.format,
            sheets: opened.sheets,
            sheet: Some(name),
            hidden_sheet: opened.hidden_sheet,
            headers: layout.headers,
            header_row,
            first_column: layout.first_column,
            header_rows: layout.header_rows,
            notes,
            body: body(grid),
            expected_rows,
            limits,
        }
    }
}

/// Visits a text table's records with the row each starts on, as Excel numbers it
/// (blank lines counted), until `visit` breaks; a record that cannot be read is an
/// error naming its row.
fn text_records(
    path: &Path,
    text: &str,
    delimiter: u8,
    mut visit: impl FnMut(usize, &csv::StringRecord) -> ControlFlow<()>,
) -> Result<(), TableError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut counter = table::RowCounter::new(delimiter);
    loop {
        let start = reader.position().byte() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                return Err(TableError::Malformed {
                    path: shown(path),
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
        if visit(row, &record).is_break() {
            return Ok(());
        }
    }
}

/// Which first rows of a sheet the header search needs: the rows it looks at and as
/// many again below the header, or through the header row asked for and as many below.
struct HeadWindow {
    wanted: Option<usize>,
    rows: usize,
    below_wanted: usize,
    last: Option<u32>,
}

impl HeadWindow {
    const ROWS: usize = 2 * HEADER_SEARCH_ROWS + 2;

    fn new(wanted: Option<usize>) -> Self {
        Self {
            wanted,
            rows: 0,
            below_wanted: 0,
            last: None,
        }
    }

    /// Counts 0-based sheet row `row` (rows come in order, a row once or more) and
    /// says whether the rows before it were enough.
    fn is_full(&mut self, row: u32) -> bool {
        if self.last == Some(row) {
            return false;
        }
        self.last = Some(row);
        self.rows += 1;
        if self.wanted.is_some_and(|wanted| row as usize + 1 > wanted) {
            self.below_wanted += 1;
        }
        let past_wanted = self.wanted.is_none() || self.below_wanted > HEADER_SEARCH_ROWS + 1;
        self.rows > Self::ROWS && past_wanted
    }
}

/// Chooses the sheet to read (`sheet`, or the first that looks like a list, or the
/// first with data) and finds its table; `read` gives a sheet's cells.
fn choose_sheet(
    path: &Path,
    sheets: &[String],
    sheet: Option<&str>,
    header_row: Option<usize>,
    limits: ReadLimits,
    mut read: impl FnMut(&str) -> Result<Grid, TableError>,
) -> Result<Chosen, TableError> {
    if let Some(name) = sheet {
        if !sheets.iter().any(|s| s == name) {
            return Err(TableError::NoSuchSheet {
                path: shown(path),
                sheet: name.to_owned(),
                available: sheets.join(", "),
            });
        }
        let grid = read(name)?;
        let layout = layout(path, Some(name), &grid, header_row, limits)?;
        return Ok(Chosen {
            name: name.to_owned(),
            grid,
            layout,
            notes: Vec::new(),
        });
    }
    let mut first: Option<(String, Grid)> = None;
    let mut found = None;
    for name in sheets {
        let grid = read(name)?;
        if grid.is_empty() {
            continue;
        }
        if let Ok(candidate) = layout(path, Some(name), &grid, header_row, limits) {
            if looks_like_a_list(&grid, &candidate) {
                found = Some((name.clone(), grid, candidate));
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
            let layout = layout(path, Some(&name), &grid, header_row, limits)?;
            (name, grid, layout)
        }
    };
    let mut notes = Vec::new();
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
    Ok(Chosen {
        name,
        grid,
        layout,
        notes,
    })
}

/// The first rows of an xlsx sheet, enough to find its header (the rows the search
/// looks at, and as many again below the header), or through `header_row` when given.
fn read_head(
    book: &Book,
    path: &Path,
    sheet: &str,
    header_row: Option<usize>,
) -> Result<Grid, TableError> {
    let mut grid = GridBuilder::new(usize::MAX);
    let mut window = HeadWindow::new(header_row);
    let mut failure = None;
    book.for_each_cell(sheet, |cell| {
        if window.is_full(cell.row) {
            return ControlFlow::Break(());
        }
        let place = (path, sheet);
        match push_cell(
            &mut grid,
            (cell.row, cell.column),
            cell.text,
            cell.numeric,
            place,
        ) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                failure = Some(e);
                ControlFlow::Break(())
            }
        }
    })?;
    failure.map_or_else(|| Ok(grid.finish()), Err)
}

/// The hiddenSheet's A1 (Dynamics' export metadata), streamed.
fn hidden_sheet_a1(book: &Book) -> Option<HiddenSheet> {
    let mut a1 = None;
    book.for_each_cell(HIDDEN_SHEET, |cell| {
        if (cell.row, cell.column) == (0, 0) {
            a1 = Some(cell.text.to_owned());
        }
        ControlFlow::Break(())
    })
    .ok()?;
    HiddenSheet::parse(&a1?)
}

/// A workbook whose sheets are streamed.
enum Book {
    Xlsx(Workbook),
    Ods(Spreadsheet),
}

impl Book {
    fn for_each_cell(
        &self,
        sheet: &str,
        visit: impl FnMut(Cell<'_>) -> ControlFlow<()>,
    ) -> Result<(), TableError> {
        match self {
            Book::Xlsx(workbook) => workbook.for_each_cell(sheet, visit),
            Book::Ods(spreadsheet) => spreadsheet.for_each_cell(sheet, visit),
        }
    }
}

/// Finds the header row (or takes `header_row`), its columns and the data rows below.
fn layout(
    path: &Path,
    sheet: Option<&str>,
    grid: &Grid,
    header_row: Option<usize>,
    limits: ReadLimits,
) -> Result<Layout, TableError> {
    let place = sheet.map_or_else(|| path.to_path_buf(), |sheet| sheet_path(path, sheet));
    if grid.is_empty() {
        return Err(match sheet {
            Some(sheet) => TableError::EmptySheet {
                path: shown(path),
                sheet: sheet.to_owned(),
            },
            None => TableError::Empty { path: shown(path) },
        });
    }
    let candidates = grid.header_candidates();
    let header = match header_row {
        Some(wanted) => (0..grid.len())
            .find(|&i| grid.row(i).row as usize + 1 == wanted)
            .ok_or_else(|| TableError::NoHeader {
                path: shown(&place),
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
    table::check_headers_at(&place, &headers, header_number, first_column as usize)?;
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
            path: shown(&place),
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
    const NAMES: &[&str] = &[
        "phone",
        "mobile",
        "telephone",
        "(do not modify)",
        "(nicht ändern)",
        "guid",
    ];
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

/// Adds one cell to a sheet's grid, within the bounds of a cell and of a sheet.
fn push_cell(
    grid: &mut GridBuilder,
    (row, column): (u32, u32),
    text: &str,
    numeric: bool,
    (path, sheet): (&Path, &str),
) -> Result<(), TableError> {
    let too_large = |reason: String| TableError::CellTooLarge {
        path: shown(path),
        sheet: sheet.to_owned(),
        cell: table::cell_name(row as usize, column as usize),
        reason,
    };
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
    grid.push(row, column, text, numeric).map_err(|e| match e {
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

/// Reads an xls or ods sheet's non-empty cells from calamine's range.
fn read_grid<RS: Read + Seek>(
    workbook: &mut Sheets<RS>,
    path: &Path,
    sheet: &str,
    limits: ReadLimits,
) -> Result<Grid, TableError> {
    let mut cells = GridBuilder::new(
        MAX_SHEET_TEXT_BYTES
            .min(usize::try_from(limits.max_uncompressed_bytes).unwrap_or(usize::MAX)),
    );
    let range = workbook
        .worksheet_range(sheet)
        .map_err(|e| TableError::Corrupt {
            path: shown(path),
            reason: e.to_string(),
        })?;
    let Some((top, left)) = range.start() else {
        return Ok(Grid::default());
    };
    if range.height() > limits.max_rows + HEADER_SEARCH_ROWS + 1 {
        return Err(TableError::TooManyRows {
            path: shown(&sheet_path(path, sheet)),
            limit: limits.max_rows,
        });
    }
    let mut buffer = String::new();
    for (r, c, data) in range.used_cells() {
        if matches!(data, Data::Empty) {
            continue;
        }
        buffer = cell_text(data, buffer);
        let numeric = matches!(data, Data::Int(_) | Data::Float(_));
        let position = (top + r as u32, left + c as u32);
        push_cell(&mut cells, position, &buffer, numeric, (path, sheet))?;
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
    match workbook
        .worksheet_range(HIDDEN_SHEET)
        .ok()?
        .get_value((0, 0))?
    {
        Data::String(a1) => HiddenSheet::parse(a1),
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
