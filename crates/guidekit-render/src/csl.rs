//! CSL styles through hayagriva: APA, Nature and Chicago author-date, from hayagriva's archive of the CSL
//! styles repository, with its bundled locales. Nothing is fetched.
//!
//! References are CSL-JSON items already, so each goes to hayagriva as it is serialized. hayagriva's own
//! HTML writer escapes nothing, so its output tree is written here, every string through [`Out::text`] and
//! every link through the link policy ([`guidekit_model::link_target`]).
//!
//! Vancouver stays guidekit's own ([`crate::references::vancouver`]): hayagriva's `nlm-citation-sequence`
//! was compared on the Aniracetam references and on a full journal article (see the tests below and the
//! README), and guidekit's keeps the archive and source ("PMC [pmc.ncbi.nlm.nih.gov]") that the style
//! drops. The numbering and the citation marks are guidekit's in every style: by first citation, linked.

use std::collections::HashMap;
use std::sync::OnceLock;

use guidekit_model::{CitationStyle, LinkTarget, Reference, link_target};
use hayagriva::archive::ArchivedStyle;
use hayagriva::citationberg::{IndependentStyle, Locale, Style, json::Item};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild, ElemChildren, Formatting,
};

use crate::references::{Identifiers, Out};

/// One rendered entry of a CSL style.
pub(crate) type Entry = ElemChildren;

struct Styles {
    apa: IndependentStyle,
    nature: IndependentStyle,
    chicago: IndependentStyle,
    locales: Vec<Locale>,
}

/// The styles, decoded from hayagriva's archive once per process.
fn styles() -> &'static Styles {
    static STYLES: OnceLock<Styles> = OnceLock::new();
    STYLES.get_or_init(|| {
        let independent = |archived: ArchivedStyle| match archived.get() {
            Style::Independent(style) => style,
            // The four are independent styles in every hayagriva release; a test checks them.
            Style::Dependent(_) => unreachable!("{} is a dependent style", archived.display_name()),
        };
        Styles {
            apa: independent(ArchivedStyle::AmericanPsychologicalAssociation),
            nature: independent(ArchivedStyle::Nature),
            chicago: independent(ArchivedStyle::ChicagoAuthorDate),
            locales: hayagriva::archive::locales(),
        }
    })
}

/// The CSL style hayagriva renders for `style`; `None` for guidekit's own Vancouver.
/// The styles are decoded only when one is asked for: decoding them (and hayagriva's locales) costs about
/// 0.3 s, which a catalog in Vancouver, the default, never needs to pay.
fn csl_style(style: CitationStyle) -> Option<&'static IndependentStyle> {
    match style {
        CitationStyle::Vancouver => None,
        CitationStyle::Apa => Some(&styles().apa),
        CitationStyle::Nature => Some(&styles().nature),
        CitationStyle::ChicagoAuthorDate => Some(&styles().chicago),
    }
}

/// `reference` as a CSL-JSON item for hayagriva: the model's own serialization.
fn item(reference: &Reference) -> Option<Item> {
    serde_json::to_value(reference).ok().and_then(|value| serde_json::from_value(value).ok())
}

/// The entries of `references` (in the order given, which is the citation order) in `style`, by reference
/// id; empty for Vancouver, which guidekit formats itself.
pub(crate) fn bibliography(style: CitationStyle, references: &[&Reference]) -> HashMap<String, Entry> {
    match csl_style(style) {
        Some(csl) => render(csl, references),
        None => HashMap::new(),
    }
}

fn render(csl: &IndependentStyle, references: &[&Reference]) -> HashMap<String, Entry> {
    let items: Vec<Item> = references.iter().filter_map(|r| item(r)).collect();
    let locales = &styles().locales;
    let mut driver: BibliographyDriver<'_, Item> = BibliographyDriver::new();
    for item in &items {
        driver.citation(CitationRequest::new(vec![CitationItem::with_entry(item)], csl, None, locales, None));
    }
    let rendered = driver.finish(BibliographyRequest::new(csl, None, locales));
    rendered.bibliography.map(|b| b.items.into_iter().map(|i| (i.key, i.content)).collect()).unwrap_or_default()
}

/// Writes `entry` for `out`, then the identifiers that the style did not print (PubMed and PMC ids, which
/// no CSL style prints, and a DOI the style left out), linked as in the Vancouver list.
pub(crate) fn write(entry: &Entry, out: Out, ids: &Identifiers, title: &str) -> String {
    let mut text = String::new();
    write_children(entry, out, &mut text);
    let mut plain = String::new();
    write_children(entry, Out::Plain, &mut plain);
    let mut parts = vec![text.trim().to_owned()];
    let mut add = |label: &str, value: &Option<String>, url: &Option<String>| {
        if let Some(value) = value.as_deref().filter(|v| !plain.contains(v)) {
            let shown = match url {
                Some(url) => out.link(value, url),
                None => out.text(value),
            };
            parts.push(format!("{label}: {shown}."));
        }
    };
    add("doi", &ids.doi, &ids.doi_url);
    add("PMID", &ids.pmid, &ids.pmid_url);
    add("PMCID", &ids.pmcid, &ids.pmcid_url);
    restore_case(&collapse_punctuation(&parts.join(" ")), title)
}

/// Puts back the letter case of the title's words that title-casing must not touch but hayagriva 0.10
/// changes: words with capitals inside or non-ASCII letters ("C57BL/6J" became "C57bl/6j", "Amyloid-β"
/// became "Amyloid-Β" in Chicago). CSL leaves such words as written.
fn restore_case(text: &str, title: &str) -> String {
    let mut out = text.to_owned();
    for word in title.split_whitespace() {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        let special = word.chars().skip(1).any(char::is_uppercase) || !word.is_ascii();
        if !special || word.chars().any(|c| "&<>\"'*_[]\\`".contains(c)) {
            continue;
        }
        let lower = word.to_lowercase();
        let count = word.chars().count();
        let starts: Vec<usize> = out.char_indices().map(|(i, _)| i).collect();
        let mut fixed = String::with_capacity(out.len());
        let mut i = 0;
        while i < starts.len() {
            let start = starts[i];
            let end = starts.get(i + count).copied().unwrap_or(out.len());
            let window = &out[start..end];
            if i + count <= starts.len() && window != word && window.to_lowercase() == lower {
                fixed.push_str(word);
                i += count;
            } else {
                fixed.push_str(&out[start..starts.get(i + 1).copied().unwrap_or(out.len())]);
                i += 1;
            }
        }
        out = fixed;
    }
    out
}

/// CSL's punctuation rule that hayagriva 0.10 misses: a title ending in "?" or "!" takes no full stop after
/// it ("What is it?." becomes "What is it?"), also across a closing quote or emphasis.
fn collapse_punctuation(text: &str) -> String {
    let mut out = text.to_owned();
    for mark in ["?", "!"] {
        for between in ["", "\u{201d}", "*", "</i>", "\u{201d}</i>"] {
            out = out.replace(&format!("{mark}{between}."), &format!("{mark}{between}"));
        }
    }
    out
}

fn write_children(children: &ElemChildren, out: Out, to: &mut String) {
    for child in &children.0 {
        match child {
            ElemChild::Text(text) => styled(&text.formatting, &out.text(&text.text), out, to),
            ElemChild::Elem(elem) => write_children(&elem.children, out, to),
            ElemChild::Markup(markup) => to.push_str(&out.text(markup)),
            ElemChild::Link { text, url } => {
                let shown = match link_target(url) {
                    LinkTarget::Absolute => out.link(&text.text, url.trim()),
                    _ => out.text(&text.text),
                };
                // A bare URL (`<https://…>` in Markdown) cannot be emphasised; hayagriva does not style links.
                to.push_str(&shown);
            }
            ElemChild::Transparent { .. } => {}
        }
    }
}

/// Italic and bold, as the style asks; other formatting (small caps, underline) is dropped.
fn styled(formatting: &Formatting, text: &str, out: Out, to: &mut String) {
    use hayagriva::citationberg::{FontStyle, FontWeight, VerticalAlign};
    let italic = formatting.font_style == FontStyle::Italic;
    let bold = formatting.font_weight == FontWeight::Bold;
    let sup = formatting.vertical_align == VerticalAlign::Sup;
    let sub = formatting.vertical_align == VerticalAlign::Sub;
    // Markdown emphasis must hug its text: spaces stay outside the markers.
    let trimmed = text.trim();
    if trimmed.is_empty() || out == Out::Plain || (!italic && !bold && !sup && !sub) {
        to.push_str(text);
        return;
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let tail = &text[text.trim_end().len()..];
    let (open, close) = match (out, italic, bold) {
        (Out::Html, true, true) => ("<b><i>", "</i></b>"),
        (Out::Html, true, false) => ("<i>", "</i>"),
        (Out::Html, false, true) => ("<b>", "</b>"),
        (Out::Markdown, true, true) => ("***", "***"),
        (Out::Markdown, true, false) => ("*", "*"),
        (Out::Markdown, false, true) => ("**", "**"),
        _ => ("", ""),
    };
    let (sup_open, sup_close) = match (out, sup, sub) {
        (Out::Html, true, _) => ("<sup>", "</sup>"),
        (Out::Html, _, true) => ("<sub>", "</sub>"),
        _ => ("", ""),
    };
    to.push_str(lead);
    to.push_str(sup_open);
    to.push_str(open);
    to.push_str(trimmed);
    to.push_str(close);
    to.push_str(sup_close);
    to.push_str(tail);
}

/// The entries of `references` in hayagriva's `nlm-citation-sequence`, as plain text: only for comparing it
/// with guidekit's Vancouver.
#[cfg(test)]
fn nlm_plain(references: &[&Reference]) -> Vec<String> {
    let Style::Independent(nlm) = ArchivedStyle::NlmCitationSequence.get() else { unreachable!("independent") };
    let entries = render(&nlm, references);
    references
        .iter()
        .map(|r| {
            let mut text = String::new();
            if let Some(entry) = entries.get(r.id.as_str()) {
                write_children(entry, Out::Plain, &mut text);
            }
            text
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(json: &str) -> Reference {
        serde_json::from_str(json).unwrap()
    }

    const ARTICLE: &str = r#"{"id": "a", "type": "article-journal", "title": "Aniracetam does not alter behavior",
        "author": [{"family": "Reynolds", "given": "Conner D."}, {"family": "Jefferson", "given": "Taylor S."}],
        "container-title": "PLOS One", "container-title-short": "PLoS One",
        "issued": {"date-parts": [[2017, 4, 26]]}, "volume": "12", "issue": "4", "page": "e0104443",
        "DOI": "10.1371/journal.pone.0104443", "PMID": "28445522", "PMCID": "PMC5405925"}"#;

    fn plain(style: CitationStyle, json: &str) -> String {
        let reference = reference(json);
        let entries = bibliography(style, &[&reference]);
        write(&entries["a"], Out::Plain, &crate::references::identifiers(&reference), &reference.title)
    }

    #[test]
    fn the_three_csl_styles_render_an_article_as_published() {
        let apa = plain(CitationStyle::Apa, ARTICLE);
        assert!(
            apa.starts_with("Reynolds, C. D., & Jefferson, T. S. (2017). Aniracetam does not alter behavior."),
            "{apa}"
        );
        assert!(apa.contains("12(4), e0104443"), "{apa}");
        assert!(apa.contains("https://doi.org/10.1371/journal.pone.0104443"), "{apa}");
        let nature = plain(CitationStyle::Nature, ARTICLE);
        assert!(
            nature.starts_with("Reynolds, C. D. & Jefferson, T. S. Aniracetam does not alter behavior."),
            "{nature}"
        );
        assert!(nature.contains("12, e0104443 (2017)"), "{nature}");
        let chicago = plain(CitationStyle::ChicagoAuthorDate, ARTICLE);
        assert!(chicago.starts_with("Reynolds, Conner D., and Taylor S. Jefferson. 2017."), "{chicago}");
        assert!(chicago.contains("12 (4): e0104443"), "{chicago}");
        for text in [apa, nature, chicago] {
            assert!(text.contains("PMID: 28445522.") && text.contains("PMCID: PMC5405925."), "{text}");
        }
    }

    #[test]
    fn csl_output_is_escaped_and_links_follow_the_policy() {
        let json = r#"{"id": "a", "type": "webpage", "title": "<script>alert(1)</script> & *x*",
            "URL": "https://example.org/a?b=%3Cc%3E&d=1"}"#;
        let reference = reference(json);
        for style in [CitationStyle::Apa, CitationStyle::Nature, CitationStyle::ChicagoAuthorDate] {
            let entries = bibliography(style, &[&reference]);
            let ids = crate::references::identifiers(&reference);
            let html = write(&entries["a"], Out::Html, &ids, &reference.title);
            assert!(!html.contains("<script") && html.contains("&lt;script&gt;"), "{style:?}: {html}");
            assert!(!html.contains("d=1\"") || html.contains("&amp;d=1"), "{style:?}: {html}");
            let md = write(&entries["a"], Out::Markdown, &ids, &reference.title);
            assert!(md.contains("\\*x\\*") && !md.contains("<script"), "{style:?}: {md}");
        }
    }

    /// Why Vancouver is guidekit's own: hayagriva 0.10's `nlm-citation-sequence` drops the authors of a journal
    /// article (and writes "Located at: PMC" for the archive). If a hayagriva upgrade fixes it, this fails, and
    /// the style can be reconsidered.
    #[test]
    fn hayagrivas_nlm_style_drops_the_authors_of_an_article() {
        let reference = reference(ARTICLE);
        let nlm = nlm_plain(&[&reference]);
        assert!(
            nlm[0].starts_with("Aniracetam does not alter behavior. PLOS One. 2017 Apr 26;12(4):e0104443."),
            "{nlm:?}"
        );
        let ours = crate::references::vancouver(Out::Plain, &reference, &crate::references::identifiers(&reference));
        assert!(ours.starts_with("Reynolds CD, Jefferson TS. Aniracetam does not alter behavior. PLoS One."), "{ours}");
    }

    #[test]
    fn title_casing_keeps_words_with_inner_capitals_and_greek_letters() {
        let json =
            r#"{"id": "a", "type": "article-journal", "title": "Amyloid-β in adult C57BL/6J mice", "archive": "PMC"}"#;
        let text = plain(CitationStyle::ChicagoAuthorDate, json);
        assert!(text.contains("Amyloid-β in Adult C57BL/6J Mice"), "{text}");
    }

    #[test]
    fn a_question_mark_ends_a_title_without_a_full_stop() {
        let json = r#"{"id": "a", "type": "webpage", "title": "What is the mechanism?", "source": "x.org"}"#;
        for style in [CitationStyle::Apa, CitationStyle::Nature, CitationStyle::ChicagoAuthorDate] {
            let text = plain(style, json);
            assert!(text.to_lowercase().contains("mechanism?") && !text.contains("?."), "{style:?}: {text}");
        }
    }

    /// Prints every style's entries for the Aniracetam references beside hayagriva's NLM, for the README's
    /// comparison (`cargo test -p guidekit-render aniracetam_in_every_style -- --nocapture`).
    #[test]
    fn aniracetam_in_every_style() {
        let guide: guidekit_model::Guide =
            serde_json::from_str(include_str!("../../../guides/aniracetam.json")).unwrap();
        let refs: Vec<&Reference> =
            guidekit_model::walk::reference_numbers(&guide).iter().map(|n| n.reference).collect();
        let nlm = nlm_plain(&refs);
        for (reference, nlm) in refs.iter().zip(&nlm) {
            let ids = crate::references::identifiers(reference);
            eprintln!("ours:  {}", crate::references::vancouver(Out::Plain, reference, &ids));
            eprintln!("nlm:   {nlm}");
            for style in [CitationStyle::Apa, CitationStyle::Nature, CitationStyle::ChicagoAuthorDate] {
                let entries = bibliography(style, &refs);
                eprintln!(
                    "{:<6} {}",
                    style.name(),
                    write(&entries[reference.id.as_str()], Out::Plain, &ids, &reference.title)
                );
            }
            assert!(nlm.contains(reference.title.as_str()), "{nlm}");
        }
        let article = reference(ARTICLE);
        let ids = crate::references::identifiers(&article);
        for style in [CitationStyle::Apa, CitationStyle::Nature, CitationStyle::ChicagoAuthorDate] {
            let entries = bibliography(style, &[&article]);
            eprintln!("{:<6} {}", style.name(), write(&entries["a"], Out::Markdown, &ids, &article.title));
        }
    }
}
