"""The fillable PDF: content, form fields, navigation, identity, and filling with other engines."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import pdftotext, require_tool
from pypdf import PdfReader
from pypdf.generic import NameObject

from lovande_docs import fields as field_ids
from lovande_docs import identity, markup
from lovande_docs.document import Heading, QuestionBlock, build_document
from lovande_docs.fields import UNSET

RADIO = 1 << 15
COMBO = 1 << 17
MULTILINE = 1 << 12


# --- helpers -----------------------------------------------------------------------------------

def fold(text: str) -> str:
    """Whitespace and hyphens removed, so text compares across line breaks (pdftotext drops a
    hyphen it takes for end-of-line hyphenation, such as one in a URL broken at the hyphen)."""
    return re.sub(r"[\s\-]+", "", text)


def shown(model, text: str) -> str:
    """A markup text as the PDF shows it: plain text with footnote numbers in place of markers."""
    numbers = {fid: n for n, fid in enumerate(model.footnote_order(), start=1)}
    return "".join(str(numbers[s.footnote]) if s.footnote else s.text for s in markup.parse(text))


@pytest.fixture(scope="session")
def reader(built_pdf) -> PdfReader:
    return PdfReader(built_pdf)


@pytest.fixture(scope="session")
def text(built_pdf) -> str:
    return pdftotext(built_pdf)


def terminal_fields(reader: PdfReader) -> dict[str, dict]:
    """Every field by name with its dictionary (the parent for a radio group)."""
    out = {}
    for ref in reader.trailer["/Root"]["/AcroForm"]["/Fields"]:
        node = ref.get_object()
        out[str(node["/T"])] = node
    return out


def page_index(reader: PdfReader) -> dict[int, int]:
    return {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}


def widget_of(reader: PdfReader, name: str) -> tuple[int, list[float]]:
    """(page index, /Rect) of a field's first widget."""
    node = terminal_fields(reader)[name]
    widget = node["/Kids"][0].get_object() if "/Kids" in node else node
    return page_index(reader)[widget.raw_get("/P").idnum], [float(v) for v in widget["/Rect"]]


def dark_pixels(pdf: Path, page: int, rect: list[float], inset: float = 3) -> int:
    """Dark pixels pdftoppm renders inside rect (PDF points) on a 0-based page, border left out."""
    tool = require_tool("pdftoppm")
    png = subprocess.run([tool, "-gray", "-r", "72", "-f", str(page + 1), "-l", str(page + 1), str(pdf)],
                         check=True, capture_output=True, timeout=60).stdout
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", png)
    width, height = int(header.group(1)), int(header.group(2))
    pixels = png[header.end():]
    x0, y0, x1, y1 = rect
    count = 0
    for y in range(int(height - y1 + inset), int(height - y0 - inset)):
        row = pixels[y * width: (y + 1) * width]
        count += sum(1 for x in range(int(x0 + inset), int(x1 - inset)) if row[x] < 128)
    return count


# --- content -----------------------------------------------------------------------------------

def test_every_heading_question_and_tip_appears(model, text):
    folded = fold(text)
    expected = []
    for block in build_document(model):
        if isinstance(block, Heading):
            expected.append(block.text)
        elif isinstance(block, QuestionBlock):
            expected += [block.text, *block.tip, block.marker]
    missing = [t for t in expected if fold(shown(model, t)) not in folded]
    assert not missing, f"{len(missing)} texts missing, e.g. {missing[:3]}"


def test_front_and_back_matter(model, text):
    folded = fold(text)
    meta = model.meta
    for line in (meta.title, meta.subtitle, *meta.notice, *meta.back_cover, model.labels["contents"],
                 model.label("article_number", article_number=meta.article_number)):
        assert fold(shown(model, line)) in folded


def test_footnotes_are_printed_and_linked(model, reader, text):
    destinations = reader.named_destinations
    for footnote_id in model.footnote_order():
        note = model.footnotes[footnote_id]
        assert fold(shown(model, note.text or note.url)) in fold(text)
        assert field_ids.bookmark_name(footnote_id, prefix="fn_") in destinations


def test_qpdf_check_passes(built_pdf):
    result = subprocess.run([require_tool("qpdf"), "--check", str(built_pdf)], check=False, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


# --- navigation --------------------------------------------------------------------------------

def _outline_titles(outline, depth=0):
    for item in outline:
        if isinstance(item, list):
            yield from _outline_titles(item, depth + 1)
        else:
            yield depth, str(item.title)


def test_outline_mirrors_headings(model, reader):
    headings = [b for b in build_document(model) if isinstance(b, Heading)]
    titles = list(_outline_titles(reader.outline))
    assert titles == [(h.level - 1, markup.plain(h.text)) for h in headings]
    plain = {t for _, t in titles}
    for category in model.categories:
        assert model.label("category_heading", letter=category.letter, title=category.title) in plain
    for number, element in enumerate(model.elements, start=1):
        assert model.label("element_heading", number=number, title=element.title) in plain


def test_named_destinations_are_the_heading_anchors(model, reader):
    anchors = {b.anchor for b in build_document(model) if isinstance(b, Heading)}
    assert anchors <= set(reader.named_destinations)


def test_contents_page_numbers_match_heading_pages(model, reader, built_pdf):
    toc = next(b for b in build_document(model) if type(b).__name__ == "TableOfContents")
    destinations = reader.named_destinations
    first_page = reader.get_destination_page_number(destinations[toc.entries[0].anchor])
    layout_text = subprocess.run([require_tool("pdftotext"), "-layout", "-enc", "UTF-8", "-l", str(first_page),
                                  str(built_pdf), "-"], check=True, capture_output=True, text=True).stdout
    printed = {}
    for line in layout_text.splitlines():
        match = re.match(r"^\s*(.+?)\s*(?:\.\s*){3,}(\d+)\s*$", line)
        if match:
            printed[fold(match.group(1))] = int(match.group(2))
    pages = pdftotext(built_pdf).split("\f")
    for entry in toc.entries:
        title = markup.plain(entry.text)
        page = reader.get_destination_page_number(destinations[entry.anchor])
        assert printed.get(fold(title)) == page + 1, title
        assert fold(title) in fold(pages[page]), f"{title} not on page {page + 1}"


def _link_pages(reader: PdfReader, page_number: int) -> set[int]:
    """Object numbers of the pages the links on a page lead to."""
    targets = set()
    for annot in reader.pages[page_number].get("/Annots", ()):
        annot = annot.get_object()
        if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
            targets.add(annot["/Dest"][0].idnum)
    return targets


def test_model_map_and_strip_link_to_elements(model, reader):
    from lovande_docs.document import ElementStart

    destinations = reader.named_destinations
    starts = [b for b in build_document(model) if isinstance(b, ElementStart)]
    page_of = {name: reader.get_destination_page_number(destinations[name]) for name in starts[0].strip_anchors}
    element_pages = {reader.pages[n].indirect_reference.idnum for n in page_of.values()}
    home = reader.get_destination_page_number(destinations[starts[0].home_anchor])
    assert element_pages <= _link_pages(reader, home)
    home_ref = reader.pages[home].indirect_reference.idnum
    for start in starts:  # the house leads home, the strip to every other element
        own = page_of[start.strip_anchors[start.number - 1]]
        links = _link_pages(reader, own)
        assert home_ref in links and element_pages - {reader.pages[own].indirect_reference.idnum} <= links


# --- form fields -------------------------------------------------------------------------------

def test_acroform_holds_exactly_the_model_fields(model, reader):
    defs = field_ids.all_fields(model)
    found = terminal_fields(reader)
    assert sorted(found) == sorted(f.name for f in defs)
    for field in defs:
        node = found[field.name]
        flags = int(node.get("/Ff", 0))
        assert str(node["/TU"]).startswith(field.title), field.name
        if field.kind == "choice":
            assert node["/FT"] == "/Btn" and flags & RADIO
            kids = [k.get_object() for k in node["/Kids"]]
            on_states = [next(s for s in k["/AP"]["/N"] if s != "/Off") for k in kids]
            assert on_states == ["/" + code for code in field.options.codes]
            assert all(k["/AS"] == "/Off" for k in kids) and "/V" not in node
        elif field.kind == "select":
            assert node["/FT"] == "/Ch" and flags & COMBO
            options = [[str(v) for v in pair] for pair in node["/Opt"]]
            assert options[0] == [UNSET, field.options.placeholder]
            assert options[1:] == [[o.code, markup.plain(o.label)] for o in field.options.items]
            assert node["/V"] == UNSET
        else:
            assert node["/FT"] == "/Tx"
            assert bool(flags & MULTILINE) == (field.kind == "text"), field.name
            assert "/MaxLen" not in node


def test_export_values_are_ascii_and_names_have_no_periods(model, reader):
    for name, node in terminal_fields(reader).items():
        assert "." not in name
        for kid in node.get("/Kids", ()):
            for state in kid.get_object()["/AP"]["/N"]:
                assert str(state).isascii()


def test_tab_order_follows_reading_order(model, reader):
    order = []
    for page in reader.pages:
        assert page.get("/Tabs") == "/S"
        for annot in page.get("/Annots", ()):
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Widget":
                continue
            name = str(annot["/T"] if "/T" in annot else annot["/Parent"].get_object()["/T"])
            if not order or order[-1] != name:
                order.append(name)
    assert order == [f.name for f in field_ids.all_fields(model)]


def test_swedish_letters_survive_in_tooltips_and_options(model, reader):
    found = terminal_fields(reader)
    status = next(f for f in field_ids.all_fields(model) if f.kind == "select" and f.owner_kind == "question")
    assert any("å" in str(pair[1]) for pair in found[status.name]["/Opt"])
    assert "ö" in str(found[status.name]["/TU"])


# --- identity ----------------------------------------------------------------------------------

def test_metadata_holds_title_language_and_identity(model, reader):
    info = reader.metadata
    assert info.title == model.meta.title
    assert info.subject == model.meta.subtitle
    assert model.categories[0].title in info["/Keywords"]
    for key, value in identity.identity(model).items():
        assert info["/" + key] == value
    root = reader.trailer["/Root"]
    assert root["/Lang"] == model.meta.language
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] is True or root["/ViewerPreferences"]["/DisplayDocTitle"]


def test_two_builds_are_byte_identical(model, layout, built_pdf, tmp_path):
    from lovande_docs.render import renderer

    again = tmp_path / "again.pdf"
    renderer("pdf")(model, layout, again)
    assert again.read_bytes() == built_pdf.read_bytes()


# --- filling with other engines ----------------------------------------------------------------

@pytest.fixture(scope="session")
def fill_values(model) -> dict[str, str]:
    first = next(model.numbered_questions())
    question = {f.key: f for f in field_ids.question_fields(model, first)}
    assessment = {f.key: f for f in field_ids.section_fields(model, model.summary.assessment)}
    element = {f.key: f for f in field_ids.element_fields(model, model.elements[0])}
    return {
        question["answer"].name: question["answer"].options.codes[1],
        question["status"].name: question["status"].options.codes[1],
        question["description"].name: "Vi arbetar så här: åäö ÅÄÖ.\nAndra stycket.",
        element["status"].name: element["status"].options.codes[0],
        assessment["samlad-bedomning"].name: assessment["samlad-bedomning"].options.codes[1],
        assessment["datum"].name: "2026-05-01",
        assessment["organisation"].name: "Örebro kommun",
    }


def _read_back(path: Path) -> dict[str, str]:
    values = {}
    for name, node in terminal_fields(PdfReader(path)).items():
        value = node.get("/V")
        if value is not None:
            values[name] = str(value)[1:] if isinstance(value, NameObject) else str(value)
    return values


def _check_filled(model, original: Path, filled: Path, values: dict[str, str]) -> None:
    back = _read_back(filled)
    for name, value in values.items():
        assert back.get(name) == value, name
    reader = PdfReader(original)
    description = next(n for n in values if n.endswith("__description"))
    page, rect = widget_of(reader, description)
    assert dark_pixels(filled, page, rect) > dark_pixels(original, page, rect) + 20


def test_pdftk_fill_form_reads_back_and_shows(model, built_pdf, fill_values, tmp_path):
    pdftk = require_tool("pdftk")
    xfdf = tmp_path / "values.xfdf"
    rows = "".join(f'<field name="{n}"><value>{v}</value></field>' for n, v in fill_values.items())
    xfdf.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/" '
                    f'xml:space="preserve"><fields>{rows}</fields></xfdf>', encoding="utf-8")
    filled = tmp_path / "filled-pdftk.pdf"
    subprocess.run([pdftk, str(built_pdf), "fill_form", str(xfdf), "output", str(filled)], check=True,
                   capture_output=True, timeout=120)
    _check_filled(model, built_pdf, filled, fill_values)


def test_pymupdf_fill_reads_back_and_shows(model, built_pdf, fill_values, tmp_path):
    import pymupdf

    doc = pymupdf.open(built_pdf)
    for page in doc:
        for widget in page.widgets():
            value = fill_values.get(widget.field_name)
            if value is None:
                continue
            if widget.field_type == pymupdf.PDF_WIDGET_TYPE_RADIOBUTTON:
                if widget.on_state() != value:
                    continue
                widget.field_value = widget.on_state()
            else:
                widget.field_value = value
            widget.update()
    filled = tmp_path / "filled-mupdf.pdf"
    doc.save(filled)
    _check_filled(model, built_pdf, filled, fill_values)


def test_running_header_names_the_element(model, reader, built_pdf):
    from lovande_docs.document import ElementStart

    pages = pdftotext(built_pdf).split("\f")
    destinations = reader.named_destinations
    starts = [b for b in build_document(model) if isinstance(b, ElementStart)]
    firsts = [reader.get_destination_page_number(destinations[s.strip_anchors[s.number - 1]]) for s in starts]
    for start, first in zip(starts, firsts):
        assert fold(start.name) in fold(pages[first]), start.name
    category_page = fold(pages[firsts[0] - 1])  # before the first element: the guide's title only
    assert not any(fold(start.name) in category_page for start in starts)


def test_widgets_lie_inside_the_text_area(layout, reader):
    from reportlab.lib.units import mm

    left = layout.number("page.margin_left_mm") * mm
    right = (layout.number("page.width_mm") - layout.number("page.margin_right_mm")) * mm
    bottom = layout.number("page.margin_bottom_mm") * mm
    top = (layout.number("page.height_mm") - layout.number("page.margin_top_mm")) * mm
    for page in reader.pages:
        for annot in page.get("/Annots", ()):
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Widget":
                x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
                assert left - 0.5 <= x0 < x1 <= right + 0.5 and bottom - 0.5 <= y0 < y1 <= top + 0.5


def test_urls_are_clickable(model, reader):
    uris = set()
    for page in reader.pages:
        for annot in page.get("/Annots", ()):
            action = annot.get_object().get("/A")
            if action is not None and action.get("/S") == "/URI":
                uris.add(str(action["/URI"]))
    assert {note.url for note in model.footnotes.values() if note.url} <= uris


def test_missing_font_or_style_value_is_a_layout_error(model, layout, tmp_path):
    import copy

    from lovande_docs.layout import Layout, LayoutError
    from lovande_docs.render import renderer

    values = copy.deepcopy(dict(layout.values))
    values["fonts"]["pdf_bold"] = str(tmp_path / "missing.ttf")
    with pytest.raises(LayoutError, match="font"):
        renderer("pdf")(model, Layout("broken.yaml", values), tmp_path / "x.pdf")
    values = copy.deepcopy(dict(layout.values))
    del values["pdf"]["fields"]["combo_width_mm"]
    with pytest.raises(LayoutError, match="combo_width_mm"):
        renderer("pdf")(model, Layout("broken.yaml", values), tmp_path / "y.pdf")
