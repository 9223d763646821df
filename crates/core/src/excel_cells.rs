//! Cells of the CSV files admins open in Excel, made safe to open: Excel runs a cell
//! that starts with `=`, `+`, `-` or `@` (and, through DDE, one starting with a tab or a
//! carriage return) as a formula, so a value from a spreadsheet or from Dataverse could
//! run commands on the admin's machine (OWASP, "CSV Injection"). A neutralised cell
//! starts with `'`, which Excel shows as text and does not display.

use std::borrow::Cow;

/// Whether Excel would take `cell` for a formula. A `+` or `-` cell that is a phone
/// number or a plain number (digits, spaces, `( ) . -`) is data, not a formula.
pub fn is_formula_like(cell: &str) -> bool {
    match cell.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !is_number_like(&cell[1..]),
        _ => false,
    }
}

/// A cell as it was before [`neutralise`]: the `'` taken off a cell that would otherwise
/// be a formula, for sending the value where no spreadsheet runs it. (A value that
/// itself began with `'=` reads back without its `'`: no export holds one.)
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if is_formula_like(rest) => rest,
        _ => cell,
    }
}

fn is_number_like(rest: &str) -> bool {
    rest.chars().any(|c| c.is_ascii_digit())
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '.' | '-'))
}

/// `cell`, with a leading `'` when Excel would run it.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if is_formula_like(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_phones_kept() {
        for formula in [
            "=1+1",
            "@SUM(A1)",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "\t=1",
            "\r=1",
            "=HYPERLINK(\"http://x\")",
        ] {
            assert!(is_formula_like(formula), "{formula:?}");
            assert_eq!(neutralise(formula), format!("'{formula}"));
        }
        for data in [
            "+15551234567",
            "+1 (555) 123-4567",
            "-5",
            "-0.25",
            "Ann Müller",
            "",
            "555-1234",
            "a=b",
        ] {
            assert!(!is_formula_like(data), "{data:?}");
            assert_eq!(neutralise(data), data);
        }
    }
}
