"""Inline markup (``lovande_docs.markup``) as reportlab paragraph XML, keeping track of footnotes."""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from typing import Callable

from lovande_docs import fields as field_ids
from lovande_docs import markup
from lovande_docs.document import anchor_name
from lovande_docs.model import Model


def footnote_anchor(footnote_id: str) -> str:
    """The named destination of a footnote's text (what its markers link to)."""
    return field_ids.bookmark_name(footnote_id, prefix="fn_")


class Inline:
    """Converts markup to paragraph XML; remembers footnotes referenced but not yet printed."""

    def __init__(self, model: Model, link_color: str):
        self.model = model
        self.numbers = {fid: n for n, fid in enumerate(model.footnote_order(), start=1)}
        self.link_color = link_color  # "#0563C1"
        self.pending: list[str] = []  # referenced, note text not yet placed
        self.placed: set[str] = set()
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
        if footnote_id not in self.placed and footnote_id not in self.pending:
            self.pending.append(footnote_id)
        number = self.numbers[footnote_id]
        return f'<a href="#{footnote_anchor(footnote_id)}" color="{self.link_color}"><super>{number}</super></a>'

    def take_notes(self) -> list[tuple[str, str]]:
        """The footnotes waiting to be printed, as (anchor, paragraph XML), in number order."""
        notes = []
        for footnote_id in sorted(self.pending, key=self.numbers.__getitem__):
            note = self.model.footnotes[footnote_id]
            parts = []
            if note.text:
                parts.append(self.xml(note.text))
            if note.url:
                url = escape(note.url)
                parts.append(f'<a href={quoteattr(note.url)} color="{self.link_color}">{url}</a>')
            anchor = footnote_anchor(footnote_id)
            notes.append((anchor, f'<a name="{anchor}"/><super>{self.numbers[footnote_id]}</super> ' + " ".join(parts)))
            self.placed.add(footnote_id)
        self.pending.clear()
        return notes


def plain(text: str) -> str:
    """Markup as escaped plain text (outline entries, the table of contents)."""
    return escape(markup.plain(text))
