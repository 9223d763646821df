//! The authorization code flow with PKCE (S256) and `state`, and token refresh, against
//! Entra ID v1 (`resource` = the org) or v2 (`scope` = `<org>/user_impersonation
//! offline_access`), with the client secret sent as a Web app does.

use base64::Engine;
use dynbridge_core::account::entra::{self, Endpoint, OAuthVersion};
use dynbridge_core::account::{api_url, Account};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::diagnose::Failure;

/// Where to sign in and what for, derived from an account.
#[derive(Debug, Clone)]
pub struct Endpoints {
    pub authorize: String,
    pub token: String,
    pub version: OAuthVersion,
    /// The org's origin, e.g. `https://contoso.crm.dynamics.com`.
    pub resource: String,
    pub client_id: String,
    pub api_url: String,
}

impl Endpoints {
    pub fn from_account(account: &Account) -> Result<Self, Failure> {
        let (authorize, _) = entra::parse(&account.authorization_url, Endpoint::Authorize);
        let authorize = authorize
            .ok_or_else(|| Failure::Account("the Authorization URL is not usable".into()))?;
        let (org, _) = api_url::check(&account.api_url);
        let org = org.ok_or_else(|| Failure::Account("the API URL is not usable".into()))?;
        let token = if account.token_url.trim().is_empty() {
            authorize.url(Endpoint::Token)
        } else {
            account.token_url.trim().to_owned()
        };
        Ok(Self {
            authorize: account.authorization_url.trim().to_owned(),
            token,
            version: authorize.version,
            resource: org.origin(),
            client_id: account.client_id.trim().to_owned(),
            api_url: account.api_url.trim().trim_end_matches('/').to_owned(),
        })
    }
}

/// Tokens from Entra ID. The access token is kept in memory only.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access: SecretString,
    /// A new refresh token, when Entra sent one (else the old one stays valid).
    pub refresh: Option<SecretString>,
    pub expires_in: u64,
}

/// A started sign-in: the URL to open, and what the callback must match.
#[derive(Debug)]
pub struct AuthRequest {
    pub url: String,
    pub state: String,
    pub redirect_uri: String,
    verifier: SecretString,
}

fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).expect("the OS random source");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buffer)
}

/// Starts a sign-in: PKCE verifier and challenge, `state`, and the authorize URL.
pub fn begin(endpoints: &Endpoints, redirect_uri: &str, admin_consent: bool) -> AuthRequest {
    let verifier = random_token(32);
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    let state = random_token(16);
    let mut url = url::Url::parse(&endpoints.authorize).expect("the Authorization URL was checked");
    {
        let mut query = url.query_pairs_mut();
        query.append_pair("client_id", &endpoints.client_id);
        query.append_pair("response_type", "code");
        query.append_pair("redirect_uri", redirect_uri);
        query.append_pair("response_mode", "query");
        match endpoints.version {
            OAuthVersion::V1 => query.append_pair("resource", &endpoints.resource),
            OAuthVersion::V2 => query.append_pair("scope", &scope(endpoints)),
        };
        query.append_pair("state", &state);
        query.append_pair("code_challenge", &challenge);
        query.append_pair("code_challenge_method", "S256");
        if admin_consent {
            query.append_pair("prompt", "admin_consent");
        }
    }
    AuthRequest {
        url: url.into(),
        state,
        redirect_uri: redirect_uri.to_owned(),
        verifier: SecretString::from(verifier),
    }
}

fn scope(endpoints: &Endpoints) -> String {
    format!("{}/user_impersonation offline_access", endpoints.resource)
}

/// Exchanges the code from the callback for tokens.
pub fn exchange(
    http: &reqwest::blocking::Client,
    endpoints: &Endpoints,
    secret: &SecretString,
    request: &AuthRequest,
    code: &str,
) -> Result<Tokens, Failure> {
    let mut form = vec![
        ("grant_type", "authorization_code".to_owned()),
        ("client_id", endpoints.client_id.clone()),
        ("code", code.to_owned()),
        ("redirect_uri", request.redirect_uri.clone()),
        ("code_verifier", request.verifier.expose_secret().to_owned()),
        ("client_secret", secret.expose_secret().to_owned()),
    ];
    target(endpoints, &mut form);
    post_token(http, endpoints, &form)
}

/// Gets a new access token with a refresh token.
pub fn refresh(
    http: &reqwest::blocking::Client,
    endpoints: &Endpoints,
    secret: &SecretString,
    refresh_token: &SecretString,
) -> Result<Tokens, Failure> {
    let mut form = vec![
        ("grant_type", "refresh_token".to_owned()),
        ("client_id", endpoints.client_id.clone()),
        ("refresh_token", refresh_token.expose_secret().to_owned()),
        ("client_secret", secret.expose_secret().to_owned()),
    ];
    target(endpoints, &mut form);
    post_token(http, endpoints, &form)
}

fn target(endpoints: &Endpoints, form: &mut Vec<(&'static str, String)>) {
    match endpoints.version {
        OAuthVersion::V1 => form.push(("resource", endpoints.resource.clone())),
        OAuthVersion::V2 => form.push(("scope", scope(endpoints))),
    }
}

fn post_token(
    http: &reqwest::blocking::Client,
    endpoints: &Endpoints,
    form: &[(&str, String)],
) -> Result<Tokens, Failure> {
    let response = http
        .post(&endpoints.token)
        .form(form)
        .send()
        .map_err(|e| Failure::from_transport(&e))?;
    let status = response.status();
    let body = response.text().map_err(|e| Failure::from_transport(&e))?;
    if !status.is_success() {
        return Err(Failure::from_entra_body(&body));
    }
    parse_tokens(&body)
}

/// Reads a token response; `expires_in` may be a number or a string ("3600").
pub fn parse_tokens(body: &str) -> Result<Tokens, Failure> {
    let json: Value = serde_json::from_str(body)
        .map_err(|_| Failure::NotJson(body.chars().take(200).collect()))?;
    let access = json["access_token"]
        .as_str()
        .ok_or_else(|| Failure::from_entra_body(body))?;
    let expires_in = match &json["expires_in"] {
        Value::Number(n) => n.as_u64().unwrap_or(0),
        Value::String(s) => s.parse().unwrap_or(0),
        _ => 0,
    };
    Ok(Tokens {
        access: SecretString::from(access.to_owned()),
        refresh: json["refresh_token"]
            .as_str()
            .map(|r| SecretString::from(r.to_owned())),
        expires_in,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_responses_accept_string_and_number_expiry() {
        let v1 = parse_tokens(r#"{"access_token":"a","refresh_token":"r","expires_in":"3599"}"#)
            .unwrap();
        assert_eq!(v1.expires_in, 3599);
        assert!(v1.refresh.is_some());
        let v2 = parse_tokens(r#"{"access_token":"a","expires_in":3600}"#).unwrap();
        assert_eq!((v2.expires_in, v2.refresh.is_none()), (3600, true));
        assert!(matches!(parse_tokens("nope"), Err(Failure::NotJson(_))));
    }
}
