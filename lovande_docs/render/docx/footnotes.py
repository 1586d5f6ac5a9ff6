"""The footnotes part: real Word footnotes, numbered by Word, with clickable URLs."""
from __future__ import annotations

from lxml import etree

from lovande_docs.model import Model
from lovande_docs.render.docx.inline import hyperlink_external, run, runs
from lovande_docs.render.docx.package import Rels
from lovande_docs.render.docx.xml import SINGLE, el, part_root, val

PARTNAME = "/word/footnotes.xml"


class Footnotes:
    """Collects footnotes as the body references them; ids -1 and 0 are Word's separators."""

    def __init__(self, model: Model, rels: Rels):
        self.model = model
        self.rels = rels  # the footnotes part's own relationships (URLs)
        self.root = part_root("w:footnotes")
        self.root.append(self._separator("-1", "separator", "w:separator"))
        self.root.append(self._separator("0", "continuationSeparator", "w:continuationSeparator"))
        self.numbers: dict[str, int] = {}
        self.page_reference = None  # the writer's maker of PAGEREF fields, for a note naming a page

    @staticmethod
    def _separator(number: str, kind: str, mark: str) -> etree._Element:
        return el("w:footnote", {"w:type": kind, "w:id": number},
                  el("w:p", None, el("w:pPr", None, el("w:spacing", {"w:after": "0", "w:line": SINGLE, "w:lineRule": "auto"})),
                     el("w:r", None, el(mark))))

    def number(self, footnote_id: str) -> int:
        """The Word id of a footnote; each reference in the text gets its own note, as Word requires."""
        number = len(self.numbers) + 1
        self.numbers[f"{footnote_id}#{number}"] = number
        note = self.model.footnotes[footnote_id]
        paragraph = el("w:p", None, el("w:pPr", None, val("w:pStyle", "FootnoteText")),
                       el("w:r", None, el("w:rPr", None, val("w:rStyle", "FootnoteReference")), el("w:footnoteRef")),
                       run(" "))
        if note.text:
            paragraph.extend(runs(note.text, self.rels, page=self.page_reference))
        if note.url:
            if note.text:
                paragraph.append(run(" "))
            paragraph.append(hyperlink_external(self.rels, note.url, run(note.url, "Hyperlink")))
        self.root.append(el("w:footnote", {"w:id": str(number)}, paragraph))
        return number
