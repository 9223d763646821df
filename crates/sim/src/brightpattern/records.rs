//! Calling-list records: v2 `addAll` with its partial success, `deleteAll`, and
//! `getAll/<list>/<campaign>` reads, lists named in the path (reference §3, S1).
//!
//! `addAll` (S6, S1; categories defined in S2/S3 "Add Many Records"): 200 even when
//! records fail; `{"added": n}` plus, only when something failed, `error` with the
//! rejected records *as sent* under `missingKey` (a key value absent), `missingRequired`
//! (a required value absent), `formatError` (a value of the wrong type, or a field the
//! list does not define) and `duplicateKey` (the key is already in the list). Values
//! are trimmed, integers and strings accepted for each other, PHONE values normalised
//! (`phone`), DATE/TIME values checked (S3 "Lists" folder notes, reference §5).
//!
//! UNCONFIRMED, and chosen here:
//! - a record with several faults is listed once, in the first of `missingKey`,
//!   `missingRequired`, `formatError`, `duplicateKey`;
//! - a key repeated within one request: the first record is added, the later ones are
//!   `duplicateKey`, as if the records had been added one by one;
//! - a record with no PHONE value at all ("At least one PHONE number is required",
//!   S3) is `missingRequired`;
//! - `null`, `true`, fractions, objects and arrays as values are `formatError`; an
//!   empty or blank string is an absent value;
//! - a record that is not a JSON object makes the whole request a 400 (body not
//!   understood); an empty array adds nothing and answers `{"added":0}`.
//! - field names match case-insensitively: the Lists page says "names that differ in
//!   case only refer to the same field" (help.brightpattern.com 5.19 Contact-center-
//!   administrator-guide/Lists, linked from S3 "Create List with New Format"); two
//!   names of one field in a record are a `formatError`. Records are stored and read
//!   back under the names the format defines.

use std::collections::HashSet;

use serde_json::{json, Map, Value};

use super::answer::{bad_request, empty, not_found, ok, Answer};
use super::phone;
use super::tenant::{CallingList, Field, FieldType, Tenant};

/// The list named `name`; 404 "Specified List was not found" (S1, S3).
pub(crate) fn list<'t>(tenant: &'t mut Tenant, name: &str) -> Answer<&'t mut CallingList> {
    tenant
        .lists
        .iter_mut()
        .find(|l| l.name == name)
        .ok_or_else(|| not_found("Specified List was not found"))
}

/// Why a record was refused, in the order the categories win (see the module notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Refusal {
    MissingKey,
    MissingRequired,
    FormatError,
    DuplicateKey,
}

impl Refusal {
    fn name(self) -> &'static str {
        match self {
            Self::MissingKey => "missingKey",
            Self::MissingRequired => "missingRequired",
            Self::FormatError => "formatError",
            Self::DuplicateKey => "duplicateKey",
        }
    }
}

/// `POST callinglist/addAll/<list>`: each record added or listed under its refusal.
pub(crate) fn add_all(list: &mut CallingList, body: &Value) -> Answer {
    let records = body
        .as_array()
        .ok_or_else(|| bad_request("format not understood: an array of records is expected"))?;
    if records.iter().any(|r| !r.is_object()) {
        return Err(bad_request(
            "format not understood: every record must be an object",
        ));
    }
    let has_key = list.fields.iter().any(|f| f.key);
    let mut keys: HashSet<String> = list
        .records
        .iter()
        .map(|r| key_of(&list.fields, r))
        .collect();
    let mut added = 0;
    let mut refused: [Vec<Value>; 4] = Default::default();
    for record in records {
        let checked =
            stored(&list.fields, record.as_object().expect("checked above")).and_then(|row| {
                if has_key && !keys.insert(key_of(&list.fields, &row)) {
                    Err(Refusal::DuplicateKey)
                } else {
                    Ok(row)
                }
            });
        match checked {
            Ok(row) => {
                list.records.push(row);
                added += 1;
            }
            Err(refusal) => refused[refusal as usize].push(record.clone()),
        }
    }
    let mut answer = json!({ "added": added });
    let categories = [
        Refusal::MissingKey,
        Refusal::MissingRequired,
        Refusal::FormatError,
        Refusal::DuplicateKey,
    ];
    let errors: Map<String, Value> = categories
        .into_iter()
        .zip(refused)
        .filter(|(_, records)| !records.is_empty())
        .map(|(refusal, records)| (refusal.name().to_owned(), Value::Array(records)))
        .collect();
    if !errors.is_empty() {
        answer["error"] = Value::Object(errors);
    }
    Ok(ok(answer))
}

/// The key fields' stored values, joined.
fn key_of(fields: &[Field], row: &Map<String, Value>) -> String {
    fields
        .iter()
        .filter(|f| f.key)
        .map(|f| row.get(&f.name).and_then(Value::as_str).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

/// The record as stored (defined names, trimmed text, normalised phones), or the
/// refusal that wins.
fn stored(fields: &[Field], record: &Map<String, Value>) -> Result<Map<String, Value>, Refusal> {
    let mut worst: Option<Refusal> = None;
    let mut refuse = |r: Refusal| worst = Some(worst.map_or(r, |w| w.min(r)));
    let mut values: Vec<Option<String>> = vec![None; fields.len()];
    for (name, value) in record {
        let Some(at) = fields
            .iter()
            .position(|f| f.name.eq_ignore_ascii_case(name))
        else {
            refuse(Refusal::FormatError);
            continue;
        };
        let text = match value {
            Value::String(s) => s.trim().to_owned(),
            Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
            _ => {
                refuse(Refusal::FormatError);
                continue;
            }
        };
        if values[at].is_some() {
            refuse(Refusal::FormatError);
        }
        values[at] = Some(text);
    }
    let mut row = Map::new();
    let mut phones = 0;
    for (field, value) in fields.iter().zip(values) {
        let value = value.unwrap_or_default();
        if value.is_empty() {
            if field.key {
                refuse(Refusal::MissingKey);
            } else if field.required {
                refuse(Refusal::MissingRequired);
            }
            row.insert(field.name.clone(), Value::String(value));
            continue;
        }
        let value = match field.kind {
            FieldType::Phone => {
                phones += 1;
                phone::normalise(field, &value)
            }
            FieldType::Integer => value.parse::<i64>().ok().map(|n| n.to_string()),
            FieldType::Datetime | FieldType::DatetimeCallAt => {
                is_date_time(&value).then_some(value)
            }
            _ => Some(value),
        };
        match value {
            Some(value) => row.insert(field.name.clone(), Value::String(value)),
            None => {
                refuse(Refusal::FormatError);
                continue;
            }
        };
    }
    if phones == 0 {
        refuse(Refusal::MissingRequired);
    }
    match worst {
        Some(refusal) => Err(refusal),
        None => Ok(row),
    }
}

/// The DATE/TIME formats a list format may choose (S2 field types, reference §5).
/// UNCONFIRMED: a format uses one of them; the simulator accepts any.
const DATE_FORMATS: &[&str] = &[
    "MM/dd/yyyy HH:mm",
    "dd.MM.yyyy HH:mm",
    "yyyy-MM-dd HH:mm",
    "yyyy-MM-dd",
    "dd-MM-yyyy",
    "MM-dd-yyyy",
    "MM/dd/yyyy HH:mm:ss",
];

fn is_date_time(value: &str) -> bool {
    DATE_FORMATS
        .iter()
        .any(|format| matches_date(format, value))
}

/// Whether `value` has the shape of `format` with a month, day, hour, minute and second
/// in range.
fn matches_date(format: &str, value: &str) -> bool {
    if format.len() != value.len() {
        return false;
    }
    let mut parts = [0u32; 6];
    for (letter, digit) in format.bytes().zip(value.bytes()) {
        let slot = match letter {
            b'M' => 0,
            b'd' => 1,
            b'H' => 2,
            b'm' => 3,
            b's' => 4,
            b'y' => 5,
            other if other == digit => continue,
            _ => return false,
        };
        if !digit.is_ascii_digit() {
            return false;
        }
        parts[slot] = parts[slot] * 10 + u32::from(digit - b'0');
    }
    let [month, day, hour, minute, second, _] = parts;
    (1..=12).contains(&month) && (1..=31).contains(&day) && hour < 24 && minute < 60 && second < 60
}

/// `POST callinglist/deleteAll/<list>`: every record gone; 200 with an empty body, also
/// when the list was empty (S1).
pub(crate) fn delete_all(list: &mut CallingList) -> Answer {
    list.records.clear();
    Ok(empty())
}

/// `POST callinglist/getAll/<list>/<campaign>` `{"fromIndex","maxSize"}`: records from
/// `fromIndex` in insertion order, at most `maxSize` (1..=1000), each
/// `{"entry","index","status"}` (S1; S3 "Get All Records DEPRECATED"). `status` is
/// omitted when the list is not bound to the campaign or the campaign does not exist
/// (S3); UNCONFIRMED: S3's code table also lists 404 for an unknown campaign while S1
/// says any campaign string works; the simulator follows S1 and S3's description.
/// Both parameters are required; S3 types `fromIndex` as a string and its example
/// sends `maxSize` as a string, so numbers and digit strings are both accepted.
pub(crate) fn get_all(tenant: &mut Tenant, name: &str, campaign: &str, body: &Value) -> Answer {
    let number = |field: &str| match &body[field] {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    let (Some(from), Some(max)) = (number("fromIndex"), number("maxSize")) else {
        return Err(bad_request(
            "'fromIndex' and 'maxSize' are required non-negative integers",
        ));
    };
    if !(1..=1000).contains(&max) {
        return Err(bad_request(
            "'maxSize' has unsupported value: 1...1000 is expected",
        ));
    }
    let bound = tenant
        .campaigns
        .iter()
        .any(|c| c.name == campaign && c.lists.iter().any(|l| l == name));
    let list = list(tenant, name)?;
    let page: Vec<Value> = list
        .records
        .iter()
        .enumerate()
        .skip(usize::try_from(from).unwrap_or(usize::MAX))
        .take(max as usize)
        .map(|(index, entry)| {
            let mut item = json!({ "entry": entry, "index": index });
            if bound {
                item["status"] = json!({ "completed": false });
            }
            item
        })
        .collect();
    Ok(ok(Value::Array(page)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_documented_formats() {
        assert!(is_date_time("02/28/2024 13:05"));
        assert!(is_date_time("2024-02-28"));
        assert!(!is_date_time("13/28/2024 13:05"));
        assert!(!is_date_time("tomorrow"));
    }
}
