//! `cargo xtask codegen [--check]`: the committed JSON Schemas, generated from the types they describe.

use anyhow::{Context, Result, bail};

/// Each generated file, relative to the workspace root, with what generates it and what it describes.
fn generated() -> [(&'static str, String, &'static str); 2] {
    [
        ("schemas/guide.schema.json", guidekit_model::schema_json(), "the model types"),
        ("schemas/view.schema.json", guidekit_render::view::view_schema_json(), "the render crate's view types"),
    ]
}

pub fn run(check: bool) -> Result<()> {
    let mut stale = Vec::new();
    for (relative, generated, source) in generated() {
        let path = crate::root().join(relative);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed == generated {
            eprintln!("{relative} is up to date");
            continue;
        }
        if check {
            stale.push(format!("{relative} is out of date with {source}"));
            continue;
        }
        // Write beside and rename, so an interrupted run never leaves half a schema.
        let temporary = path.with_extension("json.tmp");
        std::fs::write(&temporary, &generated).with_context(|| format!("cannot write {}", temporary.display()))?;
        std::fs::rename(&temporary, &path).with_context(|| format!("cannot replace {}", path.display()))?;
        eprintln!("wrote {relative}");
    }
    if !stale.is_empty() {
        bail!("{}: run `cargo xtask codegen` and commit the result", stale.join("; "));
    }
    Ok(())
}
