//! Stage 1: bytes to a JSON value, with every problem located.
//!
//! A clean file costs one serde_json parse that, as it builds the value, counts nesting depth and notices
//! repeated keys and numbers a 64-bit float may not hold (floats, integers beyond 2^53). Only a file with such
//! a number, or that does not parse, is scanned again for where it nests too deep and whether a number
//! literal is inexact. Positions are for
//! diagnostics only: the position-keeping
//! parse (jsonc-parser), the pointer index and the line index are built on first need, once, so a guide
//! with nothing to report never pays for them.

use std::cell::{Cell, OnceCell, RefCell};

use jsonc_parser::{CollectOptions, ParseOptions, ast};
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::{
    Limits,
    diagnostic::{Diagnostic, Related, Severity},
    source::{LineIndex, PointerIndex, prop_name},
};

/// A document that parsed: its text, its value, and (built on first need) where each value is.
pub(crate) struct Parsed<'a> {
    pub text: &'a str,
    pub value: Value,
    /// The length of a skipped byte-order mark: where the JSON starts in `text`.
    base: usize,
    positions: OnceCell<Positions>,
}

/// Where things are in a parsed document: where lines start, and the range of every value by JSON Pointer.
/// It borrows nothing, so that a [`Parsed`] stays covariant in the text's lifetime.
struct Positions {
    line_starts: Vec<usize>,
    pointers: PointerIndex,
}

impl Parsed<'_> {
    fn positions(&self) -> &Positions {
        self.positions.get_or_init(|| {
            let line_starts = LineIndex::new(self.text).into_line_starts();
            let pointers = match position_tree(&self.text[self.base..]) {
                Some(ast) => PointerIndex::new(&ast, self.base),
                None => PointerIndex::new(&empty_object(), self.base),
            };
            Positions { line_starts, pointers }
        })
    }

    /// Lines and columns of the text, indexed on the first call.
    pub fn lines(&self) -> LineIndex<'_> {
        LineIndex::borrowed(self.text, &self.positions().line_starts)
    }

    /// Where each value is, by JSON Pointer, indexed on the first call.
    pub fn pointers(&self) -> &PointerIndex {
        &self.positions().pointers
    }
}

/// The same text again, keeping positions. Only called on text serde_json has accepted, which is strict
/// JSON; `None` for the whitespace-free scalars jsonc-parser gives no tree for.
fn position_tree(body: &str) -> Option<ast::Value<'_>> {
    match jsonc_parser::parse_to_ast(body, &CollectOptions::default(), &ParseOptions::default()) {
        Ok(result) => result.value,
        Err(_) => None,
    }
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
    // A UTF-8 byte-order mark is accepted: editors on some systems write one.
    let base = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let body = &text[base..];

    let seen = Seen { max_depth: limits.max_depth, ..Seen::default() };
    let value = match parse_value(body, &seen) {
        Ok(value) => value,
        // Too deep is reported before any syntax error, wherever it is: the parse may have stopped earlier.
        Err(error) => {
            let lines = LineIndex::new(text);
            let diagnostic = match scan(body, limits.max_depth).too_deep {
                Some(offset) => {
                    let mut diagnostic = Diagnostic::new(
                        "GK005",
                        Severity::Error,
                        "",
                        format!("values are nested more than {} levels deep", limits.max_depth),
                    )
                    .hint("a guide nests a few levels deep; this file is probably not a guide");
                    diagnostic.span = Some(lines.span(base + offset..base + offset + 1));
                    diagnostic
                }
                None => syntax_error(&error, &lines, base),
            };
            out.push(diagnostic);
            return None;
        }
    };
    let parsed = Parsed { text, value, base, positions: OnceCell::new() };
    let inexact_number = seen.maybe_inexact.get() && scan(body, limits.max_depth).inexact_number;
    if seen.duplicate_key.get() || inexact_number {
        // Something to report: the position-keeping tree says what and where, and gives the positions.
        let lines = LineIndex::new(text);
        let pointers = match position_tree(body) {
            Some(ast) => {
                check_tree(&ast, "", &lines, base, out);
                PointerIndex::new(&ast, base)
            }
            // Only whitespace-free scalars could get here; keep going without positions.
            None => PointerIndex::new(&empty_object(), base),
        };
        let _ = parsed.positions.set(Positions { line_starts: lines.into_line_starts(), pointers });
    }
    Some(parsed)
}

/// What the parse noticed on its way.
#[derive(Default)]
struct Seen {
    /// The deepest nesting allowed; deeper stops the parse.
    max_depth: usize,
    /// The nesting depth where the parse is.
    depth: Cell<usize>,
    /// An object repeats a key.
    duplicate_key: Cell<bool>,
    /// A number that a 64-bit float may not hold exactly: a float, or an integer beyond 2^53.
    maybe_inexact: Cell<bool>,
    /// For each depth, a buffer for an object's members, kept between objects: an object is built once its
    /// size is known, without the regrowths and rehashing of a map filled from empty.
    members: RefCell<Vec<Vec<(String, Value)>>>,
}

/// serde_json's own reading of `body` into a [`Value`] (the last of repeated keys wins, at the first one's
/// place), noting in `seen` what needs a closer look. Fails, among other reasons, when values nest deeper
/// than `seen.max_depth`.
fn parse_value(body: &str, seen: &Seen) -> Result<Value, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(body);
    let value = ValueSeed { seen }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// Builds a [`Value`] as serde_json's `Value::deserialize` does, noting what [`Seen`] records.
#[derive(Clone, Copy)]
struct ValueSeed<'f> {
    seen: &'f Seen,
}

impl ValueSeed<'_> {
    /// Enters an array or object; an error when that is deeper than allowed.
    fn enter<E: serde::de::Error>(self) -> Result<(), E> {
        let depth = self.seen.depth.get() + 1;
        if depth > self.seen.max_depth {
            return Err(E::custom("nested too deep"));
        }
        self.seen.depth.set(depth);
        Ok(())
    }

    fn leave(self) {
        self.seen.depth.set(self.seen.depth.get() - 1);
    }

    /// Every integer up to 2^53 in magnitude is a 64-bit float exactly; beyond, some are not.
    fn note_integer(self, magnitude: u64) {
        if magnitude > 1 << 53 {
            self.seen.maybe_inexact.set(true);
        }
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        self.note_integer(value.unsigned_abs());
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        self.note_integer(value);
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        self.seen.maybe_inexact.set(true);
        Ok(Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.enter()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        self.leave();
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        self.enter()?;
        let depth = self.seen.depth.get();
        let mut members = {
            let mut buffers = self.seen.members.borrow_mut();
            if buffers.len() < depth {
                buffers.resize_with(depth, Vec::new);
            }
            std::mem::take(&mut buffers[depth - 1])
        };
        while let Some(key) = access.next_key::<String>()? {
            let value = access.next_value_seed(self)?;
            members.push((key, value));
        }
        let mut map = Map::with_capacity(members.len());
        for (key, value) in members.drain(..) {
            if map.insert(key, value).is_some() {
                self.seen.duplicate_key.set(true);
            }
        }
        self.seen.members.borrow_mut()[depth - 1] = members;
        self.leave();
        Ok(Value::Object(map))
    }
}

fn empty_object() -> ast::Value<'static> {
    ast::Value::Object(ast::Object { range: jsonc_parser::common::Range { start: 0, end: 0 }, properties: Vec::new() })
}

/// What one pass over the bytes finds before the JSON is parsed.
struct Scan {
    /// The offset of the first bracket that opens a level deeper than the limit, outside strings.
    too_deep: Option<usize>,
    /// Whether a number literal cannot be kept exactly as a 64-bit float (GK007).
    inexact_number: bool,
}

/// Scans `text` once, outside strings, for nesting deeper than `max` and for inexact number literals.
fn scan(text: &str, max: usize) -> Scan {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut inexact_number = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                // Skip the string, escapes included: the next quote or backslash, found many bytes at a time.
                i += 1;
                loop {
                    match memchr::memchr2(b'"', b'\\', bytes.get(i..).unwrap_or_default()) {
                        Some(at) if bytes[i + at] == b'"' => {
                            i += at;
                            break;
                        }
                        Some(at) => i += at + 2,
                        // An unterminated string runs to the end of the file.
                        None => {
                            i = bytes.len();
                            break;
                        }
                    }
                }
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return Scan { too_deep: Some(i), inexact_number };
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i + 1 < bytes.len() && matches!(bytes[i + 1], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') {
                    i += 1;
                }
                let literal = &text[start..=i];
                inexact_number =
                    inexact_number || (!surely_exact(literal) && inexact_number_message(literal).is_some());
            }
            _ => {}
        }
        i += 1;
    }
    Scan { too_deep: None, inexact_number }
}

/// Whether a number literal is certainly kept exactly by a 64-bit float, decided without parsing it: at
/// most 15 significant digits (a double holds any such decimal exactly enough to give it back) and a
/// magnitude far from the limits of the normal range. `false` means "look closer", not "inexact".
fn surely_exact(literal: &str) -> bool {
    let bytes = literal.strip_prefix('-').unwrap_or(literal).as_bytes();
    let mut significant = 0usize;
    let mut zeros = 0usize; // zeros seen after the last non-zero digit
    let mut leading = true;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'0' if leading => {}
            b'0' => zeros += 1,
            b'1'..=b'9' => {
                leading = false;
                significant += zeros + 1;
                zeros = 0;
            }
            b'.' => {}
            b'e' | b'E' => break,
            _ => return false,
        }
        i += 1;
    }
    if significant > 15 || bytes.len() > 40 {
        return false;
    }
    // An exponent, if any, must be small: 15 digits and a short exponent stay well inside 1e±300.
    let exponent = &bytes[(i + 1).min(bytes.len())..];
    let exponent = exponent.strip_prefix(b"+").or_else(|| exponent.strip_prefix(b"-")).unwrap_or(exponent);
    exponent.len() <= 2
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
/// written. `None` when the literal is kept exactly (its shortest round-trip form has the same digits);
/// that answer allocates nothing, as every number of every guide is checked.
fn inexact_number_message(literal: &str) -> Option<String> {
    let value: f64 = literal.parse().ok()?;
    if !value.is_finite() {
        return Some(format!("the number `{literal}` is too large for a 64-bit float"));
    }
    let written = Decimal::of(literal)?;
    let mut shortest = StackText::default();
    std::fmt::Write::write_fmt(&mut shortest, format_args!("{value:e}")).ok()?;
    let kept = Decimal::of(shortest.as_str())?;
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

/// A short text written on the stack: `{:e}` of any `f64` fits in 32 bytes.
#[derive(Default)]
struct StackText {
    bytes: [u8; 32],
    len: usize,
}

impl StackText {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// A number literal as its sign, significant digits (without leading or trailing zeros) and the exponent
/// of the first digit, so that two spellings of one value compare equal. Zero is positive with no digits.
#[derive(Debug)]
struct Decimal<'a> {
    negative: bool,
    /// The digits before and after the decimal point, which together hold the significant digits.
    whole: &'a str,
    fraction: &'a str,
    /// How many digits to skip at the start (leading zeros) and to keep in all.
    skip: usize,
    len: usize,
    /// The first significant digit's power of ten.
    position: i64,
}

impl<'a> Decimal<'a> {
    fn of(literal: &'a str) -> Option<Self> {
        let (negative, rest) = match literal.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, literal),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(at) => (&rest[..at], rest[at + 1..].trim_start_matches('+').parse::<i64>().ok()?),
            None => (rest, 0),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits = || whole.bytes().chain(fraction.bytes());
        let total = whole.len() + fraction.len();
        let leading = digits().take_while(|&b| b == b'0').count();
        if leading == total {
            return Some(Decimal { negative: false, whole: "", fraction: "", skip: 0, len: 0, position: 0 });
        }
        // Trailing zeros of the fraction and, when it is all zeros, of the whole part.
        let in_fraction = fraction.len() - fraction.trim_end_matches('0').len();
        let trailing = if in_fraction == fraction.len() {
            fraction.len() + whole.len() - whole.trim_end_matches('0').len()
        } else {
            in_fraction
        };
        let position = exponent + whole.len() as i64 - 1 - leading as i64;
        Some(Decimal { negative, whole, fraction, skip: leading, len: total - leading - trailing, position })
    }

    fn digits(&self) -> impl Iterator<Item = u8> + '_ {
        self.whole.bytes().chain(self.fraction.bytes()).skip(self.skip).take(self.len)
    }
}

impl PartialEq for Decimal<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.negative == other.negative && self.position == other.position && self.digits().eq(other.digits())
    }
}

/// Walks the position-keeping tree once: duplicate keys (GK002) and numbers that cannot be kept exactly
/// (GK007).
fn check_tree(value: &ast::Value<'_>, pointer: &str, lines: &LineIndex<'_>, base: usize, out: &mut Vec<Diagnostic>) {
    match value {
        ast::Value::NumberLit(number) => {
            if let Some(message) = inexact_number_message(number.value) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The diagnostics of `text` as `code line:column pointer`, for the codes the parse stage reports.
    fn check(text: &str, expect: &[&str]) {
        let report = crate::validate(text.as_bytes(), "t.json");
        let found: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.code < "GK010")
            .map(|d| {
                let span = d.span.expect("located");
                let related: Vec<String> = d
                    .related
                    .iter()
                    .map(|r| r.span.map(|s| format!(" first {}:{}", s.line, s.column)).unwrap_or_default())
                    .collect();
                format!("{} {}:{} {}{}", d.code, span.line, span.column, d.pointer, related.concat())
            })
            .collect();
        assert_eq!(found, expect, "{text}");
    }

    #[test]
    fn duplicate_keys_are_found_at_every_depth_with_both_places() {
        check(r#"{"a": 1, "a": 2}"#, &["GK002 1:10 /a first 1:2"]);
        check("{\"x\": {\"b\": [1, {\"c\": 1,\n \"c\": 2}]}}", &["GK002 2:2 /x/b/1/c first 1:18"]);
        check(r#"[[{"k~/": 1, "k~/": 2}]]"#, &["GK002 1:14 /0/0/k~0~1 first 1:4"]);
        check(r#"{"a": {"a": 1}, "b": {"a": 1}}"#, &[]);
        check(r#"{"a": "\u0061", "\u0061": 2}"#, &["GK002 1:17 /a first 1:2"]);
    }

    #[test]
    fn inexact_numbers_are_found_anywhere_and_exact_ones_are_not() {
        check(r#"{"n": [0.1, 1e300, -0.0, 123456789012345, 1.5e-7]}"#, &[]);
        check(r#"{"n": [1, {"m": 12345678901234567}]}"#, &["GK007 1:17 /n/1/m"]);
        check(r#"{"n": 1e-400, "s": "12345678901234567"}"#, &["GK007 1:7 /n"]);
        // Integers: up to 2^53 always exact; beyond, exact only when a float holds them.
        check(r#"{"n": [9007199254740992, -9007199254740992, 9007199254740994]}"#, &[]);
        check(r#"{"n": [-9007199254740993]}"#, &["GK007 1:8 /n/0"]);
    }

    #[test]
    fn too_deep_is_reported_where_it_is_even_after_a_syntax_error() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        check(&deep(64), &[]);
        check(&deep(65), &["GK005 1:65 "]);
        // The parse stops at the first error; the depth is still what is reported, as before any parse.
        check(&format!("{{\"a\": 1,, \"b\": {}}}", deep(70)), &["GK005 1:79 "]);
        check(&format!("{{\"b\": {}, \"a\": }}", deep(3)), &["GK001 1:20 "]);
    }

    /// The GK007 decision before the fast path, kept here as the reference it must agree with.
    fn old_decimal(literal: &str) -> Option<(bool, String, i64)> {
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
        let position = exponent + whole.len() as i64 - 1 - leading as i64;
        Some((negative, significant.to_owned(), position))
    }

    fn old_is_exact(literal: &str) -> bool {
        let value: f64 = literal.parse().unwrap();
        value.is_finite() && old_decimal(literal) == old_decimal(&format!("{value:e}"))
    }

    #[test]
    fn the_number_check_agrees_with_the_reference_on_many_literals() {
        let mut literals: Vec<String> = [
            "0",
            "-0",
            "0.0",
            "1",
            "-1",
            "10",
            "100.00",
            "0.1",
            "0.30000000000000004",
            "1e21",
            "1E+2",
            "2.5e-3",
            "9007199254740993",
            "9007199254740992",
            "1152921504606846976",
            "123456789012345",
            "1234567890123456",
            "12345678901234567",
            "0.000000000000000000000000000001",
            "1e308",
            "1e309",
            "4.9e-324",
            "1e-320",
            "-1.7976931348623157e308",
            "100000000000000000000000",
            "99999999999999999",
            "1.000000000000000",
            "0.1000000000000000055511151231257827",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        // Every prefix of many digits, at many exponents.
        let digits = "31415926535897932384626";
        for len in 1..digits.len() {
            for exponent in [-330, -310, -300, -20, -1, 0, 3, 20, 290, 300, 308, 309] {
                literals.push(format!("{}e{exponent}", &digits[..len]));
                literals.push(format!("-{}.{}e{exponent}", &digits[..1], &digits[1..len]));
            }
        }
        for literal in &literals {
            let exact = old_is_exact(literal);
            assert_eq!(inexact_number_message(literal).is_none(), exact, "{literal}");
            assert!(!surely_exact(literal) || exact, "{literal} is not surely exact");
        }
    }

    /// The depth check before the fast path: the reference for `scan`.
    fn old_too_deep(text: &str, max: usize) -> Option<usize> {
        let mut depth = 0usize;
        let (mut in_string, mut escaped) = (false, false);
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

    #[test]
    fn the_scan_finds_deep_nesting_where_the_reference_does() {
        for text in [
            "[[[[]]]]",
            r#"["[[[[[", [[[[]]]]]"#,
            r#"["\"[[[[", [[[]]]]"#,
            r#"["\\", [[[[]]]]]"#,
            r#"["unterminated [[[[[["#,
            r#"["ends in a backslash \"#,
            r#"{"a": [1, -2, [[[[3]]]]]}"#,
            "\"",
            "",
        ] {
            assert_eq!(scan(text, 3).too_deep, old_too_deep(text, 3), "{text}");
        }
    }
}
