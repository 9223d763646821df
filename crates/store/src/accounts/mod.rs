//! Integration accounts in one JSON file (`accounts.json` in the profile directory),
//! rewritten atomically, shared by the CLI and the app. Their client secrets and
//! refresh tokens live in the keychain under the account's stable id, so renaming
//! keeps them and removing an account removes them.

use std::path::{Path, PathBuf};

use dynbridge_core::account::Account;
use dynbridge_core::fs::write_atomic;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::keychain::{Keychain, SecretKind};
use crate::{paths, StoreError};

const FILE: &str = "accounts.json";
const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    version: u32,
    accounts: Vec<Account>,
}

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

/// The accounts file and the keychain holding the accounts' secrets.
#[derive(Debug, Clone)]
pub struct AccountStore {
    path: PathBuf,
    keychain: Keychain,
}

fn io_error(path: &Path, error: impl std::fmt::Display) -> StoreError {
    StoreError::Io {
        path: path.display().to_string(),
        reason: error.to_string(),
    }
}

/// A new stable id: time and process, in hex.
fn new_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("acct-{nanos:x}-{:x}", std::process::id())
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

    fn read(&self) -> Result<File, StoreError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt {
                path: self.path.display().to_string(),
                reason: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(File {
                version: FORMAT_VERSION,
                accounts: Vec::new(),
            }),
            Err(e) => Err(io_error(&self.path, e)),
        }
    }

    fn write(&self, mut file: File) -> Result<(), StoreError> {
        file.version = FORMAT_VERSION;
        // Exactly one default whenever there are accounts.
        if !file.accounts.is_empty() && !file.accounts.iter().any(|a| a.default) {
            file.accounts[0].default = true;
        }
        let json = serde_json::to_vec_pretty(&file).expect("accounts serialise");
        write_atomic(&self.path, &json).map_err(|e| io_error(&self.path, e))
    }

    pub fn list(&self) -> Result<Vec<Account>, StoreError> {
        Ok(self.read()?.accounts)
    }

    /// The account with this name or id.
    pub fn get(&self, name_or_id: &str) -> Result<Account, StoreError> {
        self.list()?
            .into_iter()
            .find(|a| a.name == name_or_id || a.id == name_or_id)
            .ok_or_else(|| StoreError::NotFound {
                name: name_or_id.to_owned(),
            })
    }

    fn check_name(file: &File, name: &str, except_id: Option<&str>) -> Result<(), StoreError> {
        if name.trim().is_empty() {
            return Err(StoreError::Invalid {
                message: "an account needs a name".into(),
            });
        }
        if file
            .accounts
            .iter()
            .any(|a| a.name.eq_ignore_ascii_case(name.trim()) && Some(a.id.as_str()) != except_id)
        {
            return Err(StoreError::NameTaken {
                name: name.trim().to_owned(),
            });
        }
        Ok(())
    }

    /// Adds an account (a new id is given; the first account becomes the default) and
    /// stores its client secret, if given, in the keychain.
    pub fn add(
        &self,
        mut account: Account,
        secret: Option<&SecretString>,
    ) -> Result<Account, StoreError> {
        let mut file = self.read()?;
        Self::check_name(&file, &account.name, None)?;
        account.id = new_id();
        account.name = account.name.trim().to_owned();
        if account.default {
            file.accounts.iter_mut().for_each(|a| a.default = false);
        }
        if let Some(secret) = secret {
            self.keychain
                .set(&account.id, SecretKind::ClientSecret, secret)?;
        }
        file.accounts.push(account.clone());
        self.write(file)?;
        self.get(&account.id)
    }

    /// Replaces an account's fields (matched by id); renaming keeps its secrets.
    pub fn edit(&self, account: Account) -> Result<Account, StoreError> {
        let mut file = self.read()?;
        Self::check_name(&file, &account.name, Some(&account.id))?;
        let index = file
            .accounts
            .iter()
            .position(|a| a.id == account.id)
            .ok_or_else(|| StoreError::NotFound {
                name: account.id.clone(),
            })?;
        if account.default {
            file.accounts.iter_mut().for_each(|a| a.default = false);
        }
        file.accounts[index] = Account {
            name: account.name.trim().to_owned(),
            ..account
        };
        let id = file.accounts[index].id.clone();
        self.write(file)?;
        self.get(&id)
    }

    /// Removes an account and its secrets.
    pub fn remove(&self, name_or_id: &str) -> Result<Account, StoreError> {
        let removed = self.get(name_or_id)?;
        let mut file = self.read()?;
        file.accounts.retain(|a| a.id != removed.id);
        for kind in [SecretKind::ClientSecret, SecretKind::RefreshToken] {
            self.keychain.delete(&removed.id, kind)?;
        }
        self.write(file)?;
        Ok(removed)
    }

    pub fn set_default(&self, name_or_id: &str) -> Result<(), StoreError> {
        let chosen = self.get(name_or_id)?;
        let mut file = self.read()?;
        file.accounts
            .iter_mut()
            .for_each(|a| a.default = a.id == chosen.id);
        self.write(file)
    }

    pub fn set_secret(
        &self,
        id: &str,
        kind: SecretKind,
        secret: &SecretString,
    ) -> Result<(), StoreError> {
        self.keychain.set(id, kind, secret)
    }

    pub fn secret(&self, id: &str, kind: SecretKind) -> Result<Option<SecretString>, StoreError> {
        self.keychain.get(id, kind)
    }

    /// What the app shows about an account.
    pub fn view(&self, account: Account) -> Result<AccountView, StoreError> {
        Ok(AccountView {
            findings: dynbridge_core::account::validate(
                &account,
                None,
                dynbridge_core::account::today(),
            ),
            has_secret: self
                .secret(&account.id, SecretKind::ClientSecret)?
                .is_some(),
            has_refresh_token: self
                .secret(&account.id, SecretKind::RefreshToken)?
                .is_some(),
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

    /// Adds an exported account (its secret must be entered again).
    pub fn import(&self, json: &str) -> Result<Account, StoreError> {
        let account: Account = serde_json::from_str(json).map_err(|e| StoreError::Invalid {
            message: format!("not an exported account: {e}"),
        })?;
        self.add(
            Account {
                default: false,
                refresh_token_used: None,
                ..account
            },
            None,
        )
    }
}
