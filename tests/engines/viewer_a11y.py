"""Measurement (not run by pytest): what pdf.js's viewer gives a screen reader, in Chromium.

Serves tests/engines, opens viewer_a11y.html with pdf.js's PDFViewer on every page of a PDF and
counts the form controls named on the control itself (aria-label), those named only on their
wrapping region, and the links' names. Needs chromium, chromium-driver and selenium (not a test
dependency):  python tests/engines/viewer_a11y.py FILE.pdf
"""
from __future__ import annotations

import collections
import functools
import http.server
import json
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

HERE = Path(__file__).parent


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def measure(pdf: Path) -> dict:
    with tempfile.TemporaryDirectory() as work:
        shutil.copy(pdf, Path(work) / "file.pdf")
        (Path(work) / "node_modules").symlink_to(HERE / "node_modules")
        shutil.copy(HERE / "viewer_a11y.html", work)
        handler = functools.partial(_Quiet, directory=work)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/lib/chromium/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,1600"):
            options.add_argument(argument)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            driver.get(f"http://127.0.0.1:{server.server_address[1]}/viewer_a11y.html?file=file.pdf&pages=0")
            for _ in range(1200):
                text = driver.find_element("id", "out").get_attribute("textContent")
                if not text.startswith("pending"):
                    break
                time.sleep(0.5)
        finally:
            driver.quit()
            server.shutdown()
    if not text.startswith("RESULT "):
        raise SystemExit(text)
    return json.loads(text[len("RESULT "):])


def main(path: str) -> None:
    pages = measure(Path(path))
    kinds = collections.Counter(kind for page in pages.values() for kind in page["kinds"])
    controls = sum(page["controls"] for page in pages.values())
    named = sum(page["named"] for page in pages.values())
    strips = [page for page in pages.values() if "Tillbaka till modellen" in page["linkNames"]]
    digits = sum(1 for page in strips for name in page["linkNames"] if re.fullmatch(r"\s*\d+\s*", name or ""))
    print(f"{path}: {controls} controls, {named} named on the control itself; by kind: {dict(kinds)}")
    print(f"  element pages {len(strips)}; links on each (strip and footnotes) {sorted({p['links'] for p in strips})}; "
          f"links named by a bare digit {digits}")


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        main(argument)
