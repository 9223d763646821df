//! Entra ID's OAuth 2.0 endpoints, v1 (`/{tenant}/oauth2/authorize` and `/token`,
//! resource-based: what Bright Pattern uses) and v2 (`/{tenant}/oauth2/v2.0/…`,
//! scope-based). The authorize endpoint approves at once for the configured user; the
//! token endpoint redeems codes (with PKCE) and refresh tokens, under the configured
//! refresh-token policy, and answers Entra's AADSTS errors or, for [`Fault::OAuth`],
//! plain RFC 6749 ones.
//!
//! Sources: domain.md §2 (v1), https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
//! (v2: `scope` instead of `resource`; the refresh request's `scope` "must be equivalent
//! to or a subset of the scopes requested in the original authorization_code request";
//! `invalid_scope`), https://learn.microsoft.com/entra/identity-platform/reply-url
//! (localhost redirect URIs match any port), https://learn.microsoft.com/entra/identity-platform/reference-error-codes
//! (AADSTS900144 a missing parameter, AADSTS901002 "The 'resource' request parameter
//! isn't supported" at v2), RFC 6749 §6 ("The requested scope MUST NOT include any scope
//! not originally granted"; omitted, it is the original scope) and RFC 7636 (PKCE).

mod errors;
mod grants;

use std::collections::HashMap;

use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::{lock, Fault, Shared};
pub(crate) use grants::Tokens;
use grants::{Grant, Issue, Refused, Version};

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/{tenant}/oauth2/authorize",
            get(|state, tenant, query| authorize(state, tenant, query, Version::V1)),
        )
        .route(
            "/{tenant}/oauth2/token",
            post(|state, tenant, form| token(state, tenant, form, Version::V1)),
        )
        .route(
            "/{tenant}/oauth2/v2.0/authorize",
            get(|state, tenant, query| authorize(state, tenant, query, Version::V2)),
        )
        .route(
            "/{tenant}/oauth2/v2.0/token",
            post(|state, tenant, form| token(state, tenant, form, Version::V2)),
        )
}

/// OpenID Connect scopes, which ask for no resource.
const OIDC_SCOPES: &[&str] = &["openid", "profile", "email", "offline_access"];

/// Entra matches `http://localhost` redirect URIs ignoring the port.
fn redirect_registered(registered: &[String], requested: &str) -> bool {
    let Ok(requested_url) = url::Url::parse(requested) else {
        return false;
    };
    registered.iter().any(|r| {
        if r == requested {
            return true;
        }
        let Ok(r) = url::Url::parse(r) else {
            return false;
        };
        r.scheme() == "http"
            && r.host_str() == Some("localhost")
            && requested_url.host_str() == Some("localhost")
            && r.path() == requested_url.path()
    })
}

async fn authorize(
    State(state): State<Shared>,
    Path(tenant): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    version: Version,
) -> Response {
    let mut state = lock(&state);
    let param = |name: &str| query.get(name).cloned().unwrap_or_default();
    let redirect_uri = param("redirect_uri");
    if state.fault == Some(Fault::Aadsts(50011))
        || !redirect_registered(&state.config.redirect_uris, &redirect_uri)
    {
        let (_, description, _) = errors::aadsts_text(50011);
        return (
            StatusCode::BAD_REQUEST,
            Html(format!("<h1>Sign in</h1><p>AADSTS50011: {description}</p>")),
        )
            .into_response();
    }
    let back = |pairs: &[(&str, &str)]| {
        let mut url = url::Url::parse(&redirect_uri).expect("a registered redirect URI parses");
        url.query_pairs_mut().extend_pairs(pairs);
        Redirect::to(url.as_str()).into_response()
    };
    let refuse = |code: u32, error: &str, description: &str| {
        let description = format!("AADSTS{code}: {description}");
        back(&[
            ("error", error),
            ("error_description", &description),
            ("state", &param("state")),
        ])
    };
    if tenant != state.config.tenant {
        let (error, description, _) = errors::aadsts_text(90002);
        return refuse(90002, error, description);
    }
    if param("client_id") != state.config.client_id {
        let (error, description, _) = errors::aadsts_text(700016);
        return refuse(700016, error, description);
    }
    let (resource, scopes) = match version {
        Version::V1 => {
            let resource = param("resource");
            let scopes = vec![
                format!("{}/user_impersonation", resource.trim_end_matches('/')),
                "offline_access".to_owned(),
            ];
            (resource, scopes)
        }
        Version::V2 => {
            if query.contains_key("resource") {
                return refuse(
                    901002,
                    "invalid_request",
                    "The 'resource' request parameter is not supported.",
                );
            }
            let scopes: Vec<String> = param("scope")
                .split_whitespace()
                .map(str::to_owned)
                .collect();
            if scopes.is_empty() {
                return refuse(
                    900144,
                    "invalid_request",
                    "The request body must contain the following parameter: 'scope'.",
                );
            }
            (resource_of(&scopes), scopes)
        }
    };
    state.counter += 1;
    let code = format!("sim-code-{}", state.counter);
    let grant = Grant {
        version,
        client_id: param("client_id"),
        redirect_uri: redirect_uri.clone(),
        code_challenge: query.get("code_challenge").cloned(),
        resource,
        scopes,
    };
    state.tokens.add_code(code.clone(), grant);
    let mut pairs = vec![
        ("code", code.as_str()),
        ("state", query.get("state").map_or("", String::as_str)),
        ("session_state", "sim-session"),
    ];
    if param("prompt") == "admin_consent" {
        pairs.push(("admin_consent", "True"));
    }
    back(&pairs)
}

/// The resource a v2 token is for: the origin of the first scope that is not OIDC's.
fn resource_of(scopes: &[String]) -> String {
    scopes
        .iter()
        .find(|s| !OIDC_SCOPES.contains(&s.as_str()))
        .and_then(|s| url::Url::parse(s).ok())
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
}

async fn token(
    State(state): State<Shared>,
    Path(tenant): Path<String>,
    Form(form): Form<HashMap<String, String>>,
    version: Version,
) -> Response {
    let mut state = lock(&state);
    match state.fault {
        Some(Fault::Aadsts(code)) => return errors::aadsts(code).into_response(),
        Some(Fault::OAuth(error)) => return errors::oauth(error).into_response(),
        _ => {}
    }
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    if tenant != state.config.tenant {
        return errors::aadsts(90002).into_response();
    }
    if field("client_id") != state.config.client_id {
        return errors::aadsts(700016).into_response();
    }
    if field("client_secret") != state.config.client_secret {
        return errors::aadsts(7000215).into_response();
    }
    if version == Version::V2 && form.contains_key("resource") {
        return errors::entra_error(
            901002,
            "invalid_request",
            "The 'resource' request parameter is not supported.",
            StatusCode::BAD_REQUEST,
        )
        .into_response();
    }
    let issue = match field("grant_type").as_str() {
        "authorization_code" => redeem(&mut state.tokens, version, &form),
        "refresh_token" => refresh(&state.tokens, version, &form),
        other => Err(errors::entra_error(
            70003,
            "unsupported_grant_type",
            &format!("grant type {other:?} is not supported."),
            StatusCode::BAD_REQUEST,
        )),
    };
    let issue = match issue {
        Ok(issue) => issue,
        Err(refusal) => return refusal.into_response(),
    };
    state.counter += 1;
    let (counter, policy) = (state.counter, state.config.refresh_tokens);
    Json(state.tokens.respond(counter, issue, policy)).into_response()
}

/// `grant_type=authorization_code`: the code's grant, checked against the request.
fn redeem(
    tokens: &mut Tokens,
    version: Version,
    form: &HashMap<String, String>,
) -> Result<Issue, errors::TokenError> {
    let field = |name: &str| form.get(name).map_or("", String::as_str);
    let grant = tokens
        .take_code(field("code"))
        .ok_or_else(|| errors::aadsts(70008))?;
    if grant.version != version {
        // UNVERIFIED: Entra's answer to a code redeemed at the other version's endpoint.
        return Err(errors::entra_error(
            70000,
            "invalid_grant",
            "The provided value for the 'code' parameter is not valid.",
            StatusCode::BAD_REQUEST,
        ));
    }
    if grant.client_id != field("client_id") || grant.redirect_uri != field("redirect_uri") {
        return Err(errors::aadsts(50011));
    }
    if let Some(challenge) = &grant.code_challenge {
        let digest = Sha256::digest(field("code_verifier").as_bytes());
        if base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest) != *challenge {
            return Err(errors::entra_error(501481, "invalid_grant", "The Code_Verifier does not match the code_challenge supplied in the authorization request.", StatusCode::BAD_REQUEST));
        }
    }
    // v1 ignores `scope` (domain.md §2).
    let scopes = match version {
        Version::V1 => grant.scopes.clone(),
        Version::V2 => requested_scopes(&grant, form.get("scope"))?,
    };
    Ok(Issue {
        version,
        resource: grant.resource.clone(),
        scopes,
        grant,
        presented: None,
    })
}

/// `grant_type=refresh_token`: the refresh token's grant, for the resource (v1) or the
/// scopes (v2) asked, within what was granted.
fn refresh(
    tokens: &Tokens,
    version: Version,
    form: &HashMap<String, String>,
) -> Result<Issue, errors::TokenError> {
    let presented = form.get("refresh_token").cloned().unwrap_or_default();
    let grant = match tokens.refresh_grant(&presented) {
        Ok(grant) => grant,
        Err(Refused::Unknown) => return Err(errors::aadsts(70008)),
        // RFC 6749 §5.2, as a server that revokes used refresh tokens answers.
        Err(Refused::Used) => {
            return Err(errors::plain(
                "invalid_grant",
                "The refresh token has already been used.",
            ))
        }
    };
    let (resource, scopes) = match version {
        Version::V1 => {
            let resource = form
                .get("resource")
                .filter(|r| !r.is_empty())
                .cloned()
                .unwrap_or_else(|| grant.resource.clone());
            (resource, grant.scopes.clone())
        }
        Version::V2 => {
            let scopes = requested_scopes(&grant, form.get("scope"))?;
            (resource_of(&scopes), scopes)
        }
    };
    Ok(Issue {
        version,
        grant,
        resource,
        scopes,
        presented: Some(presented),
    })
}

/// The scopes a v2 request asks for: none given is the grant's; any not granted is
/// `invalid_scope`.
fn requested_scopes(
    grant: &Grant,
    scope: Option<&String>,
) -> Result<Vec<String>, errors::TokenError> {
    let Some(scope) = scope.filter(|s| !s.trim().is_empty()) else {
        return Ok(grant.scopes.clone());
    };
    let requested: Vec<String> = scope.split_whitespace().map(str::to_owned).collect();
    match requested.iter().find(|s| !grant.scopes.contains(s)) {
        Some(wider) => Err(errors::entra_error(
            70011,
            "invalid_scope",
            &format!("The provided value for the input parameter 'scope' is not valid. The scope {wider} is not valid: it was not granted."),
            StatusCode::BAD_REQUEST,
        )),
        None => Ok(requested),
    }
}
