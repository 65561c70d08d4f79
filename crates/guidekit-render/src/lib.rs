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
//! References are numbered by [`guidekit_model::walk::reference_numbers`], the one owner of citation numbers
//! (the validator's "never cited" comes from the same list): by first citation in reading order, then the
//! references nothing cites, in the order written. `[@a; @b]` renders `[1][2]`, each mark linking to its
//! entry (`#ref-1`); `[@tbl:x]` and `[@fig:y]` render "Table 1" and "Figure 2", linked. A key the guide does
//! not have is shown as written: `[?smith2020]`. The reference list is in the Vancouver (NLM) style,
//! guidekit's own, or in APA, Nature or Chicago author-date (the CSL styles, through hayagriva), as
//! [`RenderOptions::style`] or the guide's `citation_style` says; numbering and marks stay the same in every
//! style. DOI, PubMed and PMC ids are linked when given. [`cite::cite`] exports the guide's citation and
//! references as text, BibTeX, RIS or CSL-JSON.
//!
//! # Templates
//!
//! Built-in templates are embedded in the binary; a directory given as [`RenderOptions::templates`]
//! overrides any of them by file name, and may add partials that they include (names ending in `.html` or
//! `.css` belong to the HTML templates, `.md` to the Markdown ones; any other file there is an error):
//!
//! | template          | renders                                   | receives |
//! |-------------------|-------------------------------------------|----------|
//! | `guide.html`      | a guide's `index.html`; extends `guide-base.html` | [`view::GuideView`] |
//! | `guide.md`        | a guide's `index.md`; extends `guide-base.md`     | [`view::GuideView`] |
//! | `guide-base.html`, `guide-base.md` | the page, one block per section | [`view::GuideView`] |
//! | `index.html`      | the list of guides, `index.html`          | [`view::IndexView`] |
//! | `index.md`        | the list of guides, `index.md`            | [`view::IndexView`] |
//! | `style.css`       | the stylesheet, inlined by `guide-base.html` and `index.html` | its includer's view |
//! | `components.html` | Tera components for HTML: `page_head`, `action`, `actions`, `paragraphs`, `steps` | their arguments |
//! | `components.md`   | the same components for Markdown          | their arguments |
//!
//! **Themes.** To restyle one section, a theme gives its own `guide.html` (or `guide.md`) that extends
//! `guide-base.html` and overrides that section's block; `{{ super() }}` prints the built-in section. The
//! blocks are `masthead`, `compound`, `notices`, `audience`, `hypotheses`, `data`, `protocols`, `diagrams`,
//! `conclusion`, `references`, `cite` and `publisher`, and in HTML also `head` and `style` (inside `head`).
//! An optional section's block holds the whole `{% if %}`, blank line before the section included:
//!
//! ```text
//! {% extends "guide-base.html" %}
//! {% block conclusion %}{% if conclusion %}
//!
//! <section id="conclusion"><h2>In short</h2>{{ conclusion.text.inline | safe }}</section>
//! {%- endif %}{% endblock conclusion %}
//! ```
//!
//! **The view** templates receive is the [`view`] module's types, documented field by field; their JSON
//! Schema is committed as `schemas/view.schema.json` ([`view::view_schema_json`]). The filters guidekit adds
//! to Tera's are `safe_url` (every URL a template prints goes through it) and `sentence_list`.
//!
//! **Escaping.** Rich values ([`view::Rich`]: `inline` and `paragraphs`), a diagram's `svg` and every
//! reference's `formatted` are already safe in the output format and are printed with `| safe`. Every other
//! string is plain text: `.html` templates escape it as HTML and `.md` templates as Markdown when it is
//! printed. Text from a guide goes through pulldown-cmark and an allowlist sanitiser (ammonia) before it
//! becomes HTML; diagram SVG is parsed and rebuilt from an allowlist. Templates can call no function that
//! reads files, the environment or the clock.
//!
//! # Diagrams
//!
//! [`DiagramEngine::Embedded`] (the default) lays DOT out in pure Rust; [`DiagramEngine::Graphviz`] runs
//! `dot -Tsvg` (stdin to stdout, killed after 10 s, DOT that would make it read files refused);
//! [`DiagramEngine::Auto`] uses Graphviz when `dot` is on `PATH`. Either way the SVG is sanitised. Both
//! read DOT through the model's one parser, [`guidekit_model::dot`], and refuse what the validator refuses:
//! attributes that read files, and (embedded) graphs beyond [`guidekit_model::dot::limits`].

pub mod cite;
mod csl;
mod diagram;
mod error;
mod escape;
mod filters;
mod inline;
mod json_ld;
mod references;
mod templates;
pub mod view;

use std::path::PathBuf;

use guidekit_model::{CitationStyle, Guide};

pub use error::RenderError;

/// Escapes text for HTML (or XML) content and double- or single-quoted attribute values, exactly as this
/// crate's templates and writers do: for a caller that writes a page of its own (`guidekit serve`'s error
/// page), so that there is one HTML escaper.
pub fn escape_html(text: &str) -> String {
    escape::escape_markup(text)
}

/// Lays `graph` out and draws it with the embedded engine, as raw (unsanitised) SVG, without applying
/// [`guidekit_model::dot::limits`]: for benchmarks of the engine (`cargo xtask bench-diagrams`) and tests.
/// Rendering a guide applies the limits first.
pub fn draw_embedded(graph: &guidekit_model::dot::Graph<'_>) -> Result<String, String> {
    diagram::embedded::render(graph)
}

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
    /// The reference list's citation style for every guide; `None` means each guide's `citation_style`, else
    /// Vancouver.
    pub style: Option<CitationStyle>,
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

/// A page of the index: its number (from 1) and how many there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexPage {
    /// From 1.
    pub number: usize,
    /// How many pages the index has.
    pub count: usize,
}

impl IndexPage {
    /// The page's file name: `index.html` for the first, `index-2.html`, `index-3.html`, ... after it.
    pub fn file_name(self, extension: &str) -> String {
        if self.number <= 1 { format!("index.{extension}") } else { format!("index-{}.{extension}", self.number) }
    }
}

/// Renders guides. Built once, it can render many guides, from many threads at once.
pub struct Renderer {
    templates: templates::Templates,
    diagrams: diagram::Diagrams,
    style: Option<CitationStyle>,
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
            style: options.style,
        })
    }

    /// The view that `guide.html` (for [`Format::Html`]) or `guide.md` receives for `guide`: what a theme's
    /// templates can use, as data. Its JSON Schema is [`view::view_schema`].
    pub fn guide_view(&self, guide: &Guide, format: Format) -> Result<view::GuideView, RenderError> {
        let shared = view::Shared::new(guide, self.style_of(guide));
        let numbering = Numbering::new(guide, shared.numbered());
        let flavor = match format {
            Format::Html => Flavor::Html,
            Format::Markdown => Flavor::Markdown,
        };
        Ok(view::guide_view(guide, &Writer::new(flavor, &numbering), &self.draw(guide)?, &shared))
    }

    /// The style of `guide`'s reference list: the renderer's, else the guide's, else Vancouver.
    fn style_of(&self, guide: &Guide) -> CitationStyle {
        self.style.or(guide.citation_style).unwrap_or_default()
    }

    /// Draws every diagram of `guide`, in order.
    fn draw(&self, guide: &Guide) -> Result<Vec<view::DrawnDiagram>, RenderError> {
        let mut drawn = Vec::new();
        for diagram in guide.diagrams.iter().flat_map(|d| d.items.iter()) {
            drawn.push(view::DrawnDiagram { svg: self.diagrams.draw(diagram)? });
        }
        Ok(drawn)
    }

    /// Renders `guide` in each of `formats` (each format once, in the order given). Markdown output comes
    /// with `figures/<id>.svg` and `figures/<id>.dot` for each diagram.
    pub fn render(&self, guide: &Guide, formats: &[Format]) -> Result<Vec<OutputFile>, RenderError> {
        let shared = view::Shared::new(guide, self.style_of(guide));
        let numbering = Numbering::new(guide, shared.numbered());
        let drawn = self.draw(guide)?;
        let mut files = Vec::new();
        for format in unique(formats) {
            let (flavor, template, path) = match format {
                Format::Html => (Flavor::Html, "guide.html", "index.html"),
                Format::Markdown => (Flavor::Markdown, "guide.md", "index.md"),
            };
            let writer = Writer::new(flavor, &numbering);
            let view = view::guide_view(guide, &writer, &drawn, &shared);
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
        self.render_index_page(entries, IndexPage { number: 1, count: 1 }, formats)
    }

    /// Renders one page of an index split into pages ([`IndexPage::file_name`]), with links to the pages
    /// before and after it, so that a catalog's index is rendered a page at a time.
    pub fn render_index_page(
        &self,
        entries: &[IndexEntry],
        page: IndexPage,
        formats: &[Format],
    ) -> Result<Vec<OutputFile>, RenderError> {
        let mut files = Vec::new();
        for format in unique(formats) {
            let (flavor, template, extension) = match format {
                Format::Html => (Flavor::Html, "index.html", "html"),
                Format::Markdown => (Flavor::Markdown, "index.md", "md"),
            };
            let text = self.templates.render(template, &view::index_view(entries, page, flavor))?;
            files.push(OutputFile { path: page.file_name(extension).into(), contents: text.into_bytes() });
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
