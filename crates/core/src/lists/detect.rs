//! What a list file holds: a Dynamics export (the `(Do Not Modify)` columns and the
//! hiddenSheet) or a generic table, the ID column, and each column's role.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::hidden_sheet::HiddenSheet;
use crate::guid::Guid;
use crate::screenpop::object_types::{ObjectType, OBJECT_TYPES};

/// The prefix Dynamics puts on the hidden columns of an export.
///
/// Dynamics localizes it: a public description of a German export (GitHub, "CRM /
/// Dataverse Discovery" notes on an `account` view export) lists the columns
/// `(Nicht ändern) Firma`, `(Nicht ändern) Zeilenprüfsumme`, `(Nicht ändern) Geändert am`.
/// No public source was found for other languages (e.g. French), whose exports are
/// read through their hiddenSheet (a CSV re-saved from one has none).
pub const DO_NOT_MODIFY: &str = "(Do Not Modify) ";

/// The hidden columns' prefix, and the checksum and modified-on columns after it, in
/// each language known (lower case): English, and German from the source above.
const HIDDEN_COLUMNS: &[(&str, &str, &str)] = &[
    ("(do not modify) ", "row checksum", "modified on"),
    ("(nicht ändern) ", "zeilenprüfsumme", "geändert am"),
];

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
    /// The column's letter as the spreadsheet shows it (`A` for the first column of a
    /// sheet that starts at A1; `C` when the table starts two columns in).
    pub letter: String,
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
    for (prefix, checksum, modified_on) in HIDDEN_COLUMNS {
        if let Some(rest) = lower.strip_prefix(prefix) {
            return match rest {
                r if r == *checksum => Role::RowChecksum,
                r if r == *modified_on => Role::ModifiedOn,
                _ => Role::Id,
            };
        }
    }
    match lower.as_str() {
        "first name" | "firstname" | "given name" => Role::FirstName,
        "last name" | "lastname" | "surname" | "family name" => Role::LastName,
        "full name" | "fullname" | "name" | "contact name" => Role::FullName,
        "company name" | "account" | "account name" | "company" => Role::Account,
        l if names_consent(l) => Role::DoNotPhone,
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

/// The display name of `donotphone` ("Do not allow Phone Calls") in the languages
/// Dynamics ships, lower case. Sources (the pages quote the Dynamics field label):
/// - en: Dataverse contact/account/lead metadata, `DisplayName: Do not allow Phone Calls`
///   (https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/contact;
///   seen here as quoted in generated early-bound classes, "If Do Not Allow is selected…")
/// - de "Telefonanrufe nicht zulassen", fr "Ne pas autoriser les appels téléphoniques",
///   es "No permitir llamadas telefónicas", it "Non consentire telefonate",
///   pt-BR "Não Permitir chamadas telefônicas", ja "電話を許可しない", sv "Tillåt inte
///   telefonsamtal": Adobe's localized "Default Dynamics field mapping" page, column
///   "MS Dynamics field" for `donotphone`
///   (https://experienceleague.adobe.com/{de,fr,es,it,pt-br,ja,sv}/docs/marketo/using/product-docs/crm-sync/microsoft-dynamics/microsoft-dynamics-sync-details/default-dynamics-field-mapping;
///   sources AdobeDocs/marketo.<locale> on GitHub)
/// - es "No permitir llamadas de teléfono": a Business Central–Dataverse integration
///   table generated from a Spanish environment (the `DoNotPhone` field's tooltip)
/// - nl "Telefoongesprekken niet toestaan": the same Adobe page in Dutch
///   (https://experienceleague.adobe.com/nl/docs/marketo/using/product-docs/crm-sync/microsoft-dynamics/microsoft-dynamics-sync-details/default-dynamics-field-mapping),
///   lead and contact tables, both stored versions; NOT verified against a Microsoft page.
/// - Adobe's localized pages are machine-assisted translations (front matter
///   `workflow-type: tm+mt`; the sv and nl pages even translate logical names), so the
///   Adobe-only headers (fr, es, ja, sv, nl) are weaker than a Microsoft source.
/// - pt-PT "Não permitir chamadas telefónicas": NOT verified (no pt-PT source found).
///   A wrong guess here only means the column is recognised by the heuristic in
///   [`names_consent`] instead.
pub const DO_NOT_PHONE_HEADERS: &[&str] = &[
    "do not allow phone calls",
    "donotphone",
    "do not phone",
    "do not call",
    "telefonanrufe nicht zulassen",
    "ne pas autoriser les appels téléphoniques",
    "no permitir llamadas telefónicas",
    "no permitir llamadas de teléfono",
    "non consentire telefonate",
    "não permitir chamadas telefônicas",
    "não permitir chamadas telefónicas",
    "電話を許可しない",
    "tillåt inte telefonsamtal",
    "telefoongesprekken niet toestaan",
];

/// The option labels of `donotphone` meaning "do not call" (`true`), lower case.
/// Sources: each language's "Honor individuals' privacy preferences" page, which names
/// the same Allow / Do Not Allow option labels of the contact preferences:
/// - en "Do Not Allow": the `donotphone` description in the contact metadata above
/// - de "Nicht zulassen": https://learn.microsoft.com/de-de/dynamics365/sales/configure-individuals-privacy-preferences
/// - it "Non consentire": https://learn.microsoft.com/it-it/dynamics365/sales/configure-individuals-privacy-preferences
/// - pt-BR "Não Permitir": https://learn.microsoft.com/pt-br/dynamics365/sales/configure-individuals-privacy-preferences
/// - pt-PT "Não Permitir": https://learn.microsoft.com/pt-pt/dynamics365/sales/configure-individuals-privacy-preferences
/// - fr "Ne pas autoriser", es "No permitir", ja "許可しない", sv "Tillåt inte": the
///   first words of the column's own label above (Adobe's pages); the fr/es/ja/sv
///   privacy pages and localized `donotphone` option metadata were not found in any
///   public source searched, so these are NOT verified against a Microsoft page.
/// - nl "Niet toestaan": NOT verified (no Dutch source for the option labels found).
///
/// A label not listed is never guessed: the import asks (see `list.do_not_call_unclear`).
pub const DO_NOT_ALLOW_LABELS: &[&str] = &[
    "do not allow",
    "nicht zulassen",
    "ne pas autoriser",
    "no permitir",
    "non consentire",
    "não permitir",
    "許可しない",
    "tillåt inte",
    "niet toestaan",
    // Booleans as other tools write them.
    "yes",
    "true",
    "1",
    "do not call",
];

/// The option labels of `donotphone` meaning "may be called" (`false`), same sources
/// as [`DO_NOT_ALLOW_LABELS`]: en "Allow", de "Zulassen", it "Consenti", pt "Permitir"
/// (verified); fr "Autoriser", es "Permitir", ja "許可", sv "Tillåt", nl "Toestaan"
/// (not verified).
pub const ALLOW_LABELS: &[&str] = &[
    "allow",
    "zulassen",
    "autoriser",
    "permitir",
    "consenti",
    "許可",
    "tillåt",
    "toestaan",
    "no",
    "false",
    "0",
];

/// What one cell of the consent column says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    DoNotCall,
    Allowed,
    /// A value that is neither a known label nor one the administrator stated.
    Unknown,
}

/// Reads a consent cell. `stated`: the values the administrator said mean "do not
/// call" (then every other value means "may be called"); else the known labels.
/// An empty cell is "may be called" (Dynamics' default for `donotphone`).
pub fn consent(value: &str, stated: Option<&[String]>) -> Consent {
    let value = value.trim().to_lowercase();
    if let Some(stated) = stated {
        return if stated.iter().any(|s| s.trim().to_lowercase() == value) {
            Consent::DoNotCall
        } else {
            Consent::Allowed
        };
    }
    if value.is_empty() || ALLOW_LABELS.contains(&value.as_str()) {
        Consent::Allowed
    } else if DO_NOT_ALLOW_LABELS.contains(&value.as_str()) {
        Consent::DoNotCall
    } else {
        Consent::Unknown
    }
}

/// A header naming the consent column: a known display name, or words of calling and
/// of (not) allowing together (`Anrufe nicht zulassen`, `Phone: do not allow`). Such a
/// column is never a phone column.
pub fn names_consent(lower: &str) -> bool {
    const CALLING: &[&str] = &[
        "phone",
        "call",
        "telefon",
        "téléphon",
        "llamada",
        "telefonat",
        "chamada",
        "電話",
        "bellen",
        "appel",
        "anruf",
        "ring",
    ];
    const ALLOWING: &[&str] = &[
        "do not",
        "don't",
        "dont",
        "not allow",
        "allow",
        "nicht",
        "ne pas",
        "no permitir",
        "non ",
        "niet",
        "não",
        "nao ",
        "許可",
        "zulassen",
        "autoris",
        "permit",
        "consent",
        "toestaan",
        "opt-out",
        "opt out",
        "dnc",
        "tillåt",
    ];
    DO_NOT_PHONE_HEADERS.contains(&lower)
        || (CALLING.iter().any(|w| lower.contains(w)) && ALLOWING.iter().any(|w| lower.contains(w)))
}

/// Roles of every column: from the hiddenSheet's logical names where it has them,
/// else from the headers. An export's `(Do Not Modify) <Table>` column is the ID.
/// `first_column` is where the table starts on its sheet (0 for column A).
pub fn columns(
    headers: &[String],
    first_column: usize,
    hidden: Option<&HiddenSheet>,
) -> Vec<SourceColumn> {
    headers
        .iter()
        .enumerate()
        .map(|(index, header)| {
            let logical_name = hidden
                .and_then(|h| h.logical_name(header))
                .map(str::to_owned);
            let by_header = role_by_header(header);
            // `<entity>id` is the record ID whatever the header says (exports in
            // other languages name the column in the user's language).
            let is_entity_id = hidden.is_some_and(|h| {
                logical_name.as_deref() == Some(format!("{}id", h.entity).as_str())
            });
            let role = if by_header == Role::Id || is_entity_id {
                Role::Id
            } else {
                logical_name
                    .as_deref()
                    .and_then(role_by_logical_name)
                    .unwrap_or(by_header)
            };
            SourceColumn {
                index,
                letter: crate::table::column_letter(first_column + index),
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
    fn a_german_exports_hidden_columns_are_recognised_without_its_hidden_sheet() {
        let cols = columns(
            &headers(&[
                "(Nicht ändern) Firma",
                "(Nicht ändern) Zeilenprüfsumme",
                "(Nicht ändern) Geändert am",
                "Firmenname",
                "Telefonanrufe nicht zulassen",
            ]),
            0,
            None,
        );
        let roles: Vec<Role> = cols.iter().map(|c| c.role).collect();
        assert_eq!(roles[..3], [Role::Id, Role::RowChecksum, Role::ModifiedOn]);
        assert_eq!(roles[4], Role::DoNotPhone);
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
            2,
            None,
        );
        assert_eq!(
            (cols[0].letter.as_str(), cols[9].letter.as_str()),
            ("C", "L")
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
        let cols = columns(&headers(&["Work", "Given"]), 0, Some(&hidden));
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
