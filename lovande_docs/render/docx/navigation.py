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
    text_color = L.color("model_map.header_text")
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


def nav_row(layout: Layout, anchors: tuple[str, ...], names: tuple[str, ...], house: etree._Element,
            start: ElementStart | None = None) -> etree._Element:
    """The PDF's navigation row as one table row: the house (with "Tillbaka till modellen", a link
    to the model page, on an element page), the boxes 1–11 (each a link to its element, the
    current one marked) and "Element 1 av 11"; without ``start`` the legend under the model
    figure: the house and the boxes, nothing marked. Sizes from the layout's shared strip values."""
    L = layout
    box, gap = int(twips_mm(L.number("strip.box_mm"))), int(twips_mm(L.number("strip.gap_mm")))
    height = int(twips_mm(max(L.number("strip.box_mm"), L.number("house.size_mm"))))
    none = tables.borders("w:tcBorders", None, 0)
    blank = lambda: [el("w:p", None, el("w:pPr", None, val("w:pStyle", "Strip")))]  # noqa: E731
    home = el("w:p", None, el("w:pPr", None, val("w:pStyle", "HomeLink")),
              hyperlink_internal(start.home_anchor, house, run(" " + start.home_label), tooltip=start.home_label)
              if start is not None else house)
    house_width = int(twips_mm(L.number("house.size_mm"))) + box
    home_width = int(twips_mm(L.number("docx.strip.home_width_mm"))) if start is not None else house_width
    cells = [tables.cell(home_width, [home], cell_borders=none, valign="center")]
    widths = [home_width]
    for number, anchor in enumerate(anchors, start=1):
        current = start is not None and number == start.number
        fill = L.color("colors.strip_current") if current else L.color("colors.strip_other")
        color = L.color("strip.current_text") if current else L.color("colors.text")
        tip = names[number - 1] if number <= len(names) else None
        if number > 1:
            cells.append(tables.cell(gap, blank(), cell_borders=none))
            widths.append(gap)
        cells.append(tables.cell(box, [_link_paragraph("Strip", anchor, str(number), color, tip, bold=current)],
                                 fill=fill, cell_borders=none, valign="center"))
        widths.append(box)
    rest = int(twips_mm(_content_width(L))) - sum(widths)
    label = blank() if start is None else [el("w:p", None, el("w:pPr", None, val("w:pStyle", "StripLabel"),
                                                              el("w:ind", {"w:left": str(box)})),
                                             run(start.strip_label))]
    cells.append(tables.cell(rest, label, cell_borders=none, valign="center"))
    widths.append(rest)
    return tables.table(widths, [tables.row(cells, height=height, exact=True, cant_split=True)],
                        tables.borders("w:tblBorders", None, 0, inside=True), cell_margin=0)
