//! What the tests against dynbridge-sim share: an account for a simulator, credentials
//! kept in memory (standing in for the keychain), and a browser that approves sign-ins.

#![allow(dead_code)] // each test file uses its own part

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use dynbridge_core::account::credentials::Credentials;
use dynbridge_core::account::Account;
use dynbridge_dataverse::connection::login;
use dynbridge_dataverse::{Failure, Patience, Session, Tokens};
use dynbridge_sim::Sim;
use secrecy::{ExposeSecret, SecretString};

pub fn account(sim: &Sim) -> Account {
    Account {
        id: "sim".into(),
        name: "Simulator".into(),
        default: true,
        tenant: "example".into(),
        authorization_url: sim.authorization_url(),
        token_url: sim.token_url(),
        api_url: sim.api_url(),
        client_id: sim.config().client_id,
        secret_expires: None,
        refresh_token_used: None,
        simulator: true,
    }
}

/// Plays the browser: follows the authorize URL to the loopback redirect.
pub fn browser(url: &str) -> Result<(), String> {
    dynbridge_sim::browser::approve_in_background(url);
    Ok(())
}

pub fn sign_in(sim: &Sim, secret: &str) -> Result<Tokens, Failure> {
    sign_in_as(&account(sim), secret)
}

pub fn sign_in_as(account: &Account, secret: &str) -> Result<Tokens, Failure> {
    login(
        account,
        &SecretString::from(secret.to_owned()),
        false,
        Duration::from_secs(10),
        &AtomicBool::new(false),
        browser,
    )
}

/// An account's secrets in memory, as the keychain would hold them.
pub struct Memory {
    secret: Option<SecretString>,
    refresh: Mutex<Option<SecretString>>,
    /// How many successful refreshes were recorded.
    pub refreshes: AtomicUsize,
}

impl Memory {
    pub fn new(secret: Option<&str>, refresh: Option<SecretString>) -> Self {
        Self {
            secret: secret.map(|s| SecretString::from(s.to_owned())),
            refresh: Mutex::new(refresh),
            refreshes: AtomicUsize::new(0),
        }
    }

    /// Signed in to `sim` with its client secret.
    pub fn signed_in(sim: &Sim) -> Self {
        Self::signed_in_as(sim, &account(sim))
    }

    pub fn signed_in_as(sim: &Sim, account: &Account) -> Self {
        let secret = sim.config().client_secret;
        let tokens = sign_in_as(account, &secret).expect("a sign-in");
        Self::new(Some(&secret), tokens.refresh)
    }

    /// The refresh token held now.
    pub fn refresh_token_now(&self) -> Option<String> {
        self.refresh
            .lock()
            .unwrap()
            .as_ref()
            .map(|t| t.expose_secret().to_owned())
    }
}

impl Credentials for Memory {
    fn client_secret(&self) -> Result<Option<SecretString>, String> {
        Ok(self.secret.clone())
    }

    fn refresh_token(&self) -> Result<Option<SecretString>, String> {
        Ok(self.refresh.lock().unwrap().clone())
    }

    fn record_refresh(&self, rotated: Option<&SecretString>) -> Result<(), String> {
        if let Some(token) = rotated {
            *self.refresh.lock().unwrap() = Some(token.clone());
        }
        self.refreshes.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// Patience with this budget, waits unreported.
pub fn patience(cancel: &AtomicBool, budget: Duration) -> Patience<'_> {
    Patience {
        budget,
        cancel,
        on_wait: &|_| {},
    }
}

/// A session of a signed-in simulator account.
pub fn session<'a>(sim: &Sim, cancel: &'a AtomicBool) -> Session<'a> {
    Session::open(
        &account(sim),
        &Memory::signed_in(sim),
        patience(cancel, Duration::from_secs(120)),
    )
    .expect("a session")
}
