"""Inline markup (``lovande_docs.markup``) as HTML, keeping track of the footnotes referred to.

Every kind of span is turned into HTML in one table, ``SPAN_KINDS``: a span whose attribute of
that name is set is rendered by that entry (the first that applies), else as plain styled text.
A new kind of span (say, a reference to a page of the guide that points at an anchor) is one
entry there: a function of (Inline, span, inner HTML) that returns the HTML.
"""
from __future__ import annotations

import re
from functools import cached_property
from html import escape
from typing import Callable

from lovande_docs import document, fields as field_ids
from lovande_docs import markup
from lovande_docs.model import Model


def footnote_anchor(footnote_id: str) -> str:
    """The id of a footnote's text, the same name the PDF gives its destination."""
    return field_ids.bookmark_name(footnote_id, prefix="fn_")


def _footnote(inline: "Inline", span: markup.Span, inner: str) -> str:
    number = inline.refer(span.footnote)
    hidden = escape(inline.ui["footnote"].format(number=number))
    # the number alone says little to a screen reader: the visually hidden words say "Fotnot 3"
    return (f'<a class="fnref" href="#{footnote_anchor(span.footnote)}">'
            f'<span class="vh">{hidden}</span><sup aria-hidden="true">{number}</sup></a>')


def _link(inline: "Inline", span: markup.Span, inner: str) -> str:
    return f'<a href="{escape(span.link)}">{inner}</a>'


def _pageref(inline: "Inline", span: markup.Span, inner: str) -> str:
    """A page has no page numbers: the reference becomes a link to the heading, named by it."""
    anchor = document.anchor_name(span.pageref)
    title = escape(markup.plain(inline.heading_titles.get(anchor, "")).rstrip(":"))
    text = escape(inline.ui["page_reference"])
    return (f'<a class="pageref" href="#{anchor}" '
            f'aria-label="{escape(inline.ui["page_reference_name"].format(heading=title))}">{text}</a>')


# attribute of markup.Span → how a span with it set becomes HTML; checked in this order
SPAN_KINDS: tuple[tuple[str, Callable[["Inline", markup.Span, str], str]], ...] = (
    ("footnote", _footnote),
    ("pageref", _pageref),
    ("link", _link),
)


class Inline:
    """Markup → HTML; remembers footnotes referenced whose text has not been placed yet."""

    def __init__(self, model: Model, ui: dict):
        self.model, self.ui = model, ui
        self.numbers = {fid: n for n, fid in enumerate(model.footnote_order(), start=1)}
        self.pending: list[str] = []
        self.placed: set[str] = set()
        # the printed words that lead up to a page number ("på s.", "sida"), dropped before its link
        self.page_words = re.compile(r"(?:\s*(?:%s))+\s*$" % "|".join(re.escape(w) for w in ui["page_words"]))

    def html(self, text: str) -> str:
        out: list[str] = []
        for span in markup.parse(text):
            if span.pageref is not None and out:
                out[-1] = self.page_words.sub("", out[-1])
                out.append(" ")
            out.append(self.span(span))
        return "".join(out)

    def span(self, span: markup.Span) -> str:
        inner = escape(span.text)
        if span.italic:
            inner = f"<em>{inner}</em>"
        if span.bold:
            inner = f"<strong>{inner}</strong>"
        for attribute, render in SPAN_KINDS:
            if getattr(span, attribute, None) is not None:
                return render(self, span, inner)
        return inner

    @cached_property
    def heading_titles(self) -> dict[str, str]:
        """Anchor → heading text, of the guide's headings (what a page reference may point at)."""
        return {block.anchor: block.text for block in document.build_document(self.model)
                if isinstance(block, document.Heading)}

    def refer(self, footnote_id: str) -> int:
        if footnote_id not in self.placed and footnote_id not in self.pending:
            self.pending.append(footnote_id)
        return self.numbers[footnote_id]

    def take_notes(self) -> list[tuple[str, int, str]]:
        """Footnotes referred to and not yet placed: (anchor, number, HTML of the text), by number."""
        notes = []
        for footnote_id in sorted(self.pending, key=self.numbers.__getitem__):
            note = self.model.footnotes[footnote_id]
            parts = [self.html(note.text)] if note.text else []
            if note.url:
                parts.append(f'<a href="{escape(note.url)}">{escape(note.url)}</a>')
            notes.append((footnote_anchor(footnote_id), self.numbers[footnote_id], " ".join(parts)))
            self.placed.add(footnote_id)
        self.pending.clear()
        return notes
