//! Our streaming xlsx reader against calamine as an oracle: for every xlsx fixture
//! (written by openpyxl, xlsxwriter and rust_xlsxwriter), every sheet's non-empty cells
//! read the same, in the same places.

use std::ops::ControlFlow;
use std::path::PathBuf;

use calamine::{open_workbook, Data, Reader, Xlsx};
use dynbridge_core::table::xlsx::Workbook;

fn fixtures() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/lists");
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    found.sort();
    found
}

/// A cell as the list importer shows it, from calamine's value.
fn shown(data: &Data) -> Option<String> {
    Some(match data {
        Data::Empty => return None,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => (*f as i64).to_string(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(d) => d
            .as_datetime()
            .map_or_else(|| d.as_f64().to_string(), |d| d.to_string()),
        Data::Error(e) => e.to_string(),
    })
    .filter(|s| !s.is_empty())
}

#[test]
fn every_fixture_reads_as_calamine_reads_it() {
    let mut compared = 0;
    for path in fixtures() {
        if path.ends_with("bomb.xlsx") {
            continue; // one cell of 1.85 GB: calamine would hold it (refused by us elsewhere)
        }
        let Ok(mut oracle) = open_workbook::<Xlsx<_>, _>(&path) else {
            continue; // damaged on purpose: refused by both (tested elsewhere)
        };
        let Ok(book) = Workbook::open(&path, 2_000_000_000) else {
            panic!("{}: calamine opens it, we do not", path.display());
        };
        for sheet in oracle.sheet_names() {
            // calamine's cell stream: its dense range would not fit a stray XFD1048576.
            let Ok(mut cells) = oracle.worksheet_cells_reader(&sheet) else {
                continue;
            };
            let mut want: Vec<(u32, u32, String)> = Vec::new();
            while let Some(cell) = cells.next_cell().unwrap() {
                let (row, column) = cell.get_position();
                if let Some(text) = shown(&Data::from(cell.get_value().clone())) {
                    want.push((row, column, text));
                }
            }
            let mut got = Vec::new();
            let read = book.for_each_cell(&sheet, |cell| {
                got.push((cell.row, cell.column, cell.text.to_owned()));
                ControlFlow::Continue(())
            });
            read.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(got, want, "{}, sheet {sheet:?}", path.display());
            compared += 1;
        }
    }
    assert!(compared >= 10, "only {compared} sheets compared");
}
