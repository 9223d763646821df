//! Tauri commands, one module per domain, each a thin call into a crate.

pub mod accounts;
pub mod app_info;
pub mod channel;
pub mod demo;
pub mod doctor;
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
