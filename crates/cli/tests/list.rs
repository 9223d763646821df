//! `dynbridge list …` on fixture files copied to a scratch directory.

use std::path::PathBuf;
use std::process::{Command, Output};

fn dynbridge(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dynbridge"))
        .args(args)
        .output()
        .unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("dynbridge-cli-list-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/lists")
        .join(name)
}

#[test]
fn inspect_json_names_the_id_column_and_roles() {
    let out = dynbridge(&[
        "list",
        "inspect",
        fixture("contacts-export.xlsx").to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["id_column"], 0);
    assert_eq!(json["entity"], "contact");
    assert_eq!(json["columns"][7]["role"], "phone");
}

#[test]
fn import_writes_the_list_and_rejects_beside_the_input() {
    let dir = scratch("import");
    let input = dir.join("contacts.xlsx");
    std::fs::copy(fixture("contacts-export.xlsx"), &input).unwrap();
    let out = dynbridge(&[
        "list",
        "import",
        input.to_str().unwrap(),
        "--dedupe",
        "--id-column",
        "crm_id",
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["imported"], 5);
    assert_eq!(
        json["screenpop"],
        "SHOW_OBJECT:$(workitem.otherInfo.crm_id):contact"
    );
    let list = std::fs::read_to_string(dir.join("contacts.brightpattern.csv")).unwrap();
    assert!(list.starts_with("crm_id,"));
    let rejects = std::fs::read_to_string(dir.join("contacts.brightpattern.rejects.csv")).unwrap();
    assert!(rejects.contains(",duplicate_id,"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn nothing_importable_exits_1_and_bad_files_are_named() {
    let dir = scratch("nothing");
    let input = dir.join("bad.csv");
    std::fs::write(
        &input,
        "Contact,Phone\n3f2504e0-4f89-41d3-9a0c-0305e82c3301,12\n",
    )
    .unwrap();
    let out = dynbridge(&[
        "list",
        "import",
        input.to_str().unwrap(),
        "-o",
        dir.join("out.csv").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.join("out.csv").exists(), "no empty list is written");
    let protected = dynbridge(&[
        "list",
        "import",
        fixture("password-protected.xlsx").to_str().unwrap(),
    ]);
    assert_eq!(protected.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&protected.stderr).contains("password-protected"));
    assert_eq!(dynbridge(&["list", "import"]).status.code(), Some(2));
    std::fs::remove_dir_all(dir).unwrap();
}
