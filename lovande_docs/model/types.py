"""The typed, immutable model of the guide: what the loader builds and every renderer reads.

Texts are kept as inline markup strings (see ``lovande_docs.markup``); numbers shown to readers
come from position (see the ``number`` helpers on :class:`Model`), ids never do.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterator, Mapping, Union


# The value of a drop-down's neutral first entry ("Välj status") in Word and PDF; reads back as no
# answer. Reserved: no option list may use it as a code.
UNSET_CODE = "ej_vald"


@dataclass(frozen=True)
class Option:
    code: str
    label: str  # inline markup


@dataclass(frozen=True)
class OptionList:
    id: str
    items: tuple[Option, ...]
    placeholder: str | None = None  # neutral first entry of a drop-down ("Välj status")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.items)

    def label_of(self, code: str) -> str:
        for option in self.items:
            if option.code == code:
                return option.label
        raise KeyError(code)


@dataclass(frozen=True)
class FieldSpec:
    """A fill-in field as the YAML declares it: its key within its owner, kind and prompt."""

    key: str
    kind: str  # one of FIELD_KINDS
    label: str
    options: str | None = None  # id of an OptionList, for choice and select
    hint: str | None = None


FIELD_KINDS = ("text", "line", "date", "choice", "select")


@dataclass(frozen=True)
class Footnote:
    id: str
    text: str | None
    url: str | None


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Quote:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Box:
    title: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldBlock:
    field: FieldSpec


@dataclass(frozen=True)
class Figure:
    name: str  # one of FIGURES


FIGURES = ("model-map", "element-strip")

Block = Union[Paragraph, Quote, Bullets, Box, FieldBlock, Figure]


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    level: int
    blocks: tuple[Block, ...]

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        return tuple(b.field for b in self.blocks if isinstance(b, FieldBlock))


@dataclass(frozen=True)
class Condition:
    question: str  # id of the question this one depends on
    answer: str  # answer code that opens it


QUESTION_SCOPES = ("individual", "group")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    tip: tuple[str, ...] = ()
    central: bool = False
    scope: str | None = None  # applies only to practices aimed at individuals / groups
    condition: Condition | None = None
    parts: tuple["Question", ...] = ()

    @property
    def answerable(self) -> bool:
        """A question with parts is a heading; its parts carry the answers."""
        return not self.parts


@dataclass(frozen=True)
class Element:
    id: str
    title: str
    summary_statement: str
    lead: str
    body: tuple[str, ...]
    questions_intro: tuple[str, ...]
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Category:
    id: str
    letter: str
    title: str
    intro: tuple[str, ...]
    describe_heading: str
    describe_text: tuple[str, ...]
    elements: tuple[Element, ...]


@dataclass(frozen=True)
class Summary:
    id: str
    heading: str
    blocks: tuple[Block, ...]
    overview: Section  # "Vår samlade beskrivning": per-element fields come from Model.element_fields
    assessment: Section  # "Vår bedömning"


@dataclass(frozen=True)
class Meta:
    id: str
    version: str
    language: str
    title: str
    subtitle: str
    article_number: str
    published_place: str
    published_month: str
    notice: tuple[str, ...]
    back_cover: tuple[str, ...]


@dataclass(frozen=True)
class NumberedQuestion:
    """An answerable question with the numbers a reader sees: element 2, question "2a"."""

    question: Question
    element: Element
    element_number: int
    number: str  # "1", "2a"
    parent: Question | None = None


@dataclass(frozen=True, eq=False)
class Model:
    meta: Meta
    labels: Mapping[str, str]
    options: Mapping[str, OptionList]
    question_fields: tuple[FieldSpec, ...]
    element_fields: tuple[FieldSpec, ...]
    footnotes: Mapping[str, Footnote]
    sections: tuple[Section, ...]
    categories: tuple[Category, ...]
    summary: Summary
    content_hash: str
    source: str = field(default="", compare=False)

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def version(self) -> str:
        return self.meta.version

    @property
    def elements(self) -> tuple[Element, ...]:
        return tuple(e for c in self.categories for e in c.elements)

    def element_number(self, element_id: str) -> int:
        for number, element in enumerate(self.elements, start=1):
            if element.id == element_id:
                return number
        raise KeyError(element_id)

    def label(self, key: str, **values: object) -> str:
        """A reader-visible label from the YAML, with ``{placeholders}`` filled in."""
        return self.labels[key].format(**values)

    def numbered_questions(self) -> Iterator[NumberedQuestion]:
        """Every answerable question in reading order, with its displayed numbers."""
        for element_number, element in enumerate(self.elements, start=1):
            for index, question in enumerate(element.questions, start=1):
                if question.answerable:
                    yield NumberedQuestion(question, element, element_number, str(index))
                for letter, part in zip("abcdefghijklmnopqrstuvwxyz", question.parts):
                    yield NumberedQuestion(part, element, element_number, f"{index}{letter}", question)

    def footnote_order(self) -> tuple[str, ...]:
        """Footnote ids in the order their references first appear in the document."""
        from lovande_docs.model.walk import footnote_references

        seen: dict[str, None] = {}
        for footnote_id in footnote_references(self):
            seen.setdefault(footnote_id)
        return tuple(seen)


def frozen_mapping(items: Mapping) -> Mapping:
    return MappingProxyType(dict(items))
