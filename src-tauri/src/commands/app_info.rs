//! `app_info`: version, profile directory and keychain backend.

use dynbridge_core::AppInfo;

use super::CommandError;

#[tauri::command]
pub fn app_info() -> Result<AppInfo, CommandError> {
    Ok(dynbridge_store::app_info()?)
}
