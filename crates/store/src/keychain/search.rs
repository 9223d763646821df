//! Linux: every item of an account, found by a Secret Service search by attributes.
//!
//! keyring 3 stores each entry as an item with the attributes `service` and `username`
//! (the entry name) but cannot search; the Secret Service can, through the same
//! `dbus-secret-service` crate keyring uses. Searching finds what probing names cannot:
//! pieces of generations written by builds before the slots, or of writes that ran at
//! once before the profile lock existed.

use std::collections::HashMap;

use dbus_secret_service::{EncryptionType, Item, SecretService};

use super::{keychain_error, pieces};
use crate::StoreError;

/// The names of every item of the account under `service`.
pub(super) fn item_names(service: &str, account_id: &str) -> Result<Vec<String>, StoreError> {
    let secret_service = connect()?;
    let mut names: Vec<String> = items(&secret_service, service, account_id)?
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    names.sort();
    Ok(names)
}

/// Deletes every item of the account under `service`.
pub(super) fn delete_items(service: &str, account_id: &str) -> Result<(), StoreError> {
    let secret_service = connect()?;
    for (_, item) in items(&secret_service, service, account_id)? {
        item.delete().map_err(|e| failure("delete a secret", e))?;
    }
    Ok(())
}

fn connect() -> Result<SecretService, StoreError> {
    // Plain: no secret crosses the bus, only names.
    SecretService::connect(EncryptionType::Plain).map_err(|e| failure("search the keychain", e))
}

/// The account's items with their names, unlocked so they can be deleted.
fn items<'a>(
    secret_service: &'a SecretService,
    service: &str,
    account_id: &str,
) -> Result<Vec<(String, Item<'a>)>, StoreError> {
    let found = secret_service
        .search_items(HashMap::from([("service", service)]))
        .map_err(|e| failure("search the keychain", e))?;
    if !found.locked.is_empty() {
        let locked: Vec<&Item> = found.locked.iter().collect();
        secret_service
            .unlock_all(&locked)
            .map_err(|e| failure("unlock the keychain", e))?;
    }
    let prefix = pieces::account_prefix(account_id);
    let mut of_account = Vec::new();
    for item in found.unlocked.into_iter().chain(found.locked) {
        let attributes = item
            .get_attributes()
            .map_err(|e| failure("search the keychain", e))?;
        match attributes.get("username") {
            Some(name) if name.starts_with(&prefix) => of_account.push((name.clone(), item)),
            _ => {}
        }
    }
    Ok(of_account)
}

fn failure(action: &'static str, error: dbus_secret_service::Error) -> StoreError {
    keychain_error(action, keyring::Error::PlatformFailure(Box::new(error)))
}
