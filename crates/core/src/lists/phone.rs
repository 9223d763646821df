//! Phone numbers as Bright Pattern stores them in calling lists.
//!
//! US and Canada follow Bright Pattern's own rules (List Management API docs): trim,
//! drop a leading `+` and every non-digit; keep numbers starting `011`; keep 11 digits
//! starting `1`; prefix `1` to 10 digits not starting `1`; reject the rest. Other
//! countries are parsed with libphonenumber's data and written as E.164 digits.
//!
//! An extension (`x123`, `ext. 45`, `#12`, `extension 7`) is split off first
//! ([`split_extension`]); a number Excel already wrote in scientific notation
//! (`1.42556E+10`) lost its last digits and is never guessed back.

use phonenumber::country::Id;

/// Why a phone number was not usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneProblem {
    Empty,
    Invalid,
    /// Excel turned the number into scientific notation (`1.42556E+10`): its last
    /// digits are gone.
    RoundedByExcel,
}

/// Words that introduce an extension, longest first (matched case-insensitively,
/// followed by optional `.`/`:` and spaces, then only digits to the end).
/// `poste` is French ("poste 12").
const EXTENSION_MARKERS: &[&str] = &["extension", "ext.", "extn", "ext", "poste", "x", "#"];

/// Splits `raw` into the number and its extension digits, when it ends in one
/// (`555-123-4567 x123`, `+1 555 123 4567 ext. 45`, `5551234567#12`,
/// `555 123 4567 extension 7`). The number part must hold digits.
pub fn split_extension(raw: &str) -> (&str, Option<&str>) {
    // Every marker holds a letter or `#`: most numbers have neither (one pass, no copy).
    if !raw.bytes().any(|b| b.is_ascii_alphabetic() || b == b'#') {
        return (raw, None);
    }
    let lower = raw.to_ascii_lowercase();
    for marker in EXTENSION_MARKERS {
        let Some(at) = lower.rfind(marker) else {
            continue;
        };
        let number = &raw[..at];
        let rest = raw[at + marker.len()..].trim_start_matches(['.', ':', ' ']);
        let rest = rest.trim_end();
        let letter_before = number.chars().next_back().is_some_and(char::is_alphabetic);
        if !rest.is_empty()
            && rest.len() <= 10
            && rest.bytes().all(|b| b.is_ascii_digit())
            && !letter_before
            && number.bytes().filter(u8::is_ascii_digit).count() >= 3
        {
            return (number.trim_end_matches([' ', ',', ';', '-']), Some(rest));
        }
    }
    (raw, None)
}

/// True for a number Excel wrote in scientific notation: `1.42556E+10`,
/// `1,42556E+10` (a decimal comma), `1.4E10`.
pub fn is_scientific(raw: &str) -> bool {
    let value = raw.trim();
    let Some(e) = value.find(['e', 'E']) else {
        return false;
    };
    let (mantissa, exponent) = (&value[..e], &value[e + 1..]);
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let mut parts = mantissa.splitn(2, ['.', ',']);
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next().unwrap_or("");
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && !exponent.is_empty()
        && exponent.bytes().all(|b| b.is_ascii_digit())
}

/// How phones are normalised: Bright Pattern's US/Canada rules, or another country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneRules {
    NorthAmerica,
    Country(Id),
}

impl PhoneRules {
    /// The rules for a two-letter country code (`US`, `CA`, `GB`, …).
    pub fn for_country(code: &str) -> Option<Self> {
        let code = code.trim().to_ascii_uppercase();
        match code.as_str() {
            "US" | "CA" => Some(Self::NorthAmerica),
            _ => code.parse::<Id>().ok().map(Self::Country),
        }
    }

    /// The digits to write, or why there are none.
    pub fn normalise(self, raw: &str) -> Result<String, PhoneProblem> {
        let mut digits = String::new();
        self.normalise_into(raw, &mut digits).map(|()| digits)
    }

    /// Appends the digits to `out` (left as it was on error); the import's hot path.
    pub fn normalise_into(self, raw: &str, out: &mut String) -> Result<(), PhoneProblem> {
        if raw.trim().is_empty() {
            return Err(PhoneProblem::Empty);
        }
        if is_scientific(raw) {
            return Err(PhoneProblem::RoundedByExcel);
        }
        match self {
            Self::NorthAmerica => north_american(raw, out),
            Self::Country(country) => {
                international(raw, country).map(|digits| out.push_str(&digits))
            }
        }
    }
}

fn north_american(raw: &str, out: &mut String) -> Result<(), PhoneProblem> {
    let digits = raw.bytes().filter(u8::is_ascii_digit);
    let count = digits.clone().count();
    let first_three: Vec<u8> = digits.clone().take(3).collect();
    let keep_as_is = first_three == b"011" || (count == 11 && first_three.first() == Some(&b'1'));
    let prefix_one = count == 10 && first_three.first() != Some(&b'1');
    if count == 0 || !(keep_as_is || prefix_one) {
        return Err(PhoneProblem::Invalid);
    }
    if prefix_one {
        out.push('1');
    }
    out.extend(digits.map(char::from));
    Ok(())
}

fn international(raw: &str, country: Id) -> Result<String, PhoneProblem> {
    let number =
        phonenumber::parse(Some(country), raw.trim()).map_err(|_| PhoneProblem::Invalid)?;
    if !phonenumber::is_valid(&number) {
        return Err(PhoneProblem::Invalid);
    }
    let e164 = number.format().mode(phonenumber::Mode::E164).to_string();
    Ok(e164.trim_start_matches('+').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn us(raw: &str) -> Result<String, PhoneProblem> {
        PhoneRules::NorthAmerica.normalise(raw)
    }

    #[test]
    fn bright_pattern_us_rules() {
        assert_eq!(us("(555) 123-4567"), Ok("15551234567".into()));
        assert_eq!(us("+1 555 123 4567"), Ok("15551234567".into()));
        assert_eq!(us("555.123.4567"), Ok("15551234567".into()));
        assert_eq!(us("011 44 20 7946 0958"), Ok("011442079460958".into()));
        assert_eq!(
            us("1234567890"),
            Err(PhoneProblem::Invalid),
            "10 digits starting with 1"
        );
        assert_eq!(us("1555123"), Err(PhoneProblem::Invalid));
        assert_eq!(us("  "), Err(PhoneProblem::Empty));
        assert_eq!(us("n/a"), Err(PhoneProblem::Invalid));
    }

    #[test]
    fn other_countries_become_e164_digits() {
        let gb = PhoneRules::for_country("gb").unwrap();
        assert_eq!(gb.normalise("020 7946 0958"), Ok("442079460958".into()));
        assert_eq!(gb.normalise("+44 20 7946 0958"), Ok("442079460958".into()));
        assert_eq!(gb.normalise("12"), Err(PhoneProblem::Invalid));
        assert_eq!(
            PhoneRules::for_country("CA"),
            Some(PhoneRules::NorthAmerica)
        );
        assert_eq!(PhoneRules::for_country("XX"), None);
    }

    #[test]
    fn extensions_are_split_off() {
        assert_eq!(
            split_extension("555-123-4567 x123"),
            ("555-123-4567", Some("123"))
        );
        assert_eq!(
            split_extension("+1 555 123 4567 ext. 45"),
            ("+1 555 123 4567", Some("45"))
        );
        assert_eq!(
            split_extension("(555) 123-4567 Ext 9"),
            ("(555) 123-4567", Some("9"))
        );
        assert_eq!(split_extension("5551234567#12"), ("5551234567", Some("12")));
        assert_eq!(
            split_extension("555 123 4567 extension 7"),
            ("555 123 4567", Some("7"))
        );
        assert_eq!(split_extension("555 123 4567"), ("555 123 4567", None));
        assert_eq!(split_extension("x123"), ("x123", None), "no number before");
        assert_eq!(split_extension("box 12"), ("box 12", None));
        assert_eq!(
            us(split_extension("555-123-4567 x123").0),
            Ok("15551234567".into())
        );
    }

    #[test]
    fn numbers_excel_rounded_are_recognised() {
        for raw in ["1.42556E+10", "1,42556E+10", " 1.4e10 ", "1E+10"] {
            assert!(is_scientific(raw), "{raw}");
            assert_eq!(us(raw), Err(PhoneProblem::RoundedByExcel), "{raw}");
        }
        for raw in ["555 123 4567", "E+10", "1.4E+", "555e", "1.2.3E+4"] {
            assert!(!is_scientific(raw), "{raw}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(raw in "\\PC{0,40}") {
            let _ = us(&raw);
            let _ = PhoneRules::for_country("DE").unwrap().normalise(&raw);
        }

        #[test]
        fn ten_digit_numbers_not_starting_with_1_gain_a_1(n in 2_000_000_000u64..10_000_000_000) {
            prop_assert_eq!(us(&n.to_string()), Ok(format!("1{n}")));
        }
    }
}
