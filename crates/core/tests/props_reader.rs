//! Property tests of the list reader: whatever a file holds, opening, inspecting and
//! importing it ends in `Ok` or a clean `Err`, never a panic, within a time bound per
//! file, and the process stays within a memory bound. Cases are few so the suite stays
//! fast; proptest shrinks any failure to a small file.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dynbridge_core::lists::{self, ImportOptions, ReadLimits, Source};
use proptest::prelude::*;

/// Generous for a debug build on a busy 2-core machine; files here are a few KB.
const TIME_BOUND: Duration = Duration::from_secs(10);
/// The whole test process's peak resident memory (Linux).
const MEMORY_BOUND_MB: f64 = 600.0;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/lists")
}

fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Writes `bytes` as a file named `name` and reads it as the app does: open, inspect,
/// import, write. Errors are fine; panics fail the case (proptest catches them).
fn read_as_the_app_does(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("the file is written");
    let started = Instant::now();
    if let Ok(source) = Source::open(&path, None, ReadLimits::default()) {
        let options = ImportOptions::default();
        let _ = lists::inspect(&source, &options);
        if let Ok(list) = lists::import(&source, &options, &mut |_| ControlFlow::Continue(())) {
            let _ = list.page(1, 50);
            list.write(&dir.path().join("out.csv"))
                .map_err(|e| TestCaseError::fail(format!("writing the list: {e}")))?;
        }
    }
    let elapsed = started.elapsed();
    prop_assert!(elapsed < TIME_BOUND, "{name}: {elapsed:?}");
    if let Some(mb) = peak_memory_mb() {
        prop_assert!(mb < MEMORY_BOUND_MB, "{name}: peak {mb:.0} MB");
    }
    Ok(())
}

fn extension() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["csv", "txt", "xlsx", "xls", "ods", ""])
}

/// Workbook fixtures that read fine, to be damaged.
const GOOD_WORKBOOKS: &[&str] = &[
    "contacts-export.xlsx",
    "contacts-export-de.xlsx",
    "generic-leads.xlsx",
    "reader-offset.xlsx",
    "reader-title-second-sheet.xlsx",
    "reader-xfd1048576.xlsx",
    "reader-layout.ods",
    "reader-xls-named.xlsx",
    "bomb.xlsx",
    "reader-xls-stray.xls",
];

/// Of [`GOOD_WORKBOOKS`], those refused as they are (a gigantic cell, a far stray cell
/// in an .xls).
const REFUSED: &[&str] = &["bomb.xlsx", "reader-xls-stray.xls"];

/// A field of a CSV: plain, quoted (with doubled or stray quotes), with delimiters,
/// line breaks, non-ASCII letters, NULs or a phone-like number.
fn csv_field() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{0,12}",
        "\"[a-z,;\t\r\n\"]{0,10}\"",
        "[\",;\t|\r\n]{1,4}",
        "[àéüßøЖ漢😀 ]{0,6}",
        "\\+?[0-9() .-]{3,16}",
        "[\u{0}\u{feff}\u{fffd}]{1,2}",
    ]
}

/// CSV text in one of the encodings a list may come in.
fn csv_file() -> impl Strategy<Value = Vec<u8>> {
    let rows = prop::collection::vec(prop::collection::vec(csv_field(), 0..6), 0..12);
    let delimiter = prop::sample::select(vec![",", ";", "\t", "|"]);
    let encoding = 0..5u8;
    let sep_line = any::<bool>();
    (rows, delimiter, encoding, sep_line).prop_map(|(rows, delimiter, encoding, sep_line)| {
        let mut text = String::new();
        if sep_line {
            text.push_str(&format!("sep={delimiter}\r\n"));
        }
        for row in rows {
            text.push_str(&row.join(delimiter));
            text.push_str("\r\n");
        }
        match encoding {
            0 => text.into_bytes(),
            1 => [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat(),
            2 => {
                let mut bytes = vec![0xFF, 0xFE];
                bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                bytes
            }
            3 => {
                let mut bytes = vec![0xFE, 0xFF];
                bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
                bytes
            }
            _ => encoding_rs::WINDOWS_1252.encode(&text).0.into_owned(),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_under_any_name_are_read_or_refused(
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
        ext in extension(),
    ) {
        read_as_the_app_does(&format!("list.{ext}"), &bytes)?;
    }

    #[test]
    fn random_bytes_behind_a_zip_or_ole_signature_are_read_or_refused(
        magic in prop::sample::select(vec![
            &b"PK\x03\x04"[..],
            &b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"[..],
        ]),
        rest in prop::collection::vec(any::<u8>(), 0..4096),
        ext in extension(),
    ) {
        read_as_the_app_does(&format!("list.{ext}"), &[magic, &rest[..]].concat())?;
    }

    #[test]
    fn damaged_workbooks_are_read_or_refused(
        fixture in prop::sample::select(GOOD_WORKBOOKS),
        flips in prop::collection::vec((any::<prop::sample::Index>(), 1..=255u8), 0..8),
        keep in prop::option::of(any::<prop::sample::Index>()),
        ext in prop::sample::select(vec!["xlsx", "ods", "xls", "csv"]),
    ) {
        let mut bytes = std::fs::read(fixtures().join(fixture)).expect("the fixture");
        for (at, mask) in flips {
            let i = at.index(bytes.len());
            bytes[i] ^= mask;
        }
        if let Some(keep) = keep {
            bytes.truncate(keep.index(bytes.len()));
        }
        read_as_the_app_does(&format!("damaged.{ext}"), &bytes)?;
    }

    #[test]
    fn random_csv_text_in_any_encoding_is_read_or_refused(
        bytes in csv_file(),
        ext in prop::sample::select(vec!["csv", "txt", "xlsx"]),
    ) {
        read_as_the_app_does(&format!("list.{ext}"), &bytes)?;
    }
}

#[test]
fn the_undamaged_workbooks_still_open() {
    for fixture in GOOD_WORKBOOKS.iter().filter(|f| !REFUSED.contains(f)) {
        let path = fixtures().join(fixture);
        if let Err(e) = Source::open(&path, None, ReadLimits::default()) {
            panic!("{fixture}: {e}");
        }
    }
}
