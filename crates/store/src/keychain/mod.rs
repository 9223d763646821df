//! Secrets in the OS keychain: macOS Keychain, Windows Credential Manager, or the
//! Secret Service (GNOME Keyring, KWallet) on Linux.
//!
//! keyring 3 silently uses an in-memory mock when no backend feature matches the
//! platform; [`backend`] detects that so the app can refuse to run instead of losing
//! secrets.
//!
//! Windows Credential Manager holds at most 2,560 bytes per entry, which keyring fills
//! with UTF-16, and Entra refresh tokens can be longer than that. A secret over
//! [`PIECE_CHARS`] is therefore kept in numbered pieces, and its main entry says
//! `dynbridge-pieces:<generation>:<count>`. New pieces get a new generation, so the
//! old secret stays whole until the main entry switches to the new one.

use keyring::Entry;
use secrecy::{ExposeSecret, SecretString};

use crate::StoreError;

/// The keychain service name under which Dynbridge stores its secrets.
pub const SERVICE: &str = "dynbridge";

/// The longest secret kept in one entry, in characters: 600 UTF-16 characters of at
/// most 4 bytes fit the 2,560 bytes of a Windows credential.
const PIECE_CHARS: usize = 600;

/// How a main entry that points at pieces begins.
const PIECES_MARK: &str = "dynbridge-pieces:";

/// The kinds of secret kept per integration account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    ClientSecret,
    RefreshToken,
}

impl SecretKind {
    fn label(self) -> &'static str {
        match self {
            SecretKind::ClientSecret => "client-secret",
            SecretKind::RefreshToken => "refresh-token",
        }
    }

    fn description(self) -> &'static str {
        match self {
            SecretKind::ClientSecret => "client secret",
            SecretKind::RefreshToken => "refresh token",
        }
    }
}

/// A main entry's pointer to the pieces of a long secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pieces {
    generation: u64,
    count: usize,
}

impl Pieces {
    fn parse(main: &str) -> Option<Self> {
        let (generation, count) = main.strip_prefix(PIECES_MARK)?.split_once(':')?;
        Some(Self {
            generation: generation.parse().ok()?,
            count: count.parse().ok()?,
        })
    }

    fn mark(self) -> String {
        format!("{PIECES_MARK}{}:{}", self.generation, self.count)
    }
}

/// The entry name of a piece: `<account id>/<kind>#<generation>.<index>`.
fn piece_name(account_id: &str, kind: SecretKind, generation: u64, index: usize) -> String {
    format!("{}#{generation}.{index}", main_name(account_id, kind))
}

/// The main entry name: `<account id>/<kind>`.
fn main_name(account_id: &str, kind: SecretKind) -> String {
    format!("{account_id}/{}", kind.label())
}

/// A generation number unlikely to repeat: the time in nanoseconds.
fn new_generation() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default()
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

    fn entry(&self, name: &str) -> Result<Entry, StoreError> {
        Entry::new(&self.service, name).map_err(|source| keychain_error("open an entry", source))
    }

    fn read(&self, name: &str) -> Result<Option<String>, StoreError> {
        match self.entry(name)?.get_password() {
            Ok(text) => Ok(Some(text)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(source) => Err(keychain_error("read a secret", source)),
        }
    }

    fn write(&self, name: &str, text: &str) -> Result<(), StoreError> {
        self.entry(name)?
            .set_password(text)
            .map_err(|source| keychain_error("store a secret", source))
    }

    /// Deletes one entry; `Ok(false)` when there was none.
    fn remove(&self, name: &str) -> Result<bool, StoreError> {
        match self.entry(name)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(source) => Err(keychain_error("delete a secret", source)),
        }
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

    fn remove_pieces(
        &self,
        account_id: &str,
        kind: SecretKind,
        pieces: Pieces,
    ) -> Result<(), StoreError> {
        for index in 0..pieces.count {
            self.remove(&piece_name(account_id, kind, pieces.generation, index))?;
        }
        Ok(())
    }

    /// Stores (or replaces) a secret, in pieces when it is longer than [`PIECE_CHARS`].
    pub fn set(
        &self,
        account_id: &str,
        kind: SecretKind,
        secret: &SecretString,
    ) -> Result<(), StoreError> {
        let replaced = self.current_pieces(account_id, kind)?;
        let main = main_name(account_id, kind);
        let text = secret.expose_secret();
        if text.chars().count() <= PIECE_CHARS {
            self.write(&main, text)?;
        } else {
            let chars: Vec<char> = text.chars().collect();
            let pieces = Pieces {
                // Never the generation being replaced, whose pieces are removed below.
                generation: new_generation().max(replaced.map_or(0, |old| old.generation + 1)),
                count: chars.len().div_ceil(PIECE_CHARS),
            };
            for (index, piece) in chars.chunks(PIECE_CHARS).enumerate() {
                let piece: String = piece.iter().collect();
                self.write(
                    &piece_name(account_id, kind, pieces.generation, index),
                    &piece,
                )?;
            }
            self.write(&main, &pieces.mark())?;
        }
        match replaced {
            Some(old) => self.remove_pieces(account_id, kind, old),
            None => Ok(()),
        }
    }

    /// The stored secret, or `None` when there is none.
    pub fn get(
        &self,
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

    /// Deletes a secret and its pieces; `Ok(false)` when there was none.
    pub fn delete(&self, account_id: &str, kind: SecretKind) -> Result<bool, StoreError> {
        if let Some(pieces) = self.current_pieces(account_id, kind)? {
            self.remove_pieces(account_id, kind, pieces)?;
        }
        self.remove(&main_name(account_id, kind))
    }
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
    use super::*;

    fn test_keychain(name: &str) -> Keychain {
        Keychain::with_service(format!("dynbridge-test-{name}-{}", std::process::id()))
    }

    fn long_secret(chars: usize) -> SecretString {
        SecretString::from(
            (0..chars)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect::<String>(),
        )
    }

    #[test]
    fn a_long_secret_is_kept_in_pieces_that_each_fit_a_windows_credential() {
        let keychain = test_keychain("pieces");
        let secret = long_secret(2 * PIECE_CHARS + 17);
        keychain
            .set("a", SecretKind::RefreshToken, &secret)
            .unwrap();

        let pieces = keychain
            .current_pieces("a", SecretKind::RefreshToken)
            .unwrap()
            .unwrap();
        assert_eq!(pieces.count, 3);
        for index in 0..pieces.count {
            let piece = keychain
                .read(&piece_name(
                    "a",
                    SecretKind::RefreshToken,
                    pieces.generation,
                    index,
                ))
                .unwrap()
                .unwrap();
            assert!(piece.encode_utf16().count() * 2 <= 2560);
        }
        let read = keychain
            .get("a", SecretKind::RefreshToken)
            .unwrap()
            .unwrap();
        assert_eq!(read.expose_secret(), secret.expose_secret());

        // Replaced by another long secret: new pieces, the old ones gone.
        let longer = long_secret(3 * PIECE_CHARS + 1);
        keychain
            .set("a", SecretKind::RefreshToken, &longer)
            .unwrap();
        let newer = keychain
            .current_pieces("a", SecretKind::RefreshToken)
            .unwrap()
            .unwrap();
        assert_ne!(newer.generation, pieces.generation);
        let first_old = piece_name("a", SecretKind::RefreshToken, pieces.generation, 0);
        assert_eq!(keychain.read(&first_old).unwrap(), None);
        let read = keychain
            .get("a", SecretKind::RefreshToken)
            .unwrap()
            .unwrap();
        assert_eq!(read.expose_secret(), longer.expose_secret());
        let pieces = newer;

        // Replaced by a short secret: the pieces go.
        let short = SecretString::from("short".to_owned());
        keychain.set("a", SecretKind::RefreshToken, &short).unwrap();
        assert_eq!(
            keychain
                .current_pieces("a", SecretKind::RefreshToken)
                .unwrap(),
            None
        );
        for index in 0..pieces.count {
            let name = piece_name("a", SecretKind::RefreshToken, pieces.generation, index);
            assert_eq!(
                keychain.read(&name).unwrap(),
                None,
                "{name} was left behind"
            );
        }
        assert_eq!(
            keychain
                .get("a", SecretKind::RefreshToken)
                .unwrap()
                .unwrap()
                .expose_secret(),
            "short"
        );
        assert!(keychain.delete("a", SecretKind::RefreshToken).unwrap());
    }

    #[test]
    fn deleting_a_long_secret_deletes_its_pieces_and_a_missing_piece_is_reported() {
        let keychain = test_keychain("pieces-delete");
        keychain
            .set("b", SecretKind::ClientSecret, &long_secret(PIECE_CHARS + 1))
            .unwrap();
        let pieces = keychain
            .current_pieces("b", SecretKind::ClientSecret)
            .unwrap()
            .unwrap();
        assert!(keychain
            .remove(&piece_name(
                "b",
                SecretKind::ClientSecret,
                pieces.generation,
                1
            ))
            .unwrap());
        let broken = keychain.get("b", SecretKind::ClientSecret).unwrap_err();
        assert!(
            broken
                .to_string()
                .contains("only part of the client secret"),
            "{broken}"
        );

        assert!(keychain.delete("b", SecretKind::ClientSecret).unwrap());
        let first = piece_name("b", SecretKind::ClientSecret, pieces.generation, 0);
        assert_eq!(keychain.read(&first).unwrap(), None);
        assert!(keychain
            .get("b", SecretKind::ClientSecret)
            .unwrap()
            .is_none());
    }

    #[test]
    fn a_secret_of_exactly_one_piece_stays_in_the_main_entry() {
        let keychain = test_keychain("pieces-edge");
        let secret = long_secret(PIECE_CHARS);
        keychain
            .set("c", SecretKind::RefreshToken, &secret)
            .unwrap();
        assert_eq!(
            keychain
                .current_pieces("c", SecretKind::RefreshToken)
                .unwrap(),
            None
        );
        assert_eq!(
            keychain
                .get("c", SecretKind::RefreshToken)
                .unwrap()
                .unwrap()
                .expose_secret(),
            secret.expose_secret()
        );
        keychain.delete("c", SecretKind::RefreshToken).unwrap();
    }
}
