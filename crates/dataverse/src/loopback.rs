//! The loopback listener that receives the browser's redirect after sign-in:
//! `http://localhost:<random port>/dynbridge/callback` on 127.0.0.1 and, where the
//! machine has IPv6, on [::1] at the same port, since a browser may resolve
//! `localhost` to either. It accepts one callback, refuses a mismatched `state`,
//! answers the browser with a plain page, and gives up after a timeout or when cancelled.

use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, Ipv6Addr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::diagnose::Failure;

pub const CALLBACK_PATH: &str = "/dynbridge/callback";

/// How long a sign-in may take before the listener gives up.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// How many random ports to try for one free on both 127.0.0.1 and [::1].
const PORT_ATTEMPTS: usize = 16;

pub struct Listener {
    /// 127.0.0.1 first, then [::1] when the machine has IPv6.
    listeners: Vec<TcpListener>,
    port: u16,
}

fn io(error: std::io::Error) -> Failure {
    Failure::Io(error.to_string())
}

impl Listener {
    /// Listens on a random port of 127.0.0.1 that is also free on [::1], so that no
    /// other program holds the other half of `localhost:<port>`. On a machine without
    /// IPv6, on 127.0.0.1 alone.
    pub fn bind() -> Result<Self, Failure> {
        for _ in 0..PORT_ATTEMPTS {
            let v4 = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(io)?;
            let port = v4.local_addr().map_err(io)?.port();
            let listeners = match TcpListener::bind((Ipv6Addr::LOCALHOST, port)) {
                Ok(v6) => vec![v4, v6],
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
                Err(_) => vec![v4],
            };
            for listener in &listeners {
                listener.set_nonblocking(true).map_err(io)?;
            }
            return Ok(Self { listeners, port });
        }
        Err(Failure::Io(format!(
            "no port was free on both 127.0.0.1 and [::1] after {PORT_ATTEMPTS} tries"
        )))
    }

    /// Whether the listener also answers on [::1].
    pub fn listens_on_ipv6(&self) -> bool {
        self.listeners.len() > 1
    }

    /// The redirect URI for this sign-in (Entra ignores the port for localhost).
    pub fn redirect_uri(&self) -> String {
        format!("http://localhost:{}{CALLBACK_PATH}", self.port)
    }

    /// Waits for the callback; returns the authorization code.
    pub fn wait(
        &self,
        expected_state: &str,
        timeout: Duration,
        cancel: &AtomicBool,
    ) -> Result<String, Failure> {
        let deadline = Instant::now() + timeout;
        loop {
            if cancel.load(Ordering::SeqCst) {
                return Err(Failure::Cancelled);
            }
            if Instant::now() > deadline {
                return Err(Failure::CallbackTimeout);
            }
            let mut waiting = 0;
            for listener in &self.listeners {
                match listener.accept() {
                    Ok((stream, _)) => {
                        if let Some(result) = handle(stream, expected_state) {
                            return result;
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => waiting += 1,
                    Err(e) => return Err(io(e)),
                }
            }
            if waiting == self.listeners.len() {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

/// Reads one request; `None` when it was not the callback (e.g. a favicon request).
fn handle(mut stream: TcpStream, expected_state: &str) -> Option<Result<String, Failure>> {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line).ok()?;
    let target = line.split_whitespace().nth(1)?;
    let url = url::Url::parse(&format!("http://localhost{target}")).ok()?;
    if url.path() != CALLBACK_PATH {
        let _ = stream
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return None;
    }
    let param = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let result = if param("state").as_deref() != Some(expected_state) {
        Err(Failure::StateMismatch)
    } else if let Some(error) = param("error") {
        let description = param("error_description").unwrap_or_default();
        Err(Failure::from_entra_body(
            &serde_json::json!({ "error": error, "error_description": description }).to_string(),
        ))
    } else {
        param("code").ok_or_else(|| Failure::Io("the callback carried no code".into()))
    };
    let (title, text) = match &result {
        Ok(_) => ("Signed in", "Dynbridge received the sign-in. You can close this tab and return to Dynbridge."),
        Err(Failure::StateMismatch) => ("Refused", "This answer does not belong to the sign-in Dynbridge started, so it was refused. Start again from Dynbridge."),
        Err(_) => ("Sign-in failed", "Entra ID returned an error. Dynbridge shows what it means and how to fix it."),
    };
    let page = format!("<!doctype html><html><head><meta charset=\"utf-8\"><title>Dynbridge: {title}</title></head><body style=\"font-family:sans-serif;margin:3em\"><h1>{title}</h1><p>{text}</p></body></html>");
    let _ = write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}", page.len());
    Some(result)
}
