"""Pictures in the Word edition: the house symbol as an inline PNG with alt text.

The PNG is drawn at build time from the outline both editions share (render/house.py), so it looks
like the PDF's vector house and two builds are byte-identical. Word and LibreOffice read an inline
picture's wp:docPr/@descr as its alternative text.
"""
from __future__ import annotations

from lxml import etree

from lovande_docs.layout import Layout
from lovande_docs.render import house
from lovande_docs.render.docx.package import Package
from lovande_docs.render.docx.xml import el

EMU_PER_MM = 36000
PICTURE_URI = "http://schemas.openxmlformats.org/drawingml/2006/picture"
HOUSE_PART = "/word/media/house.png"


class Pictures:
    """Adds the image parts on first use and numbers every drawing (wp:docPr ids are unique)."""

    def __init__(self, pkg: Package, layout: Layout):
        self.pkg = pkg
        self.layout = layout
        self.rels = pkg.rels_of("/word/document.xml")
        self.count = 0

    def house(self, alt: str) -> etree._Element:
        """A run holding the house symbol, ``alt`` its alternative text."""
        L = self.layout
        if HOUSE_PART not in self.pkg.parts:
            self.pkg.add(HOUSE_PART, house.png(int(L.number("docx.house_png_px")), L.color("colors.heading")), "image/png")
        rid = self.rels.add("image", HOUSE_PART.removeprefix("/word/"))
        size = round(L.number("house.size_mm") * EMU_PER_MM)
        return self._inline(rid, size, size, alt)

    def _inline(self, rid: str, cx: int, cy: int, alt: str) -> etree._Element:
        self.count += 1
        name = alt  # what Word's selection pane lists: the picture's own words, from the content
        extent = {"cx": str(cx), "cy": str(cy)}
        return el("w:r", None, el("w:drawing", None, el(
            "wp:inline", {"distT": "0", "distB": "0", "distL": "0", "distR": "0"},
            el("wp:extent", extent),
            el("wp:docPr", {"id": str(self.count), "name": name, "descr": alt}),
            el("wp:cNvGraphicFramePr", None, el("a:graphicFrameLocks", {"noChangeAspect": "1"})),
            el("a:graphic", None, el("a:graphicData", {"uri": PICTURE_URI}, el(
                "pic:pic", None,
                el("pic:nvPicPr", None, el("pic:cNvPr", {"id": str(self.count), "name": name, "descr": alt}),
                   el("pic:cNvPicPr")),
                el("pic:blipFill", None, el("a:blip", {"r:embed": rid}), el("a:stretch", None, el("a:fillRect"))),
                el("pic:spPr", None, el("a:xfrm", None, el("a:off", {"x": "0", "y": "0"}), el("a:ext", extent)),
                   el("a:prstGeom", {"prst": "rect"}, el("a:avLst")))))))))
