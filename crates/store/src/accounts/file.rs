//! The accounts file, `accounts.json`: read whole, changed in memory, written back
//! atomically and private to the user (0600 on Unix). Only [`super::AccountStore`]
//! changes it, under the profile lock.

use std::path::Path;

use dynbridge_core::account::Account;
use dynbridge_core::fs::write_private;
use serde::{Deserialize, Serialize};

use crate::StoreError;

const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct AccountsFile {
    version: u32,
    pub accounts: Vec<Account>,
}

fn io_error(path: &Path, error: impl std::fmt::Display) -> StoreError {
    StoreError::Io {
        path: path.display().to_string(),
        reason: error.to_string(),
    }
}

impl AccountsFile {
    /// The file at `path`; no accounts when there is none yet.
    pub fn read(path: &Path) -> Result<Self, StoreError> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt {
                path: path.display().to_string(),
                reason: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self {
                version: FORMAT_VERSION,
                accounts: Vec::new(),
            }),
            Err(e) => Err(io_error(path, e)),
        }
    }

    /// Writes the file atomically, 0600 on Unix.
    pub fn write(&mut self, path: &Path) -> Result<(), StoreError> {
        self.version = FORMAT_VERSION;
        self.keep_a_default();
        let json = serde_json::to_vec_pretty(self).expect("accounts serialise");
        write_private(path, &json).map_err(|e| io_error(path, e))
    }

    /// The account with this name or id.
    pub fn find(&self, name_or_id: &str) -> Result<&Account, StoreError> {
        self.accounts
            .iter()
            .find(|a| a.name == name_or_id || a.id == name_or_id)
            .ok_or_else(|| not_found(name_or_id))
    }

    /// The account with this id.
    pub fn by_id(&self, id: &str) -> Result<&Account, StoreError> {
        self.accounts
            .iter()
            .find(|a| a.id == id)
            .ok_or_else(|| not_found(id))
    }

    /// The account with this id, to change.
    pub fn by_id_mut(&mut self, id: &str) -> Result<&mut Account, StoreError> {
        self.accounts
            .iter_mut()
            .find(|a| a.id == id)
            .ok_or_else(|| not_found(id))
    }

    /// Takes the account with this name or id out of the file.
    pub fn take(&mut self, name_or_id: &str) -> Result<Account, StoreError> {
        let id = self.find(name_or_id)?.id.clone();
        let index = self.accounts.iter().position(|a| a.id == id);
        let removed = self.accounts.remove(index.expect("just found"));
        self.keep_a_default();
        Ok(removed)
    }

    /// Fails unless `name` is a valid name that no other account (than `except_id`)
    /// has, ignoring ASCII case.
    pub fn check_name(&self, name: &str, except_id: Option<&str>) -> Result<(), StoreError> {
        if name.trim().is_empty() {
            return Err(StoreError::Invalid {
                message: "an account needs a name".into(),
            });
        }
        if self
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

    /// The account named `name`, ignoring ASCII case as names are compared.
    pub fn named_mut(&mut self, name: &str) -> Option<&mut Account> {
        self.accounts
            .iter_mut()
            .find(|a| a.name.eq_ignore_ascii_case(name.trim()))
    }

    /// `name` if no account has it, else the first free "name (2)", "name (3)", …
    pub fn free_name(&self, name: &str) -> String {
        let name = name.trim();
        let taken = |candidate: &str| self.check_name(candidate, None).is_err();
        if !taken(name) {
            return name.to_owned();
        }
        (2..)
            .map(|n| format!("{name} ({n})"))
            .find(|candidate| !taken(candidate))
            .expect("some number is free")
    }

    /// Makes the account with this id the one default account.
    pub fn make_default(&mut self, id: &str) {
        for account in &mut self.accounts {
            account.default = account.id == id;
        }
    }

    /// Exactly one default whenever there are accounts: the first, if none is.
    fn keep_a_default(&mut self) {
        if !self.accounts.iter().any(|a| a.default) {
            if let Some(first) = self.accounts.first_mut() {
                first.default = true;
            }
        }
    }
}

fn not_found(name: &str) -> StoreError {
    StoreError::NotFound {
        name: name.to_owned(),
    }
}
