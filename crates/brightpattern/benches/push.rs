//! `cargo xtask bench` (push): 25,000 rows pushed into the simulator's Bright Pattern
//! calling list over real HTTP on 127.0.0.1, in Replace mode, and the requests and time
//! it took reported (DESIGN.md: reported, no budget). Fails when not every row arrives
//! or more than one token was needed.

use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use dynbridge_brightpattern::{Client, Mode, Row};
use dynbridge_core::brightpattern::Connection;
use dynbridge_sim::brightpattern::tenant::{Tenant, DEMO_LIST, DEMO_LOGIN, DEMO_SECRET};
use dynbridge_sim::{Config, Sim};
use secrecy::SecretString;
use serde_json::{json, Map, Value};

const ROWS: usize = 25_000;

/// Row `i` as Dynbridge imports a contacts export (the demo list's format).
fn row(i: usize) -> Row {
    let key = format!("{i:08x}-0000-4000-8000-{:012x}", i * 13);
    let record: Map<String, Value> = json!({
        "dyn_id": key,
        "Full Name": format!("Person {i}"),
        "First Name": format!("First{i}"),
        "Last Name": format!("Last{i}"),
        "Company Name": format!("Company {}", i % 1000),
        "Business Phone": format!("1425555{:04}", i % 10_000),
        "Mobile Phone": format!("1206555{:04}", (i * 7) % 10_000),
        "Email": format!("person{i}@example.com"),
    })
    .as_object()
    .expect("an object")
    .clone();
    Row {
        row: i + 2,
        key,
        record,
    }
}

fn main() -> ExitCode {
    let sim = Sim::start(
        Config {
            brightpattern: Tenant::default(),
            ..Config::default()
        },
        0,
    )
    .expect("the simulator starts");
    let connection = Connection {
        id: "bench".into(),
        name: "Bench".into(),
        url: sim.base_url(),
        login: DEMO_LOGIN.into(),
        simulator: true,
    };
    let client =
        Client::new(&connection, SecretString::from(DEMO_SECRET.to_owned())).expect("a client");
    let rows: Vec<Row> = (0..ROWS).map(row).collect();
    let started = Instant::now();
    let report = client
        .push(
            DEMO_LIST,
            &rows,
            Mode::Replace,
            &|_| {},
            &AtomicBool::new(false),
        )
        .expect("the push succeeds");
    let elapsed = started.elapsed();
    let arrived = sim.brightpattern().records(DEMO_LIST).len();
    let tokens = sim.brightpattern().count("POST v2/oauth/token");
    println!(
        "| push {ROWS} rows to the Bright Pattern simulator (release) | {:.2} s | {} requests ({} batches, {tokens} token) | reported | {} |",
        elapsed.as_secs_f64(),
        report.requests,
        report.batches,
        if arrived == ROWS && report.added == ROWS && tokens == 1 { "ok" } else { "MISSED" }
    );
    if arrived == ROWS && report.added == ROWS && tokens == 1 {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "{arrived} of {ROWS} rows arrived; {} added; {tokens} tokens",
            report.added
        );
        ExitCode::FAILURE
    }
}
