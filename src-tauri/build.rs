//! Generates Tauri's context (config, ACL, icons) from `tauri.conf.json` at the package
//! root and the capabilities in `src-tauri/capabilities/`.

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/*.json"),
    )
    .expect("tauri-build failed to process tauri.conf.json and the capabilities");
}
