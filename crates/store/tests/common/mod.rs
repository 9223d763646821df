//! Helpers shared by the store's integration tests: a store in a fresh directory with
//! its own keychain service, accounts, long secrets, and a search of the keychain that
//! does not go through the store (so it can prove what the store left behind).

#![allow(dead_code)] // each test binary uses a different part

use std::path::Path;

use dynbridge_core::account::Account;
use dynbridge_store::accounts::AccountStore;
use dynbridge_store::Keychain;
use secrecy::SecretString;

/// An account store in its own temporary profile directory, its secrets under a
/// keychain service of its own.
pub struct TestStore {
    pub store: AccountStore,
    pub service: String,
    pub dir: tempfile::TempDir,
}

impl TestStore {
    pub fn new(name: &str) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let service = format!("dynbridge-test-{name}-{}", std::process::id());
        Self::in_dir(dir, service)
    }

    /// A store in `dir` under `service`, as another process sharing them would open it.
    pub fn in_dir(dir: tempfile::TempDir, service: String) -> Self {
        let store = at(dir.path(), &service);
        Self {
            store,
            service,
            dir,
        }
    }
}

/// The store whose profile directory is `dir`, secrets under `service`.
pub fn at(dir: &Path, service: &str) -> AccountStore {
    AccountStore::at(
        dir.join("profile").join("accounts.json"),
        Keychain::with_service(service),
    )
}

/// A valid account named `name`, read from JSON as an exported account is, so that
/// fields added later with a default need no change here.
pub fn account(name: &str) -> Account {
    serde_json::from_value(serde_json::json!({
        "id": "",
        "name": name,
        "default": false,
        "tenant": "example",
        "authorization_url": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/authorize",
        "token_url": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/token",
        "api_url": "https://contoso.crm.dynamics.com/api/data/v9.0",
        "client_id": "11111111-2222-3333-4444-555555555555",
        "secret_expires": "2027-06-01",
        "refresh_token_used": null,
    }))
    .expect("a valid account")
}

/// A refresh token as long as Entra's rotated ones (about 2,100 characters, so it is
/// kept in several pieces), different for each `seed`.
pub fn long_token(seed: usize) -> SecretString {
    let head = format!("0.AR{seed:05}.");
    let body: String = (0..2_100 - head.len())
        .map(|i| char::from(b'A' + ((i + seed) % 26) as u8))
        .collect();
    SecretString::from(head + &body)
}

/// The user names of every item the keychain holds under `service`, found by a
/// Secret Service search by attributes.
#[cfg(target_os = "linux")]
pub fn keychain_items(service: &str) -> Vec<String> {
    use dbus_secret_service::{EncryptionType, SecretService};
    let secret_service =
        SecretService::connect(EncryptionType::Plain).expect("the Secret Service answers");
    let found = secret_service
        .search_items(std::collections::HashMap::from([("service", service)]))
        .expect("the Secret Service searches");
    let mut names: Vec<String> = found
        .unlocked
        .iter()
        .chain(&found.locked)
        .map(|item| {
            item.get_attributes()
                .expect("an item has attributes")
                .remove("username")
                .unwrap_or_default()
        })
        .collect();
    names.sort();
    names
}
