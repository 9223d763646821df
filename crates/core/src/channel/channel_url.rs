//! The CIF Channel URL, `https://<tenant host>/agentdesktop/MicrosoftD365.jsp?crmDomain=<org host>`:
//! built from the tenant and the Dynamics org, and checked when pasted, because a wrong
//! tenant or CRM domain is why the Agent Desktop does not show (Section B, step 3).

use serde::Serialize;
use ts_rs::TS;
use url::Url;

use super::tenant::Tenant;
use crate::dynamics_url::OrgUrl;
use crate::findings::{Finding, Severity};

pub const FIELD: &str = "Channel URL";
pub const PATH: &str = "/agentdesktop/MicrosoftD365.jsp";
const STEP: &str = "Section B, step 3";

/// The Channel URL for a tenant and a Dynamics org.
pub fn build(tenant: &Tenant, org: &OrgUrl) -> String {
    format!("{}{PATH}?crmDomain={}", tenant.origin(), org.host())
}

/// What a pasted Channel URL holds, as far as it could be read, and its findings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct ChannelUrlCheck {
    pub tenant_host: Option<String>,
    pub crm_domain: Option<String>,
    pub findings: Vec<Finding>,
}

fn finding(severity: Severity, code: &str, message: String, fix: &str) -> Finding {
    Finding::new(FIELD, severity, code, message)
        .with_fix(fix)
        .with_guide_step(STEP)
}

/// Checks a Channel URL; with `org`, also that `crmDomain` is that org's host.
pub fn check(text: &str, org: Option<&OrgUrl>) -> ChannelUrlCheck {
    let mut parsed = ChannelUrlCheck::default();
    let mut findings = read(text, org, &mut parsed);
    // With the tenant read and the org known, the right URL is known: offer it.
    if let (Some(tenant_host), Some(org)) = (&parsed.tenant_host, org) {
        let corrected = format!("https://{tenant_host}{PATH}?crmDomain={}", org.host());
        if corrected != text {
            for finding in findings.iter_mut().filter(|f| f.is_error()) {
                finding.replacement = Some(corrected.clone());
            }
        }
    }
    ChannelUrlCheck { findings, ..parsed }
}

fn read(text: &str, org: Option<&OrgUrl>, parsed: &mut ChannelUrlCheck) -> Vec<Finding> {
    let mut findings = Vec::new();
    if text.trim().is_empty() {
        findings.push(finding(
            Severity::Error,
            "channel_url.empty",
            "the Channel URL is empty".into(),
            "build it from your tenant and Dynamics URL",
        ));
        return findings;
    }
    if text.contains(char::is_whitespace) {
        findings.push(finding(
            Severity::Error,
            "channel_url.whitespace",
            "the Channel URL contains spaces or line breaks".into(),
            "remove them; copy the URL again",
        ));
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let url = match Url::parse(&compact) {
        Ok(url) => url,
        Err(e) => {
            findings.push(finding(Severity::Error, "channel_url.invalid", format!("not a URL: {e}"), "write https://<tenant>.brightpattern.com/agentdesktop/MicrosoftD365.jsp?crmDomain=<org>.crm.dynamics.com"));
            return findings;
        }
    };
    if url.scheme() != "https" {
        findings.push(finding(
            Severity::Error,
            "channel_url.not_https",
            format!(
                "the Channel URL uses {}: Dynamics only embeds https pages",
                url.scheme()
            ),
            "write https://",
        ));
    }
    match url.host_str().filter(|h| !h.is_empty()) {
        Some(host) => parsed.tenant_host = Some(host.to_ascii_lowercase()),
        None => findings.push(finding(
            Severity::Error,
            "channel_url.tenant_missing",
            "the Channel URL names no Bright Pattern tenant".into(),
            "start with https://<tenant>.brightpattern.com",
        )),
    }
    if url.path() != PATH {
        if url.path().eq_ignore_ascii_case(PATH) {
            findings.push(finding(
                Severity::Error,
                "channel_url.page_case",
                format!("the page is {:?}; its name is case-sensitive", url.path()),
                "write /agentdesktop/MicrosoftD365.jsp",
            ));
        } else {
            findings.push(finding(
                Severity::Error,
                "channel_url.path",
                format!("the path is {:?}, not the Agent Desktop page", url.path()),
                "write /agentdesktop/MicrosoftD365.jsp",
            ));
        }
    }
    let raw_query = url.query().unwrap_or_default();
    if raw_query.contains('%') || raw_query.contains('+') {
        findings.push(finding(
            Severity::Error,
            "channel_url.encoding",
            "the query is URL-encoded (%xx or +)".into(),
            "write crmDomain=<org>.crm.dynamics.com as plain text",
        ));
    }
    let mut crm_domain = None;
    for (key, value) in url.query_pairs() {
        if key.eq_ignore_ascii_case("crmDomain") {
            if key != "crmDomain" {
                findings.push(finding(
                    Severity::Error,
                    "channel_url.crm_domain_case",
                    format!("the parameter is {key:?}; it is written crmDomain"),
                    "write crmDomain=",
                ));
            }
            crm_domain = Some(value.into_owned());
        } else {
            findings.push(finding(
                Severity::Warning,
                "channel_url.extra_param",
                format!("unexpected parameter {key:?}"),
                "remove it unless Bright Pattern support asked for it",
            ));
        }
    }
    let Some(domain) = crm_domain.filter(|d| !d.is_empty()) else {
        findings.push(finding(
            Severity::Error,
            "channel_url.crm_domain_missing",
            "crmDomain is missing: the Agent Desktop cannot tell which Dynamics org embeds it"
                .into(),
            "append ?crmDomain=<org>.crm.dynamics.com",
        ));
        return findings;
    };
    let mut host = domain.as_str();
    if let Some((scheme, rest)) = host.split_once("://") {
        findings.push(finding(
            Severity::Error,
            "channel_url.crm_domain_scheme",
            format!("crmDomain carries {scheme}://; it must be the host alone"),
            "remove the scheme: crmDomain=<org>.crm.dynamics.com",
        ));
        host = rest;
    }
    if let Some((bare, path)) = host.split_once('/') {
        if !path.is_empty() || host.ends_with('/') {
            findings.push(finding(
                Severity::Error,
                "channel_url.crm_domain_path",
                format!(
                    "crmDomain carries a path ({:?}); it must be the host alone",
                    &host[bare.len()..]
                ),
                "remove everything after the host",
            ));
        }
        host = bare;
    }
    let host = host.to_ascii_lowercase();
    let (domain_org, domain_findings) = OrgUrl::parse(&host, FIELD);
    if domain_org.is_none()
        || domain_findings
            .iter()
            .any(|f| f.code == "org_url.not_dynamics")
    {
        findings.push(finding(
            Severity::Warning,
            "channel_url.crm_domain_not_dynamics",
            format!("crmDomain {host:?} is not a Dynamics 365 host"),
            "use the host of the Dynamics address agents open, e.g. contoso.crm.dynamics.com",
        ));
    }
    if let Some(org) = org {
        if org.host() != host {
            findings.push(finding(
                Severity::Error,
                "channel_url.crm_domain_mismatch",
                format!(
                    "crmDomain is {host:?} but the Dynamics URL is {}",
                    org.host()
                ),
                &format!("write crmDomain={}", org.host()),
            ));
        }
    }
    parsed.crm_domain = Some(host);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Tenant names as admins have them: a letter first, no "--" in positions 3 and 4
    /// (reserved for IDNA's `xn--`, which host parsing rightly refuses).
    const TENANT: &str = "[a-z]([a-z0-9]{2}[a-z0-9-]{0,18})?[a-z0-9]";

    proptest! {
        #[test]
        fn check_never_panics(text in "\\PC{0,120}") {
            let _ = check(&text, Some(&org()));
        }

        #[test]
        fn built_urls_check_clean_and_parse_back(tenant in TENANT, org_name in "[a-z][a-z0-9]{0,15}", region in prop::sample::select(vec!["crm", "crm4", "crm11"])) {
            let tenant = Tenant::parse(&tenant).0.unwrap();
            let org = OrgUrl::parse(&format!("https://{org_name}.{region}.dynamics.com"), "Dynamics URL").0.unwrap();
            let url = build(&tenant, &org);
            let parsed = check(&url, Some(&org));
            prop_assert!(parsed.findings.is_empty(), "{} -> {:?}", url, parsed.findings);
            prop_assert_eq!(parsed.tenant_host.as_deref(), Some(tenant.host()));
            prop_assert_eq!(parsed.crm_domain.as_deref(), Some(org.host()));
        }
    }

    const GOOD: &str = "https://example.brightpattern.com/agentdesktop/MicrosoftD365.jsp?crmDomain=contoso.crm.dynamics.com";

    fn org() -> OrgUrl {
        OrgUrl::parse("https://contoso.crm.dynamics.com", "Dynamics URL")
            .0
            .unwrap()
    }

    fn codes(text: &str) -> Vec<String> {
        check(text, Some(&org()))
            .findings
            .into_iter()
            .map(|f| f.code)
            .collect()
    }

    #[test]
    fn builds_the_guides_form_and_checks_clean() {
        let tenant = Tenant::parse("example").0.unwrap();
        assert_eq!(build(&tenant, &org()), GOOD);
        let parsed = check(GOOD, Some(&org()));
        assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
        assert_eq!(
            parsed.tenant_host.as_deref(),
            Some("example.brightpattern.com")
        );
        assert_eq!(
            parsed.crm_domain.as_deref(),
            Some("contoso.crm.dynamics.com")
        );
    }

    #[test]
    fn every_code() {
        let cases = [
            ("", "channel_url.empty"),
            (" https://example.brightpattern.com/agentdesktop/MicrosoftD365.jsp?crmDomain=contoso.crm.dynamics.com", "channel_url.whitespace"),
            ("example.brightpattern.com/agentdesktop", "channel_url.invalid"),
            ("http://example.brightpattern.com/agentdesktop/MicrosoftD365.jsp?crmDomain=contoso.crm.dynamics.com", "channel_url.not_https"),
            ("https://example.brightpattern.com/agentdesktop/microsoftd365.jsp?crmDomain=contoso.crm.dynamics.com", "channel_url.page_case"),
            ("https://example.brightpattern.com/admin?crmDomain=contoso.crm.dynamics.com", "channel_url.path"),
            ("https://example.brightpattern.com/agentdesktop/MicrosoftD365.jsp", "channel_url.crm_domain_missing"),
            ("https://example.brightpattern.com/agentdesktop/MicrosoftD365.jsp?crmDomain=https://contoso.crm.dynamics.com", "channel_url.crm_domain_scheme"),
            ("https://example.brightpattern.com/agentdesktop/MicrosoftD365.jsp?crmDomain=contoso.crm.dynamics.com/main.aspx", "channel_url.crm_domain_path"),
            ("https://example.brightpattern.com/agentdesktop/MicrosoftD365.jsp?crmDomain=https%3A%2F%2Fcontoso.crm.dynamics.com", "channel_url.encoding"),
            ("https://example.brightpattern.com/agentdesktop/MicrosoftD365.jsp?crmdomain=contoso.crm.dynamics.com", "channel_url.crm_domain_case"),
            ("https://example.brightpattern.com/agentdesktop/MicrosoftD365.jsp?crmDomain=fabrikam.crm.dynamics.com", "channel_url.crm_domain_mismatch"),
            ("https://example.brightpattern.com/agentdesktop/MicrosoftD365.jsp?crmDomain=intranet.local", "channel_url.crm_domain_not_dynamics"),
            ("https://example.brightpattern.com/agentdesktop/MicrosoftD365.jsp?crmDomain=contoso.crm.dynamics.com&x=1", "channel_url.extra_param"),
        ];
        for (text, code) in cases {
            assert!(
                codes(text).iter().any(|c| c == code),
                "{text:?}: expected {code}, got {:?}",
                codes(text)
            );
        }
    }

    #[test]
    fn a_wrong_channel_url_offers_the_corrected_one() {
        let org = OrgUrl::parse("https://contoso.crm.dynamics.com", "Dynamics URL").0;
        let wrong = GOOD
            .replace("contoso", "fabrikam")
            .replace("https:", "http:");
        let checked = check(&wrong, org.as_ref());
        assert!(!checked.findings.is_empty());
        for finding in checked.findings.iter().filter(|f| f.is_error()) {
            assert_eq!(
                finding.replacement.as_deref(),
                Some(GOOD),
                "{}",
                finding.code
            );
        }
        assert!(check(GOOD, org.as_ref()).findings.is_empty());
    }
}
