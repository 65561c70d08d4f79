//! The `guidekit` command. Only this crate touches argv, stdout, stderr and exit codes.

mod args;
mod build;
mod fmt;
mod inputs;
mod manual;
mod new;
mod out_dir;
mod report;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use guidekit_validate::rules::{Stage, rule_by_code};
use guidekit_validate::{Config, FailOn, output};

use crate::args::{Cli, Command, OutputFormat};
use crate::report::Checked;

fn main() -> ExitCode {
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
        Command::Check(args) => {
            let files = inputs::guide_files(&args.paths)?;
            let mut checked = read_and_validate(&files, None)?;
            // `check` is about conformance: JSON syntax and the schema, codes below GK100.
            for c in &mut checked {
                c.report.diagnostics.retain(|d| rule_by_code(d.code).is_some_and(|r| r.stage != Stage::Domain));
            }
            finish(&checked, OutputFormat::Human, false)
        }
        Command::Validate(args) => {
            let files = inputs::guide_files(&args.paths)?;
            let checked = read_and_validate(&files, args.config.as_deref())?;
            finish(&checked, args.format, args.deny.is_some())
        }
        Command::Build(args) => build::run(args),
        Command::Explain(args) => explain(args),
        Command::New(args) => new::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Completions(args) => manual::completions(args),
        Command::Man(args) => manual::man(args),
    }
}

/// Reads and validates every file. A file that cannot be read is reported like an invalid guide, so that a
/// batch goes on; a configuration that cannot be read is an I/O error (exit 2).
pub(crate) fn read_and_validate(files: &[PathBuf], config_path: Option<&Path>) -> Result<Vec<Checked>> {
    let mut configs: Vec<(Option<PathBuf>, Config)> = Vec::new();
    let explicit = match config_path {
        Some(path) => Some(load_config(path)?),
        None => None,
    };
    let mut checked = Vec::new();
    for file in files {
        let config = match &explicit {
            Some(config) => config.clone(),
            None => {
                let found = inputs::find_config(file);
                match configs.iter().find(|(path, _)| *path == found) {
                    Some((_, config)) => config.clone(),
                    None => {
                        let config = match &found {
                            Some(path) => load_config(path)?,
                            None => Config::default(),
                        };
                        configs.push((found, config.clone()));
                        config
                    }
                }
            }
        };
        let mut config = config;
        config.today = inputs::today();
        let name = file.display().to_string();
        match inputs::read_guide(file, config.limits.max_bytes) {
            inputs::Read::Bytes(bytes) => {
                let report = guidekit_validate::validate_with(&bytes, &name, &config);
                checked.push(Checked { report, source: output::SourceText::new(&bytes) });
            }
            inputs::Read::Problem(problem) => {
                let report = guidekit_validate::input_problem(&name, &problem, &config);
                checked.push(Checked { report, source: output::SourceText::new(&[]) });
            }
        }
    }
    Ok(checked)
}

fn load_config(path: &Path) -> Result<Config> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read configuration `{}`", path.display()))?;
    Config::from_toml(&text).with_context(|| format!("in `{}`", path.display()))
}

fn finish(checked: &[Checked], format: OutputFormat, deny_warnings: bool) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    match format {
        OutputFormat::Human => {
            let stderr = std::io::stderr();
            report::human(checked, stderr.lock())?;
            eprintln!("{}", report::summary(checked));
        }
        OutputFormat::Json => {
            let mut out = stdout.lock();
            serde_json::to_writer_pretty(&mut out, &output::json(checked.iter().map(|c| &c.report)))?;
            writeln!(out)?;
        }
        OutputFormat::Sarif => {
            let mut out = stdout.lock();
            serde_json::to_writer_pretty(&mut out, &output::sarif(checked.iter().map(|c| &c.report)))?;
            writeln!(out)?;
        }
    }
    let fail_on = if deny_warnings { FailOn::Warnings } else { FailOn::Errors };
    Ok(if output::fails(checked.iter().map(|c| &c.report), fail_on) { ExitCode::from(1) } else { ExitCode::SUCCESS })
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
