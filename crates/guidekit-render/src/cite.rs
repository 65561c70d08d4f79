//! What `guidekit cite` prints: the guide's own citation and its reference list, as text in a citation
//! style, BibTeX, RIS or CSL-JSON. Identifiers (DOI, PMID, PMCID, ISBN, ISSN, URL) are carried as given;
//! nothing is looked up.
//!
//! The guide itself becomes one more CSL-JSON item (a `report`, keyed like `benchchem2025`), built from its
//! metadata and publisher only, so that every format is written from the same items: the guide first, then
//! its references by citation number. The BibTeX and RIS writers are small and escape by hand: BibTeX's
//! specials (`{}` `\` `#` `$` `%` `&` `_` `^` `~`) become commands so that braces always balance; RIS values
//! are one line each.

use guidekit_model::{Author, CitationStyle, CslName, CslType, Guide, Reference, walk};
use serde_json::{Map, Value, json};

use crate::references::{self, Out};

/// An output format of [`cite`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiteFormat {
    /// The citation and the numbered reference list as plain text, in a citation style.
    Text,
    /// BibTeX entries.
    Bibtex,
    /// RIS records.
    Ris,
    /// A CSL-JSON array of items.
    CslJson,
}

/// The guide's own citation and its references, in `format`. `style` is for [`CiteFormat::Text`]; `None`
/// means the guide's `citation_style`, else Vancouver.
pub fn cite(guide: &Guide, format: CiteFormat, style: Option<CitationStyle>) -> String {
    let own = guide_reference(guide);
    let numbered = walk::reference_numbers(guide);
    let mut items: Vec<&Reference> = vec![&own];
    items.extend(numbered.iter().map(|n| n.reference));
    match format {
        CiteFormat::Text => text(&items, style.or(guide.citation_style).unwrap_or_default()),
        CiteFormat::Bibtex => items.iter().map(|r| bibtex(r)).collect::<Vec<_>>().join("\n"),
        CiteFormat::Ris => items.iter().map(|r| ris(r)).collect(),
        CiteFormat::CslJson => {
            let mut out = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
            out.push('\n');
            out
        }
    }
}

/// The guide as a CSL-JSON item: a report by its authors, titled "Title: Subtitle", issued when published,
/// by its publisher, at its URL. Only what the metadata states.
pub fn guide_reference(guide: &Guide) -> Reference {
    let meta = &guide.metadata;
    let mut item = Map::new();
    item.insert("id".into(), json!(guide_key(guide)));
    item.insert("type".into(), json!("report"));
    let title = match &meta.subtitle {
        Some(subtitle) => format!("{}: {subtitle}", meta.title),
        None => meta.title.to_string(),
    };
    item.insert("title".into(), json!(title));
    let authors: Vec<Value> = meta
        .authors
        .iter()
        .map(|author| match author {
            Author::Person { family, given: Some(given), .. } => json!({"family": family, "given": given}),
            Author::Person { family, given: None, .. } => json!({"family": family}),
            Author::Organization { name } => json!({"literal": name}),
        })
        .collect();
    item.insert("author".into(), Value::Array(authors));
    let date = meta.published.parts();
    let mut parts = vec![i32::from(date.year)];
    parts.extend(date.month.map(i32::from));
    parts.extend(date.month.and(date.day).map(i32::from));
    item.insert("issued".into(), json!({"date-parts": [parts]}));
    if let Some(version) = &meta.version {
        item.insert("number".into(), json!(format!("Version {version}")));
    }
    if let Some(publisher) = &guide.publisher {
        item.insert("publisher".into(), json!(publisher.name));
        if let Some(address) = &publisher.address {
            item.insert("publisher-place".into(), json!(address.locality));
        }
    }
    if let Some(medium) = guide.citation.as_ref().and_then(|c| c.medium.as_ref()) {
        item.insert("medium".into(), json!(medium));
    }
    item.insert("language".into(), json!(meta.language));
    if let Some(url) = &meta.url {
        item.insert("URL".into(), json!(url));
    }
    serde_json::from_value(Value::Object(item)).expect("the guide's item uses only CSL-JSON fields the model knows")
}

/// The guide's citation key: its publisher's (else its first author's) name in lower-case letters and
/// digits, then its year (`benchchem2025`).
fn guide_key(guide: &Guide) -> String {
    let meta = &guide.metadata;
    let name = match (&guide.publisher, meta.authors.iter().next()) {
        (Some(publisher), _) => publisher.name.to_string(),
        (None, Some(Author::Person { family, .. })) => family.to_string(),
        (None, Some(Author::Organization { name })) => name.to_string(),
        (None, None) => String::new(),
    };
    let mut key: String =
        name.chars().filter(char::is_ascii_alphanumeric).flat_map(|c| c.to_lowercase()).take(24).collect();
    if key.is_empty() || !key.starts_with(|c: char| c.is_ascii_alphabetic()) {
        key.insert_str(0, "guide");
    }
    format!("{key}{}", meta.published.parts().year)
}

fn text(items: &[&Reference], style: CitationStyle) -> String {
    let entries = crate::csl::bibliography(style, items);
    let format = |reference: &Reference| {
        let ids = references::identifiers(reference);
        match entries.get(reference.id.as_str()) {
            Some(entry) => crate::csl::write(entry, Out::Plain, &ids, &reference.title),
            None => references::vancouver(Out::Plain, reference, &ids),
        }
    };
    let mut out = format!("Cite this guide ({}):\n{}\n", style.name(), format(items[0]));
    if items.len() > 1 {
        out.push_str("\nReferences:\n");
        for (n, reference) in items[1..].iter().enumerate() {
            out.push_str(&format!("{}. {}\n", n + 1, format(reference)));
        }
    }
    out
}

/// BibTeX's entry type for a CSL type.
fn bibtex_type(kind: CslType) -> &'static str {
    match kind {
        CslType::ArticleJournal | CslType::ArticleMagazine | CslType::ArticleNewspaper | CslType::Review => "article",
        CslType::Book | CslType::Classic => "book",
        CslType::Chapter | CslType::EntryEncyclopedia | CslType::EntryDictionary => "incollection",
        CslType::PaperConference => "inproceedings",
        CslType::Report | CslType::Standard => "techreport",
        CslType::Thesis => "phdthesis",
        CslType::Manuscript => "unpublished",
        CslType::Pamphlet => "booklet",
        _ => "misc",
    }
}

/// Escapes BibTeX's special characters, so that every value is a balanced `{…}` group of plain text.
fn bibtex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '#' | '$' | '%' | '&' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\textasciicircum{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '@' => out.push_str("{@}"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A citation key: the reference's id (already `[a-z0-9_.-]`), anything else replaced by `-`.
fn bibtex_key(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() || "_.-:".contains(c) { c } else { '-' }).collect()
}

/// Names joined by ` and `, persons as `Family, Given` (particles and suffix kept), institutions braced so
/// that BibTeX does not split them.
fn bibtex_names(names: &[CslName]) -> Option<String> {
    let list: Vec<String> = names
        .iter()
        .filter_map(|name| {
            if let Some(literal) = &name.literal {
                return Some(format!("{{{}}}", bibtex_escape(literal)));
            }
            let family = name.family.as_ref()?;
            let mut family_part = String::new();
            for particle in [&name.dropping_particle, &name.non_dropping_particle].into_iter().flatten() {
                family_part.push_str(particle);
                family_part.push(' ');
            }
            family_part.push_str(family);
            let mut out = bibtex_escape(&family_part);
            if let Some(suffix) = &name.suffix {
                out.push_str(&format!(", {}", bibtex_escape(suffix)));
            }
            if let Some(given) = &name.given {
                out.push_str(&format!(", {}", bibtex_escape(given)));
            }
            Some(out)
        })
        .collect();
    (!list.is_empty()).then(|| list.join(" and "))
}

fn bibtex(reference: &Reference) -> String {
    let kind = bibtex_type(reference.kind);
    let mut fields: Vec<(&str, String)> = Vec::new();
    let mut push = |name: &'static str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
            fields.push((name, value));
        }
    };
    let e = |v: &dyn std::fmt::Display| bibtex_escape(&v.to_string());
    push("author", bibtex_names(&reference.author));
    push("editor", bibtex_names(&reference.editor));
    // Double braces keep the title's capitals as written.
    push("title", Some(format!("{{{}}}", e(&reference.title))));
    let container = reference.container_title.as_ref().map(|c| e(c));
    match kind {
        "article" => push("journal", container),
        "incollection" | "inproceedings" => push("booktitle", container),
        _ => push("howpublished", container),
    }
    push("series", reference.collection_title.as_ref().map(|v| e(v)));
    if let Some(parts) = reference.issued.as_ref().and_then(|d| d.date_parts.as_ref()) {
        push("year", Some(parts[0][0].to_string()));
        push("month", parts[0].get(1).map(ToString::to_string));
    } else {
        push("year", reference.issued.as_ref().and_then(|d| d.literal.as_ref()).map(|v| e(v)));
    }
    push("volume", reference.volume.as_ref().map(|v| e(v)));
    push("number", reference.issue.as_ref().or(reference.number.as_ref()).map(|v| e(v)));
    push(
        "pages",
        reference.page.as_ref().map(|p| e(&p.replace('\u{2013}', "-").replace('-', "--").replace("----", "--"))),
    );
    push("edition", reference.edition.as_ref().map(|v| e(v)));
    let publisher = reference.publisher.as_ref().map(|v| e(v));
    match kind {
        "techreport" => push("institution", publisher),
        "phdthesis" => push("school", publisher),
        _ => push("publisher", publisher),
    }
    push("address", reference.publisher_place.as_ref().map(|v| e(v)));
    push("type", reference.genre.as_ref().map(|v| e(v)));
    push("doi", reference.doi.as_ref().map(|v| e(&v.trim())));
    push("pmid", reference.pmid.as_ref().map(|v| e(&v.trim())));
    push("pmcid", reference.pmcid.as_ref().map(|v| e(&v.trim())));
    push("isbn", reference.isbn.as_ref().map(|v| e(v)));
    push("issn", reference.issn.as_ref().map(|v| e(v)));
    // A URL is written as it is (the model refuses braces, backslashes and spaces in one), for \url.
    push("url", reference.url.as_ref().map(ToString::to_string));
    if let Some(parts) = reference.accessed.as_ref().and_then(|d| d.date_parts.as_ref()) {
        push("urldate", Some(parts[0].iter().map(|p| format!("{p:02}")).collect::<Vec<_>>().join("-")));
    }
    push("language", reference.language.as_ref().map(|v| e(v)));
    let note = [
        reference.medium.as_ref().map(|m| format!("[{m}]")),
        match (&reference.archive, &reference.source) {
            (Some(archive), Some(source)) => Some(format!("{archive} [{source}]")),
            (Some(archive), None) => Some(archive.to_string()),
            (None, Some(source)) => Some(format!("[{source}]")),
            (None, None) => None,
        },
        reference.note.as_ref().map(ToString::to_string),
    ];
    let note: Vec<String> = note.into_iter().flatten().collect();
    push("note", (!note.is_empty()).then(|| e(&note.join(". "))));

    let mut out = format!("@{kind}{{{},\n", bibtex_key(&reference.id));
    for (name, value) in &fields {
        out.push_str(&format!("  {name} = {{{value}}},\n"));
    }
    out.push_str("}\n");
    out
}

/// RIS's type for a CSL type.
fn ris_type(kind: CslType) -> &'static str {
    match kind {
        CslType::ArticleJournal | CslType::Review => "JOUR",
        CslType::ArticleMagazine => "MGZN",
        CslType::ArticleNewspaper => "NEWS",
        CslType::Book | CslType::Classic => "BOOK",
        CslType::Chapter => "CHAP",
        CslType::EntryEncyclopedia | CslType::EntryDictionary => "ENCYC",
        CslType::PaperConference => "CPAPER",
        CslType::Report | CslType::Standard => "RPRT",
        CslType::Thesis => "THES",
        CslType::Webpage | CslType::Post | CslType::PostWeblog => "ELEC",
        CslType::Dataset => "DATA",
        CslType::Software => "COMP",
        CslType::Patent => "PAT",
        CslType::Manuscript => "UNPB",
        _ => "GEN",
    }
}

/// A RIS value: one line, without the control characters that would end it.
fn ris_value(text: &str) -> String {
    let one_line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    one_line.trim().to_owned()
}

fn ris(reference: &Reference) -> String {
    let mut lines: Vec<(&str, String)> = vec![("TY", ris_type(reference.kind).to_owned())];
    let mut push = |tag: &'static str, value: Option<String>| {
        if let Some(value) = value.map(|v| ris_value(&v)).filter(|v| !v.is_empty()) {
            lines.push((tag, value));
        }
    };
    for (tag, names) in [("AU", &reference.author), ("ED", &reference.editor)] {
        for name in names {
            let value = match (&name.literal, &name.family) {
                (Some(literal), _) => Some(literal.to_string()),
                (None, Some(family)) => {
                    let particle = name.non_dropping_particle.as_ref().map(|p| format!("{p} ")).unwrap_or_default();
                    let mut value = format!("{particle}{family}");
                    if let Some(given) = &name.given {
                        value.push_str(&format!(", {given}"));
                    }
                    if let Some(suffix) = &name.suffix {
                        value.push_str(&format!(", {suffix}"));
                    }
                    Some(value)
                }
                (None, None) => None,
            };
            push(tag, value);
        }
    }
    push("TI", Some(reference.title.to_string()));
    push("ST", reference.title_short.as_ref().map(ToString::to_string));
    push("T2", reference.container_title.as_ref().map(ToString::to_string));
    push("J2", reference.container_title_short.as_ref().map(ToString::to_string));
    push("T3", reference.collection_title.as_ref().map(ToString::to_string));
    if let Some(parts) = reference.issued.as_ref().and_then(|d| d.date_parts.as_ref()) {
        let date = &parts[0];
        push("PY", Some(date[0].to_string()));
        let part = |i: usize| date.get(i).map(|p| format!("{p:02}")).unwrap_or_default();
        push("DA", Some(format!("{}/{}/{}/", date[0], part(1), part(2))));
    }
    push("VL", reference.volume.as_ref().map(ToString::to_string));
    push("IS", reference.issue.as_ref().map(ToString::to_string));
    if let Some(page) = &reference.page {
        match page.split_once(['-', '\u{2013}']) {
            Some((start, end)) => {
                push("SP", Some(start.to_owned()));
                push("EP", Some(end.to_owned()));
            }
            None => push("SP", Some(page.to_string())),
        }
    }
    push("ET", reference.edition.as_ref().map(ToString::to_string));
    push("PB", reference.publisher.as_ref().map(ToString::to_string));
    push("CY", reference.publisher_place.as_ref().map(ToString::to_string));
    push("M1", reference.number.as_ref().map(ToString::to_string));
    push("M3", reference.genre.as_ref().map(ToString::to_string));
    push("DO", reference.doi.as_ref().map(ToString::to_string));
    push("AN", reference.pmid.as_ref().map(|p| format!("PMID: {p}")));
    push("C2", reference.pmcid.as_ref().map(ToString::to_string));
    push("SN", reference.isbn.as_ref().or(reference.issn.as_ref()).map(ToString::to_string));
    push("DP", reference.archive.as_ref().map(ToString::to_string));
    push("UR", reference.url.as_ref().map(ToString::to_string));
    if let Some(parts) = reference.accessed.as_ref().and_then(|d| d.date_parts.as_ref()) {
        push("Y2", Some(parts[0].iter().map(|p| format!("{p:02}")).collect::<Vec<_>>().join("/")));
    }
    push("LA", reference.language.as_ref().map(ToString::to_string));
    let note = [
        reference.medium.as_ref().map(|m| format!("[{m}]")),
        reference.source.as_ref().map(|s| format!("[{s}]")),
        reference.note.as_ref().map(ToString::to_string),
    ];
    let note: Vec<String> = note.into_iter().flatten().collect();
    push("N1", (!note.is_empty()).then(|| note.join(". ")));
    let mut out = String::new();
    for (tag, value) in lines {
        out.push_str(&format!("{tag}  - {value}\r\n"));
    }
    out.push_str("ER  - \r\n\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bibtex_escapes_keep_braces_balanced() {
        let escaped = bibtex_escape("a{b}c\\d #1 $2 50% R&D x_y ^ ~ @");
        assert_eq!(
            escaped,
            "a\\textbraceleft{}b\\textbraceright{}c\\textbackslash{}d \\#1 \\$2 50\\% R\\&D x\\_y \\textasciicircum{} \\textasciitilde{} {@}"
        );
        let depth = escaped.chars().try_fold(0i32, |depth, c| match c {
            '{' => Some(depth + 1),
            '}' => (depth > 0).then(|| depth - 1),
            _ => Some(depth),
        });
        assert_eq!(depth, Some(0));
    }

    #[test]
    fn ris_values_are_one_line() {
        assert_eq!(ris_value(" a\nER  - \r\nb "), "a ER  -   b");
    }
}
