//! Renders guidekit research guides to Markdown and HTML.
//!
//! ```
//! use guidekit_render::{Format, RenderOptions, Renderer};
//!
//! let guide: guidekit_model::Guide = serde_json::from_str(include_str!("../../../guides/aniracetam.json"))?;
//! let files = Renderer::new(RenderOptions::default())?.render(&guide, &[Format::Markdown])?;
//! let page = files.iter().find(|f| f.path.ends_with("index.md")).expect("the page");
//! assert!(String::from_utf8_lossy(&page.contents).contains("Aniracetam"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`Renderer::render`] turns one [`Guide`] (which should have passed validation, though any guide that
//! deserializes renders without panicking) into files: `index.html`, a standalone page with its diagrams
//! inline and no external requests, and `index.md`, GitHub-flavoured Markdown with each diagram beside it as
//! `figures/<id>.svg` and its DOT source as `figures/<id>.dot`. [`Renderer::render_index`] writes the page
//! that lists several guides. The renderer writes no files itself: it returns their paths and bytes.
//!
//! Output is deterministic: the same guide gives the same bytes on every run and on every thread.
//!
//! # Citations
//!
//! References are numbered by first citation in reading order ([`guidekit_model::walk::reference_order`]);
//! references that nothing cites follow, in the order written. `[@a; @b]` renders `[1][2]`, each mark
//! linking to its entry (`#ref-1`); `[@tbl:x]` and `[@fig:y]` render "Table 1" and "Figure 2", linked. A key
//! the guide does not have is shown as written: `[?smith2020]`. The reference list is in the Vancouver (NLM)
//! style, with DOI, PubMed and PMC links when those identifiers are given.
//!
//! # Templates
//!
//! Built-in templates are embedded in the binary; a directory given as [`RenderOptions::templates`]
//! overrides any of them by file name, and may add partials that they include (names ending in `.html` or
//! `.css` belong to the HTML templates, `.md` to the Markdown ones; any other file there is an error):
//!
//! | template          | renders                                   | receives |
//! |-------------------|-------------------------------------------|----------|
//! | `guide.html`      | a guide's `index.html`                    | the guide view |
//! | `guide.md`        | a guide's `index.md`                      | the guide view |
//! | `index.html`      | the list of guides, `index.html`          | the index view |
//! | `index.md`        | the list of guides, `index.md`            | the index view |
//! | `style.css`       | the stylesheet, inlined by `guide.html` and `index.html` | its includer's view |
//! | `components.html` | Tera components for HTML: `action`, `actions`, `paragraphs`, `steps` (nested protocol steps) | their arguments |
//! | `components.md`   | the same components for Markdown          | their arguments |
//!
//! **The guide view** (built for templates, not the model itself) has: `format` (`html`/`markdown`),
//! `lang`, `title`, `subtitle`, `full_title`, `kind`, `authors` (`name`, `kind`, `orcid`, `orcid_url`,
//! `affiliation`), `authors_line`, `published` (`iso`, `display` such as "December 2025"), `version`, `url`,
//! `keywords`, `compound` (`name`, `class`, `synonyms`, `identifiers` as `label`/`value`, `catalog_number`,
//! `requested` with `name` and `reason`, `actions`), `notices` (`kind`, `prominent`, `title`, `text`,
//! `actions`), `audience` (`readers`, `evidence`, `summary`), `hypotheses` (`heading`, `introduction`,
//! `items` with `id`, `anchor`, `title`, `statement`), `data` (`heading`, `introduction`, `tables` with `id`,
//! `anchor`, `number`, `label` "Table 1", `caption`, `kind`, `columns` (`key`, `label`, `kind`), `rows` (a
//! list of cells per row) and `note`), `protocols` (`heading`, `introduction`, `items` with `id`, `anchor`,
//! `title` and nested `steps` of `number`, `label`, `text`, `steps`), `diagrams` (`heading`, `introduction`,
//! `items` with `id`, `anchor`, `number`, `label` "Figure 1", `caption`, `alt`, `svg`, `image` and `source`
//! paths), `conclusion` (`heading`, `text`), `references` (`number`, `anchor`, `id`, `cited`, `formatted`,
//! and the parts: `kind`, `authors`, `title`, `container`, `year`, `volume`, `issue`, `page`, `publisher`,
//! `archive`, `source`, `doi`/`doi_url`, `pmid`/`pmid_url`, `pmcid`/`pmcid_url`, `url`, `note`), `citation`
//! (the "To cite this document" line) and `publisher` (`name`, `mission`, `address` with `street`,
//! `locality`, `region`, `postal_code`, `country`, `locality_line`, then `phone`, `email`, `url`, `offers`
//! with `heading`, `text`, `email`, `actions`). An action has a `label` and, maybe, a `url`. Absent optional
//! values are `none`.
//!
//! **The index view** has `format` and `entries` (`title`, `compound`, `published`, `href`).
//!
//! **Escaping.** Rich values (`text`, `statement`, `introduction`, `summary`, `reason`, `caption` of a
//! figure, `note`, `mission`, every table cell and every reference's `formatted`) are objects with `inline`
//! (the whole text as one run) and `paragraphs` (a list); they are already safe in the output format, with
//! citation marks in place, and are printed with `| safe`, as is a diagram's `svg`. Every other string is
//! plain text: `.html` templates escape it as HTML and `.md` templates as Markdown when it is printed. Text
//! from a guide goes through pulldown-cmark and an allowlist sanitiser (ammonia) before it becomes HTML;
//! diagram SVG is parsed and rebuilt from an allowlist. Templates can call no function that reads files,
//! the environment or the clock. Filters beyond Tera's: `sentence_list` (`a, b and c`).
//!
//! # Diagrams
//!
//! [`DiagramEngine::Embedded`] (the default) lays DOT out in pure Rust; [`DiagramEngine::Graphviz`] runs
//! `dot -Tsvg` (stdin to stdout, killed after 10 s, DOT that would make it read files refused);
//! [`DiagramEngine::Auto`] uses Graphviz when `dot` is on `PATH`. Either way the SVG is sanitised.

mod diagram;
mod error;
mod escape;
mod filters;
mod inline;
mod references;
mod templates;
mod view;

use std::path::PathBuf;

use guidekit_model::Guide;

pub use error::RenderError;

use crate::inline::{Flavor, Numbering, Writer};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// A standalone HTML page (`index.html`).
    Html,
    /// GitHub-flavoured Markdown (`index.md`, with `figures/`).
    Markdown,
}

/// How diagrams are drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum DiagramEngine {
    /// In pure Rust, inside guidekit. Needs nothing installed.
    #[default]
    Embedded,
    /// By Graphviz's `dot`, which must be on `PATH`.
    Graphviz,
    /// Graphviz when `dot` is on `PATH`, the embedded engine otherwise.
    Auto,
}

/// How a [`Renderer`] renders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// A directory of templates that override the built-in ones by file name.
    pub templates: Option<PathBuf>,
    /// The diagram engine.
    pub diagrams: DiagramEngine,
}

/// A rendered file: its path relative to the guide's (or the index's) output folder, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// E.g. `index.html`, `index.md`, `figures/<diagram-id>.svg`, `figures/<diagram-id>.dot`.
    pub path: PathBuf,
    /// The file's contents.
    pub contents: Vec<u8>,
}

/// One guide in the index page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// The guide's folder name, already sanitised; its pages are `<dir>/index.html` and `<dir>/index.md`.
    pub dir: String,
    /// The guide's title.
    pub title: String,
    /// The compound the guide is about.
    pub compound: String,
    /// When it was published (`2025-12`; shown as "December 2025").
    pub published: String,
}

/// Renders guides. Built once, it can render many guides, from many threads at once.
pub struct Renderer {
    templates: templates::Templates,
    diagrams: diagram::Diagrams,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer").finish_non_exhaustive()
    }
}

impl Renderer {
    /// Loads the built-in templates and then the user's (if `options.templates` is set), and sets up the
    /// diagram engine. Fails on a template that does not parse (naming it and the line), on an unreadable
    /// template directory, and when the Graphviz engine is asked for but `dot` is not on `PATH`.
    pub fn new(options: RenderOptions) -> Result<Renderer, RenderError> {
        Ok(Renderer {
            templates: templates::Templates::load(options.templates.as_deref())?,
            diagrams: diagram::Diagrams::new(options.diagrams)?,
        })
    }

    /// Renders `guide` in each of `formats` (each format once, in the order given). Markdown output comes
    /// with `figures/<id>.svg` and `figures/<id>.dot` for each diagram.
    pub fn render(&self, guide: &Guide, formats: &[Format]) -> Result<Vec<OutputFile>, RenderError> {
        let numbering = Numbering::new(guide);
        let mut drawn = Vec::new();
        for diagram in guide.diagrams.iter().flat_map(|d| d.items.iter()) {
            drawn.push(view::DrawnDiagram { svg: self.diagrams.draw(diagram)? });
        }
        let mut files = Vec::new();
        for format in unique(formats) {
            let (flavor, template, path) = match format {
                Format::Html => (Flavor::Html, "guide.html", "index.html"),
                Format::Markdown => (Flavor::Markdown, "guide.md", "index.md"),
            };
            let writer = Writer { flavor, numbering: &numbering };
            let view = view::guide_view(guide, &writer, &drawn);
            let page = self.templates.render(template, &view)?;
            files.push(OutputFile { path: path.into(), contents: page.into_bytes() });
            if format == Format::Markdown {
                let mut written: Vec<&str> = Vec::new();
                for (diagram, drawn) in guide.diagrams.iter().flat_map(|d| d.items.iter()).zip(&drawn) {
                    if written.contains(&diagram.id.as_str()) {
                        continue;
                    }
                    written.push(diagram.id.as_str());
                    let mut svg = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
                    svg.push_str(&drawn.svg);
                    svg.push('\n');
                    files.push(OutputFile {
                        path: format!("figures/{}.svg", diagram.id).into(),
                        contents: svg.into_bytes(),
                    });
                    files.push(OutputFile {
                        path: format!("figures/{}.dot", diagram.id).into(),
                        contents: diagram.dot.as_bytes().to_vec(),
                    });
                }
            }
        }
        Ok(files)
    }

    /// Renders the page that lists `entries`, in each of `formats`: `index.html` and `index.md`.
    pub fn render_index(&self, entries: &[IndexEntry], formats: &[Format]) -> Result<Vec<OutputFile>, RenderError> {
        let mut files = Vec::new();
        for format in unique(formats) {
            let (flavor, template) = match format {
                Format::Html => (Flavor::Html, "index.html"),
                Format::Markdown => (Flavor::Markdown, "index.md"),
            };
            let page = self.templates.render(template, &view::index_view(entries, flavor))?;
            files.push(OutputFile { path: template.into(), contents: page.into_bytes() });
        }
        Ok(files)
    }
}

/// `formats` without repeats, in the order first given.
fn unique(formats: &[Format]) -> Vec<Format> {
    let mut out: Vec<Format> = Vec::new();
    for &format in formats {
        if !out.contains(&format) {
            out.push(format);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renderer_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Renderer>();
    }
}
