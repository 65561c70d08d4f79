//! `guidekit serve`: a live preview of guides.
//!
//! The guides are built into a fresh temporary folder by the same steps as `build` (read, validate, render,
//! publish through `OutDir`), so a served page is byte for byte what `build` writes; only the copy sent to
//! the browser differs, by one reload script (see `page`). A watcher (`notify`) rebuilds the guide whose file
//! changed (everything when the templates, a `guidekit.toml` or the set of guides change), and each open page
//! learns of its own folder's rebuild over server-sent events (see `http`). A guide that cannot be built gets
//! a page with its diagnostics instead, so the server never stops on a mistake. SIGINT or SIGTERM stops it:
//! the temporary folder is removed and the exit code is 0.

mod http;
mod page;
mod sha256;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use guidekit_render::{Format, IndexEntry, OutputFile, RenderOptions, Renderer};
use notify::{EventKind, RecursiveMode, Watcher};

use crate::args::Diagrams;
use crate::out_dir::OutDir;
use crate::report::Human;
use crate::validate::{self, Configs};

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Guide files, or directories to search for `*.json` guides. They are watched: a saved change rebuilds
    /// the guide and reloads its open page.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The port to listen on; 0 picks a free one. The address is printed on stdout.
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// The address to listen on. Anything but a loopback address shows the guides to the network.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// Open the index in the default browser (`xdg-open`; `open` on macOS).
    #[arg(long)]
    pub open: bool,
    /// A directory of templates that override the built-in ones by file name (watched too).
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// How to draw diagrams: `embedded`, `graphviz` or `auto`, as for `build`.
    #[arg(long, value_enum, default_value_t = Diagrams::Embedded)]
    pub diagrams: Diagrams,
    /// The reference list's citation style, as for `build`.
    #[arg(long, value_enum)]
    pub style: Option<crate::cite::Style>,
    /// A `guidekit.toml` with rule levels (default: the nearest one to each input).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// Changes are gathered for this long after the first before a rebuild, so one save (often several file
/// system events: truncate, write, rename) is one rebuild.
const DEBOUNCE: Duration = Duration::from_millis(80);

/// What the builder and the server share: a generation per served folder (`""` for the top-level pages),
/// the number of the rebuild that last changed it.
#[derive(Default)]
pub struct Shared {
    generations: Mutex<HashMap<String, u64>>,
    changed: Condvar,
    stopping: AtomicBool,
}

impl Shared {
    /// The generation of `folder` now.
    pub fn generation(&self, folder: &str) -> u64 {
        self.generations.lock().map_or(0, |g| g.get(folder).copied().unwrap_or(0))
    }

    /// The generation of `folder` once it differs from `last` or `timeout` passed (or at once when `last` is
    /// `None`).
    pub fn wait_for_change(&self, folder: &str, last: Option<u64>, timeout: Duration) -> u64 {
        let Ok(guard) = self.generations.lock() else { return 0 };
        let current = |g: &HashMap<String, u64>| g.get(folder).copied().unwrap_or(0);
        let guard = match self
            .changed
            .wait_timeout_while(guard, timeout, |g| Some(current(g)) == last && !self.stopping.load(Ordering::SeqCst))
        {
            Ok((guard, _)) => guard,
            Err(poisoned) => poisoned.into_inner().0,
        };
        current(&guard)
    }

    /// Whether the server is stopping.
    pub fn stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    fn bump(&self, folders: &[String], generation: u64) {
        if let Ok(mut g) = self.generations.lock() {
            for folder in folders {
                g.insert(folder.clone(), generation);
            }
        }
        self.changed.notify_all();
    }

    fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.changed.notify_all();
    }
}

pub fn run(args: ServeArgs) -> Result<ExitCode> {
    let folder = TempFolder::create()?;
    let shared = Arc::new(Shared::default());
    let mut site = Site::new(&args, folder.path())?;
    site.build_all(&shared)?;
    let listener = TcpListener::bind((args.bind, args.port))
        .with_context(|| format!("cannot listen on {}:{}", args.bind, args.port))?;
    let url = format!("http://{}/", listener.local_addr().context("no local address")?);
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "serving {url}")?;
        writeln!(out, "output folder: {}", folder.path().display())?;
        out.flush()?;
    }
    eprintln!("watching {} guide{}; Ctrl-C stops", site.files.len(), if site.files.len() == 1 { "" } else { "s" });

    let (events, changes) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(events).context("cannot watch the guides")?;
    for (path, mode) in site.watched() {
        watcher.watch(&path, mode).with_context(|| format!("cannot watch `{}`", path.display()))?;
    }
    let root = http::Root::open_folder(folder.path().to_path_buf()).context("cannot open the output folder")?;
    let building = Arc::new(Mutex::new(()));
    {
        let (shared, building) = (Arc::clone(&shared), Arc::clone(&building));
        std::thread::spawn(move || site.watch(&changes, &shared, &building));
    }
    {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || http::run(listener, root, shared));
    }
    if args.open {
        open_browser(&url);
    }
    wait_for_signal()?;
    shared.stop();
    drop(watcher);
    // Waits for a rebuild under way, then keeps the builder out while the folder is removed.
    let _building = building.lock();
    drop(folder);
    eprintln!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// The temporary output folder, removed when dropped.
struct TempFolder(PathBuf);

impl TempFolder {
    /// A new folder, only for this user, under the system's temporary folder.
    fn create() -> Result<TempFolder> {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!("guidekit-serve-{}-{nanos:x}", std::process::id()));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&path).with_context(|| format!("cannot create `{}`", path.display()))?;
        Ok(TempFolder(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The guides being served and how to build them.
struct Site {
    paths: Vec<PathBuf>,
    config: Option<PathBuf>,
    options: RenderOptions,
    renderer: Renderer,
    /// When the templates last failed to load, why; every guide shows it until they load again.
    template_error: Option<String>,
    files: Vec<PathBuf>,
    dirs: Vec<String>,
    configs: Configs,
    /// The index's lines, by folder: every guide that was built at least once and is still an input.
    entries: BTreeMap<String, IndexEntry>,
    index: Vec<u8>,
    out: OutDir,
    generation: u64,
}

impl Site {
    fn new(args: &ServeArgs, out: &Path) -> Result<Site> {
        let options = RenderOptions {
            templates: args.templates.clone(),
            diagrams: args.diagrams.into(),
            style: args.style.map(Into::into),
        };
        let renderer = Renderer::new(options.clone()).context("cannot load the templates")?;
        let files = crate::inputs::guide_files(&args.paths)?;
        let configs = Configs::load(&crate::inputs::GuideFiles::from_paths(&files)?, args.config.as_deref())?;
        Ok(Site {
            paths: args.paths.clone(),
            config: args.config.clone(),
            options,
            renderer,
            template_error: None,
            dirs: crate::build::folder_names(&files)?,
            files,
            configs,
            entries: BTreeMap::new(),
            index: Vec::new(),
            out: OutDir::open(out)?,
            generation: 0,
        })
    }

    /// What to watch: each input folder (a named file's folder, so that an editor's save by rename is seen),
    /// the templates, and an explicit configuration's folder.
    fn watched(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut watched = Vec::new();
        for path in &self.paths {
            if path.is_dir() {
                watched.push((absolute(path), RecursiveMode::Recursive));
            } else {
                watched.push((parent_of(&absolute(path)), RecursiveMode::NonRecursive));
            }
        }
        if let Some(templates) = &self.options.templates {
            watched.push((absolute(templates), RecursiveMode::Recursive));
        }
        if let Some(config) = &self.config {
            watched.push((parent_of(&absolute(config)), RecursiveMode::NonRecursive));
        }
        watched.sort();
        watched.dedup_by(|a, b| a.0 == b.0);
        watched
    }

    /// Rebuilds on changes until the channel closes.
    fn watch(mut self, changes: &mpsc::Receiver<notify::Result<notify::Event>>, shared: &Shared, building: &Mutex<()>) {
        let out = absolute(self.out.path());
        while let Ok(first) = changes.recv() {
            let mut events = vec![first];
            let deadline = Instant::now() + DEBOUNCE;
            while let Some(left) = deadline.checked_duration_since(Instant::now()) {
                match changes.recv_timeout(left) {
                    Ok(event) => events.push(event),
                    Err(_) => break,
                }
            }
            let Ok(_building) = building.lock() else { return };
            if shared.stopping() {
                return;
            }
            let paths: Vec<PathBuf> = events
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                .flat_map(|e| e.paths)
                .filter(|p| !p.starts_with(&out))
                .collect();
            if let Err(error) = self.rebuild(&paths, shared) {
                eprintln!("error: {error:#}");
            }
        }
    }

    /// Rebuilds what `paths` (changed files) affect.
    fn rebuild(&mut self, paths: &[PathBuf], shared: &Shared) -> Result<()> {
        let guides: HashMap<PathBuf, usize> = self.files.iter().enumerate().map(|(i, f)| (absolute(f), i)).collect();
        let templates = self.options.templates.as_deref().map(absolute);
        let config = self.config.as_deref().map(absolute);
        let mut changed = Vec::new();
        let mut everything = false;
        for path in paths {
            if let Some(&i) = guides.get(path) {
                changed.push(i);
            } else if templates.as_ref().is_some_and(|t| path.starts_with(t))
                || config.as_deref() == Some(path.as_path())
                || path.file_name().is_some_and(|n| n == "guidekit.toml")
                || path.extension().is_some_and(|e| e == "json")
            {
                // New templates or configuration, or a guide added or removed.
                everything = true;
            }
        }
        if everything {
            if templates.is_some() {
                match Renderer::new(self.options.clone()) {
                    Ok(renderer) => {
                        self.renderer = renderer;
                        self.template_error = None;
                    }
                    Err(error) => {
                        let error = format!("cannot load the templates: {error}");
                        eprintln!("error: {error}");
                        self.template_error = Some(error);
                    }
                }
            }
            let files = crate::inputs::guide_files(&self.paths)?;
            self.configs = Configs::load(&crate::inputs::GuideFiles::from_paths(&files)?, self.config.as_deref())?;
            self.dirs = crate::build::folder_names(&files)?;
            for gone in self.entries.keys().filter(|d| !self.dirs.contains(d)).cloned().collect::<Vec<_>>() {
                self.out.remove_folder(&gone)?;
                self.entries.remove(&gone);
            }
            self.files = files;
            return self.build_all(shared);
        }
        changed.sort_unstable();
        changed.dedup();
        if changed.is_empty() {
            return Ok(());
        }
        self.generation += 1;
        let mut folders = Vec::new();
        for i in changed {
            self.build_one(i)?;
            folders.push(self.dirs[i].clone());
        }
        if self.write_index()? {
            folders.push(String::new());
        }
        shared.bump(&folders, self.generation);
        Ok(())
    }

    fn build_all(&mut self, shared: &Shared) -> Result<()> {
        self.generation += 1;
        for i in 0..self.files.len() {
            self.build_one(i)?;
        }
        self.write_index()?;
        let mut folders = self.dirs.clone();
        folders.push(String::new());
        shared.bump(&folders, self.generation);
        Ok(())
    }

    /// Builds guide `i` into its folder: its pages, or a page of its diagnostics. Reports on stderr as
    /// `build` does.
    fn build_one(&mut self, i: usize) -> Result<()> {
        let (file, dir) = (&self.files[i], &self.dirs[i]);
        let config = self.configs.of(i);
        let mut checked = match crate::inputs::read_guide(file, config.limits.max_bytes) {
            crate::inputs::Read::Bytes(bytes) => validate::check_bytes(file, &bytes, config),
            crate::inputs::Read::Problem(problem) => validate::unreadable(file, &problem, config),
        };
        let mut report = Vec::new();
        Human::plain().write(&checked, &mut report)?;
        let report = String::from_utf8_lossy(&report).into_owned();
        if !report.is_empty() {
            eprint!("{report}");
        }
        let guide = checked.report.guide.take().filter(|_| !checked.report.has_errors());
        let name = file.display().to_string();
        let files = match (guide, &self.template_error) {
            (_, Some(error)) => Err(error.clone()),
            (None, None) => Err(report),
            (Some(guide), None) => match self.renderer.render(&guide, &[Format::Html, Format::Markdown]) {
                Ok(files) => {
                    self.entries.insert(
                        dir.clone(),
                        IndexEntry {
                            dir: dir.clone(),
                            title: guide.metadata.title.to_string(),
                            compound: guide.compound.subject.name.to_string(),
                            published: guide.metadata.published.to_string(),
                        },
                    );
                    Ok(files)
                }
                Err(error) => Err(format!("error: cannot render `{name}`: {error}")),
            },
        };
        let files = files.unwrap_or_else(|text| {
            eprintln!("error: `{name}` cannot be built; its page shows why");
            vec![OutputFile { path: PathBuf::from("index.html"), contents: page::error_page(&name, &text) }]
        });
        self.out.publish_folder(dir, &files)?;
        eprintln!("built {name} -> /{dir}/");
        Ok(())
    }

    /// Writes the top-level `index.html` and `index.md`; returns whether they changed.
    fn write_index(&mut self) -> Result<bool> {
        let entries: Vec<IndexEntry> = self.entries.values().cloned().collect();
        let files = match self.renderer.render_index(&entries, &[Format::Html, Format::Markdown]) {
            Ok(files) => files,
            Err(error) => {
                let text = format!("cannot render the index: {error}");
                vec![OutputFile { path: PathBuf::from("index.html"), contents: page::error_page("index", &text) }]
            }
        };
        let bytes: Vec<u8> = files.iter().flat_map(|f| f.contents.iter().copied()).collect();
        if bytes == self.index {
            return Ok(false);
        }
        self.out.publish_files(&files)?;
        self.index = bytes;
        Ok(true)
    }
}

/// `path` made absolute against the current folder, as the watcher reports paths beneath an absolute watch.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn parent_of(path: &Path) -> PathBuf {
    path.parent().map_or_else(|| PathBuf::from("/"), Path::to_path_buf)
}

/// Starts the system's browser on `url`, without waiting for it.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    let spawned = std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(error) = spawned {
        eprintln!("warning: cannot start `{program}` to open {url}: {error}");
    }
}

/// Blocks until SIGINT (Ctrl-C) or SIGTERM.
#[cfg(unix)]
fn wait_for_signal() -> Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]).context("cannot handle signals")?;
    let _ = signals.forever().next();
    Ok(())
}

/// Elsewhere Ctrl-C ends the process; the temporary folder stays behind.
#[cfg(not(unix))]
fn wait_for_signal() -> Result<()> {
    loop {
        std::thread::park();
    }
}
