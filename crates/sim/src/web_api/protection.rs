//! What stands between a request and the Web API: the URL length limit, injected faults
//! and transient failures, the bearer token, service protection limits (a throttle, a
//! sliding request window, concurrent requests per user) and denied tables. One
//! middleware, [`gate`], applies them in that order to every Web API request.
//!
//! Sources: https://learn.microsoft.com/power-apps/developer/data-platform/api-limits
//! (429 with `Retry-After`, which can repeat and grow; 6,000 requests per 300-second
//! sliding window, 52 concurrent requests per user; the error codes and messages),
//! https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors#maximum-url-length
//! (32,768 characters) and domain.md §3 (502/503/504 are transient).

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::error::{self, privilege_denied, throttled, url_too_long, Answer, Limit};
use super::schema::Table;
use crate::{lock, Config, Fault, Shared};

/// The longest URL Dataverse accepts (compose-http-requests-handle-errors#maximum-url-length).
const MAX_URL_LENGTH: usize = 32_768;

/// The limits and failures the test or demo has switched on.
#[derive(Debug, Default)]
pub(crate) struct Protection {
    throttled_until: Option<Instant>,
    retry_after: Duration,
    fail_next: Option<(u16, usize)>,
    /// When each admitted request of the sliding window arrived.
    recent: VecDeque<Instant>,
    in_flight: usize,
    denied: HashSet<String>,
}

impl Protection {
    pub fn throttle(&mut self, duration: Duration, retry_after: Duration) {
        self.throttled_until = (!duration.is_zero()).then(|| Instant::now() + duration);
        self.retry_after = retry_after;
    }

    pub fn fail_next(&mut self, status: u16, times: usize) {
        self.fail_next = (times > 0).then_some((status, times));
    }

    pub fn deny(&mut self, logical: &str) {
        self.denied.insert(logical.to_owned());
    }

    pub fn allow_all(&mut self) {
        self.denied.clear();
    }

    /// The service protection limits for one more request of the user, in order:
    /// throttle, request window, concurrency; an admitted request counts in flight.
    fn admit(&mut self, config: &Config, now: Instant) -> Answer<()> {
        if self.throttled_until.is_some_and(|until| until > now) {
            return Err(throttled(
                DATAVERSE_REQUESTS,
                whole_seconds(self.retry_after),
            ));
        }
        if let Some(limit) = config.requests_per_window {
            let window = Duration::from_secs(config.request_window_secs);
            while self
                .recent
                .front()
                .is_some_and(|t| now.duration_since(*t) >= window)
            {
                self.recent.pop_front();
            }
            if self.recent.len() >= limit as usize {
                let oldest = self.recent.front().copied().unwrap_or(now);
                let retry = window.saturating_sub(now.duration_since(oldest));
                let limit = Limit::Requests {
                    limit,
                    window_secs: config.request_window_secs,
                };
                return Err(throttled(limit, whole_seconds(retry)));
            }
            self.recent.push_back(now);
        }
        if self.in_flight >= config.max_concurrent_requests {
            // Retry-After for concurrency is UNVERIFIED: one second.
            let limit = Limit::Concurrency {
                limit: config.max_concurrent_requests,
            };
            return Err(throttled(limit, 1));
        }
        self.in_flight += 1;
        Ok(())
    }

    /// The next transient failure to answer, if any are left.
    fn take_failure(&mut self) -> Option<u16> {
        let (status, left) = self.fail_next?;
        self.fail_next = (left > 1).then_some((status, left - 1));
        Some(status)
    }
}

/// 403 when the table is denied: every privilege of it is missing (metadata is not a
/// table privilege and is not checked here). The privilege named follows the operation:
/// `prvRead<Table>` for GET, `prvCreate` for POST, `prvWrite` for PATCH, `prvDelete`.
pub(crate) fn check_privilege(
    state: &crate::State,
    table: &Table,
    method: &axum::http::Method,
) -> Answer<()> {
    if !state.protection.denied.contains(table.logical) {
        return Ok(());
    }
    let operation = match method.as_str() {
        "POST" => "Create",
        "PATCH" | "PUT" => "Write",
        "DELETE" => "Delete",
        _ => "Read",
    };
    Err(privilege_denied(
        &state.config.user_id,
        &format!("prv{operation}{}", table.schema_name),
        table.object_type_code,
        table.logical,
    ))
}

/// A request admitted past the limits: counts as in flight until dropped.
struct InFlight(Shared);

impl Drop for InFlight {
    fn drop(&mut self) {
        lock(&self.0).protection.in_flight -= 1;
    }
}

/// The middleware in front of every Web API route.
pub(crate) async fn gate(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let (slot, delay) = match admit(&state, &request) {
        Admission::Admitted(slot, delay) => (slot, delay),
        Admission::Refused(refusal) => return refusal,
    };
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    let response = next.run(request).await;
    drop(slot);
    response
}

enum Admission {
    /// In flight, to answer after the delay a [`Fault::SlowMs`] asks for.
    Admitted(InFlight, Option<Duration>),
    Refused(Response),
}

/// Dataverse's default request limit, which [`crate::Sim::throttle`] and
/// `Fault::Http(429)` report (api-limits#number-of-requests).
const DATAVERSE_REQUESTS: Limit = Limit::Requests {
    limit: 6000,
    window_secs: 300,
};

/// Counts the request and applies, in order: URL length, injected fault, transient
/// failure, bearer token, then the service protection limits.
fn admit(state: &Shared, request: &Request) -> Admission {
    let mut guard = lock(state);
    let state_ref = &mut *guard;
    state_ref.requests += 1;
    if let Some(refusal) = refused_before_authentication(state_ref, request) {
        return Admission::Refused(refusal);
    }
    if !authorised(state_ref, request) {
        return Admission::Refused(
            (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer error=invalid_token")],
                "",
            )
                .into_response(),
        );
    }
    if let Err(limit) = state_ref
        .protection
        .admit(&state_ref.config, Instant::now())
    {
        return Admission::Refused(limit.into_response());
    }
    let delay = match state_ref.fault {
        Some(Fault::SlowMs(ms)) => Some(Duration::from_millis(ms)),
        _ => None,
    };
    Admission::Admitted(InFlight(std::sync::Arc::clone(state)), delay)
}

/// What answers before the token is even read: a URL too long, an injected fault, a
/// transient failure.
fn refused_before_authentication(state: &mut crate::State, request: &Request) -> Option<Response> {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let path_and_query = request.uri().path_and_query().map_or("", |p| p.as_str());
    let length = "http://".len() + host.len() + path_and_query.len();
    if length > MAX_URL_LENGTH {
        return Some(url_too_long(length, MAX_URL_LENGTH).into_response());
    }
    match state.fault {
        Some(Fault::BadJson) => {
            let body = "<html>not json</html>";
            return Some(
                (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "application/json")],
                    body,
                )
                    .into_response(),
            );
        }
        Some(Fault::Http(429)) => return Some(throttled(DATAVERSE_REQUESTS, 1).into_response()),
        Some(Fault::Http(status)) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let body =
                json!({ "error": { "code": "0x80040220", "message": "Simulated failure." } });
            return Some((status, axum::Json(body)).into_response());
        }
        _ => {}
    }
    state.protection.take_failure().map(transient)
}

/// `Retry-After` is in whole seconds: a fraction counts as one more.
fn whole_seconds(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

/// Whether the request carries an access token the token endpoint issued.
fn authorised(state: &crate::State, request: &Request) -> bool {
    request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|token| state.tokens.is_access_token(token))
}

/// A transient failure: the gateway's HTML page for 502, 503 and 504 (what a client
/// meets in front of Dataverse: its body is not JSON; UNVERIFIED wording), Dataverse's
/// unexpected error otherwise.
fn transient(status: u16) -> Response {
    let page = |code: u16, title: &str, text: &str| {
        let status = StatusCode::from_u16(code).expect("a gateway status");
        let html = format!("<!DOCTYPE html><html><head><title>{code} {title}</title></head><body><h1>{title}</h1><p>{text}</p></body></html>");
        (status, [(header::CONTENT_TYPE, "text/html")], html).into_response()
    };
    match status {
        502 => page(
            502,
            "Bad Gateway",
            "The server received an invalid response from an upstream server.",
        ),
        503 => page(
            503,
            "Service Unavailable",
            "HTTP Error 503. The service is unavailable.",
        ),
        504 => page(
            504,
            "Gateway Timeout",
            "The upstream server did not answer in time.",
        ),
        other => {
            let mut response = error::unexpected().into_response();
            *response.status_mut() =
                StatusCode::from_u16(other).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            response
        }
    }
}
