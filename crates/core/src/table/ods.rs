//! A streaming reader of OpenDocument spreadsheets (.ods, OASIS OpenDocument 1.3 Part 3,
//! §9.1 tables): the tables in order with their visibility, and each table's cells as a
//! stream. Repeated rows and cells (`table:number-rows-repeated`,
//! `table:number-columns-repeated`) are counted, never expanded into empty cells, so a
//! stray value far away costs one cell; every cell's text is bounded and named. Read
//! through the bounded tokenizer of [`xml_guard`].

use std::io::Read;
use std::ops::ControlFlow;
use std::path::Path;

use super::grid::MAX_COLUMN;
use super::package::Package;
use super::xlsx::{push_number, push_unescaped};
use super::xml_guard::{self, raw_attribute, tag_name, Problem, Token, MAX_CELL_XML_BYTES};
use super::{cell_name, Cell, TableError, MAX_CELL_CHARS};

/// The part that holds the tables.
const CONTENT: &str = "content.xml";
/// The most bytes one row's cells may hold together, for a row written once and
/// repeated (`table:number-rows-repeated`).
const MAX_ROW_BYTES: usize = 64_000_000;

/// One table of a spreadsheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: String,
    /// Not hidden (its table style says `table:display="false"`).
    pub visible: bool,
}

/// An opened spreadsheet; its tables are read on demand, one stream at a time.
#[derive(Debug)]
pub struct Spreadsheet {
    package: Package,
    tables: Vec<Table>,
    max_part_bytes: u64,
}

impl Spreadsheet {
    /// Opens `path`: refuses an encrypted document, and lists its tables (one pass over
    /// the content, which may unpack to at most `max_part_bytes`).
    pub fn open(path: &Path, max_part_bytes: u64) -> Result<Self, TableError> {
        let mut book = Self {
            package: Package::open(path)?,
            tables: Vec::new(),
            max_part_bytes,
        };
        let encrypted = book.read_part("META-INF/manifest.xml", |entry| {
            let found = xml_guard::tokenize(entry, 16_000_000, |token| match token {
                Token::Tag(tag) if tag_name(tag).0 == b"encryption-data" => ControlFlow::Break(()),
                _ => ControlFlow::Continue(()),
            })?;
            Ok(found.is_some())
        })?;
        if encrypted == Some(true) {
            return Err(TableError::PasswordProtected {
                path: path.display().to_string(),
            });
        }
        let mut hidden_styles: Vec<String> = Vec::new();
        let mut style: Option<String> = None;
        let mut tables: Vec<(String, Option<String>)> = Vec::new();
        book.read_part(CONTENT, |entry| {
            xml_guard::tokenize::<()>(entry, max_part_bytes, |token| {
                let Token::Tag(tag) = token else {
                    return ControlFlow::Continue(());
                };
                match tag_name(tag) {
                    (b"style", false) => style = xml_guard::attribute(tag, "style:name"),
                    (b"table-properties", false)
                        if raw_attribute(tag, b"table:display") == Some(b"false") =>
                    {
                        hidden_styles.extend(style.clone());
                    }
                    (b"table", false) => tables.push((
                        xml_guard::attribute(tag, "table:name").unwrap_or_default(),
                        xml_guard::attribute(tag, "table:style-name"),
                    )),
                    _ => {}
                }
                ControlFlow::Continue(())
            })?;
            Ok(())
        })?
        .ok_or_else(|| book.package.corrupt(format!("it has no {CONTENT}")))?;
        book.tables = tables
            .into_iter()
            .map(|(name, style)| Table {
                visible: !style.is_some_and(|s| hidden_styles.contains(&s)),
                name,
            })
            .collect();
        Ok(book)
    }

    /// The tables in the document's order.
    pub fn tables(&self) -> &[Table] {
        &self.tables
    }

    /// Visits the non-empty cells of table `name` row by row, until `visit` breaks.
    pub fn for_each_cell(
        &self,
        name: &str,
        mut visit: impl FnMut(Cell<'_>) -> ControlFlow<()>,
    ) -> Result<(), TableError> {
        if !self.tables.iter().any(|t| t.name == name) {
            return Err(TableError::NoSuchSheet {
                path: self.package.path().display().to_string(),
                sheet: name.to_owned(),
                available: self
                    .tables
                    .iter()
                    .map(|t| t.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        let mut reader = TableReader::default();
        let result = self.read_part(CONTENT, |entry| {
            let stopped = xml_guard::tokenize(entry, self.max_part_bytes, |token| {
                reader.token(token, name, &mut visit)
            })?;
            match stopped {
                Some(Stop::Problem(problem)) => Err(problem),
                Some(Stop::Done) | None => Ok(()),
            }
        });
        result.map_err(|e| match e {
            TableError::CellTooLarge {
                path, cell, reason, ..
            } => TableError::CellTooLarge {
                path,
                sheet: name.to_owned(),
                cell,
                reason,
            },
            TableError::Corrupt { path, reason } => TableError::Corrupt {
                path,
                reason: format!("sheet {name:?}, {reason}"),
            },
            other => other,
        })?;
        Ok(())
    }

    /// Reads part `part` with `read` (`None` when the document has no such part).
    fn read_part<T>(
        &self,
        part: &str,
        read: impl FnOnce(&mut dyn Read) -> Result<T, Problem>,
    ) -> Result<Option<T>, TableError> {
        self.package
            .read(part, read)
            .map_err(|problem| match problem {
                Problem::Cell { cell } => TableError::CellTooLarge {
                    path: self.package.path().display().to_string(),
                    sheet: String::new(),
                    cell: cell.unwrap_or_else(|| "(unnamed)".into()),
                    reason: format!(
                        "the cell holds more than {MAX_CELL_CHARS} characters (Excel's limit)"
                    ),
                },
                Problem::BadValue { at, reason } => self.package.corrupt(format!("{at}: {reason}")),
                Problem::Markup { reason } => self.package.corrupt(format!(
                    "{part} holds {reason}, which spreadsheet programs do not write"
                )),
                Problem::TooLarge => TableError::TooLarge {
                    path: self.package.path().display().to_string(),
                    limit_mb: self.max_part_bytes / 1_000_000,
                },
                Problem::SharedString { .. } | Problem::Io(_) => {
                    self.package.corrupt(format!("{part}: {problem:?}"))
                }
            })
    }
}

/// How a read of a table ended early.
enum Stop {
    Done,
    Problem(Problem),
}

/// The cell being read: where it starts, how often it repeats, its value.
#[derive(Default)]
struct PendingCell {
    column: u32,
    repeat: u32,
    /// The value from the cell's attributes (numbers, dates, booleans), if any.
    value: String,
    numeric: bool,
    /// The text of its paragraphs, as written.
    raw: Vec<u8>,
    paragraphs: usize,
}

/// Reads one table's rows out of the content's tokens.
#[derive(Default)]
struct TableReader {
    /// Inside the wanted table.
    active: bool,
    row: u32,
    row_repeat: u32,
    column: u32,
    cell: Option<PendingCell>,
    /// Depth inside an annotation (a comment), whose text is not the cell's.
    annotation: usize,
    /// The current row's cells: (column, text, numeric), texts in `row_text`.
    row_cells: Vec<(u32, std::ops::Range<usize>, bool)>,
    row_text: String,
}

impl TableReader {
    fn token(
        &mut self,
        token: Token<'_>,
        wanted: &str,
        visit: &mut impl FnMut(Cell<'_>) -> ControlFlow<()>,
    ) -> ControlFlow<Stop> {
        let tag = match token {
            Token::Tag(tag) => tag,
            Token::Text(data) | Token::CData(data) => {
                let cdata = matches!(token, Token::CData(_));
                if let (Some(cell), 0) = (self.cell.as_mut(), self.annotation) {
                    if cell.paragraphs > 0 {
                        if cdata {
                            for &b in data {
                                match b {
                                    b'&' => cell.raw.extend_from_slice(b"&amp;"),
                                    b'<' => cell.raw.extend_from_slice(b"&lt;"),
                                    _ => cell.raw.push(b),
                                }
                            }
                        } else {
                            cell.raw.extend_from_slice(data);
                        }
                        if cell.raw.len() > MAX_CELL_XML_BYTES {
                            return self.too_long();
                        }
                    }
                }
                return ControlFlow::Continue(());
            }
        };
        let (name, closing) = tag_name(tag);
        let empty = !closing && tag.ends_with(b"/");
        if !self.active {
            if name == b"table"
                && !closing
                && xml_guard::attribute(tag, "table:name").as_deref() == Some(wanted)
            {
                self.active = !empty;
                if empty {
                    return ControlFlow::Break(Stop::Done);
                }
            }
            return ControlFlow::Continue(());
        }
        match (name, closing) {
            (b"table", true) => return ControlFlow::Break(Stop::Done),
            (b"annotation", false) if !empty => self.annotation += 1,
            (b"annotation", true) => self.annotation = self.annotation.saturating_sub(1),
            _ if self.annotation > 0 => {}
            (b"table-row", false) => {
                self.row_repeat = repeat(tag, b"table:number-rows-repeated");
                self.column = 0;
                self.row_cells.clear();
                self.row_text.clear();
                if empty {
                    self.row = self.row.saturating_add(self.row_repeat);
                }
            }
            (b"table-row", true) => return self.end_row(visit),
            (b"table-cell" | b"covered-table-cell", false) => {
                let cell = PendingCell {
                    column: self.column,
                    repeat: repeat(tag, b"table:number-columns-repeated"),
                    ..PendingCell::default()
                };
                self.column = self.column.saturating_add(cell.repeat);
                let cell = match self.start_cell(cell, tag) {
                    Ok(cell) => cell,
                    Err(stop) => return ControlFlow::Break(stop),
                };
                if empty {
                    return self.end_cell(cell);
                }
                self.cell = Some(cell);
            }
            (b"table-cell" | b"covered-table-cell", true) => {
                if let Some(cell) = self.cell.take() {
                    return self.end_cell(cell);
                }
            }
            (b"p" | b"h", false) => {
                if let Some(cell) = self.cell.as_mut() {
                    if cell.paragraphs > 0 {
                        cell.raw.push(b'\n');
                    }
                    cell.paragraphs += 1;
                }
            }
            (b"s", false) => {
                if let Some(cell) = self.cell.as_mut() {
                    let count = raw_attribute(tag, b"text:c")
                        .and_then(|c| std::str::from_utf8(c).ok()?.parse::<usize>().ok())
                        .unwrap_or(1);
                    if cell.raw.len() + count > MAX_CELL_XML_BYTES {
                        return self.too_long();
                    }
                    cell.raw.extend(std::iter::repeat_n(b' ', count));
                }
            }
            (b"tab", false) => self.push_raw(b"\t"),
            (b"line-break", false) => self.push_raw(b"\n"),
            _ => {}
        }
        ControlFlow::Continue(())
    }

    fn push_raw(&mut self, text: &[u8]) {
        if let Some(cell) = self.cell.as_mut() {
            cell.raw.extend_from_slice(text);
        }
    }

    fn too_long(&self) -> ControlFlow<Stop> {
        let column = self.cell.as_ref().map_or(self.column, |c| c.column);
        ControlFlow::Break(Stop::Problem(Problem::Cell {
            cell: Some(cell_name(self.row as usize, column as usize)),
        }))
    }

    /// The cell's value from its attributes (§19.385 office:value-type).
    fn start_cell(&self, mut cell: PendingCell, tag: &[u8]) -> Result<PendingCell, Stop> {
        let attribute = |name: &str| xml_guard::attribute(tag, name);
        match raw_attribute(tag, b"office:value-type") {
            Some(b"float" | b"percentage" | b"currency") => {
                let written = attribute("office:value").unwrap_or_default();
                let number: f64 = written.trim().parse().map_err(|_| {
                    Stop::Problem(Problem::BadValue {
                        at: format!(
                            "cell {}",
                            cell_name(self.row as usize, cell.column as usize)
                        ),
                        reason: format!("a number cell holding {written:?}"),
                    })
                })?;
                push_number(number, &mut cell.value);
                cell.numeric = true;
            }
            Some(b"date") => cell.value = attribute("office:date-value").unwrap_or_default(),
            Some(b"time") => cell.value = attribute("office:time-value").unwrap_or_default(),
            Some(b"boolean") => {
                let value = attribute("office:boolean-value").unwrap_or_default();
                cell.value = if value == "true" { "TRUE" } else { "FALSE" }.into();
            }
            Some(b"string") => cell.value = attribute("office:string-value").unwrap_or_default(),
            _ => {}
        }
        Ok(cell)
    }

    /// Adds a finished cell (each of its repeats) to the row.
    fn end_cell(&mut self, cell: PendingCell) -> ControlFlow<Stop> {
        let start = self.row_text.len();
        if !cell.value.is_empty() {
            self.row_text.push_str(&cell.value);
        } else if let Err(reason) = push_unescaped(&cell.raw, &mut self.row_text) {
            return ControlFlow::Break(Stop::Problem(Problem::BadValue {
                at: format!(
                    "cell {}",
                    cell_name(self.row as usize, cell.column as usize)
                ),
                reason,
            }));
        }
        if self.row_text[start..].trim().is_empty() {
            self.row_text.truncate(start);
            return ControlFlow::Continue(());
        }
        let end = cell.column.saturating_add(cell.repeat);
        if end - 1 > MAX_COLUMN {
            return ControlFlow::Break(Stop::Problem(Problem::BadValue {
                at: format!("row {}", self.row as u64 + 1),
                reason: "a cell beyond column XFD, the last Excel allows".into(),
            }));
        }
        let text = start..self.row_text.len();
        if self.row_text.len() + text.len() * (cell.repeat as usize - 1) > MAX_ROW_BYTES {
            return self.too_long();
        }
        for column in cell.column..end {
            self.row_cells.push((column, text.clone(), cell.numeric));
        }
        ControlFlow::Continue(())
    }

    /// Hands out the finished row's cells, once for each repeat of the row.
    fn end_row(
        &mut self,
        visit: &mut impl FnMut(Cell<'_>) -> ControlFlow<()>,
    ) -> ControlFlow<Stop> {
        let rows = self.row..self.row.saturating_add(self.row_repeat);
        self.row = rows.end;
        if self.row_cells.is_empty() {
            return ControlFlow::Continue(());
        }
        for row in rows {
            for (column, text, numeric) in &self.row_cells {
                let cell = Cell {
                    row,
                    column: *column,
                    text: &self.row_text[text.clone()],
                    numeric: *numeric,
                };
                if visit(cell).is_break() {
                    return ControlFlow::Break(Stop::Done);
                }
            }
        }
        ControlFlow::Continue(())
    }
}

/// A repeat count attribute (at least 1; at most Excel's rows).
fn repeat(tag: &[u8], name: &[u8]) -> u32 {
    raw_attribute(tag, name)
        .and_then(|v| std::str::from_utf8(v).ok()?.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .clamp(1, 1 << 20)
}
