//! Do Not Call sync: phones normalised as Bright Pattern stores them (reference §5,
//! `dynbridge_core::lists::phone`), sent to a DNC list with v2 `donotcalllist/add` or,
//! to replace it, `replaceAll` and then `add` for the rest (S1/S9: `{"added": n}`,
//! duplicates silently ignored).
//!
//! UNCONFIRMED: whether a DNC list normalises numbers itself; Dynbridge sends them in
//! the form calling lists store, so they match the numbers Bright Pattern dials.

use std::collections::HashSet;
use std::sync::atomic::AtomicBool;

use dynbridge_core::lists::phone::PhoneRules;
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use crate::client::{parse, Client};
use crate::push::BATCH_ROWS;
use crate::transport::Call;
use crate::Error;

/// Add to the DNC list, or Replace what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DncMode {
    Add,
    Replace,
}

/// What a DNC sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DncReport {
    /// Numbers the list did not have before (Bright Pattern's count).
    pub added: u64,
    /// Distinct numbers sent.
    pub sent: usize,
    /// Phones that are not numbers Bright Pattern would keep: (index in the input, value).
    pub invalid: Vec<(usize, String)>,
}

impl Client {
    /// Sends `phones` to the DNC list `dnc_list`, normalised by `rules`.
    pub fn dnc_sync(
        &self,
        dnc_list: &str,
        phones: &[String],
        rules: PhoneRules,
        mode: DncMode,
    ) -> Result<DncReport, Error> {
        let mut seen = HashSet::new();
        let mut numbers = Vec::new();
        let mut invalid = Vec::new();
        for (i, phone) in phones.iter().enumerate() {
            match rules.normalise(phone) {
                Ok(number) => {
                    if seen.insert(number.clone()) {
                        numbers.push(number);
                    }
                }
                Err(_) => invalid.push((i, phone.clone())),
            }
        }
        let what = format!("the Do Not Call list {dnc_list:?}");
        let mut added = 0;
        let mut chunks: Vec<&[String]> = numbers.chunks(BATCH_ROWS).collect();
        if chunks.is_empty() && mode == DncMode::Replace {
            chunks.push(&[]);
        }
        for (i, chunk) in chunks.into_iter().enumerate() {
            let method = if i == 0 && mode == DncMode::Replace {
                "replaceAll"
            } else {
                "add"
            };
            let call = Call {
                method: Method::POST,
                url: self.url(false, &["donotcalllist", method, dnc_list]),
                body: Some(serde_json::to_vec(chunk).expect("strings serialise")),
                what: &what,
                privilege: "Manage Lists",
            };
            let answer: Value = parse(&self.send(&call, &AtomicBool::new(false))?.1)?;
            added += answer["added"]
                .as_u64()
                .ok_or_else(|| Error::BadAnswer("a DNC answer without \"added\"".into()))?;
        }
        Ok(DncReport {
            added,
            sent: numbers.len(),
            invalid,
        })
    }
}
