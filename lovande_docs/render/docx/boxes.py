"""Boxes as bordered, shaded paragraphs rather than single-cell tables (issue #10).

A screen reader announces a table ("table, 1 row, 1 column") before every tip box or fill-in
field laid out as a one-cell table; a paragraph border is only a look. Word and LibreOffice draw
one box around consecutive paragraphs whose borders are identical and whose left and right
indents agree, so every paragraph of a box gets the same w:pBdr, w:shd and w:ind (in a box with
bullets, all its paragraphs share the bullets' hanging indent). The border sits ``space`` points
outside the text; the indents put it on the text column's edges, so the box spans the text width
as the table did.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from lovande_docs.render.docx.xml import border, el, qn

# CT_PPr's children in schema order (ECMA-376 17.3.1.26): new properties go in their place.
PPR_ORDER = tuple(qn("w:" + name) for name in (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange"))
MAX_SPACE_PT = 31  # w:space is at most 31 points (ST_PointMeasure on borders)
TWIPS_PER_PT = 20


@dataclass(frozen=True)
class Frame:
    """The look of one box: border colour and width (eighths of a point), padding, fill."""

    color: str
    eighths: int
    padding_pt: float
    fill: str
    hanging: int = 0  # twips: a box with bullets gives all its paragraphs this hanging indent

    def _space(self) -> int:
        return min(MAX_SPACE_PT, round(self.padding_pt))

    def borders(self, sides=("top", "left", "bottom", "right")) -> etree._Element:
        return el("w:pBdr", None, *(border(name, self.color, self.eighths, self._space()) for name in sides))

    def shading(self) -> etree._Element:
        return el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": self.fill})

    def indent(self) -> etree._Element:
        """The same for every paragraph of a box. The border stands ``space`` outside the first
        line's start (left of a hanging bullet), so the text starts at border + space + hanging."""
        edge = self._space() * TWIPS_PER_PT + round(self.eighths * TWIPS_PER_PT / 8)
        return el("w:ind", {"w:left": str(edge + self.hanging), "w:right": str(edge),
                            "w:hanging": str(self.hanging)})


def set_property(paragraph: etree._Element, node: etree._Element) -> None:
    """Put ``node`` into the paragraph's w:pPr in schema order, replacing one of the same kind."""
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is None:
        ppr = el("w:pPr")
        paragraph.insert(0, ppr)
    old = ppr.find(node.tag)
    if old is not None:
        ppr.replace(old, node)
        return
    rank = PPR_ORDER.index(node.tag)
    position = next((i for i, child in enumerate(ppr) if child.tag in PPR_ORDER and PPR_ORDER.index(child.tag) > rank),
                    len(ppr))
    ppr.insert(position, node)


def frame(paragraphs, look: Frame) -> None:
    """Give every paragraph (also those inside content controls) the box's border, fill and indents."""
    properties = (look.borders(), look.shading(), look.indent())
    for paragraph in paragraphs:
        for p in ([paragraph] if paragraph.tag == qn("w:p") else paragraph.iter(qn("w:p"))):
            for node in properties:
                set_property(p, copy.deepcopy(node))


def keep_together(nodes, then_next: bool = False) -> None:
    """Keep a group of body blocks on one page (a question: heading, text, answer row, description
    box, tip): every paragraph keeps its lines together and, but the last, keeps with the next one,
    also the paragraphs inside content controls, in Word's and LibreOffice's layout alike.

    The last paragraph keeps with the next only if ``then_next`` (a question's heading with its
    first part), else not even if its style does (the answer row's): chained to the next group,
    all groups would form one chain longer than a page, and both programs then ignore every keep.
    """
    paragraphs = [p for node in nodes for p in ([node] if node.tag == qn("w:p") else node.iter(qn("w:p")))]
    for index, paragraph in enumerate(paragraphs):
        if index < len(paragraphs) - 1 or then_next:
            set_property(paragraph, el("w:keepNext"))
        else:
            set_property(paragraph, el("w:keepNext", {"w:val": "0"}))
        set_property(paragraph, el("w:keepLines"))
