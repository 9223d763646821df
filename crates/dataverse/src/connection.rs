//! Signing in (Request token) and Test connection: a token from the refresh token,
//! then WhoAmI, with the latency, the user's and the org's names, and a diagnosis of
//! any failure.

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use dynbridge_core::account::credentials::Credentials;
use dynbridge_core::account::Account;
use dynbridge_core::Finding;
use secrecy::SecretString;
use serde::Serialize;
use ts_rs::TS;

use crate::diagnose::Failure;
use crate::loopback::Listener;
use crate::oauth::{self, Endpoints, Tokens};
use crate::session::{Patience, Session};

/// What Test connection found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConnectionReport {
    pub ok: bool,
    pub user_id: Option<String>,
    /// The signed-in user's full name, when Dataverse let it be read.
    pub user_name: Option<String>,
    pub business_unit_id: Option<String>,
    pub organization_id: Option<String>,
    /// The organization's name, when Dataverse let it be read.
    pub organization_name: Option<String>,
    /// The WhoAmI round trip, in milliseconds.
    pub latency_ms: Option<u64>,
    pub findings: Vec<Finding>,
}

impl ConnectionReport {
    fn failed(failure: &Failure) -> Self {
        Self {
            ok: false,
            user_id: None,
            user_name: None,
            business_unit_id: None,
            organization_id: None,
            organization_name: None,
            latency_ms: None,
            findings: failure.findings(),
        }
    }
}

/// Signs in through the system browser: `open` is given the authorize URL. Waits up
/// to `timeout` for the redirect, then exchanges the code for tokens.
pub fn login(
    account: &Account,
    secret: &SecretString,
    admin_consent: bool,
    timeout: Duration,
    cancel: &AtomicBool,
    open: impl FnOnce(&str) -> Result<(), String>,
) -> Result<Tokens, Failure> {
    let endpoints = Endpoints::from_account(account)?;
    let listener = Listener::bind()?;
    let request = oauth::begin(&endpoints, &listener.redirect_uri(), admin_consent)?;
    open(&request.url).map_err(Failure::Io)?;
    let code = listener.wait(&request.state, timeout, cancel)?;
    oauth::exchange(&crate::http_client(), &endpoints, secret, request, &code)
}

/// Gets an access token with the stored refresh token (storing a rotated one at once),
/// then calls WhoAmI and reads the user's and the organization's names.
pub fn test_connection(
    account: &Account,
    credentials: &dyn Credentials,
    patience: Patience,
) -> ConnectionReport {
    let session = match Session::open(account, credentials, patience) {
        Ok(session) => session,
        Err(failure) => return ConnectionReport::failed(&failure),
    };
    let started = Instant::now();
    let who = match who_am_i(&session) {
        Ok(who) => who,
        Err(failure) => return ConnectionReport::failed(&failure),
    };
    let latency_ms = started.elapsed().as_millis() as u64;
    let text = |key: &str| who[key].as_str().map(str::to_owned);
    let (user_id, organization_id) = (text("UserId"), text("OrganizationId"));
    ConnectionReport {
        ok: true,
        user_name: name_of(&session, "systemusers", user_id.as_deref(), "fullname"),
        organization_name: name_of(
            &session,
            "organizations",
            organization_id.as_deref(),
            "name",
        ),
        user_id,
        business_unit_id: text("BusinessUnitId"),
        organization_id,
        latency_ms: Some(latency_ms),
        findings: Vec::new(),
    }
}

/// A record's name column, when it can be read (a name is a nicety, not a check).
pub(crate) fn name_of(
    session: &Session,
    set: &str,
    id: Option<&str>,
    column: &str,
) -> Option<String> {
    let url = session
        .url(&format!("{set}({})", id?), &[("$select", column)])
        .ok()?;
    session.get(&url).ok()?[column].as_str().map(str::to_owned)
}

/// `GET {api}/WhoAmI`.
pub fn who_am_i(session: &Session) -> Result<serde_json::Value, Failure> {
    session.get(&session.url("WhoAmI", &[])?)
}
