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
    let url = url.to_owned();
    std::thread::spawn(move || {
        let http = reqwest::blocking::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let answer = http.get(&url).send().unwrap();
        if let Some(location) = answer.headers().get("location") {
            let _ = http.get(location.to_str().unwrap()).send();
        }
    });
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
