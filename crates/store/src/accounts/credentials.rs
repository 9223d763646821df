//! An account's secrets as online work reads and renews them: the store's side of
//! core's [`Credentials`].

use dynbridge_core::account::credentials::Credentials;
use secrecy::SecretString;

use super::AccountStore;
use crate::SecretKind;

/// An account's secrets in the keychain, as online work reads and renews them.
pub struct StoredCredentials<'a> {
    pub(super) store: &'a AccountStore,
    pub(super) id: String,
}

impl Credentials for StoredCredentials<'_> {
    fn client_secret(&self) -> Result<Option<SecretString>, String> {
        self.store
            .secret(&self.id, SecretKind::ClientSecret)
            .map_err(|e| e.to_string())
    }

    fn refresh_token(&self) -> Result<Option<SecretString>, String> {
        self.store
            .secret(&self.id, SecretKind::RefreshToken)
            .map_err(|e| e.to_string())
    }

    fn record_refresh(&self, rotated: Option<&SecretString>) -> Result<(), String> {
        self.store
            .record_refresh(&self.id, rotated)
            .map_err(|e| e.to_string())
    }
}
