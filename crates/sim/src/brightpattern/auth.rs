//! The token endpoint, bearer tokens and privileges.
//!
//! Sources: S4 and S1/S2 "Get Access Token" (reference §2): `POST …/oauth/token`,
//! `application/x-www-form-urlencoded`, `grant_type=client_credentials` (the only
//! grant), `client_id` = the user's login ID, `client_secret` = the user's API secret,
//! `scope` = the tenant URL as a bare host; 200 `{"access_token","token_type":"Bearer",
//! "expires_in":"3600","scope"}` with `expires_in` a JSON string; tokens last 1 hour;
//! 401 for a wrong client ID, secret or grant type, a locked or disabled user, an
//! expired or malformed token (S2 "Error Handling"); 403 when the user lacks a
//! privilege (S2/S3 method notes, S10).

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

use axum::http::{header, StatusCode};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::answer::{self, error, ok, unauthorized, Answer};
use super::tenant::{Privilege, User};
use super::{Req, State};

/// Issued tokens: token → (login, expiry).
pub(crate) type Tokens = HashMap<String, (String, Instant)>;

/// `POST …/oauth/token`. The scope must name the host the client called (for the
/// simulator `127.0.0.1`): the tenant is derived from it and the credentials (S5).
pub(crate) fn token(state: &mut State, req: &Req, host: &str) -> Answer {
    let content_type = req
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .eq_ignore_ascii_case("application/x-www-form-urlencoded")
    {
        return Err(answer::unsupported_media_type(
            "application/x-www-form-urlencoded",
        ));
    }
    let form: HashMap<String, String> =
        url::form_urlencoded::parse(req.body).into_owned().collect();
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    // S2 "Error Handling": 400 for an empty or missing required parameter.
    for name in ["grant_type", "client_id", "client_secret", "scope"] {
        if field(name).is_empty() {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                &format!("'{name}' is missing"),
            ));
        }
    }
    let refused = || {
        error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Authentication failed",
        )
    };
    if field("grant_type") != "client_credentials" || !field("scope").eq_ignore_ascii_case(host) {
        return Err(refused());
    }
    let user = state
        .tenant
        .users
        .iter()
        .find(|u| u.login == field("client_id") && u.secret == field("client_secret"))
        .filter(|u| u.enabled)
        .ok_or_else(refused)?;
    let lifetime = state.tenant.token_lifetime_secs;
    let token = new_token(state.tokens.len(), &user.login);
    state.tokens.insert(
        token.clone(),
        (
            user.login.clone(),
            Instant::now() + Duration::from_secs(lifetime),
        ),
    );
    Ok(ok(json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": lifetime.to_string(),
        "scope": host,
    })))
}

/// A new opaque token like the documents' (64 upper-case hex digits).
fn new_token(serial: usize, login: &str) -> String {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    let digest = Sha256::digest(format!("{serial}/{login}/{}", now.as_nanos()));
    digest.iter().map(|b| format!("{b:02X}")).collect()
}

/// The user behind the request's bearer token: 401 when it is missing, unknown,
/// expired, or its user has since been disabled or removed.
pub(crate) fn bearer(state: &State, req: &Req) -> Answer<User> {
    let token = req
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .ok_or_else(|| unauthorized("Authentication failed: no bearer token"))?;
    let (login, expires) = state
        .tokens
        .get(token)
        .ok_or_else(|| unauthorized("Authentication failed: invalid token format"))?;
    if *expires <= Instant::now() {
        return Err(unauthorized("Authentication failed: token is expired"));
    }
    state
        .tenant
        .users
        .iter()
        .find(|u| &u.login == login && u.enabled)
        .cloned()
        .ok_or_else(|| unauthorized("Authentication failed"))
}

/// 403 unless `user` holds every privilege of `needed`.
pub(crate) fn require(user: &User, needed: &[Privilege]) -> Answer<()> {
    match needed.iter().find(|p| !user.privileges.contains(p)) {
        None => Ok(()),
        Some(missing) => Err(error(
            StatusCode::FORBIDDEN,
            "forbidden",
            &format!(
                "the user does not have sufficient privileges: {}",
                missing.label()
            ),
        )),
    }
}
