//! `cargo xtask guides`: every bundled guide, end to end — formatted (`guidekit fmt --check`), validated
//! with zero errors and built to HTML and Markdown in `target/guides` by the real `guidekit` binary.

use anyhow::Result;

pub fn run() -> Result<()> {
    let out = crate::root().join("target/guides");
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    let out = out.display().to_string();
    let guidekit = crate::guidekit_debug()?;
    // Formatted first: a guide that is not fails here with its name, and `guidekit fmt guides` fixes it.
    crate::run(&guidekit, &["fmt", "--check", "guides"])?;
    crate::run(&guidekit, &["validate", "guides"])?;
    crate::run(&guidekit, &["build", "guides", "--out", &out])?;
    eprintln!("bundled guides built into {out}");
    Ok(())
}
