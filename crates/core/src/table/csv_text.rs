//! Reading CSV and text exports: encoding (UTF-8 with or without BOM, UTF-16 with BOM,
//! Windows-1252 otherwise) and delimiter (comma, semicolon, tab or pipe) are detected.

use std::path::Path;

use super::{Table, TableError};

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

/// The delimiter that splits the first lines into the same, largest number of fields.
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
                .collect();
            let header = widths.first().copied().unwrap_or(0);
            let consistent = widths.iter().filter(|w| **w == header).count();
            // Prefer the delimiter whose header has most fields, matched by most rows.
            ((header > 1) as usize * consistent, header, delimiter)
        })
        .max_by_key(|(consistent, header, delimiter)| {
            (
                *consistent,
                *header,
                std::cmp::Reverse(DELIMITERS.iter().position(|d| d == delimiter)),
            )
        })
        .map_or(b',', |(_, _, delimiter)| delimiter)
}

/// Reads a CSV or text list into a [`Table`]; the first row is the header.
pub fn read_csv(path: &Path) -> Result<Table, TableError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| TableError::Unreadable {
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    if bytes.is_empty() {
        return Err(TableError::Empty { path: shown });
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(TableError::NotText { path: shown, hint: ": it is a spreadsheet (Excel or OpenDocument); open it on the Lists page or save it as CSV".into() });
    }
    let (text, encoding) = decode(bytes);
    if encoding == Encoding::Utf8 && text.contains('\0') {
        return Err(TableError::NotText {
            path: shown,
            hint: String::new(),
        });
    }
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers = match records.next() {
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
    let mut rows = Vec::new();
    for (index, record) in records.enumerate() {
        let record = record.map_err(|e| TableError::Malformed {
            path: shown.clone(),
            row: Table::sheet_row(index),
            reason: e.to_string(),
        })?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        rows.push(record.iter().map(str::to_owned).collect());
    }
    Table::new(path, headers, rows)
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
