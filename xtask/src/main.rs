//! `cargo xtask`: the project's automation, one module per task.
//!
//! - `codegen [--check]` — write `schemas/guide.schema.json` (from the model), `schemas/view.schema.json`
//!   (from the render crate's view types) and `docs/rules.md` (from the rule registry), or check they are up to date;
//! - `guides` — every guide in `guides/` is formatted, validates with zero errors and builds into `target/guides`;
//! - `xss` — the real-browser XSS gate: payload-laden guides opened in headless Chromium (needs `chromium`);
//! - `ci` — everything CI runs: fmt check, clippy with warnings denied, tests, codegen check, guides, xss,
//!   and the benchmark at 40 guides as a smoke test;
//! - `bench [--n N] [--runs R] [--memory N,N,...]` — catalog-scale speed and memory on generated guides,
//!   against the parse floor (`parse-floor [--schema] DIR`) and named peers (needs hyperfine; CI runs it at a small N
//!   as a smoke test only); `corpus N` writes (or finds) the generated corpus of N guides and prints its path;
//! - `conformance` — JSONTestSuite and the naughty strings from `../shared/corpora` through the CLI in every
//!   output format (also part of `cargo test`; skipped with a message when the corpora are absent).
//! - `bench-diagrams` — layout time of generated dense, wide and deep diagrams against the layout limits
//!   (`guidekit_model::dot::limits`), into `target/bench/diagrams.md` (not part of CI).

mod bench;
mod codegen;
mod corpus;
mod guides;
mod xss;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};

/// The allocator of the `guidekit` binary, so that `parse-floor` measures the parse with the same one.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(args.iter().any(|a| a == "--check")),
        Some("guides") => guides::run(),
        Some("xss") => xss::run(),
        Some("ci") => ci(),
        Some("bench") => bench::run(&args[1..]),
        Some("corpus") => args
            .get(1)
            .map_or(Ok(1000), |n| n.parse::<usize>())
            .map_err(anyhow::Error::from)
            .and_then(|n| corpus::ensure(&root(), n))
            .map(|dir| println!("{}", dir.display())),
        Some("parse-floor") => {
            let with_schema = args.iter().any(|a| a == "--schema");
            let dir = args[1..].iter().find(|a| *a != "--schema").map_or(".", String::as_str);
            bench::parse_floor(Path::new(dir), with_schema)
        }
        Some("conformance") => {
            cargo(&["test", "--package", "guidekit-cli", "--test", "conformance", "--", "--nocapture"])
        }
        Some("bench-diagrams") => bench::diagrams(),
        _ => {
            eprintln!(
                "usage: cargo xtask <codegen [--check] | guides | xss | ci | bench | bench-diagrams | conformance>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate's directory).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace root").to_path_buf()
}

/// Runs the cargo that runs xtask with `args` in the workspace root (see [`run`]).
fn cargo(args: &[&str]) -> Result<()> {
    run(Path::new(&std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())), args)
}

/// The packages `guidekit` is built with, here and by `cargo xtask bench`: with xtask (and so guidekit-tests,
/// whose feature alignment `tests/Cargo.toml` explains) the dependencies' features are those of `cargo test
/// --workspace`, so the binary links the dependencies that command compiled instead of a second set of them.
const GUIDEKIT_PACKAGES: [&str; 4] = ["-p", "guidekit-cli", "-p", "xtask"];

/// Builds the debug `guidekit` binary and returns its path. Cargo unifies features over the packages a command
/// selects: see [`GUIDEKIT_PACKAGES`].
fn guidekit_debug() -> Result<PathBuf> {
    cargo(&[&["build", "--quiet", "--locked"][..], &GUIDEKIT_PACKAGES].concat())?;
    Ok(root().join("target/debug/guidekit"))
}

/// Runs `program` with `args` in the workspace root, the command echoed and its output shown, and fails if it
/// does.
fn run(program: &Path, args: &[&str]) -> Result<()> {
    let command = format!("{} {}", program.file_name().unwrap_or_default().to_string_lossy(), args.join(" "));
    eprintln!("$ {command}");
    let status = Command::new(program).args(args).current_dir(root()).status();
    if !status.with_context(|| format!("cannot run {}", program.display()))?.success() {
        bail!("`{command}` failed");
    }
    Ok(())
}

/// Runs a program, failing with its stderr if it fails.
fn run_quiet(program: &str, args: &[&str]) -> Result<()> {
    let output = Command::new(program).args(args).output().with_context(|| format!("cannot run {program}"))?;
    if !output.status.success() {
        bail!("`{program} {}` failed:\n{}", args.join(" "), String::from_utf8_lossy(&output.stderr));
    }
    Ok(())
}

fn ci() -> Result<()> {
    guidekit_tests::skips::clear();
    cargo(&["fmt", "--all", "--", "--check"])?;
    cargo(&["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"])?;
    cargo(&["test", "--workspace", "--locked"])?;
    codegen::run(true)?;
    guides::run()?;
    xss::run()?;
    // The benchmark at a small N, as a smoke test: it fails on errors (an unclean corpus, a failing command,
    // shards that do not merge into the single build), never on timings. With the binaries the tests built:
    // a release build of the whole tree took five of CI's 40 minutes and measured nothing the smoke run uses.
    if Command::new("hyperfine").arg("--version").output().is_ok() {
        bench::run(&["--n", "40", "--runs", "1", "--profile", "dev"].map(String::from))?;
    } else {
        guidekit_tests::skips::record("xtask bench", "hyperfine is not installed (apt-get install hyperfine)");
    }
    // `cargo test` shows a test that skipped its check for lack of a tool as "ok": list them here.
    let skipped = guidekit_tests::skips::recorded();
    if skipped.is_empty() {
        eprintln!("xtask ci: all green, nothing skipped");
    } else {
        eprintln!(
            "xtask ci: all green, but {} check{} skipped:",
            skipped.len(),
            if skipped.len() == 1 { " was" } else { "s were" }
        );
        for line in &skipped {
            eprintln!("  skipped {line}");
        }
    }
    Ok(())
}
