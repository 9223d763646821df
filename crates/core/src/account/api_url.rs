//! The Dataverse Web API URL of an integration account:
//! `https://<org>.crm<N>.dynamics.com/api/data/v9.x` (or a sovereign cloud's host).

use url::Url;

use crate::dynamics_url::OrgUrl;
use crate::findings::{Finding, Severity};

pub const FIELD: &str = "API URL";
const STEP: &str = "Reference: How to Add an Integration Account, API URL";
const VERSIONS: &[&str] = &["v9.0", "v9.1", "v9.2"];

/// Checks the API URL; returns the org it belongs to when usable.
pub fn check(text: &str) -> (Option<OrgUrl>, Vec<Finding>) {
    let mut findings = Vec::new();
    let finding = |severity, code: &str, message: String, fix: &str| {
        Finding::new(FIELD, severity, code, message)
            .with_fix(fix)
            .with_guide_step(STEP)
    };
    if text.trim() != text {
        findings.push(finding(
            Severity::Error,
            "api_url.whitespace",
            "the API URL has spaces before or after it".into(),
            "remove them",
        ));
    }
    let (org, mut org_findings) = OrgUrl::parse(text, FIELD);
    findings.append(&mut org_findings);
    let Some(org) = org else {
        return (None, findings);
    };
    let path = Url::parse(text.trim())
        .map(|u| u.path().trim_end_matches('/').to_owned())
        .unwrap_or_default();
    match path.strip_prefix("/api/data/") {
        Some(version) if VERSIONS.contains(&version) => {}
        Some(version) => findings.push(
            finding(
                Severity::Error,
                "api_url.version",
                format!("Dynamics 365 has no Web API version {version:?}; it offers v9.0, v9.1 and v9.2"),
                "end the URL with /api/data/v9.0",
            )
            .with_replacement(web_api(&org)),
        ),
        None if path.is_empty() => findings.push(
            finding(
                Severity::Error,
                "api_url.path",
                "this is your organization's address; the API URL adds /api/data/v9.0 to it".into(),
                &format!("use {}", web_api(&org)),
            )
            .with_replacement(web_api(&org)),
        ),
        None => findings.push(
            finding(
                Severity::Error,
                "api_url.path",
                format!("the API URL must end in /api/data/v9.0, not {path}"),
                &format!("use {}", web_api(&org)),
            )
            .with_replacement(web_api(&org)),
        ),
    }
    (Some(org), findings)
}

/// The Web API URL on the organization's own host.
fn web_api(org: &OrgUrl) -> String {
    format!("{}/api/data/v9.0", org.origin())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<String> {
        check(text).1.into_iter().map(|f| f.code).collect()
    }

    #[test]
    fn regional_and_sovereign_api_urls_are_clean() {
        for text in [
            "https://contoso.crm.dynamics.com/api/data/v9.0",
            "https://contoso.crm4.dynamics.com/api/data/v9.2/",
            "https://contoso.crm.microsoftdynamics.us/api/data/v9.1",
            "https://contoso.crm.dynamics.cn/api/data/v9.0",
        ] {
            assert!(codes(text).is_empty(), "{text}: {:?}", codes(text));
        }
        assert_eq!(
            check("https://contoso.crm.dynamics.com/api/data/v9.0")
                .0
                .unwrap()
                .host(),
            "contoso.crm.dynamics.com"
        );
    }

    #[test]
    fn wrong_paths_versions_and_hosts() {
        assert!(codes("https://contoso.crm.dynamics.com").contains(&"api_url.path".into()));
        assert!(codes("https://contoso.crm.dynamics.com/api/data/v8.2")
            .contains(&"api_url.version".into()));
        assert!(codes("https://example.com/api/data/v9.0").contains(&"org_url.not_dynamics".into()));
        assert!(codes("http://contoso.crm.dynamics.com/api/data/v9.0")
            .contains(&"org_url.not_https".into()));
        assert!(codes(" https://contoso.crm.dynamics.com/api/data/v9.0")
            .contains(&"api_url.whitespace".into()));
    }

    #[test]
    fn the_org_address_offers_the_api_url_on_its_own_host() {
        for text in [
            "https://contoso.crm4.dynamics.com",
            "https://contoso.crm4.dynamics.com/main.aspx",
            "https://contoso.crm4.dynamics.com/api/data/v8.2",
        ] {
            let findings = check(text).1;
            assert_eq!(
                findings[0].replacement.as_deref(),
                Some("https://contoso.crm4.dynamics.com/api/data/v9.0"),
                "{text}"
            );
            assert!(
                !findings[0].message.contains("\"\""),
                "{text}: {}",
                findings[0].message
            );
        }
    }
}
