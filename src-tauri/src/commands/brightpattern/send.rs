//! Sending the Lists page's import to a Bright Pattern calling list: the preflight,
//! the push in batches with progress over a channel and Cancel between batches, the
//! Do Not Call sync of the import's do-not-call rows, and the rejected rows as CSV.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use dynbridge_brightpattern::preflight::{preflight, rows};
use dynbridge_brightpattern::{Client, DncMode, Error};
use dynbridge_core::excel_cells::neutralise;
use dynbridge_core::lists::phone::PhoneRules;
use dynbridge_core::lists::saved::SavedList;
use dynbridge_core::Finding;
use tauri::ipc::Channel;
use tauri::State;

use super::super::files::{write_file, Access, ChosenFiles};
use super::super::lists::{import_to_send, ImportToSend, ListsState};
use super::super::{blocking, CommandError};
use super::client;
use super::ipc::{DncChoice, DncResult, SendMode, SendProgress, SendReport};

/// Stops a send between batches.
#[derive(Default)]
pub struct SendCancel(Arc<AtomicBool>);

#[tauri::command]
pub fn bp_cancel(cancel: State<'_, SendCancel>) {
    cancel.0.store(true, Ordering::SeqCst);
}

/// What the checks before sending the import to `list` found; errors mean nothing
/// should be sent.
#[tauri::command]
pub async fn bp_preflight(
    id: String,
    list: String,
    mode: SendMode,
    lists: State<'_, ListsState>,
) -> Result<Vec<Finding>, CommandError> {
    let import = import_to_send(&lists).await?;
    blocking("the checks", move || {
        Ok(preflight(&client(&id)?, &list, &import.list, mode.into())?)
    })
    .await
}

/// Sends the import to the calling list `list` (`Replace`: its records deleted first),
/// reporting after each batch; then, with `dnc`, adds the phones of the import's
/// do-not-call rows to that DNC list (or, to replace, makes them its only numbers). `bp_cancel` stops between batches; a send that
/// stops or is cancelled says how far it got.
#[tauri::command]
pub async fn bp_send(
    id: String,
    list: String,
    mode: SendMode,
    dnc: Option<DncChoice>,
    progress: Channel<SendProgress>,
    lists: State<'_, ListsState>,
    cancel: State<'_, SendCancel>,
) -> Result<SendReport, CommandError> {
    let cancel = Arc::clone(&cancel.0);
    cancel.store(false, Ordering::SeqCst);
    let import = import_to_send(&lists).await?;
    blocking("sending the list", move || {
        let client = client(&id)?;
        let rows = rows(&import.list);
        let on_batch = |p| drop(progress.send(SendProgress::from(p)));
        let mut report = match client.push(&list, &rows, mode.into(), &on_batch, &cancel) {
            Ok(report) => SendReport::new(&list, rows.len(), report),
            Err(Error::Stopped { report, cause, .. }) => SendReport {
                stopped: Some(cause.to_string()),
                ..SendReport::new(&list, rows.len(), *report)
            },
            Err(other) => return Err(other.into()),
        };
        if let Some(dnc) = dnc.filter(|_| report.stopped.is_none() && !report.cancelled) {
            let _ = progress.send(SendProgress::do_not_call(&report));
            let dnc_mode = if dnc.replace {
                DncMode::Replace
            } else {
                DncMode::Add
            };
            report.dnc = Some(sync_do_not_call(&client, &dnc.list, dnc_mode, &import));
        }
        Ok(report)
    })
    .await
}

/// Sends the import's do-not-call phones to the DNC list `dnc` (added, or replacing
/// what it holds); a failure is told in the result (the records went in all the same).
fn sync_do_not_call(client: &Client, dnc: &str, mode: DncMode, import: &ImportToSend) -> DncResult {
    let phones: Vec<String> = import.do_not_call.iter().map(|p| p.phone.clone()).collect();
    let outcome = PhoneRules::for_country(&import.country)
        .ok_or_else(|| format!("{:?} is not a country code", import.country))
        .and_then(|rules| {
            client
                .dnc_sync(dnc, &phones, rules, mode)
                .map_err(|e| e.to_string())
        });
    match outcome {
        Ok(report) => DncResult::new(dnc, &import.do_not_call, report),
        Err(error) => DncResult {
            list: dnc.to_owned(),
            added: 0,
            sent: 0,
            invalid: Vec::new(),
            error: Some(error),
        },
    }
}

/// Writes the rejected rows of `report` as CSV to `path` (chosen in the Save dialog):
/// row, reason, record ID and the row's values from the import.
#[tauri::command]
pub async fn bp_rejects_export(
    report: SendReport,
    path: PathBuf,
    lists: State<'_, ListsState>,
    chosen: State<'_, ChosenFiles>,
) -> Result<(), CommandError> {
    chosen.check(&path, Access::Write)?;
    let import = import_to_send(&lists).await?;
    blocking("the export", move || {
        write_file(&path, rejects_csv(&report, &import.list).as_bytes())
    })
    .await
}

/// The rejected rows as CSV, cells that would run as formulas neutralised.
fn rejects_csv(report: &SendReport, list: &SavedList) -> String {
    let by_row: HashMap<usize, &[String]> = list
        .rows
        .iter()
        .map(|r| (r.row, r.values.as_slice()))
        .collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = ["row", "reason", "key"]
        .into_iter()
        .chain(list.header.iter().map(String::as_str));
    writer.write_record(header).expect("in memory");
    for group in &report.rejected {
        for rejected in &group.rows {
            let values = rejected.row.and_then(|r| by_row.get(&r).copied());
            let row = rejected.row.map(|r| r.to_string()).unwrap_or_default();
            let cells = [row.as_str(), group.label.as_str(), rejected.key.as_str()]
                .into_iter()
                .chain(values.unwrap_or_default().iter().map(String::as_str))
                .map(|cell| neutralise(cell).into_owned());
            writer.write_record(cells).expect("in memory");
        }
    }
    String::from_utf8(writer.into_inner().expect("in memory")).expect("UTF-8")
}
