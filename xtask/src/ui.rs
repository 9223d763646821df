//! The web frontend in `ui/`: building it (Tauri embeds `ui/dist`, or `ui/dist-e2e` in
//! builds with the `e2e` feature) and checking that only the e2e bundle has test hooks.

use std::path::Path;

use crate::{process, root};

/// The global the end-to-end suite sets; only the e2e bundle may mention it.
const TEST_HOOK: &str = "__DYNBRIDGE_TEST__";

/// Type-checks and builds the UI into `ui/dist` and, with its test hooks, into
/// `ui/dist-e2e`; fails when the production bundle has the hooks or the e2e one lacks
/// them.
pub fn build() -> Result<(), String> {
    process::run(process::npm().args(["run", "build"]))?;
    // Always both: clippy --all-features compiles the e2e app, which embeds ui/dist-e2e.
    process::run(process::npm().args(["run", "build:e2e"]))?;
    let ui = root().join("ui");
    match (
        mentions(&ui.join("dist"), TEST_HOOK)?,
        mentions(&ui.join("dist-e2e"), TEST_HOOK)?,
    ) {
        (false, true) => Ok(()),
        (true, _) => Err(format!(
            "the production bundle ui/dist contains {TEST_HOOK}"
        )),
        (false, false) => Err(format!("the e2e bundle ui/dist-e2e lacks {TEST_HOOK}")),
    }
}

/// True when any file under `dir` contains `needle`.
fn mentions(dir: &Path, needle: &str) -> Result<bool, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        let found = if path.is_dir() {
            mentions(&path, needle)?
        } else {
            std::fs::read(&path)
                .map_err(|e| format!("{}: {e}", path.display()))?
                .windows(needle.len())
                .any(|window| window == needle.as_bytes())
        };
        if found {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_searches_every_file_below_the_folder() {
        let dir = std::env::temp_dir().join(format!("xtask-ui-mentions-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        std::fs::write(dir.join("index.html"), "<script src=assets/a.js>").unwrap();
        std::fs::write(dir.join("assets/a.js"), "let x=1;").unwrap();
        assert!(!mentions(&dir, TEST_HOOK).unwrap());
        std::fs::write(
            dir.join("assets/b.js"),
            "window.__DYNBRIDGE_TEST__?.pickFile",
        )
        .unwrap();
        assert!(mentions(&dir, TEST_HOOK).unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(mentions(&dir, TEST_HOOK).is_err());
    }
}
