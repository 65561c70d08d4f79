//! `guidekit validate` and `guidekit check`: every guide read, checked and reported as a stream, in input
//! order, on all cores; nothing of a finished guide is kept but its counts.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use guidekit_validate::output::{JsonStream, SarifStream, Totals};
use guidekit_validate::rules::{Stage, rule_by_code};
use guidekit_validate::{Config, FailOn};

use crate::args::OutputFormat;
use crate::inputs;
use crate::report::{self, Checked, Human};

/// The configuration of every input: the one named by `--config`, or the nearest `guidekit.toml` to each
/// file, each read once.
pub struct Configs {
    configs: Vec<Config>,
    /// Per configuration, a hash of its file's text (of nothing for the defaults).
    hashes: Vec<String>,
    /// Per input file, its index into `configs`.
    of_file: Vec<u32>,
}

impl Configs {
    /// Finds and reads the configurations of `files`. A configuration that cannot be read or is wrong is
    /// an error (exit 2): it would change what every guide under it means.
    pub fn load(files: &inputs::GuideFiles, explicit: Option<&Path>) -> Result<Configs> {
        let today = inputs::today();
        let mut hashes = Vec::new();
        let mut read = |path: Option<&Path>| -> Result<Config> {
            let (mut config, text) = match path {
                Some(path) => load_config(path)?,
                None => (Config::default(), String::new()),
            };
            config.today = today;
            hashes.push(crate::manifest::hash(&[text.as_bytes()]));
            Ok(config)
        };
        if let Some(path) = explicit {
            let configs = vec![read(Some(path))?];
            return Ok(Configs { configs, hashes, of_file: vec![0; files.len()] });
        }
        let mut found: Vec<Option<PathBuf>> = Vec::new();
        let mut configs = Vec::new();
        let mut of_file = Vec::with_capacity(files.len());
        // Inputs are sorted, so files of one folder come together: look a folder's configuration up once.
        let mut last: Option<(&Path, u32)> = None;
        for i in 0..files.len() {
            let dir = files.folder(i);
            let index = match last {
                Some((last_dir, index)) if last_dir == dir => index,
                _ => {
                    let path = inputs::find_config(&files.get(i));
                    let index = match found.iter().position(|p| *p == path) {
                        Some(index) => index,
                        None => {
                            configs.push(read(path.as_deref())?);
                            found.push(path);
                            found.len() - 1
                        }
                    };
                    u32::try_from(index).context("too many configuration files")?
                }
            };
            last = Some((dir, index));
            of_file.push(index);
        }
        Ok(Configs { configs, hashes, of_file })
    }

    /// The configuration of input number `i`.
    pub fn of(&self, i: usize) -> &Config {
        &self.configs[self.of_file.get(i).copied().unwrap_or(0) as usize]
    }

    /// A hash of the configuration file of input number `i`.
    pub fn hash_of(&self, i: usize) -> &str {
        &self.hashes[self.of_file.get(i).copied().unwrap_or(0) as usize]
    }
}

fn load_config(path: &Path) -> Result<(Config, String)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read configuration `{}`", path.display()))?;
    let config = Config::from_toml(&text).with_context(|| format!("in `{}`", path.display()))?;
    Ok((config, text))
}

/// Reads and validates one file. A file that cannot be read is reported like an invalid guide, so that a
/// batch goes on. The report keeps its typed guide (for `build`).
pub fn check_file(file: &Path, config: &Config) -> Checked {
    match inputs::read_guide(file, config.limits.max_bytes) {
        inputs::Read::Bytes(bytes) => check_bytes(file, &bytes, config),
        inputs::Read::Problem(problem) => unreadable(file, &problem, config),
    }
}

/// Validates the bytes read from `file`.
pub fn check_bytes(file: &Path, bytes: &[u8], config: &Config) -> Checked {
    let report = guidekit_validate::validate_with(bytes, &file.display().to_string(), config);
    Checked::new(report, bytes)
}

/// The report of a file that could not be read.
pub fn unreadable(file: &Path, problem: &guidekit_validate::InputProblem, config: &Config) -> Checked {
    Checked::new(guidekit_validate::input_problem(&file.display().to_string(), problem, config), &[])
}

/// What is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// JSON syntax and the schema only (codes below GK100): `guidekit check`.
    Conformance,
    /// Everything: `guidekit validate`.
    Everything,
}

/// How a run of `validate` or `check` is asked for.
pub struct Run<'a> {
    pub paths: &'a [PathBuf],
    pub config: Option<&'a Path>,
    pub format: OutputFormat,
    pub fail_on: FailOn,
    pub jobs: Option<usize>,
    pub scope: Scope,
}

/// Where reports go, one guide at a time.
enum Sink {
    Human(Human),
    Json(JsonStream<BufWriter<std::io::Stdout>>),
    Sarif(SarifStream<BufWriter<std::io::Stdout>>),
}

pub fn run(run: Run<'_>) -> Result<ExitCode> {
    let files = inputs::guide_list(run.paths)?;
    let configs = Configs::load(&files, run.config)?;
    let stdout = || BufWriter::new(std::io::stdout());
    let mut sink = match run.format {
        OutputFormat::Human => Sink::Human(Human::for_stderr()),
        OutputFormat::Json => Sink::Json(JsonStream::begin(stdout())?),
        OutputFormat::Sarif => Sink::Sarif(SarifStream::begin(stdout())?),
    };
    let mut totals = Totals::default();
    let mut failing = 0;
    crate::stream::ordered(
        files.len(),
        crate::stream::jobs(run.jobs),
        |i| {
            let mut checked = check_file(&files.get(i), configs.of(i));
            checked.report.guide = None;
            if run.scope == Scope::Conformance {
                checked.report.diagnostics.retain(|d| rule_by_code(d.code).is_some_and(|r| r.stage != Stage::Domain));
            }
            checked
        },
        |_, checked| {
            totals.add(&checked.report);
            failing += usize::from(checked.report.fails(run.fail_on));
            match &mut sink {
                Sink::Human(human) => human.write(&checked, std::io::stderr().lock())?,
                Sink::Json(stream) => stream.report(&checked.report)?,
                Sink::Sarif(stream) => stream.report(&checked.report)?,
            }
            Ok(())
        },
    )?;
    match sink {
        Sink::Human(_) => eprintln!("{}", report::summary(&totals, failing)),
        Sink::Json(stream) => stream.finish()?.1.flush()?,
        Sink::Sarif(stream) => stream.finish()?.1.flush()?,
    }
    Ok(if failing > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
