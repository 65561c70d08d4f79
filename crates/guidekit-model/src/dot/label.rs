//! The text of labels as lines: DOT's escapes (`\n`, `\l`, `\N`, ...) applied, or an HTML-like label's text
//! with its line breaks. For drawing; the [`html`](super::html) module checks an HTML label's grammar.

use super::{Edge, Graph, Id, Node};

impl Graph<'_> {
    /// A node's label as lines of plain text: `label` with DOT's escapes applied, the node name by default.
    pub fn node_label(&self, node: &Node<'_>) -> Vec<String> {
        match node.attrs.get("label") {
            Some(value) => label_lines(value, &node.name.text, self.name_text()),
            None => vec![node.name.text.to_string()],
        }
    }

    /// An edge's label lines (empty when it has none).
    pub fn edge_label(&self, edge: &Edge<'_>) -> Vec<String> {
        match edge.attrs.get("label") {
            Some(value) => {
                let name = format!("{}->{}", self.nodes[edge.from].name.text, self.nodes[edge.to].name.text);
                label_lines(value, &name, self.name_text()).into_iter().filter(|l| !l.trim().is_empty()).collect()
            }
            None => Vec::new(),
        }
    }

    /// Whether an edge has a label with something to show: [`Graph::edge_label`] is not empty, found without
    /// building the lines when the label has no escape.
    pub fn edge_has_label(&self, edge: &Edge<'_>) -> bool {
        match edge.attrs.get("label") {
            Some(value) if !value.is_html() && !value.text.contains('\\') => !value.text.trim().is_empty(),
            Some(_) => !self.edge_label(edge).is_empty(),
            None => false,
        }
    }

    /// The graph's name, or `""`.
    pub fn name_text(&self) -> &str {
        self.name.as_ref().map_or("", |n| n.text.as_ref())
    }
}

/// Applies DOT's label escapes (`\n`, `\l`, `\r` break lines; `\N` is the object's name; `\G` the graph's)
/// or, for an HTML label, keeps its text and line breaks.
pub fn label_lines(value: &Id<'_>, object_name: &str, graph_name: &str) -> Vec<String> {
    if value.is_html() {
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
        .map(|l| decode_character_references(l.split_whitespace().collect::<Vec<_>>().join(" ").as_str()))
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() { vec![String::new()] } else { lines }
}

/// HTML character references decoded: the named ones a serializer writes (`&amp;` `&lt;` `&gt;` `&quot;`
/// `&apos;` `&nbsp;`) and numeric ones; anything else is kept as written. The one decoder for HTML-like DOT
/// labels here and for the rendered HTML that `guidekit-pdf` turns into Typst.
pub fn decode_character_references(text: &str) -> String {
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
    use crate::dot::parse;

    #[test]
    fn labels_as_lines() {
        let g = parse(r#"digraph g { a [label="A\nB \N\l"]; b [label=<<b>F</b><br/>G &amp; H>]; a -> b [label="x"] }"#)
            .unwrap();
        assert_eq!(g.node_label(&g.nodes[0]), ["A", "B a"]);
        assert_eq!(g.node_label(&g.nodes[1]), ["F", "G & H"]);
        assert_eq!(g.edge_label(&g.edges[0]), ["x"]);
    }

    #[test]
    fn an_edge_has_a_label_exactly_when_its_lines_are_not_empty() {
        let labels = [r#""x""#, r#""""#, r#""  ""#, r#""\n""#, r#""\N""#, r#""a\lb""#, "<>", "<<b> </b>>", "<x>", "y"];
        let edges: Vec<String> = labels.iter().map(|l| format!("a -> b [label={l}]")).collect();
        let source = format!("digraph {{ {}; c -> d }}", edges.join("; "));
        let g = parse(&source).unwrap();
        assert_eq!(g.edges.len(), labels.len() + 1);
        for edge in &g.edges {
            assert_eq!(g.edge_has_label(edge), !g.edge_label(edge).is_empty(), "{:?}", edge.attrs.get("label"));
        }
        assert!(g.edge_has_label(&g.edges[0]) && !g.edge_has_label(&g.edges[1]) && !g.edge_has_label(&g.edges[2]));
    }
}
