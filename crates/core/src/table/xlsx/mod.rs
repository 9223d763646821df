//! A streaming reader of Excel workbooks (.xlsx, ECMA-376 Part 1): the sheets in the
//! workbook's order with their visibility, the shared strings held compactly, which
//! cell styles are dates, and each sheet's cells as a stream, never a dense range.
//! Every part is read once through the bounded tokenizer of [`xml_guard`], so a hostile
//! or damaged file is refused with the cell named instead of filling memory.

mod cells;
mod styles;
mod text;

use std::io::Read;
use std::ops::ControlFlow;
use std::path::Path;

pub(crate) use cells::push_number;
use cells::{Context, SharedStrings};
use styles::Styles;
pub(crate) use text::push_unescaped;

use super::package::Package;
use super::xml_guard::{self, raw_attribute, tag_name, Problem, Token};
use super::{Cell, TableError, MAX_CELL_CHARS};

/// The most bytes of text a workbook's shared strings may hold together.
pub const MAX_SHARED_TEXT_BYTES: usize = 1_000_000_000;
/// The most bytes a workbook's small parts (workbook, relationships, styles) may unpack to.
const MAX_SMALL_PART_BYTES: u64 = 64_000_000;

/// One sheet of a workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub name: String,
    /// Not hidden (`state="hidden"` or `"veryHidden"`).
    pub visible: bool,
    /// A worksheet (not a chart sheet, dialog or macro sheet).
    pub worksheet: bool,
    part: String,
}

/// An opened workbook; its sheets are read on demand, one stream at a time.
pub struct Workbook {
    package: Package,
    sheets: Vec<Sheet>,
    strings: SharedStrings,
    styles: Styles,
    date1904: bool,
    max_part_bytes: u64,
}

impl std::fmt::Debug for Workbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workbook")
            .field("path", &self.package.path())
            .field("sheets", &self.sheets)
            .finish_non_exhaustive()
    }
}

impl Workbook {
    /// Opens `path`: its sheets, shared strings and styles. No part may unpack to more
    /// than `max_part_bytes`.
    pub fn open(path: &Path, max_part_bytes: u64) -> Result<Self, TableError> {
        let package = Package::open(path)?;
        let main = relationships(&package, "_rels/.rels", "")?
            .into_iter()
            .find(|r| r.kind.ends_with("/officeDocument"))
            .map_or_else(|| "xl/workbook.xml".to_owned(), |r| r.part);
        let (folder, file_name) = main.rsplit_once('/').unwrap_or(("", &main));
        let parts = relationships(
            &package,
            &format!("{folder}/_rels/{file_name}.rels"),
            folder,
        )?;
        let part_of = |kind: &str| {
            parts
                .iter()
                .find(|r| r.kind.ends_with(kind))
                .map(|r| r.part.clone())
        };

        let mut sheets = Vec::new();
        let mut date1904 = false;
        for tag in open_tags(&package, &main, &[b"sheet", b"workbookPr"])? {
            if tag_name(&tag).0 == b"workbookPr" {
                date1904 = matches!(raw_attribute(&tag, b"date1904"), Some(b"1" | b"true"));
                continue;
            }
            let name = xml_guard::attribute(&tag, "name").unwrap_or_default();
            let id = relationship_id(&tag).unwrap_or_default();
            let Some(target) = parts.iter().find(|r| r.id == id) else {
                return Err(package.corrupt(format!("sheet {name:?} has no part in the workbook")));
            };
            sheets.push(Sheet {
                visible: !matches!(
                    raw_attribute(&tag, b"state"),
                    Some(b"hidden" | b"veryHidden")
                ),
                worksheet: target.kind.ends_with("/worksheet"),
                part: target.part.clone(),
                name,
            });
        }
        let mut book = Self {
            package,
            sheets,
            strings: SharedStrings::default(),
            styles: Styles::default(),
            date1904,
            max_part_bytes,
        };
        if let Some(part) = part_of("/styles") {
            book.styles = book
                .read_part(&part, |entry| Styles::parse(entry, MAX_SMALL_PART_BYTES))?
                .unwrap_or_default();
        }
        if let Some(part) = part_of("/sharedStrings") {
            let max = max_part_bytes;
            book.strings = book
                .read_part(&part, |entry| {
                    SharedStrings::parse(entry, max, MAX_SHARED_TEXT_BYTES)
                })?
                .unwrap_or_default();
        }
        Ok(book)
    }

    /// The sheets in the workbook's order.
    pub fn sheets(&self) -> &[Sheet] {
        &self.sheets
    }

    /// Visits the non-empty cells of `sheet` in the order written, until `visit` breaks.
    pub fn for_each_cell(
        &self,
        sheet: &str,
        visit: impl FnMut(Cell<'_>) -> ControlFlow<()>,
    ) -> Result<(), TableError> {
        let part = self.part(sheet)?;
        let context = Context {
            strings: &self.strings,
            styles: &self.styles,
            date1904: self.date1904,
        };
        self.read_part(&part, |entry| {
            cells::read_cells(entry, self.max_part_bytes, &context, visit)
        })?
        .ok_or_else(|| {
            self.package
                .corrupt(format!("sheet {sheet:?} has no part {part}"))
        })
    }

    /// The last row (1-based) the sheet says it uses (`<dimension ref="A1:L500">`),
    /// when it says so: what a progress bar may expect, not a count.
    pub fn stated_last_row(&self, sheet: &str) -> Option<u32> {
        let part = self.part(sheet).ok()?;
        self.read_part(&part, |entry| {
            let found = xml_guard::tokenize(entry, self.max_part_bytes, |token| match token {
                Token::Tag(tag) => match tag_name(tag).0 {
                    b"dimension" => {
                        ControlFlow::Break(raw_attribute(tag, b"ref").and_then(last_row))
                    }
                    b"sheetData" => ControlFlow::Break(None),
                    _ => ControlFlow::Continue(()),
                },
                _ => ControlFlow::Continue(()),
            })?;
            Ok(found.flatten())
        })
        .ok()
        .flatten()
        .flatten()
    }

    fn part(&self, sheet: &str) -> Result<String, TableError> {
        self.sheets
            .iter()
            .find(|s| s.name == sheet)
            .map(|s| s.part.clone())
            .ok_or_else(|| TableError::NoSuchSheet {
                path: self.package.path().display().to_string(),
                sheet: sheet.to_owned(),
                available: self
                    .sheets
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Reads part `part` with `read` (`None` when the workbook has no such part), its
    /// problems told as the sheet (or part) they are in.
    fn read_part<T>(
        &self,
        part: &str,
        read: impl FnOnce(&mut dyn Read) -> Result<T, Problem>,
    ) -> Result<Option<T>, TableError> {
        self.package
            .read(part, read)
            .map_err(|problem| self.problem(problem, part))
    }

    fn problem(&self, problem: Problem, part: &str) -> TableError {
        let path = self.package.path().display().to_string();
        let sheet = self
            .sheets
            .iter()
            .find(|s| s.part == part)
            .map_or_else(|| part.to_owned(), |s| s.name.clone());
        match problem {
            Problem::Cell { cell } => TableError::CellTooLarge {
                path,
                sheet,
                cell: cell.unwrap_or_else(|| "(unnamed)".into()),
                reason: format!(
                    "the cell holds more than {MAX_CELL_CHARS} characters (Excel's limit)"
                ),
            },
            Problem::SharedString { index } => self.long_shared_string(index),
            Problem::BadValue { at, reason } => self
                .package
                .corrupt(format!("sheet {sheet:?}, {at}: {reason}")),
            Problem::Markup { reason } => self.package.corrupt(format!(
                "{part} holds {reason}, which spreadsheet programs do not write"
            )),
            Problem::TooLarge => TableError::TooLarge {
                path,
                limit_mb: self.max_part_bytes.min(MAX_SHARED_TEXT_BYTES as u64) / 1_000_000,
            },
            Problem::Io(reason) => self.package.corrupt(format!("{part}: {reason}")),
        }
    }

    /// The error for shared string `index` (0-based) being too long, naming the first
    /// cell that shows it.
    fn long_shared_string(&self, index: usize) -> TableError {
        let found = self.sheets.iter().find_map(|sheet| {
            let cell = self
                .read_part(&sheet.part, |entry| {
                    Ok(xml_guard::cell_showing_shared_string(
                        entry,
                        index,
                        self.max_part_bytes,
                    ))
                })
                .ok()
                .flatten()
                .flatten()?;
            Some((sheet.name.clone(), cell))
        });
        let (sheet, cell) = found.unwrap_or_else(|| {
            (
                "(shared strings)".into(),
                format!("shared string {}", index + 1),
            )
        });
        TableError::CellTooLarge {
            path: self.package.path().display().to_string(),
            sheet,
            cell,
            reason: format!("the cell holds more than {MAX_CELL_CHARS} characters (Excel's limit)"),
        }
    }
}

/// A relationship of a part: its id, its type (a URI) and the part it points to.
struct Relationship {
    id: String,
    kind: String,
    part: String,
}

/// The relationships in `rels`, their targets resolved against `folder`.
fn relationships(
    package: &Package,
    rels: &str,
    folder: &str,
) -> Result<Vec<Relationship>, TableError> {
    Ok(open_tags(package, rels, &[b"Relationship"])?
        .iter()
        .filter(|tag| raw_attribute(tag, b"TargetMode") != Some(b"External"))
        .filter_map(|tag| {
            Some(Relationship {
                id: xml_guard::attribute(tag, "Id")?,
                kind: xml_guard::attribute(tag, "Type")?,
                part: resolve(folder, &xml_guard::attribute(tag, "Target")?),
            })
        })
        .collect())
}

/// The opening tags named `names` in a small part (none when the part is missing).
fn open_tags(package: &Package, part: &str, names: &[&[u8]]) -> Result<Vec<Vec<u8>>, TableError> {
    let mut tags = Vec::new();
    package
        .read(part, |entry| {
            xml_guard::tokenize::<()>(entry, MAX_SMALL_PART_BYTES, |token| {
                if let Token::Tag(tag) = token {
                    let (name, closing) = tag_name(tag);
                    if !closing && names.contains(&name) {
                        tags.push(tag.to_vec());
                    }
                }
                ControlFlow::Continue(())
            })
        })
        .map_err(|problem| {
            package.corrupt(match problem {
                Problem::Markup { reason } => {
                    format!("{part} holds {reason}, which spreadsheet programs do not write")
                }
                Problem::TooLarge => format!("{part} is larger than a workbook writes"),
                other => format!("{part}: {other:?}"),
            })
        })?;
    Ok(tags)
}

/// A sheet's relationship id (`r:id`, whatever the namespace prefix).
fn relationship_id(tag: &[u8]) -> Option<String> {
    if let Some(id) = xml_guard::attribute(tag, "r:id") {
        return Some(id);
    }
    let at = memchr::memmem::find(tag, b":id=")?;
    let start = tag[..at].iter().rposition(|b| b.is_ascii_whitespace())? + 1;
    let name = String::from_utf8_lossy(&tag[start..at + 3]).into_owned();
    xml_guard::attribute(tag, &name)
}

/// A relationship's target as a part name: absolute (`/xl/…`) or relative to `folder`.
fn resolve(folder: &str, target: &str) -> String {
    let target = target.replace('\\', "/");
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None if folder.is_empty() => target,
        None => format!("{folder}/{target}"),
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.join("/")
}

/// The last row of a range such as `A1:L500` (or `B2`).
fn last_row(range: &[u8]) -> Option<u32> {
    let end = range.rsplit(|b| *b == b':').next()?;
    let digits = end.iter().position(u8::is_ascii_digit)?;
    std::str::from_utf8(&end[digits..]).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_like_package_part_names() {
        assert_eq!(
            resolve("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl", "/xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/sub", "../sharedStrings.xml"),
            "xl/sharedStrings.xml"
        );
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
        assert_eq!(last_row(b"A1:L100001"), Some(100_001));
        assert_eq!(last_row(b"B2"), Some(2));
        assert_eq!(
            relationship_id(b"sheet name=\"S\" sheetId=\"1\" ns:id=\"rId3\"").as_deref(),
            Some("rId3")
        );
    }
}
