//! Optional hardening runs over public corpora in `../shared/corpora` (the Big List of Naughty Strings and
//! extra XSS vectors). A clone of the project does not have them: then each test says it is skipped.

use guidekit_render::{Format, RenderOptions, Renderer};
use guidekit_tests::root;

fn corpus(relative: &str) -> Option<String> {
    let path = root().join("../shared/corpora").join(relative);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) => {
            guidekit_tests::skips::skip(format!("{} is not present", path.display()));
            None
        }
    }
}

/// The bundled guide with `payload` in a title, a statement, a table cell, a caption, alt text and a label.
fn guide_with(payload: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("guides/aniracetam.json")).expect("bundled guide");
    let mut guide: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let line: String = payload.chars().filter(|c| !matches!(c, '\n' | '\r')).collect();
    let line = if line.trim().is_empty() { format!("x{line}") } else { line };
    let prose = format!("{payload} x");
    guide["metadata"]["title"] = line.clone().into();
    guide["hypotheses"]["items"][0]["statement"] = format!("{prose} [@cereflexlabs]").into();
    guide["data"]["tables"][0]["rows"][0]["cells"]["focus"] = prose.clone().into();
    guide["diagrams"]["items"][0]["caption"] = prose.clone().into();
    guide["diagrams"]["items"][0]["alt"] = format!("{line} and enough words to describe it").into();
    guide["publisher"]["offers"][0]["actions"][0]["label"] = line.into();
    guide["conclusion"]["text"] = prose.into();
    guide
}

/// Each payload validates without a panic and renders to HTML with no script, event handler or
/// `javascript:` link in any tag.
fn harden(payloads: &[&str]) {
    let renderer = Renderer::new(RenderOptions::default()).expect("templates");
    for payload in payloads {
        let bytes = serde_json::to_vec_pretty(&guide_with(payload)).expect("serializes");
        let report = guidekit_validate::validate(&bytes, "naughty.json");
        let Some(guide) = report.guide else { continue };
        let files = renderer.render(&guide, &[Format::Html, Format::Markdown]).expect("renders");
        let html = String::from_utf8_lossy(&files[0].contents);
        if let Some(problem) = injection(&html) {
            panic!("payload {payload:?}: {problem}");
        }
    }
}

/// What in `html` could run script: a `<script>` element, an event-handler attribute, or a `javascript:` URL.
fn injection(html: &str) -> Option<String> {
    let html = guidekit_tests::without_json_ld(html).to_lowercase();
    if html.contains("<script") {
        return Some("a <script> element".into());
    }
    for tag in html.split('<').skip(1).map(|rest| rest.split('>').next().unwrap_or_default()) {
        for (name, value) in attributes(tag) {
            if name.starts_with("on") {
                return Some(format!("an event handler in <{tag}>"));
            }
            // Text attributes (`title`, `aria-label`) may say "javascript:" harmlessly; links may not.
            let carries_url = URL_ATTRIBUTES.contains(&name.as_str()) || name == "style";
            let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
            if carries_url && value.contains("javascript:") {
                return Some(format!("a javascript: URL in <{tag}>"));
            }
        }
    }
    None
}

#[test]
fn the_injection_check_catches_what_it_must() {
    assert!(injection("<p>x <SCRIPT>alert(1)</script>").is_some());
    assert!(injection("<img src=x OnError=alert(1)>").is_some());
    assert!(injection("<a href=\"java script:alert(1)\">x</a>").is_some());
    assert!(injection("<a href=\"https://a.org\" title=\"javascript:alert(1)\">x</a> on click").is_none());
}

/// Attributes whose value a browser follows or loads as a URL.
const URL_ATTRIBUTES: &[&str] =
    &["href", "src", "xlink:href", "action", "formaction", "poster", "data", "srcset", "background", "cite", "ping"];

/// The attributes of a tag (the text between `<` and `>`), as (name, value) pairs; quoted values may hold
/// spaces and `=`.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let chars: Vec<char> = tag.chars().collect();
    let mut i = chars.iter().position(|c| c.is_whitespace()).unwrap_or(chars.len());
    let mut out = Vec::new();
    while i < chars.len() {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '/') {
            i += 1;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '=' && chars[i] != '/' {
            i += 1;
        }
        let name: String = chars[start..i].iter().collect();
        let mut value = String::new();
        if i < chars.len() && chars[i] == '=' {
            i += 1;
            if i < chars.len() && (chars[i] == '"' || chars[i] == '\'') {
                let quote = chars[i];
                i += 1;
                while i < chars.len() && chars[i] != quote {
                    value.push(chars[i]);
                    i += 1;
                }
                i += 1;
            } else {
                while i < chars.len() && !chars[i].is_whitespace() {
                    value.push(chars[i]);
                    i += 1;
                }
            }
        }
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

#[test]
fn the_attribute_reader_is_not_fooled_by_quoted_spaces() {
    let found = attributes(r#"div aria-label="research use only" onclick=x title='a = b'"#);
    let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["aria-label", "onclick", "title"]);
}

#[test]
fn naughty_strings_neither_panic_nor_inject() {
    let Some(text) = corpus("naughty-strings.json") else { return };
    let strings: Vec<String> = serde_json::from_str(&text).expect("a JSON list of strings");
    let payloads: Vec<&str> = strings.iter().map(String::as_str).filter(|s| !s.is_empty()).collect();
    assert!(payloads.len() > 400);
    harden(&payloads);
}

#[test]
fn extra_xss_vectors_neither_panic_nor_inject() {
    for file in ["xss-extra/dompurify-payloads.txt", "xss-extra/h5sc-vectors.txt", "xss-extra/owasp-xss-vectors.txt"] {
        let Some(text) = corpus(file) else { return };
        let payloads: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        harden(&payloads);
    }
}
