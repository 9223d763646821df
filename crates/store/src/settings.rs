//! Saved settings beside the profiles: one JSON file each, read whole (its default when
//! nothing was saved yet) and written atomically, private to the user like the rest of
//! the profile.

use std::path::PathBuf;

use dynbridge_core::fs::write_private;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{paths, ProfileLock, StoreError};

/// Where the settings file `file` is.
fn path(file: &str) -> Result<PathBuf, StoreError> {
    Ok(paths::profile_dir()?.join(file))
}

/// The settings saved in `file`, or their default when the file is not there.
pub(crate) fn read<T: DeserializeOwned + Default>(file: &str) -> Result<T, StoreError> {
    let path = path(file)?;
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt {
            path: path.display().to_string(),
            reason: e.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(T::default()),
        Err(e) => Err(StoreError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        }),
    }
}

/// Writes `value` to `file` (making the profile directory first); returns its path.
pub(crate) fn write<T: Serialize>(file: &str, value: &T) -> Result<PathBuf, StoreError> {
    paths::create_private(&paths::profile_dir()?)?;
    let path = path(file)?;
    let json = serde_json::to_vec_pretty(value).expect("settings serialise");
    write_private(&path, &json).map_err(|e| StoreError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    Ok(path)
}

/// Holds the profile lock, for a change that reads a settings file and writes it back.
pub(crate) fn lock() -> Result<ProfileLock, StoreError> {
    let dir = paths::profile_dir()?;
    paths::create_private(&dir)?;
    ProfileLock::acquire(&dir.join(format!("{}.lock", crate::accounts::FILE)))
}
