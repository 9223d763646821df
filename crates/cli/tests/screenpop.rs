//! `dynbridge screenpop …` run as a user would, on list files written to disk.

use std::path::PathBuf;
use std::process::{Command, Output};

const GUID: &str = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
const GOOD: &str = "SHOW_OBJECT:$(workitem.otherInfo.dyn_id):contact";

fn dynbridge(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dynbridge"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn list_file(name: &str, content: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dynbridge-cli-screenpop-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

#[test]
fn lint_exits_0_when_clean_1_on_errors_2_on_usage() {
    assert_eq!(
        dynbridge(&["screenpop", "lint", GOOD]).status.code(),
        Some(0)
    );
    let bad = dynbridge(&["screenpop", "lint", "SHOW_OBJECT:$(item.dyn_id):contact"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stdout(&bad).contains("error[screenpop.variable_root]"));
    assert_eq!(dynbridge(&["screenpop", "lint"]).status.code(), Some(2));
}

#[test]
fn lint_json_carries_codes_and_spans() {
    let out = dynbridge(&[
        "screenpop",
        "lint",
        "--json",
        "SHOW_OBJECT:$(workitem.otherInfo.dyn_id):incident",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "an unknown type is only a warning"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"][0]["code"], "screenpop.object_unknown");
    assert_eq!(json["findings"][0]["span"]["start"], 41);
    assert_eq!(json["screenpop"]["id"]["column"], "dyn_id");
}

#[test]
fn render_substitutes_the_row_into_a_record_url() {
    let list = list_file(
        "render.csv",
        &format!("Full Name;dyn_id\r\nAnn;{GUID}\r\nBob;\r\n"),
    );
    let list = list.to_str().unwrap();
    let out = dynbridge(&[
        "screenpop",
        "render",
        GOOD,
        "--list",
        list,
        "--row",
        "1",
        "--org",
        "https://contoso.crm.dynamics.com",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["show_object"], format!("SHOW_OBJECT:{GUID}:contact"));
    assert_eq!(json["record_url"], format!("https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=contact&id={GUID}"));
    assert_eq!(json["opened"], false);

    let empty = dynbridge(&["screenpop", "render", GOOD, "--list", list, "--row", "2"]);
    assert_eq!(empty.status.code(), Some(1));
    assert!(stdout(&empty).contains("row 3"), "{}", stdout(&empty));
}

#[test]
fn check_reports_counts_and_exits_1_on_bad_rows() {
    let list = list_file(
        "check.csv",
        &format!(
            "dyn_id,phone\n{GUID},5551234567\n,5551234568\nnope,5551234569\n{GUID},5551234560\n"
        ),
    );
    let out = dynbridge(&[
        "screenpop",
        "check",
        GOOD,
        "--list",
        list.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (json["rows"].as_u64(), json["valid"].as_u64()),
        (Some(4), Some(1))
    );
    assert_eq!(json["empty"]["first_rows"], serde_json::json!([3]));
    assert_eq!(json["malformed"]["first_rows"], serde_json::json!([4]));
    assert_eq!(json["duplicates"]["first_rows"], serde_json::json!([5]));
}

#[test]
fn a_missing_list_file_is_named() {
    let out = dynbridge(&[
        "screenpop",
        "check",
        GOOD,
        "--list",
        "/nonexistent/list.csv",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/list.csv"));
}
