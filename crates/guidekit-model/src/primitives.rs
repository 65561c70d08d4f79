//! Small value types shared by the whole model: ids, plain lines, marked-up text, URLs, dates, numbers.
//!
//! Each type checks its own invariant when it is deserialized (`try_from`) and states the same invariant in
//! its schema (`pattern`, `minLength`, `exclusiveMinimum`, ...), so that serde and the JSON Schema accept
//! exactly the same documents.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The error returned when a value breaks the invariant of one of the model's value types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidValue {
    /// What the value should have been, phrased for people ("a non-empty line of text").
    pub expected: &'static str,
}

impl fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}", self.expected)
    }
}

impl std::error::Error for InvalidValue {}

/// Regular expression (ECMA 262 and Rust `regex` compatible) that every [`Id`] matches.
pub const ID_PATTERN: &str = "^[a-z0-9][a-z0-9_.-]{0,63}$";

/// Regular expression for "at least one visible character". The same language as `\S`, anchored: a
/// validator decides it at the first visible character, where `\S` runs a regex search for every text.
pub const VISIBLE_PATTERN: &str = "^\\s*\\S";

/// Regular expression for "no line break": every character one that is neither `\n` nor `\r`.
pub const NO_LINE_BREAK_PATTERN: &str = "^[^\\n\\r]*$";

/// The longest id, in bytes. Ids become file and folder names (`figures/<id>.svg`) and anchors, so they are
/// kept well under file systems' 255-byte limit on a name.
pub const MAX_ID_LEN: usize = 64;

macro_rules! string_newtype {
    ($(#[$meta:meta])* $name:ident, pattern = $pattern:expr, expected = $expected:expr, check = $check:expr) => {
        string_newtype!(
            $(#[$meta])* #[schemars(extend("pattern" = $pattern))] $name, expected = $expected, check = $check
        );
    };
    ($(#[$meta:meta])* $name:ident, expected = $expected:expr, check = $check:expr) => {
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        #[serde(try_from = "String", into = "String")]
        $(#[$meta])*
        pub struct $name(String);

        impl $name {
            /// Checks `value` and wraps it.
            pub fn new(value: impl Into<String>) -> Result<Self, InvalidValue> {
                let value = value.into();
                let check: fn(&str) -> bool = $check;
                if check(&value) {
                    Ok(Self(value))
                } else {
                    Err(InvalidValue { expected: $expected })
                }
            }

            /// The value as written in the guide.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidValue;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// Whether `value` is an [`Id`], without making one (citation keys are checked by the thousand).
pub(crate) fn is_id(value: &str) -> bool {
    // By bytes: every allowed character is ASCII, and any byte of a non-ASCII character is refused.
    let mut bytes = value.bytes();
    value.len() <= MAX_ID_LEN
        && matches!(bytes.next(), Some(b) if b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'.' | b'-'))
}

/// One line: no line break anywhere (searched for a few bytes at a time) and something visible.
fn is_line(value: &str) -> bool {
    memchr::memchr2(b'\n', b'\r', value.as_bytes()).is_none() && has_visible_char(value)
}

fn has_visible_char(value: &str) -> bool {
    value.chars().any(|c| !c.is_whitespace())
}

string_newtype!(
    /// An identifier: lowercase ASCII letters, digits, `_`, `.` and `-`, starting with a letter or digit, at
    /// most 64 characters.
    /// Ids name hypotheses, tables, columns, protocols, diagrams and references, and are what text cites
    /// (`[@id]`) and cross-references (`[@tbl:id]`, `[@fig:id]`).
    Id,
    pattern = ID_PATTERN,
    expected = "an id: at most 64 lowercase letters, digits, `_`, `.` or `-`, starting with a letter or digit",
    check = is_id
);

string_newtype!(
    /// One line of plain text: no markup is interpreted, no line breaks, at least one visible character.
    // Two patterns, each of which validators decide cheaply: a byte-by-byte class check over the whole
    // string, and a search that stops at the first visible character. One pattern for both
    // (`^[^\n\r]*\S[^\n\r]*$`) cost the `jsonschema` crate a bit-parallel automaton step per byte: 5% of
    // `validate`'s instructions. Each carries its own description, which the diagnostic quotes.
    #[schemars(extend("allOf" = [
        { "pattern": NO_LINE_BREAK_PATTERN, "description": "No line breaks." },
        { "pattern": VISIBLE_PATTERN, "description": "At least one visible character." }
    ]))]
    Line,
    expected = "a single line of text with at least one visible character",
    check = is_line
);

string_newtype!(
    /// Prose with guidekit's inline syntax: CommonMark inline markup (`*emphasis*`, `**strong**`,
    /// `` `code` ``, links), citations of references as `[@key]` or `[@a; @b]`, and cross-references to
    /// tables and figures as `[@tbl:id]` and `[@fig:id]`. A blank line separates paragraphs. Citation
    /// numbers are never written: the renderer numbers references by first appearance.
    // The pattern beside its own description, as in `Line`: a diagnostic quotes the reason, not this doc.
    #[schemars(extend("allOf" = [{ "pattern": VISIBLE_PATTERN, "description": "At least one visible character." }]))]
    Text,
    expected = "text with at least one visible character",
    check = has_visible_char
);

string_newtype!(
    /// Graphviz DOT source (`digraph { a -> b }`). Its syntax is checked by the validator, which reports the
    /// position of a problem inside the source.
    #[schemars(extend("allOf" = [{ "pattern": VISIBLE_PATTERN, "description": "At least one visible character." }]))]
    DotSource,
    expected = "DOT source with at least one visible character",
    check = has_visible_char
);

/// The URL schemes a link may use, wherever guidekit accepts or writes one: a guide's [`Url`] fields, links
/// in a guide's text (the HTML sanitiser and the Markdown writer) and link targets in templates. Anything
/// else (`javascript:`, `data:`, `file:`, ...) could run script or reach outside the page.
pub const LINK_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// What [`link_target`] makes of a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTarget {
    /// An absolute URL whose scheme is one of [`LINK_SCHEMES`].
    Absolute,
    /// A relative path (`figures/a.svg`, `#ref-1`, `?q`): no scheme, and not protocol-relative.
    Relative,
    /// Any other scheme, or a protocol-relative (`//host`) or backslash-led address, which browsers resolve
    /// to another host.
    Refused,
}

/// The URL scheme policy, in one place: whether `url` (surrounding white space ignored) is an absolute URL
/// with an allowed scheme (compared without regard to case), a relative path, or refused. A `:` before any
/// `/`, `?` or `#` ends a scheme, as browsers read it; `java script:x` is refused rather than guessed at.
pub fn link_target(url: &str) -> LinkTarget {
    let url = url.trim();
    let scheme_end = url.find(':').filter(|&colon| !url[..colon].contains(['/', '?', '#']));
    match scheme_end {
        Some(colon) if LINK_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(&url[..colon])) => LinkTarget::Absolute,
        Some(_) => LinkTarget::Refused,
        None if url.starts_with("//") || url.starts_with('\\') => LinkTarget::Refused,
        None => LinkTarget::Relative,
    }
}

string_newtype!(
    /// A web or mail address: an absolute `http://`, `https://` or `mailto:` URL without spaces. Characters
    /// that a URL must percent-encode (`"`, `<`, `>`, `\`, `^`, `` ` ``, `{`, `|`, `}`) are not allowed.
    Url,
    pattern = "^(https?://[^\\s/?#\"<>\\\\^`{|}]+[^\\s\"<>\\\\^`{|}]*|mailto:[^\\s@\"<>\\\\^`{|}]+@[^\\s@\"<>\\\\^`{|}]+)$",
    expected = "an absolute `http://`, `https://` or `mailto:` URL without spaces or unencoded `\"<>\\^`{|}`",
    check = is_url
);

/// Characters that may not appear unencoded in a URL (RFC 3986), besides white space.
const URL_FORBIDDEN: &[char] = &['"', '<', '>', '\\', '^', '`', '{', '|', '}'];

fn is_url(value: &str) -> bool {
    if value.chars().any(|c| c.is_whitespace() || URL_FORBIDDEN.contains(&c)) {
        return false;
    }
    // The scheme is the link policy's decision; what follows is the shape the schema's pattern states.
    if link_target(value) != LinkTarget::Absolute {
        return false;
    }
    if let Some(rest) = value.strip_prefix("mailto:") {
        return match rest.split_once('@') {
            Some((user, host)) => !user.is_empty() && !host.is_empty() && !host.contains('@'),
            None => false,
        };
    }
    let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://"));
    matches!(rest, Some(rest) if rest.chars().next().is_some_and(|c| !matches!(c, '/' | '?' | '#')))
}

string_newtype!(
    /// An e-mail address (`name@example.org`).
    Email,
    pattern = "^[^\\s@]+@[^\\s@.]+\\.[^\\s@]+$",
    expected = "an e-mail address such as `name@example.org`",
    check = is_email
);

fn is_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((user, host)) => {
            !user.is_empty()
                && !value.chars().any(char::is_whitespace)
                && !host.contains('@')
                && host.split_once('.').is_some_and(|(a, b)| !a.is_empty() && !b.is_empty())
        }
        None => false,
    }
}

string_newtype!(
    /// A BCP 47 language tag such as `en`, `en-GB` or `de`.
    LanguageTag,
    pattern = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    expected = "a BCP 47 language tag such as `en` or `en-GB`",
    check = is_language_tag
);

fn is_language_tag(value: &str) -> bool {
    let mut parts = value.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

string_newtype!(
    /// A calendar date with year, year and month, or year, month and day: `2025`, `2025-12` or `2025-12-01`.
    /// Guides published as "December 2025" give `2025-12`.
    PartialDate,
    pattern = "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$",
    expected = "a date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`",
    check = |v| parse_partial_date(v).is_some()
);

/// The parts of a [`PartialDate`]: year, then month and day when given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateParts {
    /// The year, e.g. 2025.
    pub year: u16,
    /// The month, 1 to 12.
    pub month: Option<u8>,
    /// The day of the month, 1 to 31 (not checked against the month's length here: see the validator).
    pub day: Option<u8>,
}

fn parse_partial_date(value: &str) -> Option<DateParts> {
    let mut parts = value.split('-');
    let year = parts.next().filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))?;
    let mut two_digits = |max: u8| -> Option<Option<u8>> {
        match parts.next() {
            None => Some(None),
            Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                let n: u8 = p.parse().ok()?;
                (1..=max).contains(&n).then_some(Some(n))
            }
            Some(_) => None,
        }
    };
    let month = two_digits(12)?;
    let day = if month.is_some() { two_digits(31)? } else { None };
    if parts.next().is_some() {
        return None;
    }
    Some(DateParts { year: year.parse().ok()?, month, day })
}

impl PartialDate {
    /// The date's parts.
    pub fn parts(&self) -> DateParts {
        parse_partial_date(&self.0).expect("a PartialDate is checked when it is made")
    }
}

/// A list with at least one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Vec<T>", into = "Vec<T>")]
#[serde(bound(serialize = "T: Serialize + Clone", deserialize = "T: Deserialize<'de>"))]
pub struct NonEmptyVec<T>(Vec<T>);

impl<T> NonEmptyVec<T> {
    /// Wraps `items`, or fails when there are none.
    pub fn new(items: Vec<T>) -> Result<Self, InvalidValue> {
        if items.is_empty() { Err(InvalidValue { expected: "a list with at least one item" }) } else { Ok(Self(items)) }
    }

    /// The items.
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }
}

impl<T> TryFrom<Vec<T>> for NonEmptyVec<T> {
    type Error = InvalidValue;
    fn try_from(items: Vec<T>) -> Result<Self, InvalidValue> {
        Self::new(items)
    }
}

impl<T> From<NonEmptyVec<T>> for Vec<T> {
    fn from(value: NonEmptyVec<T>) -> Vec<T> {
        value.0
    }
}

impl<T> std::ops::Deref for NonEmptyVec<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<'a, T> IntoIterator for &'a NonEmptyVec<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T: JsonSchema> JsonSchema for NonEmptyVec<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("NonEmptyArray_of_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "array",
            "items": generator.subschema_for::<T>(),
            "minItems": 1,
        })
    }
}

/// A number greater than zero: an amount, a dose, a duration.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Deserialize, JsonSchema)]
#[serde(try_from = "f64")]
#[schemars(extend("exclusiveMinimum" = 0))]
pub struct Positive(f64);

impl Serialize for Positive {
    /// Whole numbers are written as integers (`50`, not `50.0`), so a guide reads back as it was written.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.fract() == 0.0 && self.0 < 9.0e15 {
            serializer.serialize_u64(self.0 as u64)
        } else {
            serializer.serialize_f64(self.0)
        }
    }
}

impl Positive {
    /// Wraps `value`, or fails when it is not a finite number above zero.
    pub fn new(value: f64) -> Result<Self, InvalidValue> {
        if value.is_finite() && value > 0.0 {
            Ok(Self(value))
        } else {
            Err(InvalidValue { expected: "a number greater than zero" })
        }
    }

    /// The number.
    pub fn get(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Positive {
    type Error = InvalidValue;
    fn try_from(value: f64) -> Result<Self, InvalidValue> {
        Self::new(value)
    }
}

impl From<Positive> for f64 {
    fn from(value: Positive) -> f64 {
        value.0
    }
}

impl fmt::Display for Positive {
    /// Whole numbers print without a decimal point (`50`, not `50.0`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.fract() == 0.0 && self.0.abs() < 1e15 {
            write!(f, "{}", self.0 as i64)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

/// A whole number greater than zero: a count of subjects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "u64", into = "u64")]
#[schemars(extend("minimum" = 1))]
pub struct Count(u64);

impl Count {
    /// Wraps `value`, or fails when it is zero.
    pub fn new(value: u64) -> Result<Self, InvalidValue> {
        if value > 0 { Ok(Self(value)) } else { Err(InvalidValue { expected: "a whole number greater than zero" }) }
    }

    /// The number.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl TryFrom<u64> for Count {
    type Error = InvalidValue;
    fn try_from(value: u64) -> Result<Self, InvalidValue> {
        Self::new(value)
    }
}

impl From<Count> for u64 {
    fn from(value: Count) -> u64 {
        value.0
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Deserializes an optional field that, when present, must hold a value: `null` is rejected rather than
/// read as absent, so that serde agrees with the schema (which has no `null` branch for optional fields).
pub(crate) fn not_null<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(Id::new("ref-6").is_ok());
        assert!(Id::new("b564674").is_ok());
        for bad in ["", "Ref", "-x", "a b", "tbl:x", "é"] {
            assert!(Id::new(bad).is_err(), "{bad:?} must not be an id");
        }
    }

    #[test]
    fn link_policy() {
        for absolute in ["https://a.org", "HTTP://a.org", " mailto:x@y.org", "http:a"] {
            assert_eq!(link_target(absolute), LinkTarget::Absolute, "{absolute}");
        }
        for relative in ["figures/a b.svg", "#ref-1", "?q=a:b", "a/b:c", ""] {
            assert_eq!(link_target(relative), LinkTarget::Relative, "{relative}");
        }
        for refused in
            ["javascript:alert(1)", " JavaScript:x", "data:text/html,x", "//evil.org", "\\\\evil", "java script:x"]
        {
            assert_eq!(link_target(refused), LinkTarget::Refused, "{refused}");
        }
    }

    #[test]
    fn url_pattern_names_the_link_schemes() {
        let pattern = crate::schema()["$defs"]["Url"]["pattern"].as_str().map(str::to_owned).unwrap_or_default();
        let named = ["https?://", "mailto:"];
        assert!(named.iter().all(|n| pattern.contains(n)), "{pattern}");
        assert_eq!(LINK_SCHEMES, ["http", "https", "mailto"], "update `Url`'s pattern with the policy");
    }

    #[test]
    fn urls() {
        for good in ["https://a.org", "http://a.org/x?y#z", "mailto:info@benchchem.com"] {
            assert!(Url::new(good).is_ok(), "{good}");
        }
        for bad in [
            "#",
            "javascript:alert(1)",
            "https://",
            "https:///x",
            "a.org",
            "mailto:x",
            "https://a b",
            "https://a.org/\"><svg",
            "https://a.org/{x}",
        ] {
            assert!(Url::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(PartialDate::new("2025-12").unwrap().parts(), DateParts { year: 2025, month: Some(12), day: None });
        for bad in ["2025-13", "2025-00", "25", "2025-1", "2025-12-32", "2025-12-01-01", "December 2025"] {
            assert!(PartialDate::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lines_and_text() {
        assert!(Line::new("  a ").is_ok());
        assert!(Line::new(" ").is_err());
        assert!(Line::new("a\nb").is_err());
        assert!(Text::new("a\n\nb").is_ok());
        assert!(Text::new("\n\t").is_err());
    }

    #[test]
    fn positive_numbers_print_like_people_write_them() {
        assert_eq!(Positive::new(50.0).unwrap().to_string(), "50");
        assert_eq!(Positive::new(0.5).unwrap().to_string(), "0.5");
        assert!(Positive::new(0.0).is_err());
        assert!(Positive::new(-1.0).is_err());
    }
}
