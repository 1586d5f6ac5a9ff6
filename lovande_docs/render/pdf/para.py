"""A Paragraph that remembers its line breaks for a given width.

Line breaking is the costliest step of a build, and the same paragraph is wrapped several times:
in both passes, and again by every KeepTogether around it. The breaks depend on the width only.
"""
from __future__ import annotations

from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText


class _SpaceAtLineEnds(PDFTextObject):
    """A paragraph's text object that ends each line with the space it was broken at.

    reportlab drops that space, so the text of a tagged paragraph (what a screen reader and text
    extraction read, in structure order) ran the last word of a line into the first word of the
    next: "i" + "socialt" read "isocialt". The space is drawn after the line's last glyph, where
    nothing follows it on that line, so the page looks exactly as before."""

    _tail = ""  # the last character drawn on the line so far

    def _textOut(self, text, TStar=0):
        # a line whose last fragment is a link's end or a callback ends with an empty piece: look
        # at what was drawn before it (a URL broken after "enskilda-" gained a space)
        if TStar and (text[-1:] or self._tail) not in (" ", "\u00a0", "-", "\u00ad"):
            text += " "
        self._tail = "" if TStar else text[-1:] or self._tail
        super()._textOut(text, TStar)


class Para(Paragraph):
    def beginText(self, x, y):
        return _SpaceAtLineEnds(self.canv, x, y)

    def set_text(self, xml: str) -> None:
        """The same paragraph with new text (a page reference's number from the last pass)."""
        self._setup(xml, self.style, self.bulletText, None, cleanBlockQuotedText)
        self.__dict__.pop("_wrap_memo", None)

    def wrap(self, availWidth, availHeight):
        memo = self.__dict__.get("_wrap_memo")
        if memo is not None and memo[0] == availWidth:
            _, self.width, self.height, self.blPara, self._wrapWidths = memo
            return self.width, self.height
        result = super().wrap(availWidth, availHeight)
        if getattr(self, "blPara", None) is not None:
            self._wrap_memo = (availWidth, self.width, self.height, self.blPara, self._wrapWidths)
        return result


class Panel(Flowable):
    """Paragraphs on a coloured background (the tips): a light stand-in for a one-column Table,
    which costs several times more to lay out. Kept whole; it never splits."""

    def __init__(self, paras: list[Para], background, padding: float, border=None, border_width: float = 0):
        super().__init__()
        self.paras, self.background, self.padding = paras, background, padding
        self.border, self.border_width = border, border_width

    def wrap(self, availWidth, availHeight):
        inner = availWidth - 2 * self.padding
        self.sizes = [p.wrap(inner, availHeight) for p in self.paras]
        gaps = sum(p.getSpaceAfter() for p in self.paras[:-1])
        self.width = availWidth
        self.height = sum(h for _, h in self.sizes) + gaps + 2 * self.padding
        return self.width, self.height

    def draw(self):
        canv = self.canv
        canv.saveState()
        canv.setFillColor(self.background)
        if self.border is not None and self.border_width:
            canv.setStrokeColor(self.border)
            canv.setLineWidth(self.border_width)
        stroke = int(self.border is not None and self.border_width > 0)
        canv.rect(0, 0, self.width, self.height, stroke=stroke, fill=1)
        canv.restoreState()
        y = self.height - self.padding
        for para, (_, h) in zip(self.paras, self.sizes):
            y -= h
            para.drawOn(canv, self.padding, y)
            y -= para.getSpaceAfter()
