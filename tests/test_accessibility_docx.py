"""Accessible publication, Word part (issue #10): what a screen reader meets in the built .docx, and
colour contrast of every text-on-fill pair in the layout (for both formats: they share its colours)."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from lovande_docs import markup
from lovande_docs.document import BoxBlock, ElementSummary, build_document
from lovande_docs.fields import bookmark_name
from lovande_docs.render.colors import tint

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
AA_TEXT = 4.5  # WCAG 2.1 AA, 1.4.3: normal-size text
PAPER = "FFFFFF"  # the page itself; no renderer paints it


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def text_of(node: etree._Element) -> str:
    return "".join(t.text or "" for t in node.iter(w("t")))


@pytest.fixture(scope="module")
def document(built_docx):
    return part(built_docx, "word/document.xml")


@pytest.fixture(scope="module")
def styles(built_docx):
    return part(built_docx, "word/styles.xml")


# --- tables --------------------------------------------------------------------------------------

def test_no_single_cell_layout_tables(document):
    """A one-cell table is a box drawn with a table: screen readers announce it as a table."""
    single = [text_of(t)[:60] for t in document.iter(w("tbl"))
              if len(t.findall("w:tr/w:tc", NS)) == 1 and len(t.findall("w:tr", NS)) == 1]
    assert not single, single


def test_summary_tables_have_a_header_row_caption_and_description(model, document):
    summaries = [b for b in build_document(model) if isinstance(b, ElementSummary)]
    tables = [t for t in document.iter(w("tbl")) if t.find("w:tblPr/w:tblCaption", NS) is not None]
    assert len(tables) == len(summaries) == len(model.elements)
    for table, block in zip(tables, summaries):
        caption = table.find("w:tblPr/w:tblCaption", NS).get(w("val"))
        description = table.find("w:tblPr/w:tblDescription", NS).get(w("val"))
        assert block.name in caption and markup.plain(model.summary.overview.heading) in caption
        assert description == markup.plain(block.statement)
        rows = table.findall("w:tr", NS)
        assert rows[0].find("w:trPr/w:tblHeader", NS) is not None  # repeats, and heads the columns
        assert block.name in text_of(rows[0])
        assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
        # the fields of the element are inside its table
        names = {b.get(w("name")) for b in table.iter(w("bookmarkStart"))}
        assert {bookmark_name(f.name) for f in block.fields if f.kind != "choice"} <= names


# --- boxes as paragraphs ---------------------------------------------------------------------------

def _frame_of(paragraph: etree._Element) -> tuple[bytes, bytes, bytes] | None:
    ppr = paragraph.find("w:pPr", NS)
    parts = [ppr.find(f"w:{name}", NS) if ppr is not None else None for name in ("pBdr", "shd", "ind")]
    if parts[0] is None:
        return None
    return tuple(etree.tostring(p) if p is not None else b"" for p in parts)


def test_each_box_is_one_group_of_framed_paragraphs_in_the_layout_colours(model, layout, document):
    """Word and LibreOffice draw one box around consecutive paragraphs with identical borders and
    indents; every paragraph of a box (title, text, bullets) must carry the same frame."""
    body = [p for p in document.find("w:body", NS) if p.tag == w("p")]
    boxes = [b for b in build_document(model) if isinstance(b, BoxBlock)]
    assert boxes
    for box in boxes:
        start = next(i for i, p in enumerate(body) if text_of(p) == markup.plain(box.title)
                     and p.find("w:pPr/w:pStyle", NS).get(w("val")) == "BoxTitle")
        expected = [markup.plain(t) for t in (box.title, *box.paragraphs, *box.bullets)]
        group = body[start:start + len(expected)]
        assert [text_of(p) for p in group] == expected
        frames = {_frame_of(p) for p in group}
        assert len(frames) == 1 and None not in frames, box.title
        assert _frame_of(body[start + len(expected)]) != _frame_of(group[0])  # the box ends there
        border = group[0].find("w:pPr/w:pBdr", NS)
        assert {side.get(w("color")) for side in border} == {layout.color("colors.box_border")}
        assert len(border) == 4
        assert group[0].find("w:pPr/w:shd", NS).get(w("fill")) == layout.color("colors.box_background")


def test_text_fields_are_framed_paragraphs_around_their_control(model, layout, document):
    """A field: control and closing paragraph in one frame, its label just above, outside the frame
    (as the PDF edition sets it), keeping with it."""
    framed = 0
    for sdt in document.iter(w("sdt")):
        if sdt.find("w:sdtPr/w:richText", NS) is None:
            continue
        inner = sdt.find("w:sdtContent/w:p", NS)
        before, after = sdt.getprevious(), sdt.getnext()
        frames = {_frame_of(p) for p in (inner, after)}
        assert len(frames) == 1 and None not in frames, sdt.find("w:sdtPr/w:alias", NS).get(w("val"))
        assert _frame_of(before) is None and before.find("w:pPr/w:pStyle", NS).get(w("val")) in ("FieldLabel", "FieldHint")
        assert inner.find("w:pPr/w:pBdr/w:top", NS).get(w("color")) == layout.color("colors.field_border")
        framed += 1
    assert framed > 50  # every question's description and the assessment's text fields


# --- links -------------------------------------------------------------------------------------------

def self_explanatory(text: str) -> bool:
    """A link text with a word in it says where it leads; "3" or "⌂" alone does not."""
    return re.search(r"[^\W\d_]{3,}", text) is not None


def test_every_link_that_is_not_self_explanatory_has_a_screen_tip(built_docx):
    for name in ("word/document.xml", "word/footnotes.xml"):
        links = list(part(built_docx, name).iter(w("hyperlink")))
        bare = [text_of(h) for h in links if not self_explanatory(text_of(h)) and not h.get(w("tooltip"))]
        assert not bare, (name, bare[:12])


def test_element_strip_tips_name_the_element_in_swedish_from_the_model(model, document):
    names = [model.label("element_name", number=n, title=e.title) for n, e in enumerate(model.elements, start=1)]
    numbers = lambda t: [h for h in t.iter(w("hyperlink")) if text_of(h).isdigit()]  # noqa: E731 (beside the house link)
    strips = [t for t in document.iter(w("tbl"))
              if [text_of(h) for h in numbers(t)] == [str(n) for n in range(1, len(names) + 1)]]
    assert len(strips) == len(model.elements) + 1  # one per element page and the legend
    for strip in strips:
        assert [h.get(w("tooltip")) for h in numbers(strip)] == names


@pytest.mark.parametrize("text, expected", [("3", False), ("11", False), ("⌂", False), ("⌂ Tillbaka till modellen", True),
                                             ("Element 3. Beskrivning", True), ("https://www.sbu.se/", True)])
def test_self_explanatory(text, expected):
    assert self_explanatory(text) is expected


# --- headings, language, controls -----------------------------------------------------------------

def test_heading_levels_start_at_one_and_never_skip(document):
    levels = []
    for p in document.iter(w("p")):
        style = p.find("w:pPr/w:pStyle", NS)
        match = re.fullmatch(r"Heading(\d)", style.get(w("val"))) if style is not None else None
        if match:
            levels.append(int(match.group(1)))
    assert levels and levels[0] == 1
    skips = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    assert not skips


def test_language_is_swedish_everywhere(model, built_docx, styles):
    assert model.meta.language == "sv-SE"
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert defaults.get(w("val")) == "sv-SE"
    for name in ("word/document.xml", "word/styles.xml", "word/footnotes.xml"):
        others = {lang.get(w("val")) for lang in part(built_docx, name).iter(w("lang"))} - {"sv-SE", None}
        assert not others, (name, others)
    assert part(built_docx, "word/settings.xml").find("w:themeFontLang", NS).get(w("val")) == "sv-SE"
    core = part(built_docx, "docProps/core.xml")
    assert core.find("{http://purl.org/dc/elements/1.1/}language").text == "sv-SE"


def test_every_content_control_has_a_title(document):
    controls = list(document.iter(w("sdt")))
    assert controls
    untitled = [c for c in controls if not (c.find("w:sdtPr/w:alias", NS) is not None
                                           and c.find("w:sdtPr/w:alias", NS).get(w("val")))]
    assert not untitled


# --- colour contrast -------------------------------------------------------------------------------

def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_rgb: str) -> float:
    r, g, b = (_channel(int(hex_rgb[i:i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two sRGB colours."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula():
    assert contrast("000000", "FFFFFF") == pytest.approx(21.0)
    assert contrast("FFFFFF", "B5651D") == pytest.approx(4.34, abs=0.01)  # the orange that failed
    assert contrast("777777", "FFFFFF") == pytest.approx(4.48, abs=0.01)


def layout_text_pairs(layout) -> list[tuple[str, str, str]]:
    """Every (what, text colour, fill) the renderers draw, read from the layout file."""
    c = layout.color
    categories = layout.get("colors.categories")
    pairs = []
    for letter, fill in zip("ABCD", categories):
        pairs.append((f"model figure, category {letter} (both editions)", c("model_map.header_text"), fill))
        pairs.append((f"model figure, element box {letter}", c("colors.text"),
                      tint(fill, layout.number("model_map.element_tint"))))
    pairs += [
        ("element strip, current (both editions)", c("strip.current_text"), c("colors.strip_current")),
        ("Word: element strip, other", c("colors.heading"), c("colors.strip_other")),
        ("PDF: element strip, other", c("colors.text"), c("colors.strip_other")),
        ("PDF: element strip label", c("colors.strip_current"), PAPER),
        ("revisit note", c("colors.revisit_text"), c("colors.revisit_background")),
        ("report table header", c("report.colors.table_header_text"), c("report.colors.table_header")),
    ]
    for fill in ("tip_background", "box_background", "field_background"):
        for text in ("text", "heading", "accent", "link", "muted", "tip_text"):
            pairs.append((f"{text} on {fill}", c(f"colors.{text}"), c(f"colors.{fill}")))
    for text in ("text", "heading", "accent", "link", "muted", "tip_text", "strip_current"):
        pairs.append((f"{text} on the page", c(f"colors.{text}"), PAPER))
    return pairs


def test_every_text_colour_on_its_fill_passes_aa(layout):
    low = [(what, text, fill, round(contrast(text, fill), 2)) for what, text, fill in layout_text_pairs(layout)
           if contrast(text, fill) < AA_TEXT]
    assert not low


def _style_chain(styles: etree._Element):
    by_id = {s.get(w("styleId")): s for s in styles.iter(w("style"))}

    def find(style_id: str | None, path: str) -> str | None:
        while style_id:
            style = by_id[style_id]
            node = style.find(path, NS)
            if node is not None:
                return node.get(w("val")) if node.tag != w("shd") else node.get(w("fill"))
            based = style.find("w:basedOn", NS)
            style_id = based.get(w("val")) if based is not None else None
        return None
    return find


def test_every_coloured_run_on_a_fill_in_the_docx_passes_aa(document, styles):
    """What Word shows: each text run's resolved colour against the fill behind it (paragraph or
    cell shading), through direct formatting, character and paragraph styles and the defaults."""
    find = _style_chain(styles)
    default = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:color", NS).get(w("val"))
    checked, low = 0, []
    for p in document.iter(w("p")):
        style = p.find("w:pPr/w:pStyle", NS)
        style = style.get(w("val")) if style is not None else None
        shd = p.find("w:pPr/w:shd", NS)
        fill = shd.get(w("fill")) if shd is not None else find(style, "w:pPr/w:shd")
        if fill is None:
            cell = next(p.iterancestors(w("tc")), None)
            cell_shd = cell.find("w:tcPr/w:shd", NS) if cell is not None else None
            fill = cell_shd.get(w("fill")) if cell_shd is not None else PAPER
        for r in p.iter(w("r")):
            if not text_of(r).strip():
                continue
            color = r.find("w:rPr/w:color", NS)
            run_style = r.find("w:rPr/w:rStyle", NS)
            value = (color.get(w("val")) if color is not None else None) \
                or (find(run_style.get(w("val")), "w:rPr/w:color") if run_style is not None else None) \
                or find(style, "w:rPr/w:color") or default
            checked += 1
            if contrast(value, fill) < AA_TEXT:
                low.append((text_of(r)[:30], value, fill, round(contrast(value, fill), 2)))
    assert checked > 1000
    assert not low, low[:10]
