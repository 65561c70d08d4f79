//! `format::canonical` never changes a document's value and always gives the same bytes for the same value
//! (whatever the key order and indentation written), checked on the bundled guides, the schema fixtures and
//! seeded mutations of them; and the schema describes every field, which is what editors show as help.

use std::path::{Path, PathBuf};

use guidekit_model::format::canonical;
use serde_json::{Map, Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every JSON file of `dir`, parsed, with its name; files that are not JSON are left out.
fn documents(dir: &Path) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .filter_map(|path| {
            let value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
            Some((path.display().to_string(), value))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// A small, seeded generator, so that a failure names the seed that reproduces it.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

/// Shuffles the keys of every object outside `extensions` (whose order is the author's and is kept).
fn shuffle(value: &mut Value, rng: &mut Rng, inside_extensions: bool) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
            if !inside_extensions {
                for i in (1..entries.len()).rev() {
                    entries.swap(i, rng.next() % (i + 1));
                }
            }
            for (key, mut item) in entries {
                shuffle(&mut item, rng, inside_extensions || key == "extensions");
                map.insert(key, item);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| shuffle(item, rng, inside_extensions)),
        _ => {}
    }
}

/// Free data for `extensions`: nested objects with keys in no particular order, awkward strings and numbers.
fn free_data(rng: &mut Rng, depth: usize) -> Value {
    const STRINGS: &[&str] =
        &["", "é\u{301}", "\"quoted\" \\ back", "line\nbreak\t", "\u{1F9EA}", "</script>", "\u{0}"];
    match rng.next() % if depth == 0 { 4 } else { 6 } {
        0 => Value::from(STRINGS[rng.next() % STRINGS.len()]),
        1 => json!([1.5, -0.0, 1e300, 12345678901234567u64, -9007199254740993i64]),
        2 => Value::Bool(rng.next().is_multiple_of(2)),
        3 => Value::Null,
        _ => {
            let mut map = Map::new();
            for _ in 0..rng.next() % 5 {
                let key = format!("{}:{}", ["zeta", "alpha", "mu", "b"][rng.next() % 4], rng.next() % 100);
                map.insert(key, free_data(rng, depth - 1));
            }
            Value::Array(vec![Value::Object(map), free_data(rng, depth - 1)])
        }
    }
}

/// Equal values with equal key order everywhere (serde_json's `==` ignores key order).
fn same_order(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|((ka, va), (kb, vb))| ka == kb && same_order(va, vb))
        }
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_order(x, y)),
        _ => a == b,
    }
}

#[track_caller]
fn check_lossless(name: &str, value: &Value) -> String {
    let text = canonical(value);
    let back: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: not JSON: {e}"));
    assert!(back == *value, "{name}: formatting changed the value");
    if let (Some(before), Some(after)) = (value.get("extensions"), back.get("extensions")) {
        assert!(same_order(before, after), "{name}: formatting reordered `extensions`");
    }
    assert_eq!(canonical(&back), text, "{name}: formatting twice changes the text");
    assert!(text.ends_with("}\n") && !text.ends_with("\n\n"), "{name}: one final newline");
    text
}

#[test]
fn formatting_keeps_the_value_of_every_fixture_and_of_their_mutations() {
    let mut corpus = documents(&root().join("guides"));
    corpus.extend(documents(&root().join("tests/fixtures/schema/valid")));
    let readable = corpus.len();
    corpus.extend(documents(&root().join("tests/fixtures/schema/invalid")));
    // The validator's stage fixtures: broken on purpose, but those that are JSON must keep their value.
    let stages = root().join("crates/guidekit-validate/tests/fixtures");
    corpus.extend(documents(&stages));
    for entry in std::fs::read_dir(&stages).expect("the validator's fixtures") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            corpus.extend(documents(&path));
        }
    }
    assert!(readable >= 3 && corpus.len() > readable, "fixtures are missing");
    let mut cases = 0;
    for (index, (name, value)) in corpus.iter().enumerate() {
        let text = check_lossless(name, value);
        for seed in 0..40u64 {
            let mut rng = Rng(seed);
            let mut mutated = value.clone();
            shuffle(&mut mutated, &mut rng, false);
            let label = format!("{name} (seed {seed})");
            if index < readable {
                // A valid guide has only keys the schema knows, so its canonical text is one whatever the
                // order written.
                assert!(canonical(&mutated) == text, "{label}: key order changed the canonical text");
            }
            if let Value::Object(map) = &mut mutated {
                let extensions = map.entry("extensions").or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(extensions) = extensions {
                    for _ in 0..1 + rng.next() % 3 {
                        extensions.insert(format!("x{}:data", rng.next() % 50), free_data(&mut rng, 3));
                    }
                }
            }
            check_lossless(&label, &mutated);
            cases += 1;
        }
    }
    assert!(cases >= 100, "only {cases} cases");
}

#[test]
fn the_bundled_guides_are_in_canonical_form_and_carry_schema() {
    for (name, value) in documents(&root().join("guides")) {
        let written = std::fs::read_to_string(&name).expect("readable");
        assert!(written == canonical(&value), "{name} is not formatted: run `guidekit fmt guides`");
        assert_eq!(value["$schema"], "../schemas/guide.schema.json", "{name}: editors need `$schema`");
        let guide: Result<guidekit_model::Guide, _> = serde_json::from_value(value);
        assert!(guide.is_ok(), "{name}: the model must accept `$schema`: {guide:?}");
    }
}

/// Every property in the schema, with the path to it.
fn properties<'v>(node: &'v Value, path: String, out: &mut Vec<(String, &'v Value)>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                for (key, property) in props {
                    out.push((format!("{path}/properties/{key}"), property));
                }
            }
            for (key, child) in map {
                properties(child, format!("{path}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                properties(child, format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_schema_describes_every_field() {
    let schema = guidekit_model::schema();
    let mut found = Vec::new();
    properties(&schema, String::new(), &mut found);
    assert!(found.len() > 100, "only {} properties found", found.len());
    let undescribed: Vec<&str> = found
        .iter()
        .filter(|(_, p)| p.get("description").and_then(Value::as_str).is_none_or(|d| d.trim().is_empty()))
        .map(|(path, _)| path.as_str())
        .collect();
    assert!(undescribed.is_empty(), "properties without a description (add a `///` doc comment): {undescribed:#?}");
    let definitions = schema["$defs"].as_object().expect("$defs");
    let bare: Vec<&String> =
        definitions.iter().filter(|(_, d)| d.get("description").is_none()).map(|(k, _)| k).collect();
    assert!(bare.is_empty(), "definitions without a description: {bare:?}");
}
