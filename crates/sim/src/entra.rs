//! Entra ID v1: `GET /{tenant}/oauth2/authorize` (auto-approves for the configured
//! user) and `POST /{tenant}/oauth2/token` (authorization code with PKCE, refresh).
//! Errors as Entra sends them: `{"error", "error_description": "AADSTS…", "error_codes"}`.

use std::collections::HashMap;

use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::{Fault, Shared};

#[derive(Debug, Clone)]
pub(crate) struct Grant {
    client_id: String,
    redirect_uri: String,
    code_challenge: Option<String>,
    resource: String,
}

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/{tenant}/oauth2/authorize", get(authorize))
        .route("/{tenant}/oauth2/token", post(token))
}

/// What each simulated AADSTS code says, in Entra's words (abridged).
fn aadsts(code: u32) -> (&'static str, &'static str, StatusCode) {
    match code {
        50011 => ("invalid_request", "The redirect URI specified in the request does not match the redirect URIs configured for the application.", StatusCode::BAD_REQUEST),
        7000215 => ("invalid_client", "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.", StatusCode::UNAUTHORIZED),
        7000222 => ("invalid_client", "The provided client secret keys for app are expired.", StatusCode::UNAUTHORIZED),
        65001 => ("invalid_grant", "The user or administrator has not consented to use the application.", StatusCode::BAD_REQUEST),
        700016 => ("unauthorized_client", "Application was not found in the directory.", StatusCode::BAD_REQUEST),
        70008 => ("invalid_grant", "The provided authorization code or refresh token has expired due to inactivity.", StatusCode::BAD_REQUEST),
        50020 => ("invalid_grant", "User account from identity provider does not exist in tenant.", StatusCode::BAD_REQUEST),
        50034 => ("invalid_grant", "The user account does not exist in the directory.", StatusCode::BAD_REQUEST),
        90002 => ("invalid_request", "Tenant not found.", StatusCode::BAD_REQUEST),
        90013 => ("invalid_request", "Invalid input received from the user.", StatusCode::BAD_REQUEST),
        700082 => ("invalid_grant", "The refresh token has expired due to inactivity. The token was issued and was inactive for 90.00:00:00.", StatusCode::BAD_REQUEST),
        70043 => ("invalid_grant", "The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.", StatusCode::BAD_REQUEST),
        53003 => ("invalid_grant", "Access has been blocked by Conditional Access policies.", StatusCode::BAD_REQUEST),
        50097 => ("invalid_grant", "Device authentication is required.", StatusCode::BAD_REQUEST),
        _ => ("invalid_request", "Simulated error.", StatusCode::BAD_REQUEST),
    }
}

fn error(code: u32) -> Response {
    let (error, description, status) = aadsts(code);
    let body = json!({
        "error": error,
        "error_description": format!("AADSTS{code}: {description}\r\nTrace ID: 00000000-0000-0000-0000-000000000000\r\nCorrelation ID: 00000000-0000-0000-0000-000000000000\r\nTimestamp: 2026-11-23 00:00:00Z"),
        "error_codes": [code],
        "timestamp": "2026-11-23 00:00:00Z",
        "trace_id": "00000000-0000-0000-0000-000000000000",
        "correlation_id": "00000000-0000-0000-0000-000000000000",
    });
    (status, Json(body)).into_response()
}

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
) -> Response {
    let mut state = state.lock().expect("sim state");
    let param = |name: &str| query.get(name).cloned().unwrap_or_default();
    let redirect_uri = param("redirect_uri");
    if state.fault == Some(Fault::Aadsts(50011))
        || !redirect_registered(&state.config.redirect_uris, &redirect_uri)
    {
        let (_, description, _) = aadsts(50011);
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
    if tenant != state.config.tenant {
        let (error, description, _) = aadsts(90002);
        return back(&[
            ("error", error),
            ("error_description", &format!("AADSTS90002: {description}")),
            ("state", &param("state")),
        ]);
    }
    if param("client_id") != state.config.client_id {
        let (error, description, _) = aadsts(700016);
        return back(&[
            ("error", error),
            ("error_description", &format!("AADSTS700016: {description}")),
            ("state", &param("state")),
        ]);
    }
    state.counter += 1;
    let code = format!("sim-code-{}", state.counter);
    let grant = Grant {
        client_id: param("client_id"),
        redirect_uri: redirect_uri.clone(),
        code_challenge: query.get("code_challenge").cloned(),
        resource: param("resource"),
    };
    state.codes.insert(code.clone(), grant);
    let consent = if param("prompt") == "admin_consent" {
        "True"
    } else {
        ""
    };
    let mut pairs = vec![
        ("code", code.as_str()),
        ("state", query.get("state").map_or("", String::as_str)),
        ("session_state", "sim-session"),
    ];
    if !consent.is_empty() {
        pairs.push(("admin_consent", consent));
    }
    back(&pairs)
}

async fn token(
    State(state): State<Shared>,
    Path(tenant): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut state = state.lock().expect("sim state");
    if let Some(Fault::Aadsts(code)) = state.fault {
        return error(code);
    }
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    if tenant != state.config.tenant {
        return error(90002);
    }
    if field("client_id") != state.config.client_id {
        return error(700016);
    }
    if field("client_secret") != state.config.client_secret {
        return error(7000215);
    }
    let resource = match field("grant_type").as_str() {
        "authorization_code" => {
            let Some(grant) = state.codes.remove(&field("code")) else { return error(70008) };
            if grant.client_id != field("client_id") || grant.redirect_uri != field("redirect_uri") {
                return error(50011);
            }
            if let Some(challenge) = &grant.code_challenge {
                let digest = Sha256::digest(field("code_verifier").as_bytes());
                if base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest) != *challenge {
                    return (StatusCode::BAD_REQUEST, Json(json!({"error": "invalid_grant", "error_description": "AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.", "error_codes": [501481]}))).into_response();
                }
            }
            grant.resource
        }
        "refresh_token" => {
            if !state.refresh_tokens.contains(&field("refresh_token")) {
                return error(70008);
            }
            field("resource")
        }
        other => return (StatusCode::BAD_REQUEST, Json(json!({"error": "unsupported_grant_type", "error_description": format!("AADSTS70003: grant type {other:?} is not supported."), "error_codes": [70003]}))).into_response(),
    };
    state.counter += 1;
    let access = format!("sim-access-{}", state.counter);
    let refresh = refresh_token(state.counter);
    state.access_tokens.push(access.clone());
    state.refresh_tokens.push(refresh.clone());
    // v1 sends the expiry as strings; clients must accept both.
    Json(json!({
        "token_type": "Bearer",
        "scope": "user_impersonation",
        "expires_in": "3599",
        "ext_expires_in": "3599",
        "expires_on": "4102444800",
        "resource": resource,
        "access_token": access,
        "refresh_token": refresh,
        "id_token": "sim.id.token",
    }))
    .into_response()
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
