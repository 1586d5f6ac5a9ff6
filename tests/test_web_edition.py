"""The web edition in a real browser: Debian's Chromium driven by Playwright, axe-core injected.

What is shown: axe finds nothing in the empty, partly filled, complete, error and print states;
the whole guide can be filled with the keyboard alone; the saved answers file is read and compiled
to exactly what was entered, and the same answers in a .docx and a .pdf compile to the same rows;
opening the file restores the page exactly; the page makes no request of any kind; it reflows at
320 CSS px, survives WCAG 1.4.12 text spacing and forced colours; it prints tagged, with choices
visible without colour and unanswered questions marked.
"""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest

from browser import (answer_values, axe_violations, chromium, controls_state, fill_at_once, fill_by_keyboard,
                     require_chromium, shot)
from answers_strategies import strip_answers
from conftest import require_tool
from lovande_docs import fields as field_ids
from lovande_docs.answers import place
from lovande_docs.paths import SCHEMAS_DIR
from lovande_docs.readers import read_form
from lovande_docs.render import renderer

pytestmark = pytest.mark.browser

SCHEMA = json.loads((SCHEMAS_DIR / "lovande-answers-1.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def page_file(model, layout, tmp_path_factory) -> Path:
    require_chromium()
    path = tmp_path_factory.mktemp("web") / "lovande-arbetssatt.html"
    renderer("html")(model, layout, path)
    return path


@pytest.fixture(scope="module")
def browser(page_file):
    with chromium() as instance:
        yield instance


def open_page(browser, page_file, **context_options):
    context = browser.new_context(locale="sv-SE", accept_downloads=True,
                                  viewport=context_options.pop("viewport", {"width": 1100, "height": 900}),
                                  **context_options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(page_file.as_uri())
    page.errors = errors
    return page


def save(page, folder: Path) -> Path:
    """Press "Spara som fil" with the keyboard; the downloaded answers file."""
    page.focus("#save")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    target = folder / download.value.suggested_filename
    download.value.save_as(target)
    return target


def open_file(page, path: Path) -> None:
    """Choose ``path`` with "Öppna sparad fil": the button's file input gets the file, as from the
    dialog (Chromium opens the dialog for a second page of one browser only now and then)."""
    assert page.evaluate("document.getElementById('open').tabIndex") == 0  # the button is keyboard-reachable
    page.set_input_files("#open-file", str(path))


def expected(model, values: dict[str, str]) -> dict:
    result: dict = {"practice": {}, "questions": {}, "elements": {}, "assessment": {}}
    for definition in field_ids.all_fields(model):
        place(result, definition, model, values.get(definition.name))
    return result


@pytest.fixture(scope="module")
def complete(browser, page_file, model, tmp_path_factory):
    """The whole guide filled with the keyboard alone, then saved: (page, values, saved file)."""
    values = answer_values(model, seed=23)
    page = open_page(browser, page_file)
    presses = fill_by_keyboard(page, model, values)
    saved = save(page, tmp_path_factory.mktemp("saved"))
    yield page, values, saved, presses
    page.context.close()


def test_playwright_drives_debians_chromium(browser):
    """Playwright is pinned, Chromium is Debian's: the two must still speak (a smoke test of the pair)."""
    done = subprocess.run([str(require_chromium()), "--version"], capture_output=True, text=True, timeout=60)
    major = re.search(r"Chromium (\d+)\.", done.stdout).group(1)
    assert browser.version.split(".")[0] == major


# --- filled with the keyboard, saved, read, compiled ------------------------------------------------

def test_keyboard_fills_the_whole_guide_and_the_file_holds_exactly_that(complete, model):
    page, values, saved, presses = complete
    assert len(values) == len(field_ids.all_fields(model))
    doc = json.loads(saved.read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA)
    assert strip_answers(doc) == expected(model, values)
    assert doc["source"]["format"] == "html" and doc["problems"] == []
    assert doc["model"] == {"id": model.id, "version": model.version, "content_hash": model.content_hash,
                            "generator": doc["model"]["generator"], "known": True,
                            "read_with": f"{model.id} {model.version}"}
    assert page.inner_text("#overview-done") == f"{len(model.elements)} av {len(model.elements)} element klara"
    assert page.errors == []


def test_lovande_parse_reads_the_saved_file_as_the_page_wrote_it(complete, model):
    _, values, saved, _ = complete
    done = subprocess.run([require_tool("lovande"), "parse", str(saved)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    [form] = json.loads(done.stdout)
    page_doc = json.loads(saved.read_text(encoding="utf-8"))
    assert {k: v for k, v in form.items() if k != "source"} == {k: v for k, v in page_doc.items() if k != "source"}
    assert form["source"]["format"] == "html" and form["source"]["size"] == saved.stat().st_size


def test_the_same_answers_in_html_docx_and_pdf_compile_to_the_same_rows(complete, model, built_docx, built_pdf,
                                                                        tmp_path):
    from lovande_docs.fill import FILLERS

    _, values, saved, _ = complete
    sources = {"html": saved}
    for fmt, blank in (("docx", built_docx), ("pdf", built_pdf)):
        sources[fmt] = tmp_path / f"enhet.{fmt}"
        FILLERS[fmt](blank, values, sources[fmt], model)
    rows = {}
    for fmt, source in sources.items():
        out = tmp_path / fmt
        # in a process of its own: compile forks readers, which must not inherit this process's browser pipes
        done = subprocess.run([require_tool("lovande"), "compile", str(source), "-o", str(out / "svar.xlsx"),
                               "--json", str(out / "svar.json"), "--no-cache", "--jobs", "1"],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        records = json.loads((out / "svar.json").read_text(encoding="utf-8"))
        rows[fmt] = [{k: v for k, v in r.items() if k not in ("file", "path", "sha256", "format")} for r in records]
    assert len(rows["html"]) == len(list(model.numbered_questions()))
    assert rows["html"] == rows["docx"] == rows["pdf"]


def test_opening_the_saved_file_restores_the_page_exactly(complete, browser, page_file):
    page, _, saved, _ = complete
    fresh = open_page(browser, page_file)
    try:
        assert controls_state(fresh) != controls_state(page)
        open_file(fresh, saved)
        fresh.wait_for_function("document.getElementById('status').textContent !== ''")
        assert controls_state(fresh) == controls_state(page)
        assert "är inlästa" in fresh.inner_text("#status")
        assert fresh.errors == []
    finally:
        fresh.context.close()


def test_a_parsed_docx_loads_into_the_page(browser, page_file, model, built_docx, tmp_path):
    """"Öppna sparad fil" takes what `lovande parse` wrote for a filled .docx (a list of one form)."""
    from lovande_docs.fill import FILLERS

    values = answer_values(model, seed=5, share=0.5)
    FILLERS["docx"](built_docx, values, tmp_path / "enhet.docx", model)
    parsed = tmp_path / "enhet.json"
    parsed.write_text(json.dumps([read_form(tmp_path / "enhet.docx").to_dict()], ensure_ascii=False), encoding="utf-8")
    page = open_page(browser, page_file)
    try:
        open_file(page, parsed)
        page.wait_for_function("document.getElementById('status').textContent !== ''")
        saved = save(page, tmp_path)
        assert strip_answers(json.loads(saved.read_text(encoding="utf-8"))) == expected(model, values)
    finally:
        page.context.close()


# --- axe in every state ---------------------------------------------------------------------------

def _state(name: str, page, model, tmp_path: Path) -> None:
    if name == "partly":
        fill_at_once(page, answer_values(model, seed=7, share=0.3))
        page.click("#check-button")
    elif name == "complete":
        fill_at_once(page, answer_values(model, seed=8))
        page.click("#check-button")
    elif name == "error":
        bad = tmp_path / "svar.json"
        bad.write_text('{"schema": "lovande-answers/1", "questions": ', encoding="utf-8")
        open_file(page, bad)
        page.wait_for_selector("#error:not([hidden])")
    elif name == "print":
        fill_at_once(page, answer_values(model, seed=9, share=0.5))
        page.emulate_media(media="print")


@pytest.mark.parametrize("state", ["empty", "partly", "complete", "error", "print"])
def test_axe_finds_no_violation(state, browser, page_file, model, tmp_path):
    page = open_page(browser, page_file)
    try:
        _state(state, page, model, tmp_path)
        assert axe_violations(page) == []
        shot(page, tmp_path, f"state-{state}")
        assert page.errors == []
    finally:
        page.context.close()


def test_axe_is_heard_when_the_page_is_wrong(browser, page_file):
    """A planted defect (a field's label taken away, a heading emptied) is reported: the check can fail."""
    page = open_page(browser, page_file)
    try:
        page.evaluate("""() => { document.querySelector('label[for="namngivna-teorier__status"]').remove();
                                 document.querySelector('h2').textContent = ''; }""")
        found = {v["id"] for v in axe_violations(page)}
        assert {"select-name", "empty-heading"} <= found
    finally:
        page.context.close()


def test_error_state_says_what_is_wrong_and_takes_the_focus(browser, page_file, tmp_path):
    page = open_page(browser, page_file)
    try:
        bad = tmp_path / "enhet.json"
        bad.write_text("[1, 2]", encoding="utf-8")
        open_file(page, bad)
        page.wait_for_selector("#error:not([hidden])")
        assert page.evaluate("document.activeElement.id") == "error"
        assert "enhet.json" in page.inner_text("#error-text") and "2 formulär" in page.inner_text("#error-text")
    finally:
        page.context.close()


# --- no requests, no JavaScript needed --------------------------------------------------------------

def test_the_page_makes_no_request_of_any_kind(browser, page_file, model, tmp_path):
    context = browser.new_context(locale="sv-SE", accept_downloads=True)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        page.goto(page_file.as_uri())
        fill_at_once(page, answer_values(model, seed=3, share=0.2))
        saved = save(page, tmp_path)
        open_file(page, saved)
        page.click("#check-button")
        page.emulate_media(media="print")
        page.pdf(path=str(tmp_path / "utskrift.pdf"))
        page.reload()
        assert requests == [page_file.as_uri(), page_file.as_uri()]  # the file itself, opened and reloaded
        assert violations == []
        policy = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
        assert "default-src 'none'" in policy and "unsafe-inline" not in policy
        # the policy is in force: a script the page did not bring is refused before it is fetched
        failed: list[str] = []
        page.on("requestfailed", lambda request: failed.append(request.failure))
        page.evaluate("""() => { const s = document.createElement('script'); s.src = 'https://example.org/x.js';
                                 document.head.appendChild(s); }""")
        page.wait_for_timeout(300)
        assert violations and "example.org" in violations[0] and failed
    finally:
        context.close()


def test_without_its_script_the_guide_is_readable_and_fillable(browser, page_file, model, tmp_path):
    """The page with its script taken out, as a browser with JavaScript switched off runs it (Playwright
    cannot look into a page whose scripts are switched off): no tools, every field there and fillable."""
    text = page_file.read_text(encoding="utf-8")
    start = text.rindex("<script>")
    bare = tmp_path / "utan-skript.html"
    bare.write_text(text[:start] + text[text.index("</script>", start) + len("</script>"):], encoding="utf-8")
    page = open_page(browser, bare)
    try:
        assert not page.is_visible("#tools")
        values = answer_values(model, seed=4, share=0.1)
        fill_by_keyboard(page, model, values)
        assert axe_violations(page) == []
        state = controls_state(page)
        assert {n for n, _, _ in state} == {f.name for f in field_ids.all_fields(model)}
        chosen = {n: v for n, v, checked in state if v is not None and checked is True}
        assert all(chosen[name] == value for name, value in values.items() if name in chosen)
        shot(page, tmp_path, "no-script")
    finally:
        page.context.close()


# --- overview, check, crash-recovery copy -------------------------------------------------------------

def test_overview_and_check_list_follow_the_answers(browser, page_file, model):
    page = open_page(browser, page_file)
    try:
        first = model.elements[0]
        questions = [n for n in model.numbered_questions() if n.element is first]
        for numbered in questions:
            page.check(f"#{numbered.question.id}__answer__nej")
        assert page.inner_text("#overview-done") == f"1 av {len(model.elements)} element klara"
        assert page.inner_text(f"#count-{first.id}") == f"{len(questions)} av {len(questions)} stödfrågor besvarade"
        page.focus("#check-button")
        page.keyboard.press("Enter")
        links = page.locator("#check-list a")
        missing = len(list(model.numbered_questions())) - len(questions)
        assert links.count() == missing and page.evaluate("document.activeElement.id") == "check-heading"
        second = [n for n in model.numbered_questions() if n.element is model.elements[1]][0]
        assert links.first.inner_text() == f"Element 2, stödfråga {second.number}"
        links.first.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == f"{second.question.id}__answer__ja"
    finally:
        page.context.close()


def test_the_crash_recovery_copy_is_offered_restored_and_discarded(browser, page_file, model):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    try:
        page.goto(page_file.as_uri())
        assert page.is_hidden("#autosave-offer")
        page.check("#namngivna-teorier__answer__ja")
        page.fill("#namngivna-teorier__description", "Kopian.")
        page.wait_for_timeout(500)
        page.reload()  # as after a crash: the page comes back empty, the copy is offered
        assert page.is_visible("#autosave-offer") and page.input_value("#namngivna-teorier__description") == ""
        page.click("#autosave-restore")
        assert page.input_value("#namngivna-teorier__description") == "Kopian."
        assert page.is_checked("#namngivna-teorier__answer__ja")
        page.wait_for_timeout(500)
        page.reload()
        page.click("#autosave-discard")
        key = f"lovande-docs:{model.id}:{model.version}"
        assert page.evaluate("(key) => localStorage.getItem(key)", key) is None
        page.reload()
        assert page.is_hidden("#autosave-offer")
        assert "ingen säker plats" in page.inner_text("#tools")
    finally:
        context.close()


# --- reflow, text spacing, forced colours, print --------------------------------------------------------

TEXT_SPACING = """() => { const sheet = new CSSStyleSheet();
  sheet.replaceSync('* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }'
                    + ' p, li, legend, label { margin-bottom: 2em !important; }');
  document.adoptedStyleSheets = [sheet]; }"""

OVERFLOW = """() => {
  const wide = document.documentElement.scrollWidth > window.innerWidth;
  const clipped = Array.from(document.querySelectorAll('body *')).filter(e => {
    const s = getComputedStyle(e);
    return e.offsetParent !== null && !e.classList.contains('vh') && ['hidden', 'clip'].includes(s.overflowX)
      && e.scrollWidth > e.clientWidth + 1; }).map(e => e.tagName + '#' + e.id);
  const outside = Array.from(document.querySelectorAll('main *')).filter(e => {
    const r = e.getBoundingClientRect();
    return e.offsetParent !== null && !e.closest('.vh') && r.width > 0 && r.right > window.innerWidth + 1; })
    .map(e => e.tagName + '#' + e.id + '.' + e.className);
  return {wide, clipped, outside: outside.slice(0, 5)}; }"""


@pytest.mark.parametrize("spacing", [False, True], ids=["plain", "text-spacing"])
def test_reflows_at_320_css_pixels(spacing, browser, page_file, tmp_path):
    page = open_page(browser, page_file, viewport={"width": 320, "height": 640})
    try:
        if spacing:
            page.evaluate(TEXT_SPACING)
            assert page.evaluate("""() => { const s = getComputedStyle(document.querySelector('#guide p'));
                return Math.abs(parseFloat(s.lineHeight) - 1.5 * parseFloat(s.fontSize)) < 0.5
                       && parseFloat(s.letterSpacing) > 0; }""")  # the spacing is in force
        page.check("#namngivna-teorier__answer__ej_relevant")
        assert page.evaluate(OVERFLOW) == {"wide": False, "clipped": [], "outside": []}
        suffix = "-spacing" if spacing else ""
        shot(page, tmp_path, f"w320-top{suffix}")
        page.locator("#q-namngivna-teorier").scroll_into_view_if_needed()
        shot(page, tmp_path, f"w320-question{suffix}")
        page.locator(".model-map").scroll_into_view_if_needed()
        shot(page, tmp_path, f"w320-map{suffix}")
    finally:
        page.context.close()


def test_forced_colours_keep_every_boundary(browser, page_file, tmp_path):
    page = open_page(browser, page_file, forced_colors="active")
    try:
        page.check("#namngivna-teorier__answer__nej")
        borders = page.evaluate("""() => ['.model-map a.category', '.model-map li li a', 'nav.strip a.current',
            'fieldset.question', '.tip', 'textarea', 'select', 'button'].map(s => {
              const c = getComputedStyle(document.querySelector(s));
              return [s, c.borderTopStyle !== 'none' && parseFloat(c.borderTopWidth) > 0]; })""")
        assert [s for s, ok in borders if not ok] == []
        assert page.evaluate("matchMedia('(forced-colors: active)').matches")
        current = page.evaluate("getComputedStyle(document.querySelector('nav.strip a.current')).textDecorationLine")
        assert "underline" in current  # the current element is told by more than its colour
        page.locator("nav.strip").first.scroll_into_view_if_needed()
        shot(page, tmp_path, "forced-colors-strip")
        page.locator(".model-map").scroll_into_view_if_needed()
        shot(page, tmp_path, "forced-colors-map")
    finally:
        page.context.close()


def test_print_is_tagged_shows_choices_without_colour_and_marks_the_unanswered(browser, page_file, model, tmp_path):
    page = open_page(browser, page_file)
    try:
        values = answer_values(model, seed=11, share=0.5)
        fill_at_once(page, values)
        page.emulate_media(media="print")
        pdf = tmp_path / "utskrift.pdf"
        page.pdf(path=str(pdf), tagged=True, outline=True, format="A4", print_background=False)
        page.locator("#q-namngivna-teorier").scroll_into_view_if_needed()
        shot(page, tmp_path, "print-question")
    finally:
        page.context.close()
    info = subprocess.run([require_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    text = subprocess.run([require_tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    choices = [f for f in field_ids.all_fields(model) if f.kind == "choice"]
    unanswered = [f for f in choices if f.name not in values]
    assert text.count("Ej besvarad") == len(unanswered) > 0
    assert text.count("☒") == len(choices) - len(unanswered)
    assert "Spara som fil" not in text and "Tillbaka till modellen" not in text
    structure = subprocess.run([require_tool("pdfinfo"), "-struct", str(pdf)], capture_output=True, text=True,
                               check=True).stdout
    assert "H1" in structure and "H2" in structure
