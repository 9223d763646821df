//! The loopback listener against the local programs that may connect to it: plain
//! TCP clients play the browser, the forger and the disrupters. `wait` runs on its own
//! thread, so that a listener that hangs fails a test at its time limit.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use dynbridge_dataverse::loopback::{Listener, CALLBACK_PATH};
use dynbridge_dataverse::Failure;

type Outcome = (Result<String, Failure>, Instant);

/// Starts `wait` on its own thread; its result comes with the moment it returned.
fn wait(
    listener: Listener,
    state: &str,
    timeout: Duration,
    cancel: Arc<AtomicBool>,
) -> Receiver<Outcome> {
    let (send, receive) = mpsc::channel();
    let state = state.to_owned();
    thread::spawn(move || {
        let result = listener.wait(&state, timeout, &cancel);
        let _ = send.send((result, Instant::now()));
    });
    receive
}

fn never() -> Arc<AtomicBool> {
    Arc::new(AtomicBool::new(false))
}

/// 127.0.0.1 and the listener's port.
fn v4(listener: &Listener) -> SocketAddr {
    let port = url::Url::parse(&listener.redirect_uri())
        .unwrap()
        .port()
        .unwrap();
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// Sends `GET <target>` as a browser would, and returns the whole response.
fn get(address: SocketAddr, target: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: test\r\nAccept: text/html\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
}

fn callback(query: &str) -> String {
    format!("{CALLBACK_PATH}?{query}")
}

/// The peak resident memory of this process, in bytes (Linux).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[test]
fn the_callback_with_the_right_state_returns_its_code() {
    let listener = Listener::bind().unwrap();
    let address = v4(&listener);
    let done = wait(listener, "expected", Duration::from_secs(10), never());
    let page = get(address, &callback("code=the-code&state=expected"));
    let (result, _) = done.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(result, Ok("the-code".to_owned()));
    assert!(page.starts_with("HTTP/1.1 200") && page.contains("Signed in"));
}

#[test]
fn a_request_line_of_100_mb_holds_no_memory_and_the_callback_still_succeeds() {
    let listener = Listener::bind().unwrap();
    let address = v4(&listener);
    let before = peak_memory();
    let done = wait(listener, "expected", Duration::from_secs(30), never());
    let flood = thread::spawn(move || {
        let mut stream = TcpStream::connect(address).unwrap();
        stream.write_all(b"GET /dynbridge/callback?state=").unwrap();
        let chunk = vec![b'a'; 64 * 1024];
        let mut sent = 0;
        while sent < 100 << 20 {
            match stream.write(&chunk) {
                Ok(n) => sent += n,
                Err(_) => break,
            }
        }
        sent
    });
    let browser = thread::spawn(move || {
        let sent = flood.join().unwrap();
        (
            sent,
            get(address, &callback("code=the-code&state=expected")),
        )
    });
    let (result, _) = done.recv_timeout(Duration::from_secs(20)).unwrap();
    let (sent, page) = browser.join().unwrap();
    if let (Some(before), Some(after)) = (before, peak_memory()) {
        let growth = after.saturating_sub(before);
        eprintln!("flood sent {sent} bytes; peak memory grew {growth} bytes");
        assert!(growth < 50 << 20, "peak memory grew {growth} bytes");
    }
    assert_eq!(result, Ok("the-code".to_owned()));
    assert!(page.contains("Signed in"));
}

#[test]
fn a_head_longer_than_8_kib_is_answered_431() {
    let listener = Listener::bind().unwrap();
    let address = v4(&listener);
    let done = wait(listener, "expected", Duration::from_secs(10), never());
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\n").unwrap();
    for _ in 0..10 {
        stream
            .write_all(format!("X-Filler: {}\r\n", "b".repeat(1000)).as_bytes())
            .unwrap();
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    assert!(response.starts_with("HTTP/1.1 431"), "{response:?}");
    let page = get(address, &callback("code=the-code&state=expected"));
    assert!(page.contains("Signed in"));
    let (result, _) = done.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(result, Ok("the-code".to_owned()));
}

#[test]
fn twenty_idle_connections_do_not_delay_the_callback() {
    let listener = Listener::bind().unwrap();
    let address = v4(&listener);
    let done = wait(listener, "expected", Duration::from_secs(60), never());
    let idle: Vec<TcpStream> = (0..20)
        .map(|_| TcpStream::connect(address).unwrap())
        .collect();
    thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    let browser = thread::spawn(move || get(address, &callback("code=the-code&state=expected")));
    let (result, returned) = done.recv_timeout(Duration::from_secs(2)).unwrap();
    let latency = returned - started;
    eprintln!("callback took {latency:?} with 20 idle connections");
    assert_eq!(result, Ok("the-code".to_owned()));
    assert!(latency < Duration::from_secs(2));
    assert!(browser.join().unwrap().contains("Signed in"));
    drop(idle);
}

#[test]
fn a_slow_loris_does_not_keep_the_wait_past_its_timeout() {
    let listener = Listener::bind().unwrap();
    let address = v4(&listener);
    let started = Instant::now();
    let done = wait(listener, "expected", Duration::from_secs(2), never());
    thread::spawn(move || {
        let mut stream = TcpStream::connect(address).unwrap();
        for byte in b"GET /dynbridge/callback?state=expected&code=x HTTP/1.1\r\n\r\n" {
            if stream.write_all(&[*byte]).is_err() {
                return;
            }
            thread::sleep(Duration::from_secs(1));
        }
    });
    let (result, returned) = done.recv_timeout(Duration::from_secs(3)).unwrap();
    assert_eq!(result, Err(Failure::CallbackTimeout));
    assert!(returned - started < Duration::from_secs(3));
}

#[test]
fn a_forged_state_is_refused_and_the_right_callback_still_succeeds() {
    let listener = Listener::bind().unwrap();
    let address = v4(&listener);
    let done = wait(listener, "expected", Duration::from_secs(10), never());
    let forged = get(address, &callback("code=evil&state=forged"));
    assert!(forged.contains("Refused"));
    assert!(forged.contains("This answer does not belong to the sign-in Dynbridge started"));
    let missing = get(address, &callback("code=evil"));
    assert!(missing.contains("Refused"));
    let other = get(address, "/favicon.ico");
    assert!(other.starts_with("HTTP/1.1 404"));
    assert!(
        done.try_recv().is_err(),
        "the wait ended on a forged request"
    );
    let page = get(address, &callback("code=the-code&state=expected"));
    assert!(page.contains("Signed in"));
    let (result, _) = done.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(result, Ok("the-code".to_owned()));
}

#[test]
fn only_forged_callbacks_then_the_timeout_say_state_mismatch() {
    let listener = Listener::bind().unwrap();
    let address = v4(&listener);
    let done = wait(listener, "expected", Duration::from_secs(1), never());
    assert!(get(address, &callback("code=evil&state=forged")).contains("Refused"));
    let (result, _) = done.recv_timeout(Duration::from_secs(3)).unwrap();
    assert_eq!(result, Err(Failure::StateMismatch));

    let quiet = wait(
        Listener::bind().unwrap(),
        "s",
        Duration::from_millis(300),
        never(),
    );
    let (result, _) = quiet.recv_timeout(Duration::from_secs(3)).unwrap();
    assert_eq!(result, Err(Failure::CallbackTimeout));
}

#[test]
fn entras_error_in_the_right_callback_ends_the_wait() {
    let listener = Listener::bind().unwrap();
    let address = v4(&listener);
    let done = wait(listener, "expected", Duration::from_secs(10), never());
    let page = get(
        address,
        &callback("state=expected&error=access_denied&error_description=AADSTS65004%3A+declined"),
    );
    assert!(page.contains("Sign-in failed"));
    let (result, _) = done.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(
        result,
        Err(Failure::from_entra_error(
            "access_denied".into(),
            "AADSTS65004: declined".into(),
            Vec::new()
        ))
    );
}

#[test]
fn the_wait_can_be_cancelled_before_and_while_reading() {
    let cancelled =
        Listener::bind()
            .unwrap()
            .wait("s", Duration::from_secs(5), &AtomicBool::new(true));
    assert_eq!(cancelled, Err(Failure::Cancelled));

    let listener = Listener::bind().unwrap();
    let address = v4(&listener);
    let cancel = never();
    let done = wait(listener, "s", Duration::from_secs(60), cancel.clone());
    let mut slow = TcpStream::connect(address).unwrap();
    slow.write_all(b"GET /dynbridge/callback?sta").unwrap();
    thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    cancel.store(true, Ordering::SeqCst);
    let (result, returned) = done.recv_timeout(Duration::from_secs(2)).unwrap();
    assert_eq!(result, Err(Failure::Cancelled));
    assert!(returned - started < Duration::from_secs(1));
}

/// A browser that resolves `localhost` to ::1 reaches the listener too.
#[test]
fn the_listener_answers_on_ipv6_loopback_where_the_machine_has_it() {
    let machine_has_ipv6 = std::net::TcpListener::bind("[::1]:0").is_ok();
    let listener = Listener::bind().unwrap();
    assert_eq!(listener.listens_on_ipv6(), machine_has_ipv6);
    if !machine_has_ipv6 {
        return;
    }
    let v6 = SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, v4(&listener).port()));
    let done = wait(listener, "expected", Duration::from_secs(10), never());
    let page = get(v6, &callback("code=the-code&state=expected"));
    assert!(page.contains("Signed in"));
    let (result, _) = done.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(result, Ok("the-code".to_owned()));
}
