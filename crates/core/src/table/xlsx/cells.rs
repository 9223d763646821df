//! The strings of a shared-strings part and the cells of a worksheet part, read in one
//! pass over bounded tokens (see [`xml_guard`]): no cell's text is held beyond
//! [`MAX_CELL_XML_BYTES`], nothing of a sheet is held beyond the cell being read.
//! The markup is ECMA-376 Part 1, §18.3.1 (worksheet `row`, `c`, `v`, `is`) and
//! §18.4 (shared strings `si`, rich text runs `r`/`t`, phonetic runs `rPh`).

use std::io::Read;
use std::ops::ControlFlow;

use super::styles::{push_date, Styles};
use super::text::{excel_unescape, push_unescaped};
use crate::table::grid::MAX_COLUMN;
use crate::table::xml_guard::{
    self, raw_attribute, raw_attributes, tag_name, Problem, Token, MAX_CELL_XML_BYTES,
};
use crate::table::{cell_name, Cell, MAX_CELL_CHARS};

/// A string's text from its `<t>` elements, phonetic runs (`<rPh>`, the readings Excel
/// keeps for Japanese names) left out, as Excel shows it.
#[derive(Default)]
struct RunText {
    in_text: bool,
    phonetic: bool,
    preserve_space: bool,
    /// The current `<t>` as written.
    raw: Vec<u8>,
    text: String,
}

impl RunText {
    fn clear(&mut self) {
        self.in_text = false;
        self.phonetic = false;
        self.raw.clear();
        self.text.clear();
    }

    /// Bytes held for the string so far.
    fn held(&self) -> usize {
        self.raw.len() + self.text.len()
    }

    fn tag(&mut self, name: &[u8], closing: bool, tag: &[u8]) -> Result<(), String> {
        let empty = !closing && tag.ends_with(b"/");
        match name {
            b"rPh" => self.phonetic = !closing && !empty,
            b"t" if !self.phonetic && !closing && !empty => {
                self.in_text = true;
                self.preserve_space = raw_attribute(tag, b"xml:space") == Some(b"preserve");
                self.raw.clear();
            }
            b"t" if closing && self.in_text => {
                self.in_text = false;
                let start = self.text.len();
                push_unescaped(&self.raw, &mut self.text)?;
                if !self.preserve_space {
                    // Without xml:space="preserve" the run's surrounding white space is
                    // markup, not text (XML 1.0 §2.10), as Excel reads it.
                    const SPACE: [char; 4] = [' ', '\t', '\r', '\n'];
                    let run = &self.text[start..];
                    let leading = run.len() - run.trim_start_matches(SPACE).len();
                    let kept = run.trim_matches(SPACE).len();
                    self.text.replace_range(start..start + leading, "");
                    self.text.truncate(start + kept);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn data(&mut self, bytes: &[u8], cdata: bool) {
        if !self.in_text || self.phonetic {
            return;
        }
        push_data(&mut self.raw, bytes, cdata);
    }

    /// The string, Excel's escapes resolved.
    fn finish(&mut self) -> &str {
        excel_unescape(&mut self.text, 0);
        &self.text
    }
}

/// Appends character data as written; a CDATA section's content is escaped so that all
/// of `raw` is resolved alike.
fn push_data(raw: &mut Vec<u8>, bytes: &[u8], cdata: bool) {
    if !cdata {
        raw.extend_from_slice(bytes);
        return;
    }
    for &b in bytes {
        match b {
            b'&' => raw.extend_from_slice(b"&amp;"),
            b'<' => raw.extend_from_slice(b"&lt;"),
            _ => raw.push(b),
        }
    }
}

/// A workbook's shared strings, compactly: one text arena and where each string ends.
#[derive(Debug, Default)]
pub(crate) struct SharedStrings {
    text: String,
    ends: Vec<u32>,
}

impl SharedStrings {
    /// Reads a shared-strings part; their text together may take at most `max_text`
    /// bytes (else [`Problem::TooLarge`]).
    pub(crate) fn parse(
        reader: impl Read,
        max_bytes: u64,
        max_text: usize,
    ) -> Result<Self, Problem> {
        let max_text = max_text.min(u32::MAX as usize);
        let mut strings = Self::default();
        let mut run = RunText::default();
        let failed = xml_guard::tokenize(reader, max_bytes, |token| {
            let index = strings.ends.len();
            match token {
                Token::Tag(tag) => {
                    let (name, closing) = tag_name(tag);
                    if name != b"si" {
                        return match run.tag(name, closing, tag) {
                            Ok(()) => ControlFlow::Continue(()),
                            Err(reason) => ControlFlow::Break(Problem::BadValue {
                                at: format!("shared string {}", index + 1),
                                reason,
                            }),
                        };
                    }
                    if !closing {
                        run.clear();
                    }
                    if closing || tag.ends_with(b"/") {
                        strings.text.push_str(run.finish());
                        run.clear();
                        if strings.text.len() > max_text {
                            return ControlFlow::Break(Problem::TooLarge);
                        }
                        strings.ends.push(strings.text.len() as u32);
                    }
                }
                Token::Text(data) | Token::CData(data) => {
                    run.data(data, matches!(token, Token::CData(_)));
                    if run.held() > MAX_CELL_XML_BYTES {
                        return ControlFlow::Break(Problem::SharedString { index });
                    }
                }
            }
            ControlFlow::Continue(())
        })?;
        match failed {
            Some(problem) => Err(problem),
            None => {
                strings.text.shrink_to_fit();
                strings.ends.shrink_to_fit();
                Ok(strings)
            }
        }
    }

    pub(crate) fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = index.checked_sub(1).map_or(0, |i| self.ends[i] as usize);
        Some(&self.text[start..end])
    }
}

/// What a sheet's cells refer to: the workbook's strings and styles.
pub(crate) struct Context<'w> {
    pub strings: &'w SharedStrings,
    pub styles: &'w Styles,
    pub date1904: bool,
}

/// A cell's type (`t` attribute, §18.18.11 ST_CellType).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `n`, or no `t` at all (then text that is not a number is taken as text).
    Number {
        stated: bool,
    },
    Shared,
    Inline,
    FormulaString,
    Bool,
    Error,
    IsoDate,
}

impl Kind {
    fn of(t: Option<&[u8]>) -> Result<Self, String> {
        Ok(match t {
            None => Kind::Number { stated: false },
            Some(b"n") => Kind::Number { stated: true },
            Some(b"s") => Kind::Shared,
            Some(b"inlineStr") => Kind::Inline,
            Some(b"str") => Kind::FormulaString,
            Some(b"b") => Kind::Bool,
            Some(b"e") => Kind::Error,
            Some(b"d") => Kind::IsoDate,
            Some(other) => {
                return Err(format!(
                    "an unknown cell type {:?}",
                    String::from_utf8_lossy(other)
                ))
            }
        })
    }
}

/// The cell being read.
struct Pending {
    row: u32,
    column: u32,
    kind: Kind,
    date: bool,
}

/// How a read of cells ended early.
enum Stop {
    Visitor,
    Problem(Problem),
}

/// Visits every non-empty cell of a worksheet part in the order written, until `visit`
/// breaks. A cell's problem names the cell.
pub(crate) fn read_cells(
    reader: impl Read,
    max_bytes: u64,
    context: &Context<'_>,
    mut visit: impl FnMut(Cell<'_>) -> ControlFlow<()>,
) -> Result<(), Problem> {
    let mut row = 0u32;
    let mut next_row = 0u32;
    let mut next_column = 0u32;
    let mut pending: Option<Pending> = None;
    let mut in_value = false;
    let mut in_inline = false;
    let mut value: Vec<u8> = Vec::new();
    let mut run = RunText::default();
    let mut shown = String::new();
    let bad = |row: u32, column: u32, reason: String| {
        Stop::Problem(Problem::BadValue {
            at: format!("cell {}", cell_name(row as usize, column as usize)),
            reason,
        })
    };
    let stopped = xml_guard::tokenize(reader, max_bytes, |token| {
        match token {
            Token::Tag(tag) => {
                let (name, closing) = tag_name(tag);
                let empty = !closing && tag.ends_with(b"/");
                match (name, closing) {
                    (b"row", false) => {
                        row = match raw_attribute(tag, b"r").map(parse_number) {
                            Some(Some(r)) if r >= 1 => r - 1,
                            Some(_) => {
                                return ControlFlow::Break(bad(
                                    next_row,
                                    0,
                                    "a row without a valid number".into(),
                                ))
                            }
                            None => next_row,
                        };
                        next_row = row.saturating_add(1);
                        next_column = 0;
                    }
                    (b"c", false) => {
                        let (mut reference, mut kind, mut style) = (None, None, None);
                        for (name, value) in raw_attributes(tag) {
                            match name {
                                b"r" => reference = Some(value),
                                b"t" => kind = Some(value),
                                b"s" => style = Some(value),
                                _ => {}
                            }
                        }
                        let (r, column) = match reference {
                            Some(reference) => match parse_reference(reference) {
                                Some(at) => at,
                                None => {
                                    return ControlFlow::Break(bad(
                                        row,
                                        next_column,
                                        format!(
                                            "a cell reference {:?} that is not one",
                                            String::from_utf8_lossy(reference)
                                        ),
                                    ))
                                }
                            },
                            None => (row, next_column),
                        };
                        if column > MAX_COLUMN {
                            return ControlFlow::Break(Stop::Problem(Problem::BadValue {
                                at: format!("row {}", r as u64 + 1),
                                reason: "a cell beyond column XFD, the last Excel allows".into(),
                            }));
                        }
                        next_column = column + 1;
                        let kind = match Kind::of(kind) {
                            Ok(kind) => kind,
                            Err(reason) => return ControlFlow::Break(bad(r, column, reason)),
                        };
                        let date = style
                            .and_then(parse_number)
                            .is_some_and(|s| context.styles.is_date(s as usize));
                        value.clear();
                        run.clear();
                        (in_value, in_inline) = (false, false);
                        pending = (!empty).then_some(Pending {
                            row: r,
                            column,
                            kind,
                            date,
                        });
                    }
                    (b"c", true) => {
                        let Some(cell) = pending.take() else {
                            return ControlFlow::Continue(());
                        };
                        let (shown_text, numeric) =
                            match cell_text(&cell, &value, &mut run, &mut shown, context) {
                                Ok(Some(shown)) => shown,
                                Ok(None) => return ControlFlow::Continue(()),
                                Err(reason) => {
                                    return ControlFlow::Break(bad(cell.row, cell.column, reason))
                                }
                            };
                        if shown_text.len() > MAX_CELL_CHARS
                            && shown_text.chars().count() > MAX_CELL_CHARS
                        {
                            return ControlFlow::Break(Stop::Problem(Problem::Cell {
                                cell: Some(cell_name(cell.row as usize, cell.column as usize)),
                            }));
                        }
                        let visited = visit(Cell {
                            row: cell.row,
                            column: cell.column,
                            text: shown_text,
                            numeric,
                        });
                        if visited.is_break() {
                            return ControlFlow::Break(Stop::Visitor);
                        }
                    }
                    (b"v", false) => in_value = pending.is_some() && !empty,
                    (b"v", true) => in_value = false,
                    (b"is", false) => in_inline = pending.is_some() && !empty,
                    (b"is", true) => in_inline = false,
                    _ if in_inline => {
                        if let Err(reason) = run.tag(name, closing, tag) {
                            let at = pending
                                .as_ref()
                                .map_or((row, next_column), |p| (p.row, p.column));
                            return ControlFlow::Break(bad(at.0, at.1, reason));
                        }
                    }
                    _ => {}
                }
            }
            Token::Text(data) | Token::CData(data) => {
                let cdata = matches!(token, Token::CData(_));
                if in_value {
                    push_data(&mut value, data, cdata);
                } else if in_inline {
                    run.data(data, cdata);
                } else {
                    return ControlFlow::Continue(());
                }
                if value.len() + run.held() > MAX_CELL_XML_BYTES {
                    let cell = pending
                        .as_ref()
                        .map(|p| cell_name(p.row as usize, p.column as usize));
                    return ControlFlow::Break(Stop::Problem(Problem::Cell { cell }));
                }
            }
        }
        ControlFlow::Continue(())
    })?;
    match stopped {
        Some(Stop::Problem(problem)) => Err(problem),
        Some(Stop::Visitor) | None => Ok(()),
    }
}

/// The text a finished cell shows and whether it is a plain number; `None` when it
/// shows nothing.
fn cell_text<'a>(
    cell: &Pending,
    value: &[u8],
    run: &'a mut RunText,
    shown: &'a mut String,
    context: &'a Context<'_>,
) -> Result<Option<(&'a str, bool)>, String> {
    let trimmed = value.trim_ascii();
    let mut numeric = false;
    let text: &str = match cell.kind {
        Kind::Inline => run.finish(),
        _ if trimmed.is_empty() && cell.kind != Kind::FormulaString => return Ok(None),
        Kind::Shared => {
            let index =
                parse_number(trimmed).ok_or("a shared string reference that is not a number")?;
            context.strings.get(index as usize).ok_or_else(|| {
                format!(
                    "shared string {} is referred to but does not exist",
                    index as u64 + 1
                )
            })?
        }
        Kind::Bool => match trimmed {
            b"1" | b"true" => "TRUE",
            b"0" | b"false" => "FALSE",
            other => {
                return Err(format!(
                    "a TRUE/FALSE cell holding {:?}",
                    String::from_utf8_lossy(other)
                ))
            }
        },
        Kind::FormulaString | Kind::Error | Kind::IsoDate => {
            shown.clear();
            push_unescaped(value, shown)?;
            excel_unescape(shown, 0);
            shown
        }
        Kind::Number { stated } => {
            let written = std::str::from_utf8(trimmed).map_err(|_| "a number that is not UTF-8")?;
            shown.clear();
            match written.parse::<f64>() {
                Ok(number) if cell.date => push_date(number, context.date1904, shown),
                Ok(number) => {
                    numeric = true;
                    push_number(number, shown);
                }
                Err(_) if !stated => push_unescaped(trimmed, shown)?,
                Err(_) => return Err(format!("a number cell holding {written:?}")),
            }
            shown
        }
    };
    Ok((!text.is_empty()).then_some((text, numeric)))
}

/// A number as a list shows it: whole numbers (phones typed as numbers) without a
/// decimal point, others as Rust writes them (shortest round-trip form).
pub(crate) fn push_number(number: f64, out: &mut String) {
    use std::fmt::Write;
    let _ = if number.fract() == 0.0 && number.abs() < 1e15 {
        write!(out, "{}", number as i64)
    } else {
        write!(out, "{number}")
    };
}

/// A whole number written in decimal digits (surrounding white space allowed).
fn parse_number(text: &[u8]) -> Option<u32> {
    let digits = text.trim_ascii();
    if digits.is_empty() || digits.len() > 10 {
        return None;
    }
    digits.iter().try_fold(0u32, |n, &b| {
        b.is_ascii_digit()
            .then_some(())
            .and_then(|()| n.checked_mul(10)?.checked_add(u32::from(b - b'0')))
    })
}

/// A cell reference such as `B7` as 0-based (row, column).
fn parse_reference(reference: &[u8]) -> Option<(u32, u32)> {
    let letters = reference
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let column = reference[..letters].iter().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
    });
    let row = parse_number(&reference[letters..]).filter(|&r| r >= 1)?;
    Some((row - 1, column - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(xml: &str) -> Result<Vec<String>, Problem> {
        let parsed = SharedStrings::parse(xml.as_bytes(), u64::MAX, usize::MAX)?;
        Ok((0..parsed.ends.len())
            .map(|i| parsed.get(i).unwrap().to_owned())
            .collect())
    }

    fn cells(
        xml: &str,
        strings: &SharedStrings,
        styles: &Styles,
    ) -> Result<Vec<(String, String, bool)>, Problem> {
        let context = Context {
            strings,
            styles,
            date1904: false,
        };
        let mut seen = Vec::new();
        read_cells(xml.as_bytes(), u64::MAX, &context, |cell| {
            seen.push((
                cell_name(cell.row as usize, cell.column as usize),
                cell.text.to_owned(),
                cell.numeric,
            ));
            ControlFlow::Continue(())
        })?;
        Ok(seen)
    }

    #[test]
    fn shared_strings_read_as_excel_shows_them() {
        let xml = r#"<sst><si><t>plain</t></si><si/><si><r><t xml:space="preserve">Hello </t></r><r><rPr><b/></rPr><t>world</t></r></si>
            <si><t>山田</t><rPh sb="0" eb="2"><t>ヤマダ</t></rPh></si><si><t>  trimmed  </t></si><si><t><![CDATA[a<b & c]]></t></si><si><t>Tom &amp; Jerry_x000D_</t></si></sst>"#;
        assert_eq!(
            strings(xml).unwrap(),
            [
                "plain",
                "",
                "Hello world",
                "山田",
                "trimmed",
                "a<b & c",
                "Tom & Jerry\r"
            ]
        );
        let mut long = "<sst><si><t>a</t></si><si><t>".to_owned();
        long.push_str(&"x".repeat(MAX_CELL_XML_BYTES + 1));
        long.push_str("</t></si></sst>");
        assert_eq!(strings(&long), Err(Problem::SharedString { index: 1 }));
        assert!(matches!(
            strings("<sst><si><t>&nope;</t></si></sst>"),
            Err(Problem::BadValue { .. })
        ));
    }

    #[test]
    fn cells_of_every_type_read_as_excel_shows_them() {
        let strings =
            SharedStrings::parse(&b"<sst><si><t>Ann</t></si></sst>"[..], u64::MAX, usize::MAX)
                .unwrap();
        let styles = Styles::parse(&br#"<styleSheet><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>"#[..], u64::MAX).unwrap();
        let xml = r#"<worksheet><dimension ref="B2:H3"/><sheetData>
            <row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2"><v>14255551234</v></c><c r="D2" s="1"><v>45500</v></c>
              <c r="E2" t="b"><v>1</v></c><c r="F2" t="e"><v>#N/A</v></c><c r="G2" t="str"><f>A1</f><v>x &amp; y</v></c>
              <c r="H2" t="inlineStr"><is><t>inline</t></is></c></row>
            <row r="3"><c r="B3" s="1"/><c r="C3"><v>1.5</v></c><c><v>2</v></c><c r="F3" t="s"><v></v></c></row>
            <row><c t="d"><v>2024-01-05T00:00:00</v></c></row></sheetData></worksheet>"#;
        let seen = cells(xml, &strings, &styles).unwrap();
        let want = [
            ("B2", "Ann", false),
            ("C2", "14255551234", true),
            ("D2", "2024-07-27 00:00:00", false),
            ("E2", "TRUE", false),
            ("F2", "#N/A", false),
            ("G2", "x & y", false),
            ("H2", "inline", false),
            ("C3", "1.5", true),
            ("D3", "2", true),
            ("A4", "2024-01-05T00:00:00", false),
        ];
        let want: Vec<(String, String, bool)> = want
            .iter()
            .map(|(c, t, n)| (c.to_string(), t.to_string(), *n))
            .collect();
        assert_eq!(seen, want);
    }

    #[test]
    fn bad_cells_are_named() {
        let (strings, styles) = (SharedStrings::default(), Styles::default());
        let problem = |xml: &str| cells(xml, &strings, &styles).unwrap_err();
        let mut long = r#"<sheetData><row r="7"><c r="C7" t="inlineStr"><is><t>"#.to_owned();
        long.push_str(&"x".repeat(MAX_CELL_XML_BYTES + 1));
        assert_eq!(
            problem(&long),
            Problem::Cell {
                cell: Some("C7".into())
            }
        );
        let Problem::BadValue { at, reason } =
            problem(r#"<row r="3"><c r="B3" t="s"><v>4</v></c></row>"#)
        else {
            panic!("a missing shared string is a bad value")
        };
        assert_eq!(at, "cell B3");
        assert!(reason.contains("shared string 5"), "{reason}");
        assert!(
            matches!(problem(r#"<row r="1"><c r="XFE1"><v>1</v></c></row>"#), Problem::BadValue { reason, .. } if reason.contains("XFD"))
        );
        assert!(
            matches!(problem(r#"<row r="1"><c r="A1" t="n"><v>abc</v></c></row>"#), Problem::BadValue { at, .. } if at == "cell A1")
        );
    }
}
