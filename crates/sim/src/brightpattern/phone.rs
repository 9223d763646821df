//! PHONE field values as Bright Pattern stores them, written from the documents
//! independently of `dynbridge-core`'s import (so one checks the other).
//!
//! Source: v3 "Lists" folder notes (S3, quoted in reference §5): trim; drop a leading
//! `+` and every non-digit; US/Canada: keep `011…`, keep 11 digits starting `1`, prepend
//! `1` to 10 digits not starting `1`, anything else (10 digits starting `1` included) is
//! a format error, *Remove prefix* and *Default country code* ignored; other countries:
//! strip *Remove prefix* when the number starts with it, prepend *Default country code*
//! when it does not start with it.

use super::tenant::{Field, PhoneType};

/// The stored digits of `raw`, or `None` for a format error. An empty value is never
/// passed here (it is missing, not malformed).
pub(crate) fn normalise(field: &Field, raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    match field.phone_type {
        PhoneType::UsCanada => {
            if digits.starts_with("011") || (digits.len() == 11 && digits.starts_with('1')) {
                Some(digits)
            } else if digits.len() == 10 && !digits.starts_with('1') {
                Some(format!("1{digits}"))
            } else {
                None
            }
        }
        PhoneType::Other => {
            // UNCONFIRMED: a value without any digit is not a number in any country;
            // treated as a format error.
            if digits.is_empty() {
                return None;
            }
            let prefix = field.remove_prefix.trim();
            let rest = match digits.strip_prefix(prefix) {
                Some(rest) if !prefix.is_empty() => rest,
                _ => &digits,
            };
            let country = field.default_country_code.trim();
            Some(if rest.starts_with(country) {
                rest.to_owned()
            } else {
                format!("{country}{rest}")
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tenant::{Field, PhoneType};
    use super::normalise;

    #[test]
    fn us_canada_rules() {
        let f = Field::phone("Phone");
        assert_eq!(
            normalise(&f, "(425) 555-0100").as_deref(),
            Some("14255550100")
        );
        assert_eq!(
            normalise(&f, "+1 425 555 0100").as_deref(),
            Some("14255550100")
        );
        assert_eq!(
            normalise(&f, "011 44 20 7946 0958").as_deref(),
            Some("011442079460958")
        );
        assert_eq!(normalise(&f, "1425555010"), None, "10 digits starting 1");
        assert_eq!(normalise(&f, "555-0100"), None);
        assert_eq!(normalise(&f, "n/a"), None);
    }

    #[test]
    fn other_country_rules() {
        let mut f = Field::phone("Phone");
        f.phone_type = PhoneType::Other;
        f.remove_prefix = "0".into();
        f.default_country_code = "44".into();
        assert_eq!(
            normalise(&f, "020 7946 0958").as_deref(),
            Some("442079460958")
        );
        assert_eq!(
            normalise(&f, "+44 20 7946 0958").as_deref(),
            Some("442079460958")
        );
        assert_eq!(normalise(&f, "--"), None);
    }
}
