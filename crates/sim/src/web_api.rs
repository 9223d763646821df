//! The Dataverse Web API as Dynbridge uses it, under `/api/data/v9.x/`: `WhoAmI`, table
//! metadata, queries and single-record reads, creates, upserts and deletes, behind the
//! service protection gate. This module routes a request to its resource; the modules
//! below do the work:
//!
//! - `schema`: the built-in tables and their columns;
//! - `metadata`: `EntityDefinitions(…)` and `/Attributes`;
//! - `odata` and `filter`: query options and the `$filter` language;
//! - `paging`: page sizes, `$skiptoken` cookies and next links;
//! - `reads` and `writes`: rows in and out, with column validation;
//! - `protection`: URL length, faults, throttling, concurrency, denied tables;
//! - `error`: Dataverse's error answers.

mod error;
mod filter;
mod metadata;
mod odata;
mod paging;
pub(crate) mod protection;
mod reads;
pub(crate) mod schema;
mod writes;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{middleware, Json, Router};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::{lock, Config, Shared};
use error::{
    bad_key, method_not_allowed, no_http_resource, not_implemented, resource_not_found, Answer,
};
use schema::{Schema, Table};

pub(crate) fn routes(state: Shared) -> Router<Shared> {
    Router::new()
        .route("/api/data/{version}/{*path}", any(dispatch))
        .layer(middleware::from_fn_with_state(state, protection::gate))
}

/// What a handler needs of the request.
pub(crate) struct Req<'a> {
    /// The absolute API root the client used, e.g. `http://127.0.0.1:1234/api/data/v9.2`.
    pub base: String,
    pub method: &'a Method,
    /// The raw query string, as sent.
    pub query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// The resources of the Web API the simulator serves.
enum Resource<'a> {
    WhoAmI,
    EntityDefinition(&'a str),
    Attributes(&'a str),
    Collection(&'a str),
    Record(&'a str, &'a str),
}

async fn dispatch(
    State(state): State<Shared>,
    Path((version, path)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let req = Req {
        base: format!("http://{host}/api/data/{version}"),
        method: &method,
        query: uri.query().unwrap_or_default(),
        headers: &headers,
        body: &body,
    };
    // Dataverse serves v9.0, v9.1 and v9.2 (compose-http-requests-handle-errors#web-api-url-and-versions).
    if !matches!(version.as_str(), "v9.0" | "v9.1" | "v9.2") {
        return resource_not_found(&version).into_response();
    }
    handle(&state, &req, &path).unwrap_or_else(IntoResponse::into_response)
}

fn handle(state: &Shared, req: &Req, path: &str) -> Answer {
    let mut state = lock(state);
    let state = &mut *state;
    let schema = std::sync::Arc::clone(&state.schema);
    match (resource(path)?, req.method.as_str()) {
        (Resource::WhoAmI, "GET") => Ok(who_am_i(&state.config, &req.base)),
        (Resource::WhoAmI, _) => Err(no_http_resource(&format!("{}/WhoAmI", req.base))),
        (Resource::EntityDefinition(logical), "GET") => {
            metadata::entity_definition(state, req, logical)
        }
        (Resource::Attributes(logical), "GET") => metadata::attributes(state, req, logical),
        (Resource::EntityDefinition(_) | Resource::Attributes(_), _) => {
            Err(not_implemented("changes to table definitions"))
        }
        (Resource::Collection(set), method) => {
            let table = table(&schema, state, set, req.method)?;
            match method {
                "GET" => reads::query(state, req, table),
                "POST" => writes::create(state, req, table),
                other => Err(method_not_allowed(other)),
            }
        }
        (Resource::Record(set, id), method) => {
            let table = table(&schema, state, set, req.method)?;
            match method {
                "GET" => reads::retrieve(state, req, table, id),
                "PATCH" => writes::upsert(state, req, table, id),
                "DELETE" => writes::delete(state, table, id),
                other => Err(method_not_allowed(other)),
            }
        }
    }
}

/// The table behind an entity set, if the user may use it that way.
fn table<'s>(
    schema: &'s Schema,
    state: &crate::State,
    set: &str,
    method: &Method,
) -> Answer<&'s Table> {
    let table = schema.by_set(set).ok_or_else(|| resource_not_found(set))?;
    protection::check_privilege(state, table, method)?;
    Ok(table)
}

/// `WhoAmI`, `EntityDefinitions(LogicalName='x')[/Attributes]`, `<set>` or `<set>(<guid>)`.
fn resource(path: &str) -> Answer<Resource<'_>> {
    if path == "WhoAmI" {
        return Ok(Resource::WhoAmI);
    }
    if let Some(rest) = path.strip_prefix("EntityDefinitions(LogicalName='") {
        let (logical, tail) = rest
            .split_once("')")
            .ok_or_else(|| resource_not_found("EntityDefinitions"))?;
        return match tail {
            "" => Ok(Resource::EntityDefinition(logical)),
            "/Attributes" => Ok(Resource::Attributes(logical)),
            other => Err(resource_not_found(other.trim_start_matches('/'))),
        };
    }
    let segment = path.split('/').next().unwrap_or_default();
    if segment != path {
        return Err(not_implemented("navigation below a record"));
    }
    match segment.split_once('(') {
        None => Ok(Resource::Collection(segment)),
        Some((set, rest)) => {
            let key = rest.strip_suffix(')').ok_or_else(|| bad_key(segment))?;
            if is_guid(key) {
                Ok(Resource::Record(set, key))
            } else {
                Err(bad_key(segment))
            }
        }
    }
}

/// `GET WhoAmI`; the user and organization are rows too (see [`seed_who_am_i`]).
/// Source: domain.md §3; https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/whoami
fn who_am_i(config: &Config, base: &str) -> Response {
    json(
        StatusCode::OK,
        json!({
            "@odata.context": format!("{base}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse"),
            "BusinessUnitId": config.business_unit_id,
            "UserId": config.user_id,
            "OrganizationId": config.organization_id,
        }),
    )
}

/// Adds the `systemuser` row of the signed-in user and the `organization` row WhoAmI
/// names, unless the records have them.
pub(crate) fn seed_who_am_i(config: &mut Config) {
    let user = json!({
        "systemuserid": config.user_id,
        "fullname": config.user_name,
        "domainname": format!("{}@{}", config.user_name.to_lowercase().replace(' ', "."), config.tenant),
    });
    let organization =
        json!({ "organizationid": config.organization_id, "name": config.organization_name });
    for (table, key, row) in [
        ("systemuser", "systemuserid", user),
        ("organization", "organizationid", organization),
    ] {
        let rows = config.records.entry(table.to_owned()).or_default();
        if !rows.iter().any(|r| r[key] == row[key]) {
            rows.push(row);
        }
    }
}

/// A JSON answer with the headers Dataverse sends with one.
pub(crate) fn json(status: StatusCode, body: Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; odata.metadata=minimal"),
    );
    headers.insert("OData-Version", HeaderValue::from_static("4.0"));
    response
}

/// Whether `text` is a GUID in its 8-4-4-4-12 form.
pub(crate) fn is_guid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A GUID derived from `seed`, the same every run (metadata IDs, privilege IDs).
pub(crate) fn stable_guid(seed: &str) -> String {
    let d = Sha256::digest(seed.as_bytes());
    format!(
        "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-4{:01x}{:02x}-8{:01x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
        d[0], d[1], d[2], d[3], d[4], d[5], d[6] & 0xf, d[7], d[8] & 0xf, d[9], d[10], d[11], d[12], d[13], d[14], d[15]
    )
}

/// A number derived from `seed` (row versions for ETags).
pub(crate) fn stable_number(seed: &str) -> u32 {
    let d = Sha256::digest(seed.as_bytes());
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

#[cfg(test)]
mod tests {
    use super::schema::Schema;

    /// The demo tenant is a tenant the simulator itself would have accepted writes for.
    #[test]
    fn the_demo_records_fit_the_schema() {
        let mut config = crate::demo::config();
        super::seed_who_am_i(&mut config);
        let schema = Schema::new(&config.records);
        for (logical, rows) in config.records.iter().filter(|(t, _)| *t != "attribute") {
            let table = schema
                .by_logical(logical)
                .unwrap_or_else(|| panic!("{logical}"));
            for row in rows {
                let row = row.as_object().cloned().unwrap_or_default();
                if let Err(e) = super::writes::checked(table, row) {
                    panic!("{logical}: {}", e.message);
                }
            }
        }
    }
}
