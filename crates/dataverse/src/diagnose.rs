//! Failures of the sign-in and connection chain, each turned into findings that name
//! the cause in plain words and the guide step that fixes it (domain.md §2).

use dynbridge_core::{Finding, Severity};

/// Why a token request or an API call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The token endpoint answered with an error: RFC 6749's `error`, and Entra's
    /// AADSTS `codes` from `error_codes` (or the text) when it sent any.
    Entra {
        error: String,
        description: String,
        codes: Vec<u32>,
        /// The request was a refresh (else a sign-in's code exchange).
        refresh: bool,
    },
    Dns(String),
    Tls(String),
    Refused(String),
    Timeout,
    /// The Web API answered with an HTTP error status.
    Http {
        status: u16,
        code: Option<String>,
        message: String,
        retry_after: Option<u64>,
    },
    /// An answer that should have been JSON was not.
    NotJson(String),
    /// The browser came back with another `state`: possibly a forged request.
    StateMismatch,
    CallbackTimeout,
    Cancelled,
    /// The account cannot be used as it is (a field finding says why).
    Account(String),
    /// No refresh token is stored yet.
    NoToken,
    /// The keychain or the profile could not be read or written.
    Store(String),
    /// The record changed in Dynamics while Dynbridge was working on it.
    Conflict(String),
    /// An endpoint the account's secrets or tokens may not be sent to; nothing was sent.
    Untrusted(Box<Finding>),
    Io(String),
}

impl Failure {
    /// Classifies a transport error from reqwest.
    pub fn from_transport(error: &reqwest::Error) -> Self {
        let mut chain = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(inner) = source {
            chain.push_str(": ");
            chain.push_str(&inner.to_string());
            source = inner.source();
        }
        let lower = chain.to_lowercase();
        if error.is_timeout() {
            Failure::Timeout
        } else if lower.contains("dns")
            || lower.contains("lookup address")
            || lower.contains("name or service not known")
        {
            Failure::Dns(chain)
        } else if lower.contains("certificate")
            || lower.contains("tls")
            || lower.contains("handshake")
        {
            Failure::Tls(chain)
        } else if lower.contains("refused") {
            Failure::Refused(chain)
        } else if error.is_decode() {
            Failure::NotJson(chain)
        } else {
            Failure::Io(chain)
        }
    }

    /// An HTTP error of the Web API, with the OData error's code and message if any.
    pub fn from_odata_error(status: u16, body: &str, retry_after: Option<u64>) -> Self {
        let json: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
        Failure::Http {
            status,
            code: json["error"]["code"].as_str().map(str::to_owned),
            message: redact(json["error"]["message"].as_str().unwrap_or_default()),
            retry_after,
        }
    }

    /// An error answer of the token endpoint; AADSTS codes from `error_codes`, else
    /// from the description's text.
    pub fn from_entra_error(error: String, description: String, mut codes: Vec<u32>) -> Self {
        if codes.is_empty() {
            codes.extend(aadsts_in_text(&description));
        }
        Failure::Entra {
            error,
            description,
            codes,
            refresh: false,
        }
    }

    /// Marks a token endpoint error as the answer to a refresh.
    pub(crate) fn in_refresh(self) -> Self {
        match self {
            Failure::Entra {
                error,
                description,
                codes,
                ..
            } => Failure::Entra {
                error,
                description,
                codes,
                refresh: true,
            },
            other => other,
        }
    }

    /// An answer that is not the JSON expected: its start, with anything token-like
    /// taken out.
    pub fn not_json(body: &str) -> Self {
        Failure::NotJson(redact(body).chars().take(200).collect())
    }

    /// Whether the token endpoint refused the client secret (wrong, expired, or the
    /// client could not be authenticated with it).
    pub fn is_about_the_secret(&self) -> bool {
        match self {
            Failure::Entra { error, codes, .. } => {
                error == "invalid_client" || codes.iter().any(|c| matches!(c, 7000215 | 7000222))
            }
            _ => false,
        }
    }

    /// The findings an admin sees.
    pub fn findings(&self) -> Vec<Finding> {
        let finding = |severity: Severity, code: &str, message: String, fix: &str, step: &str| {
            let mut f = Finding::new("Connection", severity, code, message).with_fix(fix);
            if !step.is_empty() {
                f = f.with_guide_step(step);
            }
            f
        };
        let error = Severity::Error;
        match self {
            Failure::Entra { codes, description, error: kind, refresh } => {
                let first_line = redact(description.lines().next().unwrap_or(description));
                let known = codes.iter().find_map(|code| aadsts_advice(*code).map(|advice| (*code, advice)));
                match (known, rfc6749_advice(kind, *refresh)) {
                    (Some((code, (message, fix, step))), _) => vec![finding(error, &format!("aadsts.{code}"), format!("{message} (AADSTS{code})"), fix, step)],
                    (None, Some((message, fix, step))) => vec![finding(error, &format!("oauth.{kind}"), format!("{message} ({kind})"), fix, step)],
                    (None, None) if !codes.is_empty() => vec![finding(error, "entra.error", format!("Entra ID refused: {kind}: {first_line}"), "look the AADSTS code up in Microsoft's error reference", "")],
                    (None, None) => vec![finding(error, "oauth.error", format!("the sign-in server refused: {kind}: {first_line}"), "check the Token URL is your tenant's Entra ID token endpoint, then request the token again", "Section A, step 5")],
                }
            }
            Failure::Dns(detail) => vec![finding(error, "net.dns", format!("the host name could not be found ({detail})"), "check the URL's host for typos, and this computer's network and DNS", "Reference, Step 2")],
            Failure::Tls(detail) => vec![finding(error, "net.tls", format!("the secure connection failed ({detail})"), "a proxy or firewall may intercept https; check the URL uses the right host", "")],
            Failure::Refused(detail) => vec![finding(error, "net.refused", format!("the server refused the connection ({detail})"), "check the URL's host and port, and any proxy or firewall", "")],
            Failure::Timeout => vec![finding(error, "net.timeout", "the server did not answer in time".into(), "try again; check the network, proxy or VPN", "")],
            Failure::Http { status: 401, .. } => vec![finding(error, "http.401", "the Web API refused the token (401)".into(), "request a new token; check the API URL is the org the token was issued for", "Section A, step 8")],
            Failure::Http { status: 403, message, .. } => vec![finding(error, "http.403", format!("the signed-in user has no access to Dataverse (403): {message}"), "add the user to the app and give them a security role in Dynamics", "Section A, step 6")],
            Failure::Http { status: 404, message, .. } => vec![finding(error, "http.404", format!("the Web API path was not found (404): {message}"), "check the API URL ends with /api/data/v9.0 (or v9.1, v9.2)", "Reference, Step 2, API URL")],
            Failure::Http { status: 429, retry_after, .. } => vec![finding(Severity::Warning, "http.429", format!("Dataverse's service protection limits were hit (429); retry after {} s", retry_after.unwrap_or(0)), "wait and try again", "")],
            Failure::Http { status: 400, message, .. } => vec![finding(error, "http.400", format!("Dataverse refused the request (400): {message}"), "correct the value the message names and send it again", "")],
            Failure::Http { status: 412, message, .. } => vec![finding(error, "http.412", format!("the record changed or was removed meanwhile (412): {message}"), "reload and try again", "")],
            Failure::Http { status: status @ 502..=504, .. } => vec![finding(error, &format!("http.{status}"), format!("Dataverse was temporarily unavailable ({status}) and still was after retrying"), "try again in a few minutes; if it persists, check the org's health in the Power Platform admin center", "")],
            Failure::Http { status, message, .. } => vec![finding(error, &format!("http.{status}"), format!("the Web API answered {status}: {message}"), "try again later; if it persists, check the org's health in the Power Platform admin center", "")],
            Failure::NotJson(detail) => vec![finding(error, "http.not_json", format!("the answer was not JSON ({detail})"), "check the URL points at Entra ID or the Dataverse Web API, not a web page", "Reference, Step 2")],
            Failure::StateMismatch => vec![finding(error, "oauth.state_mismatch", "the browser returned another sign-in's answer (state mismatch); it was refused".into(), "request the token again", "")],
            Failure::CallbackTimeout => vec![finding(error, "oauth.timeout", "the browser did not come back with the sign-in in time".into(), "request the token again and finish signing in", "Section A, step 8")],
            Failure::Cancelled => vec![finding(Severity::Info, "oauth.cancelled", "cancelled".into(), "", "")],
            Failure::Account(message) => vec![finding(error, "account.unusable", message.clone(), "fix the account's fields", "Reference, Step 2")],
            Failure::NoToken => vec![finding(error, "token.missing", "no token has been requested for this account yet".into(), "Request token (sign in with a user of the app)", "Section A, step 8")],
            Failure::Untrusted(finding) => vec![(**finding).clone()],
            Failure::Conflict(message) => vec![finding(error, "dataverse.conflict", message.clone(), "try again", "")],
            Failure::Store(detail) => vec![finding(error, "store.error", format!("the keychain or the account file failed: {detail}"), "check the keychain is unlocked, then try again", "")],
            Failure::Io(detail) => vec![finding(error, "net.error", format!("the request failed: {detail}"), "check the network", "")],
        }
    }
}

/// `AADSTS7000215:` codes mentioned in a text.
fn aadsts_in_text(text: &str) -> Vec<u32> {
    text.match_indices("AADSTS")
        .filter_map(|(at, _)| {
            text[at + 6..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .ok()
        })
        .collect()
}

/// (what happened, what to do, guide step) for RFC 6749 §5.2's error codes, for servers
/// (or answers) without an AADSTS code.
fn rfc6749_advice(
    error: &str,
    refresh: bool,
) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match (error, refresh) {
        ("invalid_grant", true) => ("the refresh token was refused: it expired, was revoked, or was already used", "request a new token (sign in again)", "Section A, step 8.5"),
        ("invalid_grant", false) => ("the sign-in's code was refused: it expired, was already used, or was issued for another redirect URI", "request the token again", "Section A, step 8.5"),
        ("invalid_client", _) => ("the app could not be authenticated: the Client ID or the client secret is wrong", "copy the secret's Value again and check the Client ID", "Section A, step 4"),
        ("unauthorized_client", _) => ("the app is not allowed this kind of sign-in", "in the app registration, use platform Web and create a client secret", "Section A, step 1"),
        ("invalid_scope", _) => ("the permission asked for was refused", "add the Dataverse user_impersonation permission and consent to it", "Section A, step 7"),
        ("unsupported_grant_type" | "invalid_request", _) => ("the sign-in server did not accept the request", "check the Authorization URL and the Token URL are your tenant's endpoints from the app registration", "Section A, step 5"),
        ("access_denied", _) => ("the sign-in was declined or not allowed", "sign in again with a user of the tenant and accept the permissions asked for", "Section A, step 8"),
        ("consent_required" | "interaction_required" | "login_required", _) => ("the user must sign in or consent again", "request the token again and finish the sign-in in the browser; an admin can consent for the organization", "Section A, steps 8 and 8.6"),
        ("server_error" | "temporarily_unavailable", _) => ("Entra ID could not answer just now", "try again in a few minutes", ""),
        _ => return None,
    })
}

/// `text` with every run of 24 or more token characters replaced: answers that are not
/// what was expected may echo a token, and error text must never carry one.
pub fn redact(text: &str) -> String {
    let token_char = |c: char| c.is_ascii_alphanumeric() || "-._~+/".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if token_char(c) {
            run.push(c);
            continue;
        }
        if run.chars().count() >= 24 {
            out.push_str("[redacted]");
        } else {
            out.push_str(&run);
        }
        run.clear();
        out.push(c);
    }
    out.pop();
    out
}

/// (what happened, what to do, guide step) for the AADSTS codes admins meet.
fn aadsts_advice(code: u32) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match code {
        50011 => ("the redirect URI is not registered for the app", "add the redirect URI (platform Web) to the app registration", "Section A, step 1.4"),
        7000215 => ("the client secret is wrong, often the Secret ID pasted instead of its Value", "copy the secret's Value again (or create a new secret)", "Section A, step 4"),
        7000222 => ("the client secret has expired", "create a new client secret and paste its Value", "Section A, step 4"),
        65001 => ("nobody has consented to the app using Dataverse", "add the Dataverse user_impersonation permission and request the token with admin consent", "Section A, steps 7 and 8.6"),
        700016 => ("the application was not found in this tenant", "check the Client ID and the tenant in the Authorization URL", "Section A, steps 3 and 5"),
        70008 => ("the authorization code or refresh token has expired", "request a new token", "Section A, step 8.5"),
        50020 | 50034 => ("the user does not exist in this tenant", "sign in with a user of the tenant who is assigned to the app", "Section A, step 6"),
        90002 | 90013 => ("the tenant in the Authorization URL was not found", "copy the endpoints again from the app registration", "Section A, step 5"),
        700082 => ("the refresh token expired after 90 days without use", "request a new token; use the account more often than every 90 days", "Section A, step 8.5"),
        70043 => ("a Conditional Access sign-in frequency policy expired the token", "sign in again; the policy is in the tenant's Conditional Access settings", "Section A, step 8.5"),
        53003 => ("a Conditional Access policy blocked the sign-in", "ask the tenant's admin to allow the app in Conditional Access", ""),
        50097 => ("Conditional Access requires a managed device", "sign in from a compliant device, or ask the tenant's admin to exempt the app", ""),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entra_errors_are_read_from_error_codes_or_the_text() {
        let failure = Failure::from_entra_error(
            "invalid_client".into(),
            "AADSTS7000215: Invalid client secret provided.".into(),
            vec![7000215],
        );
        assert_eq!(failure.findings()[0].code, "aadsts.7000215");
        assert_eq!(
            failure.findings()[0].guide_step.as_deref(),
            Some("Section A, step 4")
        );
        let text_only = Failure::from_entra_error(
            "invalid_grant".into(),
            "AADSTS65001: no consent".into(),
            Vec::new(),
        );
        assert_eq!(text_only.findings()[0].code, "aadsts.65001");
    }

    #[test]
    fn plain_rfc_errors_get_their_own_advice() {
        let refused = Failure::from_entra_error("invalid_grant".into(), String::new(), Vec::new());
        let refresh = refused.clone().in_refresh().findings().remove(0);
        assert_eq!(refresh.code, "oauth.invalid_grant");
        assert!(refresh.fix.unwrap().contains("sign in again"));
        assert_eq!(refresh.guide_step.as_deref(), Some("Section A, step 8.5"));
        assert!(refused.findings()[0].message.contains("code"));
        let unknown = Failure::from_entra_error("slow_down".into(), "busy".into(), Vec::new());
        assert_eq!(unknown.findings()[0].code, "oauth.error");
        assert!(!unknown.findings()[0]
            .fix
            .clone()
            .unwrap()
            .contains("AADSTS"));
    }

    #[test]
    fn token_like_text_is_redacted() {
        let text = "refresh_token=0.AXkAabcdefghijklmnopqrstuvwxyz0123456789-_ rest";
        assert_eq!(redact(text), "refresh_token=[redacted] rest");
        assert_eq!(redact("<html>not json</html>"), "<html>not json</html>");
    }
}
