//! The one directory shared by the CLI and the app for account profiles, private to
//! the user.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

use crate::StoreError;

/// Overrides the profile directory, for scripting several environments side by side.
pub const CONFIG_DIR_ENV: &str = "DYNBRIDGE_CONFIG_DIR";

/// The directory holding the profile file: `$DYNBRIDGE_CONFIG_DIR` when set, else the
/// OS config directory (`~/.config/dynbridge` on Linux, `~/Library/Application
/// Support/com.Dynbridge.Dynbridge` on macOS, `%APPDATA%\Dynbridge\Dynbridge\config` on
/// Windows).
pub fn profile_dir() -> Result<PathBuf, StoreError> {
    if let Some(dir) = std::env::var_os(CONFIG_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    ProjectDirs::from("com", "Dynbridge", "Dynbridge")
        .map(|dirs| dirs.config_dir().to_path_buf())
        .ok_or(StoreError::NoHomeDirectory)
}

/// Makes the profile directory `dir` if needed, private to the user (0700 on Unix),
/// tightening it if it is open to others.
pub fn create_private(dir: &Path) -> Result<(), StoreError> {
    dynbridge_core::fs::create_private_dir(dir).map_err(|e| StoreError::Io {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })
}
