//! The web frontend in `ui/`: building it (Tauri embeds `ui/dist`) and checking it.

use crate::process;

/// Type-checks and builds the UI into `ui/dist`.
pub fn build() -> Result<(), String> {
    process::run(process::npm().args(["run", "build"]))
}
