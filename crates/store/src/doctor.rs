//! The Doctor's manual steps the admin ticked off, per account, saved beside the
//! profiles (`doctor-ticks.json`) so they stay ticked across runs and restarts.

use std::collections::BTreeMap;
use std::path::PathBuf;

use dynbridge_core::fs::write_private;

use crate::{paths, ProfileLock, StoreError};

const FILE: &str = "doctor-ticks.json";

/// Each account's ticked step IDs (e.g. "A1"), by account ID.
type Ticks = BTreeMap<String, Vec<String>>;

fn path() -> Result<PathBuf, StoreError> {
    Ok(paths::profile_dir()?.join(FILE))
}

fn read_all() -> Result<Ticks, StoreError> {
    let path = path()?;
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt {
            path: path.display().to_string(),
            reason: e.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Ticks::new()),
        Err(e) => Err(StoreError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        }),
    }
}

/// The steps ticked off for `account`; none when nothing was saved.
pub fn load(account: &str) -> Result<Vec<String>, StoreError> {
    Ok(read_all()?.remove(account).unwrap_or_default())
}

/// Saves the steps ticked off for `account` (others' are kept), atomically and
/// private to the user like the rest of the profile.
pub fn save(account: &str, steps: &[String]) -> Result<(), StoreError> {
    let dir = paths::profile_dir()?;
    paths::create_private(&dir)?;
    let _lock = ProfileLock::acquire(&dir.join(format!("{}.lock", crate::accounts::FILE)))?;
    let mut all = read_all()?;
    if steps.is_empty() {
        all.remove(account);
    } else {
        all.insert(account.to_owned(), steps.to_vec());
    }
    let path = path()?;
    let json = serde_json::to_vec_pretty(&all).expect("ticks serialise");
    write_private(&path, &json).map_err(|e| StoreError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}
