//! Writes: `POST <set>` creates, `PATCH <set>(<id>)` updates or upserts, `DELETE
//! <set>(<id>)` deletes; every written value is checked against its column's metadata
//! (declared, right JSON type, within length, range or options).
//!
//! Sources: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api
//! (204 with `OData-EntityId`; 201 with the record for `Prefer: return=representation`),
//! https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api
//! (PATCH updates, and creates a missing record: upsert; 200 with `return=representation`),
//! https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api
//! (`If-Match: *` prevents the create, `If-None-Match: *` the update, an ETag in
//! `If-Match` must be current), and the column limits of the table reference pages (see
//! `schema`). The validation errors are in `error`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::error::{
    invalid_property, not_an_option, out_of_range, payload, record_exists, record_missing,
    string_too_long, undeclared_property, upsert_create_prevented, version_mismatch, wrong_type,
    Answer,
};
use super::odata::{self, Target};
use super::reads::{etag, record_response};
use super::schema::{ColumnType, Table};
use super::{is_guid, Req};
use crate::State;

/// `POST <set>`: a new row, with the key the body gives or a new one.
pub(crate) fn create(state: &mut State, req: &Req, table: &Table) -> Answer {
    let select = odata::parse(req.query, &table.properties(), Target::Record)?.select;
    let changes = body(req, table)?;
    let id = match changes.get(table.primary_id).and_then(Value::as_str) {
        Some(id) => id.to_owned(),
        None => {
            state.counter += 1;
            format!(
                "{:08x}-5151-4000-8000-{:012x}",
                state.counter, state.counter
            )
        }
    };
    if position(state, table, &id).is_some() {
        return Err(record_exists());
    }
    insert(
        state,
        req,
        table,
        &id,
        changes,
        (StatusCode::CREATED, select.as_deref()),
    )
}

/// `PATCH <set>(<id>)`: updates the row, or creates it (upsert) unless `If-Match` says
/// it must exist; `If-None-Match: *` refuses to update an existing row.
pub(crate) fn upsert(state: &mut State, req: &Req, table: &Table, id: &str) -> Answer {
    let select = odata::parse(req.query, &table.properties(), Target::Record)?.select;
    let mut changes = body(req, table)?;
    // The key is the URL's (UNVERIFIED: what Dataverse does with a different one in the body).
    changes.remove(table.primary_id);
    let representation = (StatusCode::OK, select.as_deref());
    let if_match = header_text(req, header::IF_MATCH);
    let if_none_match = header_text(req, header::IF_NONE_MATCH);
    let Some(index) = position(state, table, id) else {
        if if_match.is_some() {
            return Err(upsert_create_prevented(table.logical, id));
        }
        return insert(state, req, table, id, changes, representation);
    };
    if if_none_match == Some("*") {
        return Err(record_exists());
    }
    let rows = state
        .config
        .records
        .get_mut(table.logical)
        .expect("the row's table");
    if if_match.is_some_and(|tag| tag != "*" && tag != etag(&rows[index])) {
        return Err(version_mismatch());
    }
    let row = rows[index].as_object_mut().expect("rows are objects");
    for (column, value) in changes {
        row.insert(column, value);
    }
    let row = rows[index].clone();
    Ok(written(req, table, &row, representation))
}

/// `DELETE <set>(<id>)`.
pub(crate) fn delete(state: &mut State, table: &Table, id: &str) -> Answer {
    let index = position(state, table, id).ok_or_else(|| record_missing(table.logical, id))?;
    state
        .config
        .records
        .get_mut(table.logical)
        .expect("the row's table")
        .remove(index);
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn insert(
    state: &mut State,
    req: &Req,
    table: &Table,
    id: &str,
    mut changes: Map<String, Value>,
    representation: Representation,
) -> Answer {
    changes.insert(table.primary_id.to_owned(), Value::String(id.to_owned()));
    let row = Value::Object(changes);
    state
        .config
        .records
        .entry(table.logical.to_owned())
        .or_default()
        .push(row.clone());
    Ok(written(req, table, &row, representation))
}

/// The status and `$select` of the row a write answers with `return=representation`.
type Representation<'a> = (StatusCode, Option<&'a [String]>);

/// 204 with `OData-EntityId`, or the row itself for `Prefer: return=representation`.
fn written(req: &Req, table: &Table, row: &Value, (status, select): Representation) -> Response {
    let id = table.id_of(row).unwrap_or_default();
    let wants_row = req
        .headers
        .get_all("Prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|p| p.trim() == "return=representation"));
    let mut response: Response = if wants_row {
        record_response(status, req, table, row, select)
    } else {
        StatusCode::NO_CONTENT.into_response()
    };
    let entity_id = format!("{}/{}({id})", req.base, table.set);
    if let Ok(value) = HeaderValue::from_str(&entity_id) {
        response.headers_mut().insert("OData-EntityId", value);
    }
    response
}

fn position(state: &State, table: &Table, id: &str) -> Option<usize> {
    state
        .config
        .records
        .get(table.logical)?
        .iter()
        .position(|row| table.id_of(row).is_some_and(|v| v.eq_ignore_ascii_case(id)))
}

/// A conditional header, `None` when absent or `null` (the "fresh data" value every
/// request should carry, compose-http-requests-handle-errors#http-headers).
fn header_text<'a>(req: &'a Req, name: header::HeaderName) -> Option<&'a str> {
    req.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| *v != "null")
}

/// The request body: a JSON object whose every property is a valid value of a column.
fn body(req: &Req, table: &Table) -> Answer<Map<String, Value>> {
    let Ok(Value::Object(changes)) = serde_json::from_slice::<Value>(req.body) else {
        return Err(payload(
            table.set,
            "Microsoft.OData.ODataException: The payload is not a JSON object",
        ));
    };
    checked(table, changes)
}

/// The properties of a written row, each a valid value of a column of `table`; instance
/// annotations (`@odata.type`) dropped.
pub(crate) fn checked(table: &Table, row: Map<String, Value>) -> Answer<Map<String, Value>> {
    let mut checked = Map::new();
    for (name, value) in row {
        if name.starts_with('@') {
            continue;
        }
        if let Some((property, _annotation)) = name.split_once('@') {
            return Err(undeclared_property(table.set, property));
        }
        let column = table
            .column(&name)
            .ok_or_else(|| invalid_property(table.set, &name, &table.type_name()))?;
        validate(table, &name, column.kind, &value)?;
        checked.insert(name, value);
    }
    Ok(checked)
}

/// One value against its column's type and limits; null is always accepted.
fn validate(table: &Table, column: &str, kind: ColumnType, value: &Value) -> Answer<()> {
    if value.is_null() {
        return Ok(());
    }
    let wrong = || wrong_type(table.set, value, &kind.edm().name());
    match kind {
        ColumnType::String { max } | ColumnType::Memo { max } => {
            let text = value.as_str().ok_or_else(wrong)?;
            if text.chars().count() > max {
                return Err(string_too_long(column, table.logical, max));
            }
        }
        ColumnType::Integer { min, max } => {
            let n = value.as_i64().ok_or_else(wrong)?;
            if n < min || n > max {
                return Err(out_of_range(n, column, table.logical, min, max));
            }
        }
        ColumnType::Picklist(options) | ColumnType::State(options) => {
            let n = value.as_i64().ok_or_else(wrong)?;
            if !options.contains(&n) {
                return Err(not_an_option(n, column, table.logical));
            }
        }
        ColumnType::Boolean => {
            value.as_bool().ok_or_else(wrong)?;
        }
        ColumnType::Uniqueidentifier => {
            value.as_str().filter(|s| is_guid(s)).ok_or_else(wrong)?;
        }
        ColumnType::DateTime => {
            value
                .as_str()
                .filter(|s| s.len() >= 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-')
                .ok_or_else(wrong)?;
        }
    }
    Ok(())
}
