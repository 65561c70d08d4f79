//! The guide as schema.org JSON-LD, for the `<script type="application/ld+json">` block of its HTML page: a
//! `ScholarlyArticle` about a `ChemicalSubstance`, with its authors, publisher and `citation` list, so that
//! search engines and reference managers read the page as a citable work.
//!
//! It is data, never run: the page's Content-Security-Policy allows no script, and every `<`, `>` and `&` in
//! the JSON is written as a `\u` escape, so no text can close the element (`</script>`) or open a comment.
//! Only what the guide states goes in; absent fields are left out.

use guidekit_model::{Author, CslName, Guide, Reference, walk};
use serde_json::{Map, Value, json};

/// The JSON-LD text, safe inside a `<script>` element.
pub(crate) fn json_ld(guide: &Guide) -> String {
    let meta = &guide.metadata;
    let mut article = Map::new();
    article.insert("@context".into(), "https://schema.org".into());
    article.insert("@type".into(), "ScholarlyArticle".into());
    article.insert("headline".into(), meta.title.to_string().into());
    if let Some(subtitle) = &meta.subtitle {
        article.insert("alternativeHeadline".into(), subtitle.to_string().into());
    }
    article.insert("inLanguage".into(), meta.language.to_string().into());
    article.insert("datePublished".into(), meta.published.to_string().into());
    if let Some(version) = &meta.version {
        article.insert("version".into(), version.to_string().into());
    }
    if let Some(url) = &meta.url {
        article.insert("url".into(), url.to_string().into());
    }
    if !meta.keywords.is_empty() {
        article.insert("keywords".into(), meta.keywords.iter().map(ToString::to_string).collect::<Vec<_>>().into());
    }
    let authors: Vec<Value> = meta
        .authors
        .iter()
        .map(|author| match author {
            Author::Person { .. } => json!({"@type": "Person", "name": author.display_name()}),
            Author::Organization { .. } => json!({"@type": "Organization", "name": author.display_name()}),
        })
        .collect();
    article.insert("author".into(), authors.into());
    let subject = &guide.compound.subject;
    let mut about = Map::new();
    about.insert("@type".into(), "ChemicalSubstance".into());
    about.insert("name".into(), subject.name.to_string().into());
    if !subject.synonyms.is_empty() {
        about.insert(
            "alternateName".into(),
            subject.synonyms.iter().map(ToString::to_string).collect::<Vec<_>>().into(),
        );
    }
    if let Some(cas) = &subject.identifiers.cas {
        about.insert(
            "identifier".into(),
            json!({"@type": "PropertyValue", "propertyID": "CAS", "value": cas.to_string()}),
        );
    }
    article.insert("about".into(), about.into());
    if let Some(publisher) = &guide.publisher {
        let mut organization = Map::new();
        organization.insert("@type".into(), "Organization".into());
        organization.insert("name".into(), publisher.name.to_string().into());
        if let Some(email) = &publisher.email {
            organization.insert("email".into(), email.to_string().into());
        }
        if let Some(url) = &publisher.url {
            organization.insert("url".into(), url.to_string().into());
        }
        article.insert("publisher".into(), organization.into());
    }
    let citations: Vec<Value> = walk::reference_numbers(guide).iter().map(|n| work(n.reference)).collect();
    if !citations.is_empty() {
        article.insert("citation".into(), citations.into());
    }
    script_safe(&Value::Object(article).to_string())
}

/// A reference as a schema.org `CreativeWork`, with its identifiers as `sameAs` links.
fn work(reference: &Reference) -> Value {
    let mut work = Map::new();
    work.insert("@type".into(), "CreativeWork".into());
    work.insert("name".into(), reference.title.to_string().into());
    let authors: Vec<Value> = reference.author.iter().filter_map(agent).collect();
    if !authors.is_empty() {
        work.insert("author".into(), authors.into());
    }
    if let Some(container) = &reference.container_title {
        work.insert("isPartOf".into(), json!({"@type": "CreativeWork", "name": container.to_string()}));
    }
    if let Some(url) = &reference.url {
        work.insert("url".into(), url.to_string().into());
    }
    // The same links the reference list gives, for the identifiers that have one.
    let ids = crate::references::identifiers(reference);
    let same_as: Vec<String> = [ids.doi_url, ids.pmid_url, ids.pmcid_url].into_iter().flatten().collect();
    if !same_as.is_empty() {
        work.insert("sameAs".into(), same_as.into());
    }
    work.into()
}

/// A CSL name as a schema.org `Person` (family and given names) or `Organization` (a literal, CSL's form for
/// an institution).
fn agent(name: &CslName) -> Option<Value> {
    if let Some(literal) = &name.literal {
        return Some(json!({"@type": "Organization", "name": literal.to_string()}));
    }
    let family = name.family.as_ref()?;
    let family = match &name.non_dropping_particle {
        Some(particle) => format!("{particle} {family}"),
        None => family.to_string(),
    };
    let mut person = Map::new();
    person.insert("@type".into(), "Person".into());
    let full = match &name.given {
        Some(given) => {
            person.insert("givenName".into(), given.to_string().into());
            format!("{given} {family}")
        }
        None => family.clone(),
    };
    person.insert("familyName".into(), family.into());
    person.insert("name".into(), full.into());
    Some(person.into())
}

/// JSON whose text cannot end a `<script>` element or start an HTML comment: `<`, `>` and `&` (which can only
/// appear inside strings) become `\u` escapes, which every JSON parser reads back as the same characters.
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cannot_leave_the_script_element() {
        let safe = script_safe(r#"{"name":"</script><script>alert(1)</script><!-- & -->"}"#);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'), "{safe}");
        let back: Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back["name"], "</script><script>alert(1)</script><!-- & -->");
    }
}
