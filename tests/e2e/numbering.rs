//! One numbering, the spreadsheet's: a row of the Dynamics export has the same number
//! in the Lists preview, in the import's findings and on the Screen pop page.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::json;

use super::set_test_hooks;
use crate::webdriver::{Result, Session};

/// Row number → record ID, read from a table whose first cell is the row's number.
const ROWS_BY_NUMBER: &str = r#"
    const [table, rowCss, headerCss] = ARGS;
    const root = document.querySelector(table);
    const headers = [...root.querySelectorAll(headerCss)].map(h => h.textContent.trim());
    const id = headers.indexOf('dyn_id');
    return [...root.querySelectorAll(rowCss)].map(r => [...r.children])
        .filter(cells => cells.length > id && /^\d+$/.test(cells[0].textContent.trim()))
        .map(cells => [cells[0].textContent.trim(), cells[id].textContent.trim()]);
"#;

pub fn the_same_row_has_the_same_number_on_every_page(session: &Session) -> Result<()> {
    let export =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lists/contacts-export.xlsx");
    session.click_on("[data-page=lists]")?;
    set_test_hooks(session, json!({ "pickFile": export }))?;
    session.click_on("[data-testid=choose-file]")?;
    session.wait_for_text("[data-testid=lists-detected]", |t| t.contains("10 rows"))?;
    session.click_on("[data-testid=import]")?;
    session.wait_for_text("[data-testid=lists-counts]", |t| {
        t.contains("6 imported, 4 rejected")
    })?;
    let preview = rows(
        session,
        "[data-testid=lists-preview]",
        "[role=row]",
        "[role=columnheader]",
    )?;
    if preview.len() != 6 || preview.contains_key(&1) {
        return Err(format!(
            "the preview should number 6 rows from the sheet's: {preview:?}"
        ));
    }

    // The duplicate-ID finding cites a row the preview shows with an earlier row's ID.
    let finding = session.wait_for_text("[data-code='list.duplicate_ids']", |t| !t.is_empty())?;
    let cited = numbers_in(finding.split_once('(').map_or("", |(_, rest)| rest));
    if cited.is_empty() {
        return Err(format!("the duplicate finding cites no row: {finding:?}"));
    }
    for row in &cited {
        let id = preview.get(row).ok_or(format!(
            "the finding cites row {row}, which the preview lacks: {preview:?}"
        ))?;
        if !preview
            .iter()
            .any(|(other, other_id)| other < row && other_id == id)
        {
            return Err(format!(
                "row {row} of the finding does not repeat an earlier preview row's ID"
            ));
        }
    }

    session.click_on("[data-testid=lists-test-screenpop]")?;
    session.wait_for_text("#page-title", |t| t == "Screen pop")?;
    session.wait_for_text("[data-testid=list-summary]", |t| t.contains("6 rows"))?;
    let screenpop = session.wait_until("the Screen pop rows", || {
        let rows = rows(session, "[data-testid=list-rows]", "tbody tr", "thead th")?;
        Ok((rows.len() == preview.len()).then_some(rows))
    })?;
    if screenpop != preview {
        return Err(format!(
            "Screen pop numbers the rows {screenpop:?}, the Lists preview {preview:?}"
        ));
    }
    // The chosen row says its spreadsheet number too.
    let first = *preview.keys().next().expect("six rows");
    let shown = session.property(&session.find("[data-testid=row-number]")?, "value")?;
    if shown != json!(first.to_string()) {
        return Err(format!(
            "the Row field shows {shown}, the first row is {first}"
        ));
    }
    Ok(())
}

fn rows(
    session: &Session,
    table: &str,
    row: &str,
    header: &str,
) -> Result<BTreeMap<usize, String>> {
    let script = ROWS_BY_NUMBER.replace("ARGS", &json!([table, row, header]).to_string());
    let found = session.execute(&script)?;
    Ok(found
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|pair| {
            Some((
                pair[0].as_str()?.parse().ok()?,
                pair[1].as_str()?.to_owned(),
            ))
        })
        .collect())
}

/// The whole numbers in `text`, in order.
fn numbers_in(text: &str) -> Vec<usize> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect()
}
