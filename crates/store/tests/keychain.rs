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

/// gnome-keyring aborts now and then when short-lived clients reach it at once (an
/// upstream race, GNOME/gnome-keyring work items 190, 196 and 199). A call it was
/// answering when it died is asked again, and reaches the keyring started in its place.
/// This stops the session's keyring, so it runs only in `cargo xtask test`'s private
/// one, whose D-Bus starts an unlocked keyring again on demand.
#[cfg(target_os = "linux")]
#[test]
fn a_call_the_keyring_dies_answering_is_asked_again() {
    assert!(
        std::env::var_os("DYNBRIDGE_PRIVATE_KEYRING").is_some(),
        "this test stops the Secret Service: run it with `cargo xtask test`"
    );
    let (keychain, held, _dir) = test_keychain("restart");
    let secret = SecretString::from("kept across a keyring restart".to_owned());
    keychain
        .set(&held, "acct-1", SecretKind::ClientSecret, &secret)
        .unwrap();

    let daemon = secret_service_pid();
    signal(daemon, "STOP");
    let read = std::thread::scope(|scope| {
        let reading = scope.spawn(|| keychain.get(&held, "acct-1", SecretKind::ClientSecret));
        // The read now waits for an answer the stopped keyring never gives.
        std::thread::sleep(std::time::Duration::from_millis(300));
        signal(daemon, "KILL");
        reading.join().unwrap()
    });

    let read = read.expect("the read is asked again of the restarted keyring");
    assert_eq!(read.unwrap().expose_secret(), secret.expose_secret());
    assert_ne!(secret_service_pid(), daemon, "a new keyring answered");
}

/// The process that owns `org.freedesktop.secrets` on the session bus.
#[cfg(target_os = "linux")]
fn secret_service_pid() -> u32 {
    let out = std::process::Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.GetConnectionUnixProcessID",
            "string:org.freedesktop.secrets",
        ])
        .output()
        .unwrap();
    let reply = String::from_utf8_lossy(&out.stdout);
    reply
        .split_whitespace()
        .skip_while(|word| *word != "uint32")
        .nth(1)
        .and_then(|pid| pid.parse().ok())
        .unwrap_or_else(|| panic!("no Secret Service on the bus: {reply}"))
}

#[cfg(target_os = "linux")]
fn signal(pid: u32, name: &str) {
    let status = std::process::Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(status.success(), "kill -{name} {pid}");
}
