//! The diagram layout benchmark behind `cargo xtask bench-diagrams`: lays out generated dense (complete
//! digraphs), wide (fan-outs, layered bipartite graphs) and deep (chains, bands) graphs with the embedded
//! engine, and prints each graph's time next to the estimate of [`guidekit_model::dot::limits`], so that
//! `MAX_COST` can be checked against this machine: every graph within the limits must take at most a second.
//!
//! Run in release mode (`cargo run --release -p guidekit-render --example bench_diagrams [max-seconds]`).
//! A family stops growing once a graph takes longer than `max-seconds` (default 3).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use guidekit_model::dot::{self, limits};

/// A family of generated graphs: a name and the DOT source for size `n`.
struct Family {
    name: &'static str,
    sizes: &'static [usize],
    dot: fn(usize) -> String,
}

fn edges(pairs: impl Iterator<Item = (usize, usize)>, labelled: bool) -> String {
    let mut dot = String::from("digraph {\n");
    for (a, b) in pairs {
        let label = if labelled { format!(" [label=\"{a} to {b}\"]") } else { String::new() };
        let _ = writeln!(dot, "  n{a} -> n{b}{label};");
    }
    dot + "}\n"
}

const FAMILIES: &[Family] = &[
    Family {
        name: "complete K_n",
        sizes: &[4, 6, 8, 10, 11, 12, 13, 14, 16, 18, 20],
        dot: |n| edges((0..n).flat_map(|a| (0..n).filter(move |&b| b != a).map(move |b| (a, b))), false),
    },
    Family {
        name: "complete DAG (i<j)",
        sizes: &[6, 10, 14, 18, 20, 22, 24, 26, 28, 30],
        dot: |n| edges((0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))), false),
    },
    Family {
        name: "complete DAG, labelled",
        sizes: &[6, 8, 10, 12, 14, 16, 18],
        dot: |n| edges((0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))), true),
    },
    Family {
        name: "fan-out 1->n",
        sizes: &[50, 100, 200, 300, 400, 499],
        dot: |n| edges((1..=n).map(|b| (0, b)), false),
    },
    Family {
        name: "bipartite n x n",
        sizes: &[4, 6, 8, 10, 12, 14, 16, 20, 24, 30],
        dot: |n| edges((0..n).flat_map(|a| (0..n).map(move |b| (a, n + b))), false),
    },
    Family {
        name: "layers of 10, all to all",
        sizes: &[2, 3, 4, 5, 6, 8, 10],
        dot: |n| {
            edges(
                (0..n - 1).flat_map(|l| (0..10).flat_map(move |a| (0..10).map(move |b| (l * 10 + a, l * 10 + 10 + b)))),
                false,
            )
        },
    },
    Family { name: "chain", sizes: &[50, 100, 200, 300, 400, 499], dot: |n| edges((0..n).map(|a| (a, a + 1)), false) },
    Family {
        name: "chain, labelled",
        sizes: &[50, 100, 200, 300, 400, 499],
        dot: |n| edges((0..n).map(|a| (a, a + 1)), true),
    },
    Family {
        name: "band (i -> i+1..i+3)",
        sizes: &[10, 20, 40, 80, 160, 320],
        dot: |n| edges((0..n).flat_map(|a| (1..=3).map(move |k| (a, a + k))), false),
    },
    Family {
        name: "cycle with chords",
        sizes: &[20, 50, 100, 200, 300],
        dot: |n| edges((0..n).flat_map(|a| [(a, (a + 1) % n), (a, (a * 7 + 3) % n)]), false),
    },
];

fn main() {
    let max = std::env::args().nth(1).and_then(|s| s.parse::<f64>().ok()).unwrap_or(3.0);
    let max = Duration::from_secs_f64(max);
    println!("limits: {} nodes, {} edges, cost {}", limits::MAX_NODES, limits::MAX_EDGES, limits::MAX_COST);
    println!("| graph | nodes | edges | ranks | widest | cost | accepted | seconds |");
    println!("|---|---:|---:|---:|---:|---:|---|---:|");
    let mut worst_accepted = Duration::ZERO;
    let mut worst_name = String::new();
    for family in FAMILIES {
        for &n in family.sizes {
            let source = (family.dot)(n);
            let graph = dot::parse(&source).expect("generated DOT parses");
            let size = limits::size(&graph);
            let accepted = limits::check(&graph).is_ok();
            let start = Instant::now();
            let drawn = guidekit_render::draw_embedded(&graph);
            let took = start.elapsed();
            if let Err(error) = drawn {
                println!("{} n={n}: error: {error}", family.name);
            }
            println!(
                "| {} n={n} | {} | {} | {} | {} | {} | {} | {:.3} |",
                family.name,
                size.nodes,
                size.edges,
                size.ranks,
                size.widest_rank,
                size.cost,
                if accepted { "yes" } else { "no" },
                took.as_secs_f64()
            );
            if accepted && took > worst_accepted {
                worst_accepted = took;
                worst_name = format!("{} n={n}", family.name);
            }
            if took > max {
                break;
            }
        }
    }
    println!("worst accepted: {worst_name}, {:.3} s", worst_accepted.as_secs_f64());
}
