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

use std::cmp::Ordering;
use std::collections::HashMap;

use serde_json::Value;

use super::error::{not_implemented, query_error, unknown_property, ODataError};
use super::schema::{Edm, Properties};

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
    let tokens = lex(text)?;
    let mut parser = Parser {
        tokens,
        at: 0,
        text,
        aliases,
    };
    let expr = parser.or()?;
    if !matches!(parser.peek(), Tok::End) {
        return Err(parser.syntax_error());
    }
    check(&expr, properties)?;
    Ok(expr)
}

// ---------------------------------------------------------------------------- lexer

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Literal(Literal),
    Alias(String),
    Punct(char),
    End,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    /// Character position in the filter text (0-based, as Microsoft.OData reports).
    pos: usize,
}

fn lex(text: &str) -> Result<Vec<Token>, ODataError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let tok = if c.is_whitespace() {
            i += 1;
            continue;
        } else if "(),[]=".contains(c) {
            i += 1;
            Tok::Punct(c)
        } else if c == '\'' {
            let (value, end) = string_literal(&chars, i, text)?;
            i = end;
            Tok::Literal(Literal::String(value))
        } else if c == '@' {
            i += 1;
            while i < chars.len() && is_ident_char(chars[i]) {
                i += 1;
            }
            Tok::Alias(chars[start + 1..i].iter().collect())
        } else if let Some(end) = guid_end(&chars, i) {
            i = end;
            Tok::Literal(Literal::Guid(chars[start..end].iter().collect()))
        } else if let Some(end) = date_end(&chars, i) {
            i = end;
            Tok::Literal(Literal::Date(chars[start..end].iter().collect()))
        } else if c.is_ascii_digit()
            || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let number: String = chars[start..i].iter().collect();
            number_literal(&number).ok_or_else(|| invalid_character(c, start, text))?
        } else if c.is_ascii_alphabetic() || c == '_' {
            while i < chars.len() && (is_ident_char(chars[i]) || chars[i] == '.') {
                i += 1;
            }
            let name: String = chars[start..i].iter().collect();
            if chars.get(i) == Some(&'\'') && name.contains('.') {
                let (member, end) = string_literal(&chars, i, text)?;
                i = end;
                let type_name = name.rsplit('.').next().unwrap_or_default().to_owned();
                Tok::Literal(Literal::Enum(type_name, member))
            } else {
                Tok::Ident(name)
            }
        } else {
            return Err(invalid_character(c, start, text));
        };
        tokens.push(Token { tok, pos: start });
    }
    tokens.push(Token {
        tok: Tok::End,
        pos: chars.len(),
    });
    Ok(tokens)
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn invalid_character(c: char, pos: usize, text: &str) -> ODataError {
    query_error(format!(
        "Syntax error: character '{c}' is not valid at position {pos} in '{text}'."
    ))
}

/// A quoted string from `start` (the opening quote): `''` is one quote.
fn string_literal(chars: &[char], start: usize, text: &str) -> Result<(String, usize), ODataError> {
    let mut value = String::new();
    let mut i = start + 1;
    loop {
        match chars.get(i) {
            None => {
                return Err(query_error(format!(
                    "There is an unterminated string literal at position {start} in '{text}'."
                )))
            }
            Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                value.push('\'');
                i += 2;
            }
            Some('\'') => return Ok((value, i + 1)),
            Some(&c) => {
                value.push(c);
                i += 1;
            }
        }
    }
}

/// The end of an unquoted GUID (8-4-4-4-12 hex digits) starting at `start`.
fn guid_end(chars: &[char], start: usize) -> Option<usize> {
    let end = start + 36;
    let candidate = chars.get(start..end)?;
    let shaped = candidate.iter().enumerate().all(|(i, c)| match i {
        8 | 13 | 18 | 23 => *c == '-',
        _ => c.is_ascii_hexdigit(),
    });
    let ends = chars.get(end).is_none_or(|c| !is_ident_char(*c));
    (shaped && ends).then_some(end)
}

/// The end of a date (`2024-01-31`) or date-time (`2024-01-31T08:00:00Z`) literal.
fn date_end(chars: &[char], start: usize) -> Option<usize> {
    let date = chars.get(start..start + 10)?;
    let shaped = date.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == '-',
        _ => c.is_ascii_digit(),
    });
    if !shaped {
        return None;
    }
    let mut end = start + 10;
    if chars.get(end) == Some(&'T') {
        end += 1;
        while chars
            .get(end)
            .is_some_and(|c| c.is_ascii_digit() || ":.+-Z".contains(*c))
        {
            end += 1;
        }
    }
    Some(end)
}

fn number_literal(text: &str) -> Option<Tok> {
    let literal = if text.contains('.') {
        Literal::Decimal(text.parse().ok()?)
    } else {
        Literal::Int(text.parse().ok()?)
    };
    Some(Tok::Literal(literal))
}

// --------------------------------------------------------------------------- parser

struct Parser<'a> {
    tokens: Vec<Token>,
    at: usize,
    text: &'a str,
    aliases: &'a HashMap<String, String>,
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.tokens[self.at].tok
    }

    fn next(&mut self) -> Tok {
        let tok = self.tokens[self.at].tok.clone();
        if self.at + 1 < self.tokens.len() {
            self.at += 1;
        }
        tok
    }

    fn syntax_error(&self) -> ODataError {
        query_error(format!(
            "Syntax error at position {} in '{}'.",
            self.tokens[self.at].pos, self.text
        ))
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Tok::Ident(w) if w == word)
    }

    fn expect(&mut self, punct: char) -> Result<(), ODataError> {
        if *self.peek() == Tok::Punct(punct) {
            self.next();
            Ok(())
        } else {
            Err(self.syntax_error())
        }
    }

    fn or(&mut self) -> Result<Expr, ODataError> {
        let mut left = self.and()?;
        while self.is_word("or") {
            self.next();
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ODataError> {
        let mut left = self.unary()?;
        while self.is_word("and") {
            self.next();
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ODataError> {
        if self.is_word("not") {
            self.next();
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ODataError> {
        if *self.peek() == Tok::Punct('(') {
            self.next();
            let inner = self.or()?;
            self.expect(')')?;
            return Ok(inner);
        }
        if let Tok::Ident(name) = self.peek().clone() {
            if self.tokens.get(self.at + 1).map(|t| &t.tok) == Some(&Tok::Punct('(')) {
                self.next();
                self.next();
                return self.function(&name);
            }
        }
        let left = self.operand()?;
        let op = match self.peek() {
            Tok::Ident(word) => Op::parse(word),
            _ => None,
        }
        .ok_or_else(|| self.syntax_error())?;
        self.next();
        let right = self.operand()?;
        Ok(Expr::Compare(left, op, right))
    }

    /// The arguments and closing parenthesis of function `name`.
    fn function(&mut self, name: &str) -> Result<Expr, ODataError> {
        let text_fn = match name {
            "contains" => Some(TextFn::Contains),
            "startswith" => Some(TextFn::StartsWith),
            "endswith" => Some(TextFn::EndsWith),
            _ => None,
        };
        if let Some(text_fn) = text_fn {
            let column = self.column()?;
            self.expect(',')?;
            let needle = match self.operand()? {
                Operand::Literal(Literal::String(s)) => s,
                _ => return Err(signature_error(text_fn)),
            };
            self.expect(')')?;
            return Ok(Expr::Text(text_fn, column, needle));
        }
        let negate = match name {
            "Microsoft.Dynamics.CRM.In" => false,
            "Microsoft.Dynamics.CRM.NotIn" => true,
            other if other.starts_with("Microsoft.Dynamics.CRM.") => {
                return Err(not_implemented(&format!("the query function {other}")))
            }
            other => return Err(query_error(format!("An unknown function with name '{other}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed."))),
        };
        self.named("PropertyName")?;
        let column = match self.next() {
            Tok::Literal(Literal::String(s)) => s,
            _ => return Err(self.syntax_error()),
        };
        self.expect(',')?;
        self.named("PropertyValues")?;
        self.expect('[')?;
        let mut values = Vec::new();
        loop {
            match self.next() {
                Tok::Literal(Literal::String(s)) => values.push(s),
                _ => return Err(query_error(format!("The parameter 'PropertyValues' of the function '{name}' expects a collection of Edm.String values."))),
            }
            match self.next() {
                Tok::Punct(',') => continue,
                Tok::Punct(']') => break,
                _ => return Err(self.syntax_error()),
            }
        }
        self.expect(')')?;
        Ok(Expr::In {
            column,
            values,
            negate,
        })
    }

    /// `Name=` of a named function parameter.
    fn named(&mut self, name: &str) -> Result<(), ODataError> {
        if self.is_word(name) {
            self.next();
            self.expect('=')
        } else {
            Err(self.syntax_error())
        }
    }

    fn column(&mut self) -> Result<String, ODataError> {
        match self.operand()? {
            Operand::Column(name) => Ok(name),
            Operand::Literal(_) => Err(self.syntax_error()),
        }
    }

    fn operand(&mut self) -> Result<Operand, ODataError> {
        let at = self.at;
        Ok(match self.next() {
            Tok::Literal(literal) => Operand::Literal(literal),
            Tok::Ident(word) => match word.as_str() {
                "true" => Operand::Literal(Literal::Bool(true)),
                "false" => Operand::Literal(Literal::Bool(false)),
                "null" => Operand::Literal(Literal::Null),
                "and" | "or" | "not" | "eq" | "ne" | "gt" | "ge" | "lt" | "le" => {
                    self.at = at;
                    return Err(self.syntax_error());
                }
                _ => Operand::Column(word),
            },
            Tok::Alias(name) => self.alias(&name)?,
            _ => {
                self.at = at;
                return Err(self.syntax_error());
            }
        })
    }

    /// An `@alias` operand: its value parsed as one operand; unassigned is null.
    fn alias(&self, name: &str) -> Result<Operand, ODataError> {
        let Some(value) = self.aliases.get(name) else {
            return Ok(Operand::Literal(Literal::Null));
        };
        let mut inner = Parser {
            tokens: lex(value)?,
            at: 0,
            text: value,
            aliases: &HashMap::new(),
        };
        let operand = inner.operand()?;
        match inner.peek() {
            Tok::End => Ok(operand),
            _ => Err(inner.syntax_error()),
        }
    }
}

fn signature_error(function: TextFn) -> ODataError {
    let name = function.name();
    query_error(format!("No function signature for the function with name '{name}' matches the specified arguments. The function signatures considered are: {name}(Edm.String Nullable=true, Edm.String Nullable=true)."))
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
