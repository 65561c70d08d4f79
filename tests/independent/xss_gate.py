"""A real-browser XSS oracle: opens pages in headless Chromium and records everything that means script ran.

Usage: xss_gate.py CHROMIUM REPORT.json LIST.txt
LIST.txt holds one page per line: `page<TAB>PATH` (a guidekit page: must record no hit) or `control<TAB>PATH` (a
page built to run script: must record hits). The script writes REPORT.json, a list of
`{"path", "role", "reported", "csp", "elements", "hits": [...]}`, and leaves judging it to the caller; it exits
0 when it could drive the browser, 2 when it could not.

Chromium is driven over the Chrome DevTools Protocol on `--remote-debugging-pipe` (fds 3 and 4, NUL-delimited
JSON), so only Python's standard library is needed. For each page the oracle records:
- `dialog`: `alert`, `confirm`, `prompt` or `print` opened a dialog (Page.javascriptDialogOpening);
- `script`: any script compiled in the page (Debugger.scriptParsed): guidekit pages carry none, so an inline
  handler or `javascript:` URL that runs shows up here even when it does nothing visible;
- `console`, `exception`: a console call or an uncaught exception (only script makes either);
- `navigation`, `window`, `frame`: the page navigating elsewhere, opening a window or holding a frame;
- `request`: a request for anything but a `file:` or `data:` URL, or for a script or document from any URL;
- `csp`: a Content-Security-Policy violation (the policy blocked something the sanitizer let through);
- `markup`: in the live DOM, an event-handler attribute, or a URL attribute that is not `http:`, `https:`,
  `mailto:`, a fragment or a `data:image/` picture (what the HTML parser made of the page, mutations included).
After the load event and a short settle, the oracle fires each event-handler attribute's own event on its
element, clicks every element with a link (letting `javascript:`/`data:` links be followed, stopping ordinary
ones: following a link the reader clicks is not an injection) and focuses what can take focus. A page reports only when its load event and
that interaction both complete; a page that does not report must be counted as a failure by the caller.

The browser never reaches the network: every host name resolves to nothing but 127.0.0.1, and every
non-loopback request goes to a dead proxy on 127.0.0.1:9.
"""
import fcntl
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import urldefrag
from pathlib import Path

ORACLE_URL = "guidekit-xss-oracle.js"
LOAD_TIMEOUT = 15.0
SETTLE = 0.1

# Runs in the page after load: lets dangerous links run, stops ordinary ones, then fires events everywhere.
INTERACT = r"""
(() => {
  const harmless = (raw) => {
    if (raw == null) return true;
    const value = String(raw).trim();
    if (value === "" || value.startsWith("#")) return true;
    try {
      const url = new URL(value, document.baseURI);
      return ["http:", "https:", "mailto:", "file:"].includes(url.protocol);
    } catch (e) {
      return true;
    }
  };
  addEventListener("click", (event) => {
    for (let node = event.target; node && node.nodeType === 1; node = node.parentNode) {
      const raw = node.getAttribute("href") ?? node.getAttribute("xlink:href");
      if (raw !== null && harmless(raw)) event.preventDefault();
      if (raw !== null) return;
    }
  }, true);
  addEventListener("submit", (event) => {
    if (harmless(event.target.getAttribute("action"))) event.preventDefault();
  }, true);
  const urlAttributes = ["href", "xlink:href", "src", "action", "formaction", "data", "poster", "srcdoc",
    "background", "codebase", "dynsrc", "lowsrc"];
  const found = [];
  const elements = Array.from(document.querySelectorAll("*"));
  for (const el of elements) {
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) {
        found.push(`<${el.localName} ${name}>`);
        const type = name.slice(2);
        el.dispatchEvent(type.includes("mouse") || type.includes("click") || type === "contextmenu"
          ? new MouseEvent(type, { bubbles: true, cancelable: true })
          : type.startsWith("key") ? new KeyboardEvent(type, { bubbles: true, key: "a" })
          : type.startsWith("focus") || type === "blur" ? new FocusEvent(type, { bubbles: true })
          : new Event(type, { bubbles: true, cancelable: true }));
      } else if (urlAttributes.includes(name) && !harmless(attr.value)) {
        const image = name === "src" && el.localName === "img" && /^\s*data:image\//i.test(attr.value);
        if (!image) found.push(`<${el.localName} ${name}="${attr.value.slice(0, 80)}">`);
      }
    }
    if (el.hasAttribute("href") || el.hasAttribute("xlink:href")) {
      el.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
    }
  }
  for (const el of document.querySelectorAll("[tabindex], a, input, button, textarea, select, [autofocus]")) {
    if (typeof el.focus === "function") el.focus();
  }
  const csp = document.querySelector('meta[http-equiv="Content-Security-Policy" i]');
  return JSON.stringify({ elements: elements.length, csp: csp !== null, found });
})()
//# sourceURL=""" + ORACLE_URL


def high(fd):
    """A copy of `fd` numbered 10 or more; `fd` is closed."""
    copy = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return copy


class Browser:
    """One headless Chromium and one page session, spoken to over the DevTools pipe."""

    def __init__(self, chromium, extra_flags=()):
        """`extra_flags` are added to the defaults (`--no-proxy-server` lets a page on 127.0.0.1 load)."""
        self.profile = tempfile.mkdtemp(prefix="guidekit-xss-chromium-")
        # Pipe ends numbered 10 and up, so that putting them on fds 3 and 4 in the child cannot clobber them.
        to_chrome_r, self.to_chrome, self.from_chrome, from_chrome_w = (high(fd) for fd in (*os.pipe(), *os.pipe()))
        flags = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--remote-debugging-pipe",
            f"--user-data-dir={self.profile}", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--disable-default-apps", "--disable-breakpad", "--mute-audio",
            "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
            "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "about:blank", *extra_flags,
        ]
        # bash (which, unlike dash, redirects fds above 9) puts our pipe ends on fds 3 and 4, where Chromium expects them.
        shell = f'exec "$@" 3<&{to_chrome_r} 4>&{from_chrome_w} {to_chrome_r}<&- {from_chrome_w}>&-'
        self.process = subprocess.Popen(
            ["bash", "-c", shell, "bash", chromium, *flags],
            pass_fds=(to_chrome_r, from_chrome_w),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.messages = queue.Queue()
        self.next_id = 0
        self.replies = {}
        self.session = None
        self.target = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buffer = b""
        while True:
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                self.messages.put(None)
                return
            buffer += chunk
            *whole, buffer = buffer.split(b"\0")
            for message in whole:
                self.messages.put(json.loads(message))

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        return self.next_id

    def pump(self, until, on_event, seconds=LOAD_TIMEOUT):
        """Handles messages until `until()` is true or `seconds` pass; returns whether it became true."""
        deadline = time.monotonic() + seconds
        while not until():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                return False
            if message is None:
                raise RuntimeError("Chromium closed the DevTools pipe")
            if "id" in message:
                self.replies[message["id"]] = message
            else:
                on_event(message)
        return True

    def settle(self, seconds, on_event):
        self.pump(lambda: False, on_event, seconds)

    def call(self, method, params=None, on_event=lambda m: None, session=True):
        ident = self.send(method, params, session)
        if not self.pump(lambda: ident in self.replies, on_event):
            raise RuntimeError(f"no reply to {method}")
        reply = self.replies.pop(ident)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def close(self):
        try:
            self.send("Browser.close", session=False)
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


class Visit:
    """What one page did while open."""

    def __init__(self, browser, path, role):
        self.browser = browser
        self.url = Path(path).resolve().as_uri()
        self.record = {"path": path, "role": role, "reported": False, "csp": None, "elements": 0, "hits": []}
        self.loaded = False
        self.leaving = False

    def hit(self, kind, detail):
        self.record["hits"].append({"kind": kind, "detail": str(detail)[:300]})

    def on_event(self, message):
        method, params = message["method"], message.get("params", {})
        if method == "Page.javascriptDialogOpening":
            self.hit("dialog", f"{params.get('type')}: {params.get('message')}")
            self.browser.send("Page.handleJavaScriptDialog", {"accept": True})
        elif method == "Page.loadEventFired":
            self.loaded = True
        elif method == "Debugger.scriptParsed":
            if params.get("url") != ORACLE_URL:
                self.hit("script", f"{params.get('url')!r} at {params.get('startLine')}:{params.get('startColumn')}")
        elif method == "Runtime.consoleAPICalled":
            args = [a.get("value", a.get("description")) for a in params.get("args", [])]
            self.hit("console", f"{params.get('type')}: {args}")
        elif method == "Runtime.exceptionThrown":
            self.hit("exception", params.get("exceptionDetails", {}).get("text"))
        elif method in ("Page.frameRequestedNavigation", "Page.frameNavigated"):
            url = params.get("url") or params.get("frame", {}).get("url", "")
            if not self.leaving and urldefrag(url)[0] not in (self.url, "about:blank"):
                self.hit("navigation", url)
        elif method == "Page.frameAttached":
            self.hit("frame", params.get("frameId"))
        elif method == "Page.windowOpen":
            self.hit("window", params.get("url"))
        elif method == "Network.requestWillBeSent":
            request, kind = params.get("request", {}), params.get("type")
            url = request.get("url", "")
            scheme = url.split(":", 1)[0].lower()
            if url == self.url or (self.leaving and url == "about:blank"):
                return
            if scheme not in ("file", "data") or kind in ("Script", "Document"):
                self.hit("request", f"{kind} {url[:200]}")
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            if "Content Security Policy" in entry.get("text", "") or entry.get("source") == "security":
                self.hit("csp", entry.get("text"))
        elif method == "Target.targetCreated":
            info = params.get("targetInfo", {})
            if info.get("type") == "page" and info.get("targetId") != self.browser.target:
                self.hit("window", info.get("url"))

    def run(self):
        browser = self.browser
        browser.call("Page.navigate", {"url": self.url}, self.on_event)
        if not browser.pump(lambda: self.loaded, self.on_event):
            return self.record
        browser.settle(SETTLE, self.on_event)
        result = browser.call(
            "Runtime.evaluate", {"expression": INTERACT, "returnByValue": True, "awaitPromise": False}, self.on_event
        )
        value = result.get("result", {}).get("value")
        browser.settle(SETTLE, self.on_event)
        # Leaving the page fires unload handlers; what they do still counts for this page.
        self.leaving = True
        self.loaded = False
        browser.call("Page.navigate", {"url": "about:blank"}, self.on_event)
        browser.pump(lambda: self.loaded, self.on_event)
        if value and "exceptionDetails" not in result:
            facts = json.loads(value)
            self.record.update(reported=True, csp=facts["csp"], elements=facts["elements"])
            for markup in facts["found"]:
                self.hit("markup", markup)
        return self.record


def drive(chromium, pages):
    """Opens `pages` in one browser; returns their records."""
    browser = Browser(chromium)
    records = []
    try:
        browser.call("Target.setDiscoverTargets", {"discover": True}, session=False)
        browser.target = browser.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        attached = browser.call("Target.attachToTarget", {"targetId": browser.target, "flatten": True}, session=False)
        browser.session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Debugger", "Network", "Log"):
            browser.call(f"{domain}.enable")
        for role, path in pages:
            visit = Visit(browser, path, role)
            try:
                records.append(visit.run())
            except RuntimeError as error:
                visit.record["error"] = str(error)
                records.append(visit.record)
    finally:
        browser.close()
    return records


def main():
    chromium, report_path, list_path = sys.argv[1:4]
    entries = [line.split("\t", 1) for line in Path(list_path).read_text(encoding="utf-8").splitlines() if line]
    controls = [entry for entry in entries if entry[0] == "control"]
    pages = [entry for entry in entries if entry[0] != "control"]
    # One browser per core; each opens the controls first and last, so each proves its oracle live throughout.
    workers = max(1, min(len(os.sched_getaffinity(0)), 4))
    shares = [controls + pages[i::workers] + controls for i in range(workers)]
    results, failures = [None] * workers, []

    def work(i):
        try:
            results[i] = drive(chromium, shares[i])
        except Exception as error:  # reported below: the caller must see the gate could not run
            failures.append(f"browser {i}: {error!r}")

    started = time.monotonic()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        print("cannot drive Chromium: " + "; ".join(failures), file=sys.stderr)
        return 2
    records = [record for share in results for record in share]
    Path(report_path).write_text(json.dumps(records, indent=1), encoding="utf-8")
    hits = sum(len(r["hits"]) for r in records if r["role"] == "page")
    elapsed = time.monotonic() - started
    print(f"{len(records)} page(s) in {elapsed:.1f} s on {workers} browser(s), {hits} hit(s) on guidekit pages",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
