//! `$filter`: a hand-written lexer and recursive-descent parser for the OData 4.0
//! expressions Dataverse documents, type-checked against the target's properties (an
//! entity's columns or a metadata type's) and evaluated on JSON rows.
//!
//! Grammar: comparisons `<operand> eq|ne|gt|ge|lt|le <operand>` (a column, or a literal:
//! `'string'` with `''` escaping, integer, decimal, `true`, `false`, `null`, an unquoted
//! GUID, a date, or an enum literal `Microsoft.Dynamics.CRM.AttributeTypeCode'String'`),
//! `and`, `or`, `not`, parentheses, `contains`/`startswith`/`endswith(column,'text')`,
//! `Microsoft.Dynamics.CRM.In`/`NotIn(PropertyName='column',PropertyValues=['a','b'])`,
//! and `@alias` parameters. Text compares case-insensitively, as Dataverse's collation
//! does.
//! Sources: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows
//! (operators, functions, column comparison, "Dataverse doesn't support" other OData
//! functions), https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview#use-parameter-aliases-with-query-options
//! (an alias without a value is null), and Microsoft.OData's error wording (UNVERIFIED).
//!
//! `lex` turns the text into tokens, `parser` the tokens into an [`Expr`]; this module
//! type-checks and evaluates it.

use std::cmp::Ordering;
use std::collections::HashMap;

use serde_json::Value;

mod lex;
mod parser;

use super::error::{query_error, unknown_property, ODataError};
use super::schema::{Edm, Properties};
use parser::signature_error;

/// A parsed `$filter`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Compare(Operand, Op, Operand),
    Text(TextFn, String, String),
    In {
        column: String,
        values: Vec<String>,
        negate: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    Column(String),
    Literal(Literal),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    String(String),
    Int(i64),
    Decimal(f64),
    Bool(bool),
    Null,
    Guid(String),
    Date(String),
    /// An enum member: (enum type name, member).
    Enum(String, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextFn {
    Contains,
    StartsWith,
    EndsWith,
}

impl TextFn {
    fn name(self) -> &'static str {
        match self {
            TextFn::Contains => "contains",
            TextFn::StartsWith => "startswith",
            TextFn::EndsWith => "endswith",
        }
    }
}

impl Op {
    fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            _ => return None,
        })
    }

    /// The operator kind Microsoft.OData names in type errors.
    fn kind(self) -> &'static str {
        match self {
            Op::Eq => "Equal",
            Op::Ne => "NotEqual",
            Op::Gt => "GreaterThan",
            Op::Ge => "GreaterThanOrEqual",
            Op::Lt => "LessThan",
            Op::Le => "LessThanOrEqual",
        }
    }
}

/// Parses and type-checks `text` against `properties`; `aliases` are the request's
/// `@name=value` parameters.
pub(crate) fn parse(
    text: &str,
    properties: &Properties,
    aliases: &HashMap<String, String>,
) -> Result<Expr, ODataError> {
    let expr = parser::parse(text, aliases)?;
    check(&expr, properties)?;
    Ok(expr)
}

// --------------------------------------------------------------------- type checking

/// Every column named must exist; compared operands must have compatible types.
fn check(expr: &Expr, properties: &Properties) -> Result<(), ODataError> {
    let column_type = |name: &str| {
        properties
            .get(name)
            .ok_or_else(|| unknown_property(name, &properties.type_name))
    };
    match expr {
        Expr::Or(a, b) | Expr::And(a, b) => {
            check(a, properties)?;
            check(b, properties)
        }
        Expr::Not(inner) => check(inner, properties),
        Expr::Text(function, column, _) => match column_type(column)? {
            Edm::String => Ok(()),
            _ => Err(signature_error(*function)),
        },
        Expr::In { column, .. } => column_type(column).map(|_| ()),
        Expr::Compare(left, op, right) => {
            let type_of = |operand: &Operand| match operand {
                Operand::Column(name) => column_type(name).map(|t| Some(t.name())),
                Operand::Literal(literal) => Ok(literal_type(literal)),
            };
            match (type_of(left)?, type_of(right)?) {
                (Some(a), Some(b)) if !compatible(&a, &b) => Err(query_error(format!(
                    "A binary operator with incompatible types was detected. Found operand types '{a}' and '{b}' for operator kind '{}'.",
                    op.kind()
                ))),
                _ => Ok(()),
            }
        }
    }
}

/// The literal's type name; `None` for `null`, which compares with anything.
fn literal_type(literal: &Literal) -> Option<String> {
    let edm = match literal {
        Literal::String(_) => Edm::String,
        Literal::Int(_) => Edm::Int32,
        Literal::Decimal(_) => Edm::Decimal,
        Literal::Bool(_) => Edm::Boolean,
        Literal::Null => return None,
        Literal::Guid(_) => Edm::Guid,
        Literal::Date(_) => Edm::DateTimeOffset,
        Literal::Enum(type_name, _) => return Some(format!("Microsoft.Dynamics.CRM.{type_name}")),
    };
    Some(edm.name())
}

/// Same types, or two numbers (Microsoft.OData promotes Int32 to Decimal).
fn compatible(a: &str, b: &str) -> bool {
    let numeric = |t: &str| t == "Edm.Int32" || t == "Edm.Decimal";
    a == b || (numeric(a) && numeric(b))
}

// ------------------------------------------------------------------------ evaluation

impl Expr {
    /// Whether `row` satisfies the filter.
    pub fn matches(&self, row: &Value) -> bool {
        match self {
            Expr::Or(a, b) => a.matches(row) || b.matches(row),
            Expr::And(a, b) => a.matches(row) && b.matches(row),
            Expr::Not(inner) => !inner.matches(row),
            Expr::Compare(left, op, right) => {
                compare_op(&resolve(left, row), *op, &resolve(right, row))
            }
            Expr::Text(function, column, needle) => {
                let Some(text) = row.get(column).and_then(Value::as_str) else {
                    return false;
                };
                let (text, needle) = (text.to_lowercase(), needle.to_lowercase());
                match function {
                    TextFn::Contains => text.contains(&needle),
                    TextFn::StartsWith => text.starts_with(&needle),
                    TextFn::EndsWith => text.ends_with(&needle),
                }
            }
            Expr::In {
                column,
                values,
                negate,
            } => {
                let value = match row.get(column) {
                    Some(Value::String(s)) => s.to_lowercase(),
                    Some(Value::Null) | None => return *negate,
                    Some(other) => other.to_string(),
                };
                values.iter().any(|v| v.to_lowercase() == value) != *negate
            }
        }
    }
}

fn resolve(operand: &Operand, row: &Value) -> Value {
    match operand {
        Operand::Column(name) => row.get(name).cloned().unwrap_or(Value::Null),
        Operand::Literal(literal) => match literal {
            Literal::String(s) | Literal::Guid(s) | Literal::Date(s) | Literal::Enum(_, s) => {
                Value::String(s.clone())
            }
            Literal::Int(n) => Value::from(*n),
            Literal::Decimal(n) => Value::from(*n),
            Literal::Bool(b) => Value::Bool(*b),
            Literal::Null => Value::Null,
        },
    }
}

fn compare_op(a: &Value, op: Op, b: &Value) -> bool {
    if a.is_null() || b.is_null() {
        return match op {
            Op::Eq => a.is_null() && b.is_null(),
            Op::Ne => a.is_null() != b.is_null(),
            _ => false,
        };
    }
    let ordering = compare_values(a, b);
    match op {
        Op::Eq => ordering == Ordering::Equal,
        Op::Ne => ordering != Ordering::Equal,
        Op::Gt => ordering == Ordering::Greater,
        Op::Ge => ordering != Ordering::Less,
        Op::Lt => ordering == Ordering::Less,
        Op::Le => ordering != Ordering::Greater,
    }
}

/// Dataverse's order of two values: nulls first, text case-insensitively.
pub(crate) fn compare_values(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Less,
        (_, Value::Null) => Ordering::Greater,
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => a.to_string().cmp(&b.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn contact() -> Properties {
        Properties {
            type_name: "Microsoft.Dynamics.CRM.contact".into(),
            list: vec![
                ("contactid".into(), Edm::Guid),
                ("fullname".into(), Edm::String),
                ("statecode".into(), Edm::Int32),
                ("donotphone".into(), Edm::Boolean),
            ],
        }
    }

    fn filter(text: &str) -> Result<Expr, ODataError> {
        parse(text, &contact(), &HashMap::new())
    }

    #[test]
    fn precedence_not_binds_tighter_than_and_than_or() {
        let expr = filter("statecode eq 0 or not donotphone eq true and fullname eq 'x'").unwrap();
        let row = json!({ "statecode": 1, "donotphone": false, "fullname": "X" });
        assert!(expr.matches(&row));
        assert!(matches!(expr, Expr::Or(..)));
    }

    #[test]
    fn strings_escape_quotes_and_compare_case_insensitively() {
        let expr = filter("fullname eq 'dana o''neil'").unwrap();
        assert!(expr.matches(&json!({ "fullname": "Dana O'Neil" })));
        assert!(filter("startswith(fullname,'DA')")
            .unwrap()
            .matches(&json!({ "fullname": "Dana" })));
    }

    #[test]
    fn guids_are_unquoted_literals_even_when_they_start_with_letters() {
        let expr = filter("contactid eq d0000001-0000-4000-8000-00000000d001").unwrap();
        assert!(expr.matches(&json!({ "contactid": "D0000001-0000-4000-8000-00000000D001" })));
        let quoted = filter("contactid eq 'd0000001-0000-4000-8000-00000000d001'").unwrap_err();
        assert!(
            quoted.message.contains("'Edm.Guid' and 'Edm.String'"),
            "{}",
            quoted.message
        );
    }

    #[test]
    fn errors_name_the_position_or_the_property() {
        assert_eq!(
            filter("fullname eq").unwrap_err().message,
            "Syntax error at position 11 in 'fullname eq'."
        );
        assert!(filter("fullname eq 'x")
            .unwrap_err()
            .message
            .contains("unterminated"));
        assert!(filter("tolower(fullname) eq 'x'")
            .unwrap_err()
            .message
            .contains("unknown function"));
        assert_eq!(
            filter("donotcall eq true").unwrap_err().message,
            "Could not find a property named 'donotcall' on type 'Microsoft.Dynamics.CRM.contact'."
        );
    }

    #[test]
    fn in_matches_any_value_and_aliases_substitute() {
        let expr =
            filter("Microsoft.Dynamics.CRM.In(PropertyName='fullname',PropertyValues=['a','B'])")
                .unwrap();
        assert!(expr.matches(&json!({ "fullname": "b" })));
        let aliases = HashMap::from([("p1".to_owned(), "'Ann'".to_owned())]);
        let expr = parse(
            "fullname eq @p1 and statecode eq @missing",
            &contact(),
            &aliases,
        )
        .unwrap();
        assert!(!expr.matches(&json!({ "fullname": "ann", "statecode": 0 })));
        assert!(expr.matches(&json!({ "fullname": "ann" })));
    }
}
