//! Tauri commands, one module per domain, each a thin call into a crate.

pub mod accounts;
pub mod app_info;
pub mod brightpattern;
pub mod channel;
pub mod demo;
pub mod doctor;
pub mod files;
pub mod jobs;
pub mod lists;
pub mod online;
pub mod screenpop;

use serde::Serialize;

/// The error a command returns over IPC: a plain-words message the UI can show as it
/// is. Never carries a secret (the crates' errors do not contain any).
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct CommandError(String);

impl CommandError {
    pub fn message(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl<E: std::error::Error> From<E> for CommandError {
    fn from(error: E) -> Self {
        Self(error.to_string())
    }
}

/// Runs `work` on a blocking thread and waits for it: file and network work must not run
/// on the UI thread, where a non-async command would. `what` names the work in the error
/// when the thread itself fails (e.g. "the export").
pub async fn blocking<T: Send + 'static>(
    what: &str,
    work: impl FnOnce() -> Result<T, CommandError> + Send + 'static,
) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| CommandError::message(format!("{what} stopped unexpectedly: {e}")))?
}
