//! DOT's tokens, split the way Graphviz's own scanner (`lib/cgraph/scan.l`) splits them, with byte spans.
//!
//! Where Graphviz is lenient we are too, so that what `dot` accepts we accept: a number run into a name
//! (`1abc`) is two tokens, as Graphviz splits it (with a warning); a backslash before a line break inside a
//! quoted string continues the line (`"ima\⏎ge"` is `image`).

use std::borrow::Cow;
use std::ops::Range;

use super::{DotError, IdKind};

/// Punctuation and operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Punct {
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Equals,
    Semi,
    Comma,
    Colon,
    Plus,
    /// `->`
    Arrow,
    /// `--`
    Line,
}

impl Punct {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Punct::LBrace => "{",
            Punct::RBrace => "}",
            Punct::LBracket => "[",
            Punct::RBracket => "]",
            Punct::Equals => "=",
            Punct::Semi => ";",
            Punct::Comma => ",",
            Punct::Colon => ":",
            Punct::Plus => "+",
            Punct::Arrow => "->",
            Punct::Line => "--",
        }
    }
}

/// DOT's keywords, which are never ids. Graphviz reads them in any case (`DiGraph`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keyword {
    Strict,
    Graph,
    Digraph,
    Node,
    Edge,
    Subgraph,
}

impl Keyword {
    /// The keyword `name` spells, in any case.
    fn of(name: &str) -> Option<Keyword> {
        // Every keyword is 4 to 8 bytes long: most names are decided by their length alone.
        if !(4..=8).contains(&name.len()) {
            return None;
        }
        [
            ("strict", Keyword::Strict),
            ("graph", Keyword::Graph),
            ("digraph", Keyword::Digraph),
            ("node", Keyword::Node),
            ("edge", Keyword::Edge),
            ("subgraph", Keyword::Subgraph),
        ]
        .into_iter()
        .find_map(|(word, keyword)| name.eq_ignore_ascii_case(word).then_some(keyword))
    }
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tok {
    /// An id (its text is [`Lexed::text`]).
    Id(IdKind),
    /// A keyword.
    Keyword(Keyword),
    Punct(Punct),
}

/// A token and where it is in the source, in 16 bytes (48 when each carried its text and a `Range`): a diagram
/// is mostly tokens, each written once by the lexer and read by the parser. Its text is cut from the source
/// when the parser asks for it ([`Lexed::text`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct Token {
    pub tok: Tok,
    /// Byte offsets in the source; [`lex`] refuses a source of 4 GiB or more.
    start: u32,
    end: u32,
    /// The index of its text in [`Lexed::resolved`] for a quoted string with an escape resolved, else [`NONE`].
    resolved: u32,
}

const NONE: u32 = u32::MAX;

impl Token {
    fn new(tok: Tok, span: Range<usize>) -> Token {
        // `lex` checked that every offset fits.
        Token { tok, start: span.start as u32, end: span.end as u32, resolved: NONE }
    }

    /// Where it is in the source, quotes included.
    pub fn span(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A source's tokens, and the texts of the strings whose escapes had to be resolved.
pub(super) struct Lexed<'a> {
    source: &'a str,
    pub tokens: Vec<Token>,
    resolved: Vec<String>,
    pub counts: Counts,
}

impl<'a> Lexed<'a> {
    /// The text of the id `token`: unquoted, escapes of quotes and line continuations applied, other escapes
    /// kept; borrowed from the source unless an escape had to be resolved, in which case it is taken (a token's
    /// resolved text is asked for once).
    // Always inlined, as are the parser's `id`, `id_parts` and `Assignments::insert`: returned or passed
    // through memory, a text or an id was read back whole before its parts had been written, a stall of the
    // processor that `perf annotate` shows and callgrind, which counts instructions, cannot. Inlining the four
    // parsed the bench's 758 diagrams 29% faster (150 -> 107 ms for 20 passes), in about as many instructions.
    #[inline(always)]
    pub fn text(&mut self, token: Token) -> Cow<'a, str> {
        if token.resolved != NONE {
            return Cow::Owned(std::mem::take(&mut self.resolved[token.resolved as usize]));
        }
        let span = token.span();
        let source: &'a str = self.source;
        match token.tok {
            Tok::Id(IdKind::Quoted | IdKind::Html) => Cow::Borrowed(&source[span.start + 1..span.end - 1]),
            _ => Cow::Borrowed(&source[span]),
        }
    }

    /// The text of `token` as messages quote it, without taking it.
    pub fn quoted(&self, token: Token) -> &str {
        if token.resolved != NONE {
            return &self.resolved[token.resolved as usize];
        }
        let span = token.span();
        match token.tok {
            Tok::Id(IdKind::Quoted | IdKind::Html) => &self.source[span.start + 1..span.end - 1],
            _ => &self.source[span],
        }
    }
}

/// Bytes that start a name: letters, `_`, any byte of a non-ASCII character.
const fn is_letter(b: u8) -> bool {
    b == b'_' || b.is_ascii_alphabetic() || b >= 0x80
}

/// Bytes that continue a name (what starts one, and digits), looked up in one step: names are most of a
/// diagram's bytes.
static NAME_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = is_letter(byte) || byte.is_ascii_digit();
        b += 1;
    }
    table
};

/// How many tokens of the kinds the parser sizes its vectors by.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Counts {
    /// `=`: one attribute each.
    pub equals: usize,
    /// `->` and `--`: at least one edge each.
    pub edge_ops: usize,
    /// Ids: names, numbers and strings.
    pub ids: usize,
}

/// Splits `source` into tokens, and counts some of them on the way.
pub(super) fn lex(source: &str) -> Result<Lexed<'_>, DotError> {
    if u32::try_from(source.len()).is_err() {
        return Err(DotError::new(0, "a DOT source of 4 GiB or more"));
    }
    let bytes = source.as_bytes();
    let mut resolved = Vec::new();
    // Rarely more than one token per four bytes in typical diagrams: one allocation instead of a dozen regrowths.
    let mut tokens = Vec::with_capacity(source.len() / 4);
    let mut counts = Counts::default();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            // Output of the C preprocessor (`# 1 "file"`), which Graphviz skips; it skips a `#` and the rest
            // of its line anywhere, in fact.
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        let start = i;
        let rest = &bytes[i..];
        if rest.starts_with(b"//") {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if rest.starts_with(b"/*") {
            match source[i + 2..].find("*/") {
                Some(end) => i += 2 + end + 2,
                None => return Err(DotError::new(start, "comment `/*` is never closed with `*/`")),
            }
            continue;
        }
        let punct = match b {
            b'{' => Some(Punct::LBrace),
            b'}' => Some(Punct::RBrace),
            b'[' => Some(Punct::LBracket),
            b']' => Some(Punct::RBracket),
            b'=' => Some(Punct::Equals),
            b';' => Some(Punct::Semi),
            b',' => Some(Punct::Comma),
            b':' => Some(Punct::Colon),
            b'+' => Some(Punct::Plus),
            b'-' if rest.get(1) == Some(&b'>') => Some(Punct::Arrow),
            b'-' if rest.get(1) == Some(&b'-') => Some(Punct::Line),
            _ => None,
        };
        if let Some(p) = punct {
            match p {
                Punct::Equals => counts.equals += 1,
                Punct::Arrow | Punct::Line => counts.edge_ops += 1,
                _ => {}
            }
            i += p.as_str().len();
            tokens.push(Token::new(Tok::Punct(p), start..i));
            continue;
        }
        // Whatever else starts here is an id, or a keyword, or an error.
        let tok = match b {
            b'"' => {
                i += 1;
                // Most strings have no backslash: borrowed as they are.
                let closing = memchr::memchr2(b'"', b'\\', &bytes[i..]).map(|n| i + n);
                if let Some(end) = closing.filter(|&end| bytes[end] == b'"') {
                    counts.ids += 1;
                    tokens.push(Token::new(Tok::Id(IdKind::Quoted), start..end + 1));
                    i = end + 1;
                    continue;
                }
                let mut text = String::new();
                loop {
                    match bytes.get(i) {
                        None => return Err(DotError::new(start, "string is never closed with `\"`")),
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\\') => match bytes.get(i + 1) {
                            Some(b'"') => {
                                text.push('"');
                                i += 2;
                            }
                            Some(b'\\') => {
                                text.push_str("\\\\");
                                i += 2;
                            }
                            // A line continuation.
                            Some(b'\n') => i += 2,
                            _ => {
                                text.push('\\');
                                i += 1;
                            }
                        },
                        Some(_) => {
                            let run = memchr::memchr2(b'"', b'\\', &bytes[i..]).map_or(source.len(), |n| i + n);
                            text.push_str(&source[i..run]);
                            i = run;
                        }
                    }
                }
                counts.ids += 1;
                resolved.push(text);
                let index = u32::try_from(resolved.len() - 1).expect("fewer strings than bytes");
                tokens.push(Token { resolved: index, ..Token::new(Tok::Id(IdKind::Quoted), start..i) });
                continue;
            }
            b'<' => {
                let mut depth = 0usize;
                loop {
                    match bytes.get(i) {
                        None => return Err(DotError::new(start, "HTML string is never closed with `>`")),
                        Some(b'<') => depth += 1,
                        Some(b'>') => {
                            depth -= 1;
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        Some(_) => {}
                    }
                    i += 1;
                }
                Tok::Id(IdKind::Html)
            }
            _ if b == b'-' || b == b'.' || b.is_ascii_digit() => {
                // `-?(digits(.digits*)?|.digits)`; whatever follows starts the next token.
                if b == b'-' {
                    i += 1;
                }
                let digits = |i: &mut usize| {
                    let from = *i;
                    while *i < bytes.len() && bytes[*i].is_ascii_digit() {
                        *i += 1;
                    }
                    *i > from
                };
                let ok = if bytes.get(i) == Some(&b'.') {
                    i += 1;
                    digits(&mut i)
                } else if digits(&mut i) {
                    if bytes.get(i) == Some(&b'.') {
                        i += 1;
                        digits(&mut i);
                    }
                    true
                } else {
                    false
                };
                if !ok {
                    return Err(DotError::new(start, format!("unexpected `{}`", &source[start..i.max(start + 1)])));
                }
                Tok::Id(IdKind::Number)
            }
            _ if is_letter(b) => {
                i += 1 + bytes[i + 1..].iter().position(|&b| !NAME_BYTE[b as usize]).unwrap_or(bytes.len() - i - 1);
                let name = &source[start..i];
                match Keyword::of(name) {
                    Some(keyword) => Tok::Keyword(keyword),
                    None => Tok::Id(IdKind::Name),
                }
            }
            _ => {
                let c = source[i..].chars().next().unwrap_or('?');
                return Err(DotError::new(start, format!("unexpected character `{}`", c.escape_debug())));
            }
        };
        if matches!(tok, Tok::Id(..)) {
            counts.ids += 1;
        }
        tokens.push(Token::new(tok, start..i));
    }
    Ok(Lexed { source, tokens, resolved, counts })
}
