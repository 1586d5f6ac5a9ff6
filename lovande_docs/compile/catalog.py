"""Questions and elements across model versions, combined by id.

A question id never changes meaning (docs/content-format.md), so forms read with different model
versions are combined by id. The catalogue is the union of the questions of every version the
forms were read with, in reading order: the latest version's order, with questions only older
versions asked inserted after the question they followed there. Texts and numbers shown are the
latest version's that has the question. A question a form's version did not ask is "ej ställd"
for that form, never "obesvarad".
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lovande_docs import markup
from lovande_docs.model import Model

try:  # the ordering the registry uses, where it exists
    from lovande_docs.versions import version_key as _version_key
except ImportError:  # pragma: no cover
    def _version_key(version: str) -> tuple:
        return tuple((1, int(p), "") if p.isdigit() else (0, 0, p) for p in re.findall(r"\d+|[A-Za-z]+", version))


@dataclass(frozen=True)
class QuestionInfo:
    id: str
    element_id: str
    element_number: int
    number: str  # as displayed: "2a"
    text: str  # plain text


@dataclass(frozen=True)
class ElementInfo:
    id: str
    number: int
    title: str


def ref(model: Model) -> str:
    """How the answers structure names a model version (``model.read_with``)."""
    return f"{model.id} {model.version}"


def _merge(order: list[str], extra: list[str]) -> list[str]:
    """Insert ids of ``extra`` missing from ``order`` after the id they follow in ``extra``."""
    result = list(order)
    present = set(result)
    previous = None
    for item in extra:
        if item not in present:
            position = result.index(previous) + 1 if previous is not None else 0
            result.insert(position, item)
            present.add(item)
        previous = item
    return result


class Catalog:
    def __init__(self, models: Iterable[Model], extra_asked: Iterable[Iterable[str]] = ()):
        """``models``: the versions the forms were read with; ``extra_asked``: question ids of
        forms read with a version the registry does not know (shown by id)."""
        models = sorted({ref(m): m for m in models}.values(), key=lambda m: _version_key(m.version), reverse=True)
        self.models = {ref(m): m for m in models}
        self._asked: dict[str, frozenset[str]] = {}  # per known version, asked once per form and sheet
        questions: dict[str, QuestionInfo] = {}
        elements: dict[str, ElementInfo] = {}
        question_order: list[str] = []
        element_order: list[str] = []
        for model in models:  # latest first: its texts win
            for number, element in enumerate(model.elements, start=1):
                elements.setdefault(element.id, ElementInfo(element.id, number, markup.plain(element.title)))
            ids = []
            for numbered in model.numbered_questions():
                ids.append(numbered.question.id)
                questions.setdefault(numbered.question.id, QuestionInfo(
                    numbered.question.id, numbered.element.id, numbered.element_number, numbered.number,
                    markup.plain(numbered.question.text)))
            question_order = _merge(question_order, ids)
            element_order = _merge(element_order, [e.id for e in model.elements])
        for asked in extra_asked:
            for qid in asked:
                if qid not in questions:
                    questions[qid] = QuestionInfo(qid, "", 0, "", qid)
                    question_order.append(qid)
        self.elements = [elements[e] for e in element_order]
        # reading order: by element (in element order), then by the merged question order
        element_rank = {e: i for i, e in enumerate(element_order)}
        rank = {q: i for i, q in enumerate(question_order)}
        self.questions = sorted((questions[q] for q in question_order),
                                key=lambda q: (element_rank.get(q.element_id, len(element_rank)), rank[q.id]))
        self.by_id = {q.id: q for q in self.questions}
        self.element_by_id = {e.id: e for e in self.elements}

    def asked(self, read_with: str | None, fallback: Iterable[str]) -> frozenset[str]:
        """The question ids of a form read with ``read_with`` (a known version's own; else the form's)."""
        known = self._asked.get(read_with or "")
        if known is not None:
            return known
        model = self.models.get(read_with or "")
        if model is None:
            return frozenset(fallback)
        known = self._asked[read_with] = frozenset(n.question.id for n in model.numbered_questions())
        return known

    def element_asked(self, read_with: str | None, fallback: Iterable[str]) -> frozenset[str]:
        model = self.models.get(read_with or "")
        if model is None:
            return frozenset(fallback)
        return frozenset(e.id for e in model.elements)

    def latest(self) -> Model | None:
        return next(iter(self.models.values()), None)
