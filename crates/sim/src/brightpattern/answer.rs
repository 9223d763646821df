//! The API's answers: JSON bodies and errors.
//!
//! Only v3 documents an error body, `{"error": name, "error_description": text}` with
//! 400/401/403/404/405/409/415 (reference §7, S2 "Error Handling"); v2's error bodies are
//! undocumented (reference §8), so the simulator answers v3's shape on both and a client
//! must go by the status alone.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// A handler's result: its answer, or an error answer.
/// (Refusals are boxed: a `Response` is large.)
pub(crate) type Answer<T = Response> = Result<T, Box<Response>>;

/// 200 with a JSON body.
pub(crate) fn ok(body: Value) -> Response {
    (StatusCode::OK, Json(body)).into_response()
}

/// 200 with an empty body (v2 `deleteAll`, reference §3, S1).
pub(crate) fn empty() -> Response {
    StatusCode::OK.into_response()
}

pub(crate) fn error(status: StatusCode, name: &str, description: &str) -> Box<Response> {
    Box::new(
        (
            status,
            Json(json!({ "error": name, "error_description": description })),
        )
            .into_response(),
    )
}

pub(crate) fn bad_request(description: &str) -> Box<Response> {
    error(StatusCode::BAD_REQUEST, "bad_request", description)
}

pub(crate) fn unauthorized(description: &str) -> Box<Response> {
    error(StatusCode::UNAUTHORIZED, "unauthorized", description)
}

pub(crate) fn not_found(description: &str) -> Box<Response> {
    error(StatusCode::NOT_FOUND, "not_found", description)
}

pub(crate) fn invalid_url() -> Box<Response> {
    not_found("Invalid URL")
}

pub(crate) fn method_not_allowed() -> Box<Response> {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "Requested method cannot be performed for the specified resource",
    )
}

pub(crate) fn unsupported_media_type(expected: &str) -> Box<Response> {
    error(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        &format!("Content type {expected} is expected"),
    )
}

/// An injected failure: a gateway's or the service's status, with `Retry-After` when set.
pub(crate) fn injected(status: u16, retry_after: Option<u64>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = *error(status, "injected", "injected by the test");
    if let Some(seconds) = retry_after {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from_str(&seconds.to_string()).expect("digits"),
        );
    }
    response
}
