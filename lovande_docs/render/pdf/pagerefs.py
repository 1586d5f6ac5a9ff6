"""Page references ("s.[#var-bedomning]") as the real page numbers of the final layout.

A page reference stands before or after its heading, so its number is known only once the whole
guide is laid out. ``PageNumbers`` is an indexing flowable: each pass records the page every
heading lands on (the template notifies it), the next pass prints those numbers, and multiBuild
repeats until the numbers a pass printed are the pages its headings landed on. Whatever shows a
page reference registers a refresh, run before each pass with the numbers it is to print.
"""
from __future__ import annotations

from typing import Callable

from reportlab.platypus.doctemplate import IndexingFlowable

from lovande_docs.document import anchor_name

HEADING_PAGE = "HeadingPage"  # notify kind: (anchor, page)
UNKNOWN = "00"  # printed before the first pass has placed the headings (as wide as a real number)


class PageNumbers(IndexingFlowable):
    def __init__(self):
        super().__init__()
        self.width = self.height = 0
        self.pages: dict[str, int] = {}  # anchor → page, as the current pass prints them
        self._printed: dict[str, int] | None = None
        self._found: dict[str, int] = {}
        self._refreshers: list[Callable[[], None]] = []

    def on_change(self, refresh: Callable[[], None]) -> None:
        self._refreshers.append(refresh)

    def page_of(self, heading_id: str) -> str:
        """The page number a reference to the heading with this id prints in this pass."""
        page = self.pages.get(anchor_name(heading_id))
        return UNKNOWN if page is None else str(page)

    # --- the indexing protocol ---

    def notify(self, kind, stuff):
        if kind == HEADING_PAGE:
            anchor, page = stuff
            self._found.setdefault(anchor, page)

    def beforeBuild(self):
        self._found = {}
        for refresh in self._refreshers:
            refresh()

    def afterBuild(self):
        self._printed, self.pages = self.pages, self._found

    def isSatisfied(self):
        return self._printed == self.pages

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        pass
