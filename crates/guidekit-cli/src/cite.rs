//! `guidekit cite`: prints a guide's own citation and its reference list, as text in a citation style,
//! BibTeX, RIS or CSL-JSON (`guidekit_render::cite`). A guide that does not pass validation is refused with
//! its diagnostics, as `build` refuses it; nothing is looked up over the network.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::ValueEnum;
use guidekit_model::CitationStyle;
use guidekit_render::cite::{CiteFormat, cite};
use guidekit_validate::FailOn;

use crate::report::Human;

/// Arguments of `cite`.
#[derive(Debug, clap::Args)]
pub struct CiteArgs {
    /// The guide file.
    pub guide: PathBuf,
    /// What to print: `text` (the citation and numbered references in `--style`), `bibtex`, `ris` or
    /// `csl-json`.
    #[arg(long, value_enum, default_value_t = CiteOutput::Text)]
    pub format: CiteOutput,
    /// The citation style of `--format text` (default: the guide's `citation_style`, else Vancouver).
    #[arg(long, value_enum)]
    pub style: Option<Style>,
}

/// An output format of `cite`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CiteOutput {
    /// Plain text in a citation style.
    Text,
    /// BibTeX entries.
    Bibtex,
    /// RIS records.
    Ris,
    /// CSL-JSON items (Zotero, Pandoc, citeproc).
    CslJson,
}

/// A citation style, for `cite --style` and `build --style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Style {
    /// Vancouver (NLM, Citing Medicine), guidekit's own.
    Vancouver,
    /// APA 7th edition (CSL, through hayagriva).
    Apa,
    /// Nature (CSL, through hayagriva).
    Nature,
    /// Chicago author-date, 17th edition (CSL, through hayagriva).
    ChicagoAuthorDate,
}

impl From<Style> for CitationStyle {
    fn from(style: Style) -> CitationStyle {
        match style {
            Style::Vancouver => CitationStyle::Vancouver,
            Style::Apa => CitationStyle::Apa,
            Style::Nature => CitationStyle::Nature,
            Style::ChicagoAuthorDate => CitationStyle::ChicagoAuthorDate,
        }
    }
}

/// Prints the citation of `args.guide`. Exit 1 when the guide is invalid (its diagnostics on stderr).
pub fn run(args: CiteArgs) -> Result<ExitCode> {
    // The guide's `guidekit.toml` applies, as in `validate` and `build`.
    let configs = crate::validate::Configs::load(
        &crate::inputs::GuideFiles::from_paths(std::slice::from_ref(&args.guide))?,
        None,
    )?;
    let mut checked = crate::validate::check_file(&args.guide, configs.of(0));
    let guide = checked.report.guide.take().filter(|_| !checked.report.fails(FailOn::Errors));
    if !checked.report.diagnostics.is_empty() {
        Human::for_stderr().write(&checked, std::io::stderr()).context("cannot write to stderr")?;
    }
    let Some(guide) = guide else {
        return Ok(ExitCode::from(1));
    };
    let format = match args.format {
        CiteOutput::Text => CiteFormat::Text,
        CiteOutput::Bibtex => CiteFormat::Bibtex,
        CiteOutput::Ris => CiteFormat::Ris,
        CiteOutput::CslJson => CiteFormat::CslJson,
    };
    let text = cite(&guide, format, args.style.map(Into::into));
    std::io::stdout().lock().write_all(text.as_bytes()).context("cannot write to stdout")?;
    Ok(ExitCode::SUCCESS)
}
