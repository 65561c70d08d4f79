//! Graphviz DOT, the language of [`Diagram::dot`](crate::Diagram): the one parser guidekit has.
//!
//! [`parse`] follows Graphviz's own grammar (`lib/cgraph/grammar.y`, <https://graphviz.org/doc/info/lang.html>)
//! and accepts what `dot` accepts — a differential test runs both over a corpus — including HTML-like labels,
//! which it checks as Graphviz does ([`html`]). It returns the graph as Graphviz sees it: nodes with their
//! attributes resolved through `node [...]` defaults and subgraph scopes, edges (an edge to a subgraph is an
//! edge to each of its nodes), subgraphs and clusters, with the byte span of every element in the source.
//! The validator's DOT rules and both diagram engines read this one graph, so they cannot disagree about what
//! a diagram says. The graph borrows names and values from the source (a string with an escape in it is the
//! one copy), so it lives no longer than the source. It draws nothing, never panics, and its work is bounded by
//! [`MAX_ITEMS`] and [`MAX_DEPTH`]; [`limits`] bounds what the embedded engine is asked to lay out.

pub mod html;
pub mod label;
pub mod limits;

mod entities;
mod lexer;
mod record;

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use lexer::{Keyword, Lexed, Punct, Tok, Token};

/// The most nodes, or edges, a graph may have before the parser stops: a bound on memory for sources whose
/// subgraph operands multiply edges (`{a b c} -> {d e f}`). Far beyond anything [`limits`] lets be drawn.
pub const MAX_ITEMS: usize = 100_000;
/// How deep subgraphs may nest.
pub const MAX_DEPTH: usize = 64;

/// How an id was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// A name: letters, digits and `_`, not starting with a digit.
    Name,
    /// A number, e.g. `-1.5`.
    Number,
    /// A double-quoted string (possibly `+`-joined).
    Quoted,
    /// An HTML string, `<...>`.
    Html,
}

/// An id (a name, number, quoted string or HTML string) and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Id<'a> {
    /// The text: without quotes or the outer `<>`, with `\"` and line continuations resolved; other escapes
    /// (`\n`, `\l`, `\N`, ...) are kept for [`label`] to interpret.
    pub text: Cow<'a, str>,
    /// How it was written.
    pub kind: IdKind,
    /// Byte range in the source, quotes included.
    pub span: Range<usize>,
}

impl Id<'_> {
    /// Whether it is an HTML string (`<...>`).
    pub fn is_html(&self) -> bool {
        self.kind == IdKind::Html
    }
}

/// Assignments by name; a later one replaces an earlier one, as in Graphviz.
///
/// A node or an edge nearly always sets one attribute (`a [label="..."]`), sometimes two or three: one is kept
/// in place, without an allocation (a vector's allocation and release for every such list was a tenth of
/// parsing a typical diagram); up to [`Assignments::FEW`] they are a vector searched from the start (a B-tree
/// per node and edge was a sixth); beyond that a B-tree, so that a list of thousands of assignments stays
/// O(n log n).
#[derive(Debug, Clone, Default)]
enum Assignments<'a> {
    #[default]
    None,
    One(Cow<'a, str>, Id<'a>),
    Few(Vec<(Cow<'a, str>, Id<'a>)>),
    Many(BTreeMap<Cow<'a, str>, Id<'a>>),
}

impl<'a> Assignments<'a> {
    const FEW: usize = 8;

    fn new() -> Self {
        Assignments::None
    }

    fn get(&self, name: &str) -> Option<&Id<'a>> {
        match self {
            Assignments::None => None,
            Assignments::One(one, value) => (one == name).then_some(value),
            Assignments::Few(few) => few.iter().find(|(n, _)| n == name).map(|(_, value)| value),
            Assignments::Many(many) => many.get(name),
        }
    }

    fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    fn is_empty(&self) -> bool {
        match self {
            Assignments::None => true,
            Assignments::One(..) => false,
            Assignments::Few(few) => few.is_empty(),
            Assignments::Many(many) => many.is_empty(),
        }
    }

    /// Sets `name`; an earlier value is replaced, and the name keeps its first spelling and place.
    // Inlined for the reason `lexer::Lexed::text` is.
    #[inline(always)]
    fn insert(&mut self, name: Cow<'a, str>, value: Id<'a>) {
        match self {
            Assignments::None => *self = Assignments::One(name, value),
            Assignments::One(one, slot) if *one == name => *slot = value,
            Assignments::One(..) => {
                let Assignments::One(one, first) = std::mem::take(self) else { unreachable!("matched above") };
                let mut few = Vec::with_capacity(4);
                few.extend([(one, first), (name, value)]);
                *self = Assignments::Few(few);
            }
            Assignments::Few(few) => {
                if let Some(slot) = few.iter_mut().find(|(n, _)| *n == name) {
                    slot.1 = value;
                } else if few.len() < Self::FEW {
                    few.push((name, value));
                } else {
                    let mut many: BTreeMap<_, _> = std::mem::take(few).into_iter().collect();
                    many.insert(name, value);
                    *self = Assignments::Many(many);
                }
            }
            Assignments::Many(many) => {
                many.insert(name, value);
            }
        }
    }

    /// Sets each of `more`'s assignments in turn.
    fn extend(&mut self, more: Assignments<'a>) {
        match more {
            Assignments::None => {}
            Assignments::One(name, value) => self.insert(name, value),
            Assignments::Few(few) => few.into_iter().for_each(|(name, value)| self.insert(name, value)),
            Assignments::Many(many) => many.into_iter().for_each(|(name, value)| self.insert(name, value)),
        }
    }

    /// Every assignment, in no particular order.
    fn iter(&self) -> impl Iterator<Item = (&Cow<'a, str>, &Id<'a>)> {
        let (one, few, many) = match self {
            Assignments::None => (None, None, None),
            Assignments::One(name, value) => (Some((name, value)), None, None),
            Assignments::Few(few) => (None, Some(few.iter().map(|(name, value)| (name, value))), None),
            Assignments::Many(many) => (None, None, Some(many.iter())),
        };
        one.into_iter().chain(few.into_iter().flatten()).chain(many.into_iter().flatten())
    }
}

/// An object's attribute values by name, as Graphviz resolves them: the defaults in force where the object
/// was first mentioned (`node [...]`, `edge [...]`), and its own assignments, which win over them; a later
/// assignment replaces an earlier one.
///
/// The defaults are shared by every object that got them rather than copied into each: copying them was the
/// largest part of parsing a typical diagram (`cargo xtask bench`).
#[derive(Debug, Clone, Default)]
pub struct Attrs<'a> {
    /// `None` where no defaults were in force (edges, in most graphs): no shared count to raise and lower,
    /// an atomic operation each, for every such object (4% of parsing the bench's diagrams).
    defaults: Option<Arc<Assignments<'a>>>,
    own: Assignments<'a>,
}

impl<'a> Attrs<'a> {
    fn with_defaults(defaults: &Arc<Assignments<'a>>) -> Attrs<'a> {
        let defaults = (!defaults.is_empty()).then(|| Arc::clone(defaults));
        Attrs { defaults, own: Assignments::new() }
    }

    /// The value of attribute `name`, if it is set.
    pub fn get(&self, name: &str) -> Option<&Id<'a>> {
        self.own.get(name).or_else(|| self.defaults.as_deref()?.get(name))
    }

    /// Whether no attribute is set.
    pub fn is_empty(&self) -> bool {
        self.own.is_empty() && self.defaults.as_deref().is_none_or(Assignments::is_empty)
    }

    /// Every attribute set, by name in byte order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Id<'a>)> {
        let inherited = self.defaults.iter().flat_map(|d| d.iter()).filter(|(name, _)| !self.own.contains_key(name));
        let mut all: Vec<(&str, &Id<'a>)> =
            self.own.iter().chain(inherited).map(|(name, value)| (name.as_ref(), value)).collect();
        all.sort_unstable_by_key(|(name, _)| *name);
        all.into_iter()
    }
}

impl<'a> std::ops::Index<&str> for Attrs<'a> {
    type Output = Id<'a>;

    /// The value of attribute `name`; panics when it is not set (use [`Attrs::get`] otherwise).
    fn index(&self, name: &str) -> &Id<'a> {
        self.get(name).unwrap_or_else(|| panic!("attribute `{name}` is not set"))
    }
}

/// Equal when they resolve to the same values, however they were inherited.
impl PartialEq for Attrs<'_> {
    fn eq(&self, other: &Attrs<'_>) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Attrs<'_> {}

/// What an attribute assignment applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The root graph or a subgraph (`rankdir=LR`, `graph [...]`).
    Graph,
    /// The defaults for nodes (`node [...]`).
    NodeDefaults,
    /// The defaults for edges (`edge [...]`).
    EdgeDefaults,
    /// Nodes (`a [...]`).
    Node,
    /// Edges (`a -> b [...]`).
    Edge,
}

/// One attribute assignment as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute<'a> {
    /// The name, e.g. `label`.
    pub name: Id<'a>,
    /// The value.
    pub value: Id<'a>,
    /// What it applies to.
    pub target: Target,
}

/// A node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node<'a> {
    /// Its name where it is first mentioned.
    pub name: Id<'a>,
    /// Its attributes, defaults included.
    pub attrs: Attrs<'a>,
}

/// An edge between two nodes (indices into [`Graph::nodes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge<'a> {
    /// The tail.
    pub from: usize,
    /// The head.
    pub to: usize,
    /// Its attributes, defaults included.
    pub attrs: Attrs<'a>,
    /// From the start of the tail operand to the end of the head operand.
    pub span: Range<usize>,
}

/// A subgraph: `subgraph name { ... }` or an anonymous `{ ... }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subgraph<'a> {
    /// Its name, if it has one.
    pub name: Option<Id<'a>>,
    /// The graph attributes set inside it.
    pub attrs: Attrs<'a>,
    /// The nodes mentioned inside it (nested subgraphs included), in order of mention.
    pub nodes: Vec<usize>,
    /// The subgraph it is in (an index into [`Graph::subgraphs`]), `None` at the top level.
    pub parent: Option<usize>,
    /// From `subgraph` (or `{`) to the closing `}` of its first appearance.
    pub span: Range<usize>,
}

impl Subgraph<'_> {
    /// Whether Graphviz draws it as a box: its name starts with `cluster`.
    pub fn is_cluster(&self) -> bool {
        self.name.as_ref().is_some_and(|n| n.text.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("cluster")))
    }
}

/// A parsed graph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graph<'a> {
    /// `strict` was given.
    pub strict: bool,
    /// `digraph` rather than `graph`.
    pub directed: bool,
    /// The graph's name.
    pub name: Option<Id<'a>>,
    /// The root graph's attributes.
    pub attrs: Attrs<'a>,
    /// Nodes in order of first mention.
    pub nodes: Vec<Node<'a>>,
    /// Edges in order.
    pub edges: Vec<Edge<'a>>,
    /// Subgraphs in order of first appearance (a name used twice is one subgraph, as in Graphviz).
    pub subgraphs: Vec<Subgraph<'a>>,
    /// Every attribute assignment, in source order.
    pub attributes: Vec<Attribute<'a>>,
}

/// Why a DOT source is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotError {
    /// Byte offset of the problem in the source.
    pub offset: usize,
    /// What was expected or found.
    pub message: String,
    /// A likely cause elsewhere in the source, e.g. the `[` of an attribute list that was never closed,
    /// which makes the parser stop only at the next statement.
    pub cause: Option<(usize, String)>,
}

impl DotError {
    fn new(offset: usize, message: impl Into<String>) -> DotError {
        DotError { offset, message: message.into(), cause: None }
    }
}

/// Attributes with which Graphviz reads files from the disk. A guide never needs them; guidekit refuses
/// them whatever their case, through [`reads_files`].
pub const FILE_READING_ATTRIBUTES: &[&str] =
    &["image", "imagepath", "shapefile", "fontpath", "fontnames", "stylesheet"];

/// Whether setting the attribute `name` can make Graphviz read a file. Case-insensitive: `IMAGE`, `Image`
/// and `image` are refused alike.
pub fn reads_files(name: &str) -> bool {
    FILE_READING_ATTRIBUTES.iter().any(|bad| name.eq_ignore_ascii_case(bad))
}

/// Something in a graph that would make Graphviz read a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRead {
    /// What it is: an attribute name as written (`IMAGE`) or `<IMG>`.
    pub what: String,
    /// Where it is in the source.
    pub span: Range<usize>,
}

impl<'a> Graph<'a> {
    /// Everything that would make Graphviz read a file: [`FILE_READING_ATTRIBUTES`] in any case, and `<IMG>`
    /// in any HTML string. The one check behind the validator's GK154 and both diagram engines.
    pub fn file_reads(&self) -> Vec<FileRead> {
        let mut found = Vec::new();
        for attribute in &self.attributes {
            if reads_files(&attribute.name.text) {
                found.push(FileRead { what: attribute.name.text.to_string(), span: attribute.name.span.clone() });
            }
            let value = &attribute.value;
            if value.is_html() {
                let has_img = match html::parse(&value.text) {
                    Ok(content) => html::elements(&content).iter().any(|e| e.name == "img"),
                    // Not a valid label, so never drawn; refused anyway if it names an image.
                    Err(_) => value.text.to_ascii_lowercase().contains("<img"),
                };
                if has_img {
                    found.push(FileRead { what: "<IMG>".into(), span: value.span.clone() });
                }
            }
        }
        found
    }

    /// The labels that Graphviz reads as HTML, `<...>`: for each, the value and the object it labels.
    fn html_labels(&self) -> impl Iterator<Item = (&Id<'a>, Labelled)> {
        let graph = std::iter::once((self.attrs.get("label"), Labelled::Graph));
        let clusters = self.subgraphs.iter().enumerate().filter(|(_, s)| s.is_cluster());
        let clusters = clusters.map(|(i, subgraph)| (subgraph.attrs.get("label"), Labelled::Cluster(i)));
        let nodes = self
            .nodes
            .iter()
            .enumerate()
            .flat_map(|(i, node)| ["label", "xlabel"].map(|key| (node.attrs.get(key), Labelled::Node(i))));
        let edges = self.edges.iter().enumerate().flat_map(|(i, edge)| {
            ["label", "xlabel", "headlabel", "taillabel"].map(|key| (edge.attrs.get(key), Labelled::Edge(i)))
        });
        let all = graph.chain(clusters).chain(nodes).chain(edges);
        all.filter_map(|(label, object)| Some((label.filter(|l| l.is_html())?, object)))
    }

    /// How messages name a labelled object.
    fn describe(&self, object: Labelled) -> String {
        match object {
            Labelled::Graph => "the graph".to_owned(),
            Labelled::Cluster(i) => {
                format!("cluster `{}`", self.subgraphs[i].name.as_ref().map_or("", |n| n.text.as_ref()))
            }
            Labelled::Node(i) => format!("node `{}`", self.nodes[i].name.text),
            Labelled::Edge(i) => {
                let edge = &self.edges[i];
                let op = if self.directed { "->" } else { "--" };
                format!("edge `{} {op} {}`", self.nodes[edge.from].name.text, self.nodes[edge.to].name.text)
            }
        }
    }
}

/// An object that can carry a label, by index.
#[derive(Debug, Clone, Copy)]
enum Labelled {
    Graph,
    Cluster(usize),
    Node(usize),
    Edge(usize),
}

/// Parses `source` into a graph, or reports where and why Graphviz would refuse it.
pub fn parse(source: &str) -> Result<Graph<'_>, DotError> {
    // Sized once from the lexer's counts: exactly one attribute per `=`, at least one edge per edge operator,
    // and at most one node per id that is neither an attribute's name nor its value.
    let lexed = lexer::lex(source)?;
    let lexer::Counts { equals, edge_ops, ids } = lexed.counts;
    // Never more than MAX_ITEMS ahead of need: a large source that fails early must not cost memory first.
    let most_nodes = usize::saturating_sub(ids, 2 * equals).min(MAX_ITEMS);
    let mut graph = Graph::default();
    graph.attributes.reserve(equals.min(MAX_ITEMS));
    graph.edges.reserve(edge_ops.min(MAX_ITEMS));
    graph.nodes.reserve(most_nodes);
    let mut index = NameIndex::default();
    index.reserve(most_nodes);
    let mut parser = Parser { lexed, pos: 0, end: source.len(), graph, index, subgraph_index: NameIndex::default() };
    parser.graph()?;
    let graph = parser.graph;
    // Every label and shape was assigned somewhere: a graph without an HTML value or a record shape among its
    // assignments (most graphs) has no label of either kind to check.
    let has_html = graph.attributes.iter().any(|a| a.value.is_html());
    let has_records = graph
        .attributes
        .iter()
        .any(|a| a.name.text == "shape" && matches!(a.value.text.as_ref(), "record" | "Mrecord"));
    let mut label_errors: Vec<DotError> = Vec::new();
    if has_html {
        label_errors.extend(graph.html_labels().filter_map(|(label, object)| {
            html::parse(&label.text).err().map(|e| {
                let object = graph.describe(object);
                DotError::new(label.span.start + 1 + e.offset, format!("HTML label of {object}: {}", e.message))
            })
        }));
    }
    if has_records {
        label_errors.extend(graph.nodes.iter().filter_map(|node| record_error(&graph, node)));
    }
    label_errors.sort_by_key(|e| e.offset);
    match label_errors.into_iter().next() {
        Some(error) => Err(error),
        None => Ok(graph),
    }
}

/// Why Graphviz could not read the label of `node` if it is a `record` or `Mrecord`.
fn record_error(graph: &Graph<'_>, node: &Node<'_>) -> Option<DotError> {
    let shape = node.attrs.get("shape")?;
    if shape.text != "record" && shape.text != "Mrecord" {
        return None;
    }
    let (text, at) = match node.attrs.get("label") {
        Some(label) if label.is_html() => return None,
        Some(label) => (label.text.as_ref(), label.span.start),
        None => ("\\N", node.name.span.start),
    };
    let text = text.replace("\\N", &node.name.text).replace("\\G", graph.name_text());
    record::check(&text).err().map(|offset| {
        let found = text[offset..].chars().next().map_or("the end".to_owned(), |c| format!("`{c}`"));
        DotError::new(
            at,
            format!("record label of node `{}` is malformed at {found} (offset {offset})", node.name.text),
        )
    })
}

/// The defaults in force in a (sub)graph, shared with the objects created under them.
#[derive(Clone, Default)]
struct Scope<'a> {
    node: Arc<Assignments<'a>>,
    edge: Arc<Assignments<'a>>,
}

/// An operand of an edge: the nodes it stands for, and its span.
struct Operand {
    nodes: OperandNodes,
    span: Range<usize>,
}

/// The nodes of an operand: nearly always one, which needs no allocation.
enum OperandNodes {
    One(usize),
    List(Vec<usize>),
}

impl OperandNodes {
    fn as_slice(&self) -> &[usize] {
        match self {
            OperandNodes::One(node) => std::slice::from_ref(node),
            OperandNodes::List(nodes) => nodes,
        }
    }
}

/// Indices by name. foldhash rather than SipHash: hashing names was a tenth of parsing a typical diagram, and
/// foldhash is seeded per process like SipHash, so names cannot be chosen to collide in advance.
type NameIndex<'a> = HashMap<Cow<'a, str>, usize, foldhash::fast::RandomState>;

struct Parser<'a> {
    lexed: Lexed<'a>,
    pos: usize,
    end: usize,
    graph: Graph<'a>,
    index: NameIndex<'a>,
    subgraph_index: NameIndex<'a>,
}

/// The members a statement list collects: nodes mentioned, for the enclosing subgraph.
type Members = Vec<usize>;

impl<'a> Parser<'a> {
    fn token(&self, pos: usize) -> Option<Token> {
        self.lexed.tokens.get(pos).copied()
    }

    fn peek(&self) -> Option<Tok> {
        self.token(self.pos).map(|t| t.tok)
    }

    fn offset(&self) -> usize {
        self.token(self.pos).map_or(self.end, |t| t.span().start)
    }

    /// End of the previous token.
    fn last_end(&self) -> usize {
        self.pos.checked_sub(1).and_then(|p| self.token(p)).map_or(0, |t| t.span().end)
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, DotError> {
        Err(DotError::new(self.offset(), message))
    }

    fn found(&self) -> String {
        match self.token(self.pos) {
            Some(Token { tok: Tok::Punct(p), .. }) => format!("`{}`", p.as_str()),
            Some(token) => format!("`{}`", self.lexed.quoted(token).chars().take(40).collect::<String>()),
            None => "the end".to_owned(),
        }
    }

    // The three tests below run for nearly every token, often several times: a pattern on the token in place
    // costs a load and a comparison, where comparing a copied `Option<Tok>` went through its derived `eq`. They
    // look at the token where it lies rather than through `Parser::token`'s copy: the same pattern on the copy
    // parsed the bench's 758 diagrams in 0.7% more instructions.
    fn is(&self, p: Punct) -> bool {
        matches!(self.lexed.tokens.get(self.pos), Some(Token { tok: Tok::Punct(q), .. }) if *q == p)
    }

    fn is_keyword(&self, keyword: Keyword) -> bool {
        matches!(self.lexed.tokens.get(self.pos), Some(Token { tok: Tok::Keyword(k), .. }) if *k == keyword)
    }

    fn is_id(&self) -> bool {
        matches!(self.lexed.tokens.get(self.pos), Some(Token { tok: Tok::Id(_), .. }))
    }

    fn expect(&mut self, p: Punct) -> Result<(), DotError> {
        if self.is(p) {
            self.pos += 1;
            Ok(())
        } else {
            self.error(format!("expected `{}`, found {}", p.as_str(), self.found()))
        }
    }

    /// An id; quoted strings may be joined with `+`.
    // Inlined for the reason `lexer::Lexed::text` is.
    #[inline(always)]
    fn id(&mut self) -> Result<Id<'a>, DotError> {
        let (kind, text, span) = self.id_parts()?;
        Ok(Id { text, kind, span })
    }

    /// An id's parts, its text still borrowed from the source where it can be.
    // Inlined for the reason `lexer::Lexed::text` is.
    #[inline(always)]
    fn id_parts(&mut self) -> Result<(IdKind, Cow<'a, str>, Range<usize>), DotError> {
        let Some(&token @ Token { tok: Tok::Id(kind), .. }) = self.lexed.tokens.get(self.pos) else {
            return self.error(format!("expected a name or a quoted string, found {}", self.found()));
        };
        // A resolved text is taken, not copied: the parser never looks back at a token it has consumed.
        let (mut text, mut span) = (self.lexed.text(token), token.span());
        self.pos += 1;
        if kind == IdKind::Quoted {
            while self.is(Punct::Plus) {
                self.pos += 1;
                match self.token(self.pos) {
                    Some(more @ Token { tok: Tok::Id(IdKind::Quoted), .. }) => {
                        text.to_mut().push_str(&self.lexed.text(more));
                        span.end = more.span().end;
                        self.pos += 1;
                    }
                    _ => return self.error(format!("expected a quoted string after `+`, found {}", self.found())),
                }
            }
        }
        Ok((kind, text, span))
    }

    fn graph(&mut self) -> Result<(), DotError> {
        if self.is_keyword(Keyword::Strict) {
            self.graph.strict = true;
            self.pos += 1;
        }
        if self.is_keyword(Keyword::Digraph) {
            self.graph.directed = true;
        } else if !self.is_keyword(Keyword::Graph) {
            return self.error(format!("expected `digraph` or `graph`, found {}", self.found()));
        }
        self.pos += 1;
        if !self.is(Punct::LBrace) {
            self.graph.name = Some(self.id()?);
        }
        self.expect(Punct::LBrace)?;
        let mut scope = Scope::default();
        let mut members = Members::new();
        self.statements(&mut scope, &mut members, None, 0)?;
        self.expect(Punct::RBrace)?;
        if self.pos < self.lexed.tokens.len() {
            return self.error(format!("unexpected {} after the end of the graph", self.found()));
        }
        Ok(())
    }

    /// Statements up to a `}`; `subgraph` is the one they are in (`None` for the root graph).
    fn statements(
        &mut self,
        scope: &mut Scope<'a>,
        members: &mut Members,
        subgraph: Option<usize>,
        depth: usize,
    ) -> Result<(), DotError> {
        while !self.is(Punct::RBrace) {
            if self.peek().is_none() {
                return self.error("expected `}` to close the graph, found the end");
            }
            self.statement(scope, members, subgraph, depth)?;
            if self.is(Punct::Semi) {
                self.pos += 1;
            }
        }
        Ok(())
    }

    fn graph_attrs(&mut self, subgraph: Option<usize>) -> &mut Assignments<'a> {
        match subgraph {
            Some(i) => &mut self.graph.subgraphs[i].attrs.own,
            None => &mut self.graph.attrs.own,
        }
    }

    fn statement(
        &mut self,
        scope: &mut Scope<'a>,
        members: &mut Members,
        subgraph: Option<usize>,
        depth: usize,
    ) -> Result<(), DotError> {
        // `graph [...]`, `node [...]`, `edge [...]`.
        for (keyword, target) in [
            (Keyword::Graph, Target::Graph),
            (Keyword::Node, Target::NodeDefaults),
            (Keyword::Edge, Target::EdgeDefaults),
        ] {
            if self.is_keyword(keyword) {
                self.pos += 1;
                // An "attribute macro" name (`node x = [...]`), which Graphviz accepts and ignores.
                if self.is_id() && matches!(self.token(self.pos + 1), Some(t) if t.tok == Tok::Punct(Punct::Equals)) {
                    self.pos += 2;
                }
                if !self.is(Punct::LBracket) {
                    return self.error(format!("expected `[` to start an attribute list, found {}", self.found()));
                }
                let attrs = self.attr_lists(target)?;
                match target {
                    Target::Graph => self.graph_attrs(subgraph).extend(attrs),
                    Target::NodeDefaults => Arc::make_mut(&mut scope.node).extend(attrs),
                    _ => Arc::make_mut(&mut scope.edge).extend(attrs),
                }
                return Ok(());
            }
        }
        // `name = value`, a graph attribute.
        if self.is_id() && matches!(self.token(self.pos + 1), Some(t) if t.tok == Tok::Punct(Punct::Equals)) {
            let name = self.id()?;
            self.pos += 1;
            let value = self.id()?;
            self.graph.attributes.push(Attribute { name: name.clone(), value: value.clone(), target: Target::Graph });
            self.graph_attrs(subgraph).insert(name.text, value);
            return Ok(());
        }
        // A node list, a subgraph, or an edge chain of them.
        let first_is_nodes = !(self.is_keyword(Keyword::Subgraph) || self.is(Punct::LBrace));
        let first = self.operand(scope, members, subgraph, depth)?;
        if !(self.is(Punct::Arrow) || self.is(Punct::Line)) {
            // A node statement (`a, b [...]`) or a subgraph, possibly followed by graph attributes.
            if self.is(Punct::LBracket) {
                let attrs = self.attr_lists(if first_is_nodes { Target::Node } else { Target::Graph })?;
                if first_is_nodes {
                    // Moved into the last node, cloned for the others (a list is rare).
                    if let Some((&last, others)) = first.nodes.as_slice().split_last() {
                        for &node in others {
                            self.graph.nodes[node].attrs.own.extend(attrs.clone());
                        }
                        let own = &mut self.graph.nodes[last].attrs.own;
                        if own.is_empty() {
                            *own = attrs;
                        } else {
                            own.extend(attrs);
                        }
                    }
                }
            }
            return Ok(());
        }
        // Each edge as its head is read; the attributes, which follow the whole chain, are set afterwards.
        let first_edge = self.graph.edges.len();
        let mut tail = first;
        while self.is(Punct::Arrow) || self.is(Punct::Line) {
            if self.is(Punct::Arrow) != self.graph.directed {
                let (op, kind) = if self.graph.directed { ("->", "digraph") } else { ("--", "graph") };
                return self.error(format!("edges in a {kind} are written `{op}`"));
            }
            self.pos += 1;
            let head = self.operand(scope, members, subgraph, depth)?;
            let span = tail.span.start..head.span.end;
            for &from in tail.nodes.as_slice() {
                for &to in head.nodes.as_slice() {
                    if self.graph.edges.len() >= MAX_ITEMS {
                        return Err(DotError::new(span.start, format!("more than {MAX_ITEMS} edges")));
                    }
                    let attrs = Attrs::with_defaults(&scope.edge);
                    self.graph.edges.push(Edge { from, to, attrs, span: span.clone() });
                }
            }
            tail = head;
        }
        if self.is(Punct::LBracket) {
            let own = self.attr_lists(Target::Edge)?;
            // Moved into the last edge, cloned for the others: a statement is nearly always one edge.
            if let Some((last, others)) = self.graph.edges[first_edge..].split_last_mut() {
                for edge in others {
                    edge.attrs.own = own.clone();
                }
                last.attrs.own = own;
            }
        }
        Ok(())
    }

    /// An edge operand: a subgraph, or a node list (`a`, `a:port`, `a, b:p:n`).
    fn operand(
        &mut self,
        scope: &mut Scope<'a>,
        members: &mut Members,
        parent: Option<usize>,
        depth: usize,
    ) -> Result<Operand, DotError> {
        let start = self.offset();
        if self.is_keyword(Keyword::Subgraph) || self.is(Punct::LBrace) {
            if depth >= MAX_DEPTH {
                return self.error(format!("subgraphs are nested more than {MAX_DEPTH} deep"));
            }
            let mut name = None;
            if self.is_keyword(Keyword::Subgraph) {
                self.pos += 1;
                if !self.is(Punct::LBrace) {
                    name = Some(self.id()?);
                }
            }
            self.expect(Punct::LBrace)?;
            let existing = name.as_ref().and_then(|n| self.subgraph_index.get(&n.text).copied());
            let index = match existing {
                Some(index) => index,
                None => {
                    let index = self.graph.subgraphs.len();
                    if let Some(n) = &name {
                        self.subgraph_index.insert(n.text.clone(), index);
                    }
                    self.graph.subgraphs.push(Subgraph {
                        name,
                        attrs: Attrs::default(),
                        nodes: Vec::new(),
                        parent,
                        span: start..start,
                    });
                    index
                }
            };
            let mut inner = scope.clone();
            let mut inner_members = Members::new();
            self.statements(&mut inner, &mut inner_members, Some(index), depth + 1)?;
            self.expect(Punct::RBrace)?;
            let span = start..self.last_end();
            let sub = &mut self.graph.subgraphs[index];
            if existing.is_none() {
                sub.span = span.clone();
            }
            for &node in &inner_members {
                if !sub.nodes.contains(&node) {
                    sub.nodes.push(node);
                }
                if parent.is_some() && !members.contains(&node) {
                    members.push(node);
                }
            }
            return Ok(Operand { nodes: OperandNodes::List(inner_members), span });
        }
        let mut nodes: Option<OperandNodes> = None;
        loop {
            let (kind, text, span) = self.id_parts()?;
            // Ports: `a:p`, `a:p:compass`.
            for _ in 0..2 {
                if self.is(Punct::Colon) {
                    self.pos += 1;
                    self.id_parts()?;
                }
            }
            let node = self.node(Id { text, kind, span }, &scope.node)?;
            // The root graph's members are all the nodes: only subgraphs keep a list.
            if parent.is_some() && !members.contains(&node) {
                members.push(node);
            }
            nodes = Some(match nodes {
                None => OperandNodes::One(node),
                Some(OperandNodes::One(first)) => OperandNodes::List(vec![first, node]),
                Some(OperandNodes::List(mut list)) => {
                    list.push(node);
                    OperandNodes::List(list)
                }
            });
            if !self.is(Punct::Comma) {
                break;
            }
            self.pos += 1;
        }
        let nodes = nodes.unwrap_or(OperandNodes::List(Vec::new()));
        Ok(Operand { nodes, span: start..self.last_end() })
    }

    /// The node called `name`, created under `defaults` if it is new: one lookup either way, and a node met
    /// before costs no copy of its name.
    fn node(&mut self, name: Id<'a>, defaults: &Arc<Assignments<'a>>) -> Result<usize, DotError> {
        let index = self.graph.nodes.len();
        let Id { text, kind, span } = name;
        match self.index.entry(text) {
            Entry::Occupied(known) => Ok(*known.get()),
            Entry::Vacant(_) if index >= MAX_ITEMS => {
                Err(DotError::new(span.start, format!("more than {MAX_ITEMS} nodes")))
            }
            Entry::Vacant(new) => {
                let text = new.key().clone();
                new.insert(index);
                self.graph.nodes.push(Node { name: Id { text, kind, span }, attrs: Attrs::with_defaults(defaults) });
                Ok(index)
            }
        }
    }

    /// One or more `[name=value, ...]` lists.
    fn attr_lists(&mut self, target: Target) -> Result<Assignments<'a>, DotError> {
        let mut attrs = Assignments::new();
        while self.is(Punct::LBracket) {
            let opened = self.offset();
            self.pos += 1;
            // An error inside the list is often a `]` left out: the next statement's tokens are read as
            // attributes, and the parser stops there, far from the mistake.
            let unclosed = |mut error: DotError| {
                if error.offset > opened {
                    error.cause =
                        Some((opened, "the `[` that opens this attribute list is never closed with `]`".to_owned()));
                }
                error
            };
            while !self.is(Punct::RBracket) {
                let name = self.id().map_err(unclosed)?;
                self.expect(Punct::Equals).map_err(unclosed)?;
                let value = self.id().map_err(unclosed)?;
                self.graph.attributes.push(Attribute { name: name.clone(), value: value.clone(), target });
                attrs.insert(name.text, value);
                if self.is(Punct::Comma) || self.is(Punct::Semi) {
                    self.pos += 1;
                }
            }
            self.pos += 1;
        }
        Ok(attrs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(graph: &Graph<'_>, nodes: &[usize]) -> Vec<String> {
        nodes.iter().map(|&n| graph.nodes[n].name.text.to_string()).collect()
    }

    #[test]
    fn reads_nodes_edges_defaults_and_spans() {
        let dot =
            "digraph g {\n  rankdir=TB; node [shape=box];\n  a [label=\"A \\\"x\\\"\"];\n  a -> b -> c;\n  // c\n}";
        let g = parse(dot).unwrap();
        assert!(g.directed);
        assert_eq!(names(&g, &[0, 1, 2]), ["a", "b", "c"]);
        assert_eq!(g.edges.len(), 2);
        assert_eq!(g.nodes[1].attrs["shape"].text, "box");
        assert_eq!(g.nodes[0].attrs["label"].text, "A \"x\"");
        let kinds: Vec<&str> = g.attributes.iter().map(|a| a.name.text.as_ref()).collect();
        assert_eq!(kinds, ["rankdir", "shape", "label"]);
        assert_eq!(&dot[g.attributes[0].name.span.clone()], "rankdir");
        assert_eq!(&dot[g.nodes[1].name.span.clone()], "b");
        assert_eq!(&dot[g.edges[1].span.clone()], "b -> c");
        assert_eq!(g.attrs["rankdir"].text, "TB");
    }

    #[test]
    fn subgraph_operands_clusters_ports_lists_and_strings() {
        let dot = "strict graph { a -- {b c}; subgraph cluster_x { label=\"X\" + \"Y\"; d:n -- e:p:s } /* c */ // x\n f, g [label=<<b>F</b>>] }";
        let g = parse(dot).unwrap();
        assert!(g.strict && !g.directed);
        assert_eq!(g.edges.len(), 3);
        let clusters: Vec<&Subgraph> = g.subgraphs.iter().filter(|s| s.is_cluster()).collect();
        assert_eq!(clusters.len(), 1);
        assert_eq!(clusters[0].attrs["label"].text, "XY");
        assert_eq!(names(&g, &clusters[0].nodes), ["d", "e"]);
        assert_eq!(&dot[clusters[0].span.clone()][..18], "subgraph cluster_x");
        assert!(
            g.nodes.iter().filter(|n| n.name.text == "f" || n.name.text == "g").all(|n| n.attrs["label"].is_html())
        );
    }

    #[test]
    fn a_later_assignment_wins_however_many_there_are() {
        // Below, at and beyond the number of assignments kept in a vector, across separate lists and in
        // defaults: the last value of a name wins and every name is listed once, by name.
        for count in [1, 2, Assignments::FEW, Assignments::FEW + 1, 40] {
            let list: Vec<String> = (0..count).map(|i| format!("a{i:02}=\"{i}\"")).collect();
            let dot = format!(
                "digraph {{ node [{}] node [a01=\"d\"] x [{}, a00=\"first\"] x [a00=\"last\"] }}",
                list.join(", "),
                list.join("; ")
            );
            let g = parse(&dot).unwrap();
            let attrs = &g.nodes[0].attrs;
            assert_eq!(attrs["a00"].text, "last", "{count}");
            let a01 = if count > 1 { "1" } else { "d" };
            assert_eq!(attrs["a01"].text, a01, "{count}: its own assignment wins over the default");
            let names: Vec<&str> = attrs.iter().map(|(name, _)| name).collect();
            let expected: Vec<String> = (0..count.max(2)).map(|i| format!("a{i:02}")).collect();
            assert_eq!(names, expected, "{count}");
            let defaults_only = format!("digraph {{ node [{}] node [a01=\"d\"] y }}", list.join(", "));
            let y = parse(&defaults_only).unwrap();
            assert_eq!(y.nodes[0].attrs["a01"].text, "d", "{count}: a later default wins");
        }
    }

    #[test]
    fn joined_strings_keep_their_resolved_escapes() {
        let dot = r#"digraph { a [label="x\"y" + "z" + "\"w"] }"#;
        let g = parse(dot).unwrap();
        assert_eq!(g.nodes[0].attrs["label"].text, "x\"yz\"w");
        assert_eq!(&dot[g.attributes[0].value.span.clone()], r#""x\"y" + "z" + "\"w""#);
        // A message quotes a string as it reads, escapes resolved.
        let error = parse(r#"digraph { a [x "c\"d"] }"#).unwrap_err();
        assert!(error.message.contains("found `c\"d`"), "{}", error.message);
    }

    #[test]
    fn a_subgraph_named_twice_is_one_subgraph() {
        let g = parse("digraph { subgraph cluster_a { a } subgraph cluster_a { b } }").unwrap();
        assert_eq!(g.subgraphs.len(), 1);
        assert_eq!(names(&g, &g.subgraphs[0].nodes), ["a", "b"]);
    }

    #[test]
    fn lexes_like_graphviz() {
        // Graphviz splits a number run into a name, with a warning; a backslash-newline continues a string.
        let g = parse("digraph { 1abc; 1.2.3; a [\"ima\\\nge\"=x] }").unwrap();
        let names: Vec<&str> = g.nodes.iter().map(|n| n.name.text.as_ref()).collect();
        assert_eq!(names, ["1", "abc", "1.2", ".3", "a"]);
        assert_eq!(g.attributes[0].name.text, "image");
        assert_eq!(parse("digraph { a [label=\"x\\\\\"] }").unwrap().nodes[0].attrs["label"].text, "x\\\\");
    }

    #[test]
    fn finds_file_reads_in_any_case() {
        for dot in [
            "digraph { a [image=\"x.png\"] }",
            "digraph { a [IMAGE=\"x.png\"] }",
            "digraph { a [Image=\"x.png\"] }",
            "digraph { a [\"ima\\\nge\"=\"x.png\"] }",
            "digraph { imagepath=\"/etc\" }",
            "digraph { a [label=<<table><tr><td><IMG SRC=\"x\"/></td></tr></table>>] }",
        ] {
            assert_eq!(parse(dot).unwrap().file_reads().len(), 1, "{dot}");
        }
        assert!(parse("digraph { a [label=\"image\"]; image -> b }").unwrap().file_reads().is_empty());
    }

    #[test]
    fn reports_the_first_error_with_its_offset() {
        let cases = [
            ("digraph { a -> }", "expected a name"),
            ("digraph { a -- b }", "edges in a digraph are written `->`"),
            ("digraph { a [label=\"x] }", "never closed"),
            ("digraph { a ", "expected `}`"),
            ("graph { } x", "after the end"),
            ("flowchart { }", "expected `digraph` or `graph`"),
            ("digraph { a @ b }", "unexpected character"),
            ("digraph { a; ; b }", "expected a name"),
            ("digraph { a [label] }", "expected `=`"),
            ("digraph { \"a\" + b }", "quoted string after `+`"),
            ("digraph { a -> b [label=<<style>x</style>>] }", "HTML label of edge `a -> b`: unknown HTML element"),
            ("digraph { subgraph cluster_s { label=<<b>x</i>> } }", "HTML label of cluster `cluster_s`: mismatched"),
        ];
        for (dot, expected) in cases {
            let error = parse(dot).unwrap_err();
            assert!(error.message.contains(expected), "{dot}: {}", error.message);
            assert!(error.offset <= dot.len());
        }
        assert_eq!(parse("digraph { a -> }").unwrap_err().offset, 15);
        // The position of the bad element inside the label.
        let dot = "digraph { a [label=<x <style/>>] }";
        assert_eq!(&dot[parse(dot).unwrap_err().offset..][..6], "<style");
    }

    #[test]
    fn html_labels_that_are_never_drawn_are_not_checked() {
        // Graphviz reads a label as HTML only on what it draws: not on unused defaults, names or tooltips.
        for dot in [
            "digraph { edge [label=<<style/>>] }",
            "digraph { subgraph s { label=<<style/>> } }",
            "digraph { a [tooltip=<<style/>>] }",
            "digraph { <b>x<style/></b> -> y }",
        ] {
            assert!(parse(dot).is_ok(), "{dot}");
        }
    }

    #[test]
    fn never_panics_on_prefixes_of_valid_input() {
        let dot = "strict digraph \"g\" { a:n -> b:s:e [x=1, y=\"2\"]; subgraph s { c } /* z */ d [label=<<b>é</b>>] }";
        for end in (0..=dot.len()).filter(|&i| dot.is_char_boundary(i)) {
            let _ = parse(&dot[..end]);
        }
        let deep = format!("digraph {{ {} }}", "{".repeat(200) + &"}".repeat(200));
        assert!(parse(&deep).unwrap_err().message.contains("nested"));
    }
}
