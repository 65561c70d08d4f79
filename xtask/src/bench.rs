//! `cargo xtask bench [--n N] [--runs R] [--memory N,N,...]`: catalog-scale speed and memory of the release
//! binary, measured in one run against the parse floor and named peers on the same generated guides
//! (`corpus.rs`), with hyperfine (medians; CPU = user + system) and `/usr/bin/time` (peak RSS of every run);
//! with valgrind installed, callgrind also counts the instructions of the parse floor and of `validate -j 1`
//! on the first 300 guides, a ratio that does not swing with the machine's load. Never part of the tests; CI
//! runs it at a small N as a smoke test only.
//!
//! Peers, each when installed: ajv-cli (Node; schema only) against `schemas/guide.schema.json`, the Python
//! binding of jsonschema-rs (schema only, every guide in one process), Hugo on the same guides as Markdown
//! page bundles with the same SVG diagrams, and Graphviz (`build --diagrams graphviz`). The report goes to the
//! terminal and `target/bench/report.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// One measured command.
struct Measured {
    what: String,
    guides: usize,
    median: f64,
    /// User + system seconds, the median of the runs.
    cpu: f64,
    /// User seconds alone: the issue's table counted these, and reading files is system time that every tool
    /// here pays alike, which brings ratios of user + system closer to 1.
    user: f64,
    rss_kib: u64,
}

impl Measured {
    fn per_second(&self) -> f64 {
        self.guides as f64 / self.median
    }
}

struct Options {
    n: usize,
    runs: usize,
    memory: Vec<usize>,
    /// Whose binaries run: `release` (the default; what the figures are of) or `dev` (the CI's smoke run, which
    /// checks the benchmark's steps and has no use for a release build of the whole tree).
    profile: String,
}

fn options(args: &[String]) -> Result<Options> {
    let mut options = Options { n: 10_000, runs: 3, memory: Vec::new(), profile: "release".into() };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--n" => options.n = value()?.parse().context("--n N")?,
            "--runs" => options.runs = value()?.parse().context("--runs R")?,
            "--memory" => {
                options.memory =
                    value()?.split(',').map(|n| n.trim().parse()).collect::<Result<_, _>>().context("--memory N,N")?
            }
            "--profile" => {
                options.profile = value()?.clone();
                if !matches!(options.profile.as_str(), "release" | "dev") {
                    bail!("--profile is `release` or `dev`, not `{}`", options.profile);
                }
            }
            other => bail!(
                "unknown option `{other}`; usage: cargo xtask bench [--n N] [--runs R] [--memory N,N,...] [--profile \
                 release|dev]"
            ),
        }
    }
    Ok(options)
}

struct Bench {
    work: PathBuf,
    guidekit: String,
    /// The xtask binary of the same profile, for the parse floor.
    xtask: String,
    runs: usize,
    count: usize,
}

/// One command of a group that [`Bench::measure_in_turn`] runs in turn.
struct Timed {
    what: String,
    guides: usize,
    /// A shell command line.
    command: String,
    /// Run before each of its runs (not measured), then `sync`.
    prepare: Option<String>,
}

impl Timed {
    fn new(what: &str, guides: usize, command: String, prepare: Option<String>) -> Timed {
        Timed { what: what.to_owned(), guides, command, prepare }
    }
}

/// The median of `values` (NaN for none).
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

impl Bench {
    /// Runs `command` (a shell command line) `runs` times; see [`Bench::measure_in_turn`].
    fn measure(
        &mut self,
        what: &str,
        guides: usize,
        command: &str,
        prepare: Option<&str>,
        runs: usize,
    ) -> Result<Measured> {
        let timed = Timed::new(what, guides, command.to_owned(), prepare.map(str::to_owned));
        Ok(self.measure_in_turn(vec![timed], runs)?.remove(0))
    }

    /// Runs the commands of `group` in turn, `rounds` times over, with hyperfine, each run under
    /// `/usr/bin/time` for its peak memory and after its `prepare` and a `sync` (not measured); each round
    /// starts one command later than the one before. Gives each command's median wall time, user + system
    /// seconds and user seconds over its runs.
    ///
    /// In turn, because a ratio of two commands measured one after the other is a ratio of two moments as well:
    /// this machine's speed drifts by several percent within minutes. Two builds of `guidekit`, ten runs of
    /// each with hyperfine, measured 6% apart in favour of whichever went second, in either order; in turn,
    /// twelve runs each, 0.6% apart (by hand, 2026-12-02).
    ///
    /// The `sync` is there because a 10,000-guide build leaves 1.6 GB of pages to write: on this machine's two
    /// CPUs, the kernel writing out the runs before it took CPU from each run measured after it (a build into
    /// a fresh folder, measured by hand: 15.9 s, then 18.2 s with the first one's pages still being written,
    /// then 14.7 s after a `sync`), whichever tool the run is of. A fresh CI runner starts with nothing to
    /// write either.
    fn measure_in_turn(&mut self, group: Vec<Timed>, rounds: usize) -> Result<Vec<Measured>> {
        let rss: Vec<PathBuf> = group
            .iter()
            .map(|_| {
                self.count += 1;
                self.work.join(format!("rss-{}.txt", self.count))
            })
            .collect();
        for file in &rss {
            let _ = std::fs::remove_file(file);
        }
        let names: Vec<&str> = group.iter().map(|t| t.what.as_str()).collect();
        let rounds = rounds.max(1);
        eprintln!("\n== {} ({rounds} round{})", names.join(" | "), if rounds == 1 { "" } else { "s" });
        // For each command, (wall, user, system) of each of its runs.
        let mut samples: Vec<Vec<(f64, f64, f64)>> = vec![Vec::new(); group.len()];
        for round in 0..rounds {
            let order: Vec<usize> = (0..group.len()).map(|k| (k + round) % group.len()).collect();
            self.count += 1;
            let json = self.work.join(format!("run-{}.json", self.count));
            let mut args: Vec<String> =
                ["--runs", "1", "--style", "none", "-i", "--export-json"].map(String::from).to_vec();
            args.push(json.display().to_string());
            for &k in &order {
                let prepare = group[k].prepare.as_ref().map_or_else(|| "sync".to_owned(), |p| format!("{p}; sync"));
                args.extend(["--prepare".to_owned(), prepare]);
            }
            for &k in &order {
                args.push(format!("--command-name={}", group[k].what));
            }
            for &k in &order {
                args.push(format!("/usr/bin/time -f %M -a -o {} {}", rss[k].display(), group[k].command));
            }
            let status = Command::new("hyperfine").args(&args).status().context("hyperfine")?;
            if !status.success() {
                bail!("hyperfine failed for {}", names.join(", "));
            }
            let value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json)?)?;
            for (i, &k) in order.iter().enumerate() {
                let result = &value["results"][i];
                let field = |name: &str| result[name].as_f64().unwrap_or(f64::NAN);
                samples[k].push((field("median"), field("user"), field("system")));
            }
        }
        let measured: Vec<Measured> = group
            .into_iter()
            .zip(samples)
            .zip(&rss)
            .map(|((timed, runs), rss)| {
                let rss_kib = std::fs::read_to_string(rss)
                    .unwrap_or_default()
                    .lines()
                    .filter_map(|l| l.trim().parse::<u64>().ok())
                    .max()
                    .unwrap_or(0);
                Measured {
                    what: timed.what,
                    guides: timed.guides,
                    median: median(runs.iter().map(|r| r.0).collect()),
                    cpu: median(runs.iter().map(|r| r.1 + r.2).collect()),
                    user: median(runs.iter().map(|r| r.1).collect()),
                    rss_kib,
                }
            })
            .collect();
        for m in &measured {
            eprintln!(
                "   {}: median {:.3} s wall, {:.2} s CPU of which {:.2} s user, peak {:.1} MiB",
                m.what,
                m.median,
                m.cpu,
                m.user,
                m.rss_kib as f64 / 1024.0
            );
        }
        Ok(measured)
    }
}

pub fn run(args: &[String]) -> Result<()> {
    let options = options(args)?;
    let root = crate::root();
    for tool in ["hyperfine", "/usr/bin/time"] {
        if Command::new(tool).arg("--version").output().is_err() {
            bail!("`{tool}` is needed: apt-get install hyperfine time");
        }
    }
    crate::cargo(&[&["build", "--profile", &options.profile, "--locked"][..], &crate::GUIDEKIT_PACKAGES].concat())?;
    // Cargo's `dev` profile writes to `target/debug`.
    let binaries = root.join("target").join(if options.profile == "dev" { "debug" } else { "release" });
    let work = root.join("target/bench");
    std::fs::create_dir_all(&work)?;
    let mut bench = Bench {
        work: work.clone(),
        guidekit: binaries.join("guidekit").display().to_string(),
        xtask: binaries.join("xtask").display().to_string(),
        runs: options.runs,
        count: 0,
    };
    let mut report = String::from("# guidekit at catalog scale\n\n");
    report.push_str(&format!(
        "`cargo xtask bench --n {} --runs {}{}` on {} ({} CPUs), {}. Medians of hyperfine runs, each after a \
         `sync`: the floor, validation and the schema-only peers in turn, 3R rounds; the builds and Hugo in turn, R \
         rounds; the others R runs. CPU is user + system seconds, then the user seconds alone, which the issue's \
         table counted; peak RSS is the largest of the runs (`/usr/bin/time`). Guides generated by \
         `xtask/src/corpus.rs` (seeded; 10–30 references, 2–8 table rows, 2–3 diagrams of 10–40 nodes).\n\n",
        options.n,
        options.runs,
        if options.profile == "dev" { " --profile dev" } else { "" },
        std::env::consts::ARCH,
        std::thread::available_parallelism().map_or(1, usize::from),
        date()
    ));
    let measured = if options.memory.is_empty() {
        speed(&mut bench, &root, options.n, &mut report)
    } else {
        memory(&mut bench, &root, &options.memory, &mut report)
    };
    remove_set_aside(&work)?;
    measured?;
    let path = work.join(if options.memory.is_empty() { "report.md" } else { "memory.md" });
    std::fs::write(&path, &report)?;
    println!("\n{report}\nwritten to {}", path.display());
    Ok(())
}

/// The shell command run before each build, so that each build starts from no output, as on a fresh CI
/// runner. The last run's output is renamed aside, not deleted, for every tool alike: ext4 without a journal
/// will not reuse inodes freed in the last seconds, so a run right after deleting 100,000 files spends most of
/// its time in the kernel looking for free ones (measured: 2,000 guides built in 3.3 s into a fresh folder,
/// 5.7-8.8 s right after an `rm -rf` and a sync). The set-aside outputs are deleted when the benchmark ends.
fn set_aside(folder: &str) -> String {
    format!("if [ -e {folder} ]; then mv {folder} {folder}{SET_ASIDE}$(date +%s%N); fi")
}

/// What a set-aside output's name has between its own name and the time it was set aside, in nanoseconds:
/// [`set_aside`] (in the shell) and [`set_aside_now`] (here) name it so, and [`remove_set_aside`] looks for it.
const SET_ASIDE: &str = ".old-";

/// [`set_aside`] done here, for the outputs the benchmark makes between measurements (the shards, the single
/// build they are compared with, Hugo's site): deleting them would leave the file system slow for the next
/// measurement, whichever tool it is of.
fn set_aside_now(folder: &Path) -> Result<()> {
    if folder.exists() {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos();
        let aside = format!("{}{SET_ASIDE}{nanos}", folder.display());
        std::fs::rename(folder, &aside).with_context(|| format!("cannot rename {} aside", folder.display()))?;
    }
    Ok(())
}

/// Deletes the outputs that runs renamed aside (`NAME.old-TIME`, [`SET_ASIDE`]), whether the benchmark succeeded
/// or not.
fn remove_set_aside(work: &Path) -> Result<()> {
    for entry in std::fs::read_dir(work)? {
        let path = entry?.path();
        if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.contains(SET_ASIDE)) {
            std::fs::remove_dir_all(&path).with_context(|| format!("cannot remove {}", path.display()))?;
        }
    }
    Ok(())
}

fn speed(bench: &mut Bench, root: &Path, n: usize, report: &mut String) -> Result<()> {
    let corpus = crate::corpus::ensure(root, n)?;
    let dir = corpus.display().to_string();
    let g = bench.guidekit.clone();
    let xtask = bench.xtask.clone();
    let schema = root.join("schemas/guide.schema.json").display().to_string();
    let work = bench.work.clone();
    let out = |name: &str| work.join(name).display().to_string();
    let runs = bench.runs;

    // The corpus is what it claims: valid guides with nothing to report.
    let check = Command::new(&g).args(["validate", &dir]).output().context("guidekit validate")?;
    let summary = String::from_utf8_lossy(&check.stderr).lines().last().unwrap_or_default().to_owned();
    if !check.status.success() || !summary.contains("0 errors, 0 warnings") {
        bail!("the generated corpus is not clean: {summary}");
    }

    let mut rows = Vec::new();
    // The floor, validation and the schema-only peers take seconds, not tens of seconds: three times as many
    // runs for them, whose medians a busy machine moves less (with three, one slow run of `validate -j 1`
    // put its ratio to the floor at 2.71 where a quiet machine measured 2.26).
    let quick = runs * 3;
    let has = |program: &str, arg: &str| {
        let there = Command::new(program).arg(arg).output().is_ok_and(|o| o.status.success());
        if !there {
            guidekit_tests::skips::record("xtask bench", format!("the peer `{program}` is not installed"));
        }
        there
    };
    let has_ajv = has("ajv", "help");
    let python_peer = work.join("jsonschema_rs_peer.py");
    std::fs::write(&python_peer, PYTHON_PEER)?;
    let has_jsonschema_rs =
        Command::new("python3").args(["-c", "import jsonschema_rs"]).output().is_ok_and(|o| o.status.success());
    if !has_jsonschema_rs {
        guidekit_tests::skips::record("xtask bench", "the peer jsonschema-rs (Python) is not installed");
    }
    // The floor, validation and the schema-only peers, in turn: the ratios between them are targets.
    let mut group = vec![
        Timed::new("parse floor (read + serde_json to Value, 1 thread)", n, format!("{xtask} parse-floor {dir}"), None),
        Timed::new(
            "parse floor + jsonschema crate (schema only, 1 thread)",
            n,
            format!("{xtask} parse-floor --schema {dir}"),
            None,
        ),
        Timed::new("guidekit validate -j 1", n, format!("{g} validate {dir} -j 1"), None),
        Timed::new("guidekit validate (all cores)", n, format!("{g} validate {dir}"), None),
    ];
    if has_ajv {
        group.push(Timed::new(
            "ajv-cli (schema only)",
            n,
            format!(
                "ajv validate --spec=draft2020 --strict=false --all-errors -c ajv-formats -s {schema} -d '{dir}/*.json'"
            ),
            None,
        ));
    }
    if has_jsonschema_rs {
        group.push(Timed::new(
            "jsonschema-rs from Python (schema only, 1 process)",
            n,
            format!("python3 {} {schema} {dir}", python_peer.display()),
            None,
        ));
    }
    let mut validation = bench.measure_in_turn(group, quick)?.into_iter();
    let mut next = || validation.next().context("a measurement is missing");
    let (floor, floor_schema, v1, vn) = (next()?, next()?, next()?, next()?);
    let ajv = if has_ajv { Some(next()?) } else { None };
    let jsonschema_rs = if has_jsonschema_rs { Some(next()?) } else { None };
    let counted = instructions(root, n.min(INSTRUCTION_GUIDES), &xtask, &g)?;

    // The builds and Hugo on the same guides as Markdown page bundles with the same SVG diagrams, in turn, each
    // run into a fresh folder (the previous run's output set aside).
    let site = out("site");
    let site_j1 = out("site-j1");
    let public = out("hugo-public");
    let hugo_site = if has("hugo", "version") { Some(hugo_site(&g, &dir, &work)?) } else { None };
    let mut group = vec![
        Timed::new(
            "guidekit build -j 1 (HTML + Markdown, embedded diagrams)",
            n,
            format!("{g} build {dir} --out {site_j1} -j 1"),
            Some(set_aside(&site_j1)),
        ),
        Timed::new("guidekit build (all cores)", n, format!("{g} build {dir} --out {site}"), Some(set_aside(&site))),
    ];
    if let Some(hugo_site) = &hugo_site {
        group.push(Timed::new(
            "Hugo (same guides as Markdown, same SVGs)",
            n,
            format!("hugo --quiet -s {} -d {public}", hugo_site.display()),
            Some(set_aside(&public)),
        ));
    }
    let mut builds = bench.measure_in_turn(group, runs)?.into_iter();
    let mut next = || builds.next().context("a measurement is missing");
    let (b1, bn) = (next()?, next()?);
    // Nothing later reads the `-j 1` build (the no-op and one-changed rebuilds use `site`): set aside, it goes
    // with the rest at the end rather than keeping 1.6 GB at 10,000 guides.
    set_aside_now(Path::new(&site_j1))?;
    let hugo = if hugo_site.is_some() { Some(next()?) } else { None };

    // The last build on all cores left a complete site: rebuild it unchanged, then with one guide changed.
    let noop = bench.measure(
        "guidekit build, nothing changed",
        n,
        &format!("{g} build {dir} --out {site}"),
        None,
        runs.max(5),
    )?;
    let changed_file = corpus.join("guide-000000.json");
    let original = std::fs::read(&changed_file)?;
    let touch = format!(
        "sed -i \"s/A synthetic benchmark guide[^\\\"]*/A synthetic benchmark guide $(date +%N)/\" {}",
        changed_file.display()
    );
    let one = bench.measure(
        "guidekit build, one guide changed",
        n,
        &format!("{g} build {dir} --out {site}"),
        Some(&touch),
        runs.max(5),
    );
    std::fs::write(&changed_file, &original)?;
    let one = one?;

    // Shards: two halves merged must equal the single build, byte for byte.
    let single = out("single");
    set_aside_now(Path::new(&single))?;
    crate::run_quiet(&g, &["build", &dir, "--out", &single])?;
    let mut shard_outs = Vec::new();
    for k in 1..=2 {
        let shard = out(&format!("shard-{k}"));
        set_aside_now(Path::new(&shard))?;
        crate::run_quiet(&g, &["build", &dir, "--out", &shard, "--shard", &format!("{k}/2")])?;
        shard_outs.push(shard);
    }
    let merged = out("merged");
    let merge = bench.measure(
        "guidekit index (merge 2 shards)",
        n,
        &format!("{g} index --out {merged} {} {}", shard_outs[0], shard_outs[1]),
        Some(&set_aside(&merged)),
        1,
    )?;
    let identical = tree(Path::new(&merged))? == tree(Path::new(&single))?;

    let graphviz = if has("dot", "-V") {
        let small = n.min(1000);
        let small_dir = crate::corpus::ensure(root, small)?.display().to_string();
        let gv_site = out("site-graphviz");
        Some(bench.measure(
            "guidekit build --diagrams graphviz (all cores)",
            small,
            &format!("{g} build {small_dir} --out {gv_site} --diagrams graphviz"),
            Some(&set_aside(&gv_site)),
            1,
        )?)
    } else {
        None
    };

    report.push_str(
        "| what | guides | median wall | CPU | of it user | guides/s | peak RSS |\n|---|---:|---:|---:|---:|---:|---:|\n",
    );
    rows.extend([
        Some(&floor),
        Some(&floor_schema),
        Some(&v1),
        Some(&vn),
        ajv.as_ref(),
        jsonschema_rs.as_ref(),
        Some(&b1),
        Some(&bn),
        Some(&noop),
        Some(&one),
        Some(&merge),
        hugo.as_ref(),
        graphviz.as_ref(),
    ]);
    for m in rows.into_iter().flatten() {
        report.push_str(&format!(
            "| {} | {} | {:.3} s | {:.2} s | {:.2} s | {:.0} | {:.1} MiB |\n",
            m.what,
            m.guides,
            m.median,
            m.cpu,
            m.user,
            m.per_second(),
            m.rss_kib as f64 / 1024.0
        ));
    }
    report.push_str("\n| ratio | value | target |\n|---|---:|---|\n");
    let mut ratio =
        |what: &str, value: f64, target: &str| report.push_str(&format!("| {what} | {value:.2} | {target} |\n"));
    ratio("validate -j 1 CPU / parse floor CPU", v1.cpu / floor.cpu, "≤ 2 (aim 1.5)");
    ratio("validate -j 1 / parse floor, user CPU only", v1.user / floor.user, "≤ 2 (aim 1.5)");
    if let Some(counted) = &counted {
        ratio(
            &format!("validate -j 1 / parse floor, instructions (callgrind, {} guides)", counted.guides),
            counted.validate as f64 / counted.floor as f64,
            "≤ 2",
        );
        ratio(
            &format!("parse floor + jsonschema crate / parse floor, instructions ({} guides)", counted.guides),
            counted.floor_schema as f64 / counted.floor as f64,
            "",
        );
    }
    ratio("parse floor + jsonschema crate CPU / parse floor CPU", floor_schema.cpu / floor.cpu, "");
    if let Some(ajv) = &ajv {
        ratio("ajv-cli CPU / validate -j 1 CPU", ajv.cpu / v1.cpu, "≥ 3");
        ratio("ajv-cli / validate -j 1, user CPU only", ajv.user / v1.user, "≥ 3");
        // What the ≥ 3 line asks of validation, set beside the least that checking every guide with the
        // `jsonschema` crate costs: below 3 here, the line asks validate to cost less than the floor plus
        // the schema check alone, before any domain rule.
        ratio("ajv-cli CPU / (parse floor + jsonschema crate) CPU", ajv.cpu / floor_schema.cpu, "");
    }
    if let Some(peer) = &jsonschema_rs {
        ratio("jsonschema-rs (Python) CPU / validate -j 1 CPU", peer.cpu / v1.cpu, "");
    }
    ratio("validate: wall at -j 1 / wall on all cores", v1.median / vn.median, "≥ 1.7 on 2 cores");
    ratio("build: wall at -j 1 / wall on all cores", b1.median / bn.median, "");
    if let Some(hugo) = &hugo {
        ratio("build guides/s (all cores) / Hugo pages/s", bn.per_second() / hugo.per_second(), "≥ 1");
    }
    if let Some(graphviz) = &graphviz {
        ratio("build guides/s embedded / with Graphviz", bn.per_second() / graphviz.per_second(), "");
    }
    report.push_str(&format!(
        "\nBuild of all {n} guides: {:.2} s (target ≤ 20 s at 10,000). No-op rebuild: {:.3} s (target ≤ 1 s); one guide \
         changed: {:.3} s (target ≤ 0.5 s). `--shard 1/2` + `--shard 2/2` merged by `guidekit index` {} the single build.\n",
        bn.median,
        noop.median,
        one.median,
        if identical { "equal, byte for byte," } else { "DIFFER from" }
    ));
    if !identical {
        bail!("merged shards differ from the single build:\n{report}");
    }
    Ok(())
}

/// How many guides [`instructions`] counts on: enough that the fixed costs (start-up, the schema's compilation)
/// are a few percent, few enough for callgrind's fifty-fold slowdown.
const INSTRUCTION_GUIDES: usize = 300;

/// Instructions executed by the parse floor, the floor with the schema check, and `validate -j 1` on the same
/// guides.
struct Instructions {
    guides: usize,
    floor: u64,
    floor_schema: u64,
    validate: u64,
}

/// Counts, with callgrind, the instructions of the parse floor and of `validate -j 1` on the first `n` guides of
/// the corpus: the ratio of CPU times swings by a tenth or more from run to run on a shared machine, a count of
/// instructions does not (it leaves out what an instruction costs: cache misses, branches, the kernel).
/// `None`, recorded as a skip, without valgrind.
fn instructions(root: &Path, n: usize, xtask: &str, guidekit: &str) -> Result<Option<Instructions>> {
    if Command::new("valgrind").arg("--version").output().is_err() {
        guidekit_tests::skips::record("xtask bench", "valgrind is not installed: no instruction counts");
        return Ok(None);
    }
    let dir = crate::corpus::ensure(root, n)?.display().to_string();
    let count = |program: &str, args: &[&str]| -> Result<u64> {
        let output = Command::new("valgrind")
            .args(["--tool=callgrind", "--callgrind-out-file=/dev/null", program])
            .args(args)
            .output()
            .context("cannot run valgrind")?;
        let log = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            bail!("`{program} {}` failed under callgrind:\n{log}", args.join(" "));
        }
        // `==PID== Collected : 455063118`
        log.lines()
            .find_map(|line| line.split_once("Collected :").and_then(|(_, n)| n.trim().parse().ok()))
            .with_context(|| format!("no instruction count in callgrind's output:\n{log}"))
    };
    eprintln!("\n== instructions (callgrind, {n} guides)");
    let floor = count(xtask, &["parse-floor", &dir])?;
    let floor_schema = count(xtask, &["parse-floor", "--schema", &dir])?;
    let validate = count(guidekit, &["validate", &dir, "-j", "1"])?;
    eprintln!("parse floor {floor}, with the schema {floor_schema}, validate -j 1 {validate}");
    Ok(Some(Instructions { guides: n, floor, floor_schema, validate }))
}

/// Peak memory of `validate` and `build` at several catalog sizes, and each size's ratio to the smallest.
fn memory(bench: &mut Bench, root: &Path, sizes: &[usize], report: &mut String) -> Result<()> {
    let g = bench.guidekit.clone();
    let mut rows: Vec<(usize, Measured, Measured)> = Vec::new();
    for &n in sizes {
        let dir = crate::corpus::ensure(root, n)?.display().to_string();
        let site = bench.work.join("site-memory").display().to_string();
        let validate = bench.measure(&format!("validate {n}"), n, &format!("{g} validate {dir}"), None, 1)?;
        let build = bench.measure(
            &format!("build {n}"),
            n,
            &format!("{g} build {dir} --out {site}"),
            Some(&set_aside(&site)),
            1,
        )?;
        let _ = std::fs::remove_dir_all(&site);
        rows.push((n, validate, build));
    }
    report.push_str("| guides | validate wall | validate peak RSS | build wall | build peak RSS | RSS ratio to the smallest (validate / build) |\n|---:|---:|---:|---:|---:|---:|\n");
    let (base_v, base_b) = (rows[0].1.rss_kib as f64, rows[0].2.rss_kib as f64);
    for (n, v, b) in &rows {
        report.push_str(&format!(
            "| {n} | {:.2} s | {:.1} MiB | {:.2} s | {:.1} MiB | {:.2} / {:.2} |\n",
            v.median,
            v.rss_kib as f64 / 1024.0,
            b.median,
            b.rss_kib as f64 / 1024.0,
            v.rss_kib as f64 / base_v,
            b.rss_kib as f64 / base_b
        ));
    }
    Ok(())
}

/// A Hugo site whose pages are the guides' Markdown (built by guidekit with the same diagrams as SVG files
/// beside each page), as page bundles.
fn hugo_site(guidekit: &str, corpus: &str, work: &Path) -> Result<PathBuf> {
    let markdown = work.join("markdown");
    set_aside_now(&markdown)?;
    crate::run_quiet(guidekit, &["build", corpus, "--out", &markdown.display().to_string(), "--format", "md"])?;
    let site = work.join("hugo-site");
    set_aside_now(&site)?;
    std::fs::create_dir_all(site.join("layouts/_default"))?;
    std::fs::create_dir_all(site.join("content"))?;
    std::fs::write(
        site.join("config.toml"),
        "baseURL = \"https://example.org/\"\ntitle = \"Guides\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\"]\n[markup.goldmark.renderer]\nunsafe = true\n",
    )?;
    let page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body><main>{{ .Content }}</main></body></html>\n";
    std::fs::write(site.join("layouts/_default/single.html"), page)?;
    let list = "<!doctype html><html><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n";
    std::fs::write(site.join("layouts/_default/list.html"), list)?;
    std::fs::write(site.join("layouts/index.html"), list)?;
    for entry in std::fs::read_dir(&markdown)? {
        let entry = entry?;
        if !entry.file_type()?.is_dir() {
            continue;
        }
        let bundle = site.join("content").join(entry.file_name());
        copy_tree(&entry.path(), &bundle)?;
        let page = bundle.join("index.md");
        let text = std::fs::read_to_string(&page).with_context(|| format!("{}", page.display()))?;
        let title = text.lines().find_map(|l| l.strip_prefix("# ")).unwrap_or("Guide").replace('"', "'");
        std::fs::write(&page, format!("---\ntitle: \"{title}\"\n---\n{text}"))?;
    }
    Ok(site)
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// Every file beneath `dir` by relative path, except the build lock.
fn tree(dir: &Path) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) -> Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, base, out)?;
            } else if !path.ends_with(".guidekit-lock") {
                out.insert(path.strip_prefix(base)?.to_path_buf(), std::fs::read(&path)?);
            }
        }
        Ok(())
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out)?;
    Ok(out)
}

/// `xtask parse-floor [--schema] DIR`: the least any validator must do — read every `*.json` file in `DIR` and
/// parse it into a `serde_json::Value` — on one thread. With `--schema`, each value is also checked against the
/// guide schema by the `jsonschema` crate, as `guidekit validate` checks it (`conforms_to_schema`): the least
/// any validator must do that checks every guide with that crate, as the issue asks of `validate`.
pub fn parse_floor(dir: &Path, with_schema: bool) -> Result<()> {
    let mut paths: Vec<PathBuf> =
        std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<std::io::Result<_>>()?;
    paths.retain(|p| p.extension().is_some_and(|e| e == "json"));
    paths.sort();
    let (mut values, mut conforming) = (0usize, 0usize);
    for path in &paths {
        let bytes = std::fs::read(path)?;
        let value: serde_json::Value = serde_json::from_slice(&bytes).with_context(|| format!("{}", path.display()))?;
        values += usize::from(value.is_object());
        conforming += usize::from(with_schema && guidekit_validate::conforms_to_schema(&value));
    }
    println!("{values} of {} files parsed to an object", paths.len());
    if with_schema {
        println!("{conforming} of them pass the guide schema");
    }
    Ok(())
}

fn date() -> String {
    Command::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// The jsonschema-rs peer: one Python process validates every guide against the schema.
const PYTHON_PEER: &str = r#"import json, pathlib, sys
import jsonschema_rs
schema = json.loads(pathlib.Path(sys.argv[1]).read_text())
validator = jsonschema_rs.validator_for(schema)
invalid = 0
for path in sorted(pathlib.Path(sys.argv[2]).glob("*.json")):
    if not validator.is_valid(json.loads(path.read_bytes())):
        invalid += 1
print(f"{invalid} invalid")
"#;

/// `cargo xtask bench-diagrams`: the embedded engine's layout time on generated graphs, next to the estimate
/// that `guidekit validate` limits (the `bench_diagrams` example of guidekit-render, in release mode).
pub fn diagrams() -> Result<()> {
    let root = crate::root();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "--release", "--locked", "-p", "guidekit-render", "--example", "bench_diagrams"])
        .current_dir(&root)
        .output()
        .context("cannot run cargo")?;
    if !output.status.success() {
        bail!("the diagram benchmark failed:\n{}", String::from_utf8_lossy(&output.stderr));
    }
    let report = String::from_utf8(output.stdout).context("the benchmark's output is not UTF-8")?;
    print!("{report}");
    let work = root.join("target/bench");
    std::fs::create_dir_all(&work)?;
    std::fs::write(work.join("diagrams.md"), &report)?;
    eprintln!("written to {}", work.join("diagrams.md").display());
    Ok(())
}
