"""The built PDF in the viewers' own engines: pdf.js (Firefox) and PDFium (Chrome, Edge).

Each engine fills the form as its viewer does (pdf.js: annotation storage and saveDocument();
PDFium: clicks, typed characters, a combo choice, then a full or incremental save), the other
engine opens and edits the saved file, and lovande's reader must get back exactly what was entered.
Pages are rendered (PDFium with its form layer, pdf.js as it prints) and the pixels must show every
field's frame and value. One full-form pass per direction keeps this lean; hypothesis adds a few
generated answer sets on one page.
"""
from __future__ import annotations

import json
import random
import re
import subprocess
from pathlib import Path

import pytest
from conftest import require_tool, run_pdfjs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from answers_strategies import SWEDISH
from lovande_docs import fields as field_ids
from lovande_docs.answers import place
from lovande_docs.readers import read_form
from pdfium_user import Pdfium, fill_as_user, widgets

SCALE = 2.0  # pixels per point in renders
SAMI = "á č đ ŋ š ŧ ž Á Č Đ Ŋ Š Ŧ Ž"
TYPOGRAPHIC = "– ’ ” … ≥ →"
PARAGRAPH = ("Vi arbetar med föräldrar i grupp och följer upp varje träff med en enkät. Sámi: "
             + SAMI + " – ’citat” … ≥ 2 → bättre. ")


# --- answers ---------------------------------------------------------------------------------------

def seeded_values(model, seed: int) -> dict[str, str]:
    """A value for most fields (some left empty): Swedish text with newlines, Sámi letters and
    typographic punctuation, one answer of 3,000 characters, and every option of every choice."""
    rng = random.Random(seed)
    values: dict[str, str] = {}
    long_done = False
    for definition in field_ids.all_fields(model):
        if rng.random() < 0.15:
            continue  # an empty answer
        if definition.kind in ("choice", "select"):
            values[definition.name] = rng.choice(definition.options.codes)
        elif definition.kind == "date":
            values[definition.name] = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        elif definition.kind == "line":
            values[definition.name] = rng.choice(["Örebro kommun", "Enhet Åsa – Sámi: Čáhppes", "Ŋ-gruppen"])
        elif not long_done and definition.key == "description":
            values[definition.name] = long_text(rng, 3000)
            long_done = True
        else:
            lines = [PARAGRAPH[: rng.randint(10, len(PARAGRAPH))].strip() for _ in range(rng.randint(1, 4))]
            values[definition.name] = "\n".join(lines)
    return values


def long_text(rng: random.Random, size: int) -> str:
    paragraphs, total = [], 0
    while total < size:
        paragraph = (PARAGRAPH * 3)[: rng.randint(200, 500)].strip()
        paragraphs.append(paragraph)
        total += len(paragraph) + 1
    return "\n".join(paragraphs)[:size].strip()


def expected_answers(model, values: dict[str, str]) -> dict:
    """What the reader returns: every field, None where empty, text with line ends as \\n."""
    result: dict = {"practice": {}, "questions": {}, "elements": {}, "assessment": {}}
    for definition in field_ids.all_fields(model):
        place(result, definition, model, values.get(definition.name))
    return result


def read_back(path: Path) -> dict:
    form = read_form(path).to_dict()
    return {key: form[key] for key in ("practice", "questions", "elements", "assessment")}


# --- the engines -----------------------------------------------------------------------------------

def pdfjs_fill(source: Path, values: dict[str, str], target: Path) -> dict:
    values_file = target.with_suffix(".json")
    values_file.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    return json.loads(run_pdfjs("fill_pdfjs.mjs", str(source), str(values_file), str(target)))


def pdfjs_render(source: Path, pages: list[int], prefix: Path) -> dict[int, Image.Image]:
    run_pdfjs("render_pdfjs.mjs", str(source), str(SCALE), str(prefix), *(str(p + 1) for p in pages))
    return {p: Image.open(f"{prefix}-{p + 1}.png").convert("RGB") for p in pages}


def pdfium_render(source: Path, pages: list[int], prefix: Path) -> dict[int, Image.Image]:
    engine = Pdfium(source)
    try:
        images = {p: engine.render(p, SCALE).convert("RGB") for p in pages}
    finally:
        engine.close()
    for page, image in images.items():
        image.save(f"{prefix}-{page + 1}.png", compress_level=1)  # kept in the tmp folder to look at
    return images


# --- pixels ----------------------------------------------------------------------------------------

def _box(image: Image.Image, page_height: float, rect) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = rect
    return (round(x0 * SCALE), round((page_height - y1) * SCALE), round(x1 * SCALE), round((page_height - y0) * SCALE))


def frame_sides(image: Image.Image, page_height: float, rect) -> int:
    """How many of the four sides of a field show a drawn line: in the outermost 2 pt of the side,
    ≥ 90 % of its length has a non-white pixel. A field that lost its frame scores 0."""
    left, top, right, bottom = _box(image, page_height, rect)
    depth = round(2 * SCALE)
    bands = [
        (image.crop((left + depth, top, right - depth, top + depth)), "columns"),
        (image.crop((left + depth, bottom - depth, right - depth, bottom)), "columns"),
        (image.crop((left, top + depth, left + depth, bottom - depth)), "rows"),
        (image.crop((right - depth, top + depth, right, bottom - depth)), "rows"),
    ]
    return sum(_drawn(band.convert("L"), along) >= 0.9 for band, along in bands)


def _drawn(band: Image.Image, along: str) -> float:
    width, height = band.size
    data = band.tobytes()
    if along == "columns":
        lines = [[data[r * width + c] for r in range(height)] for c in range(width)]
    else:
        lines = [data[r * width:(r + 1) * width] for r in range(height)]
    return sum(1 for line in lines if min(line) < 235) / max(1, len(lines))


def ink(image: Image.Image, page_height: float, rect, inset: float = 2.5, share: float = 1.0,
        below: int = 110) -> int:
    """Dark pixels (text) inside the field, frame left out; ``share``: only the left part of it
    (a combo box: PDFium draws its arrow at the right); ``below``: 235 counts any drawn pixel."""
    x0, y0, x1, y1 = rect
    x1 = x0 + (x1 - x0) * share
    left, top, right, bottom = _box(image, page_height, (x0 + inset, y0 + inset, x1 - inset, y1 - inset))
    crop = image.crop((left, top, right, bottom)).convert("L")
    return sum(1 for value in crop.tobytes() if value < below)


def text_lines(image: Image.Image, page_height: float, rect, inset: float = 2.5) -> tuple[int, int, int]:
    """(lines of text, last row with text, rows) inside the field: lines are runs of rows with ink."""
    x0, y0, x1, y1 = rect
    left, top, right, bottom = _box(image, page_height, (x0 + inset, y0 + inset, x1 - inset, y1 - inset))
    crop = image.crop((left, top, right, bottom)).convert("L")
    width, data = crop.size[0], crop.tobytes()
    rows = [min(data[r * width:(r + 1) * width]) < 110 for r in range(crop.size[1])]
    lines = sum(1 for r, has in enumerate(rows) if has and (r == 0 or not rows[r - 1]))
    return lines, max((r for r, has in enumerate(rows) if has), default=-1), len(rows)


# --- fixtures: one full-form pass per direction ----------------------------------------------------

@pytest.fixture(scope="session")
def values(model) -> dict[str, str]:
    return seeded_values(model, 11)


@pytest.fixture(scope="session")
def values_again(model) -> dict[str, str]:
    """Other answers, entered over the first ones by the other engine (text cleared where empty)."""
    first = seeded_values(model, 11)
    second = seeded_values(model, 12)
    for name, value in first.items():
        definition = field_ids.fields_by_name(model)[name]
        if name not in second and definition.kind not in ("choice", "select"):
            second[name] = ""  # the user clears the field
        elif name not in second:
            second[name] = value  # a chosen option stays chosen: radio groups cannot be emptied
    return second


@pytest.fixture(scope="session")
def engines_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("engines")


@pytest.fixture(scope="session")
def by_pdfjs(built_pdf, values, engines_dir) -> tuple[Path, dict]:
    target = engines_dir / "pdfjs.pdf"
    report = pdfjs_fill(built_pdf, values, target)
    return target, report


@pytest.fixture(scope="session")
def by_pdfium(built_pdf, values, engines_dir) -> Path:
    target = engines_dir / "pdfium.pdf"
    fill_as_user(built_pdf, values, target)
    return target


@pytest.fixture(scope="session")
def by_lovande(built_pdf, model, values, engines_dir) -> Path:
    """The project's own filler (prefill, tests): pypdf draws the appearances."""
    from lovande_docs.fill.pdf import fill_pdf

    target = engines_dir / "lovande.pdf"
    fill_pdf(built_pdf, values, target, model)
    return target


@pytest.fixture(scope="session")
def pdfjs_then_pdfium(by_pdfjs, values_again, engines_dir) -> Path:
    target = engines_dir / "pdfjs-then-pdfium.pdf"
    fill_as_user(by_pdfjs[0], values_again, target, incremental=True)
    return target


@pytest.fixture(scope="session")
def pdfium_then_pdfjs(by_pdfium, values_again, engines_dir) -> Path:
    target = engines_dir / "pdfium-then-pdfjs.pdf"
    pdfjs_fill(by_pdfium, values_again, target)
    return target


def _clean(values: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in values.items() if v != ""}


# --- names, fonts ----------------------------------------------------------------------------------

def test_every_widget_has_its_own_accessible_name(model, built_pdf, by_pdfjs):
    _, report = by_pdfjs
    assert report["widgets"] == sum(len(f.options.codes) if f.kind == "choice" else 1
                                    for f in field_ids.all_fields(model))
    assert report["unnamed"] == []  # pdf.js (Firefox) names a widget only from its own /TU
    definitions = field_ids.fields_by_name(model)
    for page in PdfReader(built_pdf).pages:
        for annotation in page.get("/Annots", ()):
            widget = annotation.get_object()
            if widget.get("/Subtype") != "/Widget" or "/T" in widget:
                continue
            field = definitions[str(widget["/Parent"].get_object()["/T"])]
            code = next(str(s)[1:] for s in widget["/AP"]["/N"] if s != "/Off")
            assert str(widget["/TU"]) == field.box_title(code)  # "Element 1, stödfråga 1 – Ja"


def unembedded_fonts(path: Path) -> list[str]:
    tool = require_tool("pdffonts")
    listing = subprocess.run([tool, str(path)], check=True, capture_output=True, text=True, timeout=60).stdout
    return [line for line in listing.splitlines()[2:] if line.split()[-5] != "yes"]


def fonts_drawn_unembedded(path: Path) -> set[str]:
    """Fonts a widget appearance draws text with (Tf) that are not embedded in the file."""
    found = set()
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots", ()):
            widget = annotation.get_object()
            normal = widget.get("/AP", {}).get("/N")
            if widget.get("/Subtype") != "/Widget" or normal is None:
                continue
            normal = normal.get_object()
            streams = [normal] if hasattr(normal, "get_data") else [s.get_object() for s in normal.values()]
            for stream in streams:
                fonts = (stream.get("/Resources") or {}).get("/Font") or {}
                for name in re.findall(rb"/([^\s/]+)\s+[\d.]+\s+Tf", stream.get_data()):
                    font = fonts.get("/" + name.decode("latin-1"))
                    font = font.get_object() if font is not None else None
                    descriptor = font.get("/FontDescriptor") if font is not None else None
                    if descriptor is None or not any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                        found.add(str(font.get("/BaseFont")) if font is not None else name.decode("latin-1"))
    return found


def test_every_font_is_embedded_also_after_filling_in_both_engines(built_pdf, by_pdfjs, by_pdfium):
    """The field font has the glyphs typed here (Swedish, Sámi, – ’ ” … ≥ →), so neither engine
    draws a typed value with a substitute. (PDFium lists an unused Helvetica in the resources of
    the appearances it makes; only fonts that draw count.)"""
    for path in (built_pdf, by_pdfjs[0]):
        assert unembedded_fonts(path) == [], path.name
    for path in (built_pdf, by_pdfjs[0], by_pdfium):
        assert fonts_drawn_unembedded(path) == set(), path.name


def test_border_widths_are_whole_points(built_pdf):
    for page in PdfReader(built_pdf).pages:
        for annotation in page.get("/Annots", ()):
            widget = annotation.get_object()
            if widget.get("/Subtype") == "/Widget":
                width = widget["/BS"]["/W"]
                assert float(width) == int(width) >= 1  # PDFium reads /W as an integer


def test_text_and_combo_widgets_have_their_own_appearance_stream(built_pdf):
    """pypdf (the project's filler) writes a new value into the widget's existing stream: a stream
    shared by several fields showed the last value in all of them."""
    owners: dict[int, int] = {}
    for page in PdfReader(built_pdf).pages:
        for annotation in page.get("/Annots", ()):
            widget = annotation.get_object()
            if widget.get("/Subtype") == "/Widget" and widget.get("/FT") in ("/Tx", "/Ch"):
                ref = widget["/AP"].raw_get("/N").idnum
                owners[ref] = owners.get(ref, 0) + 1
    assert owners and max(owners.values()) == 1


# --- values ----------------------------------------------------------------------------------------

def test_pdfjs_fill_reads_back_exactly_with_appearances(model, by_pdfjs, values):
    path, report = by_pdfjs
    assert set(report["set"]) == set(values)
    assert read_back(path) == expected_answers(model, values)
    reader = PdfReader(path)
    # Every character had a glyph: pdf.js wrote every appearance itself (no NeedAppearances).
    assert not reader.trailer["/Root"]["/AcroForm"].get("/NeedAppearances", False)


@pytest.mark.parametrize("incremental", [False, True], ids=["full-save", "incremental-save"])
def test_pdfium_typing_reads_back_exactly(model, built_pdf, by_pdfium, values, incremental, tmp_path):
    path = by_pdfium
    if incremental:  # the incremental save on one page's fields keeps this quick
        page = min(w.page for w in widgets(built_pdf) if w.kind == "/Tx")
        subset = {w.name: values[w.name] for w in widgets(built_pdf) if w.page == page and w.name in values}
        path = tmp_path / "incremental.pdf"
        fill_as_user(built_pdf, subset, path, incremental=True)
        assert path.stat().st_size > built_pdf.stat().st_size
        values = subset
    assert read_back(path) == expected_answers(model, values)


def test_pdfjs_file_edited_in_pdfium_reads_back(model, pdfjs_then_pdfium, values_again):
    assert read_back(pdfjs_then_pdfium) == expected_answers(model, _clean(values_again))


def test_pdfium_file_edited_in_pdfjs_reads_back(model, pdfium_then_pdfjs, values_again):
    assert read_back(pdfium_then_pdfjs) == expected_answers(model, _clean(values_again))


def test_character_without_glyph_reads_back_and_still_shows(model, built_pdf, tmp_path):
    """✓ and Cyrillic are not in the field font: the value is kept exactly; pdf.js then leaves the
    drawing to the viewer (NeedAppearances) and PDFium redraws every field of the file from its
    value, frames and radio buttons included; PDFium itself draws the value with a substitute."""
    field = next(f for f in field_ids.all_fields(model) if f.key == "description")
    answer = next(f for f in field_ids.all_fields(model) if f.owner_id == field.owner_id and f.kind == "choice")
    entered = {field.name: "Klart ✓ – Жанна åäö", answer.name: answer.options.codes[0]}
    by_js = tmp_path / "js.pdf"
    pdfjs_fill(built_pdf, entered, by_js)
    assert PdfReader(by_js).trailer["/Root"]["/AcroForm"]["/NeedAppearances"]
    by_pdfium = tmp_path / "pdfium.pdf"
    fill_as_user(built_pdf, entered, by_pdfium)
    target = next(w for w in widgets(built_pdf) if w.name == field.name)
    radios = [w for w in widgets(built_pdf) if w.name == answer.name]
    height = float(PdfReader(built_pdf).pages[target.page].mediabox.height)
    for path in (by_js, by_pdfium):
        form = read_back(path)["questions"][field.owner_id]
        assert (form["description"], form["answer"]) == (entered[field.name], entered[answer.name]), path.name
        image = pdfium_render(path, [target.page], tmp_path / path.stem)[target.page]
        assert ink(image, height, target.rect) > 150, path.name
        assert frame_sides(image, height, target.rect) == 4, path.name
        # every option still has its outline, and only the chosen one its mark
        outlines = [ink(image, height, r.rect, inset=0, below=235) for r in radios]
        marks = [ink(image, height, r.rect, inset=1.5) for r in radios]
        assert min(outlines) > 0 and marks[0] > 0 and marks[1:] == [0] * (len(radios) - 1), path.name


# --- what the engines draw -------------------------------------------------------------------------

def _filled_pages(built_pdf: Path, values: dict[str, str], count: int) -> tuple[list[int], list]:
    """The first pages that hold filled text or combo fields, and those widgets."""
    shown = [w for w in widgets(built_pdf) if w.kind in ("/Tx", "/Ch") and values.get(w.name)]
    pages = sorted({w.page for w in shown})[:count]
    return pages, [w for w in shown if w.page in pages]


@pytest.mark.parametrize("engine", ["pdfium", "pdfjs"])
@pytest.mark.parametrize("made_by", ["by_pdfjs", "by_pdfium"])
def test_filled_fields_keep_frame_and_show_value(engine, made_by, request, built_pdf, values, engines_dir):
    """Each engine's saved file, reopened in each engine and rendered: every filled text and combo
    field has four sides of frame and text inside (PDFium: every page; pdf.js, slower from Node:
    the first three pages with such fields)."""
    source = request.getfixturevalue(made_by)
    source = source[0] if isinstance(source, tuple) else source
    pages, shown = _filled_pages(built_pdf, values, 999 if engine == "pdfium" else 3)
    render = pdfium_render if engine == "pdfium" else pdfjs_render
    images = render(source, pages, engines_dir / f"{made_by}-in-{engine}")
    height = float(PdfReader(built_pdf).pages[0].mediabox.height)
    lost = [(w.name, frame_sides(images[w.page], height, w.rect),
             ink(images[w.page], height, w.rect, share=0.6 if w.kind == "/Ch" else 1.0)) for w in shown]
    assert [entry for entry in lost if entry[1] < 4 or entry[2] < 30] == []
    assert len(shown) >= 8


@pytest.mark.parametrize("made_by", ["by_pdfjs", "by_pdfium", "by_lovande"])
def test_long_answer_keeps_the_layouts_text_size(made_by, request, layout, built_pdf, values, engines_dir):
    """A 3,000-character answer is drawn at the layout's field text size, as many lines as the box
    holds: automatic sizing drew it at 4 pt (12 and more tiny lines) and the last line ran past the
    box in pdf.js. The value is read back whole (above); in a prefilled guide it also continues
    on pages at the end (test_pdf_field_text.py)."""
    source = request.getfixturevalue(made_by)
    source = source[0] if isinstance(source, tuple) else source
    name, _ = max(values.items(), key=lambda item: len(item[1]))
    assert len(values[name]) >= 2900
    target = next(w for w in widgets(built_pdf) if w.name == name)
    height = float(PdfReader(built_pdf).pages[target.page].mediabox.height)
    image = pdfium_render(source, [target.page], engines_dir / f"long-{made_by}")[target.page]
    size = layout.number("pdf.fields.text_pt")
    saved = [annot.get_object() for page in PdfReader(source).pages for annot in page.get("/Annots") or []]
    widget = next(a for a in saved if a.get("/T") == name)
    drawn = widget["/AP"]["/N"].get_object().get_data().decode("latin-1")
    assert {float(v) for v in re.findall(r"/\S+ ([\d.]+) Tf", drawn)} == {size}  # the appearance each saved
    lines, _, _ = text_lines(image, height, target.rect)
    assert 1 <= lines <= (target.rect[3] - target.rect[1]) / size  # not a dozen tiny lines


# --- generated answers, a few examples on one page -------------------------------------------------

@pytest.fixture(scope="session")
def first_form_page(built_pdf) -> tuple[int, list]:
    found = widgets(built_pdf)
    page = min(w.page for w in found if w.kind == "/Tx")
    return page, [w for w in found if w.page == page]


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_answers_typed_in_pdfium_read_back(model, built_pdf, first_form_page, tmp_path, data):
    """Hypothesis: Swedish text with newlines and empty answers, typed into one page's fields."""
    _, found = first_form_page
    text = st.lists(st.text(SWEDISH + "čđŋšŧž…’", min_size=0, max_size=80), min_size=1, max_size=4).map(
        lambda lines: "\n".join(line.strip() for line in lines).strip())
    entered: dict[str, str] = {}
    for widget in found:
        if widget.kind == "/Tx" and widget.name not in entered:
            entered[widget.name] = data.draw(text, label=widget.name)
        elif widget.kind in ("/Ch", "/Btn") and widget.name not in entered:
            definition = field_ids.fields_by_name(model)[widget.name]
            entered[widget.name] = data.draw(st.sampled_from(definition.options.codes), label=widget.name)
    target = tmp_path / "generated.pdf"
    fill_as_user(built_pdf, entered, target)
    assert read_back(target) == expected_answers(model, _clean(entered))


def test_fractional_border_width_is_a_layout_error(model, layout, tmp_path):
    import copy

    from lovande_docs.layout import Layout, LayoutError
    from lovande_docs.render import renderer

    values = copy.deepcopy(dict(layout.values))
    values["pdf"]["fields"]["border_pt"] = 0.75
    with pytest.raises(LayoutError, match=r"broken\.yaml: pdf\.fields\.border_pt must be a whole number"):
        renderer("pdf")(model, Layout("broken.yaml", values), tmp_path / "x.pdf")
