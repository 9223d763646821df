//! The profile file and the keychain stay consistent when several threads or
//! processes change one profile at once (token refreshes, adds, renames, removes).

mod common;

use std::process::Command;
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{account, long_token, TestStore};
use dynbridge_core::account::credentials::Credentials;
use dynbridge_core::account::{today, Account};
use dynbridge_store::accounts::AccountStore;
use dynbridge_store::{SecretKind, StoreError};
use secrecy::{ExposeSecret, SecretString};

fn client_secret(index: usize) -> SecretString {
    SecretString::from(format!("client-secret-of-account-{index}"))
}

#[test]
fn forty_parallel_refreshes_then_remove_leave_no_keychain_item_of_the_account() {
    let test = TestStore::new("refresh-40");
    let store = &test.store;
    let added = store
        .add(account("Refreshing"), Some(&client_secret(0)))
        .unwrap();
    let tokens: Vec<SecretString> = (0..40).map(long_token).collect();

    thread::scope(|scope| {
        for token in &tokens {
            let credentials = store.credentials(&added.id);
            scope.spawn(move || credentials.record_refresh(Some(token)).unwrap());
        }
    });

    let stored = store
        .secret(&added.id, SecretKind::RefreshToken)
        .unwrap()
        .expect("a refresh token is stored");
    assert!(
        tokens
            .iter()
            .any(|token| token.expose_secret() == stored.expose_secret()),
        "the stored refresh token is one of the rotated tokens, whole"
    );
    store.remove(&added.id).unwrap();

    #[cfg(target_os = "linux")]
    assert_eq!(
        common::keychain_items(&test.service),
        Vec::<String>::new(),
        "removing the account leaves none of its keychain items"
    );
    for kind in [SecretKind::ClientSecret, SecretKind::RefreshToken] {
        assert!(store.secret(&added.id, kind).unwrap().is_none());
    }
}

/// Ten accounts named `<prefix> 0` … `<prefix> 9`, each with its own client secret,
/// and no other secret in the keychain.
fn assert_ten_accounts_each_with_its_secret(test: &TestStore, prefix: &str) {
    let accounts = test.store.list().unwrap();
    let mut names: Vec<&str> = accounts.iter().map(|a| a.name.as_str()).collect();
    names.sort();
    let expected: Vec<String> = (0..10).map(|i| format!("{prefix} {i}")).collect();
    assert_eq!(names, expected, "every add kept its account");
    assert_eq!(accounts.iter().filter(|a| a.default).count(), 1);
    for added in &accounts {
        let index: usize = added.name[prefix.len() + 1..].parse().unwrap();
        let secret = test
            .store
            .secret(&added.id, SecretKind::ClientSecret)
            .unwrap()
            .expect("every account has its secret");
        assert_eq!(secret.expose_secret(), client_secret(index).expose_secret());
    }
    #[cfg(target_os = "linux")]
    assert_eq!(
        common::keychain_items(&test.service).len(),
        10,
        "one secret per account and no orphan"
    );
}

#[test]
fn ten_threads_adding_at_once_keep_ten_accounts_and_ten_secrets() {
    let test = TestStore::new("add-threads");
    thread::scope(|scope| {
        for index in 0..10 {
            let store = &test.store;
            scope.spawn(move || {
                store
                    .add(
                        account(&format!("Thread {index}")),
                        Some(&client_secret(index)),
                    )
                    .unwrap()
            });
        }
    });
    assert_ten_accounts_each_with_its_secret(&test, "Thread");
}

/// Set in the processes that [`ten_processes_adding_at_once_keep_ten_accounts_and_ten_secrets`]
/// starts: `<index> <start, ms since the epoch> <keychain service> <directory>`.
const ADDING_PROCESS: &str = "DYNBRIDGE_TEST_ADDING_PROCESS";

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// In a started process: wait for the common start, then add one account.
fn add_as_one_of_the_processes(role: &str) {
    let mut parts = role.splitn(4, ' ');
    let mut next = || parts.next().expect("four parts");
    let (index, start, service, dir): (usize, u64, _, _) = (
        next().parse().unwrap(),
        next().parse().unwrap(),
        next(),
        next(),
    );
    thread::sleep(Duration::from_millis(start.saturating_sub(now_ms())));
    common::at(std::path::Path::new(dir), service)
        .add(
            account(&format!("Process {index}")),
            Some(&client_secret(index)),
        )
        .unwrap();
}

#[test]
fn ten_processes_adding_at_once_keep_ten_accounts_and_ten_secrets() {
    if let Ok(role) = std::env::var(ADDING_PROCESS) {
        return add_as_one_of_the_processes(&role);
    }
    let test = TestStore::new("add-processes");
    // All ten start together, once every process is up.
    let start = now_ms() + 1_500;
    let role = |index: usize| {
        let dir = test.dir.path().display();
        format!("{index} {start} {} {dir}", test.service)
    };
    let processes: Vec<_> = (0..10)
        .map(|index| {
            let mut process = Command::new(std::env::current_exe().unwrap());
            process
                .args([
                    "--exact",
                    "ten_processes_adding_at_once_keep_ten_accounts_and_ten_secrets",
                    "--test-threads=1",
                    "--nocapture",
                ])
                .env(ADDING_PROCESS, role(index));
            thread::spawn(move || process.output())
        })
        .collect();
    for process in processes {
        let output = process.join().unwrap().unwrap();
        assert!(
            output.status.success(),
            "an adding process failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_ten_accounts_each_with_its_secret(&test, "Process");
}

#[test]
fn a_rename_during_a_token_refresh_is_kept() {
    let test = TestStore::new("rename-refresh");
    let store = &test.store;
    let added = store.add(account("Before"), None).unwrap();
    for round in 0..10 {
        let renamed = format!("Renamed {round}");
        thread::scope(|scope| {
            scope.spawn(|| {
                store
                    .record_refresh(&added.id, Some(&long_token(round)))
                    .unwrap()
            });
            scope.spawn(|| {
                // Read while the refresh runs, renamed a moment later.
                let read = store.get(&added.id).unwrap();
                thread::sleep(Duration::from_millis(3));
                store
                    .edit(Account {
                        name: renamed.clone(),
                        ..read
                    })
                    .unwrap()
            });
        });
        let now = store.get(&added.id).unwrap();
        assert_eq!(now.name, renamed, "round {round}: the rename is kept");
        assert_eq!(
            now.refresh_token_used,
            Some(today().to_string()),
            "round {round}: the refresh is kept"
        );
    }
}

#[test]
fn an_edit_from_an_earlier_read_keeps_what_a_refresh_recorded_since() {
    let test = TestStore::new("stale-edit");
    let store = &test.store;
    let read = store.add(account("Form"), None).unwrap();
    assert_eq!(read.refresh_token_used, None);
    store.record_refresh(&read.id, None).unwrap();
    let edited = store
        .edit(Account {
            name: "Form renamed".into(),
            ..read
        })
        .unwrap();
    assert_eq!(edited.name, "Form renamed");
    assert_eq!(edited.refresh_token_used, Some(today().to_string()));
}

#[test]
fn a_refresh_for_a_removed_account_stores_no_token() {
    let test = TestStore::new("refresh-removed");
    let store: &AccountStore = &test.store;
    let removed = store.add(account("Gone"), None).unwrap();
    store.remove(&removed.id).unwrap();
    assert!(matches!(
        store.record_refresh(&removed.id, Some(&long_token(1))),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.set_secret(&removed.id, SecretKind::ClientSecret, &client_secret(1)),
        Err(StoreError::NotFound { .. })
    ));
    #[cfg(target_os = "linux")]
    assert_eq!(common::keychain_items(&test.service), Vec::<String>::new());
    assert!(store.list().unwrap().is_empty());
}
