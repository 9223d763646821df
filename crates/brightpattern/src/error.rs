//! What can go wrong, in words an admin can act on. No variant carries the API secret
//! or a token.

use crate::push::PushReport;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the connection cannot be used: {0}")]
    Connection(String),
    #[error("Bright Pattern refused the login ID or API secret: check the Login ID on the Users page, generate a new API secret there, and check the user is enabled and not locked out")]
    Unauthorized,
    #[error("the API user lacks the privilege {privilege:?} (Roles > Service and Campaign Administration in Bright Pattern's Contact Center Administrator)")]
    Forbidden { privilege: &'static str },
    #[error("no Bright Pattern API answered at this address (404): check the connection's address is the tenant's, e.g. https://example.brightpattern.com")]
    NoApi,
    #[error("{what} was not found: check the name in Bright Pattern, and the connection's address (a wrong tenant address also answers 404)")]
    NotFound { what: String },
    #[error("Bright Pattern refused the request as malformed (400): {0}")]
    BadRequest(String),
    #[error("Bright Pattern answered {status}: {detail}")]
    Status { status: u16, detail: String },
    #[error("Bright Pattern stayed unavailable or kept asking to wait ({last}); gave up after {waited_secs} s")]
    GaveUp { last: String, waited_secs: u64 },
    #[error("cannot reach Bright Pattern: {0}")]
    Transport(String),
    #[error("Bright Pattern's answer was not understood: {0}")]
    BadAnswer(String),
    #[error("cancelled")]
    Cancelled,
    #[error("stopped after {} of {total} rows ({} batches sent): {cause}", report.rows_sent, report.batches)]
    Stopped {
        report: Box<PushReport>,
        total: usize,
        cause: Box<Error>,
    },
}

impl Error {
    /// The error for a refusal `status` with `body`, for a request about `what` that
    /// needs `privilege` (400, 401, 403 and 404 as S1/S2 define them).
    pub(crate) fn from_status(
        status: u16,
        body: &str,
        what: &str,
        privilege: &'static str,
    ) -> Self {
        match status {
            400 => Self::BadRequest(description(body)),
            401 => Self::Unauthorized,
            403 => Self::Forbidden { privilege },
            404 => Self::NotFound {
                what: what.to_owned(),
            },
            _ => Self::Status {
                status,
                detail: description(body),
            },
        }
    }
}

/// v3's `error_description` (S2 "Error Handling"), else the start of the body.
fn description(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["error_description"].as_str().map(str::to_owned))
        .unwrap_or_else(|| body.chars().take(200).collect())
}
