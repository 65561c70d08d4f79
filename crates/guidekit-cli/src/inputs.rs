//! Turning the paths given on the command line into the guide files to read.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use guidekit_validate::InputProblem;

/// Every guide named by `paths`: files as given, directories searched for `*.json` (sorted, so that runs
/// are reproducible). In a directory, entries that are not plain files or folders are skipped and named
/// on stderr: symbolic links (never followed, so a search cannot leave the tree or loop), FIFOs, devices and
/// sockets, hidden entries, and `target`/`node_modules`.
pub fn guide_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        if metadata.is_dir() {
            let mut found = Vec::new();
            search(path, &mut found, &mut skipped).with_context(|| format!("cannot search `{}`", path.display()))?;
            if found.is_empty() {
                bail!("no `*.json` guide in `{}`", path.display());
            }
            found.sort();
            files.extend(found);
        } else {
            // A file named on the command line is read whatever it is; `read_guide` refuses what is not a
            // regular file without blocking on it.
            files.push(path.clone());
        }
    }
    files.dedup();
    skipped.sort();
    for (path, why) in &skipped {
        eprintln!("warning: skipped `{}`: {why}", path.display());
    }
    Ok(files)
}

/// Folders that hold tools' files, never guides; skipped without a word.
const TOOL_FOLDERS: &[&str] = &[".git", ".hg", ".svn", "target", "node_modules"];

fn search(dir: &Path, found: &mut Vec<PathBuf>, skipped: &mut Vec<(PathBuf, &'static str)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let path = entry.path();
        // The entry's own type: a symbolic link is reported as a link, not as what it points to.
        let kind = entry.file_type()?;
        if TOOL_FOLDERS.contains(&name.as_ref()) && kind.is_dir() {
            continue;
        }
        if name.starts_with('.') {
            if kind.is_dir() || name.ends_with(".json") {
                skipped.push((path, "hidden (its name starts with a dot)"));
            }
            continue;
        }
        if kind.is_dir() {
            search(&path, found, skipped)?;
        } else if kind.is_file() {
            if name.ends_with(".json") {
                found.push(path);
            }
        } else if kind.is_symlink() {
            skipped.push((
                path,
                "a symbolic link (links inside a directory are not followed; name the file itself to read it)",
            ));
        } else if name.ends_with(".json") {
            skipped.push((path, "not a regular file (a FIFO, socket or device)"));
        }
    }
    Ok(())
}

/// What reading a guide gave.
pub enum Read {
    /// The file's bytes, at most the size limit.
    Bytes(Vec<u8>),
    /// Why they could not be read.
    Problem(InputProblem),
}

/// Reads a guide file without ever blocking or reading more than `max_bytes + 1` bytes: the file is opened
/// non-blocking (so a FIFO cannot hang the run), its type checked on the open handle (so it cannot change
/// between the check and the read), and the read bounded (so `/dev/zero` or a growing file cannot fill memory).
pub fn read_guide(path: &Path, max_bytes: usize) -> Read {
    use std::io::Read as _;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let unreadable = |error: std::io::Error| Read::Problem(InputProblem::Unreadable { reason: error.to_string() });
    let file = match options.open(path) {
        Ok(file) => file,
        Err(error) => return unreadable(error),
    };
    let metadata = match file.metadata() {
        Ok(metadata) => metadata,
        Err(error) => return unreadable(error),
    };
    if !metadata.is_file() {
        return Read::Problem(InputProblem::NotAFile { kind: file_kind(&metadata.file_type()) });
    }
    if metadata.len() > max_bytes as u64 {
        return Read::Problem(InputProblem::TooLarge { size: metadata.len() });
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    if let Err(error) = file.take(max_bytes as u64 + 1).read_to_end(&mut bytes) {
        return unreadable(error);
    }
    if bytes.len() > max_bytes {
        // It grew while it was read.
        return Read::Problem(InputProblem::TooLarge { size: bytes.len() as u64 });
    }
    Read::Bytes(bytes)
}

fn file_kind(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        } else if kind.is_char_device() {
            return "a character device";
        } else if kind.is_block_device() {
            return "a block device";
        } else if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() { "a directory" } else { "not a regular file" }
}

/// The nearest `guidekit.toml` at or above the directory of `path`.
pub fn find_config(path: &Path) -> Option<PathBuf> {
    let start = if path.is_dir() { path.to_path_buf() } else { path.parent()?.to_path_buf() };
    let start = if start.as_os_str().is_empty() { PathBuf::from(".") } else { start };
    let start = start.canonicalize().ok()?;
    start.ancestors().map(|dir| dir.join("guidekit.toml")).find(|candidate| candidate.is_file())
}

/// Today's date in UTC as (year, month, day), from the system clock.
pub fn today() -> Option<(u16, u8, u8)> {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    // Howard Hinnant's days-to-civil algorithm.
    let z = (seconds / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
    Some((year, month, day))
}
