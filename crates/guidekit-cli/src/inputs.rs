//! Turning the paths given on the command line into the guide files to read.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Every guide named by `paths`: files as given, directories searched for `*.json` (hidden entries and
/// `target`/`node_modules` skipped), sorted so that runs are reproducible.
pub fn guide_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        if metadata.is_dir() {
            let mut found = Vec::new();
            search(path, &mut found).with_context(|| format!("cannot search `{}`", path.display()))?;
            if found.is_empty() {
                bail!("no `*.json` guide in `{}`", path.display());
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    files.dedup();
    Ok(files)
}

fn search(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            search(&path, found)?;
        } else if kind.is_file() && name.ends_with(".json") {
            found.push(path);
        }
    }
    Ok(())
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
