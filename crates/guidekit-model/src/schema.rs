//! The JSON Schema of the guide format, generated from the types.

use schemars::{Schema, generate::SchemaSettings, transform::Transform};

use crate::Guide;

/// The schema's `$id`. A URN rather than a web address: the schema is published with the project, at
/// `schemas/guide.schema.json`, and its identity should not depend on a host.
pub const SCHEMA_ID: &str = "urn:guidekit:schema:guide:1.0";

/// The JSON Schema (draft 2020-12) that every guide conforms to.
pub fn schema() -> serde_json::Value {
    let generator = SchemaSettings::draft2020_12().for_deserialize().with_transform(NoNull).into_generator();
    generator.into_root_schema_for::<Guide>().to_value()
}

/// The schema as the text of `schemas/guide.schema.json`: pretty-printed, with a final newline.
pub fn schema_json() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).expect("a JSON value always serializes");
    text.push('\n');
    text
}

/// Removes the `null` alternative that schemars gives every `Option` field: guidekit rejects `null` for an
/// optional field (see `primitives::not_null`), and a plain `$ref` gives clearer errors than an `anyOf`.
#[derive(Clone)]
struct NoNull;

impl Transform for NoNull {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(obj) = schema.as_object_mut() {
            // The `kind` tag of an internally tagged enum has no doc comment of its own to describe it.
            if let Some(tag) = obj.get_mut("properties").and_then(|p| p.get_mut("kind")).and_then(|k| k.as_object_mut())
                && let (Some(value), false) =
                    (tag.get("const").and_then(|c| c.as_str()), tag.contains_key("description"))
            {
                let description = format!("Which kind of value this is: `{value}`.");
                tag.insert("description".into(), description.into());
            }
            if let Some(serde_json::Value::Array(types)) = obj.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    obj.insert("type".into(), only);
                }
            }
            let single_branch = match obj.get_mut("anyOf") {
                Some(serde_json::Value::Array(branches)) => {
                    branches.retain(|b| b.get("type").is_none_or(|t| t != "null"));
                    (branches.len() == 1).then(|| branches.remove(0))
                }
                _ => None,
            };
            if let Some(serde_json::Value::Object(branch)) = single_branch {
                obj.remove("anyOf");
                for (key, value) in branch {
                    obj.entry(key).or_insert(value);
                }
            }
        }
        schemars::transform::transform_subschemas(self, schema);
    }
}
