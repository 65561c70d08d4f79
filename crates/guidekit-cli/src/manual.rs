//! `guidekit completions` and `guidekit man`: shell completions and man pages, generated from the clap
//! types at run time (not in `build.rs`), so they always describe the binary that prints them.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::CommandFactory;

use crate::args::Cli;

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell, e.g. `guidekit completions bash > /etc/bash_completion.d/guidekit`.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// A directory to write `guidekit.1` and one `guidekit-<subcommand>.1` per subcommand into (created if
    /// missing). Without it, `guidekit.1` is printed on stdout: `guidekit man | man -l -`.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Prints the completion script for `args.shell` on stdout.
pub fn completions(args: CompletionsArgs) -> Result<ExitCode> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "guidekit", &mut out);
    std::io::stdout().lock().write_all(&out).context("cannot write the completion script")?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the main man page, or writes every page into `--out`.
pub fn man(args: ManArgs) -> Result<ExitCode> {
    let command = Cli::command();
    match args.out {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command).render(&mut page).context("cannot render the man page")?;
            std::io::stdout().lock().write_all(&page).context("cannot write the man page")?;
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
            clap_mangen::generate_to(command, &dir)
                .with_context(|| format!("cannot write man pages into `{}`", dir.display()))?;
            eprintln!("wrote man pages into `{}`", dir.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
