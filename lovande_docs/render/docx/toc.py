"""Innehåll as Word's own TOC field over Heading 1–3, with its result already filled in.

Each cached entry is a clickable internal hyperlink to its heading's bookmark and carries a
PAGEREF field, so Word (F9 / "Update table") and LibreOffice (Tools ▸ Update) recompute every
page number from the real layout. The page numbers written at build time are estimates.

Deliberately NO ``<w:updateFields/>`` in settings.xml (nor ``w:dirty`` on the field): with it,
Word asks "This document contains fields that may refer to other files. Update the fields?"
every time the file is opened – also every filled-in copy a unit mails around – which reads like
a security warning to the people filling in the form. The table is never empty without it (the
cached entries are present and clickable); only page numbers may be off until someone updates.
"""
from __future__ import annotations

from lxml import etree

from lovande_docs import markup
from lovande_docs.document import TableOfContents
from lovande_docs.render.docx.inline import field_char, hyperlink_internal, instruction, page_reference
from lovande_docs.render.docx.xml import el, text, val


def toc_paragraphs(toc: TableOfContents, pages: dict[str, int], levels: str) -> list[etree._Element]:
    """The TOC field: begin + instruction + separate in the first entry, end in a closing paragraph."""
    paragraphs: list[etree._Element] = []
    for index, heading in enumerate(toc.entries):
        paragraph = el("w:p", None, el("w:pPr", None, val("w:pStyle", f"TOC{min(heading.level, 3)}")))
        if index == 0:
            paragraph.extend([field_char("begin"), instruction(f'TOC \\o "{levels}" \\h \\z \\u'),
                              field_char("separate")])
        page = str(pages.get(heading.anchor, ""))
        paragraph.append(hyperlink_internal(
            heading.anchor,
            el("w:r", None, text(markup.plain(heading.text))),
            el("w:r", None, el("w:tab")),
            *page_reference(heading.anchor, el("w:r", None, text(page))),
        ))
        paragraphs.append(paragraph)
    paragraphs.append(el("w:p", None, el("w:pPr", None, val("w:pStyle", "TOC1")), field_char("end")))
    return paragraphs
