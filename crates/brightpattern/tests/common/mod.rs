//! A simulator with a test tenant, and clients of it.
#![allow(dead_code)] // each test file uses its part

use dynbridge_brightpattern::{Client, Row};
use dynbridge_core::brightpattern::Connection;
use dynbridge_sim::brightpattern::tenant::{
    CallingList, Campaign, DncList, Field, Privilege, Tenant, User,
};
use dynbridge_sim::{Config, Sim};
use secrecy::SecretString;
use serde_json::json;

pub const LIST: &str = "Dynamics Contacts Preview.csv";
pub const CAMPAIGN: &str = "Outbound Q3";
pub const DNC: &str = "Internal DNC";
pub const SECRET: &str = "bp-Secret.0123456789-abcdef";

pub fn tenant() -> Tenant {
    let user = |login: &str, privileges: &[Privilege]| User {
        login: login.into(),
        secret: SECRET.into(),
        privileges: privileges.to_vec(),
        enabled: true,
    };
    Tenant {
        users: vec![
            user("api.user", &Privilege::ALL),
            user("no.lists", &[Privilege::ManageCampaigns]),
        ],
        campaigns: vec![Campaign::new(CAMPAIGN, &[LIST])],
        lists: vec![CallingList::new(
            LIST,
            "Dynamics contacts",
            vec![
                Field::text("ID").key(),
                Field::text("Full Name"),
                Field::phone("Phone").required(),
                Field::phone("Mobile"),
            ],
        )],
        dnc_lists: vec![DncList::new(DNC)],
        token_lifetime_secs: 3600,
    }
}

pub fn sim() -> Sim {
    Sim::start(
        Config {
            brightpattern: tenant(),
            ..Config::default()
        },
        0,
    )
    .unwrap()
}

pub fn connection(sim: &Sim, login: &str) -> Connection {
    Connection {
        id: "c1".into(),
        name: "Test tenant".into(),
        url: sim.base_url(),
        login: login.into(),
        simulator: true,
    }
}

pub fn client(sim: &Sim, login: &str, secret: &str) -> Client {
    Client::new(
        &connection(sim, login),
        SecretString::from(secret.to_owned()),
    )
    .unwrap()
}

/// Row `i` (spreadsheet row `i + 2`, under the header) with its ID and two phones.
pub fn row(i: usize) -> Row {
    let key = format!("c{i:06}");
    let record = json!({
        "ID": key,
        "Full Name": format!("Person {i}"),
        "Phone": format!("(425) 555-{:04}", i % 10_000),
        "Mobile": format!("+1 206 555 {:04}", (i * 7) % 10_000),
    });
    Row {
        row: i + 2,
        key,
        record: record.as_object().unwrap().clone(),
    }
}

pub fn rows(n: usize) -> Vec<Row> {
    (0..n).map(row).collect()
}
