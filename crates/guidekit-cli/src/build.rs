//! `guidekit build`: validate, render, and write one folder per guide, atomically.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use guidekit_render::{DiagramEngine, Format, IndexEntry, OutputFile, RenderOptions, Renderer};
use guidekit_validate::FailOn;

use crate::args::{BuildArgs, BuildFormat, Diagrams};
use crate::manifest::{self, Entry, MANIFEST_NAME, Manifest, Settings};
use crate::out_dir::OutDir;
use crate::report::{Checked, Human};
use crate::validate::{self, Configs};

/// One guide's fate.
enum Outcome {
    /// Built now.
    Built(Entry),
    /// Its input, configuration and settings are those of the last build, whose folder is still there.
    Unchanged(Entry),
    Invalid,
    Failed(String),
}

/// What a worker hands back for one guide: its report (none when it was unchanged) and its fate.
struct Done {
    checked: Option<Checked>,
    outcome: Outcome,
}

/// Everything a worker needs, shared by all of them.
struct Job<'a> {
    renderer: &'a Renderer,
    formats: &'a [Format],
    /// `guide.typ` and `guide.pdf`, when asked for (`crate::pdf`).
    paged: &'a crate::pdf::Paged,
    out: &'a OutDir,
    out_path: &'a Path,
    configs: &'a Configs,
    fail_on: FailOn,
    /// Last build's entries that may be reused, by input.
    reusable: HashMap<&'a str, &'a Entry>,
}

pub fn run(args: BuildArgs) -> Result<ExitCode> {
    let all_files = crate::inputs::guide_files(&args.paths)?;
    check_out_dir(&args.out, &args.paths)?;
    let paged = crate::pdf::Paged::from_args(&args)?;
    // Folder names come from every input, also in a shard, so that every shard names a guide alike.
    let (all_dirs, clashes) = folder_names(&all_files);
    for (first, second, dir) in &clashes {
        eprintln!(
            "warning: `{}` and `{}` both map to the folder `{dir}`; the second is written to `{}`",
            first.display(),
            second.display(),
            all_dirs[all_files.iter().position(|f| f == second).unwrap_or_default()]
        );
    }
    let (files, dirs): (Vec<PathBuf>, Vec<String>) = all_files
        .into_iter()
        .zip(all_dirs)
        .filter(|(_, dir)| args.shard.is_none_or(|s| manifest::shard_of(dir, s.n) == s.k - 1))
        .unzip();
    let configs = Configs::load(&files, args.config.as_deref())?;

    let out = OutDir::open(&args.out)?;
    let stale = out.remove_stale()?;
    if stale > 0 {
        eprintln!("removed {stale} temporary file{} left by an interrupted build", plural(stale));
    }
    let formats = formats(&args.format);
    let renderer = Renderer::new(RenderOptions {
        templates: args.templates.clone(),
        diagrams: match args.diagrams {
            Diagrams::Embedded => DiagramEngine::Embedded,
            Diagrams::Graphviz => DiagramEngine::Graphviz,
            Diagrams::Auto => DiagramEngine::Auto,
        },
    })
    .context("cannot load the templates")?;
    let settings = Settings {
        guidekit: manifest::guidekit_identity(),
        formats: formats.iter().map(|f| format_name(*f).to_owned()).chain(paged.manifest_names()).collect(),
        diagrams: format!("{:?}", args.diagrams).to_lowercase(),
        deny_warnings: args.deny.is_some(),
        templates: args.templates.as_deref().map(manifest::hash_folder).transpose()?,
    };
    let previous = Manifest::read(&args.out);
    let reusable = match &previous {
        Some(previous) if !args.force && previous.settings == settings => {
            previous.guides.iter().map(|e| (e.input.as_str(), e)).collect()
        }
        _ => HashMap::new(),
    };
    let job = Job {
        renderer: &renderer,
        formats: &formats,
        paged: &paged,
        out: &out,
        out_path: &args.out,
        configs: &configs,
        fail_on: if args.deny.is_some() { FailOn::Warnings } else { FailOn::Errors },
        reusable,
    };

    let items: Vec<(&PathBuf, &String)> = files.iter().zip(&dirs).collect();
    let human = Human::for_stderr();
    let progress = progress_bar(items.len());
    let mut entries = Vec::new();
    let (mut built, mut unchanged, mut failed) = (0usize, 0usize, 0usize);
    crate::stream::ordered(
        &items,
        crate::stream::jobs(args.jobs),
        |i, (file, dir)| build_one(&job, i, file, dir),
        |_, done| {
            let say = |line: String| match &progress {
                Some(bar) => bar.suspend(|| eprintln!("{line}")),
                None => eprintln!("{line}"),
            };
            if let Some(checked) = &done.checked
                && !checked.report.diagnostics.is_empty()
            {
                let mut text = Vec::new();
                human.write(checked, &mut text)?;
                say(String::from_utf8_lossy(&text).trim_end().to_owned() + "\n");
            } else if let Outcome::Unchanged(entry) = &done.outcome
                && !entry.warnings.is_empty()
            {
                say(entry.warnings.clone());
            }
            let name = || done.checked.as_ref().map_or_else(String::new, |c| c.report.name.clone());
            match done.outcome {
                Outcome::Built(entry) => {
                    built += 1;
                    if progress.is_none() {
                        say(format!("built {} -> {}", entry.input, args.out.join(&entry.dir).display()));
                    }
                    entries.push(entry);
                }
                Outcome::Unchanged(entry) => {
                    unchanged += 1;
                    entries.push(entry);
                }
                Outcome::Invalid => {
                    failed += 1;
                    say(format!("error: `{}` is invalid and was not built", name()));
                }
                Outcome::Failed(message) => {
                    failed += 1;
                    say(format!("error: cannot build `{}`: {message}", name()));
                }
            }
            if let Some(bar) = &progress {
                bar.inc(1);
            }
            Ok(())
        },
    )?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }

    let manifest = Manifest::new(settings, args.shard.map(|s| s.to_string()), entries);
    finish_site(&out, &renderer, &formats, previous.as_ref(), &manifest)?;
    let mut summary = format!(
        "{} of {} guide{} built into {}",
        built + unchanged,
        files.len(),
        plural(files.len()),
        args.out.display()
    );
    if unchanged > 0 {
        summary.push_str(&format!(" ({unchanged} unchanged since the last build)"));
    }
    if let Some(shard) = args.shard {
        summary.push_str(&format!(" (shard {shard})"));
    }
    eprintln!("{summary}");
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// After the guides: removes the folders of guides that the last build made and this one did not (their
/// input is gone, or no longer valid), then writes the index and the manifest where they changed.
pub fn finish_site(
    out: &OutDir,
    renderer: &Renderer,
    formats: &[Format],
    previous: Option<&Manifest>,
    manifest: &Manifest,
) -> Result<()> {
    let current: HashSet<&str> = manifest.guides.iter().map(|e| e.dir.as_str()).collect();
    for gone in previous.into_iter().flat_map(|p| &p.guides).filter(|e| !current.contains(e.dir.as_str())) {
        out.remove_folder(&gone.dir)?;
    }
    let mut files = Vec::new();
    if !manifest.guides.is_empty() {
        let entries: Vec<IndexEntry> = manifest.guides.iter().map(Entry::index_entry).collect();
        files = renderer.render_index(&entries, formats).context("cannot render the index")?;
    }
    files.push(OutputFile { path: PathBuf::from(MANIFEST_NAME), contents: manifest.to_bytes() });
    // An unchanged file is not written again, so a no-op build writes nothing. What is there is read only if
    // it is a plain file (never through a planted link).
    files.retain(|f| {
        let path = out.path().join(&f.path);
        let plain = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
        !plain || std::fs::read(&path).ok().as_deref() != Some(f.contents.as_slice())
    });
    out.publish_files(&files)
}

fn build_one(job: &Job<'_>, i: usize, file: &Path, dir: &str) -> Done {
    let config = job.configs.of(i);
    let bytes = match crate::inputs::read_guide(file, config.limits.max_bytes) {
        crate::inputs::Read::Bytes(bytes) => bytes,
        crate::inputs::Read::Problem(problem) => {
            return Done { checked: Some(validate::unreadable(file, &problem, config)), outcome: Outcome::Invalid };
        }
    };
    let input = file.display().to_string();
    let hash = manifest::hash(&[&bytes, job.configs.hash_of(i).as_bytes()]);
    if let Some(entry) = job.reusable.get(input.as_str()) {
        let folder = std::fs::symlink_metadata(job.out_path.join(dir));
        if entry.hash == hash && entry.dir == dir && folder.is_ok_and(|m| m.is_dir()) {
            return Done { checked: None, outcome: Outcome::Unchanged((*entry).clone()) };
        }
    }
    let mut checked = validate::check_bytes(file, &bytes, config);
    drop(bytes);
    let guide = checked.report.guide.take();
    let outcome = match guide.filter(|_| !checked.report.fails(job.fail_on)) {
        None => Outcome::Invalid,
        Some(guide) => {
            match job.renderer.render(&guide, job.formats).map_err(|e| e.to_string()).and_then(|mut files| {
                job.paged.add(job.renderer, &guide, &mut files)?;
                Ok(files)
            }) {
                Err(error) => Outcome::Failed(error),
                Ok(files) => match job.out.publish_folder(dir, &files) {
                    Err(error) => Outcome::Failed(format!("{error:#}")),
                    Ok(()) => Outcome::Built(Entry {
                        input,
                        hash,
                        warnings: plain_report(&checked),
                        dir: dir.to_owned(),
                        title: guide.metadata.title.to_string(),
                        compound: guide.compound.subject.name.to_string(),
                        published: guide.metadata.published.to_string(),
                    }),
                },
            }
        }
    };
    Done { checked: Some(checked), outcome }
}

/// A built guide's diagnostics (warnings only, or it would not have been built) as plain text, for the
/// manifest.
fn plain_report(checked: &Checked) -> String {
    if checked.report.diagnostics.is_empty() {
        return String::new();
    }
    let mut text = Vec::new();
    let _ = Human::plain().write(checked, &mut text);
    String::from_utf8_lossy(&text).trim_end().to_owned() + "\n"
}

/// The renderer's formats, each once, in the order asked.
pub fn formats(asked: &[BuildFormat]) -> Vec<Format> {
    let mut formats = Vec::new();
    for format in asked {
        let format = match format {
            BuildFormat::Html => Format::Html,
            BuildFormat::Md => Format::Markdown,
            BuildFormat::Typst | BuildFormat::Pdf => continue,
        };
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    formats
}

/// A format's name in the manifest.
pub fn format_name(format: Format) -> &'static str {
    match format {
        Format::Html => "html",
        Format::Markdown => "md",
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
