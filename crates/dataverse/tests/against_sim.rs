//! Sign-in and Test connection against dynbridge-sim over real HTTP on 127.0.0.1. The
//! browser is played by an HTTP client following the authorize URL's redirect.

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use dynbridge_core::account::Account;
use dynbridge_dataverse::connection::{login, test_connection};
use dynbridge_dataverse::Failure;
use dynbridge_sim::{Config, Fault, Sim};
use secrecy::{ExposeSecret, SecretString};

fn account(sim: &Sim) -> Account {
    let config = sim.config();
    Account {
        id: "sim".into(),
        name: "Simulator".into(),
        default: true,
        tenant: "example".into(),
        authorization_url: sim.authorization_url(),
        token_url: sim.token_url(),
        api_url: sim.api_url(),
        client_id: config.client_id,
        secret_expires: None,
        refresh_token_used: None,
    }
}

/// Plays the browser: follows the authorize URL to the loopback redirect.
fn browser(url: &str) -> Result<(), String> {
    dynbridge_sim::browser::approve_in_background(url);
    Ok(())
}

fn sign_in(sim: &Sim, secret: &str) -> Result<dynbridge_dataverse::Tokens, Failure> {
    login(
        &account(sim),
        &SecretString::from(secret.to_owned()),
        false,
        Duration::from_secs(10),
        &AtomicBool::new(false),
        browser,
    )
}

#[test]
fn request_token_then_test_connection_reports_who_am_i() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    let secret = sim.config().client_secret;
    let tokens = sign_in(&sim, &secret).unwrap();
    let refresh = tokens.refresh.expect("a refresh token");
    let (report, new_refresh) =
        test_connection(&account(&sim), &SecretString::from(secret), Some(&refresh));
    assert!(report.ok, "{:?}", report.findings);
    assert_eq!(
        report.user_id.as_deref(),
        Some(sim.config().user_id.as_str())
    );
    assert!(report.latency_ms.is_some());
    assert_ne!(
        new_refresh.unwrap().expose_secret(),
        refresh.expose_secret(),
        "a rotated refresh token to store"
    );
}

#[test]
fn each_entra_fault_becomes_its_finding() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    let secret = sim.config().client_secret;
    let refresh = sign_in(&sim, &secret).unwrap().refresh.unwrap();
    for code in [
        7000215, 7000222, 65001, 700016, 70008, 50020, 50034, 90002, 90013, 700082, 70043, 53003,
        50097,
    ] {
        sim.set_fault(Some(Fault::Aadsts(code)));
        let (report, _) = test_connection(
            &account(&sim),
            &SecretString::from(secret.clone()),
            Some(&refresh),
        );
        assert!(!report.ok);
        assert_eq!(
            report.findings[0].code,
            format!("aadsts.{code}"),
            "{:?}",
            report.findings
        );
        assert!(report.findings[0].fix.is_some());
    }
}

#[test]
fn a_wrong_secret_and_an_unregistered_redirect_fail_clearly() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    let failure = sign_in(&sim, "aaaaaaaa-2222-3333-4444-555555555555").unwrap_err();
    assert_eq!(failure.findings()[0].code, "aadsts.7000215");
    let strict = Sim::start(
        Config {
            redirect_uris: vec![],
            ..Config::default()
        },
        0,
    )
    .unwrap();
    // Entra shows an error page instead of redirecting; the sign-in then times out.
    let failure = login(
        &account(&strict),
        &SecretString::from("x".to_owned()),
        false,
        Duration::from_millis(800),
        &AtomicBool::new(false),
        browser,
    )
    .unwrap_err();
    assert_eq!(failure, Failure::CallbackTimeout);
}

#[test]
fn web_api_failures_become_their_findings() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    let secret = sim.config().client_secret;
    let refresh = sign_in(&sim, &secret).unwrap().refresh.unwrap();
    let cases = [
        (Fault::Http(401), "http.401"),
        (Fault::Http(403), "http.403"),
        (Fault::Http(404), "http.404"),
        (Fault::Http(500), "http.500"),
        (Fault::BadJson, "http.not_json"),
    ];
    for (fault, code) in cases {
        sim.set_fault(Some(fault));
        let (report, _) = test_connection(
            &account(&sim),
            &SecretString::from(secret.clone()),
            Some(&refresh),
        );
        assert_eq!(
            report.findings[0].code, code,
            "{fault:?}: {:?}",
            report.findings
        );
    }
    sim.set_fault(Some(Fault::Http(429)));
    let (report, _) = test_connection(
        &account(&sim),
        &SecretString::from(secret.clone()),
        Some(&refresh),
    );
    assert_eq!(
        report.findings[0].code, "http.429",
        "after one honoured Retry-After"
    );
    sim.set_fault(Some(Fault::SlowMs(300)));
    let (report, _) = test_connection(&account(&sim), &SecretString::from(secret), Some(&refresh));
    assert!(report.ok && report.latency_ms.unwrap() >= 300);
}

#[test]
fn transport_failures_are_named() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    let mut refused = account(&sim);
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    refused.token_url = format!("http://127.0.0.1:{closed}/tenant/oauth2/token");
    let secret = SecretString::from("s".to_owned());
    let token = SecretString::from("r".to_owned());
    assert_eq!(
        test_connection(&refused, &secret, Some(&token)).0.findings[0].code,
        "net.refused"
    );
    let mut unknown = account(&sim);
    unknown.token_url = "http://no-such-host.invalid/tenant/oauth2/token".into();
    assert_eq!(
        test_connection(&unknown, &secret, Some(&token)).0.findings[0].code,
        "net.dns"
    );
    assert_eq!(
        test_connection(&account(&sim), &secret, None).0.findings[0].code,
        "token.missing"
    );
}

#[test]
fn no_secret_ever_appears_in_a_url() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    let secret = sim.config().client_secret;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let record = std::sync::Arc::clone(&seen);
    let tokens = login(
        &account(&sim),
        &SecretString::from(secret.clone()),
        true,
        Duration::from_secs(10),
        &AtomicBool::new(false),
        move |url| {
            record.lock().unwrap().push_str(url);
            browser(url)
        },
    )
    .unwrap();
    let url = seen.lock().unwrap().clone();
    assert!(
        url.contains("code_challenge_method=S256")
            && url.contains("prompt=admin_consent")
            && url.contains("resource=")
    );
    assert!(!url.contains(&secret));
    assert!(!url.contains(tokens.access.expose_secret()));
}

#[test]
fn the_listener_refuses_a_mismatched_state_and_can_be_cancelled() {
    use dynbridge_dataverse::loopback::Listener;
    let listener = Listener::bind().unwrap();
    let callback = format!(
        "{}?code=abc&state=forged",
        listener.redirect_uri().replace("localhost", "127.0.0.1")
    );
    let browser =
        std::thread::spawn(move || reqwest::blocking::get(callback).unwrap().text().unwrap());
    let result = listener.wait("expected", Duration::from_secs(5), &AtomicBool::new(false));
    assert_eq!(result, Err(Failure::StateMismatch));
    assert!(browser.join().unwrap().contains("Refused"));
    let cancelled =
        Listener::bind()
            .unwrap()
            .wait("s", Duration::from_secs(5), &AtomicBool::new(true));
    assert_eq!(cancelled, Err(Failure::Cancelled));
}

/// A browser that resolves `localhost` to ::1 reaches the listener too.
#[test]
fn the_listener_answers_on_ipv6_loopback_where_the_machine_has_it() {
    use dynbridge_dataverse::loopback::Listener;
    let machine_has_ipv6 = std::net::TcpListener::bind("[::1]:0").is_ok();
    let listener = Listener::bind().unwrap();
    assert_eq!(listener.listens_on_ipv6(), machine_has_ipv6);
    if !machine_has_ipv6 {
        return;
    }
    let callback = format!(
        "{}?code=the-code&state=expected",
        listener.redirect_uri().replace("localhost", "[::1]")
    );
    let browser =
        std::thread::spawn(move || reqwest::blocking::get(callback).unwrap().text().unwrap());
    let result = listener.wait("expected", Duration::from_secs(5), &AtomicBool::new(false));
    assert_eq!(result, Ok("the-code".to_owned()));
    assert!(browser.join().unwrap().contains("Signed in"));
}

fn contacts(count: usize) -> (Vec<dynbridge_core::guid::Guid>, dynbridge_sim::Records) {
    let ids: Vec<dynbridge_core::guid::Guid> = (0..count)
        .map(|i| {
            format!("{i:08x}-0000-4000-8000-{:012x}", i * 7)
                .parse()
                .unwrap()
        })
        .collect();
    let rows = ids
        .iter()
        .enumerate()
        .map(|(i, id)| serde_json::json!({ "contactid": id.to_string(), "fullname": format!("Person {i}"), "statecode": i32::from(i % 100 == 1), "donotphone": i % 100 == 2 }))
        .collect();
    (ids, [("contact".to_owned(), rows)].into_iter().collect())
}

#[test]
fn ten_thousand_ids_are_verified_in_at_most_twenty_requests() {
    use dynbridge_dataverse::verify::{entity_definition, verify, Verdict};
    let (mut ids, records) = contacts(10_000);
    let sim = Sim::start(
        Config {
            records,
            ..Config::default()
        },
        0,
    )
    .unwrap();
    let access = sign_in(&sim, &sim.config().client_secret).unwrap().access;
    let missing: dynbridge_core::guid::Guid =
        "ffffffff-0000-4000-8000-000000000000".parse().unwrap();
    ids.push(missing);
    let before = sim.api_requests();
    let http = dynbridge_dataverse::http_client();
    let table = entity_definition(&http, &sim.api_url(), &access, "contact").unwrap();
    assert_eq!(
        (table.entity_set.as_str(), table.primary_id.as_str()),
        ("contacts", "contactid")
    );
    let verdicts = verify(&http, &sim.api_url(), &access, &table, &ids, &|_| {
        std::ops::ControlFlow::Continue(())
    })
    .unwrap();
    let requests = sim.api_requests() - before;
    assert!(requests <= 20, "{requests} requests");
    assert_eq!(verdicts.len(), 10_001);
    assert_eq!(verdicts[&missing], Verdict::Missing);
    assert!(matches!(
        &verdicts[&ids[1]],
        Verdict::Found { inactive: true, .. }
    ));
    assert!(matches!(
        &verdicts[&ids[2]],
        Verdict::Found {
            do_not_phone: true,
            ..
        }
    ));
    assert!(
        matches!(&verdicts[&ids[3]], Verdict::Found { name, inactive: false, do_not_phone: false } if name == "Person 3")
    );
}

#[test]
fn small_pages_are_followed_through_next_links() {
    use dynbridge_dataverse::verify::{entity_definition, verify, Verdict};
    let (ids, records) = contacts(700);
    let sim = Sim::start(
        Config {
            records,
            max_page_size: 50,
            ..Config::default()
        },
        0,
    )
    .unwrap();
    let access = sign_in(&sim, &sim.config().client_secret).unwrap().access;
    let http = dynbridge_dataverse::http_client();
    let table = entity_definition(&http, &sim.api_url(), &access, "contact").unwrap();
    let verdicts = verify(&http, &sim.api_url(), &access, &table, &ids, &|_| {
        std::ops::ControlFlow::Continue(())
    })
    .unwrap();
    assert!(verdicts
        .values()
        .all(|v| matches!(v, Verdict::Found { .. })));
    assert!(sim.api_requests() > 14, "700 rows in pages of 50");
    let unknown = entity_definition(&http, &sim.api_url(), &access, "widget").unwrap_err();
    assert_eq!(unknown.findings()[0].code, "http.404");
}

#[test]
fn the_channel_provider_is_created_then_updated_by_name_and_never_duplicated() {
    use dynbridge_dataverse::channel::{apps, push, roles};
    let records = serde_json::from_value(serde_json::json!({
        "appmodule": [{ "appmoduleid": "11111111-2222-3333-4444-555555555555", "name": "Customer Service Hub", "uniquename": "CSH" }],
        "role": [{ "roleid": "aaaaaaaa-2222-3333-4444-555555555555", "name": "Agent" }]
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
    let access = sign_in(&sim, &sim.config().client_secret).unwrap().access;
    let http = dynbridge_dataverse::http_client();
    assert_eq!(
        apps(&http, &sim.api_url(), &access).unwrap()[0].name,
        "Customer Service Hub"
    );
    assert_eq!(
        roles(&http, &sim.api_url(), &access).unwrap()[0].name,
        "Agent"
    );

    let mut record = serde_json::json!({ "msdyn_name": "Bright Pattern", "msdyn_label": "Agent Desktop", "msdyn_sortorder": 0, "msdyn_ciproviderapiversion": 0 });
    let first = push(&http, &sim.api_url(), &access, &record).unwrap();
    assert!(first.created);
    assert_eq!(first.changes.len(), 4);
    record["msdyn_label"] = serde_json::json!("Bright Pattern Agent Desktop");
    let second = push(&http, &sim.api_url(), &access, &record).unwrap();
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

#[test]
fn the_doctor_checks_what_the_api_can_tell() {
    use dynbridge_core::channel::ChannelInputs;
    use dynbridge_dataverse::doctor::{run, Status};
    let provider = ChannelInputs {
        tenant: "example".into(),
        org: "https://contoso.crm.dynamics.com".into(),
        ..ChannelInputs::default()
    };
    let url = dynbridge_core::channel::build(&provider)
        .channel_url
        .unwrap();
    let records = serde_json::from_value(serde_json::json!({
        "solution": [
            { "solutionid": "0a000000-0000-4000-8000-000000000001", "uniquename": "ChannelAPIIntegrationFramework", "friendlyname": "Channel Integration Framework" },
            { "solutionid": "0a000000-0000-4000-8000-000000000002", "uniquename": "BrightPatternOmnichannel", "friendlyname": "Bright Pattern Omnichannel Contact Center Solution" }
        ],
        "msdyn_ciprovider": [{ "msdyn_ciproviderid": "0b000000-0000-4000-8000-000000000001", "msdyn_name": "Bright Pattern", "msdyn_landingurl": url, "msdyn_ciproviderapiversion": 0, "statecode": 0 }],
        "attribute": [{ "entity": "phonecall", "logicalname": "bpattern_callid" }]
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
    let secret = SecretString::from(sim.config().client_secret);
    let refresh = sign_in(&sim, secret.expose_secret())
        .unwrap()
        .refresh
        .unwrap();
    let report = run(&account(&sim), Some(&secret), Some(&refresh), &provider);
    let status = |id: &str| {
        report
            .steps
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("{id}"))
            .status
    };
    for id in ["A4", "A6", "A7", "A8", "B1", "B2", "B3"] {
        assert_eq!(
            status(id),
            Status::Pass,
            "{id}: {:?}",
            report.steps.iter().find(|s| s.id == id)
        );
    }
    assert_eq!(
        status("B5"),
        Status::Warning,
        "msdyn_ocliveworkitem has no bpattern_ field"
    );
    assert_eq!(status("A1"), Status::Manual);
    assert!(report
        .to_markdown()
        .contains("- [x] B1 Channel Integration Framework installed"));

    let other = ChannelInputs {
        tenant: "other".into(),
        ..provider
    };
    assert_eq!(
        run(&account(&sim), Some(&secret), Some(&refresh), &other)
            .steps
            .iter()
            .find(|s| s.id == "B3")
            .unwrap()
            .status,
        Status::Fail
    );
    let no_token = run(&account(&sim), Some(&secret), None, &other);
    assert_eq!(
        no_token
            .steps
            .iter()
            .find(|s| s.id == "A8")
            .unwrap()
            .findings[0]
            .code,
        "token.missing"
    );
    assert_eq!(
        no_token.steps.iter().find(|s| s.id == "B1").unwrap().status,
        Status::Skipped
    );
}
