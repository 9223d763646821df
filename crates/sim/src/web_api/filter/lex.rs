//! The `$filter` lexer: tokens with their character positions, for error messages that
//! name them as Microsoft.OData does (0-based). Literals are recognised here: quoted
//! strings with `''` escaping, numbers, unquoted GUIDs, dates and enum literals.

use super::Literal;
use crate::web_api::error::{query_error, ODataError};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Ident(String),
    Literal(Literal),
    Alias(String),
    Punct(char),
    End,
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub tok: Tok,
    /// Character position in the filter text (0-based, as Microsoft.OData reports).
    pub pos: usize,
}

pub(super) fn lex(text: &str) -> Result<Vec<Token>, ODataError> {
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
