//! Talking to Microsoft's cloud for an integration account: Entra ID OAuth in the
//! system browser (authorization code with PKCE and `state`, v1 with `resource` or v2
//! with scopes, a loopback redirect), token refresh, the Dataverse Web API (WhoAmI),
//! and a plain-words diagnosis of every failure, pointing at the guide step that fixes it.
//!
//! Blocking on purpose: the CLI calls it directly and the app on a blocking thread.
//! Secrets travel as `SecretString` and only into request bodies and headers.

pub mod channel;
pub mod connection;
pub mod diagnose;
pub mod doctor;
pub mod loopback;
pub mod oauth;
pub mod session;
pub mod verify;

pub use connection::{test_connection, ConnectionReport};
pub use diagnose::Failure;
pub use oauth::{Endpoints, Tokens};
pub use session::{Patience, Session, Wait};

use std::time::Duration;

/// The HTTP client: rustls trusting the OS certificate store as well as the bundled
/// roots (corporate TLS inspection puts its CA in the OS store), the system's proxy
/// settings, no redirects (OAuth answers must not be followed), timeouts.
pub fn http_client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .user_agent(concat!("Dynbridge/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("an HTTP client with rustls")
}
