//! The query options of a request: which system query options Dataverse takes on which
//! resource, each parsed and checked against the target's properties (`$select`,
//! `$filter`, `$orderby`, `$top`, `$count`; `$skiptoken` as the server issued it).
//!
//! Sources: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview#odata-query-options
//! (the supported options; "Option names are case-sensitive"; `$skip`, `$search` and
//! `$format` unsupported; parameter aliases), …/webapi/query/select-columns,
//! …/webapi/query/order-rows, …/webapi/query/count-rows, and
//! https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
//! (the `tag` parameter). Which options apply to single records and to metadata is
//! UNVERIFIED beyond `$select`.

use std::collections::{HashMap, HashSet};

use super::error::{not_implemented, query_error, unknown_property, unsupported_option, Answer};
use super::filter::{self, Expr};
use super::schema::Properties;

/// What the request addresses, which decides the options it may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Collection,
    Record,
    EntityDefinition,
    Attributes,
}

impl Target {
    fn allows(self, option: &str) -> bool {
        match self {
            Target::Collection => true,
            Target::Record | Target::EntityDefinition => matches!(option, "$select" | "$expand"),
            Target::Attributes => matches!(option, "$select" | "$filter"),
        }
    }
}

/// The system query options Dataverse supports, exactly as spelled.
const SUPPORTED: &[&str] = &[
    "$select",
    "$filter",
    "$orderby",
    "$top",
    "$expand",
    "$count",
    "$apply",
    "$skiptoken",
];

/// A request's parsed query options.
#[derive(Debug, Default)]
pub(crate) struct QueryOptions {
    /// `None`: every column.
    pub select: Option<Vec<String>>,
    pub filter: Option<Expr>,
    /// (column, descending)
    pub orderby: Vec<(String, bool)>,
    pub top: Option<usize>,
    pub count: bool,
    pub skiptoken: Option<String>,
}

/// Parses the raw query string of a request to `target`.
pub(crate) fn parse(query: &str, properties: &Properties, target: Target) -> Answer<QueryOptions> {
    let mut options: Vec<(String, String)> = Vec::new();
    let mut aliases = HashMap::new();
    let mut seen = HashSet::new();
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if let Some(alias) = name.strip_prefix('@') {
            aliases.insert(alias.to_owned(), value.into_owned());
        } else if name == "tag" {
            // Passed to plug-ins as a shared variable; no effect here.
        } else if SUPPORTED.contains(&name.as_ref()) {
            if !seen.insert(name.to_string()) {
                return Err(query_error(format!("Query option '{name}' was specified more than once, but it must be specified at most once.")));
            }
            if !target.allows(&name) {
                return Err(query_error(format!("The query specified in the URI is not valid. The query option '{name}' cannot be applied to the requested resource.")));
            }
            options.push((name.into_owned(), value.into_owned()));
        } else {
            return Err(unsupported_option(&name));
        }
    }
    let mut parsed = QueryOptions::default();
    for (name, value) in options {
        match name.as_str() {
            "$select" => parsed.select = select(&value, properties)?,
            "$filter" => parsed.filter = Some(filter::parse(&value, properties, &aliases)?),
            "$orderby" => parsed.orderby = orderby(&value, properties, &aliases)?,
            "$top" => parsed.top = Some(top(&value)?),
            "$count" => parsed.count = count(&value)?,
            "$skiptoken" => parsed.skiptoken = Some(value),
            // `$expand` and `$apply` are Dataverse's, but not the simulator's.
            other => return Err(not_implemented(other)),
        }
    }
    Ok(parsed)
}

fn select(value: &str, properties: &Properties) -> Answer<Option<Vec<String>>> {
    if value.trim() == "*" {
        return Ok(None);
    }
    value
        .split(',')
        .map(|term| {
            let term = term.trim();
            if term.is_empty() {
                Err(query_error(format!(
                    "Term '{value}' is not valid in a $select or $expand expression."
                )))
            } else if properties.get(term).is_none() {
                Err(unknown_property(term, &properties.type_name))
            } else {
                Ok(term.to_owned())
            }
        })
        .collect::<Answer<Vec<_>>>()
        .map(Some)
}

fn orderby(
    value: &str,
    properties: &Properties,
    aliases: &HashMap<String, String>,
) -> Answer<Vec<(String, bool)>> {
    value
        .split(',')
        .map(|item| {
            let mut words = item.split_whitespace();
            let column = match words.next() {
                Some(alias) if alias.starts_with('@') => {
                    aliases.get(&alias[1..]).cloned().unwrap_or_default()
                }
                Some(column) => column.to_owned(),
                None => return Err(query_error(format!("Syntax error in $orderby '{value}'."))),
            };
            let descending = match (words.next(), words.next()) {
                (None | Some("asc"), None) => false,
                (Some("desc"), None) => true,
                _ => return Err(query_error(format!("Syntax error in $orderby '{value}'."))),
            };
            if properties.get(&column).is_none() {
                return Err(unknown_property(&column, &properties.type_name));
            }
            Ok((column, descending))
        })
        .collect()
}

fn top(value: &str) -> Answer<usize> {
    value.parse().map_err(|_| {
        query_error(format!("Invalid value '{value}' for $top query option found. The $top query option requires a non-negative integer value."))
    })
}

fn count(value: &str) -> Answer<bool> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(query_error(format!(
            "'{value}' is not a valid count option."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web_api::schema::Edm;

    fn contact() -> Properties {
        Properties {
            type_name: "Microsoft.Dynamics.CRM.contact".into(),
            list: vec![
                ("fullname".into(), Edm::String),
                ("statecode".into(), Edm::Int32),
            ],
        }
    }

    #[test]
    fn option_names_are_case_sensitive_and_skip_is_unsupported() {
        for query in [
            "$Select=fullname",
            "$skip=10",
            "$search=x",
            "$format=json",
            "foo=1",
        ] {
            assert!(
                parse(query, &contact(), Target::Collection).is_err(),
                "{query}"
            );
        }
        assert!(parse(
            "tag=x&@p1=1&$select=fullname",
            &contact(),
            Target::Collection
        )
        .is_ok());
    }

    #[test]
    fn options_may_appear_once_and_only_where_they_apply() {
        assert!(parse("$top=1&$top=2", &contact(), Target::Collection).is_err());
        assert!(parse("$top=1", &contact(), Target::Record).is_err());
        assert!(parse("$expand=x", &contact(), Target::Collection).is_err());
    }

    #[test]
    fn select_and_orderby_name_known_columns() {
        let options = parse(
            "$select=fullname, statecode&$orderby=statecode desc,fullname",
            &contact(),
            Target::Collection,
        )
        .unwrap();
        assert_eq!(options.select.unwrap(), ["fullname", "statecode"]);
        assert_eq!(
            options.orderby,
            [
                ("statecode".to_owned(), true),
                ("fullname".to_owned(), false)
            ]
        );
        assert!(parse("$select=FullName", &contact(), Target::Collection).is_err());
    }
}
