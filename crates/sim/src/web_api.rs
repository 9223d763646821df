//! The Dataverse Web API subset Dynbridge uses: `GET /api/data/v9.x/WhoAmI` and
//! `GET /api/data/v9.x/<entity set>(<id>)`, with OData errors as Dataverse sends them.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::{Fault, Shared};

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/data/{version}/WhoAmI", get(who_am_i))
        .route("/api/data/{version}/{segment}", get(record))
}

fn odata_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({ "error": { "code": code, "message": message } })),
    )
        .into_response()
}

/// Counts the request, applies a fault, checks the bearer token.
async fn gate(state: &Shared, headers: &HeaderMap) -> Option<Response> {
    let (fault, authorised) = {
        let mut state = state.lock().expect("sim state");
        state.requests += 1;
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        (state.fault, state.access_tokens.iter().any(|t| t == token))
    };
    match fault {
        Some(Fault::SlowMs(ms)) => tokio::time::sleep(std::time::Duration::from_millis(ms)).await,
        Some(Fault::BadJson) => return Some((StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], "<html>not json</html>").into_response()),
        Some(Fault::Http(429)) => return Some((StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "1")], Json(json!({"error": {"code": "0x80072322", "message": "Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}))).into_response()),
        Some(Fault::Http(status)) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return Some(odata_error(status, "0x80040220", "Simulated failure."));
        }
        _ => {}
    }
    if !authorised {
        return Some(
            (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer error=invalid_token")],
                "",
            )
                .into_response(),
        );
    }
    None
}

async fn who_am_i(State(state): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(response) = gate(&state, &headers).await {
        return response;
    }
    let config = state.lock().expect("sim state").config.clone();
    Json(json!({
        "@odata.context": "https://sim/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse",
        "BusinessUnitId": config.business_unit_id,
        "UserId": config.user_id,
        "OrganizationId": config.organization_id,
    }))
    .into_response()
}

/// `contacts(<guid>)` → ("contact", "<guid>"): the few entity sets Dynbridge reads.
fn entity(segment: &str) -> Option<(&'static str, &str)> {
    let (set, rest) = segment.split_once('(')?;
    let id = rest.strip_suffix(')')?;
    let logical = match set {
        "contacts" => "contact",
        "accounts" => "account",
        "incidents" => "incident",
        "leads" => "lead",
        "opportunities" => "opportunity",
        "invoices" => "invoice",
        "salesorders" => "salesorder",
        "quotes" => "quote",
        "contracts" => "contract",
        _ => return None,
    };
    Some((logical, id))
}

async fn record(
    State(state): State<Shared>,
    Path((_version, segment)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(response) = gate(&state, &headers).await {
        return response;
    }
    let Some((logical, id)) = entity(&segment) else {
        let set = segment.split('(').next().unwrap_or_default();
        return odata_error(
            StatusCode::NOT_FOUND,
            "0x8006088a",
            &format!("Resource not found for the segment '{set}'."),
        );
    };
    let state = state.lock().expect("sim state");
    let key = format!("{logical}id");
    let found = state.config.records.get(logical).and_then(|rows| {
        rows.iter()
            .find(|r| r[&key].as_str().is_some_and(|v| v.eq_ignore_ascii_case(id)))
    });
    match found {
        Some(row) => Json(row.clone()).into_response(),
        None => odata_error(
            StatusCode::NOT_FOUND,
            "0x80040217",
            &format!("Entity '{logical}' With Id = {id} Does Not Exist"),
        ),
    }
}
