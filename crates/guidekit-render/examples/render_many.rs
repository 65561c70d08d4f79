//! Renders many variants of the bundled Aniracetam guide in one process and prints the time per guide, to
//! profile `Renderer::render` on a catalog (`perf record -g`, `valgrind --tool=callgrind`).
//!
//! Each variant replaces the guide's three diagrams with generated flow charts of 10 to 40 nodes (boxes
//! with labels of a few words, about 1.4 edges per node, half of them labelled), different in every
//! variant so that no diagram is drawn from the cache, as in a real catalog. The generator is a fixed
//! linear congruential sequence, so every run renders the same guides.
//!
//! `cargo run --release -p guidekit-render --example render_many [N] [--no-diagrams]`: N variants (default
//! 200), rendered to HTML and Markdown with the embedded engine; `--no-diagrams` drops the diagrams, to
//! measure the rest of the rendering alone; `--write DIR` also writes the guides there as JSON, to time
//! `guidekit build` on the same catalog. The digest of every output byte shows whether a change to the
//! renderer changed its output.

use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::time::Instant;

use guidekit_render::{Format, RenderOptions, Renderer};

/// A small deterministic generator (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "receptor",
    "glutamate",
    "release",
    "calcium",
    "influx",
    "neuronal",
    "plasticity",
    "memory",
    "synaptic",
    "modulation",
    "increased",
    "reduced",
    "BDNF",
    "AMPA",
    "NMDA",
    "acetylcholine",
    "dopamine",
    "serotonin",
    "hippocampus",
    "cortex",
    "signalling",
    "expression",
    "kinase",
    "pathway",
    "survival",
    "mood",
    "anxiety",
];

/// A flow chart of `nodes` nodes in the style of the bundled guide's diagrams.
fn flow_chart(rng: &mut Lcg, nodes: usize) -> String {
    let mut dot = String::from(
        "digraph generated {\n  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef4fb\", \
         color=\"#2b5d8a\", fontname=\"Helvetica\", fontsize=11];\n  edge [color=\"#2b5d8a\", \
         fontname=\"Helvetica\", fontsize=10];\n",
    );
    let phrase =
        |rng: &mut Lcg, words: usize| (0..words).map(|_| WORDS[rng.below(WORDS.len())]).collect::<Vec<_>>().join(" ");
    for i in 0..nodes {
        let words = 1 + rng.below(5);
        let _ = writeln!(dot, "  n{i} [label=\"{}\"];", phrase(rng, words));
    }
    for i in 1..nodes {
        // Each node hangs from one of the few nodes before it, and some get a second parent.
        let parents = if rng.below(5) < 2 { 2 } else { 1 };
        for _ in 0..parents {
            let from = i - 1 - rng.below(i.min(4));
            let label = if rng.below(2) == 0 {
                let words = 1 + rng.below(3);
                format!(" [label=\"{}\"]", phrase(rng, words))
            } else {
                String::new()
            };
            let _ = writeln!(dot, "  n{from} -> n{i}{label};");
        }
    }
    dot + "}\n"
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(200);
    // (`--write DIR` takes the argument after it; a DIR that is a number would be read as N too.)
    let no_diagrams = args.iter().any(|a| a == "--no-diagrams");
    let write = args.iter().position(|a| a == "--write").and_then(|i| args.get(i + 1));
    if let Some(dir) = write {
        std::fs::create_dir_all(dir)?;
    }
    let base: serde_json::Value = serde_json::from_str(include_str!("../../../guides/aniracetam.json"))?;
    let mut rng = Lcg(2026);
    let mut guides = Vec::with_capacity(count);
    for _ in 0..count {
        let mut value = base.clone();
        if no_diagrams {
            value.as_object_mut().ok_or("not an object")?.remove("diagrams");
        } else {
            for item in value["diagrams"]["items"].as_array_mut().ok_or("no diagrams")? {
                let nodes = 10 + rng.below(31);
                item["dot"] = flow_chart(&mut rng, nodes).into();
            }
        }
        if let Some(dir) = write {
            std::fs::write(format!("{dir}/guide-{:05}.json", guides.len()), serde_json::to_string_pretty(&value)?)?;
        }
        guides.push(serde_json::from_value::<guidekit_model::Guide>(value)?);
    }
    let renderer = Renderer::new(RenderOptions::default())?;
    let start = Instant::now();
    let mut bytes = 0;
    let mut digest = DefaultHasher::new();
    for guide in &guides {
        for file in renderer.render(guide, &[Format::Html, Format::Markdown])? {
            bytes += file.contents.len();
            file.contents.hash(&mut digest);
        }
    }
    let elapsed = start.elapsed();
    println!(
        "{count} guides{}: {:.2} ms/guide ({:.2} s, {} KB out, digest {:016x})",
        if no_diagrams { " without diagrams" } else { "" },
        elapsed.as_secs_f64() * 1000.0 / count as f64,
        elapsed.as_secs_f64(),
        bytes / 1024,
        digest.finish()
    );
    Ok(())
}
