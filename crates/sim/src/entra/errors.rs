//! The token endpoint's errors: Entra's (`error`, an `error_description` starting
//! `AADSTS<code>:`, `error_codes`, trace fields) and plain RFC 6749 §5.2 ones (`error`
//! and `error_description` only), as OAuth servers other than Entra send them.
//!
//! Sources: https://learn.microsoft.com/entra/identity-platform/reference-error-codes
//! (the AADSTS codes and their meanings, abridged), …/v2-oauth2-auth-code-flow#error-response
//! (the Entra error body), RFC 6749 §5.2 (the plain error codes; 401 for
//! `invalid_client`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// An error answer of the token endpoint.
#[derive(Debug)]
pub(super) struct TokenError {
    status: StatusCode,
    body: Value,
}

impl IntoResponse for TokenError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// What each simulated AADSTS code says, in Entra's words (abridged).
pub(super) fn aadsts_text(code: u32) -> (&'static str, &'static str, StatusCode) {
    match code {
        50011 => ("invalid_request", "The redirect URI specified in the request does not match the redirect URIs configured for the application.", StatusCode::BAD_REQUEST),
        7000215 => ("invalid_client", "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.", StatusCode::UNAUTHORIZED),
        7000222 => ("invalid_client", "The provided client secret keys for app are expired.", StatusCode::UNAUTHORIZED),
        65001 => ("invalid_grant", "The user or administrator has not consented to use the application.", StatusCode::BAD_REQUEST),
        700016 => ("unauthorized_client", "Application was not found in the directory.", StatusCode::BAD_REQUEST),
        70008 => ("invalid_grant", "The provided authorization code or refresh token has expired due to inactivity.", StatusCode::BAD_REQUEST),
        50020 => ("invalid_grant", "User account from identity provider does not exist in tenant.", StatusCode::BAD_REQUEST),
        50034 => ("invalid_grant", "The user account does not exist in the directory.", StatusCode::BAD_REQUEST),
        90002 => ("invalid_request", "Tenant not found.", StatusCode::BAD_REQUEST),
        90013 => ("invalid_request", "Invalid input received from the user.", StatusCode::BAD_REQUEST),
        700082 => ("invalid_grant", "The refresh token has expired due to inactivity. The token was issued and was inactive for 90.00:00:00.", StatusCode::BAD_REQUEST),
        70043 => ("invalid_grant", "The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.", StatusCode::BAD_REQUEST),
        53003 => ("invalid_grant", "Access has been blocked by Conditional Access policies.", StatusCode::BAD_REQUEST),
        50097 => ("invalid_grant", "Device authentication is required.", StatusCode::BAD_REQUEST),
        _ => ("invalid_request", "Simulated error.", StatusCode::BAD_REQUEST),
    }
}

/// Entra's error for a code of the table above.
pub(super) fn aadsts(code: u32) -> TokenError {
    let (error, description, status) = aadsts_text(code);
    entra_error(code, error, description, status)
}

/// Entra's error body for any AADSTS code.
pub(super) fn entra_error(
    code: u32,
    error: &str,
    description: &str,
    status: StatusCode,
) -> TokenError {
    let trace = "00000000-0000-0000-0000-000000000000";
    let timestamp = "2026-11-23 00:00:00Z";
    let body = json!({
        "error": error,
        "error_description": format!("AADSTS{code}: {description}\r\nTrace ID: {trace}\r\nCorrelation ID: {trace}\r\nTimestamp: {timestamp}"),
        "error_codes": [code],
        "timestamp": timestamp,
        "trace_id": trace,
        "correlation_id": trace,
    });
    TokenError { status, body }
}

/// A plain RFC 6749 §5.2 error with the RFC's own description of `error`.
pub(super) fn oauth(error: &str) -> TokenError {
    let description = match error {
        "invalid_request" => "The request is missing a required parameter, includes an unsupported parameter value (other than grant type), repeats a parameter, includes multiple credentials, utilizes more than one mechanism for authenticating the client, or is otherwise malformed.",
        "invalid_client" => "Client authentication failed.",
        "invalid_grant" => "The provided authorization grant or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
        "unauthorized_client" => "The authenticated client is not authorized to use this authorization grant type.",
        "unsupported_grant_type" => "The authorization grant type is not supported by the authorization server.",
        "invalid_scope" => "The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.",
        _ => "The request failed.",
    };
    plain(error, description)
}

/// A plain RFC 6749 §5.2 error: 401 for `invalid_client`, 400 otherwise.
pub(super) fn plain(error: &str, description: &str) -> TokenError {
    let status = if error == "invalid_client" {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::BAD_REQUEST
    };
    TokenError {
        status,
        body: json!({ "error": error, "error_description": description }),
    }
}
