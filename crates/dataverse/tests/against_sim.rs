//! Sign-in and Test connection against dynbridge-sim over real HTTP on 127.0.0.1. The
//! browser is played by an HTTP client following the authorize URL's redirect.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::{account, browser, patience, sign_in, Memory};
use dynbridge_dataverse::connection::{login, test_connection};
use dynbridge_dataverse::{ConnectionReport, Failure};
use dynbridge_sim::{Config, Fault, RefreshTokens, Sim};
use secrecy::{ExposeSecret, SecretString};

/// Test connection with `credentials`, waiting at most `budget` for throttling.
fn test_with(sim: &Sim, credentials: &Memory, budget: Duration) -> ConnectionReport {
    let cancel = AtomicBool::new(false);
    test_connection(&account(sim), credentials, patience(&cancel, budget))
}

fn test(sim: &Sim, credentials: &Memory) -> ConnectionReport {
    test_with(sim, credentials, Duration::from_secs(60))
}

#[test]
fn request_token_then_test_connection_reports_who_am_i() {
    let sim = Sim::start(dynbridge_sim::demo::config(), 0).unwrap();
    let credentials = Memory::signed_in(&sim);
    let before = credentials.refresh_token_now().expect("a refresh token");
    let report = test(&sim, &credentials);
    assert!(report.ok, "{:?}", report.findings);
    assert_eq!(
        report.user_id.as_deref(),
        Some(sim.config().user_id.as_str())
    );
    assert_eq!(
        report.user_name.as_deref(),
        Some(sim.config().user_name.as_str())
    );
    assert!(report.organization_name.is_some());
    assert!(report.latency_ms.is_some());
    assert_ne!(
        credentials.refresh_token_now().unwrap(),
        before,
        "the rotated refresh token was stored"
    );
    assert_eq!(credentials.refreshes.load(Ordering::SeqCst), 1);
}

#[test]
fn each_entra_fault_becomes_its_finding() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    let credentials = Memory::signed_in(&sim);
    for code in [
        7000215, 7000222, 65001, 700016, 70008, 50020, 50034, 90002, 90013, 700082, 70043, 53003,
        50097,
    ] {
        sim.set_fault(Some(Fault::Aadsts(code)));
        let report = test(&sim, &credentials);
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
    let credentials = Memory::signed_in(&sim);
    let cases = [
        (Fault::Http(401), "http.401"),
        (Fault::Http(403), "http.403"),
        (Fault::Http(404), "http.404"),
        (Fault::Http(500), "http.500"),
        (Fault::Http(503), "http.503"),
        (Fault::Http(429), "http.429"),
        (Fault::BadJson, "http.not_json"),
    ];
    for (fault, code) in cases {
        sim.set_fault(Some(fault));
        // No budget to wait in: the failure as it first comes.
        let report = test_with(&sim, &credentials, Duration::ZERO);
        assert_eq!(
            report.findings[0].code, code,
            "{fault:?}: {:?}",
            report.findings
        );
    }
    sim.set_fault(Some(Fault::SlowMs(300)));
    let report = test(&sim, &credentials);
    assert!(report.ok && report.latency_ms.unwrap() >= 300);
}

#[test]
fn throttling_and_brief_outages_are_waited_out() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    let credentials = Memory::signed_in(&sim);
    sim.throttle(Duration::from_secs(2), Duration::from_secs(1));
    let report = test(&sim, &credentials);
    assert!(report.ok, "{:?}", report.findings);
    sim.fail_next(503, 2);
    let report = test(&sim, &credentials);
    assert!(report.ok, "{:?}", report.findings);
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
    refused.authorization_url = format!("http://127.0.0.1:{closed}/tenant/oauth2/authorize");
    refused.token_url = format!("http://127.0.0.1:{closed}/tenant/oauth2/token");
    let credentials = Memory::new(Some("s"), Some(SecretString::from("r".to_owned())));
    let cancel = AtomicBool::new(false);
    let code = |account: &dynbridge_core::account::Account, credentials: &Memory| {
        test_connection(account, credentials, patience(&cancel, Duration::ZERO)).findings[0]
            .code
            .clone()
    };
    assert_eq!(code(&refused, &credentials), "net.refused");
    assert_eq!(
        code(&account(&sim), &Memory::new(Some("s"), None)),
        "token.missing"
    );
}

/// A server that refuses used refresh tokens (RFC 6749 §10.4 allows it): the rotated
/// one must be stored before anything else can fail.
#[test]
fn a_rotated_refresh_token_is_kept_even_when_the_call_after_it_fails() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    sim.set_refresh_tokens(RefreshTokens::RotateStrict);
    let credentials = Memory::signed_in(&sim);
    let used = credentials.refresh_token_now().unwrap();
    sim.set_fault(Some(Fault::Http(500)));
    assert!(!test(&sim, &credentials).ok, "WhoAmI fails");
    sim.set_fault(None);
    let report = test(&sim, &credentials);
    assert!(report.ok, "{:?}", report.findings);
    let stale = Memory::new(
        Some(&sim.config().client_secret),
        Some(SecretString::from(used)),
    );
    let refused = test(&sim, &stale).findings.remove(0);
    assert_eq!(refused.code, "oauth.invalid_grant");
    assert!(refused.fix.unwrap().contains("sign in again"));
}

#[test]
fn a_server_that_keeps_or_never_sends_refresh_tokens() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    sim.set_refresh_tokens(RefreshTokens::KeepOld);
    let credentials = Memory::signed_in(&sim);
    let first = credentials.refresh_token_now();
    for _ in 0..2 {
        assert!(test(&sim, &credentials).ok);
    }
    assert_eq!(credentials.refresh_token_now(), first, "the old one stays");
    sim.set_refresh_tokens(RefreshTokens::Never);
    let tokens = sign_in(&sim, &sim.config().client_secret).unwrap();
    assert!(tokens.refresh.is_none());
    let warning = tokens.sign_in_findings().remove(0);
    assert_eq!(warning.code, "token.no_refresh_token");
    assert!(warning.message.contains("nothing was stored"));
}

#[test]
fn plain_oauth_errors_get_their_own_advice() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    let credentials = Memory::signed_in(&sim);
    for (error, code) in [
        ("invalid_grant", "oauth.invalid_grant"),
        ("invalid_client", "oauth.invalid_client"),
        ("invalid_scope", "oauth.invalid_scope"),
        ("unauthorized_client", "oauth.unauthorized_client"),
    ] {
        sim.set_fault(Some(Fault::OAuth(error)));
        let finding = test(&sim, &credentials).findings.remove(0);
        assert_eq!(finding.code, code);
        assert!(!finding.fix.unwrap().contains("AADSTS"));
    }
}

/// Entra v2 endpoints: the refresh asks for no scope beyond the sign-in's (RFC 6749 §6).
#[test]
fn a_v2_refresh_never_widens_the_grant() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    let mut v2 = account(&sim);
    v2.authorization_url = sim.authorization_url().replace("/oauth2/", "/oauth2/v2.0/");
    v2.token_url = sim.token_url().replace("/oauth2/", "/oauth2/v2.0/");
    let credentials = Memory::signed_in_as(&sim, &v2);
    let cancel = AtomicBool::new(false);
    for _ in 0..2 {
        let report = test_connection(&v2, &credentials, patience(&cancel, Duration::ZERO));
        assert!(report.ok, "{:?}", report.findings);
    }
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

/// Secrets go only to Microsoft: a Token URL elsewhere (an imported file's, say) is
/// refused before the browser opens and before any connection is made.
#[test]
fn a_foreign_or_plain_http_token_url_fails_before_anything_is_sent() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    let catcher = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    catcher.set_nonblocking(true).unwrap();
    let port = catcher.local_addr().unwrap().port();
    let real = account(&sim);
    let cases = [
        // Loopback, but the account is not a simulator account.
        (
            dynbridge_core::account::Account {
                authorization_url: format!(
                    "https://login.microsoftonline.com/{}/oauth2/authorize",
                    sim.config().tenant
                ),
                token_url: format!(
                    "http://127.0.0.1:{port}/{}/oauth2/token",
                    sim.config().tenant
                ),
                simulator: false,
                ..real.clone()
            },
            "trust.loopback",
        ),
        (
            dynbridge_core::account::Account {
                authorization_url: "https://login.microsoftonline.com/t/oauth2/authorize".into(),
                token_url: "http://attacker.example/t/oauth2/token".into(),
                ..real.clone()
            },
            "trust.not_https",
        ),
        (
            dynbridge_core::account::Account {
                authorization_url: "https://login.microsoftonline.com/t/oauth2/authorize".into(),
                token_url: "https://attacker.example/t/oauth2/token".into(),
                ..real.clone()
            },
            "trust.foreign_host",
        ),
    ];
    for (untrusted, code) in cases {
        let opened = AtomicBool::new(false);
        let failure = login(
            &untrusted,
            &SecretString::from(sim.config().client_secret),
            false,
            Duration::from_secs(5),
            &AtomicBool::new(false),
            |_| {
                opened.store(true, Ordering::SeqCst);
                Ok(())
            },
        )
        .unwrap_err();
        let finding = failure.findings().remove(0);
        assert_eq!(
            (finding.code.as_str(), finding.field.as_str()),
            (code, "Token URL")
        );
        assert!(!opened.load(Ordering::SeqCst), "the browser was not opened");
        let refreshed = test_connection(
            &untrusted,
            &Memory::new(Some("s"), Some(SecretString::from("r".to_owned()))),
            patience(&AtomicBool::new(false), Duration::ZERO),
        );
        assert_eq!(refreshed.findings[0].code, code);
    }
    assert!(
        catcher.accept().is_err(),
        "no connection reached the catcher"
    );
    let mut foreign_api = real.clone();
    foreign_api.api_url = "https://contoso.example.com/api/data/v9.2".into();
    let report = test_connection(
        &foreign_api,
        &Memory::signed_in(&sim),
        patience(&AtomicBool::new(false), Duration::ZERO),
    );
    assert_eq!(report.findings[0].code, "trust.foreign_host");
    assert_eq!(report.findings[0].field, "API URL");
}

/// The budget counts time spent waiting, not a job's working time: after slow answers
/// that take longer than the whole budget, a throttle is still waited out.
#[test]
fn the_budget_counts_waiting_only() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    let cancel = AtomicBool::new(false);
    let session = dynbridge_dataverse::Session::open(
        &account(&sim),
        &Memory::signed_in(&sim),
        patience(&cancel, Duration::from_secs(2)),
    )
    .unwrap();
    let who_am_i = session.url("WhoAmI", &[]).unwrap();
    sim.set_fault(Some(Fault::SlowMs(1_200)));
    for _ in 0..2 {
        session.get(&who_am_i).unwrap();
    }
    sim.set_fault(None);
    sim.throttle(Duration::from_secs(1), Duration::from_secs(1));
    session
        .get(&who_am_i)
        .expect("waited out within the budget");
    sim.throttle(Duration::from_secs(10), Duration::from_secs(5));
    let refused = session.get(&who_am_i).unwrap_err();
    assert_eq!(
        refused.findings()[0].code,
        "http.429",
        "5 s would pass the 2 s budget"
    );
}
