//! The files last opened on the Lists and Screen pop pages: paths only, the newest first,
//! at most [`KEPT`] a page, saved beside the profiles (`recent-files.json`). The app adds
//! a path only once it has opened it, and re-opens a recent file only if it is listed
//! here, so the webview cannot name a path of its own.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{settings, StoreError};

const FILE: &str = "recent-files.json";

/// How many recent files a page keeps.
pub const KEPT: usize = 5;

/// A page that keeps recent files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RecentPage {
    Lists,
    Screenpop,
}

/// Each page's recent files, newest first.
type Recent = BTreeMap<RecentPage, Vec<PathBuf>>;

/// The files last opened on `page`, newest first; none when nothing was saved.
pub fn list(page: RecentPage) -> Result<Vec<PathBuf>, StoreError> {
    Ok(settings::read::<Recent>(FILE)?
        .remove(&page)
        .unwrap_or_default())
}

/// Puts `path` first among `page`'s recent files (once), keeping the newest [`KEPT`].
pub fn add(page: RecentPage, path: &Path) -> Result<(), StoreError> {
    let _lock = settings::lock()?;
    let mut all: Recent = settings::read(FILE)?;
    let files = all.entry(page).or_default();
    files.retain(|p| p != path);
    files.insert(0, path.to_path_buf());
    files.truncate(KEPT);
    settings::write(FILE, &all).map(drop)
}
