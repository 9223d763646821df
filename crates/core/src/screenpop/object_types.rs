//! The object types a Bright Pattern screen pop can open, with their Dynamics names.
//!
//! Bright Pattern's names come from the guide and its "Microsoft Dynamics Search
//! Object" block; two differ from Dynamics logical names (case → `incident`,
//! order → `salesorder`). Whether Bright Pattern also accepts logical names is
//! UNVERIFIED (domain.md §7), so an unknown type is a warning with a suggestion.

use serde::Serialize;
use ts_rs::TS;

/// One object type, as Bright Pattern and Dynamics name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct ObjectType {
    /// The name the Screenpop URL uses, e.g. `case`.
    pub bright_pattern: &'static str,
    /// The Dynamics table logical name, e.g. `incident` (the `etn` of a record URL).
    pub logical_name: &'static str,
    /// What Dynamics shows, e.g. `Case`.
    pub display_name: &'static str,
}

const fn object(
    bright_pattern: &'static str,
    logical_name: &'static str,
    display_name: &'static str,
) -> ObjectType {
    ObjectType {
        bright_pattern,
        logical_name,
        display_name,
    }
}

pub const OBJECT_TYPES: &[ObjectType] = &[
    object("account", "account", "Account"),
    object("case", "incident", "Case"),
    object("contact", "contact", "Contact"),
    object("contract", "contract", "Contract"),
    object("invoice", "invoice", "Invoice"),
    object("lead", "lead", "Lead"),
    object("opportunity", "opportunity", "Opportunity"),
    object("order", "salesorder", "Order"),
    object("quote", "quote", "Quote"),
];

/// The object type with exactly this Bright Pattern name.
pub fn by_bright_pattern_name(name: &str) -> Option<&'static ObjectType> {
    OBJECT_TYPES.iter().find(|t| t.bright_pattern == name)
}

/// The type an unknown name most likely means: another case, a plural, a Dynamics
/// logical or display name, an entity set name, or a typo of up to two letters.
pub fn suggest(name: &str) -> Option<&'static ObjectType> {
    let lower = name.to_ascii_lowercase();
    let singular = lower
        .strip_suffix("ies")
        .map(|stem| format!("{stem}y"))
        .or_else(|| {
            lower
                .strip_suffix("es")
                .filter(|s| s.ends_with("ss"))
                .map(str::to_owned)
        })
        .or_else(|| lower.strip_suffix('s').map(str::to_owned));
    let candidates: Vec<&str> = std::iter::once(lower.as_str())
        .chain(singular.as_deref())
        .collect();
    OBJECT_TYPES
        .iter()
        .find(|t| {
            candidates.iter().any(|c| {
                *c == t.bright_pattern
                    || *c == t.logical_name
                    || *c == t.display_name.to_ascii_lowercase()
            })
        })
        .or_else(|| {
            OBJECT_TYPES
                .iter()
                .map(|t| (edit_distance(&lower, t.bright_pattern), t))
                .filter(|(distance, _)| *distance <= 2)
                .min_by_key(|(distance, _)| *distance)
                .map(|(_, t)| t)
        })
}

/// Levenshtein distance between two short ASCII-ish words.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggestion(name: &str) -> Option<&'static str> {
        suggest(name).map(|t| t.bright_pattern)
    }

    #[test]
    fn suggests_from_plurals_logical_names_case_and_typos() {
        assert_eq!(suggestion("contacts"), Some("contact"));
        assert_eq!(suggestion("incident"), Some("case"));
        assert_eq!(suggestion("incidents"), Some("case"));
        assert_eq!(suggestion("salesorder"), Some("order"));
        assert_eq!(suggestion("Contact"), Some("contact"));
        assert_eq!(suggestion("opportunities"), Some("opportunity"));
        assert_eq!(suggestion("contcat"), Some("contact"));
        assert_eq!(suggestion("widget"), None);
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("lead", "lead"), 0);
        assert_eq!(edit_distance("led", "lead"), 1);
        assert_eq!(edit_distance("SHOW_OBJCT", "SHOW_OBJECT"), 1);
    }
}
