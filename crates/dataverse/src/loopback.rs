//! The loopback listener that receives the browser's redirect after sign-in:
//! `http://localhost:<random port>/dynbridge/callback` on 127.0.0.1 and, where the
//! machine has IPv6, on [::1] at the same port, since a browser may resolve
//! `localhost` to either. It returns the code of the callback that carries this
//! sign-in's `state`, answers the browser with a plain page, and gives up after a
//! timeout or when cancelled.
//!
//! Any program on the machine can connect to that port, so no connection is trusted
//! to behave, and none can stop or stall the sign-in:
//! - a request's line and headers may take [`MAX_HEAD`] bytes in all; a longer one is
//!   answered 431 and closed, so an endless request line holds no memory;
//! - connections are read side by side, without blocking, in one poll loop, each for
//!   at most [`CONNECTION_DEADLINE`] and at most [`MAX_CONNECTIONS`] at a time (the
//!   oldest is closed to make room), so idle or slow connections never delay the
//!   browser's;
//! - the timeout and the cancellation are checked on every turn of that loop, also
//!   while requests are still being read;
//! - a callback with another `state`, or none, is refused with a page saying so and
//!   the wait goes on, as it does after a request for another path (404). Only when
//!   the timeout passes does the result say that forged callbacks came
//!   ([`Failure::StateMismatch`]).

use std::collections::VecDeque;
use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::diagnose::Failure;

pub const CALLBACK_PATH: &str = "/dynbridge/callback";

/// How long a sign-in may take before the listener gives up.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// How many random ports to try for one free on both 127.0.0.1 and [::1].
const PORT_ATTEMPTS: usize = 16;

/// The most a request's line and headers may take (a browser's take under 2 KiB).
pub const MAX_HEAD: usize = 8 * 1024;

/// How long one connection may take to send its request.
pub const CONNECTION_DEADLINE: Duration = Duration::from_secs(10);

/// How many connections are read at once.
pub const MAX_CONNECTIONS: usize = 64;

/// The pause of the poll loop when nothing happened.
const POLL_INTERVAL: Duration = Duration::from_millis(10);

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
                Err(e) if e.kind() == ErrorKind::AddrInUse => continue,
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

    /// Waits up to `timeout` for the callback with `expected_state`; returns its
    /// authorization code, or Entra's error when it carries one.
    pub fn wait(
        &self,
        expected_state: &str,
        timeout: Duration,
        cancel: &AtomicBool,
    ) -> Result<String, Failure> {
        let deadline = Instant::now() + timeout;
        let mut wait = Wait::new(expected_state);
        loop {
            if cancel.load(Ordering::SeqCst) {
                return Err(Failure::Cancelled);
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(wait.timed_out());
            }
            let accepted = self.accept(&mut wait, now);
            let (read, callback) = wait.serve(now);
            if let Some(result) = callback {
                return result;
            }
            if !accepted && !read {
                std::thread::sleep(POLL_INTERVAL);
            }
        }
    }

    /// Takes the connections waiting on either address; whether there were any. A
    /// failed accept (the peer gone, no file descriptor left) is no reason to give up
    /// the sign-in: the next turn tries again.
    fn accept(&self, wait: &mut Wait, now: Instant) -> bool {
        let mut any = false;
        for listener in &self.listeners {
            for (stream, _) in (0..MAX_CONNECTIONS).map_while(|_| listener.accept().ok()) {
                any = true;
                if stream.set_nonblocking(true).is_ok() {
                    wait.admit(Connection::new(stream, now));
                }
            }
        }
        any
    }
}

/// One sign-in's wait: the connections being read, and whether forged callbacks came.
struct Wait<'a> {
    expected_state: &'a str,
    connections: VecDeque<Connection>,
    forged: bool,
}

impl<'a> Wait<'a> {
    fn new(expected_state: &'a str) -> Self {
        Self {
            expected_state,
            connections: VecDeque::new(),
            forged: false,
        }
    }

    /// Adds a connection, closing the oldest when there are too many.
    fn admit(&mut self, connection: Connection) {
        if self.connections.len() == MAX_CONNECTIONS {
            self.connections.pop_front();
        }
        self.connections.push_back(connection);
    }

    /// Reads what arrived on every connection and answers the complete requests.
    /// Returns whether anything happened, and the callback's result once it came.
    fn serve(&mut self, now: Instant) -> (bool, Option<Result<String, Failure>>) {
        let mut busy = false;
        let mut callback = None;
        for connection in &mut self.connections {
            match connection.poll(now) {
                Poll::Idle => {}
                Poll::Busy => busy = true,
                Poll::Complete => {
                    busy = true;
                    match judge(&connection.head, self.expected_state) {
                        Verdict::Ignored(status) => connection.answer(status, ""),
                        Verdict::Forged => {
                            self.forged = true;
                            connection.answer("400 Bad Request", &page(REFUSED));
                        }
                        Verdict::Callback(result) => {
                            let text = if result.is_ok() { SIGNED_IN } else { FAILED };
                            connection.answer("200 OK", &page(text));
                            callback = Some(result);
                            break;
                        }
                    }
                }
            }
        }
        self.connections.retain(|connection| connection.open);
        (busy, callback)
    }

    /// The failure when the time is up: forged callbacks came, or nothing did.
    fn timed_out(&self) -> Failure {
        if self.forged {
            Failure::StateMismatch
        } else {
            Failure::CallbackTimeout
        }
    }
}

/// A connection whose request is being read.
struct Connection {
    stream: TcpStream,
    /// What arrived so far: the request line and headers, at most [`MAX_HEAD`] bytes
    /// and one read more.
    head: Vec<u8>,
    deadline: Instant,
    open: bool,
}

/// What one turn brought a connection.
enum Poll {
    /// Nothing arrived.
    Idle,
    /// Bytes arrived, or the connection was closed.
    Busy,
    /// The request line and headers are all there.
    Complete,
}

impl Connection {
    fn new(stream: TcpStream, now: Instant) -> Self {
        Self {
            stream,
            head: Vec::new(),
            deadline: now + CONNECTION_DEADLINE,
            open: true,
        }
    }

    /// Reads once, without waiting. Answers and closes the connection when its time
    /// is up or its head is too long; closes it when the peer left.
    fn poll(&mut self, now: Instant) -> Poll {
        if now >= self.deadline {
            self.answer("408 Request Timeout", "");
            return Poll::Busy;
        }
        let mut chunk = [0; 4096];
        match self.stream.read(&mut chunk) {
            Ok(0) => self.open = false,
            Ok(read) => self.head.extend_from_slice(&chunk[..read]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {
                return Poll::Idle
            }
            Err(_) => self.open = false,
        }
        if self.open && head_is_complete(&self.head) {
            Poll::Complete
        } else if self.open && self.head.len() > MAX_HEAD {
            self.answer("431 Request Header Fields Too Large", "");
            Poll::Busy
        } else {
            Poll::Busy
        }
    }

    /// Sends a response and closes the connection. Never waits: the response fits in
    /// the socket's buffer, and a peer that cannot take it loses it.
    fn answer(&mut self, status: &str, html: &str) {
        let content_type = if html.is_empty() {
            String::new()
        } else {
            "Content-Type: text/html; charset=utf-8\r\n".to_owned()
        };
        let response = format!(
            "HTTP/1.1 {status}\r\n{content_type}Content-Length: {}\r\nConnection: close\r\n\r\n{html}",
            html.len()
        );
        let _ = self.stream.write_all(response.as_bytes());
        self.open = false;
    }
}

/// Whether the blank line that ends the headers arrived within [`MAX_HEAD`] bytes.
fn head_is_complete(head: &[u8]) -> bool {
    let head = &head[..head.len().min(MAX_HEAD)];
    head.windows(2).any(|w| w == b"\n\n") || head.windows(3).any(|w| w == b"\n\r\n")
}

/// What a complete request is to the sign-in.
enum Verdict {
    /// A malformed request, or one for another path: answered with this status.
    Ignored(&'static str),
    /// The callback with another `state`, or none: forged, or an old sign-in's.
    Forged,
    /// This sign-in's callback: the code, or Entra's error.
    Callback(Result<String, Failure>),
}

fn judge(head: &[u8], expected_state: &str) -> Verdict {
    let Some(url) = request_url(head) else {
        return Verdict::Ignored("400 Bad Request");
    };
    if url.path() != CALLBACK_PATH {
        return Verdict::Ignored("404 Not Found");
    }
    let param = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    if param("state").as_deref() != Some(expected_state) {
        return Verdict::Forged;
    }
    Verdict::Callback(if let Some(error) = param("error") {
        let description = param("error_description").unwrap_or_default();
        Err(Failure::from_entra_error(error, description, Vec::new()))
    } else {
        param("code").ok_or_else(|| Failure::Io("the callback carried no code".into()))
    })
}

/// The URL of a request line such as `GET /dynbridge/callback?code=… HTTP/1.1`.
fn request_url(head: &[u8]) -> Option<url::Url> {
    let line = head.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?.trim_end_matches('\r');
    let mut parts = line.split(' ');
    let (_method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if !target.starts_with('/') || !version.starts_with("HTTP/") || parts.next().is_some() {
        return None;
    }
    url::Url::parse(&format!("http://localhost{target}")).ok()
}

/// (title, text) of the pages the browser is answered with.
const SIGNED_IN: (&str, &str) = (
    "Signed in",
    "Dynbridge received the sign-in. You can close this tab and return to Dynbridge.",
);
const FAILED: (&str, &str) = (
    "Sign-in failed",
    "Entra ID returned an error. Dynbridge shows what it means and how to fix it.",
);
const REFUSED: (&str, &str) = (
    "Refused",
    "This answer does not belong to the sign-in Dynbridge started, so it was refused. \
     Dynbridge goes on waiting for its own; finish signing in in the tab it opened.",
);

fn page((title, text): (&str, &str)) -> String {
    format!("<!doctype html><html><head><meta charset=\"utf-8\"><title>Dynbridge: {title}</title></head><body style=\"font-family:sans-serif;margin:3em\"><h1>{title}</h1><p>{text}</p></body></html>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_is_complete_at_its_blank_line_within_the_bound() {
        assert!(head_is_complete(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        assert!(head_is_complete(b"GET / HTTP/1.1\n\n"));
        assert!(!head_is_complete(b"GET / HTTP/1.1\r\nHost: x\r\n"));
        let mut late = vec![b'a'; MAX_HEAD];
        late.extend_from_slice(b"\r\n\r\n");
        assert!(!head_is_complete(&late));
    }

    #[test]
    fn requests_are_judged_by_path_and_state() {
        let judged = |line: &str| judge(format!("{line}\r\n\r\n").as_bytes(), "s");
        let callback = "GET /dynbridge/callback";
        assert!(matches!(
            judged(&format!("{callback}?code=c&state=s HTTP/1.1")),
            Verdict::Callback(Ok(code)) if code == "c"
        ));
        assert!(matches!(
            judged(&format!("{callback}?code=c&state=t HTTP/1.1")),
            Verdict::Forged
        ));
        assert!(matches!(
            judged(&format!("{callback}?code=c HTTP/1.1")),
            Verdict::Forged
        ));
        assert!(matches!(
            judged(&format!("{callback}?state=s&error=access_denied HTTP/1.1")),
            Verdict::Callback(Err(Failure::Entra { .. }))
        ));
        assert!(matches!(
            judged("GET /favicon.ico HTTP/1.1"),
            Verdict::Ignored("404 Not Found")
        ));
        assert!(matches!(
            judged("GET http://evil/ HTTP/1.1"),
            Verdict::Ignored("400 Bad Request")
        ));
        assert!(matches!(
            judged("\u{1}"),
            Verdict::Ignored("400 Bad Request")
        ));
    }
}
