"""Markup spans → Word runs: bold, italics, external hyperlinks, footnote references and page
references (PAGEREF fields)."""
from __future__ import annotations

from typing import Callable

from lxml import etree

from lovande_docs import markup
from lovande_docs.render.docx.package import Rels
from lovande_docs.render.docx.xml import el, text, val


def run(value: str, style: str | None = None, bold: bool = False, italic: bool = False,
        fonts: str | None = None) -> etree._Element:
    """One run; w:rPr children in schema order (rStyle, rFonts, b, i)."""
    rpr = None
    if style or bold or italic or fonts:
        rpr = el("w:rPr", None,
                 val("w:rStyle", style) if style else None,
                 el("w:rFonts", {"w:ascii": fonts, "w:hAnsi": fonts, "w:cs": fonts, "w:eastAsia": fonts}) if fonts else None,
                 el("w:b") if bold else None, el("w:bCs") if bold else None,
                 el("w:i") if italic else None, el("w:iCs") if italic else None)
    return el("w:r", None, rpr, text(value))


def hyperlink_external(rels: Rels, url: str, *runs: etree._Element) -> etree._Element:
    return el("w:hyperlink", {"r:id": rels.add("hyperlink", url, external=True), "w:history": "1"}, *runs)


def hyperlink_internal(anchor: str, *runs: etree._Element, tooltip: str | None = None) -> etree._Element:
    attrs = {"w:anchor": anchor, "w:history": "1"}
    if tooltip:
        attrs["w:tooltip"] = tooltip
    return el("w:hyperlink", attrs, *runs)


def footnote_reference(number: int) -> etree._Element:
    return el("w:r", None, el("w:rPr", None, val("w:rStyle", "FootnoteReference")),
              el("w:footnoteReference", {"w:id": str(number)}))


def field_char(kind: str) -> etree._Element:
    return el("w:r", None, el("w:fldChar", {"w:fldCharType": kind}))


def instruction(code: str) -> etree._Element:
    return el("w:r", None, text(f" {code} ", "w:instrText"))


def page_reference(anchor: str, shown: etree._Element) -> list[etree._Element]:
    """A PAGEREF field to a heading's bookmark (``\\h``: a link to it), ``shown`` its cached result:
    Word and LibreOffice put the page where the heading really lands when they lay the text out."""
    return [field_char("begin"), instruction(f"PAGEREF {anchor} \\h"), field_char("separate"), shown,
            field_char("end")]


def runs(source: str, rels: Rels, footnote: Callable[[str], int] | None = None,
         bold: bool = False, page: Callable[[str, bool, bool], list[etree._Element]] | None = None,
         ) -> list[etree._Element]:
    """The runs (and hyperlinks) of one markup text; ``footnote`` numbers a footnote id, ``page``
    makes a page reference to a heading id (bold, italic)."""
    out: list[etree._Element] = []
    for span in markup.parse(source):
        if span.footnote is not None:
            if footnote is None:
                raise ValueError(f"footnote reference {span.footnote!r} where none can stand")
            out.append(footnote_reference(footnote(span.footnote)))
        elif span.pageref is not None:
            if page is None:
                raise ValueError(f"page reference to {span.pageref!r} where none can stand")
            out.extend(page(span.pageref, span.bold or bold, span.italic))
        elif span.link:
            out.append(hyperlink_external(rels, span.link, run(span.text, "Hyperlink", span.bold or bold, span.italic)))
        else:
            out.append(run(span.text, None, span.bold or bold, span.italic))
    return out
