//! Signing in (Request token) and Test connection: a token from the refresh token,
//! then WhoAmI, with the latency and a diagnosis of any failure.

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use dynbridge_core::account::Account;
use dynbridge_core::Finding;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use ts_rs::TS;

use crate::diagnose::Failure;
use crate::loopback::Listener;
use crate::oauth::{self, Endpoints, Tokens};

/// What Test connection found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConnectionReport {
    pub ok: bool,
    pub user_id: Option<String>,
    pub business_unit_id: Option<String>,
    pub organization_id: Option<String>,
    /// The WhoAmI round trip, in milliseconds.
    pub latency_ms: Option<u64>,
    pub findings: Vec<Finding>,
}

impl ConnectionReport {
    fn failed(failure: &Failure) -> Self {
        Self {
            ok: false,
            user_id: None,
            business_unit_id: None,
            organization_id: None,
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
    let request = oauth::begin(&endpoints, &listener.redirect_uri(), admin_consent);
    open(&request.url).map_err(Failure::Io)?;
    let code = listener.wait(&request.state, timeout, cancel)?;
    oauth::exchange(&crate::http_client(), &endpoints, secret, &request, &code)
}

/// Gets an access token with the refresh token, then calls WhoAmI. Returns the report
/// and, when Entra sent one, the new refresh token to store.
pub fn test_connection(
    account: &Account,
    secret: &SecretString,
    refresh_token: Option<&SecretString>,
) -> (ConnectionReport, Option<SecretString>) {
    let Some(refresh_token) = refresh_token else {
        return (ConnectionReport::failed(&Failure::NoToken), None);
    };
    let endpoints = match Endpoints::from_account(account) {
        Ok(endpoints) => endpoints,
        Err(failure) => return (ConnectionReport::failed(&failure), None),
    };
    let http = crate::http_client();
    let tokens = match oauth::refresh(&http, &endpoints, secret, refresh_token) {
        Ok(tokens) => tokens,
        Err(failure) => return (ConnectionReport::failed(&failure), None),
    };
    let started = Instant::now();
    let report = match who_am_i(&http, &endpoints.api_url, &tokens.access) {
        Ok(who) => ConnectionReport {
            ok: true,
            user_id: who["UserId"].as_str().map(str::to_owned),
            business_unit_id: who["BusinessUnitId"].as_str().map(str::to_owned),
            organization_id: who["OrganizationId"].as_str().map(str::to_owned),
            latency_ms: Some(started.elapsed().as_millis() as u64),
            findings: Vec::new(),
        },
        Err(failure) => ConnectionReport::failed(&failure),
    };
    (report, tokens.refresh)
}

/// `GET {api}/WhoAmI`, honouring one 429 `Retry-After` of up to 10 s.
pub fn who_am_i(
    http: &reqwest::blocking::Client,
    api_url: &str,
    access: &SecretString,
) -> Result<serde_json::Value, Failure> {
    get_json(http, &format!("{api_url}/WhoAmI"), access)
}

/// `GET` a Web API URL with the OData headers and a page size; JSON or a failure.
pub(crate) fn get_json(
    http: &reqwest::blocking::Client,
    url: &str,
    access: &SecretString,
) -> Result<serde_json::Value, Failure> {
    for attempt in 0..2 {
        let response = web_api(http, reqwest::Method::GET, url, access)
            .header("Prefer", "odata.maxpagesize=1000")
            .send()
            .map_err(|e| Failure::from_transport(&e))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("Retry-After")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let body = response.text().map_err(|e| Failure::from_transport(&e))?;
        if status == 429 && attempt == 0 && retry_after.is_some_and(|s| s <= 10) {
            std::thread::sleep(Duration::from_secs(retry_after.unwrap_or(1)));
            continue;
        }
        if !(200..300).contains(&status) {
            return Err(Failure::from_odata_error(status, &body, retry_after));
        }
        return serde_json::from_str(&body)
            .map_err(|_| Failure::NotJson(body.chars().take(200).collect()));
    }
    unreachable!("the loop returns on its second attempt")
}

/// A Web API request with the OData headers and the bearer token.
pub(crate) fn web_api(
    http: &reqwest::blocking::Client,
    method: reqwest::Method,
    url: &str,
    access: &SecretString,
) -> reqwest::blocking::RequestBuilder {
    http.request(method, url)
        .header("Accept", "application/json")
        .header("OData-MaxVersion", "4.0")
        .header("OData-Version", "4.0")
        .bearer_auth(access.expose_secret())
}
