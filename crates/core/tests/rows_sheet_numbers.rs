//! One numbering everywhere: the Screen pop check, verify's IDs and the previews number
//! rows as Excel shows them, through `sep=` lines, blank lines, cells with line breaks
//! and titles above the header.

use std::ops::ControlFlow;
use std::path::Path;

use dynbridge_core::lists::{import, ImportOptions, ImportedList, ReadLimits, Source};
use dynbridge_core::screenpop::{self, Screenpop};
use dynbridge_core::table;

const ANN: &str = "2c5e3c1a-8f0b-4c1e-9a3d-1b2c3d4e5f60";

/// Excel shows: the `sep=` line hidden, the header on row 1, Ann on row 2 (her name on
/// two lines), a blank row 3, Bob (no GUID) on row 4 and Ann again on row 5.
fn csv(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("list.csv");
    let text = format!(
        "sep=;\r\nContact;Name;Phone\r\n{ANN};\"Ann\r\nLee\";425-555-0101\r\n\r\nnot-a-guid;Bob;425-555-0102\r\n{ANN};Cy;425-555-0103\r\n"
    );
    std::fs::write(&path, text).unwrap();
    path
}

fn screenpop(column: &str) -> Screenpop {
    screenpop::lint(&format!(
        "SHOW_OBJECT:$(workitem.otherInfo.{column}):contact"
    ))
    .screenpop
    .unwrap()
}

fn imported(path: &Path) -> ImportedList {
    let source = Source::open(path, None, ReadLimits::default()).unwrap();
    let options = ImportOptions {
        id_source: Some("Contact".into()),
        keep_invalid_ids: true,
        ..ImportOptions::default()
    };
    import(&source, &options, &mut |_| ControlFlow::Continue(())).unwrap()
}

#[test]
fn a_csv_list_is_checked_and_previewed_with_excel_row_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let list = table::read_csv(&csv(dir.path())).unwrap();
    assert_eq!(list.rows.len(), 3);
    assert_eq!(list.page(1, 10).sheet_rows, [2, 4, 5]);
    assert_eq!(list.page(2, 1).sheet_rows, [4]);

    let check = screenpop::check_list(&screenpop("Contact"), &list);
    assert_eq!(check.malformed.first_rows, [4]);
    assert_eq!(check.duplicates.first_rows, [5]);
    let messages: Vec<&str> = check.findings.iter().map(|f| f.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.ends_with("(row 4)")),
        "{messages:?}"
    );

    let ids: Vec<usize> = screenpop::list_ids(&screenpop("Contact"), &list)
        .unwrap()
        .iter()
        .map(|(row, _)| *row)
        .collect();
    assert_eq!(ids, [2, 5]);
}

#[test]
fn a_list_handed_over_from_the_lists_page_keeps_the_source_row_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let list = imported(&csv(dir.path()));
    assert_eq!(list.rows(), 3);
    assert_eq!(list.page(1, 10).sheet_rows, [2, 4, 5]);

    let table = list.to_table(Path::new("list.csv (imported)"));
    assert_eq!(table.page(1, 10).sheet_rows, [2, 4, 5]);
    let check = screenpop::check_list(&screenpop("dyn_id"), &table);
    assert_eq!(check.malformed.first_rows, [4]);
    assert_eq!(check.duplicates.first_rows, [5]);
}

#[test]
fn a_sheet_with_a_title_above_the_header_keeps_its_row_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contacts.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write(0, 0, "My Active Contacts").unwrap();
    for (c, h) in ["Contact", "Name", "Phone"].iter().enumerate() {
        sheet.write(2, c as u16, *h).unwrap();
    }
    let rows = [
        (3, [ANN, "Ann", "425-555-0101"]),
        (5, ["not-a-guid", "Bob", "425-555-0102"]),
        (6, [ANN, "Cy", "425-555-0103"]),
    ];
    for (r, cells) in rows {
        for (c, value) in cells.iter().enumerate() {
            sheet.write(r, c as u16, *value).unwrap();
        }
    }
    workbook.save(&path).unwrap();

    let list = imported(&path);
    assert_eq!(list.page(1, 10).sheet_rows, [4, 6, 7]);
    let table = list.to_table(Path::new("contacts.xlsx (imported)"));
    let check = screenpop::check_list(&screenpop("dyn_id"), &table);
    assert_eq!(check.malformed.first_rows, [6]);
    assert_eq!(check.duplicates.first_rows, [7]);
}
