//! The profile is private to the user on Unix: its directory 0700, its files 0600,
//! whether the store creates them or finds them open.
#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{account, TestStore};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn assert_private(profile: &Path) {
    assert_eq!(mode(profile), 0o700, "{}", profile.display());
    let mut files = 0;
    for entry in std::fs::read_dir(profile).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
        files += 1;
    }
    assert!(files > 0, "the profile holds files");
}

#[test]
fn a_new_profile_is_private_to_the_user() {
    let test = TestStore::new("private-new");
    test.store.add(account("Private"), None).unwrap();
    assert_private(test.store.path().parent().unwrap());
}

#[test]
fn an_open_profile_is_made_private_when_written() {
    let test = TestStore::new("private-open");
    let profile = test.store.path().parent().unwrap();
    std::fs::create_dir_all(profile).unwrap();
    std::fs::set_permissions(profile, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(test.store.path(), br#"{ "version": 1, "accounts": [] }"#).unwrap();
    std::fs::set_permissions(test.store.path(), std::fs::Permissions::from_mode(0o644)).unwrap();

    test.store.add(account("Tightened"), None).unwrap();
    assert_private(profile);
}
