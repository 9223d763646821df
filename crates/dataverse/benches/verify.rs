//! `cargo xtask bench` (verify): 10,000 screen pop IDs verified against the simulator
//! over real HTTP on 127.0.0.1 in at most 20 requests (DESIGN.md). Prints a table row;
//! exits 1 when the budget is missed.

use std::ops::ControlFlow;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use dynbridge_core::account::Account;
use dynbridge_core::guid::Guid;
use dynbridge_core::screenpop::object_types::by_bright_pattern_name;
use dynbridge_dataverse::connection::login;
use dynbridge_dataverse::verify::verify_rows;
use dynbridge_sim::{Config, Sim};
use secrecy::SecretString;

const IDS: usize = 10_000;
const REQUEST_BUDGET: u64 = 20;

fn main() -> ExitCode {
    let ids: Vec<Guid> = (0..IDS)
        .map(|i| {
            format!("{i:08x}-0000-4000-8000-{:012x}", i * 13)
                .parse()
                .unwrap()
        })
        .collect();
    let rows = ids.iter().enumerate().map(|(i, id)| serde_json::json!({ "contactid": id.to_string(), "fullname": format!("Person {i}"), "statecode": 0 })).collect();
    let sim = Sim::start(
        Config {
            records: [("contact".to_owned(), rows)].into_iter().collect(),
            ..Config::default()
        },
        0,
    )
    .unwrap();
    let config = sim.config();
    let account = Account {
        id: "bench".into(),
        name: "Bench".into(),
        default: true,
        tenant: String::new(),
        authorization_url: sim.authorization_url(),
        token_url: sim.token_url(),
        api_url: sim.api_url(),
        client_id: config.client_id.clone(),
        secret_expires: None,
        refresh_token_used: None,
    };
    let tokens = login(
        &account,
        &SecretString::from(config.client_secret.clone()),
        false,
        Duration::from_secs(10),
        &AtomicBool::new(false),
        |url| {
            dynbridge_sim::browser::approve_in_background(url);
            Ok(())
        },
    )
    .unwrap();
    let list: Vec<(usize, Guid)> = ids.iter().enumerate().map(|(i, id)| (i + 2, *id)).collect();
    let before = sim.api_requests();
    let started = Instant::now();
    let report = verify_rows(
        &dynbridge_dataverse::http_client(),
        &sim.api_url(),
        &tokens.access,
        by_bright_pattern_name("contact").unwrap(),
        &list,
        &|_| ControlFlow::Continue(()),
    )
    .unwrap();
    let elapsed = started.elapsed();
    let requests = sim.api_requests() - before;
    assert_eq!(report.found, IDS);
    let ok = requests <= REQUEST_BUDGET;
    println!("\n| benchmark (release) | result | budget | |\n|---|---|---|---|");
    println!("| verify {IDS} IDs against the simulator | {requests} requests, {:.2} s | ≤ {REQUEST_BUDGET} requests | {} |", elapsed.as_secs_f64(), if ok { "ok" } else { "MISSED" });
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
