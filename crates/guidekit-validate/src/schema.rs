//! Stage 2: the JSON Schema, with errors rewritten for people.

use std::sync::OnceLock;

use jsonschema::{ValidationError, Validator, error::ValidationErrorKind};
use serde_json::Value;

use crate::diagnostic::{Diagnostic, show_value, truncate};
use crate::rules::stages::{
    INVALID_FORMAT, ITEM_COUNT, MISSING_KEY, OUT_OF_RANGE, SCHEMA, UNKNOWN_KEY, UNKNOWN_VALUE, WRONG_TYPE,
};

/// The compiled schema, built once per process. It is the schema the model generates, which a test keeps
/// identical to the committed `schemas/guide.schema.json`. No retriever is configured and the crate is
/// built without its HTTP and file resolvers, so a `$ref` is never fetched from anywhere.
pub(crate) fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(schema())
            .expect("the generated schema compiles: checked by guidekit-validate's tests")
    })
}

/// The guide schema as a JSON value, generated once.
pub(crate) fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(guidekit_model::schema)
}

/// Validates `instance` against the guide schema.
pub(crate) fn check(instance: &Value, out: &mut Vec<Diagnostic>) {
    // Most guides are valid: answering yes or no costs a fraction of collecting errors.
    if validator().is_valid(instance) {
        return;
    }
    for error in validator().iter_errors(instance) {
        explain(&error, out);
    }
}

fn explain(error: &ValidationError<'_>, out: &mut Vec<Diagnostic>) {
    let pointer = error.instance_path().as_str().to_owned();
    let instance = error.instance();
    let place = describe_place(&pointer);
    let diagnostic = match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for key in unexpected {
                let known = known_keys(error.schema_path().as_str());
                let mut diagnostic = Diagnostic::of(
                    &UNKNOWN_KEY,
                    format!("{pointer}/{}", guidekit_model::walk::escape_pointer(key)),
                    format!("unknown key `{key}` in {place}"),
                );
                if let Some(suggestion) = closest(key, &known) {
                    diagnostic = diagnostic.hint(format!("did you mean `{suggestion}`?"));
                } else if !known.is_empty() {
                    diagnostic = diagnostic.hint(format!("known keys here: {}", list(&known)));
                }
                if pointer.is_empty() {
                    diagnostic = diagnostic.hint("data the format does not know belongs under `extensions`");
                }
                out.push(diagnostic);
            }
            return;
        }
        ValidationErrorKind::Required { property } => {
            let key = property.as_str().unwrap_or_default();
            let mut diagnostic =
                Diagnostic::of(&MISSING_KEY, pointer.clone(), format!("missing required key `{key}` in {place}"));
            if let Some(description) = property_description(error.schema_path().as_str(), key) {
                diagnostic = diagnostic.hint(format!("`{key}`: {}", first_sentence(&description)));
            }
            diagnostic
        }
        ValidationErrorKind::Type { kind } if instance.is_null() => Diagnostic::of(
            &WRONG_TYPE,
            pointer.clone(),
            format!("expected {} for {place}, found `null`", type_names(kind)),
        )
        .hint("leave an optional key out when it has no value: `null` is not accepted"),
        ValidationErrorKind::Type { kind } => Diagnostic::of(
            &WRONG_TYPE,
            pointer.clone(),
            format!(
                "expected {} for {place}, found {} {}",
                type_names(kind),
                json_type(instance),
                show_value(instance)
            ),
        ),
        ValidationErrorKind::Enum { options } => {
            let options: Vec<String> = options
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| o.as_str().map_or(o.to_string(), str::to_owned))
                .collect();
            unknown_value(&pointer, &place, instance, &options)
        }
        ValidationErrorKind::Constant { expected_value } => Diagnostic::of(
            &UNKNOWN_VALUE,
            pointer.clone(),
            format!("expected {} for {place}, found {}", show_value(expected_value), show_value(instance)),
        ),
        ValidationErrorKind::Pattern { pattern } => {
            let expected = expected_for_pattern(error.schema_path().as_str(), pattern);
            Diagnostic::of(
                &INVALID_FORMAT,
                pointer.clone(),
                format!("{} is not valid for {place}: expected {expected}", show_value(instance)),
            )
        }
        ValidationErrorKind::Format { format } => Diagnostic::of(
            &INVALID_FORMAT,
            pointer.clone(),
            format!("{} is not a valid `{format}` for {place}", show_value(instance)),
        ),
        ValidationErrorKind::MinItems { limit } => Diagnostic::of(
            &ITEM_COUNT,
            pointer.clone(),
            format!("{place} needs at least {limit} item{}, found {}", plural(*limit), array_len(instance)),
        )
        .hint("leave the key out if there is nothing to put in it and it is optional"),
        ValidationErrorKind::MaxItems { limit } => Diagnostic::of(
            &ITEM_COUNT,
            pointer.clone(),
            format!("{place} allows at most {limit} item{}, found {}", plural(*limit), array_len(instance)),
        ),
        ValidationErrorKind::Minimum { limit } | ValidationErrorKind::ExclusiveMinimum { limit } => {
            let bound =
                if matches!(error.kind(), ValidationErrorKind::Minimum { .. }) { "at least" } else { "greater than" };
            Diagnostic::of(
                &OUT_OF_RANGE,
                pointer.clone(),
                format!("{place} must be {bound} {limit}, found {}", show_value(instance)),
            )
        }
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            // Tagged enums (cells, authors) fail as a whole with a vague message; find the branch the
            // value meant and report its errors instead.
            if let Some(branch) = intended_branch(&pointer, context) {
                for inner in branch {
                    explain(inner, out);
                }
                return;
            }
            // Documented unit enums are a `oneOf` of `const`s: report them like an `enum`.
            let options = branch_consts(error.schema_path().as_str());
            if !options.is_empty() {
                out.push(unknown_value(&pointer, &place, instance, &options));
                return;
            }
            let kinds = branch_kinds(error.schema_path().as_str());
            let at = if instance.get("kind").is_some() { format!("{pointer}/kind") } else { pointer.clone() };
            let mut diagnostic = Diagnostic::of(
                &UNKNOWN_VALUE,
                at,
                match (instance.get("kind"), kinds.is_empty()) {
                    (Some(kind), false) => format!("{} is not a known `kind` for {place}", show_value(kind)),
                    (None, false) if instance.is_object() => format!("{place} needs a `kind`"),
                    _ => format!("{} does not fit {place}", show_value(instance)),
                },
            );
            if !kinds.is_empty() {
                diagnostic = diagnostic.hint(format!("`kind` is one of: {}", list(&kinds)));
                if let Some(suggestion) = instance.get("kind").and_then(Value::as_str).and_then(|k| closest(k, &kinds))
                {
                    diagnostic = diagnostic.hint(format!("did you mean `{suggestion}`?"));
                }
            }
            diagnostic
        }
        _ => Diagnostic::of(&SCHEMA, pointer.clone(), format!("{place}: {}", truncate(&error.to_string(), 120))),
    };
    out.push(diagnostic);
}

/// For a failed `oneOf`/`anyOf`: the errors of the one branch the value was meant for, if that is clear.
/// A branch is ruled out when it fails on the value's own type or on its `kind` tag.
fn intended_branch<'e>(
    pointer: &str,
    context: &'e [Vec<ValidationError<'static>>],
) -> Option<&'e [ValidationError<'static>]> {
    let tag_pointer = format!("{pointer}/kind");
    let fits: Vec<&Vec<ValidationError<'static>>> = context
        .iter()
        .filter(|errors| {
            !errors.iter().any(|e| {
                let path = e.instance_path().as_str();
                match e.kind() {
                    ValidationErrorKind::Constant { .. } | ValidationErrorKind::Enum { .. } => path == tag_pointer,
                    ValidationErrorKind::Required { property } => path == pointer && property == "kind",
                    ValidationErrorKind::Type { .. } => path == pointer,
                    _ => false,
                }
            })
        })
        .collect();
    match fits.as_slice() {
        [only] => Some(only.as_slice()),
        _ => None,
    }
}

/// "`x` is not a known value", with the allowed values and the closest one as hints.
fn unknown_value(pointer: &str, place: &str, instance: &Value, options: &[String]) -> Diagnostic {
    let mut diagnostic =
        Diagnostic::of(&UNKNOWN_VALUE, pointer, format!("{} is not a known value for {place}", show_value(instance)))
            .hint(format!("expected one of: {}", list(options)));
    if let Some(suggestion) = instance.as_str().and_then(|s| closest(s, options)) {
        diagnostic = diagnostic.hint(format!("did you mean `{suggestion}`?"));
    }
    diagnostic
}

/// The `const` values of a `oneOf` whose branches are all constants (a documented unit enum).
fn branch_consts(keyword_location: &str) -> Vec<String> {
    let Some(object) = schema_object_at(keyword_location) else { return Vec::new() };
    let Some(branches) = object.get("oneOf").or_else(|| object.get("anyOf")).and_then(Value::as_array) else {
        return Vec::new();
    };
    let consts: Vec<String> =
        branches.iter().filter_map(|b| b.get("const").and_then(Value::as_str).map(str::to_owned)).collect();
    if consts.len() == branches.len() { consts } else { Vec::new() }
}

/// The `kind` constants of a tagged enum's branches, read from the schema at the failing keyword.
fn branch_kinds(keyword_location: &str) -> Vec<String> {
    let Some(object) = schema_object_at(keyword_location) else { return Vec::new() };
    let branches = object.get("oneOf").or_else(|| object.get("anyOf")).and_then(Value::as_array);
    branches
        .into_iter()
        .flatten()
        .filter_map(|branch| branch.pointer("/properties/kind/const")?.as_str().map(str::to_owned))
        .collect()
}

/// "hypothesis 2", "table 1, row 3", "the guide": where a JSON Pointer is, in words.
pub(crate) fn describe_place(pointer: &str) -> String {
    let parts: Vec<&str> = pointer.split('/').skip(1).collect();
    if parts.is_empty() {
        return "the guide".to_owned();
    }
    let mut words: Vec<String> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let part = parts[i];
        let next_index = parts.get(i + 1).and_then(|p| p.parse::<usize>().ok());
        let noun = match part {
            "items" => match parts.get(i.wrapping_sub(1)).copied() {
                Some("hypotheses") => Some("hypothesis"),
                Some("protocols") => Some("protocol"),
                Some("diagrams") => Some("diagram"),
                _ => Some("item"),
            },
            "tables" => Some("table"),
            "rows" => Some("row"),
            "columns" => Some("column"),
            "steps" => Some("step"),
            "notices" => Some("notice"),
            "references" => Some("reference"),
            "authors" => Some("author"),
            "offers" => Some("offer"),
            "actions" => Some("action"),
            "citations" => Some("citation"),
            _ => None,
        };
        match (noun, next_index) {
            (Some(noun), Some(index)) => {
                words.push(format!("{noun} {}", index + 1));
                i += 2;
            }
            _ => {
                let is_index = part.parse::<usize>().ok();
                match (is_index, words.pop()) {
                    // An index into a list without a noun of its own: "item 1 of `amounts`".
                    (Some(index), Some(list)) => words.push(format!("item {} of {list}", index + 1)),
                    (_, previous) => {
                        words.extend(previous);
                        if !matches!(part, "items" | "hypotheses" | "protocols" | "diagrams" | "data")
                            || i + 1 == parts.len()
                        {
                            words.push(format!("`{}`", part.replace("~1", "/").replace("~0", "~")));
                        }
                    }
                }
                i += 1;
            }
        }
    }
    words.join(", ")
}

fn type_names(kind: &jsonschema::error::TypeKind) -> String {
    match kind {
        jsonschema::error::TypeKind::Single(t) => article(&t.to_string()),
        jsonschema::error::TypeKind::Multiple(types) => {
            let names: Vec<String> = types.iter().map(|t| article(&t.to_string())).collect();
            names.join(" or ")
        }
    }
}

fn article(type_name: &str) -> String {
    match type_name {
        "object" | "array" | "integer" => format!("an {type_name}"),
        "null" => "null".to_owned(),
        other => format!("a {other}"),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn array_len(value: &Value) -> usize {
    value.as_array().map_or(0, Vec::len)
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn list(items: &[String]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

/// The first sentence of a description: up to the first `. ` that ends a sentence, not an abbreviation such
/// as "e.g." or "i.e." (cutting there left hints such as "The guide's title, e.g.").
fn first_sentence(text: &str) -> String {
    const ABBREVIATIONS: [&str; 5] = ["e.g", "i.e", "etc", "vs", "cf"];
    let line = text.split("\n\n").next().unwrap_or(text).replace('\n', " ");
    let mut from = 0;
    while let Some(found) = line[from..].find(". ") {
        let cut = from + found;
        let word = line[..cut].rsplit([' ', '(']).next().unwrap_or_default();
        if !ABBREVIATIONS.contains(&word.to_ascii_lowercase().as_str()) {
            return line[..=cut].to_owned();
        }
        from = cut + 2;
    }
    line
}

/// The schema object at a keyword location such as `/properties/metadata/$ref/additionalProperties`,
/// following `$ref`s, minus the final keyword.
fn schema_object_at(keyword_location: &str) -> Option<&'static serde_json::Map<String, Value>> {
    let mut parts: Vec<&str> = keyword_location.split('/').skip(1).collect();
    parts.pop(); // the failing keyword itself
    let root = schema();
    let mut node = root;
    let mut i = 0;
    while i < parts.len() {
        if parts[i] == "$ref" {
            node = resolve(node)?;
            i += 1;
            continue;
        }
        let key = parts[i].replace("~1", "/").replace("~0", "~");
        node = match node {
            Value::Object(map) => map.get(&key)?,
            Value::Array(items) => items.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
        i += 1;
    }
    while node.get("$ref").is_some() && node.get("properties").is_none() {
        node = resolve(node)?;
    }
    node.as_object()
}

fn resolve(node: &Value) -> Option<&'static Value> {
    let reference = node.get("$ref")?.as_str()?;
    let name = reference.strip_prefix("#/$defs/")?;
    schema().get("$defs")?.get(name)
}

fn known_keys(keyword_location: &str) -> Vec<String> {
    schema_object_at(keyword_location)
        .and_then(|object| object.get("properties"))
        .and_then(Value::as_object)
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default()
}

fn property_description(keyword_location: &str, key: &str) -> Option<String> {
    let object = schema_object_at(keyword_location)?;
    let property = object.get("properties")?.get(key)?;
    property.get("description").or_else(|| resolve(property)?.get("description"))?.as_str().map(str::to_owned)
}

/// What a `pattern` stands for: the first sentence of the description beside it in the schema (a `$defs` entry,
/// or one of the patterns of a `Line`), found from the failing keyword's location.
fn expected_for_pattern(keyword_location: &str, pattern: &str) -> String {
    let beside = schema_object_at(keyword_location)
        .filter(|object| object.get("pattern").and_then(Value::as_str) == Some(pattern))
        .and_then(|object| object.get("description")?.as_str());
    match beside {
        Some(description) => {
            let sentence = first_sentence(description);
            let mut chars = sentence.trim_end_matches('.').chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => sentence,
            }
        }
        None => format!("text matching `{pattern}`"),
    }
}

/// The known word closest to `word`, if it is close enough to be a likely typo.
pub(crate) fn closest(word: &str, known: &[String]) -> Option<String> {
    known
        .iter()
        .map(|candidate| (edit_distance(&word.to_lowercase(), &candidate.to_lowercase()), candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.chars().count() / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate.clone())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current.push((previous[j] + cost).min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod first_sentence_tests {
    #[test]
    fn abbreviations_do_not_end_a_sentence() {
        assert_eq!(
            super::first_sentence("The guide's title, e.g. \"X\". More text."),
            "The guide's title, e.g. \"X\"."
        );
        assert_eq!(super::first_sentence("One. Two."), "One.");
        assert_eq!(super::first_sentence("A unit (i.e. mg). Rest."), "A unit (i.e. mg).");
        assert_eq!(super::first_sentence("No stop"), "No stop");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_read_like_prose() {
        assert_eq!(describe_place(""), "the guide");
        assert_eq!(describe_place("/hypotheses/items/1"), "hypothesis 2");
        assert_eq!(describe_place("/data/tables/0/rows/2/cells/dosage"), "table 1, row 3, `cells`, `dosage`");
        assert_eq!(describe_place("/metadata/title"), "`metadata`, `title`");
        assert_eq!(
            describe_place("/data/tables/0/rows/0/cells/dose/amounts/1"),
            "table 1, row 1, `cells`, `dose`, item 2 of `amounts`"
        );
    }

    #[test]
    fn suggestions_catch_typos_only() {
        let known = vec!["citations".to_owned(), "caption".to_owned()];
        assert_eq!(closest("citation", &known).as_deref(), Some("citations"));
        assert_eq!(closest("zzz", &known), None);
    }
}
