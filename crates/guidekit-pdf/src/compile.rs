//! Typst source to PDF in-process (feature `pdf`): a minimal [`World`] with one source file, the fonts
//! bundled in `typst-assets`, no file system, no packages and no clock, so a build reads nothing but its
//! guide and gives the same bytes every time.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::PdfError;

/// The bundled fonts, read once per process.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

/// The standard library, built once per process.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// One guide's source and nothing else.
struct GuideWorld {
    source: Source,
}

impl World for GuideWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.source.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.source.id() { Ok(self.source.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.source.id() { Ok(Bytes::from_string(self.source.clone())) } else { Err(FileError::AccessDenied) }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// The PDF standards every guide is written to: PDF/A-2b (archival: fonts embedded, no external content) and
/// PDF/UA-1 (tagged structure, alternative text, title shown).
pub(crate) const STANDARDS: &[PdfStandard] = &[PdfStandard::A_2b, PdfStandard::Ua_1];

/// Compiles `source` (a whole Typst document) to PDF.
pub(crate) fn pdf(source: &str) -> Result<Vec<u8>, PdfError> {
    let world = GuideWorld { source: Source::detached(source) };
    let document =
        typst::compile::<PagedDocument>(&world).output.map_err(|errors| PdfError::Typst(describe(&world, &errors)))?;
    let standards = PdfStandards::new(STANDARDS).map_err(|e| PdfError::Typst(e.message().to_string()))?;
    let options = PdfOptions { ident: Smart::Auto, standards, ..PdfOptions::default() };
    typst_pdf::pdf(&document, &options).map_err(|errors| PdfError::Typst(describe(&world, &errors)))
}

/// Typst's errors as one message: each with its line in the source and its hints.
fn describe(world: &GuideWorld, errors: &[SourceDiagnostic]) -> String {
    let text = world.source.text();
    errors
        .iter()
        .map(|error| {
            let mut message = error.message.to_string();
            if let Some(range) = world.range(error.span) {
                let line = text[..range.start.min(text.len())].matches('\n').count() + 1;
                let snippet: String = text.get(range).unwrap_or_default().chars().take(80).collect();
                message = format!("{message} (line {line}: `{snippet}`)");
            }
            for hint in &error.hints {
                message.push_str(&format!("; hint: {}", hint.v));
            }
            message
        })
        .collect::<Vec<_>>()
        .join("\n")
}
