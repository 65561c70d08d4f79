//! The Typst document of one guide, written from the renderer's view ([`GuideView`], HTML flavour) by hand:
//! every value is escaped where it is written ([`crate::escape`]), and rich text is read from the view's
//! sanitised HTML ([`crate::html`]). The page set-up ([`PREAMBLE`]) is the one place for layout rules.

use std::collections::HashSet;
use std::fmt::Write as _;

use guidekit_model::{LinkTarget, link_target};
use guidekit_render::view::{ActionView, GuideView, Rich, StepView};

use crate::escape::{label, markup, string};
use crate::html::to_typst;

/// Paper sizes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl Paper {
    /// Typst's name for it.
    fn typst_name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "us-letter",
        }
    }
}

/// Layout rules for every guide. Why each is there:
/// - headings are sticky blocks, so none is left alone at the foot of a page;
/// - figures may break across pages (a long table), and a table's header row repeats on each page;
/// - table captions go above the table, as in the HTML page; figure captions below;
/// - links are coloured, since print has no hover;
/// - the fonts are the ones bundled with typst (Libertinus Serif, DejaVu Sans Mono), so output is the same on
///   every machine and every glyph is embedded.
const PREAMBLE: &str = r##"#set text(font: ("Libertinus Serif", "New Computer Modern"), size: 10.5pt, fallback: true)
#set par(justify: true, leading: 0.62em, spacing: 1.05em)
#set heading(numbering: none)
#show heading: set block(sticky: true, above: 1.5em, below: 0.8em)
#show heading.where(level: 1): set text(size: 19pt)
#show heading.where(level: 2): set text(size: 14pt)
#show heading.where(level: 3): set text(size: 11.5pt)
#show link: set text(fill: rgb("#1a4f8b"))
#show raw: set text(font: "DejaVu Sans Mono", size: 0.9em)
#show figure: set block(breakable: true)
#show figure.where(kind: table): set figure.caption(position: top)
#show figure.caption: set text(size: 9.5pt)
#set table(stroke: 0.5pt + luma(170), inset: 5pt, align: left + top)
#show table: set text(size: 9pt)
#show table: set par(justify: false)
#let notice(body, prominent: false) = block(
  width: 100%, inset: 8pt, radius: 3pt, breakable: true,
  stroke: if prominent { 1pt + rgb("#9a3412") } else { 0.6pt + luma(160) },
  fill: if prominent { rgb("#fff7ed") } else { luma(246) },
  body,
)
#let field(name, body) = [#strong(name): #body]
"##;

/// The Typst source of `view` on `paper`. `view` must be the HTML flavour of the view (its rich text is
/// read from HTML).
pub fn typst_source(view: &GuideView, paper: Paper) -> String {
    let labels = labels(view);
    let rich = |r: &Rich| to_typst(&r.inline, &labels);
    let paragraphs = |r: &Rich| r.paragraphs.iter().map(|p| to_typst(p, &labels)).collect::<Vec<_>>().join("\n\n");
    let mut t = String::with_capacity(64 * 1024);

    // Metadata: title, authors, keywords and language reach the PDF's document information and XMP.
    let authors: Vec<String> = view.authors.iter().map(|a| string(&a.name)).collect();
    let keywords: Vec<String> = view.keywords.iter().map(|k| string(k)).collect();
    let _ = writeln!(
        t,
        "#set document(title: {}, author: ({}), keywords: ({}), date: {})",
        string(&view.full_title),
        tuple(&authors),
        tuple(&keywords),
        date(&view.published.iso)
    );
    let _ = writeln!(t, "#set text({})", language(&view.lang));
    let _ = writeln!(
        t,
        "#set page(paper: {}, margin: (x: 2.2cm, y: 2.4cm), numbering: \"1 / 1\", header: context if here().page() > 1 {{ \
         align(right, text(size: 8.5pt, fill: luma(110), {})) }})",
        string(paper.typst_name()),
        string(&view.title)
    );
    t.push_str(PREAMBLE);
    t.push('\n');

    // Masthead.
    let _ = writeln!(t, "= {}\n", markup(&view.title));
    if let Some(subtitle) = &view.subtitle {
        let _ = writeln!(t, "#text(size: 13pt, emph[{}])\n", markup(subtitle));
    }
    let mut line = vec![format!("#strong[{}]", markup(&view.kind))];
    let names: Vec<String> = view
        .authors
        .iter()
        .map(|a| {
            let mut name = markup(&a.name);
            if let Some(affiliation) = &a.affiliation {
                let _ = write!(name, " ({})", markup(affiliation));
            }
            if let (Some(orcid), Some(url)) = (&a.orcid, &a.orcid_url) {
                let _ = write!(name, " {}", link(url, &format!("ORCID {}", markup(orcid))));
            }
            name
        })
        .collect();
    let plural = if view.authors.len() > 1 { "Authors" } else { "Author" };
    line.push(format!("#field([{plural}], [{}])", names.join(", ")));
    line.push(format!("#field([Date], [{}])", markup(&view.published.display)));
    if let Some(version) = &view.version {
        line.push(format!("#field([Version], [{}])", markup(version)));
    }
    if let Some(url) = &view.url {
        line.push(link(url, "Online version"));
    }
    let _ = writeln!(t, "{}\n", line.join(" · "));
    if !view.keywords.is_empty() {
        let words: Vec<String> = view.keywords.iter().map(|k| markup(k)).collect();
        let _ = writeln!(t, "#field([Keywords], [{}])\n", words.join("; "));
    }

    // Compound.
    let c = &view.compound;
    t.push_str("== Compound of interest\n\n");
    let mut rows = vec![format!(
        "[Compound], [#strong[{}]{}]",
        markup(&c.name),
        c.class.as_ref().map(|class| format!(" ({})", markup(class))).unwrap_or_default()
    )];
    if let Some(requested) = &c.requested {
        let reason = requested.reason.as_ref().map(|r| format!(" — {}", rich(r))).unwrap_or_default();
        rows.push(format!("[Requested compound], [{}{reason}]", markup(&requested.name)));
    }
    if let Some(number) = &c.catalog_number {
        rows.push(format!("[Cat. No.], [{}]", markup(number)));
    }
    for id in &c.identifiers {
        rows.push(format!("[{}], [#raw({})]", markup(&id.label), string(&id.value)));
    }
    if !c.synonyms.is_empty() {
        let synonyms: Vec<String> = c.synonyms.iter().map(|s| markup(s)).collect();
        rows.push(format!("[Synonyms], [{}]", synonyms.join("; ")));
    }
    let _ = writeln!(
        t,
        "#grid(columns: (auto, 1fr), column-gutter: 1em, row-gutter: 0.65em,\n  {},\n)\n",
        rows.iter().map(|r| r.replacen("[", "strong[", 1)).collect::<Vec<_>>().join(",\n  ")
    );
    actions(&mut t, &c.actions);

    // Notices.
    for notice in &view.notices {
        let mut body = String::new();
        if let Some(title) = &notice.title {
            let _ = write!(body, "#strong[{}]\n\n", markup(title));
        }
        body.push_str(&paragraphs(&notice.text));
        if !notice.actions.is_empty() {
            body.push_str("\n\n");
            actions(&mut body, &notice.actions);
        }
        let _ = writeln!(t, "#notice(prominent: {})[{}]\n", notice.prominent, body.trim_end());
    }

    // Audience.
    if let Some(audience) = &view.audience {
        if let Some(summary) = &audience.summary {
            let _ = writeln!(t, "{}\n", paragraphs(summary));
        }
        let mut line = format!("#emph[Written for {}.", markup(&sentence_list(&audience.readers)));
        if !audience.evidence.is_empty() {
            let _ = write!(line, " Evidence: {}.", markup(&sentence_list(&audience.evidence)));
        }
        let _ = writeln!(t, "{line}]\n");
    }

    // Hypotheses.
    if let Some(section) = &view.hypotheses {
        let _ = writeln!(t, "== {}\n", markup(&section.heading));
        if let Some(intro) = &section.introduction {
            let _ = writeln!(t, "{}\n", paragraphs(intro));
        }
        for h in &section.items {
            let _ = writeln!(
                t,
                "- #metadata(none){} #strong[{}:] {}",
                label(&h.anchor),
                markup(&h.title),
                rich(&h.statement)
            );
        }
        t.push('\n');
    }

    // Data.
    if let Some(section) = &view.data {
        let _ = writeln!(t, "== {}\n", markup(&section.heading));
        if let Some(intro) = &section.introduction {
            let _ = writeln!(t, "{}\n", paragraphs(intro));
        }
        for table in &section.tables {
            let header: Vec<String> = table.columns.iter().map(|c| format!("[{}]", markup(&c.label))).collect();
            let _ = write!(
                t,
                "#figure(kind: table, supplement: [Table], caption: [{}],\n  table(columns: {}, \
                 table.header(repeat: true, {}),\n",
                markup(&table.caption),
                table.columns.len().max(1),
                header.join(", ")
            );
            for row in &table.rows {
                let cells: Vec<String> = row.iter().map(|cell| format!("[{}]", rich(cell))).collect();
                let _ = writeln!(t, "    {},", cells.join(", "));
            }
            let _ = writeln!(t, "  ),\n){}\n", label(&table.anchor));
            if let Some(note) = &table.note {
                let _ = writeln!(t, "#text(size: 9pt)[{}]\n", paragraphs(note));
            }
        }
    }

    // Protocols.
    if let Some(section) = &view.protocols {
        let _ = writeln!(t, "== {}\n", markup(&section.heading));
        if let Some(intro) = &section.introduction {
            let _ = writeln!(t, "{}\n", paragraphs(intro));
        }
        for p in &section.items {
            let _ = writeln!(t, "=== {} {}\n", markup(&p.title), label(&p.anchor));
            steps(&mut t, &p.steps, 0, &rich);
            t.push('\n');
        }
    }

    // Diagrams: the same SVG as the HTML page, carried inside the source so that it needs no other file;
    // scaled to fit the text width and 10 cm of height, so a tall graph keeps its page with its caption.
    if let Some(section) = &view.diagrams {
        let _ = writeln!(t, "== {}\n", markup(&section.heading));
        if let Some(intro) = &section.introduction {
            let _ = writeln!(t, "{}\n", paragraphs(intro));
        }
        for d in &section.items {
            let _ = writeln!(
                t,
                "#figure(kind: image, supplement: [Figure], caption: [{}],\n  block(breakable: false, \
                 image(bytes({}), format: \"svg\", alt: {}, width: 100%, height: 10cm, fit: \"contain\")),\n){}\n",
                rich(&d.caption),
                string(&d.svg),
                string(&d.alt),
                label(&d.anchor)
            );
        }
    }

    // Conclusion.
    if let Some(conclusion) = &view.conclusion {
        let _ = writeln!(t, "== {}\n\n{}\n", markup(&conclusion.heading), paragraphs(&conclusion.text));
    }

    // References: numbered as the view numbers them, each the target of its citation marks.
    if !view.references.is_empty() {
        t.push_str("== References\n\n#enum(numbering: \"[1]\", body-indent: 0.6em, tight: false, spacing: 0.7em,\n");
        for r in &view.references {
            let _ =
                writeln!(t, "  enum.item({})[#metadata(none){}{}],", r.number, label(&r.anchor), rich(&r.formatted));
        }
        t.push_str(")\n\n");
    }

    // How to cite.
    let parts = &view.citation_parts;
    let _ = write!(t, "== How to cite\n\n{}", markup(&parts.before));
    if let Some(url) = &parts.url {
        let _ = write!(t, "\\[{}\\]{}", link(url, &markup(url)), markup(&parts.after));
    }
    t.push_str("\n\n");

    // Publisher.
    if let Some(p) = &view.publisher {
        let _ = writeln!(t, "#line(length: 100%, stroke: 0.5pt + luma(170))\n\n== {}\n", markup(&p.name));
        if let Some(mission) = &p.mission {
            let _ = writeln!(t, "{}\n", paragraphs(mission));
        }
        let mut lines = Vec::new();
        if let Some(a) = &p.address {
            lines.push(markup(&a.street));
            lines.push(format!("{}, {}", markup(&a.locality_line), markup(&a.country)));
        }
        if let Some(phone) = &p.phone {
            lines.push(format!("#field([Phone], [{}])", markup(phone)));
        }
        if let Some(email) = &p.email {
            lines.push(format!("#field([Email], [{}])", link(&format!("mailto:{email}"), &markup(email))));
        }
        if let Some(url) = &p.url {
            lines.push(format!("#field([Web], [{}])", link(url, &markup(url))));
        }
        if !lines.is_empty() {
            let _ = writeln!(t, "{}\n", lines.join(" \\\n"));
        }
        for o in &p.offers {
            let _ = writeln!(t, "=== {}\n", markup(&o.heading));
            if let Some(text) = &o.text {
                let _ = writeln!(t, "{}\n", paragraphs(text));
            }
            if let Some(email) = &o.email {
                let _ = writeln!(t, "#field([Email], [{}])\n", link(&format!("mailto:{email}"), &markup(email)));
            }
            actions(&mut t, &o.actions);
        }
    }
    t
}

/// Every anchor the document labels, so that rich text links only to those.
fn labels(view: &GuideView) -> HashSet<String> {
    let mut labels: HashSet<String> = view.references.iter().map(|r| r.anchor.clone()).collect();
    labels.extend(view.hypotheses.iter().flat_map(|s| s.items.iter().map(|h| h.anchor.clone())));
    labels.extend(view.data.iter().flat_map(|s| s.tables.iter().map(|t| t.anchor.clone())));
    labels.extend(view.protocols.iter().flat_map(|s| s.items.iter().map(|p| p.anchor.clone())));
    labels.extend(view.diagrams.iter().flat_map(|s| s.items.iter().map(|d| d.anchor.clone())));
    labels
}

/// A link to `url` showing `content` (Typst markup), or the content alone when the link policy refuses the
/// URL.
fn link(url: &str, content: &str) -> String {
    if link_target(url) == LinkTarget::Absolute {
        format!("#link({})[{content}]", string(url.trim()))
    } else {
        content.to_owned()
    }
}

fn actions(t: &mut String, list: &[ActionView]) {
    if list.is_empty() {
        return;
    }
    let items: Vec<String> = list
        .iter()
        .map(|a| match &a.url {
            Some(url) => link(url, &markup(&a.label)),
            None => markup(&a.label),
        })
        .collect();
    let _ = writeln!(t, "{}\n", items.join(" · "));
}

fn steps(t: &mut String, list: &[StepView], depth: usize, rich: &dyn Fn(&Rich) -> String) {
    let indent = "  ".repeat(depth);
    for step in list {
        let mut body = String::new();
        if let Some(label) = &step.label {
            let _ = write!(body, "#strong[{}:]", markup(label));
        }
        if let Some(text) = &step.text {
            if !body.is_empty() {
                body.push(' ');
            }
            body.push_str(&rich(text));
        }
        let _ = writeln!(t, "{indent}+ {body}");
        steps(t, &step.steps, depth + 1, rich);
    }
}

/// The publication date as the document's date (PDF/A requires one): `2025-12` is 1 December 2025. A date
/// that is not `YYYY[-MM[-DD]]` (a guide that did not validate) gives `none`.
fn date(iso: &str) -> String {
    let parts: Vec<Option<u16>> = iso.split('-').map(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [Some(year), rest @ ..] if rest.len() <= 2 && rest.iter().all(Option::is_some) => format!(
            "datetime(year: {year}, month: {}, day: {})",
            rest.first().copied().flatten().unwrap_or(1),
            rest.get(1).copied().flatten().unwrap_or(1)
        ),
        _ => "none".to_owned(),
    }
}

/// `("a", "b",)`'s inside: Typst needs the trailing comma for a one-item array.
fn tuple(items: &[String]) -> String {
    if items.is_empty() { String::new() } else { format!("{},", items.join(", ")) }
}

/// `a, b and c`, as the HTML and Markdown pages write lists.
fn sentence_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `lang: "en", region: "us"` from a BCP 47 tag; Typst accepts only ISO 639 languages and ISO 3166 regions,
/// so anything else is left out (the text is then typeset with Typst's defaults, in English).
fn language(tag: &str) -> String {
    let mut parts = tag.split(['-', '_']);
    let lang = parts.next().unwrap_or_default();
    if !(2..=3).contains(&lang.len()) || !lang.chars().all(|c| c.is_ascii_alphabetic()) {
        return "lang: \"en\"".to_owned();
    }
    let mut out = format!("lang: {}", string(&lang.to_ascii_lowercase()));
    if let Some(region) = parts.find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic())) {
        let _ = write!(out, ", region: {}", string(&region.to_ascii_lowercase()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date("2025-12"), "datetime(year: 2025, month: 12, day: 1)");
        assert_eq!(date("2025"), "datetime(year: 2025, month: 1, day: 1)");
        assert_eq!(date("2025-12-24"), "datetime(year: 2025, month: 12, day: 24)");
        assert_eq!(date("soon"), "none");
    }

    #[test]
    fn languages() {
        assert_eq!(language("en"), "lang: \"en\"");
        assert_eq!(language("pt-BR"), "lang: \"pt\", region: \"br\"");
        assert_eq!(language("zh-Hant-TW"), "lang: \"zh\", region: \"tw\"");
        assert_eq!(language("x"), "lang: \"en\"");
    }
}
