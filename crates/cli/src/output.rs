//! How the CLI prints findings and JSON, and turns them into exit codes.

use std::process::ExitCode;

use dynbridge_core::findings::has_errors;
use dynbridge_core::{Finding, Severity};
use serde::Serialize;

/// Exit code 1: the job ran and found errors (or could not read its input).
pub const FOUND_ERRORS: u8 = 1;

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
pub fn print_json(value: &impl Serialize) -> Result<(), String> {
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
