//! The reference list: each reference formatted in the Vancouver (NLM) style, guidekit's own, or in a CSL
//! style through hayagriva (`crate::csl`), with links for its DOI, PubMed and PubMed Central ids and its
//! URL. Only what the reference gives is printed; nothing is guessed and nothing is looked up.
//!
//! Beside the formatted entry, the view carries each part on its own, so that a user template can lay out
//! another style.

use guidekit_model::{CslDate, CslName, CslType, Reference};
use schemars::JsonSchema;
use serde::Serialize;

use crate::inline::{Flavor, Rich, Writer, reference_anchor};

/// A reference as templates see it: the formatted entry, and each part on its own for another style.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReferenceView {
    /// Its number: cited references by first citation, then uncited ones in the order written.
    pub number: usize,
    /// The anchor that citation marks link to (`ref-1`).
    pub anchor: String,
    /// The key text cites it by.
    pub id: String,
    /// Whether any text, row or value cites it.
    pub cited: bool,
    /// The whole entry, formatted in the guide's citation style (Vancouver by default), in the output format.
    pub formatted: Rich,
    /// The CSL item type (`article-journal`, `webpage`, ...).
    pub kind: String,
    /// Authors as Vancouver writes them ("Smith JA, Doe J"), if any.
    pub authors: Option<String>,
    /// The title.
    pub title: String,
    /// The journal or book it is in (short title first), if any.
    pub container: Option<String>,
    /// The year it was issued, if known.
    pub year: Option<i32>,
    /// Volume, if given.
    pub volume: Option<String>,
    /// Issue, if given.
    pub issue: Option<String>,
    /// Pages, if given.
    pub page: Option<String>,
    /// Publisher, if given.
    pub publisher: Option<String>,
    /// The archive it was found in ("PubMed"), if given.
    pub archive: Option<String>,
    /// The site it was found on ("pubmed.ncbi.nlm.nih.gov"), if given.
    pub source: Option<String>,
    /// DOI, if given.
    pub doi: Option<String>,
    /// The DOI as a link, when it is one (`10.` prefix).
    pub doi_url: Option<String>,
    /// PubMed id, if given.
    pub pmid: Option<String>,
    /// The PubMed id as a link, when it is all digits.
    pub pmid_url: Option<String>,
    /// PubMed Central id, if given.
    pub pmcid: Option<String>,
    /// The PMC id as a link, when it is well formed (`PMC` and digits).
    pub pmcid_url: Option<String>,
    /// Its URL, if given.
    pub url: Option<String>,
    /// A note, if given.
    pub note: Option<String>,
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A reference's identifiers, trimmed, each with its link when it is well formed.
#[derive(Debug, Default)]
pub(crate) struct Identifiers {
    pub doi: Option<String>,
    pub doi_url: Option<String>,
    pub pmid: Option<String>,
    pub pmid_url: Option<String>,
    pub pmcid: Option<String>,
    pub pmcid_url: Option<String>,
}

/// The identifiers of `reference` and their links: doi.org for a DOI (`10.` prefix), PubMed for an all-digit
/// PMID, PMC for `PMC` and digits. Nothing is looked up.
pub(crate) fn identifiers(reference: &Reference) -> Identifiers {
    let doi = reference.doi.as_ref().map(|d| d.trim().to_owned());
    let doi_url = doi
        .as_deref()
        .filter(|d| d.starts_with("10."))
        .map(|d| format!("https://doi.org/{}", crate::escape::percent_encode(d, crate::escape::PATH_SAFE)));
    let pmid = reference.pmid.as_ref().map(|p| p.trim().to_owned());
    let pmid_url = pmid
        .as_deref()
        .filter(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        .map(|p| format!("https://pubmed.ncbi.nlm.nih.gov/{p}/"));
    let pmcid = reference.pmcid.as_ref().map(|p| p.trim().to_owned());
    let pmcid_url = pmcid
        .as_deref()
        .filter(|p| p.strip_prefix("PMC").is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit())))
        .map(|p| format!("https://pmc.ncbi.nlm.nih.gov/articles/{p}/"));
    Identifiers { doi, doi_url, pmid, pmid_url, pmcid, pmcid_url }
}

/// Where a formatted entry goes: HTML, Markdown (each escaped for itself), or plain text (`guidekit cite`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Out {
    Html,
    Markdown,
    Plain,
}

impl Out {
    pub(crate) fn of(flavor: Flavor) -> Out {
        match flavor {
            Flavor::Html => Out::Html,
            Flavor::Markdown => Out::Markdown,
        }
    }

    /// Text, escaped for the output.
    pub(crate) fn text(self, text: &str) -> String {
        match self {
            Out::Html => crate::escape::escape_markup(text),
            Out::Markdown => crate::escape::escape_markdown(text),
            Out::Plain => text.to_owned(),
        }
    }

    /// `text` linking to `url`, which the caller has checked is a link guidekit may write.
    pub(crate) fn link(self, text: &str, url: &str) -> String {
        match self {
            Out::Html => format!("<a href=\"{}\">{}</a>", crate::escape::escape_markup(url), self.text(text)),
            Out::Markdown => {
                let url = crate::escape::markdown_destination(url);
                if text == url || text.starts_with("http") {
                    format!("<{url}>")
                } else {
                    format!("[{}]({url})", self.text(text))
                }
            }
            Out::Plain => text.to_owned(),
        }
    }
}

/// Builds the view of `reference`, numbered `number`, formatted in `style`; `csl` is the entry hayagriva
/// rendered for it when `style` is a CSL style (see [`crate::csl`]).
pub(crate) fn view(
    writer: &Writer<'_>,
    reference: &Reference,
    number: usize,
    cited: bool,
    csl: Option<&crate::csl::Entry>,
) -> ReferenceView {
    let authors = names(&reference.author);
    let container =
        reference.container_title_short.as_ref().or(reference.container_title.as_ref()).map(ToString::to_string);
    let ids = identifiers(reference);
    let out = Out::of(writer.flavor);
    let formatted = match csl {
        Some(entry) => crate::csl::write(entry, out, &ids, &reference.title),
        None => vancouver(out, reference, &ids),
    };
    let Identifiers { doi, doi_url, pmid, pmid_url, pmcid, pmcid_url } = ids;
    ReferenceView {
        number,
        anchor: reference_anchor(number),
        id: reference.id.to_string(),
        cited,
        formatted: Rich::raw(formatted),
        kind: serde_kind(reference.kind),
        authors,
        title: reference.title.to_string(),
        container,
        year: reference.issued.as_ref().and_then(CslDate::year),
        volume: reference.volume.as_ref().map(ToString::to_string),
        issue: reference.issue.as_ref().map(ToString::to_string),
        page: reference.page.as_ref().map(ToString::to_string),
        publisher: reference.publisher.as_ref().map(ToString::to_string),
        archive: reference.archive.as_ref().map(ToString::to_string),
        source: reference.source.as_ref().map(ToString::to_string),
        doi,
        doi_url,
        pmid,
        pmid_url,
        pmcid,
        pmcid_url,
        url: reference.url.as_ref().map(ToString::to_string),
        note: reference.note.as_ref().map(ToString::to_string),
    }
}

/// `reference` in the Vancouver (NLM, *Citing Medicine*) style, escaped for `out`.
pub(crate) fn vancouver(out: Out, reference: &Reference, ids: &Identifiers) -> String {
    let authors = names(&reference.author);
    let editors = names(&reference.editor);
    let container =
        reference.container_title_short.as_ref().or(reference.container_title.as_ref()).map(ToString::to_string);
    let Identifiers { doi, doi_url, pmid, pmid_url, pmcid, pmcid_url } = ids;
    let mut parts: Vec<String> = Vec::new();
    let p = |text: &str| out.text(text);
    if let Some(authors) = &authors {
        parts.push(sentence(&p(authors)));
    }
    match &reference.medium {
        Some(medium) => parts.push(sentence(&format!("{} {}", p(&reference.title), p(&format!("[{medium}]"))))),
        None => parts.push(sentence(&p(&reference.title))),
    }
    if let Some(container) = &container {
        let in_book =
            matches!(reference.kind, CslType::Chapter | CslType::PaperConference | CslType::EntryEncyclopedia);
        let mut text = String::new();
        if in_book {
            text.push_str("In: ");
            if let Some(editors) = &editors {
                let role = if reference.editor.len() > 1 { "editors" } else { "editor" };
                text.push_str(&format!("{}, {role}. ", p(editors)));
            }
        }
        text.push_str(&p(container));
        parts.push(sentence(&text));
    } else if let Some(editors) = &editors {
        let role = if reference.editor.len() > 1 { "editors" } else { "editor" };
        parts.push(sentence(&format!("{}, {role}", p(editors))));
    }
    if let Some(edition) = &reference.edition {
        parts.push(sentence(&format!("{} ed", p(edition))));
    }
    if let Some(collection) = &reference.collection_title {
        parts.push(format!("({}).", p(collection)));
    }
    // Place: publisher; date;volume(issue):page.
    let mut imprint = String::new();
    match (&reference.publisher_place, &reference.publisher) {
        (Some(place), Some(publisher)) => imprint.push_str(&format!("{}: {}", p(place), p(publisher))),
        (None, Some(publisher)) => imprint.push_str(&p(publisher)),
        (Some(place), None) => imprint.push_str(&p(place)),
        (None, None) => {}
    }
    let date = reference.issued.as_ref().and_then(date_text);
    let accessed = reference.accessed.as_ref().and_then(date_text);
    if let Some(date) = &date {
        if !imprint.is_empty() {
            imprint.push_str("; ");
        }
        imprint.push_str(&p(date));
    }
    if let Some(accessed) = &accessed {
        if !imprint.is_empty() {
            imprint.push(' ');
        }
        imprint.push_str(&p(&format!("[cited {accessed}]")));
    }
    let mut locator = String::new();
    if let Some(volume) = &reference.volume {
        locator.push_str(&p(volume));
    }
    if let Some(issue) = &reference.issue {
        locator.push_str(&format!("({})", p(issue)));
    }
    if let Some(page) = &reference.page {
        locator.push_str(&format!(":{}", p(page)));
    }
    if !locator.is_empty() {
        if !imprint.is_empty() {
            imprint.push(';');
        }
        imprint.push_str(&locator);
    }
    if !imprint.is_empty() {
        parts.push(sentence(&imprint));
    }
    if let Some(number) = &reference.number {
        let label = if reference.kind == CslType::Report { "Report No.: " } else { "No. " };
        parts.push(sentence(&format!("{label}{}", p(number))));
    }
    if let Some(genre) = &reference.genre {
        parts.push(sentence(&p(genre)));
    }
    // Where it was found: "PubMed [pubmed.ncbi.nlm.nih.gov]", as the guides this format came from show it.
    match (&reference.archive, &reference.source) {
        (Some(archive), Some(source)) => parts.push(format!("{} {}.", p(archive), p(&format!("[{source}]")))),
        (Some(archive), None) => parts.push(sentence(&p(archive))),
        (None, Some(source)) => parts.push(format!("{}.", p(&format!("[{source}]")))),
        (None, None) => {}
    }
    if let Some(doi) = doi {
        let shown = match doi_url {
            Some(url) => out.link(doi, url),
            None => p(doi),
        };
        parts.push(format!("doi: {shown}."));
    }
    if let Some(pmid) = pmid {
        let shown = match pmid_url {
            Some(url) => out.link(pmid, url),
            None => p(pmid),
        };
        parts.push(format!("PMID: {shown}."));
    }
    if let Some(pmcid) = pmcid {
        let shown = match pmcid_url {
            Some(url) => out.link(pmcid, url),
            None => p(pmcid),
        };
        parts.push(format!("PMCID: {shown}."));
    }
    if let Some(isbn) = &reference.isbn {
        parts.push(format!("ISBN: {}.", p(isbn)));
    }
    if let Some(issn) = &reference.issn {
        parts.push(format!("ISSN: {}.", p(issn)));
    }
    if let Some(url) = &reference.url {
        parts.push(format!("Available from: {}", out.link(url, url)));
    }
    if let Some(language) = &reference.language {
        parts.push(sentence(&format!("Language: {}", p(language))));
    }
    if let Some(note) = &reference.note {
        parts.push(sentence(&p(note)));
    }

    parts.join(" ")
}

/// Ends `text` with a full stop unless it already ends with one, a question mark or an exclamation mark.
fn sentence(text: &str) -> String {
    let trimmed = text.trim_end();
    if trimmed.ends_with(['.', '?', '!']) { trimmed.to_owned() } else { format!("{trimmed}.") }
}

/// Names as Vancouver lists them: "Smith JA, van Gogh V, World Health Organization"; after six, "et al.".
fn names(names: &[CslName]) -> Option<String> {
    if names.is_empty() {
        return None;
    }
    let mut list: Vec<String> = names.iter().take(6).filter_map(name).collect();
    if list.is_empty() {
        return None;
    }
    if names.len() > 6 {
        list.push("et al".into());
    }
    Some(list.join(", "))
}

fn name(name: &CslName) -> Option<String> {
    if let Some(literal) = &name.literal {
        return Some(literal.to_string());
    }
    let family = name.family.as_ref()?;
    let mut out = String::new();
    if let Some(particle) = &name.non_dropping_particle {
        out.push_str(particle);
        out.push(' ');
    }
    out.push_str(family);
    if let Some(given) = &name.given {
        let initials: String = given
            .split([' ', '-', '.'])
            .filter_map(|part| part.chars().next())
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_uppercase)
            .collect();
        if !initials.is_empty() {
            out.push(' ');
            out.push_str(&initials);
        }
    }
    if let Some(suffix) = &name.suffix {
        out.push(' ');
        out.push_str(suffix);
    }
    Some(out)
}

/// "2014 Aug 12", "2014 Aug", "2014", or the literal date.
fn date_text(date: &CslDate) -> Option<String> {
    if let Some(parts) = &date.date_parts {
        let first = &parts[0];
        let mut text = first[0].to_string();
        if let Some(month) = first.get(1).and_then(|m| usize::try_from(*m).ok()).filter(|m| (1..=12).contains(m)) {
            text.push(' ');
            text.push_str(MONTHS[month - 1]);
            if let Some(day) = first.get(2).filter(|d| (1..=31).contains(*d)) {
                text.push_str(&format!(" {day}"));
            }
        }
        if date.circa == Some(true) {
            text = format!("c. {text}");
        }
        return Some(text);
    }
    date.literal.as_ref().map(ToString::to_string)
}

/// The CSL name of a type (`article-journal`), as serde writes it.
fn serde_kind(kind: CslType) -> String {
    match serde_json::to_value(kind) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inline::Numbering;

    fn reference(json: &str) -> Reference {
        serde_json::from_str(json).unwrap()
    }

    fn formatted(json: &str, flavor: Flavor) -> String {
        let numbering = Numbering::default();
        let writer = Writer::new(flavor, &numbering);
        view(&writer, &reference(json), 1, true, None).formatted.inline
    }

    #[test]
    fn prints_only_what_exists() {
        let json = r#"{"id": "a", "type": "article-journal", "title": "What is it?", "archive": "PMC",
                       "source": "pmc.ncbi.nlm.nih.gov"}"#;
        assert_eq!(formatted(json, Flavor::Html), "What is it? PMC [pmc.ncbi.nlm.nih.gov].");
        let json = r#"{"id": "a", "type": "webpage", "title": "x.com", "source": "x.com"}"#;
        assert_eq!(formatted(json, Flavor::Markdown), "x.com. \\[x.com\\].");
    }

    #[test]
    fn a_full_journal_article() {
        let json = r#"{"id": "a", "type": "article-journal", "title": "Aniracetam does not alter behavior",
            "author": [{"family": "Reynolds", "given": "Conner D."}, {"family": "van Gogh", "given": "Vincent",
            "non-dropping-particle": "de"}], "container-title": "PLOS One", "container-title-short": "PLoS One",
            "issued": {"date-parts": [[2017, 4, 26]]}, "volume": "12", "issue": "4", "page": "e0104443",
            "DOI": "10.1371/journal.pone.0104443", "PMID": "28445522", "PMCID": "PMC5405925"}"#;
        assert_eq!(
            formatted(json, Flavor::Html),
            "Reynolds CD, de van Gogh V. Aniracetam does not alter behavior. PLoS One. 2017 Apr 26;12(4):e0104443. \
             doi: <a href=\"https://doi.org/10.1371/journal.pone.0104443\">10.1371/journal.pone.0104443</a>. \
             PMID: <a href=\"https://pubmed.ncbi.nlm.nih.gov/28445522/\">28445522</a>. \
             PMCID: <a href=\"https://pmc.ncbi.nlm.nih.gov/articles/PMC5405925/\">PMC5405925</a>."
        );
        assert_eq!(serde_kind(CslType::ArticleJournal), "article-journal");
    }

    #[test]
    fn odd_identifiers_are_printed_but_not_linked() {
        let json = r#"{"id": "a", "type": "article", "title": "T", "PMID": "12a", "DOI": "10.1/a#b<c"}"#;
        let html = formatted(json, Flavor::Html);
        assert!(html.contains("PMID: 12a."), "{html}");
        assert!(html.contains("https://doi.org/10.1/a%23b%3Cc"), "{html}");
        assert!(html.contains(">10.1/a#b&lt;c</a>"), "{html}");
    }
}
