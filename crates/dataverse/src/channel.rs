//! Pushing the channel provider: pick Unified Interface apps and security roles from the
//! org, then create or update the `msdyn_ciprovider` record matched by name, read it
//! back and report what changed. Never deletes.

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::diagnose::Failure;
use crate::session::Session;

const SET: &str = "msdyn_ciproviders";
const KEY: &str = "msdyn_ciproviderid";

/// An app module or a security role, to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Choice {
    pub id: String,
    pub name: String,
}

/// Every row of `set` (all pages), as choices sorted by name.
fn choices(session: &Session, set: &str, key: &str) -> Result<Vec<Choice>, Failure> {
    let url = session.url(
        set,
        &[("$select", &format!("{key},name")), ("$orderby", "name")],
    )?;
    let mut choices: Vec<Choice> = session
        .get_all(&url)?
        .iter()
        .filter_map(|row| {
            Some(Choice {
                id: row[key].as_str()?.to_owned(),
                name: row["name"].as_str().unwrap_or_default().to_owned(),
            })
        })
        .collect();
    choices.sort_by_key(|c| c.name.to_lowercase());
    Ok(choices)
}

/// The org's model-driven apps (`appmodules`).
pub fn apps(session: &Session) -> Result<Vec<Choice>, Failure> {
    choices(session, "appmodules", "appmoduleid")
}

/// The org's security roles.
pub fn roles(session: &Session) -> Result<Vec<Choice>, Failure> {
    choices(session, "roles", "roleid")
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

/// Creates the record, or updates the one with the same `msdyn_name` (with
/// `If-Match: *`, so one deleted meanwhile is not silently created again); reads it
/// back and reports what changed.
pub fn push(session: &Session, record: &Value) -> Result<PushResult, Failure> {
    let columns: Vec<&str> = record
        .as_object()
        .into_iter()
        .flatten()
        .map(|(column, _)| column.as_str())
        .collect();
    let select = format!("{KEY},{}", columns.join(","));
    let name = record["msdyn_name"]
        .as_str()
        .unwrap_or_default()
        .replace('\'', "''");
    let filter = format!("msdyn_name eq '{name}'");
    let existing = session
        .get_all(&session.url(SET, &[("$select", &select), ("$filter", &filter)])?)?
        .into_iter()
        .next();
    let (created, id) = match &existing {
        Some(row) => {
            let id = row[KEY]
                .as_str()
                .ok_or_else(|| Failure::NotJson("a provider without its id".into()))?
                .to_owned();
            session
                .update(&session.url(&format!("{SET}({id})"), &[])?, record)
                .map_err(|failure| match failure {
                    Failure::Http { status: 404, .. } => Failure::Conflict(format!(
                        "the channel provider {name:?} was deleted in Dynamics while Dynbridge was updating it; push again to create it"
                    )),
                    other => other,
                })?;
            (false, id)
        }
        None => {
            let entity = session.create(&session.url(SET, &[])?, record)?;
            let id = entity
                .as_deref()
                .and_then(|e| e.rsplit_once('('))
                .map(|(_, rest)| rest.trim_end_matches(')').to_owned())
                .ok_or_else(|| Failure::NotJson("no OData-EntityId in the answer".into()))?;
            (true, id)
        }
    };
    let after = session.get(&session.url(&format!("{SET}({id})"), &[("$select", &select)])?)?;
    let changes = columns
        .iter()
        .filter_map(|column| {
            let before = existing.as_ref().map(|row| value_text(&row[*column]));
            let now = value_text(&after[*column]);
            (before.as_deref() != Some(now.as_str())).then(|| Change {
                column: (*column).to_owned(),
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
