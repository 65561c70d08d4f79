//! `cargo xtask codegen [--check]`: the committed generated files — the guide JSON Schema (from the model),
//! the view JSON Schema (from the render crate's view types) and the rules reference (from the validator's
//! rule registry).

use anyhow::{Context, Result, bail};

/// Each generated file, relative to the workspace root, with its contents and what it is generated from.
fn generated() -> [(&'static str, String, &'static str); 3] {
    [
        ("schemas/guide.schema.json", guidekit_model::schema_json(), "the model types"),
        ("schemas/view.schema.json", guidekit_render::view::view_schema_json(), "the render crate's view types"),
        (
            "docs/rules.md",
            guidekit_validate::rules::reference_markdown(),
            "the rules in crates/guidekit-validate/src/rules",
        ),
    ]
}

pub fn run(check: bool) -> Result<()> {
    let mut stale = Vec::new();
    for (relative, contents, source) in generated() {
        let path = crate::root().join(relative);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed == contents {
            eprintln!("{relative} is up to date");
            continue;
        }
        if check {
            stale.push(format!("{relative} is out of date with {source}"));
            continue;
        }
        // Write beside and rename, so an interrupted run never leaves half a file.
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let temporary = path.with_extension("tmp");
        std::fs::write(&temporary, &contents).with_context(|| format!("cannot write {}", temporary.display()))?;
        std::fs::rename(&temporary, &path).with_context(|| format!("cannot replace {}", path.display()))?;
        eprintln!("wrote {relative}");
    }
    if !stale.is_empty() {
        bail!("{}: run `cargo xtask codegen` and commit the result", stale.join("; "));
    }
    Ok(())
}
