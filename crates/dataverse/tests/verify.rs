//! Verify against the strict simulator: every verdict right, on contacts and on a table
//! without `donotphone`, in few requests, and nothing gathered lost to throttling,
//! outages, a table the user cannot read, a failure or a cancel.

mod common;

use std::ops::ControlFlow;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use dynbridge_core::guid::Guid;
use dynbridge_core::screenpop::{ObjectType, OBJECT_TYPES};
use dynbridge_dataverse::verify::{verify_rows, RowStatus, VerifyReport};
use dynbridge_dataverse::Session;
use dynbridge_sim::{Config, Fault, Records, Sim};
use serde_json::json;

fn guid(i: usize, tag: u32) -> Guid {
    format!("{i:08x}-{tag:04x}-4000-8000-{:012x}", i * 7)
        .parse()
        .unwrap()
}

/// `count` contacts; every 100th from the second is inactive, from the third not to be
/// phoned.
fn contacts(count: usize) -> (Vec<Guid>, Records) {
    let ids: Vec<Guid> = (0..count).map(|i| guid(i, 0)).collect();
    let rows = ids
        .iter()
        .enumerate()
        .map(|(i, id)| json!({ "contactid": id.to_string(), "fullname": format!("Person {i}"), "statecode": i32::from(i % 100 == 1), "donotphone": i % 100 == 2 }))
        .collect();
    (ids, [("contact".to_owned(), rows)].into_iter().collect())
}

fn object(bright_pattern: &str) -> &'static ObjectType {
    OBJECT_TYPES
        .iter()
        .find(|t| t.bright_pattern == bright_pattern)
        .unwrap()
}

/// Spreadsheet rows from row 2.
fn rows(ids: &[Guid]) -> Vec<(usize, Guid)> {
    ids.iter().enumerate().map(|(i, id)| (i + 2, *id)).collect()
}

fn run(session: &Session, bright_pattern: &str, ids: &[Guid]) -> VerifyReport {
    verify_rows(session, object(bright_pattern), &rows(ids), &|_| {
        ControlFlow::Continue(())
    })
    .expect("a report")
}

fn status(report: &VerifyReport, id: &Guid) -> RowStatus {
    report
        .rows
        .iter()
        .find(|r| r.id == id.to_string())
        .unwrap()
        .status
        .clone()
}

fn start(records: Records) -> Sim {
    Sim::start(
        Config {
            records,
            ..Config::default()
        },
        0,
    )
    .unwrap()
}

#[test]
fn ten_thousand_ids_are_verified_in_at_most_twenty_requests() {
    let (ids, records) = contacts(10_000);
    let sim = start(records);
    let cancel = AtomicBool::new(false);
    let session = common::session(&sim, &cancel);
    let before = sim.api_requests();
    let report = run(&session, "contact", &ids);
    let requests = sim.api_requests() - before;
    assert!(requests <= 20, "{requests} requests");
    assert!(report.complete(), "{:?}", report.findings);
    assert_eq!(
        (report.found, report.inactive, report.do_not_phone),
        (9_800, 100, 100)
    );
    println!("verify: 10,000 IDs in {requests} requests");
}

#[test]
fn every_verdict_on_contacts_and_on_a_table_without_do_not_phone() {
    let (ids, mut records) = contacts(5);
    let case = guid(1, 1);
    let closed_case = guid(2, 1);
    let lead = guid(3, 2);
    let missing = guid(4, 3);
    records.insert(
        "incident".into(),
        vec![
            json!({ "incidentid": case.to_string(), "title": "Broken phone", "statecode": 0 }),
            json!({ "incidentid": closed_case.to_string(), "title": "Old", "statecode": 1 }),
        ],
    );
    records.insert(
        "lead".into(),
        vec![json!({ "leadid": lead.to_string(), "fullname": "Lee Lead", "statecode": 0, "donotphone": false })],
    );
    let sim = start(records);
    let cancel = AtomicBool::new(false);
    let session = common::session(&sim, &cancel);

    let list = [ids[0], ids[1], ids[2], lead, missing];
    let report = run(&session, "contact", &list);
    assert!(report.complete(), "{:?}", report.findings);
    let expected = [
        RowStatus::Found,
        RowStatus::Inactive,
        RowStatus::DoNotPhone,
        RowStatus::OtherType,
        RowStatus::Missing,
    ];
    for (id, want) in list.iter().zip(expected) {
        assert_eq!(status(&report, id), want, "{id}");
    }
    assert_eq!(report.rows[0].name.as_deref(), Some("Person 0"));
    assert_eq!(report.rows[0].row, 2);
    assert_eq!(report.rows[3].other_type.as_deref(), Some("lead"));

    // `incident` has no donotphone: the strict simulator refuses a query selecting it.
    let report = run(&session, "case", &[case, closed_case, ids[0], missing]);
    assert!(report.complete(), "{:?}", report.findings);
    assert_eq!(status(&report, &case), RowStatus::Found);
    assert_eq!(report.rows[0].name.as_deref(), Some("Broken phone"));
    assert_eq!(status(&report, &closed_case), RowStatus::Inactive);
    assert_eq!(status(&report, &ids[0]), RowStatus::OtherType);
    assert_eq!(status(&report, &missing), RowStatus::Missing);
}

/// api-limits: Retry-After can exceed a few seconds and repeat while the limit holds.
#[test]
fn a_throttle_of_thirty_seconds_with_retry_after_fifteen_still_ends_with_every_verdict() {
    let (ids, records) = contacts(1_000);
    let sim = start(records);
    let cancel = AtomicBool::new(false);
    let session = common::session(&sim, &cancel);
    sim.throttle(Duration::from_secs(30), Duration::from_secs(15));
    let started = Instant::now();
    let report = run(&session, "contact", &ids);
    let took = started.elapsed();
    assert!(report.complete(), "{:?}", report.findings);
    assert_eq!(report.found + report.inactive + report.do_not_phone, 1_000);
    assert!(took >= Duration::from_secs(30), "{took:?}");
    println!("verify: 1,000 IDs under a 30 s throttle (Retry-After 15 s) in {took:?}");
}

#[test]
fn one_unavailable_answer_loses_nothing() {
    let (ids, records) = contacts(2_000);
    let sim = start(records);
    let cancel = AtomicBool::new(false);
    let session = common::session(&sim, &cancel);
    sim.fail_next(503, 1);
    let report = run(&session, "contact", &ids);
    assert!(report.complete(), "{:?}", report.findings);
    assert_eq!(report.unchecked, 0);
    assert_eq!(report.rows.len(), 2_000);
}

#[test]
fn a_table_the_user_cannot_read_leaves_the_other_verdicts() {
    let (ids, mut records) = contacts(3);
    let lead = guid(9, 2);
    records.insert(
        "lead".into(),
        vec![json!({ "leadid": lead.to_string(), "fullname": "Lee Lead", "statecode": 0, "donotphone": false })],
    );
    let sim = start(records);
    sim.deny_table("account");
    let cancel = AtomicBool::new(false);
    let session = common::session(&sim, &cancel);
    let report = run(&session, "contact", &[ids[0], ids[1], lead]);
    assert_eq!(status(&report, &ids[0]), RowStatus::Found);
    assert_eq!(status(&report, &ids[1]), RowStatus::Inactive);
    assert_eq!(status(&report, &lead), RowStatus::OtherType);
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    assert_eq!(report.findings[0].code, "verify.other_type_unchecked");
    assert!(report.findings[0].message.contains("account"));
}

#[test]
fn a_failure_part_way_keeps_every_verdict_gathered() {
    let (ids, records) = contacts(10_000);
    let sim = start(records);
    let cancel = AtomicBool::new(false);
    let session = common::session(&sim, &cancel);
    let report = verify_rows(&session, object("contact"), &rows(&ids), &|_| {
        sim.set_fault(Some(Fault::Http(500)));
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(report.findings[0].code, "verify.stopped");
    assert!(report.findings[0].message.contains("500"));
    let verdicts = report.found + report.inactive + report.do_not_phone;
    assert!(verdicts >= 625, "{verdicts}");
    assert!(report.unchecked >= 10_000 - 4 * 625);
    assert_eq!(verdicts + report.unchecked, 10_000);
}

#[test]
fn a_cancel_keeps_every_verdict_gathered() {
    let (ids, records) = contacts(5_000);
    let sim = start(records);
    let cancel = AtomicBool::new(false);
    let session = common::session(&sim, &cancel);
    let report = verify_rows(&session, object("contact"), &rows(&ids), &|done| {
        if done > 0 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .unwrap();
    assert_eq!(report.findings[0].code, "verify.cancelled");
    assert!(report.unchecked > 0 && report.found > 0);
    assert_eq!(
        report.found + report.inactive + report.do_not_phone + report.unchecked,
        5_000
    );
}
