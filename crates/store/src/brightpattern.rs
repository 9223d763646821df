//! Bright Pattern connections in `bp-connections.json` in the profile directory, shared
//! by the CLI and the app; each connection's API secret lives in the keychain under its
//! stable id (never on disk). Changes hold the profile's one lock, the accounts file's.

use std::path::{Path, PathBuf};

use dynbridge_core::brightpattern::Connection;
use dynbridge_core::fs::write_private;
use dynbridge_core::{Finding, Severity};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::keychain::{Keychain, SecretKind};
use crate::lock::ProfileLock;
use crate::{accounts, paths, StoreError};

const FILE: &str = "bp-connections.json";
const FORMAT_VERSION: u32 = 1;

/// A connection as the app shows it: fields, findings, and whether its secret is
/// stored (never the secret).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ConnectionView {
    pub connection: Connection,
    pub findings: Vec<Finding>,
    pub has_secret: bool,
}

#[derive(Debug, Serialize, Deserialize)]
struct ConnectionsFile {
    version: u32,
    connections: Vec<Connection>,
}

/// The connections file and the keychain holding the API secrets.
#[derive(Debug, Clone)]
pub struct ConnectionStore {
    dir: PathBuf,
    keychain: Keychain,
}

impl ConnectionStore {
    /// The store in the shared profile directory, secrets under the `dynbridge` service.
    pub fn open_default() -> Result<Self, StoreError> {
        Ok(Self::in_dir(paths::profile_dir()?, Keychain::default()))
    }

    /// The store in profile directory `dir`.
    pub fn in_dir(dir: PathBuf, keychain: Keychain) -> Self {
        Self { dir, keychain }
    }

    fn path(&self) -> PathBuf {
        self.dir.join(FILE)
    }

    fn lock(&self) -> Result<ProfileLock, StoreError> {
        paths::create_private(&self.dir)?;
        ProfileLock::acquire(&self.dir.join(format!("{}.lock", accounts::FILE)))
    }

    fn read(&self) -> Result<ConnectionsFile, StoreError> {
        read_file(&self.path())
    }

    fn write(&self, file: &ConnectionsFile) -> Result<(), StoreError> {
        let path = self.path();
        let json = serde_json::to_vec_pretty(file).expect("connections serialise");
        write_private(&path, &json).map_err(|e| StoreError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
    }

    pub fn list(&self) -> Result<Vec<Connection>, StoreError> {
        Ok(self.read()?.connections)
    }

    /// The connection with this name or id.
    pub fn get(&self, name_or_id: &str) -> Result<Connection, StoreError> {
        find(&self.read()?.connections, name_or_id).cloned()
    }

    /// Adds a connection (a new id is given) and stores its API secret. Refused when a
    /// field is wrong (the findings' messages) or the name is taken.
    pub fn add(
        &self,
        connection: Connection,
        secret: &SecretString,
    ) -> Result<Connection, StoreError> {
        let held = self.lock()?;
        let mut file = self.read()?;
        let name = connection.name.trim().to_owned();
        if file
            .connections
            .iter()
            .any(|c| c.name.eq_ignore_ascii_case(&name))
        {
            return Err(StoreError::ConnectionNameTaken { name });
        }
        let added = Connection {
            id: crate::new_id("bp", |id| file.connections.iter().any(|c| c.id == id)),
            name,
            ..connection
        };
        let errors: Vec<String> = added
            .validate()
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect();
        if !errors.is_empty() {
            return Err(StoreError::Invalid {
                message: errors.join("; "),
            });
        }
        self.keychain
            .set(&held, &added.id, SecretKind::ApiSecret, secret)?;
        file.connections.push(added.clone());
        self.write(&file)?;
        Ok(added)
    }

    /// Removes the connection with this name or id, and its secret.
    pub fn remove(&self, name_or_id: &str) -> Result<Connection, StoreError> {
        let held = self.lock()?;
        let mut file = self.read()?;
        let id = find(&file.connections, name_or_id)?.id.clone();
        self.keychain.delete_account(&held, &id)?;
        let index = file.connections.iter().position(|c| c.id == id);
        let removed = file.connections.remove(index.expect("just found"));
        self.write(&file)?;
        Ok(removed)
    }

    /// The API secret of the connection with this id.
    pub fn secret(&self, id: &str) -> Result<Option<SecretString>, StoreError> {
        self.keychain.get(&self.lock()?, id, SecretKind::ApiSecret)
    }

    /// The connection with its findings and whether its secret is stored.
    pub fn view(&self, connection: Connection) -> Result<ConnectionView, StoreError> {
        let has_secret =
            self.keychain
                .contains(&self.lock()?, &connection.id, SecretKind::ApiSecret)?;
        Ok(ConnectionView {
            findings: connection.validate(),
            connection,
            has_secret,
        })
    }
}

fn read_file(path: &Path) -> Result<ConnectionsFile, StoreError> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt {
            path: path.display().to_string(),
            reason: e.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ConnectionsFile {
            version: FORMAT_VERSION,
            connections: Vec::new(),
        }),
        Err(e) => Err(StoreError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        }),
    }
}

fn find<'a>(connections: &'a [Connection], name_or_id: &str) -> Result<&'a Connection, StoreError> {
    connections
        .iter()
        .find(|c| c.name == name_or_id || c.id == name_or_id)
        .ok_or_else(|| StoreError::NoConnection {
            name: name_or_id.to_owned(),
        })
}
