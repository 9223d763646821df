//! Writing files so nothing is lost: into a temporary file beside the target, then
//! renamed into place, so a crash leaves either the old file or the new one.
//!
//! The temporary file has a random name and is created exclusively (`tempfile`), so
//! parallel writers never share one and a link planted at a guessable name is never
//! followed. Its data is synced before the rename, and on Unix the directory after it.
//! A replaced file keeps its permissions; [`write_private`] makes a file only its owner
//! may read, for the profile ([`create_private_dir`] makes its directory).

use std::io::Write;
use std::path::Path;

use tempfile::NamedTempFile;

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

fn write_with(path: &Path, parts: &[&[u8]], access: Access) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
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
    // On failure the temporary file is dropped, which deletes it.
    temp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
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
