//! The CIF v1.0 channel provider that embeds Bright Pattern's Agent Desktop in
//! Dynamics 365 (Section B, step 3): the form's values built and checked, the
//! `msdyn_ciprovider` record body, and the checklist of the manual steps left.

pub mod channel_url;
pub mod tenant;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dynamics_url::OrgUrl;
use crate::findings::{Finding, Severity};
use crate::guid::Guid;
pub use tenant::Tenant;

const STEP: &str = "Section B, step 3";

/// CIF's API Version option set (`msdyn_ciproviderapiversion`): 0 is "1.0", 1 is "2.0".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum ApiVersion {
    #[serde(rename = "1.0")]
    V1,
    #[serde(rename = "2.0")]
    V2,
}

impl ApiVersion {
    fn option_value(self) -> u8 {
        match self {
            ApiVersion::V1 => 0,
            ApiVersion::V2 => 1,
        }
    }

    fn label(self) -> &'static str {
        match self {
            ApiVersion::V1 => "1.0",
            ApiVersion::V2 => "2.0",
        }
    }
}

/// What the admin fills in; saved as it is (no secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChannelInputs {
    /// The Bright Pattern tenant: name, host, URL or custom domain.
    pub tenant: String,
    /// The Dynamics URL agents use (or the account's API URL).
    pub org: String,
    pub name: String,
    pub label: String,
    pub outbound: bool,
    pub order: i32,
    pub api_version: ApiVersion,
    /// App module IDs of the Unified Interface apps that show the Agent Desktop.
    pub apps: Vec<String>,
    /// Security role IDs that see the channel; none means administrators only.
    pub roles: Vec<String>,
}

impl Default for ChannelInputs {
    fn default() -> Self {
        Self {
            tenant: String::new(),
            org: String::new(),
            name: "Bright Pattern".into(),
            label: "Bright Pattern Agent Desktop".into(),
            outbound: true,
            order: 0,
            api_version: ApiVersion::V1,
            apps: Vec::new(),
            roles: Vec::new(),
        }
    }
}

/// One value of the CIF "New Channel Provider" form, in the form's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FormValue {
    pub label: String,
    pub value: String,
}

/// The channel provider built from the inputs, with every finding about it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ChannelBuild {
    pub channel_url: Option<String>,
    pub trusted_domain: Option<String>,
    /// The redirect URI of the Entra ID app registration (Section A, step 1.4).
    pub redirect_uri: Option<String>,
    pub form: Vec<FormValue>,
    /// The `msdyn_ciprovider` record body for the Web API; `None` while there are errors.
    #[ts(type = "Record<string, unknown> | null")]
    pub record: Option<serde_json::Value>,
    pub checklist: String,
    pub findings: Vec<Finding>,
}

/// Builds and checks the channel provider.
pub fn build(inputs: &ChannelInputs) -> ChannelBuild {
    let (tenant, mut findings) = Tenant::parse(&inputs.tenant);
    let org = if inputs.org.trim().is_empty() {
        findings.push(
            Finding::new(
                "Dynamics URL",
                Severity::Error,
                "org_url.missing",
                "the Dynamics URL is missing",
            )
            .with_fix(
                "paste the address agents open Dynamics at, e.g. https://contoso.crm.dynamics.com",
            )
            .with_guide_step(STEP),
        );
        None
    } else {
        let (org, more) = OrgUrl::parse(&inputs.org, "Dynamics URL");
        findings.extend(more);
        org
    };
    check_form(inputs, &mut findings);
    let channel_url = tenant
        .as_ref()
        .zip(org.as_ref())
        .map(|(t, o)| channel_url::build(t, o));
    let trusted_domain = tenant.as_ref().map(Tenant::origin);
    let apps = guid_list(&inputs.apps, "Unified Interface apps", &mut findings);
    let roles = guid_list(&inputs.roles, "Roles", &mut findings);
    let form = form_values(inputs, channel_url.as_deref(), trusted_domain.as_deref());
    let record = (!crate::findings::has_errors(&findings)).then(|| {
        serde_json::json!({
            "msdyn_name": inputs.name.trim(),
            "msdyn_label": inputs.label.trim(),
            "msdyn_landingurl": channel_url,
            "msdyn_clicktoact": inputs.outbound,
            "msdyn_sortorder": inputs.order,
            "msdyn_ciproviderapiversion": inputs.api_version.option_value(),
            "msdyn_trusteddomain": trusted_domain,
            // UNVERIFIED (domain.md §4): the delimiter of the app selector; the CIF
            // runtime matches with contains(), so ';'-separated IDs are found.
            "msdyn_appselector": join_ids(&apps),
            "msdyn_roleselector": join_ids(&roles),
            "msdyn_enableanalytics": false,
        })
    });
    ChannelBuild {
        checklist: checklist(inputs, &form),
        redirect_uri: tenant.as_ref().map(Tenant::redirect_uri),
        channel_url,
        trusted_domain,
        form,
        record,
        findings,
    }
}

/// `msdyn_name`'s and `msdyn_label`'s maximum length and `msdyn_sortorder`'s range in
/// the `msdyn_ciprovider` table (domain.md §3; learn.microsoft.com dynamics365
/// developer/reference/entities/msdyn_ciprovider); Dataverse refuses values outside them.
const TEXT_MAX_CHARS: usize = 100;
const ORDER_MAX: i32 = 1000;

fn check_form(inputs: &ChannelInputs, findings: &mut Vec<Finding>) {
    for (field, value) in [("Name", &inputs.name), ("Label", &inputs.label)] {
        if value.trim().is_empty() {
            findings.push(
                Finding::new(
                    field,
                    Severity::Error,
                    format!("channel.{}_missing", field.to_lowercase()),
                    format!("{field} is required"),
                )
                .with_guide_step(STEP),
            );
        }
    }
    for (field, value, fix) in [
        ("Name", &inputs.name, "shorten the name"),
        (
            "Label",
            &inputs.label,
            "shorten the label: agents see it as the widget's title",
        ),
    ] {
        let length = value.trim().chars().count();
        if length > TEXT_MAX_CHARS {
            findings.push(
                Finding::new(
                    field,
                    Severity::Error,
                    format!("channel.{}_too_long", field.to_lowercase()),
                    format!(
                        "{field} has {length} characters; Dynamics keeps at most {TEXT_MAX_CHARS}"
                    ),
                )
                .with_fix(fix)
                .with_guide_step(STEP),
            );
        }
    }
    if inputs.order < 0 {
        findings.push(
            Finding::new(
                "Channel Order",
                Severity::Error,
                "channel.order_negative",
                "Channel Order starts at 0",
            )
            .with_fix("use 0 for the first channel")
            .with_guide_step(STEP),
        );
    } else if inputs.order > ORDER_MAX {
        findings.push(
            Finding::new(
                "Channel Order",
                Severity::Error,
                "channel.order_too_high",
                format!("Channel Order is at most {ORDER_MAX}"),
            )
            .with_fix("use a smaller number: 0 shows this channel first")
            .with_guide_step(STEP),
        );
    }
    if inputs.api_version == ApiVersion::V2 {
        findings.push(
            Finding::new(
                "API Version",
                Severity::Error,
                "channel.api_version",
                "Bright Pattern's Agent Desktop uses the CIF 1.0 API",
            )
            .with_fix("select API Version 1.0")
            .with_guide_step(STEP),
        );
    }
    if inputs.apps.iter().all(|a| a.trim().is_empty()) {
        findings.push(
            Finding::new("Unified Interface apps", Severity::Warning, "channel.no_apps", "no app is selected: the Agent Desktop shows in none")
                .with_fix("select the apps where agents work (CIF 1.0 works in Unified Interface apps, not in Customer Service workspace)")
                .with_guide_step(STEP),
        );
    }
    if inputs.roles.iter().all(|r| r.trim().is_empty()) {
        findings.push(
            Finding::new("Roles", Severity::Info, "channel.no_roles", "no role is selected: only System Administrators and System Customizers will see the channel")
                .with_fix("select the agents' security roles (they also need Read on Channel Providers)")
                .with_guide_step(STEP),
        );
    }
}

fn guid_list(values: &[String], field: &str, findings: &mut Vec<Finding>) -> Vec<Guid> {
    values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .filter_map(|v| match v.parse() {
            Ok(id) => Some(id),
            Err(error) => {
                findings.push(Finding::new(
                    field,
                    Severity::Error,
                    "channel.id_not_guid",
                    format!("{v:?} is not an ID: {error}"),
                ));
                None
            }
        })
        .collect()
}

fn join_ids(ids: &[Guid]) -> String {
    ids.iter()
        .map(Guid::to_string)
        .collect::<Vec<_>>()
        .join(";")
}

fn form_values(
    inputs: &ChannelInputs,
    channel_url: Option<&str>,
    trusted_domain: Option<&str>,
) -> Vec<FormValue> {
    let value = |label: &str, value: String| FormValue {
        label: label.into(),
        value,
    };
    vec![
        value("Name", inputs.name.trim().into()),
        value("Label", inputs.label.trim().into()),
        value("Channel URL", channel_url.unwrap_or_default().into()),
        value(
            "Enable Outbound Communication",
            if inputs.outbound { "Yes" } else { "No" }.into(),
        ),
        value("Channel Order", inputs.order.to_string()),
        value("API Version", inputs.api_version.label().into()),
        value("Trusted Domain", trusted_domain.unwrap_or_default().into()),
        value(
            "Select Unified Interface Apps for the Channel",
            inputs.apps.join(", "),
        ),
        value("Select the Roles for the Channel", inputs.roles.join(", ")),
    ]
}

/// The manual steps of Section B left to do, as a Markdown checklist with the values.
fn checklist(inputs: &ChannelInputs, form: &[FormValue]) -> String {
    let mut md = String::from("# Bright Pattern Agent Desktop in Dynamics 365: Section B\n\n");
    md.push_str("- [ ] 1. Install the **Channel Integration Framework** app from AppSource (as an admin); wait until *Manage Solutions* shows it.\n");
    md.push_str(
        "- [ ] 2. Install **Bright Pattern Omnichannel Contact Center Solution** from AppSource.\n",
    );
    md.push_str("- [ ] 3. In **Channel Integration Framework > Active Channel Providers**, click **+New** and set:\n");
    for value in form {
        let shown = if value.value.is_empty() {
            "(choose)".into()
        } else {
            format!("`{}`", value.value)
        };
        md.push_str(&format!("  - **{}**: {shown}\n", value.label));
    }
    md.push_str("  - Click **Save and Close**, open one of the apps and sign in to the embedded Agent Desktop.\n");
    md.push_str("  - Agents' browsers must allow third-party cookies, and their roles need Read on Channel Providers.\n");
    if inputs.outbound {
        md.push_str("- [ ] 4. Optional, click-to-call: on every form agents use, give each phone field the **Channel Communication Control** (web, phone, tablet), save and **Publish**.\n");
    } else {
        md.push_str(
            "- [ ] 4. Optional, click-to-call: off (Enable Outbound Communication is No).\n",
        );
    }
    md.push_str("- [ ] 5. Optional: add the `bpattern_` activity history fields to the **Phone Call** and **Messaging Session** forms, save and **Publish all Customizations**.\n");
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> ChannelInputs {
        ChannelInputs {
            tenant: "example".into(),
            org: "https://contoso.crm.dynamics.com".into(),
            apps: vec!["11111111-2222-3333-4444-555555555555".into()],
            roles: vec![
                "{AAAAAAAA-2222-3333-4444-555555555555}".into(),
                "bbbbbbbb-2222-3333-4444-555555555555".into(),
            ],
            ..ChannelInputs::default()
        }
    }

    #[test]
    fn builds_the_record_body_with_documented_columns() {
        let built = build(&inputs());
        assert!(built.findings.is_empty(), "{:?}", built.findings);
        let record = built.record.unwrap();
        assert_eq!(record["msdyn_landingurl"], "https://example.brightpattern.com/agentdesktop/MicrosoftD365.jsp?crmDomain=contoso.crm.dynamics.com");
        assert_eq!(record["msdyn_ciproviderapiversion"], 0);
        assert_eq!(record["msdyn_clicktoact"], true);
        assert_eq!(record["msdyn_sortorder"], 0);
        assert_eq!(
            record["msdyn_trusteddomain"],
            "https://example.brightpattern.com"
        );
        assert_eq!(
            record["msdyn_appselector"],
            "11111111-2222-3333-4444-555555555555"
        );
        assert_eq!(
            record["msdyn_roleselector"],
            "aaaaaaaa-2222-3333-4444-555555555555;bbbbbbbb-2222-3333-4444-555555555555"
        );
        assert_eq!(record["msdyn_enableanalytics"], false);
        assert_eq!(
            built.redirect_uri.as_deref(),
            Some("https://example.brightpattern.com/admin/msdynamicscallback.html")
        );
    }

    #[test]
    fn form_values_follow_the_cif_form_order() {
        let labels: Vec<String> = build(&inputs()).form.into_iter().map(|v| v.label).collect();
        assert_eq!(
            &labels[..6],
            [
                "Name",
                "Label",
                "Channel URL",
                "Enable Outbound Communication",
                "Channel Order",
                "API Version"
            ]
        );
    }

    #[test]
    fn findings_for_each_field_and_no_record_while_errors_remain() {
        let built = build(&ChannelInputs {
            api_version: ApiVersion::V2,
            order: -1,
            name: " ".into(),
            org: String::new(),
            apps: vec![],
            roles: vec!["nope".into()],
            ..inputs()
        });
        let codes: Vec<&str> = built.findings.iter().map(|f| f.code.as_str()).collect();
        for code in [
            "org_url.missing",
            "channel.name_missing",
            "channel.order_negative",
            "channel.api_version",
            "channel.no_apps",
            "channel.id_not_guid",
        ] {
            assert!(codes.contains(&code), "{code} in {codes:?}");
        }
        assert!(built.record.is_none());
        assert!(built.channel_url.is_none());
    }

    #[test]
    fn values_the_table_refuses_are_findings_before_anything_is_sent() {
        let within = build(&ChannelInputs {
            order: 1000,
            label: "L".repeat(100),
            ..inputs()
        });
        assert!(within.findings.is_empty(), "{:?}", within.findings);
        let beyond = build(&ChannelInputs {
            order: 1001,
            name: "N".repeat(101),
            label: "L".repeat(101),
            ..inputs()
        });
        let fields: Vec<(&str, &str)> = beyond
            .findings
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("Name", "channel.name_too_long"),
                ("Label", "channel.label_too_long"),
                ("Channel Order", "channel.order_too_high")
            ]
        );
        assert!(beyond.record.is_none());
    }

    #[test]
    fn the_checklist_carries_the_values() {
        let md = build(&inputs()).checklist;
        assert!(md.contains("- [ ] 1."), "{md}");
        assert!(md.contains("**Channel URL**: `https://example.brightpattern.com/agentdesktop/MicrosoftD365.jsp?crmDomain=contoso.crm.dynamics.com`"));
        assert!(md.contains("- [ ] 5."));
    }

    #[test]
    fn inputs_round_trip_through_json() {
        let json = serde_json::to_string(&inputs()).unwrap();
        assert!(json.contains("\"api_version\":\"1.0\""));
        assert_eq!(
            serde_json::from_str::<ChannelInputs>(&json).unwrap(),
            inputs()
        );
    }
}
