//! Escaping for markup and URLs, shared by the HTML writer, the SVG writer and the reference formatter.

/// Escapes text for HTML or XML content and attribute values (double- or single-quoted). Characters that
/// XML 1.0 does not allow, and that HTML forbids as well, are dropped.
pub(crate) fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
