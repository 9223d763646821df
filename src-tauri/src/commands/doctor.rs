//! Doctor page: the guide's checklist for an account, and its Markdown export.

use std::path::PathBuf;

use dynbridge_core::channel::ChannelInputs;
use dynbridge_dataverse::doctor::{self, DoctorReport};
use dynbridge_dataverse::Patience;
use dynbridge_store::accounts::AccountStore;
use tauri::State;

use super::files::{write_file, Access, ChosenFiles};
use super::jobs::Jobs;
use super::{blocking, CommandError};

/// Runs the checks for an account against `provider`, the Channel provider page's form
/// as it stands (pushed or not), or the saved settings when that page has not been
/// opened; `job` names the run for `job_cancel`.
#[tauri::command]
pub async fn doctor_run(
    id: String,
    provider: Option<ChannelInputs>,
    job: String,
    jobs: State<'_, Jobs>,
) -> Result<DoctorReport, CommandError> {
    jobs.start(job)
        .run("the checks", move |cancel| {
            let store = AccountStore::open_default()?;
            let account = store.get(&id)?;
            let provider = match provider {
                Some(shown) => shown,
                None => dynbridge_store::channel::load()?,
            };
            Ok(doctor::run(
                &account,
                &store.credentials(&account.id),
                &provider,
                Patience::quiet(cancel),
            ))
        })
        .await
}

/// Writes a report as Markdown to `path` (chosen in the Save dialog), atomically.
#[tauri::command]
pub async fn doctor_export(
    report: DoctorReport,
    path: PathBuf,
    chosen: State<'_, ChosenFiles>,
) -> Result<(), CommandError> {
    chosen.check(&path, Access::Write)?;
    blocking("the export", move || {
        write_file(&path, report.to_markdown().as_bytes())
    })
    .await
}

/// The manual steps ticked off for an account, remembered across runs.
#[tauri::command]
pub async fn doctor_ticks_load(account: String) -> Result<Vec<String>, CommandError> {
    blocking("reading the ticked steps", move || {
        Ok(dynbridge_store::doctor::load(&account)?)
    })
    .await
}

/// Remembers the manual steps ticked off for an account.
#[tauri::command]
pub async fn doctor_ticks_save(account: String, steps: Vec<String>) -> Result<(), CommandError> {
    blocking("saving the ticked steps", move || {
        Ok(dynbridge_store::doctor::save(&account, &steps)?)
    })
    .await
}
