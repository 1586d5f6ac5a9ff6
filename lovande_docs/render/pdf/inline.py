"""Inline markup (``lovande_docs.markup``) as reportlab paragraph XML, and the footnotes' texts."""
from __future__ import annotations

from typing import Callable
from xml.sax.saxutils import escape, quoteattr

from lovande_docs import fields as field_ids
from lovande_docs import markup
from lovande_docs.document import anchor_name
from lovande_docs.model import Model


def footnote_anchor(footnote_id: str) -> str:
    """The named destination of a footnote's text (what its markers link to)."""
    return field_ids.bookmark_name(footnote_id, prefix="fn_")


class Inline:
    """Converts markup to paragraph XML: footnote markers link to their notes, page references
    show ``page_of(heading id)``."""

    def __init__(self, model: Model, link_color: str):
        self.model = model
        self.numbers = {fid: n for n, fid in enumerate(model.footnote_order(), start=1)}
        self.link_color = link_color  # "#0563C1"
        self.page_of: Callable[[str], str] = lambda heading_id: "00"  # see pagerefs.PageNumbers
        self.used_pages = False  # a page reference was set since the flag was last cleared

    def xml(self, text: str) -> str:
        out = []
        for span in markup.parse(text):
            if span.footnote is not None:
                out.append(self._marker(span.footnote))
                continue
            piece = escape(span.text)
            if span.pageref is not None:
                self.used_pages = True
                piece = f'<a href="#{anchor_name(span.pageref)}" color="{self.link_color}">{self.page_of(span.pageref)}</a>'
            elif span.link:
                piece = f'<a href={quoteattr(span.link)} color="{self.link_color}">{piece}</a>'
            if span.italic:
                piece = f"<i>{piece}</i>"
            if span.bold:
                piece = f"<b>{piece}</b>"
            out.append(piece)
        return "".join(out)

    def _marker(self, footnote_id: str) -> str:
        number = self.numbers[footnote_id]
        return f'<a href="#{footnote_anchor(footnote_id)}" color="{self.link_color}"><super>{number}</super></a>'

    def note(self, footnote_id: str) -> str:
        """A footnote's text as paragraph XML: its anchor (what the markers link to), number, text, URL."""
        note = self.model.footnotes[footnote_id]
        parts = []
        if note.text:
            parts.append(self.xml(note.text))
        if note.url:
            parts.append(f'<a href={quoteattr(note.url)} color="{self.link_color}">{escape(note.url)}</a>')
        anchor = footnote_anchor(footnote_id)
        return f'<a name="{anchor}"/><super>{self.numbers[footnote_id]}</super> ' + " ".join(parts)


def plain(text: str) -> str:
    """Markup as escaped plain text (outline entries, the table of contents)."""
    return escape(markup.plain(text))
