//! Typst escaping: the one place where text becomes Typst source. Text goes into markup as literal text
//! ([`markup`]), into string literals ([`string`]), or names a label ([`label`]); nothing from a guide is
//! ever written into Typst code unescaped, so no guide can run Typst code, import a package or read a file.

/// `text` as literal Typst markup: every character that starts markup syntax is escaped with `\`.
///
/// Escaped always: `\ # $ * _ @ < > [ ] ` ~ ' " - / = + :` (code, math, strong, emphasis, references,
/// labels, content blocks, raw, the shorthands `~`, `--`, `---`, `-?`, smart quotes, comments, headings, list
/// and term markers, emoji-like `:` runs). `.` is escaped at the start of the text (where it could continue an
/// embedded expression written just before, `#emph[x].y`), before another `.` (the `...` shorthand) and after
/// a digit (`1.` starts a numbered list). `(` is escaped at the start, where it could be taken as the
/// arguments of such an expression. Line breaks and tabs become spaces (markup folds white space anyway);
/// other control characters are written as `\u{..}` escapes.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut previous: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let first = previous.is_none();
        match c {
            '\\' | '#' | '$' | '*' | '_' | '@' | '<' | '>' | '[' | ']' | '`' | '~' | '\'' | '"' | '-' | '/' | '='
            | '+' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '.' if first || chars.peek() == Some(&'.') || previous.is_some_and(|p| p.is_ascii_digit()) => {
                out.push_str("\\.");
            }
            '(' if first => out.push_str("\\("),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
        previous = Some(c);
    }
    out
}

/// `text` as a Typst string literal, quotes included: `"a \"b\""`.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An HTML anchor (`ref-1`, `tbl-<id>`) as a Typst label, `<...>` included. Label syntax allows letters,
/// digits, `-`, `_`, `.` and `:`; any other character, and `.` itself, is written as `.<hex>.`, so that two
/// different anchors never give the same label.
pub fn label(anchor: &str) -> String {
    let mut out = String::from("<");
    for c in anchor.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else {
            out.push_str(&format!(".{:x}.", u32::from(c)));
        }
    }
    out.push('>');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        assert_eq!(markup(input), expect, "{input:?}");
    }

    #[test]
    fn every_special_is_escaped() {
        check("#let x = 1", "\\#let x \\= 1");
        check("$x$ *b* _i_ @ref <l> [c] `r` \\", "\\$x\\$ \\*b\\* \\_i\\_ \\@ref \\<l\\> \\[c\\] \\`r\\` \\\\");
        check("a ~ b -- c --- d -? e -1", "a \\~ b \\-\\- c \\-\\-\\- d \\-? e \\-1");
        check("it's \"quoted\"", "it\\'s \\\"quoted\\\"");
        check("// not a comment /* nor this */", "\\/\\/ not a comment \\/\\* nor this \\*\\/");
        check("= heading + item - item / term: x", "\\= heading \\+ item \\- item \\/ term\\: x");
        check("https://example.com", "https\\:\\/\\/example.com");
        check("1. first... 2.5", "1\\. first\\.\\.. 2\\.5");
        check(".field (args)", "\\.field (args)");
        check("(args)", "\\(args)");
        check("line\nbreak\ttab", "line break tab");
        check("bell\u{7}", "bell\\u{7}");
        check("71 ± 8 years, Amyloid-β", "71 ± 8 years, Amyloid\\-β");
    }

    #[test]
    fn strings_and_labels() {
        assert_eq!(string("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c\\nd\"");
        assert_eq!(label("ref-1"), "<ref-1>");
        assert_eq!(label("tbl-a.b c"), "<tbl-a.2e.b.20.c>");
        assert_ne!(label("a.2e."), label("a."));
    }
}
