//! Files the user chose: the only paths the webview may have read or written.
//!
//! The native Open and Save dialogs run here, in Rust, and what the user picks (or drops
//! on the window) is remembered for this session in [`ChosenFiles`]. Every command that
//! reads or writes a file the webview names checks it there first, so a script in the
//! webview cannot read or write anything the user did not choose. A recent file is
//! admitted again only if the store lists it among the files its page opened.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use dynbridge_core::fs::write_atomic;
use dynbridge_store::recent::{self, RecentPage};
use serde::Deserialize;
use tauri::{Runtime, State, Window};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};

use super::{blocking, CommandError};

/// What a chosen file may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// Chosen in the Open dialog or dropped on the window.
    Read,
    /// Chosen in the Save dialog.
    Write,
}

/// The paths the user chose this session, each with what it may be used for.
#[derive(Default)]
pub struct ChosenFiles(Mutex<HashSet<(PathBuf, Access)>>);

impl ChosenFiles {
    /// Remembers that the user chose `path` for `access`.
    pub fn choose(&self, path: impl Into<PathBuf>, access: Access) {
        self.0
            .lock()
            .expect("chosen files lock")
            .insert((path.into(), access));
    }

    /// Refuses a path the user did not choose for `access`, in plain words.
    pub fn check(&self, path: &Path, access: Access) -> Result<(), CommandError> {
        if self
            .0
            .lock()
            .expect("chosen files lock")
            .contains(&(path.to_path_buf(), access))
        {
            return Ok(());
        }
        let rule = match access {
            Access::Read => {
                "Dynbridge reads only files you choose in its Open dialog or drop on its window"
            }
            Access::Write => "Dynbridge writes only to files you choose in its Save dialog",
        };
        Err(CommandError::message(format!("{}: {rule}", path.display())))
    }
}

/// A file type offered in a dialog, e.g. "CSV" with `["csv"]`.
#[derive(Debug, Deserialize)]
pub struct FileFilter {
    pub name: String,
    pub extensions: Vec<String>,
}

/// Writes `bytes` atomically to `path`; an error names the file.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CommandError> {
    write_atomic(path, bytes).map_err(|e| CommandError::message(format!("{}: {e}", path.display())))
}

/// Asks for a file to read with the native Open dialog; null when cancelled.
#[tauri::command]
pub async fn file_open_dialog<R: Runtime>(
    window: Window<R>,
    filter: FileFilter,
    chosen: State<'_, ChosenFiles>,
) -> Result<Option<PathBuf>, CommandError> {
    let dialog = dialog(&window, &filter);
    let picked = blocking("the Open dialog", move || Ok(dialog.blocking_pick_file())).await?;
    remember(picked, Access::Read, &chosen)
}

/// Asks where to save a file with the native Save dialog, suggesting `file_name`; null
/// when cancelled.
#[tauri::command]
pub async fn file_save_dialog<R: Runtime>(
    window: Window<R>,
    file_name: String,
    filter: FileFilter,
    chosen: State<'_, ChosenFiles>,
) -> Result<Option<PathBuf>, CommandError> {
    let dialog = dialog(&window, &filter).set_file_name(file_name);
    let picked = blocking("the Save dialog", move || Ok(dialog.blocking_save_file())).await?;
    remember(picked, Access::Write, &chosen)
}

/// The files last opened on `page`, newest first.
#[tauri::command]
pub async fn recent_files(page: RecentPage) -> Result<Vec<PathBuf>, CommandError> {
    blocking("reading the recent files", move || Ok(recent::list(page)?)).await
}

/// Admits `path` for reading again, as the Open dialog would, if it is one of `page`'s
/// recent files as the store lists them (never on the webview's word alone).
#[tauri::command]
pub async fn recent_file_choose(
    page: RecentPage,
    path: PathBuf,
    chosen: State<'_, ChosenFiles>,
) -> Result<(), CommandError> {
    let listed = blocking("reading the recent files", move || Ok(recent::list(page)?)).await?;
    if !listed.contains(&path) {
        return Err(CommandError::message(format!(
            "{}: not one of this page's recent files; choose it with Open",
            path.display()
        )));
    }
    chosen.choose(path, Access::Read);
    Ok(())
}

/// Puts a file just opened on `page` first among its recent files. A convenience: a
/// profile that cannot be written does not fail the open that succeeded.
pub fn opened(page: RecentPage, path: &Path) {
    let _ = recent::add(page, path);
}

/// Records a path as chosen, as the dialogs would: the end-to-end suite cannot drive
/// them. Exists only in builds with the `e2e` feature.
#[cfg(feature = "e2e")]
#[tauri::command]
pub fn e2e_choose_file(path: PathBuf, write: bool, chosen: State<'_, ChosenFiles>) {
    chosen.choose(path, if write { Access::Write } else { Access::Read });
}

/// Remembers the paths of files dropped on the window as readable (a window event
/// handler).
pub fn remember_dropped<R: Runtime>(window: &Window<R>, event: &tauri::WindowEvent) {
    use tauri::{DragDropEvent, Manager, WindowEvent};
    if let WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event {
        let chosen = window.state::<ChosenFiles>();
        for path in paths {
            chosen.choose(path.clone(), Access::Read);
        }
    }
}

/// A file dialog over the window (as the dialog plugin does: on Windows and macOS only)
/// offering `filter`.
fn dialog<R: Runtime>(window: &Window<R>, filter: &FileFilter) -> FileDialogBuilder<R> {
    let extensions: Vec<&str> = filter.extensions.iter().map(String::as_str).collect();
    let dialog = window.dialog().file().add_filter(&filter.name, &extensions);
    #[cfg(any(windows, target_os = "macos"))]
    let dialog = dialog.set_parent(window);
    dialog
}

/// The picked file's path, remembered as chosen for `access`.
fn remember(
    picked: Option<FilePath>,
    access: Access,
    chosen: &ChosenFiles,
) -> Result<Option<PathBuf>, CommandError> {
    let path = picked.map(FilePath::into_path).transpose()?;
    if let Some(path) = &path {
        chosen.choose(path.clone(), access);
    }
    Ok(path)
}
