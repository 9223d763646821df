//! The loopback listener that receives the browser's redirect after sign-in:
//! `http://localhost:<random port>/dynbridge/callback` on 127.0.0.1. It accepts one
//! callback, refuses a mismatched `state`, answers the browser with a plain page, and
//! gives up after a timeout or when cancelled.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::diagnose::Failure;

pub const CALLBACK_PATH: &str = "/dynbridge/callback";

/// How long a sign-in may take before the listener gives up.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

pub struct Listener {
    listener: TcpListener,
    port: u16,
}

impl Listener {
    pub fn bind() -> Result<Self, Failure> {
        let listener =
            TcpListener::bind(("127.0.0.1", 0)).map_err(|e| Failure::Io(e.to_string()))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| Failure::Io(e.to_string()))?;
        let port = listener
            .local_addr()
            .map_err(|e| Failure::Io(e.to_string()))?
            .port();
        Ok(Self { listener, port })
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
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if let Some(result) = handle(stream, expected_state) {
                        return result;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(50))
                }
                Err(e) => return Err(Failure::Io(e.to_string())),
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
