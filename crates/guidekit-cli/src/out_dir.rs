//! Writing beneath the output folder and nowhere else.
//!
//! A catalog build runs unattended over folders that other programs (and people) may also touch, so every
//! write is made so that nothing planted in `--out` can redirect it:
//!
//! - the folder given as `--out` is opened once, and every later operation is relative to that handle
//!   (`openat`, `mkdirat`, `renameat`), so no path is looked up twice;
//! - no symbolic link beneath it is ever followed: folders are opened with `O_NOFOLLOW | O_DIRECTORY` and
//!   files are created with `O_CREAT | O_EXCL | O_NOFOLLOW`, so a planted link makes the write fail instead
//!   of landing where the link points; a rename replaces a link itself, never its target;
//! - a guide's folder is written aside under a fresh temporary name, then renamed into place in one step
//!   (`renameat2` with `RENAME_EXCHANGE` when a previous build's folder is there), so a reader, or a build
//!   killed half-way, sees the whole folder or none of it; top-level files (the index) are written to a
//!   temporary file and renamed;
//! - temporary names start with [`TEMP_PREFIX`] and are created exclusively, so a pre-planted name can only
//!   make guidekit pick another; the next build removes whatever a killed build left behind;
//! - a lock file keeps two builds from writing into one folder at once.
//!
//! This is what `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)` or `cap-std` would give; it is written
//! with plain `*at` calls (through `rustix`, safe Rust) because they exist on every Unix and the rules here
//! are stricter than `cap-std`'s, which follows links that stay inside the folder.

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result, bail};
use guidekit_render::OutputFile;

/// Every temporary file and folder guidekit makes in `--out` starts with this; nothing else does.
pub const TEMP_PREFIX: &str = ".guidekit-tmp-";

/// The lock file that keeps two builds out of one folder.
pub const LOCK_NAME: &str = ".guidekit-lock";

/// A fresh temporary name: the process id, a counter and the clock, so that two builds and two threads
/// never pick the same one (and exclusive creation catches the rest).
fn temporary_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("{TEMP_PREFIX}{}-{}-{nanos:08x}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// The names along a relative output path, refusing anything that could leave the folder.
fn components(path: &Path) -> Result<Vec<&std::ffi::OsStr>> {
    let mut names = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(name) if !name.to_string_lossy().starts_with(TEMP_PREFIX) => names.push(name),
            _ => bail!("refusing to write `{}`: it would leave the output folder", path.display()),
        }
    }
    if names.is_empty() {
        bail!("refusing to write an empty path");
    }
    Ok(names)
}

#[cfg(unix)]
pub use unix::OutDir;

#[cfg(unix)]
mod unix {
    use std::fs::File;
    use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

    use rustix::fs::{AtFlags, FileType, FlockOperation, Mode, OFlags};
    use rustix::io::Errno;

    use super::*;

    const DIR_FLAGS: OFlags = OFlags::RDONLY.union(OFlags::DIRECTORY).union(OFlags::NOFOLLOW).union(OFlags::CLOEXEC);
    const NEW_FILE_FLAGS: OFlags =
        OFlags::WRONLY.union(OFlags::CREATE).union(OFlags::EXCL).union(OFlags::NOFOLLOW).union(OFlags::CLOEXEC);

    fn file_mode() -> Mode {
        Mode::from_raw_mode(0o644)
    }

    fn dir_mode() -> Mode {
        Mode::from_raw_mode(0o755)
    }

    /// The output folder, opened once and locked for this build.
    pub struct OutDir {
        path: PathBuf,
        fd: OwnedFd,
        // Held for the life of the build: the lock is released when the file is closed.
        _lock: File,
    }

    impl OutDir {
        /// Creates `path` if needed, opens it and takes the build lock.
        pub fn open(path: &Path) -> Result<OutDir> {
            std::fs::create_dir_all(path).with_context(|| format!("cannot create `{}`", path.display()))?;
            // The folder itself is the user's choice and may be a link; nothing beneath it is followed.
            let fd = rustix::fs::open(path, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())
                .with_context(|| format!("cannot open the output folder `{}`", path.display()))?;
            let lock = rustix::fs::openat(
                &fd,
                LOCK_NAME,
                OFlags::RDWR | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                file_mode(),
            )
            .with_context(|| format!("cannot create the lock file `{}`", path.join(LOCK_NAME).display()))?;
            match rustix::fs::flock(&lock, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => {}
                Err(Errno::WOULDBLOCK) => bail!(
                    "another guidekit build is writing to `{}`; wait for it to finish, or choose another --out",
                    path.display()
                ),
                Err(error) => {
                    return Err(error).with_context(|| format!("cannot lock `{}`", path.display()));
                }
            }
            Ok(OutDir { path: path.to_path_buf(), fd, _lock: File::from(lock) })
        }

        /// The output folder as given.
        pub fn path(&self) -> &Path {
            &self.path
        }

        /// Removes the folder `name` (a guide that is gone) with everything in it, without following links.
        pub fn remove_folder(&self, name: &str) -> Result<()> {
            let names = components(Path::new(name))?;
            if names.len() != 1 {
                bail!("refusing to remove `{name}`: not a folder directly in the output folder");
            }
            self.remove_entry(names[0])
        }

        /// Removes what a killed build left behind: every entry whose name starts with [`TEMP_PREFIX`].
        /// Returns how many were removed.
        pub fn remove_stale(&self) -> Result<usize> {
            let mut removed = 0;
            let entries =
                std::fs::read_dir(&self.path).with_context(|| format!("cannot list `{}`", self.path.display()))?;
            for entry in entries {
                let entry = entry.with_context(|| format!("cannot list `{}`", self.path.display()))?;
                let name = entry.file_name();
                if name.to_string_lossy().starts_with(TEMP_PREFIX) {
                    self.remove_entry(&name)?;
                    removed += 1;
                }
            }
            Ok(removed)
        }

        /// Writes `files` as the folder `name`, which appears complete or not at all and replaces any
        /// previous folder (or anything else) of that name.
        pub fn publish_folder(&self, name: &str, files: &[OutputFile]) -> Result<()> {
            components(Path::new(name))?;
            let staging = self.create_unique_dir()?;
            let written = (|| -> Result<()> {
                let staging_fd = open_dir(self.fd.as_fd(), &staging)?;
                let mut folders = Folders::default();
                for file in files {
                    write_new(staging_fd.as_fd(), &mut folders, &file.path, &file.contents).with_context(|| {
                        format!("cannot write `{}`", self.path.join(name).join(&file.path).display())
                    })?;
                }
                self.swap_in(&staging, name)
            })();
            if written.is_err() {
                let _ = self.remove_entry(std::ffi::OsStr::new(&staging));
            }
            written
        }

        /// Writes top-level files (such as the index), each through an exclusive temporary file and a rename.
        pub fn publish_files(&self, files: &[OutputFile]) -> Result<()> {
            for file in files {
                let names = components(&file.path)?;
                let (last, parents) = names.split_last().expect("components are never empty");
                let mut dir = self.fd.try_clone().context("cannot duplicate a file descriptor")?;
                for parent in parents {
                    dir = open_or_create_dir(dir.as_fd(), parent)?;
                }
                let temporary = temporary_name();
                let target = self.path.join(&file.path);
                let result =
                    create_and_write(dir.as_fd(), std::ffi::OsStr::new(&temporary), &file.contents).and_then(|()| {
                        rustix::fs::renameat(&dir, temporary.as_str(), &dir, *last).map_err(std::io::Error::from)
                    });
                if let Err(error) = result {
                    let _ = rustix::fs::unlinkat(&dir, temporary.as_str(), AtFlags::empty());
                    return Err(error).with_context(|| format!("cannot write `{}`", target.display()));
                }
            }
            Ok(())
        }

        /// A new temporary file directly in the output folder, open for reading and writing, for a file too
        /// large to hold in memory (a catalog's manifest). Put it in place with [`OutDir::rename_into_place`]
        /// or drop it with [`OutDir::discard`]; a killed build leaves it to [`OutDir::remove_stale`].
        pub fn create_temporary(&self) -> Result<(File, String)> {
            let flags = NEW_FILE_FLAGS.difference(OFlags::WRONLY).union(OFlags::RDWR);
            for _ in 0..100 {
                let name = temporary_name();
                match rustix::fs::openat(&self.fd, name.as_str(), flags, file_mode()) {
                    Ok(fd) => return Ok((File::from(fd), name)),
                    Err(Errno::EXIST) => continue,
                    Err(error) => {
                        return Err(error)
                            .with_context(|| format!("cannot create a file in `{}`", self.path.display()));
                    }
                }
            }
            bail!("cannot find a free temporary name in `{}`", self.path.display())
        }

        /// Renames the temporary file `temporary` to `name`, directly in the output folder.
        pub fn rename_into_place(&self, temporary: &str, name: &str) -> Result<()> {
            if components(Path::new(name))?.len() != 1 {
                bail!("refusing to write `{name}`: not directly in the output folder");
            }
            rustix::fs::renameat(&self.fd, temporary, &self.fd, name)
                .with_context(|| format!("cannot write `{}`", self.path.join(name).display()))
        }

        /// Removes the temporary file or folder `temporary`.
        pub fn discard(&self, temporary: &str) -> Result<()> {
            self.remove_entry(std::ffi::OsStr::new(temporary))
        }

        /// Removes the file `name` directly in the output folder, if it is there (never through a link).
        pub fn remove_file(&self, name: &str) -> Result<bool> {
            if components(Path::new(name))?.len() != 1 {
                bail!("refusing to remove `{name}`: not directly in the output folder");
            }
            match rustix::fs::unlinkat(&self.fd, name, AtFlags::empty()) {
                Ok(()) => Ok(true),
                Err(Errno::NOENT) => Ok(false),
                Err(error) => Err(error).with_context(|| format!("cannot remove `{}`", self.path.join(name).display())),
            }
        }

        /// A new, empty temporary folder directly in the output folder.
        fn create_unique_dir(&self) -> Result<String> {
            for _ in 0..100 {
                let name = temporary_name();
                match rustix::fs::mkdirat(&self.fd, name.as_str(), dir_mode()) {
                    Ok(()) => return Ok(name),
                    Err(Errno::EXIST) => continue,
                    Err(error) => {
                        return Err(error)
                            .with_context(|| format!("cannot create a folder in `{}`", self.path.display()));
                    }
                }
            }
            bail!("cannot find a free temporary name in `{}`", self.path.display())
        }

        /// Moves the finished folder `staging` to `name` in one step.
        fn swap_in(&self, staging: &str, name: &str) -> Result<()> {
            let context = || format!("cannot move the new `{}` into place", self.path.join(name).display());
            #[cfg(any(target_os = "linux", target_os = "android"))]
            {
                use rustix::fs::RenameFlags;
                match rustix::fs::renameat_with(&self.fd, staging, &self.fd, name, RenameFlags::NOREPLACE) {
                    Ok(()) => return Ok(()),
                    Err(Errno::EXIST) => {
                        match rustix::fs::renameat_with(&self.fd, staging, &self.fd, name, RenameFlags::EXCHANGE) {
                            // The old folder is now under the temporary name.
                            Ok(()) => return self.remove_entry(std::ffi::OsStr::new(staging)),
                            Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
                            Err(error) => return Err(error).with_context(context),
                        }
                    }
                    Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
                    Err(error) => return Err(error).with_context(context),
                }
            }
            // Without renameat2: move the old folder aside, the new one in, then remove the old one. A build
            // killed between the two renames leaves the guide's folder missing (never half-written).
            let aside = temporary_name();
            match rustix::fs::renameat(&self.fd, name, &self.fd, aside.as_str()) {
                Ok(()) | Err(Errno::NOENT) => {}
                Err(error) => return Err(error).with_context(context),
            }
            rustix::fs::renameat(&self.fd, staging, &self.fd, name).with_context(context)?;
            self.remove_entry(std::ffi::OsStr::new(&aside))
        }

        /// Removes a direct entry of the output folder: a file or link is unlinked (a link's target is never
        /// touched); a folder is removed with everything in it, without following links.
        fn remove_entry(&self, name: &std::ffi::OsStr) -> Result<()> {
            let stat = match rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
                Ok(stat) => stat,
                Err(Errno::NOENT) => return Ok(()),
                Err(error) => {
                    return Err(error).with_context(|| format!("cannot inspect `{}`", self.path.join(name).display()));
                }
            };
            let path = self.path.join(name);
            if FileType::from_raw_mode(stat.st_mode) == FileType::Directory {
                // std's remove_dir_all never follows links (it works with openat/unlinkat itself).
                std::fs::remove_dir_all(&path)
            } else {
                rustix::fs::unlinkat(&self.fd, name, AtFlags::empty()).map_err(std::io::Error::from)
            }
            .with_context(|| format!("cannot remove `{}`", path.display()))
        }
    }

    /// Opens a folder beneath `dir` without following a link.
    fn open_dir(dir: BorrowedFd<'_>, name: impl rustix::path::Arg) -> Result<OwnedFd> {
        rustix::fs::openat(dir, name, DIR_FLAGS, Mode::empty()).map_err(|error| match error {
            Errno::LOOP | Errno::NOTDIR | Errno::MLINK => {
                anyhow::anyhow!("a symbolic link or a file is in the way (guidekit never writes through a link)")
            }
            other => anyhow::Error::from(other),
        })
    }

    fn open_or_create_dir(dir: BorrowedFd<'_>, name: &std::ffi::OsStr) -> Result<OwnedFd> {
        match rustix::fs::mkdirat(dir, name, dir_mode()) {
            Ok(()) | Err(Errno::EXIST) => {}
            Err(error) => return Err(error.into()),
        }
        open_dir(dir, name).with_context(|| format!("in `{}`", name.to_string_lossy()))
    }

    /// Creates a new file (never an existing one, never through a link) and writes it whole.
    fn create_and_write(dir: BorrowedFd<'_>, name: &std::ffi::OsStr, contents: &[u8]) -> std::io::Result<()> {
        let fd = rustix::fs::openat(dir, name, NEW_FILE_FLAGS, file_mode())?;
        let mut file = File::from(fd);
        file.write_all(contents)
    }

    /// The folders made so far beneath a fresh folder, open, by their path in it: a guide's figures share one
    /// folder, which is then created and opened once rather than once per figure (three system calls each).
    #[derive(Default)]
    struct Folders {
        open: Vec<(PathBuf, OwnedFd)>,
    }

    /// Writes `path` (relative) beneath the fresh folder `root`, creating folders on the way.
    fn write_new(root: BorrowedFd<'_>, folders: &mut Folders, path: &Path, contents: &[u8]) -> Result<()> {
        let names = components(path)?;
        let (last, parents) = names.split_last().expect("components are never empty");
        if parents.is_empty() {
            // A file at the top of the folder: no folder to look up or make.
            return Ok(create_and_write(root, last, contents)?);
        }
        let parent_path: PathBuf = parents.iter().collect();
        let known = folders.open.iter().position(|(path, _)| *path == parent_path);
        let dir = match known {
            Some(index) => folders.open[index].1.as_fd(),
            None => {
                let mut owned: Option<OwnedFd> = None;
                for parent in parents {
                    let dir = owned.as_ref().map_or(root, |fd| fd.as_fd());
                    owned = Some(open_or_create_dir(dir, parent)?);
                }
                let fd = owned.expect("a path with parents opens at least one folder");
                folders.open.push((parent_path, fd));
                folders.open.last().map(|(_, fd)| fd.as_fd()).expect("just added")
            }
        };
        create_and_write(dir, last, contents)?;
        Ok(())
    }
}

#[cfg(not(unix))]
pub use portable::OutDir;

/// Where there are no `*at` calls: the same steps through paths, checking for links before each write. It
/// is not proof against a link planted between the check and the write.
#[cfg(not(unix))]
mod portable {
    use super::*;

    /// The output folder of this build.
    pub struct OutDir {
        path: PathBuf,
    }

    impl OutDir {
        /// Creates `path` if needed.
        pub fn open(path: &Path) -> Result<OutDir> {
            std::fs::create_dir_all(path).with_context(|| format!("cannot create `{}`", path.display()))?;
            Ok(OutDir { path: path.to_path_buf() })
        }

        /// The output folder as given.
        pub fn path(&self) -> &Path {
            &self.path
        }

        /// Removes the folder `name` (a guide that is gone) with everything in it.
        pub fn remove_folder(&self, name: &str) -> Result<()> {
            let names = components(Path::new(name))?;
            if names.len() != 1 {
                bail!("refusing to remove `{name}`: not a folder directly in the output folder");
            }
            remove(&self.path.join(names[0]))
        }

        /// Removes what a killed build left behind.
        pub fn remove_stale(&self) -> Result<usize> {
            let mut removed = 0;
            for entry in std::fs::read_dir(&self.path)? {
                let entry = entry?;
                if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
                    remove(&entry.path())?;
                    removed += 1;
                }
            }
            Ok(removed)
        }

        /// Writes `files` as the folder `name`, aside first, then renamed into place.
        pub fn publish_folder(&self, name: &str, files: &[OutputFile]) -> Result<()> {
            components(Path::new(name))?;
            let staging = self.path.join(temporary_name());
            std::fs::create_dir(&staging)?;
            let written = (|| -> Result<()> {
                for file in files {
                    let names = components(&file.path)?;
                    let mut dir = staging.clone();
                    for parent in &names[..names.len() - 1] {
                        dir.push(parent);
                        std::fs::create_dir_all(&dir)?;
                    }
                    let mut out =
                        std::fs::OpenOptions::new().write(true).create_new(true).open(staging.join(&file.path))?;
                    out.write_all(&file.contents)?;
                }
                let target = self.path.join(name);
                let aside = self.path.join(temporary_name());
                if std::fs::symlink_metadata(&target).is_ok() {
                    std::fs::rename(&target, &aside)?;
                }
                std::fs::rename(&staging, &target)?;
                if std::fs::symlink_metadata(&aside).is_ok() {
                    remove(&aside)?;
                }
                Ok(())
            })();
            if written.is_err() {
                let _ = remove(&staging);
            }
            written
        }

        /// A new temporary file directly in the output folder, open for reading and writing.
        pub fn create_temporary(&self) -> Result<(std::fs::File, String)> {
            let name = temporary_name();
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(self.path.join(&name))
                .with_context(|| format!("cannot create a file in `{}`", self.path.display()))?;
            Ok((file, name))
        }

        /// Renames the temporary file `temporary` to `name`, directly in the output folder.
        pub fn rename_into_place(&self, temporary: &str, name: &str) -> Result<()> {
            if components(Path::new(name))?.len() != 1 {
                bail!("refusing to write `{name}`: not directly in the output folder");
            }
            Ok(std::fs::rename(self.path.join(temporary), self.path.join(name))?)
        }

        /// Removes the temporary file or folder `temporary`.
        pub fn discard(&self, temporary: &str) -> Result<()> {
            remove(&self.path.join(temporary))
        }

        /// Removes the file `name` directly in the output folder, if it is there.
        pub fn remove_file(&self, name: &str) -> Result<bool> {
            if components(Path::new(name))?.len() != 1 {
                bail!("refusing to remove `{name}`: not directly in the output folder");
            }
            match std::fs::remove_file(self.path.join(name)) {
                Ok(()) => Ok(true),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
                Err(error) => Err(error.into()),
            }
        }

        /// Writes top-level files through a temporary file and a rename.
        pub fn publish_files(&self, files: &[OutputFile]) -> Result<()> {
            for file in files {
                components(&file.path)?;
                let target = self.path.join(&file.path);
                let temporary = self.path.join(temporary_name());
                let mut out = std::fs::OpenOptions::new().write(true).create_new(true).open(&temporary)?;
                out.write_all(&file.contents)?;
                drop(out);
                std::fs::rename(&temporary, &target)?;
            }
            Ok(())
        }
    }

    fn remove(path: &Path) -> Result<()> {
        let metadata = std::fs::symlink_metadata(path)?;
        if metadata.is_dir() {
            std::fs::remove_dir_all(path)?
        } else {
            std::fs::remove_file(path)?
        }
        Ok(())
    }
}
