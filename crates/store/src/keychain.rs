//! Secrets in the OS keychain: macOS Keychain, Windows Credential Manager, or the
//! Secret Service (GNOME Keyring, KWallet) on Linux.
//!
//! keyring 3 silently uses an in-memory mock when no backend feature matches the
//! platform; [`backend`] detects that so the app can refuse to run instead of losing
//! secrets.

use keyring::Entry;
use secrecy::{ExposeSecret, SecretString};

use crate::StoreError;

/// The keychain service name under which Dynbridge stores its secrets.
pub const SERVICE: &str = "dynbridge";

/// The kinds of secret kept per integration account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    ClientSecret,
    RefreshToken,
}

impl SecretKind {
    fn label(self) -> &'static str {
        match self {
            SecretKind::ClientSecret => "client-secret",
            SecretKind::RefreshToken => "refresh-token",
        }
    }
}

/// The name of the credential store keyring uses on this platform, or
/// [`StoreError::MockKeychain`] when it resolved to its mock.
pub fn backend() -> Result<&'static str, StoreError> {
    let probe = Entry::new(SERVICE, "backend-probe").map_err(|source| StoreError::Keychain {
        action: "open an entry",
        backend: platform_backend_name(),
        source,
    })?;
    if probe.get_credential().is::<keyring::mock::MockCredential>() {
        return Err(StoreError::MockKeychain);
    }
    Ok(platform_backend_name())
}

fn platform_backend_name() -> &'static str {
    if cfg!(target_os = "macos") {
        "macOS Keychain"
    } else if cfg!(target_os = "windows") {
        "Windows Credential Manager"
    } else {
        "Secret Service (D-Bus)"
    }
}

/// Secrets of integration accounts, keyed by a stable account id.
#[derive(Debug, Clone)]
pub struct Keychain {
    service: String,
}

impl Default for Keychain {
    fn default() -> Self {
        Self::with_service(SERVICE)
    }
}

impl Keychain {
    /// A keychain view under another service name (tests use their own).
    pub fn with_service(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    fn entry(&self, account_id: &str, kind: SecretKind) -> Result<Entry, StoreError> {
        let user = format!("{account_id}/{}", kind.label());
        Entry::new(&self.service, &user).map_err(|source| keychain_error("open an entry", source))
    }

    /// Stores (or replaces) a secret.
    pub fn set(
        &self,
        account_id: &str,
        kind: SecretKind,
        secret: &SecretString,
    ) -> Result<(), StoreError> {
        self.entry(account_id, kind)?
            .set_password(secret.expose_secret())
            .map_err(|source| keychain_error("store a secret", source))
    }

    /// The stored secret, or `None` when there is none.
    pub fn get(
        &self,
        account_id: &str,
        kind: SecretKind,
    ) -> Result<Option<SecretString>, StoreError> {
        match self.entry(account_id, kind)?.get_password() {
            Ok(secret) => Ok(Some(SecretString::from(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(source) => Err(keychain_error("read a secret", source)),
        }
    }

    /// Deletes a secret; `Ok(false)` when there was none.
    pub fn delete(&self, account_id: &str, kind: SecretKind) -> Result<bool, StoreError> {
        match self.entry(account_id, kind)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(source) => Err(keychain_error("delete a secret", source)),
        }
    }
}

fn keychain_error(action: &'static str, source: keyring::Error) -> StoreError {
    StoreError::Keychain {
        action,
        backend: platform_backend_name(),
        source,
    }
}
