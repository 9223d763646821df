//! Accounts page: integration accounts with live findings, secrets into the keychain
//! (the UI only learns whether one is stored), Request token and Test connection.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use dynbridge_core::account::{self, Account};
use dynbridge_core::Finding;
use dynbridge_dataverse::connection::{login, test_connection, ConnectionReport};
use dynbridge_dataverse::loopback::DEFAULT_TIMEOUT;
use dynbridge_dataverse::Patience;
use dynbridge_store::accounts::{AccountStore, AccountView, NameClash};
use dynbridge_store::SecretKind;
use secrecy::SecretString;
use tauri::ipc::Channel;
use tauri::State;

use super::files::{write_file, Access, ChosenFiles};
use super::jobs::Jobs;
use super::{blocking, CommandError};

/// Cancels a Request token that waits for the browser.
#[derive(Default)]
pub struct LoginCancel(Arc<AtomicBool>);

fn store() -> Result<AccountStore, CommandError> {
    Ok(AccountStore::open_default()?)
}

#[tauri::command]
pub async fn accounts_list() -> Result<Vec<AccountView>, CommandError> {
    blocking("listing the accounts", || {
        let store = store()?;
        Ok(store
            .list()?
            .into_iter()
            .map(|a| store.view(a))
            .collect::<Result<_, _>>()?)
    })
    .await
}

/// Findings for the form as typed (the secret only when one is being entered).
#[tauri::command]
pub fn account_validate(account: Account, secret: Option<String>) -> Vec<Finding> {
    account::validate(
        &account,
        secret.as_deref().filter(|s| !s.is_empty()),
        account::today(),
    )
}

/// The redirect URIs to register for the form's tenant.
#[tauri::command]
pub fn account_redirect_uris(account: Account) -> Vec<String> {
    account::redirect_uris(&account)
}

/// Adds (empty id) or updates an account; a non-empty `secret` replaces the stored one.
#[tauri::command]
pub async fn account_save(
    account: Account,
    secret: Option<String>,
) -> Result<AccountView, CommandError> {
    let secret = secret.filter(|s| !s.is_empty()).map(SecretString::from);
    blocking("saving the account", move || {
        let store = store()?;
        let saved = if account.id.is_empty() {
            store.add(account, secret.as_ref())?
        } else {
            let saved = store.edit(account)?;
            if let Some(secret) = &secret {
                store.set_secret(&saved.id, SecretKind::ClientSecret, secret)?;
            }
            saved
        };
        Ok(store.view(saved)?)
    })
    .await
}

#[tauri::command]
pub async fn account_remove(id: String) -> Result<(), CommandError> {
    blocking("removing the account", move || {
        Ok(store()?.remove(&id).map(drop)?)
    })
    .await
}

/// Writes the account as JSON without its secrets (to share with a colleague or
/// another machine) atomically to `path`, chosen in the Save dialog.
#[tauri::command]
pub async fn account_export(
    id: String,
    path: PathBuf,
    chosen: State<'_, ChosenFiles>,
) -> Result<(), CommandError> {
    chosen.check(&path, Access::Write)?;
    blocking("the export", move || {
        write_file(&path, store()?.export(&id)?.as_bytes())
    })
    .await
}

/// The account exported to `path` (chosen in the Open dialog), read but not added, so
/// that its endpoints can be shown and confirmed before any secret is entered for it.
#[tauri::command]
pub async fn account_import_preview(
    path: PathBuf,
    chosen: State<'_, ChosenFiles>,
) -> Result<Account, CommandError> {
    chosen.check(&path, Access::Read)?;
    blocking("the import", move || {
        let json = read_export(&path)?;
        serde_json::from_str(&json).map_err(|e| {
            CommandError::message(format!("{}: not an exported account: {e}", path.display()))
        })
    })
    .await
}

/// Adds the account exported to `path` (chosen in the Open dialog); its client secret
/// must be entered again. `clash` says what happens when an account has its name.
#[tauri::command]
pub async fn account_import(
    path: PathBuf,
    clash: NameClash,
    chosen: State<'_, ChosenFiles>,
) -> Result<AccountView, CommandError> {
    chosen.check(&path, Access::Read)?;
    blocking("the import", move || {
        let json = read_export(&path)?;
        let store = store()?;
        let added = store
            .import(&json, clash)
            .map_err(|e| CommandError::message(format!("{}: {e}", path.display())))?;
        Ok(store.view(added)?)
    })
    .await
}

fn read_export(path: &std::path::Path) -> Result<String, CommandError> {
    std::fs::read_to_string(path)
        .map_err(|e| CommandError::message(format!("{}: {e}", path.display())))
}

#[tauri::command]
pub async fn account_set_default(id: String) -> Result<(), CommandError> {
    blocking("choosing the default account", move || {
        Ok(store()?.set_default(&id)?)
    })
    .await
}

/// Request token: sends the sign-in URL on `open` (the UI opens it in the browser),
/// waits for the redirect, stores the refresh token. Findings when it fails.
#[tauri::command]
pub async fn account_login(
    id: String,
    admin_consent: bool,
    open: Channel<String>,
    cancel: State<'_, LoginCancel>,
) -> Result<Vec<Finding>, CommandError> {
    let flag = Arc::clone(&cancel.0);
    flag.store(false, Ordering::SeqCst);
    tauri::async_runtime::spawn_blocking(move || {
        let (store, account, secret) = with_secret(&id)?;
        let result = login(
            &account,
            &secret,
            admin_consent,
            DEFAULT_TIMEOUT,
            &flag,
            |url| open.send(url.to_owned()).map_err(|e| e.to_string()),
        );
        match result {
            Ok(tokens) => {
                store.record_refresh(&account.id, tokens.refresh.as_ref())?;
                Ok(tokens.sign_in_findings())
            }
            Err(failure) => Ok(failure.findings()),
        }
    })
    .await
    .map_err(|e| CommandError::message(format!("the sign-in stopped unexpectedly: {e}")))?
}

#[tauri::command]
pub fn account_cancel_login(cancel: State<'_, LoginCancel>) {
    cancel.0.store(true, Ordering::SeqCst);
}

/// Test connection: a token from the stored refresh token, then WhoAmI; `job` names it
/// for `job_cancel`.
#[tauri::command]
pub async fn account_test(
    id: String,
    job: String,
    jobs: State<'_, Jobs>,
) -> Result<ConnectionReport, CommandError> {
    jobs.start(job)
        .run("the test", move |cancel| {
            let store = store()?;
            let account = store.get(&id)?;
            Ok(test_connection(
                &account,
                &store.credentials(&account.id),
                Patience::quiet(cancel),
            ))
        })
        .await
}

/// The store, the account and its client secret, or why the account cannot sign in.
fn with_secret(id: &str) -> Result<(AccountStore, Account, SecretString), CommandError> {
    let store = store()?;
    let account = store.get(id)?;
    let secret = store
        .secret(&account.id, SecretKind::ClientSecret)?
        .ok_or_else(|| CommandError::message("enter and save the Client Secret first"))?;
    Ok((store, account, secret))
}
