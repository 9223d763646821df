//! Where Dynbridge keeps things: account profiles in one JSON file in the OS config
//! directory, and their secrets in the OS keychain (never on disk).
//!
//! The CLI and the app share both, so an account added in one is seen by the other.
//! Changes to a profile and to its accounts' secrets happen under one cross-process
//! [`ProfileLock`]; the profile is private to the user (0700 directory, 0600 files on
//! Unix).

pub mod accounts;
pub mod brightpattern;
pub mod channel;
pub mod doctor;
pub mod keychain;
pub mod lock;
pub mod paths;
pub mod recent;
mod settings;

use dynbridge_core::AppInfo;

pub use keychain::{Keychain, SecretKind};
pub use lock::ProfileLock;

/// Everything that can go wrong while reading or writing the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the keychain library fell back to its in-memory mock store, so secrets would be \
         lost; this build of Dynbridge lacks the OS keychain backend for this platform"
    )]
    MockKeychain,
    #[error("cannot {action} in the OS keychain ({backend}): {source}{remedy}")]
    Keychain {
        action: &'static str,
        backend: &'static str,
        #[source]
        source: keyring::Error,
        /// What the user can do about it, starting with ". ", or empty.
        remedy: &'static str,
    },
    #[error("no home directory is known for this user, so there is no place for profiles")]
    NoHomeDirectory,
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },
    #[error("{path} is damaged and was left as it is: {reason}")]
    Corrupt { path: String, reason: String },
    #[error("there is no account {name:?}")]
    NotFound { name: String },
    #[error("there is no Bright Pattern connection {name:?}")]
    NoConnection { name: String },
    #[error(
        "a Bright Pattern connection named {name:?} exists already; connection names are unique"
    )]
    ConnectionNameTaken { name: String },
    #[error("an account named {name:?} exists already; account names are unique")]
    NameTaken { name: String },
    #[error("{message}")]
    Invalid { message: String },
    #[error(
        "the OS keychain holds only part of the {secret} (a piece is missing, perhaps \
         deleted by hand); enter it again, or Request token again for a refresh token"
    )]
    IncompleteSecret { secret: &'static str },
}

/// A new stable id starting with `prefix`, not `taken`: time and process, in hex.
fn new_id(prefix: &str, taken: impl Fn(&str) -> bool) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let base = format!("{prefix}-{nanos:x}-{:x}", std::process::id());
    (0..)
        .map(|n| match n {
            0 => base.clone(),
            n => format!("{base}-{n}"),
        })
        .find(|id| !taken(id))
        .expect("some id is free")
}

/// The version, profile directory and keychain backend, as the app and CLI report them.
///
/// Fails when the keychain would be the mock store: the app refuses to start then.
pub fn app_info() -> Result<AppInfo, StoreError> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        profile_dir: paths::profile_dir()?.display().to_string(),
        keychain_backend: keychain::backend()?.to_owned(),
    })
}
