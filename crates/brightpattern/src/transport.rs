//! Every request to the API: the bearer token (renewed before expiry, and once after a
//! 401, the request then sent again: a request refused with 401 was not applied), and
//! retries of 429, 5xx and transport failures after `Retry-After` or with backoff,
//! within the client's time budget and cancellable while waiting.
//!
//! Bright Pattern documents no throttling (no 429 in any status table, reference §6);
//! gateways and proxies in front of it do answer 429/502/503/504, so these are retried.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};

use crate::client::Client;
use crate::token::{self, Fetched};
use crate::Error;

/// Retries without a `Retry-After` before giving up (1, 2, 4, 8, 16 s apart).
const TRANSIENT_RETRIES: u32 = 5;

/// One API request: where, what, and what it is about (for plain-words errors).
pub(crate) struct Call<'a> {
    pub method: Method,
    pub url: url::Url,
    /// A JSON body; POSTs without one still say `Content-Type: application/json`, as
    /// the collection's requests do (S1, S3).
    pub body: Option<Vec<u8>>,
    pub what: &'a str,
    pub privilege: &'static str,
}

/// The outcome of one attempt.
enum Step<T> {
    Done(T),
    Retry {
        why: String,
        retry_after: Option<u64>,
    },
    Fail(Error),
}

impl Client {
    /// Sends `call` until it succeeds (2xx: the status and body), fails for good, runs
    /// out of budget, or `cancel` is set.
    pub(crate) fn send(&self, call: &Call, cancel: &AtomicBool) -> Result<(u16, String), Error> {
        let mut renewed = false;
        self.retrying(cancel, || {
            let access = match self.access_token(cancel) {
                Ok(access) => access,
                Err(error) => return Step::Fail(error),
            };
            let mut request = self
                .http
                .request(call.method.clone(), call.url.clone())
                .bearer_auth(access.expose_secret())
                .header("Accept", "application/json");
            if call.method == Method::POST {
                request = request.header("Content-Type", "application/json");
            }
            if let Some(body) = &call.body {
                request = request.body(body.clone());
            }
            self.count_request();
            let response = match request.send() {
                Ok(response) => response,
                Err(error) => return transport_step(&error),
            };
            let status = response.status().as_u16();
            let retry_after = retry_after(&response);
            let body = match response.text() {
                Ok(body) => body,
                Err(error) => return transport_step(&error),
            };
            match status {
                200..=299 => Step::Done((status, body)),
                // The token expired or was revoked: the request was not applied, so it
                // is sent again once with a new token.
                401 if !renewed => {
                    renewed = true;
                    self.forget_token();
                    Step::Retry {
                        why: "a new token".into(),
                        retry_after: Some(0),
                    }
                }
                429 | 500..=599 => Step::Retry {
                    why: format!("status {status}"),
                    retry_after,
                },
                _ => Step::Fail(Error::from_status(status, &body, call.what, call.privilege)),
            }
        })
    }

    /// The cached access token, or a new one when there is none or it is about to expire.
    fn access_token(&self, cancel: &AtomicBool) -> Result<SecretString, Error> {
        let mut cached = self.token.lock().expect("the token cache");
        if let Some(token) = cached.as_ref().filter(|t| t.renew_at > Instant::now()) {
            return Ok(token.access.clone());
        }
        let token = self.retrying(cancel, || {
            self.count_request();
            match token::fetch(
                &self.http,
                &self.token_url,
                &self.login,
                &self.secret,
                &self.scope,
            ) {
                Err(error) => Step::Fail(error),
                Ok(Fetched::Token(token)) => Step::Done(token),
                Ok(Fetched::Transport(error)) => transport_step(&error),
                Ok(Fetched::Refused {
                    status,
                    retry_after,
                    ..
                }) if status == 429 || status >= 500 => Step::Retry {
                    why: format!("status {status}"),
                    retry_after,
                },
                // RFC 6749 §5.2 answers 400 or 401 for bad client credentials; the
                // body may name the error but never the secret.
                Ok(Fetched::Refused {
                    status: 400 | 401, ..
                }) => Step::Fail(Error::Unauthorized),
                Ok(Fetched::Refused { status: 404, .. }) => Step::Fail(Error::NoApi),
                Ok(Fetched::Refused { status, body, .. }) => Step::Fail(Error::Status {
                    status,
                    detail: body,
                }),
            }
        })?;
        let access = token.access.clone();
        *cached = Some(token);
        Ok(access)
    }

    fn forget_token(&self) {
        *self.token.lock().expect("the token cache") = None;
    }

    fn count_request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    /// Runs `attempt` until it is done or failed, waiting between tries.
    fn retrying<T>(
        &self,
        cancel: &AtomicBool,
        mut attempt: impl FnMut() -> Step<T>,
    ) -> Result<T, Error> {
        let mut retries = 0;
        loop {
            if cancel.load(Ordering::SeqCst) {
                return Err(Error::Cancelled);
            }
            let (why, retry_after) = match attempt() {
                Step::Done(value) => return Ok(value),
                Step::Fail(error) => return Err(error),
                Step::Retry { why, retry_after } => (why, retry_after),
            };
            let wait = match retry_after {
                Some(seconds) => Duration::from_secs(seconds),
                None if retries < TRANSIENT_RETRIES => Duration::from_secs(1 << retries),
                None => return Err(self.gave_up(why)),
            };
            retries += 1;
            self.wait(wait, cancel)
                .map_err(|stop| stop.unwrap_or_else(|| self.gave_up(why)))?;
        }
    }

    fn gave_up(&self, last: String) -> Error {
        let waited = *self.waited.lock().expect("the wait clock");
        Error::GaveUp {
            last,
            waited_secs: waited.as_secs(),
        }
    }

    /// Waits `duration` within the budget (`Err(None)` beyond it) unless cancelled.
    fn wait(&self, duration: Duration, cancel: &AtomicBool) -> Result<(), Option<Error>> {
        {
            let mut waited = self.waited.lock().expect("the wait clock");
            if *waited + duration > self.budget {
                return Err(None);
            }
            *waited += duration;
        }
        let until = Instant::now() + duration;
        while Instant::now() < until {
            if cancel.load(Ordering::SeqCst) {
                return Err(Some(Error::Cancelled));
            }
            std::thread::sleep((until - Instant::now()).min(Duration::from_millis(50)));
        }
        Ok(())
    }
}

fn retry_after(response: &reqwest::blocking::Response) -> Option<u64> {
    response
        .headers()
        .get("Retry-After")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// A transport failure is retried (with backoff); its message names no secret.
fn transport_step<T>(error: &reqwest::Error) -> Step<T> {
    Step::Retry {
        why: format!("no answer ({})", without_url(error)),
        retry_after: None,
    }
}

/// reqwest's message without the URL (kept short for an admin).
fn without_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), "the API");
    }
    text
}
