//! The canonical layout of a guide file, as `guidekit fmt` writes it.
//!
//! ```
//! let messy = r#"{"metadata": {"kind": "review", "title": "T"},
//!     "schema_version": "1.0"}"#;
//! let value: serde_json::Value = serde_json::from_str(messy)?;
//! assert_eq!(
//!     guidekit_model::format::canonical(&value),
//!     "{\n  \"schema_version\": \"1.0\",\n  \"metadata\": {\n    \"title\": \"T\",\n    \"kind\": \"review\"\n  }\n}\n"
//! );
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! Keys follow the order of the schema's `properties` (which is the order of the model's fields), so that
//! every guide reads in the same order and a diff shows only what changed. Only object keys move: array
//! elements (references, rows, steps) stay in the order written, a row's cells follow the table's columns,
//! and keys that the schema does not list (inside `extensions`, say) keep their written order after the
//! known ones. Layout is serde_json's pretty printer (two-space indent) plus one final newline. Moving keys
//! and whitespace cannot change the parsed value, which is what makes formatting safe to apply blindly;
//! the tests check it on the bundled guides, the fixtures and their mutations.

use std::sync::OnceLock;

use serde_json::{Map, Value};

/// The canonical text of a guide: keys in schema order, two-space indent, one trailing newline.
/// Any JSON value is accepted; parts the schema does not describe keep their key order.
pub fn canonical(value: &Value) -> String {
    let root = schema();
    let ordered = reorder(value, Some(root), root);
    let mut text = serde_json::to_string_pretty(&ordered).expect("a JSON value always serializes");
    text.push('\n');
    text
}

fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(crate::schema)
}

/// `value` with the keys of every object it holds in schema order, `node` being the schema that describes
/// it (`None` where the schema says nothing, e.g. inside `extensions`).
fn reorder(value: &Value, node: Option<&Value>, root: &Value) -> Value {
    let node = node.map(|n| resolve(n, value, root));
    match value {
        Value::Array(items) => {
            let item_schema = node.and_then(|n| n.get("items"));
            Value::Array(items.iter().map(|item| reorder(item, item_schema, root)).collect())
        }
        Value::Object(object) => {
            let properties = node.and_then(|n| n.get("properties")).and_then(Value::as_object);
            // `additionalProperties` is a schema for maps (a row's cells), `true` or absent for free data.
            let additional = node.and_then(|n| n.get("additionalProperties")).filter(|a| a.is_object());
            let mut out = Map::new();
            if let Some(properties) = properties {
                for (key, property) in properties {
                    if let Some(v) = object.get(key) {
                        out.insert(key.clone(), reorder(v, Some(property), root));
                    }
                }
            }
            for (key, v) in object {
                if !out.contains_key(key) {
                    out.insert(key.clone(), reorder(v, additional, root));
                }
            }
            if node.is_some_and(|n| root.pointer("/$defs/DataTable").is_some_and(|t| std::ptr::eq(n, t))) {
                cells_in_column_order(&mut out);
            }
            Value::Object(out)
        }
        _ => value.clone(),
    }
}

/// Puts each row's cells in the order of the table's columns (the order they are read in), cells for
/// unknown columns after them in their written order. A row's cells are a map keyed by column, so the schema
/// gives no order of its own.
fn cells_in_column_order(table: &mut Map<String, Value>) {
    let columns: Vec<String> = match table.get("columns").and_then(Value::as_array) {
        Some(columns) => columns.iter().filter_map(|c| c.get("key")?.as_str().map(str::to_owned)).collect(),
        None => return,
    };
    let Some(Value::Array(rows)) = table.get_mut("rows") else { return };
    for row in rows {
        if let Some(Value::Object(cells)) = row.get_mut("cells") {
            let mut written = std::mem::take(cells);
            for key in &columns {
                if let Some((key, cell)) = written.shift_remove_entry(key) {
                    cells.insert(key, cell);
                }
            }
            cells.append(&mut written);
        }
    }
}

/// The schema node that describes `value`: `$ref`s followed, and of `oneOf`/`anyOf` the branch that fits.
fn resolve<'s>(mut node: &'s Value, value: &Value, root: &'s Value) -> &'s Value {
    // The schema's references are acyclic in a chain of `$ref`s; the bound only guards against a bad schema.
    for _ in 0..32 {
        if let Some(target) = node.get("$ref").and_then(Value::as_str) {
            match target.strip_prefix("#/").map(|path| root.pointer(&format!("/{path}"))) {
                Some(Some(next)) => {
                    node = next;
                    continue;
                }
                _ => return node,
            }
        }
        let branches = node.get("oneOf").or_else(|| node.get("anyOf")).and_then(Value::as_array);
        match branches.and_then(|b| b.iter().find(|branch| fits(branch, value, root))) {
            Some(branch) => node = branch,
            None => return node,
        }
    }
    node
}

/// Whether `value` could be an instance of `branch`, judged by type, `const` tags and property names: enough
/// to pick between the branches of the guide schema, which differ by type or by a `kind` tag.
fn fits(branch: &Value, value: &Value, root: &Value) -> bool {
    let branch = match branch.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/")) {
        Some(path) => match root.pointer(&format!("/{path}")) {
            Some(target) => target,
            None => return false,
        },
        None => branch,
    };
    if let Some(branches) = branch.get("oneOf").or_else(|| branch.get("anyOf")).and_then(Value::as_array) {
        return branches.iter().any(|b| fits(b, value, root));
    }
    if let Some(kind) = branch.get("type").and_then(Value::as_str) {
        let matches = match kind {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "number" => value.is_number(),
            "integer" => value.is_i64() || value.is_u64(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => true,
        };
        if !matches {
            return false;
        }
    }
    if let Some(constant) = branch.get("const") {
        return constant == value;
    }
    if let (Value::Object(object), Some(properties)) = (value, branch.get("properties").and_then(Value::as_object)) {
        let closed = branch.get("additionalProperties") == Some(&Value::Bool(false));
        for (key, v) in object {
            match properties.get(key) {
                Some(property) => {
                    if let Some(constant) = property.get("const")
                        && constant != v
                    {
                        return false;
                    }
                }
                None if closed => return false,
                None => {}
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::canonical;
    use serde_json::json;

    #[test]
    fn tagged_branches_get_their_own_order() {
        let value = json!({"metadata": {"authors": [
            {"given": "Ada", "family": "Lovelace", "kind": "person"},
            {"name": "Team", "kind": "organization"}
        ]}});
        let text = canonical(&value);
        let person = text.find("\"kind\": \"person\"").expect("kept");
        assert!(person < text.find("\"family\"").expect("kept"), "{text}");
        assert!(text.find("\"family\"").expect("kept") < text.find("\"given\"").expect("kept"), "{text}");
        assert!(text.find("\"kind\": \"organization\"").expect("kept") < text.find("\"name\"").expect("kept"));
    }

    #[test]
    fn unknown_keys_and_extensions_keep_their_order() {
        let value = json!({"extensions": {"z:b": {"y": 1, "x": 2}, "a:a": 1}, "zzz": 1, "schema_version": "1.0"});
        let text = canonical(&value);
        let expected = "{\n  \"schema_version\": \"1.0\",\n  \"extensions\": {\n    \"z:b\": {\n      \"y\": 1,\n      \"x\": 2\n    },\n    \"a:a\": 1\n  },\n  \"zzz\": 1\n}\n";
        assert_eq!(text, expected);
    }
}
