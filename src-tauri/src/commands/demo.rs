//! The demo tenant: the simulator with sample data, a signed-in "Demo tenant" account
//! and a "Demo tenant" Bright Pattern connection (the simulator's demo contact center),
//! so every online feature can be tried without a tenant
//! (Accounts page, "Try the demo tenant"; `cargo xtask run --demo`).

use std::sync::atomic::AtomicBool;
use std::sync::Mutex;
use std::time::Duration;

use dynbridge_core::account::Account;
use dynbridge_core::brightpattern::Connection;
use dynbridge_dataverse::connection::login;
use dynbridge_sim::brightpattern::tenant::{DEMO_LOGIN, DEMO_SECRET};
use dynbridge_sim::Sim;
use dynbridge_store::accounts::{AccountStore, AccountView};
use dynbridge_store::brightpattern::ConnectionStore;
use dynbridge_store::{SecretKind, StoreError};
use secrecy::SecretString;
use tauri::State;

use super::CommandError;

pub const DEMO_ACCOUNT: &str = "Demo tenant";

/// The demo's simulator, running for the rest of the app's life once started.
pub struct Demo {
    sim: Mutex<Option<Sim>>,
    /// The app was started with `--demo`.
    requested: bool,
}

impl Demo {
    pub fn new(requested: bool) -> Self {
        Self {
            sim: Mutex::new(None),
            requested,
        }
    }
}

#[tauri::command]
pub fn demo_requested(demo: State<'_, Demo>) -> bool {
    demo.requested
}

/// Starts the simulator (once), saves the demo account with its URLs and secret, and
/// signs it in, the simulator approving like a browser would.
#[tauri::command]
pub async fn demo_start(demo: State<'_, Demo>) -> Result<AccountView, CommandError> {
    let (account, secret, bp_url) = {
        let mut sim = demo.sim.lock().expect("demo lock");
        let sim = match sim.as_mut() {
            Some(sim) => sim,
            None => sim.insert(Sim::start(dynbridge_sim::demo::config(), 0).map_err(|e| {
                CommandError::message(format!("cannot start the demo simulator: {e}"))
            })?),
        };
        let config = sim.config();
        let account = Account {
            id: String::new(),
            name: DEMO_ACCOUNT.into(),
            default: false,
            tenant: "example".into(),
            authorization_url: sim.authorization_url(),
            token_url: sim.token_url(),
            api_url: sim.api_url(),
            client_id: config.client_id,
            secret_expires: None,
            refresh_token_used: None,
            simulator: true,
        };
        (
            account,
            SecretString::from(config.client_secret),
            sim.base_url(),
        )
    };
    tauri::async_runtime::spawn_blocking(move || {
        let store = AccountStore::open_default()?;
        let saved = match store.get(DEMO_ACCOUNT) {
            Ok(existing) => store.edit(Account {
                id: existing.id,
                default: existing.default,
                ..account
            })?,
            Err(StoreError::NotFound { .. }) => store.add(account, None)?,
            Err(error) => return Err(error.into()),
        };
        if let Err(error) = store.set_secret(&saved.id, SecretKind::ClientSecret, &secret) {
            // Leave no half-made demo account behind (e.g. no unlocked keyring).
            let _ = store.remove(&saved.id);
            return Err(error.into());
        }
        let tokens = login(
            &saved,
            &secret,
            false,
            Duration::from_secs(30),
            &AtomicBool::new(false),
            |url| {
                dynbridge_sim::browser::approve_in_background(url);
                Ok(())
            },
        )
        .map_err(|failure| CommandError::message(failure.findings()[0].message.clone()))?;
        store.record_refresh(&saved.id, tokens.refresh.as_ref())?;
        save_bp_connection(bp_url)?;
        Ok(store.view(store.get(&saved.id)?)?)
    })
    .await
    .map_err(|e| CommandError::message(format!("the demo stopped unexpectedly: {e}")))?
}

/// Saves the "Demo tenant" Bright Pattern connection to the simulator at `url` (again
/// each start: the simulator's port changes), its API secret in the keychain.
fn save_bp_connection(url: String) -> Result<(), CommandError> {
    let store = ConnectionStore::open_default()?;
    match store.get(DEMO_ACCOUNT) {
        Ok(_) => drop(store.remove(DEMO_ACCOUNT)?),
        Err(StoreError::NoConnection { .. }) => {}
        Err(error) => return Err(error.into()),
    }
    let connection = Connection {
        id: String::new(),
        name: DEMO_ACCOUNT.into(),
        url,
        login: DEMO_LOGIN.into(),
        simulator: true,
    };
    store.add(connection, &SecretString::from(DEMO_SECRET))?;
    Ok(())
}
