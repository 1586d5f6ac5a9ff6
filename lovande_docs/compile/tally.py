"""Counts over the counted forms, added one form at a time (nothing but counters is kept)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from lovande_docs import markup
from lovande_docs.compile.catalog import Catalog
from lovande_docs.compile.record import OVERALL_KEY
from lovande_docs.model import Model

NOT_ASKED = "ej_stalld"  # pseudo-code: the form's version did not ask this question / have this element
UNANSWERED = None


@dataclass(frozen=True)
class OptionLabels:
    """The model's option codes and their plain Swedish labels, for the fields the summary shows."""

    answer: tuple[tuple[str, str], ...]
    question_status: tuple[tuple[str, str], ...]
    element_status: tuple[tuple[str, str], ...]
    overall: tuple[tuple[str, str], ...]
    overall_short: tuple[tuple[str, str], ...] = ()  # the label's bold words: "Mycket bra", "Behöver utvecklas"

    @classmethod
    def of(cls, model: Model) -> OptionLabels:
        def options(specs, key, text=markup.plain):
            spec = next((s for s in specs if s.key == key and s.options), None)
            if spec is None:
                return ()
            return tuple((o.code, text(o.label)) for o in model.options[spec.options].items)

        assessment = model.summary.assessment.fields
        return cls(options(model.question_fields, "answer"), options(model.question_fields, "status"),
                   options(model.element_fields, "status"), options(assessment, OVERALL_KEY),
                   options(assessment, OVERALL_KEY, _short))

    @staticmethod
    def lookup(pairs: tuple[tuple[str, str], ...], code: str | None) -> str | None:
        if code is None:
            return None
        return dict(pairs).get(code, code)


def _short(label: str) -> str:
    """An option's short name, the words its label sets in bold ("Arbetssättet uppfyller **till
    största delen** kriterierna" → "Till största delen"); the whole label when none are bold."""
    bold = " ".join(span.text.strip() for span in markup.parse(label) if span.bold and span.text.strip())
    text = bold or markup.plain(label)
    return text[:1].upper() + text[1:]


@dataclass
class QuestionTally:
    asked: int = 0
    answers: Counter = field(default_factory=Counter)  # code or None → forms
    statuses: Counter = field(default_factory=Counter)  # code or None → forms
    not_asked: int = 0
    conflicts: int = 0


@dataclass
class ElementTally:
    present: int = 0
    statuses: Counter = field(default_factory=Counter)
    not_asked: int = 0
    answers: Counter = field(default_factory=Counter)  # over the element's questions × forms


class Tally:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.forms = 0
        self.questions = {q.id: QuestionTally() for q in catalog.questions}
        self.elements = {e.id: ElementTally() for e in catalog.elements}
        self.overall: Counter = Counter()
        self._asked_cache: dict[str | None, tuple[frozenset, frozenset]] = {}

    def asked_sets(self, read_with: str | None, answers: dict[str, Any]) -> tuple[frozenset, frozenset]:
        """The question and element ids the form's model version has (by the registry; for a
        version it does not know, the ids the form itself carries)."""
        cached = self._asked_cache.get(read_with)
        if cached is not None:
            return cached
        sets = (self.catalog.asked(read_with, answers.get("questions") or {}),
                self.catalog.element_asked(read_with, answers.get("elements") or {}))
        if read_with in self.catalog.models:
            self._asked_cache[read_with] = sets
        return sets

    def add(self, answers: dict[str, Any]) -> tuple[frozenset, frozenset]:
        """Count one form; returns (asked question ids, element ids present) for the caller's rows."""
        self.forms += 1
        read_with = (answers.get("model") or {}).get("read_with")
        asked, elements_present = self.asked_sets(read_with, answers)
        questions = answers.get("questions") or {}
        conflicted = {p.get("field") for p in answers.get("problems") or () if p.get("kind") == "conflict"}
        for info in self.catalog.questions:
            tally = self.questions[info.id]
            if info.id not in asked:
                tally.not_asked += 1
                continue
            values = questions.get(info.id) or {}
            tally.asked += 1
            answer = values.get("answer")
            tally.answers[answer] += 1
            tally.statuses[values.get("status")] += 1
            if answer is None and f"{info.id}__answer" in conflicted:
                tally.conflicts += 1
            if info.element_id in self.elements:
                self.elements[info.element_id].answers[answer] += 1
        elements = answers.get("elements") or {}
        for info in self.catalog.elements:
            tally = self.elements[info.id]
            if info.id not in elements_present:
                tally.not_asked += 1
                continue
            tally.present += 1
            tally.statuses[(elements.get(info.id) or {}).get("status")] += 1
        self.overall[(answers.get("assessment") or {}).get("samlad-bedomning")] += 1
        return asked, elements_present
