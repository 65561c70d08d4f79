//! `guidekit build`: validate, render, and write one folder per guide, atomically.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use guidekit_render::{Format, IndexEntry, IndexPage, OutputFile, RenderOptions, Renderer};
use guidekit_validate::FailOn;

use crate::args::{BuildArgs, BuildFormat};
use crate::inputs::GuideFiles;
use crate::manifest::{self, Entry, Header, Previous, Settings, Written};
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
    /// The last build, when its guides may be reused (same settings, no `--force`).
    reusable: Option<&'a Previous>,
}

pub fn run(args: BuildArgs) -> Result<ExitCode> {
    let files = crate::inputs::guide_list(&args.paths)?;
    check_out_dir(&args.out, &args.paths)?;
    let paged = crate::pdf::Paged::from_args(&args)?;
    // Folder names come from every input, also in a shard, so that every shard names a guide alike.
    let folders = FolderNames::new(&files)?;
    for &(first, second, ref base) in &folders.clashes {
        eprintln!(
            "warning: `{}` and `{}` both map to the folder `{base}`; the second is written to `{}`",
            files.get(first).display(),
            files.get(second).display(),
            folders.name(&files, second)
        );
    }
    // The inputs this build works on, by number among all of them: every one, or its shard's.
    let selected: Option<Vec<u32>> = args.shard.map(|shard| {
        (0..files.len())
            .filter(|&i| manifest::shard_of(&folders.name(&files, i), shard.n) == shard.k - 1)
            .map(|i| i as u32)
            .collect()
    });
    let count = selected.as_ref().map_or(files.len(), Vec::len);
    let input_of = |i: usize| selected.as_ref().map_or(i, |selected| selected[i] as usize);
    let configs = Configs::load(&files, args.config.as_deref())?;

    let out = OutDir::open(&args.out)?;
    let stale = out.remove_stale()?;
    if stale > 0 {
        eprintln!("removed {stale} temporary file{} left by an interrupted build", plural(stale));
    }
    let formats = formats(&args.format);
    let renderer = Renderer::new(RenderOptions {
        templates: args.templates.clone(),
        diagrams: args.diagrams.into(),
        style: args.style.map(Into::into),
    })
    .context("cannot load the templates")?;
    let settings = Settings {
        guidekit: manifest::guidekit_identity(),
        formats: formats.iter().map(|f| format_name(*f).to_owned()).chain(paged.manifest_names()).collect(),
        diagrams: format!("{:?}", args.diagrams).to_lowercase(),
        style: args.style.map(|s| guidekit_model::CitationStyle::from(s).name().to_owned()),
        deny_warnings: args.deny.is_some(),
        index_page: args.index_page,
        templates: args.templates.as_deref().map(manifest::hash_folder).transpose()?,
    };
    let previous = Previous::open(&args.out);
    let job = Job {
        renderer: &renderer,
        formats: &formats,
        paged: &paged,
        out: &out,
        out_path: &args.out,
        configs: &configs,
        fail_on: if args.deny.is_some() { FailOn::Warnings } else { FailOn::Errors },
        reusable: previous.as_ref().filter(|p| !args.force && p.header.settings == settings),
    };
    // The manifest is written as the guides are done, a line each, so that nothing of them is kept.
    let mut manifest = manifest::Writer::create(&out, &Header::new(settings, args.shard.map(|s| s.to_string())))?;

    let human = Human::for_stderr();
    let progress = progress_bar(count);
    let (mut built, mut unchanged, mut failed) = (0usize, 0usize, 0usize);
    let streamed = crate::stream::ordered(
        count,
        crate::stream::jobs(args.jobs),
        |i| {
            let input = input_of(i);
            build_one(&job, input, &files.get(input), &folders.name(&files, input))
        },
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
                    manifest.add(&entry)?;
                }
                Outcome::Unchanged(entry) => {
                    unchanged += 1;
                    manifest.add(&entry)?;
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
    );
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let written = manifest.finish()?;
    if let Err(error) = streamed {
        let _ = written.discard(&out);
        return Err(error);
    }
    finish_site(&out, &renderer, &formats, previous.as_ref(), args.index_page, written)?;
    let mut summary =
        format!("{} of {count} guide{} built into {}", built + unchanged, plural(count), args.out.display());
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
/// input is gone, or no longer valid), writes the index a page at a time and the manifest, each only where
/// it changed, and removes index pages past the last (a catalog that shrank).
pub fn finish_site(
    out: &OutDir,
    renderer: &Renderer,
    formats: &[Format],
    previous: Option<&Previous>,
    index_page: u32,
    mut written: Written,
) -> Result<()> {
    let index_page = usize::try_from(index_page).unwrap_or(usize::MAX).max(1);
    let mut current = Vec::with_capacity(usize::try_from(written.count).unwrap_or(0));
    for entry in written.entries()? {
        current.push(manifest::short_hash(&entry?.dir));
    }
    current.sort_unstable();
    if let Some(previous) = previous {
        for entry in previous.entries() {
            let entry = entry?;
            // A folder whose name hashes like a current one is kept: a (vanishingly rare) collision keeps a
            // stale folder, never removes a live one.
            if current.binary_search(&manifest::short_hash(&entry.dir)).is_err() {
                out.remove_folder(&entry.dir)?;
            }
        }
    }
    drop(current);
    let count = usize::try_from(written.count).unwrap_or(usize::MAX);
    let pages = count.div_ceil(index_page);
    let publish_page = |page: &mut Vec<IndexEntry>, number: usize| -> Result<()> {
        let files = renderer
            .render_index_page(page, IndexPage { number, count: pages }, formats)
            .context("cannot render the index")?;
        page.clear();
        publish_changed(out, files)
    };
    let mut page = Vec::with_capacity(index_page.min(count));
    let mut number = 0;
    for entry in written.entries()? {
        page.push(entry?.index_entry());
        if page.len() == index_page {
            number += 1;
            publish_page(&mut page, number)?;
        }
    }
    if !page.is_empty() {
        number += 1;
        publish_page(&mut page, number)?;
    }
    for format in formats {
        let extension = format_name(*format);
        let mut number = pages.max(1) + 1;
        while out.remove_file(&IndexPage { number, count: 0 }.file_name(extension))? {
            number += 1;
        }
    }
    written.install(out, previous)
}

/// Writes the files whose bytes differ from what is there, so that a no-op build writes nothing. What is
/// there is read only if it is a plain file (never through a planted link).
fn publish_changed(out: &OutDir, mut files: Vec<OutputFile>) -> Result<()> {
    files.retain(|f| {
        let path = out.path().join(&f.path);
        let plain = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
        !plain || std::fs::read(&path).ok().as_deref() != Some(f.contents.as_slice())
    });
    out.publish_files(&files)
}

fn build_one(job: &Job<'_>, position: usize, file: &Path, dir: &str) -> Done {
    let config = job.configs.of(position);
    let bytes = match crate::inputs::read_guide(file, config.limits.max_bytes) {
        crate::inputs::Read::Bytes(bytes) => bytes,
        crate::inputs::Read::Problem(problem) => {
            return Done { checked: Some(validate::unreadable(file, &problem, config)), outcome: Outcome::Invalid };
        }
    };
    let input = file.display().to_string();
    let hash = manifest::hash(&[&bytes, job.configs.hash_of(position).as_bytes()]);
    if let Some(mut entry) = job.reusable.and_then(|previous| previous.entry(&input)) {
        let folder = std::fs::symlink_metadata(job.out_path.join(dir));
        if entry.hash == hash && entry.dir == dir && folder.is_ok_and(|m| m.is_dir()) {
            entry.position = position as u64;
            return Done { checked: None, outcome: Outcome::Unchanged(entry) };
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
                        position: position as u64,
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

/// The folder of each guide: its file stem made safe ([`sanitize`]), unique (a clash gets `-2`, `-3`, ...,
/// in input order). Only the renamed guides' names are stored; the others are computed again when needed,
/// so that a catalog's names cost a few bytes a guide.
struct FolderNames {
    renamed: HashMap<u32, String>,
    /// Clashes to report: the guide that took the name first, the one renamed, and the name.
    clashes: Vec<(usize, usize, String)>,
}

impl FolderNames {
    fn new(files: &GuideFiles) -> Result<FolderNames> {
        let mut names = FolderNames { renamed: HashMap::new(), clashes: Vec::new() };
        // Each name taken, by a 64-bit hash, with the guide that took it; names whose hash another name
        // already has go to `collided`, so that a match is always exact.
        let mut taken: HashMap<u64, u32> = HashMap::with_capacity(files.len());
        let mut collided: Vec<(String, u32)> = Vec::new();
        let owner = |name: &str, names: &FolderNames, taken: &HashMap<u64, u32>, collided: &[(String, u32)]| {
            taken
                .get(&manifest::short_hash(name))
                .copied()
                .filter(|&j| names.name(files, j as usize) == name)
                .or_else(|| collided.iter().find(|(other, _)| other == name).map(|&(_, j)| j))
        };
        for i in 0..files.len() {
            let index = u32::try_from(i).context("too many guides")?;
            let base = sanitize(&files.stem(i));
            let mut name = base.clone();
            let mut n = 2;
            while owner(&name, &names, &taken, &collided).is_some() {
                name = format!("{base}-{n}");
                n += 1;
            }
            if name != base {
                if let Some(first) = owner(&base, &names, &taken, &collided) {
                    names.clashes.push((first as usize, i, base.clone()));
                }
                names.renamed.insert(index, name.clone());
            }
            match taken.entry(manifest::short_hash(&name)) {
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(index);
                }
                std::collections::hash_map::Entry::Occupied(_) => collided.push((name, index)),
            }
        }
        Ok(names)
    }

    /// The folder of guide number `i`.
    fn name(&self, files: &GuideFiles, i: usize) -> String {
        match self.renamed.get(&(i as u32)) {
            Some(name) => name.clone(),
            None => sanitize(&files.stem(i)),
        }
    }
}

/// The folder of each of `files` (a few, as `serve` watches them), as `build` names them.
pub(crate) fn folder_names(files: &[PathBuf]) -> Result<Vec<String>> {
    let list = crate::inputs::GuideFiles::from_paths(files)?;
    let names = FolderNames::new(&list)?;
    Ok((0..list.len()).map(|i| names.name(&list, i)).collect())
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
        assert_eq!(sanitize(&"a".repeat(300)).len(), MAX_FOLDER_NAME);
        let dir = std::env::temp_dir().join(format!("guidekit-folder-names-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut paths = Vec::new();
        for (folder, name) in [("a", "x.json"), ("b", "x.json"), ("c", "X.json"), ("d", "x-2.json")] {
            std::fs::create_dir_all(dir.join(folder)).expect("temp folder");
            std::fs::write(dir.join(folder).join(name), "{}").expect("temp file");
            paths.push(dir.join(folder).join(name));
        }
        let files = crate::inputs::guide_list(&paths).expect("files");
        let names = FolderNames::new(&files).expect("names");
        let all: Vec<String> = (0..files.len()).map(|i| names.name(&files, i)).collect();
        // `d/x-2.json` finds its own name taken by the renamed `b/x.json`.
        assert_eq!(all, ["x", "x-2", "x-3", "x-2-2"]);
        assert_eq!(names.clashes.len(), 3);
        assert_eq!((names.clashes[1].0, names.clashes[1].1, names.clashes[1].2.as_str()), (0, 2, "x"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
