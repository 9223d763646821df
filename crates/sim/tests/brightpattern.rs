//! The Bright Pattern simulator refuses what the documents say the service refuses.

use dynbridge_sim::brightpattern::tenant::Tenant;
use dynbridge_sim::brightpattern::tenant::{DEMO_LIST, DEMO_LOGIN, DEMO_SECRET};
use dynbridge_sim::{Config, Sim};
use reqwest::blocking::Client;
use serde_json::{json, Value};

fn start(tenant: Tenant) -> Sim {
    Sim::start(
        Config {
            brightpattern: tenant,
            ..Config::default()
        },
        0,
    )
    .unwrap()
}

fn token(http: &Client, sim: &Sim, scope: &str) -> reqwest::blocking::Response {
    http.post(format!("{}/configapi/v2/oauth/token", sim.base_url()))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", DEMO_LOGIN),
            ("client_secret", DEMO_SECRET),
            ("scope", scope),
        ])
        .send()
        .unwrap()
}

#[test]
fn tokens_need_the_called_host_as_scope_and_expire() {
    let http = Client::new();
    let sim = start(Tenant {
        token_lifetime_secs: 0,
        ..Tenant::default()
    });
    assert_eq!(
        token(&http, &sim, "example.brightpattern.com").status(),
        401
    );
    let answer: Value = token(&http, &sim, "127.0.0.1").json().unwrap();
    assert_eq!(
        answer["expires_in"],
        json!("0"),
        "expires_in is a JSON string"
    );
    let access = answer["access_token"].as_str().unwrap();
    let campaigns = http
        .get(format!("{}/configapi/v2/campaign/getAll/", sim.base_url()))
        .bearer_auth(access)
        .send()
        .unwrap();
    assert_eq!(campaigns.status(), 401, "an expired token");
}

#[test]
fn refusals_as_documented() {
    let http = Client::new();
    let sim = start(Tenant::default());
    let answer: Value = token(&http, &sim, "127.0.0.1").json().unwrap();
    let access = answer["access_token"].as_str().unwrap().to_owned();
    let list = DEMO_LIST.replace(' ', "%20");
    let url = |path: &str| format!("{}/configapi/{path}", sim.base_url());
    let post = |path: &str, body: Value| {
        http.post(url(path))
            .bearer_auth(&access)
            .json(&body)
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(
        post(
            &format!("v2/callinglist/getAll/{list}/x"),
            json!({"fromIndex": 0, "maxSize": 1001})
        ),
        400
    );
    assert_eq!(
        post(
            &format!("v2/callinglist/getAll/{list}/x"),
            json!({"fromIndex": 0, "maxSize": "100"})
        ),
        200
    );
    assert_eq!(post("v2/callinglist/addAll/Nope.csv", json!([])), 404);
    assert_eq!(post("v3/callinglist/getAll", json!({"limit": 101})), 400);
    assert_eq!(post("v2/campaign/getAll/", json!({})), 405);
    let text = http
        .post(url(&format!("v2/callinglist/addAll/{list}")))
        .bearer_auth(&access)
        .body("[]")
        .send()
        .unwrap();
    assert_eq!(text.status(), 415, "no JSON content type");
    let mixed: Value = http
        .post(url(&format!("v2/callinglist/addAll/{list}")))
        .bearer_auth(&access)
        .json(&json!([{"DYN_ID": "1", "business phone": "4255550100"}, {"dyn_id": "2", "Business Phone": 4255550101u64, "Extra": "x"}, {"dyn_id": "3", "Business Phone": "n/a"}]))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(
        mixed["added"], 1,
        "names match case-insensitively, integers are text"
    );
    assert_eq!(
        mixed["error"]["formatError"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(
        sim.brightpattern().records(DEMO_LIST)[0]["Business Phone"],
        "14255550100"
    );
}
