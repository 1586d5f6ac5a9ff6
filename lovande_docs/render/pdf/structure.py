"""Logical structure for a tagged PDF story: Document, a Sect per heading, and the elements a
story builder hangs its flowables on (see tagging.py for how they are recorded). Used by the
guide (assemble.py) and the compile report.

Headings are H1–H3 exactly as in the outline; everything between two headings belongs to the
section of the first. Lists are L/LI/Lbl/LBody, the contents TOC/TOCI, footnote texts Note,
tables Table/TR/TH/TD with column-scoped header cells.
"""
from __future__ import annotations

from reportlab.platypus import Flowable, Table

from lovande_docs.render.pdf.tagging import StructNode, group, tag

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

    def table(self, table: Table, header_rows: int = 1, parent: StructNode | None = None) -> Table:
        """Tag a reportlab Table whose cells are flowables: Table/TR/TH/TD, the first
        ``header_rows`` rows as column headers (repeated on a new page: artifacts there)."""
        node = self.child("Table", parent)
        for number, row in enumerate(table._cellvalues):
            tr = node.child("TR")
            for cell in row:
                if number < header_rows:
                    target = tr.child("TH", attributes={"O": "Table", "Scope": "Column"}, once=True)
                else:
                    target = tr.child("TD")
                for flowable in cell if isinstance(cell, (list, tuple)) else [cell]:
                    if isinstance(flowable, Flowable):
                        tag(flowable, target)
        return group(table, node)

    def figure(self, flowable: Flowable, alt: str, parent: StructNode | None = None) -> Flowable:
        """A chart or picture: a Figure element whose /Alt states what it shows."""
        return tag(flowable, self.child("Figure", parent, alt=alt))


SectionStructure = GuideStructure  # the name for stories other than the guide
