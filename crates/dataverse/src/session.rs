//! An open connection to one org's Web API, used by every online job.
//!
//! Opening one refreshes the access token and hands a rotated refresh token to the
//! account's [`Credentials`] at once, before any API call: a server that revokes used
//! refresh tokens would otherwise leave the account broken after the next failure.
//!
//! Requests follow Microsoft's guidance for Web API clients:
//! - OData headers on every request, `If-None-Match: null` on reads (fresh data, not a
//!   cached version: …/webapi/compose-http-requests-handle-errors);
//! - `@odata.nextLink` followed as given, pages of `odata.maxpagesize` (…/query/page-results);
//! - 429 answers waited out for their `Retry-After`, as often as they come and however
//!   long (…/data-platform/api-limits: "Retry-After … can be more than a few seconds");
//! - 502, 503, 504 and timeouts retried with backoff, for reads and `If-Match` updates;
//! - all of it within one time budget per session, reported to the caller as each wait
//!   begins and cancellable at any moment.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use dynbridge_core::account::credentials::Credentials;
use dynbridge_core::account::Account;
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::diagnose::Failure;
use crate::oauth::{self, Endpoints};

/// The most a session waits in all, by default, for throttling and outages to pass.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(300);

/// Rows a page may hold: Dataverse's cap (…/query/page-results).
const MAX_PAGE_SIZE: usize = 5000;

/// Retries of one request after a 502/503/504 or a timeout (1, 2, 4, 8, 16 s apart).
const TRANSIENT_RETRIES: u32 = 5;

/// Why a request is waiting before it is sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitReason {
    /// Dataverse's service protection limits answered 429.
    Throttled,
    /// A gateway or the service answered 502, 503 or 504.
    Unavailable(u16),
    /// The server did not answer in time.
    TimedOut,
}

/// A wait that is starting: what for, how long, and how much of the budget is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait {
    pub reason: WaitReason,
    pub seconds: u64,
    pub budget_left_seconds: u64,
}

impl Wait {
    /// The wait in plain words, for a progress line.
    pub fn describe(&self) -> String {
        let why = match self.reason {
            WaitReason::Throttled => {
                "Dataverse asked Dynbridge to slow down (service protection limits)".to_owned()
            }
            WaitReason::Unavailable(status) => {
                format!("Dataverse was briefly unavailable ({status})")
            }
            WaitReason::TimedOut => "Dataverse did not answer in time".to_owned(),
        };
        format!(
            "{why}; trying again in {} s (will keep trying for {} s more)",
            self.seconds, self.budget_left_seconds
        )
    }
}

/// How long a session keeps trying, who hears about its waits, and what cancels it.
pub struct Patience<'a> {
    pub budget: Duration,
    pub cancel: &'a AtomicBool,
    pub on_wait: &'a (dyn Fn(Wait) + Sync),
}

impl<'a> Patience<'a> {
    /// The default budget, waits unreported.
    pub fn quiet(cancel: &'a AtomicBool) -> Self {
        Self {
            budget: DEFAULT_BUDGET,
            cancel,
            on_wait: &|_| {},
        }
    }
}

/// A signed-in connection to an org's Web API.
pub struct Session<'a> {
    http: reqwest::blocking::Client,
    api_url: String,
    access: SecretString,
    patience: Patience<'a>,
    deadline: Instant,
}

/// Gets an access token for `account` with its stored refresh token, storing a rotated
/// one (and the day of use) before returning. Nothing is sent unless the account's
/// endpoints are ones its secrets and tokens may go to.
pub fn access_token(
    http: &reqwest::blocking::Client,
    account: &Account,
    credentials: &dyn Credentials,
) -> Result<(Endpoints, SecretString), Failure> {
    let secret = credentials
        .client_secret()
        .map_err(Failure::Store)?
        .ok_or_else(|| Failure::Account("no client secret is stored".into()))?;
    let refresh = credentials
        .refresh_token()
        .map_err(Failure::Store)?
        .ok_or(Failure::NoToken)?;
    dynbridge_core::account::trust::check_api(account).map_err(Failure::Untrusted)?;
    let endpoints = Endpoints::from_account(account)?;
    let tokens = oauth::refresh(http, &endpoints, &secret, &refresh)?;
    credentials
        .record_refresh(tokens.refresh.as_ref())
        .map_err(Failure::Store)?;
    Ok((endpoints, tokens.access))
}

impl<'a> Session<'a> {
    /// Signs in with the account's refresh token (storing a rotated one at once).
    pub fn open(
        account: &Account,
        credentials: &dyn Credentials,
        patience: Patience<'a>,
    ) -> Result<Self, Failure> {
        let http = crate::http_client();
        let (endpoints, access) = access_token(&http, account, credentials)?;
        Ok(Self::with_token(http, endpoints.api_url, access, patience))
    }

    /// A session with an access token already in hand.
    pub fn with_token(
        http: reqwest::blocking::Client,
        api_url: String,
        access: SecretString,
        patience: Patience<'a>,
    ) -> Self {
        let deadline = Instant::now() + patience.budget;
        Self {
            http,
            api_url,
            access,
            patience,
            deadline,
        }
    }

    /// The Web API's base URL, e.g. `https://contoso.crm.dynamics.com/api/data/v9.2`.
    pub fn api_url(&self) -> &str {
        &self.api_url
    }

    /// Whether the caller asked to stop.
    pub fn cancelled(&self) -> bool {
        self.patience.cancel.load(Ordering::SeqCst)
    }

    /// `{api}/{path}` with a query, percent-encoded.
    pub fn url(&self, path: &str, query: &[(&str, &str)]) -> Result<String, Failure> {
        let mut url = url::Url::parse(&format!("{}/{path}", self.api_url))
            .map_err(|e| Failure::Account(format!("the API URL is not usable ({e})")))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url.into())
    }

    /// `GET` one resource (a record, metadata, WhoAmI, or one page).
    pub fn get(&self, url: &str) -> Result<Value, Failure> {
        let response = self.send(Method::GET, url, None, &[])?;
        parse_json(&response.body)
    }

    /// `GET` a collection: every row of every page, following `@odata.nextLink`.
    pub fn get_all(&self, url: &str) -> Result<Vec<Value>, Failure> {
        let mut rows = Vec::new();
        let mut next = Some(url.to_owned());
        while let Some(page_url) = next.take() {
            if self.cancelled() {
                return Err(Failure::Cancelled);
            }
            let mut page = self.get(&page_url)?;
            if let Some(values) = page["value"].as_array_mut() {
                rows.append(values);
            }
            next = page["@odata.nextLink"].as_str().map(str::to_owned);
        }
        Ok(rows)
    }

    /// `POST` a new record; the `OData-EntityId` of the answer. Never retried after a
    /// 5xx or a timeout, since the record may have been created.
    pub fn create(&self, url: &str, body: &Value) -> Result<Option<String>, Failure> {
        Ok(self.send(Method::POST, url, Some(body), &[])?.entity_id)
    }

    /// `PATCH` an existing record with `If-Match: *`, so that a record deleted meanwhile
    /// is not created again (…/webapi/update-delete-entities-using-web-api).
    pub fn update(&self, url: &str, body: &Value) -> Result<(), Failure> {
        self.send(Method::PATCH, url, Some(body), &[("If-Match", "*")])
            .map(drop)
    }

    fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Result<Answer, Failure> {
        let idempotent = method != Method::POST;
        let mut transient_retries = 0;
        loop {
            if self.cancelled() {
                return Err(Failure::Cancelled);
            }
            let mut request = self.request(method.clone(), url);
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let (wait, failure) = match request.send() {
                Ok(response) => {
                    let answer = Answer::read(response)?;
                    match answer.status {
                        200..=299 => return Ok(answer),
                        429 => (
                            answer
                                .retry_after
                                .map(Duration::from_secs)
                                .map(|d| (WaitReason::Throttled, d)),
                            answer.failure(),
                        ),
                        status @ (502..=504)
                            if idempotent && transient_retries < TRANSIENT_RETRIES =>
                        {
                            (
                                Some((WaitReason::Unavailable(status), backoff(transient_retries))),
                                answer.failure(),
                            )
                        }
                        _ => return Err(answer.failure()),
                    }
                }
                Err(error)
                    if error.is_timeout()
                        && idempotent
                        && transient_retries < TRANSIENT_RETRIES =>
                {
                    (
                        Some((WaitReason::TimedOut, backoff(transient_retries))),
                        Failure::Timeout,
                    )
                }
                Err(error) => return Err(Failure::from_transport(&error)),
            };
            let Some((reason, duration)) = wait else {
                return Err(failure);
            };
            if !matches!(reason, WaitReason::Throttled) {
                transient_retries += 1;
            }
            self.wait(reason, duration)
                .map_err(|stop| stop.unwrap_or(failure))?;
        }
    }

    /// Waits `duration` unless that runs past the budget (`Err(None)`) or the caller
    /// cancels (`Err(Some(Cancelled))`).
    fn wait(&self, reason: WaitReason, duration: Duration) -> Result<(), Option<Failure>> {
        let now = Instant::now();
        let until = now + duration;
        if until > self.deadline {
            return Err(None);
        }
        (self.patience.on_wait)(Wait {
            reason,
            seconds: duration.as_secs_f64().ceil() as u64,
            budget_left_seconds: (self.deadline - now).as_secs(),
        });
        while Instant::now() < until {
            if self.cancelled() {
                return Err(Some(Failure::Cancelled));
            }
            std::thread::sleep((until - Instant::now()).min(Duration::from_millis(100)));
        }
        Ok(())
    }

    /// A Web API request with the OData headers and the bearer token.
    fn request(&self, method: Method, url: &str) -> reqwest::blocking::RequestBuilder {
        let request = self
            .http
            .request(method.clone(), url)
            .header("Accept", "application/json")
            .header("OData-MaxVersion", "4.0")
            .header("OData-Version", "4.0")
            .bearer_auth(self.access.expose_secret());
        if method == Method::GET {
            request
                .header("If-None-Match", "null")
                .header("Prefer", format!("odata.maxpagesize={MAX_PAGE_SIZE}"))
        } else {
            request
        }
    }
}

/// 1, 2, 4, 8, 16 s.
fn backoff(retry: u32) -> Duration {
    Duration::from_secs(1 << retry.min(4))
}

/// What came back: status, the headers that matter, the body.
struct Answer {
    status: u16,
    retry_after: Option<u64>,
    entity_id: Option<String>,
    body: String,
}

impl Answer {
    fn read(response: reqwest::blocking::Response) -> Result<Self, Failure> {
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let status = response.status().as_u16();
        let retry_after = header("Retry-After").and_then(|v| v.trim().parse().ok());
        let entity_id = header("OData-EntityId");
        let body = response.text().map_err(|e| Failure::from_transport(&e))?;
        Ok(Self {
            status,
            retry_after,
            entity_id,
            body,
        })
    }

    fn failure(&self) -> Failure {
        Failure::from_odata_error(self.status, &self.body, self.retry_after)
    }
}

fn parse_json(body: &str) -> Result<Value, Failure> {
    serde_json::from_str(body).map_err(|_| Failure::not_json(body))
}
