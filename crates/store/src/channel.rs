//! The channel provider settings, saved on their own beside the profiles until an
//! account holds them.

use std::path::PathBuf;

use dynbridge_core::channel::ChannelInputs;

use crate::{settings, StoreError};

const FILE: &str = "channel-provider.json";

/// The saved settings, or the defaults when none were saved.
pub fn load() -> Result<ChannelInputs, StoreError> {
    settings::read(FILE)
}

/// Saves the settings atomically, private to the user like the rest of the profile.
pub fn save(inputs: &ChannelInputs) -> Result<PathBuf, StoreError> {
    settings::write(FILE, inputs)
}
