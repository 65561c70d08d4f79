//! `guidekit index`: merge the outputs of `build --shard K/N` into one site, with one index and one manifest,
//! the same bytes as a single build of all the guides.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use guidekit_render::{Format, OutputFile, RenderOptions, Renderer};

use crate::args::IndexArgs;
use crate::manifest::{self, Entry, Manifest};
use crate::out_dir::OutDir;

pub fn run(args: IndexArgs) -> Result<ExitCode> {
    let out_abs = std::path::absolute(&args.out).context("no current directory")?;
    let mut shards = Vec::new();
    for shard in &args.shards {
        let shard_abs = std::path::absolute(shard).context("no current directory")?;
        if shard_abs.starts_with(&out_abs) || out_abs.starts_with(&shard_abs) {
            bail!(
                "--out `{}` overlaps the shard `{}`: write the merged site elsewhere",
                args.out.display(),
                shard.display()
            );
        }
        shards.push((shard.clone(), Manifest::read_required(shard)?));
    }
    let (first_path, first) = &shards[0];
    for (path, manifest) in &shards[1..] {
        if manifest.settings != first.settings {
            bail!(
                "`{}` and `{}` were built with different settings (guidekit binary, formats, diagrams, --deny or \
                 templates); rebuild the shards alike",
                first_path.display(),
                path.display()
            );
        }
    }
    let settings = first.settings.clone();
    let templates = args.templates.as_deref().map(manifest::hash_folder).transpose()?;
    if templates != settings.templates {
        bail!(
            "the shards were built with other templates than {}",
            match &args.templates {
                Some(path) => format!("`{}`", path.display()),
                None => "the built-in ones (pass --templates)".to_owned(),
            }
        );
    }
    // Every folder comes from exactly one shard.
    let mut by_dir: BTreeMap<&str, (&Path, &Entry)> = BTreeMap::new();
    for (path, manifest) in &shards {
        for entry in &manifest.guides {
            if let Some((other, _)) = by_dir.insert(&entry.dir, (path, entry)) {
                bail!("the guide folder `{}` is in both `{}` and `{}`", entry.dir, other.display(), path.display());
            }
        }
    }

    let out = OutDir::open(&args.out)?;
    out.remove_stale()?;
    let previous = Manifest::read(&args.out);
    let copied_before: BTreeMap<&str, &Entry> = previous
        .iter()
        .filter(|p| p.settings == settings)
        .flat_map(|p| &p.guides)
        .map(|e| (e.dir.as_str(), e))
        .collect();
    let mut copied = 0;
    for (dir, (shard, entry)) in &by_dir {
        if copied_before.get(dir).is_some_and(|before| before == entry) && args.out.join(dir).is_dir() {
            continue;
        }
        out.publish_folder(dir, &read_folder(&shard.join(dir))?)?;
        copied += 1;
    }
    let formats: Vec<Format> = settings
        .formats
        .iter()
        .map(|name| match name.as_str() {
            "md" => Ok(Format::Markdown),
            "html" => Ok(Format::Html),
            other => bail!("unknown format `{other}` in a shard manifest"),
        })
        .collect::<Result<_>>()?;
    let renderer = Renderer::new(RenderOptions { templates: args.templates.clone(), ..Default::default() })
        .context("cannot load the templates")?;
    let guides = by_dir.into_values().map(|(_, entry)| entry.clone()).collect();
    let merged = Manifest::new(settings, None, guides);
    crate::build::finish_site(&out, &renderer, &formats, previous.as_ref(), &merged)?;
    eprintln!(
        "{} guides from {} shard{} merged into {} ({copied} copied)",
        merged.guides.len(),
        shards.len(),
        if shards.len() == 1 { "" } else { "s" },
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Every file beneath a guide's folder in a shard output. Links are refused, so that a link planted in a
/// shard cannot copy a file from elsewhere into the site.
fn read_folder(dir: &Path) -> Result<Vec<OutputFile>> {
    let kind = std::fs::symlink_metadata(dir).with_context(|| format!("cannot read `{}`", dir.display()))?;
    if !kind.is_dir() {
        bail!("`{}` is not a folder", dir.display());
    }
    manifest::files_beneath(dir, manifest::Links::Refuse)
}
