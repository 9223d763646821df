//! A saved calling list and its rejects read back for sending to Bright Pattern: the
//! rows as imported (Excel-safety apostrophes off again), and the do-not-call phones.

use std::ops::ControlFlow;
use std::path::PathBuf;

use dynbridge_core::lists::saved::{
    do_not_call_phones, import_do_not_call_phones, read_saved, SavedList,
};
use dynbridge_core::lists::{import, ImportOptions, ReadLimits, Source};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/lists")
        .join(name)
}

#[test]
fn a_saved_export_reads_back_with_its_do_not_call_phones() {
    let dir = tempfile::tempdir().unwrap();
    let source = Source::open(
        &fixture("contacts-export.xlsx"),
        None,
        ReadLimits::default(),
    )
    .unwrap();
    let list = import(&source, &ImportOptions::default(), &mut |_| {
        ControlFlow::Continue(())
    })
    .unwrap();
    let path = dir.path().join("spring.csv");
    list.save(&path).unwrap();

    let saved = read_saved(&path).unwrap();
    assert_eq!(saved.header, list.header);
    assert_eq!(saved.rows.len(), list.rows());
    assert_eq!(
        saved.rows[0].row, 2,
        "rows are numbered as in the saved file"
    );
    assert_eq!(saved.rows[0].values, list.page(1, 1).rows[0]);

    let phones = do_not_call_phones(&path).unwrap();
    assert!(!phones.is_empty());
    assert_eq!(
        phones,
        import_do_not_call_phones(&list),
        "file and memory agree"
    );
    let in_memory = SavedList::from_import(&list, &path);
    assert_eq!(in_memory.header, saved.header);
    assert_eq!(in_memory.rows[0].values, saved.rows[0].values);
    assert_eq!(in_memory.rows[0].row, 2, "the export's own row of Ann");
    assert!(phones.iter().all(|p| p.row == 7), "{phones:?}");
    assert!(phones
        .iter()
        .all(|p| p.phone.chars().any(|c| c.is_ascii_digit())));
}

#[test]
fn cells_made_safe_for_excel_read_back_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(
        &input,
        "Contact,Full Name,Mobile Phone\r\n2c5e3c1a-8f0b-4c1e-9a3d-1b2c3d4e5f60,=HYPERLINK(\"x\"),+1 425 555 0101\r\n",
    )
    .unwrap();
    let source = Source::open(&input, None, ReadLimits::default()).unwrap();
    let options = ImportOptions {
        id_source: Some("Contact".into()),
        ..ImportOptions::default()
    };
    let list = import(&source, &options, &mut |_| ControlFlow::Continue(())).unwrap();
    let path = dir.path().join("out.csv");
    list.save(&path).unwrap();
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("'=HYPERLINK"));
    let saved = read_saved(&path).unwrap();
    assert!(
        saved.rows[0]
            .values
            .contains(&"=HYPERLINK(\"x\")".to_owned()),
        "{:?}",
        saved.rows[0]
    );
    assert!(
        do_not_call_phones(&path).unwrap().is_empty(),
        "no rejects file, no phones"
    );
}

#[test]
fn a_list_saved_for_excel_starts_with_a_bom_and_reads_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let source = Source::open(
        &fixture("contacts-export.xlsx"),
        None,
        ReadLimits::default(),
    )
    .unwrap();
    let options = ImportOptions {
        excel_bom: Some(true),
        ..ImportOptions::default()
    };
    let list = import(&source, &options, &mut |_| ControlFlow::Continue(())).unwrap();
    let path = dir.path().join("for-excel.csv");
    list.save(&path).unwrap();
    for file in [path.clone(), dir.path().join("for-excel.rejects.csv")] {
        let bytes = std::fs::read(&file).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{file:?}");
    }
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("Ann M\u{fc}ller"));
    let saved = read_saved(&path).unwrap();
    assert_eq!(
        saved.header[0], "dyn_id",
        "the mark is not part of the first column's name"
    );
    assert_eq!(saved.rows.len(), list.rows());
}
