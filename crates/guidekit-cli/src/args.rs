//! The command line, as clap types. Every `///` here is `--help` text.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// guidekit: research guides as typed data, checked and rendered to Markdown and HTML.
///
/// Exit codes: 0 success (warnings allowed), 1 a guide is invalid (or has warnings under
/// `--deny warnings`) or could not be built, 2 usage or I/O error.
#[derive(Debug, Parser)]
#[command(name = "guidekit", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the guide JSON Schema (draft 2020-12).
    Schema,
    /// Check that guides are JSON that conforms to the schema (no domain rules; see `validate`).
    Check(CheckArgs),
    /// Check guides against the schema and every domain rule, and report all problems.
    Validate(ValidateArgs),
    /// Validate guides and render the valid ones to Markdown and HTML, one folder per guide.
    Build(BuildArgs),
    /// Merge the outputs of `build --shard K/N` into one site with one index.
    Index(IndexArgs),
    /// Print a guide's citation and references as text in a citation style, BibTeX, RIS or CSL-JSON.
    Cite(crate::cite::CiteArgs),
    /// Explain a diagnostic code, e.g. `guidekit explain GK101`.
    Explain(ExplainArgs),
    /// Write a new guide skeleton with every section, its placeholders flagged by `validate` (GK160).
    New(crate::new::NewArgs),
    /// Format guides canonically: keys in schema order, two-space indent, one final newline.
    Fmt(crate::fmt::FmtArgs),
    /// Serve guides on 127.0.0.1 as a live preview: each saved change is rebuilt and the open page reloads.
    Serve(crate::serve::ServeArgs),
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    Completions(crate::manual::CompletionsArgs),
    /// Write man pages (roff): `guidekit.1` on stdout, or one page per subcommand into `--out`.
    Man(crate::manual::ManArgs),
}

/// Arguments of `build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Guide files, or directories to search for `*.json` guides.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Where to write: one folder per guide (named from its file name), plus `index.html` and `index.md`.
    /// Must not be, or contain, an input directory.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Output formats, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [BuildFormat::Html, BuildFormat::Md])]
    pub format: Vec<BuildFormat>,
    /// A directory of templates that override the built-in ones by file name.
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// How to draw diagrams: `embedded` (pure Rust, the default), `graphviz` (needs `dot` on PATH), or
    /// `auto` (Graphviz when installed).
    #[arg(long, value_enum, default_value_t = Diagrams::Embedded)]
    pub diagrams: Diagrams,
    /// The reference list's citation style (default: each guide's `citation_style`, else Vancouver).
    #[arg(long, value_enum)]
    pub style: Option<crate::cite::Style>,
    /// Number of guides built at once (default: the number of CPUs).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Treat warnings as errors: a guide with warnings is not built.
    #[arg(long, value_name = "warnings")]
    pub deny: Option<DenyWhat>,
    /// A `guidekit.toml` with rule levels (default: the nearest one to each input).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Rebuild every guide, ignoring what the last build into `--out` recorded in its manifest.
    #[arg(long)]
    pub force: bool,
    /// Build only shard K of N (e.g. `2/4`): a deterministic share of the guides, for a CI matrix. Merge the
    /// shards' outputs with `guidekit index`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::manifest::Shard>,
    /// How many guides each page of the site's index lists (`index.html`, `index-2.html`, ...).
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    pub index_page: u32,
    /// How `--format pdf` makes PDF: `typst` (in-process; needs guidekit built with `--features pdf`) or
    /// `chromium` (prints the HTML page with a headless Chromium on PATH).
    #[arg(long, value_enum, default_value_t = crate::pdf::PdfEngine::Typst)]
    pub pdf_engine: crate::pdf::PdfEngine,
    /// Paper size of `--format pdf` and `--format typst`.
    #[arg(long, value_enum, default_value_t = crate::pdf::PaperArg::A4)]
    pub paper: crate::pdf::PaperArg,
}

/// An output format of `build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BuildFormat {
    /// A standalone HTML page per guide.
    Html,
    /// GitHub-flavoured Markdown per guide, with diagrams as SVG files beside it.
    Md,
    /// Typst source per guide (`guide.typ`), diagrams inside it.
    Typst,
    /// PDF per guide (`guide.pdf`); see `--pdf-engine`.
    Pdf,
}

/// The diagram engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Diagrams {
    /// Pure Rust layout, no external program.
    Embedded,
    /// Graphviz `dot`, run as a subprocess with a timeout.
    Graphviz,
    /// Graphviz when `dot` is on PATH, else embedded.
    Auto,
}

impl From<Diagrams> for guidekit_render::DiagramEngine {
    fn from(diagrams: Diagrams) -> Self {
        match diagrams {
            Diagrams::Embedded => guidekit_render::DiagramEngine::Embedded,
            Diagrams::Graphviz => guidekit_render::DiagramEngine::Graphviz,
            Diagrams::Auto => guidekit_render::DiagramEngine::Auto,
        }
    }
}

/// Arguments of `index`.
#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// The output folders of the shards (`build --shard K/N --out FOLDER`).
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Where to write the merged site; must not be one of the shards.
    #[arg(long, short)]
    pub out: PathBuf,
    /// The templates the shards were built with, if not the built-in ones.
    #[arg(long)]
    pub templates: Option<PathBuf>,
}

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Guide files, or directories to search for `*.json` guides.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Number of guides checked at once (default: the number of CPUs). Output is the same at every number.
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
}

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Guide files, or directories to search for `*.json` guides.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format: `human` (like rustc, on stderr), `json` or `sarif` (SARIF 2.1.0), both on stdout.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Treat warnings as errors: `--deny warnings`.
    #[arg(long, value_name = "warnings")]
    pub deny: Option<DenyWhat>,
    /// A `guidekit.toml` with rule levels. By default the nearest `guidekit.toml` in each input's
    /// directory or its parents is used.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Number of guides checked at once (default: the number of CPUs). Output is the same at every number.
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
}

/// What `--deny` applies to.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DenyWhat {
    /// All warnings.
    Warnings,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// rustc-style messages with source snippets, on stderr.
    Human,
    /// One JSON document on stdout (see README, "Diagnostics as JSON").
    Json,
    /// SARIF 2.1.0 on stdout, for code-scanning tools.
    Sarif,
}

/// Arguments of `explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A code such as `GK101`, or a rule name such as `unknown-citation`.
    #[arg(required_unless_present = "list")]
    pub code: Option<String>,
    /// List every code with its name and default severity.
    #[arg(long)]
    pub list: bool,
}
