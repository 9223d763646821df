//! Admins' networks: an intercepting proxy (corporate TLS inspection) presents
//! certificates of a company CA that lives in the OS trust store, and is reached through
//! the proxy the system names. Dynbridge trusts the OS store and uses the system proxy
//! (on Linux: `SSL_CERT_FILE` and `HTTPS_PROXY`, as the platform's tools do), and still
//! refuses the same proxy when its CA is not in the store.
//!
//! One test in its own binary: it sets process environment variables.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

use dynbridge_dataverse::Failure;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

const HOST: &str = "contoso.crm.dynamics.com";

/// An HTTP proxy on 127.0.0.1 that answers `CONNECT` by intercepting TLS with a
/// certificate for `HOST` signed by its own CA, then answers every request with `{}`.
fn intercepting_proxy(leaf: CertificateDer<'static>, key: PrivateKeyDer<'static>) -> u16 {
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![leaf], key)
        .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let config = Arc::clone(&config);
            std::thread::spawn(move || intercept(stream, config));
        }
    });
    port
}

fn intercept(mut stream: TcpStream, config: Arc<rustls::ServerConfig>) {
    let mut head = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    while head.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let _ = stream.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
    let connection = rustls::ServerConnection::new(config).unwrap();
    let mut tls = rustls::StreamOwned::new(connection, stream);
    let mut request = [0u8; 4096];
    if tls.read(&mut request).is_ok() {
        let _ = tls.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
        );
    }
}

#[test]
fn the_os_trust_store_and_the_system_proxy_are_used() {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec![HOST.to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &ca)
        .unwrap();
    let port = intercepting_proxy(
        leaf.der().clone(),
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
    );
    let store = write_store("company-ca.pem", ca.pem().as_bytes());
    std::env::set_var("HTTPS_PROXY", format!("http://127.0.0.1:{port}"));
    let url = format!("https://{HOST}/api/data/v9.2/WhoAmI");

    // The company CA is not in the store yet: the interception is refused.
    std::env::set_var("SSL_CERT_FILE", "/nonexistent/dynbridge-empty-store.pem");
    let error = dynbridge_dataverse::http_client()
        .get(&url)
        .send()
        .unwrap_err();
    assert!(
        matches!(Failure::from_transport(&error), Failure::Tls(_)),
        "{error:?}"
    );

    // Once the OS store holds it, as an enterprise's managed machines do, it works.
    std::env::set_var("SSL_CERT_FILE", &store);
    let answer = dynbridge_dataverse::http_client()
        .get(&url)
        .send()
        .expect("the proxy's certificate is trusted through the OS store");
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.text().unwrap(), "{}");
}

/// Writes the trust store file the test points `SSL_CERT_FILE` at.
fn write_store(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dynbridge-os-trust-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}
