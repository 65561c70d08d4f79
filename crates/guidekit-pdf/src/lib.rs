//! Guides as Typst markup and, with the `pdf` feature, as PDF compiled in-process by the typst crates.
//!
//! [`typst_source`] writes a guide's Typst document from the renderer's view ([`guidekit_render::view`]):
//! the same numbers, links and diagrams (the same SVG) as the HTML page. It needs no typst crate, so
//! `guidekit build --format typst` works in every build. [`pdf`] (feature `pdf`, off by default: typst is a
//! long compile and a large binary) compiles that source with the fonts bundled in `typst-assets`, nothing
//! read from disk or network, to PDF/A-2b and PDF/UA-1 (tagged) with title, authors, keywords and language.
//!
//! **Escaping.** [`escape`] is the one place where text becomes Typst source: guide text goes into markup
//! with every markup character escaped, into string literals, or into labels; nothing from a guide is ever
//! Typst code. Rich text is read from the view's sanitised HTML ([`html`]).
//!
//! **Layout.** Headings are sticky (never alone at the foot of a page); tables may break across pages and
//! repeat their header row; citation marks link to their reference, and cross-references to their table or
//! figure.

#[cfg(feature = "pdf")]
mod compile;
mod document;
pub mod escape;
pub mod html;

pub use document::{Paper, typst_source};

use guidekit_model::Guide;
use guidekit_render::{Format, Renderer};

/// Why a guide could not be typeset.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The renderer could not build the view (a diagram could not be drawn, ...).
    #[error(transparent)]
    Render(#[from] guidekit_render::RenderError),
    /// Typst refused the document or could not write the PDF (a bug in guidekit's Typst writer: no guide
    /// text reaches Typst unescaped).
    #[error("typst: {0}")]
    Typst(String),
}

/// Whether this build can write PDF in-process (the `pdf` feature).
pub const PDF_AVAILABLE: bool = cfg!(feature = "pdf");

/// The Typst source of `guide` on `paper`, from `renderer`'s view of it.
pub fn typst(renderer: &Renderer, guide: &Guide, paper: Paper) -> Result<String, PdfError> {
    Ok(typst_source(&renderer.guide_view(guide, Format::Html)?, paper))
}

/// Compiles a Typst document (from [`typst_source`]) to PDF bytes.
#[cfg(feature = "pdf")]
pub fn pdf(source: &str) -> Result<Vec<u8>, PdfError> {
    compile::pdf(source)
}
