"""What a reader gets from a guide page, measured in headless Chromium.

Usage: reader_check.py CHROMIUM PAGE.html OUT_DIR [AXE.js]
Opens the page at a phone's width (390 CSS pixels) and reports, as JSON on stdout:
- `viewport`, `scroll_width`: the layout viewport's width and the page's scroll width (a horizontal page
  scroll shows as `scroll_width > viewport`);
- `wide`: elements that reach past either edge of the viewport without being inside a scroll container (or a
  box that clips them);
- `figures`: for each diagram, its box and whether it is fully visible across the width;
- `pdf`: the page printed to PDF (Letter and A4), written to OUT_DIR/letter.pdf and OUT_DIR/a4.pdf;
- `axe`: with AXE.js (axe-core's `axe.min.js`), the WCAG 2.1 A and AA violations axe-core finds in the page at
  desktop width, each as `{"id", "impact", "help", "nodes": [selectors]}` (axe is evaluated through DevTools,
  which the page's CSP does not govern; the page itself still runs no script);
and writes OUT_DIR/phone.png, a full-page screenshot at that width. Exits 2 when it cannot drive the browser.
Chromium is driven over the DevTools pipe by `xss_gate.Browser` (standard library only).
"""
import base64
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from xss_gate import Browser  # noqa: E402

MEASURE = r"""
(() => {
  const viewport = document.documentElement.clientWidth;
  // Inside a scroll container, or a box that clips its content (such as a visually hidden table head read
  // by screen readers), an element does not widen the page.
  const inScroller = (el) => {
    for (let n = el.parentElement; n; n = n.parentElement) {
      const style = getComputedStyle(n);
      if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX)) return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if ((box.right > viewport + 0.5 || box.left < -0.5) && !inScroller(el)) {
      wide.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  const figures = [...document.querySelectorAll("figure.diagram svg")].map((svg) => {
    const box = svg.getBoundingClientRect();
    return {
      label: svg.closest("figure").querySelector("figcaption .label").textContent,
      left: box.left, right: box.right, width: box.width, height: box.height,
      visible: box.width > 0 && box.left >= -0.5 && box.right <= viewport + 0.5,
    };
  });
  return JSON.stringify({
    viewport, scroll_width: document.documentElement.scrollWidth, wide: wide.slice(0, 30), figures,
  });
})()
"""

AXE_RUN = r"""
axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
  .then((results) => JSON.stringify(results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 10),
  }))))
"""


def main():
    chromium, page, out = sys.argv[1], Path(sys.argv[2]).resolve(), Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    browser = Browser(chromium)
    try:
        browser.call("Target.setDiscoverTargets", {"discover": True}, session=False)
        target = browser.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        browser.session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)[
            "sessionId"
        ]
        browser.call("Page.enable")
        browser.call("Runtime.enable")
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
        )
        loaded = []
        on_event = lambda m: loaded.append(1) if m.get("method") == "Page.loadEventFired" else None  # noqa: E731
        browser.call("Page.navigate", {"url": page.as_uri()}, on_event)
        if not browser.pump(lambda: loaded, on_event):
            raise RuntimeError("the page did not load")
        result = browser.call("Runtime.evaluate", {"expression": MEASURE, "returnByValue": True})
        facts = json.loads(result["result"]["value"])
        shot = browser.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        (out / "phone.png").write_bytes(base64.b64decode(shot["data"]))
        browser.call("Emulation.clearDeviceMetricsOverride")
        if len(sys.argv) > 4:
            browser.call("Runtime.evaluate", {"expression": Path(sys.argv[4]).read_text()})
            audit = browser.call(
                "Runtime.evaluate",
                {
                    "expression": AXE_RUN,
                    "awaitPromise": True,
                    "returnByValue": True,
                },
            )
            facts["axe"] = json.loads(audit["result"]["value"])
        facts["pdf"] = {}
        for name, (width, height) in {"letter": (8.5, 11), "a4": (8.27, 11.69)}.items():
            printed = browser.call(
                "Page.printToPDF",
                {"paperWidth": width, "paperHeight": height, "displayHeaderFooter": False, "printBackground": False},
            )
            path = out / f"{name}.pdf"
            path.write_bytes(base64.b64decode(printed["data"]))
            facts["pdf"][name] = str(path)
        print(json.dumps(facts))
    except RuntimeError as error:
        print(f"reader_check: {error}", file=sys.stderr)
        sys.exit(2)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
