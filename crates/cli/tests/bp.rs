//! `dynbridge bp …` and `dynbridge list push` against the simulator's Bright Pattern
//! tenant, the API secret in the real keychain (the xtask runs this inside a private
//! gnome-keyring).

use std::path::{Path, PathBuf};

use dynbridge_sim::brightpattern::tenant::{DEMO_LIST, DEMO_LOGIN, DEMO_SECRET};
use dynbridge_sim::{Config, Sim};
use serde_json::Value;

mod common;
use common::{dynbridge, text};

const DNC: &str = "Dynamics Do Not Call";

fn profile(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("dynbridge-cli-bp-{name}-{}", std::process::id()))
}

fn json(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(output)))
}

/// A connection named `name` to the simulator, with `secret`.
fn add(dir: &Path, sim: &Sim, name: &str, secret: &str) {
    let url = sim.base_url();
    let added = dynbridge(
        dir,
        &[
            "bp",
            "add",
            "--simulator",
            "--name",
            name,
            "--url",
            &url,
            "--login",
            DEMO_LOGIN,
        ],
        &format!("{secret}\n"),
    );
    assert_eq!(added.status.code(), Some(0), "{}", text(&added));
}

/// The demo contacts export imported into `dir` (duplicates left out: the export repeats
/// one ID, which Bright Pattern would refuse as a duplicate key); the list's path and
/// its row count.
fn imported_list(dir: &Path) -> (PathBuf, usize) {
    std::fs::create_dir_all(dir).unwrap();
    let export = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/lists/contacts-export.xlsx");
    let list = dir.join("spring.csv");
    let import = dynbridge(
        dir,
        &[
            "list",
            "import",
            export.to_str().unwrap(),
            "-o",
            list.to_str().unwrap(),
            "--dedupe",
            "--json",
        ],
        "",
    );
    assert_eq!(import.status.code(), Some(0), "{}", text(&import));
    let imported = json(&import)["imported"].as_u64().unwrap() as usize;
    (list, imported)
}

#[test]
fn test_campaigns_and_a_wrong_secret_say_what_they_found() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    let dir = profile("test");
    add(&dir, &sim, "Demo", DEMO_SECRET);
    add(&dir, &sim, "Wrong", "not-the-secret-42");

    let test = dynbridge(&dir, &["bp", "test", "Demo"], "");
    assert_eq!(test.status.code(), Some(0), "{}", text(&test));
    let wrong = dynbridge(&dir, &["bp", "test", "Wrong", "--json"], "");
    assert_eq!(wrong.status.code(), Some(1), "{}", text(&wrong));
    assert!(json(&wrong)["error"]["message"]
        .as_str()
        .unwrap()
        .contains("API secret"));

    let campaigns = json(&dynbridge(&dir, &["bp", "campaigns", "Demo", "--json"], ""));
    assert_eq!(campaigns[0]["lists"][0], DEMO_LIST);

    let transcript = [test, wrong].iter().map(text).collect::<String>();
    assert!(
        !transcript.contains(DEMO_SECRET) && !transcript.contains("not-the-secret-42"),
        "{transcript}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_imported_list_arrives_whole_and_its_do_not_call_phones_go_to_the_dnc_list() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    let dir = profile("push");
    add(&dir, &sim, "Demo", DEMO_SECRET);
    let (list, imported) = imported_list(&dir);
    let list = list.to_str().unwrap();

    let push = dynbridge(
        &dir,
        &[
            "list", "push", list, "--bp", "Demo", "--list", DEMO_LIST, "--dnc", DNC, "--json",
        ],
        "",
    );
    assert_eq!(push.status.code(), Some(0), "{}", text(&push));
    let report = json(&push);
    assert_eq!(report["added"], imported);
    let records = sim.brightpattern().records(DEMO_LIST);
    assert_eq!(records.len(), imported);
    assert!(records
        .iter()
        .any(|r| r["dyn_id"] == "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
            && r["Business Phone"] == "15551234567"));
    assert!(report["dnc"]["sent"].as_u64().unwrap() >= 1, "{report}");
    assert!(!sim.brightpattern().dnc_numbers(DNC).is_empty());

    // The same rows again: every one is already in the list, counted by reason, exit 1.
    let again = dynbridge(
        &dir,
        &[
            "list", "push", list, "--bp", "Demo", "--list", DEMO_LIST, "--json",
        ],
        "",
    );
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));
    let again = json(&again);
    assert_eq!(again["added"], 0);
    assert_eq!(again["rejected"]["duplicateKey"]["count"], imported);
    assert_eq!(again["rejected"]["duplicateKey"]["rows"][0], 2);

    // Replace wants a confirmation it cannot ask for here; nothing is sent.
    let before = sim.brightpattern().total_requests();
    let replace = dynbridge(
        &dir,
        &[
            "list", "push", list, "--bp", "Demo", "--list", DEMO_LIST, "--mode", "replace",
        ],
        "",
    );
    assert_eq!(replace.status.code(), Some(2), "{}", text(&replace));
    assert_eq!(sim.brightpattern().total_requests(), before);
    let replace = dynbridge(
        &dir,
        &[
            "list", "push", list, "--bp", "Demo", "--list", DEMO_LIST, "--mode", "replace", "--yes",
        ],
        "",
    );
    assert_eq!(replace.status.code(), Some(0), "{}", text(&replace));
    assert_eq!(sim.brightpattern().records(DEMO_LIST).len(), imported);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_unknown_list_is_refused_before_anything_is_sent() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    let dir = profile("unknown");
    add(&dir, &sim, "Demo", DEMO_SECRET);
    let (list, _) = imported_list(&dir);
    let push = dynbridge(
        &dir,
        &[
            "list",
            "push",
            list.to_str().unwrap(),
            "--bp",
            "Demo",
            "--list",
            "No Such List.csv",
            "--json",
        ],
        "",
    );
    assert_eq!(push.status.code(), Some(1), "{}", text(&push));
    let error = json(&push);
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("No Such List.csv"),
        "{error}"
    );
    assert_eq!(sim.brightpattern().count("POST v2/callinglist/addAll"), 0);
    let _ = std::fs::remove_dir_all(dir);
}
