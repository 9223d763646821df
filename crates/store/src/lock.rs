//! The profile lock: held while the accounts file or an account's secrets change, so
//! that the app, the CLI and their threads change one profile one at a time.
//!
//! It is a lock file beside the accounts file, locked with `fs4` (`flock` on Unix,
//! `LockFileEx` on Windows), which serialises processes. Threads of one process are
//! serialised as well by a table of the lock files held in this process, since some
//! file systems (NFS) turn `flock` into per-process locks that a second thread would
//! pass. One lock for the whole profile: changes are rare and take milliseconds, and a
//! single lock cannot be taken in two orders.

use std::collections::BTreeSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, PoisonError};

use crate::StoreError;

/// The lock files held by threads of this process, and the signal that one was let go.
static HELD_HERE: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());
static LET_GO: Condvar = Condvar::new();

/// The profile lock, held until dropped.
#[derive(Debug)]
pub struct ProfileLock {
    // Declared first, so that it is closed before other threads are let in.
    file: File,
    _in_process: HeldHere,
}

impl ProfileLock {
    /// Waits until this thread holds the lock file at `path` (created 0600 on Unix if
    /// missing, tightened if open to others), then holds it.
    pub fn acquire(path: &Path) -> Result<Self, StoreError> {
        let io_error = |e: std::io::Error| StoreError::Io {
            path: path.display().to_string(),
            reason: format!("cannot lock the profile: {e}"),
        };
        let file = open_private(path).map_err(io_error)?;
        let in_process = HeldHere::wait_for(path.canonicalize().map_err(io_error)?);
        fs4::FileExt::lock(&file).map_err(io_error)?;
        Ok(Self {
            file,
            _in_process: in_process,
        })
    }
}

impl Drop for ProfileLock {
    fn drop(&mut self) {
        // Closing the file would let go too, but Windows may do that late.
        let _ = fs4::FileExt::unlock(&self.file);
    }
}

fn open_private(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        if file.metadata()?.permissions().mode() & 0o777 != 0o600 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

/// A lock file held by a thread of this process; let go when dropped.
#[derive(Debug)]
struct HeldHere(PathBuf);

impl HeldHere {
    fn wait_for(path: PathBuf) -> Self {
        let mut held = HELD_HERE.lock().unwrap_or_else(PoisonError::into_inner);
        while held.contains(&path) {
            held = LET_GO.wait(held).unwrap_or_else(PoisonError::into_inner);
        }
        held.insert(path.clone());
        Self(path)
    }
}

impl Drop for HeldHere {
    fn drop(&mut self) {
        HELD_HERE
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.0);
        LET_GO.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn threads_hold_the_lock_one_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.json.lock");
        let inside = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for _ in 0..20 {
                        let _held = ProfileLock::acquire(&path).unwrap();
                        assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0);
                        std::thread::yield_now();
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                });
            }
        });
    }

    #[test]
    fn another_open_of_the_lock_file_cannot_take_it_while_held() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.json.lock");
        let held = ProfileLock::acquire(&path).unwrap();
        // What another process does: its own open of the file.
        let other = File::open(&path).unwrap();
        assert!(fs4::FileExt::try_lock(&other).is_err());
        drop(held);
        fs4::FileExt::try_lock(&other).unwrap();
    }
}
