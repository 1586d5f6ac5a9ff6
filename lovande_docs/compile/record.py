"""The small record the compiler keeps per file: enough for Översikt, dedupe and the catalogue.

The full answers stay in the answers store on disk; a record is a few hundred bytes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lovande_docs.filenames import shown


@dataclass
class FormRecord:
    path: str
    file: str
    size: int
    mtime: float
    sha256: str | None
    error: str | None = None  # the file could not be read: why (the reader's message)
    cached: bool = False  # taken from the cache, not read again
    format: str | None = None
    organisation: str | None = None
    practice: str | None = None  # Vårt valda arbetssätt: arbetssatt
    date: str | None = None  # as written in Vår bedömning
    participants: str | None = None
    model_named: str | None = None  # "<id> <version>" as the form names it
    read_with: str | None = None
    overall: str | None = None  # samlad-bedomning code
    element_status: dict[str, str | None] = field(default_factory=dict)
    asked: tuple[str, ...] = ()  # the form's question ids; dropped once its version is known to the registry
    asked_count: int = 0
    answered: int = 0
    problems: list[tuple[str, str | None, str, tuple[str, ...]]] = field(default_factory=list)  # (kind, field, message, values)
    blank: bool = False  # nothing filled in: the unfilled guide ("tom blankett"), listed, not counted
    # for the file index (fileindex.py): how the file looked on disk and when, and whether the
    # outcome is a fact about its bytes (answers or the reader's error, kept in the store)
    signature: list[int] | None = None
    seen_ns: int = 0
    settled: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def shown_path(self) -> str:
        """The path as every output shows it (one printable line; ``path`` is the real one)."""
        return shown(self.path)


# Field keys of the answers structure the compiler looks at (see docs/answers-format.md).
PRACTICE_KEY = "arbetssatt"
ORGANISATION_KEY = "organisation"
DATE_KEY = "datum"
PARTICIPANTS_KEY = "deltagare"
OVERALL_KEY = "samlad-bedomning"
DEVELOPMENT_KEY = "utvecklingsomraden"
MOTIVATION_KEY = "motivering"


def describe(record: FormRecord, answers: dict[str, Any]) -> FormRecord:
    """Fill a record from one form's answers structure."""
    assessment = answers.get("assessment") or {}
    practice = answers.get("practice") or {}
    model = answers.get("model") or {}
    questions = answers.get("questions") or {}
    record.format = (answers.get("source") or {}).get("format") or record.format
    record.organisation = assessment.get(ORGANISATION_KEY)
    record.practice = practice.get(PRACTICE_KEY)
    record.date = assessment.get(DATE_KEY)
    record.participants = assessment.get(PARTICIPANTS_KEY)
    named = " ".join(str(v) for v in (model.get("id"), model.get("version")) if v)
    record.model_named = named or None
    record.read_with = model.get("read_with")
    record.overall = assessment.get(OVERALL_KEY)
    record.element_status = {eid: (values or {}).get("status") for eid, values in (answers.get("elements") or {}).items()}
    record.asked = tuple(questions)
    record.asked_count = len(record.asked)
    record.answered = sum(1 for values in questions.values() if (values or {}).get("answer"))
    record.problems = [(p.get("kind", ""), p.get("field"), p.get("message", ""), tuple(p.get("values") or ()))
                       for p in answers.get("problems") or ()]
    record.blank = is_blank(answers)
    return record


def is_blank(answers: dict[str, Any]) -> bool:
    """True for a guide with nothing filled in (not a tick, not a word): the blank form someone
    sent in by mistake. Two boxes ticked on one question (a conflict) is something filled in."""
    if any(p.get("kind") == "conflict" for p in answers.get("problems") or ()):
        return False
    sections = [answers.get("practice") or {}, answers.get("assessment") or {}]
    sections += list((answers.get("questions") or {}).values()) + list((answers.get("elements") or {}).values())
    return not any(value not in (None, "", [], False) and not (isinstance(value, str) and not value.strip())
                   for section in sections for value in (section or {}).values())
