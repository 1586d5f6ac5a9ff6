"""The answers structure: what a unit entered in one filled form, mapped to the model's ids.

One structure for both formats (``lovande-answers/1``, see docs/answers-format.md and
schemas/lovande-answers-1.schema.json). Readers produce it, compilers and scripts consume it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = "lovande-answers/1"

# Kinds of problem a reader may report (the "kind" of a Problem): the one registry. A new kind is
# added here, to the schema's enum (schemas/lovande-answers-1.schema.json) and, in Swedish, to
# compile/problem_messages.yaml and compile/labels.yaml (problem_kinds); tests/test_problem_messages.py
# fails until all four agree with the kinds the code reports.
PROBLEM_KINDS = {
    "conflict": "more than one option ticked for one question",
    "description_without_answer": "a description was written but no answer ticked",
    "missing_field": "a field the model defines is not in the form (deleted or lost)",
    "unknown_value": "a field holds a value that is not one of its options",
    "damaged_value": "a field's stored value is damaged or of the wrong type; the answer is left empty",
    "unknown_model": "the form names a model or version this tool does not know",
    "hash_mismatch": "the form's content hash matches no known version of its model",
    "no_identity": "the form carries no model identity; read against the current model",
    "unidentified_field": "a control was found only by its position or title, not its tag",
    "duplicate_field": "a field is in the form more than once with different values; the answer is left empty",
    "shown_differs": "a choice's stored value differs from what the form shows; what it shows is read",
}


def slot(definition, model) -> tuple[str, str | None]:
    """Where a field's value lives in the structure: ("questions", "<question id>"),
    ("elements", "<element id>"), ("practice", None) or ("assessment", None)."""
    if definition.owner_kind == "question":
        return "questions", definition.owner_id
    if definition.owner_kind == "element":
        return "elements", definition.owner_id
    if any(section.id == definition.owner_id for section in model.sections):
        return "practice", None
    return "assessment", None


def place(answers: dict, definition, model, value) -> None:
    """Put ``value`` into its slot of an answers dict (parts as in ``FormAnswers.to_dict``)."""
    part, owner = slot(definition, model)
    target = answers.setdefault(part, {})
    if owner is not None:
        target = target.setdefault(owner, {})
    target[definition.key] = value


def lookup(answers: dict, definition, model):
    """The value of a field in an answers dict, or None."""
    part, owner = slot(definition, model)
    values = answers.get(part) or {}
    if owner is not None:
        values = values.get(owner) or {}
    return values.get(definition.key)


@dataclass(frozen=True)
class Problem:
    kind: str
    message: str  # plain words, for people
    field: str | None = None  # the field's name, where the problem belongs to one
    values: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"field": self.field, "kind": self.kind, "message": self.message}
        if self.values:
            data["values"] = list(self.values)
        return data


@dataclass(frozen=True)
class Source:
    file: str
    sha256: str
    format: str  # "docx", "odt" or "pdf"
    size: int


@dataclass(frozen=True)
class ModelRef:
    """The model as the form itself names it, and whether this tool knows it."""

    id: str | None
    version: str | None
    content_hash: str | None
    generator: str | None
    known: bool  # a known model version with exactly this content hash


@dataclass
class FormAnswers:
    source: Source
    model: ModelRef
    read_with: str  # "<id> <version>": the model whose fields were read
    practice: dict[str, Any] = field(default_factory=dict)
    questions: dict[str, dict[str, Any]] = field(default_factory=dict)
    elements: dict[str, dict[str, Any]] = field(default_factory=dict)
    assessment: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "source": {"file": self.source.file, "sha256": self.source.sha256,
                       "format": self.source.format, "size": self.source.size},
            "model": {"id": self.model.id, "version": self.model.version,
                      "content_hash": self.model.content_hash, "generator": self.model.generator,
                      "known": self.model.known, "read_with": self.read_with},
            "practice": self.practice,
            "questions": self.questions,
            "elements": self.elements,
            "assessment": self.assessment,
            "problems": [p.to_dict() for p in self.problems],
        }
