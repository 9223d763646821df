//! `dynbridge account …` against the simulator, with secrets in the real keychain (the
//! xtask runs this inside a private gnome-keyring). The browser is an HTTP client.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use dynbridge_sim::{Config, Sim};

mod common;
#[cfg(target_os = "linux")]
use common::dynbridge_with_env;
use common::{dynbridge, text};

#[test]
fn add_login_test_and_no_secret_leaks() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    let config = sim.config();
    let dir = std::env::temp_dir().join(format!("dynbridge-cli-account-{}", std::process::id()));
    let name = format!("Sim {}", std::process::id());
    let mut transcript = signed_in(&sim, &dir, &name);

    let test = dynbridge(&dir, &["account", "test", &name, "--json"], "");
    assert_eq!(test.status.code(), Some(0), "{}", text(&test));
    let report: serde_json::Value = serde_json::from_slice(&test.stdout).unwrap();
    assert_eq!(report["user_id"], config.user_id);
    transcript.push_str(&text(&test));

    let show = dynbridge(&dir, &["account", "show", &name], "");
    assert!(
        text(&show).contains("Refresh token      stored in the keychain"),
        "{}",
        text(&show)
    );
    assert!(text(&show).contains("https://example.brightpattern.com/admin/msdynamicscallback.html"));
    transcript.push_str(&text(&show));
    transcript.push_str(&text(&dynbridge(&dir, &["account", "export", &name], "")));

    let profile = std::fs::read_to_string(dir.join("accounts.json")).unwrap();
    for secret in [config.client_secret.as_str(), "sim-refresh-", "sim-access-"] {
        assert!(!profile.contains(secret), "{secret} in the profile file");
        assert!(!transcript.contains(secret), "{secret} in the CLI's output");
    }
    let removed = dynbridge(&dir, &["account", "remove", &name], "");
    assert_eq!(removed.status.code(), Some(0));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_wrong_secret_is_diagnosed_with_its_guide_step() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    let config = sim.config();
    let dir =
        std::env::temp_dir().join(format!("dynbridge-cli-account-bad-{}", std::process::id()));
    let name = format!("Bad {}", std::process::id());
    let add = dynbridge(
        &dir,
        &[
            "account",
            "add",
            "--name",
            &name,
            "--authorization-url",
            &sim.authorization_url(),
            "--api-url",
            &sim.api_url(),
            "--client-id",
            &config.client_id,
            "--simulator",
        ],
        "aaaaaaaa-2222-3333-4444-555555555555\n",
    );
    assert!(
        text(&add).contains("secret.looks_like_id"),
        "{}",
        text(&add)
    );
    let test = dynbridge(&dir, &["account", "test", &name], "");
    assert_eq!(test.status.code(), Some(1));
    assert!(text(&test).contains("token.missing"), "{}", text(&test));
    dynbridge(&dir, &["account", "remove", &name], "");
    std::fs::remove_dir_all(dir).unwrap();
}

/// Without a reachable keychain, adding an account fails, says what to do, and
/// leaves no account behind without its secret.
#[cfg(target_os = "linux")]
#[test]
fn an_unreachable_keychain_is_explained_and_nothing_is_half_added() {
    let dir = std::env::temp_dir().join(format!("dynbridge-cli-no-keyring-{}", std::process::id()));
    let add = dynbridge_with_env(
        &dir,
        &[(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/dynbridge-test-bus",
        )],
        &[
            "account",
            "add",
            "--name",
            "Orphan",
            "--client-id",
            "5a1e7c90-3d2b-4f6a-8e9c-1b2a3c4d5e6f",
        ],
        "the~Value\n",
    );
    assert_ne!(add.status.code(), Some(0));
    assert!(
        text(&add)
            .contains("Secret Service keyring (GNOME Keyring or KWallet): start or unlock it"),
        "{}",
        text(&add)
    );
    assert!(!dir.join("accounts.json").exists());
}

/// Adds an account for the simulator and signs it in, playing the browser; returns
/// everything the CLI printed, and the sign-in URL, for leak checks.
fn signed_in(sim: &Sim, dir: &Path, name: &str) -> String {
    let config = sim.config();
    let add = dynbridge(
        dir,
        &[
            "account",
            "add",
            "--name",
            name,
            "--tenant",
            "example",
            "--authorization-url",
            &sim.authorization_url(),
            "--api-url",
            &sim.api_url(),
            "--client-id",
            &config.client_id,
            "--simulator",
        ],
        &format!("{}\n", config.client_secret),
    );
    assert_eq!(add.status.code(), Some(0), "{}", text(&add));
    let mut login = Command::new(env!("CARGO_BIN_EXE_dynbridge"))
        .args(["account", "login", name, "--no-browser"])
        .env("DYNBRIDGE_CONFIG_DIR", dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(login.stdout.take().unwrap()).lines();
    let url = lines
        .by_ref()
        .map(Result::unwrap)
        .find(|l| l.starts_with("http"))
        .expect("the authorize URL is printed");
    let page = dynbridge_sim::browser::approve(&url).unwrap();
    assert!(page.contains("Signed in"), "{page}");
    // Read to the end, so the CLI can print its last lines.
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    assert!(login.wait().unwrap().success(), "{rest:?}");
    format!("{}{url}\n{}", text(&add), rest.join("\n"))
}

/// A simulator and an account signed in to it, in a profile directory of its own;
/// the account and the directory go when it is dropped.
struct SignedIn {
    sim: Sim,
    dir: PathBuf,
    name: String,
}

impl SignedIn {
    fn new(tag: &str, config: Config) -> Self {
        let sim = Sim::start(config, 0).unwrap();
        let id = std::process::id();
        let dir = std::env::temp_dir().join(format!("dynbridge-cli-{tag}-{id}"));
        let name = format!("{tag} {id}");
        signed_in(&sim, &dir, &name);
        Self { sim, dir, name }
    }
}

impl Drop for SignedIn {
    fn drop(&mut self) {
        dynbridge(&self.dir, &["account", "remove", &self.name], "");
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn screenpop_verify_reports_each_row() {
    let contact = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    let inactive = "3f2504e0-4f89-41d3-9a0c-0305e82c3302";
    let account_id = "5b7e1c2a-9d3f-4e8a-b1c2-d3e4f5a6b7c8";
    let records = serde_json::from_value(serde_json::json!({
        "contact": [
            { "contactid": contact, "fullname": "Ann Müller", "statecode": 0 },
            { "contactid": inactive, "fullname": "Old Contact", "statecode": 1 }
        ],
        "account": [{ "accountid": account_id, "name": "Contoso", "statecode": 0 }]
    }))
    .unwrap();
    let sim = Sim::start(
        Config {
            records,
            ..Config::default()
        },
        0,
    )
    .unwrap();
    let dir = std::env::temp_dir().join(format!("dynbridge-cli-verify-{}", std::process::id()));
    let name = format!("Verify {}", std::process::id());
    signed_in(&sim, &dir, &name);
    let list = dir.join("list.csv");
    std::fs::write(&list, format!("dyn_id,phone\n{contact},15551234567\nffffffff-0000-4000-8000-000000000000,15551234568\n{account_id},15551234569\n{inactive},15551234570\n")).unwrap();
    let report_csv = dir.join("report.csv");
    let out = dynbridge(
        &dir,
        &[
            "screenpop",
            "verify",
            "SHOW_OBJECT:$(workitem.otherInfo.dyn_id):contact",
            "--list",
            list.to_str().unwrap(),
            "--account",
            &name,
            "--json",
            "--csv",
            report_csv.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "a missing ID is a problem: {}",
        text(&out)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            report["found"].as_u64(),
            report["missing"].as_u64(),
            report["other_type"].as_u64(),
            report["inactive"].as_u64()
        ),
        (Some(1), Some(1), Some(1), Some(1))
    );
    assert_eq!(report["rows"][0]["name"], "Ann Müller");
    assert_eq!(report["rows"][2]["other_type"], "account");
    let csv = std::fs::read_to_string(&report_csv).unwrap();
    assert!(csv.starts_with("row,id,status,name,other_type\n2,3f2504e0-4f89-41d3-9a0c-0305e82c3301,found,Ann Müller,"), "{csv}");
    dynbridge(&dir, &["account", "remove", &name], "");
    std::fs::remove_dir_all(dir).unwrap();
}

/// An exported account's endpoints are shown before it is imported, and it is imported
/// only once confirmed; an untrusted Token URL is refused at sign-in, naming the field.
#[test]
fn import_shows_the_endpoints_and_needs_a_yes() {
    let signed = SignedIn::new("import", Config::default());
    let (sim, dir, name) = (&signed.sim, &signed.dir, &signed.name);
    let export = dynbridge(dir, &["account", "export", name], "");
    let file = dir.join("shared.json");
    std::fs::write(&file, &export.stdout).unwrap();
    dynbridge(dir, &["account", "remove", name], "");

    let unconfirmed = dynbridge(
        dir,
        &["account", "import", file.to_str().unwrap()],
        "secret\n",
    );
    assert_eq!(unconfirmed.status.code(), Some(1), "{}", text(&unconfirmed));
    assert!(
        text(&unconfirmed).contains(&sim.token_url()),
        "{}",
        text(&unconfirmed)
    );
    assert!(
        text(&unconfirmed).contains("--yes"),
        "{}",
        text(&unconfirmed)
    );
    let list = dynbridge(dir, &["account", "list", "--json"], "");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&list.stdout).unwrap(),
        serde_json::json!([])
    );

    // A shared file whose Token URL points elsewhere is imported only if confirmed, and
    // still refused when it would be used.
    let mut shared: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    shared["simulator"] = serde_json::json!(false);
    shared["token_url"] = serde_json::json!("http://attacker.example/t/oauth2/token");
    std::fs::write(&file, shared.to_string()).unwrap();
    let imported = dynbridge(
        dir,
        &["account", "import", file.to_str().unwrap(), "--yes"],
        "secret\n",
    );
    assert_eq!(
        imported.status.code(),
        Some(1),
        "findings about the endpoints: {}",
        text(&imported)
    );
    let login = dynbridge(
        dir,
        &["account", "login", name, "--no-browser", "--json"],
        "",
    );
    assert_eq!(login.status.code(), Some(1), "{}", text(&login));
    let error: serde_json::Value = serde_json::from_slice(&login.stdout).unwrap();
    assert_eq!(error["error"]["findings"][0]["field"], "Authorization URL");
    assert!(
        !text(&login).contains("Open this address"),
        "no sign-in was started"
    );
    dynbridge(dir, &["account", "remove", name], "");
    std::fs::remove_dir_all(dir).unwrap();
}

/// With --json, standard output is one JSON document even when the job fails: an
/// error object, and exit code 1; usage errors exit 2.
#[test]
fn failed_jobs_under_json_answer_one_error_document() {
    let signed = SignedIn::new("json", Config::default());
    let (sim, dir, name) = (&signed.sim, &signed.dir, &signed.name);
    let list = dir.join("list.csv");
    std::fs::write(
        &list,
        "dyn_id,phone\n3f2504e0-4f89-41d3-9a0c-0305e82c3301,15551234567\n",
    )
    .unwrap();
    let document = |out: &Output| -> serde_json::Value {
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("one JSON document ({e}): {}", text(out)))
    };

    sim.set_fault(Some(dynbridge_sim::Fault::Http(403)));
    let verify = dynbridge(
        dir,
        &[
            "--json",
            "screenpop",
            "verify",
            "SHOW_OBJECT:$(workitem.otherInfo.dyn_id):contact",
            "--list",
            list.to_str().unwrap(),
            "--account",
            name,
        ],
        "",
    );
    assert_eq!(verify.status.code(), Some(1), "{}", text(&verify));
    let error = document(&verify);
    assert_eq!(error["error"]["findings"][0]["code"], "http.403");
    sim.set_fault(None);

    let before = sim.api_requests();
    let push = dynbridge(
        dir,
        &[
            "channel",
            "push",
            "--tenant",
            "example",
            "--org",
            "https://contoso.crm.dynamics.com",
            "--order",
            "1001",
            "--account",
            name,
            "--json",
        ],
        "",
    );
    assert_eq!(push.status.code(), Some(1), "{}", text(&push));
    assert_eq!(
        document(&push)["error"]["findings"][0]["code"],
        "channel.order_too_high"
    );
    assert_eq!(sim.api_requests(), before, "nothing was sent");

    let missing = dynbridge(dir, &["account", "show", "No such account", "--json"], "");
    assert_eq!(missing.status.code(), Some(1));
    assert!(document(&missing)["error"]["message"]
        .as_str()
        .unwrap()
        .contains("No such account"));

    let usage = dynbridge(dir, &["screenpop", "verify", "--json"], "");
    assert_eq!(usage.status.code(), Some(2));
    assert_eq!(document(&usage)["error"]["usage"], true);

    let shown = dynbridge(dir, &["account", "show", name, "--json"], "");
    assert_eq!(shown.status.code(), Some(0), "{}", text(&shown));
    assert_eq!(document(&shown)["has_refresh_token"], true);
    dynbridge(dir, &["account", "remove", name], "");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn channel_push_creates_then_updates_the_provider() {
    let signed = SignedIn::new("push", Config::default());
    let (dir, name) = (&signed.dir, &signed.name);
    let push = |label: &str| {
        let org = "https://contoso.crm.dynamics.com";
        let app = "11111111-2222-3333-4444-555555555555";
        dynbridge(
            dir,
            &[
                "channel",
                "push",
                "--account",
                name,
                "--tenant",
                "example",
                "--org",
                org,
                "--label",
                label,
                "--app",
                app,
            ],
            "",
        )
    };
    let first = push("Agent Desktop");
    assert!(
        text(&first).contains("created the channel provider"),
        "{}",
        text(&first)
    );
    let second = push("BP Agent Desktop");
    let second = text(&second);
    assert!(
        second.contains("updated") && second.contains("Agent Desktop -> BP Agent Desktop"),
        "{second}"
    );
    dynbridge(dir, &["account", "remove", name], "");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn doctor_prints_the_checklist_as_markdown() {
    let signed = SignedIn::new("doctor", Config::default());
    let (dir, name) = (&signed.dir, &signed.name);
    let out = dynbridge(dir, &["doctor", "--account", name, "--markdown"], "");
    let md = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the empty simulator lacks the CIF solution: {md}"
    );
    assert!(
        md.starts_with(&format!("# Dynbridge doctor: {name}")),
        "{md}"
    );
    assert!(
        md.contains("- [x] A8 Token")
            && md.contains("**B1 Channel Integration Framework installed**"),
        "{md}"
    );
    dynbridge(dir, &["account", "remove", name], "");
    std::fs::remove_dir_all(dir).unwrap();
}
