//! Where an account's secrets come from and where a new refresh token goes: the
//! keychain store implements it, the online code uses it, so that every path that
//! refreshes a token (Test connection, the doctor, verify, push, the pickers) stores a
//! rotated refresh token the moment it arrives, before the call that follows.

use secrecy::SecretString;

/// An account's secrets, read from and written back to where they are kept.
pub trait Credentials {
    /// The client secret's Value, if one is stored.
    fn client_secret(&self) -> Result<Option<SecretString>, String>;
    /// The refresh token from the last Request token, if one is stored.
    fn refresh_token(&self) -> Result<Option<SecretString>, String>;
    /// Records a successful refresh: stores `rotated` when the server sent a new refresh
    /// token (a strict server has just revoked the old one) and notes the day of use.
    fn record_refresh(&self, rotated: Option<&SecretString>) -> Result<(), String>;
}
