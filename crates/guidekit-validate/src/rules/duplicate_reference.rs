//! GK103 `duplicate-reference`: two references to the same work.

use super::{Checker, Rule, Stage};
use crate::Severity::Warning;
use crate::Related;
use guidekit_model::Line;
use std::borrow::Cow;
use std::collections::HashMap;

/// Keys seen so far; foldhash, seeded per process, hashes short keys several times faster than SipHash.
type FirstWith<'g> = HashMap<Cow<'g, str>, usize, foldhash::fast::RandomState>;

pub(crate) const RULE: Rule = Rule {
    code: "GK103",
    name: "duplicate-reference",
    severity: Warning,
    stage: Stage::Domain,
    explanation: "Two references appear to be the same work: they share a DOI, PMID or PMCID, or have the same title once case and punctuation are ignored. Sources sometimes cite one article in two places (as the Aniracetam seed does with its references 6 and 7); usually one entry should go. Allow the rule in `guidekit.toml` if the duplication is deliberate.",
    example: r#"{"references": {"0": {"DOI": "10.1371/journal.pone.0104443"}, "1": {"DOI": "10.1371/journal.pone.0104443"}}}"#,
    check: Some(check),
};

fn normalised_title(title: &str) -> String {
    if title.is_ascii() {
        // The same letters, by bytes: for ASCII, Unicode's alphanumerics and lowercase are ASCII's. Every byte
        // is written and only a kept one advances the end, without a branch: titles are most of what the rule
        // reads.
        let mut bytes = vec![0; title.len()];
        let mut len = 0;
        for &b in title.as_bytes() {
            let folded = TITLE_BYTE[usize::from(b)];
            bytes[len] = folded;
            len += usize::from(folded != 0);
        }
        bytes.truncate(len);
        return String::from_utf8(bytes).unwrap_or_default();
    }
    title.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// A byte of an ASCII title as it is compared: letters in lower case, digits as they are, anything else 0
/// (dropped). Sized for every byte, so that a lookup needs no bounds check.
static TITLE_BYTE: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if byte.is_ascii_alphanumeric() {
            table[b] = byte.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// An identifier as the rule compares it: trimmed, ASCII letters in lower case; borrowed when it is already
/// (a PMID always is).
fn identifier_key(value: &Option<Line>) -> Option<Cow<'_, str>> {
    let trimmed = value.as_ref()?.trim();
    Some(if trimmed.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(trimmed.to_ascii_lowercase())
    } else {
        Cow::Borrowed(trimmed)
    })
}

fn check(c: &mut Checker<'_, '_>) {
    let references = &c.guide.references;
    let same = |a: &Option<Line>, b: &Option<Line>| matches!((a, b), (Some(a), Some(b)) if a.trim().eq_ignore_ascii_case(b.trim()));
    // For each way two references can be the same work (DOI, PMID, PMCID, title), the first reference with
    // each key: a later reference's earliest match is the smallest of its four lookups, in one pass, each key
    // hashed once (its entry is the earlier reference's, or becomes this one's).
    let mut first: [FirstWith<'_>; 4] = std::array::from_fn(|_| {
        HashMap::with_capacity_and_hasher(references.len(), foldhash::fast::RandomState::default())
    });
    for (j, later) in references.iter().enumerate() {
        let keys = [
            identifier_key(&later.doi),
            identifier_key(&later.pmid),
            identifier_key(&later.pmcid),
            Some(Cow::Owned(normalised_title(&later.title))),
        ];
        let mut earliest: Option<usize> = None;
        for (key, first) in keys.into_iter().zip(&mut first) {
            if let Some(key) = key {
                let i = *first.entry(key).or_insert(j);
                if i != j {
                    earliest = Some(earliest.map_or(i, |e| e.min(i)));
                }
            }
        }
        if let Some(i) = earliest {
            let earlier = &references[i];
            let reason = if same(&earlier.doi, &later.doi) {
                "the same DOI"
            } else if same(&earlier.pmid, &later.pmid) {
                "the same PMID"
            } else if same(&earlier.pmcid, &later.pmcid) {
                "the same PMCID"
            } else {
                "the same title"
            };
            let d = c.emit(
                &RULE,
                format!("/references/{j}"),
                format!("references `{}` and `{}` look like the same work: they have {reason}", earlier.id, later.id),
            );
            d.related.push(Related {
                message: format!("`{}` is here", earlier.id),
                pointer: format!("/references/{i}"),
                span: None,
            });
            d.hints.push("keep one and cite it everywhere, or allow GK103 if both entries are deliberate".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalised_title;

    #[test]
    fn titles_compare_without_case_space_and_punctuation() {
        assert_eq!(normalised_title("Aniracetam: A Review (2nd ed.)"), "aniracetamareview2nded");
        assert_eq!(normalised_title("ANIRACETAM -- a review, 2nd ed"), normalised_title("Aniracetam: A Review (2nd ed.)"));
        assert_eq!(normalised_title(" .,;- "), "");
        // Beyond ASCII, Unicode's letters and lower case.
        assert_eq!(normalised_title("Étude — ÄNDERUNG 3"), "étudeänderung3");
    }
}
