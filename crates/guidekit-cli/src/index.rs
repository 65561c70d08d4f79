//! `guidekit index`: merge the outputs of `build --shard K/N` into one site, with one index and one manifest,
//! the same bytes as a single build of all the guides.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use guidekit_render::{Format, OutputFile, RenderOptions, Renderer};

use crate::args::IndexArgs;
use crate::manifest::{self, Entry, Header, Previous};
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
        shards.push((shard.clone(), Previous::open_required(shard)?));
    }
    let (first_path, first) = &shards[0];
    for (path, manifest) in &shards[1..] {
        if manifest.header.settings != first.header.settings {
            bail!(
                "`{}` and `{}` were built with different settings (guidekit binary, formats, diagrams, --deny or \
                 templates); rebuild the shards alike",
                first_path.display(),
                path.display()
            );
        }
    }
    let settings = first.header.settings.clone();
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
    // Every folder comes from exactly one shard; the guides are interleaved by their number among the
    // build's inputs, which every shard gives alike, so the merged manifest is a single build's.
    let mut guides: Vec<(u64, usize, Entry)> = Vec::new();
    let mut by_dir: HashMap<String, usize> = HashMap::new();
    for (index, (path, manifest)) in shards.iter().enumerate() {
        for entry in manifest.entries() {
            let entry = entry.with_context(|| format!("in the manifest of `{}`", path.display()))?;
            if let Some(other) = by_dir.insert(entry.dir.clone(), index) {
                bail!(
                    "the guide folder `{}` is in both `{}` and `{}`",
                    entry.dir,
                    shards[other].0.display(),
                    path.display()
                );
            }
            guides.push((entry.position, index, entry));
        }
    }
    drop(by_dir);
    guides.sort_by_key(|&(position, _, _)| position);
    if let Some(pair) = guides.windows(2).find(|pair| pair[0].0 == pair[1].0) {
        bail!(
            "`{}` and `{}` are both guide number {} of their build: were the shards built from the same inputs?",
            pair[0].2.input,
            pair[1].2.input,
            pair[0].0
        );
    }

    let out = OutDir::open(&args.out)?;
    out.remove_stale()?;
    let previous = Previous::open(&args.out);
    let same_settings = previous.as_ref().filter(|p| p.header.settings == settings);
    let mut manifest = manifest::Writer::create(&out, &Header::new(settings.clone(), None))?;
    let mut copied = 0;
    for (_, shard, entry) in &guides {
        let before = same_settings.and_then(|p| p.entry(&entry.input));
        let unchanged = before.is_some_and(|before| before.hash == entry.hash && before.dir == entry.dir);
        if !(unchanged && args.out.join(&entry.dir).is_dir()) {
            out.publish_folder(&entry.dir, &read_folder(&shards[*shard].0.join(&entry.dir))?)?;
            copied += 1;
        }
        manifest.add(entry)?;
    }
    // The index pages are HTML and Markdown; a guide's PDF and Typst files travel in its folder.
    let formats: Vec<Format> = settings
        .formats
        .iter()
        .filter_map(|name| match name.as_str() {
            "md" => Some(Ok(Format::Markdown)),
            "html" => Some(Ok(Format::Html)),
            "typst" | "pdf-typst" | "pdf-chromium" | "a4" | "letter" => None,
            other => Some(Err(anyhow::anyhow!("unknown format `{other}` in a shard manifest"))),
        })
        .collect::<Result<_>>()?;
    let renderer = Renderer::new(RenderOptions { templates: args.templates.clone(), ..Default::default() })
        .context("cannot load the templates")?;
    let written = manifest.finish()?;
    crate::build::finish_site(&out, &renderer, &formats, previous.as_ref(), settings.index_page, written)?;
    eprintln!(
        "{} guides from {} shard{} merged into {} ({copied} copied)",
        guides.len(),
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
