//! The authorization code flow with PKCE (S256) and `state`, and token refresh, through
//! the `oauth2` crate, against Entra ID v1 (`resource` = the org) or v2 (`scope` =
//! `<org>/user_impersonation offline_access`), with the client secret in the request
//! body as a Web app sends it.
//!
//! Entra's v1 token endpoint sends `expires_in` as a JSON string ("3599"), which the
//! crate's standard response refuses; [`EntraTokens`] is the crate's documented way out,
//! a `TokenResponse` of our own. Its errors carry `error_codes` beside RFC 6749's
//! fields, read by [`EntraError`].

use std::borrow::Cow;
use std::fmt;

use dynbridge_core::account::entra::{self, Endpoint, OAuthVersion};
use dynbridge_core::account::{api_url, trust, Account};
use dynbridge_core::{Finding, Severity};
use oauth2::basic::{
    BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::{
    AccessToken, AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    EndpointNotSet, EndpointSet, ErrorResponse, HttpClientError, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope, StandardRevocableToken,
    TokenResponse, TokenUrl,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize};

use crate::diagnose::Failure;

/// Where to sign in and what for, derived from an account.
#[derive(Debug, Clone)]
pub struct Endpoints {
    authorize: String,
    token: String,
    version: OAuthVersion,
    /// The org's origin, e.g. `https://contoso.crm.dynamics.com`.
    resource: String,
    client_id: String,
}

impl Endpoints {
    /// The endpoints of `account`, once [`trust::check_sign_in`] allows sending its
    /// secrets there: every token request is built from these.
    pub fn from_account(account: &Account) -> Result<Self, Failure> {
        trust::check_sign_in(account).map_err(Failure::Untrusted)?;
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
        })
    }

    /// The delegated Dataverse permission, as a v2 scope.
    fn user_impersonation(&self) -> Scope {
        Scope::new(format!("{}/user_impersonation", self.resource))
    }

    /// The scopes a v2 sign-in asks for: Dataverse, and a refresh token.
    fn sign_in_scopes(&self) -> [Scope; 2] {
        [
            self.user_impersonation(),
            Scope::new("offline_access".into()),
        ]
    }
}

/// Tokens from Entra ID. The access token is kept in memory only.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access: SecretString,
    /// A new refresh token, when the server sent one (else the old one stays valid).
    pub refresh: Option<SecretString>,
}

impl Tokens {
    /// What an admin should know after signing in: nothing, unless the server sent no
    /// refresh token, which leaves nothing to store for Test connection and the checks.
    pub fn sign_in_findings(&self) -> Vec<Finding> {
        if self.refresh.is_some() {
            return Vec::new();
        }
        vec![Finding::new(
            "Connection",
            Severity::Warning,
            "token.no_refresh_token",
            "Signed in, but the server sent no refresh token, so nothing was stored for Test connection and the online checks",
        )
        .with_fix("check the Authorization and Token URLs are Entra ID's v1 endpoints of your tenant, then request the token again")
        .with_guide_step("Section A, step 8")]
    }
}

/// A started sign-in: the URL to open, and what the callback must match.
#[derive(Debug)]
pub struct AuthRequest {
    pub url: String,
    pub state: String,
    pub redirect_uri: String,
    verifier: PkceCodeVerifier,
}

/// A token response as Entra sends it: RFC 6749 §5.1, but `expires_in` may be a string.
#[derive(Debug, Deserialize, Serialize)]
pub struct EntraTokens {
    access_token: AccessToken,
    #[serde(deserialize_with = "oauth2::helpers::deserialize_untagged_enum_case_insensitive")]
    token_type: BasicTokenType,
    #[serde(default, deserialize_with = "number_or_string")]
    expires_in: Option<u64>,
    #[serde(default)]
    refresh_token: Option<RefreshToken>,
    #[serde(
        rename = "scope",
        default,
        deserialize_with = "oauth2::helpers::deserialize_space_delimited_vec"
    )]
    scopes: Option<Vec<Scope>>,
}

impl TokenResponse for EntraTokens {
    type TokenType = BasicTokenType;

    fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    fn token_type(&self) -> &BasicTokenType {
        &self.token_type
    }

    fn expires_in(&self) -> Option<std::time::Duration> {
        self.expires_in.map(std::time::Duration::from_secs)
    }

    fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }

    fn scopes(&self) -> Option<&Vec<Scope>> {
        self.scopes.as_ref()
    }
}

/// `3599` or `"3599"`.
fn number_or_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Seconds {
        Number(u64),
        Text(String),
    }
    Ok(match Option::<Seconds>::deserialize(deserializer)? {
        Some(Seconds::Number(n)) => Some(n),
        Some(Seconds::Text(text)) => Some(text.trim().parse().map_err(serde::de::Error::custom)?),
        None => None,
    })
}

/// An error answer of the token endpoint: RFC 6749 §5.2 plus Entra's `error_codes`.
#[derive(Debug, Deserialize, Serialize)]
pub struct EntraError {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
    #[serde(default)]
    error_codes: Vec<u32>,
}

impl fmt::Display for EntraError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error)?;
        if let Some(description) = &self.error_description {
            write!(f, ": {description}")?;
        }
        Ok(())
    }
}

impl ErrorResponse for EntraError {}

type EntraClient = oauth2::Client<
    EntraError,
    EntraTokens,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

fn client(endpoints: &Endpoints, secret: Option<&SecretString>) -> Result<EntraClient, Failure> {
    let auth_url = AuthUrl::new(endpoints.authorize.clone())
        .map_err(|_| Failure::Account("the Authorization URL is not usable".into()))?;
    let token_url = TokenUrl::new(endpoints.token.clone())
        .map_err(|_| Failure::Account("the Token URL is not usable".into()))?;
    let client = oauth2::Client::new(ClientId::new(endpoints.client_id.clone()))
        .set_auth_uri(auth_url)
        .set_token_uri(token_url)
        .set_auth_type(AuthType::RequestBody);
    Ok(match secret {
        Some(secret) => client.set_client_secret(ClientSecret::new(secret.expose_secret().into())),
        None => client,
    })
}

fn redirect_url(redirect_uri: &str) -> Result<RedirectUrl, Failure> {
    RedirectUrl::new(redirect_uri.to_owned()).map_err(|e| Failure::Io(e.to_string()))
}

/// Starts a sign-in: PKCE verifier and challenge, `state`, and the authorize URL.
pub fn begin(
    endpoints: &Endpoints,
    redirect_uri: &str,
    admin_consent: bool,
) -> Result<AuthRequest, Failure> {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let client = client(endpoints, None)?;
    let mut request = client
        .authorize_url(CsrfToken::new_random)
        .set_redirect_uri(Cow::Owned(redirect_url(redirect_uri)?))
        .set_pkce_challenge(challenge)
        .add_extra_param("response_mode", "query");
    request = match endpoints.version {
        OAuthVersion::V1 => request.add_extra_param("resource", &endpoints.resource),
        OAuthVersion::V2 => request.add_scopes(endpoints.sign_in_scopes()),
    };
    if admin_consent {
        request = request.add_extra_param("prompt", "admin_consent");
    }
    let (url, state) = request.url();
    Ok(AuthRequest {
        url: url.into(),
        state: state.secret().clone(),
        redirect_uri: redirect_uri.to_owned(),
        verifier,
    })
}

/// Exchanges the code from the callback for tokens.
pub fn exchange(
    http: &reqwest::blocking::Client,
    endpoints: &Endpoints,
    secret: &SecretString,
    request: AuthRequest,
    code: &str,
) -> Result<Tokens, Failure> {
    let client = client(endpoints, Some(secret))?;
    let exchange = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .set_pkce_verifier(request.verifier)
        .set_redirect_uri(Cow::Owned(redirect_url(&request.redirect_uri)?));
    // v2 takes the scopes of the authorize request; RFC 6749 §4.1.3 sends none here.
    let exchange = match endpoints.version {
        OAuthVersion::V1 => exchange.add_extra_param("resource", &endpoints.resource),
        OAuthVersion::V2 => exchange,
    };
    tokens(exchange.request(http))
}

/// Gets a new access token with a refresh token. A v2 refresh asks only for Dataverse,
/// never for more than the sign-in was granted (RFC 6749 §6).
pub fn refresh(
    http: &reqwest::blocking::Client,
    endpoints: &Endpoints,
    secret: &SecretString,
    refresh_token: &SecretString,
) -> Result<Tokens, Failure> {
    let client = client(endpoints, Some(secret))?;
    let token = RefreshToken::new(refresh_token.expose_secret().to_owned());
    let request = client.exchange_refresh_token(&token);
    let request = match endpoints.version {
        OAuthVersion::V1 => request.add_extra_param("resource", &endpoints.resource),
        OAuthVersion::V2 => request.add_scope(endpoints.user_impersonation()),
    };
    tokens(request.request(http)).map_err(|failure| failure.in_refresh())
}

type TokenResult =
    Result<EntraTokens, RequestTokenError<HttpClientError<reqwest::Error>, EntraError>>;

/// Our tokens from the crate's answer, or the failure in our terms.
fn tokens(result: TokenResult) -> Result<Tokens, Failure> {
    match result {
        Ok(answer) => Ok(Tokens {
            access: SecretString::from(answer.access_token.secret().clone()),
            refresh: answer
                .refresh_token
                .map(|token| SecretString::from(token.secret().clone())),
        }),
        Err(RequestTokenError::ServerResponse(error)) => Err(Failure::from_entra_error(
            error.error,
            error.error_description.unwrap_or_default(),
            error.error_codes,
        )),
        Err(RequestTokenError::Request(HttpClientError::Reqwest(error))) => {
            Err(Failure::from_transport(&error))
        }
        Err(RequestTokenError::Request(other)) => Err(Failure::Io(other.to_string())),
        Err(RequestTokenError::Parse(_, body)) => {
            Err(Failure::not_json(&String::from_utf8_lossy(&body)))
        }
        Err(RequestTokenError::Other(reason)) => Err(Failure::NotJson(reason)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_responses_accept_string_and_number_expiry() {
        let v1: EntraTokens = serde_json::from_str(
            r#"{"access_token":"a","token_type":"Bearer","refresh_token":"r","expires_in":"3599"}"#,
        )
        .unwrap();
        assert_eq!(v1.expires_in, Some(3599));
        assert!(v1.refresh_token.is_some());
        let v2: EntraTokens =
            serde_json::from_str(r#"{"access_token":"a","token_type":"bearer","expires_in":3600,"scope":"x offline_access"}"#)
                .unwrap();
        assert_eq!(
            (v2.expires_in, v2.refresh_token.is_none()),
            (Some(3600), true)
        );
        assert_eq!(v2.scopes.map(|s| s.len()), Some(2));
        assert!(serde_json::from_str::<EntraTokens>(
            r#"{"access_token":"a","token_type":"Bearer","expires_in":"soon"}"#
        )
        .is_err());
    }

    #[test]
    fn entra_errors_keep_their_codes() {
        let error: EntraError = serde_json::from_str(
            r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215],"trace_id":"x"}"#,
        )
        .unwrap();
        assert_eq!(error.error_codes, [7000215]);
        let plain: EntraError = serde_json::from_str(r#"{"error":"invalid_grant"}"#).unwrap();
        assert_eq!(plain.to_string(), "invalid_grant");
    }
}
