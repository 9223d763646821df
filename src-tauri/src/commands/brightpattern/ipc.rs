//! What the Bright Pattern commands send to the UI, typed for ts-rs: the client crate's
//! reports in the app's words (each rejection reason with its plain-words label, rows
//! as the spreadsheet numbers them, times in milliseconds).

use dynbridge_brightpattern::{
    reason_label, Campaign, DncReport, Progress, PushReport, TestReport,
};
use dynbridge_core::lists::saved::DoNotCallPhone;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Add to the calling list, or Replace what it holds (delete all records first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum SendMode {
    Add,
    Replace,
}

impl From<SendMode> for dynbridge_brightpattern::Mode {
    fn from(mode: SendMode) -> Self {
        match mode {
            SendMode::Add => Self::Add,
            SendMode::Replace => Self::Replace,
        }
    }
}

/// A campaign and the calling lists bound to it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BpCampaign {
    pub name: String,
    /// Whether the campaign is running now.
    pub running: bool,
    pub lists: Vec<String>,
}

impl From<Campaign> for BpCampaign {
    fn from(campaign: Campaign) -> Self {
        Self {
            running: campaign.state.eq_ignore_ascii_case("RUNNING"),
            name: campaign.name,
            lists: campaign.lists,
        }
    }
}

/// What a connection test found, said in one sentence.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BpTestResult {
    pub message: String,
}

impl From<TestReport> for BpTestResult {
    fn from(report: TestReport) -> Self {
        let lists = match report.lists {
            Some(n) => format!("{n} calling lists can be read"),
            None => "this Bright Pattern release cannot list its calling lists".to_owned(),
        };
        let campaigns = if report.campaigns {
            "campaigns can be listed"
        } else {
            "campaigns cannot be listed: the API user lacks the privilege \"Manage all services and campaigns\""
        };
        Self {
            message: format!("Connected: the login ID and API secret work; {lists}; {campaigns}."),
        }
    }
}

/// The Do Not Call list a send's do-not-call phones go to, and whether they replace its
/// numbers (else they are added).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct DncChoice {
    pub list: String,
    pub replace: bool,
}

/// Where a send is: the calling list's batches, then the Do Not Call phones.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SendProgress {
    pub rows_sent: usize,
    pub rows: usize,
    pub added: usize,
    pub rejected: usize,
    /// The records are in; the Do Not Call phones are being sent.
    pub do_not_call: bool,
}

impl From<Progress> for SendProgress {
    fn from(p: Progress) -> Self {
        Self {
            rows_sent: p.rows_sent,
            rows: p.rows,
            added: p.added,
            rejected: p.rejected,
            do_not_call: false,
        }
    }
}

impl SendProgress {
    /// The records of `report` are in; the Do Not Call phones are being sent.
    pub fn do_not_call(report: &SendReport) -> Self {
        Self {
            rows_sent: report.rows_sent,
            rows: report.rows,
            added: report.added,
            rejected: report.rejected.iter().map(|g| g.rows.len()).sum(),
            do_not_call: true,
        }
    }
}

/// A rejected row: its spreadsheet row (none when Bright Pattern's answer matched no row
/// sent) and its record ID.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct RejectedRow {
    pub row: Option<usize>,
    pub key: String,
}

/// The rows Bright Pattern refused for one reason.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct RejectGroup {
    /// Bright Pattern's name for the reason (e.g. `missingRequired`), for tests and logs.
    pub reason: String,
    /// The reason in plain words, to show.
    pub label: String,
    pub rows: Vec<RejectedRow>,
}

/// What sending the list did (also how far a stopped or cancelled send got).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SendReport {
    pub list: String,
    pub added: usize,
    pub rejected: Vec<RejectGroup>,
    pub rows: usize,
    pub rows_sent: usize,
    pub batches: usize,
    #[ts(type = "number")]
    pub requests: u64,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    pub cancelled: bool,
    /// Why the send stopped before every row was sent, in plain words.
    pub stopped: Option<String>,
    /// The Do Not Call sync, when a DNC list was chosen and the records went in.
    pub dnc: Option<DncResult>,
}

impl SendReport {
    /// The client's report on `rows` sent to `list`.
    pub fn new(list: &str, rows: usize, report: PushReport) -> Self {
        Self {
            list: list.to_owned(),
            added: report.added,
            rejected: report
                .rejected
                .into_iter()
                .map(|(reason, rows)| RejectGroup {
                    label: reason_label(&reason),
                    reason,
                    rows: rows
                        .into_iter()
                        .map(|r| RejectedRow {
                            row: r.row,
                            key: r.key,
                        })
                        .collect(),
                })
                .collect(),
            rows,
            rows_sent: report.rows_sent,
            batches: report.batches,
            requests: report.requests,
            elapsed_ms: u64::try_from(report.elapsed.as_millis()).unwrap_or(u64::MAX),
            cancelled: report.cancelled,
            stopped: None,
            dnc: None,
        }
    }
}

/// A phone Bright Pattern would not keep, with its spreadsheet row.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DncPhone {
    pub row: usize,
    pub phone: String,
}

/// What the Do Not Call sync did.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DncResult {
    pub list: String,
    /// Numbers the DNC list did not hold before.
    #[ts(type = "number")]
    pub added: u64,
    /// Distinct numbers sent.
    pub sent: usize,
    pub invalid: Vec<DncPhone>,
    /// Why the sync failed, in plain words (the records went in all the same).
    pub error: Option<String>,
}

impl DncResult {
    /// The client's report on `phones` sent to `list`.
    pub fn new(list: &str, phones: &[DoNotCallPhone], report: DncReport) -> Self {
        Self {
            list: list.to_owned(),
            added: report.added,
            sent: report.sent,
            invalid: report
                .invalid
                .into_iter()
                .map(|(i, phone)| DncPhone {
                    row: phones.get(i).map_or(0, |p| p.row),
                    phone,
                })
                .collect(),
            error: None,
        }
    }
}
