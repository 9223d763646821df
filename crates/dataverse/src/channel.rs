//! Pushing the channel provider: pick Unified Interface apps and security roles from the
//! org, then create or update the `msdyn_ciprovider` record matched by name, read it
//! back and report what changed. Never deletes.

use secrecy::SecretString;
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::connection::{get_json, web_api};
use crate::diagnose::Failure;

const SET: &str = "msdyn_ciproviders";

/// An app module or a security role, to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Choice {
    pub id: String,
    pub name: String,
}

fn choices(
    http: &reqwest::blocking::Client,
    api_url: &str,
    access: &SecretString,
    set: &str,
    key: &str,
) -> Result<Vec<Choice>, Failure> {
    let json = get_json(http, &format!("{api_url}/{set}?$select={key},name"), access)?;
    Ok(json["value"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|row| {
            Some(Choice {
                id: row[key].as_str()?.to_owned(),
                name: row["name"].as_str().unwrap_or_default().to_owned(),
            })
        })
        .collect())
}

/// The org's model-driven apps (`appmodules`).
pub fn apps(
    http: &reqwest::blocking::Client,
    api_url: &str,
    access: &SecretString,
) -> Result<Vec<Choice>, Failure> {
    choices(http, api_url, access, "appmodules", "appmoduleid")
}

/// The org's security roles.
pub fn roles(
    http: &reqwest::blocking::Client,
    api_url: &str,
    access: &SecretString,
) -> Result<Vec<Choice>, Failure> {
    choices(http, api_url, access, "roles", "roleid")
}

/// The org's apps and roles, to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OrgChoices {
    pub apps: Vec<Choice>,
    pub roles: Vec<Choice>,
}

/// One column whose value the push changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Change {
    pub column: String,
    pub before: Option<String>,
    pub after: String,
}

/// What the push did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PushResult {
    pub created: bool,
    pub id: String,
    pub changes: Vec<Change>,
}

fn value_text(value: &Value) -> String {
    value
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| value.to_string())
}

/// Creates the record, or updates the one with the same `msdyn_name`; reads it back.
pub fn push(
    http: &reqwest::blocking::Client,
    api_url: &str,
    access: &SecretString,
    record: &Value,
) -> Result<PushResult, Failure> {
    let name = record["msdyn_name"]
        .as_str()
        .unwrap_or_default()
        .replace('\'', "''");
    let mut url =
        url::Url::parse(&format!("{api_url}/{SET}")).map_err(|e| Failure::Io(e.to_string()))?;
    url.query_pairs_mut()
        .append_pair("$filter", &format!("msdyn_name eq '{name}'"));
    let existing = get_json(http, url.as_str(), access)?["value"]
        .as_array()
        .and_then(|rows| rows.first().cloned());
    let (created, id) = match &existing {
        Some(row) => {
            let id = row["msdyn_ciproviderid"]
                .as_str()
                .ok_or_else(|| Failure::NotJson("a provider without its id".into()))?
                .to_owned();
            send(
                http,
                reqwest::Method::PATCH,
                &format!("{api_url}/{SET}({id})"),
                access,
                record,
            )?;
            (false, id)
        }
        None => {
            let entity = send(
                http,
                reqwest::Method::POST,
                &format!("{api_url}/{SET}"),
                access,
                record,
            )?;
            let id = entity
                .as_deref()
                .and_then(|e| e.rsplit_once('('))
                .map(|(_, rest)| rest.trim_end_matches(')').to_owned())
                .ok_or_else(|| Failure::NotJson("no OData-EntityId in the answer".into()))?;
            (true, id)
        }
    };
    let after = get_json(http, &format!("{api_url}/{SET}({id})"), access)?;
    let changes = record
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(column, _)| {
            let before = existing.as_ref().map(|row| value_text(&row[column]));
            let now = value_text(&after[column]);
            (before.as_deref() != Some(now.as_str())).then(|| Change {
                column: column.clone(),
                before,
                after: now,
            })
        })
        .collect();
    Ok(PushResult {
        created,
        id,
        changes,
    })
}

/// POST or PATCH a JSON body; the `OData-EntityId` header of the answer, if any.
fn send(
    http: &reqwest::blocking::Client,
    method: reqwest::Method,
    url: &str,
    access: &SecretString,
    body: &Value,
) -> Result<Option<String>, Failure> {
    let response = web_api(http, method, url, access)
        .json(body)
        .send()
        .map_err(|e| Failure::from_transport(&e))?;
    let status = response.status().as_u16();
    let entity = response
        .headers()
        .get("OData-EntityId")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if !(200..300).contains(&status) {
        let body = response.text().unwrap_or_default();
        return Err(Failure::from_odata_error(status, &body, None));
    }
    Ok(entity)
}
