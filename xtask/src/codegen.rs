//! `cargo xtask codegen [--check]`: the committed JSON Schema, generated from the model.

use anyhow::{Context, Result, bail};

/// Where the schema is committed, relative to the workspace root.
pub const SCHEMA_PATH: &str = "schemas/guide.schema.json";

pub fn run(check: bool) -> Result<()> {
    let path = crate::root().join(SCHEMA_PATH);
    let generated = guidekit_model::schema_json();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed == generated {
        eprintln!("{SCHEMA_PATH} is up to date");
        return Ok(());
    }
    if check {
        bail!("{SCHEMA_PATH} is out of date with the model types: run `cargo xtask codegen` and commit the result");
    }
    // Write beside and rename, so an interrupted run never leaves half a schema.
    let temporary = path.with_extension("json.tmp");
    std::fs::write(&temporary, &generated).with_context(|| format!("cannot write {}", temporary.display()))?;
    std::fs::rename(&temporary, &path).with_context(|| format!("cannot replace {}", path.display()))?;
    eprintln!("wrote {SCHEMA_PATH}");
    Ok(())
}
