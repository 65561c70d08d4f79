//! How large a graph the embedded engine may be asked to lay out, so that `guidekit build` never hangs on a
//! diagram that `guidekit validate` accepted.
//!
//! The embedded engine (`layout-rs`) ranks the graph, turns every edge that spans several ranks into a chain
//! through one virtual node per rank, and then runs an edge-crossing optimiser that, 50 times over, compares
//! every pair of nodes in a rank against the next rank: its time grows with the cube of the ranks' widths.
//! A complete digraph on 13 nodes has ranks up to 73 wide and takes over a second; on 20 nodes, about a
//! minute. (The engine's self-check, which re-verified the whole graph by enumerating paths after every edge
//! and took exponential time, is turned off by the engine; see its `handover`.)
//!
//! [`size`] estimates both from the graph as that engine will see it (back edges reversed as it reverses
//! them, one extra node per labelled edge, longest-path ranks, virtual nodes), without laying anything out.
//! [`check`] refuses a graph whose estimate exceeds [`MAX_COST`], chosen with `cargo xtask bench-diagrams`
//! so that everything under it lays out in at most a second. The estimate is conservative: the engine also
//! moves nodes to shorten edges, which only makes ranks narrower.

use super::Graph;

/// The most nodes a diagram may have.
pub const MAX_NODES: usize = 500;
/// The most edges a diagram may have.
pub const MAX_EDGES: usize = 1_000;
/// The most layout work, in the units of [`Size::cost`], a diagram may need. Measured on a 2-core machine
/// (`cargo xtask bench-diagrams`), a unit takes 1.2 µs (complete digraphs) to 3 µs (cycles with chords, whose
/// ranks the engine reworks more often), so that this limit means at most about 0.9 s; a complete digraph on
/// 11 nodes (286,000 units, 0.35 s) is within it, one on 12 nodes (557,000 units, 0.66 s) is not.
pub const MAX_COST: u64 = 300_000;

/// How much work a graph's layout is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Nodes.
    pub nodes: usize,
    /// Edges.
    pub edges: usize,
    /// Ranks of the layered layout.
    pub ranks: usize,
    /// Nodes of the layered layout: real nodes, one per labelled edge, and one per rank an edge crosses.
    pub layout_nodes: usize,
    /// The widest rank.
    pub widest_rank: usize,
    /// Estimated work: the crossing optimiser's pair comparisons (the sum over ranks of the pairs in a rank
    /// times the next rank's width) plus [`layout_nodes`](Size::layout_nodes).
    pub cost: u64,
}

/// Why a graph is too large to lay out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooLarge {
    /// More than [`MAX_NODES`] nodes.
    Nodes(usize),
    /// More than [`MAX_EDGES`] edges.
    Edges(usize),
    /// A [`Size::cost`] above [`MAX_COST`].
    Cost(Size),
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TooLarge::Nodes(n) => write!(f, "it has {n} nodes (limit: {MAX_NODES})"),
            TooLarge::Edges(n) => write!(f, "it has {n} edges (limit: {MAX_EDGES})"),
            TooLarge::Cost(size) => write!(
                f,
                "its layout needs about {} units of work (limit: {}): {} nodes and {} edges over {} ranks, up to \
                 {} wide once each edge is counted in every rank it crosses",
                thousands(size.cost),
                thousands(MAX_COST),
                size.nodes,
                size.edges,
                size.ranks,
                size.widest_rank
            ),
        }
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Refuses a graph the embedded engine could not lay out in about a second.
pub fn check(graph: &Graph<'_>) -> Result<Size, TooLarge> {
    if graph.nodes.len() > MAX_NODES {
        return Err(TooLarge::Nodes(graph.nodes.len()));
    }
    if graph.edges.len() > MAX_EDGES {
        return Err(TooLarge::Edges(graph.edges.len()));
    }
    let size = size(graph);
    if size.cost > MAX_COST { Err(TooLarge::Cost(size)) } else { Ok(size) }
}

/// Estimates the layout work of `graph`. Its own time is at most quadratic in the size of the graph; call
/// [`check`], which bounds the size first, on untrusted graphs.
pub fn size(graph: &Graph<'_>) -> Size {
    let n = graph.nodes.len();
    // The DAG the engine builds: each edge in order, reversed when its head already reaches its tail;
    // self-loops set aside; a labelled edge goes through a node of its own. Successors are kept as linked
    // lists in one vector (`first[v]`, then each link's `next`) rather than a vector per node: the order in
    // which a node's successors are visited changes neither the reachability nor the longest paths below.
    const NONE: usize = usize::MAX;
    struct Link {
        from: usize,
        to: usize,
        labelled: bool,
        next: usize,
    }
    let mut first = vec![NONE; n];
    let mut links: Vec<Link> = Vec::with_capacity(graph.edges.len());
    let mut self_loops = vec![0usize; n];
    let mut seen = vec![0usize; n];
    let mut stamp = 0usize;
    let mut stack = Vec::new();
    let mut indegree = vec![0usize; n];
    for edge in &graph.edges {
        let (mut from, mut to) = (edge.from, edge.to);
        if from == to {
            self_loops[from] += 1;
            continue;
        }
        // A head with no successors yet reaches nothing but itself, and it is not the tail: no search. Diagrams
        // are mostly written tail first, so most edges end there.
        let mut reaches = false;
        stack.clear();
        if first[to] != NONE {
            stamp += 1;
            stack.push(to);
            seen[to] = stamp;
        }
        while let Some(v) = stack.pop() {
            if v == from {
                reaches = true;
                break;
            }
            let mut link = first[v];
            while link != NONE {
                let w = links[link].to;
                if seen[w] != stamp {
                    seen[w] = stamp;
                    stack.push(w);
                }
                link = links[link].next;
            }
        }
        if reaches {
            std::mem::swap(&mut from, &mut to);
        }
        links.push(Link { from, to, labelled: graph.edge_has_label(edge), next: first[from] });
        first[from] = links.len() - 1;
        indegree[to] += 1;
    }
    // Longest-path ranks; a labelled edge needs two ranks.
    let mut rank = vec![0usize; n];
    let mut queue: Vec<usize> = (0..n).filter(|&v| indegree[v] == 0).collect();
    while let Some(v) = queue.pop() {
        let mut link = first[v];
        while link != NONE {
            let Link { to: w, labelled, next, .. } = links[link];
            rank[w] = rank[w].max(rank[v] + if labelled { 2 } else { 1 });
            indegree[w] -= 1;
            if indegree[w] == 0 {
                queue.push(w);
            }
            link = next;
        }
    }
    let ranks = rank.iter().max().map_or(0, |r| r + 1);
    let mut width = vec![0u64; ranks.max(1)];
    for v in 0..n {
        width[rank[v]] += 1 + self_loops[v] as u64;
    }
    // Every edge puts one node (virtual, or its label's) on each rank strictly between its ends.
    for link in &links {
        for w in &mut width[rank[link.from] + 1..rank[link.to]] {
            *w += 1;
        }
    }
    let layout_nodes: u64 = width.iter().sum();
    let crossing: u64 =
        width.windows(2).map(|w| (w[0] * w[0].saturating_sub(1) / 2).saturating_mul(w[1])).fold(0, u64::saturating_add);
    let cost = crossing.saturating_add(layout_nodes);
    Size {
        nodes: n,
        edges: graph.edges.len(),
        ranks,
        layout_nodes: layout_nodes as usize,
        widest_rank: width.iter().copied().max().unwrap_or(0) as usize,
        cost,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dot::parse;

    fn complete(n: usize) -> String {
        let mut dot = String::from("digraph {");
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    dot.push_str(&format!(" n{i} -> n{j};"));
                }
            }
        }
        dot + " }"
    }

    #[test]
    fn complete_graphs_are_ranked_as_the_engine_ranks_them() {
        let size = size(&parse(&complete(5)).unwrap());
        assert_eq!((size.nodes, size.edges, size.ranks), (5, 20, 5));
        // Each pair is joined both ways, and `b -> a` is reversed into a second `a -> b`: rank r of K5's
        // transitive order holds its node and twice the r * (4 - r) pairs passing over it.
        assert_eq!(size.layout_nodes, 5 + 2 * (3 + 4 + 3));
        assert_eq!(size.widest_rank, 9);
    }

    #[test]
    fn k20_is_refused_and_small_diagrams_pass() {
        let source = complete(20);
        let k20 = parse(&source).unwrap();
        let error = check(&k20).unwrap_err();
        assert!(matches!(error, TooLarge::Cost(_)));
        assert!(error.to_string().contains("(limit: 300,000)"), "{error}");
        let small = parse("digraph { a -> b -> c; a -> c [label=\"x\"]; c -> a; a -> a }").unwrap();
        assert!(check(&small).is_ok());
    }
}
