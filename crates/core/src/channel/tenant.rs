//! The Bright Pattern tenant, as admins type it: a bare name (`example`), a host
//! (`example.brightpattern.com`), a URL (`https://example.brightpattern.com/admin`) or a
//! custom domain (`cc.example.com`). Everything built from it uses its host.

use url::Url;

use crate::findings::{Finding, Severity};

pub const FIELD: &str = "Bright Pattern tenant";
const BRIGHT_PATTERN_DOMAIN: &str = ".brightpattern.com";

/// A Bright Pattern contact center, by host name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    host: String,
}

impl Tenant {
    /// Reads the tenant as typed, with findings; `None` when unusable.
    pub fn parse(text: &str) -> (Option<Self>, Vec<Finding>) {
        let mut findings = Vec::new();
        let trimmed = text.trim();
        if trimmed.len() != text.len() {
            findings.push(Finding::new(
                FIELD,
                Severity::Warning,
                "tenant.whitespace",
                "spaces around the tenant were ignored",
            ));
        }
        if trimmed.is_empty() {
            findings.push(
                Finding::new(
                    FIELD,
                    Severity::Error,
                    "tenant.missing",
                    "the Bright Pattern tenant is missing",
                )
                .with_fix(
                    "enter your contact center name, e.g. example for example.brightpattern.com",
                )
                .with_guide_step("Section B, step 3"),
            );
            return (None, findings);
        }
        let candidate = if trimmed.contains("://") {
            trimmed.to_owned()
        } else {
            format!("https://{trimmed}")
        };
        let host = match Url::parse(&candidate) {
            Ok(url) if url.scheme() == "http" || url.scheme() == "https" => {
                if url.scheme() == "http" {
                    findings.push(Finding::new(
                        FIELD,
                        Severity::Warning,
                        "tenant.http",
                        "Bright Pattern is reached over https; http was replaced",
                    ));
                }
                url.host_str().map(str::to_ascii_lowercase)
            }
            _ => None,
        };
        let Some(host) = host.filter(|h| !h.is_empty() && !h.contains(char::is_whitespace)) else {
            findings.push(
                Finding::new(
                    FIELD,
                    Severity::Error,
                    "tenant.invalid",
                    format!("{trimmed:?} is not a tenant name or host"),
                )
                .with_fix(
                    "enter a name such as example, or a host such as example.brightpattern.com",
                ),
            );
            return (None, findings);
        };
        let host = if host.contains('.') {
            host
        } else {
            format!("{host}{BRIGHT_PATTERN_DOMAIN}")
        };
        if !host.ends_with(BRIGHT_PATTERN_DOMAIN) {
            findings.push(Finding::new(
                FIELD,
                Severity::Info,
                "tenant.custom_domain",
                format!("{host} is a custom domain; the Trusted Domain is set to it"),
            ));
        }
        (Some(Self { host }), findings)
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    /// `https://<host>`, the origin of the Agent Desktop (CIF's Trusted Domain).
    pub fn origin(&self) -> String {
        format!("https://{}", self.host)
    }

    /// The redirect URI to register for the Entra ID app (platform Web), Section A step 1.4.
    pub fn redirect_uri(&self) -> String {
        format!("{}/admin/msdynamicscallback.html", self.origin())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_of_tenant_gives_its_host() {
        for text in [
            "example",
            "example.brightpattern.com",
            "https://example.brightpattern.com/admin",
            " Example ",
        ] {
            let (tenant, _) = Tenant::parse(text);
            assert_eq!(
                tenant.unwrap().host(),
                "example.brightpattern.com",
                "{text}"
            );
        }
        let (tenant, findings) = Tenant::parse("cc.contoso.com");
        assert_eq!(tenant.unwrap().host(), "cc.contoso.com");
        assert_eq!(findings[0].code, "tenant.custom_domain");
    }

    #[test]
    fn redirect_uri_is_the_admin_callback() {
        let tenant = Tenant::parse("example").0.unwrap();
        assert_eq!(
            tenant.redirect_uri(),
            "https://example.brightpattern.com/admin/msdynamicscallback.html"
        );
    }

    #[test]
    fn empty_and_broken_tenants_are_errors() {
        assert_eq!(Tenant::parse("  ").1.last().unwrap().code, "tenant.missing");
        assert_eq!(
            Tenant::parse("exa mple").1.last().unwrap().code,
            "tenant.invalid"
        );
        assert_eq!(Tenant::parse("http://example").1[0].code, "tenant.http");
    }
}
