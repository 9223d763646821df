//! Generates Tauri's context (config, ACL, icons) from `tauri.conf.json` at the package
//! root and the capabilities in `src-tauri/capabilities/`.
//!
//! With the `e2e` feature the app embeds `ui/dist-e2e` instead of `ui/dist`: the UI
//! built with its test hooks (`npm run build:e2e`), which the production bundle lacks.
//! `generate_context!` merges `TAURI_CONFIG` into the config and resolves the path
//! against the config's directory, the package root.

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    if std::env::var_os("CARGO_FEATURE_E2E").is_some() {
        println!(r#"cargo:rustc-env=TAURI_CONFIG={{"build":{{"frontendDist":"ui/dist-e2e"}}}}"#);
    }
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/*.json"),
    )
    .expect("tauri-build failed to process tauri.conf.json and the capabilities");
}
