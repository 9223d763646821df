//! Lists page: open a file, import it with progress and cancel, page through the
//! result, save it, and hand it to the Screen pop page. Every command that waits for the
//! list (an import holds it while it runs) or reads a file is async, off the UI thread;
//! `lists_cancel` stops an import and abandons an open or a hand-off under way.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use dynbridge_core::lists::saved::{import_do_not_call_phones, DoNotCallPhone, SavedList};
use dynbridge_core::lists::{
    self, ImportError, ImportOptions, ImportSummary, ImportedList, Inspection, ReadLimits, Reject,
    Source,
};
use dynbridge_core::table::{RowsPage, TableSummary, MAX_PAGE};
use dynbridge_store::recent::RecentPage;
use tauri::ipc::Channel;
use tauri::State;

use super::files::{self, Access, ChosenFiles};
use super::jobs::CANCELLED;
use super::screenpop::LoadedList;
use super::{blocking, CommandError};

/// The opened file and the last import, kept on the Rust side; the UI pages through.
#[derive(Default)]
pub struct ListsState {
    session: Arc<Mutex<Session>>,
    cancel: Arc<AtomicBool>,
    /// Bumped by `lists_cancel`: an open or hand-off that began before keeps nothing.
    epoch: Arc<AtomicU64>,
}

impl ListsState {
    /// A check for work starting now: true once `lists_cancel` was called since.
    fn cancelled_later(&self) -> impl Fn() -> bool + Send + 'static {
        let epoch = Arc::clone(&self.epoch);
        let started = epoch.load(Ordering::SeqCst);
        move || epoch.load(Ordering::SeqCst) != started
    }
}

#[derive(Default)]
struct Session {
    source: Option<Source>,
    imported: Option<ImportedList>,
    /// The phone rules' country the import was made with.
    country: String,
}

/// Runs `work` with the session on a blocking thread (an import may hold it for long).
async fn with_session<T: Send + 'static>(
    state: &ListsState,
    work: impl FnOnce(&mut Session) -> Result<T, CommandError> + Send + 'static,
) -> Result<T, CommandError> {
    let shared = Arc::clone(&state.session);
    blocking("reading the list", move || {
        work(&mut shared.lock().expect("lists lock"))
    })
    .await
}

fn imported(session: &Session) -> Result<&ImportedList, CommandError> {
    session
        .imported
        .as_ref()
        .ok_or_else(|| CommandError::message("nothing is imported yet"))
}

/// The current import as it would be sent: a saved list (rows numbered as in the
/// spreadsheet), the phones of its do-not-call rows, and its phone rules' country.
pub struct ImportToSend {
    pub list: SavedList,
    pub do_not_call: Vec<DoNotCallPhone>,
    pub country: String,
}

/// A copy of the current import to send (on a blocking thread), so that sending does
/// not hold the Lists page's state.
pub async fn import_to_send(state: &ListsState) -> Result<ImportToSend, CommandError> {
    with_session(state, |session| {
        let imported = imported(session)?;
        Ok(ImportToSend {
            list: SavedList::from_import(imported, Path::new(&imported.summary.source)),
            do_not_call: import_do_not_call_phones(imported),
            country: session.country.clone(),
        })
    })
    .await
}

/// Opens a file the user chose and inspects it (on a blocking thread: spreadsheets can be
/// large): `sheet` and `header_row` (as Excel numbers it) as chosen, else as found. A
/// file that fails to open leaves nothing of the previous one (its import included); an
/// open cancelled meanwhile leaves the previous one as it was.
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
    let cancelled = state.cancelled_later();
    blocking("opening the file", move || {
        let opened = Source::open_at(&path, sheet.as_deref(), header_row, ReadLimits::default())
            .map(|source| {
                // A cancel stops the pass over the rows, not only its result.
                let inspection =
                    lists::inspect_until(&source, &ImportOptions::default(), &cancelled);
                (source, inspection)
            });
        let mut session = shared.lock().expect("lists lock");
        if cancelled() {
            return Err(CommandError::message(CANCELLED));
        }
        session.imported = None;
        session.source = None;
        let (source, inspection) = opened?;
        let inspection = inspection.ok_or_else(|| CommandError::message(CANCELLED))?;
        files::opened(RecentPage::Lists, &path);
        session.source = Some(source);
        Ok(inspection)
    })
    .await
}

/// Re-inspects the open file with the chosen options (e.g. another ID column).
#[tauri::command]
pub async fn lists_inspect(
    options: ImportOptions,
    state: State<'_, ListsState>,
) -> Result<Inspection, CommandError> {
    with_session(&state, move |session| {
        let source = session
            .source
            .as_ref()
            .ok_or_else(|| CommandError::message("no file is open"))?;
        Ok(lists::inspect(source, &options))
    })
    .await
}

/// Imports the open file, reporting rows read on `progress`; `lists_cancel` stops it.
/// The previous import is dropped first, so it cannot be saved as this one's result.
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
        session.imported = None;
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
        session.country = options.country;
        Ok(summary)
    })
    .await
    .map_err(|e| CommandError::message(format!("the import stopped unexpectedly: {e}")))?
}

/// Stops an import, and abandons an open or a hand-off to Screen pop under way.
#[tauri::command]
pub fn lists_cancel(state: State<'_, ListsState>) {
    state.cancel.store(true, Ordering::SeqCst);
    state.epoch.fetch_add(1, Ordering::SeqCst);
}

/// The imported list's header and one page of rows.
#[tauri::command]
pub async fn lists_rows(
    first: usize,
    count: usize,
    state: State<'_, ListsState>,
) -> Result<RowsPage, CommandError> {
    with_session(&state, move |session| {
        Ok(imported(session)?.page(first, count))
    })
    .await
}

/// One page of rejected rows.
#[tauri::command]
pub async fn lists_rejects(
    first: usize,
    count: usize,
    state: State<'_, ListsState>,
) -> Result<Vec<Reject>, CommandError> {
    with_session(&state, move |session| {
        let start = first.max(1) - 1;
        Ok(imported(session)?
            .rejects
            .iter()
            .skip(start)
            .take(count.min(MAX_PAGE))
            .cloned()
            .collect())
    })
    .await
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

/// Loads the imported list on the Screen pop page, as if chosen there (on a blocking
/// thread: a large list takes a while); one cancelled meanwhile is not loaded.
#[tauri::command]
pub async fn lists_to_screenpop(
    state: State<'_, ListsState>,
    screenpop: State<'_, LoadedList>,
) -> Result<TableSummary, CommandError> {
    let cancelled = state.cancelled_later();
    let loaded = screenpop.inner().clone();
    with_session(&state, move |session| {
        let imported = imported(session)?;
        let source = PathBuf::from(format!("{} (imported)", imported.summary.source));
        let table = imported.to_table(&source);
        if cancelled() {
            return Err(CommandError::message(CANCELLED));
        }
        Ok(loaded.load(table))
    })
    .await
}
