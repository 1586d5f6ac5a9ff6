"""Driving the web edition in Debian's Chromium with Playwright for Python (no browser download).

Chromium comes from Debian (``apt-get install chromium``); .ci/run installs it. Tests that need it
skip, with the reason, only where it is absent. axe-core comes from the npm registry
(tests/engines) and is evaluated into the page through the DevTools protocol, which the page's
Content-Security-Policy does not govern, so the page is tested with its policy in force.
"""
from __future__ import annotations

import os
import random
from contextlib import contextmanager
from pathlib import Path

import pytest

from lovande_docs import fields as field_ids

ENGINES = Path(__file__).parent / "engines"
AXE = ENGINES / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("LOVANDE_CHROMIUM", "/usr/lib/chromium/chromium"))  # the binary, not the wrapper
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
SHOTS = os.environ.get("LOVANDE_SCREENSHOTS")  # a folder to keep the screenshots in, to look at them


def require_chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium is not installed ({CHROMIUM}); apt-get install chromium (.ci/run does)")
    if not AXE.exists():
        pytest.fail("axe-core is not installed; run `npm ci --prefix tests/engines` (see .ci/run)")
    return CHROMIUM


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    path = require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(path), args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"])
        try:
            yield browser
        finally:
            browser.close()


def shot(page, tmp_path: Path, name: str, **options) -> Path:
    """A screenshot in the test's folder (and in $LOVANDE_SCREENSHOTS, to be looked at)."""
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), **options)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        (Path(SHOTS) / path.name).write_bytes(path.read_bytes())
    return path


def axe_violations(page) -> list[dict]:
    """axe-core's violations for the page as it is now (WCAG 2.1 A/AA and best practice)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
        .violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))""",
                         AXE_TAGS)


def controls_state(page) -> list[tuple]:
    """Every control of the guide as the user sees it: (name, value) of each radio that is checked,
    each select's value, each text's value; in page order."""
    return [tuple(item) for item in page.evaluate("""() => Array.from(document.querySelectorAll(
        '#guide input, #guide select, #guide textarea')).map(e =>
        [e.name, e.type === 'radio' ? e.value : null, e.type === 'radio' ? e.checked : e.value])""")]


# --- answers to enter --------------------------------------------------------------------------

TEXTS = ("Vi bygger på KBT och MI.", "Gruppen träffas varje vecka.\nSe även manualen, s. 4–5.",
         "Åtgärd pågår – äldre deltagare.", "Ja, delvis: \"öppen\" grupp (20 %).", "Ökad samverkan.")


def answer_values(model, seed: int, share: float = 1.0) -> dict[str, str]:
    """{field name: value} for a share of the guide's fields (all: a complete guide), seeded."""
    pick = random.Random(seed)
    values: dict[str, str] = {}
    for definition in field_ids.all_fields(model):
        if pick.random() >= share:
            continue
        if definition.options is not None:
            values[definition.name] = pick.choice(definition.options.codes)
        elif definition.kind == "date":
            values[definition.name] = "2026-11-20"
        elif definition.kind == "line":
            values[definition.name] = pick.choice(TEXTS).split("\n")[0]
        else:
            values[definition.name] = pick.choice(TEXTS)
    return values


_FOCUSED = """() => { const e = document.activeElement;
    return e && e !== document.body ? {name: e.name || null, type: e.type || null, id: e.id} : null; }"""


def fill_by_keyboard(page, model, values: dict[str, str]) -> int:
    """Fill the page with the keyboard only, from its top: Tab to each control, Space or arrow keys
    for radios, arrow keys for a select, typing (Enter between lines) for a text. Returns the number
    of Tab presses. Every field of ``values`` must be reached."""
    definitions = field_ids.fields_by_name(model)
    pending = dict(values)
    presses = 0
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    while pending:
        page.keyboard.press("Tab")
        presses += 1
        assert presses < 3000, f"the keyboard never reached {sorted(pending)[:5]}"
        focused = page.evaluate(_FOCUSED)
        if focused is None or focused["name"] not in pending:
            continue
        definition, value = definitions[focused["name"]], pending.pop(focused["name"])
        if definition.kind == "choice":
            index = definition.options.codes.index(value)
            page.keyboard.press("Space" if index == 0 else "ArrowRight")
            for _ in range(index - 1):
                page.keyboard.press("ArrowRight")
        elif definition.kind == "select":
            for _ in range(definition.options.codes.index(value) + 1):
                page.keyboard.press("ArrowDown")
        else:
            for number, line in enumerate(value.split("\n")):
                if number:
                    page.keyboard.press("Enter")
                page.keyboard.type(line)
    return presses


def fill_at_once(page, values: dict[str, str]) -> None:
    """Set the controls to ``values`` in one go, each followed by the events a user's input fires
    (for the states that need answers, not the keyboard; fill_by_keyboard shows the keyboard works)."""
    page.evaluate("""(values) => { for (const [name, value] of Object.entries(values)) {
        const controls = document.querySelectorAll(`[name="${name}"]`);
        let target = controls[0];
        if (target.type === 'radio') { target = Array.from(controls).find(c => c.value === value); target.checked = true; }
        else target.value = value;
        target.dispatchEvent(new Event('input', {bubbles: true}));
        target.dispatchEvent(new Event('change', {bubbles: true})); } }""", values)
