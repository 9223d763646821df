//! Doctor page: the guide's checklist for an account, and its Markdown export.

use std::path::PathBuf;

use dynbridge_core::fs::write_atomic;
use dynbridge_dataverse::doctor::{self, DoctorReport};
use std::sync::atomic::AtomicBool;

use dynbridge_dataverse::Patience;
use dynbridge_store::accounts::AccountStore;

use super::CommandError;

/// Runs the checks for an account (with the saved channel provider settings).
#[tauri::command]
pub async fn doctor_run(id: String) -> Result<DoctorReport, CommandError> {
    tauri::async_runtime::spawn_blocking(move || {
        let store = AccountStore::open_default()?;
        let account = store.get(&id)?;
        let provider = dynbridge_store::channel::load()?;
        let cancel = AtomicBool::new(false);
        Ok(doctor::run(
            &account,
            &store.credentials(&account.id),
            &provider,
            Patience::quiet(&cancel),
        ))
    })
    .await
    .map_err(|e| CommandError::message(format!("the checks stopped unexpectedly: {e}")))?
}

/// Writes a report as Markdown to `path` (chosen with the Save dialog), atomically.
#[tauri::command]
pub fn doctor_export(report: DoctorReport, path: PathBuf) -> Result<(), CommandError> {
    write_atomic(&path, report.to_markdown().as_bytes())
        .map_err(|e| CommandError::message(format!("{}: {e}", path.display())))
}
