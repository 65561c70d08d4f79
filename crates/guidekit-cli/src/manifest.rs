//! The build manifest, `.guidekit-manifest.json` in `--out`: what was built from what, so that the next build
//! rebuilds only what changed, removes the folders of guides that are gone, and so that shard outputs can
//! be merged (`guidekit index`).
//!
//! A guide is skipped when its input bytes and its configuration hash as before, its build was clean (no
//! diagnostic: a guide with warnings is checked again so that they are printed again), its folder is still
//! there, and the build's settings are the same: guidekit's version and binary, the formats, the diagram
//! engine, `--deny`, and the templates. Anything else rebuilds; `--force` rebuilds everything.

use std::hash::Hasher;
use std::path::Path;

use anyhow::{Context, Result, bail};
use guidekit_render::{IndexEntry, OutputFile};
use serde::{Deserialize, Serialize};
use siphasher::sip128::{Hasher128, SipHasher13};

/// The manifest's file name in `--out`. It starts with a dot, which no guide folder does.
pub const MANIFEST_NAME: &str = ".guidekit-manifest.json";

const FORMAT: &str = "guidekit-build-manifest";
const VERSION: u32 = 1;

/// The manifest of one build (or one shard of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always `guidekit-build-manifest`.
    pub format: String,
    /// Version of this file's shape.
    pub version: u32,
    /// What the output depends on besides the guides themselves.
    pub settings: Settings,
    /// `K/N` when this output holds one shard of a build; absent for a whole build (and a merged one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// One entry per guide built, ordered by folder.
    pub guides: Vec<Entry>,
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
    /// A hash of the `--templates` folder's files, or absent for the built-in templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub templates: Option<String>,
}

/// One built guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
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
    pub fn index_entry(&self) -> IndexEntry {
        IndexEntry {
            dir: self.dir.clone(),
            title: self.title.clone(),
            compound: self.compound.clone(),
            published: self.published.clone(),
        }
    }
}

impl Manifest {
    /// A manifest of `guides` (sorted here by folder).
    pub fn new(settings: Settings, shard: Option<String>, mut guides: Vec<Entry>) -> Manifest {
        guides.sort_by(|a, b| a.dir.cmp(&b.dir));
        Manifest { format: FORMAT.to_owned(), version: VERSION, settings, shard, guides }
    }

    /// The manifest in `out`, if there is one guidekit can read. A missing, unreadable or foreign manifest
    /// means "nothing is known": everything is built.
    pub fn read(out: &Path) -> Option<Manifest> {
        let bytes = std::fs::read(out.join(MANIFEST_NAME)).ok()?;
        serde_json::from_slice::<Manifest>(&bytes).ok().filter(|m| m.format == FORMAT && m.version == VERSION)
    }

    /// The manifest in `out`, which must be there (for `guidekit index`).
    pub fn read_required(out: &Path) -> Result<Manifest> {
        let path = out.join(MANIFEST_NAME);
        let bytes = std::fs::read(&path).with_context(|| {
            format!("cannot read `{}`: is `{}` a guidekit build output?", path.display(), out.display())
        })?;
        let manifest: Manifest = serde_json::from_slice(&bytes)
            .with_context(|| format!("`{}` is not a guidekit manifest", path.display()))?;
        if manifest.format != FORMAT || manifest.version != VERSION {
            bail!("`{}` is a manifest of another format or version", path.display());
        }
        Ok(manifest)
    }

    /// The bytes written to [`MANIFEST_NAME`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
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
            if path.is_dir() {
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
