//! `guidekit serve`, run for real: what it answers over raw TCP (files beneath its output folder and nothing
//! else: traversal in every spelling and planted links answer 404), that its folder holds what `build`
//! writes, that SIGINT stops it (exit 0, folder removed), and, in headless Chromium
//! (`tests/independent/serve_check.py`), that an open page follows its guide: an edit, an error and the fix
//! each show in the page within 2 s without a manual reload.
//!
//! CI installs Chromium; elsewhere the browser test says it is skipped, unless `CI` is set, where it must run.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("guidekit-serve-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("guides")).expect("temp dir");
    std::fs::copy(root().join("guides/aniracetam.json"), dir.join("guides/aniracetam.json")).expect("copy guide");
    dir
}

/// A running `guidekit serve` on a free port; killed if a test fails before stopping it.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    addr: String,
    /// The temporary output folder it printed.
    out: PathBuf,
    stderr: PathBuf,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let stderr = dir.join("serve.stderr");
        let mut child = Command::new(env!("CARGO_BIN_EXE_guidekit"))
            .args(["serve", "guides", "--port", "0"])
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).expect("stderr file"))
            .spawn()
            .expect("guidekit runs");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = || {
            let mut line = String::new();
            lines.read_line(&mut line).expect("reads stdout");
            line.trim_end().to_owned()
        };
        let (serving, folder) = (line(), line());
        let log = std::fs::read_to_string(&stderr).unwrap_or_default();
        let addr = serving
            .strip_prefix("serving http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .unwrap_or_else(|| panic!("`serving http://...`, not {serving:?}; stderr: {log}"))
            .to_owned();
        assert!(addr.starts_with("127.0.0.1:"), "binds 127.0.0.1 by default: {addr}");
        let out = PathBuf::from(folder.strip_prefix("output folder: ").expect("output folder line"));
        Server { child, addr, out, stderr }
    }

    /// Sends SIGINT and returns how long it took to exit, which it must do with 0.
    fn interrupt(&mut self) -> Duration {
        let started = Instant::now();
        let killed = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status().expect("kill runs");
        assert!(killed.success());
        loop {
            if let Some(status) = self.child.try_wait().expect("waits") {
                let log = std::fs::read_to_string(&self.stderr).unwrap_or_default();
                assert!(status.success(), "exit 0 on Ctrl-C, not {status}; stderr: {log}");
                return started.elapsed();
            }
            assert!(started.elapsed() < Duration::from_secs(10), "still running 10 s after SIGINT");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer: status, head, body.
struct Answer {
    status: u16,
    head: String,
    body: Vec<u8>,
}

/// Sends `request` as it is (no normalisation of the target) and reads the whole answer.
fn send(addr: &str, request: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    stream.write_all(request).expect("sends");
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(bytes.len());
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let body = bytes.get(split + 4..).unwrap_or_default().to_vec();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Answer { status, head, body }
}

fn get(addr: &str, target: &str) -> Answer {
    send(addr, format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
}

#[cfg(unix)]
#[test]
fn serves_its_folder_and_nothing_else_and_stops_on_sigint() {
    let dir = temp_dir("files");
    let mut server = Server::start(&dir);
    let addr = server.addr.clone();

    // The pages, with the reload script added as they are sent.
    let index = get(&addr, "/");
    assert_eq!(index.status, 200, "{}", index.head);
    let page = get(&addr, "/aniracetam/");
    assert_eq!(page.status, 200, "{}", page.head);
    assert!(page.head.contains("Content-Type: text/html; charset=utf-8"), "{}", page.head);
    let html = String::from_utf8(page.body).expect("UTF-8");
    let runnable = guidekit_tests::without_json_ld(&html);
    assert_eq!(runnable.matches("<script").count(), 1, "one script, the reload script (and the JSON-LD data)");
    assert!(html.contains("script-src 'sha256-") && html.contains("connect-src 'self'"), "the CSP names it");
    assert!(html.contains("The Hypothesized Mechanism of Action of Aniracetam"));
    assert_eq!(get(&addr, "/aniracetam/index.md").status, 200);
    let folder = get(&addr, "/aniracetam");
    assert_eq!(folder.status, 301);
    assert!(folder.head.contains("Location: /aniracetam/"), "{}", folder.head);
    let head = send(&addr, format!("HEAD /aniracetam/ HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes());
    assert_eq!((head.status, head.body.len()), (200, 0));
    assert_eq!(send(&addr, b"POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").status, 405);
    // DNS rebinding: a request that names another host is refused, whatever it asks for.
    let port = addr.rsplit_once(':').map(|(_, port)| port).expect("a port");
    let rebound = send(&addr, format!("GET /aniracetam/ HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n").as_bytes());
    assert_eq!(rebound.status, 403, "{}", rebound.head);
    assert_eq!(send(&addr, format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n").as_bytes()).status, 200);
    let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(40_000));
    assert_eq!(send(&addr, huge.as_bytes()).status, 431);

    // The event stream says the page's generation at once.
    let mut events = TcpStream::connect(&addr).expect("connects");
    events.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
    events
        .write_all(format!("GET /.guidekit/events?page=%2Faniracetam%2F HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
        .expect("sends");
    let mut seen = Vec::new();
    let mut chunk = [0u8; 512];
    while !String::from_utf8_lossy(&seen).contains("data: ") {
        let n = events.read(&mut chunk).expect("an event within 5 s");
        assert!(n > 0, "the stream stays open");
        seen.extend_from_slice(&chunk[..n]);
    }
    assert!(String::from_utf8_lossy(&seen).contains("Content-Type: text/event-stream"));
    drop(events);

    // Its folder holds what `build` writes, byte for byte (no script on disk).
    let built = dir.join("built");
    let status = Command::new(env!("CARGO_BIN_EXE_guidekit"))
        .args(["build", "guides", "--out"])
        .arg(&built)
        .current_dir(&dir)
        .stderr(Stdio::null())
        .status()
        .expect("build runs");
    assert!(status.success());
    for file in ["index.html", "index.md", "aniracetam/index.html", "aniracetam/index.md"] {
        let served = std::fs::read(server.out.join(file)).expect("served file on disk");
        assert!(served == std::fs::read(built.join(file)).expect("built file"), "{file} differs from build's");
        assert!(!guidekit_tests::without_json_ld(&String::from_utf8_lossy(&served)).contains("<script"), "{file}");
    }
    let figures = std::fs::read_dir(built.join("aniracetam/figures")).expect("figures").count();
    assert_eq!(std::fs::read_dir(server.out.join("aniracetam/figures")).expect("figures").count(), figures);

    // Links planted in the folder after the build: to outside, to a folder outside, and to a page inside.
    let out = &server.out;
    std::os::unix::fs::symlink("/etc/passwd", out.join("leak")).expect("link");
    std::os::unix::fs::symlink("/etc", out.join("etc")).expect("link");
    std::os::unix::fs::symlink("index.html", out.join("alias.html")).expect("link");
    std::os::unix::fs::symlink("../index.html", out.join("aniracetam/up.html")).expect("link");
    std::fs::write(dir.join("secret.txt"), "secret").expect("write");
    std::os::unix::fs::symlink(dir.join("secret.txt"), out.join("aniracetam/figures/secret.txt")).expect("link");
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    for target in [
        "/../guides/aniracetam.json",
        "/aniracetam/../../guides/aniracetam.json",
        "/..",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/guides/aniracetam.json",
        "/..%2f..%2fetc%2fpasswd",
        "/aniracetam%2findex.html",
        "/..%5c..%5cetc%5cpasswd",
        "/..\\..\\etc\\passwd",
        "/aniracetam\\index.html",
        "/./index.html",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/etc/passwd",
        "http://127.0.0.1/etc/passwd",
        "etc/passwd",
        "/index.html%00",
        "/.guidekit-lock",
        "/leak",
        "/etc/hostname",
        "/alias.html",
        "/aniracetam/up.html",
        "/aniracetam/figures/secret.txt",
        "/nothing-here.html",
    ] {
        let answer = get(&addr, target);
        assert_eq!(answer.status, 404, "{target}: {}", answer.head);
        let body = String::from_utf8_lossy(&answer.body);
        assert!(!body.contains("secret") && (passwd.is_empty() || !body.contains(passwd.trim())), "{target}");
    }

    let took = server.interrupt();
    assert!(took < Duration::from_secs(3), "SIGINT took {took:?}");
    assert!(!server.out.exists(), "the temporary folder is removed");
    let _ = std::fs::remove_dir_all(&dir);
}

fn chromium() -> bool {
    Command::new("chromium").arg("--version").output().is_ok_and(|o| o.status.success())
}

#[cfg(unix)]
#[test]
fn an_open_page_follows_its_guide_in_chromium() {
    if !chromium() {
        assert!(std::env::var_os("CI").is_none(), "CI must have Chromium: apt-get install chromium");
        guidekit_tests::skips::skip("Chromium is not installed (apt-get install chromium)");
        return;
    }
    let dir = temp_dir("chromium");
    let mut server = Server::start(&dir);
    let output = Command::new("python3")
        .arg(root().join("tests/independent/serve_check.py"))
        .arg("chromium")
        .arg(format!("http://{}/aniracetam/", server.addr))
        .arg(dir.join("guides/aniracetam.json"))
        .output()
        .expect("python3 runs");
    let log = std::fs::read_to_string(&server.stderr).unwrap_or_default();
    assert!(output.status.success(), "serve_check failed: {}\nserve: {log}", String::from_utf8_lossy(&output.stderr));
    let facts: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON facts");
    for step in ["edit", "error", "fix"] {
        let seconds = facts["steps"][step]["seconds"].as_f64();
        assert!(seconds.is_some_and(|s| s < 2.0), "{step} shows within 2 s: {facts:#}\nserve: {log}");
        let page = &facts["steps"][step]["page"];
        assert_eq!(page["scripts"], 1, "the reload script is the page's only script: {page}");
    }
    // The page reloaded itself: its first load and one per change.
    assert!(facts["loads"].as_u64().is_some_and(|n| n >= 4), "{facts:#}");
    assert_eq!(facts["csp"], serde_json::json!([]), "the CSP allows the reload script: {facts:#}");
    assert_eq!(facts["exceptions"], serde_json::json!([]), "{facts:#}");
    assert_eq!(facts["dialogs"], serde_json::json!([]), "markup in a diagnostic never runs: {facts:#}");
    let error = &facts["steps"]["error"]["page"];
    let diagnostics = error["diagnostics"].as_str().expect("the diagnostics");
    assert!(diagnostics.contains("error[GK001]"), "{diagnostics}");
    assert!(diagnostics.contains("<script>alert(1)</script>"), "the source line, as text: {diagnostics}");
    assert_eq!(error["markup_in_diagnostics"], 0, "escaped: no element inside the diagnostics");
    assert!(diagnostics.contains(&format!("aniracetam.json:{}:", facts["line"])), "file:line:col: {diagnostics}");
    server.interrupt();
    let _ = std::fs::remove_dir_all(&dir);
}
