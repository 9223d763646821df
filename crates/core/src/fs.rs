//! Writing files so nothing is lost: into a temporary file beside the target, then
//! renamed into place, so a crash leaves either the old file or the new one.
//!
//! The temporary file has a random name and is created exclusively (`tempfile`), so
//! parallel writers never share one and a link planted at a guessable name is never
//! followed. Its data is synced before the rename, and on Unix the directory after it.
//! A replaced file keeps its permissions; [`write_private`] makes a file only its owner
//! may read, for the profile ([`create_private_dir`] makes its directory).
//!
//! Files that belong together (a calling list and its rejects) go through an
//! [`OutputSet`]: every new file is written completely beside its target first, and
//! only then are they renamed into place and stale outputs removed, undoing what was
//! done if a step fails, so the folder keeps the old set or gets the whole new one.

use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::{NamedTempFile, TempPath};

/// Who may read the file written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// As the file replaced, or as any new file (subject to the umask).
    AsBefore,
    /// Only its owner (0600 on Unix), whatever the file replaced allowed.
    Private,
}

/// Writes `bytes` to `path` atomically (temporary file in the same directory, synced,
/// then renamed over the target). An existing target keeps its permissions.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_parts(path, &[bytes])
}

/// [`write_atomic`] for content in several parts, written one after the other without
/// first joining them in memory.
pub fn write_atomic_parts(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    write_with(path, parts, Access::AsBefore)
}

/// [`write_atomic`] for a file only its owner may read or write (0600 on Unix, even
/// when the file it replaces was open to others). On Windows files under the user's
/// profile are private to the user already.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, &[bytes], Access::Private)
}

/// Creates `dir` (and its parents) if needed and makes it private to its owner (0700
/// on Unix), tightening it when it exists. A shared directory with the sticky bit
/// (such as `/tmp`) is never changed. Nothing to do on Windows (see [`write_private`]).
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        const STICKY: u32 = 0o1000;
        let mode = std::fs::metadata(dir)?.permissions().mode();
        if mode & STICKY == 0 && mode & 0o7777 != 0o700 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// How long a rename over a target that Windows holds busy is retried.
const BUSY_TARGET_PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);

fn write_with(path: &Path, parts: &[&[u8]], access: Access) -> std::io::Result<()> {
    let mut temp = prepare(path, parts, access)?;
    let started = std::time::Instant::now();
    let mut pause = std::time::Duration::from_millis(1);
    loop {
        match temp.persist(path) {
            Ok(_) => break,
            // Windows refuses to replace a file while another rename onto it is under
            // way or a scanner holds it without FILE_SHARE_DELETE ("Access is denied");
            // the moment passes, so try again for a while (as npm's write-file-atomic does).
            Err(e)
                if cfg!(windows)
                    && e.error.kind() == std::io::ErrorKind::PermissionDenied
                    && started.elapsed() < BUSY_TARGET_PATIENCE =>
            {
                temp = e.file;
                std::thread::sleep(pause);
                pause = (pause * 2).min(std::time::Duration::from_millis(100));
            }
            // On failure the temporary file is dropped, which deletes it.
            Err(e) => return Err(e.error),
        }
    }
    sync_dir(parent(path));
    Ok(())
}

/// The directory a file is in ("." for a bare name).
fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Writes the content to a synced temporary file beside `path`, ready to be renamed
/// over it.
fn prepare(path: &Path, parts: &[&[u8]], access: Access) -> std::io::Result<NamedTempFile> {
    let dir = parent(path);
    std::fs::create_dir_all(dir)?;
    let prefix = temp_prefix(path);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(new_file_permissions(access));
    let mut temp = builder.tempfile_in(dir)?;
    if access == Access::AsBefore {
        keep_permissions(path, &temp)?;
    }
    for part in parts {
        temp.write_all(part)?;
    }
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// A file of an [`OutputSet`] that could not be written, replaced or removed.
#[derive(Debug, thiserror::Error)]
#[error("{}: {error}", path.display())]
pub struct OutputError {
    pub path: PathBuf,
    #[source]
    pub error: std::io::Error,
}

/// Files written all or nothing: [`OutputSet::write`] writes each new file completely
/// to a temporary file beside its target, [`OutputSet::remove`] names an older output
/// this run does not produce, and [`OutputSet::commit`] renames the new files into
/// place and removes the stale ones only once every file is complete. Dropped without
/// a commit, the set leaves the disk as it was.
#[derive(Default)]
pub struct OutputSet {
    steps: Vec<Step>,
}

enum Step {
    Write { path: PathBuf, temp: NamedTempFile },
    Remove { path: PathBuf },
}

/// What a commit did to one target, and how to undo it.
enum Done {
    /// Written over `backup` (the old file, kept under a temporary name) or new.
    Written {
        path: PathBuf,
        backup: Option<TempPath>,
    },
    /// Removed: the old file waits under a temporary name until the commit ends.
    Removed { path: PathBuf, backup: TempPath },
}

impl OutputSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes `parts` to a temporary file beside `path`; the target is untouched until
    /// [`OutputSet::commit`]. An existing target keeps its permissions.
    pub fn write(&mut self, path: &Path, parts: &[&[u8]]) -> Result<(), OutputError> {
        let temp = prepare(path, parts, Access::AsBefore).map_err(|error| OutputError {
            path: path.to_path_buf(),
            error,
        })?;
        self.steps.push(Step::Write {
            path: path.to_path_buf(),
            temp,
        });
        Ok(())
    }

    /// Names an output this run does not produce: a file left at `path` by an earlier
    /// run is removed by the commit (nothing happens when there is none).
    pub fn remove(&mut self, path: &Path) {
        self.steps.push(Step::Remove {
            path: path.to_path_buf(),
        });
    }

    /// Renames every written file into place and removes the stale ones. If any step
    /// fails, the steps already taken are undone (old files put back, new ones
    /// removed) and the error names the file that failed.
    pub fn commit(self) -> Result<(), OutputError> {
        let mut done: Vec<Done> = Vec::new();
        let mut dirs: Vec<PathBuf> = Vec::new();
        for step in self.steps {
            let result = match step {
                Step::Write { path, temp } => {
                    commit_write(&path, temp).map(|backup| Done::Written { path, backup })
                }
                Step::Remove { path } => match commit_remove(&path) {
                    Ok(Some(backup)) => Ok(Done::Removed { path, backup }),
                    Ok(None) => continue,
                    Err(e) => Err(e),
                },
            };
            match result {
                Ok(step) => {
                    let path = match &step {
                        Done::Written { path, .. } | Done::Removed { path, .. } => path,
                    };
                    let dir = parent(path).to_path_buf();
                    if !dirs.contains(&dir) {
                        dirs.push(dir);
                    }
                    done.push(step);
                }
                Err(e) => {
                    undo(done);
                    return Err(e);
                }
            }
        }
        // Dropping the backups deletes the old files for good.
        drop(done);
        for dir in &dirs {
            sync_dir(dir);
        }
        Ok(())
    }
}

/// A file at `path` (not a directory or a missing one).
fn is_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_dir())
}

/// Renames `temp` over `path`, first keeping the old file under a temporary name (a
/// hard link, or a copy where links are not supported) so the commit can be undone.
fn commit_write(path: &Path, temp: NamedTempFile) -> Result<Option<TempPath>, OutputError> {
    let failed = |error| OutputError {
        path: path.to_path_buf(),
        error,
    };
    let backup = if is_file(path) {
        let prefix = temp_prefix(path);
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".old");
        let kept = builder
            .make_in(parent(path), |link| std::fs::hard_link(path, link))
            .or_else(|_| builder.make_in(parent(path), |copy| std::fs::copy(path, copy).map(drop)))
            .map_err(failed)?;
        Some(kept.into_temp_path())
    } else {
        None
    };
    // On failure the temporary file and the backup are dropped, which deletes them.
    temp.persist(path).map_err(|e| failed(e.error))?;
    Ok(backup)
}

/// Moves a stale output out of the way (to a temporary name, deleted when the commit
/// ends); `None` when there is none.
fn commit_remove(path: &Path) -> Result<Option<TempPath>, OutputError> {
    if !is_file(path) {
        return Ok(None);
    }
    let prefix = temp_prefix(path);
    tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".old")
        .make_in(parent(path), |to| std::fs::rename(path, to))
        .map(|moved| Some(moved.into_temp_path()))
        .map_err(|error| OutputError {
            path: path.to_path_buf(),
            error,
        })
}

/// The prefix of the temporary names beside `path`: `.<name>.`.
fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.")
}

/// Puts back what a failed commit had done, latest first (best effort).
fn undo(done: Vec<Done>) {
    for step in done.into_iter().rev() {
        match step {
            Done::Written {
                path,
                backup: Some(backup),
            }
            | Done::Removed { path, backup } => {
                let _ = backup.persist(&path);
            }
            Done::Written { path, backup: None } => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// The permissions a new file is created with on Unix: 0666 less the umask, as for any
/// new file, or 0600 for a private one.
#[cfg(unix)]
fn new_file_permissions(access: Access) -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(match access {
        Access::AsBefore => 0o666,
        Access::Private => 0o600,
    })
}

/// Gives the temporary file the permissions of the file it will replace, if any (Unix
/// modes; Windows has only the read-only flag, which a replace must not copy).
fn keep_permissions(path: &Path, temp: &NamedTempFile) -> std::io::Result<()> {
    #[cfg(unix)]
    match std::fs::metadata(path) {
        Ok(target) => temp.as_file().set_permissions(target.permissions()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
    #[cfg(not(unix))]
    {
        let _ = (path, temp);
        Ok(())
    }
}

/// Makes the rename durable: syncs the directory on Unix. Best effort, as some file
/// systems refuse to sync a directory; the file itself is already synced.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_target_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.json")]);
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn an_output_set_replaces_writes_and_removes_together() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, stale) = (
            dir.path().join("a.csv"),
            dir.path().join("b.csv"),
            dir.path().join("stale.csv"),
        );
        std::fs::write(&a, "old a").unwrap();
        std::fs::write(&stale, "old").unwrap();
        let mut set = OutputSet::new();
        set.write(&a, &[b"new ", b"a"]).unwrap();
        set.write(&b, &[b"new b"]).unwrap();
        set.remove(&stale);
        set.remove(&dir.path().join("never-there.csv"));
        assert_eq!(
            std::fs::read(&a).unwrap(),
            b"old a",
            "nothing before the commit"
        );
        set.commit().unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"new a");
        assert_eq!(std::fs::read(&b).unwrap(), b"new b");
        assert_eq!(names(dir.path()), ["a.csv", "b.csv"]);
    }

    #[test]
    fn a_failed_commit_puts_everything_back_and_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let (a, stale, blocked) = (
            dir.path().join("a.csv"),
            dir.path().join("stale.csv"),
            dir.path().join("blocked.csv"),
        );
        std::fs::write(&a, "old a").unwrap();
        std::fs::write(&stale, "old").unwrap();
        std::fs::create_dir(&blocked).unwrap();
        std::fs::write(blocked.join("inside"), "x").unwrap();
        let mut set = OutputSet::new();
        set.write(&a, &[b"new a"]).unwrap();
        set.write(&dir.path().join("new.csv"), &[b"new"]).unwrap();
        set.remove(&stale);
        set.write(&blocked, &[b"cannot go over a folder"]).unwrap();
        let error = set.commit().unwrap_err();
        assert_eq!(error.path, blocked);
        assert!(error
            .to_string()
            .starts_with(&blocked.display().to_string()));
        assert_eq!(std::fs::read(&a).unwrap(), b"old a");
        assert_eq!(std::fs::read(&stale).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["a.csv", "blocked.csv", "stale.csv"]);
    }

    #[test]
    fn an_output_set_dropped_without_a_commit_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        std::fs::write(&a, "old a").unwrap();
        let mut set = OutputSet::new();
        set.write(&a, &[b"new a"]).unwrap();
        set.remove(&a);
        drop(set);
        assert_eq!(std::fs::read(&a).unwrap(), b"old a");
        assert_eq!(names(dir.path()), ["a.csv"]);
    }

    #[test]
    fn parallel_writes_of_one_target_all_succeed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.json");
        std::thread::scope(|scope| {
            for writer in 0..8 {
                let path = &path;
                scope.spawn(move || {
                    for round in 0..25 {
                        let text = format!("writer {writer} round {round}");
                        write_atomic(path, text.as_bytes()).unwrap();
                    }
                });
            }
        });
        let last = std::fs::read_to_string(&path).unwrap();
        assert!(last.starts_with("writer "), "{last}");
    }

    #[cfg(unix)]
    mod unix {
        use super::*;
        use std::os::unix::fs::{symlink, PermissionsExt};

        fn mode(path: &Path) -> u32 {
            std::fs::metadata(path).unwrap().permissions().mode() & 0o777
        }

        #[test]
        fn never_writes_through_a_link_planted_at_a_temporary_name() {
            let dir = tempfile::tempdir().unwrap();
            let victim = dir.path().join("victim");
            std::fs::write(&victim, b"precious").unwrap();
            let path = dir.path().join("out.json");
            // The names a temporary file would get from the process id alone.
            for name in [
                format!(".out.json.{}.tmp", std::process::id()),
                format!("out.json.{}.tmp", std::process::id()),
                "out.json.tmp".to_owned(),
            ] {
                symlink(&victim, dir.path().join(name)).unwrap();
            }

            write_atomic(&path, b"new").unwrap();
            assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
            assert!(std::fs::symlink_metadata(&path).unwrap().is_file());
            assert_eq!(std::fs::read(&path).unwrap(), b"new");
        }

        #[test]
        fn keeps_the_permissions_of_the_file_it_replaces() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("report.csv");
            std::fs::write(&path, b"old").unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
            write_atomic(&path, b"new").unwrap();
            assert_eq!(mode(&path), 0o640);
        }

        #[test]
        fn a_new_file_gets_the_permissions_of_any_new_file() {
            let dir = tempfile::tempdir().unwrap();
            let plain = dir.path().join("plain");
            std::fs::write(&plain, b"").unwrap();
            let path = dir.path().join("new.csv");
            write_atomic(&path, b"new").unwrap();
            assert_eq!(mode(&path), mode(&plain), "0666 less the umask");
        }

        #[test]
        fn a_private_file_is_for_its_owner_only_even_replacing_an_open_one() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("accounts.json");
            write_private(&path, b"first").unwrap();
            assert_eq!(mode(&path), 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            write_private(&path, b"second").unwrap();
            assert_eq!(mode(&path), 0o600);
            assert_eq!(std::fs::read(&path).unwrap(), b"second");
        }

        #[test]
        fn a_private_directory_is_created_or_tightened_but_a_shared_one_left_alone() {
            let dir = tempfile::tempdir().unwrap();
            let profile = dir.path().join("config").join("dynbridge");
            create_private_dir(&profile).unwrap();
            assert_eq!(mode(&profile), 0o700);

            std::fs::set_permissions(&profile, std::fs::Permissions::from_mode(0o755)).unwrap();
            create_private_dir(&profile).unwrap();
            assert_eq!(mode(&profile), 0o700);

            let shared = dir.path().join("shared");
            std::fs::create_dir(&shared).unwrap();
            std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
            create_private_dir(&shared).unwrap();
            assert_eq!(
                mode(&shared),
                0o777,
                "a sticky shared directory keeps its mode"
            );
        }
    }
}
