//! Before anything is sent: a saved calling list turned into the rows a push sends (its
//! record-ID column as each row's key), and what can be checked first — the list exists
//! (where the server can tell, v3), the list has a phone column and rows, and what
//! Replace mode costs. Shared by the CLI and the app.

use dynbridge_core::lists::detect::{self, Role};
use dynbridge_core::lists::saved::SavedList;
use dynbridge_core::{Finding, Severity};
use serde_json::{Map, Value};

use crate::{Client, Error, ListLookup, Mode, Row};

/// The column of record IDs (the one whose values are GUIDs), which keys the rows.
pub fn key_column(saved: &SavedList) -> Option<usize> {
    let sample: Vec<Vec<String>> = saved
        .rows
        .iter()
        .take(1000)
        .map(|r| r.values.clone())
        .collect();
    detect::guid_column(&sample, saved.header.len())
}

/// The rows to send: each column's header as the field name, empty values left out
/// (Bright Pattern treats a blank value as absent, reference §5).
pub fn rows(saved: &SavedList) -> Vec<Row> {
    let key = key_column(saved);
    saved
        .rows
        .iter()
        .map(|row| {
            let record: Map<String, Value> = saved
                .header
                .iter()
                .zip(&row.values)
                .filter(|(_, value)| !value.trim().is_empty())
                .map(|(name, value)| (name.clone(), Value::String(value.clone())))
                .collect();
            Row {
                row: row.row,
                key: key.map(|k| row.values[k].clone()).unwrap_or_default(),
                record,
            }
        })
        .collect()
}

/// What the checks before a push found; errors mean nothing should be sent.
pub fn preflight(
    client: &Client,
    list: &str,
    saved: &SavedList,
    mode: Mode,
) -> Result<Vec<Finding>, Error> {
    let mut findings = local_checks(saved, list, mode);
    findings.push(match client.list(list)? {
        ListLookup::Found(info) => Finding::new(
            "Calling list",
            Severity::Info,
            "bp.list_found",
            format!(
                "Bright Pattern's calling list {:?} (format {:?}) holds {} records",
                info.name, info.format_name, info.total_records
            ),
        ),
        ListLookup::NotFound => {
            let known = client
                .lists()?
                .unwrap_or_default()
                .into_iter()
                .map(|l| format!("{:?}", l.name))
                .collect::<Vec<_>>();
            Finding::new(
                "Calling list",
                Severity::Error,
                "bp.list_missing",
                format!("Bright Pattern has no calling list named {list:?}"),
            )
            .with_fix(if known.is_empty() {
                "create it with Bright Pattern's list wizard from this CSV, then send again".to_owned()
            } else {
                format!("choose one of {}, or create it with the list wizard from this CSV", known.join(", "))
            })
        }
        ListLookup::CannotTell => Finding::new(
            "Calling list",
            Severity::Info,
            "bp.list_unchecked",
            "this Bright Pattern release cannot list its calling lists; the first batch will show whether the list exists",
        ),
    });
    Ok(findings)
}

/// The checks that need no server.
fn local_checks(saved: &SavedList, list: &str, mode: Mode) -> Vec<Finding> {
    let mut findings = Vec::new();
    if saved.rows.is_empty() {
        findings.push(Finding::new(
            "List",
            Severity::Error,
            "bp.no_rows",
            "the list has no rows to send",
        ));
    }
    let has_phone = detect::columns(&saved.header, 0, None)
        .iter()
        .any(|c| c.role == Role::Phone);
    if !has_phone {
        findings.push(
            Finding::new(
                "List",
                Severity::Error,
                "bp.no_phone_column",
                "no column looks like a phone number; Bright Pattern needs at least one PHONE field",
            )
            .with_fix("send a list that Dynbridge imported, with its phone columns"),
        );
    }
    if key_column(saved).is_none() {
        findings.push(Finding::new(
            "List",
            Severity::Warning,
            "bp.no_key_column",
            "no column holds record IDs, so rejected rows are matched by their values only",
        ));
    }
    if mode == Mode::Replace {
        findings.push(Finding::new(
            "Mode",
            Severity::Warning,
            "bp.replace_erases_results",
            format!("Replace deletes every record of {list:?} first, and Bright Pattern also erases the campaign results for that list"),
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynbridge_core::lists::saved::SavedRow;

    fn saved(header: &[&str], rows: &[&[&str]]) -> SavedList {
        SavedList {
            path: "list.csv".into(),
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, values)| SavedRow {
                    row: i + 2,
                    values: values.iter().map(|v| v.to_string()).collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn rows_are_keyed_by_the_id_column_and_leave_blanks_out() {
        let list = saved(
            &["dyn_id", "Full Name", "Mobile Phone"],
            &[
                &["3f2504e0-4f89-41d3-9a0c-0305e82c3301", "Ann", ""],
                &[
                    "3f2504e0-4f89-41d3-9a0c-0305e82c3302",
                    "Bob",
                    "+14255550100",
                ],
            ],
        );
        let rows = rows(&list);
        assert_eq!(rows[0].key, "3f2504e0-4f89-41d3-9a0c-0305e82c3301");
        assert_eq!(rows[0].row, 2);
        assert!(!rows[0].record.contains_key("Mobile Phone"));
        assert_eq!(rows[1].record["Mobile Phone"], "+14255550100");
    }

    #[test]
    fn a_list_without_phones_or_ids_and_replace_mode_are_told() {
        let list = saved(&["Name", "City"], &[&["Ann", "Paris"]]);
        let codes: Vec<String> = local_checks(&list, "Spring", Mode::Replace)
            .into_iter()
            .map(|f| f.code)
            .collect();
        assert_eq!(
            codes,
            [
                "bp.no_phone_column",
                "bp.no_key_column",
                "bp.replace_erases_results"
            ]
        );
    }
}
