//! The benchmark corpus: `n` synthetic guides derived from the bundled Aniracetam guide, the same for the same
//! `n` on every machine (a seeded generator), each valid with no diagnostic.
//!
//! Each guide varies what costs time: its compound and title, the rows of its tables (2–8), its references
//! (10–30, every one cited), and its diagrams (2–3, each a new graph of 10–40 nodes with some edge labels).
//! The guides are about invented compounds and say so in their subtitle; they exist only under
//! `target/bench` and are never a guide of the project.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::{Value, json};

/// Bump when the corpus changes, so that a cached corpus is made again.
const GENERATOR_VERSION: u32 = 2;

/// xorshift64*: small, seeded, the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `low..=high`.
    pub fn range(&mut self, low: usize, high: usize) -> usize {
        low + (self.next() % (high - low + 1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() - 1)]
    }
}

const PREFIXES: &[&str] = &["Ani", "Pira", "Oxi", "Prami", "Nefi", "Fasore", "Cole", "Brivi", "Doli", "Imu", "Levi"];
const SUFFIXES: &[&str] = &["racetam", "zolam", "tamide", "dinol", "xetine", "pramine"];
const LABELS: &[&str] = &[
    "AMPA receptor",
    "Glutamate release",
    "Ca2+ influx",
    "Acetylcholine release",
    "Long-term potentiation",
    "Memory consolidation",
    "Dopamine turnover",
    "Serotonin receptor",
    "BDNF expression",
    "Synaptic plasticity",
    "Receptor desensitisation",
    "Anxiolytic effect",
];
const EDGE_LABELS: &[&str] = &["binds", "modulates", "increases", "reduces", "leads to"];

/// The folder holding the corpus of `n` guides, made if it is not there yet.
pub fn ensure(root: &Path, n: usize) -> Result<PathBuf> {
    let dir = root.join(format!("target/bench/corpus-v{GENERATOR_VERSION}-{n}"));
    let done = dir.join(".complete");
    if done.is_file() {
        return Ok(dir);
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let base: Value = serde_json::from_str(&std::fs::read_to_string(root.join("guides/aniracetam.json"))?)
        .context("the bundled guide")?;
    eprintln!("generating {n} guides into {}", dir.display());
    for i in 0..n {
        let guide = guide(&base, i as u64);
        let mut bytes = serde_json::to_vec_pretty(&guide)?;
        bytes.push(b'\n');
        std::fs::write(dir.join(format!("guide-{i:06}.json")), bytes)?;
    }
    std::fs::write(done, "")?;
    Ok(dir)
}

/// Guide number `i`.
pub fn guide(base: &Value, i: u64) -> Value {
    let mut rng = Rng::new(i + 1);
    let mut guide = base.clone();
    let name = format!("{}{} {i}", rng.pick(PREFIXES), rng.pick(SUFFIXES));
    replace_strings(&mut guide, "Aniracetam", &name);
    guide["metadata"]["subtitle"] = json!("A synthetic benchmark guide");
    guide["compound"]["catalog_number"] = json!(format!("B{:06}", i % 1_000_000));
    if rng.range(0, 9) < 7 {
        if let Some(compound) = guide["compound"].as_object_mut() {
            compound.remove("requested");
        }
        if let Some(notices) = guide["notices"].as_array_mut() {
            notices.retain(|n| n["kind"] != "substitution");
        }
    }

    // References: the bundled nine, without the one that duplicates another, plus invented ones up to 10–30.
    let references = guide["references"].as_array_mut().expect("references");
    references.retain(|r| r["id"] != "plos-aniracetam-c57bl6j-behavior");
    let kept = references.len();
    let total = rng.range(10, 30);
    let mut extra = Vec::new();
    for k in kept..total {
        let id = format!("synthetic-{k}");
        references.push(json!({
            "id": id,
            "type": "webpage",
            "title": format!("Synthetic study {k} of {name}"),
            "source": "example.org",
        }));
        extra.push(format!("@{id}"));
    }
    replace_strings(&mut guide, "@plos-aniracetam-c57bl6j-behavior", "@pmc-aniracetam-c57bl6j-behavior");
    if !extra.is_empty() {
        let conclusion = guide["conclusion"]["text"].as_str().unwrap_or_default().to_owned();
        guide["conclusion"]["text"] = json!(format!("{conclusion} Further studies are listed.[{}]", extra.join("; ")));
    }

    // Tables: 2–8 rows, drawn from the bundled rows.
    for table in guide["data"]["tables"].as_array_mut().expect("tables") {
        let rows = table["rows"].as_array().cloned().unwrap_or_default();
        let count = rng.range(2, 8);
        table["rows"] = Value::Array((0..count).map(|_| rng.pick(&rows).clone()).collect());
    }

    // Diagrams: 2–3 new graphs of 10–40 nodes.
    let diagrams = guide["diagrams"]["items"].as_array_mut().expect("diagrams");
    diagrams.truncate(rng.range(2, 3));
    for diagram in diagrams.iter_mut() {
        let id = diagram["id"].as_str().unwrap_or("g").replace('-', "_");
        diagram["dot"] = json!(dot(&mut rng, &id, &name));
    }
    guide
}

/// A connected directed acyclic graph of 10–40 nodes: a random tree plus a quarter more edges forward.
fn dot(rng: &mut Rng, id: &str, compound: &str) -> String {
    let nodes = rng.range(10, 40);
    let mut text = format!(
        "digraph {id} {{\n  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef4fb\", fontname=\"Helvetica\", fontsize=11];\n  n0 [label=\"{compound}\", fillcolor=\"#fde9c8\"];\n"
    );
    for j in 1..nodes {
        text.push_str(&format!("  n{j} [label=\"{} {j}\"];\n", rng.pick(LABELS)));
    }
    let edge = |text: &mut String, from: usize, to: usize, rng: &mut Rng| {
        if rng.range(0, 2) == 0 {
            text.push_str(&format!("  n{from} -> n{to} [label=\"{}\"];\n", rng.pick(EDGE_LABELS)));
        } else {
            text.push_str(&format!("  n{from} -> n{to};\n"));
        }
    };
    for j in 1..nodes {
        let parent = rng.range(0, j - 1);
        edge(&mut text, parent, j, rng);
    }
    for _ in 0..nodes / 4 {
        let from = rng.range(0, nodes - 2);
        let to = rng.range(from + 1, nodes - 1);
        edge(&mut text, from, to, rng);
    }
    text.push_str("}\n");
    text
}

fn replace_strings(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::String(text) if text.contains(from) => *text = text.replace(from, to),
        Value::Array(items) => items.iter_mut().for_each(|v| replace_strings(v, from, to)),
        Value::Object(map) => map.values_mut().for_each(|v| replace_strings(v, from, to)),
        _ => {}
    }
}
