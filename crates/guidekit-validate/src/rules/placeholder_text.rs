//! GK160 `placeholder-text`: leftover placeholders such as `TODO`.

use super::{Checker, Rule, Stage};
use crate::Severity::Error;
use guidekit_model::walk;

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

fn check(c: &mut Checker<'_, '_>) {
    // Every string of the document, not only prose: a skeleton from `guidekit new` has placeholders in
    // titles, names, labels and DOT sources too, and each must be found and named by its field.
    // `extensions` is data guidekit does not know, kept as it is, so it is left alone.
    let mut findings = Vec::new();
    let mut strings = Vec::new();
    strings_in(&c.parsed.value, String::new(), &mut strings);
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

/// Placeholders in a text: their byte range and a description.
fn find_placeholders(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut found = Vec::new();
    for word in PLACEHOLDERS {
        let mut from = 0;
        while let Some(at) = text[from..].find(word) {
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
    let lower = text.to_lowercase();
    for phrase in ["click to download", "lorem ipsum"] {
        if let Some(at) = lower.find(phrase) {
            // Lowercasing can change byte lengths; only report a range that still fits the original.
            let range = if text.is_char_boundary(at) && text.is_char_boundary(at + phrase.len()) {
                at..at + phrase.len()
            } else {
                0..0
            };
            found.push((range, format!("\"{phrase}\"")));
        }
    }
    for pattern in ["](#)", "]()", "](<>)"] {
        let mut from = 0;
        while let Some(at) = text[from..].find(pattern) {
            let start = from + at + 1;
            found.push((start..start + pattern.len() - 1, "a link that leads nowhere".to_owned()));
            from = start + pattern.len();
        }
    }
    found.sort_by_key(|(range, _)| range.start);
    found
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_words_not_parts_of_words() {
        let found = super::find_placeholders("TODO: fill. A TODOS list. [Get Quote](#). Click to download it");
        let what: Vec<&str> = found.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(what, ["`TODO`", "a link that leads nowhere", "\"click to download\""]);
    }
}
