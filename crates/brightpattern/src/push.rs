//! Pushing rows into a calling list: v2 `callinglist/addAll/<list>` in batches, after
//! `deleteAll` in Replace mode; the partial success read exactly as documented and each
//! rejected record mapped back to its spreadsheet row.
//!
//! `addAll` answers 200 with `{"added": n}` and, when records failed, `error` holding
//! them *as sent* under `missingRequired`, `missingKey`, `duplicateKey`, `formatError`
//! (and v3's `limitExceeded`) (reference §4, S1/S6/S2). Rejects are counted by those
//! arrays and matched to the batch's rows by content (the last unmatched equal row, so
//! that of identical rows the first counts as added), then by key.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::client::{parse, Client};
use crate::transport::Call;
use crate::Error;

/// Rows per `addAll` request. Bright Pattern documents no limit on records per request
/// or body size (reference §6); 1,000 matches its largest documented page (`maxSize`
/// ≤ 1000) and keeps a request near 100–300 KB for a typical list, well under the 1 MB
/// body limit common in proxies (nginx's default `client_max_body_size`) and far under
/// 10 MB ones, while 25,000 rows still take only 25 requests.
pub const BATCH_ROWS: usize = 1000;
/// A batch also ends before its JSON reaches this size, for lists with wide rows.
const BATCH_BYTES: usize = 512 * 1024;

/// One row to send: its spreadsheet row number, its key (the list's ID column value)
/// and the record, field name to value.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub row: usize,
    pub key: String,
    pub record: Map<String, Value>,
}

/// Add to what the list holds, or Replace it (`deleteAll` first, which also erases the
/// campaign results for the list, S1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Mode {
    Add,
    Replace,
}

/// Bright Pattern's rejection reason in plain words (reference §4), for the CLI and the
/// app alike.
pub fn reason_label(reason: &str) -> String {
    match reason {
        "missingRequired" => "Missing required value".into(),
        "missingKey" => "Missing key".into(),
        "duplicateKey" => "Duplicate key".into(),
        "formatError" => "Wrong format, or a field the list does not have".into(),
        "limitExceeded" => "List size limit reached".into(),
        other => format!("Refused by Bright Pattern ({other})"),
    }
}

/// Where a push is, after each batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub rows_sent: usize,
    pub rows: usize,
    pub batches_sent: usize,
    pub added: usize,
    pub rejected: usize,
}

/// A rejected row: its spreadsheet row (`None` when the answer's record matched no row
/// sent) and its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    pub row: Option<usize>,
    pub key: String,
}

/// What a push did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PushReport {
    pub added: usize,
    /// Rejected rows by Bright Pattern's reason (`missingRequired`, `missingKey`,
    /// `duplicateKey`, `formatError`, `limitExceeded`, or any other it names).
    pub rejected: BTreeMap<String, Vec<Rejected>>,
    pub rows_sent: usize,
    pub batches: usize,
    /// HTTP requests of this push (token requests and retries included).
    pub requests: u64,
    pub elapsed: Duration,
    /// The push was cancelled between batches; `rows_sent` says how far it got.
    pub cancelled: bool,
}

impl PushReport {
    /// Rejected rows in all.
    pub fn rejected_count(&self) -> usize {
        self.rejected.values().map(Vec::len).sum()
    }
}

impl Client {
    /// Sends `rows` to the calling list `list` in batches, reporting after each batch
    /// and stopping between batches when `cancel` is set. A failure after some batches
    /// went through is [`Error::Stopped`] with the report so far.
    pub fn push(
        &self,
        list: &str,
        rows: &[Row],
        mode: Mode,
        progress: &dyn Fn(Progress),
        cancel: &AtomicBool,
    ) -> Result<PushReport, Error> {
        let started = Instant::now();
        let requests_before = self.requests();
        let mut report = PushReport::default();
        let what = format!("the calling list {list:?}");
        let finish = |mut report: PushReport| {
            report.requests = self.requests() - requests_before;
            report.elapsed = started.elapsed();
            report
        };
        if mode == Mode::Replace {
            let call = Call {
                method: Method::POST,
                url: self.url(false, &["callinglist", "deleteAll", list]),
                body: None,
                what: &what,
                privilege: "Update content of calling list",
            };
            self.send(&call, cancel)?;
        }
        let url = self.url(false, &["callinglist", "addAll", list]);
        for batch in batches(rows) {
            if cancel.load(Ordering::SeqCst) {
                report.cancelled = true;
                return Ok(finish(report));
            }
            let records: Vec<&Map<String, Value>> = batch.iter().map(|r| &r.record).collect();
            let call = Call {
                method: Method::POST,
                url: url.clone(),
                body: Some(serde_json::to_vec(&records).expect("JSON values serialise")),
                what: &what,
                privilege: "Update content of calling list",
            };
            let answer = self
                .send(&call, cancel)
                .and_then(|(_, body)| parse::<Value>(&body));
            let answer = match answer {
                Ok(answer) => answer,
                Err(cause) if report.batches == 0 => return Err(cause),
                Err(cause) => {
                    return Err(Error::Stopped {
                        report: Box::new(finish(report)),
                        total: rows.len(),
                        cause: Box::new(cause),
                    })
                }
            };
            read_answer(&answer, batch, &mut report)?;
            report.rows_sent += batch.len();
            report.batches += 1;
            progress(Progress {
                rows_sent: report.rows_sent,
                rows: rows.len(),
                batches_sent: report.batches,
                added: report.added,
                rejected: report.rejected_count(),
            });
        }
        Ok(finish(report))
    }
}

/// `rows` cut into batches of at most [`BATCH_ROWS`] rows and about [`BATCH_BYTES`].
fn batches(rows: &[Row]) -> Vec<&[Row]> {
    let mut batches = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, row) in rows.iter().enumerate() {
        let size = serde_json::to_vec(&row.record).map_or(0, |v| v.len()) + 1;
        if i > start && (i - start >= BATCH_ROWS || bytes + size > BATCH_BYTES) {
            batches.push(&rows[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    if start < rows.len() {
        batches.push(&rows[start..]);
    }
    batches
}

/// Adds one `addAll` answer to the report, each rejected record mapped to its row.
fn read_answer(answer: &Value, batch: &[Row], report: &mut PushReport) -> Result<(), Error> {
    let added = answer["added"]
        .as_u64()
        .ok_or_else(|| Error::BadAnswer("an addAll answer without \"added\"".into()))?;
    report.added += added as usize;
    let Some(errors) = answer.get("error").and_then(Value::as_object) else {
        return Ok(());
    };
    let mut matched = vec![false; batch.len()];
    for (reason, records) in errors {
        let records = records.as_array().map(Vec::as_slice).unwrap_or_default();
        let rejected = report.rejected.entry(reason.clone()).or_default();
        for record in records {
            let found = find(batch, &matched, |row| {
                Some(&row.record) == record.as_object()
            })
            .or_else(|| {
                find(batch, &matched, |row| {
                    !row.key.is_empty()
                        && record.as_object().is_some_and(|r| {
                            r.values().any(|v| v.as_str() == Some(row.key.as_str()))
                        })
                })
            });
            rejected.push(match found {
                Some(at) => {
                    matched[at] = true;
                    Rejected {
                        row: Some(batch[at].row),
                        key: batch[at].key.clone(),
                    }
                }
                None => Rejected {
                    row: None,
                    key: String::new(),
                },
            });
        }
    }
    Ok(())
}

/// The last row of `batch` not yet matched for which `is` holds.
fn find(batch: &[Row], matched: &[bool], is: impl Fn(&Row) -> bool) -> Option<usize> {
    (0..batch.len())
        .rev()
        .find(|&i| !matched[i] && is(&batch[i]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(n: usize, key: &str) -> Row {
        let record = json!({ "ID": key, "Phone": "4255550100" });
        Row {
            row: n,
            key: key.into(),
            record: record.as_object().unwrap().clone(),
        }
    }

    #[test]
    fn batches_hold_at_most_a_thousand_rows() {
        let rows: Vec<Row> = (0..2500).map(|i| row(i + 2, &i.to_string())).collect();
        let sizes: Vec<usize> = batches(&rows).iter().map(|b| b.len()).collect();
        assert_eq!(sizes, [1000, 1000, 500]);
        assert!(batches(&[]).is_empty());
    }

    #[test]
    fn identical_rows_reject_the_later_ones() {
        let batch = [row(2, "A"), row(3, "A"), row(4, "B")];
        let answer = json!({ "added": 2, "error": { "duplicateKey": [batch[0].record] } });
        let mut report = PushReport::default();
        read_answer(&answer, &batch, &mut report).unwrap();
        assert_eq!(report.added, 2);
        assert_eq!(
            report.rejected["duplicateKey"],
            [Rejected {
                row: Some(3),
                key: "A".into()
            }]
        );
    }
}
