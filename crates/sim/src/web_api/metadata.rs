//! Table definitions: `EntityDefinitions(LogicalName='x')` and its `/Attributes`, with
//! `$select` and `$filter` on the metadata types' own property names. Metadata is never
//! paged and stays readable when a table's data is denied.
//!
//! Sources: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api
//! (EntityDefinitions by `LogicalName`, `/Attributes`, filtering with enum literals such
//! as `AttributeType eq Microsoft.Dynamics.CRM.AttributeTypeCode'Picklist'`) and
//! domain.md §3 ("Metadata is not paged"; names are irregular). `SchemaName` values are
//! the logical names with a capital after the publisher prefix: UNVERIFIED (Dataverse's
//! are camel case per word).

use axum::http::StatusCode;
use serde_json::{json, Map, Value};

use super::error::{table_missing, Answer};
use super::odata::{self, QueryOptions, Target};
use super::schema::{Column, Edm, Properties, Table};
use super::{stable_guid, Req};
use crate::State;

/// `GET EntityDefinitions(LogicalName='x')`.
pub(crate) fn entity_definition(state: &State, req: &Req, logical: &str) -> Answer {
    let table = table(state, logical)?;
    let options = odata::parse(req.query, &entity_properties(), Target::EntityDefinition)?;
    let mut body = project(entity_row(table), &options);
    body["@odata.context"] = json!(format!("{}/$metadata#EntityDefinitions/$entity", req.base));
    Ok(super::json(StatusCode::OK, body))
}

/// `GET EntityDefinitions(LogicalName='x')/Attributes`.
pub(crate) fn attributes(state: &State, req: &Req, logical: &str) -> Answer {
    let table = table(state, logical)?;
    let options = odata::parse(req.query, &attribute_properties(), Target::Attributes)?;
    let value: Vec<Value> = table
        .columns
        .iter()
        .map(|column| attribute_row(table, column))
        .filter(|row| options.filter.as_ref().is_none_or(|f| f.matches(row)))
        .map(|row| project(row, &options))
        .collect();
    Ok(super::json(
        StatusCode::OK,
        json!({
            "@odata.context": format!("{}/$metadata#EntityDefinitions('{logical}')/Attributes", req.base),
            "value": value,
        }),
    ))
}

fn table<'a>(state: &'a State, logical: &str) -> Answer<&'a Table> {
    state
        .schema
        .by_logical(logical)
        .ok_or_else(|| table_missing(logical))
}

/// The selected properties of a metadata row; `MetadataId` and `@odata.type` always.
fn project(row: Value, options: &QueryOptions) -> Value {
    let Some(select) = &options.select else {
        return row;
    };
    let mut out = Map::new();
    for key in ["@odata.type", "MetadataId"]
        .into_iter()
        .chain(select.iter().map(String::as_str))
    {
        if let Some(value) = row.get(key) {
            out.insert(key.to_owned(), value.clone());
        }
    }
    Value::Object(out)
}

fn entity_properties() -> Properties {
    properties(
        "EntityMetadata",
        &[
            ("MetadataId", Edm::Guid),
            ("LogicalName", Edm::String),
            ("SchemaName", Edm::String),
            ("EntitySetName", Edm::String),
            ("LogicalCollectionName", Edm::String),
            ("PrimaryIdAttribute", Edm::String),
            ("PrimaryNameAttribute", Edm::String),
            ("ObjectTypeCode", Edm::Int32),
            ("IsActivity", Edm::Boolean),
        ],
    )
}

fn attribute_properties() -> Properties {
    properties(
        "AttributeMetadata",
        &[
            ("MetadataId", Edm::Guid),
            ("LogicalName", Edm::String),
            ("SchemaName", Edm::String),
            ("EntityLogicalName", Edm::String),
            ("AttributeType", Edm::Enum("AttributeTypeCode")),
            ("IsPrimaryId", Edm::Boolean),
            ("IsPrimaryName", Edm::Boolean),
            ("IsCustomAttribute", Edm::Boolean),
        ],
    )
}

fn properties(type_name: &str, list: &[(&str, Edm)]) -> Properties {
    Properties {
        type_name: format!("Microsoft.Dynamics.CRM.{type_name}"),
        list: list.iter().map(|(n, t)| ((*n).to_owned(), *t)).collect(),
    }
}

fn entity_row(table: &Table) -> Value {
    json!({
        "@odata.type": "#Microsoft.Dynamics.CRM.EntityMetadata",
        "MetadataId": stable_guid(table.logical),
        "LogicalName": table.logical,
        "SchemaName": table.schema_name,
        "EntitySetName": table.set,
        "LogicalCollectionName": table.set,
        "PrimaryIdAttribute": table.primary_id,
        "PrimaryNameAttribute": table.primary_name,
        "ObjectTypeCode": table.object_type_code,
        "IsActivity": table.is_activity,
    })
}

fn attribute_row(table: &Table, column: &Column) -> Value {
    json!({
        "@odata.type": column.kind.metadata_type(),
        "MetadataId": stable_guid(&format!("{}.{}", table.logical, column.name)),
        "LogicalName": column.name,
        "SchemaName": schema_name(&column.name),
        "EntityLogicalName": table.logical,
        "AttributeType": column.kind.attribute_type(),
        "IsPrimaryId": column.name == table.primary_id,
        "IsPrimaryName": column.name == table.primary_name,
        "IsCustomAttribute": column.custom,
    })
}

/// `msdyn_label` → `msdyn_Label`, `fullname` → `Fullname` (see the module note).
fn schema_name(logical: &str) -> String {
    let (prefix, rest) = match logical.split_once('_') {
        Some((prefix, rest)) => (format!("{prefix}_"), rest),
        None => (String::new(), logical),
    };
    let mut chars = rest.chars();
    let first = chars.next().map(|c| c.to_ascii_uppercase());
    format!(
        "{prefix}{}{}",
        first.map(String::from).unwrap_or_default(),
        chars.as_str()
    )
}
