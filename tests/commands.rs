//! Tauri commands through Tauri's own IPC path, on the mock runtime (no display).

use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

fn invoke(cmd: &str) -> Result<serde_json::Value, serde_json::Value> {
    let app = dynbridge_app::setup(mock_builder())
        .build(mock_context(noop_assets()))
        .expect("the app builds on the mock runtime");
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("a mock window");
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::default(),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(&webview, request).map(|body| body.deserialize().unwrap())
}

#[test]
fn app_info_reports_version_profile_dir_and_real_keychain() {
    let info = invoke("app_info").expect("app_info succeeds");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert!(info["profile_dir"]
        .as_str()
        .is_some_and(|dir| dir.contains("dynbridge")));
    let backend = info["keychain_backend"].as_str().unwrap();
    assert!(!backend.is_empty() && !backend.to_lowercase().contains("mock"));
}

#[test]
fn unknown_commands_are_rejected() {
    assert!(invoke("no_such_command").is_err());
}
