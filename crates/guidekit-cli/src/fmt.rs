//! `guidekit fmt`: rewrites guides in their canonical layout (`guidekit_model::format`), atomically, and
//! only when the result reads back as the same JSON value.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use guidekit_validate::rules::{Stage, rule_by_code};
use guidekit_validate::{Config, Severity, output::SourceText};

use crate::inputs;
use crate::report::{Checked, Human};

/// Arguments of `fmt`.
#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Guide files, or directories to search for `*.json` guides.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Change nothing: list the files that are not formatted on stdout and exit 1 if there are any.
    #[arg(long)]
    pub check: bool,
}

/// What formatting one file gave.
enum Outcome {
    /// Already canonical.
    Unchanged,
    /// The canonical text, which differs from the file.
    Changed(String),
    /// The file cannot be read as a guide; its parse and schema errors, to report.
    Refused(Box<Checked>),
}

/// Formats every guide named by `args.paths`. Exit 1 when a file could not be formatted (it is left as it
/// was and its errors are printed) or, under `--check`, when a file is not formatted.
pub fn run(args: FmtArgs) -> Result<ExitCode> {
    let files = inputs::guide_files(&args.paths)?;
    let config = Config::default();
    let mut refused = Vec::new();
    let mut changed = 0;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for file in &files {
        match format_file(file, &config)? {
            Outcome::Unchanged => {}
            Outcome::Changed(text) => {
                changed += 1;
                if args.check {
                    writeln!(out, "{}", file.display())?;
                } else {
                    replace(file, text.as_bytes()).with_context(|| format!("cannot write `{}`", file.display()))?;
                    eprintln!("formatted `{}`", file.display());
                }
            }
            Outcome::Refused(checked) => refused.push(*checked),
        }
    }
    out.flush()?;
    if !refused.is_empty() {
        let human = Human::for_stderr();
        for checked in &refused {
            human.write(checked, std::io::stderr().lock())?;
        }
        for checked in &refused {
            eprintln!("error: `{}` was left as it is: it is not a readable guide", checked.report.name);
        }
    }
    let verb = if args.check { "would reformat" } else { "reformatted" };
    eprintln!("{} file(s) checked, {changed} {verb}, {} left with errors", files.len(), refused.len());
    Ok(if !refused.is_empty() || (args.check && changed > 0) { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The canonical text of `file`, unless it is unreadable or breaks the schema: a guide is only formatted when
/// it can be read, so that formatting never moves keys of a document whose shape is unknown.
fn format_file(file: &Path, config: &Config) -> Result<Outcome> {
    let name = file.display().to_string();
    let bytes = match inputs::read_guide(file, config.limits.max_bytes) {
        inputs::Read::Bytes(bytes) => bytes,
        inputs::Read::Problem(problem) => {
            let report = guidekit_validate::input_problem(&name, &problem, config);
            return Ok(Outcome::Refused(Box::new(Checked { report, source: SourceText::new(&[]) })));
        }
    };
    let mut report = guidekit_validate::validate_with(&bytes, &name, config);
    // Domain findings (a placeholder left, a citation missing) are the author's work in progress; only what
    // stops the file being read as a guide stops formatting.
    report
        .diagnostics
        .retain(|d| d.severity == Severity::Error && rule_by_code(d.code).is_none_or(|r| r.stage != Stage::Domain));
    let value: Option<serde_json::Value> = serde_json::from_slice(&bytes).ok();
    match value {
        Some(value) if report.diagnostics.is_empty() => {
            let text = guidekit_model::format::canonical(&value);
            // Formatting only moves keys and whitespace; read the result back to prove it before writing.
            let same = serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|v| v == value);
            if !same {
                // Cannot happen (only keys move); if it ever does, the file is safer untouched.
                bail!("formatting `{name}` would change its value; it was left as it is (a bug in guidekit)");
            }
            Ok(if text.as_bytes() == bytes.as_slice() { Outcome::Unchanged } else { Outcome::Changed(text) })
        }
        _ => Ok(Outcome::Refused(Box::new(Checked { report, source: SourceText::new(&bytes) }))),
    }
}

/// Replaces `file`'s content with `bytes` atomically: a new file beside it (same folder, so the rename
/// cannot cross file systems), synced, given the old file's permissions, and renamed over it. A reader sees
/// the old text or the new one, never a mix, even after a crash. A symbolic link is replaced at its
/// target, so the link stays.
pub(crate) fn replace(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = std::fs::canonicalize(file)?;
    let permissions = std::fs::metadata(&target)?.permissions();
    let (temp, mut handle) = temporary_beside(&target)?;
    let written = handle
        .write_all(bytes)
        .and_then(|()| handle.sync_all())
        .and_then(|()| std::fs::set_permissions(&temp, permissions))
        .and_then(|()| std::fs::rename(&temp, &target));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// Writes `bytes` to `file`, which must not exist: written aside, then linked into place, so the file
/// appears whole or not at all and an existing file is never replaced, even one created meanwhile.
pub(crate) fn create_new(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let (temp, mut handle) = temporary_beside(file)?;
    let written = handle
        .write_all(bytes)
        .and_then(|()| handle.sync_all())
        // `hard_link` fails when `file` exists: no check-then-write race.
        .and_then(|()| std::fs::hard_link(&temp, file));
    let _ = std::fs::remove_file(&temp);
    written
}

/// A new, exclusively created file next to `file`, hidden and named so that it is recognisably ours.
fn temporary_beside(file: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    let dir = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let stem = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut attempt = 0u32;
    loop {
        let temp = dir.join(format!(".{stem}.guidekit-tmp-{}-{attempt}", std::process::id()));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(handle) => return Ok((temp, handle)),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(error) => return Err(error),
        }
    }
}
