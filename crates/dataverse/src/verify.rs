//! Verifying screen pop IDs at scale: every ID of a list looked up in Dataverse, in
//! batches (`Microsoft.Dynamics.CRM.In` over the table's primary key, at most
//! [`BATCH`] IDs a request, at most four requests in flight, `@odata.nextLink`
//! followed), with the table's names resolved from metadata, never guessed.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::Mutex;

use dynbridge_core::excel_cells;
use dynbridge_core::guid::Guid;
use dynbridge_core::{Finding, Severity};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::diagnose::Failure;
use crate::session::Session;

/// IDs per request: 625 GUIDs keep the URL near 29,000 characters (Dataverse accepts
/// 32,768) and 10,000 IDs within 16 requests.
pub const BATCH: usize = 625;
const IN_FLIGHT: usize = 4;

/// A table's names and the columns verify reads, from its metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub logical_name: String,
    pub entity_set: String,
    pub primary_id: String,
    pub primary_name: String,
    /// Whether the table has `statecode` (active or inactive).
    pub has_state: bool,
    /// Whether the table has `donotphone` ("Do not allow Phone Calls"); `incident`
    /// and the activity tables do not.
    pub has_do_not_phone: bool,
}

impl Table {
    /// The columns a lookup selects: Dataverse returns only those.
    fn select(&self) -> String {
        let mut columns = vec![self.primary_id.as_str(), self.primary_name.as_str()];
        if self.has_state {
            columns.push("statecode");
        }
        if self.has_do_not_phone {
            columns.push("donotphone");
        }
        columns.join(",")
    }
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

/// Reads a table's entity set, key and name columns, and whether it has the state and
/// do-not-phone columns (`EntityDefinitions`, never guessed).
pub fn table(session: &Session, logical: &str) -> Result<Table, Failure> {
    let definition = format!("EntityDefinitions(LogicalName='{logical}')");
    let json = session.get(&session.url(
        &definition,
        &[(
            "$select",
            "EntitySetName,LogicalName,PrimaryIdAttribute,PrimaryNameAttribute",
        )],
    )?)?;
    let text = |key: &str| {
        json[key]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| Failure::NotJson(format!("metadata without {key}")))
    };
    let columns = session.get_all(&session.url(
        &format!("{definition}/Attributes"),
        &[
            ("$select", "LogicalName"),
            (
                "$filter",
                "LogicalName eq 'statecode' or LogicalName eq 'donotphone'",
            ),
        ],
    )?)?;
    let has = |name: &str| columns.iter().any(|c| c["LogicalName"] == name);
    Ok(Table {
        logical_name: text("LogicalName")?,
        entity_set: text("EntitySetName")?,
        primary_id: text("PrimaryIdAttribute")?,
        primary_name: text("PrimaryNameAttribute")?,
        has_state: has("statecode"),
        has_do_not_phone: has("donotphone"),
    })
}

/// How far a verification has come, for a progress bar: IDs checked so far, and the
/// wait in progress when Dataverse asked for one (in plain words).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct VerifyProgress {
    pub checked: usize,
    pub waiting: Option<String>,
}

/// The verdicts gathered, and what stopped the lookup early, if anything.
#[derive(Debug, Default)]
pub struct Lookup {
    pub verdicts: HashMap<Guid, Verdict>,
    pub stopped: Option<Failure>,
}

/// Looks every ID up; `progress` hears how many were checked and may cancel. A batch
/// that fails stops the lookup, and every verdict gathered until then is kept.
pub fn verify(
    session: &Session,
    table: &Table,
    ids: &[Guid],
    progress: &(dyn Fn(usize) -> ControlFlow<()> + Sync),
) -> Lookup {
    let batches: Vec<&[Guid]> = ids.chunks(BATCH).collect();
    let lookup = Mutex::new(Lookup::default());
    let next = Mutex::new(0usize);
    std::thread::scope(|scope| {
        for _ in 0..IN_FLIGHT.min(batches.len()) {
            scope.spawn(|| loop {
                let index = {
                    let mut next = next.lock().expect("batch counter");
                    if *next >= batches.len() || lookup.lock().expect("lookup").stopped.is_some() {
                        return;
                    }
                    *next += 1;
                    *next - 1
                };
                let batch = lookup_batch(session, table, batches[index]);
                let mut lookup = lookup.lock().expect("lookup");
                match batch {
                    Ok(found) => {
                        lookup.verdicts.extend(found);
                        if progress(lookup.verdicts.len()).is_break() {
                            lookup.stopped.get_or_insert(Failure::Cancelled);
                        }
                    }
                    Err(failure) => {
                        lookup.stopped.get_or_insert(failure);
                    }
                }
            });
        }
    });
    lookup.into_inner().expect("lookup")
}

fn lookup_batch(
    session: &Session,
    table: &Table,
    ids: &[Guid],
) -> Result<HashMap<Guid, Verdict>, Failure> {
    let values: Vec<String> = ids.iter().map(|id| format!("'{id}'")).collect();
    let url = session.url(
        &table.entity_set,
        &[
            ("$select", &table.select()),
            (
                "$filter",
                &format!(
                    "Microsoft.Dynamics.CRM.In(PropertyName='{}',PropertyValues=[{}])",
                    table.primary_id,
                    values.join(",")
                ),
            ),
        ],
    )?;
    let mut verdicts: HashMap<Guid, Verdict> =
        ids.iter().map(|id| (*id, Verdict::Missing)).collect();
    for row in session.get_all(&url)? {
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
    /// The check stopped (cancelled, or Dataverse failed) before this row's ID.
    Unchecked,
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

/// Every row's verdict, the counts, and what kept the check from being complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VerifyReport {
    pub object: String,
    pub rows: Vec<RowVerdict>,
    pub found: usize,
    pub missing: usize,
    pub other_type: usize,
    pub inactive: usize,
    pub do_not_phone: usize,
    pub unchecked: usize,
    /// Why some rows are unchecked, and the other object types that could not be
    /// searched for missing IDs. Empty when the check is complete.
    pub findings: Vec<Finding>,
}

impl VerifyReport {
    /// Whether every row got a verdict and every other type could be searched.
    pub fn complete(&self) -> bool {
        self.findings.is_empty()
    }
}

/// Verifies the IDs of list rows as records of `object` (a Bright Pattern object type);
/// IDs not found there are looked for among the other object types. Fails only when
/// nothing could be checked; otherwise every verdict gathered is reported, with
/// findings for what was left out.
pub fn verify_rows(
    session: &Session,
    object: &dynbridge_core::screenpop::ObjectType,
    rows: &[(usize, Guid)],
    progress: &(dyn Fn(usize) -> ControlFlow<()> + Sync),
) -> Result<VerifyReport, Failure> {
    let ids: Vec<Guid> = rows.iter().map(|(_, id)| *id).collect();
    let main = table(session, object.logical_name)?;
    let lookup = verify(session, &main, &ids, progress);
    let mut findings = Vec::new();
    if let Some(failure) = &lookup.stopped {
        findings.push(stopped(failure, lookup.verdicts.len(), ids.len()));
    }
    let verdicts = lookup.verdicts;
    let mut missing: Vec<Guid> = ids
        .iter()
        .filter(|id| verdicts.get(id) == Some(&Verdict::Missing))
        .copied()
        .collect();
    let mut elsewhere: HashMap<Guid, &'static str> = HashMap::new();
    for other in dynbridge_core::screenpop::OBJECT_TYPES
        .iter()
        .filter(|t| t.logical_name != object.logical_name)
    {
        if missing.is_empty() {
            break;
        }
        if session.cancelled() {
            findings.push(unsearched(other.bright_pattern, &Failure::Cancelled));
            continue;
        }
        let probe = table(session, other.logical_name).map(|other_table| {
            verify(session, &other_table, &missing, &|_| {
                ControlFlow::Continue(())
            })
        });
        let found = match probe {
            Ok(lookup) => {
                if let Some(failure) = &lookup.stopped {
                    findings.push(unsearched(other.bright_pattern, failure));
                }
                lookup.verdicts
            }
            Err(failure) => {
                findings.push(unsearched(other.bright_pattern, &failure));
                continue;
            }
        };
        for (id, verdict) in found {
            if verdict != Verdict::Missing {
                elsewhere.insert(id, other.bright_pattern);
            }
        }
        missing.retain(|id| !elsewhere.contains_key(id));
    }
    let mut report = VerifyReport {
        object: object.bright_pattern.to_owned(),
        rows: Vec::with_capacity(rows.len()),
        found: 0,
        missing: 0,
        other_type: 0,
        inactive: 0,
        do_not_phone: 0,
        unchecked: 0,
        findings,
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
            Some(Verdict::Missing) => match elsewhere.get(id) {
                Some(other) => (RowStatus::OtherType, None, Some((*other).to_owned())),
                None => (RowStatus::Missing, None, None),
            },
            None => (RowStatus::Unchecked, None, None),
        };
        *match status {
            RowStatus::Found => &mut report.found,
            RowStatus::Missing => &mut report.missing,
            RowStatus::OtherType => &mut report.other_type,
            RowStatus::Inactive => &mut report.inactive,
            RowStatus::DoNotPhone => &mut report.do_not_phone,
            RowStatus::Unchecked => &mut report.unchecked,
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

/// Why the lookup stopped before the last ID, in the failure's own words.
fn stopped(failure: &Failure, checked: usize, total: usize) -> Finding {
    let cause = failure.findings().remove(0);
    let (code, severity, message) = match failure {
        Failure::Cancelled => (
            "verify.cancelled",
            Severity::Warning,
            format!("Cancelled after checking {checked} of {total} IDs; the rest are not checked"),
        ),
        _ => (
            "verify.stopped",
            Severity::Error,
            format!(
                "Stopped after checking {checked} of {total} IDs, so the rest are not checked: {}",
                cause.message
            ),
        ),
    };
    let mut finding = Finding::new("Verify", severity, code, message);
    if let Some(fix) = cause.fix.filter(|fix| !fix.is_empty()) {
        finding = finding.with_fix(fix);
    }
    finding
}

/// A table that could not be searched for the missing IDs.
fn unsearched(object: &str, failure: &Failure) -> Finding {
    let cause = failure.findings().remove(0);
    Finding::new(
        "Verify",
        Severity::Warning,
        "verify.other_type_unchecked",
        format!(
            "Missing IDs could not be looked for among {object} records: {}",
            cause.message
        ),
    )
    .with_fix(
        "the other verdicts stand; check that table again, or give the user read access to it",
    )
}

impl VerifyReport {
    /// The per-row report as CSV: row, id, status, name, other type. Record names come
    /// from Dataverse and the report is for Excel, so every cell is made safe to open.
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
            let cells = [
                r.row.to_string(),
                r.id.clone(),
                status,
                r.name.clone().unwrap_or_default(),
                r.other_type.clone().unwrap_or_default(),
            ];
            writer
                .write_record(
                    cells
                        .iter()
                        .map(|cell| excel_cells::neutralise(cell).into_owned()),
                )
                .expect("in memory");
        }
        String::from_utf8(writer.into_inner().expect("in memory")).expect("UTF-8")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_csv_is_safe_to_open_in_excel() {
        let report = VerifyReport {
            object: "contact".into(),
            rows: vec![RowVerdict {
                row: 2,
                id: "3f2504e0-4f89-41d3-9a0c-0305e82c3301".into(),
                status: RowStatus::Found,
                name: Some("=HYPERLINK(\"http://x\",\"Ann\")".into()),
                other_type: None,
            }],
            found: 1,
            missing: 0,
            other_type: 0,
            inactive: 0,
            do_not_phone: 0,
            unchecked: 0,
            findings: Vec::new(),
        };
        let csv = report.to_csv();
        assert!(
            csv.contains(",found,\"'=HYPERLINK(\"\"http://x\"\",\"\"Ann\"\")\","),
            "{csv}"
        );
    }
}
