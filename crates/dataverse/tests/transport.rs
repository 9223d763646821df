//! Transport failures a real network gives, each named as its finding: a certificate
//! no trust store knows (an intercepting proxy), and a server too slow to answer.

mod common;

use std::net::TcpListener;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use common::Memory;
use dynbridge_core::account::Account;
use dynbridge_dataverse::connection::test_connection;
use dynbridge_dataverse::Failure;
use dynbridge_sim::{Config, Fault, Sim};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use secrecy::SecretString;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// An https server on 127.0.0.1 presenting the self-signed certificate of
/// `tests/fixtures`; it takes one connection and offers its TLS handshake.
fn untrusted_https_server() -> u16 {
    let cert = CertificateDer::from_pem_file(format!("{FIXTURES}/untrusted-cert.pem")).unwrap();
    let key = PrivateKeyDer::from_pem_file(format!("{FIXTURES}/untrusted-key.pem")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![cert], key)
    .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut connection = rustls::ServerConnection::new(Arc::new(config)).unwrap();
        // The client refuses the certificate; the handshake ends there.
        while connection.complete_io(&mut stream).is_ok() && connection.is_handshaking() {}
    });
    port
}

fn account_with_token_url(token_url: String) -> Account {
    Account {
        id: "transport".into(),
        name: "Transport".into(),
        default: true,
        tenant: "example".into(),
        authorization_url: token_url.replace("/token", "/authorize"),
        token_url,
        api_url: "https://contoso.crm.dynamics.com/api/data/v9.2".into(),
        client_id: "5a1e7c90-3d2b-4f6a-8e9c-1b2a3c4d5e6f".into(),
        secret_expires: None,
        refresh_token_used: None,
        simulator: true,
    }
}

#[test]
fn an_untrusted_certificate_is_a_tls_finding() {
    let port = untrusted_https_server();
    let account = account_with_token_url(format!("https://127.0.0.1:{port}/tenant/oauth2/token"));
    let cancel = AtomicBool::new(false);
    let report = test_connection(
        &account,
        &Memory::new(Some("s"), Some(SecretString::from("r".to_owned()))),
        common::patience(&cancel, Duration::ZERO),
    );
    assert!(!report.ok);
    assert_eq!(report.findings[0].code, "net.tls", "{:?}", report.findings);
    assert!(
        report.findings[0].message.contains("certificate"),
        "{:?}",
        report.findings
    );
}

#[test]
fn an_unknown_host_is_a_dns_finding() {
    let error =
        reqwest::blocking::get("http://no-such-host.invalid/tenant/oauth2/token").unwrap_err();
    let failure = Failure::from_transport(&error);
    assert_eq!(failure.findings()[0].code, "net.dns", "{failure:?}");
}

#[test]
fn a_server_slower_than_the_timeout_is_a_timeout_finding() {
    let sim = Sim::start(Config::default(), 0).unwrap();
    let access = common::sign_in(&sim, &sim.config().client_secret)
        .unwrap()
        .access;
    sim.set_fault(Some(Fault::SlowMs(2_000)));
    let http = reqwest::blocking::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = http
        .get(format!("{}/WhoAmI", sim.api_url()))
        .bearer_auth(secrecy::ExposeSecret::expose_secret(&access))
        .send()
        .unwrap_err();
    let failure = Failure::from_transport(&error);
    assert_eq!(failure, Failure::Timeout);
    assert_eq!(failure.findings()[0].code, "net.timeout");
}

/// The access token goes only to the org's Web API: a next page link elsewhere is not
/// followed.
#[test]
fn a_next_link_that_leaves_the_org_is_not_followed() {
    use std::io::{Read, Write};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request);
        let body = r#"{"value":[{"name":"first page"}],"@odata.nextLink":"https://evil.example/api/data/v9.2/roles?page=2"}"#;
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
    });
    let mut account = account_with_token_url(format!("http://127.0.0.1:{port}/t/oauth2/token"));
    account.api_url = format!("http://127.0.0.1:{port}/api/data/v9.2");
    let cancel = AtomicBool::new(false);
    let session = dynbridge_dataverse::Session::with_token(
        &account,
        SecretString::from("access".to_owned()),
        common::patience(&cancel, Duration::ZERO),
    )
    .unwrap();
    let failure = session
        .get_all(&session.url("roles", &[]).unwrap())
        .unwrap_err();
    assert!(
        failure.findings()[0]
            .message
            .contains("leaves the org's Web API"),
        "{failure:?}"
    );
}
