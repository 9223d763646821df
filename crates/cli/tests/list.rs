//! `dynbridge list …` on fixture files copied to a scratch directory.

use std::path::PathBuf;
use std::process::{Command, Output};

fn dynbridge(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dynbridge"))
        .args(args)
        .output()
        .unwrap()
}

/// The JSON document of a command that must have succeeded.
fn succeeded(out: &std::process::Output) -> serde_json::Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
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
    let json = succeeded(&out);
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

#[test]
fn unknown_consent_values_are_refused_until_stated() {
    let dir = scratch("consent");
    let input = dir.join("ja-nein.csv");
    std::fs::write(
        &input,
        "Kontakt;Name;Telefon;Telefonanrufe nicht zulassen\r\n\
         3f2504e0-4f89-41d3-9a0c-0305e82c3301;Ann;555 123 4567;Nein\r\n\
         3f2504e0-4f89-41d3-9a0c-0305e82c3302;Bob;555 123 4568;Ja\r\n",
    )
    .unwrap();
    let output = dir.join("out.csv");
    let refused = dynbridge(&[
        "list",
        "import",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(1));
    let text = String::from_utf8_lossy(&refused.stdout);
    assert!(text.contains("error[list.do_not_call_unclear]"), "{text}");
    assert!(
        text.contains(
            "--do-not-call-column \"Telefonanrufe nicht zulassen\" --do-not-call-values \"Nein\""
        ),
        "{text}"
    );
    assert!(
        !output.exists(),
        "nothing is written while consent is unclear"
    );
    let json = dynbridge(&["list", "import", input.to_str().unwrap(), "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        json["error"]["findings"][0]["code"],
        "list.do_not_call_unclear"
    );
    let stated = dynbridge(&[
        "list",
        "import",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
        "--do-not-call-column",
        "Telefonanrufe nicht zulassen",
        "--do-not-call-values",
        "Ja,JA",
        "--json",
    ]);
    let json = succeeded(&stated);
    assert_eq!(
        (json["imported"].as_u64(), json["rejected"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(json["rejected_by_reason"][0]["reason"], "do_not_call");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_german_export_imports_without_do_not_call_contacts() {
    let dir = scratch("german");
    let input = dir.join("kontakte.xlsx");
    std::fs::copy(fixture("contacts-export-de.xlsx"), &input).unwrap();
    let out = dynbridge(&[
        "list",
        "import",
        input.to_str().unwrap(),
        "--country",
        "DE",
        "--json",
    ]);
    let json = succeeded(&out);
    assert_eq!(
        (json["imported"].as_u64(), json["rejected"].as_u64()),
        (Some(2), Some(2))
    );
    let list = std::fs::read_to_string(dir.join("kontakte.brightpattern.csv")).unwrap();
    assert!(
        !list.contains("Anna Groß") && !list.contains("Max Nein"),
        "{list}"
    );
    assert!(list.contains("Jürgen Weiß,493012345678"), "{list}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// `dynbridge … | head` must end quietly when the reader goes away: no panic message.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_cli_quietly() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    let file = fixture("contacts-export.xlsx");
    let commands: [&[&str]; 3] = [
        &["list", "inspect", file.to_str().unwrap()],
        &["list", "inspect", file.to_str().unwrap(), "--json"],
        &["info"],
    ];
    for args in commands {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dynbridge"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader closes before the CLI writes a byte: every write hits EPIPE.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
        assert!(
            out.status.signal() == Some(13) || out.status.success(),
            "{args:?}: {:?}",
            out.status
        );
    }
}

const GOOD: &str = "Contact,Full Name,Mobile Phone\r\n\
    2c5e3c1a-8f0b-4c1e-9a3d-1b2c3d4e5f60,Ann Lee,(425) 555-0101\r\n\
    7d1f2e3a-4b5c-4d6e-8f70-8192a3b4c5d6,Bob Ray,425-555-0102\r\n";
const NO_ID: &str = ",Cy Doe,425-555-0103\r\n";

fn import_json(input: &std::path::Path) -> (Option<i32>, serde_json::Value) {
    let out = dynbridge(&[
        "list",
        "import",
        input.to_str().unwrap(),
        "--id-source",
        "Contact",
        "--json",
    ]);
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code(), json)
}

fn files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_re_import_leaves_exactly_the_files_its_json_names() {
    let dir = scratch("reimport");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.csv");
    let list = dir.join("in.brightpattern.csv");
    let rejects = dir.join("in.brightpattern.rejects.csv");

    std::fs::write(&input, format!("{GOOD}{NO_ID}")).unwrap();
    let (code, json) = import_json(&input);
    assert_eq!(code, Some(0));
    assert_eq!(json["output"], list.display().to_string());
    assert_eq!(json["rejects"], rejects.display().to_string());
    assert_eq!(
        files(&dir),
        [
            "in.brightpattern.csv",
            "in.brightpattern.rejects.csv",
            "in.csv"
        ]
    );

    // Nothing rejected now: the old rejects file goes.
    std::fs::write(&input, GOOD).unwrap();
    let (code, json) = import_json(&input);
    assert_eq!(code, Some(0));
    assert_eq!(json["output"], list.display().to_string());
    assert!(json["rejects"].is_null(), "{json}");
    assert_eq!(files(&dir), ["in.brightpattern.csv", "in.csv"]);

    // Nothing imported now: the old list goes, the rejects are written.
    std::fs::write(&input, format!("Contact,Full Name,Mobile Phone\r\n{NO_ID}")).unwrap();
    let (code, json) = import_json(&input);
    assert_eq!(code, Some(1));
    assert!(json["output"].is_null(), "{json}");
    assert_eq!(json["rejects"], rejects.display().to_string());
    assert_eq!(files(&dir), ["in.brightpattern.rejects.csv", "in.csv"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_rejects_file_that_cannot_be_written_changes_nothing_and_is_named() {
    let dir = scratch("blocked-rejects");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.csv");
    std::fs::write(&input, format!("{GOOD}{NO_ID}")).unwrap();
    let list = dir.join("in.brightpattern.csv");
    std::fs::write(&list, "old list").unwrap();
    let rejects = dir.join("in.brightpattern.rejects.csv");
    std::fs::create_dir(&rejects).unwrap();
    std::fs::write(rejects.join("keep"), "x").unwrap();

    let out = dynbridge(&[
        "list",
        "import",
        input.to_str().unwrap(),
        "--id-source",
        "Contact",
    ]);
    assert_ne!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("in.brightpattern.rejects.csv"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&list).unwrap(), "old list");
    assert_eq!(
        files(&dir),
        [
            "in.brightpattern.csv",
            "in.brightpattern.rejects.csv",
            "in.csv"
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Admins keep lists in folders named in their own language, with spaces, often deep in
/// a synced drive. On Windows a path over 260 characters (MAX_PATH) is refused by the
/// older file APIs unless written as a `\\?\` path, which Rust's std does for us; this
/// runs in the Windows leg under Wine too.
#[test]
fn a_list_in_a_deep_folder_with_spaces_and_accents_imports() {
    let root = scratch("Listes d’appel – Zürich");
    let mut dir = root.clone();
    while dir.as_os_str().len() < 280 {
        dir.push("Kampagne März 2026 (Vorschau)");
    }
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("Kontakte für Ärzte.xlsx");
    std::fs::copy(fixture("contacts-export.xlsx"), &input).unwrap();

    let json = succeeded(&dynbridge(&[
        "list",
        "import",
        input.to_str().unwrap(),
        "--dedupe",
        "--json",
    ]));

    let list = dir.join("Kontakte für Ärzte.brightpattern.csv");
    assert_eq!(json["output"], list.display().to_string());
    assert_eq!(json["imported"], 5);
    let written = std::fs::read_to_string(&list).unwrap();
    assert_eq!(written.lines().count(), 1 + 5, "a header and five contacts");
    std::fs::remove_dir_all(root).unwrap();
}
