//! Grants and the tokens issued from them: authorization codes, access tokens, refresh
//! tokens under the configured [`RefreshTokens`] policy, and the v1 and v2 token
//! responses.
//!
//! Sources: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
//! (v2: numeric `expires_in`; `scope` lists the scopes the token is for; a refresh
//! token "Only provided if `offline_access` scope was requested"; an id_token only for
//! `openid`; refresh tokens are not revoked when used), Microsoft Q&A 806413 (a moderator:
//! `offline_access` "is never returned as a scope"), the v1 protocol
//! (domain.md §2: `expires_in`/`expires_on` as strings, `resource`), and RFC 6749 §6
//! (a new refresh token keeps the scope of the one it replaces).

use std::collections::{HashMap, HashSet};

use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::RefreshTokens;

/// Which protocol version of Entra's endpoints a request used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    V1,
    V2,
}

/// What the user approved at the authorize endpoint.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub version: Version,
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    /// v1: the `resource`; v2: the origin of the first resource scope.
    pub resource: String,
    /// The scopes granted: v2's `scope`; v1's are the resource's `user_impersonation`
    /// and `offline_access` (v1 always issues refresh tokens).
    pub scopes: Vec<String>,
}

impl Grant {
    pub fn offline(&self) -> bool {
        self.scopes.iter().any(|s| s == "offline_access")
    }
}

/// A token to issue: for which endpoint version, resource and scopes, from which grant,
/// and with which refresh token presented (none at sign-in).
pub(crate) struct Issue {
    pub version: Version,
    pub grant: Grant,
    pub resource: String,
    pub scopes: Vec<String>,
    pub presented: Option<String>,
}

/// Why a refresh token is refused.
pub(crate) enum Refused {
    Unknown,
    /// Already used, under [`RefreshTokens::RotateStrict`].
    Used,
}

#[derive(Debug)]
struct RefreshGrant {
    grant: Grant,
    used: bool,
}

/// Every code and token the token endpoint issued.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    codes: HashMap<String, Grant>,
    access: HashSet<String>,
    refresh: HashMap<String, RefreshGrant>,
}

impl Tokens {
    pub fn add_code(&mut self, code: String, grant: Grant) {
        self.codes.insert(code, grant);
    }

    /// The grant behind a code; a code is good once.
    pub fn take_code(&mut self, code: &str) -> Option<Grant> {
        self.codes.remove(code)
    }

    pub fn is_access_token(&self, token: &str) -> bool {
        self.access.contains(token)
    }

    pub fn issue_access(&mut self, counter: u64) -> String {
        let token = format!("sim-access-{counter}");
        self.access.insert(token.clone());
        token
    }

    /// The grant behind a refresh token.
    pub fn refresh_grant(&self, token: &str) -> Result<Grant, Refused> {
        match self.refresh.get(token) {
            None => Err(Refused::Unknown),
            Some(refresh) if refresh.used => Err(Refused::Used),
            Some(refresh) => Ok(refresh.grant.clone()),
        }
    }

    /// The token response, with a refresh token as `policy` and the grant allow.
    pub fn respond(&mut self, counter: u64, issue: Issue, policy: RefreshTokens) -> Value {
        let access = self.issue_access(counter);
        if let (RefreshTokens::RotateStrict, Some(old)) = (policy, &issue.presented) {
            if let Some(refresh) = self.refresh.get_mut(old) {
                refresh.used = true;
            }
        }
        let rotates = matches!(policy, RefreshTokens::Rotate | RefreshTokens::RotateStrict);
        let sign_in = issue.presented.is_none() && policy != RefreshTokens::Never;
        let refresh = ((rotates || sign_in) && issue.grant.offline()).then(|| {
            let token = refresh_token(counter);
            self.refresh.insert(
                token.clone(),
                RefreshGrant {
                    grant: issue.grant.clone(),
                    used: false,
                },
            );
            token
        });
        let mut body = match issue.version {
            // v1 sends the expiry as strings; clients must accept both (domain.md §2).
            Version::V1 => json!({
                "token_type": "Bearer",
                "scope": "user_impersonation",
                "expires_in": "3599",
                "ext_expires_in": "3599",
                "expires_on": "4102444800",
                "resource": issue.resource,
                "access_token": access,
                "id_token": "sim.id.token",
            }),
            Version::V2 => {
                let scope: Vec<&str> = issue
                    .scopes
                    .iter()
                    .map(String::as_str)
                    .filter(|s| *s != "offline_access")
                    .collect();
                let mut body = json!({
                    "token_type": "Bearer",
                    "scope": scope.join(" "),
                    "expires_in": 3599,
                    "ext_expires_in": 3599,
                    "access_token": access,
                });
                if issue.scopes.iter().any(|s| s == "openid") {
                    body["id_token"] = json!("sim.id.token");
                }
                body
            }
        };
        if let Some(refresh) = refresh {
            body["refresh_token"] = json!(refresh);
        }
        body
    }
}

/// Entra's refresh tokens are opaque and often longer than 1,280 characters, the most a
/// Windows credential holds in UTF-16; the simulator's are as long, so that storing
/// them in the keychain is tested as it happens for real.
fn refresh_token(counter: u64) -> String {
    let filler: String = (0..48u8)
        .map(|i| {
            let digest = Sha256::digest(format!("{counter}.{i}").as_bytes());
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
        })
        .collect();
    format!("sim-refresh-{counter}.{filler}")
}
