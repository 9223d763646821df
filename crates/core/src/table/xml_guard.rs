//! The bounded XML tokenizer under the workbook reader: splits a part into tags and
//! text in one pass over fixed-size chunks, holding at most one bounded tag, and
//! refuses comments, instructions and tags beyond their bounds and document type
//! declarations (entity expansion), so a part of gigabytes (which compresses to a few
//! megabytes) is refused instead of filling memory. Readers bound text themselves.

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
    /// Text or a value no spreadsheet writes, at a place such as "cell B7".
    BadValue {
        at: String,
        reason: String,
    },
    Io(String),
}

/// One piece of a part, as the tokenizer hands it out.
pub(crate) enum Token<'a> {
    /// A tag without its `<` and `>`, e.g. `c r="A1" t="s"` or `/row`.
    Tag(&'a [u8]),
    /// Character data as written (entities not yet resolved); one run may come in pieces.
    Text(&'a [u8]),
    /// The literal content of a CDATA section (nothing to resolve), in pieces.
    CData(&'a [u8]),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    Tag,
    /// A tag that began with `!` or `?`: read a byte at a time to tell what it is.
    Declaration,
    Comment,
    CData,
    Instruction,
}

/// Splits XML into bounded tags and text chunks, calling `visit` for each: one pass
/// over the part in fixed-size chunks, at most [`MAX_TAG_BYTES`] held for a tag.
pub(crate) fn tokenize<R>(
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
    let long_tag = || Problem::Markup {
        reason: format!("a tag longer than {} KB", MAX_TAG_BYTES / 1024),
    };
    macro_rules! emit {
        ($token:expr) => {
            if let ControlFlow::Break(r) = visit($token) {
                return Ok(Some(r));
            }
        };
    }
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
        let mut i = 0usize;
        while i < n {
            match state {
                State::Text => match memchr::memchr(b'<', &buf[i..n]) {
                    Some(at) => {
                        let lt = i + at;
                        if lt > text_start {
                            emit!(Token::Text(&buf[text_start..lt]));
                        }
                        state = State::Tag;
                        tag.clear();
                        i = lt + 1;
                    }
                    None => i = n,
                },
                State::Tag if tag.is_empty() && matches!(buf[i], b'!' | b'?') => {
                    state = State::Declaration;
                }
                State::Tag => {
                    let found = memchr::memchr(b'>', &buf[i..n]);
                    let end = found.map_or(n, |at| i + at);
                    if tag.len() + (end - i) > MAX_TAG_BYTES {
                        return Err(long_tag());
                    }
                    tag.extend_from_slice(&buf[i..end]);
                    i = end;
                    if found.is_some() {
                        emit!(Token::Tag(&tag));
                        state = State::Text;
                        i += 1;
                        text_start = i;
                    }
                }
                State::Declaration => {
                    let b = buf[i];
                    i += 1;
                    if b == b'>' {
                        emit!(Token::Tag(&tag));
                        state = State::Text;
                        text_start = i;
                        continue;
                    }
                    if tag.len() >= MAX_TAG_BYTES {
                        return Err(long_tag());
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
                    let b = buf[i];
                    i += 1;
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
                        text_start = i;
                    }
                }
                State::CData => {
                    // `]` is held back until it is known not to begin the closing `]]>`.
                    let b = buf[i];
                    i += 1;
                    match b {
                        b']' => {
                            run += 1;
                            if run > 2 {
                                emit!(Token::CData(b"]"));
                                run = 2;
                            }
                        }
                        b'>' if run == 2 => {
                            state = State::Text;
                            text_start = i;
                        }
                        _ => {
                            for _ in 0..std::mem::take(&mut run) {
                                emit!(Token::CData(b"]"));
                            }
                            emit!(Token::CData(&buf[i - 1..i]));
                        }
                    }
                }
            }
        }
        if state == State::Text && n > text_start {
            emit!(Token::Text(&buf[text_start..n]));
        }
    }
}

/// A tag's local name (no `/`, no namespace prefix) and whether it closes.
pub(crate) fn tag_name(tag: &[u8]) -> (&[u8], bool) {
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

/// The attributes of a tag as written (names with their prefix, values without their
/// quotes, no entities resolved), in one pass and without allocating: for the
/// attributes a sheet writes on every row and cell. Stops at the first malformed one.
pub(crate) fn raw_attributes(tag: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let start = tag
        .iter()
        .position(u8::is_ascii_whitespace)
        .unwrap_or(tag.len());
    let mut rest = &tag[start..];
    std::iter::from_fn(move || {
        let equals = memchr::memchr(b'=', rest)?;
        let name = rest[..equals].trim_ascii();
        let after = rest[equals + 1..].trim_ascii_start();
        let quote = *after.first()?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let end = memchr::memchr(quote, &after[1..])?;
        let value = &after[1..=end];
        rest = &after[end + 2..];
        Some((name, value))
    })
}

/// The value of attribute `name` in a tag as written (see [`raw_attributes`]).
pub(crate) fn raw_attribute<'a>(tag: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    raw_attributes(tag)
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
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
            Token::Text(text) | Token::CData(text) => {
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

    /// The texts and tags of `xml`, or its problem.
    fn tokens(xml: &[u8], max_bytes: u64) -> Result<Vec<String>, Problem> {
        let mut seen: Vec<String> = Vec::new();
        tokenize::<()>(xml, max_bytes, |token| {
            match token {
                Token::Tag(tag) => seen.push(format!("<{}>", String::from_utf8_lossy(tag))),
                Token::Text(text) | Token::CData(text) => match seen.last_mut() {
                    Some(last) if !last.starts_with('<') => {
                        last.push_str(&String::from_utf8_lossy(text))
                    }
                    _ => seen.push(String::from_utf8_lossy(text).into_owned()),
                },
            }
            ControlFlow::Continue(())
        })?;
        Ok(seen)
    }

    #[test]
    fn parts_split_into_tags_and_text() {
        assert_eq!(
            tokens(
                b"<?xml version=\"1.0\"?><a x=\"1\">one<!-- a > b --><b/>t<![CDATA[<x>]]]]></a>",
                u64::MAX
            )
            .unwrap(),
            ["<a x=\"1\">", "one", "<b/>", "t<x>]]", "</a>"]
        );
        assert_eq!(tokens(b"<a>text</a>", 5), Err(Problem::TooLarge));
    }

    #[test]
    fn comments_tags_and_doctypes_are_bounded() {
        let mut comment = b"<a><!--".to_vec();
        comment.extend(std::iter::repeat_n(b'>', MAX_TAG_BYTES + 1));
        comment.extend_from_slice(b"--></a>");
        assert!(matches!(
            tokens(&comment, u64::MAX),
            Err(Problem::Markup { .. })
        ));
        let mut tag = b"<a b=\"".to_vec();
        tag.extend(std::iter::repeat_n(b'x', MAX_TAG_BYTES + 1));
        tag.extend_from_slice(b"\"/>");
        assert!(matches!(
            tokens(&tag, u64::MAX),
            Err(Problem::Markup { .. })
        ));
        assert!(matches!(
            tokens(b"<!DOCTYPE x [<!ENTITY a \"b\">]><x/>", u64::MAX),
            Err(Problem::Markup { .. })
        ));
    }

    #[test]
    fn attributes_are_read_with_and_without_entities() {
        assert_eq!(attribute(b"c r=\"A1\" t='s'", "t").as_deref(), Some("s"));
        assert_eq!(
            attribute(b"sheet name=\"A &amp; B\" r:id=\"rId2\"", "r:id").as_deref(),
            Some("rId2")
        );
        assert_eq!(raw_attribute(b"c r=\"A1\" t='s'", b"t"), Some(&b"s"[..]));
        assert_eq!(
            raw_attribute(b"c rt=\"x\" r = \"B2\"", b"r"),
            Some(&b"B2"[..])
        );
        assert_eq!(raw_attribute(b"c r=\"A1\"", b"s"), None);
        assert_eq!(
            raw_attributes(b"c r=\"A1\" s='2' t=\"s\"/").collect::<Vec<_>>(),
            [(&b"r"[..], &b"A1"[..]), (b"s", b"2"), (b"t", b"s")]
        );
    }

    #[test]
    fn the_cell_showing_a_shared_string_is_found() {
        let sheet = b"<worksheet><sheetData><row><c r=\"A1\" t=\"s\"><v>1</v></c><c r=\"C4\" t=\"s\"><v>2</v></c></row></sheetData></worksheet>";
        assert_eq!(
            cell_showing_shared_string(&sheet[..], 2, u64::MAX),
            Some("C4".into())
        );
        assert_eq!(cell_showing_shared_string(&sheet[..], 7, u64::MAX), None);
    }
}
