//! Bright Pattern connections (Accounts page) and sending the Lists page's import to a
//! calling list (`send`). The API secret comes once from the form, goes into the
//! keychain, and from there only into the client's token request: never back over IPC.

pub mod ipc;
pub mod send;

use dynbridge_brightpattern::Client;
use dynbridge_core::brightpattern::Connection;
use dynbridge_core::Finding;
use dynbridge_store::brightpattern::{ConnectionStore, ConnectionView};
use secrecy::SecretString;

use super::{blocking, CommandError};
use ipc::{BpCampaign, BpTestResult};

fn store() -> Result<ConnectionStore, CommandError> {
    Ok(ConnectionStore::open_default()?)
}

/// A client of the connection `id`, with its API secret from the keychain.
pub(crate) fn client(id: &str) -> Result<Client, CommandError> {
    let store = store()?;
    let connection = store.get(id)?;
    let secret = store.secret(&connection.id)?.ok_or_else(|| {
        CommandError::message(format!(
            "no API secret is stored for {:?}: remove the connection and add it again with its secret",
            connection.name
        ))
    })?;
    Ok(Client::new(&connection, secret)?)
}

#[tauri::command]
pub async fn bp_connections_list() -> Result<Vec<ConnectionView>, CommandError> {
    blocking("listing the connections", || {
        let store = store()?;
        Ok(store
            .list()?
            .into_iter()
            .map(|c| store.view(c))
            .collect::<Result<_, _>>()?)
    })
    .await
}

/// Findings for the form as typed.
#[tauri::command]
pub fn bp_connection_validate(connection: Connection) -> Vec<Finding> {
    connection.validate()
}

/// Adds a connection and stores its API secret in the keychain.
#[tauri::command]
pub async fn bp_connection_add(
    connection: Connection,
    secret: String,
) -> Result<ConnectionView, CommandError> {
    if secret.trim().is_empty() {
        return Err(CommandError::message(
            "enter the API user's API secret (Users page, API secret)",
        ));
    }
    let secret = SecretString::from(secret);
    blocking("saving the connection", move || {
        let store = store()?;
        let added = store.add(connection, &secret)?;
        Ok(store.view(added)?)
    })
    .await
}

/// Removes a connection and its API secret.
#[tauri::command]
pub async fn bp_connection_remove(id: String) -> Result<(), CommandError> {
    blocking("removing the connection", move || {
        Ok(store()?.remove(&id).map(drop)?)
    })
    .await
}

/// Gets a token and checks what the API user may do.
#[tauri::command]
pub async fn bp_connection_test(id: String) -> Result<BpTestResult, CommandError> {
    blocking("the connection test", move || {
        Ok(client(&id)?.test()?.into())
    })
    .await
}

/// The connection's enabled campaigns and their lists.
#[tauri::command]
pub async fn bp_campaigns(id: String) -> Result<Vec<BpCampaign>, CommandError> {
    blocking("reading the campaigns", move || {
        Ok(client(&id)?
            .campaigns()?
            .into_iter()
            .map(BpCampaign::from)
            .collect())
    })
    .await
}
