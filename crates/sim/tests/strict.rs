//! The simulator is as strict as the documented services: one test per rule it enforces
//! (columns, query options, `$filter`, URL length, paging, upsert, write validation,
//! service protection, denied tables, refresh-token policies, plain OAuth errors, v2
//! scopes), each asserting the status and Dataverse's or Entra's error.

use std::time::Duration;

use dynbridge_sim::{Config, Fault, Records, RefreshTokens, Sim};
use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::Method;
use serde_json::{json, Value};

// ------------------------------------------------------------------------- helpers

fn http() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn records(value: Value) -> Records {
    serde_json::from_value(value).unwrap()
}

/// A simulator with `records` and a client holding an access token for its Web API.
struct Api {
    sim: Sim,
    token: String,
    http: Client,
}

impl Api {
    fn new(config: Config) -> Self {
        let sim = Sim::start(config, 0).unwrap();
        let token = sim.issue_access_token();
        Self {
            sim,
            token,
            http: http(),
        }
    }

    fn with(records: Records) -> Self {
        Self::new(Config {
            records,
            ..Config::default()
        })
    }

    /// A request to `<api>/<path>`, or to `path` itself when it is absolute, with the
    /// headers every Dataverse request should carry (but `If-None-Match`).
    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}/{path}", self.sim.api_url())
        };
        self.http
            .request(method, url)
            .bearer_auth(&self.token)
            .header("Accept", "application/json")
            .header("OData-MaxVersion", "4.0")
            .header("OData-Version", "4.0")
    }

    /// A GET asking for fresh data (`If-None-Match: null`).
    fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path)
            .header("If-None-Match", "null")
            .send()
            .unwrap()
    }

    fn write(&self, method: Method, path: &str, body: Value) -> Response {
        self.request(method, path)
            .header("If-None-Match", "null")
            .json(&body)
            .send()
            .unwrap()
    }
}

/// (status, error code, error message) of an OData error answer.
fn odata_error(response: Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().unwrap();
    let text = |key: &str| body["error"][key].as_str().unwrap_or_default().to_owned();
    (status, text("code"), text("message"))
}

fn contacts(count: usize) -> Records {
    let rows: Vec<Value> = (0..count)
        .map(|i| {
            json!({
                "contactid": format!("{i:08x}-0000-4000-8000-{:012x}", i * 7),
                "fullname": format!("Person {i}"),
                "telephone1": "+1 425 555 0100",
                "statecode": i32::from(i % 10 == 1),
                "donotphone": i % 10 == 2,
            })
        })
        .collect();
    [("contact".to_owned(), rows)].into_iter().collect()
}

// ------------------------------------------------------------------ columns, options

#[test]
fn select_returns_only_the_named_columns_the_key_and_the_etag() {
    let api = Api::with(contacts(3));
    let body: Value = api.get("contacts?$select=fullname").json().unwrap();
    assert!(body["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("/$metadata#contacts(fullname)"));
    let row = body["value"][0].as_object().unwrap();
    let mut keys: Vec<&str> = row.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["@odata.etag", "contactid", "fullname"]);

    let everything: Value = api.get("contacts").json().unwrap();
    assert!(everything["value"][0].get("donotphone").is_some());
    assert!(
        everything["value"][0].get("emailaddress1").is_some(),
        "selected columns without a value are null"
    );
}

#[test]
fn an_unknown_column_in_select_or_filter_is_refused() {
    let api = Api::with(Records::new());
    let (status, code, message) = odata_error(api.get("incidents?$select=title,donotphone"));
    assert_eq!((status, code.as_str()), (400, "0x80060888"));
    assert_eq!(
        message,
        "Could not find a property named 'donotphone' on type 'Microsoft.Dynamics.CRM.incident'."
    );
    let (status, _, message) = odata_error(api.get("incidents?$filter=donotphone eq false"));
    assert_eq!(status, 400);
    assert!(message.contains("'donotphone'"), "{message}");
    let (status, _, message) = odata_error(api.get("contacts?$select=FullName"));
    assert_eq!(status, 400, "property names are case-sensitive: {message}");
}

#[test]
fn activity_tables_key_on_activityid() {
    let api = Api::with(records(json!({
        "phonecall": [{ "activityid": "a1000000-0000-4000-8000-000000000001", "subject": "Call" }]
    })));
    let body: Value = api
        .get("phonecalls(a1000000-0000-4000-8000-000000000001)?$select=subject")
        .json()
        .unwrap();
    assert_eq!(body["activityid"], "a1000000-0000-4000-8000-000000000001");
    let (status, ..) = odata_error(api.get("phonecalls?$select=phonecallid"));
    assert_eq!(status, 400);
}

#[test]
fn only_documented_query_options_are_accepted_exactly_as_spelled() {
    let api = Api::with(contacts(1));
    for query in [
        "$Select=fullname",
        "$skip=1",
        "$search=x",
        "$format=json",
        "$foo=1",
        "foo=1",
        "$top=1&$top=2",
    ] {
        let (status, code, message) = odata_error(api.get(&format!("contacts?{query}")));
        assert_eq!(
            (status, code.as_str()),
            (400, "0x80060888"),
            "{query}: {message}"
        );
    }
    let (status, _, message) = odata_error(api.get("contacts?$skip=1"));
    assert_eq!(status, 400);
    assert!(message.contains("$skip"), "{message}");
    for query in [
        "tag=dynbridge",
        "$count=true",
        "$orderby=fullname desc",
        "$filter=fullname eq @p1&@p1='Person 0'",
    ] {
        assert_eq!(
            api.get(&format!("contacts?{query}")).status(),
            200,
            "{query}"
        );
    }
    let (status, code, _) = odata_error(api.get("contacts?$expand=parentcustomerid_account"));
    assert_eq!(
        (status, code.as_str()),
        (501, "0x80040219"),
        "not silently ignored"
    );
}

#[test]
fn an_unparseable_filter_is_a_syntax_error_naming_the_position() {
    let api = Api::with(contacts(1));
    let (status, code, message) = odata_error(api.get("contacts?$filter=fullname eq"));
    assert_eq!((status, code.as_str()), (400, "0x80060888"));
    assert_eq!(message, "Syntax error at position 11 in 'fullname eq'.");
    let (status, _, message) = odata_error(api.get("contacts?$filter=statecode eq '0'"));
    assert_eq!(status, 400);
    assert!(message.contains("incompatible types"), "{message}");
    let (status, _, message) = odata_error(api.get("contacts?$filter=tolower(fullname) eq 'x'"));
    assert_eq!(status, 400);
    assert!(message.contains("unknown function"), "{message}");
}

#[test]
fn the_filter_language_is_evaluated_as_dataverse_does() {
    let api = Api::with(records(json!({ "contact": [
        { "contactid": "c0000000-0000-4000-8000-000000000001", "fullname": "Dana O'Neil", "statecode": 0, "donotphone": false },
        { "contactid": "c0000000-0000-4000-8000-000000000002", "fullname": "Bob Smith", "statecode": 1, "donotphone": true },
        { "contactid": "c0000000-0000-4000-8000-000000000003", "fullname": "Ann Smith", "statecode": 0, "donotphone": true }
    ]})));
    let count = |filter: &str| {
        let body: Value = api
            .get(&format!("contacts?$select=fullname&$filter={filter}"))
            .json()
            .unwrap();
        body["value"]
            .as_array()
            .unwrap_or_else(|| panic!("{filter}: {body}"))
            .len()
    };
    assert_eq!(
        count("fullname eq 'dana o''neil'"),
        1,
        "case-insensitive, '' escapes"
    );
    assert_eq!(
        count("contains(fullname,'SMITH') and not (donotphone eq false)"),
        2
    );
    assert_eq!(
        count("startswith(fullname,'b') or endswith(fullname,'neil')"),
        2
    );
    assert_eq!(
        count("statecode eq 0 and donotphone eq true or statecode gt 0"),
        2
    );
    assert_eq!(
        count("contactid eq C0000000-0000-4000-8000-000000000002"),
        1
    );
    assert_eq!(count("Microsoft.Dynamics.CRM.In(PropertyName='contactid',PropertyValues=['c0000000-0000-4000-8000-000000000001','c0000000-0000-4000-8000-000000000003'])"), 2);
    assert_eq!(count("fullname ne null and statecode le 0"), 2);
}

#[test]
fn top_limits_and_orderby_sorts() {
    let api = Api::with(contacts(5));
    let body: Value = api
        .get("contacts?$select=fullname&$orderby=fullname desc&$top=2")
        .json()
        .unwrap();
    let names: Vec<&str> = body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["fullname"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Person 4", "Person 3"]);
    assert!(body.get("@odata.nextLink").is_none());
}

#[test]
fn metadata_is_filtered_on_metadata_property_names() {
    let api = Api::with(records(json!({
        "attribute": [{ "entity": "phonecall", "logicalname": "bpattern_interactionid" }]
    })));
    let table: Value = api
        .get("EntityDefinitions(LogicalName='phonecall')?$select=EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute")
        .json()
        .unwrap();
    assert_eq!(
        (
            &table["EntitySetName"],
            &table["PrimaryIdAttribute"],
            &table["PrimaryNameAttribute"]
        ),
        (
            &json!("phonecalls"),
            &json!("activityid"),
            &json!("subject")
        )
    );
    assert!(
        table.get("LogicalName").is_none(),
        "only the selected properties"
    );

    let attributes = |query: &str| -> Vec<String> {
        let body: Value = api
            .get(&format!(
                "EntityDefinitions(LogicalName='phonecall')/Attributes?{query}"
            ))
            .json()
            .unwrap();
        body["value"]
            .as_array()
            .unwrap_or_else(|| panic!("{query}: {body}"))
            .iter()
            .map(|a| a["LogicalName"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        attributes("$select=LogicalName&$filter=LogicalName eq 'bpattern_interactionid'"),
        ["bpattern_interactionid"]
    );
    assert_eq!(attributes("$select=LogicalName,AttributeType&$filter=AttributeType eq Microsoft.Dynamics.CRM.AttributeTypeCode'Uniqueidentifier'"), ["activityid"]);
    assert!(attributes("$filter=startswith(SchemaName,'bpattern_')")
        .contains(&"bpattern_interactionid".to_owned()));
    let (status, _, message) = odata_error(api.get(
        "EntityDefinitions(LogicalName='phonecall')/Attributes?$filter=AttributeType eq 'String'",
    ));
    assert_eq!(status, 400, "an enum is not a string: {message}");
    let (status, _, message) = odata_error(
        api.get("EntityDefinitions(LogicalName='phonecall')/Attributes?$select=MaxLength"),
    );
    assert_eq!((status, message.as_str()), (400, "Could not find a property named 'MaxLength' on type 'Microsoft.Dynamics.CRM.AttributeMetadata'."));
}

#[test]
fn who_am_i_names_rows_that_exist() {
    let api = Api::new(dynbridge_sim::demo::config());
    let me: Value = api.get("WhoAmI").json().unwrap();
    let user: Value = api
        .get(&format!(
            "systemusers({})?$select=fullname",
            me["UserId"].as_str().unwrap()
        ))
        .json()
        .unwrap();
    assert_eq!(user["fullname"], "Avery Admin");
    let organization: Value = api
        .get(&format!(
            "organizations({})?$select=name",
            me["OrganizationId"].as_str().unwrap()
        ))
        .json()
        .unwrap();
    assert_eq!(organization["name"], "Contoso (demo)");
    let (status, code, _) = odata_error(api.request(Method::POST, "WhoAmI").send().unwrap());
    assert_eq!((status, code.as_str()), (404, ""));
}

// --------------------------------------------------------------------- URL, paging

#[test]
fn urls_over_32768_characters_are_refused() {
    let api = Api::with(contacts(1));
    let url = |length: usize| {
        let prefix = format!("{}/contacts?$filter=fullname%20eq%20'", api.sim.api_url());
        format!("{prefix}{}'", "a".repeat(length - prefix.len() - 1))
    };
    let fine = api.get(&url(32_000));
    assert_eq!(fine.status(), 200);
    let (status, _, message) = odata_error(api.get(&url(40_000)));
    assert_eq!(status, 414);
    assert!(message.contains("32768"), "{message}");
}

/// Follows `@odata.nextLink` as-is with the same preference; the page sizes seen.
fn pages(api: &Api, first: &str, prefer: &str) -> (Vec<usize>, Vec<String>) {
    let (mut sizes, mut ids) = (Vec::new(), Vec::new());
    let mut next = Some(first.to_owned());
    while let Some(url) = next {
        let response = api
            .request(Method::GET, &url)
            .header("Prefer", prefer)
            .send()
            .unwrap();
        assert_eq!(response.status(), 200);
        let applied = response
            .headers()
            .get("Preference-Applied")
            .map(|v| v.to_str().unwrap().to_owned());
        let body: Value = response.json().unwrap();
        let value = body["value"].as_array().unwrap();
        assert_eq!(
            applied,
            Some(format!(
                "odata.maxpagesize={}",
                sizes.first().copied().unwrap_or(value.len())
            ))
        );
        sizes.push(value.len());
        ids.extend(
            value
                .iter()
                .map(|r| r["contactid"].as_str().unwrap().to_owned()),
        );
        next = body["@odata.nextLink"].as_str().map(str::to_owned);
        if let Some(link) = &next {
            assert!(link.starts_with("http://"), "absolute: {link}");
            assert!(link.contains("$skiptoken="), "{link}");
        }
    }
    (sizes, ids)
}

#[test]
fn pages_hold_at_most_the_preferred_size_and_link_to_the_next() {
    let api = Api::with(contacts(5));
    let (sizes, ids) = pages(
        &api,
        "contacts?$select=fullname&$filter=statecode ne 9",
        "odata.maxpagesize=2",
    );
    assert_eq!(sizes, [2, 2, 1]);
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(unique.len(), 5, "every row once: {ids:?}");
    let (status, code, _) = odata_error(api.get("contacts?$skiptoken=made-up"));
    assert_eq!((status, code.as_str()), (400, "0x8004112A"));
}

#[test]
fn pages_are_capped_at_5000_rows() {
    let api = Api::with(contacts(12_000));
    let (sizes, ids) = pages(
        &api,
        "contacts?$select=contactid",
        "odata.maxpagesize=10000",
    );
    assert_eq!(sizes, [5000, 5000, 2000]);
    assert_eq!(ids.len(), 12_000);
    let unpreferred = api.get("contacts?$select=contactid");
    assert!(unpreferred.headers().get("Preference-Applied").is_none());
    let body: Value = unpreferred.json().unwrap();
    assert_eq!(
        body["value"].as_array().unwrap().len(),
        5000,
        "the default page"
    );
    assert!(body["@odata.nextLink"].is_string());
}

#[test]
fn if_none_match_null_is_fresh_data_and_an_etag_answers_304() {
    let api = Api::with(contacts(1));
    let row: Value = api
        .get("contacts(00000000-0000-4000-8000-000000000000)")
        .json()
        .unwrap();
    let etag = row["@odata.etag"].as_str().unwrap();
    let unchanged = api
        .request(
            Method::GET,
            "contacts(00000000-0000-4000-8000-000000000000)",
        )
        .header("If-None-Match", etag)
        .send()
        .unwrap();
    assert_eq!(unchanged.status(), 304);
    let (status, code, message) =
        odata_error(api.get("contacts(ffffffff-0000-4000-8000-000000000000)"));
    assert_eq!((status, code.as_str()), (404, "0x80040217"));
    assert_eq!(
        message,
        "Entity 'contact' With Id = ffffffff-0000-4000-8000-000000000000 Does Not Exist"
    );
}

// --------------------------------------------------------------------------- writes

#[test]
fn patch_upserts_unless_if_match_and_if_none_match_prevents_update() {
    let api = Api::with(Records::new());
    let id = "e0000000-0000-4000-8000-000000000001";
    let created = api.write(
        Method::PATCH,
        &format!("contacts({id})"),
        json!({ "fullname": "New Person" }),
    );
    assert_eq!(created.status(), 204);
    assert!(created.headers()["OData-EntityId"]
        .to_str()
        .unwrap()
        .ends_with(&format!("/contacts({id})")));
    assert_eq!(api.sim.rows("contact")[0]["fullname"], "New Person");

    let missing = "e0000000-0000-4000-8000-000000000002";
    let refused = api
        .request(Method::PATCH, &format!("contacts({missing})"))
        .header("If-Match", "*")
        .json(&json!({ "fullname": "Ghost" }))
        .send()
        .unwrap();
    let (status, code, message) = odata_error(refused);
    assert_eq!((status, code.as_str()), (404, ""));
    assert_eq!(
        message,
        format!("contact With Id = {missing} Does Not Exist")
    );
    assert_eq!(api.sim.rows("contact").len(), 1, "not created");

    let no_update = api
        .request(Method::PATCH, &format!("contacts({id})"))
        .header("If-None-Match", "*")
        .json(&json!({ "fullname": "Changed" }))
        .send()
        .unwrap();
    let (status, _, message) = odata_error(no_update);
    assert_eq!(
        (status, message.as_str()),
        (412, "A record with matching key values already exists.")
    );

    let updated = api
        .request(Method::PATCH, &format!("contacts({id})?$select=fullname"))
        .header("If-Match", "*")
        .header("Prefer", "return=representation")
        .json(&json!({ "fullname": "Changed" }))
        .send()
        .unwrap();
    assert_eq!(updated.status(), 200);
    assert_eq!(updated.json::<Value>().unwrap()["fullname"], "Changed");

    let deleted = api
        .request(Method::DELETE, &format!("contacts({id})"))
        .send()
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(odata_error(api.get(&format!("contacts({id})"))).0, 404);
}

#[test]
fn written_values_are_checked_against_the_column_metadata() {
    let api = Api::with(Records::new());
    let post = |body: Value| odata_error(api.write(Method::POST, "msdyn_ciproviders", body));

    let (status, code, message) = post(json!({ "msdyn_name": "BP", "msdyn_sortorder": 1001 }));
    assert_eq!((status, code.as_str()), (400, "0x80044331"));
    assert!(
        message.ends_with("is outside the valid range. Accepted Range: 0 to 1000"),
        "{message}"
    );

    let (status, code, message) =
        post(json!({ "msdyn_name": "BP", "msdyn_label": "x".repeat(101) }));
    assert_eq!((status, code.as_str()), (400, "0x80044331"));
    assert_eq!(message, "A validation error occurred. The length of the 'msdyn_label' attribute of the 'msdyn_ciprovider' entity exceeded the maximum allowed length of '100'.");

    let (status, code, _) = post(json!({ "msdyn_ciproviderapiversion": 2 }));
    assert_eq!((status, code.as_str()), (400, "0x8004431A"));

    let (status, code, message) = post(json!({ "msdyn_sortorder": "1" }));
    assert_eq!((status, code.as_str()), (400, "0x80048d19"));
    assert!(message.contains("Edm.Int32"), "{message}");

    let (status, code, message) = post(json!({ "msdyn_Label": "x" }));
    assert_eq!((status, code.as_str()), (400, "0x80048d19"));
    assert!(message.contains("Invalid property 'msdyn_Label' was found in entity 'Microsoft.Dynamics.CRM.msdyn_ciprovider'"), "{message}");

    let (status, _, message) = post(
        json!({ "parentcustomerid@odata.bind": "accounts(a0000000-0000-4000-8000-000000000001)" }),
    );
    assert_eq!(status, 400);
    assert!(
        message.contains("An undeclared property 'parentcustomerid'"),
        "{message}"
    );

    let good = api.write(Method::POST, "msdyn_ciproviders", json!({ "msdyn_name": "BP", "msdyn_label": "x".repeat(100), "msdyn_sortorder": 1000, "msdyn_clicktoact": true, "msdyn_ciproviderapiversion": 0 }));
    assert_eq!(good.status(), 204);
    assert!(good.headers().contains_key("OData-EntityId"));
    assert_eq!(
        api.sim.rows("msdyn_ciprovider").len(),
        1,
        "nothing invalid was written"
    );
}

// --------------------------------------------------------- service protection, faults

#[test]
fn a_throttle_answers_429_with_a_repeating_retry_after() {
    let api = Api::with(Records::new());
    api.sim
        .throttle(Duration::from_secs(30), Duration::from_secs(15));
    for _ in 0..2 {
        let response = api.get("WhoAmI");
        assert_eq!(response.headers()["Retry-After"], "15");
        let (status, code, message) = odata_error(response);
        assert_eq!((status, code.as_str()), (429, "0x80072322"));
        assert_eq!(
            message,
            "Number of requests exceeded the limit of 6000 over time window of 300 seconds."
        );
    }
    api.sim.throttle(Duration::ZERO, Duration::ZERO);
    assert_eq!(api.get("WhoAmI").status(), 200);
}

#[test]
fn the_request_window_refuses_requests_beyond_its_limit() {
    let api = Api::new(Config {
        requests_per_window: Some(3),
        request_window_secs: 60,
        ..Config::default()
    });
    for _ in 0..3 {
        assert_eq!(api.get("WhoAmI").status(), 200);
    }
    let refused = api.get("WhoAmI");
    let retry: u64 = refused.headers()["Retry-After"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let (status, code, message) = odata_error(refused);
    assert_eq!((status, code.as_str()), (429, "0x80072322"));
    assert_eq!(
        message,
        "Number of requests exceeded the limit of 3 over time window of 60 seconds."
    );
}

#[test]
fn more_than_52_concurrent_requests_are_refused() {
    let api = Api::with(Records::new());
    api.sim.set_fault(Some(Fault::SlowMs(1500)));
    let statuses: Vec<(u16, Option<String>)> = std::thread::scope(|scope| {
        let calls: Vec<_> = (0..60)
            .map(|_| {
                scope.spawn(|| {
                    let response = api.get("WhoAmI");
                    let status = response.status().as_u16();
                    let code = (status == 429).then(|| odata_error(response).1);
                    (status, code)
                })
            })
            .collect();
        calls.into_iter().map(|c| c.join().unwrap()).collect()
    });
    let ok = statuses.iter().filter(|(s, _)| *s == 200).count();
    let throttled: Vec<_> = statuses.iter().filter(|(s, _)| *s == 429).collect();
    assert!(ok <= 52, "{ok} answered at once");
    assert!(!throttled.is_empty());
    assert!(throttled
        .iter()
        .all(|(_, code)| code.as_deref() == Some("0x80072326")));
}

#[test]
fn fail_next_fails_that_many_requests_then_recovers() {
    let api = Api::with(Records::new());
    api.sim.fail_next(503, 1);
    let failed = api.get("WhoAmI");
    assert_eq!(failed.status(), 503);
    assert!(failed.text().unwrap().contains("Service Unavailable"));
    assert_eq!(api.get("WhoAmI").status(), 200);
    let before = api.sim.api_requests();
    api.sim.fail_next(502, 2);
    assert_eq!(api.get("WhoAmI").status(), 502);
    assert_eq!(api.get("WhoAmI").status(), 502);
    assert_eq!(api.get("WhoAmI").status(), 200);
    assert_eq!(
        api.sim.api_requests() - before,
        3,
        "refused requests count too"
    );
}

#[test]
fn a_denied_table_answers_403_but_its_metadata_stays_readable() {
    let api = Api::with(contacts(1));
    api.sim.deny_table("account");
    let (status, code, message) = odata_error(api.get("accounts?$select=name"));
    assert_eq!((status, code.as_str()), (403, "0x80040220"));
    assert!(
        message.starts_with("Principal user (Id=c1d2e3f4-0000-4000-8000-000000000001"),
        "{message}"
    );
    assert!(
        message.contains("is missing prvReadAccount privilege"),
        "{message}"
    );
    let (_, _, message) = odata_error(api.write(Method::POST, "accounts", json!({ "name": "X" })));
    assert!(message.contains("prvCreateAccount"), "{message}");
    assert_eq!(
        api.get("EntityDefinitions(LogicalName='account')").status(),
        200
    );
    assert_eq!(
        api.get("contacts").status(),
        200,
        "other tables are readable"
    );
    api.sim.allow_all_tables();
    assert_eq!(api.get("accounts").status(), 200);
}

#[test]
fn the_legacy_faults_still_apply_to_every_request() {
    let api = Api::with(Records::new());
    api.sim.set_fault(Some(Fault::Http(429)));
    let throttled = api.get("WhoAmI");
    assert_eq!(
        (
            throttled.status().as_u16(),
            throttled.headers()["Retry-After"].to_str().unwrap()
        ),
        (429, "1")
    );
    api.sim.set_fault(Some(Fault::BadJson));
    assert!(api.get("WhoAmI").json::<Value>().is_err());
    api.sim.set_fault(None);
    let stranger = http()
        .get(format!("{}/WhoAmI", api.sim.api_url()))
        .bearer_auth("made-up")
        .send()
        .unwrap();
    assert_eq!(stranger.status(), 401);
}

// ---------------------------------------------------------------------------- Entra

const REDIRECT: &str = "http://localhost:8123/dynbridge/callback";

/// Signs in at v1 (`scope: None`) or v2 and redeems the code; the token response.
fn sign_in(sim: &Sim, scope: Option<&str>) -> Value {
    let config = sim.config();
    let mut url = url::Url::parse(&match scope {
        None => sim.authorization_url(),
        Some(_) => sim.v2_authorization_url(),
    })
    .unwrap();
    url.query_pairs_mut()
        .append_pair("client_id", &config.client_id)
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", REDIRECT)
        .append_pair("state", "s");
    match scope {
        None => url
            .query_pairs_mut()
            .append_pair("resource", &sim.base_url()),
        Some(scope) => url.query_pairs_mut().append_pair("scope", scope),
    };
    let answer = http().get(url).send().unwrap();
    let location = url::Url::parse(answer.headers()["location"].to_str().unwrap()).unwrap();
    let code = location
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("{location}"));
    let token_url = if scope.is_some() {
        sim.v2_token_url()
    } else {
        sim.token_url()
    };
    http()
        .post(token_url)
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", &config.client_id),
            ("client_secret", &config.client_secret),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ])
        .send()
        .unwrap()
        .json()
        .unwrap()
}

/// A refresh at v1 (`v2: false`) or v2, with an optional `scope`.
fn refresh(sim: &Sim, v2: bool, token: &str, scope: Option<&str>) -> (u16, Value) {
    let config = sim.config();
    let mut form = vec![
        ("grant_type", "refresh_token"),
        ("client_id", config.client_id.as_str()),
        ("client_secret", config.client_secret.as_str()),
        ("refresh_token", token),
    ];
    form.extend(scope.map(|s| ("scope", s)));
    let url = if v2 {
        sim.v2_token_url()
    } else {
        sim.token_url()
    };
    let response = http().post(url).form(&form).send().unwrap();
    (response.status().as_u16(), response.json().unwrap())
}

fn entra() -> Sim {
    Sim::start(Config::default(), 0).unwrap()
}

#[test]
fn rotate_issues_a_new_refresh_token_and_keeps_the_old_one_valid() {
    let sim = entra();
    let first = sign_in(&sim, None);
    assert_eq!(
        (&first["expires_in"], &first["expires_on"]),
        (&json!("3599"), &json!("4102444800")),
        "v1 sends strings"
    );
    let old = first["refresh_token"].as_str().unwrap();
    let (status, second) = refresh(&sim, false, old, None);
    assert_eq!(status, 200);
    assert_ne!(second["refresh_token"].as_str().unwrap(), old);
    assert_eq!(
        refresh(&sim, false, old, None).0,
        200,
        "Entra does not revoke used refresh tokens"
    );
}

#[test]
fn rotate_strict_refuses_a_used_refresh_token_with_a_plain_error() {
    let sim = entra();
    sim.set_refresh_tokens(RefreshTokens::RotateStrict);
    let old = sign_in(&sim, None)["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, second) = refresh(&sim, false, &old, None);
    assert_eq!(status, 200);
    let (status, refused) = refresh(&sim, false, &old, None);
    assert_eq!(
        (status, refused["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert!(!refused["error_description"]
        .as_str()
        .unwrap()
        .contains("AADSTS"));
    assert!(refused.get("error_codes").is_none());
    assert_eq!(
        refresh(&sim, false, second["refresh_token"].as_str().unwrap(), None).0,
        200,
        "the new one works"
    );
}

#[test]
fn keep_old_answers_refreshes_without_a_refresh_token() {
    let sim = Sim::start(
        Config {
            refresh_tokens: RefreshTokens::KeepOld,
            ..Config::default()
        },
        0,
    )
    .unwrap();
    let old = sign_in(&sim, None)["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    for _ in 0..2 {
        let (status, answer) = refresh(&sim, false, &old, None);
        assert_eq!(status, 200);
        assert!(answer.get("refresh_token").is_none());
        assert!(answer["access_token"].is_string());
    }
}

#[test]
fn never_issues_no_refresh_token_even_at_sign_in() {
    let sim = entra();
    sim.set_refresh_tokens(RefreshTokens::Never);
    let answer = sign_in(&sim, None);
    assert!(answer["access_token"].is_string());
    assert!(answer.get("refresh_token").is_none());
}

#[test]
fn oauth_faults_are_plain_rfc_6749_errors() {
    let sim = entra();
    for (error, status) in [
        ("invalid_request", 400),
        ("invalid_client", 401),
        ("invalid_grant", 400),
        ("unauthorized_client", 400),
        ("unsupported_grant_type", 400),
        ("invalid_scope", 400),
    ] {
        sim.set_fault(Some(Fault::OAuth(error)));
        let (got, body) = refresh(&sim, false, "any", None);
        assert_eq!((got, body["error"].as_str()), (status, Some(error)));
        let description = body["error_description"].as_str().unwrap();
        assert!(!description.contains("AADSTS"), "{description}");
        assert_eq!(
            body.as_object().unwrap().len(),
            2,
            "error and error_description only: {body}"
        );
    }
}

#[test]
fn v2_tokens_follow_the_granted_scopes() {
    let sim = entra();
    let resource_scope = format!("{}/user_impersonation", sim.base_url());
    let granted = sign_in(&sim, Some(&format!("{resource_scope} offline_access")));
    assert_eq!(granted["expires_in"], json!(3599), "v2 sends numbers");
    assert_eq!(
        granted["scope"],
        json!(resource_scope),
        "offline_access is not listed"
    );
    let refresh_token = granted["refresh_token"].as_str().unwrap();

    let (status, widened) = refresh(
        &sim,
        true,
        refresh_token,
        Some(&format!(
            "{resource_scope} https://graph.microsoft.com/User.Read"
        )),
    );
    assert_eq!(
        (status, widened["error"].as_str()),
        (400, Some("invalid_scope"))
    );
    let (status, same) = refresh(&sim, true, refresh_token, None);
    assert_eq!(
        (status, &same["scope"]),
        (200, &json!(resource_scope)),
        "no scope: the original ones"
    );
    let works = http()
        .get(format!("{}/WhoAmI", sim.api_url()))
        .bearer_auth(same["access_token"].as_str().unwrap())
        .send()
        .unwrap();
    assert_eq!(works.status(), 200);

    let online_only = sign_in(&sim, Some(&resource_scope));
    assert!(
        online_only.get("refresh_token").is_none(),
        "no offline_access, no refresh token"
    );
}

#[test]
fn v2_refuses_the_v1_resource_parameter() {
    let sim = entra();
    let config = sim.config();
    let mut url = url::Url::parse(&sim.v2_authorization_url()).unwrap();
    url.query_pairs_mut()
        .append_pair("client_id", &config.client_id)
        .append_pair("redirect_uri", REDIRECT)
        .append_pair("resource", &sim.base_url())
        .append_pair("scope", "openid");
    let answer = http().get(url).send().unwrap();
    let location = answer.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("error=invalid_request"), "{location}");
    assert!(location.contains("AADSTS901002"), "{location}");
}
