"""Footnotes at the foot of the page that cites them, as in the Word edition.

The frame asks ``Footnotes`` how much room the notes a flowable cites would take on this page and
places the flowable only if it fits together with them; the room is then taken from the bottom of
the frame, and when the page ends the notes are drawn there, under a short rule (an artifact).
Each note is a Note element (with its /ID) inside the element whose text cites it, so a screen
reader meets it right after the reference; its anchor is what the reference links to.
"""
from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from lovande_docs.render.pdf.para import Para
from lovande_docs.render.pdf.styles import Styles
from lovande_docs.render.pdf.tagging import StructNode, artifact_block, tag

LINK_PREFIX = "#"


class Footnotes:
    def __init__(self, notes: dict[str, Para], styles: Styles):
        self.notes = notes  # anchor → the note's paragraph, in number order
        s = styles
        self.rule_width, self.rule_pt = s.mm("pdf.footnote_rule_mm"), s.pt("pdf.footnote_rule_pt")
        self.before, self.space = s.pt("pdf.footnote_before_pt"), s.pt("pdf.footnote_space_pt")
        self.rule_color = s.color("colors.muted")
        self.width = 0.0
        self.reset()

    def __deepcopy__(self, memo):  # reportlab copies the frame to measure: the notes stay one
        return self

    def reset(self) -> None:
        """A new layout pass: nothing placed yet."""
        self.placed: set[str] = set()
        self.on_page: list[tuple[str, StructNode | None]] = []  # (anchor, the citing element)

    # --- room ---

    def cited(self, flowable: Flowable) -> list[tuple[str, StructNode | None]]:
        """Notes the flowable cites that no page holds yet, with the element citing each."""
        out: list[tuple[str, StructNode | None]] = []
        for para in _paragraphs(flowable):
            for anchor in _note_links(para):
                if anchor in self.notes and anchor not in self.placed and all(a != anchor for a, _ in out):
                    spec = para.__dict__.get("_pdf_tag")
                    out.append((anchor, spec.node if spec is not None else None))
        return out

    def room(self, cited: list[tuple[str, StructNode | None]]) -> float:
        """How much more of the page the notes take once ``cited`` are added to this page's."""
        if not cited:
            return 0.0
        return self._height([a for a, _ in self.on_page + cited]) - self._height([a for a, _ in self.on_page])

    def _height(self, anchors: list[str]) -> float:
        if not anchors:
            return 0.0
        paras = [self.notes[a] for a in anchors]
        heights = [p.wrap(self.width, 1e6)[1] for p in paras]
        return (self.before + self.rule_pt + self.space + sum(heights)
                + sum(p.getSpaceAfter() for p in paras[:-1]))

    def take(self, cited: list[tuple[str, StructNode | None]]) -> None:
        for anchor, node in cited:
            self.placed.add(anchor)
            self.on_page.append((anchor, node))

    # --- drawing ---

    def draw(self, canv, x: float, bottom: float) -> None:
        """The page's notes at the bottom of its frame; then the next page starts with none."""
        anchors = [a for a, _ in self.on_page]
        if not anchors:
            return
        y = bottom + self._height(anchors) - self.before - self.rule_pt / 2
        with artifact_block(canv, "Layout"):
            canv.saveState()
            canv.setStrokeColor(self.rule_color)
            canv.setLineWidth(self.rule_pt)
            canv.line(x, y, x + self.rule_width, y)
            canv.restoreState()
        y -= self.rule_pt / 2 + self.space
        for anchor, node in sorted(self.on_page, key=lambda item: list(self.notes).index(item[0])):
            para = self.notes[anchor]
            _, height = para.wrap(self.width, 1e6)
            y -= height
            parent = node or StructNode("Document")
            tag(para, parent.child("Note", id=anchor))
            para.drawOn(canv, x, y)
            y -= para.getSpaceAfter()
        self.on_page = []


def _paragraphs(flowable: Flowable):
    """The paragraphs a flowable shows: itself, or those inside a KeepTogether, panel or table."""
    if isinstance(flowable, Paragraph):
        yield flowable
        return
    for attribute in ("_content", "paras"):
        for inner in getattr(flowable, attribute, None) or ():
            yield from _paragraphs(inner)
    for row in getattr(flowable, "_cellvalues", None) or ():
        for cell in row:
            for inner in cell if isinstance(cell, (list, tuple)) else (cell,):
                if isinstance(inner, Flowable):
                    yield from _paragraphs(inner)


def _note_links(para: Paragraph) -> list[str]:
    """Internal link targets in a paragraph's fragments (also of a part split off a paragraph,
    whose fragments reportlab keeps as word lists), as anchors; remembered per fragment list."""
    frags = getattr(para, "frags", None) or ()
    memo = para.__dict__.get("_note_links")
    if memo is not None and memo[0] is frags:
        return memo[1]
    found: list[str] = []

    def walk(items) -> None:
        for item in items:
            for link in getattr(item, "link", None) or ():
                target = link[1] if isinstance(link, tuple) else getattr(link, "href", None)
                if isinstance(target, str) and target.startswith(LINK_PREFIX):
                    found.append(target[len(LINK_PREFIX):])
            if isinstance(item, (list, tuple)):
                walk(item)

    walk(frags)
    para._note_links = (frags, found)
    return found
