//! Screen pop page: lint and build Screenpop URLs, load a list, render rows, check it.
//! Commands that touch the loaded list are async (off the UI thread): a list of 100,000
//! rows takes a while to check, and a hand-off from the Lists page holds it meanwhile.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use dynbridge_core::screenpop::{
    self, IdSource, Lint, ListCheck, ObjectType, Rendered, OBJECT_TYPES,
};
use dynbridge_core::table::{self, RowsPage, Table, TableSummary};
use dynbridge_store::recent::RecentPage;
use tauri::State;

use super::files::{self, Access, ChosenFiles};
use super::jobs::{Jobs, CANCELLED};
use super::{blocking, CommandError};

/// The list loaded on the Screen pop page; rows stay on the Rust side and are paged.
#[derive(Default, Clone)]
pub struct LoadedList(Arc<Mutex<Option<Table>>>);

impl LoadedList {
    /// A copy of the loaded list, for work done off the command's thread.
    pub fn snapshot(&self) -> Option<Table> {
        self.0.lock().expect("list lock").clone()
    }

    /// Runs `work` with the loaded list (if any) on a blocking thread.
    async fn with<T: Send + 'static>(
        &self,
        work: impl FnOnce(Option<&Table>) -> Result<T, CommandError> + Send + 'static,
    ) -> Result<T, CommandError> {
        let shared = Arc::clone(&self.0);
        blocking("reading the list", move || {
            work(shared.lock().expect("list lock").as_ref())
        })
        .await
    }

    /// Replaces the loaded list; returns what the page shows about it.
    pub fn load(&self, table: Table) -> TableSummary {
        let summary = table.summary();
        *self.0.lock().expect("list lock") = Some(table);
        summary
    }
}

#[tauri::command]
pub fn screenpop_lint(text: String) -> Lint {
    screenpop::lint(&text)
}

#[tauri::command]
pub fn screenpop_object_types() -> Vec<ObjectType> {
    OBJECT_TYPES.to_vec()
}

#[tauri::command]
pub fn screenpop_build(id: IdSource, object: String) -> Result<String, CommandError> {
    let object = screenpop::object_types::by_bright_pattern_name(&object).ok_or_else(|| {
        CommandError::message(format!("{object:?} is not a Bright Pattern object type"))
    })?;
    Ok(screenpop::build(&id, object))
}

/// Loads a list file the user chose (read on a blocking thread); `job` names the load
/// for `job_cancel`, after which the list read is not kept.
#[tauri::command]
pub async fn screenpop_load_list(
    path: PathBuf,
    job: String,
    jobs: State<'_, Jobs>,
    list: State<'_, LoadedList>,
    chosen: State<'_, ChosenFiles>,
) -> Result<TableSummary, CommandError> {
    chosen.check(&path, Access::Read)?;
    let running = jobs.start(job);
    let table = blocking("loading the list", move || {
        let table = table::read_csv(&path)?;
        files::opened(RecentPage::Screenpop, &path);
        Ok(table)
    })
    .await?;
    if running.cancelled() {
        return Err(CommandError::message(CANCELLED));
    }
    Ok(list.load(table))
}

fn loaded(table: Option<&Table>) -> Result<&Table, CommandError> {
    table.ok_or_else(|| CommandError::message("no list is loaded"))
}

#[tauri::command]
pub async fn screenpop_rows(
    first: usize,
    count: usize,
    list: State<'_, LoadedList>,
) -> Result<RowsPage, CommandError> {
    list.with(move |table| Ok(loaded(table)?.page(first, count)))
        .await
}

/// The list's data row (1-based) that the spreadsheet numbers `sheet_row`, if any: the
/// page speaks in the spreadsheet's row numbers, as the Lists page does.
#[tauri::command]
pub async fn screenpop_find_row(
    sheet_row: usize,
    list: State<'_, LoadedList>,
) -> Result<Option<usize>, CommandError> {
    list.with(move |table| {
        let table = loaded(table)?;
        Ok((0..table.summary().rows)
            .find(|&index| table.sheet_row(index) == sheet_row)
            .map(|index| index + 1))
    })
    .await
}

#[tauri::command]
pub async fn screenpop_render(
    text: String,
    row: usize,
    org: String,
    app_id: String,
    list: State<'_, LoadedList>,
) -> Result<Rendered, CommandError> {
    list.with(move |table| {
        Ok(screenpop::render_text(
            &text,
            table.map(|table| (table, row)),
            &org,
            &app_id,
        ))
    })
    .await
}

#[tauri::command]
pub async fn screenpop_check(
    text: String,
    list: State<'_, LoadedList>,
) -> Result<ListCheck, CommandError> {
    let screenpop = screenpop::lint(&text)
        .screenpop
        .ok_or_else(|| CommandError::message("fix the Screenpop URL's errors first"))?;
    list.with(move |table| Ok(screenpop::check_list(&screenpop, loaded(table)?)))
        .await
}
