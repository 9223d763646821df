//! Tauri commands through Tauri's own IPC path, on the mock runtime (no display).

use std::path::{Path, PathBuf};

use dynbridge_app::{Access, ChosenFiles};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};

const GUID: &str = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

/// The app on the mock runtime with its main window; commands keep their state
/// between calls, as in the real app.
struct TestApp {
    app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

impl TestApp {
    fn new() -> Self {
        // Files opened are kept among the recent ones: in the test profile, never the user's.
        profile_dir();
        let app = dynbridge_app::setup(mock_builder())
            .build(mock_context(noop_assets()))
            .expect("the app builds on the mock runtime");
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("a mock window");
        Self { app, window }
    }

    /// Records `path` as chosen in a dialog, as the native Open or Save dialog does.
    fn choose(&self, path: impl AsRef<Path>, access: Access) {
        self.app
            .state::<ChosenFiles>()
            .choose(path.as_ref(), access);
    }

    /// The path of a list fixture, recorded as chosen in the Open dialog.
    fn chosen_fixture(&self, name: &str) -> String {
        let path = format!("{}/tests/fixtures/lists/{name}", env!("CARGO_MANIFEST_DIR"));
        self.choose(&path, Access::Read);
        path
    }

    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        invoke_in(&self.window, cmd, args)
    }

    /// Loads the list at `path` on the Screen pop page, as the job "load".
    fn load_screenpop_list(&self, path: impl serde::Serialize) -> Result<Value, Value> {
        self.invoke(
            "screenpop_load_list",
            json!({ "path": path, "job": "load" }),
        )
    }
}

/// Calls `cmd` from `window` as the UI does, and waits for its answer.
fn invoke_in(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize().unwrap())
}

#[test]
fn app_info_reports_version_profile_dir_and_real_keychain() {
    let info = TestApp::new()
        .invoke("app_info", json!({}))
        .expect("app_info succeeds");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert!(info["profile_dir"]
        .as_str()
        .is_some_and(|dir| dir.contains("dynbridge")));
    let backend = info["keychain_backend"].as_str().unwrap();
    assert!(!backend.is_empty() && !backend.to_lowercase().contains("mock"));
}

#[test]
fn unknown_commands_are_rejected() {
    assert!(TestApp::new().invoke("no_such_command", json!({})).is_err());
}

#[test]
fn screenpop_lint_and_build_cross_ipc() {
    let app = TestApp::new();
    let lint = app
        .invoke(
            "screenpop_lint",
            json!({ "text": "SHOW_OBJECT:$(item.x):contact" }),
        )
        .unwrap();
    assert_eq!(lint["findings"][0]["code"], "screenpop.variable_root");
    assert_eq!(lint["screenpop"], Value::Null);
    let built = app
        .invoke(
            "screenpop_build",
            json!({ "id": { "kind": "column", "column": "dyn_id" }, "object": "case" }),
        )
        .unwrap();
    assert_eq!(built, "SHOW_OBJECT:$(workitem.otherInfo.dyn_id):case");
    let unknown = app.invoke(
        "screenpop_build",
        json!({ "id": { "kind": "column", "column": "x" }, "object": "widget" }),
    );
    assert!(unknown.unwrap_err().as_str().unwrap().contains("widget"));
}

#[test]
fn a_loaded_list_is_paged_rendered_and_checked() {
    let app = TestApp::new();
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/screenpop-list.csv"
    );
    app.choose(fixture, Access::Read);
    let summary = app.load_screenpop_list(fixture).unwrap();
    assert_eq!(summary["rows"], 3);
    assert_eq!(
        summary["headers"],
        json!(["Full Name", "dyn_id", "Business Phone"])
    );

    let page = app
        .invoke("screenpop_rows", json!({ "first": 2, "count": 1 }))
        .unwrap();
    assert_eq!(page["first"], 2);
    assert_eq!(page["rows"], json!([["Doe, Bob", "", "555-123-4568"]]));

    let text = "SHOW_OBJECT:$(workitem.otherInfo.dyn_id):contact";
    let args = json!({ "text": text, "row": 1, "org": "contoso.crm.dynamics.com", "appId": "" });
    let rendered = app.invoke("screenpop_render", args).unwrap();
    assert_eq!(rendered["record_url"], format!("https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=contact&id={GUID}"));

    let check = app
        .invoke("screenpop_check", json!({ "text": text }))
        .unwrap();
    assert_eq!(
        (
            check["valid"].as_u64(),
            check["empty"]["count"].as_u64(),
            check["malformed"]["count"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
}

#[test]
fn loading_a_missing_list_names_the_file() {
    let app = TestApp::new();
    app.choose("/no/such/list.csv", Access::Read);
    let error = app.load_screenpop_list("/no/such/list.csv").unwrap_err();
    assert!(
        error.as_str().unwrap().contains("/no/such/list.csv"),
        "{error}"
    );
}

#[test]
fn channel_build_check_and_export_cross_ipc() {
    let app = TestApp::new();
    let inputs = json!({
        "tenant": "example", "org": "https://contoso.crm.dynamics.com", "name": "Bright Pattern",
        "label": "Agent Desktop", "outbound": true, "order": 0, "api_version": "1.0",
        "apps": ["11111111-2222-3333-4444-555555555555"], "roles": []
    });
    let built = app
        .invoke("channel_build", json!({ "inputs": inputs }))
        .unwrap();
    let url = "https://example.brightpattern.com/agentdesktop/MicrosoftD365.jsp?crmDomain=contoso.crm.dynamics.com";
    assert_eq!(built["channel_url"], url);

    let mismatch = app
        .invoke(
            "channel_check",
            json!({ "url": url, "org": "https://fabrikam.crm.dynamics.com" }),
        )
        .unwrap();
    assert_eq!(
        mismatch["findings"][0]["code"],
        "channel_url.crm_domain_mismatch"
    );

    let dir = std::env::temp_dir().join(format!("dynbridge-channel-export-{}", std::process::id()));
    let path = dir.join("provider.json");
    app.choose(&path, Access::Write);
    app.invoke(
        "channel_export",
        json!({ "inputs": inputs, "format": "json", "path": path }),
    )
    .unwrap();
    let record: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(record["msdyn_landingurl"], url);
    let md = dir.join("checklist.md");
    app.choose(&md, Access::Write);
    app.invoke(
        "channel_export",
        json!({ "inputs": inputs, "format": "markdown", "path": md }),
    )
    .unwrap();
    assert!(std::fs::read_to_string(&md).unwrap().contains("- [ ] 3."));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_list_is_opened_imported_paged_saved_and_handed_to_screen_pop() {
    let app = TestApp::new();
    let fixture = app.chosen_fixture("contacts-export.xlsx");
    let inspection = app
        .invoke("lists_open", json!({ "path": fixture, "sheet": null }))
        .unwrap();
    assert_eq!(inspection["object_type"]["bright_pattern"], "contact");
    let options = json!({
        "sheet": null, "id_source": null, "id_name": "dyn_id", "country": "US", "keep_invalid_ids": false,
        "dedupe": false, "excel_safe": false, "include_do_not_call": false, "columns": null
    });
    let summary = app
        .invoke(
            "lists_import",
            json!({ "options": options, "progress": "__CHANNEL__:7" }),
        )
        .unwrap();
    assert_eq!(
        (summary["imported"].as_u64(), summary["rejected"].as_u64()),
        (Some(6), Some(4))
    );
    let page = app
        .invoke("lists_rows", json!({ "first": 2, "count": 1 }))
        .unwrap();
    assert_eq!(page["rows"][0][0], "a1b2c3d4-0000-4000-8000-000000000002");
    let rejects = app
        .invoke("lists_rejects", json!({ "first": 1, "count": 2 }))
        .unwrap();
    assert_eq!(rejects[0]["reason"], "id_missing");

    let dir = std::env::temp_dir().join(format!("dynbridge-lists-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("list.csv");
    app.choose(&out, Access::Write);
    let rejects_path = app.invoke("lists_save", json!({ "path": out })).unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 7);
    assert!(std::fs::read_to_string(rejects_path.as_str().unwrap())
        .unwrap()
        .contains("no_valid_phone"));
    std::fs::remove_dir_all(dir).unwrap();

    let handed = app.invoke("lists_to_screenpop", json!({})).unwrap();
    assert_eq!(handed["rows"], 6);
    let rendered = app
        .invoke("screenpop_render", json!({ "text": "SHOW_OBJECT:$(workitem.otherInfo.dyn_id):contact", "row": 1, "org": "", "appId": "" }))
        .unwrap();
    assert_eq!(rendered["id"], "3f2504e0-4f89-41d3-9a0c-0305e82c3301");
}

#[test]
fn lists_open_shows_the_header_rows_and_reopens_at_the_one_chosen() {
    let app = TestApp::new();
    let fixture = app.chosen_fixture("reader-title-second-sheet.xlsx");
    let found = app
        .invoke("lists_open", json!({ "path": fixture, "sheet": null }))
        .unwrap();
    assert_eq!(found["sheets"], json!(["Read me", "Contacts", "Totals"]));
    assert_eq!(found["sheet"], "Contacts");
    assert_eq!(found["header_row"], 3);
    let rows: Vec<u64> = found["header_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_u64().unwrap())
        .collect();
    assert_eq!(rows.first(), Some(&3), "{rows:?}");
    assert_eq!(
        found["header_row_cells"][0],
        json!(["Full Name", "Business Phone", "Contact ID"])
    );
    let fifth = rows.iter().position(|&r| r == 5).expect("row 5 is offered");
    assert_eq!(found["header_row_cells"][fifth][0], "Person 5");

    let reopened = app
        .invoke(
            "lists_open",
            json!({ "path": fixture, "sheet": "Contacts", "headerRow": 5 }),
        )
        .unwrap();
    assert_eq!(reopened["header_row"], 5);
    assert_eq!(reopened["header_rows"], found["header_rows"]);
    assert_eq!(reopened["columns"][0]["header"], "Person 5");
    assert_eq!(reopened["rows"], 3);
    // Rows above the header read are not kept: the page keeps their labels.
    assert_eq!(reopened["header_row_cells"][0], json!([]));

    let other = app
        .invoke(
            "lists_open",
            json!({ "path": fixture, "sheet": "Totals", "headerRow": 1 }),
        )
        .unwrap();
    assert_eq!(
        (&other["sheet"], &other["header_row"]),
        (&json!("Totals"), &json!(1))
    );
    assert_eq!(other["columns"][1]["header"], "Count");
}

#[test]
fn unclear_consent_values_are_offered_and_the_answer_lets_the_import_run() {
    let app = TestApp::new();
    let dir = std::env::temp_dir().join(format!("dynbridge-consent-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ja-nein.csv");
    std::fs::write(
        &path,
        format!(
            "Kontakt;Name;Telefon;Telefonanrufe nicht zulassen\r\n\
             {GUID};Ann;555 123 4567;Nein\r\n\
             3f2504e0-4f89-41d3-9a0c-0305e82c3302;Bob;555 123 4568;Ja\r\n"
        ),
    )
    .unwrap();
    app.choose(&path, Access::Read);
    let inspection = app
        .invoke("lists_open", json!({ "path": path, "sheet": null }))
        .unwrap();
    assert!(inspection["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "list.do_not_call_unclear"));
    assert_eq!(inspection["consent_column"], "Telefonanrufe nicht zulassen");
    assert_eq!(inspection["consent_values"], json!(["Nein", "Ja"]));
    assert_eq!(inspection["consent_do_not_call"], json!([]));

    let mut options = json!({
        "sheet": null, "id_source": null, "id_name": "dyn_id", "country": "US", "keep_invalid_ids": false,
        "dedupe": false, "excel_safe": true, "include_do_not_call": false, "columns": null
    });
    let refused = app
        .invoke(
            "lists_import",
            json!({ "options": options, "progress": "__CHANNEL__:7" }),
        )
        .unwrap_err();
    let refused = refused.as_str().unwrap();
    assert!(
        refused.contains("\"Nein\", \"Ja\"") && !refused.contains("--do-not-call"),
        "{refused}"
    );

    options["do_not_call_column"] = json!("Telefonanrufe nicht zulassen");
    options["do_not_call_values"] = json!(["Ja"]);
    let answered = app
        .invoke("lists_inspect", json!({ "options": options }))
        .unwrap();
    assert_eq!(answered["consent_do_not_call"], json!(["Ja"]));
    let summary = app
        .invoke(
            "lists_import",
            json!({ "options": options, "progress": "__CHANNEL__:7" }),
        )
        .unwrap();
    assert_eq!(
        (summary["imported"].as_u64(), summary["rejected"].as_u64()),
        (Some(1), Some(1))
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// Test connection and the Doctor wait out Dataverse's throttling (here a 15 s
/// Retry-After) unless the user cancels: then each stops at once, and only its own job.
#[test]
fn online_jobs_stop_on_cancel_while_dataverse_throttles() {
    use std::time::{Duration, Instant};
    profile_dir();
    let sim = dynbridge_sim::Sim::start(dynbridge_sim::Config::default(), 0).unwrap();
    let config = sim.config();
    let app = TestApp::new();
    let account = json!({
        "id": "", "name": format!("Throttled {}", std::process::id()), "default": false, "tenant": "example",
        "authorization_url": sim.authorization_url(), "token_url": sim.token_url(), "api_url": sim.api_url(),
        "client_id": config.client_id, "secret_expires": null, "refresh_token_used": null, "simulator": true
    });
    let saved = app
        .invoke(
            "account_save",
            json!({ "account": account, "secret": config.client_secret }),
        )
        .unwrap();
    let id = saved["account"]["id"].as_str().unwrap().to_owned();
    let store = dynbridge_store::accounts::AccountStore::open_default().unwrap();
    let tokens = dynbridge_dataverse::connection::login(
        &store.get(&id).unwrap(),
        &secrecy::SecretString::from(config.client_secret),
        false,
        Duration::from_secs(30),
        &std::sync::atomic::AtomicBool::new(false),
        |url| {
            dynbridge_sim::browser::approve_in_background(url);
            Ok(())
        },
    )
    .unwrap();
    store.record_refresh(&id, tokens.refresh.as_ref()).unwrap();
    sim.throttle(Duration::from_secs(60), Duration::from_secs(15));

    for (command, args) in [
        ("account_test", json!({ "id": id, "job": "test-1" })),
        (
            "doctor_run",
            json!({ "id": id, "provider": null, "job": "doctor-1" }),
        ),
    ] {
        let job = args["job"].as_str().unwrap().to_owned();
        let started = Instant::now();
        let answer = std::thread::scope(|scope| {
            let running = scope.spawn(|| invoke_in(&app.window, command, args.clone()));
            std::thread::sleep(Duration::from_millis(1500));
            assert!(!running.is_finished(), "{command} waits out the throttle");
            // Another job's cancel leaves this one waiting.
            app.invoke("job_cancel", json!({ "job": "another" }))
                .unwrap();
            std::thread::sleep(Duration::from_millis(500));
            assert!(!running.is_finished(), "{command} is not another job");
            app.invoke("job_cancel", json!({ "job": job })).unwrap();
            running.join().unwrap()
        });
        assert!(
            started.elapsed() < Duration::from_secs(8),
            "{command} stopped after {:?}: {answer:?}",
            started.elapsed()
        );
        assert!(
            answer.unwrap().to_string().contains("cancelled"),
            "{command} says it was cancelled"
        );
    }
    app.invoke("account_remove", json!({ "id": id })).unwrap();
}

/// The profile directory of the tests that save accounts or connections, one for the
/// whole process (the variable is process-wide); app_info's check of the path holds.
fn profile_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("dynbridge-commands-profile-{}", std::process::id()));
        std::env::set_var("DYNBRIDGE_CONFIG_DIR", &dir);
        dir
    })
}

#[test]
fn accounts_cross_ipc_and_no_response_or_file_carries_a_secret() {
    let dir = profile_dir();
    let sim = dynbridge_sim::Sim::start(dynbridge_sim::Config::default(), 0).unwrap();
    let config = sim.config();
    let app = TestApp::new();
    let account = json!({
        "id": "", "name": format!("IPC {}", std::process::id()), "default": false, "tenant": "example",
        "authorization_url": sim.authorization_url(), "token_url": sim.token_url(), "api_url": sim.api_url(),
        "client_id": config.client_id, "secret_expires": null, "refresh_token_used": null
    });
    let findings = app
        .invoke(
            "account_validate",
            json!({ "account": account, "secret": "aaaaaaaa-2222-3333-4444-555555555555" }),
        )
        .unwrap();
    assert!(findings
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "secret.looks_like_id"));
    let saved = app
        .invoke(
            "account_save",
            json!({ "account": account, "secret": config.client_secret }),
        )
        .unwrap();
    assert_eq!(saved["has_secret"], true);
    let id = saved["account"]["id"].as_str().unwrap().to_owned();
    let report = app
        .invoke("account_test", json!({ "id": id, "job": "test-1" }))
        .unwrap();
    assert_eq!(report["findings"][0]["code"], "token.missing");
    let listed = app.invoke("accounts_list", json!({})).unwrap();

    // Exported without secrets; imported back under another name, with no secret yet.
    let exported_path = dir.join("exported.json");
    app.choose(&exported_path, Access::Write);
    app.invoke("account_export", json!({ "id": id, "path": exported_path }))
        .unwrap();
    app.choose(&exported_path, Access::Read);
    let preview = app
        .invoke("account_import_preview", json!({ "path": exported_path }))
        .unwrap();
    assert_eq!(preview["api_url"], sim.api_url());
    let exported = std::fs::read_to_string(&exported_path).unwrap();
    assert!(exported.contains(&sim.api_url()), "{exported}");
    let again = app
        .invoke(
            "account_import",
            json!({ "path": exported_path, "clash": "refuse" }),
        )
        .unwrap_err();
    assert!(
        again
            .as_str()
            .unwrap()
            .starts_with(&exported_path.display().to_string())
            && again.as_str().unwrap().contains("already"),
        "{again}"
    );
    let both = app
        .invoke(
            "account_import",
            json!({ "path": exported_path, "clash": "keep_both" }),
        )
        .unwrap();
    let name = account["name"].as_str().unwrap();
    assert_eq!(both["account"]["name"], format!("{name} (2)"));
    let renamed = exported.replace(account["name"].as_str().unwrap(), "IPC copy");
    std::fs::write(&exported_path, renamed).unwrap();
    let imported = app
        .invoke(
            "account_import",
            json!({ "path": exported_path, "clash": "refuse" }),
        )
        .unwrap();
    assert_eq!(imported["account"]["name"], "IPC copy");
    assert_eq!(imported["has_secret"], false);
    assert_ne!(imported["account"]["id"], id.as_str());

    let responses = format!("{findings}{saved}{report}{listed}{imported}");
    let profile = std::fs::read_to_string(dir.join("accounts.json")).unwrap();
    for text in [&responses, &profile, &exported] {
        assert!(
            !text.contains(&config.client_secret),
            "the client secret leaked: {text}"
        );
    }
    for removed in [&saved, &both, &imported].map(|view| view["account"]["id"].as_str().unwrap()) {
        app.invoke("account_remove", json!({ "id": removed }))
            .unwrap();
    }
    std::fs::remove_file(exported_path).unwrap();
}

const READS_ONLY: &str =
    "Dynbridge reads only files you choose in its Open dialog or drop on its window";
const WRITES_ONLY: &str = "Dynbridge writes only to files you choose in its Save dialog";

/// Each command that reads or writes a file the webview names, with its other arguments.
fn file_commands(path: &Path) -> Vec<(&'static str, Value, Access)> {
    let inputs = json!({
        "tenant": "example", "org": "https://contoso.crm.dynamics.com", "name": "Bright Pattern",
        "label": "Agent Desktop", "outbound": true, "order": 0, "api_version": "1.0",
        "apps": [], "roles": []
    });
    let verify = json!({
        "object": "contact", "rows": [], "found": 0, "missing": 0, "other_type": 0,
        "inactive": 0, "do_not_phone": 0, "unchecked": 0, "findings": []
    });
    let doctor = json!({ "account": "Production", "steps": [] });
    vec![
        (
            "lists_open",
            json!({ "path": path, "sheet": null }),
            Access::Read,
        ),
        (
            "screenpop_load_list",
            json!({ "path": path, "job": "load" }),
            Access::Read,
        ),
        (
            "account_import_preview",
            json!({ "path": path }),
            Access::Read,
        ),
        (
            "account_import",
            json!({ "path": path, "clash": "refuse" }),
            Access::Read,
        ),
        ("lists_save", json!({ "path": path }), Access::Write),
        (
            "account_export",
            json!({ "id": "acct-1", "path": path }),
            Access::Write,
        ),
        (
            "verify_export",
            json!({ "report": verify, "path": path }),
            Access::Write,
        ),
        (
            "doctor_export",
            json!({ "report": doctor, "path": path }),
            Access::Write,
        ),
        (
            "channel_export",
            json!({ "inputs": inputs, "format": "markdown", "path": path }),
            Access::Write,
        ),
    ]
}

/// A file with known contents in a fresh folder of its own.
fn scratch_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dynbridge-chosen-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("file.csv");
    std::fs::write(&path, "Full Name,dyn_id\nDoe,1\n").unwrap();
    path
}

#[test]
fn file_commands_refuse_paths_the_user_did_not_choose() {
    let app = TestApp::new();
    // Chosen for the other use: a file opened is not writable, one saved not readable.
    let opened = scratch_file("opened");
    app.choose(&opened, Access::Read);
    let saved = scratch_file("saved");
    app.choose(&saved, Access::Write);
    // A chosen folder does not open the files in it.
    app.choose("/etc", Access::Read);
    let refusals = file_commands(&saved)
        .into_iter()
        .filter(|(.., access)| *access == Access::Read)
        .chain(
            file_commands(&opened)
                .into_iter()
                .filter(|(.., access)| *access == Access::Write),
        )
        .chain(file_commands(Path::new("/etc/passwd")));
    for (cmd, args, access) in refusals {
        let path = args["path"].as_str().unwrap().to_owned();
        let rule = match access {
            Access::Read => READS_ONLY,
            Access::Write => WRITES_ONLY,
        };
        let error = app.invoke(cmd, args).unwrap_err();
        assert_eq!(error, format!("{path}: {rule}"), "{cmd}");
    }
    for file in [opened, saved] {
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(
            text, "Full Name,dyn_id\nDoe,1\n",
            "a refused command wrote it"
        );
        std::fs::remove_dir_all(file.parent().unwrap()).unwrap();
    }
}

#[test]
fn file_commands_work_once_the_user_chose_the_path() {
    let app = TestApp::new();
    let scratch = scratch_file("chosen");
    app.choose(&scratch, Access::Read);
    let loaded = app.load_screenpop_list(&scratch).unwrap();
    assert_eq!(loaded["rows"], 1);

    app.choose(&scratch, Access::Write);
    for (cmd, args, _) in file_commands(&scratch)
        .into_iter()
        .filter(|(cmd, ..)| ["verify_export", "doctor_export", "channel_export"].contains(cmd))
    {
        app.invoke(cmd, args).unwrap();
        let written = std::fs::read_to_string(&scratch).unwrap();
        assert!(!written.contains("Doe,1"), "{cmd} did not write: {written}");
        std::fs::write(&scratch, "").unwrap();
    }
    std::fs::remove_dir_all(scratch.parent().unwrap()).unwrap();
}

#[test]
fn a_recent_file_is_admitted_again_only_if_its_page_opened_it() {
    let app = TestApp::new();
    let scratch = scratch_file("recent");
    let choose = |app: &TestApp, page: &str| {
        app.invoke(
            "recent_file_choose",
            json!({ "page": page, "path": scratch }),
        )
    };
    let refused = choose(&app, "screenpop").unwrap_err();
    assert!(
        refused
            .as_str()
            .unwrap()
            .contains("not one of this page's recent files"),
        "{refused}"
    );
    app.choose(&scratch, Access::Read);
    app.load_screenpop_list(&scratch).unwrap();
    let listed = app
        .invoke("recent_files", json!({ "page": "screenpop" }))
        .unwrap();
    assert_eq!(listed[0], json!(scratch));
    assert!(choose(&app, "lists").is_err(), "another page's recent file");

    // A new session has chosen nothing, yet re-opens the recent file through the store.
    let next = TestApp::new();
    choose(&next, "screenpop").unwrap();
    let loaded = next.load_screenpop_list(&scratch).unwrap();
    assert_eq!(loaded["rows"], 1);
    std::fs::remove_dir_all(scratch.parent().unwrap()).unwrap();
}

#[test]
fn files_dropped_on_the_window_are_readable_not_writable() {
    use tauri::{DragDropEvent, PhysicalPosition, WindowEvent};
    let app = TestApp::new();
    let scratch = scratch_file("dropped");
    let drop = WindowEvent::DragDrop(DragDropEvent::Drop {
        paths: vec![scratch.clone()],
        position: PhysicalPosition::new(0.0, 0.0),
    });
    let window = app.window.as_ref().window();
    dynbridge_app::remember_dropped(&window, &drop);
    let loaded = app.load_screenpop_list(&scratch).unwrap();
    assert_eq!(loaded["rows"], 1);
    let doctor = json!({ "account": "Production", "steps": [] });
    let refused = app
        .invoke(
            "doctor_export",
            json!({ "report": doctor, "path": scratch }),
        )
        .unwrap_err();
    assert!(
        refused.as_str().unwrap().ends_with(WRITES_ONLY),
        "{refused}"
    );
    std::fs::remove_dir_all(scratch.parent().unwrap()).unwrap();
}

/// The command that stands in for the dialogs exists only in builds for the e2e suite.
#[cfg(not(feature = "e2e"))]
#[test]
fn a_build_without_e2e_cannot_record_a_path_from_the_webview() {
    let app = TestApp::new();
    let refused = app.invoke(
        "e2e_choose_file",
        json!({ "path": "/etc/passwd", "write": false }),
    );
    assert!(refused.is_err());
    let error = app.load_screenpop_list("/etc/passwd").unwrap_err();
    assert!(error.as_str().unwrap().ends_with(READS_ONLY), "{error}");
}

/// A scratch folder of its own for one test.
fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dynbridge-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn folder_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

const SAVE_GOOD: &str = "Contact,Full Name,Mobile Phone\r\n\
    2c5e3c1a-8f0b-4c1e-9a3d-1b2c3d4e5f60,Ann Lee,(425) 555-0101\r\n\
    7d1f2e3a-4b5c-4d6e-8f70-8192a3b4c5d6,Bob Ray,425-555-0102\r\n";

/// Opens and imports `text` (as in.csv in `dir`) on the Lists page.
fn import_text(app: &TestApp, dir: &Path, text: &str) -> Value {
    let input = dir.join("in.csv");
    std::fs::write(&input, text).unwrap();
    app.choose(&input, Access::Read);
    app.invoke("lists_open", json!({ "path": input, "sheet": null }))
        .unwrap();
    let options = json!({
        "sheet": null, "id_source": "Contact", "id_name": "dyn_id", "country": "US", "keep_invalid_ids": false,
        "dedupe": false, "excel_safe": true, "include_do_not_call": false, "columns": null
    });
    app.invoke(
        "lists_import",
        json!({ "options": options, "progress": "__CHANNEL__:7" }),
    )
    .unwrap()
}

#[test]
fn lists_save_writes_all_or_nothing_and_leaves_no_stale_rejects() {
    let app = TestApp::new();
    let dir = scratch_dir("lists-save-all");
    let out = dir.join("list.csv");
    let rejects = dir.join("list.rejects.csv");
    app.choose(&out, Access::Write);

    // The rejects cannot be written (a folder is in the way): the old list stays.
    let summary = import_text(&app, &dir, &format!("{SAVE_GOOD},Cy Doe,425-555-0103\r\n"));
    assert_eq!(summary["rejected"], 1);
    std::fs::write(&out, "old list").unwrap();
    std::fs::create_dir(&rejects).unwrap();
    std::fs::write(rejects.join("keep"), "x").unwrap();
    let error = app
        .invoke("lists_save", json!({ "path": out }))
        .unwrap_err();
    assert!(error.to_string().contains("list.rejects.csv"), "{error}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old list");
    assert_eq!(
        folder_names(&dir),
        ["in.csv", "list.csv", "list.rejects.csv"]
    );

    std::fs::remove_dir_all(&rejects).unwrap();
    let saved = app.invoke("lists_save", json!({ "path": out })).unwrap();
    assert_eq!(saved, json!(rejects.display().to_string()));
    assert_eq!(
        folder_names(&dir),
        ["in.csv", "list.csv", "list.rejects.csv"]
    );

    // Saved again from an import that rejects nothing: the old rejects go.
    let summary = import_text(&app, &dir, SAVE_GOOD);
    assert_eq!(summary["rejected"], 0);
    let saved = app.invoke("lists_save", json!({ "path": out })).unwrap();
    assert_eq!(saved, Value::Null);
    assert_eq!(folder_names(&dir), ["in.csv", "list.csv"]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn screen_pop_rows_are_numbered_as_excel_shows_them() {
    let app = TestApp::new();
    let dir = scratch_dir("screenpop-rows");
    let path = dir.join("list.csv");
    std::fs::write(
        &path,
        format!("sep=;\r\ndyn_id;Name;Phone\r\n{GUID};\"Ann\r\nLee\";425-555-0101\r\n\r\nnot-a-guid;Bob;425-555-0102\r\n{GUID};Cy;425-555-0103\r\n"),
    )
    .unwrap();
    app.choose(&path, Access::Read);
    app.load_screenpop_list(&path).unwrap();
    let page = app
        .invoke("screenpop_rows", json!({ "first": 1, "count": 10 }))
        .unwrap();
    assert_eq!(page["sheet_rows"], json!([2, 4, 5]));
    let text = "SHOW_OBJECT:$(workitem.otherInfo.dyn_id):contact";
    let check = app
        .invoke("screenpop_check", json!({ "text": text }))
        .unwrap();
    assert_eq!(check["malformed"]["first_rows"], json!([4]));
    assert_eq!(check["duplicates"]["first_rows"], json!([5]));
    std::fs::remove_dir_all(dir).unwrap();
}

/// The contacts export imported as the Lists page does (Excel-safe cells).
fn import_contacts_export(app: &TestApp) {
    let fixture = app.chosen_fixture("contacts-export.xlsx");
    app.invoke("lists_open", json!({ "path": fixture, "sheet": null }))
        .unwrap();
    let options = json!({
        "sheet": null, "id_source": null, "id_name": "dyn_id", "country": "US", "keep_invalid_ids": false,
        "dedupe": false, "excel_safe": true, "include_do_not_call": false, "columns": null
    });
    app.invoke(
        "lists_import",
        json!({ "options": options, "progress": "__CHANNEL__:7" }),
    )
    .unwrap();
}

#[test]
fn bright_pattern_connections_send_the_import_and_never_return_the_secret() {
    use dynbridge_sim::brightpattern::tenant::{DEMO_LIST, DEMO_LOGIN, DEMO_SECRET};
    let dir = profile_dir();
    let sim = dynbridge_sim::Sim::start(dynbridge_sim::Config::default(), 0).unwrap();
    let app = TestApp::new();
    let connection = |name: &str| json!({ "id": "", "name": format!("{name} {}", std::process::id()), "url": sim.base_url(), "login": DEMO_LOGIN, "simulator": true });
    let findings = app
        .invoke(
            "bp_connection_validate",
            json!({ "connection": { "id": "", "name": "", "url": "ftp://x", "login": "", "simulator": false } }),
        )
        .unwrap();
    let fields: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        ["Name", "API URL", "Login ID"]
            .iter()
            .all(|f| fields.contains(f)),
        "{findings}"
    );
    let added = app
        .invoke(
            "bp_connection_add",
            json!({ "connection": connection("IPC BP"), "secret": DEMO_SECRET }),
        )
        .unwrap();
    assert_eq!(added["has_secret"], true);
    let id = added["connection"]["id"].as_str().unwrap().to_owned();
    let wrong = app
        .invoke(
            "bp_connection_add",
            json!({ "connection": connection("IPC BP wrong"), "secret": "not-the-secret" }),
        )
        .unwrap();
    let wrong_id = wrong["connection"]["id"].as_str().unwrap().to_owned();
    let refused = app
        .invoke("bp_connection_test", json!({ "id": wrong_id }))
        .unwrap_err();
    assert!(
        refused.as_str().unwrap().contains("refused the login ID"),
        "{refused}"
    );
    let tested = app
        .invoke("bp_connection_test", json!({ "id": id }))
        .unwrap();
    assert!(tested["message"].as_str().unwrap().starts_with("Connected"));
    let campaigns = app.invoke("bp_campaigns", json!({ "id": id })).unwrap();
    assert_eq!(campaigns[0]["name"], "Dynamics Outbound");
    assert_eq!(campaigns[0]["lists"], json!([DEMO_LIST]));
    let listed = app.invoke("bp_connections_list", json!({})).unwrap();

    // Nothing imported yet: nothing to check or send.
    let nothing = app
        .invoke(
            "bp_preflight",
            json!({ "id": id, "list": DEMO_LIST, "mode": "add" }),
        )
        .unwrap_err();
    assert_eq!(nothing, "nothing is imported yet");
    import_contacts_export(&app);
    let checks = app
        .invoke(
            "bp_preflight",
            json!({ "id": id, "list": DEMO_LIST, "mode": "replace" }),
        )
        .unwrap();
    let codes: Vec<&str> = checks
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["bp.replace_erases_results", "bp.list_found"]);
    let report = app
        .invoke(
            "bp_send",
            json!({ "id": id, "list": DEMO_LIST, "mode": "add", "dnc": { "list": "Dynamics Do Not Call", "replace": false }, "progress": "__CHANNEL__:8" }),
        )
        .unwrap();
    // The export repeats one contact's ID (row 9): Bright Pattern keeps the first.
    assert_eq!(report["added"], 5, "{report}");
    assert_eq!(
        report["rejected"],
        json!([{ "reason": "duplicateKey", "label": "Duplicate key", "rows": [{ "row": 9, "key": GUID }] }])
    );
    assert_eq!(
        (report["cancelled"].clone(), report["stopped"].clone()),
        (json!(false), Value::Null)
    );
    let records = sim.brightpattern().records(DEMO_LIST);
    assert_eq!(records.len(), 5);
    assert_eq!(records[1]["dyn_id"], "a1b2c3d4-0000-4000-8000-000000000002");
    assert_eq!(report["dnc"]["error"], Value::Null, "{report}");
    assert!(report["dnc"]["sent"].as_u64().unwrap() >= 1, "{report}");
    assert!(!sim
        .brightpattern()
        .dnc_numbers("Dynamics Do Not Call")
        .is_empty());

    // The same rows again: Bright Pattern refuses each as a duplicate key, by row.
    let again = app
        .invoke(
            "bp_send",
            json!({ "id": id, "list": DEMO_LIST, "mode": "add", "dnc": null, "progress": "__CHANNEL__:9" }),
        )
        .unwrap();
    assert_eq!(again["added"], 0, "{again}");
    let group = &again["rejected"][0];
    assert_eq!(
        (group["reason"].as_str(), group["label"].as_str()),
        (Some("duplicateKey"), Some("Duplicate key"))
    );
    assert_eq!(group["rows"].as_array().unwrap().len(), 6);
    let out = dir.join("rejected.csv");
    app.choose(&out, Access::Write);
    app.invoke("bp_rejects_export", json!({ "report": again, "path": out }))
        .unwrap();
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("row,reason,key,dyn_id,Full Name,"), "{csv}");
    assert_eq!(csv.lines().count(), 7, "{csv}");
    assert!(csv.contains("Duplicate key,a1b2c3d4-0000-4000-8000-000000000002,a1b2c3d4-0000-4000-8000-000000000002,"), "{csv}");

    let responses = format!("{added}{wrong}{refused}{tested}{campaigns}{listed}{report}{again}");
    let file = std::fs::read_to_string(dir.join("bp-connections.json")).unwrap();
    for text in [&responses, &file, &csv] {
        assert!(!text.contains(DEMO_SECRET), "the API secret leaked: {text}");
    }
    for removed in [id, wrong_id] {
        app.invoke("bp_connection_remove", json!({ "id": removed }))
            .unwrap();
    }
    std::fs::remove_file(out).unwrap();
}
