//! A syntax check of Graphviz DOT, the language of [`Diagram::dot`](crate::Diagram).
//!
//! It follows the grammar at <https://graphviz.org/doc/info/lang.html>, reports the byte offset of the first
//! problem, and summarises what a graph uses, so that a validator can say what a renderer cannot draw or
//! must refuse. It draws nothing and never panics.

use std::collections::BTreeSet;

/// What a DOT graph contains.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DotSummary {
    /// `digraph` rather than `graph`.
    pub directed: bool,
    /// Distinct node ids, sorted.
    pub nodes: BTreeSet<String>,
    /// Number of edges (`a -> b -> c` is two).
    pub edges: usize,
    /// Every attribute set anywhere, with the byte offset of its name.
    pub attributes: Vec<DotAttribute>,
    /// Number of subgraphs; those named `cluster…` are drawn as boxes by Graphviz.
    pub subgraphs: usize,
    /// Names of subgraphs whose name starts with `cluster`.
    pub clusters: Vec<String>,
    /// Whether any id is an HTML string (`<...>`).
    pub html_strings: bool,
    /// Whether an edge has a subgraph as an end (`a -> {b c}`).
    pub edge_groups: bool,
}

/// An attribute assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotAttribute {
    /// The attribute's name, e.g. `label`.
    pub name: String,
    /// Its value, unquoted.
    pub value: String,
    /// Byte offset of the name in the source.
    pub offset: usize,
}

/// The first syntax error in a DOT source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotError {
    /// Byte offset of the problem in the source.
    pub offset: usize,
    /// What was expected or found.
    pub message: String,
}

/// Attributes with which Graphviz reads files from the disk. A guide never needs them; a renderer that
/// runs Graphviz must refuse them.
pub const FILE_READING_ATTRIBUTES: &[&str] =
    &["image", "imagepath", "shapefile", "fontpath", "fontnames", "stylesheet"];

/// Checks `source` and summarises it.
pub fn parse(source: &str) -> Result<DotSummary, DotError> {
    let tokens = lex(source)?;
    let mut parser = Parser { tokens, pos: 0, summary: DotSummary::default(), depth: 0, end: source.len() };
    parser.graph()?;
    Ok(parser.summary)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Id { text: String, html: bool },
    Punct(&'static str),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    offset: usize,
}

fn lex(source: &str) -> Result<Vec<Token>, DotError> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut line_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            line_start = true;
            i += 1;
            continue;
        }
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if line_start && b == b'#' {
            // A preprocessor output line: ignored to its end.
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        line_start = false;
        let start = i;
        if source[i..].starts_with("//") {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if source[i..].starts_with("/*") {
            match source[i + 2..].find("*/") {
                Some(end) => i += 2 + end + 2,
                None => return Err(DotError { offset: start, message: "comment `/*` is never closed".into() }),
            }
            continue;
        }
        let punct =
            ["->", "--", "{", "}", "[", "]", "=", ";", ",", ":", "+"].into_iter().find(|p| source[i..].starts_with(p));
        if let Some(p) = punct {
            tokens.push(Token { tok: Tok::Punct(p), offset: start });
            i += p.len();
            continue;
        }
        match b {
            b'"' => {
                let mut text = String::new();
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => {
                            return Err(DotError { offset: start, message: "string is never closed with `\"`".into() });
                        }
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\\') if bytes.get(i + 1) == Some(&b'"') => {
                            text.push('"');
                            i += 2;
                        }
                        Some(_) => {
                            let c = source[i..].chars().next().unwrap_or('\u{fffd}');
                            text.push(c);
                            i += c.len_utf8();
                        }
                    }
                }
                tokens.push(Token { tok: Tok::Id { text, html: false }, offset: start });
            }
            b'<' => {
                let mut depth = 0usize;
                loop {
                    match bytes.get(i) {
                        None => {
                            return Err(DotError {
                                offset: start,
                                message: "HTML string is never closed with `>`".into(),
                            });
                        }
                        Some(b'<') => depth += 1,
                        Some(b'>') => {
                            depth -= 1;
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        Some(_) => {}
                    }
                    i += 1;
                }
                tokens.push(Token {
                    tok: Tok::Id { text: source[start + 1..i - 1].to_owned(), html: true },
                    offset: start,
                });
            }
            _ if b == b'-' || b == b'.' || b.is_ascii_digit() => {
                i += 1;
                while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                    i += 1;
                }
                let text = &source[start..i];
                if !text.bytes().any(|b| b.is_ascii_digit()) || text.matches('.').count() > 1 {
                    return Err(DotError { offset: start, message: format!("`{text}` is not a number") });
                }
                tokens.push(Token { tok: Tok::Id { text: text.to_owned(), html: false }, offset: start });
            }
            _ if b == b'_' || b.is_ascii_alphabetic() || b >= 0x80 => {
                while i < bytes.len() && (bytes[i] == b'_' || bytes[i].is_ascii_alphanumeric() || bytes[i] >= 0x80) {
                    i += 1;
                }
                tokens.push(Token { tok: Tok::Id { text: source[start..i].to_owned(), html: false }, offset: start });
            }
            _ => {
                let c = source[i..].chars().next().unwrap_or('?');
                return Err(DotError { offset: start, message: format!("unexpected character `{c}`") });
            }
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    summary: DotSummary,
    depth: usize,
    end: usize,
}

const KEYWORDS: &[&str] = &["strict", "graph", "digraph", "node", "edge", "subgraph"];

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn offset(&self) -> usize {
        self.tokens.get(self.pos).map_or(self.end, |t| t.offset)
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, DotError> {
        Err(DotError { offset: self.offset(), message: message.into() })
    }

    fn found(&self) -> String {
        match self.peek() {
            Some(Tok::Punct(p)) => format!("`{p}`"),
            Some(Tok::Id { text, .. }) => format!("`{text}`"),
            None => "the end".to_owned(),
        }
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Tok::Punct(q)) if *q == p)
    }

    fn is_keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Id { text, html: false }) if text.eq_ignore_ascii_case(word))
    }

    fn expect(&mut self, p: &str) -> Result<(), DotError> {
        if self.is_punct(p) {
            self.pos += 1;
            Ok(())
        } else {
            self.error(format!("expected `{p}`, found {}", self.found()))
        }
    }

    /// An id, with `"a" + "b"` concatenation.
    fn id(&mut self) -> Result<(String, usize), DotError> {
        let offset = self.offset();
        match self.peek().cloned() {
            Some(Tok::Id { text, html }) if html || !KEYWORDS.iter().any(|k| text.eq_ignore_ascii_case(k)) => {
                self.pos += 1;
                self.summary.html_strings |= html;
                let mut text = text;
                while self.is_punct("+") {
                    self.pos += 1;
                    match self.peek().cloned() {
                        Some(Tok::Id { text: more, html: false }) => {
                            text.push_str(&more);
                            self.pos += 1;
                        }
                        _ => return self.error(format!("expected a string after `+`, found {}", self.found())),
                    }
                }
                Ok((text, offset))
            }
            _ => self.error(format!("expected a name or a quoted string, found {}", self.found())),
        }
    }

    fn graph(&mut self) -> Result<(), DotError> {
        if self.is_keyword("strict") {
            self.pos += 1;
        }
        if self.is_keyword("digraph") {
            self.summary.directed = true;
        } else if !self.is_keyword("graph") {
            return self.error(format!("expected `digraph` or `graph`, found {}", self.found()));
        }
        self.pos += 1;
        if !self.is_punct("{") {
            self.id()?;
        }
        self.expect("{")?;
        self.statements()?;
        self.expect("}")?;
        if self.pos < self.tokens.len() {
            return self.error(format!("unexpected {} after the end of the graph", self.found()));
        }
        Ok(())
    }

    fn statements(&mut self) -> Result<(), DotError> {
        while !self.is_punct("}") {
            if self.peek().is_none() {
                return self.error("expected `}` to close the graph, found the end");
            }
            self.statement()?;
            if self.is_punct(";") {
                self.pos += 1;
            }
        }
        Ok(())
    }

    fn statement(&mut self) -> Result<(), DotError> {
        if self.is_keyword("graph") || self.is_keyword("node") || self.is_keyword("edge") {
            self.pos += 1;
            return self.attr_lists(true);
        }
        let first_is_subgraph = self.is_keyword("subgraph") || self.is_punct("{");
        if first_is_subgraph {
            self.subgraph()?;
        } else {
            let (_, offset) = self.id()?;
            if self.is_punct("=") {
                self.pos += 1;
                let (value, _) = self.id()?;
                let name = self.tokens[self.pos - 3..].first().map(|t| t.tok.clone());
                if let Some(Tok::Id { text, .. }) = name {
                    self.summary.attributes.push(DotAttribute { name: text, value, offset });
                }
                return Ok(());
            }
            self.pos -= 1;
            self.node_id()?;
        }
        let mut edge_op = false;
        while self.is_punct("->") || self.is_punct("--") {
            let directed_op = self.is_punct("->");
            if directed_op != self.summary.directed {
                let (op, kind) = if self.summary.directed { ("->", "digraph") } else { ("--", "graph") };
                return self.error(format!("edges in a {kind} are written `{op}`"));
            }
            self.pos += 1;
            edge_op = true;
            self.summary.edges += 1;
            if self.is_keyword("subgraph") || self.is_punct("{") {
                self.summary.edge_groups = true;
                self.subgraph()?;
            } else {
                self.node_id()?;
            }
        }
        if first_is_subgraph && edge_op {
            self.summary.edge_groups = true;
        }
        if self.is_punct("[") { self.attr_lists(true) } else { Ok(()) }
    }

    fn node_id(&mut self) -> Result<(), DotError> {
        let (name, _) = self.id()?;
        self.summary.nodes.insert(name);
        // Ports: `a:p`, `a:p:n`, `a:n`.
        for _ in 0..2 {
            if self.is_punct(":") {
                self.pos += 1;
                self.id()?;
            }
        }
        Ok(())
    }

    fn subgraph(&mut self) -> Result<(), DotError> {
        self.depth += 1;
        if self.depth > 32 {
            return self.error("subgraphs are nested more than 32 deep");
        }
        self.summary.subgraphs += 1;
        if self.is_keyword("subgraph") {
            self.pos += 1;
            if !self.is_punct("{") {
                let (name, _) = self.id()?;
                if name.starts_with("cluster") {
                    self.summary.clusters.push(name);
                }
            }
        }
        self.expect("{")?;
        self.statements()?;
        self.expect("}")?;
        self.depth -= 1;
        Ok(())
    }

    fn attr_lists(&mut self, required: bool) -> Result<(), DotError> {
        if required && !self.is_punct("[") {
            return self.error(format!("expected `[` to start an attribute list, found {}", self.found()));
        }
        while self.is_punct("[") {
            self.pos += 1;
            while !self.is_punct("]") {
                let (name, offset) = self.id()?;
                self.expect("=")?;
                let (value, _) = self.id()?;
                self.summary.attributes.push(DotAttribute { name, value, offset });
                if self.is_punct(",") || self.is_punct(";") {
                    self.pos += 1;
                }
            }
            self.pos += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarises_a_graph() {
        let dot =
            "digraph g {\n  rankdir=TB; node [shape=box];\n  a [label=\"A \\\"x\\\"\"];\n  a -> b -> c;\n  // c\n}";
        let summary = parse(dot).unwrap();
        assert!(summary.directed);
        assert_eq!(summary.nodes.len(), 3);
        assert_eq!(summary.edges, 2);
        let names: Vec<&str> = summary.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["rankdir", "shape", "label"]);
        assert_eq!(summary.attributes[2].value, "A \"x\"");
        assert_eq!(&dot[summary.attributes[0].offset..][..7], "rankdir");
    }

    #[test]
    fn finds_what_renderers_care_about() {
        let summary =
            parse("digraph { subgraph cluster_x { a } a -> {b c}; d [label=<<b>x</b>>, image=\"/etc/x\"] }").unwrap();
        assert_eq!(summary.clusters, ["cluster_x"]);
        assert!(summary.edge_groups);
        assert!(summary.html_strings);
        assert!(summary.attributes.iter().any(|a| FILE_READING_ATTRIBUTES.contains(&a.name.as_str())));
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
        ];
        for (dot, expected) in cases {
            let error = parse(dot).unwrap_err();
            assert!(error.message.contains(expected), "{dot}: {}", error.message);
            assert!(error.offset <= dot.len());
        }
        assert_eq!(parse("digraph { a -> }").unwrap_err().offset, 15);
    }

    #[test]
    fn never_panics_on_prefixes_of_valid_input() {
        let dot = "strict digraph \"g\" { a:n -> b:s:e [x=1, y=\"2\"]; subgraph s { c } /* z */ }";
        for end in (0..=dot.len()).filter(|&i| dot.is_char_boundary(i)) {
            let _ = parse(&dot[..end]);
        }
    }
}
