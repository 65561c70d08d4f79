"""`guidekit serve` seen from a browser: live reload, the error page, and the way back.

Usage: serve_check.py CHROMIUM URL GUIDE.json
URL is the served page of GUIDE.json (`http://127.0.0.1:PORT/<folder>/`). The script opens it once in headless
Chromium and never reloads it itself; it then changes GUIDE.json on disk three times and, after each, polls the
page's DOM (every 50 ms) until the change shows or 5 s pass:
1. `edit`: the guide's title becomes a new text, which must appear in the page;
2. `error`: the title line becomes `"title": <script>alert(1)</script>,` (a JSON syntax error whose source
   line holds markup), and the page must show the diagnostics with `GUIDE.json:LINE:COL`, as text;
3. `fix`: the file gets its original bytes back, and the page its original title.
It prints JSON on stdout: per step the seconds it took (null when it never showed) and what the page held;
`loads` (page loads: more than one means the page reloaded itself), `scripts` (scripts in the served page that can run: the JSON-LD data block is not counted),
`csp` (Content-Security-Policy violations reported by the browser: the reload script must be allowed by its
hash), `exceptions` and `dialogs` (the markup in the diagnostics must not run). The file is restored whatever
happens. Exits 2 when it cannot drive the browser.
"""
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from xss_gate import Browser  # noqa: E402

TIMEOUT = 5.0

# What the page shows, as JSON.
PROBE = r"""
JSON.stringify({
  generation: document.querySelector("script[data-generation]")?.dataset.generation ?? null,
  h1: (document.querySelector("h1") || {}).textContent || "",
  diagnostics: (document.getElementById("guidekit-diagnostics") || {}).textContent ?? null,
  markup_in_diagnostics: document.querySelectorAll("#guidekit-diagnostics *").length,
  scripts: [...document.scripts].filter((s) => s.type !== "application/ld+json").length,
  ready: document.readyState === "complete",
})
"""


def main():
    chromium, url, guide = sys.argv[1:4]
    guide = Path(guide)
    original = guide.read_bytes()
    text = original.decode("utf-8")
    # The guide's own title: the first `"title"` key, in `metadata`.
    marker = '"title": "'
    start = text.index(marker) + len(marker)
    end = text.index('"', start)
    title = text[start:end]
    line = text[:start].count("\n") + 1
    edited_title = "Served Live: " + title
    edited = text[:start] + edited_title + text[end:]
    broken = text[: start - 1] + "<script>alert(1)</script>" + text[end + 1 :]

    # The dead proxy would stop 127.0.0.1 too; host names still resolve to nothing.
    browser = Browser(chromium, ["--no-proxy-server"])
    facts = {"loads": 0, "csp": [], "exceptions": [], "dialogs": [], "steps": {}}

    def on_event(message):
        method, params = message.get("method"), message.get("params", {})
        if method == "Page.loadEventFired":
            facts["loads"] += 1
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            if "Content Security Policy" in entry.get("text", ""):
                facts["csp"].append(entry.get("text"))
        elif method == "Runtime.exceptionThrown":
            facts["exceptions"].append(params.get("exceptionDetails", {}).get("text"))
        elif method == "Page.javascriptDialogOpening":
            facts["dialogs"].append(params.get("message"))
            browser.send("Page.handleJavaScriptDialog", {"accept": True})

    def probe():
        try:
            result = browser.call(
                "Runtime.evaluate", {"expression": PROBE, "returnByValue": True}, on_event
            )
            return json.loads(result["result"]["value"])
        except (RuntimeError, KeyError, TypeError, ValueError):
            # The page is between two loads.
            return None

    def step(name, contents, done):
        guide.write_bytes(contents.encode("utf-8"))
        started = time.monotonic()
        seen = None
        while time.monotonic() - started < TIMEOUT:
            seen = probe() or seen
            # A step is seen once the new page has loaded whole, not while its end is still being parsed.
            if seen and seen.get("ready") and done(seen):
                facts["steps"][name] = {"seconds": round(time.monotonic() - started, 3), "page": seen}
                return
            browser.settle(0.05, on_event)
        facts["steps"][name] = {"seconds": None, "page": seen}

    try:
        browser.call("Target.setDiscoverTargets", {"discover": True}, session=False)
        target = browser.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        browser.session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log"):
            browser.call(f"{domain}.enable")
        browser.call("Page.navigate", {"url": url}, on_event)
        if not browser.pump(lambda: facts["loads"] > 0, on_event):
            raise RuntimeError("the page did not load")
        facts["first"] = probe()
        # Let the page's event stream connect (a change before that is caught by the generation anyway).
        browser.settle(0.3, on_event)
        step("edit", edited, lambda page: page["h1"].strip() == edited_title)
        step(
            "error",
            broken,
            lambda page: page["diagnostics"] is not None and f"{guide.name}:{line}:" in page["diagnostics"],
        )
        step("fix", text, lambda page: page["h1"].strip() == title)
        facts["title"], facts["line"] = title, line
    except RuntimeError as error:
        print(f"cannot drive Chromium: {error}", file=sys.stderr)
        return 2
    finally:
        guide.write_bytes(original)
        browser.close()
    print(json.dumps(facts, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
