//! `build --format typst` and `--format pdf`: each guide's `guide.typ` and `guide.pdf`, beside its pages.
//!
//! Typst source is written by `guidekit-pdf` in every build. PDF comes from one of two engines: `typst`,
//! in-process, when guidekit was built with the `pdf` feature; or `chromium`, which prints the guide's HTML
//! page with a headless Chromium found on `PATH`. Asking for PDF that neither can make is an error before
//! anything is built, naming both ways, never a build that silently writes no PDF.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Result, bail};
use clap::ValueEnum;
use guidekit_model::Guide;
use guidekit_render::{Format, OutputFile, Renderer};

use crate::args::{BuildArgs, BuildFormat};

/// How `--format pdf` makes PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PdfEngine {
    /// Typst, in-process (needs guidekit built with `--features pdf`).
    Typst,
    /// A headless Chromium on PATH, printing the HTML page.
    Chromium,
}

/// Paper size for PDF and Typst output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PaperArg {
    /// ISO A4.
    A4,
    /// US Letter.
    Letter,
}

/// What a build writes besides the renderer's formats.
#[derive(Debug, Clone)]
pub struct Paged {
    typst: bool,
    pdf: Option<PdfEngine>,
    paper: guidekit_pdf::Paper,
    chromium: Option<PathBuf>,
}

impl Paged {
    /// Reads `--format`, `--pdf-engine` and `--paper`; fails when PDF is asked for and the engine cannot
    /// make it.
    pub fn from_args(args: &BuildArgs) -> Result<Paged> {
        let typst = args.format.contains(&BuildFormat::Typst);
        let pdf = args.format.contains(&BuildFormat::Pdf).then_some(args.pdf_engine);
        let paper = match args.paper {
            PaperArg::A4 => guidekit_pdf::Paper::A4,
            PaperArg::Letter => guidekit_pdf::Paper::Letter,
        };
        let chromium = if pdf == Some(PdfEngine::Chromium) { find_on_path("chromium") } else { None };
        match pdf {
            Some(PdfEngine::Typst) if !guidekit_pdf::PDF_AVAILABLE => bail!(
                "this guidekit was built without PDF support: install it with \
                 `cargo install guidekit-cli --features pdf`, or pass `--pdf-engine chromium` to print the HTML \
                 page with a Chromium on PATH (or use `--format typst` and compile the `.typ` with typst)"
            ),
            Some(PdfEngine::Chromium) if chromium.is_none() => bail!(
                "`--pdf-engine chromium` needs `chromium` on PATH; or build guidekit with \
                 `cargo install guidekit-cli --features pdf` and use `--pdf-engine typst`"
            ),
            _ => {}
        }
        Ok(Paged { typst, pdf, paper, chromium })
    }

    /// The format names for the build manifest, so that asking for other formats rebuilds.
    pub fn manifest_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        if self.typst {
            names.push("typst".to_owned());
        }
        if let Some(engine) = self.pdf {
            names.push(format!("pdf-{engine:?}").to_lowercase());
        }
        if !names.is_empty() {
            names.push(format!("{:?}", self.paper).to_lowercase());
        }
        names
    }

    /// Adds `guide.typ` and `guide.pdf` (as asked) to a guide's rendered `files`.
    pub fn add(&self, renderer: &Renderer, guide: &Guide, files: &mut Vec<OutputFile>) -> Result<(), String> {
        if !self.typst && self.pdf.is_none() {
            return Ok(());
        }
        match self.pdf {
            Some(PdfEngine::Chromium) => {
                let page = match files.iter().find(|f| f.path == Path::new("index.html")) {
                    Some(page) => page.contents.clone(),
                    None => renderer
                        .render(guide, &[Format::Html])
                        .map_err(|e| e.to_string())?
                        .into_iter()
                        .find(|f| f.path == Path::new("index.html"))
                        .map(|f| f.contents)
                        .unwrap_or_default(),
                };
                let chromium = self.chromium.as_deref().ok_or("chromium is not on PATH")?;
                let pdf = print_with_chromium(chromium, &page, self.paper)?;
                files.push(OutputFile { path: "guide.pdf".into(), contents: pdf });
            }
            Some(PdfEngine::Typst) => {
                let source = guidekit_pdf::typst(renderer, guide, self.paper).map_err(|e| e.to_string())?;
                files.push(OutputFile { path: "guide.pdf".into(), contents: compile(&source)? });
                if self.typst {
                    files.push(OutputFile { path: "guide.typ".into(), contents: source.into_bytes() });
                }
                return Ok(());
            }
            None => {}
        }
        if self.typst {
            let source = guidekit_pdf::typst(renderer, guide, self.paper).map_err(|e| e.to_string())?;
            files.push(OutputFile { path: "guide.typ".into(), contents: source.into_bytes() });
        }
        Ok(())
    }
}

#[cfg(feature = "pdf")]
fn compile(source: &str) -> Result<Vec<u8>, String> {
    guidekit_pdf::pdf(source).map_err(|e| e.to_string())
}

#[cfg(not(feature = "pdf"))]
fn compile(_: &str) -> Result<Vec<u8>, String> {
    Err("this guidekit was built without PDF support".into())
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join(program)).find(|path| path.is_file())
}

/// Prints an HTML page to PDF with headless Chromium, in a private temporary folder that is removed after.
/// The page's Content-Security-Policy stays in force (it allows no script and no request); a `@page` rule
/// added to it sets the paper.
fn print_with_chromium(chromium: &Path, page: &[u8], paper: guidekit_pdf::Paper) -> Result<Vec<u8>, String> {
    static SERIAL: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "guidekit-print-{}-{}",
        std::process::id(),
        SERIAL.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let result = (|| {
        let size = match paper {
            guidekit_pdf::Paper::A4 => "A4",
            guidekit_pdf::Paper::Letter => "letter",
        };
        let page = String::from_utf8_lossy(page).replacen(
            "</head>",
            &format!("<style>@page {{ size: {size}; }}</style>\n</head>"),
            1,
        );
        let html = dir.join("index.html");
        let pdf = dir.join("guide.pdf");
        std::fs::write(&html, page).map_err(|e| format!("cannot write {}: {e}", html.display()))?;
        let output = Command::new(chromium)
            // No sandbox, so that it runs as root in containers and CI: the page is guidekit's own sanitised
            // HTML, and its CSP allows no script and no request.
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            .args(["--no-pdf-header-footer", "--no-first-run"])
            .arg(format!("--user-data-dir={}", dir.join("profile").display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", html.display()))
            .output()
            .map_err(|e| format!("cannot run {}: {e}", chromium.display()))?;
        std::fs::read(&pdf).map_err(|_| {
            format!(
                "chromium wrote no PDF ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or_default()
            )
        })
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
