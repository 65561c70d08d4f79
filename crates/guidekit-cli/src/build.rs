//! `guidekit build`: validate, render, and write one folder per guide, atomically.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use guidekit_render::{DiagramEngine, Format, IndexEntry, RenderOptions, Renderer};
use guidekit_validate::FailOn;
use rayon::prelude::*;

use crate::args::{BuildArgs, BuildFormat, Diagrams};
use crate::out_dir::OutDir;
use crate::report::{self, Checked};

/// One guide's fate.
enum Outcome {
    Built { dir: String, entry: IndexEntry },
    Invalid,
    Failed(String),
}

pub fn run(args: BuildArgs) -> Result<ExitCode> {
    let files = crate::inputs::guide_files(&args.paths)?;
    check_out_dir(&args.out, &args.paths)?;
    let out = OutDir::open(&args.out)?;
    let stale = out.remove_stale()?;
    if stale > 0 {
        eprintln!("removed {stale} temporary file{} left by an interrupted build", plural(stale));
    }
    // The renderer writes each format once, however often it is named.
    let formats: Vec<Format> = args
        .format
        .iter()
        .map(|f| match f {
            BuildFormat::Html => Format::Html,
            BuildFormat::Md => Format::Markdown,
        })
        .collect();
    let renderer = Renderer::new(RenderOptions {
        templates: args.templates.clone(),
        diagrams: match args.diagrams {
            Diagrams::Embedded => DiagramEngine::Embedded,
            Diagrams::Graphviz => DiagramEngine::Graphviz,
            Diagrams::Auto => DiagramEngine::Auto,
        },
    })
    .context("cannot load the templates")?;
    let (dirs, clashes) = folder_names(&files);
    for (first, second, dir) in &clashes {
        eprintln!(
            "warning: `{}` and `{}` both map to the folder `{dir}`; the second is written to `{}`",
            first.display(),
            second.display(),
            dirs[files.iter().position(|f| f == second).unwrap_or_default()]
        );
    }
    let checked = crate::read_and_validate(&files, args.config.as_deref())?;
    let deny_warnings = args.deny.is_some();

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let progress = progress_bar(files.len());
    let outcomes: Vec<Outcome> = pool.install(|| {
        checked
            .par_iter()
            .zip(dirs.par_iter())
            .map(|(c, dir)| {
                let outcome = build_one(c, dir, &renderer, &formats, &out, deny_warnings);
                let status = match &outcome {
                    Outcome::Built { .. } => "built",
                    Outcome::Invalid => "not built (invalid)",
                    Outcome::Failed(_) => "failed",
                };
                match &progress {
                    Some(bar) => bar.inc(1),
                    None => eprintln!("{status}: {}", c.report.name),
                }
                outcome
            })
            .collect()
    });
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }

    report::human(&checked, std::io::stderr().lock())?;
    let mut entries = Vec::new();
    let mut failed = 0;
    for (outcome, c) in outcomes.into_iter().zip(&checked) {
        match outcome {
            Outcome::Built { dir, entry } => {
                eprintln!("built {} -> {}", c.report.name, args.out.join(&dir).display());
                entries.push(entry);
            }
            Outcome::Invalid => {
                failed += 1;
                eprintln!("error: `{}` is invalid and was not built", c.report.name);
            }
            Outcome::Failed(message) => {
                failed += 1;
                eprintln!("error: cannot build `{}`: {message}", c.report.name);
            }
        }
    }
    entries.sort_by(|a, b| a.dir.cmp(&b.dir));
    if !entries.is_empty() {
        let index = renderer.render_index(&entries, &formats).context("cannot render the index")?;
        out.publish_files(&index)?;
    }
    eprintln!("{} of {} guide{} built into {}", entries.len(), files.len(), plural(files.len()), args.out.display());
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn build_one(c: &Checked, dir: &str, renderer: &Renderer, formats: &[Format], out: &OutDir, deny: bool) -> Outcome {
    let blocked = c.report.fails(if deny { FailOn::Warnings } else { FailOn::Errors });
    let Some(guide) = c.report.guide.as_ref().filter(|_| !blocked) else { return Outcome::Invalid };
    let files = match renderer.render(guide, formats) {
        Ok(files) => files,
        Err(error) => return Outcome::Failed(error.to_string()),
    };
    if let Err(error) = out.publish_folder(dir, &files) {
        return Outcome::Failed(format!("{error:#}"));
    }
    Outcome::Built {
        dir: dir.to_owned(),
        entry: IndexEntry {
            dir: dir.to_owned(),
            title: guide.metadata.title.to_string(),
            compound: guide.compound.subject.name.to_string(),
            published: guide.metadata.published.to_string(),
        },
    }
}

/// An absolute, lexically normalised path (the output folder may not exist yet, so no canonicalize).
fn absolute(path: &Path) -> Result<PathBuf> {
    let base =
        if path.is_absolute() { PathBuf::new() } else { std::env::current_dir().context("no current directory")? };
    let mut out = PathBuf::new();
    for component in base.join(path).components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve symlinks in the part that exists, so `out` and inputs compare as the same file system paths.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(ToOwned::to_owned), existing.parent().map(Path::to_path_buf)) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    Ok(resolved)
}

/// Refuses an output folder that is, or contains, an input directory (a build would write into its inputs,
/// or a later build would read its outputs).
fn check_out_dir(out: &Path, inputs: &[PathBuf]) -> Result<()> {
    let out_abs = absolute(out)?;
    if out_abs.is_file() {
        bail!("--out `{}` is a file", out.display());
    }
    for input in inputs {
        let input_abs = absolute(input)?;
        let input_dir =
            if input_abs.is_dir() { input_abs } else { input_abs.parent().map(Path::to_path_buf).unwrap_or_default() };
        if input_dir.starts_with(&out_abs) {
            bail!(
                "--out `{}` is or contains the input directory `{}`: choose an output folder outside the guides",
                out.display(),
                input_dir.display()
            );
        }
    }
    Ok(())
}

/// Two guides whose file names map to one folder: the first, the second, and the folder name.
type Clash = (PathBuf, PathBuf, String);

/// A folder name per guide from its file stem: lowercase ASCII letters, digits, `-` and `_`, at most
/// [`MAX_FOLDER_NAME`] bytes, unique (a clash gets `-2`, `-3`, ... and is returned so it can be reported).
fn folder_names(files: &[PathBuf]) -> (Vec<String>, Vec<Clash>) {
    let mut taken: BTreeMap<String, &PathBuf> = BTreeMap::new();
    let mut clashes = Vec::new();
    let names = files
        .iter()
        .map(|file| {
            let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let base = sanitize(&stem);
            let mut name = base.clone();
            let mut n = 2;
            while taken.contains_key(&name) {
                name = format!("{base}-{n}");
                n += 1;
            }
            if let Some(first) = taken.get(&base).filter(|_| name != base) {
                clashes.push(((*first).clone(), file.clone(), base.clone()));
            }
            taken.insert(name.clone(), file);
            name
        })
        .collect();
    (names, clashes)
}

/// Folder names are cut to this many bytes, well under every file system's limit of 255 with room for
/// a `-N` suffix.
const MAX_FOLDER_NAME: usize = 100;

/// Turns a file stem into a safe folder name: never empty, never `.` or `..`, no separators.
pub fn sanitize(stem: &str) -> String {
    let mut name = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    let mut name = name.trim_matches('-').to_owned();
    name.truncate(MAX_FOLDER_NAME);
    let name = name.trim_end_matches('-').to_owned();
    // Names of guidekit's own temporary files and lock are never a guide's folder (they start with a dot,
    // which `sanitize` never writes, but the rule is stated here for the reader).
    if name.is_empty() { "guide".to_owned() } else { name }
}

fn progress_bar(len: usize) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} guides")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_safe_and_unique() {
        assert_eq!(sanitize("Aniracetam Guide (v2)"), "aniracetam-guide-v2");
        assert_eq!(sanitize(".."), "guide");
        assert_eq!(sanitize("../../etc/passwd"), "etc-passwd");
        let (names, clashes) =
            folder_names(&[PathBuf::from("a/x.json"), PathBuf::from("b/x.json"), PathBuf::from("c/X.json")]);
        assert_eq!(names, ["x", "x-2", "x-3"]);
        assert_eq!(clashes.len(), 2);
        assert_eq!(clashes[1], (PathBuf::from("a/x.json"), PathBuf::from("c/X.json"), "x".to_owned()));
        assert_eq!(sanitize(&"a".repeat(300)).len(), MAX_FOLDER_NAME);
    }
}
