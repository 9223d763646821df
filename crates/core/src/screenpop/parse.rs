//! The Screenpop URL grammar, `SHOW_OBJECT:<id>:<object>`, where `<id>` is a GUID or
//! `$(workitem.otherInfo.<column>)`. The linter reads past mistakes so that one pass
//! reports every problem, each with its byte span and a stable code.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::object_types::{self, ObjectType, OBJECT_TYPES};
use crate::findings::{Finding, Severity};
use crate::guid::{Guid, GuidError, GUIDE_PLACEHOLDER};

pub const FIELD: &str = "Screenpop URL";
pub const ACTION: &str = "SHOW_OBJECT";
pub const VARIABLE_ROOT: &str = "workitem.otherInfo.";
const STEP: &str = "Configuring Screen Pop for Preview Campaigns, step 2a";
const TROUBLESHOOTING: &str = "Configuring Screen Pop for Preview Campaigns, Troubleshooting";

/// Where the record ID of a screen pop comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IdSource {
    /// `$(workitem.otherInfo.<column>)`: the list row's value in this column.
    Column { column: String },
    /// A hardcoded record ID (troubleshooting), canonical form.
    Hardcoded { id: String },
}

/// A screenpop string that parsed without errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Screenpop {
    pub id: IdSource,
    /// The object type as written.
    pub object: String,
    /// The known type it names, if it is one of Bright Pattern's.
    pub object_type: Option<ObjectType>,
}

/// What linting a screenpop string found; `screenpop` is set when there is no error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Lint {
    pub screenpop: Option<Screenpop>,
    pub findings: Vec<Finding>,
}

/// Lints a Screenpop URL as typed in Outbound > General.
pub fn lint(text: &str) -> Lint {
    let mut linter = Linter {
        text,
        findings: Vec::new(),
    };
    let screenpop = linter.run();
    let findings = linter.findings;
    let screenpop = screenpop.filter(|_| !crate::findings::has_errors(&findings));
    Lint {
        screenpop,
        findings,
    }
}

struct Linter<'a> {
    text: &'a str,
    findings: Vec<Finding>,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Linter<'_> {
    fn report(
        &mut self,
        severity: Severity,
        code: &str,
        span: Range<usize>,
        message: String,
        fix: &str,
    ) {
        let step = if code == "screenpop.placeholder_guid" {
            TROUBLESHOOTING
        } else {
            STEP
        };
        let mut finding = Finding::new(FIELD, severity, code, message)
            .with_guide_step(step)
            .with_span(span);
        if !fix.is_empty() {
            finding = finding.with_fix(fix);
        }
        self.findings.push(finding);
    }

    fn error(&mut self, code: &str, span: Range<usize>, message: impl Into<String>, fix: &str) {
        self.report(Severity::Error, code, span, message.into(), fix);
    }

    fn warning(&mut self, code: &str, span: Range<usize>, message: impl Into<String>, fix: &str) {
        self.report(Severity::Warning, code, span, message.into(), fix);
    }

    /// The end of the run of word bytes starting at `from`.
    fn word_end(&self, from: usize, end: usize) -> usize {
        from + self.text.as_bytes()[from..end]
            .iter()
            .take_while(|b| is_word_byte(**b))
            .count()
    }

    fn run(&mut self) -> Option<Screenpop> {
        let text = self.text;
        let start = text.len() - text.trim_start().len();
        let end = text.trim_end().len().max(start);
        if start > 0 {
            self.error(
                "screenpop.whitespace",
                0..start,
                "whitespace before SHOW_OBJECT",
                "remove the leading spaces",
            );
        }
        if end < text.len() {
            self.error(
                "screenpop.whitespace",
                end..text.len(),
                "whitespace at the end",
                "remove the trailing spaces",
            );
        }
        if start == end {
            self.error(
                "screenpop.empty",
                0..text.len(),
                "the Screenpop URL is empty",
                "write SHOW_OBJECT:$(workitem.otherInfo.<column>):<object>",
            );
            return None;
        }
        if self.record_url(start..end) {
            return None;
        }
        let mut pos = self.action(start, end);
        let id = self.id(pos, end);
        pos = id.1;
        pos = self.separator(pos, end, "between the ID and the object type");
        let (object, object_type, after_object) = self.object(pos, end);
        if after_object < end {
            self.error(
                "screenpop.trailing_text",
                after_object..end,
                format!(
                    "unexpected text after the object type: {:?}",
                    &text[after_object..end]
                ),
                "remove it; the Screenpop URL ends with the object type",
            );
        }
        Some(Screenpop {
            id: id.0?,
            object: object?,
            object_type,
        })
    }

    /// A record's web address pasted instead of a Screenpop URL: reported, with the
    /// Screenpop URL that opens that record offered as the fix. True when it was one.
    fn record_url(&mut self, span: Range<usize>) -> bool {
        let Ok(url) = url::Url::parse(&self.text[span.clone()]) else {
            return false;
        };
        let query = |key: &str| {
            url.query_pairs()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.into_owned())
        };
        let (Some(table), Some(id)) = (query("etn"), query("id")) else {
            return false;
        };
        let Ok(id) = Guid::parse_lenient(&id) else {
            return false;
        };
        let screenpop = format!("{ACTION}:{}:{table}", id.guid);
        let finding = Finding::new(
            FIELD,
            Severity::Error,
            "screenpop.record_url",
            "this is a record's web address; the Screenpop URL names the record's ID and table instead",
        )
        .with_fix(format!("use {screenpop}"))
        .with_span(span)
        .with_replacement(screenpop);
        self.findings.push(finding);
        true
    }

    /// Checks `SHOW_OBJECT` and the colon after it; returns where the ID starts.
    fn action(&mut self, start: usize, end: usize) -> usize {
        let word_end = self.word_end(start, end);
        let word = &self.text[start..word_end];
        let next = self.text.as_bytes().get(word_end).copied();
        let looks_like_id = self.text[start..].starts_with(['$', '{', '('])
            || (next == Some(b'-') && word.bytes().all(|b| b.is_ascii_hexdigit()));
        if word == ACTION {
        } else if word.eq_ignore_ascii_case(ACTION) {
            self.error(
                "screenpop.action_case",
                start..word_end,
                format!("{word:?} must be written in capitals"),
                "write SHOW_OBJECT",
            );
        } else if word.is_empty() || looks_like_id {
            self.error(
                "screenpop.action_missing",
                start..start,
                "SHOW_OBJECT is missing; it must begin the Screenpop URL",
                "start with SHOW_OBJECT:",
            );
            return start;
        } else {
            let upper = word.to_ascii_uppercase();
            if object_types::edit_distance(&upper, ACTION) <= 3
                || upper.contains("SHOW")
                || upper.contains("OBJECT")
            {
                self.error(
                    "screenpop.action_misspelt",
                    start..word_end,
                    format!("{word:?} is not SHOW_OBJECT"),
                    "write SHOW_OBJECT",
                );
            } else {
                self.error("screenpop.action_unknown", start..word_end, format!("{word:?} is not an action Bright Pattern's Dynamics screen pop knows; it needs SHOW_OBJECT"), "write SHOW_OBJECT");
            }
        }
        self.separator(word_end, end, "after SHOW_OBJECT")
    }

    /// Expects exactly one `:` at `pos`; reports what stands there instead.
    fn separator(&mut self, pos: usize, end: usize, place: &str) -> usize {
        let bytes = self.text.as_bytes();
        let run_end = pos
            + bytes[pos..end]
                .iter()
                .take_while(|b| !is_word_byte(**b) && !b"$({".contains(b) && b.is_ascii())
                .count();
        let run = &self.text[pos..run_end];
        if run == ":" {
        } else if run.is_empty() {
            self.error(
                "screenpop.separator_missing",
                pos..pos,
                format!("a colon is missing {place}"),
                "insert ':'",
            );
        } else if run.trim() == ":" {
            self.error(
                "screenpop.space",
                pos..run_end,
                format!("spaces around the colon {place}"),
                "remove the spaces",
            );
        } else {
            self.error(
                "screenpop.separator",
                pos..run_end,
                format!("{run:?} {place}: the parts are separated by a single colon"),
                "use ':'",
            );
        }
        run_end
    }

    /// Parses the ID part; returns it and where it ends.
    fn id(&mut self, pos: usize, end: usize) -> (Option<IdSource>, usize) {
        let rest = &self.text[pos..end];
        if rest.starts_with("$(") || rest.starts_with('(') {
            let open = if rest.starts_with('$') {
                pos + 2
            } else {
                pos + 1
            };
            if rest.starts_with('(') {
                self.error(
                    "screenpop.variable_dollar",
                    pos..pos,
                    "the variable lacks its '$'",
                    "write $(workitem.otherInfo.<column>)",
                );
            }
            return match self.text[open..end].find(')') {
                Some(close) => {
                    let column = self.variable(open..open + close);
                    (
                        column.map(|column| IdSource::Column { column }),
                        open + close + 1,
                    )
                }
                None => {
                    let stop = self.text[open..end].rfind(':').map_or(end, |i| open + i);
                    self.error(
                        "screenpop.unbalanced_parens",
                        pos..stop,
                        "the variable's '$(' is never closed",
                        "close it with ')'",
                    );
                    (None, stop)
                }
            };
        }
        let stop = rest
            .find(|c: char| c == ':' || c.is_whitespace())
            .map_or(end, |i| pos + i);
        if let Some(body) = rest.strip_prefix('$') {
            let body_len = body.find(':').unwrap_or(body.len());
            self.error(
                "screenpop.variable_parens",
                pos..pos + 1 + body_len,
                "a variable is written $(…), with parentheses",
                "write $(workitem.otherInfo.<column>)",
            );
            let column = self.variable(pos + 1..pos + 1 + body_len);
            return (
                column.map(|column| IdSource::Column { column }),
                pos + 1 + body_len,
            );
        }
        (self.hardcoded(pos..stop), stop)
    }

    /// Checks the inside of `$( … )`; returns the column name.
    fn variable(&mut self, inner: Range<usize>) -> Option<String> {
        let body = &self.text[inner.clone()];
        if let Some(offset) = body.find(char::is_whitespace) {
            self.error(
                "screenpop.space",
                inner.start + offset..inner.end,
                "spaces inside the variable",
                "remove the spaces",
            );
        }
        let trimmed = body.trim();
        let lead = body.len() - body.trim_start().len();
        let lower = trimmed.to_ascii_lowercase();
        let root_lower = VARIABLE_ROOT.to_ascii_lowercase();
        let column = if let Some(column) = trimmed.strip_prefix(VARIABLE_ROOT) {
            column
        } else if lower.starts_with(&root_lower) {
            self.error(
                "screenpop.variable_case",
                inner.start + lead..inner.start + lead + VARIABLE_ROOT.len(),
                format!(
                    "{:?} must be written exactly workitem.otherInfo.",
                    &trimmed[..VARIABLE_ROOT.len()]
                ),
                "write workitem.otherInfo. (capital I)",
            );
            &trimmed[VARIABLE_ROOT.len()..]
        } else if lower == root_lower.trim_end_matches('.') {
            ""
        } else {
            let (root_len, column) = trimmed
                .rfind('.')
                .map_or((0, trimmed), |dot| (dot + 1, &trimmed[dot + 1..]));
            self.error(
                "screenpop.variable_root",
                inner.start + lead..inner.start + lead + root_len,
                format!(
                    "the list columns are under workitem.otherInfo, not {:?}",
                    &trimmed[..root_len]
                ),
                "write $(workitem.otherInfo.<column>)",
            );
            column
        };
        if column.is_empty() {
            self.error(
                "screenpop.column_empty",
                inner.clone(),
                "the variable names no list column",
                "append the column holding the Dynamics IDs, e.g. workitem.otherInfo.dyn_id",
            );
            return None;
        }
        let column_end = inner.end - (body.len() - body.trim_end().len());
        let column_span = column_end - column.len()..column_end;
        if column == "XXX" {
            self.warning(
                "screenpop.template_column",
                column_span.clone(),
                "XXX is the guide's placeholder for your column name",
                "write the name of the list column holding the Dynamics IDs",
            );
        } else if !column.bytes().all(is_word_byte) {
            self.warning("screenpop.column_chars", column_span, format!("the column name {column:?} has characters other than letters, digits and '_'; such names may not resolve"), "rename the list column, e.g. dyn_id");
        }
        Some(column.to_owned())
    }

    /// Checks a hardcoded ID; returns it when it is a usable GUID.
    fn hardcoded(&mut self, span: Range<usize>) -> Option<IdSource> {
        let text = &self.text[span.clone()];
        if text.is_empty() {
            self.error(
                "screenpop.id_missing",
                span,
                "the record ID is missing",
                "write $(workitem.otherInfo.<column>) or a record GUID",
            );
            return None;
        }
        match Guid::parse_lenient(text) {
            Ok(lenient) if lenient.had_braces => {
                self.error(
                    "screenpop.guid_braces",
                    span,
                    "the GUID is in braces",
                    "remove the braces",
                );
                None
            }
            Ok(lenient) => {
                if lenient.guid == GUIDE_PLACEHOLDER {
                    self.warning(
                        "screenpop.placeholder_guid",
                        span,
                        "this is the guide's example GUID, not a record of yours",
                        "paste the ID of a real record, e.g. from its URL or from the Lists page",
                    );
                }
                Some(IdSource::Hardcoded {
                    id: lenient.guid.to_string(),
                })
            }
            Err(_)
                if text.bytes().all(is_word_byte)
                    && !text.bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                self.error(
                    "screenpop.bare_column",
                    span,
                    format!("{text:?} is neither a GUID nor a variable"),
                    &format!("to use a list column write $(workitem.otherInfo.{text})"),
                );
                None
            }
            Err(GuidError::NotHex(at)) => {
                let bad = span.start + at;
                let width = text[at..].chars().next().map_or(1, char::len_utf8);
                self.error(
                    "screenpop.guid_not_hex",
                    bad..bad + width,
                    GuidError::NotHex(at).to_string(),
                    "check the ID; copy it again from the record's URL",
                );
                None
            }
            Err(GuidError::UnbalancedBraces) => {
                self.error(
                    "screenpop.guid_braces",
                    span,
                    GuidError::UnbalancedBraces.to_string(),
                    "remove the braces",
                );
                None
            }
            Err(error) => {
                let code = if error == GuidError::Misplaced {
                    "screenpop.guid_hyphens"
                } else {
                    "screenpop.guid_length"
                };
                self.error(
                    code,
                    span,
                    error.to_string(),
                    "check the ID; copy it again from the record's URL",
                );
                None
            }
        }
    }

    /// Parses the object type; returns it as written, the known type, and its end.
    fn object(&mut self, pos: usize, end: usize) -> (Option<String>, Option<ObjectType>, usize) {
        let word_end = self.word_end(pos, end);
        let word = &self.text[pos..word_end];
        if word.is_empty() {
            self.error(
                "screenpop.object_missing",
                pos..pos,
                "the object type is missing",
                "end with the type to pop, e.g. :contact",
            );
            return (None, None, word_end);
        }
        if let Some(known) = object_types::by_bright_pattern_name(word) {
            return (Some(word.to_owned()), Some(*known), word_end);
        }
        if word == "object" {
            self.error(
                "screenpop.template_object",
                pos..word_end,
                "\"object\" is the guide's placeholder for the object type",
                "write the type to pop, e.g. contact",
            );
            return (None, None, word_end);
        }
        let known: Vec<&str> = OBJECT_TYPES.iter().map(|t| t.bright_pattern).collect();
        match object_types::suggest(word) {
            Some(suggestion) => self.warning(
                "screenpop.object_unknown",
                pos..word_end,
                format!(
                    "{word:?} is not an object type Bright Pattern names; did you mean {:?}?",
                    suggestion.bright_pattern
                ),
                &format!("write {}", suggestion.bright_pattern),
            ),
            None => self.warning(
                "screenpop.object_unknown",
                pos..word_end,
                format!("{word:?} is not an object type Bright Pattern names"),
                &format!("use one of: {}", known.join(", ")),
            ),
        }
        (Some(word.to_owned()), None, word_end)
    }
}
