//! Dynamics record IDs: GUIDs, parsed leniently and written one canonical way
//! (lower case, hyphenated, no braces).

use std::fmt;
use std::str::FromStr;

/// A record ID. Displays as `00aa0000-a0a0-a000-a00a-000a0a000a00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Guid(u128);

/// The placeholder GUID printed in the Bright Pattern guide; never a real record.
pub const GUIDE_PLACEHOLDER: Guid = Guid(0x00aa0000_a0a0_a000_a00a_000a0a000a00);

/// Why a text is not a GUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuidError {
    Empty,
    /// 32 hex digits are needed; this many were found (hyphens aside).
    WrongLength(usize),
    /// A character that is not a hex digit, at this byte offset.
    NotHex(usize),
    /// Hyphens elsewhere than 8-4-4-4-12.
    Misplaced,
    /// An opening brace without its closing one, or the reverse.
    UnbalancedBraces,
}

impl fmt::Display for GuidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GuidError::Empty => write!(f, "the ID is empty"),
            GuidError::WrongLength(n) => {
                write!(f, "a GUID has 32 hexadecimal digits; this has {n}")
            }
            GuidError::NotHex(_) => write!(f, "a GUID holds only 0-9, a-f and hyphens"),
            GuidError::Misplaced => {
                write!(
                    f,
                    "the hyphens of a GUID go 8-4-4-4-12 (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"
                )
            }
            GuidError::UnbalancedBraces => write!(f, "the braces around the GUID do not match"),
        }
    }
}

impl std::error::Error for GuidError {}

/// A parsed GUID and whether it had to be normalised to reach the canonical form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lenient {
    pub guid: Guid,
    pub had_braces: bool,
    pub had_upper_case: bool,
}

impl Guid {
    /// Parses the canonical 8-4-4-4-12 form or 32 bare hex digits, in either case,
    /// optionally in braces. Surrounding whitespace is not accepted.
    pub fn parse_lenient(text: &str) -> Result<Lenient, GuidError> {
        if text.is_empty() {
            return Err(GuidError::Empty);
        }
        let (inner, offset, had_braces) = match (text.strip_prefix('{'), text.ends_with('}')) {
            (Some(rest), true) => (&rest[..rest.len() - 1], 1, true),
            (None, false) => (text, 0, false),
            _ => return Err(GuidError::UnbalancedBraces),
        };
        let mut value: u128 = 0;
        let mut digits = 0usize;
        let mut hyphens = Vec::new();
        for (i, c) in inner.char_indices() {
            if c == '-' {
                hyphens.push(digits);
                continue;
            }
            let Some(d) = c.to_digit(16) else {
                return Err(GuidError::NotHex(offset + i));
            };
            if digits < 32 {
                value = (value << 4) | u128::from(d);
            }
            digits += 1;
        }
        if digits != 32 {
            return Err(GuidError::WrongLength(digits));
        }
        if !(hyphens.is_empty() || hyphens == [8, 12, 16, 20]) {
            return Err(GuidError::Misplaced);
        }
        Ok(Lenient {
            guid: Guid(value),
            had_braces,
            had_upper_case: inner.chars().any(|c| c.is_ascii_uppercase()),
        })
    }
}

impl FromStr for Guid {
    type Err = GuidError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Guid::parse_lenient(text).map(|lenient| lenient.guid)
    }
}

impl Guid {
    /// The canonical form as ASCII bytes, without allocating.
    pub fn to_ascii(self) -> [u8; 36] {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [b'-'; 36];
        let mut nibble = 0;
        for (i, slot) in out.iter_mut().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                continue;
            }
            *slot = HEX[((self.0 >> (124 - 4 * nibble)) & 0xf) as usize];
            nibble += 1;
        }
        out
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ascii = self.to_ascii();
        f.write_str(std::str::from_utf8(&ascii).expect("hex digits and hyphens"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_braces_upper_case_and_bare_digits_and_writes_canonically() {
        let canonical = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
        for text in [
            canonical,
            "{3F2504E0-4F89-41D3-9A0C-0305E82C3301}",
            "3f2504e04f8941d39a0c0305e82c3301",
        ] {
            assert_eq!(
                text.parse::<Guid>().unwrap().to_string(),
                canonical,
                "{text}"
            );
        }
        let lenient = Guid::parse_lenient("{3F2504E0-4F89-41D3-9A0C-0305E82C3301}").unwrap();
        assert!(lenient.had_braces && lenient.had_upper_case);
    }

    #[test]
    fn names_what_is_wrong() {
        assert_eq!(Guid::parse_lenient(""), Err(GuidError::Empty));
        assert_eq!(
            Guid::parse_lenient("3f2504e0-4f89-41d3-9a0c-0305e82c330"),
            Err(GuidError::WrongLength(31))
        );
        assert_eq!(
            Guid::parse_lenient("3f2504e0-4f89-41d3-9a0c-0305e82c33zz"),
            Err(GuidError::NotHex(34))
        );
        assert_eq!(
            Guid::parse_lenient("3f2504e04f89-41d3-9a0c-0305e82c3301-"),
            Err(GuidError::Misplaced)
        );
        assert_eq!(
            Guid::parse_lenient("{3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
            Err(GuidError::UnbalancedBraces)
        );
    }

    #[test]
    fn the_guide_placeholder_is_recognised() {
        assert_eq!(
            "00aa0000-a0a0-a000-a00a-000a0a000a00".parse::<Guid>(),
            Ok(GUIDE_PLACEHOLDER)
        );
    }

    proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,60}") {
            let _ = Guid::parse_lenient(&text);
        }

        #[test]
        fn display_then_parse_round_trips(value in any::<u128>()) {
            let guid = Guid(value);
            prop_assert_eq!(guid.to_string().parse::<Guid>(), Ok(guid));
        }
    }
}
