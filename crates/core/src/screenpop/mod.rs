//! Screen pop for preview campaigns: build, lint, render and check the
//! `SHOW_OBJECT:$(workitem.otherInfo.<column>):<object>` Screenpop URL of
//! Outbound > General, against a list or with a hardcoded record ID.

pub mod object_types;
mod parse;

use serde::Serialize;
use ts_rs::TS;

pub use object_types::{ObjectType, OBJECT_TYPES};
pub use parse::{lint, IdSource, Lint, Screenpop, ACTION, FIELD, VARIABLE_ROOT};

use crate::dynamics_url::{self, OrgUrl};
use crate::findings::{Finding, Severity};
use crate::guid::Guid;
use crate::table::{RowProblem, Table};

/// The Screenpop URL for an ID source and an object type.
pub fn build(id: &IdSource, object: &ObjectType) -> String {
    let id = match id {
        IdSource::Column { column } => format!("$({VARIABLE_ROOT}{column})"),
        IdSource::Hardcoded { id } => id.clone(),
    };
    format!("{ACTION}:{id}:{}", object.bright_pattern)
}

/// The troubleshooting form of a screen pop: the same object type with one row's ID
/// hardcoded, as the guide suggests when screen pops do not appear.
pub fn hardcoded(screenpop: &Screenpop, id: Guid) -> String {
    format!("{ACTION}:{id}:{}", screenpop.object)
}

/// One row rendered: what Bright Pattern would send, and the record it opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Rendered {
    /// The Screenpop URL with the row's value substituted.
    pub show_object: String,
    /// The record ID, canonical, when the value is a GUID.
    pub id: Option<String>,
    /// The troubleshooting form with that ID hardcoded.
    pub hardcoded: Option<String>,
    /// The record's URL in Dynamics, when an org URL was given and the type is known.
    pub record_url: Option<String>,
    pub findings: Vec<Finding>,
}

impl Rendered {
    /// Nothing to show, only the findings that say why.
    fn nothing(findings: Vec<Finding>) -> Self {
        Self {
            show_object: String::new(),
            id: None,
            hardcoded: None,
            record_url: None,
            findings,
        }
    }
}

/// Lints `text`, reads the org URL and app ID as typed (either may be empty) and
/// renders the row; every problem along the way is a finding of the result.
pub fn render_text(text: &str, list: Option<(&Table, usize)>, org: &str, app_id: &str) -> Rendered {
    let Lint {
        screenpop,
        mut findings,
    } = lint(text);
    let Some(screenpop) = screenpop else {
        return Rendered::nothing(findings);
    };
    let org = (!org.trim().is_empty())
        .then(|| OrgUrl::parse(org, "Dynamics URL"))
        .and_then(|(org, more)| {
            findings.extend(more);
            org
        });
    let app_id = (!app_id.trim().is_empty())
        .then(|| dynamics_url::parse_app_id(app_id))
        .and_then(|(id, more)| {
            findings.extend(more);
            id
        });
    let mut rendered = render(&screenpop, list, org.as_ref(), app_id);
    findings.append(&mut rendered.findings);
    rendered.findings = findings;
    rendered
}

/// Substitutes a row's value (1-based data row `row`, as `--row` counts) into the screen
/// pop and builds the record URL for `org`.
pub fn render(
    screenpop: &Screenpop,
    list: Option<(&Table, usize)>,
    org: Option<&OrgUrl>,
    app_id: Option<Guid>,
) -> Rendered {
    let mut findings = Vec::new();
    let value = match (&screenpop.id, list) {
        (IdSource::Hardcoded { id }, _) => Some(id.clone()),
        (IdSource::Column { column }, Some((table, row))) => {
            row_value(table, column, row, &mut findings)
        }
        (IdSource::Column { column }, None) => {
            findings.push(Finding::new(
                "List",
                Severity::Error,
                "render.no_list",
                format!("the ID comes from the list column {column:?}; choose a list and a row"),
            ));
            None
        }
    };
    let Some(value) = value else {
        return Rendered::nothing(findings);
    };
    let show_object = format!("{ACTION}:{value}:{}", screenpop.object);
    let guid = match Guid::parse_lenient(&value) {
        Ok(lenient) => {
            if lenient.had_braces {
                findings.push(
                    Finding::new(
                        "List",
                        Severity::Warning,
                        "render.value_braces",
                        "the ID is in braces; Bright Pattern passes it on as it is",
                    )
                    .with_fix("write IDs without braces (the Lists page does)"),
                );
            }
            Some(lenient.guid)
        }
        Err(error) => {
            findings.push(Finding::new(
                "List",
                Severity::Error,
                "render.value_not_guid",
                format!("{value:?} is not a record ID: {error}"),
            ));
            None
        }
    };
    let record_url = match (guid, screenpop.object_type, org) {
        (Some(id), Some(object), Some(org)) => {
            Some(org.record_url(object.logical_name, id, app_id))
        }
        (Some(_), None, Some(_)) => {
            findings.push(Finding::new(
                FIELD,
                Severity::Warning,
                "render.unknown_object",
                format!(
                    "no record URL: {:?} is not a known object type",
                    screenpop.object
                ),
            ));
            None
        }
        _ => None,
    };
    Rendered {
        show_object,
        id: guid.map(|g| g.to_string()),
        hardcoded: guid.map(|g| hardcoded(screenpop, g)),
        record_url,
        findings,
    }
}

fn row_value(
    table: &Table,
    column: &str,
    row: usize,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let index = find_column(table, column, findings)?;
    if row == 0 || row > table.rows.len() {
        findings.push(Finding::new(
            "Row",
            Severity::Error,
            "render.no_such_row",
            format!(
                "{}: there is no row {row}; the list has {} data rows",
                table.source.display(),
                table.rows.len()
            ),
        ));
        return None;
    }
    let value = table.cell(row - 1, index).trim();
    if value.is_empty() {
        findings.push(Finding::new(
            "List",
            Severity::Error,
            "render.value_empty",
            format!(
                "{}, row {}, column {column:?}: the ID is empty; this row would pop nothing",
                table.source.display(),
                table.sheet_row(row - 1)
            ),
        ));
        return None;
    }
    Some(value.to_owned())
}

/// The column's index, or a finding saying it is missing (and what is close).
fn find_column(table: &Table, column: &str, findings: &mut Vec<Finding>) -> Option<usize> {
    if let Some(index) = table.column(column) {
        return Some(index);
    }
    let mut finding = Finding::new(
        "List",
        Severity::Error,
        "list.column_missing",
        format!(
            "{}: the list has no column {column:?} (it has {})",
            table.source.display(),
            table.headers.join(", ")
        ),
    )
    .with_guide_step("Configuring Screen Pop for Preview Campaigns, step 1");
    if let Some(close) = table.column_ignoring_case(column) {
        finding = finding.with_fix(format!(
            "the list has {:?}: write the column name exactly as in the list",
            table.headers[close].trim()
        ));
    }
    findings.push(finding);
    None
}

/// The result of checking every row of a list against a screen pop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ListCheck {
    pub column: Option<String>,
    pub rows: usize,
    /// Rows whose ID is a usable GUID (the first of duplicates included).
    pub valid: usize,
    pub empty: RowProblem,
    pub malformed: RowProblem,
    pub duplicates: RowProblem,
    pub findings: Vec<Finding>,
}

/// The usable record IDs of a list for a screen pop: (spreadsheet row, ID) of every row
/// whose ID column holds a plain GUID (what [`check_list`] counts as valid), duplicates
/// included; `Err` with the finding when the column is missing or the ID hardcoded.
pub fn list_ids(screenpop: &Screenpop, table: &Table) -> Result<Vec<(usize, Guid)>, Box<Finding>> {
    let mut findings = Vec::new();
    let column = match &screenpop.id {
        IdSource::Column { column } => column,
        IdSource::Hardcoded { id } => {
            return Err(Box::new(Finding::new(
                FIELD,
                Severity::Error,
                "list.hardcoded_id",
                format!("the Screenpop URL hardcodes {id}; verify it as one ID"),
            )))
        }
    };
    let index =
        find_column(table, column, &mut findings).ok_or_else(|| Box::new(findings.remove(0)))?;
    Ok((0..table.rows.len())
        .filter_map(
            |row| match Guid::parse_lenient(table.cell(row, index).trim()) {
                Ok(lenient) if !lenient.had_braces => Some((table.sheet_row(row), lenient.guid)),
                _ => None,
            },
        )
        .collect())
}

/// Checks every row: the column exists, IDs are present, well formed and unique.
pub fn check_list(screenpop: &Screenpop, table: &Table) -> ListCheck {
    let mut check = ListCheck {
        column: None,
        rows: table.rows.len(),
        valid: 0,
        empty: RowProblem::default(),
        malformed: RowProblem::default(),
        duplicates: RowProblem::default(),
        findings: Vec::new(),
    };
    let column = match &screenpop.id {
        IdSource::Column { column } => column,
        IdSource::Hardcoded { id } => {
            check.findings.push(
                Finding::new(
                    FIELD,
                    Severity::Error,
                    "list.hardcoded_id",
                    format!(
                        "the Screenpop URL hardcodes {id}: every row would pop that same record"
                    ),
                )
                .with_fix("use $(workitem.otherInfo.<column>) once troubleshooting is done")
                .with_guide_step("Configuring Screen Pop for Preview Campaigns, step 2a"),
            );
            return check;
        }
    };
    check.column = Some(column.clone());
    let Some(index) = find_column(table, column, &mut check.findings) else {
        return check;
    };
    let mut seen = std::collections::HashSet::with_capacity(table.rows.len());
    for row in 0..table.rows.len() {
        let value = table.cell(row, index).trim();
        let sheet_row = table.sheet_row(row);
        if value.is_empty() {
            check.empty.add(sheet_row);
            continue;
        }
        match Guid::parse_lenient(value) {
            Ok(lenient) if !lenient.had_braces => {
                if seen.insert(lenient.guid) {
                    check.valid += 1;
                } else {
                    check.duplicates.add(sheet_row);
                }
            }
            _ => check.malformed.add(sheet_row),
        }
    }
    let source = table.source.display();
    let problems = [
        (
            &check.empty,
            Severity::Error,
            "list.empty_ids",
            "rows have no ID and would pop nothing",
        ),
        (
            &check.malformed,
            Severity::Error,
            "list.malformed_ids",
            "rows have an ID that is not a plain GUID",
        ),
        (
            &check.duplicates,
            Severity::Warning,
            "list.duplicate_ids",
            "rows repeat an ID of an earlier row",
        ),
    ];
    for (problem, severity, code, what) in problems {
        if problem.count > 0 {
            let message = format!(
                "{source}: {} {what} ({})",
                problem.count,
                problem.rows_text()
            );
            check
                .findings
                .push(Finding::new("List", severity, code, message));
        }
    }
    check
}
