//! Secrets in the OS keychain: macOS Keychain, Windows Credential Manager, or the
//! Secret Service (GNOME Keyring, KWallet) on Linux.
//!
//! keyring 3 silently uses an in-memory mock when no backend feature matches the
//! platform; [`backend`] detects that so the app can refuse to run instead of losing
//! secrets.
//!
//! Long secrets are kept in pieces ([`pieces`] says how). Every read and write of an
//! account's secrets happens under the [`ProfileLock`], which each method asks for, so
//! no one sees or leaves a half-written secret. [`Keychain::delete_account`] deletes
//! every entry of an account: the names Dynbridge writes, probed one by one on every
//! OS, and on Linux whatever else a Secret Service search finds under the account.

mod pieces;
#[cfg(target_os = "linux")]
mod search;

use keyring::Entry;
use secrecy::{ExposeSecret, SecretString};

use crate::lock::ProfileLock;
use crate::StoreError;
use pieces::{main_name, piece_name, Pieces, SLOTS};

/// The keychain service name under which Dynbridge stores its secrets.
pub const SERVICE: &str = "dynbridge";

/// The kinds of secret kept per integration account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    ClientSecret,
    RefreshToken,
    /// A Bright Pattern API user's secret (a connection's, under its id).
    ApiSecret,
}

impl SecretKind {
    /// Every kind, for deleting all of an account's secrets.
    pub const ALL: [SecretKind; 3] = [
        SecretKind::ClientSecret,
        SecretKind::RefreshToken,
        SecretKind::ApiSecret,
    ];

    fn label(self) -> &'static str {
        match self {
            SecretKind::ClientSecret => "client-secret",
            SecretKind::RefreshToken => "refresh-token",
            SecretKind::ApiSecret => "bp-api-secret",
        }
    }

    fn description(self) -> &'static str {
        match self {
            SecretKind::ClientSecret => "client secret",
            SecretKind::RefreshToken => "refresh token",
            SecretKind::ApiSecret => "API secret",
        }
    }
}

/// The name of the credential store keyring uses on this platform, or
/// [`StoreError::MockKeychain`] when it resolved to its mock.
pub fn backend() -> Result<&'static str, StoreError> {
    let probe = Entry::new(SERVICE, "backend-probe")
        .map_err(|source| keychain_error("open an entry", source))?;
    if probe.get_credential().is::<keyring::mock::MockCredential>() {
        return Err(StoreError::MockKeychain);
    }
    Ok(platform_backend_name())
}

fn platform_backend_name() -> &'static str {
    if cfg!(target_os = "macos") {
        "macOS Keychain"
    } else if cfg!(target_os = "windows") {
        "Windows Credential Manager"
    } else {
        "Secret Service (D-Bus)"
    }
}

/// Secrets of integration accounts, keyed by a stable account id.
///
/// Each method takes the [`ProfileLock`] of the profile the account belongs to, as
/// proof that no other thread or process changes the account's secrets meanwhile.
#[derive(Debug, Clone)]
pub struct Keychain {
    service: String,
}

impl Default for Keychain {
    fn default() -> Self {
        Self::with_service(SERVICE)
    }
}

impl Keychain {
    /// A keychain view under another service name (tests use their own).
    pub fn with_service(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    /// Stores (or replaces) a secret, in pieces when it is long; afterwards the kind
    /// has no entry but those of the new secret.
    pub fn set(
        &self,
        _held: &ProfileLock,
        account_id: &str,
        kind: SecretKind,
        secret: &SecretString,
    ) -> Result<(), StoreError> {
        let replaced = self.current_pieces(account_id, kind)?;
        let main = main_name(account_id, kind);
        let written = match pieces::split(secret.expose_secret()) {
            None => {
                self.write(&main, secret.expose_secret())?;
                None
            }
            Some(parts) => {
                let slot = Pieces::free_slot(replaced);
                // Whatever a write that stopped half-way left there.
                self.delete_generation(account_id, kind, slot, None)?;
                for (index, part) in parts.iter().enumerate() {
                    self.write(&piece_name(account_id, kind, slot, index), part)?;
                }
                let pieces = Pieces {
                    generation: slot,
                    count: parts.len(),
                };
                self.write(&main, &pieces.mark())?;
                Some(slot)
            }
        };
        for (generation, count) in generations(replaced) {
            if Some(generation) != written {
                self.delete_generation(account_id, kind, generation, count)?;
            }
        }
        Ok(())
    }

    /// The stored secret, or `None` when there is none.
    pub fn get(
        &self,
        _held: &ProfileLock,
        account_id: &str,
        kind: SecretKind,
    ) -> Result<Option<SecretString>, StoreError> {
        let Some(main) = self.read(&main_name(account_id, kind))? else {
            return Ok(None);
        };
        let Some(pieces) = Pieces::parse(&main) else {
            return Ok(Some(SecretString::from(main)));
        };
        let mut secret = String::new();
        for index in 0..pieces.count {
            let piece = self
                .read(&piece_name(account_id, kind, pieces.generation, index))?
                .ok_or(StoreError::IncompleteSecret {
                    secret: kind.description(),
                })?;
            secret.push_str(&piece);
        }
        Ok(Some(SecretString::from(secret)))
    }

    /// Whether a secret of this kind is stored (without reading its pieces).
    pub fn contains(
        &self,
        _held: &ProfileLock,
        account_id: &str,
        kind: SecretKind,
    ) -> Result<bool, StoreError> {
        self.exists(&main_name(account_id, kind))
    }

    /// Deletes a secret and every piece it has or had; `Ok(false)` when there was none.
    pub fn delete(
        &self,
        _held: &ProfileLock,
        account_id: &str,
        kind: SecretKind,
    ) -> Result<bool, StoreError> {
        // Pieces first: while the main entry is there, so is the way to a legacy
        // generation.
        for (generation, count) in generations(self.current_pieces(account_id, kind)?) {
            self.delete_generation(account_id, kind, generation, count)?;
        }
        self.remove(&main_name(account_id, kind))
    }

    /// Deletes every secret of the account: each kind with its pieces, and on Linux
    /// every other item a search finds under the account's id.
    pub fn delete_account(&self, held: &ProfileLock, account_id: &str) -> Result<(), StoreError> {
        for kind in SecretKind::ALL {
            self.delete(held, account_id, kind)?;
        }
        #[cfg(target_os = "linux")]
        again_if_restarted(|| search::delete_items(&self.service, account_id))?;
        Ok(())
    }

    /// The names of the account's entries in the keychain: on Linux all of them, as
    /// a search finds them; elsewhere those at the names Dynbridge writes.
    pub fn entry_names(
        &self,
        _held: &ProfileLock,
        account_id: &str,
    ) -> Result<Vec<String>, StoreError> {
        #[cfg(target_os = "linux")]
        return again_if_restarted(|| search::item_names(&self.service, account_id));
        #[cfg(not(target_os = "linux"))]
        self.probed_entry_names(account_id)
    }

    /// The entries at the names Dynbridge writes for the account.
    #[cfg_attr(target_os = "linux", allow(dead_code))] // Linux searches; its tests probe
    fn probed_entry_names(&self, account_id: &str) -> Result<Vec<String>, StoreError> {
        let mut names = Vec::new();
        for kind in SecretKind::ALL {
            let current = self.current_pieces(account_id, kind)?;
            for (generation, _) in generations(current) {
                let count = self.count_pieces(account_id, kind, generation)?;
                names.extend((0..count).map(|i| piece_name(account_id, kind, generation, i)));
            }
            let main = main_name(account_id, kind);
            if self.exists(&main)? {
                names.push(main);
            }
        }
        names.sort();
        Ok(names)
    }

    fn entry(&self, name: &str) -> Result<Entry, StoreError> {
        Entry::new(&self.service, name).map_err(|source| keychain_error("open an entry", source))
    }

    fn read(&self, name: &str) -> Result<Option<String>, StoreError> {
        let entry = self.entry(name)?;
        again_if_restarted(|| match entry.get_password() {
            Ok(text) => Ok(Some(text)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(source) => Err(keychain_error("read a secret", source)),
        })
    }

    fn exists(&self, name: &str) -> Result<bool, StoreError> {
        let entry = self.entry(name)?;
        again_if_restarted(|| match entry.get_password() {
            Ok(_) | Err(keyring::Error::BadEncoding(_)) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(source) => Err(keychain_error("read a secret", source)),
        })
    }

    fn write(&self, name: &str, text: &str) -> Result<(), StoreError> {
        let entry = self.entry(name)?;
        again_if_restarted(|| {
            entry
                .set_password(text)
                .map_err(|source| keychain_error("store a secret", source))
        })
    }

    /// Deletes one entry; `Ok(false)` when there was none.
    fn remove(&self, name: &str) -> Result<bool, StoreError> {
        let entry = self.entry(name)?;
        again_if_restarted(|| match entry.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(source) => Err(keychain_error("delete a secret", source)),
        })
    }

    /// The pieces the main entry points at now, if it does.
    fn current_pieces(
        &self,
        account_id: &str,
        kind: SecretKind,
    ) -> Result<Option<Pieces>, StoreError> {
        Ok(self
            .read(&main_name(account_id, kind))?
            .as_deref()
            .and_then(Pieces::parse))
    }

    /// How many pieces of a generation there are, counted from index 0.
    fn count_pieces(
        &self,
        account_id: &str,
        kind: SecretKind,
        generation: u64,
    ) -> Result<usize, StoreError> {
        let mut count = 0;
        while self.exists(&piece_name(account_id, kind, generation, count))? {
            count += 1;
        }
        Ok(count)
    }

    /// Deletes the pieces of a generation, the last first, so that a delete that
    /// stops half-way leaves pieces that can still be counted from index 0. `count`
    /// is how many there are when the main entry says so; else they are counted.
    fn delete_generation(
        &self,
        account_id: &str,
        kind: SecretKind,
        generation: u64,
        count: Option<usize>,
    ) -> Result<(), StoreError> {
        let count = match count {
            Some(count) => count,
            None => self.count_pieces(account_id, kind, generation)?,
        };
        for index in (0..count).rev() {
            self.remove(&piece_name(account_id, kind, generation, index))?;
        }
        Ok(())
    }
}

/// The generations that may hold pieces of a kind, with their count of pieces where
/// the main entry tells it: both slots, and the one the main entry points at (which a
/// build before the slots chose freely). A slot's pieces are never more than its
/// count, since a slot is emptied before it is written.
fn generations(current: Option<Pieces>) -> Vec<(u64, Option<usize>)> {
    let mut generations: Vec<_> = SLOTS.iter().map(|&slot| (slot, None)).collect();
    if let Some(pieces) = current {
        match generations
            .iter_mut()
            .find(|(g, _)| *g == pieces.generation)
        {
            Some(slot) => slot.1 = Some(pieces.count),
            None => generations.push((pieces.generation, Some(pieces.count))),
        }
    }
    generations
}

/// Runs a keychain call, and once more if the keychain service went away while
/// answering it. gnome-keyring aborts now and then when short-lived clients open
/// sessions at once (an upstream race: GNOME/gnome-keyring work items 190, 196 and
/// 199), and the desktop (systemd or D-Bus activation) starts it again; the call asked
/// again reaches the new one. Every call retried here is idempotent.
fn again_if_restarted<T>(call: impl Fn() -> Result<T, StoreError>) -> Result<T, StoreError> {
    match call() {
        Err(StoreError::Keychain { source, .. }) if service_went_away(&source) => call(),
        result => result,
    }
}

/// Whether the Secret Service left the bus without answering (D-Bus `NoReply`).
#[cfg(target_os = "linux")]
fn service_went_away(error: &keyring::Error) -> bool {
    let keyring::Error::PlatformFailure(inner) = error else {
        return false;
    };
    matches!(
        inner.downcast_ref::<dbus_secret_service::Error>(),
        Some(dbus_secret_service::Error::Dbus(dbus))
            if dbus.name() == Some("org.freedesktop.DBus.Error.NoReply")
    )
}

/// Windows Credential Manager and macOS Keychain are part of the OS, not a process
/// that can go away.
#[cfg(not(target_os = "linux"))]
fn service_went_away(_error: &keyring::Error) -> bool {
    false
}

fn keychain_error(action: &'static str, source: keyring::Error) -> StoreError {
    StoreError::Keychain {
        action,
        backend: platform_backend_name(),
        remedy: remedy(&source),
        source,
    }
}

/// What the user can do when the keychain itself cannot be reached or refuses.
fn remedy(error: &keyring::Error) -> &'static str {
    match error {
        keyring::Error::NoStorageAccess(_) | keyring::Error::PlatformFailure(_) => {
            if cfg!(target_os = "macos") {
                ". Unlock your login keychain (Keychain Access) and allow Dynbridge when macOS asks, then try again"
            } else if cfg!(target_os = "windows") {
                ". Windows Credential Manager refused; sign in to Windows with your own user account (not a service account) and try again"
            } else {
                ". Dynbridge keeps secrets in a Secret Service keyring (GNOME Keyring or KWallet): start or unlock it in your desktop session, then try again"
            }
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    //! Pieces in the real OS keychain (`cargo xtask test` provides one on Linux).
    use super::pieces::PIECE_CHARS;
    use super::*;

    /// A keychain under a service of its own, and the lock its methods ask for.
    struct TestKeychain {
        keychain: Keychain,
        held: ProfileLock,
        _dir: tempfile::TempDir,
    }

    fn test_keychain(name: &str) -> TestKeychain {
        let dir = tempfile::tempdir().unwrap();
        TestKeychain {
            keychain: Keychain::with_service(format!(
                "dynbridge-test-{name}-{}",
                std::process::id()
            )),
            held: ProfileLock::acquire(&dir.path().join("test.lock")).unwrap(),
            _dir: dir,
        }
    }

    fn long_secret(chars: usize) -> SecretString {
        SecretString::from(
            (0..chars)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect::<String>(),
        )
    }

    impl TestKeychain {
        fn set(&self, account_id: &str, kind: SecretKind, secret: &SecretString) {
            self.keychain
                .set(&self.held, account_id, kind, secret)
                .unwrap();
        }

        fn get(&self, account_id: &str, kind: SecretKind) -> Option<String> {
            self.keychain
                .get(&self.held, account_id, kind)
                .unwrap()
                .map(|s| s.expose_secret().to_owned())
        }

        fn names(&self, account_id: &str) -> Vec<String> {
            self.keychain.entry_names(&self.held, account_id).unwrap()
        }

        fn probed_names(&self, account_id: &str) -> Vec<String> {
            self.keychain.probed_entry_names(account_id).unwrap()
        }
    }

    const TOKEN: SecretKind = SecretKind::RefreshToken;

    #[test]
    fn a_long_secret_is_kept_in_pieces_that_each_fit_a_windows_credential() {
        let test = test_keychain("pieces");
        let secret = long_secret(2 * PIECE_CHARS + 17);
        test.set("a", TOKEN, &secret);

        let pieces = test.keychain.current_pieces("a", TOKEN).unwrap().unwrap();
        assert_eq!(pieces.count, 3);
        for index in 0..pieces.count {
            let name = piece_name("a", TOKEN, pieces.generation, index);
            let piece = test.keychain.read(&name).unwrap().unwrap();
            assert!(piece.encode_utf16().count() * 2 <= 2560);
        }
        assert_eq!(test.get("a", TOKEN).unwrap(), secret.expose_secret());
        assert_eq!(test.names("a").len(), 4, "three pieces and the main entry");

        // Replaced by another long secret: new pieces in the other slot, the old gone.
        let longer = long_secret(3 * PIECE_CHARS + 1);
        test.set("a", TOKEN, &longer);
        let newer = test.keychain.current_pieces("a", TOKEN).unwrap().unwrap();
        assert_ne!(newer.generation, pieces.generation);
        assert_eq!(test.get("a", TOKEN).unwrap(), longer.expose_secret());
        assert_eq!(test.names("a").len(), 5, "four pieces and the main entry");

        // Replaced by a short secret: the pieces go.
        test.set("a", TOKEN, &SecretString::from("short".to_owned()));
        assert_eq!(test.keychain.current_pieces("a", TOKEN).unwrap(), None);
        assert_eq!(test.names("a"), ["a/refresh-token"]);
        assert_eq!(test.get("a", TOKEN).unwrap(), "short");
        assert!(test.keychain.delete(&test.held, "a", TOKEN).unwrap());
        assert_eq!(test.names("a"), Vec::<String>::new());
    }

    #[test]
    fn deleting_a_long_secret_deletes_its_pieces_and_a_missing_piece_is_reported() {
        let test = test_keychain("pieces-delete");
        let kind = SecretKind::ClientSecret;
        test.set("b", kind, &long_secret(PIECE_CHARS + 1));
        let pieces = test.keychain.current_pieces("b", kind).unwrap().unwrap();
        assert!(test
            .keychain
            .remove(&piece_name("b", kind, pieces.generation, 1))
            .unwrap());
        let broken = test.keychain.get(&test.held, "b", kind).unwrap_err();
        assert!(
            broken
                .to_string()
                .contains("only part of the client secret"),
            "{broken}"
        );

        assert!(test.keychain.delete(&test.held, "b", kind).unwrap());
        assert_eq!(test.names("b"), Vec::<String>::new());
        assert_eq!(test.get("b", kind), None);
    }

    #[test]
    fn a_secret_of_exactly_one_piece_stays_in_the_main_entry() {
        let test = test_keychain("pieces-edge");
        let secret = long_secret(PIECE_CHARS);
        test.set("c", TOKEN, &secret);
        assert_eq!(test.keychain.current_pieces("c", TOKEN).unwrap(), None);
        assert_eq!(test.get("c", TOKEN).unwrap(), secret.expose_secret());
        test.keychain.delete(&test.held, "c", TOKEN).unwrap();
    }

    /// What Windows and macOS rely on, since they cannot search: the leftovers of a
    /// write that stopped half-way are at names that probing finds.
    #[test]
    fn leftovers_of_an_interrupted_write_are_found_by_name_and_deleted() {
        let test = test_keychain("interrupted");
        test.set("d", TOKEN, &long_secret(2 * PIECE_CHARS + 1)); // slot 0
                                                                 // The next write stopped after two of its pieces, before the switch.
        for index in 0..2 {
            let name = piece_name("d", TOKEN, SLOTS[1], index);
            test.keychain.write(&name, "stray").unwrap();
        }
        assert_eq!(test.probed_names("d").len(), 6);
        assert_eq!(test.names("d"), test.probed_names("d"));

        // A new write clears the slot before using it, and empties the other after.
        test.set("d", TOKEN, &long_secret(PIECE_CHARS + 1));
        assert_eq!(test.names("d").len(), 3, "two pieces and the main entry");

        for index in 0..3 {
            let name = piece_name("d", TOKEN, SLOTS[0], index);
            test.keychain.write(&name, "stray").unwrap();
        }
        test.keychain.delete(&test.held, "d", TOKEN).unwrap();
        assert_eq!(test.probed_names("d"), Vec::<String>::new());
        assert_eq!(test.names("d"), Vec::<String>::new());
    }

    #[test]
    fn a_secret_of_an_earlier_build_is_read_and_its_pieces_replaced() {
        let test = test_keychain("legacy");
        let legacy = Pieces {
            generation: 1_764_000_000_123_456_789,
            count: 2,
        };
        for index in 0..legacy.count {
            let name = piece_name("e", TOKEN, legacy.generation, index);
            test.keychain
                .write(&name, &"x".repeat(PIECE_CHARS))
                .unwrap();
        }
        test.keychain
            .write(&main_name("e", TOKEN), &legacy.mark())
            .unwrap();
        assert_eq!(test.get("e", TOKEN).unwrap(), "x".repeat(2 * PIECE_CHARS));

        test.set("e", TOKEN, &long_secret(PIECE_CHARS + 1));
        assert_eq!(
            test.names("e").len(),
            3,
            "two new pieces and the main entry"
        );
        test.keychain.delete_account(&test.held, "e").unwrap();
        assert_eq!(test.names("e"), Vec::<String>::new());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn deleting_an_account_deletes_pieces_no_name_leads_to() {
        let test = test_keychain("orphans");
        test.set("f", TOKEN, &long_secret(PIECE_CHARS + 1));
        // Left by writers that ran at once before the profile lock.
        for generation in [1_764_000_000_000_000_001, 1_764_000_000_000_000_002] {
            let name = piece_name("f", TOKEN, generation, 0);
            test.keychain.write(&name, "orphan").unwrap();
        }
        test.set("g", TOKEN, &long_secret(10));
        assert_eq!(test.names("f").len(), 5);

        test.keychain.delete_account(&test.held, "f").unwrap();
        assert_eq!(test.names("f"), Vec::<String>::new());
        assert_eq!(test.names("g"), ["g/refresh-token"], "other accounts stay");
    }
}
