//! Round trips through the real OS keychain. On Linux these need a running Secret
//! Service: `cargo xtask test` provides an unlocked gnome-keyring on a private D-Bus.

use dynbridge_store::{keychain, Keychain, SecretKind};
use secrecy::{ExposeSecret, SecretString};

fn test_keychain(name: &str) -> Keychain {
    Keychain::with_service(format!("dynbridge-test-{name}-{}", std::process::id()))
}

#[test]
fn backend_is_the_real_os_store_not_the_mock() {
    let name = keychain::backend().expect("keyring must not fall back to its mock store");
    assert!(!name.is_empty());
}

#[test]
fn secret_round_trips_through_the_os_keychain_and_is_deleted() {
    let keychain = test_keychain("roundtrip");
    let secret = SecretString::from("s3cr3t~Value+with/odd=chars ünïcode".to_owned());

    keychain
        .set("acct-1", SecretKind::ClientSecret, &secret)
        .unwrap();
    let read = keychain.get("acct-1", SecretKind::ClientSecret).unwrap();
    assert_eq!(read.unwrap().expose_secret(), secret.expose_secret());
    // The other kind of the same account is a separate entry.
    assert!(keychain
        .get("acct-1", SecretKind::RefreshToken)
        .unwrap()
        .is_none());

    assert!(keychain.delete("acct-1", SecretKind::ClientSecret).unwrap());
    assert!(keychain
        .get("acct-1", SecretKind::ClientSecret)
        .unwrap()
        .is_none());
    assert!(!keychain.delete("acct-1", SecretKind::ClientSecret).unwrap());
}

#[test]
fn replacing_a_secret_keeps_only_the_new_value() {
    let keychain = test_keychain("replace");
    let first = SecretString::from("first".to_owned());
    let second = SecretString::from("second".to_owned());
    keychain.set("a", SecretKind::RefreshToken, &first).unwrap();
    keychain
        .set("a", SecretKind::RefreshToken, &second)
        .unwrap();
    let read = keychain
        .get("a", SecretKind::RefreshToken)
        .unwrap()
        .unwrap();
    assert_eq!(read.expose_secret(), "second");
    keychain.delete("a", SecretKind::RefreshToken).unwrap();
}
