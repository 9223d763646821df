//! How the CLI answers: findings and results as text, or with `--json` exactly one JSON
//! document on standard output (an `{"error": …}` object when the job failed), and the
//! exit code: 0 clean, 1 problems found or the job failed, 2 usage errors.

use std::process::ExitCode;

use dynbridge_core::findings::has_errors;
use dynbridge_core::{Finding, Severity};
use serde::Serialize;
use serde_json::json;

/// Exit code 1: the job ran and found errors, or it failed.
pub const FOUND_ERRORS: u8 = 1;
/// Exit code 2: the command line itself was wrong.
pub const USAGE: u8 = 2;

/// Text for people, or one JSON document for scripts (`--json`).
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints the job's result: `value` as JSON, or `text` for people.
    pub fn result<T: Serialize>(self, value: &T, text: impl FnOnce(&T)) -> Result<(), String> {
        if self.json {
            print_json(value)
        } else {
            text(value);
            Ok(())
        }
    }

    /// Prints findings as text (with `--json` they belong to the result's document).
    pub fn findings(self, findings: &[Finding], text: Option<&str>) {
        if !self.json {
            print_findings(findings, text);
        }
    }

    /// A job that could not be done, for the reasons its findings give: the findings,
    /// or with `--json` an error object carrying them. Exit code 1.
    pub fn failed(self, findings: &[Finding]) -> Result<ExitCode, String> {
        if self.json {
            let message = findings
                .iter()
                .find(|f| f.severity == Severity::Error)
                .or(findings.first())
                .map_or("the job failed", |f| f.message.as_str());
            print_json(&json!({ "error": { "message": message, "findings": findings } }))?;
        } else {
            print_findings(findings, None);
        }
        Ok(ExitCode::from(FOUND_ERRORS))
    }

    /// A job that stopped with a plain message: on standard error, and with `--json`
    /// also as the error object on standard output.
    pub fn error(self, message: &str) -> ExitCode {
        eprintln!("dynbridge: {message}");
        if self.json {
            let _ = print_json(&json!({ "error": { "message": message } }));
        }
        ExitCode::from(FOUND_ERRORS)
    }
}

/// Prints findings one block each; with `text`, points at each finding's span in it.
pub fn print_findings(findings: &[Finding], text: Option<&str>) {
    for finding in findings {
        let severity = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        println!(
            "{severity}[{}] {}: {}",
            finding.code, finding.field, finding.message
        );
        if let (Some(text), Some(span)) = (text, finding.span) {
            if span.end <= text.len()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end)
            {
                let before = text[..span.start].chars().count();
                let width = text[span.start..span.end].chars().count().max(1);
                println!("  {text}\n  {}{}", " ".repeat(before), "^".repeat(width));
            }
        }
        if let Some(fix) = &finding.fix {
            println!("  fix: {fix}");
        }
        if let Some(step) = &finding.guide_step {
            println!("  guide: {step}");
        }
    }
}

/// Prints a value as pretty JSON on stdout.
fn print_json(value: &impl Serialize) -> Result<(), String> {
    let json = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}

/// 0 when no finding is an error, else 1.
pub fn exit_code(findings: &[Finding]) -> ExitCode {
    if has_errors(findings) {
        ExitCode::from(FOUND_ERRORS)
    } else {
        ExitCode::SUCCESS
    }
}
