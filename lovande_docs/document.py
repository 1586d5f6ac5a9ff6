"""The guide as one ordered sequence of format-neutral blocks, built once from the model.

Like pandoc's AST, this sits between the model and the writers: it decides *what* comes in which
order (headings with their displayed numbers and anchors, paragraphs with their role, questions
with their fields), while each renderer decides only *how* a block looks, from the layout file.
Both the Word and the PDF renderer walk this sequence, so the two formats cannot drift apart.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Union

from lovande_docs import fields as field_ids, markup
from lovande_docs.fields import FieldDef
from lovande_docs.model.types import (
    Box, Bullets, Category, Element, FieldBlock, Figure, Model, NumberedQuestion, Paragraph, Quote,
    Section,
)


# --- blocks ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TitlePage:
    """Title, subtitle (from Meta)."""


@dataclass(frozen=True)
class NoticePage:
    """Copyright and alternative-format notice, article number, publication (from Meta/labels)."""


@dataclass(frozen=True)
class TableOfContents:
    heading: str  # "Innehåll"
    entries: tuple["Heading", ...]  # the headings that appear in it, in order


@dataclass(frozen=True)
class Heading:
    level: int  # 1–3, Word's Heading 1–3 and the PDF outline depth
    text: str  # markup
    anchor: str  # bookmark / named destination (see fields.anchor_name)
    kind: str  # section | category | describe | element | questions | summary | overview | assessment
    in_toc: bool = True


@dataclass(frozen=True)
class Para:
    text: str  # markup
    role: str  # body | lead | quote | intro | statement


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class BoxBlock:
    title: str
    paragraphs: tuple[str, ...]
    bullets: tuple[str, ...]


@dataclass(frozen=True)
class FieldItem:
    """A labelled fill-in field standing on its own (Vårt valda arbetssätt, Vår bedömning)."""

    field: FieldDef
    label: str  # markup
    hint: str | None


@dataclass(frozen=True)
class ModelMap:
    """The figure of 4 categories and 11 elements; every box links to its section's anchor."""

    categories: tuple["MapCategory", ...]


@dataclass(frozen=True)
class MapCategory:
    letter: str
    title: str
    label: str  # "Kategori A – Kunskapsbas"
    anchor: str
    elements: tuple["MapElement", ...]


@dataclass(frozen=True)
class MapElement:
    number: int
    title: str
    label: str  # "Element 1. Teori och kunskap"
    anchor: str


@dataclass(frozen=True)
class ElementStripLegend:
    """The sample navigation strip on the "Använd modellen" page (no element highlighted)."""

    count: int
    names: tuple[str, ...] = ()  # "Element 1: Teori och kunskap", …: what each number links to


@dataclass(frozen=True)
class ElementStart:
    """From here on the reader is in this element: running header and navigation strip."""

    element: Element
    number: int
    count: int
    name: str  # "Element 1: Teori och kunskap" (running header)
    strip_label: str  # "Element 1 av 11"
    home_anchor: str  # the "Använd modellen" page, target of the house symbol
    home_label: str  # "Tillbaka till modellen"
    strip_anchors: tuple[str, ...]  # anchors of all elements, in order, for the strip's links
    strip_names: tuple[str, ...] = ()  # their names ("Element 3: Beskrivning"): a bare "3" says too little


@dataclass(frozen=True)
class ElementEnd:
    """The element part is over: running header goes back to the guide's title."""


@dataclass(frozen=True)
class QuestionBlock:
    numbered: NumberedQuestion
    marker: str  # "Stödfråga 1" or, for a part, "a."
    text: str  # markup
    tip: tuple[str, ...]  # paragraphs, markup; the tip label ("Tips:") is model.labels["tip"]
    fields: tuple[FieldDef, ...]  # answer, status, description; empty for a heading with parts
    is_part: bool
    note: str | None = None  # prefill: why the unit should revisit this question (new, reworded)

    def field(self, key: str) -> FieldDef:
        return next(f for f in self.fields if f.key == key)


@dataclass(frozen=True)
class ElementSummary:
    """One element's row in "Vår samlade beskrivning": its name, statement and fields."""

    element: Element
    number: int
    name: str  # "Element 1: Teori och kunskap"
    statement: str
    fields: tuple[FieldDef, ...]
    caption: str = ""  # the table's title for assistive technology: "Vår samlade beskrivning – Element 1: …"


@dataclass(frozen=True)
class AnswerRecord:
    """An earlier answer to a question this version no longer asks (prefill appendix)."""

    title: str  # "Element 6, stödfråga 4 (version 2026.1)"
    text: str  # the old question's text, markup
    lines: tuple[str, ...]  # "Svar: Ja", "Status: Klar", "Beskrivning: …"


@dataclass(frozen=True)
class Revisions:
    """What a prefilled guide says about the earlier answers carried into it (see prefill.py)."""

    notes: tuple[tuple[str, str], ...] = ()  # (question id, note text) for questions to revisit
    removed_intro: str | None = None
    removed: tuple[AnswerRecord, ...] = ()


@dataclass(frozen=True)
class BackCover:
    lines: tuple[str, ...]


Block = Union[
    TitlePage, NoticePage, TableOfContents, Heading, Para, BulletList, BoxBlock, FieldItem, ModelMap,
    ElementStripLegend, ElementStart, ElementEnd, QuestionBlock, ElementSummary, AnswerRecord, BackCover,
]


# --- anchors -----------------------------------------------------------------------------------

def anchor_name(identifier: str) -> str:
    """A bookmark / destination name for an id (Word: ≤ 40 chars, letters, digits, underscores)."""
    return field_ids.bookmark_name(identifier, prefix="nav_")


# --- building ----------------------------------------------------------------------------------

@lru_cache(maxsize=16)
def build_document(model: Model, revisions: Revisions | None = None) -> tuple[Block, ...]:
    """The whole guide, title page to back cover, as blocks in reading order.

    With ``revisions`` (a prefilled guide), questions to revisit carry a note and answers to
    questions this version no longer asks follow in an appendix before the back cover.
    """
    blocks: list[Block] = [TitlePage(), NoticePage()]
    body: list[Block] = []
    for section in model.sections:
        body.extend(_section(model, section, kind="section"))
    for category in model.categories:
        body.extend(_category(model, category))
    body.extend(_summary(model))
    if revisions is not None:
        body = _with_revisions(model, body, revisions)
    toc = TableOfContents(model.labels["contents"], tuple(b for b in body if isinstance(b, Heading) and b.in_toc))
    blocks.append(toc)
    blocks.extend(body)
    blocks.append(BackCover(model.meta.back_cover))
    return tuple(blocks)


def _section(model: Model, section: Section, kind: str) -> list[Block]:
    heading = Heading(section.level, section.heading, anchor_name(section.id), kind)
    return [heading, *_blocks(model, section.blocks, field_ids.section_fields(model, section))]


def _blocks(model: Model, blocks, section_fields: tuple[FieldDef, ...] = ()) -> list[Block]:
    by_key = {f.key: f for f in section_fields}
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(Para(block.text, "body"))
        elif isinstance(block, Quote):
            out.append(Para(block.text, "quote"))
        elif isinstance(block, Bullets):
            out.append(BulletList(block.items))
        elif isinstance(block, Box):
            out.append(BoxBlock(block.title, block.paragraphs, block.bullets))
        elif isinstance(block, FieldBlock):
            out.append(FieldItem(by_key[block.field.key], block.field.label, block.field.hint))
        elif isinstance(block, Figure):
            out.append(_model_map(model) if block.name == "model-map"
                       else ElementStripLegend(len(model.elements), element_names(model)))
    return out


def _model_map(model: Model) -> ModelMap:
    numbers = {e.id: n for n, e in enumerate(model.elements, start=1)}
    return ModelMap(tuple(
        MapCategory(
            c.letter, c.title, model.label("category_heading", letter=c.letter, title=c.title), anchor_name(c.id),
            tuple(MapElement(numbers[e.id], e.title,
                             model.label("element_heading", number=numbers[e.id], title=e.title), anchor_name(e.id))
                  for e in c.elements),
        )
        for c in model.categories
    ))


def element_names(model: Model) -> tuple[str, ...]:
    """Each element's name where it is listed, "Element 3: Beskrivning" (strip, overview)."""
    return tuple(model.label("element_name", number=n, title=e.title) for n, e in enumerate(model.elements, start=1))


def _home_section(model: Model) -> Section:
    """The section holding the model figure: where the house symbol leads."""
    for section in model.sections:
        if any(isinstance(b, Figure) and b.name == "model-map" for b in section.blocks):
            return section
    return model.sections[0]


def _category(model: Model, category: Category) -> list[Block]:
    out: list[Block] = [
        Heading(1, model.label("category_heading", letter=category.letter, title=category.title),
                anchor_name(category.id), "category"),
        *(Para(text, "body") for text in category.intro),
        Heading(2, category.describe_heading, anchor_name(category.id + "-beskriv"), "describe"),
        *(Para(text, "body") for text in category.describe_text),
    ]
    numbered = list(model.numbered_questions())
    home = anchor_name(_home_section(model).id)
    strip = tuple(anchor_name(e.id) for e in model.elements)
    for element in category.elements:
        number = model.element_number(element.id)
        out.append(ElementStart(
            element, number, len(model.elements),
            model.label("element_name", number=number, title=element.title),
            model.label("element_strip", number=number, count=len(model.elements)),
            home, model.labels["home_link"], strip, element_names(model),
        ))
        out.append(Heading(2, model.label("element_heading", number=number, title=element.title),
                           anchor_name(element.id), "element"))
        out.append(Para(element.lead, "lead"))
        out.extend(Para(text, "body") for text in element.body)
        out.append(Heading(3, model.label("questions_heading", number=number, title=element.title),
                           anchor_name(element.id + "-stodfragor"), "questions"))
        out.extend(Para(text, "intro") for text in element.questions_intro)
        by_question = {n.question.id: n for n in numbered if n.element is element}
        for index, question in enumerate(element.questions, start=1):
            marker = model.label("question_heading", number=index)
            if question.answerable:
                item = by_question[question.id]
                out.append(QuestionBlock(item, marker, question.text, question.tip,
                                         field_ids.question_fields(model, item), False))
                continue
            heading = NumberedQuestion(question, element, number, str(index))
            out.append(QuestionBlock(heading, marker, question.text, question.tip, (), False))
            for letter, part in zip("abcdefghijklmnopqrstuvwxyz", question.parts):
                item = by_question[part.id]
                out.append(QuestionBlock(item, model.label("part_marker", letter=letter), part.text, part.tip,
                                         field_ids.question_fields(model, item), True))
        out.append(ElementEnd())
    return out


def _summary(model: Model) -> list[Block]:
    summary = model.summary
    out: list[Block] = [Heading(1, summary.heading, anchor_name(summary.id), "summary")]
    out.extend(_blocks(model, summary.blocks))
    out.extend(_section(model, summary.overview, "overview"))
    for element in model.elements:
        number = model.element_number(element.id)
        name = model.label("element_name", number=number, title=element.title)
        # field_title ("{owner} – {label}") composes the caption, so no new label changes the content hash
        caption = model.label("field_title", owner=markup.plain(summary.overview.heading), label=name)
        out.append(ElementSummary(element, number, name, element.summary_statement,
                                  field_ids.element_fields(model, element), caption))
    out.extend(_section(model, summary.assessment, "assessment"))
    return out


def _with_revisions(model: Model, body: list[Block], revisions: Revisions) -> list[Block]:
    notes = dict(revisions.notes)
    out = [replace(b, note=notes[b.numbered.question.id])
           if isinstance(b, QuestionBlock) and b.fields and b.numbered.question.id in notes else b
           for b in body]
    if revisions.removed:
        out.append(Heading(1, model.labels["removed_heading"], anchor_name("borttagna-svar"), "appendix"))
        if revisions.removed_intro:
            out.append(Para(revisions.removed_intro, "body"))
        out.extend(revisions.removed)
    return out
