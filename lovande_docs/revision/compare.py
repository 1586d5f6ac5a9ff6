"""Compare two versions of the model, matched by id: the pure core of ``lovande diff``."""
from __future__ import annotations

from typing import Iterator

from lovande_docs.model.types import (
    Box, Bullets, Category, Element, FieldSpec, Figure, Model, Paragraph, Quote, Section,
)
from lovande_docs.revision.changes import Change, Changes, Place, VersionRef
from lovande_docs.revision.mapping import locate_questions, question_mapping
from lovande_docs.revision.wording import join_paragraphs, word_diff


def compare(old: Model, new: Model) -> Changes:
    """Every difference between ``old`` and ``new`` a reader or a filled form would notice."""
    items = [
        *_meta(old, new), *_options(old, new), *_labels(old, new), *_fields(old, new),
        *_footnotes(old, new), *_sections(old, new), *_categories(old, new), *_elements(old, new),
        *_questions(old, new),
    ]
    return Changes(_ref(old), _ref(new), tuple(items), question_mapping(old, new).warnings)


def _ref(model: Model) -> VersionRef:
    return VersionRef(model.id, model.meta.title, model.version, model.content_hash, model.source)


def _text(kind: str, subject: str, id: str, attribute: str | None, old: str, new: str, **places) -> Change:
    return Change(kind, subject, id, attribute, old, new, diff=word_diff(old, new), **places)


def _differing(pairs) -> Iterator[tuple[str, str, str]]:
    for attribute, before, after in pairs:
        if before != after:
            yield attribute, before, after


# --- metadata, options, labels, fields, footnotes -------------------------------------------------

def _meta(old: Model, new: Model) -> Iterator[Change]:
    a, b = old.meta, new.meta
    pairs = [
        ("id", a.id, b.id), ("version", a.version, b.version), ("language", a.language, b.language),
        ("title", a.title, b.title), ("subtitle", a.subtitle, b.subtitle),
        ("article_number", a.article_number, b.article_number),
        ("published.place", a.published_place, b.published_place),
        ("published.month", a.published_month, b.published_month),
        ("notice", join_paragraphs(a.notice), join_paragraphs(b.notice)),
        ("back_cover", join_paragraphs(a.back_cover), join_paragraphs(b.back_cover)),
    ]
    for attribute, before, after in _differing(pairs):
        yield _text("changed", "model", attribute, None, before, after)


def _options(old: Model, new: Model) -> Iterator[Change]:
    for list_id in old.options.keys() - new.options.keys():
        yield Change("removed", "option-list", list_id, old=", ".join(old.options[list_id].codes))
    for list_id, after in new.options.items():
        before = old.options.get(list_id)
        if before is None:
            yield Change("added", "option-list", list_id, new=", ".join(after.codes))
            continue
        if before.placeholder != after.placeholder:
            yield _text("changed", "option-list", list_id, "placeholder", before.placeholder or "", after.placeholder or "")
        old_labels = {o.code: o.label for o in before.items}
        new_labels = {o.code: o.label for o in after.items}
        for option in before.items:
            if option.code not in new_labels:
                yield Change("removed", "option", f"{list_id}:{option.code}", old=option.label)
        for option in after.items:
            if option.code not in old_labels:
                yield Change("added", "option", f"{list_id}:{option.code}", new=option.label)
            elif old_labels[option.code] != option.label:
                yield _text("relabelled", "option", f"{list_id}:{option.code}", "label",
                            old_labels[option.code], option.label)
        kept_before = [c for c in before.codes if c in new_labels]
        kept_after = [c for c in after.codes if c in old_labels]
        if kept_before != kept_after:
            yield Change("attribute-changed", "option-list", list_id, "order", ", ".join(kept_before),
                         ", ".join(kept_after))


def _labels(old: Model, new: Model) -> Iterator[Change]:
    for key in old.labels:
        if key not in new.labels:
            yield Change("removed", "label", key, old=old.labels[key])
    for key, after in new.labels.items():
        if key not in old.labels:
            yield Change("added", "label", key, new=after)
        elif old.labels[key] != after:
            yield _text("changed", "label", key, None, old.labels[key], after)


def _field_specs(model: Model) -> dict[str, FieldSpec]:
    """Every field definition by "owner.key": the per-question and per-element templates and the
    fields sections declare."""
    specs = {f"question.{f.key}": f for f in model.question_fields}
    specs.update({f"element.{f.key}": f for f in model.element_fields})
    for section in _all_sections(model):
        specs.update({f"{section.id}.{f.key}": f for f in section.fields})
    return specs


def _fields(old: Model, new: Model) -> Iterator[Change]:
    before, after = _field_specs(old), _field_specs(new)
    for name, spec in before.items():
        if name not in after:
            yield Change("removed", "field", name, old=f"{spec.kind}: {spec.label}")
    for name, spec in after.items():
        if name not in before:
            yield Change("added", "field", name, new=f"{spec.kind}: {spec.label}")
            continue
        was = before[name]
        pairs = [("kind", was.kind, spec.kind), ("label", was.label, spec.label),
                 ("options", was.options or "", spec.options or ""), ("hint", was.hint or "", spec.hint or "")]
        for attribute, a, b in _differing(pairs):
            yield _text("changed", "field", name, attribute, a, b)


def _footnotes(old: Model, new: Model) -> Iterator[Change]:
    for footnote_id, footnote in old.footnotes.items():
        if footnote_id not in new.footnotes:
            yield Change("removed", "footnote", footnote_id, old=footnote.text or footnote.url)
    for footnote_id, footnote in new.footnotes.items():
        was = old.footnotes.get(footnote_id)
        if was is None:
            yield Change("added", "footnote", footnote_id, new=footnote.text or footnote.url)
            continue
        for attribute, a, b in _differing([("text", was.text or "", footnote.text or ""),
                                           ("url", was.url or "", footnote.url or "")]):
            yield _text("text-changed", "footnote", footnote_id, attribute, a, b)


# --- prose sections -----------------------------------------------------------------------------

def _all_sections(model: Model) -> tuple[Section, ...]:
    """The sections before the categories and the summary's three parts, all as sections."""
    summary = model.summary
    return (*model.sections, Section(summary.id, summary.heading, 1, summary.blocks),
            summary.overview, summary.assessment)


def _block_text(block) -> str | None:
    if isinstance(block, (Paragraph, Quote)):
        return block.text
    if isinstance(block, Bullets):
        return " • ".join(block.items)
    if isinstance(block, Box):
        return join_paragraphs([block.title, *block.paragraphs, *block.bullets])
    if isinstance(block, Figure):
        return f"[{block.name}]"
    return None  # fields are compared as fields


def _sections(old: Model, new: Model) -> Iterator[Change]:
    before = {s.id: s for s in _all_sections(old)}
    after = {s.id: s for s in _all_sections(new)}
    for section_id, section in before.items():
        if section_id not in after:
            yield Change("removed", "section", section_id, old=section.heading)
    for section_id, section in after.items():
        was = before.get(section_id)
        if was is None:
            yield Change("added", "section", section_id, new=section.heading)
            continue
        if was.heading != section.heading:
            yield _text("renamed", "section", section_id, "heading", was.heading, section.heading)
        if was.level != section.level:
            yield Change("attribute-changed", "section", section_id, "level", str(was.level), str(section.level))
        texts = [join_paragraphs([t for b in s.blocks if (t := _block_text(b)) is not None]) for s in (was, section)]
        if texts[0] != texts[1]:
            yield _text("text-changed", "section", section_id, "blocks", texts[0], texts[1])


# --- categories, elements, questions ------------------------------------------------------------

def _category_place(category: Category) -> Place:
    return Place(category.id, category.letter)


def _categories(old: Model, new: Model) -> Iterator[Change]:
    before = {c.id: c for c in old.categories}
    for category in old.categories:
        if category.id not in {c.id for c in new.categories}:
            yield Change("removed", "category", category.id, old=category.title, old_place=_category_place(category))
    for category in new.categories:
        was = before.get(category.id)
        place = _category_place(category)
        if was is None:
            yield Change("added", "category", category.id, new=category.title, new_place=place)
            continue
        places = {"old_place": _category_place(was), "new_place": place}
        if was.letter != category.letter:
            yield Change("renumbered", "category", category.id, "letter", was.letter, category.letter, **places)
        if was.title != category.title:
            yield _text("renamed", "category", category.id, "title", was.title, category.title, **places)
        pairs = [("intro", join_paragraphs(was.intro), join_paragraphs(category.intro)),
                 ("describe.heading", was.describe_heading, category.describe_heading),
                 ("describe.text", join_paragraphs(was.describe_text), join_paragraphs(category.describe_text))]
        for attribute, a, b in _differing(pairs):
            yield _text("text-changed", "category", category.id, attribute, a, b, **places)


def _element_places(model: Model) -> dict[str, tuple[Element, Place]]:
    found = {}
    number = 0
    for category in model.categories:
        for element in category.elements:
            number += 1
            found[element.id] = (element, Place(category.id, category.letter, element.id, number, element.title))
    return found


def _elements(old: Model, new: Model) -> Iterator[Change]:
    before, after = _element_places(old), _element_places(new)
    for element_id, (element, place) in before.items():
        if element_id not in after:
            yield Change("removed", "element", element_id, old=element.title, old_place=place)
    for element_id, (element, place) in after.items():
        if element_id not in before:
            yield Change("added", "element", element_id, new=element.title, new_place=place)
            continue
        was, was_place = before[element_id]
        places = {"old_place": was_place, "new_place": place}
        if was_place.category_id != place.category_id:
            yield Change("moved", "element", element_id, None, was_place.ref, place.ref, **places)
        elif was_place.element_number != place.element_number:
            yield Change("renumbered", "element", element_id, None, was_place.ref, place.ref, **places)
        if was.title != element.title:
            yield _text("renamed", "element", element_id, "title", was.title, element.title, **places)
        pairs = [("summary_statement", was.summary_statement, element.summary_statement),
                 ("lead", was.lead, element.lead),
                 ("body", join_paragraphs(was.body), join_paragraphs(element.body)),
                 ("questions_intro", join_paragraphs(was.questions_intro), join_paragraphs(element.questions_intro))]
        for attribute, a, b in _differing(pairs):
            yield _text("text-changed", "element", element_id, attribute, a, b, **places)


def _condition(question) -> str:
    condition = question.condition
    return f"{condition.question} = {condition.answer}" if condition else ""


def _questions(old: Model, new: Model) -> Iterator[Change]:
    before, after = locate_questions(old), locate_questions(new)
    mapping = question_mapping(old, new)
    for question_id in mapping.removed:
        was = before[question_id]
        yield Change("removed", "part" if was.is_part else "question", question_id, old=was.question.text,
                     old_place=was.place)
    for question_id, match in mapping.questions.items():
        now = after[question_id]
        subject = "part" if now.is_part else "question"
        if match.status == "new":
            yield Change("added", subject, question_id, new=now.question.text, new_place=now.place)
            continue
        was = before[question_id]
        places = {"old_place": was.place, "new_place": now.place}
        if match.moved:
            yield Change("moved", subject, question_id, None, was.place.ref, now.place.ref, **places)
        elif match.renumbered:
            yield Change("renumbered", subject, question_id, None, was.place.ref, now.place.ref, **places)
        if match.reworded:
            yield _text("reworded", subject, question_id, "text", was.question.text, now.question.text, **places)
        if match.tip_changed:
            yield _text("tip-changed", subject, question_id, "tip", join_paragraphs(was.question.tip),
                        join_paragraphs(now.question.tip), **places)
        pairs = [("central", str(was.question.central).lower(), str(now.question.central).lower()),
                 ("scope", was.question.scope or "", now.question.scope or ""),
                 ("condition", _condition(was.question), _condition(now.question))]
        for attribute, a, b in _differing(pairs):
            yield Change("attribute-changed", subject, question_id, attribute, a, b, **places)
