//! Channel provider settings saved to and loaded from the profile directory.

use dynbridge_core::channel::ChannelInputs;
use dynbridge_store::{channel, paths::CONFIG_DIR_ENV};

#[test]
fn saves_atomically_and_loads_back_with_defaults_first() {
    let dir = std::env::temp_dir().join(format!("dynbridge-store-channel-{}", std::process::id()));
    // The only test in this binary that sets the variable, so no other test races it.
    std::env::set_var(CONFIG_DIR_ENV, &dir);
    assert_eq!(channel::load().unwrap(), ChannelInputs::default());

    let inputs = ChannelInputs {
        tenant: "example".into(),
        org: "https://contoso.crm.dynamics.com".into(),
        ..ChannelInputs::default()
    };
    let path = channel::save(&inputs).unwrap();
    assert!(path.starts_with(&dir));
    assert_eq!(channel::load().unwrap(), inputs);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600, "the settings are private to the user");
        assert_eq!(
            mode(&dir),
            0o700,
            "the profile directory is private to the user"
        );
    }

    std::fs::write(&path, b"{ not json").unwrap();
    let error = channel::load().unwrap_err().to_string();
    assert!(
        error.contains("channel-provider.json") && error.contains("damaged"),
        "{error}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
