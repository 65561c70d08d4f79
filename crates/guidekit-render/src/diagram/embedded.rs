//! The embedded diagram engine: DOT laid out in pure Rust, drawn by guidekit.
//!
//! `layout-rs` does the layered layout (ranks, crossing reduction, coordinates, edge curves). Everything it
//! does not do well is done here: the graph comes from the model's one DOT parser, [`guidekit_model::dot`]
//! (subgraph edge operands, clusters and HTML labels included), node sizes come from real font metrics so
//! labels fit their boxes, and the SVG is written by our own backend: styles and fill colours from the DOT,
//! text centred on its box, arrow heads as plain polygons (no `id`s to collide when several diagrams share a
//! page) and a viewBox fitted to what is drawn. Clusters are drawn as a frame around their nodes.

use std::panic::{AssertUnwindSafe, catch_unwind};

use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};

use super::svg::Svg;
use super::topo::layout::VisualGraph;
use guidekit_model::dot::{self, Attrs, Graph, limits};

/// The first private-use character, used to name an edge label in the text `layout-rs` hands back.
const LABEL_MARK: u32 = 0xE000;
/// How far the drawing's frame stays from the outermost shape.
const MARGIN: f64 = 4.0;
/// Line height as a multiple of the font size.
const LINE_HEIGHT: f64 = 1.2;

/// Whether this engine can draw `graph`: it draws every graph the parser accepts, but lays out in bounded
/// time only those within [`limits`] (the validator's GK152 applies the same check).
pub(crate) fn can_draw(graph: &Graph<'_>) -> Result<(), String> {
    limits::check(graph).map(|_| ()).map_err(|too_large| format!("the diagram is too large to lay out: {too_large}"))
}

/// Lays out and draws `graph` as SVG (no sanitising: the caller sanitises every SVG). The caller checks
/// [`can_draw`] first.
pub(crate) fn render(graph: &Graph<'_>) -> Result<String, String> {
    let style = Styled::new(graph);
    if graph.nodes.is_empty() {
        return Ok(Svg::new(0.0, 0.0, 1.0, 1.0).finish());
    }
    let mut backend = Canvas::default();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mut vg = style.visual_graph(graph);
        vg.do_it(false, false, false, &mut backend);
    }));
    if outcome.is_err() {
        return Err("the embedded layout engine could not lay this graph out".into());
    }
    Ok(style.draw(graph, &backend))
}

/// Which of the three font families a DOT `fontname` falls in.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Family {
    Sans,
    Serif,
    Mono,
}

impl Family {
    fn from_fontname(name: Option<&str>) -> Family {
        let Some(name) = name else { return Family::Serif };
        // Compared in any ASCII case where they stand, without a lowercased copy: every node and edge label asks.
        let has = |word: &str| name.as_bytes().windows(word.len()).any(|w| w.eq_ignore_ascii_case(word.as_bytes()));
        if ["courier", "mono", "consol"].into_iter().any(has) {
            Family::Mono
        } else if ["helvetica", "arial", "sans", "verdana", "dejavu", "liberation", "roboto", "inter"]
            .into_iter()
            .any(has)
        {
            Family::Sans
        } else {
            Family::Serif
        }
    }

    fn css(self) -> &'static str {
        match self {
            Family::Sans => "Helvetica, Arial, 'Liberation Sans', sans-serif",
            Family::Serif => "'Times New Roman', Times, 'Liberation Serif', serif",
            Family::Mono => "'Courier New', Courier, 'Liberation Mono', monospace",
        }
    }
}

/// Advance widths of ASCII 32..=126 in thousandths of an em (Helvetica and Times-Roman AFM metrics).
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
    556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
    260, 334, 584,
];
const TIMES: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500,
    500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889,
    722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500,
    444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480,
    200, 480, 541,
];

/// The width of `text` at `size`, with a margin for fonts a little wider than the metrics (DejaVu, Arial).
fn text_width(text: &str, size: f64, family: Family) -> f64 {
    let em: u32 = text
        .chars()
        .map(|c| {
            let table = match family {
                Family::Sans => &HELVETICA,
                Family::Serif => &TIMES,
                Family::Mono => return 600,
            };
            match c as u32 {
                32..=126 => u32::from(table[c as usize - 32]),
                0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFF60 => 1000,
                _ => 600,
            }
        })
        .sum();
    f64::from(em) / 1000.0 * size * 1.08
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    Box,
    Ellipse,
    Circle,
    Diamond,
    Hexagon,
    Parallelogram,
    Plain,
}

/// How one node is drawn.
#[derive(Debug, Clone)]
struct NodeLook {
    lines: Vec<String>,
    shape: Shape,
    rounded: bool,
    dash: Option<&'static str>,
    invisible: bool,
    fill: Option<String>,
    stroke: String,
    stroke_width: f64,
    font_color: String,
    font_size: f64,
    family: Family,
    width: f64,
    height: f64,
}

/// How one edge is drawn.
#[derive(Debug, Clone)]
struct EdgeLook {
    label: Vec<String>,
    color: String,
    width: f64,
    dash: Option<&'static str>,
    invisible: bool,
    font_color: String,
    font_size: f64,
    family: Family,
    label_width: f64,
    label_height: f64,
}

/// The graph with every node and edge's look resolved from its DOT attributes.
struct Styled {
    orientation: Orientation,
    nodes: Vec<NodeLook>,
    edges: Vec<EdgeLook>,
    directed: bool,
}

fn attr<'a>(attrs: &'a Attrs<'_>, key: &str) -> Option<&'a str> {
    attrs.get(key).map(|v| v.text.as_ref())
}

/// A DOT colour, if it is one SVG understands the same way: `#rgb[a]`/`#rrggbb[aa]` or a colour name.
/// A colour list (`red:blue`) uses its first colour.
fn color(value: Option<&str>) -> Option<String> {
    let value = value?.split(':').next()?.trim();
    let hex = value
        .strip_prefix('#')
        .is_some_and(|h| matches!(h.len(), 3 | 4 | 6 | 8) && h.chars().all(|c| c.is_ascii_hexdigit()));
    let name = !value.is_empty() && value.len() <= 32 && value.chars().all(|c| c.is_ascii_alphabetic());
    if hex || name {
        Some(if value.eq_ignore_ascii_case("transparent") { "none".into() } else { value.to_ascii_lowercase() })
    } else {
        None
    }
}

fn number(value: Option<&str>, default: f64, range: std::ops::RangeInclusive<f64>) -> f64 {
    value.and_then(|v| v.trim().parse::<f64>().ok()).filter(|v| range.contains(v)).unwrap_or(default)
}

fn styles(attrs: &Attrs) -> Vec<String> {
    attr(attrs, "style")
        .unwrap_or("")
        .split(',')
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect()
}

fn dash(styles: &[String]) -> Option<&'static str> {
    if styles.iter().any(|s| s == "dashed") {
        Some("5,3")
    } else if styles.iter().any(|s| s == "dotted") {
        Some("1,3")
    } else {
        None
    }
}

impl Styled {
    fn new(graph: &Graph<'_>) -> Styled {
        let orientation = match attr(&graph.attrs, "rankdir").map(str::to_ascii_uppercase).as_deref() {
            Some("LR" | "RL") => Orientation::LeftToRight,
            _ => Orientation::TopToBottom,
        };
        let nodes = graph.nodes.iter().map(|node| Self::node_look(graph, node)).collect();
        let edges = graph.edges.iter().map(|edge| Self::edge_look(graph, edge)).collect();
        Styled { orientation, nodes, edges, directed: graph.directed }
    }

    fn node_look(graph: &Graph<'_>, node: &dot::Node<'_>) -> NodeLook {
        let attrs = &node.attrs;
        let styles = styles(attrs);
        let shape_name = attr(attrs, "shape").unwrap_or("ellipse").to_ascii_lowercase();
        let shape = match shape_name.as_str() {
            "ellipse" | "oval" => Shape::Ellipse,
            "circle" | "doublecircle" | "point" => Shape::Circle,
            "diamond" | "mdiamond" => Shape::Diamond,
            "hexagon" | "octagon" | "doubleoctagon" => Shape::Hexagon,
            "parallelogram" | "trapezium" => Shape::Parallelogram,
            "plaintext" | "plain" | "none" | "underline" => Shape::Plain,
            _ => Shape::Box,
        };
        let mut lines = graph.node_label(node);
        if matches!(shape_name.as_str(), "record" | "mrecord") && !attrs.get("label").is_some_and(|l| l.is_html()) {
            // Record fields are shown one per line, without their dividers.
            lines = lines
                .iter()
                .flat_map(|l| l.split('|').map(|f| f.trim_matches(['{', '}', ' ']).to_owned()).collect::<Vec<_>>())
                .filter(|l| !l.is_empty())
                .collect();
        }
        let font_size = number(attr(attrs, "fontsize"), 14.0, 1.0..=72.0);
        let family = Family::from_fontname(attr(attrs, "fontname"));
        let text_w = lines.iter().map(|l| text_width(l, font_size, family)).fold(0.0, f64::max);
        let text_h = lines.len().max(1) as f64 * font_size * LINE_HEIGHT;
        // Graphviz pads labels by 0.11in x 0.055in and makes nodes at least 0.75in x 0.5in (54 x 36 pt).
        let (mut width, mut height) = (text_w + 16.0 + font_size * 0.6, text_h + 8.0 + font_size * 0.3);
        match shape {
            Shape::Ellipse => {
                width *= 1.3;
                height *= 1.3;
            }
            Shape::Circle => {
                let d = (text_w.max(text_h) + 12.0) * 1.2;
                width = d;
                height = d;
            }
            Shape::Diamond => {
                width *= 1.7;
                height *= 1.7;
            }
            Shape::Hexagon | Shape::Parallelogram => width += height,
            Shape::Box | Shape::Plain => {}
        }
        if shape == Shape::Plain {
            width = width.max(20.0);
            height = height.max(16.0);
        } else {
            width = width.max(54.0);
            height = height.max(36.0);
        }
        width = width.max(number(attr(attrs, "width"), 0.0, 0.0..=20.0) * 72.0);
        height = height.max(number(attr(attrs, "height"), 0.0, 0.0..=20.0) * 72.0);
        let stroke = color(attr(attrs, "color")).unwrap_or_else(|| "black".into());
        let filled = styles.iter().any(|s| s == "filled") || shape_name == "point";
        let fill = filled.then(|| {
            color(attr(attrs, "fillcolor"))
                .or_else(|| color(attr(attrs, "color")))
                .unwrap_or_else(|| "lightgrey".into())
        });
        NodeLook {
            lines,
            shape,
            rounded: styles.iter().any(|s| s == "rounded") || shape_name == "mrecord",
            dash: dash(&styles),
            invisible: styles.iter().any(|s| s == "invis"),
            fill,
            stroke,
            stroke_width: if styles.iter().any(|s| s == "bold") {
                2.0
            } else {
                number(attr(attrs, "penwidth"), 1.0, 0.0..=10.0)
            },
            font_color: color(attr(attrs, "fontcolor")).unwrap_or_else(|| "black".into()),
            font_size,
            family,
            width,
            height,
        }
    }

    fn edge_look(graph: &Graph<'_>, edge: &dot::Edge<'_>) -> EdgeLook {
        let attrs = &edge.attrs;
        let styles = styles(attrs);
        let label = graph.edge_label(edge);
        let font_size = number(attr(attrs, "fontsize"), 14.0, 1.0..=72.0);
        let family = Family::from_fontname(attr(attrs, "fontname"));
        let label_width = label.iter().map(|l| text_width(l, font_size, family)).fold(0.0, f64::max);
        let label_height = label.len() as f64 * font_size * LINE_HEIGHT;
        EdgeLook {
            color: color(attr(attrs, "color")).unwrap_or_else(|| "black".into()),
            width: if styles.iter().any(|s| s == "bold") {
                2.0
            } else {
                number(attr(attrs, "penwidth"), 1.0, 0.0..=10.0)
            },
            dash: dash(&styles),
            invisible: styles.iter().any(|s| s == "invis"),
            font_color: color(attr(attrs, "fontcolor")).unwrap_or_else(|| "black".into()),
            font_size,
            family,
            label,
            label_width,
            label_height,
        }
    }

    /// The graph for `layout-rs`: every node a box or ellipse of the size we measured, every labelled edge
    /// passing through a label of the size we measured (encoded in the label text, see [`label_placeholder`]).
    fn visual_graph(&self, graph: &Graph<'_>) -> VisualGraph {
        let mut vg = VisualGraph::new(self.orientation);
        // `layout-rs` re-verifies the whole DAG after every edge it adds, by enumerating paths: exponential
        // time on graphs with many paths (a complete digraph on 20 nodes took minutes). Our edges form a DAG
        // by construction (see `handover`), so the check is turned off.
        vg.dag.set_validate(false);
        let element_dir = self.orientation.flip();
        let handles: Vec<_> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, look)| {
                let shape = match look.shape {
                    Shape::Ellipse | Shape::Circle => ShapeKind::Circle(String::new()),
                    _ => ShapeKind::Box(String::new()),
                };
                let style = StyleAttr::new(black(), 1, None, 0, 14);
                let size = Point::new(look.width, look.height);
                vg.add_node(Element::create_with_properties(shape, style, element_dir, size, format!("n{i}")))
            })
            .collect();
        for (i, reversed) in handover(graph) {
            let (edge, look) = (&graph.edges[i], &self.edges[i]);
            let text = if look.label.is_empty() { String::new() } else { label_placeholder(i, look, self.orientation) };
            // Font size 1 makes `layout-rs` size the label box in whole pixels from the placeholder text.
            let style = StyleAttr::new(black(), 1, None, 0, 1);
            // A reversed edge is handed over as `layout-rs` would have reversed it: ends and heads swapped.
            let (start, end) = if reversed {
                (LineEndKind::Arrow, LineEndKind::None)
            } else {
                (LineEndKind::None, LineEndKind::Arrow)
            };
            let (from, to) = if reversed { (edge.to, edge.from) } else { (edge.from, edge.to) };
            let arrow =
                Arrow::with_properties(start, end, LineStyleKind::Normal, &text, &style, format!("e{i}"), &None, &None);
            vg.add_edge(arrow, handles[from], handles[to]);
        }
        vg
    }

    /// The font, size and colour of most node labels (the first of them on a tie), which the drawing sets once
    /// for all its texts.
    fn usual_text(&self) -> Option<(Family, f64, &str)> {
        let mut counts: Vec<((Family, f64, &str), usize)> = Vec::new();
        for look in self.nodes.iter().filter(|look| !look.invisible) {
            let key = (look.family, look.font_size, look.font_color.as_str());
            match counts.iter_mut().find(|(seen, _)| *seen == key) {
                Some((_, count)) => *count += 1,
                None => counts.push((key, 1)),
            }
        }
        // `max_by_key` keeps the last of equal counts: reversed, the first.
        counts.into_iter().rev().max_by_key(|(_, count)| *count).map(|(key, _)| key)
    }

    /// Writes the SVG from what the layout drew on `canvas`.
    fn draw(&self, graph: &Graph<'_>, canvas: &Canvas) -> String {
        let mut bounds = Bounds::default();
        for (center, size, _) in &canvas.nodes {
            bounds.add_box(*center, *size);
        }
        for (_, path, _) in &canvas.edges {
            for (a, b) in path {
                bounds.add(*a);
                bounds.add(*b);
            }
        }
        for (i, at) in &canvas.labels {
            if let Some(look) = self.edges.get(*i) {
                let center = self.label_center(*at, canvas.through(*i, *at), look);
                bounds.add_box(center, Point::new(look.label_width + 4.0, look.label_height + 2.0));
            }
        }
        // Clusters: a frame around their nodes, with the label on top.
        let mut frames = Vec::new();
        for cluster in graph.subgraphs.iter().filter(|s| s.is_cluster()) {
            let mut frame = Bounds::default();
            for node in &cluster.nodes {
                if let Some((center, size, _)) = canvas.nodes.iter().find(|(_, _, n)| n == node) {
                    frame.add_box(*center, *size);
                }
            }
            let Some((min, max)) = frame.get() else { continue };
            let label = attr(&cluster.attrs, "label")
                .map(|l| dot::label::label_lines(&cluster.attrs["label"], l, graph.name_text()).join(" "));
            let font_size = number(attr(&cluster.attrs, "fontsize"), 14.0, 1.0..=72.0);
            let top_pad = if label.is_some() { font_size * LINE_HEIGHT + 8.0 } else { 10.0 };
            let min = Point::new(min.x - 10.0, min.y - top_pad);
            let max = Point::new(max.x + 10.0, max.y + 10.0);
            bounds.add(min);
            bounds.add(max);
            frames.push((min, max, label, font_size, &cluster.attrs));
        }
        let graph_label = attr(&graph.attrs, "label")
            .map(|l| dot::label::label_lines(&graph.attrs["label"], l, graph.name_text()).join(" "));
        let graph_font = number(attr(&graph.attrs, "fontsize"), 14.0, 1.0..=72.0);
        if let (Some(label), Some((min, max))) = (&graph_label, bounds.get()) {
            let w = text_width(label, graph_font, Family::Serif);
            let center = Point::new((min.x + max.x) / 2.0, max.y + 6.0 + graph_font * LINE_HEIGHT / 2.0);
            bounds.add_box(center, Point::new(w, graph_font * LINE_HEIGHT));
        }

        let (min, max) = bounds.get().unwrap_or((Point::zero(), Point::new(1.0, 1.0)));
        let mut svg =
            Svg::new(min.x - MARGIN, min.y - MARGIN, max.x - min.x + 2.0 * MARGIN, max.y - min.y + 2.0 * MARGIN);
        if let Some((family, size, color)) = self.usual_text() {
            svg.text_defaults(family.css(), size, color);
        }

        for (min, max, label, font_size, attrs) in &frames {
            let styles = styles(attrs);
            let fill = if styles.iter().any(|s| s == "filled") {
                color(attr(attrs, "fillcolor")).or_else(|| color(attr(attrs, "bgcolor"))).unwrap_or("lightgrey".into())
            } else {
                color(attr(attrs, "bgcolor")).unwrap_or_else(|| "none".into())
            };
            let stroke =
                color(attr(attrs, "pencolor")).or_else(|| color(attr(attrs, "color"))).unwrap_or("black".into());
            svg.open("g", &[("class", "cluster")]);
            svg.rect(*min, Point::new(max.x - min.x, max.y - min.y), 4.0, &fill, &stroke, 1.0, dash(&styles));
            if let Some(label) = label {
                let center = Point::new((min.x + max.x) / 2.0, min.y + 4.0 + font_size * LINE_HEIGHT / 2.0);
                let family = Family::from_fontname(attr(attrs, "fontname"));
                svg.text_lines(center, std::slice::from_ref(label), *font_size, family.css(), "black");
            }
            svg.close("g");
        }

        for (i, path, heads) in &canvas.edges {
            let Some(look) = self.edges.get(*i) else { continue };
            if look.invisible || path.len() < 2 {
                continue;
            }
            let (start, end) = if self.directed { *heads } else { (false, false) };
            let (start, end) = match graph.edges.get(*i).and_then(|e| attr(&e.attrs, "dir")) {
                Some("none") => (false, false),
                Some("both") => (true, true),
                Some("back") => (end, start),
                _ if graph.edges.get(*i).and_then(|e| attr(&e.attrs, "arrowhead")) == Some("none") => (start, false),
                _ => (start, end),
            };
            svg.open("g", &[("class", "edge")]);
            svg.arrow(path, start, end, &look.color, look.width, look.dash);
            if let Some((_, at)) = canvas.labels.iter().find(|(l, _)| l == i) {
                let center = self.label_center(*at, canvas.through(*i, *at), look);
                svg.text_lines(center, &look.label, look.font_size, look.family.css(), &look.font_color);
            }
            svg.close("g");
        }

        for (center, size, i) in &canvas.nodes {
            let Some(look) = self.nodes.get(*i) else { continue };
            if look.invisible {
                continue;
            }
            svg.open("g", &[("class", "node")]);
            let fill = look.fill.as_deref().unwrap_or("none");
            let top_left = Point::new(center.x - size.x / 2.0, center.y - size.y / 2.0);
            let (w, h) = (size.x, size.y);
            match look.shape {
                Shape::Plain => {}
                Shape::Box => {
                    let radius = if look.rounded { 6.0_f64.min(h / 3.0) } else { 0.0 };
                    svg.rect(top_left, *size, radius, fill, &look.stroke, look.stroke_width, look.dash);
                }
                Shape::Ellipse | Shape::Circle => {
                    svg.ellipse(*center, w / 2.0, h / 2.0, fill, &look.stroke, look.stroke_width, look.dash)
                }
                Shape::Diamond => svg.polygon(
                    &[
                        Point::new(center.x, top_left.y),
                        Point::new(top_left.x + w, center.y),
                        Point::new(center.x, top_left.y + h),
                        Point::new(top_left.x, center.y),
                    ],
                    fill,
                    &look.stroke,
                    look.stroke_width,
                    look.dash,
                ),
                Shape::Hexagon => {
                    let inset = h / 2.0;
                    svg.polygon(
                        &[
                            Point::new(top_left.x + inset, top_left.y),
                            Point::new(top_left.x + w - inset, top_left.y),
                            Point::new(top_left.x + w, center.y),
                            Point::new(top_left.x + w - inset, top_left.y + h),
                            Point::new(top_left.x + inset, top_left.y + h),
                            Point::new(top_left.x, center.y),
                        ],
                        fill,
                        &look.stroke,
                        look.stroke_width,
                        look.dash,
                    )
                }
                Shape::Parallelogram => {
                    let inset = h / 2.0;
                    svg.polygon(
                        &[
                            Point::new(top_left.x + inset, top_left.y),
                            Point::new(top_left.x + w, top_left.y),
                            Point::new(top_left.x + w - inset, top_left.y + h),
                            Point::new(top_left.x, top_left.y + h),
                        ],
                        fill,
                        &look.stroke,
                        look.stroke_width,
                        look.dash,
                    )
                }
            }
            svg.text_lines(*center, &look.lines, look.font_size, look.family.css(), &look.font_color);
            svg.close("g");
        }

        if let (Some(label), Some((min, max))) = (&graph_label, bounds.get()) {
            let center = Point::new((min.x + max.x) / 2.0, max.y - graph_font * LINE_HEIGHT / 2.0);
            let family = Family::from_fontname(attr(&graph.attrs, "fontname"));
            svg.text_lines(center, std::slice::from_ref(label), graph_font, family.css(), "black");
        }
        svg.finish()
    }

    /// Where an edge label's text is centred. `layout-rs` reserves a box for the label and runs the edge
    /// through a point on that box's side (`through`, a vertex of the edge's path); the text goes on the
    /// box's side of that point, clear of the edge.
    fn label_center(&self, middle: Point, through: Option<Point>, look: &EdgeLook) -> Point {
        let Some(through) = through else { return middle };
        let (dx, dy) = (middle.x - through.x, middle.y - through.y);
        if dx.abs() >= dy.abs() {
            let side = if dx < 0.0 { -1.0 } else { 1.0 };
            Point::new(through.x + side * (LABEL_GAP + look.label_width / 2.0), through.y)
        } else {
            let side = if dy < 0.0 { -1.0 } else { 1.0 };
            Point::new(through.x, through.y + side * (LABEL_GAP / 2.0 + look.label_height / 2.0))
        }
    }
}

/// How many path steps `layout-rs` may take checking new edges for cycles before the edges are reordered.
const HANDOVER_BUDGET: u64 = 100_000;

/// The order in which edges are given to `layout-rs`, each with whether it is reversed.
///
/// `layout-rs` adds edges one by one and reverses an edge whose head already reaches its tail, checking by
/// enumerating every path from the head: exponential time when the graph has many paths. So the back edges
/// are found here, in the same order and with the same outcome, in linear time per edge, and the edges are
/// handed over already pointing forward. When enumerating the paths would still be long, the edges are also
/// handed over tails first (in topological order), so that each head has no successors yet when its edge is
/// checked; otherwise they keep their order, and the layout is the one `layout-rs` always gave.
fn handover(graph: &Graph<'_>) -> Vec<(usize, bool)> {
    let n = graph.nodes.len();
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut order = Vec::with_capacity(graph.edges.len());
    let mut steps = 0u64;
    let mut mark = vec![usize::MAX; n];
    let mut paths = vec![0u64; n];
    for (i, edge) in graph.edges.iter().enumerate() {
        if edge.from == edge.to {
            order.push((i, false));
            continue;
        }
        // Does the head reach the tail? Count, too, the paths from the head that `layout-rs` would walk.
        let reversed = reaches(&successors, edge.to, edge.from, &mut mark, i);
        if steps <= HANDOVER_BUDGET {
            steps = steps.saturating_add(count_paths(&successors, edge.to, &mut paths, &mut mark, i));
        }
        let (from, to) = if reversed { (edge.to, edge.from) } else { (edge.from, edge.to) };
        successors[from].push(to);
        order.push((i, reversed));
    }
    if steps > HANDOVER_BUDGET {
        let position = topological_positions(&successors);
        order.sort_by_key(|&(i, reversed)| {
            let edge = &graph.edges[i];
            position[if reversed { edge.to } else { edge.from }]
        });
    }
    order
}

/// Whether `to` is reachable from `from` (`mark` holds visits, stamped with `stamp`).
fn reaches(successors: &[Vec<usize>], from: usize, to: usize, mark: &mut [usize], stamp: usize) -> bool {
    let mut stack = vec![from];
    mark[from] = stamp;
    while let Some(v) = stack.pop() {
        if v == to {
            return true;
        }
        for &w in &successors[v] {
            if mark[w] != stamp {
                mark[w] = stamp;
                stack.push(w);
            }
        }
    }
    false
}

/// The number of paths starting at `from` in the DAG (each a step of `layout-rs`'s enumeration).
fn count_paths(successors: &[Vec<usize>], from: usize, paths: &mut [u64], mark: &mut [usize], stamp: usize) -> u64 {
    // Post-order over what `from` reaches; `mark` is stamped anew (the stamp differs from `reaches`').
    let stamp = usize::MAX - 1 - stamp;
    let mut stack = vec![(from, false)];
    while let Some((v, done)) = stack.pop() {
        if done {
            paths[v] = successors[v].iter().fold(1u64, |sum, &w| sum.saturating_add(paths[w]));
            continue;
        }
        if mark[v] == stamp {
            continue;
        }
        mark[v] = stamp;
        stack.push((v, true));
        stack.extend(successors[v].iter().filter(|&&w| mark[w] != stamp).map(|&w| (w, false)));
    }
    paths[from]
}

/// Each node's position in a topological order of the DAG (nodes in order of index where free to choose).
fn topological_positions(successors: &[Vec<usize>]) -> Vec<usize> {
    let n = successors.len();
    let mut indegree = vec![0usize; n];
    for list in successors {
        for &w in list {
            indegree[w] += 1;
        }
    }
    let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<usize>> =
        (0..n).filter(|&v| indegree[v] == 0).map(std::cmp::Reverse).collect();
    let mut position = vec![0usize; n];
    let mut next = 0;
    while let Some(std::cmp::Reverse(v)) = ready.pop() {
        position[v] = next;
        next += 1;
        for &w in &successors[v] {
            indegree[w] -= 1;
            if indegree[w] == 0 {
                ready.push(std::cmp::Reverse(w));
            }
        }
    }
    position
}

/// Space between an edge and its label.
const LABEL_GAP: f64 = 6.0;

/// Black for `layout-rs`'s style, which only sizes elements (guidekit draws them itself): the value
/// `Color::fast("black")` gives, without its search that copies the 148-colour table on every call (1% of a
/// build).
fn black() -> Color {
    Color::new(0x0000_00ff)
}

/// The text given to `layout-rs` for edge `index`'s label: with font size 1 it sizes the label's box as
/// (longest line + 10) by (line count + 10) pixels, so the text's shape encodes the size we measured, and its
/// first character tells which edge it is when `layout-rs` asks us to draw it.
fn label_placeholder(index: usize, look: &EdgeLook, orientation: Orientation) -> String {
    let (width, height) = match orientation {
        Orientation::TopToBottom => (look.label_width + 2.0 * LABEL_GAP, look.label_height + 6.0),
        Orientation::LeftToRight => (look.label_width + 8.0, look.label_height + 2.0 * LABEL_GAP),
    };
    let width = width.ceil().max(12.0) as usize - 10;
    let height = height.ceil().max(12.0) as usize - 10;
    let mark = char::from_u32(LABEL_MARK + index as u32).unwrap_or('\u{E000}');
    let mut text = String::with_capacity(width * 2 + height);
    text.push(mark);
    text.push_str(&"x".repeat(width.saturating_sub(1)));
    for _ in 1..height {
        text.push_str("\nx");
    }
    text
}

/// The bounding box of what is drawn.
#[derive(Default)]
struct Bounds {
    min: Option<Point>,
    max: Option<Point>,
}

impl Bounds {
    fn add(&mut self, p: Point) {
        if !p.x.is_finite() || !p.y.is_finite() {
            return;
        }
        self.min = Some(match self.min {
            Some(m) => Point::new(m.x.min(p.x), m.y.min(p.y)),
            None => p,
        });
        self.max = Some(match self.max {
            Some(m) => Point::new(m.x.max(p.x), m.y.max(p.y)),
            None => p,
        });
    }

    fn add_box(&mut self, center: Point, size: Point) {
        self.add(Point::new(center.x - size.x / 2.0, center.y - size.y / 2.0));
        self.add(Point::new(center.x + size.x / 2.0, center.y + size.y / 2.0));
    }

    fn get(&self) -> Option<(Point, Point)> {
        Some((self.min?, self.max?))
    }
}

/// An edge as `layout-rs` drew it: (edge index, path as (point, control point) pairs, (arrow at start, arrow at
/// end)).
type DrawnEdge = (usize, Vec<(Point, Point)>, (bool, bool));

/// Records what `layout-rs` draws, by node and edge index, for [`Styled::draw`] to draw properly.
#[derive(Default)]
struct Canvas {
    /// (centre, size, node index)
    nodes: Vec<(Point, Point, usize)>,
    /// (edge index, path as (point, control point) pairs, (arrow at start, arrow at end))
    edges: Vec<DrawnEdge>,
    /// (edge index, middle of the label's box)
    labels: Vec<(usize, Point)>,
}

impl Canvas {
    /// The vertex of edge `edge`'s path nearest to `near`: where the edge passes its label's box.
    fn through(&self, edge: usize, near: Point) -> Option<Point> {
        let (_, path, _) = self.edges.iter().find(|(i, _, _)| *i == edge)?;
        let distance = |p: &Point| (p.x - near.x).powi(2) + (p.y - near.y).powi(2);
        path.iter()
            .enumerate()
            .map(|(i, (a, b))| if i == 0 { *a } else { *b })
            .min_by(|a, b| distance(a).total_cmp(&distance(b)))
    }
}

fn index_of(properties: Option<String>, prefix: char) -> Option<usize> {
    properties?.strip_prefix(prefix)?.parse().ok()
}

impl RenderBackend for Canvas {
    fn draw_rect(&mut self, xy: Point, size: Point, _: &StyleAttr, properties: Option<String>, _: Option<ClipHandle>) {
        if let Some(i) = index_of(properties, 'n') {
            self.nodes.push((Point::new(xy.x + size.x / 2.0, xy.y + size.y / 2.0), size, i));
        }
    }

    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_circle(&mut self, xy: Point, size: Point, _: &StyleAttr, properties: Option<String>) {
        if let Some(i) = index_of(properties, 'n') {
            self.nodes.push((xy, size, i));
        }
    }

    fn draw_text(&mut self, xy: Point, text: &str, _: &StyleAttr) {
        if let Some(index) = text.chars().next().and_then(|c| (c as u32).checked_sub(LABEL_MARK))
            && index < 0x1900
        {
            self.labels.push((index as usize, xy));
        }
    }

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _: bool,
        head: (bool, bool),
        _: &StyleAttr,
        properties: Option<String>,
        _: &str,
    ) {
        if let Some(i) = index_of(properties, 'e') {
            self.edges.push((i, path.to_vec(), head));
        }
    }

    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draw(source: &str) -> Result<String, String> {
        render(&dot::parse(source).map_err(|e| e.message)?)
    }

    #[test]
    fn draws_labels_inside_a_tight_frame() {
        let svg = draw(
            r##"digraph { node [shape=box, style="rounded,filled", fillcolor="#eef4fb", fontname="Helvetica", fontsize=11];
                a [label="Aniracetam"]; b [label="AMPA <receptor> & co"]; a -> b [label="modulates"]; }"##,
        )
        .unwrap();
        assert!(svg.contains(">Aniracetam</tspan>"), "{svg}");
        assert!(svg.contains("AMPA &lt;receptor&gt; &amp; co"), "{svg}");
        assert!(svg.contains(">modulates</tspan>"), "{svg}");
        assert!(svg.contains("fill=\"#eef4fb\""), "{svg}");
        assert!(!svg.contains("\u{E000}"), "placeholders must not leak: {svg}");
        assert!(!svg.contains(" id="), "no ids that could collide on a page: {svg}");
    }

    #[test]
    fn texts_state_only_what_differs_from_the_usual_font_set_once() {
        let svg = draw(
            r##"digraph { node [fontname="Helvetica", fontsize=11]; a; b; c [fontcolor="red"]; d [fontsize=20];
                a -> b [label="binds"]; b -> c [label="mono", fontname="Courier"]; }"##,
        )
        .unwrap();
        let sans = Family::Sans.css().replace('\'', "&#39;");
        let usual = format!("<g text-anchor=\"middle\" font-family=\"{sans}\" font-size=\"11\" fill=\"black\">");
        assert_eq!(svg.matches(&usual).count(), 1, "{svg}");
        assert_eq!(svg.matches("text-anchor").count(), 1, "{svg}");
        // a and b: nothing to state; c its colour; d its size; each edge label its font and size (Times, 14).
        assert_eq!(svg.matches("<text>").count(), 2, "{svg}");
        assert!(svg.contains("<text fill=\"red\">"), "{svg}");
        assert!(svg.contains("<text font-size=\"20\">"), "{svg}");
        let serif = Family::Serif.css().replace('\'', "&#39;");
        assert!(svg.contains(&format!("<text font-family=\"{serif}\" font-size=\"14\">")), "{svg}");
        let mono = Family::Mono.css().replace('\'', "&#39;");
        assert!(svg.contains(&format!("<text font-family=\"{mono}\" font-size=\"14\">")), "{svg}");
        assert!(svg.ends_with("</g></svg>"), "{svg}");
    }

    #[test]
    fn font_names_fall_in_their_family_in_any_case_and_length() {
        assert_eq!(Family::from_fontname(None), Family::Serif);
        assert_eq!(Family::from_fontname(Some("Times-Roman")), Family::Serif);
        assert_eq!(Family::from_fontname(Some("HELVETICA")), Family::Sans);
        assert_eq!(Family::from_fontname(Some("DejaVu Sans Mono")), Family::Mono);
        assert_eq!(Family::from_fontname(Some("Ünïcode Arial")), Family::Sans);
        let long = format!("{} Courier", "x".repeat(80));
        assert_eq!(Family::from_fontname(Some(&long)), Family::Mono);
        assert_eq!(Family::from_fontname(Some(&"Garamond ".repeat(10))), Family::Serif);
    }

    #[test]
    fn black_is_the_black_layout_rs_names() {
        assert_eq!(black().to_web_color(), Color::fast("black").to_web_color());
    }

    #[test]
    fn odd_graphs_do_not_panic() {
        for source in [
            "digraph { a -> a }",
            "digraph { a -> b; b -> a; a -> b }",
            "graph { a -- b -- c -- a }",
            "digraph { }",
            "digraph { a -> {b c d} -> e [label=x] }",
            "digraph { subgraph cluster_0 { label=\"C\"; a; b } a -> b; c -> a }",
            "digraph { a [label=<<b>x</b>>, shape=diamond]; b [shape=hexagon]; a -> b [dir=back] }",
        ] {
            let graph = dot::parse(source).unwrap_or_else(|e| panic!("{source}: {}", e.message));
            let svg = render(&graph).unwrap_or_else(|e| panic!("{source}: {e}"));
            assert!(svg.starts_with("<svg"), "{source}: {svg}");
        }
    }
}
