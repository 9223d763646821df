//! Dynamics 365 organization URLs: the org URL agents use, and what can be derived
//! from it (the host for `crmDomain`, record URLs).

use url::Url;

use crate::findings::{Finding, Severity};

/// Host suffixes of Dynamics 365 organizations: the commercial regions
/// (`crm.dynamics.com`, `crm2…crm21.dynamics.com`) and the sovereign clouds (domain.md §1).
pub const DYNAMICS_SUFFIXES: &[&str] = &[
    ".dynamics.com",
    ".microsoftdynamics.us",
    ".dynamics.cn",
    ".appsplatform.us",
    ".microsoftdynamics.de",
];

/// A Dynamics organization, reduced to its origin (`https://org.crm.dynamics.com`).
/// A loopback origin (`http://127.0.0.1:<port>`, the simulator) is accepted as well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgUrl {
    host: String,
    origin: String,
}

/// Whether `host` is a Dynamics 365 organization's host.
pub fn is_dynamics_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    DYNAMICS_SUFFIXES
        .iter()
        .any(|suffix| host.ends_with(suffix))
}

/// Hosts of this machine, where only the simulator or a test server can be.
pub fn is_loopback(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

impl OrgUrl {
    /// Parses an org URL, a bare host, or an API URL such as
    /// `https://org.crm.dynamics.com/api/data/v9.2` (the path is dropped), with the
    /// findings about it; `None` when it is unusable. `field` names the field.
    pub fn parse(text: &str, field: &str) -> (Option<Self>, Vec<Finding>) {
        match Self::parse_strict(text, field) {
            Ok((org, findings)) => (Some(org), findings),
            Err(finding) => (None, vec![*finding]),
        }
    }

    fn parse_strict(text: &str, field: &str) -> Result<(Self, Vec<Finding>), Box<Finding>> {
        let trimmed = text.trim();
        let invalid = |message: String| {
            Box::new(
                Finding::new(field, Severity::Error, "org_url.invalid", message)
                    .with_fix("paste the address of your Dynamics 365 organization, e.g. https://contoso.crm.dynamics.com"),
            )
        };
        if trimmed.is_empty() {
            return Err(invalid("the Dynamics organization URL is empty".into()));
        }
        let with_scheme = if trimmed.contains("://") {
            trimmed.to_owned()
        } else {
            format!("https://{trimmed}")
        };
        let url = Url::parse(&with_scheme)
            .map_err(|e| invalid(format!("{trimmed:?} is not a URL: {e}")))?;
        let loopback = url.host_str().is_some_and(is_loopback);
        if url.scheme() != "https" && !loopback {
            return Err(Box::new(
                Finding::new(
                    field,
                    Severity::Error,
                    "org_url.not_https",
                    format!("{trimmed:?} does not use https"),
                )
                .with_fix("Dynamics 365 is served over https: write https://"),
            ));
        }
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| invalid(format!("{trimmed:?} has no host name")))?
            .to_ascii_lowercase();
        let mut findings = Vec::new();
        if loopback {
            findings.push(Finding::new(field, Severity::Info, "org_url.loopback", format!("{host} is this computer: the Dynbridge simulator or a test server, not Dynamics 365")));
            let origin = url.origin().ascii_serialization();
            return Ok((Self { host, origin }, findings));
        }
        if !is_dynamics_host(&host) {
            findings.push(
                Finding::new(
                    field,
                    Severity::Warning,
                    "org_url.not_dynamics",
                    format!("{host} is not a Dynamics 365 host (such as <org>.crm.dynamics.com)"),
                )
                .with_fix("check that this is the address agents open Dynamics at"),
            );
        }
        let origin = format!("https://{host}");
        Ok((Self { host, origin }, findings))
    }

    /// The organization's host, e.g. `org.crm.dynamics.com`.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// `https://<host>` (or the loopback origin with its port).
    pub fn origin(&self) -> String {
        self.origin.clone()
    }

    /// The URL that opens one record in a model-driven app:
    /// `main.aspx?appid=…&pagetype=entityrecord&etn=<logical name>&id=<guid>`.
    pub fn record_url(
        &self,
        logical_name: &str,
        id: crate::guid::Guid,
        app_id: Option<crate::guid::Guid>,
    ) -> String {
        let app = app_id
            .map(|app| format!("appid={app}&"))
            .unwrap_or_default();
        format!(
            "{}/main.aspx?{app}pagetype=entityrecord&etn={logical_name}&id={id}",
            self.origin()
        )
    }
}

/// Reads the ID of a model-driven app (the `appid=` of its address), with findings.
pub fn parse_app_id(text: &str) -> (Option<crate::guid::Guid>, Vec<Finding>) {
    match text.trim().parse() {
        Ok(id) => (Some(id), Vec::new()),
        Err(error) => (
            None,
            vec![Finding::new("App ID", Severity::Error, "app_id.not_guid", format!("the app ID is not a GUID: {error}"))
                .with_fix("copy the appid= value from the address bar of your Dynamics app, or leave it empty")],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_org_urls_bare_hosts_and_api_urls() {
        for text in [
            "https://contoso.crm.dynamics.com",
            "contoso.crm.dynamics.com/",
            " https://Contoso.crm.dynamics.com/api/data/v9.2 ",
        ] {
            let (org, findings) = OrgUrl::parse(text, "Org");
            assert_eq!(
                org.unwrap().origin(),
                "https://contoso.crm.dynamics.com",
                "{text}"
            );
            assert!(findings.is_empty());
        }
    }

    #[test]
    fn rejects_http_and_warns_on_foreign_hosts() {
        let (org, findings) = OrgUrl::parse("http://contoso.crm.dynamics.com", "Org");
        assert_eq!(
            (org, findings[0].code.as_str()),
            (None, "org_url.not_https")
        );
        assert_eq!(OrgUrl::parse("", "Org").1[0].code, "org_url.invalid");
        let (org, findings) = OrgUrl::parse("https://example.com", "Org");
        assert!(org.is_some());
        assert_eq!(findings[0].code, "org_url.not_dynamics");
        assert!(
            OrgUrl::parse("https://contoso.crm.microsoftdynamics.us", "Org")
                .1
                .is_empty()
        );
    }

    #[test]
    fn record_url_uses_etn_and_optional_appid() {
        let org = OrgUrl::parse("https://contoso.crm4.dynamics.com", "Org")
            .0
            .unwrap();
        let id = "3f2504e0-4f89-41d3-9a0c-0305e82c3301".parse().unwrap();
        assert_eq!(
            org.record_url("incident", id, None),
            "https://contoso.crm4.dynamics.com/main.aspx?pagetype=entityrecord&etn=incident&id=3f2504e0-4f89-41d3-9a0c-0305e82c3301"
        );
        let app = "11111111-2222-3333-4444-555555555555".parse().unwrap();
        assert!(org
            .record_url("contact", id, Some(app))
            .contains("main.aspx?appid=11111111-2222-3333-4444-555555555555&pagetype=entityrecord&etn=contact&id="));
    }
}
