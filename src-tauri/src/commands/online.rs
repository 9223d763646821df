//! Online checks in the app: verify the loaded list's IDs (or one ID) in Dataverse, and
//! push the channel provider, with an account's fresh access token.

use std::ops::ControlFlow;

use dynbridge_core::channel::{self, ChannelInputs};
use dynbridge_core::guid::Guid;
use dynbridge_core::screenpop;
use dynbridge_dataverse::channel::{OrgChoices, PushResult};
use dynbridge_dataverse::verify::{verify_rows, VerifyReport};
use dynbridge_dataverse::{oauth, Endpoints};
use dynbridge_store::accounts::AccountStore;
use dynbridge_store::SecretKind;
use secrecy::SecretString;
use tauri::ipc::Channel;
use tauri::State;

use super::screenpop::LoadedList;
use super::CommandError;

/// The account's API URL and a fresh access token; the failure's first finding as the
/// error otherwise.
fn connect(id: &str) -> Result<(String, SecretString), CommandError> {
    let store = AccountStore::open_default()?;
    let account = store.get(id)?;
    let secret = store
        .secret(&account.id, SecretKind::ClientSecret)?
        .ok_or_else(|| CommandError::message("the account has no client secret"))?;
    let refresh = store
        .secret(&account.id, SecretKind::RefreshToken)?
        .ok_or_else(|| CommandError::message("no token yet: Request token on the Accounts page"))?;
    let endpoints = Endpoints::from_account(&account).map_err(explain)?;
    let tokens = oauth::refresh(
        &dynbridge_dataverse::http_client(),
        &endpoints,
        &secret,
        &refresh,
    )
    .map_err(explain)?;
    if let Some(rotated) = tokens.refresh {
        store.set_secret(&account.id, SecretKind::RefreshToken, &rotated)?;
    }
    Ok((endpoints.api_url, tokens.access))
}

fn explain(failure: dynbridge_dataverse::Failure) -> CommandError {
    CommandError::message(
        failure
            .findings()
            .into_iter()
            .map(|f| f.message)
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// Stops a running verification.
#[derive(Default)]
pub struct VerifyCancel(std::sync::Arc<std::sync::atomic::AtomicBool>);

#[tauri::command]
pub fn verify_cancel(cancel: State<'_, VerifyCancel>) {
    cancel.0.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// Verifies every usable ID of the loaded list (or, with `id`, that one ID) as records
/// of the screen pop's object type; progress reports IDs checked.
#[tauri::command]
pub async fn verify_ids(
    account: String,
    text: String,
    id: Option<String>,
    progress: Channel<usize>,
    list: State<'_, LoadedList>,
    cancel: State<'_, VerifyCancel>,
) -> Result<VerifyReport, CommandError> {
    let cancel = std::sync::Arc::clone(&cancel.0);
    cancel.store(false, std::sync::atomic::Ordering::SeqCst);
    let parsed = screenpop::lint(&text)
        .screenpop
        .ok_or_else(|| CommandError::message("fix the Screenpop URL's errors first"))?;
    let object = parsed.object_type.ok_or_else(|| {
        CommandError::message(format!("{:?} is not a known object type", parsed.object))
    })?;
    let rows: Vec<(usize, Guid)> = match id {
        Some(one) => vec![(
            0,
            one.parse()
                .map_err(|e| CommandError::message(format!("not a record ID: {e}")))?,
        )],
        None => {
            let table = list
                .snapshot()
                .ok_or_else(|| CommandError::message("no list is loaded"))?;
            screenpop::list_ids(&parsed, &table).map_err(|f| CommandError::message(f.message))?
        }
    };
    tauri::async_runtime::spawn_blocking(move || {
        let (api, access) = connect(&account)?;
        verify_rows(
            &dynbridge_dataverse::http_client(),
            &api,
            &access,
            &object,
            &rows,
            &|done| {
                let _ = progress.send(done);
                if cancel.load(std::sync::atomic::Ordering::SeqCst) {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        )
        .map_err(explain)
    })
    .await
    .map_err(|e| CommandError::message(format!("the verification stopped unexpectedly: {e}")))?
}

#[tauri::command]
pub async fn channel_choices(account: String) -> Result<OrgChoices, CommandError> {
    tauri::async_runtime::spawn_blocking(move || {
        let (api, access) = connect(&account)?;
        let http = dynbridge_dataverse::http_client();
        Ok(OrgChoices {
            apps: dynbridge_dataverse::channel::apps(&http, &api, &access).map_err(explain)?,
            roles: dynbridge_dataverse::channel::roles(&http, &api, &access).map_err(explain)?,
        })
    })
    .await
    .map_err(|e| CommandError::message(format!("stopped unexpectedly: {e}")))?
}

/// Creates or updates the channel provider record (matched by name) in the org.
#[tauri::command]
pub async fn channel_push(
    account: String,
    inputs: ChannelInputs,
) -> Result<PushResult, CommandError> {
    let record = channel::build(&inputs)
        .record
        .ok_or_else(|| CommandError::message("fix the channel provider's errors first"))?;
    tauri::async_runtime::spawn_blocking(move || {
        let (api, access) = connect(&account)?;
        dynbridge_dataverse::channel::push(
            &dynbridge_dataverse::http_client(),
            &api,
            &access,
            &record,
        )
        .map_err(explain)
    })
    .await
    .map_err(|e| CommandError::message(format!("stopped unexpectedly: {e}")))?
}

/// Writes a verification report as CSV (row, id, status, name, other type), atomically.
#[tauri::command]
pub fn verify_export(report: VerifyReport, path: std::path::PathBuf) -> Result<(), CommandError> {
    dynbridge_core::fs::write_atomic(&path, report.to_csv().as_bytes())
        .map_err(|e| CommandError::message(format!("{}: {e}", path.display())))
}
