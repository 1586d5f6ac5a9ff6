"""Carry a unit's earlier answers into a (newer) version of the guide, mapped by id.

The source is a filled .docx or .pdf, or answers JSON written by ``lovande parse``. Answers move
by question id (``revision.question_mapping``): unchanged and moved questions keep their answers;
reworded questions keep them too but are marked so the unit looks again; new questions are marked
to be answered; answers to questions the new version no longer asks go into an appendix, never
dropped. Element summaries and the practice/assessment fields move by id and key.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lovande_docs import fields as field_ids
from lovande_docs import markup
from lovande_docs.answers import lookup
from lovande_docs.document import AnswerRecord, Revisions
from lovande_docs.model import Model
from lovande_docs.readers.registry import Registry
from lovande_docs.revision.mapping import question_mapping


class PrefillError(Exception):
    """The earlier answers cannot be used; the message says why in plain words."""


@dataclass(frozen=True)
class PrefillPlan:
    values: dict[str, str]  # field name in the target model → code or text to fill in
    revisions: Revisions
    source_model: Model
    carried: int  # fields filled
    dropped: tuple[str, ...]  # field names whose value no longer fits (e.g. an option removed)


def load_answers(path: Path) -> dict[str, Any]:
    """Earlier answers from a filled .docx, .odt or .pdf, or an answers file (JSON: the web edition's
    "Spara som fil", or ``lovande parse`` output of one form), read like any form (readers)."""
    from lovande_docs.readers import ReadError, read_form

    try:
        return read_form(path).to_dict()
    except ReadError as error:
        raise PrefillError(f"{path}: {error}") from None


def _source_model(answers: dict[str, Any], registry: Registry) -> Model:
    model_info = answers.get("model") or {}
    read_with = str(model_info.get("read_with") or "")
    model_id, _, version = read_with.partition(" ")
    return (registry.by_hash(model_info.get("content_hash")) or registry.by_version(model_id, version)
            or registry.latest(model_info.get("id")) or registry.default)


def _fits(definition, value) -> bool:
    return value is None or definition.options is None or value in definition.options.codes


def plan_prefill(answers: dict[str, Any], target: Model, registry: Registry, source_name: str) -> PrefillPlan:
    source = _source_model(answers, registry)
    mapping = question_mapping(source, target)
    values: dict[str, str] = {}
    dropped: list[str] = []
    notes: list[tuple[str, str]] = []
    question_ids = set(mapping.questions)
    for definition in field_ids.all_fields(target):
        if definition.owner_kind == "question":
            match = mapping.questions[definition.owner_id]
            if not (match.answerable and match.was_answerable):
                continue
        value = lookup(answers, definition, target)
        if value is None:
            continue
        if _fits(definition, value):
            values[definition.name] = value
        else:
            dropped.append(definition.name)
    for question_id, match in mapping.questions.items():
        if not match.answerable:
            continue
        if match.status == "new" or not match.was_answerable:
            notes.append((question_id, target.label("revisit_new", version=target.version)))
        elif match.reworded:
            notes.append((question_id, target.label("revisit_changed", version=target.version)))
    removed = tuple(_record(source, target, answers, question_id) for question_id in mapping.removed
                    if question_id not in question_ids and _answered(answers, question_id))
    intro = target.label("removed_intro", file=source_name, old_version=source.version, version=target.version)
    revisions = Revisions(tuple(notes), intro if removed else None, removed)
    return PrefillPlan(values, revisions, source, len(values), tuple(dropped))


def _answered(answers: dict[str, Any], question_id: str) -> bool:
    return any(v is not None for v in (answers.get("questions") or {}).get(question_id, {}).values())


def _record(source: Model, target: Model, answers: dict[str, Any], question_id: str) -> AnswerRecord:
    """An answer to a removed question, with the question and options in the words of the version
    it was given in, framed by the target version's labels."""
    numbered = next(n for n in source.numbered_questions() if n.question.id == question_id)
    title = source.label("question_title", element=numbered.element_number, number=numbered.number)
    lines = []
    for spec in source.question_fields:
        value = answers["questions"][question_id].get(spec.key)
        if value is None:
            continue
        if spec.options:
            options = source.options[spec.options]
            value = markup.plain(options.label_of(value)) if value in options.codes else value
        lines.append(target.label("record_line", label=markup.plain(spec.label), value=value))
    return AnswerRecord(target.label("removed_question", title=title, old_version=source.version),
                        numbered.question.text, tuple(lines))
