//! The template contract from a theme's side: a theme that overrides one block of `guide-base.html` and
//! `guide-base.md` (`tests/fixtures/theme`) changes that section and nothing else.

use guidekit_model::Guide;
use guidekit_render::{Format, RenderOptions, Renderer};
use guidekit_tests::{read_json, root};

/// The fixture with every field, so that every block of the base templates is rendered.
fn guide() -> Guide {
    serde_json::from_value(read_json(&root().join("tests/fixtures/schema/valid/every-field.json")))
        .expect("the fixture reads into the model")
}

fn page(templates: Option<&str>, format: Format) -> String {
    let options = RenderOptions { templates: templates.map(|dir| root().join(dir)), ..RenderOptions::default() };
    let renderer = Renderer::new(options).expect("the templates load");
    let files = renderer.render(&guide(), &[format]).expect("renders");
    String::from_utf8(files[0].contents.clone()).expect("UTF-8")
}

/// The part of `page` from `start` up to (not including) `end`, which follows it.
fn section<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page.find(start).unwrap_or_else(|| panic!("no {start:?} in {page}"));
    let to = from + page[from..].find(end).unwrap_or_else(|| panic!("no {end:?} after {start:?}"));
    &page[from..to]
}

/// Renders the fixture with the built-in templates and with the theme, and snapshots the theme's page. The
/// pages must be equal once the built-in section (from `was` to `next`) is swapped for the theme's (from
/// `now` to `next`): the theme changed that one section and nothing else.
fn check(format: Format, snapshot: &str, was: &str, now: &str, next: &str) {
    let built_in = page(None, format);
    let themed = page(Some("tests/fixtures/theme"), format);
    let (old, new) = (section(&built_in, was, next), section(&themed, now, next));
    assert!(old.contains("Second paragraph") && new.contains("Second paragraph"), "{old:?} -> {new:?}");
    assert_eq!(built_in.replacen(old, new, 1), themed, "more than the overridden section changed");
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(snapshot, themed);
    });
}

#[test]
fn a_one_block_theme_changes_one_section_in_html() {
    check(
        Format::Html,
        "theme.html",
        "\n\n<section id=\"conclusion\"",
        "\n\n<aside class=\"conclusion\"",
        "\n\n<section id=\"references\"",
    );
}

#[test]
fn a_one_block_theme_changes_one_section_in_markdown() {
    check(Format::Markdown, "theme.md", "\n\n## Summary", "\n\n> **Summary**", "\n\n## References");
}
