//! Saving an import: the list and its rejects are written all or nothing, and a folder
//! always holds exactly the files the summary names.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use dynbridge_core::lists::import::rejects_path;
use dynbridge_core::lists::{import, ImportError, ImportOptions, ImportedList, ReadLimits, Source};

const GOOD: &str = "Contact,Full Name,Mobile Phone\r\n\
    2c5e3c1a-8f0b-4c1e-9a3d-1b2c3d4e5f60,Ann Lee,(425) 555-0101\r\n\
    7d1f2e3a-4b5c-4d6e-8f70-8192a3b4c5d6,Bob Ray,425-555-0102\r\n";
const NO_ID: &str = ",Cy Doe,425-555-0103\r\n";

fn list(dir: &Path, name: &str, text: &str) -> ImportedList {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let source = Source::open(&path, None, ReadLimits::default()).unwrap();
    let options = ImportOptions {
        id_source: Some("Contact".into()),
        ..ImportOptions::default()
    };
    import(&source, &options, &mut |_| ControlFlow::Continue(())).unwrap()
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_rejects_file_that_cannot_be_written_leaves_the_old_list_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let imported = list(dir.path(), "in.csv", &format!("{GOOD}{NO_ID}"));
    assert_eq!((imported.rows(), imported.rejects.len()), (2, 1));
    let out = dir.path().join("out.csv");
    std::fs::write(&out, "old list").unwrap();
    // A folder where the rejects file should go: it cannot be replaced.
    let rejects = rejects_path(&out);
    std::fs::create_dir(&rejects).unwrap();
    std::fs::write(rejects.join("keep"), "x").unwrap();

    let error = imported.save(&out).unwrap_err();
    assert!(
        matches!(&error, ImportError::Write { path, .. } if path.ends_with("out.rejects.csv")),
        "{error}"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old list");
    assert_eq!(names(dir.path()), ["in.csv", "out.csv", "out.rejects.csv"]);
}

#[test]
fn a_re_import_that_rejects_nothing_removes_the_old_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let first = list(dir.path(), "in.csv", &format!("{GOOD}{NO_ID}"));
    let saved = first.save(&out).unwrap();
    assert_eq!(saved.rejects, Some(dir.path().join("out.rejects.csv")));
    assert_eq!(names(dir.path()), ["in.csv", "out.csv", "out.rejects.csv"]);

    let second = list(dir.path(), "in.csv", GOOD);
    let saved = second.save(&out).unwrap();
    assert_eq!(saved.list, Some(out.clone()));
    assert_eq!(saved.rejects, None);
    assert_eq!(names(dir.path()), ["in.csv", "out.csv"]);
    assert!(std::fs::read_to_string(&out).unwrap().contains("Bob Ray"));
}

#[test]
fn a_re_import_that_imports_nothing_removes_the_old_list() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    list(dir.path(), "in.csv", GOOD).save(&out).unwrap();
    assert_eq!(names(dir.path()), ["in.csv", "out.csv"]);

    let nothing = list(
        dir.path(),
        "in.csv",
        &format!("Contact,Full Name,Mobile Phone\r\n{NO_ID}"),
    );
    assert_eq!(nothing.rows(), 0);
    let saved = nothing.save(&out).unwrap();
    assert_eq!(saved.list, None);
    assert_eq!(saved.rejects, Some(dir.path().join("out.rejects.csv")));
    assert_eq!(names(dir.path()), ["in.csv", "out.rejects.csv"]);
}

#[test]
fn the_input_is_never_overwritten_or_removed() {
    let dir = tempfile::tempdir().unwrap();
    // An input named like the rejects of the list about to be saved.
    let text = GOOD.to_owned();
    let imported = list(dir.path(), "out.rejects.csv", &text);
    assert!(imported.rejects.is_empty());
    let error = imported.save(&dir.path().join("out.csv")).unwrap_err();
    assert!(error.to_string().contains("input file"), "{error}");
    let input: PathBuf = dir.path().join("out.rejects.csv");
    assert_eq!(std::fs::read_to_string(&input).unwrap(), text);
    assert_eq!(names(dir.path()), ["out.rejects.csv"]);
}
