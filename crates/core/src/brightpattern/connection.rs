//! A connection to a Bright Pattern tenant's List Management API: the API base URL,
//! the API user's login ID and (in the OS keychain, never here) that user's API secret.
//!
//! Validation speaks the Users page's and the guide's words. The endpoint-trust rule
//! of Dynamics accounts holds here too: the secret goes only to the host the admin
//! entered, over https; this computer (loopback, plain http) only for a simulator
//! connection.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use url::Url;

use crate::dynamics_url::is_loopback;
use crate::findings::{Finding, Severity};

/// Where the List Management API lives under a tenant's base URL (reference §1, S1/S5).
pub const API_PATH: &str = "/configapi/v2/";
/// The cloud tenants' domain (reference §1, S1).
pub const CLOUD_SUFFIX: &str = ".brightpattern.com";

/// A saved connection (without its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Connection {
    /// Stable identifier; the keychain holds the API secret under it.
    pub id: String,
    /// The name the admin gave it, unique among connections.
    pub name: String,
    /// The tenant's address: `https://<tenant>.brightpattern.com`, or an on-premises host.
    pub url: String,
    /// The API user's login ID (Users page), sent as `client_id`.
    pub login: String,
    /// A connection to Dynbridge's local simulator (loopback, plain http allowed).
    #[serde(default)]
    pub simulator: bool,
}

impl Connection {
    /// The API's base URL (`…/configapi/v2/`), when the address may be used.
    pub fn api_base(&self) -> Result<Url, Box<Finding>> {
        let url = self.trusted_url()?;
        Ok(url
            .join(API_PATH.trim_start_matches('/'))
            .expect("a relative path joins"))
    }

    /// The token request's `scope`: the tenant URL as a bare host (reference §2, S1/S4).
    pub fn scope(&self) -> Option<String> {
        Url::parse(self.url.trim())
            .ok()?
            .host_str()
            .map(str::to_ascii_lowercase)
    }

    /// The tenant's address, if the API secret may be sent there: https to the host
    /// entered, or loopback for a simulator connection; no path beyond `/`, no user
    /// name, query or fragment (the API path is Dynbridge's to add).
    pub fn trusted_url(&self) -> Result<Url, Box<Finding>> {
        let refused = |code: &str, message: String, fix: &str| {
            Box::new(Finding::new("API URL", Severity::Error, code, message).with_fix(fix))
        };
        let text = self.url.trim();
        let url = Url::parse(text).map_err(|_| {
            refused(
                "bp.url_invalid",
                format!("{text:?} is not a web address"),
                "enter the address you sign in to Bright Pattern with, e.g. https://example.brightpattern.com",
            )
        })?;
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        if is_loopback(&host) {
            if !self.simulator {
                return Err(refused(
                    "bp.url_loopback",
                    "the address points at this computer, which only a simulator connection may do"
                        .into(),
                    "enter your tenant's address, e.g. https://example.brightpattern.com",
                ));
            }
            if url.scheme() != "http" && url.scheme() != "https" {
                return Err(refused(
                    "bp.url_scheme",
                    "the address must start with http:// or https://".into(),
                    "enter the simulator's address as dynbridge sim prints it",
                ));
            }
        } else if url.scheme() != "https" {
            return Err(refused(
                "bp.url_not_https",
                "the address must start with https://: the API secret is never sent unencrypted"
                    .into(),
                &format!("use https://{host}"),
            ));
        }
        if host.is_empty() || !url.username().is_empty() || url.password().is_some() {
            return Err(refused(
                "bp.url_invalid",
                "the address must be a plain host, without a user name or password".into(),
                "enter https://<tenant>.brightpattern.com",
            ));
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            let fixed = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default())
                + &url.port().map(|p| format!(":{p}")).unwrap_or_default();
            return Err(refused(
                "bp.url_path",
                "enter the tenant's address only: Dynbridge adds the API's path itself".into(),
                &format!("use {fixed}"),
            ));
        }
        Ok(url)
    }

    /// Everything wrong with the connection, each beside its field.
    pub fn validate(&self) -> Vec<Finding> {
        let mut findings = Vec::new();
        if self.name.trim().is_empty() {
            findings.push(
                Finding::new(
                    "Name",
                    Severity::Error,
                    "bp.name_missing",
                    "give the connection a name",
                )
                .with_fix("for example the tenant's name"),
            );
        }
        if self.login.trim().is_empty() {
            findings.push(
                Finding::new("Login ID", Severity::Error, "bp.login_missing", "enter the API user's login ID")
                    .with_fix("the user's Login ID on the Users page of Bright Pattern's Contact Center Administrator"),
            );
        } else if self.login.trim() != self.login {
            findings.push(Finding::new(
                "Login ID",
                Severity::Warning,
                "bp.login_spaces",
                "the login ID begins or ends with spaces, which Bright Pattern would not match",
            ));
        }
        match self.trusted_url() {
            Err(finding) => findings.push(*finding),
            Ok(url) => {
                let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
                if !self.simulator && !host.ends_with(CLOUD_SUFFIX) {
                    findings.push(Finding::new(
                        "API URL",
                        Severity::Info,
                        "bp.on_premises",
                        format!("{host} is not a brightpattern.com tenant; fine for an on-premises system"),
                    ));
                }
            }
        }
        findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connection(url: &str, simulator: bool) -> Connection {
        Connection {
            id: "c1".into(),
            name: "Example".into(),
            url: url.into(),
            login: "api.user".into(),
            simulator,
        }
    }

    fn codes(c: &Connection) -> Vec<String> {
        c.validate().into_iter().map(|f| f.code).collect()
    }

    #[test]
    fn a_cloud_tenant_is_valid_and_its_scope_is_the_bare_host() {
        let c = connection("https://Example.brightpattern.com", false);
        assert!(codes(&c).is_empty(), "{:?}", c.validate());
        assert_eq!(c.scope().as_deref(), Some("example.brightpattern.com"));
        assert_eq!(
            c.api_base().unwrap().as_str(),
            "https://example.brightpattern.com/configapi/v2/"
        );
    }

    #[test]
    fn the_secret_goes_only_over_https_to_the_host_entered() {
        assert_eq!(
            codes(&connection("http://example.brightpattern.com", false)),
            ["bp.url_not_https"]
        );
        assert_eq!(
            codes(&connection("http://127.0.0.1:8080", false)),
            ["bp.url_loopback"]
        );
        assert!(codes(&connection("http://127.0.0.1:8080", true)).is_empty());
        assert_eq!(
            codes(&connection(
                "https://user:pw@example.brightpattern.com",
                false
            )),
            ["bp.url_invalid"]
        );
        let with_path = connection("https://example.brightpattern.com/configapi/v2", false);
        let finding = with_path.validate().remove(0);
        assert_eq!(finding.code, "bp.url_path");
        assert_eq!(
            finding.fix.as_deref(),
            Some("use https://example.brightpattern.com")
        );
        assert_eq!(
            codes(&connection("https://cc.example.com:8443", false)),
            ["bp.on_premises"]
        );
    }

    #[test]
    fn missing_fields_are_named() {
        let mut c = connection("https://example.brightpattern.com", false);
        c.name = " ".into();
        c.login = String::new();
        assert_eq!(codes(&c), ["bp.name_missing", "bp.login_missing"]);
    }
}
