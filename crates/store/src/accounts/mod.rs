//! Integration accounts in one JSON file (`accounts.json` in the profile directory),
//! shared by the CLI and the app. Their client secrets and refresh tokens live in the
//! keychain under the account's stable id, so renaming keeps them and removing an
//! account removes them.
//!
//! Every change holds the profile lock (`accounts.json.lock` beside the file) from
//! reading the file to writing it back, secrets included, so that changes made at
//! once by threads or processes are all kept, and each changes only what it is about:
//! an edit the fields of its form, a token refresh the day of use. Reading the list
//! needs no lock, as the file is only ever replaced whole.

mod credentials;
mod file;

use std::path::{Path, PathBuf};

use dynbridge_core::account::{trust, Account};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::keychain::{Keychain, SecretKind};
use crate::lock::ProfileLock;
use crate::{paths, StoreError};

/// The accounts file's name; its lock (`accounts.json.lock`) is the profile's.
pub(crate) const FILE: &str = "accounts.json";
pub use credentials::StoredCredentials;
use file::AccountsFile;

/// An account as the app shows it: fields, findings, which secrets are stored (never
/// the secrets themselves), and the redirect URIs to register.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct AccountView {
    pub account: Account,
    pub findings: Vec<dynbridge_core::Finding>,
    pub has_secret: bool,
    pub has_refresh_token: bool,
    pub redirect_uris: Vec<String>,
}

/// What importing an account does when one already has its name (ignoring case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum NameClash {
    /// Fails with [`StoreError::NameTaken`].
    Refuse,
    /// The imported account takes the place of the one with its name, keeping its id
    /// and default; that account's client secret and refresh token are deleted, since
    /// the imported endpoints may differ (its secret must be entered again).
    Replace,
    /// Both are kept: the imported one under the first free name, e.g. "Production (2)".
    KeepBoth,
}

/// The accounts file and the keychain holding the accounts' secrets.
#[derive(Debug, Clone)]
pub struct AccountStore {
    path: PathBuf,
    keychain: Keychain,
}

impl AccountStore {
    /// The store in the shared profile directory, secrets under the `dynbridge` service.
    pub fn open_default() -> Result<Self, StoreError> {
        Ok(Self::at(
            paths::profile_dir()?.join(FILE),
            Keychain::default(),
        ))
    }

    pub fn at(path: PathBuf, keychain: Keychain) -> Self {
        Self { path, keychain }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Holds the profile lock, making the profile directory first (private to the
    /// user, tightened if it is not).
    fn lock(&self) -> Result<ProfileLock, StoreError> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            paths::create_private(dir)?;
        }
        let name = self.path.file_name().unwrap_or(FILE.as_ref());
        let mut lock_name = name.to_os_string();
        lock_name.push(".lock");
        ProfileLock::acquire(&self.path.with_file_name(lock_name))
    }

    /// Runs `change` on the file as it is now, under the lock, and writes the result
    /// back unless `change` fails.
    fn change<T>(
        &self,
        change: impl FnOnce(&mut AccountsFile, &ProfileLock) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let held = self.lock()?;
        let mut file = AccountsFile::read(&self.path)?;
        let result = change(&mut file, &held)?;
        file.write(&self.path)?;
        Ok(result)
    }

    pub fn list(&self) -> Result<Vec<Account>, StoreError> {
        Ok(AccountsFile::read(&self.path)?.accounts)
    }

    /// The account with this name or id.
    pub fn get(&self, name_or_id: &str) -> Result<Account, StoreError> {
        AccountsFile::read(&self.path)?.find(name_or_id).cloned()
    }

    /// Adds an account (a new id is given; the first account becomes the default) and
    /// stores its client secret, if given, in the keychain.
    pub fn add(
        &self,
        account: Account,
        secret: Option<&SecretString>,
    ) -> Result<Account, StoreError> {
        self.insert(account, secret, NameClash::Refuse)
    }

    /// [`Self::add`], with the name made free first under the lock for `KeepBoth`.
    fn insert(
        &self,
        account: Account,
        secret: Option<&SecretString>,
        clash: NameClash,
    ) -> Result<Account, StoreError> {
        let held = self.lock()?;
        let mut file = AccountsFile::read(&self.path)?;
        let name = match clash {
            NameClash::KeepBoth => file.free_name(&account.name),
            NameClash::Refuse | NameClash::Replace => account.name.trim().to_owned(),
        };
        file.check_name(&name, None)?;
        let added = Account {
            id: crate::new_id("acct", |id| file.accounts.iter().any(|a| a.id == id)),
            name,
            ..account
        };
        if let Some(secret) = secret {
            self.keychain
                .set(&held, &added.id, SecretKind::ClientSecret, secret)?;
        }
        file.accounts.push(added.clone());
        if added.default {
            file.make_default(&added.id);
        }
        if let Err(error) = file.write(&self.path) {
            // The account was not saved, so its secret must not stay either.
            let _ = self.keychain.delete_account(&held, &added.id);
            return Err(error);
        }
        file.by_id(&added.id).cloned()
    }

    /// Saves an account's fields (matched by id) as its form shows them; renaming
    /// keeps its secrets. A ticked `default` makes it the default account; what other
    /// operations keep (the day of the last token refresh, the default when not
    /// claimed) stays as stored, so a form read earlier does not undo them.
    pub fn edit(&self, edited: Account) -> Result<Account, StoreError> {
        self.change(|file, held| {
            let name = edited.name.trim().to_owned();
            file.check_name(&name, Some(&edited.id))?;
            let claims_default = edited.default;
            let stored = file.by_id_mut(&edited.id)?;
            if !trust::same_destinations(stored, &edited) {
                // The refresh token was issued for the old endpoints: never send it to
                // the new ones. Request token signs in again.
                self.keychain
                    .delete(held, &edited.id, SecretKind::RefreshToken)?;
            }
            *stored = Account {
                name,
                default: stored.default,
                refresh_token_used: stored.refresh_token_used.clone(),
                ..edited
            };
            let id = stored.id.clone();
            if claims_default {
                file.make_default(&id);
            }
            file.by_id(&id).cloned()
        })
    }

    /// Removes an account and every secret it has in the keychain.
    pub fn remove(&self, name_or_id: &str) -> Result<Account, StoreError> {
        self.change(|file, held| {
            let removed = file.take(name_or_id)?;
            // Secrets first: if the keychain refuses, the account stays to try again.
            self.keychain.delete_account(held, &removed.id)?;
            Ok(removed)
        })
    }

    pub fn set_default(&self, name_or_id: &str) -> Result<(), StoreError> {
        self.change(|file, _| {
            let id = file.find(name_or_id)?.id.clone();
            file.make_default(&id);
            Ok(())
        })
    }

    /// Stores a secret of the account with this id, while it exists.
    pub fn set_secret(
        &self,
        id: &str,
        kind: SecretKind,
        secret: &SecretString,
    ) -> Result<(), StoreError> {
        let held = self.lock()?;
        AccountsFile::read(&self.path)?.by_id(id)?;
        self.keychain.set(&held, id, kind, secret)
    }

    pub fn secret(&self, id: &str, kind: SecretKind) -> Result<Option<SecretString>, StoreError> {
        self.keychain.get(&self.lock()?, id, kind)
    }

    /// Records a successful token refresh for the account with this id: stores the
    /// rotated refresh token, if any, and notes today as the day of use. Only that field
    /// changes, and only while the account still exists.
    pub fn record_refresh(
        &self,
        id: &str,
        rotated: Option<&SecretString>,
    ) -> Result<(), StoreError> {
        self.change(|file, held| {
            let account = file.by_id_mut(id)?;
            if let Some(token) = rotated {
                self.keychain
                    .set(held, id, SecretKind::RefreshToken, token)?;
            }
            account.refresh_token_used = Some(dynbridge_core::account::today().to_string());
            Ok(())
        })
    }

    /// The secrets of the account with this id, for online work.
    pub fn credentials(&self, id: &str) -> StoredCredentials<'_> {
        StoredCredentials {
            store: self,
            id: id.to_owned(),
        }
    }

    /// What the app shows about an account.
    pub fn view(&self, account: Account) -> Result<AccountView, StoreError> {
        let held = self.lock()?;
        let stored = |kind| self.keychain.contains(&held, &account.id, kind);
        Ok(AccountView {
            findings: dynbridge_core::account::validate(
                &account,
                None,
                dynbridge_core::account::today(),
            ),
            has_secret: stored(SecretKind::ClientSecret)?,
            has_refresh_token: stored(SecretKind::RefreshToken)?,
            redirect_uris: dynbridge_core::account::redirect_uris(&account),
            account,
        })
    }

    /// An account as JSON to share, without secrets and without its local id.
    pub fn export(&self, name_or_id: &str) -> Result<String, StoreError> {
        let account = Account {
            id: String::new(),
            default: false,
            refresh_token_used: None,
            ..self.get(name_or_id)?
        };
        Ok(serde_json::to_string_pretty(&account).expect("an account serialises"))
    }

    /// Adds an exported account (its secret must be entered again); `clash` says what
    /// happens when an account already has its name.
    pub fn import(&self, json: &str, clash: NameClash) -> Result<Account, StoreError> {
        let account: Account = serde_json::from_str(json).map_err(|e| StoreError::Invalid {
            message: format!("not an exported account: {e}"),
        })?;
        let account = Account {
            default: false,
            refresh_token_used: None,
            ..account
        };
        if clash == NameClash::Replace {
            let replaced = self.change(|file, held| {
                let Some(stored) = file.named_mut(&account.name) else {
                    return Ok(None);
                };
                // Secrets first: if the keychain refuses, the old account stays whole.
                self.keychain.delete_account(held, &stored.id)?;
                *stored = Account {
                    id: stored.id.clone(),
                    name: account.name.trim().to_owned(),
                    default: stored.default,
                    ..account.clone()
                };
                Ok(Some(stored.clone()))
            })?;
            if let Some(replaced) = replaced {
                return Ok(replaced);
            }
        }
        self.insert(account, None, clash)
    }
}
