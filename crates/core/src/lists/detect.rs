//! What a list file holds: a Dynamics export (the `(Do Not Modify)` columns and the
//! hiddenSheet) or a generic table, the ID column, and each column's role.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::hidden_sheet::HiddenSheet;
use crate::guid::Guid;
use crate::screenpop::object_types::{ObjectType, OBJECT_TYPES};

/// The prefix Dynamics puts on the hidden columns of an export.
pub const DO_NOT_MODIFY: &str = "(Do Not Modify) ";

/// What a column holds, for the output and the Bright Pattern list wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Id,
    RowChecksum,
    ModifiedOn,
    Phone,
    FirstName,
    LastName,
    FullName,
    Account,
    Email,
    DoNotPhone,
    Custom,
}

impl Role {
    /// Columns a calling list does not need by default: export bookkeeping and consent.
    pub fn dropped_by_default(self) -> bool {
        matches!(
            self,
            Role::RowChecksum | Role::ModifiedOn | Role::DoNotPhone
        )
    }

    /// The field type to pick in Bright Pattern's list wizard.
    pub fn bright_pattern_type(self) -> &'static str {
        match self {
            Role::Phone => "PHONE",
            Role::FirstName => "FIRST_NAME",
            Role::LastName => "LAST_NAME",
            Role::Account => "ACCOUNT",
            _ => "custom",
        }
    }
}

/// One column of the source, with its detected role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SourceColumn {
    pub index: usize,
    pub header: String,
    /// The Dynamics logical name, from the hiddenSheet.
    pub logical_name: Option<String>,
    pub role: Role,
}

const PHONE_LOGICAL: &[&str] = &[
    "telephone1",
    "telephone2",
    "telephone3",
    "mobilephone",
    "address1_telephone1",
    "address1_telephone2",
    "address2_telephone1",
    "assistantphone",
    "managerphone",
];

fn role_by_logical_name(logical: &str) -> Option<Role> {
    let role = match logical {
        "checksumLogicalName" => Role::RowChecksum,
        "modifiedon" => Role::ModifiedOn,
        "firstname" => Role::FirstName,
        "lastname" => Role::LastName,
        "fullname" => Role::FullName,
        "parentcustomerid" | "parentaccountid" | "companyname" => Role::Account,
        "donotphone" => Role::DoNotPhone,
        l if l.starts_with("emailaddress") => Role::Email,
        l if PHONE_LOGICAL.contains(&l) => Role::Phone,
        _ => return None,
    };
    Some(role)
}

fn role_by_header(header: &str) -> Role {
    let lower = header.trim().to_lowercase();
    if let Some(rest) = lower.strip_prefix(&DO_NOT_MODIFY.to_lowercase()) {
        return match rest {
            "row checksum" => Role::RowChecksum,
            "modified on" => Role::ModifiedOn,
            _ => Role::Id,
        };
    }
    match lower.as_str() {
        "first name" | "firstname" | "given name" => Role::FirstName,
        "last name" | "lastname" | "surname" | "family name" => Role::LastName,
        "full name" | "fullname" | "name" | "contact name" => Role::FullName,
        "company name" | "account" | "account name" | "company" => Role::Account,
        "do not allow phone calls" | "donotphone" | "do not phone" => Role::DoNotPhone,
        l if l.contains("e-mail") || l.contains("email") => Role::Email,
        l if [
            "phone",
            "mobile",
            "telephone",
            "tel",
            "fax",
            "cell",
            "téléphone",
            "telefon",
        ]
        .iter()
        .any(|w| l.contains(w)) =>
        {
            Role::Phone
        }
        _ => Role::Custom,
    }
}

/// Roles of every column: from the hiddenSheet's logical names where it has them,
/// else from the headers. An export's `(Do Not Modify) <Table>` column is the ID.
pub fn columns(headers: &[String], hidden: Option<&HiddenSheet>) -> Vec<SourceColumn> {
    headers
        .iter()
        .enumerate()
        .map(|(index, header)| {
            let logical_name = hidden
                .and_then(|h| h.logical_name(header))
                .map(str::to_owned);
            let by_header = role_by_header(header);
            let role = if by_header == Role::Id {
                Role::Id
            } else {
                logical_name
                    .as_deref()
                    .and_then(role_by_logical_name)
                    .unwrap_or(by_header)
            };
            SourceColumn {
                index,
                header: header.clone(),
                logical_name,
                role,
            }
        })
        .collect()
}

/// For a generic file: the column where most non-empty sample values are GUIDs
/// (at least half of them, and at least one).
pub fn guid_column(sample: &[Vec<String>], width: usize) -> Option<usize> {
    (0..width)
        .map(|column| {
            let values = sample
                .iter()
                .filter_map(|row| row.get(column))
                .filter(|v| !v.trim().is_empty());
            let (mut guids, mut total) = (0usize, 0usize);
            for value in values {
                total += 1;
                guids += usize::from(Guid::parse_lenient(value.trim()).is_ok());
            }
            (column, guids, total)
        })
        .filter(|(_, guids, total)| *guids > 0 && guids * 2 >= *total)
        .max_by_key(|(column, guids, _)| (*guids, std::cmp::Reverse(*column)))
        .map(|(column, _, _)| column)
}

/// The Bright Pattern object type of an export: from the hiddenSheet's entity, else
/// from the ID column's header, `(Do Not Modify) Contact`.
pub fn object_type(hidden: Option<&HiddenSheet>, id_header: Option<&str>) -> Option<ObjectType> {
    if let Some(entity) = hidden.map(|h| h.entity.as_str()) {
        return OBJECT_TYPES
            .iter()
            .find(|t| t.logical_name == entity)
            .copied();
    }
    let table = id_header?.strip_prefix(DO_NOT_MODIFY)?.trim();
    OBJECT_TYPES
        .iter()
        .find(|t| t.display_name.eq_ignore_ascii_case(table))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn an_export_is_recognised_by_its_headers() {
        let cols = columns(
            &headers(&[
                "(Do Not Modify) Contact",
                "(Do Not Modify) Row Checksum",
                "(Do Not Modify) Modified On",
                "Full Name",
                "Business Phone",
                "Mobile Phone",
                "Email",
                "Company Name",
                "Do not allow Phone Calls",
                "Job Title",
            ]),
            None,
        );
        let roles: Vec<Role> = cols.iter().map(|c| c.role).collect();
        assert_eq!(
            roles,
            [
                Role::Id,
                Role::RowChecksum,
                Role::ModifiedOn,
                Role::FullName,
                Role::Phone,
                Role::Phone,
                Role::Email,
                Role::Account,
                Role::DoNotPhone,
                Role::Custom
            ]
        );
        assert_eq!(
            object_type(None, Some("(Do Not Modify) Case"))
                .unwrap()
                .logical_name,
            "incident"
        );
    }

    #[test]
    fn logical_names_win_over_headers() {
        let hidden = HiddenSheet {
            entity: "lead".into(),
            columns: vec![
                ("telephone1".into(), "Work".into()),
                ("firstname".into(), "Given".into()),
            ],
        };
        let cols = columns(&headers(&["Work", "Given"]), Some(&hidden));
        assert_eq!((cols[0].role, cols[1].role), (Role::Phone, Role::FirstName));
        assert_eq!(cols[0].logical_name.as_deref(), Some("telephone1"));
        assert_eq!(
            object_type(Some(&hidden), None).unwrap().bright_pattern,
            "lead"
        );
    }

    #[test]
    fn the_guid_column_is_the_one_mostly_holding_guids() {
        let g = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
        let sample = vec![
            vec!["a".into(), g.into(), "x".into()],
            vec!["b".into(), "".into(), g.into()],
            vec!["c".into(), g.into(), "y".into()],
        ];
        assert_eq!(guid_column(&sample, 3), Some(1));
        assert_eq!(guid_column(&[vec!["a".into()]], 1), None);
    }
}
