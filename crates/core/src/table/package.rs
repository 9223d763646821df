//! A zip package (xlsx, ods) opened once and read a part at a time: parts are found as
//! Excel finds them (ignoring case and the kind of slash), and each read runs under the
//! package's lock, so one stream reads the file at a time.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use zip::ZipArchive;

use super::xml_guard::Problem;
use super::TableError;

pub(crate) struct Package {
    path: PathBuf,
    archive: Mutex<ZipArchive<BufReader<File>>>,
}

impl std::fmt::Debug for Package {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Package")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Package {
    pub(crate) fn open(path: &Path) -> Result<Self, TableError> {
        let corrupt = |reason: String| TableError::Corrupt {
            path: path.display().to_string(),
            reason,
        };
        let file = File::open(path).map_err(|e| corrupt(e.to_string()))?;
        let archive = ZipArchive::new(BufReader::new(file)).map_err(|e| corrupt(e.to_string()))?;
        Ok(Self {
            path: path.to_path_buf(),
            archive: Mutex::new(archive),
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The error for a package that is damaged in the way `reason` says.
    pub(crate) fn corrupt(&self, reason: String) -> TableError {
        TableError::Corrupt {
            path: self.path.display().to_string(),
            reason,
        }
    }

    /// Reads part `part` with `read`; `None` when the package has no such part.
    pub(crate) fn read<T>(
        &self,
        part: &str,
        read: impl FnOnce(&mut dyn Read) -> Result<T, Problem>,
    ) -> Result<Option<T>, Problem> {
        let mut archive = self.archive.lock().unwrap_or_else(|e| e.into_inner());
        let Some(name) = entry_name(&archive, part) else {
            return Ok(None);
        };
        let read = match archive.by_name(&name) {
            Ok(mut entry) => read(&mut entry),
            Err(e) => Err(Problem::Io(e.to_string())),
        };
        read.map(Some)
    }
}

/// The archive's name for `part`, matched as Excel does: ignoring case and the kind
/// of slash.
fn entry_name(archive: &ZipArchive<BufReader<File>>, part: &str) -> Option<String> {
    if archive.index_for_name(part).is_some() {
        return Some(part.to_owned());
    }
    archive
        .file_names()
        .filter_map(Result::ok)
        .find(|name| name.replace('\\', "/").eq_ignore_ascii_case(part))
        .map(|name| name.into_owned())
}
