//! The setup doctor: one checklist mirroring the guide (Section A steps 1–8, Section B
//! steps 1–5, screen pop), each step checked where the account's fields or the org's
//! API can tell, otherwise a manual step with its guidance.

use dynbridge_core::account::credentials::Credentials;
use dynbridge_core::account::{self, Account};
use dynbridge_core::channel::{self, ChannelInputs};
use dynbridge_core::{Finding, Severity};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::connection::{name_of, who_am_i};
use crate::diagnose::Failure;
use crate::session::{Patience, Session};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    Warning,
    /// Not checkable through the API: the guidance says what to do.
    Manual,
    /// Not checked because an earlier step failed.
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Step {
    /// The guide's step, e.g. "A4" or "B3".
    pub id: String,
    pub title: String,
    pub status: Status,
    /// What was checked or what to do.
    pub detail: String,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DoctorReport {
    pub account: String,
    pub steps: Vec<Step>,
}

fn step(
    id: &str,
    title: &str,
    status: Status,
    detail: impl Into<String>,
    findings: Vec<Finding>,
) -> Step {
    Step {
        id: id.into(),
        title: title.into(),
        status,
        detail: detail.into(),
        findings,
    }
}

/// The status the findings of some fields give a step.
fn from_findings(findings: &[Finding]) -> Status {
    if findings.iter().any(|f| f.severity == Severity::Error) {
        Status::Fail
    } else if findings.iter().any(|f| f.severity == Severity::Warning) {
        Status::Warning
    } else {
        Status::Pass
    }
}

/// Runs every check it can for `account` (and the saved channel provider settings).
pub fn run(
    account: &Account,
    credentials: &dyn Credentials,
    provider: &ChannelInputs,
    patience: Patience,
) -> DoctorReport {
    let findings = account::validate(account, None, account::today());
    let of = |fields: &[&str]| -> Vec<Finding> {
        findings
            .iter()
            .filter(|f| fields.contains(&f.field.as_str()))
            .cloned()
            .collect()
    };
    let mut steps = vec![
        step(
            "A1",
            "Register an app with Bright Pattern's redirect URI (platform Web)",
            Status::Manual,
            format!(
                "Register: {}",
                account::redirect_uris(account).join(" and ")
            ),
            Vec::new(),
        ),
        step(
            "A2",
            "Create a Microsoft Dynamics 365 integration account in Bright Pattern",
            Status::Manual,
            "Call Center Configuration > Integration Accounts > +",
            Vec::new(),
        ),
    ];
    let a3 = of(&["Client ID"]);
    steps.push(step(
        "A3",
        "Client ID",
        from_findings(&a3),
        "The Application (client) ID is a GUID",
        a3,
    ));
    let a5 = of(&["Authorization URL", "Token URL", "API URL"]);
    steps.push(step(
        "A5",
        "Authorization URL, Token URL and API URL",
        from_findings(&a5),
        "v1 endpoints of your tenant; the org's Web API",
        a5,
    ));

    let online = online_checks(account, credentials, provider, patience);
    steps.extend(online);
    steps.push(step(
        "B4",
        "Click-to-call on the forms agents use (optional)",
        Status::Manual,
        "Give each phone field the Channel Communication Control, save and publish",
        Vec::new(),
    ));
    steps.push(step("SP", "Screen pop for preview campaigns", Status::Manual, "Prepare the list on the Lists page; build and verify the Screenpop URL on the Screen pop page", Vec::new()));
    steps.sort_by(|a, b| a.id.cmp(&b.id));
    DoctorReport {
        account: account.name.clone(),
        steps,
    }
}

fn online_checks(
    account: &Account,
    credentials: &dyn Credentials,
    provider: &ChannelInputs,
    patience: Patience,
) -> Vec<Step> {
    let session = match Session::open(account, credentials, patience) {
        Ok(session) => session,
        Err(failure) => {
            let detail = match failure {
                Failure::NoToken => "No token yet",
                Failure::Account(_) | Failure::Untrusted(_) => {
                    "The account's fields must be fixed first; nothing was sent"
                }
                Failure::Store(_) => "The keychain could not be read",
                _ => "The refresh token did not give an access token",
            };
            let skipped = |id: &str, title: &str| {
                step(
                    id,
                    title,
                    Status::Skipped,
                    "Needs a working token",
                    Vec::new(),
                )
            };
            let secret = if failure.is_about_the_secret() {
                step(
                    "A4",
                    "Client secret",
                    Status::Fail,
                    "Entra ID refused it",
                    failure.findings(),
                )
            } else {
                skipped("A4", "Client secret")
            };
            return vec![
                step("A8", "Token (Request token with admin consent)", Status::Fail, detail, failure.findings()),
                secret,
                skipped("A6", "Users of the app can reach Dataverse"),
                skipped("A7", "API permission and consent"),
                skipped("B1", "Channel Integration Framework installed"),
                skipped("B2", "Bright Pattern Omnichannel Contact Center Solution installed"),
                skipped("B3", "A channel provider with this Channel URL, API 1.0"),
                skipped("B5", "Bright Pattern activity fields (bpattern_) on Phone Call and Messaging Session"),
            ];
        }
    };
    let mut steps = vec![
        step(
            "A4",
            "Client secret",
            Status::Pass,
            "Entra ID accepted it",
            Vec::new(),
        ),
        step(
            "A7",
            "API permission and consent",
            Status::Pass,
            "Entra ID issued a token for Dataverse",
            Vec::new(),
        ),
        step(
            "A8",
            "Token",
            Status::Pass,
            "The refresh token works",
            Vec::new(),
        ),
    ];
    steps.push(match who_am_i(&session) {
        Ok(who) => step(
            "A6",
            "Users of the app can reach Dataverse",
            Status::Pass,
            answered_as(&session, &who),
            Vec::new(),
        ),
        Err(failure) => step(
            "A6",
            "Users of the app can reach Dataverse",
            Status::Fail,
            "Dataverse did not answer; see why below",
            failure.findings(),
        ),
    });
    steps.extend(solution_steps(&session));
    steps.push(provider_step(&session, provider));
    steps.push(activity_fields_step(&session));
    steps
}

/// B1 and B2: the solutions CIF and Bright Pattern install, asked for by name so that
/// no org's hundreds of solutions need paging through.
fn solution_steps(session: &Session) -> [Step; 2] {
    const B1: &str = "Channel Integration Framework installed";
    const B2: &str = "Bright Pattern Omnichannel Contact Center Solution installed";
    // UNVERIFIED: the Bright Pattern solution's unique name; matched by its names.
    let filter = "uniquename eq 'ChannelAPIIntegrationFramework' or contains(uniquename,'brightpattern') or contains(friendlyname,'Bright Pattern')";
    let solutions = session
        .url(
            "solutions",
            &[
                ("$select", "uniquename,friendlyname,version"),
                ("$filter", filter),
            ],
        )
        .and_then(|url| session.get_all(&url));
    let rows = match solutions {
        Ok(rows) => rows,
        Err(failure) => {
            let unread = |id: &str, title: &str| {
                step(
                    id,
                    title,
                    Status::Fail,
                    "The solutions could not be read",
                    failure.findings(),
                )
            };
            return [unread("B1", B1), unread("B2", B2)];
        }
    };
    let text =
        |row: &serde_json::Value, key: &str| row[key].as_str().unwrap_or_default().to_lowercase();
    let cif = rows
        .iter()
        .any(|s| text(s, "uniquename") == "channelapiintegrationframework");
    let bright_pattern = rows.iter().any(|s| {
        text(s, "uniquename").contains("brightpattern")
            || text(s, "friendlyname").contains("bright pattern")
    });
    [
        if cif {
            step(
                "B1",
                B1,
                Status::Pass,
                "Solution ChannelAPIIntegrationFramework found",
                Vec::new(),
            )
        } else {
            step(
                "B1",
                B1,
                Status::Fail,
                "Install Channel Integration Framework from AppSource",
                Vec::new(),
            )
        },
        if bright_pattern {
            step(
                "B2",
                B2,
                Status::Pass,
                "A Bright Pattern solution is installed",
                Vec::new(),
            )
        } else {
            step(
                "B2",
                B2,
                Status::Fail,
                "Install it from AppSource",
                Vec::new(),
            )
        },
    ]
}

fn provider_step(session: &Session, provider: &ChannelInputs) -> Step {
    let title = "A channel provider with this Channel URL, API 1.0, active";
    let Some(expected) = channel::build(provider).channel_url else {
        return step(
            "B3",
            title,
            Status::Warning,
            "Fill the Channel provider page to know which Channel URL to look for",
            Vec::new(),
        );
    };
    let providers = session
        .url(
            "msdyn_ciproviders",
            &[(
                "$select",
                "msdyn_name,msdyn_landingurl,msdyn_ciproviderapiversion,statecode",
            )],
        )
        .and_then(|url| session.get_all(&url));
    match providers {
        Err(failure) => step(
            "B3",
            title,
            Status::Fail,
            "The channel providers could not be read (agents need Read on Channel Providers too)",
            failure.findings(),
        ),
        Ok(rows) => {
            match rows.iter().find(|r| r["msdyn_landingurl"].as_str() == Some(expected.as_str())) {
                None => step("B3", title, Status::Fail, format!("No provider has the Channel URL {expected}; push it from the Channel provider page"), Vec::new()),
                Some(row) if row["msdyn_ciproviderapiversion"].as_i64().unwrap_or(0) != 0 => step("B3", title, Status::Fail, "The provider uses API version 2.0; Bright Pattern needs 1.0", Vec::new()),
                Some(row) if row["statecode"].as_i64().unwrap_or(0) != 0 => step("B3", title, Status::Fail, "The provider is inactive", Vec::new()),
                Some(row) => step("B3", title, Status::Pass, format!("{} points at {expected}", row["msdyn_name"].as_str().unwrap_or("A provider")), Vec::new()),
            }
        }
    }
}

fn activity_fields_step(session: &Session) -> Step {
    let title = "Bright Pattern activity fields (bpattern_) on Phone Call and Messaging Session";
    let mut missing = Vec::new();
    for table in ["phonecall", "msdyn_ocliveworkitem"] {
        let columns = session
            .url(
                &format!("EntityDefinitions(LogicalName='{table}')/Attributes"),
                &[("$select", "LogicalName")],
            )
            .and_then(|url| session.get_all(&url));
        let columns = match columns {
            Ok(columns) => columns,
            Err(failure) => {
                return step(
                    "B5",
                    title,
                    Status::Fail,
                    format!("The columns of {table} could not be read"),
                    failure.findings(),
                )
            }
        };
        let has = columns.iter().any(|a| {
            a["LogicalName"]
                .as_str()
                .is_some_and(|n| n.starts_with("bpattern_"))
        });
        if !has {
            missing.push(table);
        }
    }
    if missing.is_empty() {
        step(
            "B5",
            title,
            Status::Pass,
            "Both tables have bpattern_ fields; add them to the forms if wanted",
            Vec::new(),
        )
    } else {
        step(
            "B5",
            title,
            Status::Warning,
            format!(
                "No bpattern_ fields on {}: the Bright Pattern solution adds them (optional step)",
                missing.join(", ")
            ),
            Vec::new(),
        )
    }
}

impl DoctorReport {
    /// The checklist as Markdown, one line a step.
    pub fn to_markdown(&self) -> String {
        let mut md = format!("# Dynbridge doctor: {}\n\n", self.account);
        for s in &self.steps {
            let mark = match s.status {
                Status::Pass => "[x]",
                Status::Manual | Status::Skipped => "[ ]",
                Status::Fail | Status::Warning => "[ ] **",
            };
            let mark = match s.status {
                Status::Fail | Status::Warning => mark.to_owned(),
                _ => format!("{mark} "),
            };
            let close = if matches!(s.status, Status::Fail | Status::Warning) {
                "**"
            } else {
                ""
            };
            md.push_str(&format!(
                "- {mark}{} {}{close} ({:?}): {}\n",
                s.id, s.title, s.status, s.detail
            ));
            for f in &s.findings {
                md.push_str(&format!(
                    "  - {}{}\n",
                    f.message,
                    f.fix
                        .as_deref()
                        .map(|fix| format!(" Fix: {fix}"))
                        .unwrap_or_default()
                ));
            }
        }
        md
    }
}

/// Who Dataverse answered as, by the user's name where it can be read, else their id.
fn answered_as(session: &Session, who: &serde_json::Value) -> String {
    let id = who["UserId"].as_str();
    match name_of(session, "systemusers", id, "fullname") {
        Some(name) => format!("Dataverse answers as {name}"),
        None => format!("Dataverse answers as user {}", id.unwrap_or("(no id)")),
    }
}
