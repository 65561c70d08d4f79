//! Turning the paths given on the command line into the guide files to read.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use guidekit_validate::InputProblem;

/// The guide files of a run, packed: each folder once, then one name and one folder number per file, so a
/// catalog of 100,000 guides costs about 25 bytes a file instead of a `PathBuf` allocation each (measured at
/// 100,000 files: 11.4 MB of heap for a sorted `Vec<PathBuf>`).
#[derive(Debug, Default)]
pub struct GuideFiles {
    /// Folders searched, and files named on the command line (with an empty name).
    folders: Vec<PathBuf>,
    /// The file names, one after another, as the file system's bytes.
    names: Vec<u8>,
    /// Per file: its folder's number, and where its name ends in `names`.
    files: Vec<(u32, u32)>,
}

impl GuideFiles {
    /// How many files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// The path of file number `i`, as found (the searched folder joined with the name) or as named.
    pub fn get(&self, i: usize) -> PathBuf {
        let (folder, name) = self.parts(i);
        if name.is_empty() { folder.to_path_buf() } else { folder.join(name) }
    }

    /// Every path, in order.
    pub fn iter(&self) -> impl Iterator<Item = PathBuf> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The folder file number `i` is in (files of one folder come together).
    pub fn folder(&self, i: usize) -> &Path {
        let (folder, name) = self.parts(i);
        if name.is_empty() { folder.parent().unwrap_or(Path::new("")) } else { folder }
    }

    /// The file stem of file number `i`, without building its path.
    pub fn stem(&self, i: usize) -> String {
        let (folder, name) = self.parts(i);
        let name = if name.is_empty() { folder } else { Path::new(name) };
        name.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
    }

    fn parts(&self, i: usize) -> (&Path, &std::ffi::OsStr) {
        let (folder, end) = self.files[i];
        let start = if i == 0 { 0 } else { self.files[i - 1].1 };
        (&self.folders[folder as usize], name_from_bytes(&self.names[start as usize..end as usize]))
    }

    /// The packed list of `paths`, each as given.
    pub fn from_paths(paths: &[PathBuf]) -> Result<GuideFiles> {
        let mut files = GuideFiles::default();
        for path in paths {
            files.folders.push(path.clone());
            files.push_name(b"")?;
        }
        Ok(files)
    }

    /// Adds a file named on the command line, unless it repeats the one before.
    fn push_named(&mut self, path: &Path) -> Result<()> {
        if self.files.last().is_some_and(|_| self.get(self.len() - 1) == path) {
            return Ok(());
        }
        self.folders.push(path.to_path_buf());
        self.push_name(b"")
    }

    /// Adds `name` in the folder last added.
    fn push_name(&mut self, name: &[u8]) -> Result<()> {
        self.names.extend_from_slice(name);
        let folder = u32::try_from(self.folders.len() - 1).context("too many folders")?;
        let end = u32::try_from(self.names.len()).context("the file names exceed 4 GB")?;
        self.files.push((folder, end));
        Ok(())
    }
}

#[cfg(unix)]
fn name_bytes(name: &std::ffi::OsStr) -> &[u8] {
    std::os::unix::ffi::OsStrExt::as_bytes(name)
}

#[cfg(unix)]
fn name_from_bytes(bytes: &[u8]) -> &std::ffi::OsStr {
    std::os::unix::ffi::OsStrExt::from_bytes(bytes)
}

#[cfg(not(unix))]
fn name_bytes(name: &std::ffi::OsStr) -> &[u8] {
    name.as_encoded_bytes()
}

#[cfg(not(unix))]
fn name_from_bytes(bytes: &[u8]) -> &std::ffi::OsStr {
    // Names were stored from `as_encoded_bytes`; off Unix, guidekit reads UTF-8 names only.
    std::ffi::OsStr::new(std::str::from_utf8(bytes).unwrap_or(""))
}

/// Every guide named by `paths`, as paths (for commands that work on a few files; `validate` and `build`
/// keep the packed [`GuideFiles`]).
pub fn guide_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    Ok(guide_list(paths)?.iter().collect())
}

/// Every guide named by `paths`: files as given, directories searched for `*.json` (in path order, each
/// folder's entries sorted by name, so that runs are reproducible). In a directory, entries that are not
/// plain files or folders are skipped and named on stderr: symbolic links (never followed, so a search cannot
/// leave the tree or loop), FIFOs, devices and sockets, hidden entries, and `target`/`node_modules`.
pub fn guide_list(paths: &[PathBuf]) -> Result<GuideFiles> {
    let mut files = GuideFiles::default();
    let mut skipped = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        if metadata.is_dir() {
            let before = files.len();
            search(path, &mut files, &mut skipped).with_context(|| format!("cannot search `{}`", path.display()))?;
            if files.len() == before {
                bail!("no `*.json` guide in `{}`", path.display());
            }
        } else {
            // A file named on the command line is read whatever it is; `read_guide` refuses what is not a
            // regular file without blocking on it.
            files.push_named(path)?;
        }
    }
    skipped.sort();
    for (path, why) in &skipped {
        eprintln!("warning: skipped `{}`: {why}", path.display());
    }
    Ok(files)
}

/// Folders that hold tools' files, never guides; skipped without a word.
const TOOL_FOLDERS: &[&str] = &[".git", ".hg", ".svn", "target", "node_modules"];

/// Adds the guides beneath `dir` in path order: a folder's entries sorted by name, each subfolder's guides
/// where its name falls. A folder's names are held packed while it is sorted.
fn search(dir: &Path, files: &mut GuideFiles, skipped: &mut Vec<(PathBuf, &'static str)>) -> Result<()> {
    #[derive(Clone, Copy, PartialEq)]
    enum Kind {
        Guide,
        Folder,
    }
    let mut names: Vec<u8> = Vec::new();
    let mut entries: Vec<(u32, u32, Kind)> = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let os_name = entry.file_name();
        let name = os_name.to_string_lossy();
        // The entry's own type: a symbolic link is reported as a link, not as what it points to.
        let kind = entry.file_type()?;
        if TOOL_FOLDERS.contains(&name.as_ref()) && kind.is_dir() {
            continue;
        }
        let keep = if name.starts_with('.') {
            if kind.is_dir() || name.ends_with(".json") {
                skipped.push((entry.path(), "hidden (its name starts with a dot)"));
            }
            None
        } else if kind.is_dir() {
            Some(Kind::Folder)
        } else if kind.is_file() {
            name.ends_with(".json").then_some(Kind::Guide)
        } else if kind.is_symlink() {
            skipped.push((
                entry.path(),
                "a symbolic link (links inside a directory are not followed; name the file itself to read it)",
            ));
            None
        } else {
            if name.ends_with(".json") {
                skipped.push((entry.path(), "not a regular file (a FIFO, socket or device)"));
            }
            None
        };
        if let Some(kind) = keep {
            let start = u32::try_from(names.len()).context("a folder's names exceed 4 GB")?;
            names.extend_from_slice(name_bytes(&os_name));
            entries.push((start, u32::try_from(names.len()).context("a folder's names exceed 4 GB")?, kind));
        }
    }
    let name = |&(start, end, _): &(u32, u32, Kind)| &names[start as usize..end as usize];
    entries.sort_by(|a, b| name(a).cmp(name(b)));
    let mut folder_added = false;
    for entry in &entries {
        let entry_name = name(entry);
        if entry.2 == Kind::Folder {
            search(&dir.join(name_from_bytes(entry_name)), files, skipped)?;
            folder_added = false;
        } else {
            if !folder_added {
                files.folders.push(dir.to_path_buf());
                folder_added = true;
            }
            files.push_name(entry_name)?;
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
    // Room for one byte more than the file's size, read in one go: the read that fills it is followed by one
    // that finds the end (`read_to_end` through `take` started at 8 KiB and doubled: four reads a guide). At
    // most one byte over the limit is read, however much the file grows meanwhile.
    let limit = max_bytes.saturating_add(1);
    let mut bytes = Vec::with_capacity((metadata.len() as usize + 1).min(limit));
    loop {
        if bytes.len() >= limit {
            break;
        }
        if bytes.len() == bytes.capacity() {
            bytes.reserve_exact((bytes.len() * 2).min(limit) - bytes.len());
        }
        match read_into_spare_capacity(&file, &mut bytes) {
            Ok(0) => break,
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return unreadable(error),
        }
    }
    if bytes.len() > max_bytes {
        // It grew while it was read.
        return Read::Problem(InputProblem::TooLarge { size: bytes.len() as u64 });
    }
    Read::Bytes(bytes)
}

/// Reads once into the spare capacity of `bytes`, which grows by what was read. On Unix the spare capacity is
/// not zeroed first (zeroing each guide's buffer was 1.7% of `validate`'s instructions).
fn read_into_spare_capacity(file: &std::fs::File, bytes: &mut Vec<u8>) -> std::io::Result<usize> {
    #[cfg(unix)]
    {
        rustix::io::read(file, rustix::buffer::spare_capacity(bytes)).map_err(std::io::Error::from)
    }
    #[cfg(not(unix))]
    {
        use std::io::Read as _;
        let filled = bytes.len();
        bytes.resize(bytes.capacity(), 0);
        let read = (&*file).read(&mut bytes[filled..]);
        bytes.truncate(filled + *read.as_ref().unwrap_or(&0));
        read
    }
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

#[cfg(test)]
mod tests {
    use super::{Read, read_guide};
    use guidekit_validate::InputProblem;

    #[test]
    fn a_guide_is_read_whole_up_to_the_limit_and_refused_past_it() {
        let dir = std::env::temp_dir().join(format!("guidekit-read-guide-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for size in [0, 1, 9, 10, 11, 4096] {
            let path = dir.join(format!("{size}.json"));
            let contents: Vec<u8> = (0..size).map(|i| b'a' + (i % 26) as u8).collect();
            std::fs::write(&path, &contents).unwrap();
            match read_guide(&path, 10) {
                Read::Bytes(bytes) => assert!(size <= 10 && bytes == contents, "{size} bytes read as {}", bytes.len()),
                Read::Problem(InputProblem::TooLarge { size: said }) => assert!(size > 10 && said == size as u64),
                Read::Problem(_) => panic!("{size} bytes: unexpected problem"),
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
