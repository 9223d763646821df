//! A client of one tenant's List Management API: construction from a connection, the
//! connection test, campaigns and the list catalogue, and record reads.
//!
//! v2 first (lists named in the path, reference §3); v3 where it adds something v2
//! lacks, chosen by what the server answers: a 404 on a v3 method means the server has
//! no v3 and the caller is told "cannot tell" rather than an error.
//!
//! No v3, v3.1 or v3.2 method returns a list format's fields (S2; S3 "Get Lists" and
//! "Get List" give `formatId`/`formatName` only), so a preflight can check that a list
//! exists and name its format, but not compare its fields: the first batch's rejects
//! (`formatError` for an undefined field, `missingKey`, `missingRequired`) say that.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use dynbridge_core::brightpattern::Connection;
use reqwest::Method;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::token::Token;
use crate::transport::Call;
use crate::Error;

/// How long a client waits in all, by default, for throttling and outages to pass.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(120);

/// A client of one tenant's List Management API.
pub struct Client {
    pub(crate) http: reqwest::blocking::Client,
    /// `…/configapi/v2/`, from the connection (https, or loopback for a simulator).
    v2: url::Url,
    pub(crate) token_url: url::Url,
    pub(crate) login: String,
    pub(crate) secret: SecretString,
    pub(crate) scope: String,
    pub(crate) token: Mutex<Option<Token>>,
    pub(crate) requests: AtomicU64,
    pub(crate) budget: Duration,
    pub(crate) waited: Mutex<Duration>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api", &self.v2.as_str())
            .field("login", &self.login)
            .finish_non_exhaustive()
    }
}

/// A campaign as v2 lists it: enabled campaigns only, with their lists by name (S1/S8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    pub name: String,
    /// `RUNNING` or `STOPPED`.
    pub state: String,
    #[serde(default)]
    pub lists: Vec<String>,
}

/// A calling list as v3's catalogue gives it (S2/S3 "Get Lists").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListInfo {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub format_name: String,
    #[serde(default)]
    pub total_records: u64,
}

/// What the server can tell of one list before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ListLookup {
    Found(ListInfo),
    NotFound,
    /// The server has no v3 catalogue: the list is checked when the push starts.
    CannotTell,
}

/// What a successful connection test found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestReport {
    /// Whether campaigns can be listed (Manage all services and campaigns).
    pub campaigns: bool,
    /// Whether the calling lists could be listed (v3 only: `None` when the server
    /// cannot tell).
    pub lists: Option<usize>,
}

/// Lists asked for per page: S2 allows ≤ 100 (S3's revision ≤ 1000).
const LISTS_PER_PAGE: u64 = 100;
/// Records read per page: v2 `maxSize` ≤ 1000 (S1).
const RECORDS_PER_PAGE: usize = 1000;

impl Client {
    /// A client for `connection`, sending `secret` only to the connection's own host
    /// (https, or loopback for a simulator connection: `Connection::api_base`).
    pub fn new(connection: &Connection, secret: SecretString) -> Result<Self, Error> {
        let v2 = connection
            .api_base()
            .map_err(|finding| Error::Connection(finding.message))?;
        let scope = connection
            .scope()
            .ok_or_else(|| Error::Connection("the address has no host".into()))?;
        let token_url = v2.join("oauth/token").expect("a relative path joins");
        Ok(Self {
            http: crate::http_client(),
            v2,
            token_url,
            login: connection.login.trim().to_owned(),
            secret,
            scope,
            token: Mutex::new(None),
            requests: AtomicU64::new(0),
            budget: DEFAULT_BUDGET,
            waited: Mutex::new(Duration::ZERO),
        })
    }

    /// The most this client waits in all for throttling and outages to pass.
    pub fn with_budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// HTTP requests sent so far (token requests and retries included).
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// `…/configapi/v2/` (or `v3`) followed by `segments`, each percent-encoded.
    pub(crate) fn url(&self, v3: bool, segments: &[&str]) -> url::Url {
        let mut url = if v3 {
            self.v2.join("../v3/").expect("a relative path joins")
        } else {
            self.v2.clone()
        };
        url.path_segments_mut()
            .expect("an http(s) URL")
            .pop_if_empty()
            .extend(segments);
        url
    }

    /// Gets a token, then checks what the user may do: list calling lists (Manage
    /// Lists, where the server has v3) and campaigns. Fails with the reason in plain
    /// words: wrong login or secret (401), tenant not found or wrong address (404),
    /// no Manage Lists privilege (403).
    pub fn test(&self) -> Result<TestReport, Error> {
        let lists = self.lists()?.map(|lists| lists.len());
        let campaigns = match self.campaigns() {
            Ok(_) => true,
            Err(Error::Forbidden { .. }) => false,
            Err(other) => return Err(other),
        };
        Ok(TestReport { campaigns, lists })
    }

    /// The enabled campaigns and their lists (v2 `GET campaign/getAll/`, S1/S8).
    pub fn campaigns(&self) -> Result<Vec<Campaign>, Error> {
        let call = Call {
            method: Method::GET,
            url: self.url(false, &["campaign", "getAll", ""]),
            body: None,
            what: "the campaign list",
            privilege: "Manage all services and campaigns",
        };
        parse(&self.send(&call, &AtomicBool::new(false))?.1)
    }

    /// Every calling list (v3 `POST callinglist/getAll`, pages of 100), or `None` when
    /// the server has no v3 (it answers 404).
    pub fn lists(&self) -> Result<Option<Vec<ListInfo>>, Error> {
        let mut lists = Vec::new();
        let mut cursor = Value::Null;
        loop {
            let call = Call {
                method: Method::POST,
                url: self.url(true, &["callinglist", "getAll"]),
                body: Some(
                    json!({ "limit": LISTS_PER_PAGE, "cursor": cursor })
                        .to_string()
                        .into_bytes(),
                ),
                what: "the list catalogue (API v3)",
                privilege: "Manage Lists",
            };
            let page: Value = match self.send(&call, &AtomicBool::new(false)) {
                Ok((_, body)) => parse(&body)?,
                Err(Error::NotFound { .. }) => return Ok(None),
                Err(other) => return Err(other),
            };
            let records: Vec<ListInfo> = serde_json::from_value(page["records"].clone())
                .map_err(|e| Error::BadAnswer(format!("the list catalogue: {e}")))?;
            let full = records.len() as u64 >= LISTS_PER_PAGE;
            lists.extend(records);
            cursor = page["next_cursor"].clone();
            if cursor.is_null() || !full {
                return Ok(Some(lists));
            }
        }
    }

    /// What the server can tell of the list `name` before a push.
    pub fn list(&self, name: &str) -> Result<ListLookup, Error> {
        Ok(match self.lists()? {
            None => ListLookup::CannotTell,
            Some(lists) => lists
                .into_iter()
                .find(|l| l.name == name)
                .map_or(ListLookup::NotFound, ListLookup::Found),
        })
    }

    /// Every record of `list` as stored (v2 `POST callinglist/getAll/<list>/<campaign>`,
    /// pages of 1,000 from index 0; the entries without their campaign status).
    pub fn records(
        &self,
        list: &str,
        campaign: &str,
    ) -> Result<Vec<serde_json::Map<String, Value>>, Error> {
        let mut records = Vec::new();
        loop {
            let call = Call {
                method: Method::POST,
                url: self.url(false, &["callinglist", "getAll", list, campaign]),
                body: Some(
                    json!({ "fromIndex": records.len(), "maxSize": RECORDS_PER_PAGE })
                        .to_string()
                        .into_bytes(),
                ),
                what: &format!("the calling list {list:?}"),
                privilege: "Manage Lists",
            };
            let page: Vec<Value> = parse(&self.send(&call, &AtomicBool::new(false))?.1)?;
            let full = page.len() >= RECORDS_PER_PAGE;
            for item in page {
                match item {
                    Value::Object(mut item) => match item.remove("entry") {
                        Some(Value::Object(entry)) => records.push(entry),
                        _ => return Err(Error::BadAnswer("a record without its entry".into())),
                    },
                    _ => return Err(Error::BadAnswer("a record that is not an object".into())),
                }
            }
            if !full {
                return Ok(records);
            }
        }
    }
}

/// `body` as `T`, or a plain-words error.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, Error> {
    serde_json::from_str(body).map_err(|e| Error::BadAnswer(e.to_string()))
}
