//! Findings: what a validator reports about one field, with a stable code and the fix.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How much a finding matters to the administrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something worth knowing; nothing to change.
    Info,
    /// Likely to cause trouble later; the setup still works.
    Warning,
    /// The setup will not work until this is fixed.
    Error,
}

/// A byte range in the checked text, for highlighting the offending part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Span {
    /// Byte offset of the first byte (UTF-8).
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl From<std::ops::Range<usize>> for Span {
    fn from(range: std::ops::Range<usize>) -> Self {
        Self {
            start: range.start,
            end: range.end,
        }
    }
}

/// One problem (or remark) about one field, as shown beside the field in the app and
/// printed by the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Finding {
    /// The field the finding is about, as the form names it (for example `"Client ID"`).
    pub field: String,
    pub severity: Severity,
    /// A stable, machine-readable code such as `client_id.not_guid`; tests assert on it.
    pub code: String,
    /// What is wrong, in plain words.
    pub message: String,
    /// What to do about it, when there is something to do.
    pub fix: Option<String>,
    /// The step of the configuration guide that fixes it, for example `"Section A, Step 4"`.
    pub guide_step: Option<String>,
    /// Where in the field's text the problem is, when it is in one place.
    pub span: Option<Span>,
    /// The field's corrected value, when Dynbridge knows it: the app offers it as one
    /// click ("Apply"). Absent from the CLI's JSON when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub replacement: Option<String>,
}

impl Finding {
    /// A finding with no fix and no guide step; add them with [`Finding::with_fix`] and
    /// [`Finding::with_guide_step`].
    pub fn new(
        field: impl Into<String>,
        severity: Severity,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            severity,
            code: code.into(),
            message: message.into(),
            fix: None,
            guide_step: None,
            span: None,
            replacement: None,
        }
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    pub fn with_guide_step(mut self, step: impl Into<String>) -> Self {
        self.guide_step = Some(step.into());
        self
    }

    /// Offers `value` as the field's corrected value.
    pub fn with_replacement(mut self, value: impl Into<String>) -> Self {
        self.replacement = Some(value.into());
        self
    }

    pub fn with_span(mut self, span: impl Into<Span>) -> Self {
        self.span = Some(span.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True when any finding is an error, i.e. the checked thing will not work as it is.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(Finding::is_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_serialises_lowercase_and_orders_by_weight() {
        assert_eq!(
            serde_json::to_string(&Severity::Warning).unwrap(),
            "\"warning\""
        );
        assert!(Severity::Error > Severity::Warning && Severity::Warning > Severity::Info);
    }

    #[test]
    fn builder_sets_fix_and_step_and_errors_are_detected() {
        let warning = Finding::new("Client ID", Severity::Warning, "client_id.x", "m");
        let error = Finding::new("Client ID", Severity::Error, "client_id.y", "m")
            .with_fix("paste the Application (client) ID")
            .with_guide_step("Section A, Step 3");
        assert_eq!(error.guide_step.as_deref(), Some("Section A, Step 3"));
        assert!(!has_errors(std::slice::from_ref(&warning)));
        assert!(has_errors(&[warning, error]));
    }
}
