//! The Graphviz engine: `dot -Tsvg` as a subprocess, talking over stdin and stdout only.
//!
//! DOT can make `dot` read files: images (`image`, `shapefile`, HTML `<IMG SRC=...>`), search paths
//! (`imagepath`, `fontpath`) and SVG stylesheets (`stylesheet`). Such DOT is refused before `dot` runs. `dot`
//! runs with an empty environment (no `GV_FILE_PATH`, no `SERVER_NAME`), in the temporary directory, and is
//! killed when it takes longer than [`TIMEOUT`]. Its SVG is then sanitised like any other.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use guidekit_model::dot::Graph;

/// How long `dot` may run on one diagram.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(10);

/// Refuses a graph that would make Graphviz read files, by the model's one check (the validator's GK154
/// uses it too); returns the reason.
pub(crate) fn check(graph: &Graph<'_>) -> Result<(), String> {
    match graph.file_reads().first() {
        Some(read) if read.what == "<IMG>" => Err("HTML labels with `<IMG>` read files and are not allowed".into()),
        Some(read) => Err(format!("the `{}` attribute reads files and is not allowed", read.what)),
        None => Ok(()),
    }
}

/// Finds `dot` on `PATH`.
pub(crate) fn find_dot() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join("dot")).find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// Runs `dot -Tsvg` on `source` (which must have passed [`check`]).
pub(crate) fn render(dot_path: &Path, source: &str) -> Result<String, String> {
    let mut child = Command::new(dot_path)
        .arg("-Tsvg")
        .env_clear()
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run `{}`: {e}", dot_path.display()))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let mut stderr = child.stderr.take().ok_or("no stderr")?;
    let input = source.as_bytes().to_vec();
    // Writing and reading on their own threads: a large graph cannot deadlock on a full pipe.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stdout.read_to_end(&mut out);
        out
    });
    let errors = std::thread::spawn(move || {
        let mut err = Vec::new();
        let _ = stderr.read_to_end(&mut err);
        err
    });
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("`dot` took longer than {} s and was stopped", TIMEOUT.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for `dot` failed: {e}")),
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    let err = errors.join().unwrap_or_default();
    if !status.success() {
        let message = String::from_utf8_lossy(&err);
        let first = message.lines().next().unwrap_or("no message");
        return Err(format!("`dot` failed ({status}): {first}"));
    }
    String::from_utf8(out).map_err(|_| "`dot` wrote output that is not UTF-8".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(source: &str) -> Graph<'_> {
        guidekit_model::dot::parse(source).unwrap_or_else(|e| panic!("{source}: {}", e.message))
    }

    #[test]
    fn refuses_attributes_that_read_files() {
        for bad in [
            r#"digraph { a [image="/etc/passwd"] }"#,
            r#"digraph { a [shape=custom, shapefile="/etc/x.ps"] }"#,
            r#"digraph { imagepath="/etc"; a }"#,
            r#"digraph { graph [fontpath="/tmp"]; a }"#,
            r#"digraph { stylesheet="file:///etc/x.css"; a }"#,
            r#"digraph { "IMAGE"="x.png"; a }"#,
            r#"digraph { a [Image="x.png"] }"#,
            "digraph { a [\"ima\\\nge\"=\"x.png\"] }",
            r#"digraph { a [label=<<table><tr><td><img src="/etc/passwd"/></td></tr></table>>] }"#,
        ] {
            assert!(check(&parse(bad)).is_err(), "{bad} was not refused");
        }
        assert!(check(&parse(r#"digraph { a [label="image"]; image -> b }"#)).is_ok());
    }
}
