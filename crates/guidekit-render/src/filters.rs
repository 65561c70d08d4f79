//! The filters guidekit adds to Tera's built-in ones, registered in one place for both template engines.
//!
//! - `sentence_list`: a list of strings as English prose, `["a", "b", "c"]` → `a, b and c`.
//! - `safe_url`: a link target fit for `href` or a Markdown link: absolute `http`, `https` and `mailto` URLs
//!   and relative paths are kept, with characters that could end the attribute or the link percent-encoded;
//!   any other scheme (`javascript:`, `data:`, ...) becomes `#`. Its result is still escaped when printed.
//!
//! Tera 2 has no function that reads the environment, the clock or files (its only functions are `range`
//! and `throw`), and guidekit registers none: templates see nothing but their view.

use tera::{Kwargs, State, Tera};

/// Registers guidekit's filters on `tera`.
pub(crate) fn register(tera: &mut Tera) {
    tera.register_filter("sentence_list", sentence_list);
    tera.register_filter("safe_url", safe_url);
}

fn safe_url(url: String, _: Kwargs, _: &State) -> String {
    clean_url(&url)
}

/// The `safe_url` filter's work.
pub(crate) fn clean_url(url: &str) -> String {
    let url = url.trim();
    let scheme_end = url.find(':').filter(|&colon| !url[..colon].contains(['/', '?', '#']));
    if let Some(colon) = scheme_end {
        let scheme = url[..colon].to_ascii_lowercase();
        if !matches!(scheme.as_str(), "http" | "https" | "mailto") {
            return "#".into();
        }
    } else if url.starts_with("//") || url.starts_with('\\') {
        return "#".into();
    }
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '<' | '>' | '"' | '\'' | '(' | ')' | '\\' | '`' | '{' | '}' | '|' | '^' | ' ' => {
                let mut buf = [0u8; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
            c if c.is_control() || c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
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
