//! Pushes against the simulator: every row arrives, rejects map to rows, batches and
//! one token for 25,000 rows, an unknown list, a 401 in the middle, retries.

mod common;

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use common::*;
use dynbridge_brightpattern::{Error, Mode, Rejected};
use serde_json::{json, Value};

#[test]
fn six_hundred_rows_arrive_with_their_ids_and_phones() {
    let sim = sim();
    let client = client(&sim, "api.user", SECRET);
    let rows = rows(600);
    let report = client
        .push(LIST, &rows, Mode::Add, &|_| {}, &AtomicBool::new(false))
        .unwrap();
    assert_eq!(
        (report.added, report.rejected_count(), report.batches),
        (600, 0, 1)
    );
    let stored = client.records(LIST, CAMPAIGN).unwrap();
    assert_eq!(stored.len(), 600);
    for (i, record) in stored.iter().enumerate() {
        assert_eq!(record["ID"], json!(format!("c{i:06}")));
        assert_eq!(record["Phone"], json!(format!("1425555{:04}", i % 10_000)));
        assert_eq!(
            record["Mobile"],
            json!(format!("1206555{:04}", (i * 7) % 10_000))
        );
    }
}

#[test]
fn duplicate_keys_and_empty_required_fields_are_counted_and_mapped_to_rows() {
    let sim = sim();
    let client = client(&sim, "api.user", SECRET);
    let mut rows = rows(10);
    rows[4].record.insert("ID".into(), json!("c000001")); // row 6 repeats row 3's key
    rows[4].key = "c000001".into();
    rows[7].record.insert("Phone".into(), json!(" ")); // row 9: the required phone empty
    rows[8].record.insert("Phone".into(), json!("1425555010")); // row 10: 10 digits starting 1
    rows[9]
        .record
        .insert("Email".into(), json!("x@example.com")); // row 11: a field the list lacks
    let report = client
        .push(LIST, &rows, Mode::Add, &|_| {}, &AtomicBool::new(false))
        .unwrap();
    assert_eq!(report.added, 6);
    let rejected = |reason: &str| report.rejected.get(reason).cloned().unwrap_or_default();
    assert_eq!(
        rejected("duplicateKey"),
        [Rejected {
            row: Some(6),
            key: "c000001".into()
        }]
    );
    assert_eq!(
        rejected("missingRequired"),
        [Rejected {
            row: Some(9),
            key: "c000007".into()
        }]
    );
    let format: Vec<_> = rejected("formatError").into_iter().map(|r| r.row).collect();
    assert_eq!(format, [Some(10), Some(11)]);
    assert_eq!(sim.brightpattern().records(LIST).len(), 6);
    // Sent again, every row is now a duplicate or refused as before.
    let again = client
        .push(LIST, &rows, Mode::Add, &|_| {}, &AtomicBool::new(false))
        .unwrap();
    assert_eq!((again.added, again.rejected["duplicateKey"].len()), (0, 7));
}

#[test]
fn twenty_five_thousand_rows_go_in_batches_with_one_token() {
    let sim = sim();
    let client = client(&sim, "api.user", SECRET);
    let rows = rows(25_000);
    let started = Instant::now();
    let report = client
        .push(LIST, &rows, Mode::Replace, &|_| {}, &AtomicBool::new(false))
        .unwrap();
    let elapsed = started.elapsed();
    let bp = sim.brightpattern();
    assert_eq!((report.added, report.batches), (25_000, 25));
    assert_eq!(bp.count("POST v2/oauth/token"), 1);
    assert_eq!(bp.count("POST v2/callinglist/deleteAll"), 1);
    assert_eq!(bp.count("POST v2/callinglist/addAll"), 25);
    assert_eq!((report.requests, bp.total_requests()), (27, 27));
    assert_eq!(bp.records(LIST).len(), 25_000);
    eprintln!(
        "25,000 rows: {} requests in {elapsed:?} (client says {:?})",
        report.requests, report.elapsed
    );
}

#[test]
fn an_unknown_list_is_a_404_explained() {
    let sim = sim();
    let client = client(&sim, "api.user", SECRET);
    let error = client
        .push(
            "No Such List.csv",
            &rows(3),
            Mode::Add,
            &|_| {},
            &AtomicBool::new(false),
        )
        .unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");
    let text = error.to_string();
    assert!(
        text.contains("\"No Such List.csv\"") && text.contains("address"),
        "{text}"
    );
}

#[test]
fn a_401_in_the_middle_gets_a_new_token_and_loses_nothing() {
    let sim = sim();
    let bp = sim.brightpattern();
    let client = client(&sim, "api.user", SECRET);
    let rows = rows(3_500);
    let revoke = |p: dynbridge_brightpattern::Progress| {
        if p.batches_sent == 2 {
            bp.revoke_tokens();
        }
    };
    let report = client
        .push(LIST, &rows, Mode::Add, &revoke, &AtomicBool::new(false))
        .unwrap();
    assert_eq!(
        (report.added, report.rejected_count(), report.batches),
        (3_500, 0, 4)
    );
    assert_eq!(
        bp.count("POST v2/oauth/token"),
        2,
        "a new token after the 401"
    );
    assert_eq!(
        bp.count("POST v2/callinglist/addAll"),
        5,
        "the refused batch sent once more"
    );
    let stored: Vec<Value> = client
        .records(LIST, CAMPAIGN)
        .unwrap()
        .into_iter()
        .map(|r| r["ID"].clone())
        .collect();
    let sent: Vec<Value> = rows.iter().map(|r| json!(r.key)).collect();
    assert_eq!(stored, sent, "every row once, in order");
}

#[test]
fn throttling_and_outages_are_waited_out() {
    let sim = sim();
    let bp = sim.brightpattern();
    let client = client(&sim, "api.user", SECRET);
    bp.fail_next(429, 1, Some(1));
    bp.fail_next(503, 1, Some(0));
    let report = client
        .push(LIST, &rows(5), Mode::Add, &|_| {}, &AtomicBool::new(false))
        .unwrap();
    assert_eq!(report.added, 5);
    assert!(
        report.elapsed >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    // Beyond the budget the push gives up and says why.
    bp.fail_next(429, 1, Some(30));
    let client = common::client(&sim, "api.user", SECRET).with_budget(Duration::from_secs(5));
    let error = client.campaigns().unwrap_err();
    assert!(matches!(error, Error::GaveUp { .. }), "{error:?}");
}

#[test]
fn a_cancelled_push_says_how_far_it_got() {
    let sim = sim();
    let client = client(&sim, "api.user", SECRET);
    let cancel = AtomicBool::new(false);
    let stop = |p: dynbridge_brightpattern::Progress| {
        if p.batches_sent == 2 {
            cancel.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    };
    let report = client
        .push(LIST, &rows(5_000), Mode::Add, &stop, &cancel)
        .unwrap();
    assert!(report.cancelled);
    assert_eq!((report.rows_sent, report.added), (2_000, 2_000));
    assert_eq!(sim.brightpattern().records(LIST).len(), 2_000);
}
