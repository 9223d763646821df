//! Accounts on disk with their secrets in the real OS keychain.

use dynbridge_core::account::Account;
use dynbridge_store::accounts::{AccountStore, NameClash};
use dynbridge_store::{Keychain, SecretKind, StoreError};
use secrecy::{ExposeSecret, SecretString};

fn store(name: &str) -> (AccountStore, std::path::PathBuf) {
    let dir =
        std::env::temp_dir().join(format!("dynbridge-accounts-{name}-{}", std::process::id()));
    let keychain = Keychain::with_service(format!(
        "dynbridge-test-accounts-{name}-{}",
        std::process::id()
    ));
    (AccountStore::at(dir.join("accounts.json"), keychain), dir)
}

fn account(name: &str) -> Account {
    Account {
        id: String::new(),
        name: name.into(),
        default: false,
        tenant: "example".into(),
        authorization_url: "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/authorize".into(),
        token_url: "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/token".into(),
        api_url: "https://contoso.crm.dynamics.com/api/data/v9.0".into(),
        client_id: "11111111-2222-3333-4444-555555555555".into(),
        secret_expires: Some("2027-06-01".into()),
        refresh_token_used: None,
        simulator: false,
    }
}

#[test]
fn add_rename_default_remove_keep_exactly_one_default_and_the_secrets_right() {
    let (store, dir) = store("lifecycle");
    let secret = SecretString::from("Abc~8Q.secret-value-never-on-disk".to_owned());
    let production = store.add(account("Production"), Some(&secret)).unwrap();
    assert!(production.default, "the first account is the default");
    let staging = store.add(account("Staging"), None).unwrap();
    assert!(!staging.default);
    assert!(matches!(
        store.add(account("production"), None),
        Err(StoreError::NameTaken { .. })
    ));

    let renamed = store
        .edit(Account {
            name: "Prod".into(),
            ..production.clone()
        })
        .unwrap();
    assert_eq!(renamed.id, production.id);
    let kept = store
        .secret(&renamed.id, SecretKind::ClientSecret)
        .unwrap()
        .unwrap();
    assert_eq!(
        kept.expose_secret(),
        secret.expose_secret(),
        "renaming keeps the secret"
    );

    store.set_default("Staging").unwrap();
    let defaults: Vec<String> = store
        .list()
        .unwrap()
        .into_iter()
        .filter(|a| a.default)
        .map(|a| a.name)
        .collect();
    assert_eq!(defaults, ["Staging"]);

    let on_disk = std::fs::read_to_string(store.path()).unwrap();
    assert!(
        !on_disk.contains(secret.expose_secret()),
        "the secret never reaches the profile file"
    );

    store.remove("Staging").unwrap();
    assert_eq!(
        store.list().unwrap().iter().filter(|a| a.default).count(),
        1,
        "another account became the default"
    );
    store.remove("Prod").unwrap();
    assert!(
        store
            .secret(&production.id, SecretKind::ClientSecret)
            .unwrap()
            .is_none(),
        "removing an account removes its secret"
    );
    assert!(store.list().unwrap().is_empty());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_import_whose_name_exists_replaces_it_or_keeps_both_under_a_free_name() {
    let (store, dir) = store("clash");
    let secret = SecretString::from("secret-of-the-replaced-account".to_owned());
    let production = store.add(account("Production"), Some(&secret)).unwrap();
    let json = store
        .export("Production")
        .unwrap()
        .replace("contoso.crm", "fabrikam.crm");

    let second = store.import(&json, NameClash::KeepBoth).unwrap();
    assert_eq!(second.name, "Production (2)");
    let third = store
        .import(
            &json.replace("\"Production\"", "\"production\""),
            NameClash::KeepBoth,
        )
        .unwrap();
    assert_eq!(third.name, "production (3)", "names compare ignoring case");

    let replaced = store.import(&json, NameClash::Replace).unwrap();
    assert_eq!(
        replaced.id, production.id,
        "the replaced account keeps its id"
    );
    assert!(replaced.default, "and its place as the default");
    assert_eq!(
        replaced.api_url,
        "https://fabrikam.crm.dynamics.com/api/data/v9.0"
    );
    assert!(
        store
            .secret(&production.id, SecretKind::ClientSecret)
            .unwrap()
            .is_none(),
        "the old secret must not go to the imported endpoints"
    );
    assert_eq!(store.list().unwrap().len(), 3);
    for name in ["Production", "Production (2)", "production (3)"] {
        store.remove(name).unwrap();
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn export_and_import_carry_no_secrets() {
    let (store, dir) = store("export");
    let secret = SecretString::from("secret-value-for-export-test".to_owned());
    store.add(account("Production"), Some(&secret)).unwrap();
    let json = store.export("Production").unwrap();
    assert!(!json.contains(secret.expose_secret()));
    assert!(matches!(
        store.import(&json, NameClash::Refuse),
        Err(StoreError::NameTaken { .. })
    ));
    let copy = store
        .import(
            &json.replace("\"Production\"", "\"Copy\""),
            NameClash::Refuse,
        )
        .unwrap();
    assert!(store
        .secret(&copy.id, SecretKind::ClientSecret)
        .unwrap()
        .is_none());
    assert!(matches!(
        store.import("{}", NameClash::Refuse),
        Err(StoreError::Invalid { .. })
    ));
    store.remove("Production").unwrap();
    store.remove("Copy").unwrap();
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_damaged_file_is_reported_and_left_alone() {
    let (store, dir) = store("damaged");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(store.path(), b"{ broken").unwrap();
    let error = store.list().unwrap_err().to_string();
    assert!(
        error.contains("accounts.json") && error.contains("damaged"),
        "{error}"
    );
    assert_eq!(std::fs::read(store.path()).unwrap(), b"{ broken");
    std::fs::remove_dir_all(dir).unwrap();
}

/// A refresh token belongs to the endpoints it was issued for: an edit that sends the
/// account's secrets elsewhere (another org, another tenant, this computer) drops it.
#[test]
fn an_edit_to_other_endpoints_drops_the_refresh_token() {
    let (store, dir) = store("destinations");
    let secret = SecretString::from("Abc~8Q.secret-value".to_owned());
    let added = store.add(account("Production"), Some(&secret)).unwrap();
    let token = SecretString::from("refresh-token".to_owned());
    let has_token = |store: &AccountStore| {
        store
            .secret(&added.id, SecretKind::RefreshToken)
            .unwrap()
            .is_some()
    };
    store
        .set_secret(&added.id, SecretKind::RefreshToken, &token)
        .unwrap();
    let renamed = store
        .edit(Account {
            name: "Prod".into(),
            ..added.clone()
        })
        .unwrap();
    assert!(has_token(&store), "a rename keeps it");
    for moved in [
        Account {
            api_url: "https://fabrikam.crm.dynamics.com/api/data/v9.0".into(),
            ..renamed.clone()
        },
        Account {
            simulator: true,
            ..renamed.clone()
        },
    ] {
        store
            .set_secret(&added.id, SecretKind::RefreshToken, &token)
            .unwrap();
        store.edit(moved).unwrap();
        assert!(!has_token(&store), "dropped");
        assert!(store
            .secret(&added.id, SecretKind::ClientSecret)
            .unwrap()
            .is_some());
    }
    store.remove(&added.id).unwrap();
    let _ = std::fs::remove_dir_all(dir);
}
