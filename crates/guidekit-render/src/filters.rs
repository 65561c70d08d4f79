//! The filters guidekit adds to Tera's built-in ones, registered in one place ([`register`]) for both template
//! engines, and documented there: that list is the filters' reference for theme authors.
//!
//! Tera 2 has no function that reads the environment, the clock or files (its only functions are `range`
//! and `throw`), and guidekit registers none: templates see nothing but their view.

use guidekit_model::{LinkTarget, link_target};
use tera::{Kwargs, State, Tera};

use crate::escape::encode_link_target;

/// Registers guidekit's filters on `tera`. Each one:
///
/// - `safe_url`: a link target fit for `href` or a Markdown link destination. The model's link policy
///   ([`guidekit_model::link_target`]) decides: absolute `http`, `https` and `mailto` URLs and relative paths
///   are kept, any other scheme (`javascript:`, `data:`, ...) and protocol-relative `//host` become `#`.
///   What is kept is percent-encoded where it could end the attribute or the link (`"`, `'`, `<`, `>`, `(`,
///   `)`, spaces, ...). Its result is still escaped when printed. Every URL a template prints goes through
///   it: `{{ a.url | safe_url }}`, `{{ ("mailto:" ~ email) | safe_url }}`.
/// - `sentence_list`: a list of strings as English prose, `["a", "b", "c"]` → `a, b and c`; each item is
///   still escaped when printed.
pub(crate) fn register(tera: &mut Tera) {
    tera.register_filter("safe_url", safe_url);
    tera.register_filter("sentence_list", sentence_list);
}

fn safe_url(url: String, _: Kwargs, _: &State) -> String {
    clean_url(&url)
}

/// The `safe_url` filter's work: the model's link policy decides, [`crate::escape`] writes.
pub(crate) fn clean_url(url: &str) -> String {
    match link_target(url) {
        LinkTarget::Refused => "#".into(),
        LinkTarget::Absolute | LinkTarget::Relative => encode_link_target(url.trim()),
    }
}

fn sentence_list(items: Vec<String>, _: Kwargs, _: &State) -> String {
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_prose() {
        let mut tera = Tera::new();
        register(&mut tera);
        tera.add_raw_template("t", "{{ a | sentence_list }}|{{ b | sentence_list }}|{{ c | sentence_list }}").unwrap();
        let mut context = tera::Context::new();
        context.insert("a", &["x"]);
        context.insert("b", &["x", "y"]);
        context.insert("c", &["x", "y", "z"]);
        assert_eq!(tera.render("t", &context).unwrap(), "x|x and y|x, y and z");
    }

    #[test]
    fn urls_keep_to_safe_schemes() {
        let check = clean_url;
        assert_eq!(check("https://a.org/x_(y)?q=\"1\""), "https://a.org/x_%28y%29?q=%221%22");
        assert_eq!(check("mailto:info@benchchem.com"), "mailto:info@benchchem.com");
        assert_eq!(check("figures/a b.svg"), "figures/a%20b.svg");
        for bad in ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//evil.org/x", "vbscript:x"] {
            assert_eq!(check(bad), "#", "{bad}");
        }
    }
}
