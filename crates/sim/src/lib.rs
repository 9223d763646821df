//! A local simulator of what Dynbridge talks to in Microsoft's cloud, as strict as the
//! documented services (domain.md §2–§3): Entra ID's v1 and v2 authorize and token
//! endpoints (authorization code with PKCE, refresh-token policies, client secret check,
//! AADSTS and plain RFC 6749 errors) and the Dataverse Web API subset Dynbridge uses
//! (WhoAmI, table metadata, queries with `$select`/`$filter`/paging, create and upsert
//! with column validation, service protection limits), with injectable faults.
//!
//! Every rule the simulator enforces names its Microsoft or RFC source next to the code
//! that enforces it; behaviour the sources leave open is marked UNVERIFIED there.
//!
//! It runs on 127.0.0.1 in its own thread and runtime, so blocking tests, the CLI
//! (`dynbridge sim`) and the app's demo can all start one.

pub mod brightpattern;
pub mod browser;
pub mod demo;
mod entra;
mod web_api;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use serde::Deserialize;
use tokio::sync::oneshot;

/// A fault the simulator injects until cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The token endpoint answers with this AADSTS error code (50011 answers at authorize).
    Aadsts(u32),
    /// The token endpoint answers a plain RFC 6749 §5.2 error with this `error` code
    /// (`invalid_request`, `invalid_client` (401), `invalid_grant`, `unauthorized_client`,
    /// `unsupported_grant_type`, `invalid_scope`): no AADSTS code, no `error_codes`, as
    /// OAuth servers other than Entra answer.
    OAuth(&'static str),
    /// The Web API answers with this HTTP status (429 carries `Retry-After: 1`).
    Http(u16),
    /// The Web API answers 200 with a body that is not JSON.
    BadJson,
    /// The Web API answers after this many milliseconds.
    SlowMs(u64),
}

/// What the token endpoint does with refresh tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefreshTokens {
    /// Every token response carries a new refresh token and the old ones stay valid, as
    /// Entra does ("Refresh tokens aren't revoked when used to acquire new access tokens",
    /// learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token).
    #[default]
    Rotate,
    /// Every token response carries a new refresh token and a used one is refused with a
    /// plain `invalid_grant`, as strict OAuth servers do (RFC 6749 §6: the server "MAY
    /// revoke the old refresh token after issuing a new refresh token").
    RotateStrict,
    /// Refresh answers carry no refresh token and the old one stays valid (RFC 6749 §6:
    /// the server "MAY issue a new refresh token"; domain.md §2).
    KeepOld,
    /// No refresh token is ever issued, not even at sign-in (RFC 6749 §4.1.4: "optional").
    Never,
}

/// Records served by the Web API, by entity logical name, as in `--data` files:
/// `{"contact":[{"contactid":"…","fullname":"…","statecode":0}],"account":[…]}`.
/// The special key `attribute` adds custom columns to a table's metadata:
/// `{"attribute":[{"entity":"phonecall","logicalname":"bpattern_interactionid"}]}`
/// (optional `"type"`: `"String"` (default), `"Memo"`, `"Integer"`, `"Boolean"`, and
/// `"maxlength"`, default 100).
pub type Records = HashMap<String, Vec<serde_json::Value>>;

/// What the simulated tenant knows. Fields added after the first release have serde
/// defaults, so older configuration files still parse.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub tenant: String,
    pub client_id: String,
    pub client_secret: String,
    pub user_id: String,
    pub user_name: String,
    pub business_unit_id: String,
    pub organization_id: String,
    /// Registered redirect URIs; `http://localhost/…` matches any port, as in Entra.
    pub redirect_uris: Vec<String>,
    pub records: Records,
    /// The most rows a page carries, whatever the client prefers; Dataverse's own cap of
    /// 5,000 applies on top of it.
    pub max_page_size: usize,
    /// The name of the organization row (`organizations`) WhoAmI's `OrganizationId` names.
    #[serde(default = "default_organization_name")]
    pub organization_name: String,
    /// Requests per user in the sliding window before 429 (Dataverse: 6,000 per 300 s);
    /// `None` (the default) leaves this limit off.
    #[serde(default)]
    pub requests_per_window: Option<u32>,
    /// The sliding window of `requests_per_window`, in seconds (Dataverse: 300).
    #[serde(default = "default_request_window_secs")]
    pub request_window_secs: u64,
    /// Concurrent requests per user before 429 (Dataverse: 52).
    #[serde(default = "default_max_concurrent_requests")]
    pub max_concurrent_requests: usize,
    /// What the token endpoint does with refresh tokens.
    #[serde(default)]
    pub refresh_tokens: RefreshTokens,
    /// The Bright Pattern tenant behind `/configapi/` (default: the demo tenant).
    #[serde(default)]
    pub brightpattern: brightpattern::tenant::Tenant,
}

fn default_organization_name() -> String {
    "Simulated organization".into()
}

fn default_request_window_secs() -> u64 {
    300
}

fn default_max_concurrent_requests() -> usize {
    52
}

impl Default for Config {
    fn default() -> Self {
        Self {
            tenant: "8f2e0a4c-1b3d-4e5f-9a7b-6c5d4e3f2a1b".into(),
            client_id: "5a1e7c90-3d2b-4f6a-8e9c-1b2a3c4d5e6f".into(),
            client_secret: "sim~Secret.Value-0123456789".into(),
            user_id: "c1d2e3f4-0000-4000-8000-000000000001".into(),
            user_name: "Avery Admin".into(),
            business_unit_id: "b1b2b3b4-0000-4000-8000-000000000002".into(),
            organization_id: "0a0b0c0d-0000-4000-8000-000000000003".into(),
            redirect_uris: vec![
                "http://localhost/dynbridge/callback".into(),
                "https://example.brightpattern.com/admin/msdynamicscallback.html".into(),
            ],
            records: Records::new(),
            max_page_size: 5000,
            organization_name: default_organization_name(),
            requests_per_window: None,
            request_window_secs: default_request_window_secs(),
            max_concurrent_requests: default_max_concurrent_requests(),
            refresh_tokens: RefreshTokens::default(),
            brightpattern: brightpattern::tenant::Tenant::default(),
        }
    }
}

/// The simulator's mutable state, shared by its handlers.
#[derive(Debug)]
pub(crate) struct State {
    pub config: Config,
    pub fault: Option<Fault>,
    pub tokens: entra::Tokens,
    /// Built at start and never changed, so handlers can hold a table while writing rows.
    pub schema: Arc<web_api::schema::Schema>,
    pub protection: web_api::protection::Protection,
    pub counter: u64,
    pub requests: u64,
}

pub(crate) type Shared = Arc<Mutex<State>>;

pub(crate) fn lock(state: &Shared) -> MutexGuard<'_, State> {
    state.lock().expect("sim state")
}

/// A running simulator; stops when dropped.
pub struct Sim {
    addr: SocketAddr,
    state: Shared,
    brightpattern: brightpattern::Shared,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Sim {
    /// Starts on 127.0.0.1 at `port` (0 for any free port). The signed-in user and the
    /// organization WhoAmI names get `systemuser` and `organization` rows if the records
    /// have none.
    pub fn start(mut config: Config, port: u16) -> std::io::Result<Self> {
        web_api::seed_who_am_i(&mut config);
        let brightpattern = brightpattern::shared(config.brightpattern.clone());
        let state: Shared = Arc::new(Mutex::new(State {
            schema: Arc::new(web_api::schema::Schema::new(&config.records)),
            config,
            fault: None,
            tokens: entra::Tokens::default(),
            protection: web_api::protection::Protection::default(),
            counter: 0,
            requests: 0,
        }));
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let app: Router = entra::routes()
            .merge(web_api::routes(Arc::clone(&state)))
            .merge(brightpattern::routes(Arc::clone(&brightpattern)))
            .with_state(Arc::clone(&state));
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a tokio runtime");
            runtime.block_on(async move {
                let listener =
                    tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await;
            });
        });
        Ok(Self {
            addr,
            state,
            brightpattern,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn tenant(&self) -> String {
        lock(&self.state).config.tenant.clone()
    }

    /// Entra's v1 authorize endpoint (what Bright Pattern uses).
    pub fn authorization_url(&self) -> String {
        format!("{}/{}/oauth2/authorize", self.base_url(), self.tenant())
    }

    /// Entra's v1 token endpoint.
    pub fn token_url(&self) -> String {
        format!("{}/{}/oauth2/token", self.base_url(), self.tenant())
    }

    /// Entra's v2 authorize endpoint (`scope` instead of `resource`).
    pub fn v2_authorization_url(&self) -> String {
        format!(
            "{}/{}/oauth2/v2.0/authorize",
            self.base_url(),
            self.tenant()
        )
    }

    /// Entra's v2 token endpoint.
    pub fn v2_token_url(&self) -> String {
        format!("{}/{}/oauth2/v2.0/token", self.base_url(), self.tenant())
    }

    pub fn api_url(&self) -> String {
        format!("{}/api/data/v9.2", self.base_url())
    }

    /// The Bright Pattern List Management API's tenant, faults and counters.
    pub fn brightpattern(&self) -> brightpattern::Control {
        brightpattern::Control {
            state: Arc::clone(&self.brightpattern),
        }
    }

    /// The configuration, with the records as they are now (writes included).
    pub fn config(&self) -> Config {
        lock(&self.state).config.clone()
    }

    /// The rows of a table as they are now, for tests that check what a client wrote.
    pub fn rows(&self, logical_name: &str) -> Vec<serde_json::Value> {
        let state = lock(&self.state);
        state
            .config
            .records
            .get(logical_name)
            .cloned()
            .unwrap_or_default()
    }

    /// Injects a fault (or clears it with `None`).
    pub fn set_fault(&self, fault: Option<Fault>) {
        lock(&self.state).fault = fault;
    }

    /// Switches the refresh-token policy at run time.
    pub fn set_refresh_tokens(&self, policy: RefreshTokens) {
        lock(&self.state).config.refresh_tokens = policy;
    }

    /// For `duration` from now every Web API request answers 429 with
    /// `Retry-After: <retry_after in whole seconds>` and Dataverse's "Number of requests
    /// exceeded the limit" error; `Duration::ZERO` clears it.
    pub fn throttle(&self, duration: Duration, retry_after: Duration) {
        lock(&self.state).protection.throttle(duration, retry_after);
    }

    /// The next `times` Web API requests answer `status` (502, 503 and 504 with a
    /// gateway's HTML page, others with Dataverse's "unexpected error"), then normal
    /// service resumes.
    pub fn fail_next(&self, status: u16, times: usize) {
        lock(&self.state).protection.fail_next(status, times);
    }

    /// Every query, read and write of this table answers 403 with Dataverse's missing
    /// privilege error; its metadata stays readable.
    pub fn deny_table(&self, logical_name: &str) {
        lock(&self.state).protection.deny(logical_name);
    }

    /// Undoes every [`Sim::deny_table`].
    pub fn allow_all_tables(&self) {
        lock(&self.state).protection.allow_all();
    }

    /// How many Web API requests were received (refused ones included).
    pub fn api_requests(&self) -> u64 {
        lock(&self.state).requests
    }

    /// A valid access token for the Web API without the sign-in dance, for tests of the
    /// Web API itself (sign-in has its own tests through [`crate::browser`]).
    pub fn issue_access_token(&self) -> String {
        let mut state = lock(&self.state);
        state.counter += 1;
        let counter = state.counter;
        state.tokens.issue_access(counter)
    }

    /// Blocks until the simulator stops (it runs until the process ends).
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
