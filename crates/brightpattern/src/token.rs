//! The access token: OAuth 2.0 client credentials through the `oauth2` crate
//! (`grant_type=client_credentials`, `client_id` = login ID, `client_secret` = API
//! secret, `scope` = the tenant's bare host; reference §2, S1/S4), kept in memory and
//! renewed before it expires.
//!
//! Bright Pattern sends `expires_in` as a JSON string ("3600"), which the crate's
//! standard response refuses; [`BpToken`] is the crate's documented way out, a
//! `TokenResponse` of our own.

use std::cell::Cell;
use std::time::{Duration, Instant};

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AccessToken, AuthType, ClientId, ClientSecret, EndpointNotSet, EndpointSet, HttpClientError,
    HttpRequest, HttpResponse, RequestTokenError, Scope, StandardRevocableToken, SyncHttpClient,
    TokenResponse, TokenUrl,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::Error;

/// A token response as Bright Pattern sends it: RFC 6749 §5.1 with a string `expires_in`.
#[derive(Debug, Deserialize, Serialize)]
pub(crate) struct BpToken {
    access_token: AccessToken,
    #[serde(deserialize_with = "oauth2::helpers::deserialize_untagged_enum_case_insensitive")]
    token_type: BasicTokenType,
    /// Seconds, as a string ("3600") or, should a server send one, a number.
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

impl BpToken {
    fn lifetime(&self) -> Option<Duration> {
        let seconds = match self.expires_in.as_ref()? {
            serde_json::Value::String(text) => text.trim().parse().ok()?,
            other => other.as_u64()?,
        };
        Some(Duration::from_secs(seconds))
    }
}

impl TokenResponse for BpToken {
    type TokenType = BasicTokenType;

    fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    fn token_type(&self) -> &BasicTokenType {
        &self.token_type
    }

    fn expires_in(&self) -> Option<Duration> {
        self.lifetime()
    }

    fn refresh_token(&self) -> Option<&oauth2::RefreshToken> {
        None
    }

    fn scopes(&self) -> Option<&Vec<Scope>> {
        None
    }
}

type OAuthClient = oauth2::Client<
    BasicErrorResponse,
    BpToken,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// An access token and when to stop using it.
pub(crate) struct Token {
    pub access: SecretString,
    pub renew_at: Instant,
}

/// When no lifetime is given: Bright Pattern's tokens last 1 hour (S2).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// What one token request came to.
pub(crate) enum Fetched {
    Token(Token),
    /// The server's status, `Retry-After` and body, for the caller's retry rules.
    Refused {
        status: u16,
        retry_after: Option<u64>,
        body: String,
    },
    Transport(reqwest::Error),
}

/// Asks `token_url` (the connection's own host: the secret goes nowhere else) for a token.
pub(crate) fn fetch(
    http: &reqwest::blocking::Client,
    token_url: &url::Url,
    login: &str,
    secret: &SecretString,
    scope: &str,
) -> Result<Fetched, Error> {
    let token_uri = TokenUrl::new(token_url.to_string())
        .map_err(|e| Error::Connection(format!("the token address is not usable ({e})")))?;
    let client: OAuthClient = oauth2::Client::new(ClientId::new(login.to_owned()))
        .set_client_secret(ClientSecret::new(secret.expose_secret().to_owned()))
        .set_token_uri(token_uri)
        .set_auth_type(AuthType::RequestBody);
    let answer: Cell<Option<(u16, Option<u64>)>> = Cell::new(None);
    let send = |request: HttpRequest| -> Result<HttpResponse, HttpClientError<reqwest::Error>> {
        let response = http.call(request)?;
        let retry_after = response
            .headers()
            .get("Retry-After")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok());
        answer.set(Some((response.status().as_u16(), retry_after)));
        Ok(response)
    };
    let result = client
        .exchange_client_credentials()
        .add_scope(Scope::new(scope.to_owned()))
        .request(&send);
    let refused = |body: &[u8]| {
        let (status, retry_after) = answer.get().unwrap_or((0, None));
        Fetched::Refused {
            status,
            retry_after,
            body: String::from_utf8_lossy(body).chars().take(500).collect(),
        }
    };
    Ok(match result {
        Ok(token) => {
            let lifetime = token.lifetime().unwrap_or(DEFAULT_LIFETIME);
            // Renewed a minute early, or a quarter early for short-lived tokens, so a
            // request never leaves with a token about to expire.
            let margin = (lifetime / 4).min(Duration::from_secs(60));
            Fetched::Token(Token {
                access: SecretString::from(token.access_token.secret().clone()),
                renew_at: Instant::now() + lifetime - margin,
            })
        }
        Err(RequestTokenError::ServerResponse(error)) => refused(error.error().as_ref().as_bytes()),
        Err(RequestTokenError::Parse(_, body)) => refused(&body),
        Err(RequestTokenError::Request(HttpClientError::Reqwest(error))) => {
            Fetched::Transport(*error)
        }
        Err(RequestTokenError::Request(other)) => return Err(Error::Transport(other.to_string())),
        Err(RequestTokenError::Other(reason)) => return Err(Error::BadAnswer(reason)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_in_as_a_string_or_a_number() {
        let text: BpToken = serde_json::from_str(
            r#"{"access_token":"A","token_type":"Bearer","expires_in":"3600","scope":"x.brightpattern.com"}"#,
        )
        .unwrap();
        assert_eq!(text.lifetime(), Some(Duration::from_secs(3600)));
        let number: BpToken =
            serde_json::from_str(r#"{"access_token":"A","token_type":"bearer","expires_in":60}"#)
                .unwrap();
        assert_eq!(number.lifetime(), Some(Duration::from_secs(60)));
    }
}
