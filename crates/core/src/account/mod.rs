//! Bright Pattern "Microsoft Dynamics 365" integration accounts: the fields of the
//! Reference section, and their validation (Section A steps 1–8). Secrets are not part
//! of an account; they live in the OS keychain and are checked when typed.

pub mod api_url;
pub mod credentials;
pub mod entra;
pub mod trust;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::channel::Tenant;
use crate::findings::{Finding, Severity};
use crate::guid::Guid;
use entra::Endpoint;

/// The loopback redirect URI Dynbridge signs in with; Entra ignores the port for
/// `localhost`, so this one registration serves every port (domain.md §2).
pub const LOOPBACK_REDIRECT_URI: &str = "http://localhost/dynbridge/callback";

/// Days before a client secret's expiry when Dynbridge starts warning.
pub const SECRET_WARNING_DAYS: i64 = 30;
/// Entra expires a refresh token unused for 90 days; Dynbridge warns after 80.
pub const REFRESH_WARNING_DAYS: i64 = 80;
pub const REFRESH_LIFETIME_DAYS: i64 = 90;

/// An integration account as saved (no secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Account {
    /// Stable: secrets are keyed by it, so renaming keeps them.
    pub id: String,
    pub name: String,
    /// Bright Pattern's "Default account" checkbox.
    pub default: bool,
    /// The Bright Pattern tenant (for the redirect URI to register).
    pub tenant: String,
    pub authorization_url: String,
    pub token_url: String,
    pub api_url: String,
    pub client_id: String,
    /// The client secret's expiry date as the Azure portal shows it, `YYYY-MM-DD`.
    pub secret_expires: Option<String>,
    /// When the refresh token was last used, `YYYY-MM-DD`.
    pub refresh_token_used: Option<String>,
    /// A simulator account (the demo, `--simulator`): its endpoints may be on this
    /// computer. Secrets of other accounts go only to Microsoft ([`trust`]).
    #[serde(default)]
    pub simulator: bool,
}

/// Today's date (UTC), for expiry warnings.
pub fn today() -> NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0);
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("the epoch") + chrono::Days::new(days)
}

fn date(text: &str) -> Option<NaiveDate> {
    text.trim().parse().ok()
}

/// Every finding about an account's fields; `secret` is the client secret when one is
/// being typed (it is never stored with the account).
pub fn validate(account: &Account, secret: Option<&str>, today: NaiveDate) -> Vec<Finding> {
    let mut findings = Vec::new();
    if account.name.trim().is_empty() {
        findings.push(
            Finding::new(
                "Name",
                Severity::Error,
                "account.name_missing",
                "the account needs a name",
            )
            .with_guide_step("Reference, Step 2"),
        );
    }
    if !account.tenant.trim().is_empty() {
        findings.extend(Tenant::parse(&account.tenant).1);
    }
    let (authorize, mut more) = entra::parse(&account.authorization_url, Endpoint::Authorize);
    findings.append(&mut more);
    let (token, mut more) = entra::parse(&account.token_url, Endpoint::Token);
    findings.append(&mut more);
    if let (Some(a), Some(t)) = (&authorize, &token) {
        if !a.tenant.eq_ignore_ascii_case(&t.tenant) {
            findings.push(
                Finding::new(
                    "Token URL",
                    Severity::Error,
                    "entra.tenant_mismatch",
                    format!(
                        "the Token URL's tenant {:?} differs from the Authorization URL's {:?}",
                        t.tenant, a.tenant
                    ),
                )
                .with_fix(format!("use {}", a.url(Endpoint::Token)))
                .with_guide_step("Section A, step 5"),
            );
        }
    }
    findings.extend(api_url::check(&account.api_url).1);
    let refusals = refusals_at_use(account, &findings);
    findings.extend(refusals);
    check_client_id(&account.client_id, &mut findings);
    if let Some(secret) = secret {
        check_secret(secret, &mut findings);
    }
    check_dates(account, today, &mut findings);
    findings
}

/// What [`trust`] would refuse when the account is used, that the fields' own checks
/// (`found` so far) do not already say: this computer for a non-simulator account,
/// endpoints of two hosts or tenants.
fn refusals_at_use(account: &Account, found: &[Finding]) -> Vec<Finding> {
    let said = |code: &str| found.iter().any(|f| f.code == code);
    [trust::check_sign_in(account), trust::check_api(account)]
        .into_iter()
        .filter_map(Result::err)
        .filter(|f| match f.code.as_str() {
            "trust.loopback" => true,
            "trust.other_tenant" => !said("entra.tenant_mismatch"),
            _ => false,
        })
        .map(|f| *f)
        .collect()
}

fn check_client_id(client_id: &str, findings: &mut Vec<Finding>) {
    let finding = |severity, code: &str, message: String| {
        Finding::new("Client ID", severity, code, message).with_guide_step("Section A, step 3")
    };
    if client_id.trim() != client_id {
        findings.push(
            finding(
                Severity::Error,
                "client_id.whitespace",
                "the Client ID has spaces before or after it".into(),
            )
            .with_fix("remove them"),
        );
    }
    match Guid::parse_lenient(client_id.trim()) {
        Ok(_) => {}
        Err(_) if client_id.trim().is_empty() => findings.push(
            finding(
                Severity::Error,
                "client_id.missing",
                "the Client ID is empty".into(),
            )
            .with_fix("copy the Application (client) ID from the app's Overview page"),
        ),
        Err(_) => findings.push(
            finding(
                Severity::Error,
                "client_id.not_guid",
                "this is not a Client ID, which reads like 1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901 (32 letters and digits, grouped 8-4-4-4-12)".into(),
            )
            .with_fix("copy the Application (client) ID from the app's Overview page"),
        ),
    }
}

/// Checks a client secret as typed (it is never stored with the account).
pub fn check_secret(secret: &str, findings: &mut Vec<Finding>) {
    let finding = |severity, code: &str, message: &str| {
        Finding::new("Client Secret", severity, code, message).with_guide_step("Section A, step 4")
    };
    if secret.is_empty() {
        findings.push(
            finding(
                Severity::Error,
                "secret.missing",
                "the client secret is empty",
            )
            .with_fix("create a client secret and copy its Value"),
        );
        return;
    }
    if secret.trim() != secret {
        findings.push(
            finding(
                Severity::Error,
                "secret.whitespace",
                "the client secret has spaces before or after it",
            )
            .with_fix("paste the Value alone"),
        );
    }
    if Guid::parse_lenient(secret.trim()).is_ok() {
        findings.push(finding(Severity::Warning, "secret.looks_like_id", "this looks like the Secret ID; paste the secret's Value").with_fix("in Certificates & secrets, copy the Value column (shown once, when the secret is created)"));
    }
    if secret.contains('+') {
        findings.push(
            finding(
                Severity::Info,
                "secret.plus",
                "the secret contains '+'; an older guide revision warned against such secrets",
            )
            .with_fix("if the token request fails, create another secret"),
        );
    }
}

fn check_dates(account: &Account, today: NaiveDate, findings: &mut Vec<Finding>) {
    if let Some(text) = account
        .secret_expires
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        match date(text) {
            None => findings.push(Finding::new(
                "Secret expires",
                Severity::Error,
                "secret.expiry_date",
                format!("{text:?} is not a date (YYYY-MM-DD)"),
            )),
            Some(expires) => {
                let days = (expires - today).num_days();
                if days < 0 {
                    findings.push(
                        Finding::new(
                            "Secret expires",
                            Severity::Error,
                            "secret.expired",
                            format!("the client secret expired on {expires}"),
                        )
                        .with_fix("create a new secret and paste its Value")
                        .with_guide_step("Section A, step 4"),
                    );
                } else if days <= SECRET_WARNING_DAYS {
                    findings.push(
                        Finding::new(
                            "Secret expires",
                            Severity::Warning,
                            "secret.expiring",
                            format!("the client secret expires in {days} days ({expires})"),
                        )
                        .with_fix("create a new secret before then")
                        .with_guide_step("Section A, step 4"),
                    );
                }
            }
        }
    }
    if let Some(used) = account.refresh_token_used.as_deref().and_then(date) {
        let idle = (today - used).num_days();
        if idle >= REFRESH_LIFETIME_DAYS {
            findings.push(
                Finding::new(
                    "Refresh token",
                    Severity::Error,
                    "refresh.expired",
                    format!(
                        "the saved sign-in was last used {idle} days ago, so Entra ID no longer accepts it"
                    ),
                )
                .with_fix("request a new token")
                .with_guide_step("Section A, step 8"),
            );
        } else if idle >= REFRESH_WARNING_DAYS {
            findings.push(Finding::new("Refresh token", Severity::Warning, "refresh.expiring", format!("the saved sign-in was last used {idle} days ago; Entra ID stops accepting it after 90 days unused")).with_fix("use the account (Test connection) or request a new token").with_guide_step("Section A, step 8"));
        }
    }
}

/// The redirect URIs to register (platform Web) for this account: Bright Pattern's
/// callback, and Dynbridge's loopback.
pub fn redirect_uris(account: &Account) -> Vec<String> {
    let bright_pattern = Tenant::parse(&account.tenant).0.map(|t| t.redirect_uri());
    bright_pattern
        .into_iter()
        .chain([LOOPBACK_REDIRECT_URI.to_owned()])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    fn account() -> Account {
        Account {
            id: "a1".into(),
            name: "Production".into(),
            default: true,
            tenant: "example".into(),
            authorization_url: format!(
                "https://login.microsoftonline.com/{TENANT}/oauth2/authorize"
            ),
            token_url: format!("https://login.microsoftonline.com/{TENANT}/oauth2/token"),
            api_url: "https://contoso.crm.dynamics.com/api/data/v9.0".into(),
            client_id: "11111111-2222-3333-4444-555555555555".into(),
            secret_expires: None,
            refresh_token_used: None,
            simulator: false,
        }
    }

    fn today() -> NaiveDate {
        "2026-11-23".parse().unwrap()
    }

    fn codes(account: &Account, secret: Option<&str>) -> Vec<String> {
        validate(account, secret, today())
            .into_iter()
            .map(|f| f.code)
            .collect()
    }

    #[test]
    fn a_good_account_is_clean() {
        assert!(codes(&account(), Some("Abc~8Q.example-secret-value")).is_empty());
    }

    #[test]
    fn secrets_that_look_like_ids_and_other_mistakes() {
        assert_eq!(
            codes(&account(), Some("aaaaaaaa-2222-3333-4444-555555555555")),
            ["secret.looks_like_id"]
        );
        assert_eq!(codes(&account(), Some(" value")), ["secret.whitespace"]);
        assert_eq!(codes(&account(), Some("a+b")), ["secret.plus"]);
        assert_eq!(codes(&account(), Some("")), ["secret.missing"]);
    }

    #[test]
    fn fields_and_dates() {
        let broken = Account {
            name: " ".into(),
            client_id: "my-app".into(),
            token_url: "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/token"
                .into(),
            secret_expires: Some("2026-12-10".into()),
            refresh_token_used: Some("2026-08-30".into()),
            ..account()
        };
        let found = codes(&broken, None);
        for code in [
            "account.name_missing",
            "client_id.not_guid",
            "entra.tenant_mismatch",
            "secret.expiring",
            "refresh.expiring",
        ] {
            assert!(found.contains(&code.to_owned()), "{code} in {found:?}");
        }
        let old = Account {
            secret_expires: Some("2026-01-01".into()),
            refresh_token_used: Some("2026-01-01".into()),
            ..account()
        };
        assert_eq!(codes(&old, None), ["secret.expired", "refresh.expired"]);
    }

    #[test]
    fn redirect_uris_include_bright_patterns_callback_and_the_loopback() {
        assert_eq!(
            redirect_uris(&account()),
            [
                "https://example.brightpattern.com/admin/msdynamicscallback.html",
                LOOPBACK_REDIRECT_URI
            ]
        );
    }
}
