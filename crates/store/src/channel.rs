//! The channel provider settings, saved on their own beside the profiles until an
//! account holds them.

use std::path::PathBuf;

use dynbridge_core::channel::ChannelInputs;
use dynbridge_core::fs::write_private;

use crate::{paths, StoreError};

const FILE: &str = "channel-provider.json";

fn path() -> Result<PathBuf, StoreError> {
    Ok(paths::profile_dir()?.join(FILE))
}

/// The saved settings, or the defaults when none were saved.
pub fn load() -> Result<ChannelInputs, StoreError> {
    let path = path()?;
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt {
            path: path.display().to_string(),
            reason: e.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ChannelInputs::default()),
        Err(e) => Err(StoreError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        }),
    }
}

/// Saves the settings atomically, private to the user like the rest of the profile.
pub fn save(inputs: &ChannelInputs) -> Result<PathBuf, StoreError> {
    paths::create_private(&paths::profile_dir()?)?;
    let path = path()?;
    let json = serde_json::to_vec_pretty(inputs).expect("channel inputs serialise");
    write_private(&path, &json).map_err(|e| StoreError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    Ok(path)
}
