//! The build manifest, `.guidekit-manifest.json` in `--out`: what was built from what, so that the next build
//! rebuilds only what changed, removes the folders of guides that are gone, and so that shard outputs can
//! be merged (`guidekit index`).
//!
//! A guide is skipped when its input bytes and its configuration hash as before, its build was clean (no
//! diagnostic: a guide with warnings is checked again so that they are printed again), its folder is still
//! there, and the build's settings are the same: guidekit's version and binary, the formats, the diagram
//! engine, `--deny`, and the templates. Anything else rebuilds; `--force` rebuilds everything.

use std::fs::File;
use std::hash::Hasher;
use std::io::{BufRead, BufReader, BufWriter, Seek, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use guidekit_render::{IndexEntry, OutputFile};
use serde::{Deserialize, Serialize};
use siphasher::sip::SipHasher13 as SipHasher13x64;
use siphasher::sip128::{Hasher128, SipHasher13};

use crate::out_dir::OutDir;

/// The manifest's file name in `--out`. It starts with a dot, which no guide folder does.
pub const MANIFEST_NAME: &str = ".guidekit-manifest.json";

const FORMAT: &str = "guidekit-build-manifest";
/// 2: JSON Lines (a header line, then one line per guide, in input order), so that a catalog's manifest is
/// written and read a line at a time. Version 1 was one JSON document.
const VERSION: u32 = 2;

/// The first line of a manifest: what the build was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Always `guidekit-build-manifest`.
    pub format: String,
    /// Version of this file's shape.
    pub version: u32,
    /// What the output depends on besides the guides themselves.
    pub settings: Settings,
    /// `K/N` when this output holds one shard of a build; absent for a whole build (and a merged one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
}

impl Header {
    /// The header of a build with `settings`.
    pub fn new(settings: Settings, shard: Option<String>) -> Header {
        Header { format: FORMAT.to_owned(), version: VERSION, settings, shard }
    }
}

/// The build's settings. Two builds with the same settings write the same bytes for the same guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// guidekit's version and a hash of the running binary (a rebuilt binary may render differently).
    pub guidekit: String,
    /// The formats written, e.g. `["html", "md"]`.
    pub formats: Vec<String>,
    /// The diagram engine asked for.
    pub diagrams: String,
    /// The citation style asked for (`--style`), or absent for each guide's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
    /// Whether warnings stopped a guide from being built.
    pub deny_warnings: bool,
    /// How many guides a page of the index lists.
    pub index_page: u32,
    /// A hash of the `--templates` folder's files, or absent for the built-in templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub templates: Option<String>,
}

/// One built guide: a line of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Its number among all the build's inputs (every shard numbers them alike): the order of the manifest
    /// and of the index, and how `guidekit index` interleaves shards.
    pub position: u64,
    /// The guide's file, as named on the command line or found in a named folder.
    pub input: String,
    /// A hash of the file's bytes and of its configuration.
    pub hash: String,
    /// Its folder in the output.
    pub dir: String,
    /// What the index shows.
    pub title: String,
    /// What the index shows.
    pub compound: String,
    /// What the index shows.
    pub published: String,
    /// The guide's warnings as `build` printed them (plain text), replayed when the guide is skipped.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub warnings: String,
}

impl Entry {
    /// The guide's line in the index.
    pub fn index_entry(self) -> IndexEntry {
        IndexEntry { dir: self.dir, title: self.title, compound: self.compound, published: self.published }
    }
}

/// A manifest being written, a line at a time, to a temporary file in the output folder; nothing of it is
/// kept in memory but its hash.
pub struct Writer {
    out: BufWriter<File>,
    temporary: String,
    hasher: SipHasher13,
    /// How many guides.
    pub count: u64,
}

/// A manifest written and not yet in place: see [`Written::install`].
pub struct Written {
    file: File,
    temporary: String,
    hash: u128,
    /// How many guides.
    pub count: u64,
}

impl Writer {
    /// Starts a manifest in a temporary file in `out`.
    pub fn create(out: &OutDir, header: &Header) -> Result<Writer> {
        let (file, temporary) = out.create_temporary()?;
        let mut writer = Writer { out: BufWriter::new(file), temporary, hasher: SipHasher13::new(), count: 0 };
        writer.line(&serde_json::to_vec(header)?)?;
        Ok(writer)
    }

    /// Adds a guide.
    pub fn add(&mut self, entry: &Entry) -> Result<()> {
        self.count += 1;
        self.line(&serde_json::to_vec(entry)?)
    }

    fn line(&mut self, json: &[u8]) -> Result<()> {
        self.hasher.write(json);
        self.hasher.write(b"\n");
        self.out.write_all(json)?;
        self.out.write_all(b"\n").context("cannot write the build manifest")
    }

    /// Flushes the manifest.
    pub fn finish(self) -> Result<Written> {
        let file = self.out.into_inner().map_err(|e| e.into_error()).context("cannot write the build manifest")?;
        Ok(Written { file, temporary: self.temporary, hash: self.hasher.finish128().as_u128(), count: self.count })
    }
}

impl Written {
    /// The guides, in order, read back from the file.
    pub fn entries(&mut self) -> Result<impl Iterator<Item = Result<Entry>> + '_> {
        self.file.rewind()?;
        let mut lines = BufReader::new(&self.file).lines();
        lines.next().context("the build manifest lost its header")??;
        Ok(lines.map(|line| Ok(serde_json::from_str(&line?)?)))
    }

    /// Renames the manifest into place, unless `previous` has the same bytes (so a no-op build writes
    /// nothing); then it is discarded.
    pub fn install(self, out: &OutDir, previous: Option<&Previous>) -> Result<()> {
        drop(self.file);
        if previous.is_some_and(|p| p.hash == self.hash) {
            out.discard(&self.temporary)
        } else {
            out.rename_into_place(&self.temporary, MANIFEST_NAME)
        }
    }

    /// Drops the temporary file.
    pub fn discard(self, out: &OutDir) -> Result<()> {
        drop(self.file);
        out.discard(&self.temporary)
    }
}

/// The manifest of the previous build in `--out`, indexed but not read into memory: each guide's line is
/// read when it is needed, so that a catalog of 100,000 guides costs 16 bytes a guide here.
pub struct Previous {
    file: File,
    /// Its first line.
    pub header: Header,
    /// Per guide, a hash of its input's name and where its line starts, sorted by the hash.
    by_input: Vec<(u64, u64)>,
    /// A hash of the whole file.
    hash: u128,
}

impl Previous {
    /// The manifest in `out`, if there is one guidekit can read (a plain file, never read through a link).
    /// A missing, unreadable or foreign manifest means "nothing is known": everything is built.
    pub fn open(out: &Path) -> Option<Previous> {
        let path = out.join(MANIFEST_NAME);
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            return None;
        }
        Previous::open_file(File::open(path).ok()?).ok()
    }

    /// The manifest in `out`, which must be there (for `guidekit index`).
    pub fn open_required(out: &Path) -> Result<Previous> {
        let path = out.join(MANIFEST_NAME);
        let file = File::open(&path).with_context(|| {
            format!("cannot read `{}`: is `{}` a guidekit build output?", path.display(), out.display())
        })?;
        Previous::open_file(file)
            .with_context(|| format!("`{}` is not a guidekit manifest of this version", path.display()))
    }

    fn open_file(file: File) -> Result<Previous> {
        let mut reader = BufReader::new(&file);
        let mut line = String::new();
        let mut hasher = SipHasher13::new();
        reader.read_line(&mut line)?;
        hasher.write(line.as_bytes());
        let header: Header = serde_json::from_str(line.trim_end())?;
        if header.format != FORMAT || header.version != VERSION {
            bail!("a manifest of another format or version");
        }
        let mut offset = line.len() as u64;
        let mut by_input = Vec::new();
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                break;
            }
            hasher.write(line.as_bytes());
            let entry: Entry = serde_json::from_str(line.trim_end())?;
            by_input.push((short_hash(&entry.input), offset));
            offset += line.len() as u64;
        }
        by_input.sort_unstable();
        drop(reader);
        Ok(Previous { file, header, by_input, hash: hasher.finish128().as_u128() })
    }

    /// The previous build's entry for `input`, if it built it.
    pub fn entry(&self, input: &str) -> Option<Entry> {
        let key = short_hash(input);
        let first = self.by_input.partition_point(|&(hash, _)| hash < key);
        self.by_input[first..]
            .iter()
            .take_while(|&&(hash, _)| hash == key)
            .filter_map(|&(_, offset)| self.entry_at(offset).ok())
            .find(|entry| entry.input == input)
    }

    fn entry_at(&self, offset: u64) -> Result<Entry> {
        let mut reader = BufReader::with_capacity(4096, ReadAt { file: &self.file, offset });
        let mut line = String::new();
        reader.read_line(&mut line)?;
        Ok(serde_json::from_str(line.trim_end())?)
    }

    /// Every guide of the previous build, in its order, read a line at a time.
    pub fn entries(&self) -> impl Iterator<Item = Result<Entry>> + '_ {
        let mut lines = BufReader::new(ReadAt { file: &self.file, offset: 0 }).lines();
        let _header = lines.next();
        lines.map(|line| Ok(serde_json::from_str(&line?)?))
    }
}

/// Reads `file` from `offset` on with positioned reads, so that threads can share one handle.
struct ReadAt<'a> {
    file: &'a File,
    offset: u64,
}

impl std::io::Read for ReadAt<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(self.file, buffer, self.offset)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(self.file, buffer, self.offset)?;
        self.offset += n as u64;
        Ok(n)
    }
}

/// A 64-bit SipHash-1-3 of a string: for indexing names compactly (a match is always checked).
pub fn short_hash(text: &str) -> u64 {
    let mut hasher = SipHasher13x64::new();
    hasher.write(text.as_bytes());
    hasher.finish()
}

/// A 128-bit SipHash-1-3 of some byte strings, as 32 hex digits. Each string is prefixed by its length, so
/// that `("ab", "c")` and `("a", "bc")` differ. For change detection, not for security.
pub fn hash(parts: &[&[u8]]) -> String {
    let mut hasher = SipHasher13::new();
    for part in parts {
        hasher.write_u64(part.len() as u64);
        hasher.write(part);
    }
    format!("{:032x}", hasher.finish128().as_u128())
}

/// guidekit's version and a hash of the running binary.
pub fn guidekit_identity() -> String {
    let binary = std::env::current_exe().and_then(std::fs::read).unwrap_or_default();
    format!("{} {}", env!("CARGO_PKG_VERSION"), &hash(&[&binary])[..16])
}

/// A hash of every file beneath `dir` (names and contents, in sorted order). Links are followed: a templates
/// folder may link to its files.
pub fn hash_folder(dir: &Path) -> Result<String> {
    let files = files_beneath(dir, Links::Follow)?;
    let names: Vec<String> = files.iter().map(|f| f.path.to_string_lossy().into_owned()).collect();
    let parts: Vec<&[u8]> =
        files.iter().zip(&names).flat_map(|(file, name)| [name.as_bytes(), file.contents.as_slice()]).collect();
    Ok(hash(&parts))
}

/// What [`files_beneath`] does with a symbolic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Read what it points to.
    Follow,
    /// Refuse it: an error names it.
    Refuse,
}

/// Every file beneath `dir`, with its path relative to `dir`, in sorted order.
pub fn files_beneath(dir: &Path, links: Links) -> Result<Vec<OutputFile>> {
    fn walk(dir: &Path, base: &Path, links: Links, files: &mut Vec<OutputFile>) -> Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read `{}`", dir.display()))?
            .collect::<std::io::Result<_>>()
            .with_context(|| format!("cannot read `{}`", dir.display()))?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let kind = entry.file_type()?;
            if kind.is_symlink() && links == Links::Refuse {
                bail!("`{}` is a link (guidekit never copies through a link)", path.display());
            }
            // The entry's type comes with the listing; only a link followed needs a look at its target.
            let is_dir = if kind.is_symlink() { path.is_dir() } else { kind.is_dir() };
            if is_dir {
                walk(&path, base, links, files)?;
            } else {
                let contents = std::fs::read(&path).with_context(|| format!("cannot read `{}`", path.display()))?;
                files.push(OutputFile { path: path.strip_prefix(base).unwrap_or(&path).to_path_buf(), contents });
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, dir, links, &mut files)?;
    Ok(files)
}

/// Which of `n` shards a guide's folder belongs to (0-based): a hash of the folder name, so a guide stays in
/// its shard when others are added or removed.
pub fn shard_of(dir: &str, n: u32) -> u32 {
    let digest = hash(&[dir.as_bytes()]);
    let low = u64::from_str_radix(&digest[16..], 16).unwrap_or(0);
    (low % u64::from(n.max(1))) as u32
}

/// `K/N` with 1 ≤ K ≤ N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub k: u32,
    /// How many shards.
    pub n: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let (k, n) = text.split_once('/').ok_or_else(|| format!("`{text}` is not K/N (e.g. 1/4)"))?;
        let k: u32 = k.trim().parse().map_err(|_| format!("`{k}` is not a shard number"))?;
        let n: u32 = n.trim().parse().map_err(|_| format!("`{n}` is not a number of shards"))?;
        if n == 0 || k == 0 || k > n {
            return Err(format!("shard {k}/{n}: K must be from 1 to N"));
        }
        Ok(Shard { k, n })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_separate_their_parts() {
        assert_ne!(hash(&[b"ab", b"c"]), hash(&[b"a", b"bc"]));
        assert_eq!(hash(&[b"guide"]), hash(&[b"guide"]));
        assert_eq!(hash(&[b""]).len(), 32);
    }

    #[test]
    fn shards_split_folders_evenly_and_stably() {
        let dirs: Vec<String> = (0..3000).map(|i| format!("guide-{i}")).collect();
        let mut counts = [0usize; 3];
        for dir in &dirs {
            counts[shard_of(dir, 3) as usize] += 1;
            assert_eq!(shard_of(dir, 3), shard_of(dir, 3));
            assert_eq!(shard_of(dir, 1), 0);
        }
        assert!(counts.iter().all(|&c| (900..1100).contains(&c)), "{counts:?}");
    }

    #[test]
    fn shard_arguments_are_checked() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { k: 2, n: 4 }));
        for bad in ["0/4", "5/4", "1/0", "1", "a/b", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
