//! A small parser for the Graphviz DOT language.
//!
//! Both diagram engines need to read DOT: the embedded engine lays the graph out itself, and the Graphviz
//! engine must refuse attributes that make `dot` read files before it runs it. The parser covers the whole
//! DOT grammar (strict graphs, subgraphs as edge operands, ports, `+`-joined strings, HTML strings,
//! comments) and keeps what the embedded engine draws: nodes, edges, clusters and their attributes, with
//! Graphviz's scoping of `node [...]` and `edge [...]` defaults. It never panics and bounds its work.

use std::collections::BTreeMap;

/// The most nodes, edges or nesting levels a diagram may have. Real diagrams have tens of nodes.
const MAX_ITEMS: usize = 5_000;
const MAX_DEPTH: usize = 64;

/// An attribute value: the text as written (quotes removed, `\"` kept as written) and whether it was an
/// HTML string (`<...>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Value {
    pub text: String,
    pub html: bool,
}

/// Attributes by name. Later assignments win, as in Graphviz.
pub(crate) type Attrs = BTreeMap<String, Value>;

/// A parsed graph.
#[derive(Debug, Clone, Default)]
pub(crate) struct Graph {
    pub directed: bool,
    pub name: Option<String>,
    /// Attributes of the root graph.
    pub attrs: Attrs,
    /// Nodes in order of first mention.
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Subgraphs whose name starts with `cluster`, with the nodes mentioned inside them.
    pub clusters: Vec<Cluster>,
    /// Every attribute name assigned anywhere (graph, subgraph, node, edge), for the Graphviz engine's check.
    pub attribute_names: Vec<String>,
    /// Every HTML string, for the Graphviz engine's check.
    pub html_strings: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub name: String,
    pub attrs: Attrs,
}

#[derive(Debug, Clone)]
pub(crate) struct Edge {
    pub from: usize,
    pub to: usize,
    pub attrs: Attrs,
}

#[derive(Debug, Clone)]
pub(crate) struct Cluster {
    pub attrs: Attrs,
    pub nodes: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Id(Value),
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Semi,
    Comma,
    Equals,
    Colon,
    EdgeOp,
    Plus,
}

/// Splits DOT source into tokens.
fn tokenize(src: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut line_start = true;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line_start = true;
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        // A line starting with `#` is C preprocessor output and is ignored.
        if line_start && c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        line_start = false;
        if tokens.len() > MAX_ITEMS * 8 {
            return Err("the diagram is too large".into());
        }
        match c {
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                    i += 1;
                }
                if i >= chars.len() {
                    return Err("unclosed comment".into());
                }
                i += 2;
            }
            '{' => push(&mut tokens, &mut i, Token::LBrace),
            '}' => push(&mut tokens, &mut i, Token::RBrace),
            '[' => push(&mut tokens, &mut i, Token::LBracket),
            ']' => push(&mut tokens, &mut i, Token::RBracket),
            ';' => push(&mut tokens, &mut i, Token::Semi),
            ',' => push(&mut tokens, &mut i, Token::Comma),
            '=' => push(&mut tokens, &mut i, Token::Equals),
            ':' => push(&mut tokens, &mut i, Token::Colon),
            '-' if matches!(chars.get(i + 1), Some('>') | Some('-')) => {
                tokens.push(Token::EdgeOp);
                i += 2;
            }
            '"' => {
                let mut text = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("unclosed string".into()),
                        Some('"') => break,
                        Some('\\') if chars.get(i + 1) == Some(&'"') => {
                            text.push('"');
                            i += 2;
                        }
                        // A backslash before a line break continues the line.
                        Some('\\') if chars.get(i + 1) == Some(&'\n') => i += 2,
                        Some('\\') if chars.get(i + 1).is_some() => {
                            text.push('\\');
                            text.push(chars[i + 1]);
                            i += 2;
                        }
                        Some(&other) => {
                            text.push(other);
                            i += 1;
                        }
                    }
                }
                i += 1;
                // "a" + "b" is one string.
                let n = tokens.len();
                if n >= 2
                    && tokens[n - 1] == Token::Plus
                    && matches!(&tokens[n - 2], Token::Id(Value { html: false, .. }))
                {
                    tokens.pop();
                    if let Some(Token::Id(previous)) = tokens.last_mut() {
                        previous.text.push_str(&text);
                    }
                } else {
                    tokens.push(Token::Id(Value { text, html: false }));
                }
            }
            '+' => push(&mut tokens, &mut i, Token::Plus),
            '<' => {
                let mut depth = 0usize;
                let mut text = String::new();
                loop {
                    match chars.get(i) {
                        None => return Err("unclosed HTML string".into()),
                        Some('<') => {
                            depth += 1;
                            if depth > 1 {
                                text.push('<');
                            }
                        }
                        Some('>') => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                            text.push('>');
                        }
                        Some(&other) => text.push(other),
                    }
                    i += 1;
                }
                i += 1;
                tokens.push(Token::Id(Value { text, html: true }));
            }
            c if c.is_alphanumeric() || c == '_' || c == '.' || c == '-' || !c.is_ascii() => {
                let start = i;
                let numeral = c.is_ascii_digit() || c == '.' || c == '-';
                while i < chars.len() {
                    let d = chars[i];
                    let ok = if numeral {
                        d.is_ascii_digit() || d == '.' || (i == start && d == '-')
                    } else {
                        d.is_alphanumeric() || d == '_' || !d.is_ascii()
                    };
                    if !ok {
                        break;
                    }
                    i += 1;
                }
                if i == start {
                    return Err(format!("unexpected character `{c}`"));
                }
                tokens.push(Token::Id(Value { text: chars[start..i].iter().collect(), html: false }));
            }
            other => return Err(format!("unexpected character `{other}`")),
        }
    }
    // A `+` left over was not between two strings.
    if tokens.contains(&Token::Plus) {
        return Err("`+` must join two quoted strings".into());
    }
    Ok(tokens)
}

fn push(tokens: &mut Vec<Token>, i: &mut usize, token: Token) {
    tokens.push(token);
    *i += 1;
}

/// Parses DOT source.
pub(crate) fn parse(src: &str) -> Result<Graph, String> {
    let tokens = tokenize(src)?;
    let mut parser = Parser { tokens, pos: 0, graph: Graph::default(), index: BTreeMap::new() };
    parser.graph_stmt()?;
    Ok(parser.graph)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    graph: Graph,
    index: BTreeMap<String, usize>,
}

/// The defaults in force in a (sub)graph.
#[derive(Clone, Default)]
struct Scope {
    node: Attrs,
    edge: Attrs,
    graph: Attrs,
}

fn is_keyword(token: Option<&Token>, keyword: &str) -> bool {
    matches!(token, Some(Token::Id(Value { text, html: false })) if text.eq_ignore_ascii_case(keyword))
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_at(&self, offset: usize) -> Option<&Token> {
        self.tokens.get(self.pos + offset)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        token
    }

    fn expect(&mut self, expected: Token, what: &str) -> Result<(), String> {
        match self.next() {
            Some(token) if token == expected => Ok(()),
            _ => Err(format!("expected {what}")),
        }
    }

    fn id(&mut self, what: &str) -> Result<Value, String> {
        match self.next() {
            Some(Token::Id(value)) => Ok(value),
            _ => Err(format!("expected {what}")),
        }
    }

    fn graph_stmt(&mut self) -> Result<(), String> {
        if is_keyword(self.peek(), "strict") {
            self.pos += 1;
        }
        if is_keyword(self.peek(), "digraph") {
            self.graph.directed = true;
        } else if !is_keyword(self.peek(), "graph") {
            return Err("expected `graph` or `digraph`".into());
        }
        self.pos += 1;
        if let Some(Token::Id(name)) = self.peek().cloned() {
            self.graph.name = Some(name.text);
            self.pos += 1;
        }
        self.expect(Token::LBrace, "`{`")?;
        let mut scope = Scope::default();
        let mut members = Vec::new();
        self.stmt_list(&mut scope, &mut members, 0)?;
        self.graph.attrs = scope.graph;
        self.expect(Token::RBrace, "`}`")?;
        if self.pos < self.tokens.len() {
            return Err("unexpected text after the graph".into());
        }
        Ok(())
    }

    fn stmt_list(&mut self, scope: &mut Scope, members: &mut Vec<usize>, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("subgraphs are nested too deeply".into());
        }
        loop {
            match self.peek() {
                None | Some(Token::RBrace) => return Ok(()),
                Some(Token::Semi) => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            self.stmt(scope, members, depth)?;
        }
    }

    fn stmt(&mut self, scope: &mut Scope, members: &mut Vec<usize>, depth: usize) -> Result<(), String> {
        let token = self.peek().cloned();
        // `graph [..]`, `node [..]`, `edge [..]`
        for (keyword, target) in [("graph", 0), ("node", 1), ("edge", 2)] {
            if is_keyword(token.as_ref(), keyword) && self.peek_at(1) == Some(&Token::LBracket) {
                self.pos += 1;
                let attrs = self.attr_list()?;
                let into = match target {
                    0 => &mut scope.graph,
                    1 => &mut scope.node,
                    _ => &mut scope.edge,
                };
                into.extend(attrs);
                return Ok(());
            }
        }
        // `ID = ID`
        if matches!(token, Some(Token::Id(_))) && self.peek_at(1) == Some(&Token::Equals) {
            let key = self.id("an attribute name")?;
            self.pos += 1;
            let value = self.id("an attribute value")?;
            self.note_attribute(&key.text, &value);
            scope.graph.insert(key.text, value);
            return Ok(());
        }
        // A node, an edge chain, or a subgraph (possibly starting an edge chain).
        let first = self.operand(scope, members, depth)?;
        if self.peek() == Some(&Token::EdgeOp) {
            let mut chain = vec![first];
            while self.peek() == Some(&Token::EdgeOp) {
                self.pos += 1;
                chain.push(self.operand(scope, members, depth)?);
            }
            let attrs = if self.peek() == Some(&Token::LBracket) { self.attr_list()? } else { Attrs::new() };
            let mut merged = scope.edge.clone();
            merged.extend(attrs);
            for pair in chain.windows(2) {
                for &from in &pair[0].nodes {
                    for &to in &pair[1].nodes {
                        if self.graph.edges.len() >= MAX_ITEMS {
                            return Err("the diagram has too many edges".into());
                        }
                        self.graph.edges.push(Edge { from, to, attrs: merged.clone() });
                    }
                }
            }
        } else if let Operand { nodes, node_stmt: true } = first {
            let attrs = if self.peek() == Some(&Token::LBracket) { self.attr_list()? } else { Attrs::new() };
            if let Some(&node) = nodes.first() {
                self.graph.nodes[node].attrs.extend(attrs);
            }
        }
        Ok(())
    }

    /// A node id (with optional port) or a subgraph.
    fn operand(&mut self, scope: &mut Scope, members: &mut Vec<usize>, depth: usize) -> Result<Operand, String> {
        let subgraph = is_keyword(self.peek(), "subgraph");
        if subgraph || self.peek() == Some(&Token::LBrace) {
            let mut name = None;
            if subgraph {
                self.pos += 1;
                if let Some(Token::Id(value)) = self.peek().cloned() {
                    name = Some(value.text);
                    self.pos += 1;
                }
            }
            self.expect(Token::LBrace, "`{`")?;
            let mut inner = scope.clone();
            inner.graph = Attrs::new();
            let mut inner_members = Vec::new();
            self.stmt_list(&mut inner, &mut inner_members, depth + 1)?;
            self.expect(Token::RBrace, "`}`")?;
            if name.as_deref().is_some_and(|n| n.starts_with("cluster")) {
                self.graph.clusters.push(Cluster { attrs: inner.graph, nodes: inner_members.clone() });
            }
            for &node in &inner_members {
                if !members.contains(&node) {
                    members.push(node);
                }
            }
            return Ok(Operand { nodes: inner_members, node_stmt: false });
        }
        let name = self.id("a node name, a subgraph or `}`")?;
        // Ports (`a:n`, `a:p:ne`) are read and ignored.
        while self.peek() == Some(&Token::Colon) {
            self.pos += 1;
            self.id("a port")?;
        }
        let node = self.node(&name.text, &scope.node)?;
        if !members.contains(&node) {
            members.push(node);
        }
        Ok(Operand { nodes: vec![node], node_stmt: true })
    }

    fn node(&mut self, name: &str, defaults: &Attrs) -> Result<usize, String> {
        if let Some(&index) = self.index.get(name) {
            return Ok(index);
        }
        if self.graph.nodes.len() >= MAX_ITEMS {
            return Err("the diagram has too many nodes".into());
        }
        let index = self.graph.nodes.len();
        self.graph.nodes.push(Node { name: name.to_owned(), attrs: defaults.clone() });
        self.index.insert(name.to_owned(), index);
        Ok(index)
    }

    /// `[a=b, c=d] [e=f]`
    fn attr_list(&mut self) -> Result<Attrs, String> {
        let mut attrs = Attrs::new();
        while self.peek() == Some(&Token::LBracket) {
            self.pos += 1;
            loop {
                match self.peek() {
                    Some(Token::RBracket) => {
                        self.pos += 1;
                        break;
                    }
                    Some(Token::Semi | Token::Comma) => self.pos += 1,
                    Some(Token::Id(_)) => {
                        let key = self.id("an attribute name")?;
                        let value = if self.peek() == Some(&Token::Equals) {
                            self.pos += 1;
                            self.id("an attribute value")?
                        } else {
                            Value { text: "true".into(), html: false }
                        };
                        self.note_attribute(&key.text, &value);
                        attrs.insert(key.text, value);
                    }
                    _ => return Err("expected an attribute or `]`".into()),
                }
            }
        }
        Ok(attrs)
    }

    fn note_attribute(&mut self, key: &str, value: &Value) {
        if !self.graph.attribute_names.iter().any(|k| k == key) {
            self.graph.attribute_names.push(key.to_owned());
        }
        if value.html {
            self.graph.html_strings.push(value.text.clone());
        }
    }
}

struct Operand {
    nodes: Vec<usize>,
    /// Whether the operand is a plain node id (so that a following `[...]` is a node statement).
    node_stmt: bool,
}

impl Graph {
    /// A node's label as lines of plain text: `label` with DOT's escapes applied, the node name by default.
    pub(crate) fn node_label(&self, node: &Node) -> Vec<String> {
        match node.attrs.get("label") {
            Some(value) => label_lines(value, &node.name, self.name.as_deref().unwrap_or("")),
            None => vec![node.name.clone()],
        }
    }

    /// An edge's label lines (empty when it has none).
    pub(crate) fn edge_label(&self, edge: &Edge) -> Vec<String> {
        match edge.attrs.get("label") {
            Some(value) => {
                let name = format!("{}->{}", self.nodes[edge.from].name, self.nodes[edge.to].name);
                label_lines(value, &name, self.name.as_deref().unwrap_or(""))
                    .into_iter()
                    .filter(|l| !l.trim().is_empty())
                    .collect()
            }
            None => Vec::new(),
        }
    }
}

/// Applies DOT's label escapes (`\n`, `\l`, `\r` break lines; `\N` is the object's name; `\G` the graph's)
/// or, for an HTML label, keeps its text and line breaks.
pub(crate) fn label_lines(value: &Value, object_name: &str, graph_name: &str) -> Vec<String> {
    if value.html {
        return html_label_lines(&value.text);
    }
    let mut lines = vec![String::new()];
    let mut chars = value.text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            lines.last_mut().expect("never empty").push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'l' | 'r') => lines.push(String::new()),
            Some('N' | 'E' | 'T' | 'H') => lines.last_mut().expect("never empty").push_str(object_name),
            Some('G') => lines.last_mut().expect("never empty").push_str(graph_name),
            Some(other) => lines.last_mut().expect("never empty").push(other),
            None => {}
        }
    }
    // A trailing `\n` or `\l` ends the last line rather than starting an empty one.
    if lines.len() > 1 && lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// The text of an HTML-like label: tags dropped, `<br/>` and table rows as line breaks, entities decoded.
fn html_label_lines(html: &str) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        lines.last_mut().expect("never empty").push_str(&rest[..open]);
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
        let tag = rest[open..close].trim_start_matches(['<', '/']).to_ascii_lowercase();
        if (tag.starts_with("br") || tag.starts_with("tr")) && !lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.push(String::new());
        }
        rest = &rest[close..];
    }
    lines.last_mut().expect("never empty").push_str(rest);
    let lines: Vec<String> = lines
        .into_iter()
        .map(|l| decode_entities(l.split_whitespace().collect::<Vec<_>>().join(" ").as_str()))
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() { vec![String::new()] } else { lines }
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semi) = after.find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let entity = &after[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nodes_edges_and_defaults() {
        let g =
            parse(r#"digraph g { node [shape=box]; a [label="A\nB"]; a -> b [label="x"]; node [shape=ellipse]; c; }"#)
                .unwrap();
        assert!(g.directed);
        let names: Vec<_> = g.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(g.nodes[1].attrs["shape"].text, "box");
        assert_eq!(g.nodes[2].attrs["shape"].text, "ellipse");
        assert_eq!(g.node_label(&g.nodes[0]), ["A", "B"]);
        assert_eq!(g.edge_label(&g.edges[0]), ["x"]);
    }

    #[test]
    fn subgraph_operands_clusters_ports_and_strings() {
        let g = parse(
            "strict graph { a -- {b c}; subgraph cluster_x { label=\"X\" + \"Y\"; d:n -- e } /* c */ // x\n f [label=<<b>F</b><br/>G &amp; H>] }",
        )
        .unwrap();
        assert!(!g.directed);
        assert_eq!(g.edges.len(), 3);
        assert_eq!(g.clusters.len(), 1);
        assert_eq!(g.clusters[0].attrs["label"].text, "XY");
        assert_eq!(g.clusters[0].nodes.len(), 2);
        let f = g.nodes.iter().find(|n| n.name == "f").unwrap();
        assert_eq!(g.node_label(f), ["F", "G & H"]);
        assert_eq!(g.html_strings.len(), 1);
    }

    #[test]
    fn errors_instead_of_panics() {
        for bad in [
            "",
            "digraph",
            "digraph {",
            "digraph { a -> }",
            "digraph { a [b= }",
            "x { }",
            "digraph { \"a }",
            "digraph { a + b }",
            "digraph { <a }",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should not parse");
        }
        let deep = format!("digraph {{ {} }}", "{".repeat(200) + &"}".repeat(200));
        assert!(parse(&deep).is_err());
    }
}
