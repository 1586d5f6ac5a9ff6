"""Which question of one version is which question of another, by id.

Answers are stored under question ids, so this is the one matching that the change report, carrying
answers forward (prefill) and compiling forms of several versions all rely on. Ids are the identity;
texts only raise the warnings that an id was probably reused or renamed by mistake.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Iterator, Mapping

from lovande_docs.model.types import Model, Question
from lovande_docs.revision.changes import Place, RevisionWarning
from lovande_docs.revision.wording import similarity

PART_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# A kept id whose wording is less alike than this probably asks something else now.
MEANING_CHANGED_BELOW = 0.5
# A new id whose wording is more alike than this to a removed one is probably a renamed id.
ID_RENAMED_ABOVE = 0.8


@dataclass(frozen=True)
class Located:
    """A question or part with its place in one version."""

    question: Question
    place: Place
    is_part: bool


def locate_questions(model: Model) -> dict[str, Located]:
    """Every question and part of a model by id, in reading order."""
    found: dict[str, Located] = {}
    number = 0
    for category in model.categories:
        for element in category.elements:
            number += 1
            for index, question in enumerate(element.questions, start=1):
                place = Place(category.id, category.letter, element.id, number, element.title, None, str(index))
                found[question.id] = Located(question, place, False)
                for letter, part in zip(PART_LETTERS, question.parts):
                    part_place = Place(category.id, category.letter, element.id, number, element.title,
                                       question.id, f"{index}{letter}")
                    found[part.id] = Located(part, part_place, True)
    return found


@dataclass(frozen=True)
class QuestionMatch:
    """What became of one question of the new version, seen from the old one."""

    id: str
    # "new"; "reworded" (same id, text changed, moved or not: see ``moved``); "moved" (another
    # element or parent question, same text); "unchanged" (renumbering and tips aside)
    status: str
    answerable: bool  # has answer fields in the new version (a question with parts does not)
    old_place: Place | None
    new_place: Place
    reworded: bool = False  # the question's text changed
    moved: bool = False  # now in another element, or under another question
    renumbered: bool = False  # same element, another number
    tip_changed: bool = False
    similarity: float = 1.0  # of old and new text; 0 for a new question
    was_answerable: bool = False  # had answer fields in the old version

    @property
    def carries_answers(self) -> bool:
        """An earlier answer can be carried over as it stands (it may still deserve a look if moved)."""
        return self.status in ("unchanged", "moved") and self.answerable and self.was_answerable


@dataclass(frozen=True)
class QuestionMapping:
    questions: Mapping[str, QuestionMatch]  # every question and part id of the new version, in reading order
    removed: tuple[str, ...]  # ids of the old version that the new one no longer has
    warnings: tuple[RevisionWarning, ...] = ()

    def status(self, question_id: str) -> str:
        return self.questions[question_id].status

    @property
    def probably_renamed(self) -> dict[str, str]:
        """Removed old id → new id with near-identical text (answers would be lost without help)."""
        return {w.old_id: w.id for w in self.warnings if w.kind == "id-renamed"}

    @property
    def meaning_changed(self) -> tuple[str, ...]:
        """Ids kept for a question whose text is now quite different (old answers may not apply)."""
        return tuple(w.id for w in self.warnings if w.kind == "meaning-changed")


def _moved(old: Place, new: Place) -> bool:
    return (old.element_id, old.parent_id) != (new.element_id, new.parent_id)


def _status(match_new: bool, reworded: bool, moved: bool) -> str:
    if match_new:
        return "new"
    if reworded:
        return "reworded"
    return "moved" if moved else "unchanged"


def question_mapping(old: Model, new: Model) -> QuestionMapping:
    """For every question id of ``new``: new, reworded, moved or unchanged; and what ``old`` lost."""
    before, after = locate_questions(old), locate_questions(new)
    matches: dict[str, QuestionMatch] = {}
    for question_id, now in after.items():
        was = before.get(question_id)
        if was is None:
            matches[question_id] = QuestionMatch(question_id, "new", now.question.answerable, None, now.place,
                                                 similarity=0.0)
            continue
        reworded = was.question.text != now.question.text
        moved = _moved(was.place, now.place)
        matches[question_id] = QuestionMatch(
            question_id, _status(False, reworded, moved), now.question.answerable, was.place, now.place,
            reworded=reworded, moved=moved, renumbered=not moved and was.place.number != now.place.number,
            tip_changed=was.question.tip != now.question.tip,
            similarity=similarity(was.question.text, now.question.text) if reworded else 1.0,
            was_answerable=was.question.answerable,
        )
    removed = tuple(i for i in before if i not in after)
    warnings = tuple(_warnings(before, after, matches, removed))
    return QuestionMapping(MappingProxyType(matches), removed, warnings)


def _warnings(before: dict[str, Located], after: dict[str, Located], matches: Mapping[str, QuestionMatch],
              removed: tuple[str, ...]) -> Iterator[RevisionWarning]:
    for question_id, match in matches.items():
        if match.reworded and match.similarity < MEANING_CHANGED_BELOW:
            yield RevisionWarning("meaning-changed", question_id, question_id, match.similarity,
                                  before[question_id].question.text, after[question_id].question.text)
    added = [i for i, m in matches.items() if m.status == "new"]
    for old_id in removed:
        old_text = before[old_id].question.text
        scored = [(similarity(old_text, after[new_id].question.text), new_id) for new_id in added]
        best = max(scored, default=None)
        if best and best[0] > ID_RENAMED_ABOVE:
            yield RevisionWarning("id-renamed", best[1], old_id, best[0], old_text, after[best[1]].question.text)
