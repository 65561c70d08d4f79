//! Stage 1: bytes to a JSON value, with every problem located.

use jsonc_parser::{CollectOptions, ParseOptions, ast};

use crate::{
    Limits,
    diagnostic::{Diagnostic, Related, Severity},
    source::{LineIndex, PointerIndex, prop_name},
};

/// A document that parsed: its text, its value, and where each value is.
pub(crate) struct Parsed<'a> {
    pub text: &'a str,
    pub lines: LineIndex<'a>,
    pub value: serde_json::Value,
    pub pointers: PointerIndex,
}

const BOM: &str = "\u{feff}";

pub(crate) fn parse<'a>(bytes: &'a [u8], limits: &Limits, out: &mut Vec<Diagnostic>) -> Option<Parsed<'a>> {
    if bytes.len() > limits.max_bytes {
        out.push(too_large(bytes.len() as u64, limits.max_bytes));
        return None;
    }
    if let Some(encoding) = wide_encoding(bytes) {
        out.push(
            Diagnostic::new("GK003", Severity::Error, "", format!("the file is {encoding}, not UTF-8"))
                .hint("save the guide as UTF-8"),
        );
        return None;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = error.valid_up_to();
            // Locate the bad byte with the valid prefix, which is text.
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let lines = LineIndex::new(prefix);
            let mut diagnostic = Diagnostic::new(
                "GK003",
                Severity::Error,
                "",
                format!(
                    "invalid UTF-8: byte 0x{:02X} at offset {valid} is not valid here{}",
                    bytes[valid],
                    likely_encoding(&bytes[valid..])
                ),
            )
            .hint("save the guide as UTF-8");
            let mut span = lines.span(valid..valid);
            span.end = valid + error.error_len().unwrap_or(1);
            diagnostic.span = Some(span);
            out.push(diagnostic);
            return None;
        }
    };
    let lines = LineIndex::new(text);
    // A UTF-8 byte-order mark is accepted: editors on some systems write one.
    let base = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let body = &text[base..];

    if let Some(offset) = too_deep(body, limits.max_depth) {
        let mut diagnostic = Diagnostic::new(
            "GK005",
            Severity::Error,
            "",
            format!("values are nested more than {} levels deep", limits.max_depth),
        )
        .hint("a guide nests a few levels deep; this file is probably not a guide");
        diagnostic.span = Some(lines.span(base + offset..base + offset + 1));
        out.push(diagnostic);
        return None;
    }

    let value: serde_json::Value = match serde_json::from_str(body) {
        Ok(value) => value,
        Err(error) => {
            out.push(syntax_error(&error, &lines, base));
            return None;
        }
    };

    // The same text again, keeping positions. serde_json has accepted it, so it is strict JSON.
    let ast = match jsonc_parser::parse_to_ast(body, &CollectOptions::default(), &ParseOptions::default()) {
        Ok(result) => result.value,
        Err(_) => None,
    };
    let Some(ast) = ast else {
        // Only whitespace-free scalars could get here; keep going without positions.
        return Some(Parsed { text, lines, value, pointers: PointerIndex::new(&empty_object(), base) });
    };
    check_tree(&ast, "", &lines, base, out);
    let pointers = PointerIndex::new(&ast, base);
    Some(Parsed { text, lines, value, pointers })
}

fn empty_object() -> ast::Value<'static> {
    ast::Value::Object(ast::Object { range: jsonc_parser::common::Range { start: 0, end: 0 }, properties: Vec::new() })
}

/// The offset of the first bracket that opens a level deeper than `max`, outside strings.
fn too_deep(text: &str, max: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, byte) in text.bytes().enumerate() {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn syntax_error(error: &serde_json::Error, lines: &LineIndex<'_>, base: usize) -> Diagnostic {
    let full = error.to_string();
    let message = match full.rfind(" at line ") {
        Some(cut) => &full[..cut],
        None => &full,
    };
    let (message, hint) = explain_syntax(message);
    let line = error.line().max(1);
    let line_start = lines.offset(line, 1);
    let mut offset = line_start + error.column().saturating_sub(1) + if line == 1 { base } else { 0 };
    offset = offset.min(lines.text().len());
    while !lines.text().is_char_boundary(offset) {
        offset -= 1;
    }
    if let Some((word, start)) = not_a_json_number(lines.text(), offset) {
        let mut diagnostic =
            Diagnostic::new("GK001", Severity::Error, "", format!("invalid JSON: `{word}` is not a JSON number"))
                .hint("JSON has no NaN or Infinity: leave the value out, or write it as text");
        diagnostic.span = Some(lines.span(start..start + word.len()));
        return diagnostic;
    }
    let mut diagnostic = Diagnostic::new("GK001", Severity::Error, "", format!("invalid JSON: {message}"));
    if let Some(hint) = hint {
        diagnostic = diagnostic.hint(hint);
    }
    // serde_json counts columns in bytes; the body starts after any BOM, which is on line 1.
    diagnostic.span = Some(lines.span(offset..offset));
    diagnostic
}

/// `NaN`, `Infinity` or `-Infinity` at or just before `offset` (serde_json points into the word it could
/// not read), with where it starts.
fn not_a_json_number(text: &str, offset: usize) -> Option<(String, usize)> {
    let from = offset.saturating_sub(8);
    let (word, start) = (from..=offset).rev().filter(|at| text.is_char_boundary(*at)).find_map(|at| {
        let rest = &text[at..];
        ["Infinity", "NaN"].into_iter().find(|word| rest.starts_with(word)).map(|word| (word, at))
    })?;
    match text[..start].chars().next_back() {
        Some(sign @ ('-' | '+')) => Some((format!("{sign}{word}"), start - 1)),
        _ => Some((word.to_owned(), start)),
    }
}

fn explain_syntax(message: &str) -> (String, Option<&'static str>) {
    if message == "number out of range" {
        return (
            "this number is too large for a 64-bit float (a JSON reader would make it infinite)".to_owned(),
            Some("write fewer digits, or the value as text"),
        );
    }
    let hint = if message.contains("trailing comma") {
        Some("JSON allows no comma after the last item of an object or array")
    } else if message.contains("EOF while parsing") {
        Some("the file ends too early: is it truncated, or is a closing `}` or `]` missing?")
    } else if message.contains("key must be a string") {
        Some("object keys are written in double quotes: `\"key\": value`")
    } else if message.contains("expected `,` or `}`") || message.contains("expected `,` or `]`") {
        Some("is a comma missing between two items?")
    } else if message.contains("control character") {
        Some("write a line break inside a string as `\\n`")
    } else {
        None
    };
    (message.to_owned(), hint)
}

/// The GK004 diagnostic for a file of `size` bytes.
pub(crate) fn too_large(size: u64, max_bytes: usize) -> Diagnostic {
    Diagnostic::new(
        "GK004",
        Severity::Error,
        "",
        format!("the file is {size} bytes, more than the limit of {max_bytes} bytes"),
    )
    .hint("a guide is usually well under 1 MiB; split the file or raise the limit")
}

/// UTF-16 or UTF-32, with or without a byte-order mark: JSON text in those encodings starts with NUL bytes
/// in a pattern that UTF-8 JSON never has (RFC 4627, section 3).
fn wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    const BOMS: &[(&[u8], &str)] = &[
        (&[0x00, 0x00, 0xFE, 0xFF], "UTF-32 (big-endian, with a byte-order mark)"),
        (&[0xFF, 0xFE, 0x00, 0x00], "UTF-32 (little-endian, with a byte-order mark)"),
        (&[0xFE, 0xFF], "UTF-16 (big-endian, with a byte-order mark)"),
        (&[0xFF, 0xFE], "UTF-16 (little-endian, with a byte-order mark)"),
    ];
    if let Some((_, name)) = BOMS.iter().find(|(bom, _)| bytes.starts_with(bom)) {
        return Some(name);
    }
    match bytes {
        [0, 0, 0, b, ..] if *b != 0 => Some("UTF-32 (big-endian)"),
        [a, 0, 0, 0, ..] if *a != 0 => Some("UTF-32 (little-endian)"),
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => Some("UTF-16 (big-endian)"),
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => Some("UTF-16 (little-endian)"),
        [0, a] if *a != 0 => Some("UTF-16 (big-endian)"),
        [a, 0] if *a != 0 => Some("UTF-16 (little-endian)"),
        _ => None,
    }
}

/// A guess at what an invalid UTF-8 sequence is, for the message.
fn likely_encoding(rest: &[u8]) -> &'static str {
    match rest {
        [0xC0 | 0xC1, ..] | [0xE0, 0x80..=0x9F, ..] | [0xF0, 0x80..=0x8F, ..] => {
            " (an overlong encoding, which UTF-8 forbids)"
        }
        [0xED, 0xA0..=0xBF, ..] => " (an encoded surrogate, as CESU-8 or Java's modified UTF-8 write it)",
        [0xF5..=0xFF, ..] => " (no UTF-8 sequence starts with this byte)",
        [0x80..=0xBF, ..] | [0xC2..=0xF4] => " (the file may be Latin-1 or Windows-1252)",
        [0xC2..=0xF4, next, ..] if !(0x80..=0xBF).contains(next) => " (the file may be Latin-1 or Windows-1252)",
        _ => "",
    }
}

/// What a number literal becomes when a program reads it as a 64-bit float, when that is not the number
/// written. `None` when the literal is kept exactly (its shortest round-trip form has the same digits).
fn inexact_number(literal: &str) -> Option<String> {
    let value: f64 = literal.parse().ok()?;
    if !value.is_finite() {
        return Some(format!("the number `{literal}` is too large for a 64-bit float"));
    }
    let written = decimal(literal)?;
    let kept = decimal(&format!("{value:e}"))?;
    if written == kept {
        return None;
    }
    if value == 0.0 {
        return Some(format!("the number `{literal}` is too small: a 64-bit float holds it as 0"));
    }
    // As JavaScript would print it: the shortest digits that read back as the same float.
    let shown = if value.abs() < 1e21 { value.to_string() } else { format!("{value:e}") };
    Some(format!("the number `{literal}` cannot be kept exactly: a 64-bit float holds it as `{shown}`"))
}

/// A number literal as (negative, significant digits without leading or trailing zeros, exponent of the
/// first digit), so that two spellings of one value compare equal. Zero is `(false, "", 0)`.
fn decimal(literal: &str) -> Option<(bool, String, i64)> {
    let (negative, rest) = match literal.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, literal),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (&rest[..at], rest[at + 1..].trim_start_matches('+').parse::<i64>().ok()?),
        None => (rest, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: String = whole.chars().chain(fraction.chars()).collect();
    let leading = digits.len() - digits.trim_start_matches('0').len();
    let significant = digits.trim_start_matches('0').trim_end_matches('0');
    if significant.is_empty() {
        return Some((false, String::new(), 0));
    }
    // The first significant digit's power of ten.
    let position = exponent + whole.len() as i64 - 1 - leading as i64;
    Some((negative, significant.to_owned(), position))
}

/// Walks the position-keeping tree once: duplicate keys (GK002) and numbers that cannot be kept exactly
/// (GK007).
fn check_tree(value: &ast::Value<'_>, pointer: &str, lines: &LineIndex<'_>, base: usize, out: &mut Vec<Diagnostic>) {
    match value {
        ast::Value::NumberLit(number) => {
            if let Some(message) = inexact_number(number.value) {
                let mut diagnostic = Diagnostic::of(&crate::rules::stages::INEXACT_NUMBER, pointer, message)
                    .hint("JSON readers hold numbers as 64-bit floats: write at most 15 significant digits, or the value as text");
                diagnostic.span = Some(lines.span(number.range.start + base..number.range.end + base));
                out.push(diagnostic);
            }
        }
        _ => find_duplicate_keys(value, pointer, lines, base, out),
    }
}

fn find_duplicate_keys(
    value: &ast::Value<'_>,
    pointer: &str,
    lines: &LineIndex<'_>,
    base: usize,
    out: &mut Vec<Diagnostic>,
) {
    match value {
        ast::Value::Object(object) => {
            let mut seen: Vec<(String, std::ops::Range<usize>)> = Vec::new();
            for prop in &object.properties {
                let (name, range) = prop_name(&prop.name);
                let child = format!("{pointer}/{}", guidekit_model::walk::escape_pointer(&name));
                if let Some((_, first)) = seen.iter().find(|(seen_name, _)| *seen_name == name) {
                    let mut diagnostic = Diagnostic::new(
                        "GK002",
                        Severity::Error,
                        child.clone(),
                        format!("duplicate key `{name}`: a JSON reader keeps only one of the two values"),
                    )
                    .hint("remove one of the two, or merge them");
                    diagnostic.span = Some(lines.span(range.start + base..range.end + base));
                    diagnostic.related.push(Related {
                        message: format!("`{name}` first appears here"),
                        pointer: child.clone(),
                        span: Some(lines.span(first.start + base..first.end + base)),
                    });
                    out.push(diagnostic);
                } else {
                    seen.push((name, range));
                }
                check_tree(&prop.value, &child, lines, base, out);
            }
        }
        ast::Value::Array(array) => {
            for (i, element) in array.elements.iter().enumerate() {
                check_tree(element, &format!("{pointer}/{i}"), lines, base, out);
            }
        }
        _ => {}
    }
}
