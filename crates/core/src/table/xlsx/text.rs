//! Text as a workbook's XML writes it, made plain: the XML entities and character
//! references, then Excel's own `_xHHHH_` escapes (ECMA-376 Part 1, §22.9.2.19
//! ST_Xstring: a character XML cannot carry, such as a carriage return, is written as
//! `_x000D_`, and a literal `_x` sequence as `_x005F_x…`).

/// Appends `raw` (character data as written, valid UTF-8) to `out` with its entities
/// and character references resolved. Errors name what is wrong.
pub(crate) fn push_unescaped(raw: &[u8], out: &mut String) -> Result<(), String> {
    let text = std::str::from_utf8(raw).map_err(|_| "text that is not UTF-8".to_owned())?;
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after
            .find(';')
            .filter(|&end| end <= 10)
            .ok_or_else(|| "an '&' that starts no entity".to_owned())?;
        let entity = &after[..end];
        let resolved = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => entity
                .strip_prefix("#x")
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32)
                .ok_or_else(|| format!("an unknown entity &{entity};"))?,
        };
        out.push(resolved);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(())
}

/// Replaces Excel's `_xHHHH_` escapes (UTF-16 code units; a surrogate pair is two
/// escapes) in `text` from byte `from` on. A lone surrogate becomes U+FFFD, as Excel
/// shows it.
pub(crate) fn excel_unescape(text: &mut String, from: usize) {
    let Some(first) = find_escape(text, from) else {
        return;
    };
    let mut plain = String::with_capacity(text.len());
    plain.push_str(&text[..first.0]);
    let mut at = Some(first);
    let mut copied = first.0;
    while let Some((index, unit)) = at {
        plain.push_str(&text[copied..index]);
        let mut next = index + ESCAPE_LEN;
        let c = match unit {
            0xD800..=0xDBFF => match parse_escape(text, next) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    next += ESCAPE_LEN;
                    let code =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    char::from_u32(code)
                }
                _ => None,
            },
            _ => char::from_u32(u32::from(unit)),
        };
        plain.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
        copied = next;
        at = find_escape(text, next);
    }
    plain.push_str(&text[copied..]);
    *text = plain;
}

const ESCAPE_LEN: usize = "_x0000_".len();

fn find_escape(text: &str, mut from: usize) -> Option<(usize, u16)> {
    while let Some(offset) = memchr::memchr(b'_', text.as_bytes().get(from..)?) {
        let index = from + offset;
        if let Some(unit) = parse_escape(text, index) {
            return Some((index, unit));
        }
        from = index + 1;
    }
    None
}

fn parse_escape(text: &str, index: usize) -> Option<u16> {
    let bytes = text.as_bytes().get(index..index + ESCAPE_LEN)?;
    if &bytes[..2] != b"_x" || bytes[6] != b'_' {
        return None;
    }
    let hex = std::str::from_utf8(&bytes[2..6]).ok()?;
    u16::from_str_radix(hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unescaped(raw: &str) -> Result<String, String> {
        let mut out = String::new();
        push_unescaped(raw.as_bytes(), &mut out).map(|()| out)
    }

    #[test]
    fn entities_and_references_resolve() {
        assert_eq!(
            unescaped("A &amp; B &lt;C&gt; &quot;d&apos; &#65;&#x1F600;").unwrap(),
            "A & B <C> \"d' A😀"
        );
        assert!(unescaped("fish & chips").is_err());
        assert!(unescaped("&bogus;").unwrap_err().contains("&bogus;"));
    }

    #[test]
    fn excel_escapes_resolve() {
        let mut text = "line_x000D_two _xD83D__xDE00_ _x005F_x000D_ _xZZ_ _xD800_".to_owned();
        excel_unescape(&mut text, 0);
        assert_eq!(text, "line\rtwo 😀 _x000D_ _xZZ_ \u{FFFD}");
        let mut untouched = "keep _x000D_".to_owned();
        excel_unescape(&mut untouched, 12);
        assert_eq!(untouched, "keep _x000D_");
    }
}
