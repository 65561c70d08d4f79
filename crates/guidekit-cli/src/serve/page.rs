//! What `serve` changes in a page as it sends it, and the page it shows for a guide with errors.
//!
//! Built pages run no script and their Content-Security-Policy allows none. A served page gets one inline
//! script, [`RELOAD_SCRIPT`], which listens for rebuilds; its policy is rewritten to allow exactly that script
//! (by its SHA-256, not `'unsafe-inline'`) and connections to this server. Nothing on disk changes: the
//! output folder holds what `build` writes.

use std::sync::LazyLock;

use super::sha256::sha256;

/// The path of the server-sent events that announce rebuilds. It starts with a dot, which no guide's folder
/// does, and the file server answers no path with a dot-segment, so it can name no file.
pub const EVENTS_PATH: &str = "/.guidekit/events";

/// The reload script: the generation of the page it was served in is on its element; the server sends the
/// current generation of the page's folder on connect and after each rebuild, and a different one reloads
/// the page. Constant, so its hash is one.
pub const RELOAD_SCRIPT: &str = r#"(() => {
  const seen = document.currentScript.dataset.generation;
  const events = new EventSource("/.guidekit/events?page=" + encodeURIComponent(location.pathname));
  events.onmessage = (event) => {
    if (event.data !== seen) {
      events.close();
      location.reload();
    }
  };
})();"#;

/// `'sha256-…'`, the CSP source that names [`RELOAD_SCRIPT`].
pub static SCRIPT_SOURCE: LazyLock<String> =
    LazyLock::new(|| format!("'sha256-{}'", data_encoding::BASE64.encode(&sha256(RELOAD_SCRIPT.as_bytes()))));

/// Directives that the served policy sets itself; the page's own are dropped.
const REPLACED: &[&str] = &["script-src", "script-src-elem", "script-src-attr", "connect-src"];

/// `html` as served: every Content-Security-Policy meta rewritten to allow the reload script, and the
/// script, carrying `generation`, before `</body>` (or at the end).
pub fn live(html: &[u8], generation: u64) -> Vec<u8> {
    let mut out = rewrite_policies(html);
    let script = format!("<script data-generation=\"{generation}\">{RELOAD_SCRIPT}</script>\n");
    let at = rfind_ascii_case_insensitive(&out, b"</body").unwrap_or(out.len());
    out.splice(at..at, script.into_bytes());
    out
}

/// The policy `policy` with the reload script and its connection allowed, and nothing else changed.
pub fn with_reload(policy: &str) -> String {
    let mut directives: Vec<String> = policy
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .filter(|d| {
            let name = d.split_ascii_whitespace().next().unwrap_or_default().to_ascii_lowercase();
            !REPLACED.contains(&name.as_str())
        })
        .map(str::to_owned)
        .collect();
    directives.push(format!("script-src {}", *SCRIPT_SOURCE));
    directives.push("connect-src 'self'".to_owned());
    directives.join("; ")
}

/// Rewrites the `content` of each `<meta http-equiv="Content-Security-Policy">`. A page without one keeps
/// having none (its theme chose so; the reload script runs under no policy).
fn rewrite_policies(html: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len() + 512);
    let mut rest = html;
    while let Some(start) = find_ascii_case_insensitive(rest, b"<meta") {
        let Some(len) = rest[start..].iter().position(|&b| b == b'>') else { break };
        let tag = &rest[start..start + len + 1];
        out.extend_from_slice(&rest[..start]);
        match rewrite_meta(tag) {
            Some(rewritten) => out.extend_from_slice(rewritten.as_bytes()),
            None => out.extend_from_slice(tag),
        }
        rest = &rest[start + len + 1..];
    }
    out.extend_from_slice(rest);
    out
}

/// A CSP meta tag with its policy rewritten, or `None` for any other tag.
fn rewrite_meta(tag: &[u8]) -> Option<String> {
    let tag = std::str::from_utf8(tag).ok()?;
    let lower = tag.to_ascii_lowercase();
    if !lower.contains("content-security-policy") || !lower.contains("http-equiv") {
        return None;
    }
    let at = lower.find("content=")? + "content=".len();
    let quote = tag[at..].chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let end = at + 1 + tag[at + 1..].find(quote)?;
    let policy = with_reload(&tag[at + 1..end]);
    // The new sources hold single quotes only, so they fit a double-quoted value; in a single-quoted one
    // they are written as references.
    let policy = if quote == '\'' { policy.replace('\'', "&#39;") } else { policy };
    Some(format!("{}{quote}{policy}{quote}{}", &tag[..at], &tag[end + 1..]))
}

fn find_ascii_case_insensitive(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

fn rfind_ascii_case_insensitive(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w.eq_ignore_ascii_case(needle))
}

/// The page shown instead of a guide that cannot be built: its diagnostics as the human report prints them
/// (with `file:line:col`), escaped, under the same policy as built pages. Fixing the file brings the guide
/// back, since the reload script is added to this page too.
pub fn error_page(file: &str, report: &str) -> Vec<u8> {
    let file = guidekit_render::escape_html(file);
    let report = guidekit_render::escape_html(report);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n\
<title>{file} has errors · guidekit serve</title>\n\
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}}\
pre{{background:#f6f6f6;border-left:4px solid #b00020;overflow-x:auto;padding:1rem;font-size:.875rem}}</style>\n\
</head>\n<body>\n<main>\n<h1><code>{file}</code> cannot be built</h1>\n\
<p>Fix the file and save it: this page follows.</p>\n<pre id=\"guidekit-diagnostics\">{report}</pre>\n</main>\n</body>\n</html>\n"
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(html: &str, expect: &str) {
        let served = String::from_utf8(live(html.as_bytes(), 7)).expect("UTF-8");
        let expect = expect
            .replace("QUOTED_HASH", &SCRIPT_SOURCE.replace('\'', "&#39;"))
            .replace("HASH", &SCRIPT_SOURCE)
            .replace("SCRIPT", RELOAD_SCRIPT);
        assert_eq!(served, expect);
    }

    #[test]
    fn the_policy_names_the_script_and_nothing_else_changes() {
        check(
            r#"<head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"></head><body><p>x</p></body>"#,
            "<head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src HASH; connect-src 'self'\"></head><body><p>x</p><script data-generation=\"7\">SCRIPT</script>\n</body>",
        );
        // A theme's own script sources are replaced, in any letter case, in single quotes too.
        check(
            "<META HTTP-EQUIV='content-security-policy' CONTENT='script-src *; Connect-Src *; img-src data:'><BODY></BODY>",
            "<META HTTP-EQUIV='content-security-policy' CONTENT='img-src data:; script-src QUOTED_HASH; connect-src &#39;self&#39;'><BODY><script data-generation=\"7\">SCRIPT</script>\n</BODY>",
        );
        // No policy, no body: the script is added at the end; other metas are untouched.
        check(
            "<meta charset=\"utf-8\"><p>x",
            "<meta charset=\"utf-8\"><p>x<script data-generation=\"7\">SCRIPT</script>\n",
        );
    }

    /// The hash is that of the script exactly as it is sent (what a browser checks).
    #[test]
    fn the_hash_is_the_scripts() {
        let digest = sha256(RELOAD_SCRIPT.as_bytes());
        assert_eq!(*SCRIPT_SOURCE, format!("'sha256-{}'", data_encoding::BASE64.encode(&digest)));
        assert_eq!(SCRIPT_SOURCE.len(), "'sha256-'".len() + 44);
    }

    #[test]
    fn the_error_page_escapes_the_report() {
        let page =
            String::from_utf8(error_page("a<b>.json", "error: `<script>alert(1)</script>` & \"x\"")).expect("UTF-8");
        assert!(page.contains("a&lt;b&gt;.json"));
        assert!(page.contains("`&lt;script&gt;alert(1)&lt;/script&gt;` &amp; &quot;x&quot;"));
        assert!(!page.contains("<script"));
    }
}
