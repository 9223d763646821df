//! Bright Pattern's List Management API under `/configapi/v2/` and `/configapi/v3/`, as
//! `../shared/reference/brightpattern-api.md` describes it (sources S1..S12 there):
//! the client-credentials token, campaigns, calling lists with a format, `addAll` with
//! its partial success, `deleteAll`, record reads, and Do Not Call lists. This module
//! routes a request to its method; the modules below do the work:
//!
//! - `tenant`: what the tenant holds (users and privileges, campaigns, lists, DNC lists);
//! - `auth`: the token endpoint, bearer tokens and privileges;
//! - `records`: calling-list records in and out, with the import rules of reference §5;
//! - `phone`: PHONE values as Bright Pattern stores them;
//! - `reads`: campaigns and the v3 list catalogue;
//! - `dnc`: Do Not Call records;
//! - `control`: what tests see and switch (seed, faults, counters, stored data);
//! - `answer`: the API's JSON and error answers.
//!
//! Every rule names its source beside the code; what no source settles is marked
//! UNCONFIRMED with the choice made. Our simulator is a test oracle: it must be as
//! strict as the documented service, never more lenient.

mod answer;
mod auth;
pub mod control;
mod dnc;
mod phone;
mod reads;
mod records;
pub mod tenant;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State as Extract;
use axum::http::{header, HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::any;
use axum::Router;
use percent_encoding::percent_decode_str;

use answer::{invalid_url, method_not_allowed, unsupported_media_type, Answer};
use tenant::{Privilege, Tenant};

pub use control::Control;

/// The simulator's Bright Pattern state, shared by its handlers and [`Control`].
#[derive(Debug)]
pub(crate) struct State {
    tenant: Tenant,
    tokens: auth::Tokens,
    /// Statuses (with an optional `Retry-After`) the next API requests answer.
    fail_next: VecDeque<(u16, Option<u64>)>,
    delay: Duration,
    /// Requests received, refused ones included, by `METHOD vN/area/method`.
    counts: BTreeMap<String, u64>,
}

pub(crate) type Shared = Arc<Mutex<State>>;

fn lock(state: &Shared) -> MutexGuard<'_, State> {
    state.lock().expect("bright pattern state")
}

/// The state for `tenant`, ready to serve.
pub(crate) fn shared(tenant: Tenant) -> Shared {
    Arc::new(Mutex::new(State {
        tenant,
        tokens: HashMap::new(),
        fail_next: VecDeque::new(),
        delay: Duration::ZERO,
        counts: BTreeMap::new(),
    }))
}

/// The API's routes, with their own state, to merge into the simulator's router.
pub(crate) fn routes<S: Clone + Send + Sync + 'static>(state: Shared) -> Router<S> {
    Router::new()
        .route("/configapi/{*rest}", any(dispatch))
        .with_state(state)
}

/// The API version in the path: v2 [S1] or v3 [S2][S3].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V2,
    V3,
}

/// What a method handler needs of the request.
struct Req<'a> {
    version: Version,
    method: &'a Method,
    /// The path below `/configapi/vN/`, each segment percent-decoded: list names carry
    /// spaces and `.csv` and arrive encoded (reference §1, S1).
    segments: Vec<String>,
    headers: &'a HeaderMap,
    body: &'a [u8],
}

impl Req<'_> {
    fn segments(&self) -> Vec<&str> {
        self.segments.iter().map(String::as_str).collect()
    }

    /// The body as JSON, after the content-type check: 415 without `application/json`
    /// (S2 "Error Handling": "No content type in HTTP header; Content type is text/plain
    /// but JSON is expected"), 400 when not understood (S1/S2: "format not understood").
    fn json(&self) -> Answer<serde_json::Value> {
        self.require_json()?;
        serde_json::from_slice(self.body).map_err(|_| answer::bad_request("format not understood"))
    }

    /// 415 unless the request says its body is JSON. The collection sends
    /// `Content-Type: application/json` on every POST, body or not (S1, S3).
    fn require_json(&self) -> Answer<()> {
        let content_type = self
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let essence = content_type.split(';').next().unwrap_or_default().trim();
        if essence.eq_ignore_ascii_case("application/json") {
            Ok(())
        } else {
            Err(unsupported_media_type("application/json"))
        }
    }
}

async fn dispatch(
    Extract(state): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().strip_prefix("/configapi/").unwrap_or_default();
    let (version, rest) = path.split_once('/').unwrap_or((path, ""));
    let counted = format!("{method} {version}/{}", method_path(rest));
    let delay = {
        let mut state = lock(&state);
        *state.counts.entry(counted).or_default() += 1;
        state.delay
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let version = match version {
        "v2" => Version::V2,
        "v3" => Version::V3,
        _ => return *invalid_url(),
    };
    let Some(segments) = rest
        .split('/')
        .map(|s| {
            percent_decode_str(s)
                .decode_utf8()
                .ok()
                .map(|s| s.into_owned())
        })
        .collect::<Option<Vec<_>>>()
    else {
        return *invalid_url();
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(bare_host)
        .unwrap_or_default();
    let req = Req {
        version,
        method: &method,
        segments,
        headers: &headers,
        body: &body,
    };
    let mut state = lock(&state);
    // Injected faults stand for a gateway or an overloaded service, before anything else.
    if let Some((status, retry_after)) = state.fail_next.pop_front() {
        return answer::injected(status, retry_after);
    }
    handle(&mut state, &req, &host).unwrap_or_else(|refused| *refused)
}

/// `area/method` of a path below the version, for the request counters.
fn method_path(rest: &str) -> String {
    rest.split('/').take(2).collect::<Vec<_>>().join("/")
}

/// `host` of a `Host` header `host[:port]` (`[::1]:80` keeps its brackets).
fn bare_host(host: &str) -> String {
    let host = match host.strip_prefix('[') {
        Some(v6) => format!("[{}]", v6.split(']').next().unwrap_or_default()),
        None => host.split(':').next().unwrap_or_default().to_owned(),
    };
    host.to_ascii_lowercase()
}

/// The methods served, by version, HTTP method and path shape; a path served with
/// another method is 405, an unknown one 404 "Invalid URL" (S2 "Error Handling").
fn handle(state: &mut State, req: &Req, host: &str) -> Answer {
    use Version::{V2, V3};
    let segments = req.segments();
    if segments == ["oauth", "token"] {
        return match *req.method {
            Method::POST => auth::token(state, req, host),
            _ => Err(method_not_allowed()),
        };
    }
    let user = auth::bearer(state, req)?;
    let need = |privileges: &[Privilege]| auth::require(&user, privileges);
    let post = *req.method == Method::POST;
    let get = *req.method == Method::GET;
    match (req.version, segments.as_slice()) {
        // v2 documents the trailing slash, v3 none (S1; S2).
        (V2, ["campaign", "getAll", ""]) | (V3, ["campaign", "getAll"]) if get => {
            need(&[Privilege::ManageCampaigns])?;
            Ok(reads::campaigns(&state.tenant, req.version == V3))
        }
        (V3, ["campaign", "getCampaign", id]) if get => {
            need(&[Privilege::ManageCampaigns])?;
            reads::campaign(&state.tenant, id)
        }
        (V3, ["callinglist", "getAll"]) if post => {
            need(&[Privilege::ManageLists])?;
            reads::lists(&state.tenant, &req.json()?)
        }
        // "Update content of calling list" is stated for record changes in v3 (S2/S3);
        // v2 is silent (UNCONFIRMED): the simulator asks for it on v2 too, the stricter.
        (V2, ["callinglist", "addAll", list]) if post => {
            need(&[Privilege::ManageLists, Privilege::UpdateListContent])?;
            let body = req.json()?;
            records::add_all(records::list(&mut state.tenant, list)?, &body)
        }
        (V2, ["callinglist", "deleteAll", list]) if post => {
            need(&[Privilege::ManageLists, Privilege::UpdateListContent])?;
            req.require_json()?;
            records::delete_all(records::list(&mut state.tenant, list)?)
        }
        (V2, ["callinglist", "getAll", list, campaign]) if post => {
            need(&[Privilege::ManageLists])?;
            let body = req.json()?;
            records::get_all(&mut state.tenant, list, campaign, &body)
        }
        (V2, ["donotcalllist", method @ ("add" | "replaceAll"), dnc]) if post => {
            need(&[Privilege::ManageLists])?;
            let body = req.json()?;
            dnc::add(&mut state.tenant, dnc, &body, *method == "replaceAll")
        }
        (
            V2,
            ["campaign", "getAll", ""]
            | ["callinglist", "addAll" | "deleteAll", _]
            | ["callinglist", "getAll", _, _]
            | ["donotcalllist", "add" | "replaceAll", _],
        )
        | (
            V3,
            ["campaign", "getAll"] | ["campaign", "getCampaign", _] | ["callinglist", "getAll"],
        ) => Err(method_not_allowed()),
        _ => Err(invalid_url()),
    }
}
