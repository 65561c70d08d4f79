//! This module contains optimization passes that transform the graphs in different
//! phases of the program. Here you can find things like optimizations for
//! sinking or hoisting nodes to reduce the number of live edges, and
//! optimizations that move nodes within a row to reduce edge crossing.

use layout::adt::dag::DAG;
use layout::adt::dag::NodeHandle;
use layout::core::base::Direction;

/// This optimizations changes the order of nodes within a rank (ordering along
/// the x-axis). The transformation tries to reduce the number of edges that
/// cross each other.
///
/// guidekit: the same passes, swaps and counts as `layout-rs` 0.1.3, computed from each node's neighbours in
/// the row above and the row below and their positions in their rows, instead of scanning every neighbour
/// list for every node of a row, so that every layout is the one `layout-rs` gives (see the test below).
/// Nodes keep their level while this runs: only the order within rows changes.
#[derive(Debug)]
pub struct EdgeCrossOptimizer<'a> {
    dag: &'a mut DAG,
    /// Each node's successors and predecessors in the row above it, each node once (`layout-rs` asks only
    /// whether a node is one).
    up: Vec<Vec<usize>>,
    /// The same in the row below it.
    down: Vec<Vec<usize>>,
    /// Each node's position in its row.
    pos: Vec<usize>,
}

impl<'a> EdgeCrossOptimizer<'a> {
    pub fn new(dag: &'a mut DAG) -> Self {
        let n = dag.len();
        let mut level = vec![usize::MAX; n];
        for l in 0..dag.num_levels() {
            for node in dag.row(l) {
                level[node.get_index()] = l;
            }
        }
        let (mut up, mut down) = (vec![Vec::new(); n], vec![Vec::new(); n]);
        for node in dag.iter() {
            let i = node.get_index();
            for other in dag.successors(node).iter().chain(dag.predecessors(node)) {
                let j = other.get_index();
                if level[j] != usize::MAX && level[j] + 1 == level[i] {
                    up[i].push(j);
                } else if level[i] != usize::MAX && level[i] + 1 == level[j] {
                    down[i].push(j);
                }
                // Neighbours in any other row are never in the rows compared with this node's.
            }
            for list in [&mut up[i], &mut down[i]] {
                list.sort_unstable();
                list.dedup();
            }
        }
        let mut optimizer = Self { dag, up, down, pos: vec![0; n] };
        optimizer.index_all_rows();
        optimizer
    }

    /// Records the position of every node in its row.
    fn index_all_rows(&mut self) {
        for level in 0..self.dag.num_levels() {
            for (p, node) in self.dag.row(level).iter().enumerate() {
                self.pos[node.get_index()] = p;
            }
        }
    }

    /// Given two nodes of one row and their neighbours in a row next to it, check how many of
    /// these edges intersect. Check both successors and predecessors.
    ///               A   B
    ///             /   \/ \
    ///            /    /\  \
    ///  Row: [][][][][][][][][][]
    ///
    /// `layout-rs` walks the row and, at each neighbour of A, adds the number of neighbours of B seen before
    /// it: the number of pairs (neighbour of A, neighbour of B) in which B's comes first. This gives that
    /// number for (A, B) and for (B, A) in one pass, from A's and B's neighbours in that row.
    fn num_crossing_both(&self, a: &[usize], b: &[usize]) -> (usize, usize) {
        let (mut ab, mut ba) = (0, 0);
        for &x in a {
            let px = self.pos[x];
            for &y in b {
                let py = self.pos[y];
                ab += usize::from(py < px);
                ba += usize::from(px < py);
            }
        }
        (ab, ba)
    }

    // Shuffle the nodes in all of the ranks.
    pub fn perturb_rank(&mut self) {
        for i in 0..self.dag.num_levels() {
            let row = self.dag.row_mut(i);
            let len = row.len();
            for j in 0..len {
                row.swap((j * 17) % len, j);
            }
        }
        self.index_all_rows();
    }

    // Move the elements in the rank to the left, to perturb the graph.
    pub fn rotate_rank(&mut self) {
        for i in 0..self.dag.num_levels() {
            let row = self.dag.row_mut(i);
            row.rotate_left(1);
        }
        self.index_all_rows();
    }

    pub fn optimize(&mut self) {
        self.dag.verify();
        #[cfg(feature = "log")]
        log::info!("Optimizing edge crossing.");
        let mut best_rank = self.dag.ranks().clone();
        let mut best_cnt = self.count_crossed_edges();
        #[cfg(feature = "log")]
        log::info!("Starting with {} crossings.", best_cnt);
        for i in 0..50 {
            // No order has fewer than no crossings: the rounds left could not replace the best one. (The
            // result is the same as after all 50; most diagrams of a guide get there within a few rounds.)
            if best_cnt == 0 {
                break;
            }
            let dir = match i % 4 {
                0 => Direction::Both,
                1 => Direction::Up,
                _ => Direction::Down,
            };
            self.swap_crossed_edges(dir);
            let new_cnt = self.count_crossed_edges();
            if new_cnt < best_cnt {
                #[cfg(feature = "log")]
                log::info!("Found a rank with {} crossings.", new_cnt);
                // Into the rows already allocated rather than a new copy of every row, each time a round improves.
                best_rank.clone_from(self.dag.ranks());
                best_cnt = new_cnt;
            }
            self.rotate_rank();
            if i % 10 == 0 {
                self.perturb_rank();
            }
        }
        *self.dag.ranks_mut() = best_rank;
    }

    /// The sum, over each row and each pair of its nodes A before B, of `num_crossing_both(A, B).0` against the
    /// row below: the number of pairs of edges (A, x), (B, y) with y left of x, counted as inversions with a
    /// Fenwick tree over the positions of the row below.
    fn count_crossed_edges(&self) -> usize {
        let mut sum = 0;
        let mut tree = Vec::new();
        // Compare each row to the row afterwards.
        for row_idx in 0..self.dag.num_levels() - 1 {
            let first_row = self.dag.row(row_idx);
            if first_row.len() < 2 {
                continue;
            }
            tree.clear();
            tree.resize(self.dag.row(row_idx + 1).len() + 1, 0usize);
            let mut inserted = 0;
            for node in first_row {
                let below = &self.down[node.get_index()];
                for &y in below {
                    // Edges of earlier nodes that end right of y.
                    let mut at_or_left = 0;
                    let mut k = self.pos[y] + 1;
                    while k > 0 {
                        at_or_left += tree[k];
                        k &= k - 1;
                    }
                    sum += inserted - at_or_left;
                }
                for &x in below {
                    let mut k = self.pos[x] + 1;
                    while k < tree.len() {
                        tree[k] += 1;
                        k += k & k.wrapping_neg();
                    }
                    inserted += 1;
                }
            }
        }
        sum
    }

    /// Scan all of the node pairs in the module and count the number of crossed
    /// edges. If \p allow_swap is set then swap the edges if it reduces the
    /// number of crossing.
    ///
    /// guidekit: a row is looked at again only if it, or a row next to it, changed since it last changed
    /// nothing. Its swaps depend on its own order and the positions in the rows next to it alone, so such a
    /// look would change nothing again: the result is the one of looking at every row, in fewer steps.
    fn swap_crossed_edges(&mut self, dir: Direction) {
        let rows = self.dag.num_levels();
        let mut dirty = vec![true; rows];
        let mut changed = true;
        while changed {
            changed = false;
            if dir.is_down() {
                for i in 0..rows {
                    changed |= self.swap_crossed_edges_on_dirty_row(i, dir, &mut dirty);
                }
            }
            if dir.is_up() {
                for i in (0..rows).rev() {
                    changed |= self.swap_crossed_edges_on_dirty_row(i, dir, &mut dirty);
                }
            }
        }
    }

    /// [`Self::swap_crossed_edges_on_row`] if row `i` is marked dirty; marks the rows next to it dirty when it
    /// changes, and itself clean when it does not.
    fn swap_crossed_edges_on_dirty_row(&mut self, i: usize, dir: Direction, dirty: &mut [bool]) -> bool {
        if !dirty[i] {
            return false;
        }
        let changed = self.swap_crossed_edges_on_row(i, dir);
        if changed {
            if i > 0 {
                dirty[i - 1] = true;
            }
            if i + 1 < dirty.len() {
                dirty[i + 1] = true;
            }
        } else {
            dirty[i] = false;
        }
        changed
    }

    /// See swap_crossed_edges.
    fn swap_crossed_edges_on_row(&mut self, row_idx: usize, dir: Direction) -> bool {
        let mut changed = false;

        let num_rows = self.dag.num_levels();

        // `layout-rs` compares with an empty row where these are false.
        let prev_row = row_idx > 0 && dir.is_up();
        let next_row = row_idx + 1 < num_rows && dir.is_down();

        // The row is changed in place: the counts below read positions in the other two rows only.
        let mut row = std::mem::take(self.dag.row_mut(row_idx));

        if row.len() < 2 {
            *self.dag.row_mut(row_idx) = row;
            return false;
        }

        // For each two consecutive elements in the row:
        for i in 0..row.len() - 1 {
            let a = row[i];
            let b = row[i + 1];

            let mut ab = 0;
            let mut ba = 0;
            // Figure out if A crosses the edges of B, and vice versa, on both
            // the edges pointing up and down.
            let (i_a, i_b) = (a.get_index(), b.get_index());
            if prev_row {
                let (x, y) = self.num_crossing_both(&self.up[i_a], &self.up[i_b]);
                ab += x;
                ba += y;
            }
            if next_row {
                let (x, y) = self.num_crossing_both(&self.down[i_a], &self.down[i_b]);
                ab += x;
                ba += y;
            }

            // Swap the edges.
            if ab > ba {
                row[i] = b;
                row[i + 1] = a;
                changed = true;
            }
        }

        if changed {
            for (p, node) in row.iter().enumerate() {
                self.pos[node.get_index()] = p;
            }
        }
        *self.dag.row_mut(row_idx) = row;
        changed
    }
}

/// This optimization sinks nodes in an attempt to shorten the length of edges
/// that run through the graph.
#[derive(Debug)]
pub struct RankOptimizer<'a> {
    dag: &'a mut DAG,
}

impl<'a> RankOptimizer<'a> {
    pub fn new(dag: &'a mut DAG) -> Self {
        Self { dag }
    }

    pub fn try_to_sink_node(&mut self, node: NodeHandle) -> bool {
        let backs = self.dag.predecessors(node);
        let fwds = self.dag.successors(node);

        // Don't try to sink if we increase the number of live edges,
        // or if there are no forward edges.
        if backs.len() > fwds.len() || backs.len() + fwds.len() == 0 {
            return false;
        }

        let curr_rank = self.dag.level(node);
        let mut highest_next = self.dag.len();
        for elem in fwds {
            let next_rank = self.dag.level(*elem);
            highest_next = highest_next.min(next_rank);
        }

        // We found an opportunity to sink a node.
        if highest_next > curr_rank + 1 {
            self.dag.update_node_rank_level(node, highest_next - 1, None);
            return true;
        }
        false
    }

    // Try to sink nodes to shorten the length of edges.
    pub fn optimize(&mut self) {
        self.dag.verify();

        #[cfg(feature = "log")]
        log::info!("Optimizing the ranks.");
        #[cfg(feature = "log")]
        let mut cnt = 0;
        #[cfg(feature = "log")]
        let mut iter = 0;

        loop {
            let mut c = 0;
            for node in self.dag.iter() {
                if self.try_to_sink_node(node) {
                    c += 1;
                }
            }
            #[cfg(feature = "log")]
            {
                cnt += c;
                iter += 1;
            }
            if c == 0 {
                break;
            }
        }

        #[cfg(feature = "log")]
        log::info!("Sank {} nodes in {} iteration.", cnt, iter);
    }
}

#[cfg(test)]
mod tests {
    use layout::core::base::Orientation;
    use layout::core::geometry::Point;
    use layout::core::style::StyleAttr;
    use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};

    /// Builds the same graph in `layout-rs`'s `VisualGraph` and in ours and lowers both to a ranked DAG
    /// without optimising; the caller then optimises each with its own optimiser.
    macro_rules! lowered {
        ($graph:ty, $nodes:expr, $edges:expr) => {{
            let mut vg = <$graph>::new(Orientation::TopToBottom);
            vg.dag.set_validate(false);
            let handles: Vec<_> = (0..$nodes)
                .map(|_| {
                    let shape = ShapeKind::new_box("node");
                    vg.add_node(Element::create(
                        shape,
                        StyleAttr::simple(),
                        Orientation::TopToBottom,
                        Point::new(60.0, 30.0),
                    ))
                })
                .collect();
            for &(from, to, label) in $edges {
                vg.add_edge(Arrow::simple(if label { "label" } else { "" }), handles[from], handles[to]);
            }
            vg.to_valid_dag();
            vg.split_text_edges();
            vg.split_long_edges(true);
            vg
        }};
    }

    #[test]
    fn crossings_are_optimised_exactly_as_layout_rs_does() {
        let mut state = 7u64;
        let mut below = |n: usize| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 33) % n as u64) as usize
        };
        for case in 0..120 {
            let nodes = 2 + below(30);
            let mut edges = Vec::new();
            for _ in 0..nodes + below(nodes * (1 + case % 3)) {
                edges.push((below(nodes), below(nodes), below(2) == 0));
            }
            let mut theirs = lowered!(layout::topo::layout::VisualGraph, nodes, &edges);
            let mut ours = lowered!(super::super::layout::VisualGraph, nodes, &edges);
            assert_eq!(theirs.dag.ranks(), ours.dag.ranks(), "case {case}: lowered differently");
            layout::topo::optimizer::EdgeCrossOptimizer::new(&mut theirs.dag).optimize();
            super::EdgeCrossOptimizer::new(&mut ours.dag).optimize();
            assert_eq!(theirs.dag.ranks(), ours.dag.ranks(), "case {case}: {nodes} nodes, edges {edges:?}");
        }
    }
}
