//! Where an account's secrets may be sent, checked at the moment of use as well as in
//! validation: an imported "shared setup" file must not be able to send the client
//! secret, a sign-in's code or PKCE verifier, or a refresh token anywhere but Microsoft.
//!
//! - The client secret, codes, verifiers and refresh tokens go only over https to an
//!   Entra ID sign-in host ([`ENTRA_SIGN_IN_HOSTS`]), and the Token URL only to the
//!   Authorization URL's host and tenant.
//! - Access tokens go only over https to a Dynamics 365 host
//!   ([`crate::dynamics_url::DYNAMICS_SUFFIXES`]).
//! - This computer (loopback) only for an account marked as a simulator account.

use url::Url;

use super::entra::{self, Endpoint};
use super::Account;
use crate::dynamics_url::{is_dynamics_host, is_loopback};
use crate::findings::{Finding, Severity};

/// Entra ID's sign-in hosts: the global service and the national clouds (Azure
/// Government; Azure operated by 21Vianet, whose older host is still served).
/// Source: learn.microsoft.com/entra/identity-platform/authentication-national-cloud
/// ("Microsoft Entra authentication endpoints"); Azure Germany closed in 2021.
pub const ENTRA_SIGN_IN_HOSTS: &[&str] = &[
    "login.microsoftonline.com",
    "login.microsoftonline.us",
    "login.partner.microsoftonline.cn",
    "login.chinacloudapi.cn",
];

const STEP: &str = "Section A, step 5";

/// Whether `host` signs in for Entra ID.
pub fn is_entra_host(host: &str) -> bool {
    ENTRA_SIGN_IN_HOSTS
        .iter()
        .any(|known| host.eq_ignore_ascii_case(known))
}

fn refused(field: &str, code: &str, message: String, fix: &str) -> Finding {
    Finding::new(field, Severity::Error, code, message)
        .with_fix(fix)
        .with_guide_step(STEP)
}

/// A URL's host, if it is somewhere secrets may go for this account: loopback only for
/// a simulator account, else https and `trusted`.
fn destination(
    account: &Account,
    field: &str,
    text: &str,
    trusted: fn(&str) -> bool,
    what: &str,
) -> Result<Url, Box<Finding>> {
    let url = Url::parse(text.trim()).map_err(|_| {
        Box::new(refused(
            field,
            "trust.invalid",
            format!("the {field} is not a web address"),
            "copy it again from where it is shown",
        ))
    })?;
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    if is_loopback(&host) {
        return if account.simulator {
            Ok(url)
        } else {
            Err(Box::new(refused(
                field,
                "trust.loopback",
                format!(
                    "the {field} is an address on this computer; only a simulator account may use one"
                ),
                &format!("use {what}"),
            )))
        };
    }
    if url.scheme() != "https" {
        return Err(Box::new(refused(
            field,
            "trust.not_https",
            format!("the {field} does not use https, so Dynbridge will not send secrets to it"),
            "write https://",
        )));
    }
    if !trusted(&host) {
        return Err(Box::new(refused(
            field,
            "trust.foreign_host",
            format!("{host} is not {what}, so Dynbridge will not send secrets to it"),
            &format!("use {what}"),
        )));
    }
    Ok(url)
}

/// Checks the Authorization URL and the Token URL before the client secret, a code, a
/// verifier or a refresh token is sent: Entra ID over https, one host and one tenant.
pub fn check_sign_in(account: &Account) -> Result<(), Box<Finding>> {
    const ENTRA: &str = "an Entra ID sign-in host such as login.microsoftonline.com";
    let authorize_field = "Authorization URL";
    let authorize = destination(
        account,
        authorize_field,
        &account.authorization_url,
        is_entra_host,
        ENTRA,
    )?;
    let token_text = if account.token_url.trim().is_empty() {
        match entra::parse(&account.authorization_url, Endpoint::Authorize).0 {
            Some(parsed) => parsed.url(Endpoint::Token),
            None => {
                return Err(Box::new(refused(
                    authorize_field,
                    "trust.invalid",
                    "the Authorization URL is not an Entra ID endpoint".into(),
                    "copy it again from the app registration's Endpoints dialog",
                )))
            }
        }
    } else {
        account.token_url.clone()
    };
    let token = destination(account, "Token URL", &token_text, is_entra_host, ENTRA)?;
    let tenant = |url: &Url| {
        url.path_segments()
            .and_then(|mut s| s.find(|p| !p.is_empty()))
            .map(str::to_ascii_lowercase)
    };
    if token.origin() != authorize.origin() || tenant(&token) != tenant(&authorize) {
        return Err(Box::new(refused(
            "Token URL",
            "trust.other_tenant",
            "the Token URL belongs to another host or tenant than the Authorization URL".into(),
            "copy both endpoints from the same app registration, or leave the Token URL empty to derive it",
        )));
    }
    Ok(())
}

/// Checks the API URL before an access token is sent: a Dynamics 365 host over https.
pub fn check_api(account: &Account) -> Result<(), Box<Finding>> {
    destination(
        account,
        "API URL",
        &account.api_url,
        is_dynamics_host,
        "a Dynamics 365 host such as contoso.crm.dynamics.com",
    )
    .map(drop)
}

/// Whether two versions of an account send their secrets and tokens to the same places:
/// a refresh token belongs to the tenant and org it was issued for, and must not follow
/// an edit to others (or to this computer).
pub fn same_destinations(a: &Account, b: &Account) -> bool {
    let same = |x: &str, y: &str| x.trim().eq_ignore_ascii_case(y.trim());
    same(&a.authorization_url, &b.authorization_url)
        && same(&a.token_url, &b.token_url)
        && same(&a.api_url, &b.api_url)
        && a.simulator == b.simulator
}

/// Whether Dynbridge may hand `url` to the system's opener: https only, and http on this
/// computer for a simulator account. Other schemes (`file:`, `smb:`, `ms-msdt:`…) start
/// programs or reach shares, and are never opened.
pub fn check_openable(url: &str, simulator: bool) -> Result<(), String> {
    let parsed = Url::parse(url).map_err(|_| format!("{url:?} is not a web address"))?;
    let loopback = parsed.host_str().is_some_and(is_loopback);
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if loopback && simulator => Ok(()),
        scheme => Err(format!(
            "Dynbridge opens only https addresses in the browser, not {scheme}: ones"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    fn account(authorize: &str, token: &str, api: &str, simulator: bool) -> Account {
        Account {
            id: "a".into(),
            name: "A".into(),
            default: true,
            tenant: "example".into(),
            authorization_url: authorize.into(),
            token_url: token.into(),
            api_url: api.into(),
            client_id: "5a1e7c90-3d2b-4f6a-8e9c-1b2a3c4d5e6f".into(),
            secret_expires: None,
            refresh_token_used: None,
            simulator,
        }
    }

    fn sign_in_code(authorize: &str, token: &str, simulator: bool) -> Option<String> {
        check_sign_in(&account(authorize, token, "", simulator))
            .err()
            .map(|f| f.code.clone())
    }

    #[test]
    fn secrets_go_only_to_entra_hosts_of_the_same_tenant() {
        let authorize = format!("https://login.microsoftonline.com/{TENANT}/oauth2/authorize");
        let token = format!("https://login.microsoftonline.com/{TENANT}/oauth2/token");
        assert_eq!(sign_in_code(&authorize, &token, false), None);
        assert_eq!(sign_in_code(&authorize, "", false), None, "derived");
        let us = format!("https://login.microsoftonline.us/{TENANT}/oauth2/authorize");
        assert_eq!(sign_in_code(&us, "", false), None, "Azure Government");
        for (token, code) in [
            (
                format!("http://login.microsoftonline.com/{TENANT}/oauth2/token"),
                "trust.not_https",
            ),
            (
                format!("https://attacker.example/{TENANT}/oauth2/token"),
                "trust.foreign_host",
            ),
            (
                "https://login.microsoftonline.com/other-tenant/oauth2/token".to_owned(),
                "trust.other_tenant",
            ),
            (
                format!("https://login.microsoftonline.us/{TENANT}/oauth2/token"),
                "trust.other_tenant",
            ),
            (
                "http://127.0.0.1:9/t/oauth2/token".to_owned(),
                "trust.loopback",
            ),
        ] {
            assert_eq!(
                sign_in_code(&authorize, &token, false).as_deref(),
                Some(code),
                "{token}"
            );
        }
        let field = check_sign_in(&account(&authorize, "http://evil.example/t", "", false))
            .unwrap_err()
            .field
            .clone();
        assert_eq!(field, "Token URL");
    }

    #[test]
    fn only_web_addresses_are_opened() {
        assert!(check_openable("https://contoso.crm.dynamics.com/main.aspx", false).is_ok());
        assert!(check_openable("http://127.0.0.1:9/t/oauth2/authorize", true).is_ok());
        for url in [
            "http://127.0.0.1:9/t/oauth2/authorize",
            "http://example.com/",
            "file:///etc/passwd",
            "smb://server/share",
            "ms-msdt:/id PCWDiagnostic",
        ] {
            assert!(check_openable(url, false).is_err(), "{url}");
        }
        assert!(check_openable("file:///etc/passwd", true).is_err());
    }

    #[test]
    fn loopback_only_for_simulator_accounts() {
        let authorize = "http://127.0.0.1:8080/t/oauth2/authorize";
        let token = "http://127.0.0.1:8080/t/oauth2/token";
        assert_eq!(sign_in_code(authorize, token, true), None);
        assert_eq!(
            sign_in_code(authorize, token, false).as_deref(),
            Some("trust.loopback")
        );
        let api = |url: &str, simulator| {
            check_api(&account("", "", url, simulator))
                .err()
                .map(|f| f.code.clone())
        };
        assert_eq!(api("http://127.0.0.1:8080/api/data/v9.2", true), None);
        assert_eq!(
            api("http://127.0.0.1:8080/api/data/v9.2", false).as_deref(),
            Some("trust.loopback")
        );
        assert_eq!(
            api("https://contoso.crm4.dynamics.com/api/data/v9.2", false),
            None
        );
        assert_eq!(
            api(
                "https://contoso.crm.microsoftdynamics.us/api/data/v9.2",
                false
            ),
            None
        );
        assert_eq!(
            api("http://contoso.crm.dynamics.com/api/data/v9.2", false).as_deref(),
            Some("trust.not_https")
        );
        assert_eq!(
            api("https://contoso.example.com/api/data/v9.2", false).as_deref(),
            Some("trust.foreign_host")
        );
    }
}
