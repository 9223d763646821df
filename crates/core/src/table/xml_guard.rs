//! A streaming check of a workbook's XML parts before a parser buffers them: every text
//! run, tag, comment and CDATA section is bounded, so one cell of gigabytes (which
//! compresses to a few megabytes) is refused with its cell named instead of filling
//! memory. Reads the part once in fixed-size chunks; holds at most one bounded tag.

use std::io::Read;
use std::ops::ControlFlow;

use super::MAX_CELL_CHARS;

/// The most bytes one cell's text may take in XML: Excel's 32,767 characters, each
/// escaped (`&quot;`, `&#x1F600;`) at worst.
pub const MAX_CELL_XML_BYTES: usize = MAX_CELL_CHARS * 10;
/// The most bytes one tag (with its attributes), comment or instruction may take.
pub const MAX_TAG_BYTES: usize = 64 * 1024;

/// What the check found wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A cell's text (in a worksheet) is too long: the cell, e.g. "B7", when named.
    Cell {
        cell: Option<String>,
    },
    /// Shared string number `index` (0-based) is too long.
    SharedString {
        index: usize,
    },
    /// Markup (a tag, comment, instruction, document type) no spreadsheet writes.
    Markup {
        reason: String,
    },
    /// The part holds more bytes than allowed.
    TooLarge,
    Io(String),
}

/// How a part is read, which decides what a problem names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    Worksheet,
    SharedStrings,
    Other,
}

enum Token<'a> {
    Tag(&'a [u8]),
    Text(&'a [u8]),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    Tag,
    Comment,
    CData,
    Instruction,
}

/// Splits XML into bounded tags and text chunks, calling `visit` for each.
fn tokenize<R>(
    mut reader: impl Read,
    max_bytes: u64,
    mut visit: impl FnMut(Token<'_>) -> ControlFlow<R>,
) -> Result<Option<R>, Problem> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut tag: Vec<u8> = Vec::with_capacity(256);
    let mut state = State::Text;
    let mut run = 0usize;
    let mut last = [0u8; 2];
    let mut total: u64 = 0;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => return Ok(None),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Problem::Io(e.to_string())),
        };
        total += n as u64;
        if total > max_bytes {
            return Err(Problem::TooLarge);
        }
        let mut text_start = 0usize;
        for i in 0..n {
            let b = buf[i];
            match state {
                State::Text => {
                    if b == b'<' {
                        if i > text_start {
                            if let ControlFlow::Break(r) = visit(Token::Text(&buf[text_start..i])) {
                                return Ok(Some(r));
                            }
                        }
                        state = State::Tag;
                        tag.clear();
                    }
                }
                State::Tag => {
                    if b == b'>' {
                        if let ControlFlow::Break(r) = visit(Token::Tag(&tag)) {
                            return Ok(Some(r));
                        }
                        state = State::Text;
                        text_start = i + 1;
                        continue;
                    }
                    if tag.len() >= MAX_TAG_BYTES {
                        return Err(Problem::Markup {
                            reason: format!("a tag longer than {} KB", MAX_TAG_BYTES / 1024),
                        });
                    }
                    tag.push(b);
                    match tag.as_slice() {
                        b"!--" => (state, run) = (State::Comment, 0),
                        b"![CDATA[" => (state, run) = (State::CData, 0),
                        b"?" => (state, run) = (State::Instruction, 0),
                        t if t.len() >= 8 && t[..8].eq_ignore_ascii_case(b"!DOCTYPE") => {
                            return Err(Problem::Markup {
                                reason: "a document type declaration".into(),
                            })
                        }
                        _ => {}
                    }
                    last = [0, 0];
                }
                State::Comment | State::Instruction => {
                    run += 1;
                    if run > MAX_TAG_BYTES {
                        return Err(Problem::Markup {
                            reason: format!(
                                "a comment or instruction longer than {} KB",
                                MAX_TAG_BYTES / 1024
                            ),
                        });
                    }
                    let end = match state {
                        State::Comment => b == b'>' && last == *b"--",
                        _ => b == b'>' && last[1] == b'?',
                    };
                    last = [last[1], b];
                    if end {
                        state = State::Text;
                        text_start = i + 1;
                    }
                }
                State::CData => {
                    if b == b'>' && last == *b"]]" {
                        state = State::Text;
                        text_start = i + 1;
                    } else if let ControlFlow::Break(r) = visit(Token::Text(&buf[i..=i])) {
                        return Ok(Some(r));
                    }
                    last = [last[1], b];
                }
            }
        }
        if state == State::Text && n > text_start {
            if let ControlFlow::Break(r) = visit(Token::Text(&buf[text_start..n])) {
                return Ok(Some(r));
            }
        }
    }
}

/// A tag's local name (no `/`, no namespace prefix) and whether it closes.
fn tag_name(tag: &[u8]) -> (&[u8], bool) {
    let closing = tag.first() == Some(&b'/');
    let tag = if closing { &tag[1..] } else { tag };
    let end = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(tag.len());
    let name = &tag[..end];
    let local = name
        .iter()
        .rposition(|b| *b == b':')
        .map_or(name, |i| &name[i + 1..]);
    (local, closing)
}

/// The value of attribute `name` in a tag, unescaped (the five XML entities).
pub fn attribute(tag: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(tag);
    let mut rest: &str = &text;
    while let Some(at) = rest.find(name) {
        let before_ok = at > 0 && rest.as_bytes()[at - 1].is_ascii_whitespace();
        let after = rest[at + name.len()..].trim_start();
        if before_ok {
            if let Some(after) = after.strip_prefix('=') {
                let after = after.trim_start();
                let quote = after.chars().next()?;
                if quote == '"' || quote == '\'' {
                    let value = &after[1..];
                    let end = value.find(quote)?;
                    return Some(
                        value[..end]
                            .replace("&lt;", "<")
                            .replace("&gt;", ">")
                            .replace("&quot;", "\"")
                            .replace("&apos;", "'")
                            .replace("&amp;", "&"),
                    );
                }
            }
        }
        rest = &rest[at + name.len()..];
    }
    None
}

/// Checks one XML part: every cell's (or shared string's) text within
/// [`MAX_CELL_XML_BYTES`], every tag within [`MAX_TAG_BYTES`], the part within
/// `max_bytes`.
pub fn check_part(reader: impl Read, kind: PartKind, max_bytes: u64) -> Result<(), Problem> {
    let mut unit = 0usize;
    let mut strings = 0usize;
    // The last cell's tag, named only when a problem is found (cheap per cell).
    let mut cell_tag: Vec<u8> = Vec::new();
    let found = tokenize(reader, max_bytes, |token| {
        match token {
            Token::Tag(tag) => {
                let (name, closing) = tag_name(tag);
                if closing {
                    return ControlFlow::Continue(());
                }
                match (kind, name) {
                    (PartKind::SharedStrings, b"si") => {
                        strings += 1;
                        unit = 0;
                    }
                    (PartKind::Worksheet, b"c") => {
                        cell_tag.clear();
                        cell_tag.extend_from_slice(tag);
                        unit = 0;
                    }
                    (PartKind::Other, _) => unit = 0,
                    _ => {}
                }
            }
            Token::Text(text) => {
                unit += text.len();
                if unit > MAX_CELL_XML_BYTES {
                    return ControlFlow::Break(match kind {
                        PartKind::SharedStrings => Problem::SharedString {
                            index: strings.saturating_sub(1),
                        },
                        PartKind::Worksheet => Problem::Cell {
                            cell: attribute(&cell_tag, "r"),
                        },
                        PartKind::Other => Problem::Markup {
                            reason: "a text longer than Excel writes".into(),
                        },
                    });
                }
            }
        }
        ControlFlow::Continue(())
    })?;
    match found {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

/// The cell (e.g. "B7") of a worksheet part that shows shared string `index`.
pub fn cell_showing_shared_string(
    reader: impl Read,
    index: usize,
    max_bytes: u64,
) -> Option<String> {
    let mut cell: Option<String> = None;
    let mut shared = false;
    let mut in_value = false;
    let mut value: Vec<u8> = Vec::new();
    let wanted = index.to_string();
    tokenize(reader, max_bytes, |token| {
        match token {
            Token::Tag(tag) => {
                let (name, closing) = tag_name(tag);
                match (name, closing) {
                    (b"c", false) => {
                        cell = attribute(tag, "r");
                        shared = attribute(tag, "t").as_deref() == Some("s");
                    }
                    (b"v", false) => {
                        in_value = true;
                        value.clear();
                    }
                    (b"v", true) => {
                        in_value = false;
                        if shared && value.trim_ascii() == wanted.as_bytes() {
                            return ControlFlow::Break(cell.clone());
                        }
                    }
                    _ => {}
                }
            }
            Token::Text(text) => {
                if in_value && value.len() < 32 {
                    value.extend_from_slice(&text[..text.len().min(32)]);
                }
            }
        }
        ControlFlow::Continue(())
    })
    .ok()
    .flatten()
    .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(text_len: usize) -> Vec<u8> {
        let mut xml = b"<?xml version=\"1.0\"?><worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>ok</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>".to_vec();
        xml.extend(std::iter::repeat_n(b'a', text_len));
        xml.extend_from_slice(b"</t></is></c></row></sheetData></worksheet>");
        xml
    }

    #[test]
    fn a_long_cell_is_named() {
        assert_eq!(
            check_part(&sheet(100)[..], PartKind::Worksheet, u64::MAX),
            Ok(())
        );
        assert_eq!(
            check_part(
                &sheet(MAX_CELL_XML_BYTES + 1)[..],
                PartKind::Worksheet,
                u64::MAX
            ),
            Err(Problem::Cell {
                cell: Some("B1".into())
            })
        );
        assert_eq!(
            check_part(&sheet(100)[..], PartKind::Worksheet, 50),
            Err(Problem::TooLarge)
        );
    }

    #[test]
    fn shared_strings_are_counted_and_found() {
        let mut sst = b"<sst><si><t>a</t></si><si><r><t>b</t></r></si><si><t>".to_vec();
        sst.extend(std::iter::repeat_n(b'x', MAX_CELL_XML_BYTES + 5));
        sst.extend_from_slice(b"</t></si></sst>");
        assert_eq!(
            check_part(&sst[..], PartKind::SharedStrings, u64::MAX),
            Err(Problem::SharedString { index: 2 })
        );
        let sheet = b"<worksheet><sheetData><row><c r=\"A1\" t=\"s\"><v>1</v></c><c r=\"C4\" t=\"s\"><v>2</v></c></row></sheetData></worksheet>";
        assert_eq!(
            cell_showing_shared_string(&sheet[..], 2, u64::MAX),
            Some("C4".into())
        );
    }

    #[test]
    fn comments_cdata_and_doctypes_are_bounded() {
        let mut comment = b"<a><!--".to_vec();
        comment.extend(std::iter::repeat_n(b'>', MAX_TAG_BYTES + 1));
        comment.extend_from_slice(b"--></a>");
        assert!(matches!(
            check_part(&comment[..], PartKind::Other, u64::MAX),
            Err(Problem::Markup { .. })
        ));
        let mut cdata = b"<worksheet><c r=\"D2\"><v><![CDATA[".to_vec();
        cdata.extend(std::iter::repeat_n(b'<', MAX_CELL_XML_BYTES + 1));
        cdata.extend_from_slice(b"]]></v></c></worksheet>");
        assert_eq!(
            check_part(&cdata[..], PartKind::Worksheet, u64::MAX),
            Err(Problem::Cell {
                cell: Some("D2".into())
            })
        );
        assert!(matches!(
            check_part(
                &b"<!DOCTYPE x [<!ENTITY a \"b\">]><x/>"[..],
                PartKind::Other,
                u64::MAX
            ),
            Err(Problem::Markup { .. })
        ));
        assert_eq!(attribute(b"c r=\"A1\" t='s'", "t").as_deref(), Some("s"));
        assert_eq!(
            attribute(b"sheet name=\"A &amp; B\" r:id=\"rId2\"", "r:id").as_deref(),
            Some("rId2")
        );
    }
}
