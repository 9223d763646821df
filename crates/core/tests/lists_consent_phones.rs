//! Exports in the user's language (consent column and labels in German and French),
//! phones with extensions, and numbers Excel rounded: fixtures written by openpyxl and
//! by hand as Excel saves CSV (tests/fixtures/lists/make_fixtures.py).

use std::ops::ControlFlow;
use std::path::PathBuf;

use dynbridge_core::lists::{
    import, inspect, ImportError, ImportOptions, ImportedList, ReadLimits, RejectReason, Role,
    Source,
};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/lists")
        .join(name)
}

fn open(path: &std::path::Path) -> Source {
    Source::open(path, None, ReadLimits::default()).unwrap()
}

fn run(name: &str, options: &ImportOptions) -> ImportedList {
    import(&open(&fixture(name)), options, &mut |_| {
        ControlFlow::Continue(())
    })
    .unwrap()
}

fn reasons(list: &ImportedList) -> Vec<(usize, RejectReason)> {
    list.rejects.iter().map(|r| (r.row, r.reason)).collect()
}

fn codes(list: &ImportedList) -> Vec<&str> {
    list.summary
        .findings
        .iter()
        .map(|f| f.code.as_str())
        .collect()
}

#[test]
fn a_german_export_honours_nicht_zulassen() {
    let source = open(&fixture("contacts-export-de.xlsx"));
    let inspection = inspect(&source, &ImportOptions::default());
    assert_eq!(inspection.id_column, Some(0));
    assert_eq!(inspection.columns[7].header, "Telefonanrufe nicht zulassen");
    assert_eq!(inspection.columns[7].role, Role::DoNotPhone);
    assert!(
        inspection.findings.iter().all(|f| !f.is_error()),
        "{:?}",
        inspection.findings
    );
    let options = ImportOptions {
        country: "DE".into(),
        ..ImportOptions::default()
    };
    let list = run("contacts-export-de.xlsx", &options);
    assert_eq!(
        reasons(&list),
        vec![(3, RejectReason::DoNotCall), (5, RejectReason::DoNotCall)]
    );
    assert_eq!(
        list.header,
        [
            "dyn_id",
            "Vollständiger Name",
            "Telefon (geschäftlich)",
            "Mobiltelefon",
            "E-Mail"
        ]
    );
    assert_eq!(
        list.page(1, 10).rows,
        vec![
            vec![
                "1b0a6f0e-1111-4a1a-9a1a-000000000001",
                "Jürgen Weiß",
                "493012345678",
                "",
                "jw@example.de"
            ],
            vec![
                "1b0a6f0e-1111-4a1a-9a1a-000000000003",
                "Lena Öz",
                "",
                "491701234567",
                "lo@example.de"
            ],
        ]
    );
    assert_eq!((list.summary.rows_read, list.summary.imported), (4, 2));
}

#[test]
fn a_french_consent_header_is_never_a_phone_column() {
    let source = open(&fixture("contacts-export-fr.xlsx"));
    let inspection = inspect(&source, &ImportOptions::default());
    let consent = &inspection.columns[6];
    assert_eq!(consent.header, "Ne pas autoriser les appels téléphoniques");
    assert_eq!(consent.role, Role::DoNotPhone);
    let options = ImportOptions {
        country: "FR".into(),
        ..ImportOptions::default()
    };
    let list = run("contacts-export-fr.xlsx", &options);
    assert_eq!(reasons(&list), vec![(3, RejectReason::DoNotCall)]);
    assert_eq!(
        list.header,
        [
            "dyn_id",
            "Nom complet",
            "Téléphone professionnel",
            "Téléphone professionnel extension",
            "Téléphone mobile"
        ]
    );
    assert_eq!(
        list.page(1, 10).rows,
        vec![
            vec![
                "2c1b7a1f-2222-4b2b-8b2b-000000000001",
                "Élodie Dupré",
                "33123456789",
                "",
                ""
            ],
            vec![
                "2c1b7a1f-2222-4b2b-8b2b-000000000003",
                "Chloé Martin",
                "33472000000",
                "12",
                ""
            ],
        ],
        "\"poste 12\" is an extension"
    );
}

/// A consent column whose labels are not known: never guessed, the import asks.
#[test]
fn unknown_consent_values_stop_the_import_until_stated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ja-nein.csv");
    std::fs::write(
        &path,
        "Kontakt;Name;Telefon;Telefonanrufe nicht zulassen\r\n\
         3f2504e0-4f89-41d3-9a0c-0305e82c3301;Ann;555 123 4567;Nein\r\n\
         3f2504e0-4f89-41d3-9a0c-0305e82c3302;Bob;555 123 4568;Ja\r\n",
    )
    .unwrap();
    let source = open(&path);
    let inspection = inspect(&source, &ImportOptions::default());
    assert_eq!(
        inspection.columns[3].role,
        Role::DoNotPhone,
        "not a phone column"
    );
    let finding = inspection
        .findings
        .iter()
        .find(|f| f.code == "list.do_not_call_unclear")
        .expect("the app is asked");
    assert!(finding.is_error());
    assert!(
        finding.message.contains("\"Nein\", \"Ja\""),
        "{}",
        finding.message
    );
    assert!(
        finding
            .fix
            .as_deref()
            .unwrap()
            .contains("--do-not-call-values"),
        "{finding:?}"
    );
    let refused = import(&source, &ImportOptions::default(), &mut |_| {
        ControlFlow::Continue(())
    });
    assert!(
        matches!(&refused, Err(ImportError::DoNotCallUnclear { finding, .. }) if finding.code == "list.do_not_call_unclear"),
        "{refused:?}"
    );
    let stated = ImportOptions {
        do_not_call_values: Some(vec!["ja".into()]),
        ..ImportOptions::default()
    };
    let list = import(&source, &stated, &mut |_| ControlFlow::Continue(())).unwrap();
    assert_eq!(reasons(&list), vec![(3, RejectReason::DoNotCall)]);
    assert_eq!(list.page(1, 5).rows[0][1], "Ann");
}

/// A consent column with an unrecognised header is named by the administrator.
#[test]
fn the_consent_column_can_be_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("named.csv");
    std::fs::write(
        &path,
        "Contact,Phone,Bellen\r\n\
         3f2504e0-4f89-41d3-9a0c-0305e82c3301,555 123 4567,Toestaan\r\n\
         3f2504e0-4f89-41d3-9a0c-0305e82c3302,555 123 4568,Niet toestaan\r\n",
    )
    .unwrap();
    let source = open(&path);
    let options = ImportOptions {
        do_not_call_column: Some("Bellen".into()),
        ..ImportOptions::default()
    };
    let list = import(&source, &options, &mut |_| ControlFlow::Continue(())).unwrap();
    assert_eq!(reasons(&list), vec![(3, RejectReason::DoNotCall)]);
    assert_eq!(
        list.header,
        ["dyn_id", "Phone"],
        "the consent column is not listed"
    );
    let missing = ImportOptions {
        do_not_call_column: Some("Nope".into()),
        ..ImportOptions::default()
    };
    assert!(matches!(
        import(&source, &missing, &mut |_| ControlFlow::Continue(())),
        Err(ImportError::Options(m)) if m.contains("Nope")
    ));
}

#[test]
fn extensions_get_their_own_column_and_rounded_numbers_are_explained() {
    let list = run("extensions-rounded.csv", &ImportOptions::default());
    assert_eq!(
        list.header,
        [
            "dyn_id",
            "Full Name",
            "Business Phone",
            "Business Phone extension",
            "Mobile Phone",
            "Mobile Phone extension"
        ]
    );
    let id = |n: u8| format!("3a9d0c1e-3333-4c3c-9c3c-00000000000{n}");
    assert_eq!(
        list.page(1, 10).rows,
        vec![
            vec![
                id(1),
                "Ann Ext".into(),
                "15551234567".into(),
                "123".into(),
                "".into(),
                "".into()
            ],
            vec![
                id(2),
                "Bob Ext".into(),
                "15551234568".into(),
                "45".into(),
                "".into(),
                "".into()
            ],
            vec![
                id(5),
                "Ed Ext".into(),
                "15551234569".into(),
                "12".into(),
                "15551234570".into(),
                "7".into()
            ],
            vec![
                id(6),
                "Flo Plain".into(),
                "15551234571".into(),
                "".into(),
                "".into(),
                "".into()
            ],
        ]
    );
    assert_eq!(
        reasons(&list),
        vec![
            (4, RejectReason::PhoneRoundedByExcel),
            (5, RejectReason::PhoneRoundedByExcel)
        ]
    );
    assert!(RejectReason::PhoneRoundedByExcel
        .describe()
        .contains("Excel rounded"));
    assert!(RejectReason::PhoneRoundedByExcel
        .describe()
        .contains("as Text"));
    let summary = &list.summary;
    assert_eq!(
        (summary.rows_read, summary.imported, summary.rejected),
        (6, 4, 2)
    );
    let find = |code: &str| {
        summary
            .findings
            .iter()
            .find(|f| f.code == code)
            .unwrap_or_else(|| panic!("{code}: {:?}", codes(&list)))
    };
    let extensions = find("list.extensions_split");
    assert!(
        extensions
            .message
            .starts_with("4 phone numbers had an extension"),
        "{}",
        extensions.message
    );
    assert!(extensions
        .message
        .contains("Business Phone extension, Mobile Phone extension"));
    let rounded = find("list.phones_rounded_by_excel");
    assert!(
        rounded
            .message
            .starts_with("3 phone numbers were rounded by Excel"),
        "{}",
        rounded.message
    );
    assert!(rounded.fix.as_deref().unwrap().contains("Text"));
    let types: Vec<(&str, &str)> = summary
        .field_types
        .iter()
        .map(|f| (f.column.as_str(), f.field_type.as_str()))
        .collect();
    assert!(types.contains(&("Business Phone extension", "custom")));
}
