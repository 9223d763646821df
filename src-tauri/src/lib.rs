//! The Dynbridge desktop app: a thin Tauri shell over the Dynbridge crates.
//!
//! Each Tauri command is a few lines that call a crate and map its error; the rules
//! themselves live in `dynbridge-core` and friends.

mod commands;

/// The files the user chose, which alone the file commands read or write (public for tests).
pub use commands::files::{remember_dropped, Access, ChosenFiles};

/// The Bright Pattern commands' IPC types (public for the bindings test).
pub use commands::brightpattern::ipc as bp_ipc;

use std::process::ExitCode;

use tauri::{Builder, Runtime};

/// Registers the app's plugins and commands on a builder. Generic over the runtime so
/// tests can use Tauri's mock runtime.
pub fn setup<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    use commands::*;
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(screenpop::LoadedList::default())
        .manage(lists::ListsState::default())
        .manage(accounts::LoginCancel::default())
        .manage(brightpattern::send::SendCancel::default())
        .manage(demo::Demo::new(std::env::args().any(|arg| arg == "--demo")))
        .manage(files::ChosenFiles::default())
        .manage(jobs::Jobs::default())
        .on_window_event(files::remember_dropped)
        .invoke_handler(tauri::generate_handler![
            app_info::app_info,
            accounts::accounts_list,
            accounts::account_validate,
            accounts::account_redirect_uris,
            accounts::account_save,
            accounts::account_remove,
            accounts::account_set_default,
            accounts::account_export,
            accounts::account_import_preview,
            accounts::account_import,
            accounts::account_login,
            accounts::account_cancel_login,
            accounts::account_test,
            brightpattern::bp_connections_list,
            brightpattern::bp_connection_validate,
            brightpattern::bp_connection_add,
            brightpattern::bp_connection_remove,
            brightpattern::bp_connection_test,
            brightpattern::bp_campaigns,
            brightpattern::send::bp_preflight,
            brightpattern::send::bp_send,
            brightpattern::send::bp_cancel,
            brightpattern::send::bp_rejects_export,
            channel::channel_build,
            channel::channel_check,
            channel::channel_load,
            channel::channel_save,
            channel::channel_export,
            demo::demo_requested,
            demo::demo_start,
            doctor::doctor_run,
            doctor::doctor_export,
            doctor::doctor_ticks_load,
            doctor::doctor_ticks_save,
            files::file_open_dialog,
            files::recent_files,
            files::recent_file_choose,
            files::file_save_dialog,
            #[cfg(feature = "e2e")]
            files::e2e_choose_file,
            online::verify_ids,
            online::verify_export,
            online::channel_choices,
            online::channel_push,
            jobs::job_cancel,
            lists::lists_open,
            lists::lists_inspect,
            lists::lists_import,
            lists::lists_cancel,
            lists::lists_rows,
            lists::lists_rejects,
            lists::lists_save,
            lists::lists_to_screenpop,
            screenpop::screenpop_lint,
            screenpop::screenpop_object_types,
            screenpop::screenpop_build,
            screenpop::screenpop_load_list,
            screenpop::screenpop_rows,
            screenpop::screenpop_find_row,
            screenpop::screenpop_render,
            screenpop::screenpop_check,
        ])
}

/// Runs the app until its window closes.
///
/// Refuses to start when the keychain resolved to keyring's in-memory mock: secrets
/// entered then would silently vanish.
pub fn run() -> ExitCode {
    if let Err(error) = dynbridge_store::keychain::backend() {
        eprintln!("Dynbridge cannot start: {error}.");
        return ExitCode::FAILURE;
    }
    match setup(Builder::default()).run(tauri::generate_context!()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("Dynbridge stopped with an error: {error}");
            ExitCode::FAILURE
        }
    }
}
