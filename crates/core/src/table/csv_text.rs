//! Reading CSV and text exports: encoding (UTF-8 with or without BOM, UTF-16 with BOM,
//! Windows-1252 otherwise) and delimiter (comma, semicolon, tab or pipe) are detected.

use std::path::Path;

use super::{check_headers, Table, TableError};

/// The text encodings a list file may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

/// Decodes file bytes to text, choosing the encoding from the BOM, else UTF-8 when
/// the bytes are valid UTF-8 (taken over without a copy), else Windows-1252 (what
/// Excel writes on Western Windows).
pub fn decode(mut bytes: Vec<u8>) -> (String, Encoding) {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
        return match String::from_utf8(bytes) {
            Ok(text) => (text, Encoding::Utf8),
            Err(e) => (
                String::from_utf8_lossy(e.as_bytes()).into_owned(),
                Encoding::Utf8,
            ),
        };
    }
    let (encoding, label) = match bytes.as_slice() {
        [0xFF, 0xFE, ..] => (encoding_rs::UTF_16LE, Encoding::Utf16Le),
        [0xFE, 0xFF, ..] => (encoding_rs::UTF_16BE, Encoding::Utf16Be),
        _ => match String::from_utf8(bytes) {
            Ok(text) => return (text, Encoding::Utf8),
            Err(e) => {
                bytes = e.into_bytes();
                (encoding_rs::WINDOWS_1252, Encoding::Windows1252)
            }
        },
    };
    let (text, _, _) = encoding.decode(&bytes);
    (text.into_owned(), label)
}

const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The delimiter that splits the first lines into the same, largest number of fields
/// (most lines first: a title line above the header has fewer).
pub fn sniff_delimiter(text: &str) -> u8 {
    let sample: String = text.lines().take(50).collect::<Vec<_>>().join("\n");
    DELIMITERS
        .into_iter()
        .map(|delimiter| {
            let widths: Vec<usize> = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .from_reader(sample.as_bytes())
                .records()
                .map_while(Result::ok)
                .map(|record| record.len())
                .filter(|width| *width > 1)
                .collect();
            // The width most lines share, and how many share it.
            let (lines, width) = widths
                .iter()
                .map(|w| (widths.iter().filter(|x| *x == w).count(), *w))
                .max()
                .unwrap_or((0, 0));
            (lines, width, delimiter)
        })
        .max_by_key(|(lines, width, delimiter)| {
            (
                *lines,
                *width,
                std::cmp::Reverse(DELIMITERS.iter().position(|d| d == delimiter)),
            )
        })
        .map_or(b',', |(_, _, delimiter)| delimiter)
}

/// A text list read into memory: its text (without Excel's `sep=` line), encoding and
/// delimiter, checked to be text and to have every quote closed.
#[derive(Debug)]
pub struct TextFile {
    pub text: String,
    pub encoding: Encoding,
    pub delimiter: u8,
    /// The file began with Excel's `sep=` line (skipped; Excel does not show it).
    pub sep_line: bool,
}

/// Reads and checks a text list (see [`TextFile`]).
pub fn load_text(path: &Path) -> Result<TextFile, TableError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| TableError::Unreadable {
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    text_from_bytes(path, bytes)
}

/// As [`load_text`], from bytes already read.
pub fn text_from_bytes(path: &Path, bytes: Vec<u8>) -> Result<TextFile, TableError> {
    let shown = path.display().to_string();
    if bytes.is_empty() {
        return Err(TableError::Empty { path: shown });
    }
    let head = &bytes[..bytes.len().min(8)];
    let spreadsheet = head.starts_with(b"PK\x03\x04") || head.starts_with(super::kind::CFB_MAGIC);
    if spreadsheet {
        return Err(TableError::NotText { path: shown, hint: ": it is a spreadsheet (Excel or OpenDocument); open it on the Lists page or save it as CSV".into() });
    }
    if let Some(kind) = super::kind::sniff_magic(head) {
        return Err(TableError::NotText {
            path: shown,
            hint: format!(": it is {}", kind.describe()),
        });
    }
    let (mut text, encoding) = decode(bytes);
    if let Some(line) = binary_line(&text) {
        return Err(TableError::NotText {
            path: shown,
            hint: format!(": it holds binary data (control characters such as NUL on line {line}), not text; export the list again as CSV"),
        });
    }
    let sep = sep_line(&text);
    if let Some((_, skip)) = sep {
        text.drain(..skip);
    }
    let delimiter = match sep {
        Some((delimiter, _)) => delimiter,
        None => sniff_delimiter(&text),
    };
    let mut counter = RowCounter::new(delimiter);
    counter.advance(text.as_bytes(), text.len());
    if let Some((row, field)) = counter.unclosed_quote() {
        return Err(TableError::Malformed {
            path: shown,
            row,
            reason: format!("column {}: a quote (\") opens here and is never closed, so every row after it would be lost; close or remove the quote and try again", super::column_letter(field)),
        });
    }
    Ok(TextFile {
        text,
        encoding,
        delimiter,
        sep_line: sep.is_some(),
    })
}

/// Excel's `sep=X` first line: the delimiter and the bytes to skip.
fn sep_line(text: &str) -> Option<(u8, usize)> {
    let end = text.find('\n').map_or(text.len(), |i| i + 1);
    let line = text[..end].trim_end_matches(['\r', '\n']);
    let rest = line.get(..4).filter(|p| p.eq_ignore_ascii_case("sep="))?;
    let delimiter = &line[rest.len()..];
    match delimiter.as_bytes() {
        [d] if d.is_ascii() && *d != b'"' => Some((*d, end)),
        _ => None,
    }
}

/// The 1-based line of the first sign of binary content: a NUL, or control characters
/// making up more than 1% of the text. Text lists hold only tabs and line breaks.
pub fn binary_line(text: &str) -> Option<usize> {
    let control = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0B' | '\x0C' | '\x1A'))
            || c == '\u{FFFD}'
    };
    let line_of = |at: usize| text[..at].matches('\n').count() + 1;
    if let Some(at) = text.find('\0') {
        return Some(line_of(at));
    }
    let (mut chars, mut controls, mut first) = (0usize, 0usize, None);
    for (at, c) in text.char_indices() {
        chars += 1;
        if control(c) {
            controls += 1;
            first.get_or_insert(at);
        }
    }
    (controls >= 4 && controls * 100 >= chars).then(|| line_of(first.unwrap_or(0)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    StartField,
    InField,
    InQuoted,
    QuoteInQuoted,
}

/// Counts rows as Excel shows them while walking CSV text the way the csv crate parses
/// it: every line break outside quotes starts a row (blank lines included), a quote
/// opens a quoted cell only at the start of a cell, and `""` inside one is a quote.
#[derive(Debug, Clone)]
pub struct RowCounter {
    delimiter: u8,
    pos: usize,
    row: usize,
    field: usize,
    state: QuoteState,
    after_cr: bool,
    opened: (usize, usize),
}

impl RowCounter {
    pub fn new(delimiter: u8) -> Self {
        Self {
            delimiter,
            pos: 0,
            row: 1,
            field: 0,
            state: QuoteState::StartField,
            after_cr: false,
            opened: (1, 0),
        }
    }

    /// Walks `bytes` up to byte `to` (never backwards) and returns the row there.
    pub fn advance(&mut self, bytes: &[u8], to: usize) -> usize {
        let to = to.min(bytes.len());
        while self.pos < to {
            let b = bytes[self.pos];
            self.pos += 1;
            let newline = b == b'\n' || b == b'\r';
            if self.state == QuoteState::InQuoted {
                if b == b'"' {
                    self.state = QuoteState::QuoteInQuoted;
                }
                continue;
            }
            if self.state == QuoteState::QuoteInQuoted && b == b'"' {
                self.state = QuoteState::InQuoted;
                continue;
            }
            if newline {
                if !(b == b'\n' && self.after_cr) {
                    self.row += 1;
                }
                self.after_cr = b == b'\r';
                self.field = 0;
                self.state = QuoteState::StartField;
                continue;
            }
            self.after_cr = false;
            if b == self.delimiter {
                self.field += 1;
                self.state = QuoteState::StartField;
            } else if self.state == QuoteState::StartField && b == b'"' {
                self.opened = (self.row, self.field);
                self.state = QuoteState::InQuoted;
            } else {
                self.state = QuoteState::InField;
            }
        }
        self.row
    }

    /// (row, 0-based column) of a quote still open where the walk stopped.
    pub fn unclosed_quote(&self) -> Option<(usize, usize)> {
        (self.state == QuoteState::InQuoted).then_some(self.opened)
    }
}

/// Reads a CSV or text list into a [`Table`]; the first row is the header.
pub fn read_csv(path: &Path) -> Result<Table, TableError> {
    let shown = path.display().to_string();
    let file = load_text(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(file.delimiter)
        .from_reader(file.text.as_bytes());
    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        Some(Ok(record)) => record.iter().map(str::to_owned).collect(),
        Some(Err(e)) => {
            return Err(TableError::Malformed {
                path: shown,
                row: 1,
                reason: e.to_string(),
            })
        }
        None => return Err(TableError::Empty { path: shown }),
    };
    check_headers(path, &headers)?;
    let (mut rows, mut sheet_rows) = (Vec::new(), Vec::new());
    let mut counter = RowCounter::new(file.delimiter);
    let bytes = file.text.as_bytes();
    for record in records {
        let record = record.map_err(|e| TableError::Malformed {
            path: shown.clone(),
            row: e
                .position()
                .map_or(0, |p| counter.clone().advance(bytes, p.byte() as usize)),
            reason: e.to_string(),
        })?;
        let Some(position) = record.position() else {
            continue;
        };
        // The csv crate skips blank lines before a record; Excel counts them.
        let mut at = position.byte() as usize;
        while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        let row = counter.advance(bytes, at);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        rows.push(record.iter().map(str::to_owned).collect());
        sheet_rows.push(row);
    }
    Ok(Table::with_sheet_rows(path, headers, rows, sheet_rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decodes_boms_utf8_and_windows_1252() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFa,b".to_vec()),
            ("a,b".into(), Encoding::Utf8)
        );
        assert_eq!(
            decode(b"\xFF\xFEa\0,\0b\0".to_vec()),
            ("a,b".into(), Encoding::Utf16Le)
        );
        assert_eq!(
            decode(b"\xFE\xFF\0a\0,\0b".to_vec()),
            ("a,b".into(), Encoding::Utf16Be)
        );
        assert_eq!(
            decode("Müller".as_bytes().to_vec()),
            ("Müller".into(), Encoding::Utf8)
        );
        assert_eq!(
            decode(b"M\xfcller".to_vec()),
            ("Müller".into(), Encoding::Windows1252)
        );
    }

    #[test]
    fn sniffs_each_delimiter_and_ignores_quoted_ones() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n1;\"2,5\";3\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b\n1|2\n"), b'|');
        assert_eq!(
            sniff_delimiter("\"Smith, John\";555\n\"Doe, Jane\";556\n"),
            b';'
        );
    }

    proptest! {
        #[test]
        fn sniffing_and_decoding_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let (text, _) = decode(bytes);
            let _ = sniff_delimiter(&text);
        }
    }
}
