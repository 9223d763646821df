//! The demo tenant: sample records so a new user can try every online feature without
//! a tenant of their own (`dynbridge sim`, the app's "Try the demo tenant").

use serde_json::json;

use crate::{Config, Records};

/// The first names of the demo contacts, one per row.
const PEOPLE: &[&str] = &[
    "Ann Müller",
    "Bob Ørsted",
    "Chen Wei",
    "Dana O'Neil",
    "Eve Adams",
    "Frank Nocall",
    "Gina Inactive",
    "Hugo Martin",
    "Ida Tenone",
    "Jon Snow",
];

/// The demo tenant's configuration: contacts (one inactive, one not to be phoned),
/// accounts, the CIF and Bright Pattern solutions, two apps, two roles and the
/// `bpattern_` activity fields; no channel provider yet, so the doctor has work to show.
/// The signed-in user and the organization get their rows when the simulator starts.
pub fn config() -> Config {
    let contacts: Vec<_> = PEOPLE
        .iter()
        .enumerate()
        .map(|(i, name)| json!({ "contactid": contact_id(i), "fullname": name, "telephone1": format!("+1 425 555 01{i:02}"), "statecode": i32::from(name.ends_with("Inactive")), "donotphone": name.ends_with("Nocall") }))
        .collect();
    let records: Records = [
        ("contact", contacts),
        ("account", vec![json!({ "accountid": "a0000000-0000-4000-8000-000000000001", "name": "Contoso", "telephone1": "+1 425 555 0100", "statecode": 0, "donotphone": false })]),
        ("solution", vec![
            json!({ "solutionid": "50000000-0000-4000-8000-000000000001", "uniquename": "ChannelAPIIntegrationFramework", "friendlyname": "Channel Integration Framework", "version": "9.1.0" }),
            json!({ "solutionid": "50000000-0000-4000-8000-000000000002", "uniquename": "BrightPatternOmnichannel", "friendlyname": "Bright Pattern Omnichannel Contact Center Solution", "version": "5.8" }),
        ]),
        ("appmodule", vec![
            json!({ "appmoduleid": "b0000000-0000-4000-8000-000000000001", "uniquename": "msdynce_CustomerServiceHub", "name": "Customer Service Hub" }),
            json!({ "appmoduleid": "b0000000-0000-4000-8000-000000000002", "uniquename": "msdynce_SalesHub", "name": "Sales Hub" }),
        ]),
        ("role", vec![
            json!({ "roleid": "c0000000-0000-4000-8000-000000000001", "name": "Customer Service Representative" }),
            json!({ "roleid": "c0000000-0000-4000-8000-000000000002", "name": "System Administrator" }),
        ]),
        ("attribute", vec![
            json!({ "entity": "phonecall", "logicalname": "bpattern_interactionid" }),
            json!({ "entity": "msdyn_ocliveworkitem", "logicalname": "bpattern_interactionid" }),
        ]),
    ]
    .into_iter()
    .map(|(table, rows)| (table.to_owned(), rows))
    .collect();
    Config {
        records,
        organization_name: "Contoso (demo)".into(),
        ..Config::default()
    }
}

/// The ID of demo contact `index` (0-based), for lists that pop them.
pub fn contact_id(index: usize) -> String {
    format!("d{index:07x}-0000-4000-8000-00000000d{index:03x}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_ids_are_guids() {
        for i in 0..super::PEOPLE.len() {
            assert_eq!(super::contact_id(i).len(), 36);
        }
    }
}
