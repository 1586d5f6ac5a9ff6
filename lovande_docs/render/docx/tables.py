"""Tables as Word wants them: tblPr/tcPr children in schema order, widths in twips, fixed layout."""
from __future__ import annotations

from lxml import etree

from lovande_docs.render.docx.xml import el, qn, val

SIDES = ("top", "left", "bottom", "right")


def borders(tag: str, color: str | None, eighths: int, sides=SIDES, inside: bool = False) -> etree._Element:
    """w:tblBorders / w:tcBorders; ``color=None`` means no border."""
    names = list(sides) + (["insideH", "insideV"] if inside else [])
    return el(tag, None, *(
        el(f"w:{side}", {"w:val": "single", "w:sz": str(eighths), "w:space": "0", "w:color": color})
        if color else el(f"w:{side}", {"w:val": "nil"})
        for side in names))


def shading(fill: str) -> etree._Element:
    return el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill})


def cell(width: int, children, fill: str | None = None, cell_borders: etree._Element | None = None,
         span: int = 1, valign: str | None = None, margins: int | None = None) -> etree._Element:
    """A w:tc; Word requires it to end with a paragraph, so an empty one is added if needed."""
    pr = el("w:tcPr", None, el("w:tcW", {"w:w": str(width), "w:type": "dxa"}),
            val("w:gridSpan", span) if span > 1 else None,
            cell_borders,
            shading(fill) if fill else None,
            el("w:tcMar", None, *(el(f"w:{s}", {"w:w": str(margins), "w:type": "dxa"}) for s in SIDES))
            if margins is not None else None,
            val("w:vAlign", valign) if valign else None)
    node = el("w:tc", None, pr, *children)
    if not len(node) or node[-1].tag != qn("w:p"):
        node.append(el("w:p"))
    return node


def row(cells, height: int | None = None, exact: bool = False, cant_split: bool = False,
        header: bool = False) -> etree._Element:
    """A w:tr; a ``header`` row repeats on every page and is the column header for assistive technology."""
    pr = None
    if height or cant_split or header:
        pr = el("w:trPr", None, el("w:cantSplit") if cant_split else None,
                el("w:trHeight", {"w:val": str(height), "w:hRule": "exact" if exact else "atLeast"}) if height else None,
                el("w:tblHeader") if header else None)
    return el("w:tr", None, pr, *cells)


def table(widths: list[int], rows, table_borders: etree._Element | None = None, cell_margin: int | None = None,
          align: str | None = None, spacing: int | None = None, caption: str | None = None,
          description: str | None = None) -> etree._Element:
    """A fixed-layout w:tbl; ``caption`` and ``description`` are its title and alt text (Word 2010+)."""
    total = sum(widths)
    pr = el("w:tblPr", None,
            el("w:tblW", {"w:w": str(total), "w:type": "dxa"}),
            val("w:jc", align) if align else None,
            el("w:tblCellSpacing", {"w:w": str(spacing), "w:type": "dxa"}) if spacing else None,
            table_borders,
            el("w:tblLayout", {"w:type": "fixed"}),
            el("w:tblCellMar", None, *(el(f"w:{s}", {"w:w": str(cell_margin), "w:type": "dxa"}) for s in SIDES))
            if cell_margin is not None else None,
            el("w:tblLook", {"w:val": "0000", "w:firstRow": "0", "w:lastRow": "0", "w:firstColumn": "0",
                             "w:lastColumn": "0", "w:noHBand": "1", "w:noVBand": "1"}),
            val("w:tblCaption", caption) if caption else None,
            val("w:tblDescription", description) if description else None)
    grid = el("w:tblGrid", None, *(el("w:gridCol", {"w:w": str(w)}) for w in widths))
    return el("w:tbl", None, pr, grid, *rows)
