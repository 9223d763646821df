//! Bright Pattern connections on disk with their API secrets in the real OS keychain.

use dynbridge_core::brightpattern::Connection;
use dynbridge_store::brightpattern::ConnectionStore;
use dynbridge_store::{Keychain, StoreError};
use secrecy::{ExposeSecret, SecretString};

fn store(name: &str) -> (ConnectionStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let keychain =
        Keychain::with_service(format!("dynbridge-test-bp-{name}-{}", std::process::id()));
    (
        ConnectionStore::in_dir(dir.path().to_path_buf(), keychain),
        dir,
    )
}

fn connection(name: &str, url: &str) -> Connection {
    Connection {
        id: String::new(),
        name: name.into(),
        url: url.into(),
        login: "api.user".into(),
        simulator: false,
    }
}

#[test]
fn add_get_remove_keep_the_secret_in_the_keychain_only() {
    let (store, dir) = store("lifecycle");
    let secret = SecretString::from("bp-secret-value-0123456789");
    let added = store
        .add(
            connection("Example", "https://example.brightpattern.com"),
            &secret,
        )
        .unwrap();
    assert!(added.id.starts_with("bp-"));
    assert_eq!(store.get("Example").unwrap(), added);
    assert_eq!(
        store.secret(&added.id).unwrap().unwrap().expose_secret(),
        "bp-secret-value-0123456789"
    );
    let on_disk = std::fs::read_to_string(dir.path().join("bp-connections.json")).unwrap();
    assert!(on_disk.contains("example.brightpattern.com"));
    assert!(
        !on_disk.contains("bp-secret-value"),
        "the secret is never on disk"
    );
    assert!(store.view(added.clone()).unwrap().has_secret);

    let taken = store
        .add(
            connection("example", "https://other.brightpattern.com"),
            &secret,
        )
        .unwrap_err();
    assert!(
        matches!(taken, StoreError::ConnectionNameTaken { .. }),
        "{taken}"
    );

    store.remove("Example").unwrap();
    assert!(store.list().unwrap().is_empty());
    assert!(
        store.secret(&added.id).unwrap().is_none(),
        "removing removes the secret"
    );
    assert!(matches!(
        store.get("Example"),
        Err(StoreError::NoConnection { .. })
    ));
}

#[test]
fn a_connection_the_secret_may_not_go_to_is_refused_before_anything_is_stored() {
    let (store, _dir) = store("refused");
    let secret = SecretString::from("s");
    let error = store
        .add(
            connection("Plain", "http://example.brightpattern.com"),
            &secret,
        )
        .unwrap_err();
    assert!(error.to_string().contains("https://"), "{error}");
    assert!(store.list().unwrap().is_empty());
}
