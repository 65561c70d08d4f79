//! The layered layout of `layout-rs` 0.1.3 (MIT licence, by Nadav Rotem; its notice is in
//! `LICENSE-layout-rs` beside this file), its `topo` module copied here so
//! that its edge-crossing optimiser can be made fast: the crate runs that optimiser inside
//! `VisualGraph::do_it` with no way to replace or bound it, and it took half of the time of rendering a
//! guide (`num_crossing` scanned each neighbour list once per node of a row).
//!
//! Only two changes are made, each giving the same results faster: `EdgeCrossOptimizer` (in `optimizer.rs`)
//! computes the same crossing counts from each node's neighbours and position in its row, so every layout is
//! the one the crate gives (the test in `optimizer.rs` compares the two on generated graphs), and the BK
//! scheduler (`placer/bk.rs`) reads node levels from a table instead of searching every row for each node.
//! Elsewhere paths were changed from `crate::` to `layout::` and the code was formatted by `cargo fmt`. The
//! shapes, geometry and `DAG` still come from the `layout-rs` crate.

pub(crate) mod layout;
pub(crate) mod optimizer;
pub(crate) mod placer;
