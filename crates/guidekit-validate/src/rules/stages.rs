//! The codes of stages 1 and 2, parsing and the schema. They are reported by `parse` and `schema`, not
//! checked here, and cannot be configured: a guide that breaks them cannot be read.

use super::{Rule, Stage};
use crate::Severity::Error;

/// GK001, `invalid-json`.
pub(crate) const INVALID_JSON: Rule = Rule {
    code: "GK001",
    name: "invalid-json",
    severity: Error,
    stage: Stage::Parse,
    explanation: "The file is not valid JSON. The message says what the JSON reader expected at the position shown; common causes are a missing comma between two items, a comma after the last item, a key without double quotes, or a file cut short.",
    example: r#"{
  "schema_version": "1.0",
  "metadata": {}
  "compound": {}
}"#,
    check: None,
};

/// GK002, `duplicate-key`.
pub(crate) const DUPLICATE_KEY: Rule = Rule {
    code: "GK002",
    name: "duplicate-key",
    severity: Error,
    stage: Stage::Parse,
    explanation: "An object has the same key twice. JSON readers keep only one of the two values (most keep the last) without saying so, so one of the two is silently lost. Remove one, or merge them.",
    example: r#"{
  "schema_version": "1.0",
  "schema_version": "1.0"
}"#,
    check: None,
};

/// GK003, `invalid-encoding`.
pub(crate) const INVALID_ENCODING: Rule = Rule {
    code: "GK003",
    name: "invalid-encoding",
    severity: Error,
    stage: Stage::Parse,
    explanation: "The file is not UTF-8 text. Guides are UTF-8 (a UTF-8 byte-order mark is accepted). The message gives the offset of the first byte that is not valid UTF-8; re-save the file as UTF-8.",
    example: "",
    check: None,
};

/// GK004, `file-too-large`.
pub(crate) const FILE_TOO_LARGE: Rule = Rule {
    code: "GK004",
    name: "file-too-large",
    severity: Error,
    stage: Stage::Parse,
    explanation: "The file is larger than the size limit (8 MiB by default). A guide is usually tens of kilobytes; a larger file is probably not a guide, or embeds data that belongs elsewhere.",
    example: "",
    check: None,
};

/// GK005, `nesting-too-deep`.
pub(crate) const NESTING_TOO_DEEP: Rule = Rule {
    code: "GK005",
    name: "nesting-too-deep",
    severity: Error,
    stage: Stage::Parse,
    explanation: "Objects and arrays are nested deeper than the limit (64 levels). A guide nests about ten levels deep; a deeper file is probably not a guide, and refusing it protects the tools that read it.",
    example: r#"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"#,
    check: None,
};

/// GK006, `unreadable-input`.
pub(crate) const UNREADABLE_INPUT: Rule = Rule {
    code: "GK006",
    name: "unreadable-input",
    severity: Error,
    stage: Stage::Parse,
    explanation: "The guide could not be read: the path names a FIFO, a device, a socket or a directory rather than a file, or the system refused to read it. guidekit reads only regular files, never waits on a pipe and never reads a device, so that a batch cannot hang or fill memory on one bad path. In a directory, symbolic links and special files are skipped and reported instead.",
    example: "",
    check: None,
};

/// GK007, `inexact-number`.
pub(crate) const INEXACT_NUMBER: Rule = Rule {
    code: "GK007",
    name: "inexact-number",
    severity: Error,
    stage: Stage::Parse,
    explanation: "A number cannot be kept exactly: an integer beyond 2^53 (9007199254740992), a number too large for a 64-bit float, a non-zero number so small that it would become 0, or a decimal with more significant digits than a 64-bit float holds. Programs that read JSON (JavaScript, Python's json, serde_json) would silently change it, so the value a reader sees would not be the value written. Write fewer digits, or write the value as text in a field that takes text.",
    example: r#"{"schema_version": "1.0", "count": 18446744073709551616}"#,
    check: None,
};

/// GK011, `unknown-key`.
pub(crate) const UNKNOWN_KEY: Rule = Rule {
    code: "GK011",
    name: "unknown-key",
    severity: Error,
    stage: Stage::Schema,
    explanation: "An object has a key the guide format does not define. Unknown keys are rejected so that a misspelt key (`citation` for `citations`) is caught instead of silently ignored. The hint suggests the closest known key. Data the format does not know belongs under the top-level `extensions` object.",
    example: r#"{"schema_version": "1.0", "metadta": {}}"#,
    check: None,
};

/// GK012, `missing-key`.
pub(crate) const MISSING_KEY: Rule = Rule {
    code: "GK012",
    name: "missing-key",
    severity: Error,
    stage: Stage::Schema,
    explanation: "A required key is missing. The hint says what the key holds; `guidekit schema` prints the whole format with a description of every key.",
    example: r#"{"schema_version": "1.0"}"#,
    check: None,
};

/// GK013, `wrong-type`.
pub(crate) const WRONG_TYPE: Rule = Rule {
    code: "GK013",
    name: "wrong-type",
    severity: Error,
    stage: Stage::Schema,
    explanation: "A value has the wrong JSON type: a string where an object is expected, a number written as a string, a single value where a list is expected, and so on.",
    example: "",
    check: None,
};

/// GK014, `unknown-value`.
pub(crate) const UNKNOWN_VALUE: Rule = Rule {
    code: "GK014",
    name: "unknown-value",
    severity: Error,
    stage: Stage::Schema,
    explanation: "A value is not one of those the format allows here (a guide kind, a notice kind, a route, a cell kind, a CSL item type...). The hint lists the allowed values and suggests the closest one.",
    example: "",
    check: None,
};

/// GK015, `invalid-format`.
pub(crate) const INVALID_FORMAT: Rule = Rule {
    code: "GK015",
    name: "invalid-format",
    severity: Error,
    stage: Stage::Schema,
    explanation: "A string does not have the required form: ids are lowercase letters, digits, `_`, `.` and `-`; URLs are absolute http, https or mailto addresses; dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; lines of plain text have no line breaks and at least one visible character.",
    example: "",
    check: None,
};

/// GK016, `item-count`.
pub(crate) const ITEM_COUNT: Rule = Rule {
    code: "GK016",
    name: "item-count",
    severity: Error,
    stage: Stage::Schema,
    explanation: "A list has fewer (or more) items than allowed: sections, tables, rows, columns, protocol steps and authors need at least one item. Leave an optional key out rather than giving it an empty list.",
    example: "",
    check: None,
};

/// GK017, `out-of-range`.
pub(crate) const OUT_OF_RANGE: Rule = Rule {
    code: "GK017",
    name: "out-of-range",
    severity: Error,
    stage: Stage::Schema,
    explanation: "A number is out of range: amounts, doses and durations must be greater than zero, and counts of subjects at least one.",
    example: "",
    check: None,
};

/// GK019, `schema`.
pub(crate) const SCHEMA: Rule = Rule {
    code: "GK019",
    name: "schema",
    severity: Error,
    stage: Stage::Schema,
    explanation: "The guide breaks a constraint of the JSON Schema not covered by a more specific code. The message names the constraint.",
    example: "",
    check: None,
};

/// GK020, `schema-model-disagreement`.
pub(crate) const SCHEMA_MODEL_DISAGREEMENT: Rule = Rule {
    code: "GK020",
    name: "schema-model-disagreement",
    severity: Error,
    stage: Stage::Schema,
    explanation: "The guide passes the JSON Schema but cannot be read into guidekit's data model. The schema is generated from the model, so this is a bug in guidekit; please report it with the guide.",
    example: "",
    check: None,
};
