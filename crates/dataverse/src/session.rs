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
//! - 502, 503, 504 and timeouts retried after their Retry-After or with backoff, for
//!   reads and `If-Match` updates (never a POST, which may have created its record);
//! - all of it within one budget of waiting per session, reported to the caller as each
//!   wait begins and cancellable at any moment.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use dynbridge_core::account::credentials::Credentials;
use dynbridge_core::account::{trust, Account};
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::diagnose::Failure;
use crate::oauth::{self, Endpoints};

/// The most a session waits in all, by default, for throttling and outages to pass.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(300);
/// The budget of a job an admin waits for with nothing else to do (Test connection,
/// the pickers, the doctor, push), until those show their waits too.
pub const INTERACTIVE_BUDGET: Duration = Duration::from_secs(30);

/// Rows a page may hold: Dataverse's cap (…/query/page-results).
const MAX_PAGE_SIZE: usize = 5000;

/// Retries of one request without a Retry-After (1, 2, 4, 8, 16 s apart).
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
    /// The interactive budget, waits unreported.
    pub fn quiet(cancel: &'a AtomicBool) -> Self {
        Self {
            budget: INTERACTIVE_BUDGET,
            cancel,
            on_wait: &|_| {},
        }
    }
}

/// A signed-in connection to an org's Web API.
pub struct Session<'a> {
    http: reqwest::blocking::Client,
    api_url: url::Url,
    access: SecretString,
    patience: Patience<'a>,
    waited: Mutex<WaitClock>,
}

/// The time a session has spent waiting: the union of its requests' waits, so that four
/// requests waiting out the same throttle count once.
#[derive(Default)]
struct WaitClock {
    waiting: usize,
    since: Option<Instant>,
    total: Duration,
}

impl WaitClock {
    fn so_far(&self, now: Instant) -> Duration {
        self.total + self.since.map_or(Duration::ZERO, |since| now - since)
    }

    fn start(&mut self, now: Instant) {
        if self.waiting == 0 {
            self.since = Some(now);
        }
        self.waiting += 1;
    }

    fn stop(&mut self, now: Instant) {
        self.waiting -= 1;
        if self.waiting == 0 {
            self.total = self.so_far(now);
            self.since = None;
        }
    }
}

/// Gets an access token for `account` with its stored refresh token, storing a rotated
/// one (and the day of use) before returning. Nothing is sent unless the account's
/// endpoints are ones its secrets and tokens may go to.
fn access_token(
    http: &reqwest::blocking::Client,
    account: &Account,
    credentials: &dyn Credentials,
) -> Result<SecretString, Failure> {
    let secret = credentials
        .client_secret()
        .map_err(Failure::Store)?
        .ok_or_else(|| Failure::Account("no client secret is stored".into()))?;
    let refresh = credentials
        .refresh_token()
        .map_err(Failure::Store)?
        .ok_or(Failure::NoToken)?;
    trust::check_api(account).map_err(Failure::Untrusted)?;
    let endpoints = Endpoints::from_account(account)?;
    let tokens = match oauth::refresh(http, &endpoints, &secret, &refresh) {
        // Another job may have used and replaced the token meanwhile (a server that
        // revokes used refresh tokens then refuses ours): try once with the new one.
        Err(refused @ Failure::Entra { .. }) => match credentials.refresh_token() {
            Ok(Some(stored)) if stored.expose_secret() != refresh.expose_secret() => {
                oauth::refresh(http, &endpoints, &secret, &stored)?
            }
            _ => return Err(refused),
        },
        result => result?,
    };
    credentials
        .record_refresh(tokens.refresh.as_ref())
        .map_err(Failure::Store)?;
    Ok(tokens.access)
}

impl<'a> Session<'a> {
    /// Signs in with the account's refresh token (storing a rotated one at once).
    pub fn open(
        account: &Account,
        credentials: &dyn Credentials,
        patience: Patience<'a>,
    ) -> Result<Self, Failure> {
        let http = crate::http_client();
        let access = access_token(&http, account, credentials)?;
        Self::new(account, http, access, patience)
    }

    /// A session of `account` with an access token already in hand (the sign-in's).
    pub fn with_token(
        account: &Account,
        access: SecretString,
        patience: Patience<'a>,
    ) -> Result<Self, Failure> {
        Self::new(account, crate::http_client(), access, patience)
    }

    fn new(
        account: &Account,
        http: reqwest::blocking::Client,
        access: SecretString,
        patience: Patience<'a>,
    ) -> Result<Self, Failure> {
        trust::check_api(account).map_err(Failure::Untrusted)?;
        let api_url = url::Url::parse(account.api_url.trim().trim_end_matches('/'))
            .map_err(|e| Failure::Account(format!("the API URL is not usable ({e})")))?;
        Ok(Self {
            http,
            api_url,
            access,
            patience,
            waited: Mutex::default(),
        })
    }

    /// Whether the caller asked to stop.
    pub fn cancelled(&self) -> bool {
        self.patience.cancel.load(Ordering::SeqCst)
    }

    /// `{api}/{path}` with a query, percent-encoded.
    pub fn url(&self, path: &str, query: &[(&str, &str)]) -> Result<String, Failure> {
        let mut url = url::Url::parse(&format!("{}/{path}", self.api_url.as_str()))
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

    /// `GET` a collection: every row of every page, following `@odata.nextLink` as long
    /// as it stays on the org's Web API (the access token goes nowhere else) and moves on.
    pub fn get_all(&self, url: &str) -> Result<Vec<Value>, Failure> {
        let mut rows = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut next = Some(url.to_owned());
        while let Some(page_url) = next.take() {
            if self.cancelled() {
                return Err(Failure::Cancelled);
            }
            if !seen.insert(page_url.clone()) {
                return Err(Failure::NotJson(
                    "a next page link that repeats itself".into(),
                ));
            }
            let mut page = self.get(&page_url)?;
            if let Some(values) = page["value"].as_array_mut() {
                rows.append(values);
            }
            next = match page["@odata.nextLink"].as_str() {
                Some(link) => Some(self.own_link(link)?),
                None => None,
            };
        }
        Ok(rows)
    }

    /// `link` if it points at this org's Web API, else a refusal.
    fn own_link(&self, link: &str) -> Result<String, Failure> {
        let ours = url::Url::parse(link).is_ok_and(|url| {
            url.origin() == self.api_url.origin() && url.path().starts_with(self.api_url.path())
        });
        if ours {
            Ok(link.to_owned())
        } else {
            Err(Failure::NotJson(
                "a next page link that leaves the org's Web API; it was not followed".into(),
            ))
        }
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
        let mut retries = 0;
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
            let (reason, failure, retry_after) = match request.send().and_then(Answer::read) {
                Ok(answer) => match answer.status {
                    200..=299 => return Ok(answer),
                    // The server did not run the request: always safe to send again.
                    429 => (WaitReason::Throttled, answer.failure(), answer.retry_after),
                    status @ 502..=504 if idempotent => (
                        WaitReason::Unavailable(status),
                        answer.failure(),
                        answer.retry_after,
                    ),
                    _ => return Err(answer.failure()),
                },
                Err(error) if error.is_timeout() && idempotent => {
                    (WaitReason::TimedOut, Failure::Timeout, None)
                }
                Err(error) => return Err(Failure::from_transport(&error)),
            };
            let wait = match retry_after {
                Some(seconds) => Duration::from_secs(seconds),
                None if retries < TRANSIENT_RETRIES => backoff(retries),
                None => return Err(failure),
            };
            retries += 1;
            self.wait(reason, wait)
                .map_err(|stop| stop.unwrap_or(failure))?;
        }
    }

    /// Waits `duration` unless that takes the session's waiting past its budget
    /// (`Err(None)`) or the caller cancels (`Err(Some(Cancelled))`).
    fn wait(&self, reason: WaitReason, duration: Duration) -> Result<(), Option<Failure>> {
        let now = Instant::now();
        let budget_left = {
            let mut clock = self.waited.lock().expect("the wait clock");
            let left = self.patience.budget.saturating_sub(clock.so_far(now));
            if duration > left {
                return Err(None);
            }
            clock.start(now);
            left
        };
        (self.patience.on_wait)(Wait {
            reason,
            seconds: duration.as_secs_f64().ceil() as u64,
            budget_left_seconds: budget_left.as_secs(),
        });
        let until = now + duration;
        let mut outcome = Ok(());
        while Instant::now() < until {
            if self.cancelled() {
                outcome = Err(Some(Failure::Cancelled));
                break;
            }
            std::thread::sleep((until - Instant::now()).min(Duration::from_millis(100)));
        }
        self.waited
            .lock()
            .expect("the wait clock")
            .stop(Instant::now());
        outcome
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
    /// The answer, whole; reading the body can time out like sending can.
    fn read(response: reqwest::blocking::Response) -> Result<Self, reqwest::Error> {
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
        let body = response.text()?;
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
