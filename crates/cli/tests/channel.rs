//! `dynbridge channel …` run as a user would.

use std::process::{Command, Output};

fn dynbridge(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dynbridge"))
        .args(args)
        .output()
        .unwrap()
}

const URL: &str = "https://example.brightpattern.com/agentdesktop/MicrosoftD365.jsp?crmDomain=contoso.crm.dynamics.com";

#[test]
fn build_prints_the_form_values_and_exits_0() {
    let out = dynbridge(&[
        "channel",
        "build",
        "--tenant",
        "example",
        "--org",
        "https://contoso.crm.dynamics.com",
        "--app",
        "11111111-2222-3333-4444-555555555555",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(URL), "{stdout}");
    assert!(stdout.contains("https://example.brightpattern.com/admin/msdynamicscallback.html"));
}

#[test]
fn build_json_has_the_record_and_api_2_is_an_error() {
    let out = dynbridge(&[
        "channel",
        "build",
        "--tenant",
        "example",
        "--org",
        "contoso.crm.dynamics.com",
        "--order",
        "2",
        "--no-outbound",
        "--json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["record"]["msdyn_sortorder"], 2);
    assert_eq!(json["record"]["msdyn_clicktoact"], false);
    let v2 = dynbridge(&[
        "channel",
        "build",
        "--tenant",
        "example",
        "--org",
        "contoso.crm.dynamics.com",
        "--api-version",
        "2.0",
    ]);
    assert_eq!(v2.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&v2.stdout).contains("error[channel.api_version]"));
}

#[test]
fn build_markdown_prints_the_checklist() {
    let out = dynbridge(&[
        "channel",
        "build",
        "--tenant",
        "example",
        "--org",
        "contoso.crm.dynamics.com",
        "--markdown",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout)
        .starts_with("# Bright Pattern Agent Desktop in Dynamics 365"));
}

#[test]
fn check_finds_a_mismatched_crm_domain() {
    assert_eq!(
        dynbridge(&[
            "channel",
            "check",
            URL,
            "--org",
            "https://contoso.crm.dynamics.com"
        ])
        .status
        .code(),
        Some(0)
    );
    let out = dynbridge(&[
        "channel",
        "check",
        URL,
        "--org",
        "https://fabrikam.crm4.dynamics.com",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["findings"][0]["code"],
        "channel_url.crm_domain_mismatch"
    );
    assert_eq!(json["crm_domain"], "contoso.crm.dynamics.com");
    assert_eq!(dynbridge(&["channel", "check"]).status.code(), Some(2));
}
