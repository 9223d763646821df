//! The `$filter` parser: recursive descent over the lexer's tokens, `or` binding looser
//! than `and`, `and` looser than `not`; functions and `@alias` operands.

use std::collections::HashMap;

use super::lex::{lex, Tok, Token};
use super::{Expr, Literal, Op, Operand, TextFn};
use crate::web_api::error::{not_implemented, query_error, ODataError};

/// Parses a whole `$filter` (not yet type-checked).
pub(super) fn parse(text: &str, aliases: &HashMap<String, String>) -> Result<Expr, ODataError> {
    let mut parser = Parser {
        tokens: lex(text)?,
        at: 0,
        text,
        aliases,
    };
    let expr = parser.or()?;
    match parser.peek() {
        Tok::End => Ok(expr),
        _ => Err(parser.syntax_error()),
    }
}

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

pub(super) fn signature_error(function: TextFn) -> ODataError {
    let name = function.name();
    query_error(format!("No function signature for the function with name '{name}' matches the specified arguments. The function signatures considered are: {name}(Edm.String Nullable=true, Edm.String Nullable=true)."))
}
