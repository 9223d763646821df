//! Importing list files written by real spreadsheet writers (tests/fixtures/lists,
//! made by make_fixtures.py with openpyxl), and the broken-file corpus.

use std::ops::ControlFlow;
use std::path::PathBuf;

use dynbridge_core::lists::{
    import, inspect, inspect_until, ImportError, ImportOptions, ReadLimits, RejectReason, Role,
    Source, STOP_CHECK_ROWS,
};
use dynbridge_core::table::TableError;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/lists")
        .join(name)
}

fn open(name: &str) -> Source {
    Source::open(&fixture(name), None, ReadLimits::default()).unwrap()
}

fn run(name: &str, options: &ImportOptions) -> dynbridge_core::lists::ImportedList {
    import(&open(name), options, &mut |_| ControlFlow::Continue(())).unwrap()
}

fn reasons(list: &dynbridge_core::lists::ImportedList) -> Vec<(usize, RejectReason)> {
    list.rejects.iter().map(|r| (r.row, r.reason)).collect()
}

#[test]
fn a_dynamics_export_is_recognised_with_its_hidden_sheet() {
    let source = open("contacts-export.xlsx");
    assert_eq!(source.sheet.as_deref(), Some("My Active Contacts"));
    assert_eq!(
        source.sheets,
        vec!["My Active Contacts"],
        "hiddenSheet is never offered"
    );
    let inspection = inspect(&source, &ImportOptions::default());
    assert!(inspection.dynamics_export);
    assert_eq!(inspection.entity.as_deref(), Some("contact"));
    assert_eq!(inspection.object_type.unwrap().bright_pattern, "contact");
    assert_eq!(inspection.id_column, Some(0));
    assert_eq!(
        inspection.columns[7].logical_name.as_deref(),
        Some("telephone1")
    );
    assert_eq!(inspection.columns[10].role, Role::DoNotPhone);
    let names: Vec<&str> = inspection
        .default_columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "dyn_id",
            "Full Name",
            "First Name",
            "Last Name",
            "Company Name",
            "Business Phone",
            "Mobile Phone",
            "Email"
        ]
    );
    assert_eq!(inspection.rows, Some(10));
}

#[test]
fn the_export_imports_with_every_reject_explained() {
    let list = run("contacts-export.xlsx", &ImportOptions::default());
    // One repeated row reads as one, with the spreadsheet's row number.
    assert!(
        list.summary
            .findings
            .iter()
            .any(|f| f.message == "1 row repeats an earlier row's ID (row 9)"),
        "{:?}",
        list.summary.findings
    );
    assert_eq!(
        reasons(&list),
        vec![
            (4, RejectReason::IdMissing),
            (5, RejectReason::IdMalformed),
            (7, RejectReason::DoNotCall),
            (8, RejectReason::NoValidPhone)
        ]
    );
    assert_eq!(list.rows(), 6);
    let rows = list.page(1, 10).rows;
    assert_eq!(rows[0][0], "3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    assert_eq!(rows[0][1], "Ann Müller");
    assert_eq!(
        rows[0][5], "15551234567",
        "(555) 123-4567 in Bright Pattern's form"
    );
    assert_eq!(
        rows[1][0], "a1b2c3d4-0000-4000-8000-000000000002",
        "braces and upper case normalised"
    );
    assert_eq!(rows[1][6], "15559990000");
    let eve = &rows[2];
    assert_eq!(
        (eve[5].as_str(), eve[6].as_str()),
        ("", "15551234571"),
        "an invalid phone is cleared when another is valid"
    );
    assert_eq!(rows[4][5], "011442079460958");
    assert_eq!(
        rows[5][5], "",
        "10 digits starting with 1 are rejected by Bright Pattern's rules"
    );

    let summary = &list.summary;
    assert_eq!(
        (summary.rows_read, summary.imported, summary.rejected),
        (10, 6, 4)
    );
    assert_eq!(summary.phones_cleared, 2);
    assert_eq!(summary.duplicate_ids.first_rows, vec![9]);
    assert_eq!(
        summary.formula_cells, 1,
        "=HYPERLINK… in an email cell was rejected with its row; +ida… counts"
    );
    assert_eq!(
        summary.screenpop.as_deref(),
        Some("SHOW_OBJECT:$(workitem.otherInfo.dyn_id):contact")
    );
    let phone_types: Vec<(&str, &str)> = summary
        .field_types
        .iter()
        .map(|f| (f.column.as_str(), f.field_type.as_str()))
        .collect();
    assert!(
        phone_types.contains(&("Business Phone", "PHONE"))
            && phone_types.contains(&("First Name", "FIRST_NAME"))
            && phone_types.contains(&("Company Name", "ACCOUNT"))
    );
}

#[test]
fn options_change_the_outcome() {
    let options = ImportOptions {
        keep_invalid_ids: true,
        dedupe: true,
        include_do_not_call: true,
        excel_safe: true,
        id_name: "crm_id".into(),
        ..ImportOptions::default()
    };
    let list = run("contacts-export.xlsx", &options);
    assert_eq!(
        reasons(&list),
        vec![
            (8, RejectReason::NoValidPhone),
            (9, RejectReason::DuplicateId)
        ]
    );
    assert_eq!(list.header[0], "crm_id");
    let codes: Vec<&str> = list
        .summary
        .findings
        .iter()
        .map(|f| f.code.as_str())
        .collect();
    assert!(
        codes.contains(&"list.do_not_call_included")
            && codes.contains(&"list.invalid_ids_kept")
            && codes.contains(&"list.formulas_neutralised"),
        "{codes:?}"
    );
    let rows = list.page(1, 20).rows;
    assert!(
        rows.iter().any(|r| r[7] == "'=HYPERLINK(\"x\")"),
        "formula neutralised"
    );
    assert!(
        rows.iter().any(|r| r[0] == "not-a-guid"),
        "an invalid ID kept as it was"
    );
}

#[test]
fn other_countries_use_libphonenumber() {
    let list = run(
        "contacts-export.xlsx",
        &ImportOptions {
            country: "GB".into(),
            ..ImportOptions::default()
        },
    );
    assert!(list
        .rejects
        .iter()
        .all(|r| r.reason != RejectReason::IdMalformed || r.row == 5));
    assert!(matches!(
        import(
            &open("contacts-export.xlsx"),
            &ImportOptions {
                country: "Narnia".into(),
                ..ImportOptions::default()
            },
            &mut |_| ControlFlow::Continue(())
        ),
        Err(ImportError::Options(_))
    ));
}

#[test]
fn a_generic_workbook_finds_its_guid_column_and_skips_hidden_sheets() {
    let source = open("generic-leads.xlsx");
    assert_eq!(source.sheet.as_deref(), Some("Leads"));
    let inspection = inspect(&source, &ImportOptions::default());
    assert!(!inspection.dynamics_export);
    assert_eq!(inspection.id_column, Some(1));
    let list = run("generic-leads.xlsx", &ImportOptions::default());
    assert_eq!(
        list.page(1, 5).rows[0],
        vec![
            "0a1b2c3d-0000-4000-8000-00000000000a",
            "Kim",
            "15551230001",
            "15551230002"
        ]
    );
    assert_eq!(reasons(&list), vec![(4, RejectReason::IdMissing)]);
}

#[test]
fn text_files_in_windows_1252_and_utf_16() {
    let list = run("semicolon-1252.csv", &ImportOptions::default());
    assert_eq!(
        list.page(1, 5).rows[0],
        vec![
            "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
            "Müller",
            "15551234567"
        ]
    );
    assert_eq!(reasons(&list), vec![(3, RejectReason::IdMissing)]);
    let list = run("unicode-text.txt", &ImportOptions::default());
    assert_eq!(
        list.page(1, 5).rows[0],
        vec![
            "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
            "陈伟",
            "15551234567"
        ]
    );
}

#[test]
fn written_files_are_complete_and_never_the_input() {
    let list = run("contacts-export.xlsx", &ImportOptions::default());
    let dir = std::env::temp_dir().join(format!("dynbridge-lists-{}", std::process::id()));
    let out = dir.join("list.csv");
    list.write(&out).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with(
        "dyn_id,Full Name,First Name,Last Name,Company Name,Business Phone,Mobile Phone,Email\r\n"
    ));
    assert_eq!(text.lines().count(), 7);
    let rejects = dir.join("rejects.csv");
    list.write_rejects(&rejects).unwrap();
    let rejects_text = std::fs::read_to_string(&rejects).unwrap();
    assert!(rejects_text.starts_with("row,reason,(Do Not Modify) Contact,"));
    assert!(rejects_text.contains("\r\n7,do_not_call,6c8f2d3b-ae40-4f9b-82d3-e4f5a6b7c8d9,"));
    let input = fixture("contacts-export.xlsx");
    let before = std::fs::read(&input).unwrap();
    assert!(matches!(list.write(&input), Err(ImportError::Write { .. })));
    assert_eq!(
        std::fs::read(&input).unwrap(),
        before,
        "the input is untouched"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn progress_is_reported_and_can_cancel() {
    let dir = std::env::temp_dir().join(format!("dynbridge-lists-cancel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.csv");
    let mut text = String::from("id,phone\n");
    for i in 0..5000u32 {
        text.push_str(&format!(
            "{i:08x}-0000-4000-8000-000000000000,555{:07}\n",
            1_000_000 + i
        ));
    }
    std::fs::write(&path, text).unwrap();
    let source = Source::open(&path, None, ReadLimits::default()).unwrap();

    let mut reports = Vec::new();
    let list = import(&source, &ImportOptions::default(), &mut |rows| {
        reports.push(rows);
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(list.rows(), 5000);
    assert_eq!(reports, vec![2000, 4000, 5000]);

    let cancelled = import(&source, &ImportOptions::default(), &mut |_| {
        ControlFlow::Break(())
    });
    assert!(matches!(cancelled, Err(ImportError::Cancelled)));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn broken_files_get_clear_errors_naming_the_file() {
    type Expectation = fn(&TableError) -> bool;
    let cases: &[(&str, Expectation)] = &[
        ("not-a-spreadsheet.xlsx", |e| {
            matches!(e, TableError::NotSpreadsheet { .. })
        }),
        ("corrupt-zip.xlsx", |e| {
            matches!(e, TableError::Corrupt { .. })
        }),
        ("password-protected.xlsx", |e| {
            matches!(e, TableError::PasswordProtected { .. })
        }),
        ("empty.csv", |e| matches!(e, TableError::Empty { .. })),
        ("duplicate-headers.csv", |e| {
            matches!(e, TableError::DuplicateHeader { .. })
        }),
        ("no-such-file.csv", |e| {
            matches!(e, TableError::Unreadable { .. })
        }),
    ];
    for (name, expected) in cases {
        let error = Source::open(&fixture(name), None, ReadLimits::default())
            .err()
            .unwrap_or_else(|| panic!("{name} opened"));
        assert!(expected(&error), "{name}: {error:?}");
        assert!(error.to_string().contains(name), "{name}: {error}");
    }
    let bomb = Source::open(
        &fixture("bomb.xlsx"),
        None,
        ReadLimits {
            max_uncompressed_bytes: 4_000_000,
            max_rows: 10,
        },
    )
    .err()
    .unwrap();
    assert!(matches!(bomb, TableError::TooLarge { .. }), "{bomb:?}");
    let rows = Source::open(
        &fixture("contacts-export.xlsx"),
        None,
        ReadLimits {
            max_uncompressed_bytes: u64::MAX,
            max_rows: 5,
        },
    )
    .err()
    .unwrap();
    assert!(rows.to_string().contains("more than 5 rows"), "{rows}");
    let sheet = Source::open(
        &fixture("contacts-export.xlsx"),
        Some("Nope"),
        ReadLimits::default(),
    )
    .err()
    .unwrap();
    assert!(sheet.to_string().contains("My Active Contacts"), "{sheet}");
}

proptest::proptest! {
    #[test]
    fn any_bytes_as_a_text_list_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
        let path = std::env::temp_dir().join(format!("dynbridge-prop-{}.csv", std::process::id()));
        std::fs::write(&path, &bytes).unwrap();
        if let Ok(source) = Source::open(&path, None, ReadLimits::default()) {
            let _ = import(&source, &ImportOptions::default(), &mut |_| ControlFlow::Continue(()));
        }
    }
}

/// OWASP "CSV Injection": cells Excel would run are neutralised in the list by default
/// (phone numbers untouched), and always in the rejects file and the header rows.
#[test]
fn cells_excel_would_run_are_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("leads.csv");
    std::fs::write(
        &input,
        "Lead,Full Name,Mobile Phone,Note,=cmd|' /C calc'!A0\r\n\
         3f2504e0-4f89-41d3-9a0c-0305e82c3301,=HYPERLINK(\"http://x\"),+1 555 123 4567,+15551234567,a\r\n\
         3f2504e0-4f89-41d3-9a0c-0305e82c3302,@SUM(A1),no phone,-2+3,b\r\n",
    )
    .unwrap();
    let source = Source::open(&input, None, ReadLimits::default()).unwrap();
    let list = import(&source, &ImportOptions::default(), &mut |_| {
        ControlFlow::Continue(())
    })
    .unwrap();
    let output = dir.path().join("list.csv");
    let rejects = dir.path().join("rejects.csv");
    list.write(&output).unwrap();
    list.write_rejects(&rejects).unwrap();
    let written = std::fs::read_to_string(&output).unwrap();
    assert!(
        written.contains("\"'=HYPERLINK(\"\"http://x\"\")\""),
        "{written}"
    );
    assert!(
        written.contains(",+15551234567,"),
        "a phone stays: {written}"
    );
    assert!(written.contains("'=cmd|' /C calc'!A0"), "header: {written}");
    let rejected = std::fs::read_to_string(&rejects).unwrap();
    assert!(
        rejected.contains("'@SUM(A1)") && rejected.contains("'-2+3"),
        "{rejected}"
    );
    assert!(
        rejected.contains("'=cmd|"),
        "the rejects header: {rejected}"
    );
    let finding = list
        .summary
        .findings
        .iter()
        .find(|f| f.code == "list.formulas_neutralised")
        .expect("a finding");
    assert!(
        finding.message.starts_with("1 cell would run as a formula"),
        "{}",
        finding.message
    );

    let kept = import(
        &source,
        &ImportOptions {
            excel_safe: false,
            ..ImportOptions::default()
        },
        &mut |_| ControlFlow::Continue(()),
    )
    .unwrap();
    assert_eq!(kept.page(1, 5).rows[0][1], "=HYPERLINK(\"http://x\")");
    kept.write_rejects(&rejects).unwrap();
    assert!(std::fs::read_to_string(&rejects)
        .unwrap()
        .contains("'@SUM(A1)"));
}

/// An open the user cancels stops reading rows at the next check, instead of reading
/// the whole file for nothing.
#[test]
fn an_inspection_stops_reading_rows_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.csv");
    let rows = 10 * STOP_CHECK_ROWS;
    let mut text = String::from("contactid,Full Name,Business Phone\n");
    for row in 0..rows {
        text.push_str(&format!(
            "3f2504e0-4f89-41d3-9a0c-{row:012},Contact {row},+1 555 0100\n"
        ));
    }
    std::fs::write(&path, text).unwrap();
    let source = Source::open(&path, None, ReadLimits::default()).unwrap();

    let asked = std::cell::Cell::new(0);
    let whole = inspect_until(&source, &ImportOptions::default(), &|| {
        asked.set(asked.get() + 1);
        false
    })
    .expect("never told to stop");
    assert_eq!(whole.rows, Some(rows));
    assert_eq!(asked.get(), 10, "asked once every {STOP_CHECK_ROWS} rows");

    asked.set(0);
    let stopped = inspect_until(&source, &ImportOptions::default(), &|| {
        asked.set(asked.get() + 1);
        asked.get() == 3
    });
    assert!(stopped.is_none());
    assert_eq!(asked.get(), 3, "no row read after the stop");
}
