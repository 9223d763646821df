//! The Doctor's manual steps the admin ticked off, per account, saved beside the
//! profiles (`doctor-ticks.json`) so they stay ticked across runs and restarts.

use std::collections::BTreeMap;

use crate::{settings, StoreError};

const FILE: &str = "doctor-ticks.json";

/// Each account's ticked step IDs (e.g. "A1"), by account ID.
type Ticks = BTreeMap<String, Vec<String>>;

/// The steps ticked off for `account`; none when nothing was saved.
pub fn load(account: &str) -> Result<Vec<String>, StoreError> {
    Ok(settings::read::<Ticks>(FILE)?
        .remove(account)
        .unwrap_or_default())
}

/// Saves the steps ticked off for `account` (others' are kept), atomically and
/// private to the user like the rest of the profile.
pub fn save(account: &str, steps: &[String]) -> Result<(), StoreError> {
    let _lock = settings::lock()?;
    let mut all: Ticks = settings::read(FILE)?;
    if steps.is_empty() {
        all.remove(account);
    } else {
        all.insert(account.to_owned(), steps.to_vec());
    }
    settings::write(FILE, &all).map(drop)
}
