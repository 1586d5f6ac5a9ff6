"""The report's data, computed once and drawn by both report_pdf and report_docx.

Collected form by form from the counted forms (see run.py), finished with the tally's counts.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from lovande_docs.compile.catalog import Catalog
from lovande_docs.compile.chart import Series
from lovande_docs.compile.dedupe import normalise
from lovande_docs.compile.labels import label
from lovande_docs.compile.record import DEVELOPMENT_KEY, FormRecord
from lovande_docs.compile.tally import OptionLabels, Tally
from lovande_docs.layout import Layout


@dataclass
class FormLine:
    unit: str
    practice: str
    date: str
    version: str
    overall: str


@dataclass
class QuestionBar:
    number: str  # "2a"
    text: str
    counts: list[int]  # in the order of ReportData.answer_series


@dataclass
class ElementReport:
    number: int
    title: str
    bars: list[QuestionBar]
    status_counts: list[int]  # in the order of ReportData.status_series
    summaries: list[tuple[str, str]] = field(default_factory=list)  # (unit, text)


@dataclass
class ReportData:
    title: str
    subtitle: str
    intro: str
    forms: list[FormLine]
    overall: list[tuple[str, int]]
    answer_series: list[Series]
    status_series: list[Series]
    elements: list[ElementReport]
    development: list[tuple[str, str]]  # (unit, text) per form
    frequent: list[tuple[str, int]]  # (word or phrase, forms mentioning it)
    weak_elements: list[tuple[str, int]]


def unit_label(record: FormRecord) -> str:
    if record.organisation and record.practice:
        return f"{record.organisation} – {record.practice}"
    return record.organisation or record.practice or label("report.unit_unknown", file=record.file)


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def frequent_terms(texts: list[str], stopwords: set[str], limit: int) -> list[tuple[str, int]]:
    """Words (4 letters or more) and two-word phrases, counted once per form that uses them."""
    counts: Counter = Counter()
    for text in texts:
        words = [w.casefold() for w in _WORD.findall(text)]
        terms = {w for w in words if len(w) >= 4 and w not in stopwords}
        terms |= {f"{a} {b}" for a, b in pairwise(words)
                  if a not in stopwords and b not in stopwords and len(a) >= 3 and len(b) >= 3}
        counts.update(terms)
    ranked = [(t, n) for t, n in counts.items() if n >= 2] or list(counts.items())
    ranked.sort(key=lambda item: (-item[1], -len(item[0].split()), item[0]))
    # a phrase that is as frequent as its words says more than the words alone
    chosen: list[tuple[str, int]] = []
    for term, count in ranked:
        if any(term in other.split() and count == n for other, n in chosen if " " in other):
            continue
        chosen.append((term, count))
        if len(chosen) >= limit:
            break
    return chosen


class ReportCollector:
    """Gathers, per counted form, what the report quotes (summaries, development areas)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.forms: list[tuple[FormRecord, str]] = []
        self.summaries: dict[str, list[tuple[str, str]]] = {e.id: [] for e in catalog.elements}
        self.development: list[tuple[str, str]] = []

    def add(self, record: FormRecord, answers: dict[str, Any]) -> None:
        unit = unit_label(record)
        self.forms.append((record, unit))
        for element_id, values in (answers.get("elements") or {}).items():
            summary = (values or {}).get("summary")
            if summary and element_id in self.summaries:
                self.summaries[element_id].append((unit, summary))
        text = (answers.get("assessment") or {}).get(DEVELOPMENT_KEY)
        if text:
            self.development.append((unit, text))

    def finish(self, tally: Tally, options: OptionLabels, layout: Layout, duplicates: int, superseded: int,
               failed: int, today: dt.date | None = None) -> ReportData:
        colors = "report.colors."
        answer_series = [Series(name, layout.color(colors + code)) for code, name in options.answer]
        answer_series += [Series(label("values.unanswered"), layout.color(colors + "unanswered")),
                          Series(label("values.not_asked"), layout.color(colors + "not_asked"))]
        status_series = [Series(name, layout.color(colors + code)) for code, name in options.element_status]
        status_series += [Series(label("values.no_status"), layout.color(colors + "no_status")),
                          Series(label("values.not_asked"), layout.color(colors + "not_asked"))]
        answer_codes = [c for c, _ in options.answer]
        status_codes = [c for c, _ in options.element_status]
        elements = []
        for info in self.catalog.elements:
            bars = []
            for q in self.catalog.questions:
                if q.element_id != info.id:
                    continue
                t = tally.questions[q.id]
                bars.append(QuestionBar(q.number, q.text, [t.answers.get(c, 0) for c in answer_codes]
                                        + [t.answers.get(None, 0), t.not_asked]))
            t = tally.elements[info.id]
            statuses = [t.statuses.get(c, 0) for c in status_codes] + [t.statuses.get(None, 0), t.not_asked]
            summaries = sorted(self.summaries[info.id], key=lambda item: normalise(item[0]))
            elements.append(ElementReport(info.number, info.title, bars, statuses, summaries))
        overall = [(name, tally.overall.get(code, 0)) for code, name in options.overall]
        overall.append((label("values.not_given"), tally.overall.get(None, 0)))
        weak = status_codes[-1] if status_codes else None
        weak_elements = sorted(((f"{e.number}. {e.title}", tally.elements[e.id].statuses.get(weak, 0))
                                for e in self.catalog.elements), key=lambda item: -item[1])
        weak_elements = [item for item in weak_elements if item[1]]
        stopwords = set(label("stopwords"))
        limit = int(layout.number("report.max_frequent_terms"))
        units = {normalise(r.organisation) or r.path for r, _ in self.forms}
        today = today or dt.date.today()
        forms = [FormLine(r.organisation or label("report.unit_unknown", file=r.file), r.practice or "",
                          r.date or "", (r.read_with or "").rsplit(" ", 1)[-1],
                          OptionLabels.lookup(options.overall, r.overall) or "")
                 for r, unit in sorted(self.forms, key=lambda item: (normalise(item[1]), item[0].path))]
        return ReportData(
            title=label("report.title"),
            subtitle=label("report.subtitle", forms=len(self.forms), units=len(units), date=today.isoformat()),
            intro=label("report.forms_intro", counted=len(self.forms), duplicates=duplicates,
                        superseded=superseded, failed=failed),
            forms=forms, overall=overall, answer_series=answer_series, status_series=status_series,
            elements=elements, development=sorted(self.development, key=lambda item: normalise(item[0])),
            frequent=frequent_terms([t for _, t in self.development], stopwords, limit),
            weak_elements=weak_elements,
        )
