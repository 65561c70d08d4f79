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
        out.push(
            Diagnostic::new(
                "GK004",
                Severity::Error,
                "",
                format!("the file is {} bytes, more than the limit of {} bytes", bytes.len(), limits.max_bytes),
            )
            .hint("a guide is usually well under 1 MiB; split the file or raise the limit"),
        );
        return None;
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        out.push(
            Diagnostic::new(
                "GK003",
                Severity::Error,
                "",
                "the file is UTF-16 (it starts with a UTF-16 byte-order mark)",
            )
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
                format!("invalid UTF-8: byte 0x{:02X} at offset {valid} is not valid here", bytes[valid]),
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
    find_duplicate_keys(&ast, "", &lines, base, out);
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
    let mut diagnostic = Diagnostic::new("GK001", Severity::Error, "", format!("invalid JSON: {message}"));
    if let Some(hint) = hint {
        diagnostic = diagnostic.hint(hint);
    }
    // serde_json counts columns in bytes; the body starts after any BOM, which is on line 1.
    let line = error.line().max(1);
    let line_start = lines.offset(line, 1);
    let mut offset = line_start + error.column().saturating_sub(1) + if line == 1 { base } else { 0 };
    offset = offset.min(lines.text().len());
    while !lines.text().is_char_boundary(offset) {
        offset -= 1;
    }
    diagnostic.span = Some(lines.span(offset..offset));
    diagnostic
}

fn explain_syntax(message: &str) -> (String, Option<&'static str>) {
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
                find_duplicate_keys(&prop.value, &child, lines, base, out);
            }
        }
        ast::Value::Array(array) => {
            for (i, element) in array.elements.iter().enumerate() {
                find_duplicate_keys(element, &format!("{pointer}/{i}"), lines, base, out);
            }
        }
        _ => {}
    }
}
