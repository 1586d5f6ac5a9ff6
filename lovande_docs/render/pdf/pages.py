"""Page geometry, page templates (running header, page number) and the canvas that adds what
reportlab does not write by itself: the tagging (tagging.py) and the identity in the info dictionary.
"""
from __future__ import annotations

from functools import partial
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDate,
    PDFDictionary,
    PDFInfo,
    PDFName,
    PDFString,
)
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph
from reportlab.platypus.tableofcontents import TableOfContents

from lovande_docs.document import Heading
from lovande_docs.render.pdf.footnotes import Footnotes
from lovande_docs.render.pdf.pagerefs import HEADING_PAGE
from lovande_docs.render.pdf.para import Para
from lovande_docs.render.pdf.styles import Styles
from lovande_docs.render.pdf.tagging import StructNode, TaggingCanvas, artifact_block, group, tag

COVER, PLAIN, BODY = "cover", "plain", "body"  # title/back cover, notice page, the rest


# --- the canvas ----------------------------------------------------------------------------------

class _Info(PDFInfo):
    """The document information dictionary with extra keys (the identity) and no empty entries."""

    def __init__(self, extra: dict[str, str]):
        super().__init__()
        self.extra = extra

    def format(self, document):
        entries = {
            "Title": self.title, "Author": self.author, "Subject": self.subject, "Keywords": self.keywords,
            "Creator": self.creator, "Producer": self.producer,
        }
        d = {k: PDFString(v) for k, v in entries.items() if v}
        d["CreationDate"] = d["ModDate"] = PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter)
        d["Trapped"] = PDFName(self.trapped)
        for key, value in self.extra.items():
            d[key] = PDFString(value)
        return PDFDictionary(d).format(document)


def _value_key(value):
    """A hashable stand-in for an appearance argument; colours by their components."""
    if isinstance(value, Color):
        return (value.red, value.green, value.blue, value.alpha)
    return value


class LovandeCanvas(TaggingCanvas):
    """A tagging canvas (structure, /Tabs /S, XMP) that also writes the identity into /Info."""

    def __init__(self, *args, info: dict[str, str], creator: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._doc.info = _Info(info)
        self._doc.info.creator = creator
        self.showOutline()  # open with the bookmarks panel: the guide's headings are its navigation

    @property
    def acroForm(self):
        """reportlab's form, with radio appearance streams computed once per look instead of once
        per widget (the streams are identical for every radio of the same size and colours)."""
        form = Canvas.acroForm.fget(self)
        if not hasattr(form, "_ap_cache"):
            form._ap_cache = {}
            compute = form.checkboxAP

            def checkbox_ap(*args, **kwargs):
                key = (args, tuple(sorted((k, _value_key(v)) for k, v in kwargs.items())))
                if key not in form._ap_cache:
                    form._ap_cache[key] = compute(*args, **kwargs)
                return form._ap_cache[key]

            form.checkboxAP = checkbox_ap
        return form

    def setAuthor(self, author):  # BaseDocTemplate passes None: keep the entry out instead
        self._doc.info.author = author or ""

    def setCreator(self, creator):
        if creator:
            self._doc.info.creator = creator

    def save(self):
        """Publish every bookmark as a named destination (/Names /Dests, sorted as a name tree
        requires), so "file.pdf#nav_element_id" links work from outside the document."""
        names = []
        for name in sorted(self._destinations):
            names += [PDFString(name), self._destinations[name]]
        if names:
            self._doc.Catalog.Names = PDFDictionary({"Dests": PDFDictionary({"Names": PDFArray(names)})})
        super().save()


def canvas_maker(info: dict[str, str], creator: str, describe_link=None, metadata: bytes | None = None):
    return partial(LovandeCanvas, info=info, creator=creator, describe_link=describe_link, metadata=metadata)


# --- running header ----------------------------------------------------------------------------

class RunningHeader:
    """Which element name a page's header shows: the one in force when the page began, or else the
    first one set on the page (an element starts on a new page)."""

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self.current: str | None = None
        self.at_page_start: str | None = None
        self.set_on_page: list[str | None] = []

    def mark(self, name: str | None) -> None:
        self.current = name
        self.set_on_page.append(name)

    def for_page(self) -> str | None:
        if self.at_page_start is not None:
            return self.at_page_start
        return next((name for name in self.set_on_page if name is not None), None)

    def page_done(self) -> None:
        self.at_page_start = self.current
        self.set_on_page = []


class HeaderMark(Flowable):
    """Zero-size: from here on the running header names this element (None: the guide only)."""

    def __init__(self, state: RunningHeader, name: str | None):
        super().__init__()
        self.state, self.name = state, name
        self.width = self.height = 0

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        self.state.mark(self.name)


# --- headings and contents ---------------------------------------------------------------------

class HeadingPara(Para):
    """A heading: a named destination at its top, an outline entry, a table-of-contents entry."""

    def __init__(self, xml: str, style, heading: Heading, title: str):
        super().__init__(xml, style)
        self.heading, self.title = heading, title

    def draw(self):
        heading = getattr(self, "heading", None)
        if heading is not None:
            level = heading.level - 1
            self.canv.bookmarkHorizontal(heading.anchor, 0, self.height)
            self.canv.addOutlineEntry(self.title, heading.anchor, level=level, closed=level >= 1)
        super().draw()


class Contents(TableOfContents):
    """reportlab's TOC, seeded with the right entries so the first pass already has its final
    height: two passes then settle the page numbers instead of three."""

    def __init__(self, seed: list[tuple[int, str, int, str]], node: StructNode, **kwargs):
        super().__init__(**kwargs)
        self.addEntries(seed)
        self.node = node
        self.items: list[StructNode] = []

    def wrap(self, availWidth, availHeight):
        """The entries as TOCI elements, each a Reference to a Link holding the entry's text and
        then its page number (drawn first, the paragraph's first text object); the dot leader
        between them is an artifact (``_entry_end``)."""
        result = super().wrap(availWidth, availHeight)
        self.canv.setNamedCB("drawTOCEntryEnd", partial(self._entry_end, availWidth))
        cells = [row[0][0] if isinstance(row[0], (list, tuple)) else row[0] for row in self._table._cellvalues]
        rows = [cell for cell in cells if isinstance(cell, Paragraph)]
        while len(self.items) < len(rows):
            self.items.append(self.node.child("TOCI").child("Reference").child("Link"))
        for para, link in zip(rows, self.items):
            tag(para, link, label=link, label_last=True)
        group(self._table, self.node)
        return result

    def _entry_end(self, avail_width: float, canvas, kind, label) -> None:
        """reportlab's dot leader and page number, as two text objects: the leader an artifact (a
        text-only view read it as ". . . . ."), the page number the entry's Reference."""
        page, level, _ = label.split(",", 2)
        style = self.getLevelStyle(int(level))
        x, y = canvas._curr_tx_info["cur_x"], canvas._curr_tx_info["cur_y"]
        number = self.formatter(int(page)) if self.formatter else page
        size = style.fontSize
        width = stringWidth(number, style.fontName, size)
        while width > avail_width - x and size >= 1.0:  # as reportlab: shrink what does not fit
            size *= 0.9
            width = stringWidth(number, style.fontName, size)
        if 0 <= self.dotsMinLevel <= int(level):
            dot = " . "
            count = int((avail_width - x - width) / stringWidth(dot, style.fontName, size))
            with artifact_block(canvas, "Layout"):
                self._text(canvas, style, size, avail_width - count * stringWidth(dot, style.fontName, size) - width,
                           y, count * dot)
        self._text(canvas, style, size, avail_width - width, y, number)

    @staticmethod
    def _text(canvas, style, size: float, x: float, y: float, text: str) -> None:
        tx = canvas.beginText(x, y)
        tx.setFont(style.fontName, size)
        tx.setFillColor(style.textColor)
        tx.textLine(text)
        canvas.drawText(tx)


# --- the document template ---------------------------------------------------------------------

class PassState:
    layout_only = False


def _skip_draw(*args, **kwargs) -> None:
    pass


class LayoutFrame(Frame):
    """A frame that, in a layout-only pass, places flowables without drawing them.

    The first pass of a two-pass build exists only to learn the headings' page numbers; its canvas
    is thrown away, so drawing on it is wasted time (about half of a build).
    """

    def __init__(self, state: PassState, *args, notes: Footnotes | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.state = state  # small on purpose: KeepTogether deep-copies the frame
        self.notes = notes  # not copied (see Footnotes.__deepcopy__)

    def _reset(self):
        super()._reset()
        self._geom()  # the bottom back where the page's notes had raised it

    def _add(self, flowable, canv, trySplit=0):
        """Place the flowable only if it fits with the footnotes it cites, whose room is then
        taken from the bottom of the frame (drawn at the page's end)."""
        cited = self.notes.cited(flowable) if self.notes is not None else []
        if not cited:
            return self._place(flowable, canv, trySplit)
        room = self.notes.room(cited)
        self._y1p += room
        placed = self._place(flowable, canv, trySplit)
        if placed:
            self.notes.take(cited)
        else:
            self._y1p -= room
        return placed

    add = _add  # Frame binds ``add`` to its own _add: what the doc template calls

    def split(self, flowable, canv):
        """Split to what fits above the notes the flowable cites (a KeepTogether then moves on)."""
        room = self.notes.room(self.notes.cited(flowable)) if self.notes is not None else 0
        self._y1p += room
        try:
            return super().split(flowable, canv)
        finally:
            self._y1p -= room

    def _place(self, flowable, canv, trySplit=0):
        if not self.state.layout_only:
            return super()._add(flowable, canv, trySplit)
        flowable.drawOn = _skip_draw
        try:
            return super()._add(flowable, canv, trySplit)
        finally:
            try:
                del flowable.drawOn
            except AttributeError:
                pass


class GuideTemplate(BaseDocTemplate):
    def __init__(self, path, styles: Styles, guide_title: str, header: RunningHeader,
                 notes: Footnotes | None = None, **kwargs):
        s = styles
        width, height = s.mm("page.width_mm"), s.mm("page.height_mm")
        super().__init__(str(path), pagesize=(width, height), leftMargin=s.mm("page.margin_left_mm"),
                         rightMargin=s.mm("page.margin_right_mm"), topMargin=s.mm("page.margin_top_mm"),
                         bottomMargin=s.mm("page.margin_bottom_mm"), **kwargs)
        self.styles, self.guide_title, self.header = styles, guide_title, header
        self.passes = 0
        self.state = PassState()
        self.notes = notes
        if notes is not None:
            notes.width = self.width
        frame = LayoutFrame(self.state, self.leftMargin, self.bottomMargin, self.width, self.height, id="text",
                            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, notes=notes)
        self.addPageTemplates([
            PageTemplate(COVER, [frame], onPage=self._cover, onPageEnd=self._page_end),
            PageTemplate(PLAIN, [frame], onPageEnd=self._page_end),
            PageTemplate(BODY, [frame], onPageEnd=self._body_end),
        ])

    def beforeDocument(self):
        """Each pass starts afresh; the first is layout-only when a seeded contents list guarantees a
        second pass (its page numbers are placeholders, so it can never be the final one)."""
        self.header.reset()
        if self.notes is not None:
            self.notes.reset()
        self.passes += 1
        seeded = any(isinstance(f, Contents) and f._lastEntries for f in getattr(self, "_indexingFlowables", ()))
        self.state.layout_only = self.passes == 1 and seeded

    def afterFlowable(self, flowable):
        heading = getattr(flowable, "heading", None)
        if isinstance(flowable, HeadingPara) and heading is not None:
            self.notify(HEADING_PAGE, (heading.anchor, self.page))
            if heading.in_toc:
                self.notify("TOCEntry", (heading.level - 1, escape(flowable.title), self.page, heading.anchor))

    def _cover(self, canv, doc):
        """A coloured band at the top of the title page and the back cover."""
        s = self.styles
        band = s.mm("cover.band_mm")
        with artifact_block(canv, "Layout"):
            canv.saveState()
            canv.setFillColor(s.color("colors.heading"))
            canv.rect(0, self.pagesize[1] - band, self.pagesize[0], band, stroke=0, fill=1)
            canv.restoreState()

    def _page_end(self, canv, doc):
        self._draw_notes(canv)
        self.header.page_done()

    def _draw_notes(self, canv) -> None:
        if self.notes is None:
            return
        if self.state.layout_only:
            self.notes.on_page = []
        else:
            self.notes.draw(canv, self.leftMargin, self.bottomMargin)

    def _body_end(self, canv, doc):
        self._draw_notes(canv)
        with artifact_block(canv):
            self._header_footer(canv)
        self.header.page_done()

    def _header_footer(self, canv):
        s = self.styles
        style = s["header"]
        page_w, page_h = self.pagesize
        left, right = self.leftMargin, page_w - self.rightMargin
        canv.saveState()
        canv.setFont(style.fontName, style.fontSize)
        canv.setFillColor(style.textColor)
        top = page_h - s.mm("page.header_distance_mm") - style.fontSize
        canv.drawString(left, top, self.guide_title)
        element = self.header.for_page()
        if element:
            canv.drawRightString(right, top, element)
        rule = s.pt("page.header_rule_pt")
        if rule:
            canv.setStrokeColor(s.color("colors.box_border"))
            canv.setLineWidth(rule)
            y = top - style.fontSize / 2
            canv.line(left, y, right, y)
        bottom = s.mm("page.footer_distance_mm")
        canv.drawCentredString((left + right) / 2, bottom, str(canv.getPageNumber()))
        canv.restoreState()
