//! The CLI binary, run as a user would.

use std::process::Command;

fn dynbridge() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dynbridge"))
}

#[test]
fn version_prints_the_workspace_version() {
    let out = dynbridge().arg("--version").output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.trim(),
        format!("dynbridge {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn info_json_reports_the_profile_dir_and_real_keychain() {
    let dir = std::env::temp_dir().join(format!("dynbridge-cli-info-{}", std::process::id()));
    let out = dynbridge()
        .args(["info", "--json"])
        .env("DYNBRIDGE_CONFIG_DIR", &dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["profile_dir"], dir.display().to_string());
    assert!(info["keychain_backend"]
        .as_str()
        .is_some_and(|b| !b.is_empty()));
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    let out = dynbridge().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
