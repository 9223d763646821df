//! Channel provider page: build and check the CIF channel provider, save the inputs,
//! export the record body or the checklist.

use std::path::PathBuf;

use dynbridge_core::channel::channel_url::{self, ChannelUrlCheck};
use dynbridge_core::channel::{self, ChannelBuild, ChannelInputs};
use dynbridge_core::dynamics_url::OrgUrl;
use serde::Deserialize;
use tauri::State;

use super::files::{write_file, Access, ChosenFiles};
use super::{blocking, CommandError};

#[tauri::command]
pub fn channel_build(inputs: ChannelInputs) -> ChannelBuild {
    channel::build(&inputs)
}

/// Checks a pasted Channel URL against the Dynamics URL of the form (if any).
#[tauri::command]
pub fn channel_check(url: String, org: String) -> ChannelUrlCheck {
    let org = OrgUrl::parse(&org, "Dynamics URL").0;
    channel_url::check(&url, org.as_ref())
}

#[tauri::command]
pub async fn channel_load() -> Result<ChannelInputs, CommandError> {
    blocking("loading the settings", || {
        Ok(dynbridge_store::channel::load()?)
    })
    .await
}

#[tauri::command]
pub async fn channel_save(inputs: ChannelInputs) -> Result<String, CommandError> {
    blocking("saving the settings", move || {
        Ok(dynbridge_store::channel::save(&inputs)?
            .display()
            .to_string())
    })
    .await
}

/// What to export.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// The `msdyn_ciprovider` record body.
    Json,
    /// The checklist of the manual steps.
    Markdown,
}

/// Writes the export atomically to `path` (chosen in the Save dialog).
#[tauri::command]
pub async fn channel_export(
    inputs: ChannelInputs,
    format: ExportFormat,
    path: PathBuf,
    chosen: State<'_, ChosenFiles>,
) -> Result<(), CommandError> {
    chosen.check(&path, Access::Write)?;
    let built = channel::build(&inputs);
    let bytes = match format {
        ExportFormat::Json => {
            let record = built.record.ok_or_else(|| {
                CommandError::message("fix the errors first: the record would be incomplete")
            })?;
            serde_json::to_vec_pretty(&record).expect("a JSON value serialises")
        }
        ExportFormat::Markdown => built.checklist.into_bytes(),
    };
    blocking("the export", move || write_file(&path, &bytes)).await
}
