//! Token, connection test and campaigns against the simulator; the secret never shows.

mod common;

use common::*;
use dynbridge_brightpattern::{Error, ListLookup};

#[test]
fn the_right_secret_gets_a_token_and_passes_the_test() {
    let sim = sim();
    let client = client(&sim, "api.user", SECRET);
    let report = client.test().unwrap();
    assert!(report.campaigns);
    assert_eq!(report.lists, Some(1));
    assert_eq!(
        sim.brightpattern().count("POST v2/oauth/token"),
        1,
        "one token for the test"
    );
}

#[test]
fn a_wrong_secret_is_explained() {
    let sim = sim();
    let error = client(&sim, "api.user", "not-the-secret")
        .test()
        .unwrap_err();
    assert!(matches!(error, Error::Unauthorized), "{error:?}");
    assert!(error.to_string().contains("API secret"), "{error}");
}

#[test]
fn a_user_without_the_list_privilege_is_told_which_one() {
    let sim = sim();
    let error = client(&sim, "no.lists", SECRET).test().unwrap_err();
    assert!(
        matches!(
            error,
            Error::Forbidden {
                privilege: "Manage Lists"
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("Manage Lists"));
    let push = client(&sim, "no.lists", SECRET)
        .push(
            LIST,
            &rows(1),
            dynbridge_brightpattern::Mode::Add,
            &|_| {},
            &Default::default(),
        )
        .unwrap_err();
    assert!(matches!(push, Error::Forbidden { .. }), "{push:?}");
    assert!(sim.brightpattern().records(LIST).is_empty());
}

#[test]
fn a_wrong_address_is_a_404_explained() {
    let sim = sim();
    // A server without the API at this address (a wrong tenant) answers 404.
    sim.brightpattern().fail_next(404, 1, None);
    let error = client(&sim, "api.user", SECRET).test().unwrap_err();
    assert!(matches!(error, Error::NoApi), "{error:?}");
    assert!(error.to_string().contains("address"), "{error}");
}

#[test]
fn campaigns_and_lists() {
    let sim = sim();
    let client = client(&sim, "api.user", SECRET);
    let campaigns = client.campaigns().unwrap();
    assert_eq!(campaigns.len(), 1);
    assert_eq!(
        (campaigns[0].name.as_str(), campaigns[0].state.as_str()),
        (CAMPAIGN, "STOPPED")
    );
    assert_eq!(campaigns[0].lists, [LIST]);
    let ListLookup::Found(list) = client.list(LIST).unwrap() else {
        panic!("the list")
    };
    assert_eq!(list.format_name, "Dynamics contacts");
    assert_eq!(client.list("Other.csv").unwrap(), ListLookup::NotFound);
}

#[test]
fn no_secret_in_any_error_or_debug_output() {
    let sim = sim();
    let wrong = "wrong-Secret-value-42";
    let client = client(&sim, "api.user", wrong);
    let mut outputs = vec![format!("{client:?}")];
    for error in [client.test().unwrap_err(), client.campaigns().unwrap_err()] {
        outputs.push(format!("{error:?}"));
        outputs.push(error.to_string());
    }
    let right = common::client(&sim, "api.user", SECRET);
    outputs.push(format!("{right:?}"));
    outputs.push(format!("{:?}", right.test()));
    sim.brightpattern().fail_next(503, 10, Some(0));
    outputs.push(format!(
        "{:?}",
        right.with_budget(std::time::Duration::ZERO).campaigns()
    ));
    for output in &outputs {
        assert!(
            !output.contains(wrong) && !output.contains(SECRET),
            "{output}"
        );
    }
}
