//! `app_info`: version, profile directory and keychain backend.

use dynbridge_core::AppInfo;

use super::{blocking, CommandError};

/// Asks the keychain which backend it is, so it runs off the UI thread.
#[tauri::command]
pub async fn app_info() -> Result<AppInfo, CommandError> {
    blocking("reading the app's facts", || {
        Ok(dynbridge_store::app_info()?)
    })
    .await
}
