//! The channel provider and the doctor against the strict simulator: pickers and checks
//! that read past the first page, a push that the table's rules accept and that never
//! recreates a deleted record, and a doctor that keeps a rotated refresh token.

mod common;

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use common::{account, patience, Memory};
use dynbridge_core::channel::ChannelInputs;
use dynbridge_dataverse::channel::{apps, push, roles};
use dynbridge_dataverse::connection::test_connection;
use dynbridge_dataverse::doctor::{run, Status};
use dynbridge_dataverse::Failure;
use dynbridge_sim::{Config, RefreshTokens, Sim};
use secrecy::SecretString;
use serde_json::json;

fn start(records: serde_json::Value, max_page_size: usize) -> Sim {
    Sim::start(
        Config {
            records: serde_json::from_value(records).unwrap(),
            max_page_size,
            ..Config::default()
        },
        0,
    )
    .unwrap()
}

#[test]
fn the_pickers_see_every_page() {
    let sim = start(
        json!({
            "appmodule": [
                { "appmoduleid": "11111111-2222-3333-4444-555555555551", "name": "Sales Hub", "uniquename": "SH" },
                { "appmoduleid": "11111111-2222-3333-4444-555555555552", "name": "Customer Service Hub", "uniquename": "CSH" },
                { "appmoduleid": "11111111-2222-3333-4444-555555555553", "name": "Field Service", "uniquename": "FS" }
            ],
            "role": [
                { "roleid": "aaaaaaaa-2222-3333-4444-555555555551", "name": "Agent" },
                { "roleid": "aaaaaaaa-2222-3333-4444-555555555552", "name": "Supervisor" },
                { "roleid": "aaaaaaaa-2222-3333-4444-555555555553", "name": "Basic User" }
            ]
        }),
        2,
    );
    let cancel = AtomicBool::new(false);
    let session = common::session(&sim, &cancel);
    let names = |choices: Vec<dynbridge_dataverse::channel::Choice>| {
        choices.into_iter().map(|c| c.name).collect::<Vec<_>>()
    };
    assert_eq!(
        names(apps(&session).unwrap()),
        ["Customer Service Hub", "Field Service", "Sales Hub"]
    );
    assert_eq!(
        names(roles(&session).unwrap()),
        ["Agent", "Basic User", "Supervisor"]
    );
}

#[test]
fn the_channel_provider_is_created_then_updated_by_name_and_never_duplicated() {
    let sim = start(json!({}), 5000);
    let cancel = AtomicBool::new(false);
    let session = common::session(&sim, &cancel);
    let mut record = json!({ "msdyn_name": "Bright Pattern", "msdyn_label": "Agent Desktop", "msdyn_sortorder": 0, "msdyn_ciproviderapiversion": 0 });
    let first = push(&session, &record).unwrap();
    assert!(first.created);
    assert_eq!(first.changes.len(), 4);
    record["msdyn_label"] = json!("Bright Pattern Agent Desktop");
    let second = push(&session, &record).unwrap();
    assert!(!second.created);
    assert_eq!(second.id, first.id);
    assert_eq!(second.changes.len(), 1);
    assert_eq!(
        (
            second.changes[0].column.as_str(),
            second.changes[0].before.as_deref()
        ),
        ("msdyn_label", Some("Agent Desktop"))
    );
}

/// The table's own rules (msdyn_sortorder 0–1000, msdyn_label ≤ 100) refuse what the
/// form should have caught; the answer is explained as a refusal, not "try later".
#[test]
fn values_the_table_refuses_are_explained() {
    let sim = start(json!({}), 5000);
    let cancel = AtomicBool::new(false);
    let session = common::session(&sim, &cancel);
    for record in [
        json!({ "msdyn_name": "Too far", "msdyn_sortorder": 1001 }),
        json!({ "msdyn_name": "Too long", "msdyn_label": "L".repeat(101) }),
    ] {
        let failure = push(&session, &record).unwrap_err();
        let finding = failure.findings().remove(0);
        assert_eq!(finding.code, "http.400", "{record}");
        assert!(!finding.fix.unwrap().contains("try again later"));
    }
    // The form refuses both before anything is sent.
    for inputs in [
        ChannelInputs {
            order: 1001,
            ..provider()
        },
        ChannelInputs {
            label: "L".repeat(101),
            ..provider()
        },
    ] {
        assert!(dynbridge_core::channel::build(&inputs).record.is_none());
    }
}

/// update-delete-entities-using-web-api: without If-Match a PATCH creates a missing row.
#[test]
fn an_update_never_recreates_a_deleted_provider() {
    let sim = start(json!({}), 5000);
    let cancel = AtomicBool::new(false);
    let session = common::session(&sim, &cancel);
    let gone = session
        .url(
            "msdyn_ciproviders(0b000000-0000-4000-8000-00000000dead)",
            &[],
        )
        .unwrap();
    let failure = session
        .update(&gone, &json!({ "msdyn_label": "Back again?" }))
        .unwrap_err();
    assert!(
        matches!(failure, Failure::Http { status: 404, .. }),
        "{failure:?}"
    );
    let all = session
        .url("msdyn_ciproviders", &[("$select", "msdyn_name")])
        .unwrap();
    assert!(session.get_all(&all).unwrap().is_empty());
}

fn provider() -> ChannelInputs {
    ChannelInputs {
        tenant: "example".into(),
        org: "https://contoso.crm.dynamics.com".into(),
        ..ChannelInputs::default()
    }
}

fn step_status(report: &dynbridge_dataverse::doctor::DoctorReport, id: &str) -> Status {
    report
        .steps
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("{id}"))
        .status
}

#[test]
fn the_doctor_checks_what_the_api_can_tell_past_the_first_page() {
    let url = dynbridge_core::channel::build(&provider())
        .channel_url
        .unwrap();
    // Many solutions and providers, small pages: the doctor asks for the solutions by
    // name and pages through the providers.
    let mut solutions: Vec<serde_json::Value> = (0..30)
        .map(|i| json!({ "solutionid": format!("0a000000-0000-4000-8000-{i:012}"), "uniquename": format!("Other{i}"), "friendlyname": format!("Other {i}") }))
        .collect();
    solutions.push(json!({ "solutionid": "0a000000-0000-4000-8000-100000000001", "uniquename": "ChannelAPIIntegrationFramework", "friendlyname": "Channel Integration Framework" }));
    solutions.push(json!({ "solutionid": "0a000000-0000-4000-8000-100000000002", "uniquename": "BrightPatternOmnichannel", "friendlyname": "Bright Pattern Omnichannel Contact Center Solution" }));
    let mut providers: Vec<serde_json::Value> = (0..5)
        .map(|i| json!({ "msdyn_ciproviderid": format!("0b000000-0000-4000-8000-{i:012}"), "msdyn_name": format!("Other {i}"), "msdyn_landingurl": format!("https://other{i}.example.com/"), "msdyn_ciproviderapiversion": 0, "statecode": 0 }))
        .collect();
    providers.push(json!({ "msdyn_ciproviderid": "0b000000-0000-4000-8000-100000000001", "msdyn_name": "Bright Pattern", "msdyn_landingurl": url, "msdyn_ciproviderapiversion": 0, "statecode": 0 }));
    let sim = start(
        json!({
            "solution": solutions,
            "msdyn_ciprovider": providers,
            "attribute": [{ "entity": "phonecall", "logicalname": "bpattern_callid" }]
        }),
        2,
    );
    let credentials = Memory::signed_in(&sim);
    let cancel = AtomicBool::new(false);
    let doctor = |inputs: &ChannelInputs, credentials: &Memory| {
        run(
            &account(&sim),
            credentials,
            inputs,
            patience(&cancel, Duration::from_secs(60)),
        )
    };
    let report = doctor(&provider(), &credentials);
    let a6 = report.steps.iter().find(|s| s.id == "A6").unwrap();
    assert_eq!(
        a6.detail,
        format!("Dataverse answers as {}", sim.config().user_name),
        "the user by name, not a GUID"
    );
    for id in ["A4", "A6", "A7", "A8", "B1", "B2", "B3"] {
        assert_eq!(
            step_status(&report, id),
            Status::Pass,
            "{id}: {:?}",
            report.steps.iter().find(|s| s.id == id)
        );
    }
    assert_eq!(
        step_status(&report, "B5"),
        Status::Warning,
        "msdyn_ocliveworkitem has no bpattern_ field"
    );
    assert_eq!(step_status(&report, "A1"), Status::Manual);
    assert!(report
        .to_markdown()
        .contains("- [x] B1 Channel Integration Framework installed"));

    let other = ChannelInputs {
        tenant: "other".into(),
        ..provider()
    };
    assert_eq!(
        step_status(&doctor(&other, &credentials), "B3"),
        Status::Fail
    );
    let wrong_secret = doctor(
        &other,
        &Memory::new(
            Some("not the secret"),
            Some(SecretString::from(credentials.refresh_token_now().unwrap())),
        ),
    );
    assert_eq!(step_status(&wrong_secret, "A4"), Status::Fail);
    assert_eq!(
        wrong_secret
            .steps
            .iter()
            .find(|s| s.id == "A4")
            .unwrap()
            .findings[0]
            .code,
        "aadsts.7000215"
    );
    let no_token = doctor(&other, &Memory::new(Some("s"), None));
    let a8 = no_token.steps.iter().find(|s| s.id == "A8").unwrap();
    assert_eq!(a8.findings[0].code, "token.missing");
    assert_eq!(step_status(&no_token, "B1"), Status::Skipped);
}

#[test]
fn after_a_doctor_run_the_next_test_connection_succeeds_on_a_strict_server() {
    let sim = start(json!({}), 5000);
    sim.set_refresh_tokens(RefreshTokens::RotateStrict);
    let credentials = Memory::signed_in(&sim);
    let cancel = AtomicBool::new(false);
    let report = run(
        &account(&sim),
        &credentials,
        &provider(),
        patience(&cancel, Duration::from_secs(60)),
    );
    assert_eq!(step_status(&report, "A8"), Status::Pass);
    let connection = test_connection(
        &account(&sim),
        &credentials,
        patience(&cancel, Duration::from_secs(60)),
    );
    assert!(connection.ok, "{:?}", connection.findings);
}
