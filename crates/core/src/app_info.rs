//! What the app and the CLI tell about themselves: version, where profiles live, and
//! which keychain holds the secrets.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The facts shown by `dynbridge info` and in the app's status bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppInfo {
    /// The Dynbridge version, from the workspace manifest.
    pub version: String,
    /// The directory holding the account profiles, shared by the app and the CLI.
    pub profile_dir: String,
    /// The OS credential store that holds secrets, e.g. "Secret Service (D-Bus)".
    pub keychain_backend: String,
}

impl AppInfo {
    /// The facts as `label: value` lines, in the order the CLI prints them.
    pub fn lines(&self) -> [(&'static str, &str); 3] {
        [
            ("Version", &self.version),
            ("Profiles", &self.profile_dir),
            ("Secrets", &self.keychain_backend),
        ]
    }
}
