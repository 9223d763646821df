//! Reading list files as administrators really make them (tests/fixtures/lists/reader-*,
//! written by make_reader_fixtures.py): broken quotes, misnamed and binary files,
//! Excel's `sep=` line, tables away from A1, titles above the header, data on another
//! sheet, a stray far cell and a gigantic one.

use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use dynbridge_core::lists::{Format, ReadLimits, Source};
use dynbridge_core::table::{self, TableError};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/lists")
        .join(name)
}

fn open(name: &str) -> Result<Source, TableError> {
    Source::open(&fixture(name), None, ReadLimits::default())
}

fn rows(source: &Source) -> Vec<(usize, Vec<String>)> {
    let mut rows = Vec::new();
    source
        .for_each_row(|row, cells| {
            rows.push((row, cells.to_vec()));
            ControlFlow::Continue(())
        })
        .unwrap();
    rows
}

const HEADER: [&str; 3] = ["Full Name", "Business Phone", "Contact ID"];

#[test]
fn an_unclosed_quote_is_an_error_naming_its_row() {
    let error = open("reader-unclosed-quote.csv").err().expect("refused");
    assert!(
        matches!(error, TableError::Malformed { row: 12, .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("reader-unclosed-quote.csv, row 12"),
        "{message}"
    );
    assert!(message.contains("column A"), "{message}");
    let error = table::read_csv(&fixture("reader-unclosed-quote.csv")).unwrap_err();
    assert!(
        matches!(error, TableError::Malformed { row: 12, .. }),
        "{error:?}"
    );
}

#[test]
fn quoted_line_breaks_keep_excel_row_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.csv");
    std::fs::write(
        &path,
        "Name,Note\r\nAnn,\"two\r\nlines\"\r\n\r\nBob,\"say \"\"hi\"\"\"\r\n",
    )
    .unwrap();
    let source = Source::open(&path, None, ReadLimits::default()).unwrap();
    let rows = rows(&source);
    assert_eq!(rows[0], (2, vec!["Ann".into(), "two\r\nlines".into()]));
    assert_eq!(rows[1], (4, vec!["Bob".into(), "say \"hi\"".into()]));
}

#[test]
fn files_are_read_by_what_they_are_not_by_their_names() {
    let xls = open("reader-xls-named.xlsx").unwrap();
    assert_eq!(xls.format, Format::Xls);
    assert_eq!(xls.headers, HEADER);
    assert!(
        xls.notes[0].contains(
            "this file is an Excel 97–2003 workbook (.xls) named .xlsx; it was read as .xls"
        ),
        "{:?}",
        xls.notes
    );
    assert_eq!(rows(&xls).len(), 3);

    let csv = open("reader-csv-named.xlsx").unwrap();
    assert_eq!(csv.format, Format::Csv);
    assert_eq!(csv.headers, HEADER);
    assert!(
        csv.notes[0].contains("a text (CSV) file named .xlsx; it was read as CSV"),
        "{:?}",
        csv.notes
    );

    let empty = open("reader-empty.xlsx").err().unwrap();
    assert!(matches!(empty, TableError::Empty { .. }), "{empty:?}");

    for (name, what) in [
        ("reader-pdf-named.csv", "a PDF document"),
        ("reader-exe-named.csv", "a Windows program"),
        ("reader-elf-named.csv", "a Linux program"),
        ("not-a-spreadsheet.xlsx", "a PDF document"),
    ] {
        let error = open(name).err().unwrap_or_else(|| panic!("{name} opened"));
        assert!(
            matches!(error, TableError::NotSpreadsheet { .. }),
            "{name}: {error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains(name) && message.contains(what),
            "{message}"
        );
        let error = table::read_csv(&fixture(name)).unwrap_err();
        assert!(
            matches!(error, TableError::NotText { .. }),
            "{name}: {error:?}"
        );
    }

    let locked = open("password-protected.xlsx").err().unwrap();
    assert!(
        matches!(locked, TableError::PasswordProtected { .. }),
        "{locked:?}"
    );
}

#[test]
fn binary_content_is_refused_in_every_encoding() {
    for name in ["reader-nul-1252.csv", "reader-nul-utf16.csv"] {
        let error = open(name).err().unwrap_or_else(|| panic!("{name} opened"));
        assert!(
            matches!(error, TableError::NotText { .. }),
            "{name}: {error:?}"
        );
        assert!(error.to_string().contains("binary"), "{error}");
        assert!(table::read_csv(&fixture(name)).is_err());
    }
}

#[test]
fn excels_sep_line_sets_the_delimiter_and_is_not_a_row() {
    let source = open("reader-sep-line.csv").unwrap();
    assert_eq!(source.headers, HEADER);
    assert_eq!(source.header_row, 1);
    assert_eq!(
        rows(&source),
        vec![
            (2, vec!["Ann, Jr".into(), "555,1".into(), "x".into()]),
            (4, vec!["Bob".into(), "556".into(), "y".into()]),
        ]
    );
    let table = table::read_csv(&fixture("reader-sep-line.csv")).unwrap();
    assert_eq!(table.headers, HEADER);
    assert_eq!(table.rows.len(), 2);
}

#[test]
fn rows_and_columns_are_named_as_excel_shows_them() {
    let source = open("reader-offset.xlsx").unwrap();
    assert_eq!(source.headers, HEADER);
    assert_eq!(source.header_row, 3);
    assert_eq!(source.first_column, 1);
    assert_eq!(source.column_letter(0), "B");
    assert_eq!(source.column_letter(2), "D");
    assert_eq!(source.expected_rows(), Some(3));
    let numbers: Vec<usize> = rows(&source).iter().map(|(row, _)| *row).collect();
    assert_eq!(numbers, [4, 5, 6]);

    let error = open("reader-offset-duplicate.xlsx").err().unwrap();
    let message = error.to_string();
    assert!(
        message.contains("sheet \"Contacts\", row 3: columns B and E are both named \"Full Name\""),
        "{message}"
    );
}

#[test]
fn the_header_under_a_title_on_the_sheet_with_the_list_is_found() {
    let source = open("reader-title-second-sheet.xlsx").unwrap();
    assert_eq!(source.sheet.as_deref(), Some("Contacts"));
    assert_eq!(source.sheets, ["Read me", "Contacts", "Totals"]);
    assert_eq!(source.headers, HEADER);
    assert_eq!(source.header_row, 3);
    assert_eq!(source.header_rows.first(), Some(&3));
    let rows = rows(&source);
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0].0, 4);
    let notes = source.notes.join(" ");
    assert!(
        notes.contains("read sheet \"Contacts\"")
            && notes.contains("\"Read me\"")
            && notes.contains("\"Totals\""),
        "{notes}"
    );
    // The user may still choose another sheet and header row.
    let other = Source::open_at(
        &fixture("reader-title-second-sheet.xlsx"),
        Some("Totals"),
        Some(1),
        ReadLimits::default(),
    )
    .unwrap();
    assert_eq!(other.headers, ["Region", "Count"]);
}

#[test]
fn a_stray_value_in_the_last_cell_costs_nothing() {
    let source = open("reader-xfd1048576.xlsx").unwrap();
    assert_eq!(source.headers, ["Full Name", "Business Phone"]);
    // The sheet states its extent down to the stray cell; the rows are counted.
    assert!(source.expected_rows().unwrap() >= 49);
    let inspection = dynbridge_core::lists::inspect(&source, &Default::default());
    assert_eq!(inspection.rows, Some(49));
    let rows = rows(&source);
    assert_eq!(rows.len(), 49);
    assert_eq!(rows.last().unwrap().0, 50);
}

// --- A workbook with one 1.85 GB shared string, made at run time (about 12 MB). ---

/// Raw DEFLATE with fixed Huffman codes: `prefix`, `count` × `a`, `suffix`.
fn deflate_run(prefix: &[u8], count: usize, suffix: &[u8]) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u32, count: u32) {
            self.acc |= (value as u64) << self.n;
            self.n += count;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        fn huff(&mut self, code: u32, len: u32) {
            let reversed = code.reverse_bits() >> (32 - len);
            self.put(reversed, len);
        }
        fn literal(&mut self, byte: u8) {
            match byte {
                0..=143 => self.huff(0x30 + byte as u32, 8),
                _ => self.huff(0x190 + (byte as u32 - 144), 9),
            }
        }
    }
    let mut bits = Bits {
        out: Vec::with_capacity(count / 150),
        acc: 0,
        n: 0,
    };
    bits.put(1, 1);
    bits.put(1, 2);
    prefix.iter().for_each(|b| bits.literal(*b));
    bits.literal(b'a');
    for _ in 0..(count - 1) / 258 {
        bits.huff(0xC5, 8); // length 258 (symbol 285)
        bits.huff(0, 5); // distance 1
    }
    for _ in 0..(count - 1) % 258 {
        bits.literal(b'a');
    }
    suffix.iter().for_each(|b| bits.literal(*b));
    bits.huff(0, 7); // end of block
    if bits.n > 0 {
        bits.put(0, 8 - bits.n);
    }
    bits.out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in data {
        crc ^= *byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Writes a zip of (name, method, crc, size, data) entries.
fn write_zip(path: &Path, entries: &[(&str, u16, u32, u32, Vec<u8>)]) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut central = Vec::new();
    let mut offset = 0u32;
    for (name, method, crc, size, data) in entries {
        let mut local = Vec::new();
        local.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        local.extend_from_slice(&20u16.to_le_bytes());
        local.extend_from_slice(&0u16.to_le_bytes());
        local.extend_from_slice(&method.to_le_bytes());
        local.extend_from_slice(&0u16.to_le_bytes());
        local.extend_from_slice(&0x21u16.to_le_bytes());
        local.extend_from_slice(&crc.to_le_bytes());
        local.extend_from_slice(&(data.len() as u32).to_le_bytes());
        local.extend_from_slice(&size.to_le_bytes());
        local.extend_from_slice(&(name.len() as u16).to_le_bytes());
        local.extend_from_slice(&0u16.to_le_bytes());
        local.extend_from_slice(name.as_bytes());
        out.write_all(&local).unwrap();
        out.write_all(data).unwrap();
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&local[4..30]);
        central.extend_from_slice(&[0u8; 10]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
        offset += (local.len() + data.len()) as u32;
    }
    out.write_all(&central).unwrap();
    let mut end = Vec::new();
    end.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    end.extend_from_slice(&[0u8; 4]);
    end.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    end.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    end.extend_from_slice(&(central.len() as u32).to_le_bytes());
    end.extend_from_slice(&offset.to_le_bytes());
    end.extend_from_slice(&0u16.to_le_bytes());
    out.write_all(&end).unwrap();
}

#[test]
fn a_gigabyte_cell_in_shared_strings_is_refused_naming_its_cell() {
    let stored = |name: &'static str, text: &str| {
        let data = text.as_bytes().to_vec();
        (name, 0u16, crc32(&data), data.len() as u32, data)
    };
    let huge = 1_850_000_000usize;
    let prefix = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"2\" uniqueCount=\"2\"><si><t>Name</t></si><si><t>";
    let suffix = b"</t></si></sst>";
    let strings = deflate_run(prefix, huge, suffix);
    let entries = [
        stored("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>"),
        stored("_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
        stored("xl/workbook.xml", "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Leads\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
        stored("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>"),
        stored("xl/worksheets/sheet1.xml", "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"B1\" t=\"s\"><v>0</v></c></row><row r=\"2\"><c r=\"B2\" t=\"s\"><v>1</v></c></row></sheetData></worksheet>"),
        (
            "xl/sharedStrings.xml",
            8u16,
            0,
            (prefix.len() + huge + suffix.len()) as u32,
            strings,
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge-cell.xlsx");
    write_zip(&path, &entries);
    assert!(std::fs::metadata(&path).unwrap().len() < 16_000_000);
    let error = Source::open(&path, None, ReadLimits::default())
        .err()
        .expect("refused");
    assert!(
        matches!(error, TableError::CellTooLarge { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("huge-cell.xlsx, sheet \"Leads\", cell B2")
            && message.contains("32767 characters"),
        "{message}"
    );
}

#[test]
fn a_csv_header_under_a_title_is_found_as_on_a_sheet() {
    // As Excel saves a sheet with a title on row 1 as CSV: each line padded to the
    // table's width, a blank line, then the header on row 3.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("campaign.csv");
    let text = "sep=;\r\nSpring campaign;;\r\n;;\r\nFull Name;Business Phone;Contact ID\r\n\
                Ann;+1 425 555 0100;0b1d9a3e-52a8-4b37-9f0c-3d2d9d1e6a01\r\n\
                Bob;+1 425 555 0101;0b1d9a3e-52a8-4b37-9f0c-3d2d9d1e6a02\r\n";
    std::fs::write(&path, text).unwrap();
    let source = Source::open(&path, None, ReadLimits::default()).unwrap();
    assert_eq!(source.headers, HEADER);
    assert_eq!(source.header_row, 3);
    assert_eq!(source.header_rows.first(), Some(&3));
    let rows = rows(&source);
    assert_eq!(
        rows.iter()
            .map(|(row, cells)| (*row, cells[0].as_str()))
            .collect::<Vec<_>>(),
        [(4, "Ann"), (5, "Bob")]
    );
    let notes = source.notes.join(" ");
    assert!(notes.contains("the header is on row 3"), "{notes}");

    // Without the padding a title line has no separator at all; the separator is still
    // the one the table's lines share.
    std::fs::write(
        &path,
        "Spring campaign\nFull Name;Business Phone;Contact ID\nAnn;+1 425 555 0100;x\n",
    )
    .unwrap();
    let source = Source::open(&path, None, ReadLimits::default()).unwrap();
    assert_eq!(source.headers, HEADER);
    assert_eq!(source.header_row, 2);
    // The user may still take row 1 as the header.
    let chosen = Source::open_at(&path, None, Some(1), ReadLimits::default()).unwrap();
    assert_eq!(chosen.headers, ["Spring campaign"]);
}

#[test]
fn an_ods_sheet_streams_with_repeats_counted_not_expanded() {
    let source = open("reader-layout.ods").unwrap();
    assert_eq!(source.format, Format::Ods);
    assert_eq!(
        source.sheets,
        ["Contacts"],
        "the hidden table is not offered"
    );
    assert_eq!(source.header_row, 3);
    assert_eq!(
        source.headers,
        [
            "Full Name",
            "Business Phone",
            "Contact ID",
            "Called On",
            "Active"
        ]
    );
    let rows = rows(&source);
    assert_eq!(
        rows[0],
        (
            4,
            vec![
                "Ann  Lee".to_owned(),
                "14255550100".into(),
                "3f2504e0-4f89-41d3-9a0c-000000000002".into(),
                "2024-01-05".into(),
                "TRUE".into()
            ]
        )
    );
    // A row written once with table:number-rows-repeated="2" is two rows; the stray
    // value in XFD1048576 (after a million repeated empty rows) is outside the table.
    let numbers: Vec<usize> = rows.iter().map(|(row, _)| *row).collect();
    assert_eq!(numbers, [4, 5, 6]);
    assert_eq!(rows[2].1[0], "Same Person");
}

#[test]
fn an_xls_whose_cells_span_too_far_is_refused_naming_the_far_cell() {
    let error = open("reader-xls-stray.xls").err().expect("refused");
    let message = error.to_string();
    assert!(
        matches!(&error, TableError::CellTooLarge { sheet, cell, .. } if sheet == "Contacts" && cell == "IV65536"),
        "{error:?}"
    );
    assert!(
        message.contains("A1:IV65536") && message.contains(".xlsx"),
        "{message}"
    );
}

#[test]
fn an_xls_whose_compound_file_is_damaged_is_refused_before_calamine_expands_it() {
    // One flipped bit in the compound-file header: the strict reader refuses it, while
    // calamine's lenient one would still build the far cell's 65,536 × 256 range.
    let mut bytes = std::fs::read(fixture("reader-xls-stray.xls")).unwrap();
    bytes[28] ^= 0x01;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.xls");
    std::fs::write(&path, bytes).unwrap();
    let error = Source::open(&path, None, ReadLimits::default())
        .err()
        .expect("refused");
    assert!(
        matches!(&error, TableError::Corrupt { reason, .. } if reason.contains("compound-file")),
        "{error:?}"
    );
}
