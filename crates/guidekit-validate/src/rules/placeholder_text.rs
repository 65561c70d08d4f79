//! GK160 `placeholder-text`: leftover placeholders such as `TODO`.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use guidekit_model::walk;
use memchr::memmem::Finder;
use std::sync::LazyLock;

pub(crate) const RULE: Rule = Rule {
    code: "GK160",
    name: "placeholder-text",
    severity: Error,
    stage: Stage::Domain,
    explanation: "A field contains a leftover placeholder: `TODO`, `FIXME`, `TBD`, `XXX`, `lorem ipsum`, a link to `#` or an empty link, or \"Click to download\". These are artefacts of a draft or of a copied web page and must not reach readers. `guidekit new` writes a skeleton whose every field to fill holds `TODO: ...`, so this rule lists what is left to write.",
    example: r#"{"conclusion": {"text": "TODO: write the conclusion."}}"#,
    check: Some(check),
};

const PLACEHOLDERS: &[&str] = &["TODO", "FIXME", "TBD", "XXX"];

/// Phrases found in any letter case.
const PHRASES: [&str; 2] = ["click to download", "lorem ipsum"];

/// Markdown links that lead nowhere.
const EMPTY_LINKS: [&str; 3] = ["](#)", "]()", "](<>)"];

/// What else makes a file's text differ from its bytes, for the pre-check: the `\u` escape, and the two
/// characters that lowercase to ASCII letters, the Kelvin sign (U+212A) and `İ` (U+0130).
const DISGUISES: [&str; 3] = ["\\u", "\u{212A}", "\u{130}"];

/// What the rule's exact search looks for, each with its searcher built once: the placeholder words, then the
/// empty links.
static FINDERS: LazyLock<Finders> = LazyLock::new(|| Finders {
    words: PLACEHOLDERS.iter().map(|word| (*word, Finder::new(word))).collect(),
    links: EMPTY_LINKS.iter().map(|pattern| (*pattern, Finder::new(pattern))).collect(),
});

struct Finders {
    words: Vec<(&'static str, Finder<'static>)>,
    links: Vec<(&'static str, Finder<'static>)>,
}

fn check(c: &mut Checker<'_, '_>) {
    if !may_hold_placeholders(c.parsed.text) {
        return;
    }
    // Every string of the document, not only prose: a skeleton from `guidekit new` has placeholders in
    // titles, names, labels and DOT sources too, and each must be found and named by its field.
    // `extensions` is data guidekit does not know, kept as it is, so it is left alone. The strings are read
    // from the typed guide written back as JSON (same keys, same order), only for the rare file that may
    // hold a placeholder at all.
    let Ok(value) = serde_json::to_value(c.guide) else { return };
    let mut findings = Vec::new();
    let mut strings = Vec::new();
    strings_in(&value, String::new(), &mut strings);
    for (pointer, text) in strings {
        for (offset, what) in find_placeholders(text) {
            findings.push((pointer.clone(), offset, what));
        }
    }
    for (pointer, range, what) in findings {
        let span = c.text_span(&pointer, range);
        let d = c.emit(&RULE, pointer, format!("leftover placeholder: {what}"));
        d.span = span;
        d.hints.push("replace it with the real content, or remove it".into());
    }
}

/// Every string value under `value` with its JSON Pointer, in document order, `extensions` and `$schema`
/// left out.
fn strings_in<'v>(value: &'v serde_json::Value, pointer: String, out: &mut Vec<(String, &'v str)>) {
    match value {
        serde_json::Value::String(text) => out.push((pointer, text)),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                strings_in(item, format!("{pointer}/{i}"), out);
            }
        }
        serde_json::Value::Object(object) => {
            for (key, item) in object {
                if pointer.is_empty() && (key == "extensions" || key == "$schema") {
                    continue;
                }
                strings_in(item, format!("{pointer}/{}", walk::escape_pointer(key)), out);
            }
        }
        _ => {}
    }
}

/// Whether the file `source` may hold a placeholder in one of its strings, decided over the raw bytes so that
/// a file without any (most files) skips the walk over its texts. Every text is in the file as written, except
/// that a JSON string can spell a character as a `\u` escape and that lowercasing turns two non-ASCII
/// characters into ASCII letters (`K`, the Kelvin sign, into `k`; `İ` into `i` and a combining dot): a file
/// with any of those is always searched. No placeholder contains a character the other escapes stand for.
///
/// The search runs over a copy of the file with bit 0x20 set in every byte ([`fold`]) and looks for every
/// needle at once ([`PRECHECK`]): one SIMD pass instead of one per needle, which was a twentieth of
/// validating a valid guide. Folding maps several bytes to one, so the search finds a superset of what it
/// stands for (`todo` is also found for `Todo`); a file it lets through is searched exactly by the walk.
fn may_hold_placeholders(source: &str) -> bool {
    let folded = fold(source.as_bytes());
    // `İ` and the `\u` escape are two bytes, too short a needle for the one search, which works best with
    // three bytes or more: each has its own. The escape was once sixteen needles there, one per hex digit,
    // and made the one search twice as slow; `İ`'s first byte is rare in English text.
    let [_, _, dotted_i] = DISGUISES;
    let dotted_i = dotted_i.as_bytes();
    PRECHECK.finds_a_needle(&folded)
        || PRECHECK.escape.find(source.as_bytes()).is_some()
        || memchr::memchr_iter(dotted_i[0], source.as_bytes()).any(|at| source.as_bytes()[at..].starts_with(dotted_i))
}

/// `bytes` with bit 0x20 set in each: a capital letter becomes its small letter, and only a letter's two cases
/// (or a space and NUL, which JSON never holds raw) become a small letter (or a space). Setting a bit
/// vectorises; `to_ascii_lowercase` went byte by byte.
fn fold(bytes: &[u8]) -> Vec<u8> {
    bytes.iter().map(|b| b | 0x20).collect()
}

/// The needles of [`precheck_needles`], and one searcher for all of them (Teddy, where the processor has
/// SIMD; `None` where it has not, and then each needle is searched for in turn).
struct Precheck {
    needles: Vec<Vec<u8>>,
    teddy: Option<aho_corasick::packed::Searcher>,
    /// The `\u` escape, searched for in the unfolded file.
    escape: memchr::memmem::Finder<'static>,
}

static PRECHECK: LazyLock<Precheck> = LazyLock::new(|| {
    let needles = precheck_needles();
    let teddy = aho_corasick::packed::Config::new().builder().extend(&needles).build();
    let [escape, _, _] = DISGUISES;
    Precheck { needles, teddy, escape: memchr::memmem::Finder::new(escape) }
});

impl Precheck {
    fn finds_a_needle(&self, folded: &[u8]) -> bool {
        match &self.teddy {
            Some(searcher) => searcher.find(folded).is_some(),
            None => self.finds_a_needle_one_by_one(folded),
        }
    }

    fn finds_a_needle_one_by_one(&self, folded: &[u8]) -> bool {
        self.needles.iter().any(|needle| memchr::memmem::find(folded, needle).is_some())
    }
}

/// The needles of the pre-check, folded. A file that holds a placeholder holds any part of it, so each needle
/// is the part of a placeholder whose first three bytes are rarest in English prose (the searcher tells
/// candidates by their first three bytes, and checks each: `cli` of "clinical" would be one on every page).
fn precheck_needles() -> Vec<Vec<u8>> {
    let words = PLACEHOLDERS.iter().map(|word| match *word {
        "FIXME" => "IXME",
        other => other,
    });
    let phrases = PHRASES.iter().map(|phrase| match *phrase {
        "click to download" => "k to download",
        "lorem ipsum" => "ipsum",
        other => other,
    });
    let [_, kelvin, _] = DISGUISES;
    let needles = words.chain(phrases).chain(EMPTY_LINKS).chain([kelvin]);
    needles.map(|needle| fold(needle.as_bytes())).collect()
}

/// Placeholders in a text: their byte range and a description.
fn find_placeholders(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut found = Vec::new();
    for (word, finder) in &FINDERS.words {
        let mut from = 0;
        while let Some(at) = finder.find(&text.as_bytes()[from..]) {
            let start = from + at;
            let end = start + word.len();
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
                found.push((start..end, format!("`{word}`")));
            }
            from = end;
        }
    }
    // Lowercasing allocates; ASCII text (most text) is searched in place, with the same offsets.
    let lower = if text.is_ascii() { None } else { Some(text.to_lowercase()) };
    for phrase in PHRASES {
        let found_at = match &lower {
            Some(lower) => lower.find(phrase),
            None => find_ascii_case_insensitive(text, phrase),
        };
        if let Some(at) = found_at {
            // Lowercasing can change byte lengths; only report a range that still fits the original.
            let range = if text.is_char_boundary(at) && text.is_char_boundary(at + phrase.len()) {
                at..at + phrase.len()
            } else {
                0..0
            };
            found.push((range, format!("\"{phrase}\"")));
        }
    }
    for (pattern, finder) in &FINDERS.links {
        let mut from = 0;
        // The search resumes one byte past the match, which is past the end of a text that ends with one.
        while let Some(at) = text.as_bytes().get(from..).and_then(|rest| finder.find(rest)) {
            let start = from + at + 1;
            found.push((start..start + pattern.len() - 1, "a link that leads nowhere".to_owned()));
            from = start + pattern.len();
        }
    }
    found.sort_by_key(|(range, _)| range.start);
    found
}

/// The first place where `needle` (ASCII, lower case) appears in `text`, ignoring ASCII case.
fn find_ascii_case_insensitive(text: &str, needle: &str) -> Option<usize> {
    let (text, needle) = (text.as_bytes(), needle.as_bytes());
    let first = *needle.first()?;
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), text)
        .find(|&at| text.get(at..at + needle.len()).is_some_and(|window| window.eq_ignore_ascii_case(needle)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_text_may_end_with_an_empty_link() {
        for text in ["see [a](#)", "[a]()", "[a](<>)"] {
            let found = super::find_placeholders(text);
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].0.end, text.len());
        }
    }

    #[test]
    fn a_file_with_a_placeholder_in_any_spelling_is_searched() {
        for source in [
            r#"{"a": "TODO"}"#,
            r#"{"a": "[x](#)"}"#,
            r#"{"a": "[x]()"}"#,
            r#"{"a": "see [a](b) and [x](<>)"}"#,
            r#"{"a": "Lorem IPSUM"}"#,
            r#"{"a": "CLICK TO DOWNLOAD"}"#,
            "{\"a\": \"\u{130}\"}",
            r#"{"a": "\u0054ODO"}"#,
            r#"{"a": "\uD83D\uDE00 FIXME"}"#,
            r#"{"a": "fix me", "b": "\uFB01xme"}"#,
            r#"{"a": "TBD"}"#,
            r#"{"a": "XXX"}"#,
            "{\"a\": \"clic\u{212A} to download\"}",
        ] {
            assert!(super::may_hold_placeholders(source), "{source}");
            let folded = super::fold(source.as_bytes());
            let one_by_one = super::PRECHECK.finds_a_needle_one_by_one(&folded);
            assert_eq!(super::PRECHECK.finds_a_needle(&folded), one_by_one, "{source}");
        }
        assert!(!super::may_hold_placeholders(r#"{"a": "To do: click to see the download [a](b)", "\/": "\n"}"#));
    }

    #[test]
    fn placeholders_are_words_not_parts_of_words() {
        let found = super::find_placeholders("TODO: fill. A TODOS list. [Get Quote](#). Click to download it");
        let what: Vec<&str> = found.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(what, ["`TODO`", "a link that leads nowhere", "\"click to download\""]);
    }

    #[test]
    fn phrases_are_found_in_any_case_and_at_the_same_place_in_any_text() {
        for text in [
            "A LOREM Ipsum text",
            "é lorem ipsum",
            "lorem ipsu",
            "",
            "\u{212a}lick to download it",
            "click to download",
            "k p kp Click To Download",
            "ipsum lorem lorem ipSum",
        ] {
            let found = super::find_placeholders(text);
            let expected = text.to_lowercase().find("lorem ipsum").or_else(|| text.to_lowercase().find("click to download"));
            assert_eq!(found.first().map(|(range, _)| range.start), expected.filter(|&at| text.is_char_boundary(at)), "{text}");
        }
    }
}
