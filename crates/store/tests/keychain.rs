//! Round trips through the real OS keychain. On Linux these need a running Secret
//! Service: `cargo xtask test` provides an unlocked gnome-keyring on a private D-Bus.

use dynbridge_store::{keychain, Keychain, ProfileLock, SecretKind};
use secrecy::{ExposeSecret, SecretString};

/// A keychain under a service of its own, and the profile lock its methods ask for.
fn test_keychain(name: &str) -> (Keychain, ProfileLock, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let held = ProfileLock::acquire(&dir.path().join("accounts.json.lock")).unwrap();
    let keychain = Keychain::with_service(format!("dynbridge-test-{name}-{}", std::process::id()));
    (keychain, held, dir)
}

#[test]
fn backend_is_the_real_os_store_not_the_mock() {
    let name = keychain::backend().expect("keyring must not fall back to its mock store");
    assert!(!name.is_empty());
}

#[test]
fn secret_round_trips_through_the_os_keychain_and_is_deleted() {
    let (keychain, held, _dir) = test_keychain("roundtrip");
    let secret = SecretString::from("s3cr3t~Value+with/odd=chars ünïcode".to_owned());

    keychain
        .set(&held, "acct-1", SecretKind::ClientSecret, &secret)
        .unwrap();
    let read = keychain
        .get(&held, "acct-1", SecretKind::ClientSecret)
        .unwrap();
    assert_eq!(read.unwrap().expose_secret(), secret.expose_secret());
    assert!(keychain
        .contains(&held, "acct-1", SecretKind::ClientSecret)
        .unwrap());
    // The other kind of the same account is a separate entry.
    assert!(keychain
        .get(&held, "acct-1", SecretKind::RefreshToken)
        .unwrap()
        .is_none());

    assert!(keychain
        .delete(&held, "acct-1", SecretKind::ClientSecret)
        .unwrap());
    assert!(keychain
        .get(&held, "acct-1", SecretKind::ClientSecret)
        .unwrap()
        .is_none());
    assert!(!keychain
        .delete(&held, "acct-1", SecretKind::ClientSecret)
        .unwrap());
    assert_eq!(
        keychain.entry_names(&held, "acct-1").unwrap(),
        Vec::<String>::new()
    );
}

#[test]
fn replacing_a_secret_keeps_only_the_new_value() {
    let (keychain, held, _dir) = test_keychain("replace");
    let first = SecretString::from("first".to_owned());
    let second = SecretString::from("second".to_owned());
    let kind = SecretKind::RefreshToken;
    keychain.set(&held, "a", kind, &first).unwrap();
    keychain.set(&held, "a", kind, &second).unwrap();
    let read = keychain.get(&held, "a", kind).unwrap().unwrap();
    assert_eq!(read.expose_secret(), "second");
    keychain.delete_account(&held, "a").unwrap();
    assert_eq!(
        keychain.entry_names(&held, "a").unwrap(),
        Vec::<String>::new()
    );
}
