//! Do Not Call records, v2: `POST donotcalllist/add/<dnc>` and `replaceAll/<dnc>`.
//!
//! Sources: S1, S9, S3 "Add Records DEPRECATED" / "Replace Records DEPRECATED": the
//! body is `["123…",…]` or `[["123…","comment"],…]`; the answer `{"added": n}` counts
//! the numbers appended, duplicates silently ignored; `replaceAll` removes every record
//! first; 404 "DNC List is not found".
//!
//! UNCONFIRMED, and chosen here: numbers are stored trimmed as sent (no document says a
//! DNC list normalises them: clients send them normalised as calling lists store
//! phones); an empty number, or an element of another shape, makes the request a 400;
//! a number repeated within one request is a duplicate like any other.

use std::collections::HashSet;

use serde_json::{json, Value};

use super::answer::{bad_request, not_found, ok, Answer};
use super::tenant::Tenant;

pub(crate) fn add(tenant: &mut Tenant, name: &str, body: &Value, replace: bool) -> Answer {
    let dnc = tenant
        .dnc_lists
        .iter_mut()
        .find(|d| d.name == name)
        .ok_or_else(|| not_found("DNC List is not found"))?;
    let items = body
        .as_array()
        .ok_or_else(|| bad_request("format not understood: an array is expected"))?;
    let numbers = items
        .iter()
        .map(|item| {
            let number = match item {
                Value::String(n) => Some(n.as_str()),
                Value::Array(pair) if (1..=2).contains(&pair.len()) => pair[0].as_str(),
                _ => None,
            };
            number
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .ok_or_else(|| bad_request("format not understood: a number is expected"))
        })
        .collect::<Answer<Vec<&str>>>()?;
    if replace {
        dnc.numbers.clear();
    }
    let mut known: HashSet<String> = dnc.numbers.iter().cloned().collect();
    let before = dnc.numbers.len();
    for number in numbers {
        if known.insert(number.to_owned()) {
            dnc.numbers.push(number.to_owned());
        }
    }
    Ok(ok(json!({ "added": dnc.numbers.len() - before })))
}
