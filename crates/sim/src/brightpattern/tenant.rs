//! What a simulated Bright Pattern tenant holds: API users and their privileges,
//! campaigns, calling lists with their formats and records, and Do Not Call lists.
//! Tests seed one; [`Tenant::default`] is the small demo tenant `dynbridge sim` serves.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A tenant's List Management API data.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Tenant {
    pub users: Vec<User>,
    pub campaigns: Vec<Campaign>,
    pub lists: Vec<CallingList>,
    pub dnc_lists: Vec<DncList>,
    /// How long an access token lasts. Bright Pattern: 1 hour (reference §2, S2); tests
    /// shorten it to see renewal.
    pub token_lifetime_secs: u64,
}

/// An API user (Users page: login ID, API secret, role privileges).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub login: String,
    pub secret: String,
    pub privileges: Vec<Privilege>,
    /// A disabled or locked user cannot get a token (reference §2, S2: 401).
    #[serde(default = "yes")]
    pub enabled: bool,
}

/// The role privileges the API checks (Roles > Service and Campaign Administration;
/// reference §2, S2/S3/S10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Privilege {
    /// "Manage Lists": any list or DNC operation.
    ManageLists,
    /// "Update content of calling list": record add, update and delete, beside Manage Lists.
    UpdateListContent,
    /// "Manage all services and campaigns": campaign reads.
    ManageCampaigns,
}

impl Privilege {
    /// Every privilege the simulator checks.
    pub const ALL: [Privilege; 3] = [
        Privilege::ManageLists,
        Privilege::UpdateListContent,
        Privilege::ManageCampaigns,
    ];

    /// The privilege's name on the Roles page, for error descriptions.
    pub fn label(self) -> &'static str {
        match self {
            Self::ManageLists => "Manage Lists",
            Self::UpdateListContent => "Update content of calling list",
            Self::ManageCampaigns => "Manage all services and campaigns",
        }
    }
}

/// An outbound campaign and the calling lists bound to it (by name).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Campaign {
    /// A GUID (v3 addresses campaigns by it).
    pub id: String,
    pub name: String,
    /// `campaign/getAll` returns enabled campaigns only (reference §3, S1/S8).
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub running: bool,
    #[serde(default)]
    pub lists: Vec<String>,
}

/// A calling list: its format's fields and its records (values as stored, after the
/// import rules of reference §5).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CallingList {
    /// A GUID (v3 addresses lists by it).
    pub id: String,
    /// Names carry spaces and `.csv` (reference §1, S1).
    pub name: String,
    pub format_id: String,
    pub format_name: String,
    pub fields: Vec<Field>,
    #[serde(default)]
    pub records: Vec<Map<String, Value>>,
}

/// A field of a list format (v3 `createListWithNewFormat`, reference §7, S2).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub key: bool,
    /// PHONE fields: `US_CANADA` (default) or `OTHER` rules (reference §5).
    #[serde(default)]
    pub phone_type: PhoneType,
    #[serde(default)]
    pub remove_prefix: String,
    #[serde(default)]
    pub default_country_code: String,
}

/// Field types (reference §5, S2); the ones without rules of their own are text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FieldType {
    Account,
    AgentLoginId,
    CallingNumber,
    Company,
    Datetime,
    DatetimeCallAt,
    FirstName,
    Integer,
    LastName,
    Other,
    Phone,
    ZipCode,
    Priority,
    State,
}

/// Which rules a PHONE field's numbers follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PhoneType {
    #[default]
    UsCanada,
    Other,
}

/// An Internal Do Not Call list: numbers, each with an optional comment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DncList {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub numbers: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Field {
    /// A text field (type OTHER).
    pub fn text(name: &str) -> Self {
        Self::of(name, FieldType::Other)
    }

    /// A US/Canada PHONE field.
    pub fn phone(name: &str) -> Self {
        Self::of(name, FieldType::Phone)
    }

    pub fn of(name: &str, kind: FieldType) -> Self {
        Self {
            name: name.into(),
            kind,
            required: false,
            key: false,
            phone_type: PhoneType::UsCanada,
            remove_prefix: String::new(),
            default_country_code: String::new(),
        }
    }

    /// This field as the list's key (key fields are required too).
    pub fn key(mut self) -> Self {
        self.key = true;
        self.required = true;
        self
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
}

impl CallingList {
    /// An empty list of `fields`, its IDs derived from its name.
    pub fn new(name: &str, format_name: &str, fields: Vec<Field>) -> Self {
        Self {
            id: crate::web_api::stable_guid(&format!("bp list {name}")).to_uppercase(),
            name: name.into(),
            format_id: crate::web_api::stable_guid(&format!("bp format {format_name}"))
                .to_uppercase(),
            format_name: format_name.into(),
            fields,
            records: Vec::new(),
        }
    }
}

impl Campaign {
    /// An enabled, stopped campaign with `lists` bound to it.
    pub fn new(name: &str, lists: &[&str]) -> Self {
        Self {
            id: crate::web_api::stable_guid(&format!("bp campaign {name}")).to_uppercase(),
            name: name.into(),
            enabled: true,
            running: false,
            lists: lists.iter().map(|l| (*l).to_owned()).collect(),
        }
    }
}

impl DncList {
    pub fn new(name: &str) -> Self {
        Self {
            id: crate::web_api::stable_guid(&format!("bp dnc {name}")).to_uppercase(),
            name: name.into(),
            numbers: Vec::new(),
        }
    }
}

/// The demo tenant's API user (a simulator's secret, not a real one).
pub const DEMO_LOGIN: &str = "api.demo";
pub const DEMO_SECRET: &str = "sim-bp-secret-0123456789";
/// The demo calling list: the format Dynbridge's import writes for Dynamics contacts.
pub const DEMO_LIST: &str = "Dynamics Contacts.csv";

impl Default for Tenant {
    /// The demo tenant: one API user with every privilege, a campaign with the demo list
    /// and an Internal DNC list. The list's format has the columns Dynbridge writes for
    /// a Dynamics contacts export (`dynbridge list import`'s defaults: the record ID as
    /// `dyn_id`, the key; names; company; two US phones; email), so an imported demo
    /// export goes in whole.
    fn default() -> Self {
        let fields = vec![
            Field::text("dyn_id").key(),
            Field::text("Full Name"),
            Field::of("First Name", FieldType::FirstName),
            Field::of("Last Name", FieldType::LastName),
            Field::of("Company Name", FieldType::Company),
            Field::phone("Business Phone"),
            Field::phone("Mobile Phone"),
            Field::text("Email"),
        ];
        Self {
            users: vec![User {
                login: DEMO_LOGIN.into(),
                secret: DEMO_SECRET.into(),
                privileges: Privilege::ALL.to_vec(),
                enabled: true,
            }],
            campaigns: vec![Campaign::new("Dynamics Outbound", &[DEMO_LIST])],
            lists: vec![CallingList::new(DEMO_LIST, "Dynamics contacts", fields)],
            dnc_lists: vec![DncList::new("Dynamics Do Not Call")],
            token_lifetime_secs: 3600,
        }
    }
}
