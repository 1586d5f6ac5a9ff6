"""The web edition beside the PDF (issue #23): `python benchmarks/web.py` builds both and prints, from
one run, each file's size, the time from opening the HTML file in Chromium to an interactive form,
and the time pdf.js (Firefox's viewer) takes from the PDF's bytes to its first page drawn.

"Interactive" is when the page's script has run and shown its tools (the last thing it does), so
every control works and answers can be saved; Chromium's own navigation timings (DOM interactive,
load event) are printed beside it. Chromium is Debian's (/usr/lib/chromium/chromium), pdf.js the
one in tests/engines (npm ci --prefix tests/engines). Nothing here is asserted.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lovande_docs.layout import load_layout  # noqa: E402
from lovande_docs.model import load_model  # noqa: E402
from lovande_docs.paths import DEFAULT_CONTENT  # noqa: E402
from lovande_docs.render import renderer  # noqa: E402

CHROMIUM = "/usr/lib/chromium/chromium"
ENGINES = ROOT / "tests" / "engines"


def ms(values: list[float]) -> str:
    return f"best {min(values):7.1f} ms   median {statistics.median(values):7.1f} ms"


def html_to_interactive(path: Path, repeat: int) -> tuple[list[float], list[float], list[float]]:
    """(to interactive, DOM interactive, load event) in ms, each run in a fresh browser context."""
    from playwright.sync_api import sync_playwright

    interactive, dom, load = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for _ in range(repeat + 1):  # the first run warms the browser's caches of its own code; not counted
            context = browser.new_context(viewport={"width": 1100, "height": 900})
            page = context.new_page()
            started = time.perf_counter()
            page.goto(path.as_uri(), wait_until="commit")
            page.wait_for_selector("#tools:not([hidden])", state="visible")
            elapsed = (time.perf_counter() - started) * 1000
            page.wait_for_load_state("load")
            timing = page.evaluate("() => { const t = performance.getEntriesByType('navigation')[0]; "
                                   "return [t.domInteractive, t.loadEventEnd]; }")
            interactive.append(elapsed)
            dom.append(timing[0])
            load.append(timing[1])
            context.close()
        browser.close()
    return interactive[1:], dom[1:], load[1:]


def pdfjs_first_page(path: Path, repeat: int) -> list[float]:
    node = shutil.which("node") or shutil.which("node", path=str(Path(sys.executable).parent))
    done = subprocess.run([node, str(ENGINES / "first_page_pdfjs.mjs"), str(path), str(repeat + 1)],
                          capture_output=True, text=True, check=True, cwd=ENGINES, timeout=600)
    return json.loads(done.stdout)[1:]  # the first run loads pdf.js's own code; not counted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    model, layout = load_model(DEFAULT_CONTENT), load_layout()
    with tempfile.TemporaryDirectory(prefix="lovande-web-bench-") as work:
        html, pdf = Path(work) / "lovande-arbetssatt.html", Path(work) / "lovande-arbetssatt.pdf"
        built = {}
        for fmt, path in (("html", html), ("pdf", pdf)):
            started = time.perf_counter()
            renderer(fmt)(model, layout, path)
            built[fmt] = (time.perf_counter() - started) * 1000
        interactive, dom, load = html_to_interactive(html, args.repeat)
        first_page = pdfjs_first_page(pdf, args.repeat)
        print(f"Web edition beside the PDF ({model.id} {model.version}; {args.repeat} runs each, after one warm-up)")
        print(f"  size      HTML {html.stat().st_size / 1024:7.0f} KiB (fonts inline)   PDF {pdf.stat().st_size / 1024:7.0f} KiB")
        print(f"  build     HTML {built['html']:7.0f} ms                     PDF {built['pdf']:7.0f} ms")
        print(f"  HTML in Chromium, opening to interactive form   {ms(interactive)}")
        print(f"     (Chromium's DOM interactive                  {ms(dom)};  load event {ms(load)})")
        print(f"  PDF in pdf.js, bytes to first page drawn        {ms(first_page)}")


if __name__ == "__main__":
    main()
