//! The `guidekit` command. Only this crate touches argv, stdout, stderr and exit codes.

mod args;
mod build;
mod cite;
mod fmt;
mod index;
mod inputs;
mod manifest;
mod manual;
mod new;
mod out_dir;
mod pdf;
mod report;
mod serve;
mod stream;
mod validate;

use std::process::ExitCode;

/// mimalloc rather than the system allocator: validating and rendering allocate many small strings and
/// maps, and glibc's malloc took a third of `validate`'s CPU (`cargo xtask bench` measures both).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::Result;
use clap::Parser;
use guidekit_validate::FailOn;
use guidekit_validate::rules::rule_by_code;

use crate::args::{Cli, Command, OutputFormat};

fn main() -> ExitCode {
    // Where the system turns transparent huge pages on for every process (Debian's default is `always`), the
    // allocator's retained memory counts in 2 MiB pages: peak RSS grew from 30 MiB at 1,000 guides to 48 MiB
    // at 100,000 (`cargo xtask bench --memory`); without them it stays near 16-18 MiB. Best effort: a system
    // without the call keeps its default.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Schema => {
            print!("{}", guidekit_model::schema_json());
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(args) => validate::run(validate::Run {
            paths: &args.paths,
            config: None,
            format: OutputFormat::Human,
            fail_on: FailOn::Errors,
            jobs: args.jobs,
            scope: validate::Scope::Conformance,
        }),
        Command::Validate(args) => validate::run(validate::Run {
            paths: &args.paths,
            config: args.config.as_deref(),
            format: args.format,
            fail_on: if args.deny.is_some() { FailOn::Warnings } else { FailOn::Errors },
            jobs: args.jobs,
            scope: validate::Scope::Everything,
        }),
        Command::Build(args) => build::run(args),
        Command::Index(args) => index::run(args),
        Command::Cite(args) => cite::run(args),
        Command::Explain(args) => explain(args),
        Command::New(args) => new::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Completions(args) => manual::completions(args),
        Command::Man(args) => manual::man(args),
    }
}

fn explain(args: args::ExplainArgs) -> Result<ExitCode> {
    use guidekit_validate::rules::CATALOG;
    if args.list {
        for rule in CATALOG {
            println!("{}  {:<8} {}", rule.code, rule.severity.as_str(), rule.name);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let code = args.code.unwrap_or_default();
    match rule_by_code(&code) {
        Some(rule) => {
            println!("{} ({}, {} by default)\n\n{}", rule.code, rule.name, rule.severity.as_str(), rule.explanation);
            Ok(ExitCode::SUCCESS)
        }
        None => {
            eprintln!("error: no diagnostic code `{code}`; `guidekit explain --list` lists them");
            Ok(ExitCode::from(2))
        }
    }
}
