//! `guidekit new`: writes a guide skeleton with every section, whose unwritten parts are `TODO: ...`
//! placeholders that say what to write. The skeleton conforms to the schema, so `guidekit validate` on it
//! lists exactly the placeholders (GK160, one per field to fill) and nothing else.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::inputs;

/// The guide kinds, as the format spells them (`metadata.kind`).
const KINDS: [&str; 5] = ["mechanism_of_action", "protocol", "application_note", "review", "safety"];

/// Arguments of `new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The file to write, e.g. `guides/testamide.json`; never overwritten. In a terminal it may be left
    /// out: it is then named after the compound, in the current directory.
    pub file: Option<PathBuf>,
    /// The compound the guide is about. In a terminal, asked for when left out.
    #[arg(long)]
    pub compound: Option<String>,
    /// The compound that was asked for, when the guide is about another one: the skeleton then has a
    /// `requested` compound and a substitution notice to fill in.
    #[arg(long)]
    pub requested: Option<String>,
    /// What kind of guide this is.
    #[arg(long, default_value = KINDS[0], value_parser = KINDS)]
    pub kind: String,
}

/// Writes the skeleton. Exit 2 when the file exists or the compound is missing in a script.
pub fn run(args: NewArgs) -> Result<ExitCode> {
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let compound = match args.compound {
        Some(name) => name,
        None if interactive => ask("Compound the guide is about: ")?,
        None => bail!("`guidekit new` needs `--compound NAME` when it is not run in a terminal"),
    };
    let compound = compound.trim().to_owned();
    if compound.is_empty() {
        bail!("the compound's name is empty");
    }
    let file = match args.file {
        Some(file) => file,
        None if interactive => PathBuf::from(format!("{}.json", slug(&compound))),
        None => bail!("`guidekit new` needs the file to write when it is not run in a terminal"),
    };
    // The same name in another letter case is no substitution (GK122 would flag it), so it adds nothing.
    let requested =
        args.requested.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty() && !r.eq_ignore_ascii_case(&compound));
    let schema = schema_path(&file);
    let value = skeleton(&compound, requested.as_deref(), &args.kind, inputs::today(), schema.as_deref());
    let text = guidekit_model::format::canonical(&value);
    // A first guide often starts a folder of its own: make it.
    if let Some(folder) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).with_context(|| format!("cannot create the folder `{}`", folder.display()))?;
    }
    crate::fmt::create_new(&file, text.as_bytes()).with_context(|| match std::fs::symlink_metadata(&file) {
        Ok(_) => format!("`{}` already exists; `guidekit new` never overwrites a file", file.display()),
        Err(_) => format!("cannot write `{}`", file.display()),
    })?;
    let todo = text.matches("TODO").count();
    eprintln!(
        "wrote `{}`: {todo} placeholders to fill; `guidekit validate {}` lists them",
        file.display(),
        file.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The skeleton guide. Everything a user must write is a `TODO: ...` string naming what belongs there;
/// ids, kinds and the one citation are structure that holds the sections together and may be kept.
/// Nothing factual is made up: no identifiers, no references, no claims.
pub fn skeleton(
    compound: &str,
    requested: Option<&str>,
    kind: &str,
    today: Option<(u16, u8, u8)>,
    schema: Option<&str>,
) -> Value {
    // The date the draft was started; the author sets the publication date when it is published.
    let published = match today {
        Some((y, m, d)) => format!("{y:04}-{m:02}-{d:02}"),
        None => "2026".to_owned(),
    };
    let mut guide = json!({
        "schema_version": "1.0",
        "metadata": {
            "title": format!("TODO: the guide's title, e.g. \"The Mechanism of Action of {compound}\""),
            "kind": kind,
            "authors": [{ "kind": "organization", "name": "TODO: the author, a person or an organisation" }],
            "published": published,
            "language": "en",
        },
        "compound": { "subject": { "name": compound } },
        "notices": [{
            "kind": "research_use_only",
            "title": "Research Use Only",
            "text": "TODO: what readers may and may not use the guide and the compound for",
        }],
        "audience": {
            "readers": ["TODO: who the guide is written for, e.g. researchers"],
            "summary": "TODO: the guide's scope and audience, in a few sentences",
        },
        "hypotheses": {
            "items": [{
                "id": "hypothesis-1",
                "title": "TODO: the hypothesis in a few words",
                "statement": format!("TODO: how {compound} is thought to act, citing the evidence [@reference-1]"),
            }],
        },
        "data": {
            "tables": [{
                "id": "table-1",
                "caption": "TODO: what the table shows",
                "kind": "other",
                "columns": [
                    { "key": "study", "label": "Study", "kind": "text" },
                    { "key": "finding", "label": "Finding", "kind": "text" },
                ],
                "rows": [{
                    "cells": { "study": "TODO: the study", "finding": "TODO: what it found" },
                    "citations": ["reference-1"],
                }],
            }],
        },
        "protocols": {
            "items": [{
                "id": "protocol-1",
                "title": "TODO: the protocol's title",
                "steps": [{ "label": "TODO: the step in a few words", "text": "TODO: what is done, citing its source" }],
            }],
        },
        "diagrams": {
            "items": [{
                "id": "diagram-1",
                "caption": "TODO: what the diagram shows",
                "alt": "TODO: the diagram in words, for readers who cannot see it",
                "dot": format!(
                    "digraph {{\n  compound [label=\"{}\"];\n  target [label=\"TODO: what it acts on\"];\n  compound -> target;\n}}\n",
                    dot_escape(compound)
                ),
            }],
        },
        "conclusion": { "text": "TODO: what the evidence supports, and what remains open" },
        "references": [{
            "id": "reference-1",
            "type": "article-journal",
            "title": "TODO: the cited work's title; add its authors, year and DOI or PMID when known",
        }],
        "publisher": { "name": "TODO: who publishes the guide" },
    });
    if let Some(requested) = requested {
        guide["compound"]["requested"] = json!({
            "name": requested,
            "reason": format!("TODO: why this guide is about {compound} rather than {requested}"),
        });
        let notices = guide["notices"].as_array_mut().expect("built above");
        notices.insert(
            0,
            json!({
                "kind": "substitution",
                "title": "Substitution",
                "text": format!("TODO: tell readers that {requested} was requested and why this guide is about {compound}"),
            }),
        );
    }
    if let Some(schema) = schema {
        guide["$schema"] = Value::from(schema);
    }
    guide
}

/// `s` inside a DOT double-quoted string.
fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', " ")
}

/// A file name for a compound: lowercase letters and digits, other runs as one hyphen.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    if out.is_empty() { "guide".to_owned() } else { out.to_owned() }
}

/// The path from `file`'s folder to the nearest `schemas/guide.schema.json` above it, for `$schema`, so
/// that editors check the new guide as it is written; `None` outside a checkout.
fn schema_path(file: &Path) -> Option<String> {
    let dir = std::path::absolute(file).ok()?.parent()?.to_path_buf();
    for (up, ancestor) in dir.ancestors().enumerate() {
        if ancestor.join("schemas/guide.schema.json").is_file() {
            return Some(format!("{}schemas/guide.schema.json", "../".repeat(up)));
        }
    }
    None
}

fn ask(prompt: &str) -> Result<String> {
    let mut err = std::io::stderr().lock();
    write!(err, "{prompt}")?;
    err.flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("cannot read the answer")?;
    Ok(line)
}
