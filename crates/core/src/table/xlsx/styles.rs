//! Which cell styles show a number as a date or time (the workbook's styles part), and
//! the date such a number stands for: Excel keeps dates as serial numbers and tells
//! them apart only by the number format (ECMA-376 Part 1, §18.8.30 numFmt, whose
//! built-in formats 14–22 and 45–47 are dates and times; 27–36 and 50–58 are East
//! Asian dates).

use std::io::Read;
use std::ops::ControlFlow;

use crate::table::xml_guard::{self, tag_name, Problem, Token};

/// The cell styles of a workbook, by index (`<c s="…">`): whether each shows a date.
#[derive(Debug, Default)]
pub(crate) struct Styles {
    dates: Vec<bool>,
}

impl Styles {
    /// Reads a styles part: custom number formats, then the cell formats (`cellXfs`).
    pub(crate) fn parse(reader: impl Read, max_bytes: u64) -> Result<Self, Problem> {
        let mut custom: Vec<(u32, bool)> = Vec::new();
        let mut in_cell_formats = false;
        let mut formats: Vec<u32> = Vec::new();
        xml_guard::tokenize::<()>(reader, max_bytes, |token| {
            if let Token::Tag(tag) = token {
                let (name, closing) = tag_name(tag);
                match (name, closing) {
                    (b"numFmt", false) => {
                        let id = xml_guard::attribute(tag, "numFmtId").and_then(|v| v.parse().ok());
                        let code = xml_guard::attribute(tag, "formatCode").unwrap_or_default();
                        if let Some(id) = id {
                            custom.push((id, format_is_date(&code)));
                        }
                    }
                    (b"cellXfs", false) => in_cell_formats = !tag.ends_with(b"/"),
                    (b"cellXfs", true) => in_cell_formats = false,
                    (b"xf", false) if in_cell_formats => formats.push(
                        xml_guard::attribute(tag, "numFmtId")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0),
                    ),
                    _ => {}
                }
            }
            ControlFlow::Continue(())
        })?;
        let dates = formats
            .iter()
            .map(|id| match custom.iter().find(|(c, _)| c == id) {
                Some(&(_, date)) => date,
                None => builtin_is_date(*id),
            })
            .collect();
        Ok(Self { dates })
    }

    /// Whether cell style `index` shows a number as a date or time.
    pub(crate) fn is_date(&self, index: usize) -> bool {
        self.dates.get(index).copied().unwrap_or(false)
    }
}

fn builtin_is_date(id: u32) -> bool {
    matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58)
}

/// Whether a custom number format shows a date or time: a d, m, y, h or s outside
/// quotes, escapes and `[…]` (colours, locales), or an elapsed time such as `[h]`.
/// Only the first section (before `;`) counts.
fn format_is_date(code: &str) -> bool {
    let mut escaped = false;
    let mut quoted = false;
    let mut brackets = 0u8;
    let mut bracket_text = String::new();
    for c in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        if quoted {
            quoted = c != '"';
            continue;
        }
        match c {
            '\\' | '_' | '*' => escaped = true,
            '"' => quoted = true,
            ';' => return false,
            '[' => {
                brackets += 1;
                bracket_text.clear();
            }
            ']' => {
                brackets = brackets.saturating_sub(1);
                let elapsed = !bracket_text.is_empty()
                    && bracket_text
                        .chars()
                        .all(|c| matches!(c.to_ascii_lowercase(), 'h' | 'm' | 's'));
                if elapsed {
                    return true;
                }
            }
            _ if brackets > 0 => bracket_text.push(c),
            'd' | 'm' | 'y' | 'h' | 's' | 'D' | 'M' | 'Y' | 'H' | 'S' => return true,
            _ => {}
        }
    }
    false
}

/// Appends the date and time a serial number stands for, as `2024-01-05 00:00:00`
/// (milliseconds when there are any); the serial itself when it is out of range.
/// Serials below 60 are shifted by a day for Excel's fictitious 1900-02-29.
pub(crate) fn push_date(serial: f64, date1904: bool, out: &mut String) {
    use std::fmt::Write;
    /// Days from 1899-12-30 to 1904-01-01.
    const DAYS_1900_TO_1904: f64 = 1462.0;
    let days = if date1904 {
        serial + DAYS_1900_TO_1904
    } else {
        serial
    };
    let days = if days >= 60.0 { days } else { days + 1.0 };
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
        .expect("a valid date")
        .and_time(chrono::NaiveTime::MIN);
    let millis = (days * 86_400_000.0).round();
    let date = (millis.abs() < 1e15)
        .then(|| epoch.checked_add_signed(chrono::Duration::milliseconds(millis as i64)))
        .flatten();
    let _ = match date {
        Some(date) => write!(out, "{date}"),
        None => write!(out, "{serial}"),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats_are_told_from_number_formats() {
        for date in [
            "dd/mm/yyyy",
            "m/d/yy h:mm",
            "[$-409]mmmm d, yyyy",
            "[h]:mm:ss",
            "H:MM:SS;@",
            "yyyy\\-mm\\-dd",
        ] {
            assert!(format_is_date(date), "{date}");
        }
        for number in [
            "0.00",
            "#,##0",
            "\"days\" 0",
            "[Red]0.0",
            "0.0_);[Red](0.0)",
            "@",
            "General",
            "#,##0\\ [$\\u20bd-46D]",
        ] {
            assert!(!format_is_date(number), "{number}");
        }
        assert!(builtin_is_date(14) && builtin_is_date(22) && !builtin_is_date(49));
    }

    #[test]
    fn styles_pick_cell_formats_not_cell_style_formats() {
        let xml = br#"<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>
            <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
            <cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="14"></xf></cellXfs></styleSheet>"#;
        let styles = Styles::parse(&xml[..], u64::MAX).unwrap();
        assert_eq!(
            (
                styles.is_date(0),
                styles.is_date(1),
                styles.is_date(2),
                styles.is_date(9)
            ),
            (false, true, true, false)
        );
    }

    #[test]
    fn serials_read_as_excel_shows_them() {
        let date = |serial: f64, date1904: bool| {
            let mut out = String::new();
            push_date(serial, date1904, &mut out);
            out
        };
        assert_eq!(date(45500.0, false), "2024-07-27 00:00:00");
        assert_eq!(date(45500.5, false), "2024-07-27 12:00:00");
        assert_eq!(date(1.0, false), "1900-01-01 00:00:00");
        assert_eq!(date(61.0, false), "1900-03-01 00:00:00");
        assert_eq!(date(0.0, true), "1904-01-01 00:00:00");
        assert!(!date(1e300, false).is_empty());
    }
}
