//! End-to-end tests: the real app binary in a real WebKit window (under Xvfb on CI),
//! driven through tauri-driver and WebKitWebDriver. Each page is visited, its visible
//! text asserted, and a screenshot saved under `target/e2e/`.
//!
//! Run by `cargo xtask test`, which provides the display, the keychain and the driver.
//! Prints libtest's summary line so the counts add up with the other suites.

mod driver;
mod numbering;
mod screens;
mod webdriver;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use numbering::the_same_row_has_the_same_number_on_every_page;
use screens::every_page_is_captured_at_two_sizes_in_light_and_dark;
use serde_json::json;
use webdriver::{Result, Session};

/// The pages, as (navigation id, title, a phrase of the page's stated purpose).
const PAGES: &[(&str, &str, &str)] = &[
    ("accounts", "Accounts", "integration accounts"),
    (
        "channel",
        "Channel provider",
        "Channel Integration Framework",
    ),
    ("lists", "Lists", "calling list"),
    ("screenpop", "Screen pop", "SHOW_OBJECT"),
    ("doctor", "Doctor", "checklist"),
];

type Case = (&'static str, fn(&Session) -> Result<()>);

/// The cases in order (they share one app session), each named after its function.
macro_rules! cases {
    ($($case:ident),* $(,)?) => {
        &[$((stringify!($case), $case as fn(&Session) -> Result<()>)),*]
    };
}

const CASES: &[Case] = cases![
    window_is_titled_dynbridge,
    status_bar_shows_app_info_from_rust,
    fluent_styles_apply_under_the_csp,
    every_page_states_its_purpose,
    arrow_keys_and_enter_switch_pages,
    screen_pop_lints_renders_and_opens_a_row,
    channel_provider_checks_the_crm_domain_and_copies_the_url,
    lists_import_an_export_save_it_and_test_its_screen_pop,
    a_script_in_the_webview_touches_only_files_the_user_chose,
    accounts_add_request_token_test_connection_and_run_the_doctor,
    the_demo_tenant_is_ready_in_one_click,
    the_demo_tenant_takes_an_imported_list_into_bright_pattern,
    pages_keep_their_inputs_when_left_and_visited_again,
    no_text_overlaps_and_form_rows_share_a_height_at_1024x700,
    navigation_answers_within_a_second_while_a_100k_row_file_opens,
    every_page_is_captured_at_two_sizes_in_light_and_dark,
    the_same_row_has_the_same_number_on_every_page,
];

fn window_is_titled_dynbridge(session: &Session) -> Result<()> {
    expect_eq(session.title()?, "Dynbridge".to_owned())
}

fn status_bar_shows_app_info_from_rust(session: &Session) -> Result<()> {
    let version = format!("Dynbridge {}", env!("CARGO_PKG_VERSION"));
    let text = session.wait_for_text("[data-testid=status-bar]", |t| t.contains(&version))?;
    for expected in ["Profiles: ", "Secrets: Secret Service"] {
        if !text.contains(expected) {
            return Err(format!("status bar {text:?} lacks {expected:?}"));
        }
    }
    Ok(())
}

/// Fluent UI injects its styles at run time; a too-strict CSP would leave the page bare.
fn fluent_styles_apply_under_the_csp(session: &Session) -> Result<()> {
    let display =
        session.execute("return getComputedStyle(document.querySelector('nav')).display")?;
    expect_eq(
        display.as_str().unwrap_or_default().to_owned(),
        "flex".to_owned(),
    )
}

fn every_page_states_its_purpose(session: &Session) -> Result<()> {
    for (id, title, phrase) in PAGES {
        session.click(&session.find(&format!("[data-page={id}]"))?)?;
        session.wait_for_text("#page-title", |t| t == *title)?;
        let purpose = session.wait_for_text("[data-testid=page-purpose]", |t| !t.is_empty())?;
        if !purpose.contains(phrase) {
            return Err(format!("{title}: purpose {purpose:?} lacks {phrase:?}"));
        }
        save_screenshot(session, id)?;
    }
    Ok(())
}

fn arrow_keys_and_enter_switch_pages(session: &Session) -> Result<()> {
    let accounts = session.find("[data-page=accounts]")?;
    session.click(&accounts)?;
    session.wait_for_text("#page-title", |t| t == "Accounts")?;
    session.send_keys(&accounts, "\u{E015}\u{E015}\u{E007}")?;
    session
        .wait_for_text("#page-title", |t| t == "Lists")
        .map(drop)
}

fn screen_pop_lints_renders_and_opens_a_row(session: &Session) -> Result<()> {
    session.click_on("[data-page=screenpop]")?;
    session.type_into(
        "[data-testid=screenpop-input]",
        "SHOW_OBJECT:$(workitem.otherinfo.dyn_id):contact",
    )?;
    let finding = session.wait_for_text("[data-code='screenpop.variable_case']", |t| {
        t.contains("workitem.otherInfo")
    })?;
    session.wait_for_text("[data-testid=highlighted] mark", |t| {
        t == "workitem.otherinfo."
    })?;
    save_screenshot(session, "screenpop-finding")?;
    // The field's hint links the guide step the lint follows.
    if !finding.contains("Configuring Screen Pop for Preview Campaigns, step 2a") {
        return Err(format!("the finding lacks its guide step: {finding:?}"));
    }
    session.type_into(
        "[data-testid=screenpop-input]",
        "SHOW_OBJECT:$(workitem.otherInfo.dyn_id):contact",
    )?;
    session.wait_for_text("[data-testid=screenpop-ok]", |t| !t.is_empty())?;

    let list = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/screenpop-list.csv");
    set_test_hooks(session, json!({ "pickFile": list, "opened": [] }))?;
    session.click_on("[data-testid=choose-list]")?;
    session.wait_for_text("[data-testid=list-summary]", |t| t.contains("3 rows"))?;
    session.type_into("[data-testid=org-url]", "https://contoso.crm.dynamics.com")?;
    let expected = "https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=contact&id=3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    session.wait_until("the record URL", || {
        let value =
            session.property(&session.find("[data-testid=rendered-record-url]")?, "value")?;
        Ok((value == expected).then_some(()))
    })?;
    session.click_on("[data-testid=open-record]")?;
    let opened = session.wait_until("the opened URL", || {
        let opened = session.execute("return window.__DYNBRIDGE_TEST__.opened")?;
        Ok(opened.as_array().filter(|urls| !urls.is_empty()).cloned())
    })?;
    expect_eq(opened, vec![serde_json::Value::from(expected)])?;
    save_screenshot(session, "screenpop-rendered")
}

fn channel_provider_checks_the_crm_domain_and_copies_the_url(session: &Session) -> Result<()> {
    session.click_on("[data-page=channel]")?;
    session.wait_for_text("[data-testid=channel-tenant]", |_| true)?;
    // Nothing is in error before it is touched; leaving the empty tenant says so, once.
    expect_eq(invalid_fields(session)?, json!([]))?;
    session.click_on("[data-testid=channel-tenant]")?;
    session.click_on("[data-testid=channel-org]")?;
    session.wait_for_text("[data-field='Bright Pattern tenant']", |t| {
        t.matches("tenant is missing").count() == 1
    })?;
    no_code_or_flag_is_shown(session)?;
    session.type_into("[data-testid=channel-tenant]", "example")?;
    session.type_into(
        "[data-testid=channel-org]",
        "https://contoso.crm.dynamics.com",
    )?;
    let url = "https://example.brightpattern.com/agentdesktop/MicrosoftD365.jsp?crmDomain=contoso.crm.dynamics.com";
    session.wait_until("the built Channel URL", || {
        let value = session.property(&session.find("[data-testid=channel-url]")?, "value")?;
        Ok((value == url).then_some(()))
    })?;

    let wrong = url.replace("contoso", "fabrikam");
    session.type_into("[data-testid=channel-check-url]", &wrong)?;
    session.wait_for_text("[data-code='channel_url.crm_domain_mismatch']", |t| {
        t.contains("contoso.crm.dynamics.com")
    })?;
    session.scroll_into_view("[data-code='channel_url.crm_domain_mismatch']")?;
    save_screenshot(session, "channel-mismatch")?;
    session.type_into("[data-testid=channel-check-url]", url)?;
    session.wait_for_text("[data-testid=channel-check-ok]", |t| {
        t.contains("no problems")
    })?;

    set_test_hooks(session, json!({ "copied": [] }))?;
    session.click_on("[data-testid=channel-url-copy]")?;
    session.wait_for_text("[data-testid=channel-url-copy]", |t| t == "Copied")?;
    let copied = session.execute("return window.__DYNBRIDGE_TEST__.copied")?;
    expect_eq(copied, json!([url]))?;
    save_screenshot(session, "channel-built")
}

fn lists_import_an_export_save_it_and_test_its_screen_pop(session: &Session) -> Result<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let export = root.join("tests/fixtures/lists/contacts-export.xlsx");
    let saved = screenshot_dir()?.join("contacts.brightpattern.csv");
    let _ = std::fs::remove_file(&saved);
    session.click_on("[data-page=lists]")?;
    set_test_hooks(session, json!({ "pickFile": export, "saveFile": saved }))?;
    session.click_on("[data-testid=choose-file]")?;
    session.wait_for_text("[data-testid=lists-detected]", |t| {
        t.contains("10 rows") && t.contains("Contact records")
    })?;
    session.click_on("[data-testid=import]")?;
    session.wait_for_text("[data-testid=lists-counts]", |t| {
        t.contains("6 imported, 4 rejected")
    })?;
    // The preview scrolls sideways, so the phone column may be out of view: read the DOM.
    session.wait_until("the preview's rows", || {
        let text = session
            .execute("return document.querySelector('[data-testid=lists-preview]').textContent")?;
        Ok(text
            .as_str()
            .is_some_and(|t| t.contains("15551234567"))
            .then_some(()))
    })?;
    session.scroll_into_view("[data-testid=lists-preview]")?;
    save_screenshot(session, "lists-imported")?;

    session.click_on("[data-testid=lists-save]")?;
    session.wait_for_text("[data-testid=lists-saved]", |t| t.contains("The list to"))?;
    let written =
        std::fs::read_to_string(&saved).map_err(|e| format!("{}: {e}", saved.display()))?;
    if !written.starts_with("dyn_id,Full Name,") || written.lines().count() != 7 {
        return Err(format!("unexpected list file:\n{written}"));
    }
    let rejects = saved.with_file_name("contacts.brightpattern.rejects.csv");
    if !std::fs::read_to_string(&rejects).is_ok_and(|t| t.contains("do_not_call")) {
        return Err(format!(
            "{} lacks the do-not-call reject",
            rejects.display()
        ));
    }

    no_code_or_flag_is_shown(session)?;

    // Another choice makes the result stale: it cannot be saved or handed on as current.
    click_text(session, "label", "Remove duplicates")?;
    session.wait_for_text("[data-testid=lists-stale]", |t| t.contains("Import again"))?;
    for button in ["lists-save", "lists-test-screenpop"] {
        let disabled = session.execute(&format!(
            "return document.querySelector('[data-testid={button}]').disabled"
        ))?;
        expect_eq(disabled, json!(true))?;
    }
    session.scroll_into_view("[data-testid=lists-stale]")?;
    save_screenshot(session, "lists-stale")?;
    click_text(session, "label", "Remove duplicates")?;
    session.wait_until("the result current again", || {
        Ok(session
            .find("[data-testid=lists-stale]")
            .is_err()
            .then_some(()))
    })?;

    session.click_on("[data-testid=lists-test-screenpop]")?;
    session.wait_for_text("#page-title", |t| t == "Screen pop")?;
    session.wait_for_text("[data-testid=list-summary]", |t| t.contains("6 rows"))?;
    let screenpop = session.property(&session.find("[data-testid=screenpop-input]")?, "value")?;
    expect_eq(
        screenpop,
        json!("SHOW_OBJECT:$(workitem.otherInfo.dyn_id):contact"),
    )?;
    save_screenshot(session, "lists-to-screenpop")
}

/// What a script injected into the webview could try: reading a file or writing one
/// the user never chose. Rust refuses both.
fn a_script_in_the_webview_touches_only_files_the_user_chose(session: &Session) -> Result<()> {
    let read = invoke_from_script(
        session,
        "screenpop_load_list",
        json!({ "path": "/etc/passwd", "job": "load" }),
    )?;
    expect_eq(
        read,
        Err(json!("/etc/passwd: Dynbridge reads only files you choose in its Open dialog or drop on its window")),
    )?;
    let target = screenshot_dir()?.join("not-chosen.md");
    let _ = std::fs::remove_file(&target);
    let report = json!({ "account": "Production", "steps": [] });
    let write = invoke_from_script(
        session,
        "doctor_export",
        json!({ "report": report, "path": target }),
    )?;
    expect_eq(
        write,
        Err(json!(format!(
            "{}: Dynbridge writes only to files you choose in its Save dialog",
            target.display()
        ))),
    )?;
    if target.exists() {
        return Err(format!("{} was written", target.display()));
    }
    Ok(())
}

fn accounts_add_request_token_test_connection_and_run_the_doctor(session: &Session) -> Result<()> {
    let sim = dynbridge_sim::Sim::start(dynbridge_sim::Config::default(), 0)
        .map_err(|e| e.to_string())?;
    let config = sim.config();
    session.click_on("[data-page=accounts]")?;
    session.click_on("[data-testid=account-add]")?;
    session.wait_for_text("[data-testid=account-name]", |_| true)?;
    std::thread::sleep(std::time::Duration::from_millis(300));
    // A new account opens with no field in error, and no date in an empty expiry.
    expect_eq(invalid_fields(session)?, json!([]))?;
    expect_eq(
        session.property(
            &session.find("[data-testid=account-secret-expires]")?,
            "value",
        )?,
        json!(""),
    )?;
    save_screenshot(session, "account-new")?;
    for (field, value) in [
        ("name", "Simulator".to_owned()),
        ("tenant", "example".to_owned()),
        ("authorization_url", sim.authorization_url()),
        ("token_url", sim.token_url()),
        ("api_url", sim.api_url()),
        ("client_id", config.client_id.clone()),
    ] {
        session.type_into(&format!("[data-testid=account-{field}]"), &value)?;
    }
    // The simulator listens on this computer, which only simulator accounts may use.
    session.click_on("[data-testid=account-simulator]")?;
    session.type_into(
        "[data-testid=account-secret]",
        "aaaaaaaa-2222-3333-4444-555555555555",
    )?;
    // Leaving the field shows its problem beside it, once.
    session.click_on("[data-testid=account-name]")?;
    session.wait_for_text("[data-code='secret.looks_like_id']", |t| {
        t.matches("Secret ID").count() == 1
    })?;
    no_code_or_flag_is_shown(session)?;
    session.type_into("[data-testid=account-secret]", &config.client_secret)?;
    session.click_on("[data-testid=account-save]")?;
    session.wait_for_text("[data-testid=account-saved]", |t| {
        t.contains("client secret is in the keychain")
    })?;

    set_test_hooks(session, json!({ "opened": [] }))?;
    session.click_on("[data-testid=request-token]")?;
    // Signing in touches the keychain and binds a listener: allow for a loaded machine,
    // and say what the page shows if it never comes.
    let url = session
        .wait_up_to(
            std::time::Duration::from_secs(30),
            "the sign-in URL",
            || {
                let opened = session.execute("return window.__DYNBRIDGE_TEST__.opened")?;
                Ok(opened.get(0).and_then(|u| u.as_str()).map(str::to_owned))
            },
        )
        .map_err(|e| format!("{e}; the page says {:?}", page_messages(session)))?;
    // Play the browser: Entra (the simulator) redirects to the app's loopback listener.
    let page = dynbridge_sim::browser::approve(&url)?;
    if !page.contains("Signed in") {
        return Err(format!("the loopback page says {page:?}"));
    }
    session.wait_for_text("[data-testid=login-result]", |t| {
        t.contains("refresh token is stored")
    })?;

    session.click_on("[data-testid=test-connection]")?;
    session.wait_for_text("[data-testid=connection-ok]", |t| {
        t.contains(&config.user_name)
    })?;
    session.scroll_into_view("[data-testid=connection-ok]")?;
    save_screenshot(session, "accounts-connected")?;

    // The doctor runs with this account's token against the same simulator.
    session.click_on("[data-page=doctor]")?;
    session.click_on("[data-testid=doctor-run]")?;
    session.wait_for_text("[data-step=A8]", |t| t.contains("Pass"))?;
    session.wait_for_text("[data-step=B1]", |t| {
        t.contains("Fix") && t.contains("Install Channel Integration Framework")
    })?;
    save_screenshot(session, "doctor")?;
    export_import_and_remove_an_account(session, &sim.api_url(), &config.client_secret)
}

/// Exports the selected "Simulator" account without secrets, imports the file as a
/// second account, and removes that one through the confirmation dialog.
fn export_import_and_remove_an_account(
    session: &Session,
    api_url: &str,
    secret: &str,
) -> Result<()> {
    let file = screenshot_dir()?.join("simulator-account.json");
    set_test_hooks(session, json!({ "saveFile": file, "pickFile": file }))?;
    session.click_on("[data-page=accounts]")?;
    click_text(session, "[data-testid=accounts-table] button", "Simulator")?;
    session.click_on("[data-testid=account-export]")?;
    session.wait_for_text("[data-testid=account-exported]", |t| {
        t.contains("Simulator to") && t.contains("without its client secret")
    })?;
    let exported =
        std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    if !exported.contains(api_url) || exported.contains(secret) {
        return Err(format!(
            "the export should hold the API URL and no secret: {exported}"
        ));
    }

    session.click_on("[data-testid=account-import]")?;
    // The file's endpoints are shown (read through the Rust check) and confirmed first;
    // its name is taken, so the choice is Replace or Keep both.
    session.wait_for_text("[data-testid=import-endpoints]", |t| t.contains(api_url))?;
    session.wait_for_text("[data-testid=import-name-taken]", |t| {
        t.contains("named Simulator exists")
    })?;
    session.click_on("[data-testid=account-import-keep-both]")?;
    session.wait_for_text("[data-testid=account-status]", |t| {
        t.contains("Imported Simulator (2)")
    })?;
    session.click_on("[data-testid=account-remove]")?;
    session.scroll_into_view("[data-testid=account-remove-confirm]")?;
    save_screenshot(session, "account-remove-confirm")?;
    session.click_on("[data-testid=account-remove-confirm]")?;
    session.wait_for_text("[data-testid=account-status]", |t| {
        t.contains("Removed Simulator (2)")
    })?;
    // Each row's name (its button), without the Default and Simulator badges beside it.
    let listed = session.execute(
        "return [...document.querySelectorAll('[data-testid=accounts-table] tbody tr')].map(r => r.cells[0].querySelector('button').textContent)",
    )?;
    expect_eq(listed, json!(["Simulator"]))
}

fn the_demo_tenant_is_ready_in_one_click(session: &Session) -> Result<()> {
    session.click_on("[data-page=accounts]")?;
    session.click_on("[data-testid=account-demo]")?;
    session.wait_for_text("[data-testid=account-status]", |t| {
        t.contains("Demo tenant ready")
    })?;
    session.click_on("[data-testid=test-connection]")?;
    session.wait_for_text("[data-testid=connection-ok]", |t| t.contains("Connected"))?;

    // Push the channel provider with the demo account, choosing an app from the org.
    session.click_on("[data-page=channel]")?;
    session.type_into("[data-testid=channel-tenant]", "example")?;
    session.type_into(
        "[data-testid=channel-org]",
        "https://contoso.crm.dynamics.com",
    )?;
    choose_demo_account(session)?;
    session.click_on("[data-testid=channel-choices]")?;
    click_text(session, "label", "Customer Service Hub")?;
    session.click_on("[data-testid=channel-push]")?;
    session.wait_for_text("[data-testid=channel-push-result]", |t| {
        t.starts_with("Created")
            && t.contains("Unified Interface apps: 1 app")
            && t.contains("API Version: 1.0")
            && !t.contains("msdyn_")
    })?;
    session.scroll_into_view("[data-testid=channel-push-result]")?;
    save_screenshot(session, "demo-push")?;

    // Verify the screen pop list's IDs against the demo tenant.
    session.click_on("[data-page=screenpop]")?;
    let list = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/screenpop-list.csv");
    set_test_hooks(session, json!({ "pickFile": list }))?;
    session.click_on("[data-testid=choose-list]")?;
    // The list's preview renders above the picker; choose once the layout has settled.
    session.wait_for_text("[data-testid=verify-list]", |t| t.contains("3 rows"))?;
    choose_demo_account(session)?;
    session.click_on("[data-testid=verify-list]")?;
    session.wait_for_text("[data-testid=verify-counts]", |t| {
        t.contains("1 ID: 0 found, 1 not found in Dynamics")
    })?;
    session.scroll_into_view("[data-testid=verify-counts]")?;
    save_screenshot(session, "demo-verify")
}

/// In the demo tenant, the contacts export goes from the Lists page into the simulator's
/// calling list: the result shown, the rows read back through the List Management API.
fn the_demo_tenant_takes_an_imported_list_into_bright_pattern(session: &Session) -> Result<()> {
    use dynbridge_sim::brightpattern::tenant::{DEMO_LIST, DEMO_LOGIN, DEMO_SECRET};
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let export = root.join("tests/fixtures/lists/contacts-export.xlsx");
    let rejected = screenshot_dir()?.join("bp-rejected.csv");
    let _ = std::fs::remove_file(&rejected);
    session.click_on("[data-page=lists]")?;
    set_test_hooks(session, json!({ "pickFile": export, "saveFile": rejected }))?;
    session.click_on("[data-testid=choose-file]")?;
    session.wait_for_text("[data-testid=lists-detected]", |t| t.contains("10 rows"))?;
    session.click_on("[data-testid=import]")?;
    session.wait_for_text("[data-testid=lists-counts]", |t| {
        t.contains("6 imported, 4 rejected")
    })?;
    session.scroll_into_view("[data-testid=bp-send-campaign]")?;
    session.click_on("[data-testid=bp-send-campaign]")?;
    click_text(session, "[role=option]", "Dynamics Outbound")?;
    session.wait_for_text("[data-code='bp.list_found']", |t| t.contains(DEMO_LIST))?;
    session.type_into("[data-testid=bp-send-dnc]", "Dynamics Do Not Call")?;
    session.wait_until("Send enabled", || {
        let disabled =
            session.execute("return document.querySelector('[data-testid=bp-send]').disabled")?;
        Ok((disabled == json!(false)).then_some(()))
    })?;
    session.click_on("[data-testid=bp-send]")?;
    // The export repeats one contact's ID (row 9): Bright Pattern keeps the first.
    session.wait_for_text("[data-testid=bp-send-added]", |t| {
        t.starts_with("Added 5 of 6 rows")
    })?;
    // The table's cells may be out of view: read the DOM.
    session.wait_until("the rows refused by reason", || {
        let text = session.execute(
            "return document.querySelector('[data-testid=bp-send-rejects] tbody')?.textContent",
        )?;
        Ok((text == json!("Duplicate key19")).then_some(()))
    })?;
    session.wait_for_text("[data-testid=bp-send-dnc-result]", |t| {
        t.contains("1 numbers sent")
    })?;
    session.scroll_into_view("[data-testid=bp-send-result]")?;
    save_screenshot(session, "demo-bright-pattern")?;
    no_code_or_flag_is_shown(session)?;

    // The rows are in the simulator's list, read back as any API client would.
    let connections = invoke_from_script(session, "bp_connections_list", json!({}))?
        .map_err(|e| format!("bp_connections_list: {e}"))?;
    let url = connections[0]["connection"]["url"]
        .as_str()
        .ok_or("no Bright Pattern connection")?;
    let connection = dynbridge_core::brightpattern::Connection {
        id: String::new(),
        name: "e2e".into(),
        url: url.into(),
        login: DEMO_LOGIN.into(),
        simulator: true,
    };
    let client = dynbridge_brightpattern::Client::new(&connection, DEMO_SECRET.to_owned().into())
        .map_err(|e| e.to_string())?;
    let records = client
        .records(DEMO_LIST, "Dynamics Outbound")
        .map_err(|e| e.to_string())?;
    expect_eq(records.len(), 5)?;
    if !records
        .iter()
        .any(|r| r["dyn_id"] == "a1b2c3d4-0000-4000-8000-000000000002")
    {
        return Err(format!("a contact is missing from the list: {records:?}"));
    }

    session.click_on("[data-testid=bp-send-export]")?;
    session.wait_for_text("[data-testid=bp-send-exported]", |t| {
        t.contains("The rejected rows to")
    })?;
    let csv =
        std::fs::read_to_string(&rejected).map_err(|e| format!("{}: {e}", rejected.display()))?;
    if !csv
        .lines()
        .nth(1)
        .is_some_and(|l| l.starts_with("9,Duplicate key,"))
    {
        return Err(format!("unexpected rejected rows:\n{csv}"));
    }
    Ok(())
}

/// Leaving a page and coming back finds its inputs, and its loaded list, as they were.
fn pages_keep_their_inputs_when_left_and_visited_again(session: &Session) -> Result<()> {
    session.click_on("[data-page=screenpop]")?;
    session.type_into("[data-testid=org-url]", "https://fabrikam.crm.dynamics.com")?;
    session.type_into(
        "[data-testid=screenpop-input]",
        "SHOW_OBJECT:$(workitem.otherInfo.crm_id):account",
    )?;
    session.click_on("[data-page=accounts]")?;
    session.wait_for_text("#page-title", |t| t == "Accounts")?;
    session.click_on("[data-page=screenpop]")?;
    session.wait_for_text("#page-title", |t| t == "Screen pop")?;
    let text = session.property(&session.find("[data-testid=screenpop-input]")?, "value")?;
    expect_eq(
        text,
        json!("SHOW_OBJECT:$(workitem.otherInfo.crm_id):account"),
    )?;
    let org = session.property(&session.find("[data-testid=org-url]")?, "value")?;
    expect_eq(org, json!("https://fabrikam.crm.dynamics.com"))?;
    // The list loaded on this page earlier is still there.
    session.wait_for_text("[data-testid=list-summary]", |t| t.contains("rows"))?;
    session.click_on("[data-page=channel]")?;
    let tenant = session.property(&session.find("[data-testid=channel-tenant]")?, "value")?;
    expect_eq(tenant, json!("example"))
}

/// At 1024x700 (and 1280x800): no table cell's content reaches past its cell or into
/// another's, inputs side by side in a form row are as tall as each other, and the
/// page header stays compact. Measured from element boxes.
fn no_text_overlaps_and_form_rows_share_a_height_at_1024x700(session: &Session) -> Result<()> {
    const CHECK: &str = r#"
        const problems = [];
        const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1;
        for (const row of document.querySelectorAll('[data-page-view][data-active=true] tr, [data-page-view][data-active=true] [role=row]')) {
            const cells = [...row.children].filter(c => c.getBoundingClientRect().width > 0);
            cells.forEach((cell, i) => {
                const box = cell.getBoundingClientRect();
                for (const inner of cell.querySelectorAll('*')) {
                    const r = inner.getBoundingClientRect();
                    if (r.width > 0 && !inside(r, box)) problems.push(`${cell.textContent.slice(0, 40)} reaches past its cell`);
                }
                const next = cells[i + 1];
                if (next && box.right > next.getBoundingClientRect().left + 1) problems.push(`${cell.textContent.slice(0, 40)} overlaps the next cell`);
            });
        }
        const controls = [...document.querySelectorAll('[data-page-view][data-active=true] .fui-Field > .fui-Input, [data-page-view][data-active=true] .fui-Field > .fui-SpinButton, [data-page-view][data-active=true] .fui-Field > .fui-Dropdown')]
            .map(e => e.getBoundingClientRect()).filter(r => r.height > 0);
        for (const a of controls) for (const b of controls)
            if (Math.abs(a.top - b.top) < 2 && Math.abs(a.height - b.height) > 1) problems.push(`inputs in one row are ${a.height} and ${b.height} px tall`);
        const header = document.querySelector('[data-testid=page-header]').getBoundingClientRect().height;
        if (header > 130) problems.push(`the page header is ${header} px tall`);
        return [...new Set(problems)];
    "#;
    let mut found = Vec::new();
    for (width, height) in [(1024, 700), (1280, 800)] {
        session.set_window_size(width, height)?;
        std::thread::sleep(std::time::Duration::from_millis(300));
        for (id, _, _) in PAGES {
            session.click_on(&format!("[data-page={id}]"))?;
            std::thread::sleep(std::time::Duration::from_millis(300));
            let problems = session.execute(CHECK)?;
            if problems.as_array().is_some_and(|p| !p.is_empty()) {
                found.push(format!("{id} at {width}x{height}: {problems}"));
            }
            save_screenshot(session, &format!("{id}-{width}x{height}"))?;
        }
    }
    session.set_window_size(1280, 800)?;
    if found.is_empty() {
        Ok(())
    } else {
        Err(found.join("\n    "))
    }
}

/// A 100,000-row list opening (read on a blocking thread) leaves the window free: a
/// click on another page takes effect within a second, on the Lists page (and the open
/// can be cancelled) and on the Screen pop page, which loads it as a calling list.
fn navigation_answers_within_a_second_while_a_100k_row_file_opens(session: &Session) -> Result<()> {
    let big = screenshot_dir()?.join("contacts-100k.csv");
    let mut text = String::from("contactid,Full Name,Business Phone\n");
    for row in 0..100_000u32 {
        text.push_str(&format!(
            "3f2504e0-4f89-41d3-9a0c-{row:012},Contact {row},+1 555 {:03} {:04}\n",
            row % 1000,
            row % 10_000
        ));
    }
    std::fs::write(&big, text).map_err(|e| format!("{}: {e}", big.display()))?;
    set_test_hooks(session, json!({ "pickFile": big }))?;

    doctor_answers_within_a_second_after(session, "lists", "choose-file")?;
    session.click_on("[data-page=lists]")?;
    // Either still opening (then cancel it) or opened already.
    // (The open may end between finding the button and clicking it.)
    if session.find("[data-testid=lists-open-cancel]").is_ok() {
        let _ = session.click_on("[data-testid=lists-open-cancel]");
    }
    session.wait_until("the open to end", || {
        Ok(session
            .find("[data-testid=lists-opening]")
            .is_err()
            .then_some(()))
    })?;

    doctor_answers_within_a_second_after(session, "screenpop", "choose-list")?;
    session.click_on("[data-page=screenpop]")?;
    // This list (the page may show one an earlier test loaded), loaded in full, whatever
    // the locale's digit grouping.
    let summary = session.wait_for_text("[data-testid=list-summary]", |t| {
        t.contains("contacts-100k.csv") && t.contains(" rows")
    })?;
    let digits: String = summary
        .rsplit(": ")
        .next()
        .unwrap_or_default()
        .chars()
        .take_while(|c| !c.is_alphabetic())
        .filter(char::is_ascii_digit)
        .collect();
    expect_eq(json!(digits), json!("100000"))
}

/// On `page`, clicks `button` (which starts reading the file the test hooks pick), then
/// the Doctor in the navigation: the Doctor page must show within a second.
fn doctor_answers_within_a_second_after(session: &Session, page: &str, button: &str) -> Result<()> {
    session.click_on(&format!("[data-page={page}]"))?;
    session.click_on(&format!("[data-testid={button}]"))?;
    let clicked = Instant::now();
    session.click(&session.find("[data-page=doctor]")?)?;
    session.wait_for_text("#page-title", |t| t == "Doctor")?;
    let took = clicked.elapsed();
    if took > std::time::Duration::from_secs(1) {
        return Err(format!(
            "the Doctor page showed {} ms after the click, with {page} reading a file",
            took.as_millis()
        ));
    }
    Ok(())
}

/// The labels of fields in an error state on the page shown.
fn invalid_fields(session: &Session) -> Result<serde_json::Value> {
    session.execute(
        "return [...document.querySelectorAll('[data-page-view][data-active=true] [aria-invalid=true]')].map(e => e.closest('[data-field]')?.dataset.field ?? e.outerHTML.slice(0, 80))",
    )
}

/// No visible text names a finding code (those the page's findings carry) or a
/// command-line flag.
fn no_code_or_flag_is_shown(session: &Session) -> Result<()> {
    let shown = session.execute(
        "const text = document.body.innerText; \
         const codes = [...document.querySelectorAll('[data-code]')].map(e => e.dataset.code).filter(c => c && text.includes(c)); \
         const flags = text.match(/(^|\\s)--[a-z][a-z-]+/g) ?? []; \
         return [...codes, ...flags]",
    )?;
    expect_eq(shown, json!([]))
}

/// Sets the UI's test hooks (ui/src/api/testHooks.ts): files the native dialogs would
/// return, and lists that record what would be opened or copied.
fn set_test_hooks(session: &Session, hooks: serde_json::Value) -> Result<()> {
    session
        .execute(&format!("window.__DYNBRIDGE_TEST__ = {hooks}; return true"))
        .map(drop)
}

/// Invokes a Tauri command straight from a script in the page, as injected code could,
/// and waits for its answer: the value, or the error.
fn invoke_from_script(
    session: &Session,
    cmd: &str,
    args: serde_json::Value,
) -> Result<std::result::Result<serde_json::Value, serde_json::Value>> {
    session.execute(&format!(
        "window.__invoked = null; window.__TAURI_INTERNALS__.invoke({}, {args}).then(\
         ok => {{ window.__invoked = {{ ok }}; }}, err => {{ window.__invoked = {{ err }}; }}); return true",
        serde_json::to_string(cmd).unwrap()
    ))?;
    let answer = session.wait_until(cmd, || {
        let answer = session.execute("return window.__invoked")?;
        Ok((!answer.is_null()).then_some(answer))
    })?;
    Ok(match answer.get("err") {
        Some(err) => Err(err.clone()),
        None => Ok(answer["ok"].clone()),
    })
}

/// Picks "Demo tenant" in the page's account picker (a Fluent dropdown).
fn choose_demo_account(session: &Session) -> Result<()> {
    session.scroll_into_view("[data-testid=account-picker]")?;
    session.click_on("[data-testid=account-picker]")?;
    click_text(session, "[role=option]", "Demo tenant")
}

/// Clicks the first element matching `css` whose text contains `text`, once present.
fn click_text(session: &Session, css: &str, text: &str) -> Result<()> {
    let script = format!(
        "const e = [...document.querySelectorAll({})].find(e => e.textContent.includes({})); if (e) e.click(); return Boolean(e)",
        serde_json::to_string(css).unwrap(),
        serde_json::to_string(text).unwrap()
    );
    session.wait_until(text, || {
        Ok(session
            .execute(&script)?
            .as_bool()
            .filter(|clicked| *clicked))
    })?;
    Ok(())
}

/// The texts of the page's message bars and alerts, which say why an action failed.
fn page_messages(session: &Session) -> Result<serde_json::Value> {
    session.execute(
        "return [...document.querySelectorAll('.fui-MessageBar, [role=alert]')].map(a => a.textContent)",
    )
}

fn save_screenshot(session: &Session, name: &str) -> Result<()> {
    let path = screenshot_dir()?.join(format!("{name}.png"));
    std::fs::write(&path, session.screenshot_png()?).map_err(|e| format!("{}: {e}", path.display()))
}

fn expect_eq<T: PartialEq + std::fmt::Debug>(actual: T, expected: T) -> Result<()> {
    if actual == expected {
        Ok(())
    } else {
        Err(format!("expected {expected:?}, got {actual:?}"))
    }
}

fn screenshot_dir() -> Result<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

fn main() -> ExitCode {
    let started = Instant::now();
    println!("\nrunning {} tests", CASES.len());
    let (passed, failed) = match run_all() {
        Ok(counts) => counts,
        Err(message) => {
            println!("e2e setup failed: {message}");
            (0, CASES.len())
        }
    };
    let verdict = if failed == 0 { "ok" } else { "FAILED" };
    println!(
        "\ntest result: {verdict}. {passed} passed; {failed} failed; 0 ignored; 0 measured; \
         0 filtered out; finished in {:.2}s\n",
        started.elapsed().as_secs_f64()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn run_all() -> Result<(usize, usize)> {
    let driver = driver::TauriDriver::start()?;
    let launched = Instant::now();
    let session = Session::start(&driver.url, env!("CARGO_BIN_EXE_dynbridge-app"))?;
    // DESIGN.md's start-up budget (1.5 s to the first rendered page): reported, not asserted.
    session.wait_for_text("[data-testid=page-purpose]", |t| !t.is_empty())?;
    println!(
        "startup: first page rendered {} ms after launch (debug build, WebDriver session included)",
        launched.elapsed().as_millis()
    );
    let mut failed = 0;
    for (name, case) in CASES {
        match case(&session) {
            Ok(()) => println!("test {name} ... ok"),
            Err(message) => {
                failed += 1;
                println!("test {name} ... FAILED\n    {message}");
                println!("    the page's messages: {:?}", page_messages(&session));
                // What the window showed when the case failed, for the CI log's reader.
                match save_screenshot(&session, &format!("failed-{name}")) {
                    Ok(()) => println!("    screenshot: target/e2e/failed-{name}.png"),
                    Err(e) => println!("    no screenshot: {e}"),
                }
            }
        }
    }
    session.end()?;
    Ok((CASES.len() - failed, failed))
}
