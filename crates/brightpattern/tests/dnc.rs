//! Do Not Call sync against the simulator.

mod common;

use common::*;
use dynbridge_brightpattern::DncMode;
use dynbridge_core::lists::phone::PhoneRules;

#[test]
fn phones_are_normalised_deduplicated_and_replaced() {
    let sim = sim();
    let client = client(&sim, "api.user", SECRET);
    let phones: Vec<String> = [
        "(425) 555-0100",
        "+1 425 555 0100",
        "206.555.0199",
        "n/a",
        "1425555010",
    ]
    .map(String::from)
    .to_vec();
    let report = client
        .dnc_sync(DNC, &phones, PhoneRules::NorthAmerica, DncMode::Add)
        .unwrap();
    assert_eq!((report.added, report.sent), (2, 2));
    assert_eq!(
        report.invalid,
        [(3, "n/a".to_owned()), (4, "1425555010".to_owned())]
    );
    assert_eq!(
        sim.brightpattern().dnc_numbers(DNC),
        ["14255550100", "12065550199"]
    );
    // Adding again adds nothing (duplicates ignored); replacing leaves only the new ones.
    let again = client
        .dnc_sync(DNC, &phones, PhoneRules::NorthAmerica, DncMode::Add)
        .unwrap();
    assert_eq!(again.added, 0);
    let replaced = client
        .dnc_sync(
            DNC,
            &["312 555 0142".to_owned()],
            PhoneRules::NorthAmerica,
            DncMode::Replace,
        )
        .unwrap();
    assert_eq!(replaced.added, 1);
    assert_eq!(sim.brightpattern().dnc_numbers(DNC), ["13125550142"]);
}

#[test]
fn an_unknown_dnc_list_is_a_404() {
    let sim = sim();
    let error = client(&sim, "api.user", SECRET)
        .dnc_sync(
            "Nope",
            &["4255550100".to_owned()],
            PhoneRules::NorthAmerica,
            DncMode::Add,
        )
        .unwrap_err();
    assert!(error.to_string().contains("\"Nope\""), "{error}");
}
