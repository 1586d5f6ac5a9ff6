"""Running headers and the page-number footer, and the section properties that use them.

The guide's title runs in every header; inside an element the element's name stands beside it.
Each element is its own Word section with its own header part, so the header follows the reader
without fields that LibreOffice and Word would evaluate differently (STYLEREF).
"""
from __future__ import annotations

from lxml import etree

from lovande_docs.layout import Layout
from lovande_docs.render.docx.inline import run
from lovande_docs.render.docx.package import FOOTER_TYPE, HEADER_TYPE, Package
from lovande_docs.render.docx.xml import border, el, part_root, text, twips_mm, val


class HeadersFooters:
    def __init__(self, pkg: Package, layout: Layout):
        self.pkg = pkg
        self.layout = layout
        self.rels = pkg.rels_of("/word/document.xml")
        self.headers: dict[tuple[str, ...], str] = {}  # header lines → rId
        self._footer: str | None = None
        self._blank: tuple[str, str] | None = None
        self._band: str | None = None
        self._count = {"header": 0, "footer": 0}

    def _part(self, root_tag: str, paragraph: etree._Element, kind: str) -> str:
        self._count[kind] += 1
        name = f"/word/{kind}{self._count[kind]}.xml"
        root = part_root(root_tag)
        root.append(paragraph)
        self.pkg.add(name, root, HEADER_TYPE if kind == "header" else FOOTER_TYPE)
        return self.rels.add(kind, name.rsplit("/", 1)[1])

    def header(self, left: str, right: str | None) -> str:
        """The rId of a header showing ``left`` and, right-aligned, ``right``."""
        key = (left, right or "")
        if key not in self.headers:
            rule = self.layout.number("page.header_rule_pt")
            paragraph = el("w:p", None, el("w:pPr", None, val("w:pStyle", "Header"), el("w:pBdr", None, border(
                "bottom", self.layout.color("colors.box_border"), round(rule * 8), 1)) if rule else None), run(left))
            if right:
                paragraph.extend([el("w:r", None, el("w:tab")), run(right)])
            self.headers[key] = self._part("w:hdr", paragraph, "header")
        return self.headers[key]

    def footer(self) -> str:
        """One footer for all pages: the PAGE field, with a cached 1."""
        if self._footer is None:
            paragraph = el("w:p", None, el("w:pPr", None, val("w:pStyle", "Footer")),
                           el("w:r", None, el("w:fldChar", {"w:fldCharType": "begin"})),
                           el("w:r", None, text(" PAGE ", "w:instrText")),
                           el("w:r", None, el("w:fldChar", {"w:fldCharType": "separate"})),
                           el("w:r", None, text("1")),
                           el("w:r", None, el("w:fldChar", {"w:fldCharType": "end"})))
            self._footer = self._part("w:ftr", paragraph, "footer")
        return self._footer

    def blank(self) -> tuple[str, str]:
        """Empty header and footer (the colophon page)."""
        if self._blank is None:
            empty = lambda: el("w:p", None, el("w:pPr", None, val("w:pStyle", "Header")))  # noqa: E731
            self._blank = (self._part("w:hdr", empty(), "header"), self._part("w:ftr", empty(), "footer"))
        return self._blank

    def band(self) -> str:
        """The cover's header: a band in the heading colour across the top of the page, as in the
        PDF (a shaded paragraph of the band's height reaching to the page edges; its section puts
        the header at the page's top edge)."""
        if self._band is None:
            L = self.layout
            paragraph = el("w:p", None, el("w:pPr", None, val("w:pStyle", "Header"),
                                           el("w:shd", {"w:val": "clear", "w:color": "auto",
                                                        "w:fill": L.color("colors.heading")}),
                                           el("w:spacing", {"w:before": "0", "w:after": "0",
                                                            "w:line": twips_mm(L.number("cover.band_mm")),
                                                            "w:lineRule": "exact"}),
                                           el("w:ind", {"w:left": "-" + twips_mm(L.number("page.margin_left_mm")),
                                                        "w:right": "-" + twips_mm(L.number("page.margin_right_mm"))})))
            self._band = self._part("w:hdr", paragraph, "header")
        return self._band

    def cover_properties(self) -> etree._Element:
        """A cover page's section (title page, back cover): the band, no running header, no page number."""
        return self.section_properties(self.band(), self.blank()[1], header_mm=0)

    def plain_properties(self) -> etree._Element:
        """A page without header and footer (the colophon)."""
        header, footer = self.blank()
        return self.section_properties(header, footer)

    def section_properties(self, header_rid: str, footer_rid: str | None = None,
                           header_mm: float | None = None) -> etree._Element:
        """w:sectPr in schema order: header/footer references, type, pgSz, pgMar."""
        L = self.layout
        refs = [el("w:headerReference", {"w:type": "default", "r:id": header_rid})]
        footers = [el("w:footerReference", {"w:type": "default", "r:id": footer_rid or self.footer()})]
        header_distance = L.number("page.header_distance_mm") if header_mm is None else header_mm
        return el("w:sectPr", None, *refs, *footers,
                  val("w:type", "nextPage"),
                  el("w:pgSz", {"w:w": twips_mm(L.number("page.width_mm")), "w:h": twips_mm(L.number("page.height_mm"))}),
                  el("w:pgMar", {"w:top": twips_mm(L.number("page.margin_top_mm")),
                                 "w:right": twips_mm(L.number("page.margin_right_mm")),
                                 "w:bottom": twips_mm(L.number("page.margin_bottom_mm")),
                                 "w:left": twips_mm(L.number("page.margin_left_mm")),
                                 "w:header": twips_mm(header_distance),
                                 "w:footer": twips_mm(L.number("page.footer_distance_mm")),
                                 "w:gutter": "0"}))
