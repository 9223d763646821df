//! Online checks in the app: verify the loaded list's IDs (or one ID) in Dataverse, and
//! push the channel provider, with an account's fresh access token.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicUsize, Ordering};

use dynbridge_core::channel::{self, ChannelInputs};
use dynbridge_core::guid::Guid;
use dynbridge_core::screenpop;
use dynbridge_dataverse::channel::{OrgChoices, PushResult};
use dynbridge_dataverse::session::DEFAULT_BUDGET;
use dynbridge_dataverse::verify::{verify_rows, VerifyProgress, VerifyReport};
use dynbridge_dataverse::{Failure, Patience, Session, Wait};
use dynbridge_store::accounts::AccountStore;
use tauri::ipc::Channel;
use tauri::State;

use super::files::{write_file, Access, ChosenFiles};
use super::jobs::Jobs;
use super::screenpop::LoadedList;
use super::{blocking, CommandError};

/// Runs `job` in a session of the account (its rotated refresh token stored at once);
/// the failure's findings as the error otherwise.
fn in_session<T>(
    id: &str,
    patience: Patience,
    job: impl FnOnce(&Session) -> Result<T, Failure>,
) -> Result<T, CommandError> {
    let store = AccountStore::open_default()?;
    let account = store.get(id)?;
    let session =
        Session::open(&account, &store.credentials(&account.id), patience).map_err(explain)?;
    job(&session).map_err(explain)
}

fn explain(failure: Failure) -> CommandError {
    CommandError::message(
        failure
            .findings()
            .into_iter()
            .map(|f| f.message)
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// Verifies every usable ID of the loaded list (or, with `id`, that one ID) as records
/// of the screen pop's object type; progress reports IDs checked. `job` names the
/// verification for `job_cancel`, after which it reports the verdicts gathered.
#[tauri::command]
pub async fn verify_ids(
    account: String,
    text: String,
    id: Option<String>,
    job: String,
    progress: Channel<VerifyProgress>,
    list: State<'_, LoadedList>,
    jobs: State<'_, Jobs>,
) -> Result<VerifyReport, CommandError> {
    // Known from the start, so a Cancel while the IDs are gathered is not lost.
    let running = jobs.start(job);
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
    running
        .run("the verification", move |cancel| {
            let checked = AtomicUsize::new(0);
            let report = |waiting: Option<String>| {
                let checked = checked.load(Ordering::SeqCst);
                let _ = progress.send(VerifyProgress { checked, waiting });
            };
            let on_wait = |wait: Wait| report(Some(wait.describe()));
            let patience = Patience {
                budget: DEFAULT_BUDGET,
                cancel,
                on_wait: &on_wait,
            };
            in_session(&account, patience, |session| {
                verify_rows(session, &object, &rows, &|done| {
                    checked.store(done, Ordering::SeqCst);
                    report(None);
                    if cancel.load(Ordering::SeqCst) {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                })
            })
        })
        .await
}

/// The org's model-driven apps and security roles, by name; `job` names the call for
/// `job_cancel`.
#[tauri::command]
pub async fn channel_choices(
    account: String,
    job: String,
    jobs: State<'_, Jobs>,
) -> Result<OrgChoices, CommandError> {
    jobs.start(job)
        .run("reading the apps and roles", move |cancel| {
            in_session(&account, Patience::quiet(cancel), |session| {
                Ok(OrgChoices {
                    apps: dynbridge_dataverse::channel::apps(session)?,
                    roles: dynbridge_dataverse::channel::roles(session)?,
                })
            })
        })
        .await
}

/// Creates or updates the channel provider record (matched by name) in the org; `job`
/// names the push for `job_cancel`.
#[tauri::command]
pub async fn channel_push(
    account: String,
    inputs: ChannelInputs,
    job: String,
    jobs: State<'_, Jobs>,
) -> Result<PushResult, CommandError> {
    let record = channel::build(&inputs)
        .record
        .ok_or_else(|| CommandError::message("fix the channel provider's errors first"))?;
    jobs.start(job)
        .run("the push", move |cancel| {
            in_session(&account, Patience::quiet(cancel), |session| {
                dynbridge_dataverse::channel::push(session, &record)
            })
        })
        .await
}

/// Writes a verification report as CSV (row, id, status, name, other type) to `path`
/// (chosen in the Save dialog), atomically.
#[tauri::command]
pub async fn verify_export(
    report: VerifyReport,
    path: std::path::PathBuf,
    chosen: State<'_, ChosenFiles>,
) -> Result<(), CommandError> {
    chosen.check(&path, Access::Write)?;
    blocking("the export", move || {
        write_file(&path, report.to_csv().as_bytes())
    })
    .await
}
