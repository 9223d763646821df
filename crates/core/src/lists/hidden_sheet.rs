//! The `hiddenSheet` of a Dynamics "Export to Excel" file. Its A1 cell reads
//! `<entity logical name>:<signature>:<logicalName=Column Header&…>`, URL-encoded, in
//! column order (reverse-engineered by third parties, not documented: read leniently).

/// What A1 of `hiddenSheet` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HiddenSheet {
    /// The table's logical name, e.g. `contact`.
    pub entity: String,
    /// (logical name, column header) pairs in column order.
    pub columns: Vec<(String, String)>,
}

impl HiddenSheet {
    /// Parses A1; `None` when it does not have the documented shape.
    pub fn parse(a1: &str) -> Option<Self> {
        let mut parts = a1.splitn(3, ':');
        let entity = parts.next()?.trim();
        let _signature = parts.next()?;
        let pairs = parts.next()?;
        if entity.is_empty()
            || !entity
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return None;
        }
        let columns: Vec<(String, String)> = url::form_urlencoded::parse(pairs.as_bytes())
            .map(|(logical, header)| (logical.into_owned(), header.into_owned()))
            .filter(|(logical, _)| !logical.is_empty())
            .collect();
        (!columns.is_empty()).then(|| Self {
            entity: entity.to_ascii_lowercase(),
            columns,
        })
    }

    /// The logical name of the column with this header.
    pub fn logical_name(&self, header: &str) -> Option<&str> {
        self.columns
            .iter()
            .find(|(_, h)| h.trim() == header.trim())
            .map(|(logical, _)| logical.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_the_entity_and_the_column_pairs() {
        let a1 = "contact:4yZJg3Tq==:contactid=%28Do%20Not%20Modify%29%20Contact&checksumLogicalName=%28Do%20Not%20Modify%29%20Row%20Checksum&fullname=Full%20Name&telephone1=Business%20Phone";
        let sheet = HiddenSheet::parse(a1).unwrap();
        assert_eq!(sheet.entity, "contact");
        assert_eq!(sheet.columns.len(), 4);
        assert_eq!(
            sheet.logical_name("(Do Not Modify) Contact"),
            Some("contactid")
        );
        assert_eq!(sheet.logical_name("Business Phone"), Some("telephone1"));
        assert_eq!(sheet.logical_name("Email"), None);
    }

    #[test]
    fn malformed_cells_give_nothing() {
        for a1 in [
            "",
            "contact",
            "contact:sig",
            "con tact:sig:a=b",
            "contact:sig:",
        ] {
            assert_eq!(HiddenSheet::parse(a1), None, "{a1:?}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(a1 in "\\PC{0,200}") {
            let _ = HiddenSheet::parse(&a1);
        }
    }
}
