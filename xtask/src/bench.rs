//! `cargo xtask bench`: speed and memory of the release binary, each measured as a ratio against a named
//! peer in the same run (hyperfine medians, `/usr/bin/time -v` peak memory). Never part of the tests.
//!
//! Peers: `check-jsonschema` (PyPI; schema-only validation, so it does less than `guidekit validate`) and
//! Graphviz `dot` (as `guidekit build --diagrams graphviz`). Results go to `target/bench/results.md`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

struct Comparison {
    title: &'static str,
    ours: (String, String),
    peer: Option<(String, String)>,
}

pub fn run() -> Result<()> {
    let root = crate::root();
    for tool in ["hyperfine"] {
        if Command::new(tool).arg("--version").output().is_err() {
            bail!("`{tool}` is needed: apt-get install {tool}");
        }
    }
    crate::cargo(&["build", "--release", "--locked", "-p", "guidekit-cli"])?;
    let guidekit = root.join("target/release/guidekit");
    let work = root.join("target/bench");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let guide = root.join("guides/aniracetam.json");
    let schema = root.join("schemas/guide.schema.json");

    // A catalog of 100 guides (copies of the bundled one) to measure batch builds and parallelism.
    let catalog = work.join("catalog");
    std::fs::create_dir_all(&catalog)?;
    let text = std::fs::read_to_string(&guide)?;
    for i in 0..100 {
        std::fs::write(catalog.join(format!("guide-{i:03}.json")), &text)?;
    }

    let g = guidekit.display().to_string();
    let out = work.join("out").display().to_string();
    let one = guide.display().to_string();
    let cat = catalog.display().to_string();
    let has = |tool: &str, arg: &str| Command::new(tool).arg(arg).output().is_ok_and(|o| o.status.success());
    let check_jsonschema = has("check-jsonschema", "--version");
    let dot = has("dot", "-V");

    let comparisons = [
        Comparison {
            title: "validate one guide (guidekit: syntax, schema and 31 rules; peer: schema only)",
            ours: ("guidekit validate".into(), format!("{g} validate {one}")),
            peer: check_jsonschema.then(|| {
                ("check-jsonschema".into(), format!("check-jsonschema --schemafile {} {one}", schema.display()))
            }),
        },
        Comparison {
            title: "build one guide to HTML and Markdown (3 diagrams)",
            ours: ("embedded diagrams".into(), format!("{g} build {one} --out {out}")),
            peer: dot.then(|| ("Graphviz dot".into(), format!("{g} build {one} --out {out} --diagrams graphviz"))),
        },
        Comparison {
            title: "build 100 guides (2 cores)",
            ours: ("2 jobs".into(), format!("{g} build {cat} --out {out} -j 2")),
            peer: Some(("1 job".into(), format!("{g} build {cat} --out {out} -j 1"))),
        },
    ];

    let mut report = String::from(
        "# guidekit benchmarks\n\nMedians of hyperfine runs on this machine; ratio = peer / guidekit (above 1: guidekit is faster).\n\n| what | guidekit | median | peer | median | ratio |\n|---|---|---|---|---|---|\n",
    );
    for (i, c) in comparisons.iter().enumerate() {
        let json = work.join(format!("run-{i}.json"));
        let mut args: Vec<String> = vec!["--warmup".into(), "3".into(), "--min-runs".into(), "15".into(), "-N".into()];
        args.extend(["--export-json".into(), json.display().to_string()]);
        // `--command-name=NAME` in one argument, so that a name starting with `-` is not read as a flag.
        args.extend([format!("--command-name={}", c.ours.0), c.ours.1.clone()]);
        if let Some(peer) = &c.peer {
            args.extend([format!("--command-name={}", peer.0), peer.1.clone()]);
        }
        let status = Command::new("hyperfine").args(&args).current_dir(&root).status().context("hyperfine")?;
        if !status.success() {
            bail!("hyperfine failed for {}", c.title);
        }
        let medians = medians(&json)?;
        let ours = medians.first().copied().unwrap_or(f64::NAN);
        let row = match (&c.peer, medians.get(1)) {
            (Some(peer), Some(theirs)) => format!(
                "| {} | {} | {} | {} | {} | {:.2} |\n",
                c.title,
                c.ours.0,
                ms(ours),
                peer.0,
                ms(*theirs),
                theirs / ours
            ),
            _ => format!("| {} | {} | {} | (peer not installed) | | |\n", c.title, c.ours.0, ms(ours)),
        };
        report.push_str(&row);
    }

    report.push_str("\n| peak memory (`/usr/bin/time -v`) | guidekit | peer | ratio |\n|---|---|---|---|\n");
    let ours = peak_rss(&guidekit, &["build", &cat, "--out", &out])?;
    let line = if dot {
        let theirs = peak_rss(&guidekit, &["build", &one, "--out", &out, "--diagrams", "graphviz"])?;
        let ours_one = peak_rss(&guidekit, &["build", &one, "--out", &out])?;
        format!(
            "| build 100 guides | {} | | |\n| build one guide: embedded vs Graphviz (peak reported by time -v) | {} | {} | {:.2} |\n",
            kib(ours),
            kib(ours_one),
            kib(theirs),
            theirs as f64 / ours_one as f64
        )
    } else {
        format!("| build 100 guides | {} | | |\n", kib(ours))
    };
    report.push_str(&line);
    let path = work.join("results.md");
    std::fs::write(&path, &report)?;
    println!("{report}\nwritten to {}", path.display());
    Ok(())
}

fn medians(json: &Path) -> Result<Vec<f64>> {
    let value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(json)?)?;
    Ok(value["results"].as_array().into_iter().flatten().filter_map(|r| r["median"].as_f64()).collect())
}

fn peak_rss(program: &PathBuf, args: &[&str]) -> Result<u64> {
    let output = Command::new("/usr/bin/time").arg("-v").arg(program).args(args).output().context("/usr/bin/time")?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes): ").and_then(|v| v.trim().parse().ok()))
        .context("no peak memory in /usr/bin/time output (apt-get install time)")
}

fn ms(seconds: f64) -> String {
    format!("{:.1} ms", seconds * 1000.0)
}

fn kib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

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
