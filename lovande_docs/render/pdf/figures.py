"""Vector figures: the model map (4 categories, 11 linked elements), the element strip and the house.

Every box is a link to its anchor, so the figure is the guide's navigation, as in the original.
Tagged (tagging.py), the model map is a list of categories, each with the list of its elements,
every entry a Link; boxes, colours and the house are artifacts. The strip's number boxes are links
named by their elements (the digits are artifacts); the strip is read after its element's content.
"""
from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import getAscent, stringWidth
from reportlab.platypus import Flowable

from lovande_docs.document import ElementStart, ModelMap
from lovande_docs.render import house
from lovande_docs.render.colors import rgb, tint_rgb
from lovande_docs.render.pdf.para import Para
from lovande_docs.render.pdf.styles import Styles
from lovande_docs.render.pdf.tagging import StructNode, artifact_block, marked, tagger_of


def _link(canv, anchor: str, x: float, y: float, width: float, height: float) -> None:
    canv.linkRect("", anchor, (x, y, x + width, y + height), relative=1, thickness=0)


class ModelMapFigure(Flowable):
    """Four coloured columns, a category header over its element boxes."""

    def __init__(self, block: ModelMap, styles: Styles, xml):
        super().__init__()
        self.block, self.styles = block, styles
        self.colors = styles.layout.get("colors.categories")  # hex RGB
        base = styles["map"]
        self.header_style = base.clone("map_header", fontName=styles.fonts.bold,
                                       textColor=styles.color("model_map.header_text"))
        self.element_style = base.clone("map_element", textColor=styles.color("colors.text"))
        self.xml = xml
        self.gap = styles.mm("pdf.model_map.column_gap_mm")
        self.header_h = styles.mm("pdf.model_map.header_height_mm")
        self.box_h = styles.mm("pdf.model_map.box_height_mm")
        self.box_gap = styles.mm("pdf.model_map.box_gap_mm")
        self.corner = styles.mm("pdf.model_map.corner_mm")
        self.tint = styles.pt("model_map.element_tint")
        rows = max(len(c.elements) for c in block.categories)
        self.height = self.header_h + rows * (self.box_h + self.box_gap)
        self.spaceAfter = styles.pt("spacing.paragraph_after_pt")

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        return availWidth, self.height

    def _box(self, x, y, w, h, fill, xml, style, anchor, link: StructNode | None):
        canv = self.canv
        canv.setFillColor(fill)
        canv.setStrokeColor(fill)
        canv.roundRect(x, y, w, h, self.corner, stroke=0, fill=1)
        para = Para(xml, style)
        pad = self.box_gap
        _, ph = para.wrap(w - 2 * pad, h)
        with marked(canv, link):
            para.drawOn(canv, x + pad, y + (h - ph) / 2)
            _link(canv, anchor, x, y, w, h)

    def draw(self):
        count = len(self.block.categories)
        col_w = (self.width - self.gap * (count - 1)) / count
        tagger = tagger_of(self.canv)
        categories = tagger.stack[-1].node if tagger is not None and tagger.stack else None  # an L
        for index, category in enumerate(self.block.categories):
            color = self.colors[index % len(self.colors)]
            tinted = Color(*tint_rgb(color, self.tint))
            x = index * (col_w + self.gap)
            top = self.height
            link = elements = None
            if categories is not None:
                body = categories.child("LI").child("LBody")
                link, elements = body.child("Link"), body.child("L")
            self._box(x, top - self.header_h, col_w, self.header_h, Color(*rgb(color)), self.xml(category.label),
                      self.header_style, category.anchor, link)
            y = top - self.header_h - self.box_gap
            for element in category.elements:
                y -= self.box_h
                link = elements.child("LI").child("LBody").child("Link") if elements is not None else None
                self._box(x, y, col_w, self.box_h, tinted, self.xml(element.label),
                          self.element_style, element.anchor, link)
                y -= self.box_gap


class ElementNav(Flowable):
    """The house (back to the model) and the strip of all elements with the current one marked.

    Without an ElementStart it is the legend on the "Använd modellen" page: no element marked.
    """

    def __init__(self, styles: Styles, count: int, start: ElementStart | None = None):
        super().__init__()
        self.styles, self.count, self.start = styles, count, start
        self.box = styles.mm("strip.box_mm")
        self.gap = styles.mm("strip.gap_mm")
        self.house = styles.mm("house.size_mm")
        self.font_b, self.font = styles.fonts.bold, styles.fonts.regular
        self.size = styles.pt("strip.text_pt")
        self.height = max(self.box, self.house)
        self.spaceAfter = styles.pt("pdf.strip.after_pt")

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        return availWidth, self.height

    def draw(self):
        canv, s = self.canv, self.styles
        tagger = tagger_of(canv)
        strip = tagger.stack[-1].node if tagger is not None and tagger.stack else None  # a Div or None
        describe = getattr(canv, "_describe_link", lambda target: None)
        link = (lambda target=None: strip.child("Link", alt=describe(target) if target else None)) \
            if strip is not None else (lambda target=None: None)
        label_gap = self.box
        self._house(0, (self.height - self.house) / 2)  # in the legend too, as the text explains it
        x = self.house + label_gap
        if self.start is not None:
            label = self.start.home_label
            canv.setFont(self.font, self.size)
            canv.setFillColor(s.color("colors.muted"))
            x = self.house + self.gap * 2
            base = (self.height - getAscent(self.font, self.size)) / 2
            with marked(canv, link()):
                canv.drawString(x, base, label)
                x += stringWidth(label, self.font, self.size)
                _link(canv, self.start.home_anchor, 0, 0, x, self.height)
            x += label_gap
        y = (self.height - self.box) / 2
        current = self.start.number if self.start else None
        for number in range(1, self.count + 1):
            fill = s.color("colors.strip_current") if number == current else s.color("colors.strip_other")
            canv.setFillColor(fill)
            canv.rect(x, y, self.box, self.box, stroke=0, fill=1)
            text = str(number)
            font = self.font_b if number == current else self.font
            canv.setFont(font, self.size)
            canv.setFillColor(s.color("strip.current_text") if number == current
                              else s.color("colors.text"))
            # The digit is the link's picture; the Link element is named by its element
            # ("Element 2. Positiv verkan", /Alt and /Contents), so a screen reader hears where it
            # goes, not "2". The current element gets no link: "Element 1 av 11" says where one is.
            with artifact_block(canv, "Layout"):
                canv.drawCentredString(x + self.box / 2, y + (self.box - getAscent(font, self.size)) / 2, text)
            if self.start is not None and number != current:
                anchor = self.start.strip_anchors[number - 1]
                with marked(canv, link(anchor)):
                    _link(canv, anchor, x, y, self.box, self.box)
            x += self.box + self.gap
        if self.start is not None:
            with marked(canv, strip.child("P") if strip is not None else None):
                canv.setFont(self.font_b, self.size)
                canv.setFillColor(s.color("colors.strip_current"))
                canv.drawString(x + label_gap - self.gap, (self.height - getAscent(self.font_b, self.size)) / 2,
                                self.start.strip_label)

    def _house(self, x: float, y: float) -> None:
        """The house symbol (render/house.py: the same outline as the Word edition's)."""
        canv, size = self.canv, self.house
        canv.setFillColor(self.styles.color("colors.heading"))
        path = canv.beginPath()
        (x0, y0), *rest = house.OUTLINE
        path.moveTo(x + size * x0, y + size * y0)
        for px, py in rest:
            path.lineTo(x + size * px, y + size * py)
        path.close()
        canv.drawPath(path, stroke=0, fill=1)
        canv.setFillColor(self.styles.color("colors.field_background"))
        dx, dy, dw, dh = house.DOOR
        canv.rect(x + size * dx, y + size * dy, size * dw, size * dh, stroke=0, fill=1)
