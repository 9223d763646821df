//! Lists page: open a file, import it with progress and cancel, page through the
//! result, save it, and hand it to the Screen pop page.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use dynbridge_core::lists::{
    self, ImportError, ImportOptions, ImportSummary, ImportedList, Inspection, ReadLimits, Reject,
    Source,
};
use dynbridge_core::table::{RowsPage, TableSummary, MAX_PAGE};
use tauri::ipc::Channel;
use tauri::State;

use super::files::{Access, ChosenFiles};
use super::screenpop::LoadedList;
use super::{blocking, CommandError};

/// The opened file and the last import, kept on the Rust side; the UI pages through.
#[derive(Default)]
pub struct ListsState {
    session: Arc<Mutex<Session>>,
    cancel: Arc<AtomicBool>,
}

#[derive(Default)]
struct Session {
    source: Option<Source>,
    imported: Option<ImportedList>,
}

fn session(state: &ListsState) -> std::sync::MutexGuard<'_, Session> {
    state.session.lock().expect("lists lock")
}

fn imported(session: &Session) -> Result<&ImportedList, CommandError> {
    session
        .imported
        .as_ref()
        .ok_or_else(|| CommandError::message("nothing is imported yet"))
}

/// Opens a file the user chose and inspects it (on a blocking thread: spreadsheets can be
/// large): `sheet` and `header_row` (as Excel numbers it) as chosen, else as found.
#[tauri::command]
pub async fn lists_open(
    path: PathBuf,
    sheet: Option<String>,
    header_row: Option<usize>,
    state: State<'_, ListsState>,
    chosen: State<'_, ChosenFiles>,
) -> Result<Inspection, CommandError> {
    chosen.check(&path, Access::Read)?;
    let shared = Arc::clone(&state.session);
    blocking("opening the file", move || {
        let source = Source::open_at(&path, sheet.as_deref(), header_row, ReadLimits::default())?;
        let inspection = lists::inspect(&source, &ImportOptions::default());
        let mut session = shared.lock().expect("lists lock");
        session.source = Some(source);
        session.imported = None;
        Ok(inspection)
    })
    .await
}

/// Re-inspects the open file with the chosen options (e.g. another ID column).
#[tauri::command]
pub fn lists_inspect(
    options: ImportOptions,
    state: State<'_, ListsState>,
) -> Result<Inspection, CommandError> {
    let session = session(&state);
    let source = session
        .source
        .as_ref()
        .ok_or_else(|| CommandError::message("no file is open"))?;
    Ok(lists::inspect(source, &options))
}

/// Imports the open file, reporting rows read on `progress`; `lists_cancel` stops it.
#[tauri::command]
pub async fn lists_import(
    options: ImportOptions,
    progress: Channel<usize>,
    state: State<'_, ListsState>,
) -> Result<ImportSummary, CommandError> {
    let shared = Arc::clone(&state.session);
    let cancel = Arc::clone(&state.cancel);
    cancel.store(false, Ordering::SeqCst);
    tauri::async_runtime::spawn_blocking(move || {
        let mut session = shared.lock().expect("lists lock");
        let source = session
            .source
            .as_ref()
            .ok_or_else(|| CommandError::message("no file is open"))?;
        let imported = lists::import(source, &options, &mut |rows| {
            let _ = progress.send(rows);
            if cancel.load(Ordering::SeqCst) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .map_err(|e| match e {
            // The page asks this question itself; its message names no command line.
            ImportError::DoNotCallUnclear { finding, .. } => CommandError::message(format!(
                "{}; choose above which values mean \"Do not allow phone calls\"",
                finding.message
            )),
            e => e.into(),
        })?;
        let summary = imported.summary.clone();
        session.imported = Some(imported);
        Ok(summary)
    })
    .await
    .map_err(|e| CommandError::message(format!("the import stopped unexpectedly: {e}")))?
}

#[tauri::command]
pub fn lists_cancel(state: State<'_, ListsState>) {
    state.cancel.store(true, Ordering::SeqCst);
}

/// The imported list's header and one page of rows.
#[tauri::command]
pub fn lists_rows(
    first: usize,
    count: usize,
    state: State<'_, ListsState>,
) -> Result<RowsPage, CommandError> {
    let session = session(&state);
    let imported = imported(&session)?;
    Ok(imported.page(first, count))
}

/// One page of rejected rows.
#[tauri::command]
pub fn lists_rejects(
    first: usize,
    count: usize,
    state: State<'_, ListsState>,
) -> Result<Vec<Reject>, CommandError> {
    let session = session(&state);
    let imported = imported(&session)?;
    let start = first.max(1) - 1;
    Ok(imported
        .rejects
        .iter()
        .skip(start)
        .take(count.min(MAX_PAGE))
        .cloned()
        .collect())
}

/// Writes the list to `path` (chosen in the Save dialog) and, when there are any, the
/// rejects beside it (named by Rust: no path from the webview), all or nothing; a
/// rejects file an earlier save left there is removed when this import rejected
/// nothing. Returns the rejects file's path.
#[tauri::command]
pub async fn lists_save(
    path: PathBuf,
    state: State<'_, ListsState>,
    chosen: State<'_, ChosenFiles>,
) -> Result<Option<String>, CommandError> {
    chosen.check(&path, Access::Write)?;
    let shared = Arc::clone(&state.session);
    blocking("saving the list", move || {
        let session = shared.lock().expect("lists lock");
        let imported = imported(&session)?;
        if imported.rows() == 0 {
            return Err(CommandError::message(
                "no row was imported, so there is no list to save",
            ));
        }
        let saved = imported.save(&path)?;
        Ok(saved.rejects.map(|p| p.display().to_string()))
    })
    .await
}

/// Loads the imported list on the Screen pop page, as if chosen there.
#[tauri::command]
pub fn lists_to_screenpop(
    state: State<'_, ListsState>,
    screenpop: State<'_, LoadedList>,
) -> Result<TableSummary, CommandError> {
    let session = session(&state);
    let imported = imported(&session)?;
    let source = PathBuf::from(format!("{} (imported)", imported.summary.source));
    Ok(screenpop.load(imported.to_table(&source)))
}
