"""The guide's logical structure for the tagged PDF: Document, a Sect per heading, and the
elements the story builder hangs its flowables on (see tagging.py for how they are recorded).

Headings are H1–H3 exactly as in the outline; everything between two headings belongs to the
section of the first. Lists are L/LI/Lbl/LBody, the contents TOC/TOCI, footnote texts Note.
"""
from __future__ import annotations

from lovande_docs.render.pdf.tagging import StructNode

PARA_ROLES = {"quote": "BlockQuote"}  # everything else is a P


class GuideStructure:
    def __init__(self):
        self.root = StructNode("Document")
        self.sections: list[tuple[int, StructNode]] = []  # (level, Sect), outermost first
        self.opened_early: int | None = None  # a section opened before its heading (element strip)

    @property
    def container(self) -> StructNode:
        return self.sections[-1][1] if self.sections else self.root

    def open_section(self, level: int) -> StructNode:
        while self.sections and self.sections[-1][0] >= level:
            self.sections.pop()
        sect = self.container.child("Sect")
        self.sections.append((level, sect))
        return sect

    def open_section_early(self, level: int) -> None:
        """The section of a heading that follows soon (an element's strip comes before its H2)."""
        self.open_section(level)
        self.opened_early = level

    def heading(self, level: int) -> StructNode:
        if self.opened_early != level:
            self.open_section(level)
        self.opened_early = None
        return self.container.child(f"H{level}")

    def close_sections(self) -> None:
        self.sections.clear()
        self.opened_early = None

    def para(self, role: str = "P", parent: StructNode | None = None) -> StructNode:
        return (parent or self.container).child(PARA_ROLES.get(role, "P"))

    def child(self, role: str, parent: StructNode | None = None, **kwargs) -> StructNode:
        return (parent or self.container).child(role, **kwargs)

    def list_item(self, list_node: StructNode) -> tuple[StructNode, StructNode]:
        """(Lbl, LBody) of a new LI in ``list_node``."""
        item = list_node.child("LI")
        return item.child("Lbl"), item.child("LBody")
