//! Bright Pattern Contact Center's List Management API
//! (`../shared/reference/brightpattern-api.md`): the client-credentials token, campaigns,
//! the v3 list catalogue, calling-list pushes in batches whose partial success is mapped
//! back to spreadsheet rows, and Do Not Call sync.
//!
//! Blocking on purpose, like `dynbridge-dataverse`: the CLI calls it directly and the
//! app on a blocking thread. The API secret travels as a `SecretString`, only into the
//! token request to the connection's own host, and never into errors or `Debug` output.

mod client;
mod dnc;
mod error;
pub mod preflight;
mod push;
mod token;
mod transport;

pub use client::{Campaign, Client, ListInfo, ListLookup, TestReport};
pub use dnc::{DncMode, DncReport};
pub use error::Error;
pub use push::{reason_label, Mode, Progress, PushReport, Rejected, Row, BATCH_ROWS};

use std::time::Duration;

/// The HTTP client: rustls with the OS certificate store beside the bundled roots
/// (corporate TLS inspection), the system proxy (the workspace's reqwest features), no
/// redirects (a token or secret must not follow one elsewhere), and timeouts.
fn http_client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("Dynbridge/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("an HTTP client with rustls")
}
