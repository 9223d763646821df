//! Entra ID (Azure AD) OAuth endpoints as admins paste them into Bright Pattern's
//! Authorization URL and Token URL fields: v1 (`/oauth2/authorize`, `/oauth2/token`,
//! what Bright Pattern uses) or v2 (`/oauth2/v2.0/…`, a common mistake).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use url::Url;

use crate::findings::{Finding, Severity};
use crate::guid::Guid;

pub const AUTHORITY: &str = "login.microsoftonline.com";

/// Which OAuth protocol version an endpoint belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum OAuthVersion {
    V1,
    V2,
}

/// The two endpoints of Section A, step 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Authorize,
    Token,
}

impl Endpoint {
    fn field(self) -> &'static str {
        match self {
            Endpoint::Authorize => "Authorization URL",
            Endpoint::Token => "Token URL",
        }
    }

    fn leaf(self) -> &'static str {
        match self {
            Endpoint::Authorize => "authorize",
            Endpoint::Token => "token",
        }
    }
}

/// A parsed Entra ID endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntraUrl {
    /// `https://login.microsoftonline.com` (or the simulator's loopback origin).
    pub origin: String,
    pub tenant: String,
    pub version: OAuthVersion,
    pub endpoint: Endpoint,
}

impl EntraUrl {
    /// The same tenant and version's URL for another endpoint.
    pub fn url(&self, endpoint: Endpoint) -> String {
        let version = match self.version {
            OAuthVersion::V1 => "",
            OAuthVersion::V2 => "v2.0/",
        };
        format!(
            "{}/{}/oauth2/{version}{}",
            self.origin,
            self.tenant,
            endpoint.leaf()
        )
    }
}

const STEP: &str = "Section A, step 5";

/// Reads an Authorization or Token URL, with findings; `None` when unusable.
pub fn parse(text: &str, endpoint: Endpoint) -> (Option<EntraUrl>, Vec<Finding>) {
    let field = endpoint.field();
    let mut findings = Vec::new();
    let finding = |severity, code: &str, message: String, fix: &str| {
        Finding::new(field, severity, code, message)
            .with_fix(fix)
            .with_guide_step(STEP)
    };
    if text.trim() != text {
        findings.push(finding(
            Severity::Error,
            "entra.whitespace",
            format!("the {field} has spaces before or after it"),
            "remove them",
        ));
    }
    let text = text.trim();
    if text.is_empty() {
        findings.push(finding(
            Severity::Error,
            "entra.missing",
            format!("the {field} is empty"),
            "copy it from the app registration's Endpoints dialog",
        ));
        return (None, findings);
    }
    let Ok(url) = Url::parse(text) else {
        findings.push(finding(
            Severity::Error,
            "entra.invalid",
            format!("the {field} is not a web address (it starts with https://)"),
            "copy it from the app registration's Endpoints dialog",
        ));
        return (None, findings);
    };
    let loopback = url.host_str().is_some_and(crate::dynamics_url::is_loopback);
    if loopback {
        findings.push(Finding::new(
            field,
            Severity::Info,
            "entra.loopback",
            "this address is on this computer: the Dynbridge simulator stands in for Microsoft Entra ID",
        ));
    } else if url.scheme() != "https" {
        findings.push(finding(
            Severity::Error,
            "entra.not_https",
            "Entra ID endpoints use https".into(),
            "write https://",
        ));
    }
    if !loopback && !url.host_str().is_some_and(super::trust::is_entra_host) {
        findings.push(finding(
            Severity::Error,
            "entra.host",
            format!(
                "{} is not an Entra ID sign-in host such as {AUTHORITY}, so Dynbridge will not send the client secret there",
                url.host_str().unwrap_or("the URL's host")
            ),
            "copy the endpoint shown in the app registration's Endpoints dialog",
        ));
    }
    let segments: Vec<&str> = url
        .path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    let (tenant, rest) = match segments.split_first() {
        Some((tenant, rest)) => (*tenant, rest),
        None => {
            findings.push(finding(
                Severity::Error,
                "entra.tenant_missing",
                "the URL lacks your directory (tenant) ID after the host name".into(),
                "copy the URL from the app registration's Endpoints dialog",
            ));
            return (None, findings);
        }
    };
    let (version, leaf) = match rest {
        ["oauth2", leaf] => (OAuthVersion::V1, *leaf),
        ["oauth2", "v2.0", leaf] => (OAuthVersion::V2, *leaf),
        _ => {
            findings.push(finding(
                Severity::Error,
                "entra.path",
                format!(
                    "this is not an Entra ID sign-in address: after the host comes <tenant>/oauth2/{}",
                    endpoint.leaf()
                ),
                &format!(
                    "use https://{AUTHORITY}/<tenant>/oauth2/{}",
                    endpoint.leaf()
                ),
            ));
            return (None, findings);
        }
    };
    if leaf != endpoint.leaf() {
        findings.push(finding(
            Severity::Error,
            "entra.wrong_endpoint",
            format!(
                "this is the {leaf} address; the {field} is the {} address",
                endpoint.leaf()
            ),
            "the Authorization URL ends in /authorize, the Token URL in /token",
        ));
    }
    if version == OAuthVersion::V2 {
        findings.push(finding(
            Severity::Error,
            "entra.v2",
            "this is a v2.0 address; Bright Pattern's Dynamics integration signs in with the v1 addresses"
                .into(),
            &format!(
                "copy \"OAuth 2.0 {} endpoint (v1)\" instead",
                if endpoint == Endpoint::Authorize {
                    "authorization"
                } else {
                    "token"
                }
            ),
        ));
    }
    if matches!(tenant, "common" | "organizations" | "consumers") {
        findings.push(finding(Severity::Warning, "entra.multitenant", format!("{tenant:?} stands where your directory (tenant) ID belongs; an app registered for your organization only signs in with that ID"), "use the URL from the Endpoints dialog, which carries your tenant ID"));
    } else if Guid::parse_lenient(tenant).is_err() && !tenant.contains('.') {
        findings.push(finding(
            Severity::Error,
            "entra.tenant",
            format!("{tenant:?} is neither a directory (tenant) ID nor a domain such as contoso.onmicrosoft.com"),
            "copy the URL from the app registration's Endpoints dialog",
        ));
    }
    (
        Some(EntraUrl {
            origin: url.origin().ascii_serialization(),
            tenant: tenant.to_owned(),
            version,
            endpoint,
        }),
        findings,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    fn codes(text: &str, endpoint: Endpoint) -> Vec<String> {
        parse(text, endpoint)
            .1
            .into_iter()
            .map(|f| f.code)
            .collect()
    }

    #[test]
    fn v1_urls_are_clean_and_derive_each_other() {
        let authorize = format!("https://login.microsoftonline.com/{TENANT}/oauth2/authorize");
        let (url, findings) = parse(&authorize, Endpoint::Authorize);
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(
            url.unwrap().url(Endpoint::Token),
            format!("https://login.microsoftonline.com/{TENANT}/oauth2/token")
        );
        assert!(codes(
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/token",
            Endpoint::Token
        )
        .is_empty());
    }

    #[test]
    fn every_code() {
        let cases = [
            (
                format!(" https://login.microsoftonline.com/{TENANT}/oauth2/token"),
                Endpoint::Token,
                "entra.whitespace",
            ),
            (String::new(), Endpoint::Token, "entra.missing"),
            (
                "login.microsoftonline.com".into(),
                Endpoint::Token,
                "entra.invalid",
            ),
            (
                format!("http://login.microsoftonline.com/{TENANT}/oauth2/token"),
                Endpoint::Token,
                "entra.not_https",
            ),
            (
                format!("https://example.com/{TENANT}/oauth2/token"),
                Endpoint::Token,
                "entra.host",
            ),
            (
                "https://login.microsoftonline.com/".into(),
                Endpoint::Token,
                "entra.tenant_missing",
            ),
            (
                format!("https://login.microsoftonline.com/{TENANT}/token"),
                Endpoint::Token,
                "entra.path",
            ),
            (
                format!("https://login.microsoftonline.com/{TENANT}/oauth2/authorize"),
                Endpoint::Token,
                "entra.wrong_endpoint",
            ),
            (
                format!("https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token"),
                Endpoint::Token,
                "entra.v2",
            ),
            (
                "https://login.microsoftonline.com/common/oauth2/authorize".into(),
                Endpoint::Authorize,
                "entra.multitenant",
            ),
            (
                "https://login.microsoftonline.com/contoso/oauth2/authorize".into(),
                Endpoint::Authorize,
                "entra.tenant",
            ),
        ];
        for (text, endpoint, code) in cases {
            assert!(
                codes(&text, endpoint).iter().any(|c| c == code),
                "{text:?}: expected {code}, got {:?}",
                codes(&text, endpoint)
            );
        }
    }
}
