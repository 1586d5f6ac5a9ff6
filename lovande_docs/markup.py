"""Inline markup of the YAML texts, parsed once into styled spans that every renderer lays out.

The syntax is a small Markdown subset (documented in docs/content-format.md):

    *kursiv*            italics
    **fet**             bold
    [^fotnot-id]        a reference to a footnote declared under ``footnotes:``
    [#rubrik-id]        the page number of the heading with that id ("s.[#var-bedomning]")
    <https://...>       a link that shows its address
    <namn@example.se>   an e-mail link that shows the address
    [text](https://...) a link with its own text
    \\*  \\[  \\<  \\\\     a literal character
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable


class MarkupError(ValueError):
    """A text whose markup cannot be parsed (an unclosed ``*``, say)."""


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None  # URL the span links to
    footnote: str | None = None  # footnote id; the span's text is empty
    pageref: str | None = None  # id of the heading whose page number stands here; text empty


_TOKEN = re.compile(
    r"""(?P<escape>\\[\\*\[\]<>()])
      | (?P<bold>\*\*)
      | (?P<italic>\*)
      | \[\^(?P<footnote>[^\]\s]+)\]
      | \[\#(?P<pageref>[^\]\s]+)\]
      | \[(?P<link_text>[^\]]+)\]\((?P<link_url>[^)\s]+)\)
      | <(?P<autolink>(?:https?|mailto):[^>\s]+)>
      | <(?P<email>[^<>@\s:]+@[^<>@\s]+\.[^<>@\s]+)>
    """,
    re.VERBOSE,
)


@lru_cache(maxsize=4096)
def parse(text: str) -> tuple[Span, ...]:
    """Parse one markup string into spans; raise MarkupError on unbalanced emphasis."""
    spans: list[Span] = []
    bold = italic = False
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            _append(spans, Span("".join(buffer), bold, italic))
            buffer.clear()

    position = 0
    for match in _TOKEN.finditer(text):
        buffer.append(text[position : match.start()])
        position = match.end()
        kind = match.lastgroup
        if kind == "escape":
            buffer.append(match.group()[1])
        elif kind == "bold":
            flush()
            bold = not bold
        elif kind == "italic":
            flush()
            italic = not italic
        elif kind == "footnote":
            flush()
            spans.append(Span("", bold, italic, footnote=match.group("footnote")))
        elif kind == "pageref":
            flush()
            spans.append(Span("", bold, italic, pageref=match.group("pageref")))
        elif kind == "email":
            flush()
            address = match.group("email")
            _append(spans, Span(address, bold, italic, link="mailto:" + address))
        elif kind == "link_url":
            flush()
            _append(spans, Span(match.group("link_text"), bold, italic, link=match.group("link_url")))
        elif kind == "autolink":
            flush()
            url = match.group("autolink")
            _append(spans, Span(url, bold, italic, link=url))
    buffer.append(text[position:])
    flush()
    if bold or italic:
        raise MarkupError("unclosed '%s' in text" % ("**" if bold else "*"))
    return tuple(spans)


def _append(spans: list[Span], span: Span) -> None:
    """Add a span, merging it with the previous one when they look the same."""
    if not span.text and span.footnote is None and span.pageref is None:
        return
    if spans:
        last = spans[-1]
        if (
            last.footnote is None and last.pageref is None
            and span.footnote is None and span.pageref is None
            and (last.bold, last.italic, last.link) == (span.bold, span.italic, span.link)
        ):
            spans[-1] = Span(last.text + span.text, last.bold, last.italic, last.link)
            return
    spans.append(span)


def plain(text: str, page_of: Callable[[str], str] | None = None) -> str:
    """The text as a reader sees it, without styling or footnote markers (for titles, options).

    A page reference shows ``page_of(heading id)``, its page number; without it (a medium without
    pages) it shows nothing."""
    return "".join(page_of(span.pageref) if span.pageref and page_of is not None else span.text
                   for span in parse(text))


def literal(text: str) -> str:
    """Plain text as markup that shows it as it is (``*``, ``[``, ``<`` … escaped)."""
    return _LITERAL.sub(lambda found: "\\" + found.group(0), text)


_LITERAL = re.compile(r"[\\*\[\]<>()]")


def footnote_ids(text: str) -> tuple[str, ...]:
    return tuple(span.footnote for span in parse(text) if span.footnote)


def page_references(text: str) -> tuple[str, ...]:
    """The heading ids whose page numbers the text shows, in order."""
    return tuple(span.pageref for span in parse(text) if span.pageref)
