//! A local simulator of what Dynbridge talks to in Microsoft's cloud, following
//! Microsoft's documented wire format (domain.md §2–§3): Entra ID's v1 authorize and
//! token endpoints (authorization code with PKCE, refresh, client secret check) and the
//! Dataverse Web API subset Dynbridge uses (WhoAmI, record GET), with injectable faults.
//!
//! It runs on 127.0.0.1 in its own thread and runtime, so blocking tests, the CLI
//! (`dynbridge sim`) and the app's demo can all start one.

pub mod browser;
pub mod demo;
mod entra;
mod web_api;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use serde::Deserialize;
use tokio::sync::oneshot;

/// A fault the simulator injects until cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The token endpoint answers with this AADSTS error code (50011 answers at authorize).
    Aadsts(u32),
    /// The Web API answers with this HTTP status (429 carries `Retry-After: 1`).
    Http(u16),
    /// The Web API answers 200 with a body that is not JSON.
    BadJson,
    /// The Web API answers after this many milliseconds.
    SlowMs(u64),
}

/// Records served by the Web API, by entity logical name, as in `--data` files:
/// `{"contact":[{"contactid":"…","fullname":"…","statecode":0}],"account":[…]}`.
pub type Records = HashMap<String, Vec<serde_json::Value>>;

/// What the simulated tenant knows.
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
    /// The most rows a page carries, whatever the client prefers (Dataverse: 5000).
    pub max_page_size: usize,
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
        }
    }
}

/// The simulator's mutable state, shared by its handlers.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub config: Config,
    pub fault: Option<Fault>,
    /// code → (client_id, redirect_uri, code_challenge, resource)
    pub codes: HashMap<String, entra::Grant>,
    pub access_tokens: Vec<String>,
    pub refresh_tokens: Vec<String>,
    pub counter: u64,
    pub requests: u64,
}

pub(crate) type Shared = Arc<Mutex<State>>;

/// A running simulator; stops when dropped.
pub struct Sim {
    addr: SocketAddr,
    state: Shared,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Sim {
    /// Starts on 127.0.0.1 at `port` (0 for any free port).
    pub fn start(config: Config, port: u16) -> std::io::Result<Self> {
        let state: Shared = Arc::new(Mutex::new(State {
            config,
            ..State::default()
        }));
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let app: Router = entra::routes()
            .merge(web_api::routes())
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
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn tenant(&self) -> String {
        self.state.lock().expect("sim state").config.tenant.clone()
    }

    pub fn authorization_url(&self) -> String {
        format!("{}/{}/oauth2/authorize", self.base_url(), self.tenant())
    }

    pub fn token_url(&self) -> String {
        format!("{}/{}/oauth2/token", self.base_url(), self.tenant())
    }

    pub fn api_url(&self) -> String {
        format!("{}/api/data/v9.2", self.base_url())
    }

    pub fn config(&self) -> Config {
        self.state.lock().expect("sim state").config.clone()
    }

    /// Injects a fault (or clears it with `None`).
    pub fn set_fault(&self, fault: Option<Fault>) {
        self.state.lock().expect("sim state").fault = fault;
    }

    /// How many Web API requests were served.
    pub fn api_requests(&self) -> u64 {
        self.state.lock().expect("sim state").requests
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
