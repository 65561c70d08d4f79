//! `cargo xtask guides`: every bundled guide, end to end.

use anyhow::{Context, Result, bail};

pub fn run() -> Result<()> {
    let dir = crate::root().join("guides");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no guides in {}", dir.display());
    }
    let mut failed = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let name = file.strip_prefix(crate::root()).unwrap_or(file).display().to_string();
        let report = guidekit_validate::validate(&bytes, &name);
        for d in &report.diagnostics {
            let at = d.span.map(|s| format!(":{}:{}", s.line, s.column)).unwrap_or_default();
            eprintln!("{}[{}]: {} --> {name}{at}", d.severity.as_str(), d.code, d.message);
        }
        if report.has_errors() || report.guide.is_none() {
            failed.push(name);
        } else {
            eprintln!("ok: {name} ({} warning(s))", report.warning_count());
        }
    }
    if !failed.is_empty() {
        bail!("invalid guides: {}", failed.join(", "));
    }
    Ok(())
}
