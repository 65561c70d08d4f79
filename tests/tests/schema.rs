//! The committed schema: up to date with the model, valid 2020-12, and in agreement with serde.

use guidekit_model::Guide;
use guidekit_tests::{json_files, name, read_json, root};

fn committed_schema() -> serde_json::Value {
    read_json(&root().join("schemas/guide.schema.json"))
}

#[test]
fn committed_schema_is_up_to_date() {
    let committed = std::fs::read_to_string(root().join("schemas/guide.schema.json")).unwrap_or_default();
    assert!(
        committed == guidekit_model::schema_json(),
        "schemas/guide.schema.json is out of date with the model types: run `cargo xtask codegen` and commit it"
    );
}

#[test]
fn committed_view_schema_is_up_to_date() {
    let committed = std::fs::read_to_string(root().join("schemas/view.schema.json")).unwrap_or_default();
    assert!(
        committed == guidekit_render::view::view_schema_json(),
        "schemas/view.schema.json is out of date with the render crate's view types: run `cargo xtask codegen` \
         and commit it"
    );
}

#[test]
fn committed_view_schema_is_valid_and_documented() {
    let schema = read_json(&root().join("schemas/view.schema.json"));
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    if let Err(error) = jsonschema::meta::validate(&schema) {
        panic!("the committed view schema is not a valid JSON Schema: {error}");
    }
    let mut missing = Vec::new();
    undescribed_properties(&schema, "", &mut missing);
    assert!(missing.is_empty(), "view fields without a description (add a `///` doc comment): {missing:#?}");
}

#[test]
fn views_conform_to_the_committed_view_schema() {
    let schema = read_json(&root().join("schemas/view.schema.json"));
    let validator = jsonschema::validator_for(&schema).expect("the view schema compiles");
    let renderer = guidekit_render::Renderer::new(Default::default()).expect("built-in templates");
    for path in ["guides/aniracetam.json", "tests/fixtures/schema/valid/every-field.json"] {
        let guide: Guide = serde_json::from_value(read_json(&root().join(path))).expect("a valid guide");
        for format in [guidekit_render::Format::Html, guidekit_render::Format::Markdown] {
            let view = renderer.guide_view(&guide, format).expect("renders");
            let instance = serde_json::to_value(&view).expect("a view serializes");
            let errors: Vec<String> =
                validator.iter_errors(&instance).map(|e| format!("{e} at {}", e.instance_path().as_str())).collect();
            assert!(errors.is_empty(), "{path} ({format:?}): the view breaks schemas/view.schema.json: {errors:#?}");
        }
    }
}

#[test]
fn committed_schema_is_valid_draft_2020_12() {
    let schema = committed_schema();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert!(schema["$id"].is_string() && schema["title"].is_string());
    if let Err(error) = jsonschema::meta::validate(&schema) {
        panic!("the committed schema is not a valid JSON Schema: {error}");
    }
}

#[test]
fn every_property_has_a_description() {
    let mut missing = Vec::new();
    undescribed_properties(&committed_schema(), "", &mut missing);
    assert!(missing.is_empty(), "properties without a description (add a `///` doc comment): {missing:#?}");
}

/// The pointers of the properties under `node` that have no `description`.
fn undescribed_properties(node: &serde_json::Value, at: &str, missing: &mut Vec<String>) {
    if let Some(properties) = node.get("properties").and_then(|p| p.as_object()) {
        for (key, property) in properties {
            if property.get("description").is_none() {
                missing.push(format!("{at}/properties/{key}"));
            }
        }
    }
    match node {
        serde_json::Value::Object(map) => {
            map.iter().for_each(|(k, v)| undescribed_properties(v, &format!("{at}/{k}"), missing))
        }
        serde_json::Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, v)| undescribed_properties(v, &format!("{at}/{i}"), missing))
        }
        _ => {}
    }
}

/// What each side says of one document.
fn verdicts(
    instance: &serde_json::Value,
    validator: &jsonschema::Validator,
) -> (Result<(), String>, Result<(), String>) {
    let serde = serde_json::from_value::<Guide>(instance.clone()).map(drop).map_err(|e| e.to_string());
    let schema = match validator.iter_errors(instance).next() {
        None => Ok(()),
        Some(error) => Err(format!("{error} at {}", error.instance_path().as_str())),
    };
    (serde, schema)
}

#[test]
fn guides_and_valid_fixtures_pass_serde_and_the_committed_schema() {
    let validator =
        jsonschema::options().should_validate_formats(true).build(&committed_schema()).expect("schema compiles");
    let files: Vec<_> = json_files("guides").into_iter().chain(json_files("tests/fixtures/schema/valid")).collect();
    assert!(files.len() >= 3, "expected the bundled guides and the valid fixtures");
    let mut problems = Vec::new();
    for file in files {
        let (serde, schema) = verdicts(&read_json(&file), &validator);
        if let Err(e) = serde {
            problems.push(format!("{}: rejected by serde: {e}", name(&file)));
        }
        if let Err(e) = schema {
            problems.push(format!("{}: rejected by the schema: {e}", name(&file)));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn invalid_fixtures_are_rejected_by_serde_and_the_committed_schema() {
    let validator =
        jsonschema::options().should_validate_formats(true).build(&committed_schema()).expect("schema compiles");
    let files = json_files("tests/fixtures/schema/invalid");
    assert!(files.len() >= 20, "one invalid fixture per constraint kind");
    let mut problems = Vec::new();
    for file in files {
        let (serde, schema) = verdicts(&read_json(&file), &validator);
        if serde.is_ok() {
            problems.push(format!("{}: accepted by serde (the schema side rejects: {})", name(&file), schema.is_err()));
        }
        if schema.is_ok() {
            problems.push(format!(
                "{}: accepted by the schema (the serde side rejects: {})",
                name(&file),
                serde.is_err()
            ));
        }
    }
    assert!(problems.is_empty(), "serde and the schema disagree: {problems:#?}");
}

#[test]
fn model_round_trips_every_valid_document() {
    for file in json_files("guides").into_iter().chain(json_files("tests/fixtures/schema/valid")) {
        let original = read_json(&file);
        let guide: Guide = serde_json::from_value(original.clone()).expect("valid");
        let written = serde_json::to_value(&guide).expect("serializes");
        assert_eq!(written, original, "{} changes when read and written back", name(&file));
    }
}

/// Python's `jsonschema` (an independent implementation) must give the same verdicts as the Rust crate.
/// CI installs it; elsewhere the test says it is skipped, unless `CI` is set, where it must run.
#[test]
fn independent_validator_agrees() {
    let script = root().join("tests/independent/check_schema.py");
    let output = std::process::Command::new("python3").arg(&script).arg(root()).output();
    let required = std::env::var_os("CI").is_some();
    match output {
        Ok(output) if output.status.code() == Some(3) && !required => {
            guidekit_tests::skips::skip(String::from_utf8_lossy(&output.stderr).trim());
        }
        Ok(output) => assert!(
            output.status.success(),
            "the independent validator disagrees:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(error) if !required => guidekit_tests::skips::skip(format!("python3 is not available ({error})")),
        Err(error) => panic!("CI must have python3: {error}"),
    }
}
