"""What ``compare`` returns: an immutable, format-neutral list of changes between two model versions.

Every change is one flat record (kind, subject, id, …) so renderers, tests and later tools can
filter and group them without knowing how they were found.
"""
from __future__ import annotations

from dataclasses import dataclass

from lovande_docs.revision.wording import Token

# What happened, in the order a report lists them.
KINDS = (
    "added", "removed", "moved", "renumbered", "renamed", "reworded", "tip-changed", "text-changed",
    "attribute-changed", "relabelled", "changed",
)
# What it happened to.
SUBJECTS = (
    "model", "category", "element", "question", "part", "section", "footnote", "option-list", "option",
    "label", "field",
)

# Report groups: subjects with their own heading, then the structural kinds.
GROUPS = ("model", "added", "removed", "moved", "renumbered", "renamed", "reworded", "tip-changed",
          "text-changed", "attribute-changed", "options", "labels", "fields")


@dataclass(frozen=True)
class Place:
    """Where a category, element, question or part stands, with the numbers a reader sees."""

    category_id: str
    category_letter: str
    element_id: str | None = None
    element_number: int | None = None
    element_title: str | None = None
    parent_id: str | None = None  # the question a part belongs to
    number: str | None = None  # a question's number within its element: "2", "2b"

    @property
    def ref(self) -> str:
        """Compact position: "C" (category), "7" (element), "4.5" or "2.2b" (element.question)."""
        if self.element_number is None:
            return self.category_letter
        if self.number is None:
            return str(self.element_number)
        return f"{self.element_number}.{self.number}"


@dataclass(frozen=True)
class Change:
    kind: str  # one of KINDS
    subject: str  # one of SUBJECTS
    id: str  # the subject's id; an option is "list:code", a field "owner.key", a model attribute its key
    attribute: str | None = None  # which attribute changed ("text", "lead", "central", …)
    old: str | None = None  # old value as text (markup kept), None if added
    new: str | None = None  # new value as text, None if removed
    old_place: Place | None = None
    new_place: Place | None = None
    diff: tuple[Token, ...] = ()  # word diff of old → new, for texts

    @property
    def key(self) -> tuple[str, str, str]:
        return self.kind, self.subject, self.id

    @property
    def group(self) -> str:
        if self.subject == "model":
            return "model"
        if self.subject in ("option-list", "option"):
            return "options"
        if self.subject == "label":
            return "labels"
        if self.subject == "field":
            return "fields"
        return self.kind


@dataclass(frozen=True)
class RevisionWarning:
    """A likely mistake: answers would be mapped to the wrong question, or lost."""

    kind: str  # "meaning-changed" (id kept, question replaced) or "id-renamed" (id replaced, question kept)
    id: str  # the id in the new version
    old_id: str  # the id in the old version (the same for meaning-changed)
    similarity: float
    old_text: str
    new_text: str


@dataclass(frozen=True)
class VersionRef:
    id: str
    title: str
    version: str
    content_hash: str
    source: str


@dataclass(frozen=True)
class Changes:
    old: VersionRef
    new: VersionRef
    items: tuple[Change, ...]
    warnings: tuple[RevisionWarning, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.items)

    def keys(self) -> set[tuple[str, str, str]]:
        return {c.key for c in self.items}

    def of_kind(self, kind: str) -> tuple[Change, ...]:
        return tuple(c for c in self.items if c.kind == kind)

    def grouped(self) -> tuple[tuple[str, tuple[Change, ...]], ...]:
        """Non-empty report groups in GROUPS order, each with its changes in document order."""
        return tuple((group, found) for group in GROUPS
                     if (found := tuple(c for c in self.items if c.group == group)))
