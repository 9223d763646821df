//! Reading rows: collection queries (filter, order, count, page) and single-record
//! retrieves, answered with only the selected columns, the primary key and
//! `@odata.etag`, under the `@odata.context` Dataverse gives.
//!
//! Sources: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/select-columns
//! ("If you don't include a $select query option, all properties are returned"; "The
//! primary key property is always returned"), …/webapi/query/order-rows, …/webapi/query/count-rows
//! (`@odata.count`, at most 5,000), …/webapi/retrieve-entity-using-web-api and
//! …/webapi/perform-conditional-operations-using-web-api#conditional-retrievals
//! (`If-None-Match` with the record's ETag answers 304; `If-None-Match: null`, which
//! compose-http-requests-handle-errors recommends on every request, asks for fresh data).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::error::{record_missing, Answer};
use super::filter::compare_values;
use super::odata::{self, Target};
use super::paging::{self, SERVER_MAX};
use super::schema::Table;
use super::Req;
use crate::State;

/// `GET <set>`: the matching rows, a page at a time.
pub(crate) fn query(state: &State, req: &Req, table: &Table) -> Answer {
    let options = odata::parse(req.query, &table.properties(), Target::Collection)?;
    let mut rows: Vec<&Value> = state
        .config
        .records
        .get(table.logical)
        .into_iter()
        .flatten()
        .filter(|row| options.filter.as_ref().is_none_or(|f| f.matches(row)))
        .collect();
    for (column, descending) in options.orderby.iter().rev() {
        rows.sort_by(|a, b| {
            let order = compare_values(&a[column], &b[column]);
            if *descending {
                order.reverse()
            } else {
                order
            }
        });
    }
    let plan = paging::plan(req.headers, state.config.max_page_size, options.top);
    let start = paging::start(
        &rows,
        table.primary_id,
        options.skiptoken.as_deref(),
        plan.size,
    )?;
    let end = rows.len().min(start + plan.size);
    let page = rows.get(start..end).unwrap_or_default();
    let select = options.select.as_deref();
    let mut body = json!({
        "@odata.context": context(&req.base, table.set, select, false),
        "value": page.iter().map(|row| render(table, row, select)).collect::<Vec<_>>(),
    });
    if options.count {
        body["@odata.count"] = json!(rows.len().min(SERVER_MAX));
    }
    if plan.paged && end < rows.len() {
        let (first, last) = (page[0], page[page.len() - 1]);
        let token = paging::skiptoken(
            start / plan.size.max(1) + 2,
            table.primary_id,
            table.id_of(first).unwrap_or_default(),
            table.id_of(last).unwrap_or_default(),
        );
        body["@odata.nextLink"] = json!(paging::next_link(&req.base, table.set, req.query, &token));
    }
    let mut response = super::json(StatusCode::OK, body);
    if let Some(size) = plan.applied {
        response.headers_mut().insert(
            "Preference-Applied",
            HeaderValue::from_str(&format!("odata.maxpagesize={size}")).expect("a header value"),
        );
    }
    Ok(response)
}

/// `GET <set>(<id>)`: one row, or 304 when `If-None-Match` names its current ETag.
pub(crate) fn retrieve(state: &State, req: &Req, table: &Table, id: &str) -> Answer {
    let options = odata::parse(req.query, &table.properties(), Target::Record)?;
    let row = find(state, table, id).ok_or_else(|| record_missing(table.logical, id))?;
    let tag = etag(row);
    let unchanged = req
        .headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == tag);
    if unchanged {
        return Ok(StatusCode::NOT_MODIFIED.into_response());
    }
    Ok(record_response(
        StatusCode::OK,
        req,
        table,
        row,
        options.select.as_deref(),
    ))
}

/// A single row answer (`retrieve`, and writes with `Prefer: return=representation`).
pub(crate) fn record_response(
    status: StatusCode,
    req: &Req,
    table: &Table,
    row: &Value,
    select: Option<&[String]>,
) -> Response {
    let mut body = render(table, row, select);
    body["@odata.context"] = json!(context(&req.base, table.set, select, true));
    let mut response = super::json(status, body);
    if let Ok(tag) = HeaderValue::from_str(&etag(row)) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// The row of `table` with primary key `id` (GUIDs compare case-insensitively).
pub(crate) fn find<'a>(state: &'a State, table: &Table, id: &str) -> Option<&'a Value> {
    state
        .config
        .records
        .get(table.logical)?
        .iter()
        .find(|row| table.id_of(row).is_some_and(|v| v.eq_ignore_ascii_case(id)))
}

/// A row as Dataverse returns it: the ETag, the selected columns (all without
/// `$select`; null where the row has no value) and the primary key. Values the table has
/// no column for are never returned.
pub(crate) fn render(table: &Table, row: &Value, select: Option<&[String]>) -> Value {
    let mut out = Map::new();
    out.insert("@odata.etag".into(), json!(etag(row)));
    let mut put = |column: &str| {
        out.insert(
            column.to_owned(),
            row.get(column).cloned().unwrap_or(Value::Null),
        );
    };
    match select {
        Some(columns) => columns.iter().for_each(|c| put(c)),
        None => table.columns.iter().for_each(|c| put(&c.name)),
    }
    put(table.primary_id);
    Value::Object(out)
}

/// `@odata.context`: `<base>/$metadata#<set>(<columns>)`, `/$entity` for one record.
fn context(base: &str, set: &str, select: Option<&[String]>, entity: bool) -> String {
    let columns = select
        .map(|c| format!("({})", c.join(",")))
        .unwrap_or_default();
    let entity = if entity { "/$entity" } else { "" };
    format!("{base}/$metadata#{set}{columns}{entity}")
}

/// A weak ETag that changes whenever the row does (Dataverse's is the row version).
pub(crate) fn etag(row: &Value) -> String {
    format!("W/\"{}\"", super::stable_number(&row.to_string()))
}
