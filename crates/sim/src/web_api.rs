//! The Dataverse Web API subset Dynbridge uses: `GET /api/data/v9.x/WhoAmI` and
//! `GET /api/data/v9.x/<entity set>(<id>)`, with OData errors as Dataverse sends them.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::{Fault, Shared};

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/data/{version}/WhoAmI", get(who_am_i))
        .route(
            "/api/data/{version}/{segment}",
            get(record).post(create).patch(update),
        )
        .route("/api/data/{version}/{segment}/Attributes", get(attributes))
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
    Some((logical_name(set)?, id))
}

/// (logical name, entity set, primary name attribute) of the tables the simulator serves.
const TABLES: &[(&str, &str, &str)] = &[
    ("contact", "contacts", "fullname"),
    ("account", "accounts", "name"),
    ("incident", "incidents", "title"),
    ("lead", "leads", "fullname"),
    ("opportunity", "opportunities", "name"),
    ("invoice", "invoices", "name"),
    ("salesorder", "salesorders", "name"),
    ("quote", "quotes", "name"),
    ("contract", "contracts", "title"),
    ("msdyn_ciprovider", "msdyn_ciproviders", "msdyn_name"),
    ("appmodule", "appmodules", "name"),
    ("role", "roles", "name"),
    ("solution", "solutions", "uniquename"),
];

/// The `$filter`s Dynbridge sends: `Microsoft.Dynamics.CRM.In(…)` over a key, or
/// `<attribute> eq '<value>'`; none selects every row.
enum Filter {
    All,
    In {
        attribute: String,
        values: std::collections::HashSet<String>,
    },
    Eq {
        attribute: String,
        value: String,
    },
}

impl Filter {
    fn parse(text: &str) -> Self {
        if let Some(rest) = text.strip_prefix("Microsoft.Dynamics.CRM.In(PropertyName='") {
            let attribute = rest.split('\'').next().unwrap_or_default().to_owned();
            let values = rest
                .split('\'')
                .skip(2)
                .step_by(2)
                .map(str::to_ascii_lowercase)
                .collect();
            return Filter::In { attribute, values };
        }
        match text.split_once(" eq '") {
            Some((attribute, value)) => Filter::Eq {
                attribute: attribute.trim().to_owned(),
                value: value.trim_end_matches('\'').replace("''", "'"),
            },
            None => Filter::All,
        }
    }

    fn matches(&self, row: &serde_json::Value) -> bool {
        let text = |attribute: &str| {
            row[attribute]
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| row[attribute].to_string())
        };
        match self {
            Filter::All => true,
            Filter::In { attribute, values } => {
                values.contains(&text(attribute).to_ascii_lowercase())
            }
            Filter::Eq { attribute, value } => text(attribute) == *value,
        }
    }
}

fn logical_name(set: &str) -> Option<&'static str> {
    TABLES
        .iter()
        .find(|(_, s, _)| *s == set)
        .map(|(l, _, _)| *l)
}

/// `EntityDefinitions(LogicalName='contact')`: the names Dynbridge resolves, never guesses.
fn entity_definition(segment: &str) -> Option<Response> {
    let logical = segment
        .strip_prefix("EntityDefinitions(LogicalName='")?
        .strip_suffix("')")?;
    let Some((logical, set, name)) = TABLES.iter().find(|(l, _, _)| *l == logical) else {
        return Some(odata_error(
            StatusCode::NOT_FOUND,
            "0x80040217",
            &format!("Could not find an entity with LogicalName '{logical}'."),
        ));
    };
    Some(Json(json!({ "EntitySetName": set, "LogicalName": logical, "PrimaryIdAttribute": format!("{logical}id"), "PrimaryNameAttribute": name })).into_response())
}

/// `<set>?$filter=Microsoft.Dynamics.CRM.In(PropertyName='<pk>',PropertyValues=['…',…])`,
/// paged by `Prefer: odata.maxpagesize` with `@odata.nextLink`.
fn collection(
    state: &crate::State,
    set: &str,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
    base: &str,
) -> Response {
    let Some(logical) = logical_name(set) else {
        return odata_error(
            StatusCode::NOT_FOUND,
            "0x8006088a",
            &format!("Resource not found for the segment '{set}'."),
        );
    };
    let filter = query.get("$filter").cloned().unwrap_or_default();
    let parsed = Filter::parse(&filter);
    let rows: Vec<&serde_json::Value> = state
        .config
        .records
        .get(logical)
        .map(|rows| rows.iter().filter(|r| parsed.matches(r)).collect())
        .unwrap_or_default();
    let page_size = headers
        .get("Prefer")
        .and_then(|p| p.to_str().ok())
        .and_then(|p| p.split("odata.maxpagesize=").nth(1))
        .and_then(|n| n.trim().parse::<usize>().ok())
        .unwrap_or(5000)
        .min(state.config.max_page_size);
    let skip = query
        .get("$skiptoken")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(0);
    let page: Vec<&serde_json::Value> = rows.iter().skip(skip).take(page_size).copied().collect();
    let mut body = json!({ "@odata.context": format!("{base}/$metadata#{set}"), "value": page });
    if skip + page_size < rows.len() {
        let mut next = url::Url::parse(&format!("{base}/{set}")).expect("a URL");
        next.query_pairs_mut()
            .append_pair("$filter", &filter)
            .append_pair("$skiptoken", &(skip + page_size).to_string());
        body["@odata.nextLink"] = json!(next.as_str());
    }
    Json(body).into_response()
}

async fn record(
    State(state): State<Shared>,
    Path((version, segment)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Some(response) = gate(&state, &headers).await {
        return response;
    }
    if let Some(response) = entity_definition(&segment) {
        return response;
    }
    if !segment.contains('(') {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("127.0.0.1");
        let base = format!("http://{host}/api/data/{version}");
        return collection(
            &state.lock().expect("sim state"),
            &segment,
            &query,
            &headers,
            &base,
        );
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

/// `POST <set>`: creates a row with a new key; answers 204 with `OData-EntityId`.
async fn create(
    State(state): State<Shared>,
    Path((version, set)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(response) = gate(&state, &headers).await {
        return response;
    }
    let Some(logical) = logical_name(&set) else {
        return odata_error(
            StatusCode::NOT_FOUND,
            "0x8006088a",
            &format!("Resource not found for the segment '{set}'."),
        );
    };
    let Ok(mut row) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return odata_error(
            StatusCode::BAD_REQUEST,
            "0x80048d19",
            "Error identified in Payload provided by the user for Entity.",
        );
    };
    let mut state = state.lock().expect("sim state");
    state.counter += 1;
    let id = format!(
        "{:08x}-5151-4000-8000-{:012x}",
        state.counter, state.counter
    );
    row[format!("{logical}id")] = json!(id);
    state
        .config
        .records
        .entry(logical.to_owned())
        .or_default()
        .push(row);
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    (
        StatusCode::NO_CONTENT,
        [(
            "OData-EntityId",
            format!("http://{host}/api/data/{version}/{set}({id})"),
        )],
    )
        .into_response()
}

/// `PATCH <set>(<id>)`: updates the given columns of an existing row.
async fn update(
    State(state): State<Shared>,
    Path((_version, segment)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(response) = gate(&state, &headers).await {
        return response;
    }
    let Some((logical, id)) = entity(&segment) else {
        return odata_error(StatusCode::NOT_FOUND, "0x8006088a", "Resource not found.");
    };
    let Ok(serde_json::Value::Object(changes)) = serde_json::from_slice::<serde_json::Value>(&body)
    else {
        return odata_error(
            StatusCode::BAD_REQUEST,
            "0x80048d19",
            "Error identified in Payload provided by the user for Entity.",
        );
    };
    let mut state = state.lock().expect("sim state");
    let key = format!("{logical}id");
    let Some(row) = state.config.records.get_mut(logical).and_then(|rows| {
        rows.iter_mut()
            .find(|r| r[&key].as_str().is_some_and(|v| v.eq_ignore_ascii_case(id)))
    }) else {
        return odata_error(
            StatusCode::NOT_FOUND,
            "0x80040217",
            &format!("Entity '{logical}' With Id = {id} Does Not Exist"),
        );
    };
    for (column, value) in changes {
        row[column] = value;
    }
    StatusCode::NO_CONTENT.into_response()
}

/// `EntityDefinitions(LogicalName='x')/Attributes`: the columns of a table, from the
/// `attribute` records whose `entity` is `x` (configurable with `--data`).
async fn attributes(
    State(state): State<Shared>,
    Path((_version, segment)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(response) = gate(&state, &headers).await {
        return response;
    }
    let Some(logical) = segment
        .strip_prefix("EntityDefinitions(LogicalName='")
        .and_then(|s| s.strip_suffix("')"))
    else {
        return odata_error(StatusCode::NOT_FOUND, "0x8006088a", "Resource not found.");
    };
    let state = state.lock().expect("sim state");
    let value: Vec<serde_json::Value> = state
        .config
        .records
        .get("attribute")
        .into_iter()
        .flatten()
        .filter(|a| a["entity"] == logical)
        .map(|a| json!({ "LogicalName": a["logicalname"] }))
        .collect();
    Json(json!({ "value": value })).into_response()
}
