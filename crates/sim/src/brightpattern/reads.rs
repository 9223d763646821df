//! Campaigns (v2 and v3) and the v3 list catalogue.
//!
//! Sources: S1/S8 v2 `GET campaign/getAll/` → `[{"name","state","lists":[names]}]`,
//! enabled campaigns only, possibly `[]`; S2/S3 v3 `GET campaign/getAll` →
//! `[{"id","name","state"}]` and `GET campaign/getCampaign/<id>` → the campaign with
//! its `lists` (`id,name,instanceId,instanceName,enabled,order,dialingRatio,
//! sortingOrder,totalRecords`) and `dncLists`, 404 for an unknown campaign; S2/S3
//! `POST callinglist/getAll` `{"limit","cursor"}` → `{"next_cursor","records":[{"id",
//! "name","formatId","formatName","totalRecords"}]}`, sorted by the record ID, 400 for
//! a limit out of range or a wrong cursor.
//!
//! No v3/v3.1/v3.2 method returns a list format's *fields* (S2, S3: `getAll` and
//! `getList` give `formatId` and `formatName` only), so the simulator serves none.

use serde_json::{json, Value};

use super::answer::{bad_request, not_found, ok, Answer};
use super::tenant::{Campaign, Tenant};

fn state(campaign: &Campaign) -> &'static str {
    if campaign.running {
        "RUNNING"
    } else {
        "STOPPED"
    }
}

/// `campaign/getAll`: v2 names the bound lists, v3 gives the campaign's ID instead.
pub(crate) fn campaigns(tenant: &Tenant, v3: bool) -> axum::response::Response {
    let enabled = tenant.campaigns.iter().filter(|c| c.enabled);
    ok(Value::Array(
        enabled
            .map(|c| {
                if v3 {
                    json!({ "id": c.id, "name": c.name, "state": state(c) })
                } else {
                    json!({ "name": c.name, "state": state(c), "lists": c.lists })
                }
            })
            .collect(),
    ))
}

/// v3 `campaign/getCampaign/<id>` (the answer without `include`, S3).
pub(crate) fn campaign(tenant: &Tenant, id: &str) -> Answer {
    let campaign = tenant
        .campaigns
        .iter()
        .find(|c| c.id.eq_ignore_ascii_case(id))
        .ok_or_else(|| not_found("Specified campaign was not found"))?;
    let lists: Vec<Value> = campaign
        .lists
        .iter()
        .enumerate()
        .filter_map(|(order, name)| {
            let list = tenant.lists.iter().find(|l| &l.name == name)?;
            Some(json!({
                "id": list.id, "name": list.name,
                "instanceId": crate::web_api::stable_guid(&format!("{}/{}", campaign.id, list.id)).to_uppercase(),
                "instanceName": "", "enabled": true, "order": order + 1, "dialingRatio": 1,
                "sortingOrder": { "type": "NATURAL", "sortingFields": [] },
                "totalRecords": list.records.len(),
            }))
        })
        .collect();
    Ok(ok(json!({
        "name": campaign.name,
        "enabled": campaign.enabled,
        "state": state(campaign),
        "direction": "OUTBOUND_VOICE",
        "lists": lists,
        "dncLists": [],
    })))
}

/// The most lists one page may ask for: S2 says ≤ 100, the 2025 revision S3 ≤ 1000; a
/// 3.0 server would refuse more than 100, so the simulator does.
const MAX_LISTS_PER_PAGE: u64 = 100;

/// v3 `POST callinglist/getAll`: a page of lists from the cursor (the ID of the first
/// list of the page; `null` or absent for the first page), `next_cursor` the ID of the
/// list after the page, `null` on the last page.
pub(crate) fn lists(tenant: &Tenant, body: &Value) -> Answer {
    let limit = body["limit"]
        .as_u64()
        .filter(|n| (1..=MAX_LISTS_PER_PAGE).contains(n))
        .ok_or_else(|| bad_request("'limit' is required: 1...100 is expected"))?;
    let mut lists: Vec<_> = tenant.lists.iter().collect();
    lists.sort_by(|a, b| a.id.cmp(&b.id));
    let start = match &body["cursor"] {
        Value::Null => 0,
        Value::String(cursor) => lists
            .iter()
            .position(|l| &l.id == cursor)
            .ok_or_else(|| bad_request("wrong cursor"))?,
        _ => return Err(bad_request("wrong cursor")),
    };
    let end = (start + limit as usize).min(lists.len());
    let records: Vec<Value> = lists[start..end]
        .iter()
        .map(|l| {
            json!({
                "id": l.id, "name": l.name, "formatId": l.format_id,
                "formatName": l.format_name, "totalRecords": l.records.len(),
            })
        })
        .collect();
    let next = lists.get(end).map(|l| l.id.clone());
    Ok(ok(json!({ "next_cursor": next, "records": records })))
}
