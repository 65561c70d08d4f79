//! All escaping, in one place: text for HTML and XML (the HTML writer, the SVG writer, the reference
//! formatter), text for Markdown (the Markdown templates' autoescape and the Markdown writer), and
//! percent-encoding for URLs (link targets in templates, Markdown link destinations, DOI and index links).
//!
//! Which URLs may be links at all is not decided here: that is the model's link policy,
//! [`guidekit_model::link_target`]. This module only writes what the policy let through so that it cannot
//! end the attribute, the link or the line it is written in.

/// Escapes text for HTML or XML content and attribute values (double- or single-quoted). Characters that
/// XML 1.0 does not allow, and that HTML forbids as well, are dropped.
pub(crate) fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_markup_runs(text, |run| out.push_str(run));
    out
}

/// [`escape_markup`] in pieces: `emit` receives runs of `text` that need nothing, and the replacements between
/// them. The one implementation behind [`escape_markup`] and Tera's autoescape of HTML templates
/// (`templates::write_html_escaped`), which then agree byte for byte.
///
/// It looks at bytes, not characters: every character it changes is ASCII except U+FFFE and U+FFFF, whose
/// UTF-8 starts with 0xEF, and a run is passed on whole rather than a character at a time.
pub(crate) fn escape_markup_runs<'t>(text: &'t str, mut emit: impl FnMut(&'t str)) {
    let bytes = text.as_bytes();
    let mut run_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (replacement, len): (&'static str, usize) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            byte if byte < 0x20 => ("", 1),
            // U+FFFE and U+FFFF: EF BF BE and EF BF BF.
            0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => ("", 3),
            _ => {
                i += 1;
                continue;
            }
        };
        if run_start < i {
            emit(&text[run_start..i]);
        }
        if !replacement.is_empty() {
            emit(replacement);
        }
        i += len;
        run_start = i;
    }
    if run_start < bytes.len() {
        emit(&text[run_start..]);
    }
}

/// Characters kept as they are in a URL path (besides ASCII letters and digits): the unreserved ones plus
/// the sub-delimiters, `:`, `@` and `/`. A DOI may hold `#`, `?`, `%` or spaces, which are encoded.
pub(crate) const PATH_SAFE: &[u8] = b"-._~:/;()!*'+,=@&$";

/// Characters kept as they are in a single path segment: only the unreserved ones.
pub(crate) const SEGMENT_SAFE: &[u8] = b"-._~";

/// Percent-encodes every byte of `text` that is not an ASCII letter, digit or one of `safe`.
pub(crate) fn percent_encode(text: &str, safe: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || safe.contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Escapes plain text for Markdown anywhere a line may start with it, table cells included.
pub(crate) fn escape_markdown(text: &str) -> String {
    guard_line_start(&escape_markdown_inline(text))
}

/// Escapes the characters that Markdown (with GitHub's extensions) would read as markup in running text.
pub(crate) fn escape_markdown_inline(text: &str) -> String {
    escape_markdown_text(text, true)
}

/// [`escape_markdown_inline`], leaving `|` alone where no table can be (`pipes` false).
pub(crate) fn escape_markdown_text(text: &str, pipes: bool) -> String {
    // Every character it changes is ASCII: the text between them is copied a run at a time.
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 8);
    let mut run_start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let replacement = match byte {
            b'\\' => "\\\\",
            b'`' => "\\`",
            b'*' => "\\*",
            b'_' => "\\_",
            b'[' => "\\[",
            b']' => "\\]",
            b'~' => "\\~",
            b'$' => "\\$",
            // An entity rather than `\<`, so that no `<` at all reaches the output from text.
            b'<' => "&lt;",
            b'|' if pipes => "\\|",
            // `&` only where it could start an entity (`&amp;`, `&#38;`).
            b'&' if bytes.get(i + 1).is_some_and(|n| n.is_ascii_alphanumeric() || *n == b'#') => "\\&",
            b'\n' | b'\r' => " ",
            _ => continue,
        };
        out.push_str(&text[run_start..i]);
        out.push_str(replacement);
        run_start = i + 1;
    }
    out.push_str(&text[run_start..]);
    out
}

/// Escapes what would start a block if `text` began a line: an ATX heading (`# `), a block quote (`>`), a
/// list item (`- `, `+ `, `* `, `1. `, `1) `), a thematic break or setext underline (`***`, `---`, `___`,
/// `===`) or a code fence (three backticks or tildes).
pub(crate) fn guard_line_start(text: &str) -> String {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let after = |n: usize| text[n..].chars().next();
    let spaced = |n: usize| after(n).is_none_or(|c| c == ' ' || c == '\t');
    if digits > 0 && digits <= 9 && matches!(after(digits), Some('.' | ')')) && spaced(digits + 1) {
        return format!("{}\\{}", &text[..digits], &text[digits..]);
    }
    let Some(first) = text.chars().next() else { return String::new() };
    let only = |c: char| text.chars().all(|x| x == c || x == ' ' || x == '\t');
    let run = text.chars().take_while(|&c| c == first).count();
    let block = match first {
        '>' => true,
        '#' => spaced(text.chars().take_while(|&c| c == '#').count()),
        '-' | '+' | '*' => spaced(1) || (first != '+' && only(first)),
        '_' | '=' => only(first),
        '`' | '~' => run >= 3,
        _ => false,
    };
    if block { format!("\\{text}") } else { text.to_owned() }
}

/// A code span for Markdown output: a fence of backticks longer than any run inside `code`, padded when
/// `code` starts or ends with a backtick; inside a table (`pipes`), `|` is escaped, as GitHub reads it even
/// in code.
pub(crate) fn markdown_code_span(code: &str, pipes: bool) -> String {
    let code = if pipes { code.replace('|', "\\|") } else { code.to_owned() };
    let fence = "`".repeat(longest_run(&code, '`') + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{code}{pad}{fence}")
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for ch in text.chars() {
        if ch == c {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 0;
        }
    }
    longest
}

/// A link target for an `href` or a Markdown link destination, once the link policy has allowed it:
/// characters that could end the attribute or the link, or that a URL must not hold unencoded, are
/// percent-encoded, and control characters and white space other than a space are dropped.
pub(crate) fn encode_link_target(url: &str) -> String {
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

/// A Markdown link destination from a URL that is already well formed (a model [`guidekit_model::Url`], or a
/// link from text that has no space or angle bracket): only what would end the destination is encoded.
pub(crate) fn markdown_destination(url: &str) -> String {
    url.replace('(', "%28").replace(')', "%29").replace(' ', "%20").replace('<', "%3C").replace('>', "%3E")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-at-a-time escaper `escape_markup` was before it worked on runs: the reference.
    fn escape_markup_by_chars(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
                '\u{FFFE}' | '\u{FFFF}' => {}
                c => out.push(c),
            }
        }
        out
    }

    /// `escape_markdown_text` as it was, a character at a time: the reference.
    fn escape_markdown_text_by_chars(text: &str, pipes: bool) -> String {
        let mut out = String::new();
        let chars: Vec<char> = text.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '$' => {
                    out.push('\\');
                    out.push(c);
                }
                '<' => out.push_str("&lt;"),
                '|' if pipes => out.push_str("\\|"),
                '&' if chars.get(i + 1).is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') => out.push_str("\\&"),
                '\n' | '\r' => out.push(' '),
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn markdown_text_is_escaped_in_runs_as_it_was_a_character_at_a_time() {
        let parts = ["a", "\\", "`", "*", "_", "[", "]", "~", "$", "<", "|", "&", "#", "\n", "\r", "é", "&é", " ", "1"];
        for a in parts {
            for b in parts {
                for c in ["", "x", "&"] {
                    let text = format!("{a}{b}{c}");
                    for pipes in [false, true] {
                        assert_eq!(
                            escape_markdown_text(&text, pipes),
                            escape_markdown_text_by_chars(&text, pipes),
                            "{text:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn markup_is_escaped_in_runs_as_it_was_a_character_at_a_time() {
        let parts = [
            "a", "&", "<", ">", "\"", "'", "\t", "\n", "\r", "\u{0}", "\u{1f}", " ", "é", "\u{FFFE}", "\u{FFFF}",
            "\u{FFFD}", "\u{EFBF}", "\u{F000}", "😀", "&amp;",
        ];
        for a in parts {
            for b in parts {
                for c in ["", "x", "\u{FFFF}"] {
                    let text = format!("{a}{b}{c}{a}");
                    assert_eq!(escape_markup(&text), escape_markup_by_chars(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn markup_is_escaped_and_invalid_characters_dropped() {
        assert_eq!(
            escape_markup("<a href=\"x\">'&'</a>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn urls_are_encoded_for_their_part() {
        assert_eq!(percent_encode("10.1000/a b#c", PATH_SAFE), "10.1000/a%20b%23c");
        assert_eq!(percent_encode("a b/c", SEGMENT_SAFE), "a%20b%2Fc");
    }

    #[test]
    fn markdown_escaping() {
        assert_eq!(escape_markdown("a|b *c* [d] <e> &amp; 5$"), "a\\|b \\*c\\* \\[d\\] &lt;e> \\&amp; 5\\$");
        assert_eq!(escape_markdown("3.5 mg, -1 and #1"), "3.5 mg, -1 and #1");
        assert_eq!(escape_markdown("- x"), "\\- x");
        assert_eq!(escape_markdown("# x"), "\\# x");
        assert_eq!(escape_markdown("12. x"), "12\\. x");
    }

    #[test]
    fn code_spans_outfence_their_backticks() {
        assert_eq!(markdown_code_span("a`b", false), "``a`b``");
        assert_eq!(markdown_code_span("`x|y", true), "`` `x\\|y ``");
    }

    #[test]
    fn link_targets_cannot_end_their_attribute_or_link() {
        assert_eq!(encode_link_target("https://a.org/x_(y)?q=\"1\""), "https://a.org/x_%28y%29?q=%221%22");
        assert_eq!(encode_link_target("figures/a b.svg\n"), "figures/a%20b.svg");
        assert_eq!(markdown_destination("https://a.org/x_(y)"), "https://a.org/x_%28y%29");
    }
}
