"""Navigation like the original: the clickable model figure, the house link home, the element strip.

Every box is an internal hyperlink (w:hyperlink w:anchor) to the bookmark that the document
blocks name (Heading.anchor / MapCategory.anchor / MapElement.anchor), so Word and LibreOffice
jump there on click (Word: Ctrl+click by default) and the PDF LibreOffice exports keeps the links.
"""
from __future__ import annotations

from lxml import etree

from lovande_docs import markup
from lovande_docs.document import ElementStart, ModelMap
from lovande_docs.layout import Layout
from lovande_docs.render.colors import tint
from lovande_docs.render.docx import tables
from lovande_docs.render.docx.inline import hyperlink_internal, run
from lovande_docs.render.docx.xml import el, twips_mm, val


def _content_width(layout: Layout) -> float:
    return layout.number("page.width_mm") - layout.number("page.margin_left_mm") - layout.number("page.margin_right_mm")


def _link_paragraph(style: str, anchor: str, label: str, color: str | None = None, tooltip: str | None = None,
                    bold: bool = True):
    rpr = el("w:rPr", None, None if bold else val("w:b", "0"), None if bold else val("w:bCs", "0"),
             val("w:color", color) if color else None)
    r = run(label)
    if len(rpr):
        r.insert(0, rpr)
    return el("w:p", None, el("w:pPr", None, val("w:pStyle", style)), hyperlink_internal(anchor, r, tooltip=tooltip))


def _gapped(rows: list[tuple[list, int, bool]], width: int, gap: int, row_gap: bool, margin: int = 0) -> etree._Element:
    """A grid of coloured boxes with white gaps: narrow empty columns (and rows) between the boxes.

    Real spacer cells rather than tblCellSpacing or white borders, which LibreOffice 7.4 ignores
    or draws unevenly. ``rows`` holds (cells as (fill, paragraph) or None, height, exact).
    """
    count = len(rows[0][0])
    widths = [w for i in range(count) for w in ((width, gap) if i < count - 1 else (width,))]
    none = tables.borders("w:tcBorders", None, 0)
    empty = lambda w: tables.cell(w, [el("w:p", None, el("w:pPr", None, val("w:pStyle", "Strip")))], cell_borders=none)  # noqa: E731
    out = []
    for index, (cells, height, exact) in enumerate(rows):
        if index and row_gap:
            out.append(tables.row([empty(w) for w in widths], height=gap, exact=True))
        row = []
        for i, content in enumerate(cells):
            if i:
                row.append(empty(gap))
            if content is None:
                row.append(empty(width))
            else:
                fill, paragraph = content
                row.append(tables.cell(width, [paragraph], fill=fill, cell_borders=none, valign="center", margins=margin))
        out.append(tables.row(row, height=height, exact=exact, cant_split=True))
    return tables.table(widths, out, tables.borders("w:tblBorders", None, 0, inside=True), cell_margin=0)


def model_map(block: ModelMap, layout: Layout) -> etree._Element:
    """4 coloured category columns, each with its element boxes below, white gaps between boxes."""
    L = layout
    colors = L.get("colors.categories")
    columns = len(block.categories)
    gap = int(twips_mm(L.number("docx.map.gap_mm")))
    width = (int(twips_mm(_content_width(L))) - gap * (columns - 1)) // columns
    text_color = L.color("docx.map.text_color")
    share = L.number("model_map.element_tint")
    rows = [([(colors[i % len(colors)], _link_paragraph("Figure", c.anchor, markup.plain(c.label), text_color))
              for i, c in enumerate(block.categories)], int(twips_mm(L.number("docx.map.category_height_mm"))), False)]
    for index in range(max(len(c.elements) for c in block.categories)):
        rows.append(([
            (tint(colors[i % len(colors)], share),
             _link_paragraph("Figure", c.elements[index].anchor, markup.plain(c.elements[index].label),
                             L.color("colors.text"), bold=False))
            if index < len(c.elements) else None
            for i, c in enumerate(block.categories)], int(twips_mm(L.number("docx.map.element_height_mm"))), False))
    return _gapped(rows, width, gap, row_gap=True, margin=int(twips_mm(L.number("docx.map.cell_padding_mm"))))


def strip(anchors: tuple[str, ...], current: int | None, layout: Layout,
          tooltips: tuple[str, ...] = ()) -> etree._Element:
    """The row of element numbers 1–11; ``current`` (1-based) is highlighted; each links to its element."""
    L = layout
    count = len(anchors)
    gap = int(twips_mm(L.number("docx.strip.gap_mm")))
    width = (int(twips_mm(_content_width(L))) - gap * (count - 1)) // count
    cells = []
    for number, anchor in enumerate(anchors, start=1):
        is_current = number == current
        fill = L.color("colors.strip_current") if is_current else L.color("colors.strip_other")
        color = L.color("docx.strip.current_text_color") if is_current else L.color("colors.heading")
        tip = tooltips[number - 1] if number <= len(tooltips) else None
        cells.append((fill, _link_paragraph("Strip", anchor, str(number), color, tip)))
    return _gapped([(cells, int(twips_mm(L.number("docx.strip.height_mm"))), True)], width, gap, row_gap=False)


def home_link(block: ElementStart, layout: Layout, house: etree._Element) -> etree._Element:
    """[house] Tillbaka till modellen ……… Element 1 av 11; ``house`` is the symbol's picture run."""
    L = layout
    right = int(twips_mm(_content_width(L)))
    return el("w:p", None,
              el("w:pPr", None, val("w:pStyle", "HomeLink"),
                 el("w:tabs", None, el("w:tab", {"w:val": "right", "w:pos": str(right)}))),
              hyperlink_internal(block.home_anchor, house, run(" " + block.home_label), tooltip=block.home_label),
              el("w:r", None, el("w:tab")), run(block.strip_label))
