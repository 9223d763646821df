//! Verifying screen pop IDs at scale: every ID of a list looked up in Dataverse, in
//! batches (`Microsoft.Dynamics.CRM.In` over the table's primary key, at most
//! [`BATCH`] IDs a request, at most four requests in flight, `@odata.nextLink`
//! followed), with the table's names resolved from metadata, never guessed.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::Mutex;

use dynbridge_core::guid::Guid;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::connection::get_json;
use crate::diagnose::Failure;

/// IDs per request: 625 GUIDs keep the URL near 25 KB (Dataverse accepts 32 KB) and
/// 10,000 IDs within 16 requests.
pub const BATCH: usize = 625;
const IN_FLIGHT: usize = 4;

/// A table's names, from `EntityDefinitions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityDefinition {
    pub logical_name: String,
    pub entity_set: String,
    pub primary_id: String,
    pub primary_name: String,
}

/// What Dataverse says about one ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Verdict {
    Found {
        name: String,
        inactive: bool,
        do_not_phone: bool,
    },
    Missing,
}

/// Looks up a table's entity set and key names.
pub fn entity_definition(
    http: &reqwest::blocking::Client,
    api_url: &str,
    access: &SecretString,
    logical: &str,
) -> Result<EntityDefinition, Failure> {
    let url = format!("{api_url}/EntityDefinitions(LogicalName='{logical}')?$select=EntitySetName,LogicalName,PrimaryIdAttribute,PrimaryNameAttribute");
    let json = get_json(http, &url, access)?;
    let text = |key: &str| {
        json[key]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| Failure::NotJson(format!("metadata without {key}")))
    };
    Ok(EntityDefinition {
        logical_name: text("LogicalName")?,
        entity_set: text("EntitySetName")?,
        primary_id: text("PrimaryIdAttribute")?,
        primary_name: text("PrimaryNameAttribute")?,
    })
}

/// Looks every ID up; `progress` hears how many were checked and may cancel.
pub fn verify(
    http: &reqwest::blocking::Client,
    api_url: &str,
    access: &SecretString,
    table: &EntityDefinition,
    ids: &[Guid],
    progress: &(dyn Fn(usize) -> ControlFlow<()> + Sync),
) -> Result<HashMap<Guid, Verdict>, Failure> {
    let batches: Vec<&[Guid]> = ids.chunks(BATCH).collect();
    let results = Mutex::new(HashMap::with_capacity(ids.len()));
    let next = Mutex::new(0usize);
    let failure = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..IN_FLIGHT.min(batches.len()) {
            scope.spawn(|| loop {
                let index = {
                    let mut next = next.lock().expect("batch counter");
                    if *next >= batches.len() || failure.lock().expect("failure").is_some() {
                        return;
                    }
                    *next += 1;
                    *next - 1
                };
                match lookup(http, api_url, access, table, batches[index]) {
                    Ok(found) => {
                        let done = {
                            let mut results = results.lock().expect("results");
                            results.extend(found);
                            results.len()
                        };
                        if progress(done).is_break() {
                            *failure.lock().expect("failure") = Some(Failure::Cancelled);
                        }
                    }
                    Err(error) => *failure.lock().expect("failure") = Some(error),
                }
            });
        }
    });
    if let Some(error) = failure.into_inner().expect("failure") {
        return Err(error);
    }
    Ok(results.into_inner().expect("results"))
}

fn lookup(
    http: &reqwest::blocking::Client,
    api_url: &str,
    access: &SecretString,
    table: &EntityDefinition,
    ids: &[Guid],
) -> Result<HashMap<Guid, Verdict>, Failure> {
    let values: Vec<String> = ids.iter().map(|id| format!("'{id}'")).collect();
    let mut url = url::Url::parse(&format!("{api_url}/{}", table.entity_set))
        .map_err(|e| Failure::Io(e.to_string()))?;
    url.query_pairs_mut()
        .append_pair(
            "$select",
            &format!("{},{},statecode", table.primary_id, table.primary_name),
        )
        .append_pair(
            "$filter",
            &format!(
                "Microsoft.Dynamics.CRM.In(PropertyName='{}',PropertyValues=[{}])",
                table.primary_id,
                values.join(",")
            ),
        );
    let mut verdicts: HashMap<Guid, Verdict> =
        ids.iter().map(|id| (*id, Verdict::Missing)).collect();
    let mut next = Some(url.to_string());
    while let Some(page_url) = next.take() {
        let page = get_json(http, &page_url, access)?;
        for row in page["value"].as_array().into_iter().flatten() {
            let Some(id) = row[&table.primary_id]
                .as_str()
                .and_then(|id| id.parse::<Guid>().ok())
            else {
                continue;
            };
            verdicts.insert(
                id,
                Verdict::Found {
                    name: row[&table.primary_name]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    inactive: row["statecode"].as_i64().is_some_and(|s| s != 0),
                    do_not_phone: row["donotphone"].as_bool().unwrap_or(false),
                },
            );
        }
        next = page["@odata.nextLink"].as_str().map(str::to_owned);
    }
    Ok(verdicts)
}

/// The outcome for one list row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    Found,
    Missing,
    OtherType,
    Inactive,
    DoNotPhone,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RowVerdict {
    /// The spreadsheet row (the header is row 1).
    pub row: usize,
    pub id: String,
    pub status: RowStatus,
    /// The record's primary name, when found.
    pub name: Option<String>,
    /// For `other_type`: the Bright Pattern object type the ID belongs to.
    pub other_type: Option<String>,
}

/// Every row's verdict and the counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VerifyReport {
    pub object: String,
    pub rows: Vec<RowVerdict>,
    pub found: usize,
    pub missing: usize,
    pub other_type: usize,
    pub inactive: usize,
    pub do_not_phone: usize,
}

/// Verifies the IDs of list rows as records of `object` (a Bright Pattern object type);
/// IDs not found there are looked for among the other object types.
pub fn verify_rows(
    http: &reqwest::blocking::Client,
    api_url: &str,
    access: &SecretString,
    object: &dynbridge_core::screenpop::ObjectType,
    rows: &[(usize, Guid)],
    progress: &(dyn Fn(usize) -> ControlFlow<()> + Sync),
) -> Result<VerifyReport, Failure> {
    let ids: Vec<Guid> = rows.iter().map(|(_, id)| *id).collect();
    let table = entity_definition(http, api_url, access, object.logical_name)?;
    let verdicts = verify(http, api_url, access, &table, &ids, progress)?;
    let missing: Vec<Guid> = ids
        .iter()
        .filter(|id| verdicts.get(id) == Some(&Verdict::Missing))
        .copied()
        .collect();
    let mut elsewhere: HashMap<Guid, &'static str> = HashMap::new();
    for other in dynbridge_core::screenpop::OBJECT_TYPES
        .iter()
        .filter(|t| t.logical_name != object.logical_name)
    {
        let still: Vec<Guid> = missing
            .iter()
            .filter(|id| !elsewhere.contains_key(id))
            .copied()
            .collect();
        if still.is_empty() {
            break;
        }
        let other_table = entity_definition(http, api_url, access, other.logical_name)?;
        for (id, verdict) in verify(http, api_url, access, &other_table, &still, &|_| {
            ControlFlow::Continue(())
        })? {
            if verdict != Verdict::Missing {
                elsewhere.insert(id, other.bright_pattern);
            }
        }
    }
    let mut report = VerifyReport {
        object: object.bright_pattern.to_owned(),
        rows: Vec::with_capacity(rows.len()),
        found: 0,
        missing: 0,
        other_type: 0,
        inactive: 0,
        do_not_phone: 0,
    };
    for (row, id) in rows {
        let (status, name, other_type) = match verdicts.get(id) {
            Some(Verdict::Found {
                name,
                inactive: true,
                ..
            }) => (RowStatus::Inactive, Some(name.clone()), None),
            Some(Verdict::Found {
                name,
                do_not_phone: true,
                ..
            }) => (RowStatus::DoNotPhone, Some(name.clone()), None),
            Some(Verdict::Found { name, .. }) => (RowStatus::Found, Some(name.clone()), None),
            _ => match elsewhere.get(id) {
                Some(other) => (RowStatus::OtherType, None, Some((*other).to_owned())),
                None => (RowStatus::Missing, None, None),
            },
        };
        *match status {
            RowStatus::Found => &mut report.found,
            RowStatus::Missing => &mut report.missing,
            RowStatus::OtherType => &mut report.other_type,
            RowStatus::Inactive => &mut report.inactive,
            RowStatus::DoNotPhone => &mut report.do_not_phone,
        } += 1;
        report.rows.push(RowVerdict {
            row: *row,
            id: id.to_string(),
            status,
            name,
            other_type,
        });
    }
    Ok(report)
}

impl VerifyReport {
    /// The per-row report as CSV: row, id, status, name, other type.
    pub fn to_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer
            .write_record(["row", "id", "status", "name", "other_type"])
            .expect("in memory");
        for r in &self.rows {
            let status = serde_json::to_value(&r.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            writer
                .write_record([
                    r.row.to_string(),
                    r.id.clone(),
                    status,
                    r.name.clone().unwrap_or_default(),
                    r.other_type.clone().unwrap_or_default(),
                ])
                .expect("in memory");
        }
        String::from_utf8(writer.into_inner().expect("in memory")).expect("UTF-8")
    }
}
