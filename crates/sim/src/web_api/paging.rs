//! Server-driven paging: the page size from `Prefer: odata.maxpagesize` (capped at
//! 5,000, and at `Config::max_page_size`), `Preference-Applied`, and the paging cookie
//! carried by `$skiptoken` in an absolute `@odata.nextLink` that the client must follow
//! as-is.
//!
//! Source: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results
//! ("If you don't specify a number, up to 5,000 records may be returned"; "You can't
//! request a page size larger than 5,000"; `Preference-Applied: odata.maxpagesize=N`;
//! the cookie's shape; "Don't change the @odata.nextLink URL value or append any query
//! options to it"; "If you include both, $top is ignored"). A preference above 5,000 is
//! capped rather than refused, and `Preference-Applied` then names the size applied:
//! UNVERIFIED. Invalid preferences are ignored (RFC 7240 §2).

use axum::http::HeaderMap;
use serde_json::Value;

use super::error::{bad_paging_cookie, Answer};

/// Dataverse's most rows per page.
pub(crate) const SERVER_MAX: usize = 5000;

/// How a collection answer is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Plan {
    pub size: usize,
    /// Whether a page with more rows after it carries `@odata.nextLink` (not with `$top`).
    pub paged: bool,
    /// The `Preference-Applied: odata.maxpagesize` to answer, if the preference was sent.
    pub applied: Option<usize>,
}

pub(crate) fn plan(headers: &HeaderMap, config_cap: usize, top: Option<usize>) -> Plan {
    let cap = SERVER_MAX.min(config_cap).max(1);
    match (max_page_size(headers), top) {
        (Some(preferred), _) => {
            let size = preferred.min(cap);
            Plan {
                size,
                paged: true,
                applied: Some(size),
            }
        }
        (None, Some(top)) => Plan {
            size: top.min(cap),
            paged: false,
            applied: None,
        },
        (None, None) => Plan {
            size: cap,
            paged: true,
            applied: None,
        },
    }
}

/// The `odata.maxpagesize` preference among every `Prefer` header's preferences.
fn max_page_size(headers: &HeaderMap) -> Option<usize> {
    headers
        .get_all("Prefer")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|preference| preference.trim().strip_prefix("odata.maxpagesize="))
        .filter_map(|n| n.trim().parse::<usize>().ok())
        .find(|n| *n > 0)
}

/// Where a page starts: after the row the cookie names, or (if that row is gone) where
/// the cookie's page number says.
pub(crate) fn start(
    rows: &[&Value],
    primary_id: &str,
    skiptoken: Option<&str>,
    size: usize,
) -> Answer<usize> {
    let Some(token) = skiptoken else {
        return Ok(0);
    };
    let cookie = Cookie::decode(token).ok_or_else(bad_paging_cookie)?;
    let after_last = rows.iter().position(|row| {
        row[primary_id]
            .as_str()
            .is_some_and(|id| id.eq_ignore_ascii_case(&cookie.last))
    });
    Ok(match after_last {
        Some(index) => index + 1,
        None => (cookie.page - 1) * size,
    })
}

/// The paging cookie that asks for page `next_page`, in Dataverse's format (the decoded
/// `$skiptoken`): the first and last keys of the page before it.
pub(crate) fn skiptoken(next_page: usize, primary_id: &str, first: &str, last: &str) -> String {
    let inner = format!(
        "<cookie page=\"{}\"><{primary_id} last=\"{{{}}}\" first=\"{{{}}}\" /></cookie>",
        next_page - 1,
        last.to_uppercase(),
        first.to_uppercase()
    );
    format!(
        "<cookie pagenumber=\"{next_page}\" pagingcookie=\"{}\" istracking=\"False\" />",
        encode(&inner)
    )
}

/// The absolute next link: the request's own query as sent, with `$skiptoken` replaced.
pub(crate) fn next_link(base: &str, set: &str, raw_query: &str, skiptoken: &str) -> String {
    let mut query: Vec<&str> = raw_query
        .split('&')
        .filter(|pair| !pair.is_empty() && !decode(pair).starts_with("$skiptoken="))
        .collect();
    let token = format!("$skiptoken={}", encode(skiptoken));
    query.push(&token);
    format!("{base}/{set}?{}", query.join("&"))
}

struct Cookie {
    page: usize,
    last: String,
}

impl Cookie {
    fn decode(token: &str) -> Option<Self> {
        let page = attribute(token, "pagenumber")?
            .parse()
            .ok()
            .filter(|p| *p > 1)?;
        let inner = decode(attribute(token, "pagingcookie")?);
        let last = attribute(&inner, "last")?
            .trim_start_matches('{')
            .trim_end_matches('}')
            .to_owned();
        Some(Self { page, last })
    }
}

/// The value of `name="…"` in an XML-ish text.
fn attribute<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let start = text.find(&format!("{name}=\""))? + name.len() + 2;
    let len = text[start..].find('"')?;
    Some(&text[start..start + len])
}

/// Percent-encodes all but unreserved characters and `=` (as Dataverse's links do).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'=' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_preference_is_honoured_up_to_the_cap_and_top_only_without_it() {
        let mut headers = HeaderMap::new();
        assert_eq!(
            plan(&headers, 5000, None),
            Plan {
                size: 5000,
                paged: true,
                applied: None
            }
        );
        assert_eq!(
            plan(&headers, 5000, Some(3)),
            Plan {
                size: 3,
                paged: false,
                applied: None
            }
        );
        headers.insert(
            "Prefer",
            HeaderValue::from_static("odata.include-annotations=\"*\", odata.maxpagesize=9000"),
        );
        assert_eq!(
            plan(&headers, 5000, Some(3)),
            Plan {
                size: 5000,
                paged: true,
                applied: Some(5000)
            }
        );
        assert_eq!(plan(&headers, 50, None).size, 50);
    }

    #[test]
    fn a_cookie_resumes_after_its_last_row() {
        let rows: Vec<Value> = (0..4)
            .map(|i| serde_json::json!({ "contactid": format!("{i}") }))
            .collect();
        let refs: Vec<&Value> = rows.iter().collect();
        let token = skiptoken(2, "contactid", "0", "1");
        assert_eq!(start(&refs, "contactid", Some(&token), 2).unwrap(), 2);
        assert!(start(&refs, "contactid", Some("garbage"), 2).is_err());
        let link = next_link(
            "http://h/api/data/v9.2",
            "contacts",
            "$select=fullname&$skiptoken=old",
            &token,
        );
        assert!(link.starts_with(
            "http://h/api/data/v9.2/contacts?$select=fullname&$skiptoken=%3Ccookie%20pagenumber="
        ));
        assert_eq!(link.matches("$skiptoken").count(), 1);
    }
}
