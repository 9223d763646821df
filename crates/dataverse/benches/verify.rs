//! `cargo xtask bench` (verify): 10,000 screen pop IDs verified against the simulator
//! over real HTTP on 127.0.0.1 in at most 20 requests, and again under a throttle that
//! answers 429 with Retry-After 15 s for 30 s, still complete (DESIGN.md). Prints table
//! rows; exits 1 when a budget is missed.

use std::ops::ControlFlow;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use dynbridge_core::account::Account;
use dynbridge_core::guid::Guid;
use dynbridge_core::screenpop::object_types::by_bright_pattern_name;
use dynbridge_dataverse::connection::login;
use dynbridge_dataverse::verify::verify_rows;
use dynbridge_dataverse::{Patience, Session};
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
        simulator: true,
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
    let cancel = AtomicBool::new(false);
    let patience = Patience {
        budget: dynbridge_dataverse::session::DEFAULT_BUDGET,
        ..Patience::quiet(&cancel)
    };
    let session = Session::with_token(&account, tokens.access, patience).unwrap();
    let verify = || {
        let before = sim.api_requests();
        let started = Instant::now();
        let report = verify_rows(
            &session,
            by_bright_pattern_name("contact").unwrap(),
            &list,
            &|_| ControlFlow::Continue(()),
        )
        .unwrap();
        (report, sim.api_requests() - before, started.elapsed())
    };
    let (report, requests, elapsed) = verify();
    assert_eq!(report.found, IDS);
    let fast = requests <= REQUEST_BUDGET;
    sim.throttle(Duration::from_secs(30), Duration::from_secs(15));
    let (throttled, throttled_requests, throttled_elapsed) = verify();
    let complete = throttled.complete() && throttled.found == IDS;
    let verdict = |ok: bool| if ok { "ok" } else { "MISSED" };
    println!("\n| benchmark (release) | result | budget | |\n|---|---|---|---|");
    println!("| verify {IDS} IDs against the simulator | {requests} requests, {:.2} s | ≤ {REQUEST_BUDGET} requests | {} |", elapsed.as_secs_f64(), verdict(fast));
    println!("| the same under a 30 s throttle, Retry-After 15 s | {throttled_requests} requests, {:.1} s, {} of {IDS} verdicts | complete | {} |", throttled_elapsed.as_secs_f64(), throttled.found, verdict(complete));
    if fast && complete {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
