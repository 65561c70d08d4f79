//! A small HTTP/1.1 server for `serve`: GET and HEAD only, one thread per connection (at most
//! [`MAX_CONNECTIONS`]), a bounded request head, `Connection: close` on every answer.
//!
//! It serves files beneath the output folder and nothing else. A request path is percent-decoded once and
//! refused (404) when it could name anything outside: an encoded `/`, `\` or NUL, a backslash, an empty,
//! `.`, `..` or hidden segment, anything but an origin-form target. The file is then opened from a handle on
//! the output folder, one component at a time with `O_NOFOLLOW`, so a symbolic link anywhere beneath it is
//! never followed (404), even one planted after the build.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::Shared;
use super::page::{EVENTS_PATH, live};

/// Connections served at once; more are answered 503 at once. Each open page holds one (its event stream).
pub const MAX_CONNECTIONS: usize = 64;

/// The longest request head read (request line and headers).
const MAX_HEAD: usize = 16 * 1024;

/// The largest file served (pages with many diagrams stay well under it).
const MAX_FILE: u64 = 256 * 1024 * 1024;

/// How long a client may take to send its request, and to take a response.
const TIMEOUT: Duration = Duration::from_secs(10);

/// How often an idle event stream gets a comment line, so a closed page is noticed and its thread ends.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// Accepts connections until the process ends.
pub fn run(listener: TcpListener, root: Root, shared: Arc<Shared>) {
    // A server on a loopback address answers only requests that name a loopback host (see `host_allowed`).
    let loopback_only = listener.local_addr().is_ok_and(|a| a.ip().is_loopback());
    let root = Arc::new(root);
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(TIMEOUT));
            let _ =
                respond(&mut stream, false, 503, "Service Unavailable", "text/plain; charset=utf-8", &[], b"busy\n");
            continue;
        }
        let (root, shared, active) = (Arc::clone(&root), Arc::clone(&shared), Arc::clone(&active));
        std::thread::spawn(move || {
            let _ = handle(stream, &root, &shared, loopback_only);
            active.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

/// What a request asked for, as far as the server is concerned.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file beneath the output folder, as path segments (a folder's `index.html` already appended).
    File(Vec<String>),
    /// The event stream of the page at this path.
    Events(String),
    /// Nothing that can be served.
    NotFound,
}

fn handle(mut stream: TcpStream, root: &Root, shared: &Shared, loopback_only: bool) -> std::io::Result<()> {
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    let head = match read_head(&mut stream)? {
        Some(head) => head,
        None => {
            return respond(&mut stream, false, 431, "Request Header Fields Too Large", TEXT, &[], b"too large\n");
        }
    };
    let line = head.lines().next().unwrap_or_default();
    let mut parts = line.split(' ');
    let (method, target, version) = (parts.next(), parts.next(), parts.next());
    let (Some(method), Some(target), Some(version), None) = (method, target, version, parts.next()) else {
        return respond(&mut stream, false, 400, "Bad Request", TEXT, &[], b"bad request\n");
    };
    if !version.starts_with("HTTP/1.") {
        return respond(&mut stream, false, 400, "Bad Request", TEXT, &[], b"bad request\n");
    }
    let head_only = match method {
        "GET" => false,
        "HEAD" => true,
        _ => {
            return respond(
                &mut stream,
                false,
                405,
                "Method Not Allowed",
                TEXT,
                &[("Allow", "GET, HEAD")],
                b"GET or HEAD only\n",
            );
        }
    };
    if loopback_only && !host_allowed(&head) {
        return respond(&mut stream, head_only, 403, "Forbidden", TEXT, &[], b"the Host must be localhost\n");
    }
    match parse_target(target) {
        Target::NotFound => not_found(&mut stream, head_only),
        Target::Events(page) => events(&mut stream, shared, &page),
        Target::File(segments) => {
            // The generation is read before the file, so a rebuild in between makes the page reload once
            // more, never miss a change.
            let generation =
                shared.generation(segments.first().filter(|_| segments.len() > 1).map_or("", String::as_str));
            match root.open(&segments) {
                Opened::File(bytes) => {
                    let name = segments.last().map_or("", String::as_str);
                    let kind = content_type(name);
                    let body = if kind.starts_with("text/html") { live(&bytes, generation) } else { bytes };
                    respond(&mut stream, head_only, 200, "OK", kind, &[], &body)
                }
                Opened::Folder => {
                    // `/x` is the folder `x`: its page's relative links need `/x/`. The target passed every
                    // check, so the location is a plain path beneath the root (never `//host`).
                    let location = format!("/{}/", segments.join("/"));
                    respond(&mut stream, head_only, 301, "Moved Permanently", TEXT, &[("Location", &location)], b"")
                }
                Opened::Missing => not_found(&mut stream, head_only),
            }
        }
    }
}

const TEXT: &str = "text/plain; charset=utf-8";

/// Whether the request's `Host` names a loopback host (`localhost`, `127.0.0.1`, `[::1]`, any port). Against
/// DNS rebinding: a web page elsewhere can point its own host name at 127.0.0.1, and the browser would then
/// let it read the preview; such a request still names that other host. A request without `Host` is refused.
pub fn host_allowed(head: &str) -> bool {
    let host = head.lines().skip(1).find_map(|line| {
        line.split_once(':').filter(|(name, _)| name.trim().eq_ignore_ascii_case("host")).map(|(_, v)| v.trim())
    });
    let Some(host) = host else { return false };
    let name = match host.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    matches!(name.to_ascii_lowercase().as_str(), "localhost" | "127.0.0.1" | "::1")
}

fn not_found(stream: &mut TcpStream, head_only: bool) -> std::io::Result<()> {
    respond(stream, head_only, 404, "Not Found", TEXT, &[], b"not found\n")
}

/// Reads up to the blank line ending the head; `None` when it is longer than [`MAX_HEAD`].
fn read_head(stream: &mut TcpStream) -> std::io::Result<Option<String>> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && !head.windows(2).any(|w| w == b"\n\n") {
        if head.len() > MAX_HEAD {
            return Ok(None);
        }
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(String::from_utf8_lossy(&head).into_owned()))
}

fn respond(
    stream: &mut TcpStream,
    head_only: bool,
    status: u16,
    reason: &str,
    content_type: &str,
    extra: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// Server-sent events for the page at `page`: the generation of its folder now, then each new one, with a
/// comment line between (to notice a closed page).
fn events(stream: &mut TcpStream, shared: &Shared, page: &str) -> std::io::Result<()> {
    let folder = match parse_target(page) {
        Target::File(segments) if segments.len() > 1 => segments[0].clone(),
        _ => String::new(),
    };
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 500\n\n",
    )?;
    let mut last = None;
    loop {
        let generation = shared.wait_for_change(&folder, last, KEEPALIVE);
        if shared.stopping() {
            return Ok(());
        }
        if Some(generation) == last {
            stream.write_all(b": waiting\n\n")?;
        } else {
            stream.write_all(format!("data: {generation}\n\n").as_bytes())?;
            last = Some(generation);
        }
        stream.flush()?;
    }
}

/// Decides what a request target names. Only origin-form targets (`/path?query`) are served; the path is
/// percent-decoded once, and anything that could leave the output folder is [`Target::NotFound`].
pub fn parse_target(target: &str) -> Target {
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    let path = path.split('#').next().unwrap_or_default();
    if path == EVENTS_PATH {
        let page = query
            .into_iter()
            .flat_map(|q| q.split('&'))
            .find_map(|pair| pair.strip_prefix("page="))
            .and_then(|value| decode(value).ok())
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_else(|| "/".to_owned());
        return Target::Events(page);
    }
    let Some(rest) = path.strip_prefix('/') else { return Target::NotFound };
    // An encoded separator or NUL never names a file: `%2f`, `%5c`, `%00`.
    let lower = rest.to_ascii_lowercase();
    if ["%2f", "%5c", "%00"].iter().any(|bad| lower.contains(bad)) {
        return Target::NotFound;
    }
    let Ok(decoded) = decode(rest) else { return Target::NotFound };
    let Ok(decoded) = String::from_utf8(decoded) else { return Target::NotFound };
    if decoded.contains(['\\', '\0']) {
        return Target::NotFound;
    }
    let mut segments: Vec<String> = decoded.split('/').map(str::to_owned).collect();
    if segments.last().is_some_and(String::is_empty) {
        // `/` and `/x/` are folders: their page.
        segments.pop();
        segments.push("index.html".to_owned());
    }
    // Empty (`//`), `.`, `..` and hidden segments (guidekit's lock and temporaries) name nothing served.
    if segments.iter().any(|s| s.is_empty() || s.starts_with('.')) {
        return Target::NotFound;
    }
    Target::File(segments)
}

/// Percent-decoding, once; a `%` not followed by two hex digits is an error.
fn decode(text: &str) -> Result<Vec<u8>, ()> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).ok_or(())?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| ())?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(out)
}

/// A file's media type, from its extension.
fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("md" | "dot" | "txt") => TEXT,
        Some("json") => "application/json",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

/// What opening a path beneath the root gave.
pub enum Opened {
    /// A regular file's bytes.
    File(Vec<u8>),
    /// A folder (answered with a redirect to its `/` form).
    Folder,
    /// Nothing servable: absent, a link, a device, too large, or unreadable.
    Missing,
}

/// The output folder, opened once.
pub struct Root {
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
    #[cfg_attr(unix, allow(dead_code))]
    path: PathBuf,
}

impl Root {
    /// Opens the folder `path` (which the caller made, so it is not a link).
    pub fn open_folder(path: PathBuf) -> std::io::Result<Root> {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            let fd = rustix::fs::open(&path, flags, Mode::empty())?;
            Ok(Root { fd, path })
        }
        #[cfg(not(unix))]
        Ok(Root { path })
    }

    /// Opens `segments` beneath the root, following no link.
    #[cfg(unix)]
    pub fn open(&self, segments: &[String]) -> Opened {
        use std::os::fd::AsFd;

        use rustix::fs::{FileType, Mode, OFlags};
        let Some((last, folders)) = segments.split_last() else { return Opened::Missing };
        let mut dir = None::<std::os::fd::OwnedFd>;
        for folder in folders {
            let at = dir.as_ref().map_or(self.fd.as_fd(), |d| d.as_fd());
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            match rustix::fs::openat(at, folder.as_str(), flags, Mode::empty()) {
                Ok(fd) => dir = Some(fd),
                Err(_) => return Opened::Missing,
            }
        }
        let at = dir.as_ref().map_or(self.fd.as_fd(), |d| d.as_fd());
        // NONBLOCK: a FIFO planted in the folder cannot hang the thread.
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NONBLOCK;
        let Ok(fd) = rustix::fs::openat(at, last.as_str(), flags, Mode::empty()) else { return Opened::Missing };
        let Ok(stat) = rustix::fs::fstat(&fd) else { return Opened::Missing };
        match FileType::from_raw_mode(stat.st_mode) {
            FileType::Directory => Opened::Folder,
            FileType::RegularFile if (stat.st_size as u64) <= MAX_FILE => {
                let mut bytes = Vec::with_capacity(stat.st_size as usize);
                match std::fs::File::from(fd).take(MAX_FILE).read_to_end(&mut bytes) {
                    Ok(_) => Opened::File(bytes),
                    Err(_) => Opened::Missing,
                }
            }
            _ => Opened::Missing,
        }
    }

    /// Opens `segments` beneath the root, refusing a path with a link anywhere on it (checked, then read:
    /// without `*at` calls a link swapped in between is not caught).
    #[cfg(not(unix))]
    pub fn open(&self, segments: &[String]) -> Opened {
        let mut path = self.path.clone();
        for segment in segments {
            path.push(segment);
            match std::fs::symlink_metadata(&path) {
                Ok(m) if !m.file_type().is_symlink() => {}
                _ => return Opened::Missing,
            }
        }
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => Opened::Folder,
            Ok(m) if m.is_file() && m.len() <= MAX_FILE => std::fs::read(&path).map_or(Opened::Missing, Opened::File),
            _ => Opened::Missing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(target: &str, expect: Target) {
        assert_eq!(parse_target(target), expect, "{target}");
    }

    fn file(segments: &[&str]) -> Target {
        Target::File(segments.iter().map(|s| (*s).to_owned()).collect())
    }

    #[test]
    fn only_loopback_hosts_are_answered() {
        for host in ["localhost:8000", "127.0.0.1:8000", "LOCALHOST", "[::1]:8000", "127.0.0.1"] {
            assert!(host_allowed(&format!("GET / HTTP/1.1\r\nHost: {host}\r\n")), "{host}");
        }
        for host in ["evil.example:8000", "127.0.0.1.evil.example", "localhost.evil", "[::2]:80", ""] {
            assert!(!host_allowed(&format!("GET / HTTP/1.1\r\nHost: {host}\r\n")), "{host}");
        }
        assert!(!host_allowed("GET / HTTP/1.1\r\nX-Host: localhost\r\n"), "no Host header");
    }

    #[test]
    fn targets_that_could_leave_the_folder_name_nothing() {
        check("/", file(&["index.html"]));
        check("/x/", file(&["x", "index.html"]));
        check("/x/index.html?a=b#c", file(&["x", "index.html"]));
        check("/x/figures/a%20b.svg", file(&["x", "figures", "a b.svg"]));
        check("/x", file(&["x"]));
        for bad in [
            "/..",
            "/../etc/passwd",
            "/x/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/..%2f..%2fetc%2fpasswd",
            "/x%2Findex.html",
            "/..%5c..%5cetc%5cpasswd",
            "/..\\..\\etc\\passwd",
            "/x\\index.html",
            "/./index.html",
            "/x/./index.html",
            "//etc/passwd",
            "/x//index.html",
            "/%2fetc%2fpasswd",
            "/index.html%00.txt",
            "/.guidekit-lock",
            "/.guidekit-tmp-1-2-3/index.html",
            "/%",
            "/%zz",
            "/%ff",
            "http://127.0.0.1/etc/passwd",
            "etc/passwd",
            "*",
            "",
        ] {
            check(bad, Target::NotFound);
        }
        // Decoded once: `%252e` is the literal name `%2e`, which is not `.`.
        check("/%252e%252e/x", file(&["%2e%2e", "x"]));
    }

    #[test]
    fn the_event_stream_names_its_page() {
        check("/.guidekit/events?page=%2Fx%2Findex.html", Target::Events("/x/index.html".to_owned()));
        check("/.guidekit/events", Target::Events("/".to_owned()));
        check("/.guidekit/other", Target::NotFound);
    }
}
