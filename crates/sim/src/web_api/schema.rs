//! The tables the simulator serves, built in: logical name, entity set, primary key and
//! primary name, and every column with its type and limits, plus the custom columns
//! that `attribute` records add. Queries, writes and metadata answers all come from it:
//! a column that is not here does not exist.
//!
//! Sources: the table/entity reference pages,
//! https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/<logicalname>
//! and, for `msdyn_ciprovider`, https://learn.microsoft.com/dynamics365/developer/reference/entities/msdyn_ciprovider
//! (checked: label and name at most 100 characters, sort order 0–1000, API version
//! options 0 and 1, landing URL 1,024, trusted domain 2,000, app and role selectors
//! Memo 4,000). The other tables' lengths, option values and object type codes are
//! those of the same reference pages as we remember them: UNVERIFIED one by one.

use std::collections::HashMap;

use serde_json::Value;

use crate::Records;

/// An OData primitive (or enum) type, as `$filter` literals and properties have them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edm {
    String,
    Int32,
    Decimal,
    Boolean,
    Guid,
    DateTimeOffset,
    /// An enum of the `Microsoft.Dynamics.CRM` namespace, e.g. `AttributeTypeCode`.
    Enum(&'static str),
}

impl Edm {
    /// The name Dataverse's OData errors use, e.g. `Edm.Int32`.
    pub fn name(self) -> String {
        match self {
            Edm::String => "Edm.String".into(),
            Edm::Int32 => "Edm.Int32".into(),
            Edm::Decimal => "Edm.Decimal".into(),
            Edm::Boolean => "Edm.Boolean".into(),
            Edm::Guid => "Edm.Guid".into(),
            Edm::DateTimeOffset => "Edm.DateTimeOffset".into(),
            Edm::Enum(name) => format!("Microsoft.Dynamics.CRM.{name}"),
        }
    }
}

/// The properties of an OData type (an entity's columns or a metadata type's), what
/// `$select`, `$filter` and `$orderby` may name.
#[derive(Debug)]
pub(crate) struct Properties {
    /// The qualified type name errors cite, e.g. `Microsoft.Dynamics.CRM.contact`.
    pub type_name: String,
    pub list: Vec<(String, Edm)>,
}

impl Properties {
    pub fn get(&self, name: &str) -> Option<Edm> {
        self.list.iter().find(|(n, _)| n == name).map(|(_, t)| *t)
    }
}

/// A column's type and limits, as the attribute metadata describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnType {
    Uniqueidentifier,
    String { max: usize },
    Memo { max: usize },
    Integer { min: i64, max: i64 },
    Boolean,
    Picklist(&'static [i64]),
    State(&'static [i64]),
    DateTime,
}

impl ColumnType {
    /// `AttributeMetadata.AttributeType` (the `AttributeTypeCode` enum member).
    pub fn attribute_type(self) -> &'static str {
        match self {
            ColumnType::Uniqueidentifier => "Uniqueidentifier",
            ColumnType::String { .. } => "String",
            ColumnType::Memo { .. } => "Memo",
            ColumnType::Integer { .. } => "Integer",
            ColumnType::Boolean => "Boolean",
            ColumnType::Picklist(_) => "Picklist",
            ColumnType::State(_) => "State",
            ColumnType::DateTime => "DateTime",
        }
    }

    /// The derived metadata type the attribute is served as (`@odata.type`).
    pub fn metadata_type(self) -> &'static str {
        match self {
            ColumnType::Uniqueidentifier => {
                "#Microsoft.Dynamics.CRM.UniqueIdentifierAttributeMetadata"
            }
            ColumnType::String { .. } => "#Microsoft.Dynamics.CRM.StringAttributeMetadata",
            ColumnType::Memo { .. } => "#Microsoft.Dynamics.CRM.MemoAttributeMetadata",
            ColumnType::Integer { .. } => "#Microsoft.Dynamics.CRM.IntegerAttributeMetadata",
            ColumnType::Boolean => "#Microsoft.Dynamics.CRM.BooleanAttributeMetadata",
            ColumnType::Picklist(_) => "#Microsoft.Dynamics.CRM.PicklistAttributeMetadata",
            ColumnType::State(_) => "#Microsoft.Dynamics.CRM.StateAttributeMetadata",
            ColumnType::DateTime => "#Microsoft.Dynamics.CRM.DateTimeAttributeMetadata",
        }
    }

    /// The OData type of the column's property.
    pub fn edm(self) -> Edm {
        match self {
            ColumnType::Uniqueidentifier => Edm::Guid,
            ColumnType::String { .. } | ColumnType::Memo { .. } => Edm::String,
            ColumnType::Integer { .. } | ColumnType::Picklist(_) | ColumnType::State(_) => {
                Edm::Int32
            }
            ColumnType::Boolean => Edm::Boolean,
            ColumnType::DateTime => Edm::DateTimeOffset,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub name: String,
    pub kind: ColumnType,
    pub custom: bool,
}

/// One table: its names, keys and columns.
#[derive(Debug)]
pub(crate) struct Table {
    pub logical: &'static str,
    pub set: &'static str,
    pub schema_name: &'static str,
    pub object_type_code: u32,
    pub primary_id: &'static str,
    pub primary_name: &'static str,
    pub is_activity: bool,
    pub columns: Vec<Column>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The entity type's qualified name, e.g. `Microsoft.Dynamics.CRM.contact`.
    pub fn type_name(&self) -> String {
        format!("Microsoft.Dynamics.CRM.{}", self.logical)
    }

    pub fn properties(&self) -> Properties {
        Properties {
            type_name: self.type_name(),
            list: self
                .columns
                .iter()
                .map(|c| (c.name.clone(), c.kind.edm()))
                .collect(),
        }
    }

    /// The row's primary key, if it has one.
    pub fn id_of<'a>(&self, row: &'a Value) -> Option<&'a str> {
        row.get(self.primary_id).and_then(Value::as_str)
    }
}

/// Every table the simulator serves.
#[derive(Debug)]
pub(crate) struct Schema {
    tables: Vec<Table>,
}

impl Schema {
    /// The built-in tables, with the custom columns the `attribute` records declare.
    pub fn new(records: &Records) -> Self {
        let mut custom: HashMap<&str, Vec<Column>> = HashMap::new();
        for attribute in records.get("attribute").into_iter().flatten() {
            if let (Some(entity), Some(name)) = (
                attribute["entity"].as_str(),
                attribute["logicalname"].as_str(),
            ) {
                custom.entry(entity).or_default().push(Column {
                    name: name.to_owned(),
                    kind: custom_type(attribute),
                    custom: true,
                });
            }
        }
        let tables = TABLES
            .iter()
            .map(|def| {
                let mut columns: Vec<Column> = def
                    .columns
                    .iter()
                    .map(|(name, kind)| Column {
                        name: (*name).to_owned(),
                        kind: *kind,
                        custom: false,
                    })
                    .collect();
                columns.extend(custom.remove(def.logical).unwrap_or_default());
                Table {
                    logical: def.logical,
                    set: def.set,
                    schema_name: def.schema_name,
                    object_type_code: def.object_type_code,
                    primary_id: def.columns[0].0,
                    primary_name: def.primary_name,
                    is_activity: def.columns[0].0 == "activityid",
                    columns,
                }
            })
            .collect();
        Self { tables }
    }

    /// The table behind an entity set; entity set names are case-sensitive.
    pub fn by_set(&self, set: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.set == set)
    }

    pub fn by_logical(&self, logical: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.logical == logical)
    }
}

/// A custom column's type from its `attribute` record (String of 100 characters unless
/// it says otherwise; the default length is UNVERIFIED).
fn custom_type(attribute: &Value) -> ColumnType {
    let max = attribute["maxlength"]
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(100);
    match attribute["type"].as_str() {
        Some("Memo") => ColumnType::Memo { max },
        Some("Integer") => ColumnType::Integer {
            min: i64::from(i32::MIN),
            max: i64::from(i32::MAX),
        },
        Some("Boolean") => ColumnType::Boolean,
        _ => ColumnType::String { max },
    }
}

/// A built-in table: the first column is the primary key.
struct TableDef {
    logical: &'static str,
    set: &'static str,
    schema_name: &'static str,
    object_type_code: u32,
    primary_name: &'static str,
    columns: &'static [(&'static str, ColumnType)],
}

const fn text(max: usize) -> ColumnType {
    ColumnType::String { max }
}

const ID: ColumnType = ColumnType::Uniqueidentifier;
const ACTIVE_INACTIVE: ColumnType = ColumnType::State(&[0, 1]);
const OPEN_WON_LOST: ColumnType = ColumnType::State(&[0, 1, 2]);
/// Activities: Open, Completed, Canceled, Scheduled.
const ACTIVITY_STATE: ColumnType = ColumnType::State(&[0, 1, 2, 3]);

const TABLES: &[TableDef] = &[
    TableDef {
        logical: "contact",
        set: "contacts",
        schema_name: "Contact",
        object_type_code: 2,
        primary_name: "fullname",
        columns: &[
            ("contactid", ID),
            ("fullname", text(160)),
            ("firstname", text(50)),
            ("lastname", text(50)),
            ("telephone1", text(50)),
            ("mobilephone", text(50)),
            ("emailaddress1", text(100)),
            ("statecode", ACTIVE_INACTIVE),
            ("donotphone", ColumnType::Boolean),
        ],
    },
    TableDef {
        logical: "account",
        set: "accounts",
        schema_name: "Account",
        object_type_code: 1,
        primary_name: "name",
        columns: &[
            ("accountid", ID),
            ("name", text(160)),
            ("telephone1", text(50)),
            ("statecode", ACTIVE_INACTIVE),
            ("donotphone", ColumnType::Boolean),
        ],
    },
    TableDef {
        logical: "lead",
        set: "leads",
        schema_name: "Lead",
        object_type_code: 4,
        primary_name: "fullname",
        columns: &[
            ("leadid", ID),
            ("fullname", text(160)),
            ("telephone1", text(50)),
            ("statecode", OPEN_WON_LOST),
            ("donotphone", ColumnType::Boolean),
        ],
    },
    // A case has no `donotphone` (domain.md §3).
    TableDef {
        logical: "incident",
        set: "incidents",
        schema_name: "Incident",
        object_type_code: 112,
        primary_name: "title",
        columns: &[
            ("incidentid", ID),
            ("title", text(200)),
            ("statecode", OPEN_WON_LOST),
        ],
    },
    TableDef {
        logical: "opportunity",
        set: "opportunities",
        schema_name: "Opportunity",
        object_type_code: 3,
        primary_name: "name",
        columns: &[
            ("opportunityid", ID),
            ("name", text(300)),
            ("statecode", OPEN_WON_LOST),
        ],
    },
    TableDef {
        logical: "invoice",
        set: "invoices",
        schema_name: "Invoice",
        object_type_code: 1090,
        primary_name: "name",
        columns: &[
            ("invoiceid", ID),
            ("name", text(300)),
            ("statecode", ColumnType::State(&[0, 1, 2, 3])),
        ],
    },
    TableDef {
        logical: "salesorder",
        set: "salesorders",
        schema_name: "SalesOrder",
        object_type_code: 1088,
        primary_name: "name",
        columns: &[
            ("salesorderid", ID),
            ("name", text(300)),
            ("statecode", ColumnType::State(&[0, 1, 2, 3, 4])),
        ],
    },
    TableDef {
        logical: "quote",
        set: "quotes",
        schema_name: "Quote",
        object_type_code: 1084,
        primary_name: "name",
        columns: &[
            ("quoteid", ID),
            ("name", text(300)),
            ("statecode", ColumnType::State(&[0, 1, 2, 3])),
        ],
    },
    TableDef {
        logical: "contract",
        set: "contracts",
        schema_name: "Contract",
        object_type_code: 1010,
        primary_name: "title",
        columns: &[
            ("contractid", ID),
            ("title", text(100)),
            ("statecode", ColumnType::State(&[0, 1, 2, 3, 4, 5])),
        ],
    },
    // Activity tables key on `activityid`, not `<name>id` (domain.md §3; reference
    // pages of phonecall and msdyn_ocliveworkitem).
    TableDef {
        logical: "phonecall",
        set: "phonecalls",
        schema_name: "PhoneCall",
        object_type_code: 4210,
        primary_name: "subject",
        columns: &[
            ("activityid", ID),
            ("subject", text(200)),
            ("statecode", ACTIVITY_STATE),
        ],
    },
    TableDef {
        logical: "msdyn_ocliveworkitem",
        set: "msdyn_ocliveworkitems",
        schema_name: "msdyn_ocliveworkitem",
        object_type_code: 10_700,
        primary_name: "subject",
        columns: &[
            ("activityid", ID),
            ("subject", text(200)),
            ("statecode", ACTIVITY_STATE),
        ],
    },
    TableDef {
        logical: "msdyn_ciprovider",
        set: "msdyn_ciproviders",
        schema_name: "msdyn_ciprovider",
        object_type_code: 10_701,
        primary_name: "msdyn_name",
        columns: &[
            ("msdyn_ciproviderid", ID),
            ("msdyn_name", text(100)),
            ("msdyn_label", text(100)),
            ("msdyn_landingurl", text(1024)),
            ("msdyn_clicktoact", ColumnType::Boolean),
            ("msdyn_sortorder", ColumnType::Integer { min: 0, max: 1000 }),
            ("msdyn_ciproviderapiversion", ColumnType::Picklist(&[0, 1])),
            ("msdyn_trusteddomain", text(2000)),
            ("msdyn_appselector", ColumnType::Memo { max: 4000 }),
            ("msdyn_roleselector", ColumnType::Memo { max: 4000 }),
            ("msdyn_enableanalytics", ColumnType::Boolean),
            ("statecode", ACTIVE_INACTIVE),
        ],
    },
    TableDef {
        logical: "appmodule",
        set: "appmodules",
        schema_name: "AppModule",
        object_type_code: 9006,
        primary_name: "name",
        columns: &[
            ("appmoduleid", ID),
            ("uniquename", text(400)),
            ("name", text(100)),
        ],
    },
    TableDef {
        logical: "role",
        set: "roles",
        schema_name: "Role",
        object_type_code: 1036,
        primary_name: "name",
        columns: &[("roleid", ID), ("name", text(100))],
    },
    TableDef {
        logical: "solution",
        set: "solutions",
        schema_name: "Solution",
        object_type_code: 7100,
        primary_name: "friendlyname",
        columns: &[
            ("solutionid", ID),
            ("uniquename", text(65)),
            ("friendlyname", text(256)),
            ("version", text(256)),
            ("ismanaged", ColumnType::Boolean),
            ("installedon", ColumnType::DateTime),
        ],
    },
    TableDef {
        logical: "systemuser",
        set: "systemusers",
        schema_name: "SystemUser",
        object_type_code: 8,
        primary_name: "fullname",
        columns: &[
            ("systemuserid", ID),
            ("fullname", text(200)),
            ("domainname", text(1024)),
        ],
    },
    TableDef {
        logical: "organization",
        set: "organizations",
        schema_name: "Organization",
        object_type_code: 1019,
        primary_name: "name",
        columns: &[("organizationid", ID), ("name", text(160))],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activities_key_on_activityid_and_cases_cannot_be_phoned() {
        let schema = Schema::new(&Records::new());
        let phonecall = schema.by_set("phonecalls").unwrap();
        assert_eq!(
            (phonecall.primary_id, phonecall.is_activity),
            ("activityid", true)
        );
        assert!(schema
            .by_logical("incident")
            .unwrap()
            .column("donotphone")
            .is_none());
        assert!(
            schema.by_set("Contacts").is_none(),
            "entity sets are case-sensitive"
        );
    }

    #[test]
    fn attribute_records_add_custom_columns() {
        let records: Records = serde_json::from_value(serde_json::json!({
            "attribute": [{ "entity": "phonecall", "logicalname": "bpattern_interactionid" }]
        }))
        .unwrap();
        let schema = Schema::new(&records);
        let column = schema
            .by_logical("phonecall")
            .unwrap()
            .column("bpattern_interactionid")
            .unwrap();
        assert_eq!(
            (column.kind, column.custom),
            (ColumnType::String { max: 100 }, true)
        );
    }
}
