"""The report's content, computed once as a list of blocks that report_pdf and report_docx only lay
out: a summary whose length does not grow with the number of forms.

Collected form by form from the counted forms (see run.py), finished with the tally's counts. What
is kept per form is bounded: counters, a fixed-size sample of quotes (the forms whose SHA-256 mixed
with the element id sorts first, so the same forms always give the same quotes), and the per-unit
rows of the comparison table only while there are few enough units to list. Everything else is in
the workbook.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from typing import Any

from lovande_docs.collation import swedish_key
from lovande_docs.compile.catalog import Catalog
from lovande_docs.compile.chart import BarChart, Series
from lovande_docs.compile.dedupe import normalise
from lovande_docs.compile.labels import join_and, label
from lovande_docs.compile.reportmeta import ReportMeta
from lovande_docs.compile.snapshot import Snapshot, unit_key
from lovande_docs.compile.municipality import recognise
from lovande_docs.compile.record import DEVELOPMENT_KEY, FormRecord
from lovande_docs.compile.tally import OptionLabels, Tally
from lovande_docs.layout import Layout

# ------------------------------------------------------------------------------------------------
# blocks: what the writers lay out
@dataclass
class Heading:
    level: int  # 0 title, 1, 2, 3
    text: str


@dataclass
class Para:
    text: str
    muted: bool = False


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Any]]
    widths: list[float]  # shares of the text width
    fills: list[list[str | None]] | None = None  # cell backgrounds (hex RGB), as rows


@dataclass
class Chart:
    chart: BarChart


@dataclass
class Quote:
    unit: str
    text: str


@dataclass
class PageBreak:
    pass


@dataclass
class ReportData:
    title: str
    blocks: list = field(default_factory=list)
    date: dt.date | None = None  # the report's date (the compile's, or --date): never the clock's at write time
    author: str = ""  # the FoU unit that sends the report (--author); the documents' metadata too
    snapshot: Snapshot | None = None  # the figures the next compile compares with


def unit_label(record: FormRecord) -> str:
    if record.organisation and record.practice:
        return f"{record.organisation} – {record.practice}"
    return record.organisation or record.practice or label("report.unit_unknown", file=record.file)


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def terms_of(text: str, stopwords: set[str]) -> set[str]:
    """Words (4 letters or more) and two-word phrases of one text."""
    words = [w.casefold() for w in _WORD.findall(text)]
    terms = {w for w in words if len(w) >= 4 and w not in stopwords}
    terms |= {f"{a} {b}" for a, b in pairwise(words)
              if a not in stopwords and b not in stopwords and len(a) >= 3 and len(b) >= 3}
    return terms


def rank_terms(counts: Counter, limit: int) -> list[tuple[str, int]]:
    """The most frequent terms (counted once per form); a phrase as frequent as its words stands
    for them."""
    ranked = [(t, n) for t, n in counts.items() if n >= 2] or list(counts.items())
    ranked.sort(key=lambda item: (-item[1], -len(item[0].split()), swedish_key(item[0])))
    chosen: list[tuple[str, int]] = []
    for term, count in ranked:
        if any(term in other.split() and count == n for other, n in chosen if " " in other):
            continue
        chosen.append((term, count))
        if len(chosen) >= limit:
            break
    return chosen


def frequent_terms(texts: list[str], stopwords: set[str], limit: int) -> list[tuple[str, int]]:
    counts: Counter = Counter()
    for text in texts:
        counts.update(terms_of(text, stopwords))
    return rank_terms(counts, limit)


def shorten(text: str, limit: int) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,.;:")
    return cut + " …"


def abbreviation(name: str) -> str:
    """"på god väg" → "PGV": the short form the comparison table writes in its cells."""
    return "".join(word[0] for word in name.split()).upper()


class _Sample:
    """A fixed-size, reproducible sample of quotes: the ones whose key sorts first. ``size`` None
    keeps them all."""

    def __init__(self, size: int | None):
        self.size = size
        self.total = 0
        self.items: list = []

    def add(self, key: str, unit: str, text: str) -> None:
        self.total += 1
        if self.size is None:
            self.items.append((key, unit, text))
            return
        if self.size <= 0:
            return
        rank = hashlib.sha256(key.encode()).hexdigest()
        item = (_Reverse(rank), unit, text)
        if len(self.items) < self.size:
            heapq.heappush(self.items, item)
        elif item[0] > self.items[0][0]:
            heapq.heapreplace(self.items, item)

    def quotes(self) -> list[tuple[str, str]]:
        return sorted(((unit, text) for _, unit, text in self.items), key=lambda item: (swedish_key(item[0]), item[1]))


class _Reverse:
    """Orders the heap so its top is the largest rank kept (the one to drop first)."""

    __slots__ = ("value",)

    def __init__(self, value: str):
        self.value = value

    def __lt__(self, other: _Reverse) -> bool:
        return self.value > other.value

    def __gt__(self, other: _Reverse) -> bool:
        return self.value < other.value


class ReportCollector:
    """Gathers, per counted form, what the report needs beyond the tally (bounded, see above)."""

    def __init__(self, catalog: Catalog, layout: Layout, quotes: int | str | None = None, model=None):
        """``quotes``: None for the layout's sample sizes, a number for that many per element (and
        of the development areas), or "all" for every one, uncut."""
        self.catalog = catalog
        n = layout.number
        if quotes == "all":
            per_element = development = None
        elif quotes is None:
            per_element, development = int(n("report.quotes_per_element")), int(n("report.development_quotes"))
        else:
            per_element = development = int(quotes)
        self.quote_chars = None if quotes == "all" else int(n("report.quote_max_chars"))
        self.max_units = int(n("report.max_unit_rows"))
        self.max_municipalities = int(n("report.max_municipality_rows"))
        self.all_quotes = quotes == "all"
        self.summaries = {e.id: _Sample(per_element) for e in catalog.elements}
        self.development = _Sample(development)
        self.stopwords = set(label("stopwords"))
        self.terms: Counter = Counter()
        self.forms = 0
        self.organisations: set[str] = set()
        self.unit_keys: set[str] = set()  # short hashes of each unit's identity, for the next compile
        self.unit_rows: list[tuple[str, str | None, dict[str, str | None]]] | None = []
        self.by_county: dict[str, Counter] = defaultdict(Counter)  # county → overall code → forms
        self.county_status: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
        self.by_municipality: dict[tuple[str, str], Counter] = defaultdict(Counter)  # (name, county)
        self.unplaced: Counter = Counter()
        self._places: dict[str | None, Any] = {}

    def _place(self, organisation: str | None):
        place = self._places.get(organisation)
        if place is None:
            place = recognise(organisation)
            if len(self._places) < 10_000:
                self._places[organisation] = place
        return place

    def add(self, record: FormRecord, answers: dict[str, Any]) -> None:
        self.forms += 1
        unit = unit_label(record)
        self.organisations.add(normalise(record.organisation) or record.path)
        self.unit_keys.add(unit_key(record))
        key = record.sha256 or record.path
        for element_id, values in (answers.get("elements") or {}).items():
            summary = (values or {}).get("summary")
            if summary and element_id in self.summaries:
                self.summaries[element_id].add(f"{key}:{element_id}", unit, summary)
        text = (answers.get("assessment") or {}).get(DEVELOPMENT_KEY)
        if text:
            self.development.add(f"{key}:development", unit, text)
            self.terms.update(terms_of(text, self.stopwords))
        if self.unit_rows is not None:
            self.unit_rows.append((unit, record.overall, dict(record.element_status)))
            if len(self.unit_rows) > self.max_units:
                self.unit_rows = None  # too many to list: the table groups by county instead
        place = self._place(record.organisation)
        county = place.county.name if place.county else None
        self.by_county[county][record.overall] += 1
        for info in self.catalog.elements:
            status = record.element_status[info.id] if info.id in record.element_status else _NOT_ASKED
            self.county_status[county][info.id][status] += 1
        if place.municipality:
            self.by_municipality[(place.municipality.name, place.municipality.county.name)][record.overall] += 1
        else:
            self.unplaced[record.overall] += 1

    # --------------------------------------------------------------------------------------------
    def finish(self, tally: Tally, options: OptionLabels, layout: Layout, duplicates: int, superseded: int,
               failed: int, today: dt.date | None = None, workbook: str = "", blank: int = 0,
               meta: ReportMeta | None = None, previous: Snapshot | None = None) -> ReportData:
        """The report's blocks; ``previous``: the figures of an earlier compile to state the changes."""
        return _Builder(self, tally, options, layout).build(duplicates, superseded, failed, today or dt.date.today(),
                                                            workbook, blank, meta or ReportMeta(), previous)


_NOT_ASKED = "\x00not_asked"


class _Builder:
    def __init__(self, collector: ReportCollector, tally: Tally, options: OptionLabels, layout: Layout):
        self.c, self.tally, self.options, self.layout = collector, tally, options, layout
        self.width = (layout.number("page.width_mm") - layout.number("page.margin_left_mm")
                      - layout.number("page.margin_right_mm")) / 25.4 * 72
        colors = "report.colors."
        self.answer_codes = [c for c, _ in options.answer]
        self.status_codes = [c for c, _ in options.element_status]
        self.change_points = int(layout.number("report.summary.change_points"))  # what counts as a change
        self.answer_series = [Series(name, layout.color(colors + code)) for code, name in options.answer]
        self.answer_series += [Series(label("values.unanswered"), layout.color(colors + "unanswered")),
                               Series(label("values.not_asked"), layout.color(colors + "not_asked"))]
        self.status_series = [Series(name, layout.color(colors + code)) for code, name in options.element_status]
        self.status_series += [Series(label("values.no_status"), layout.color(colors + "no_status")),
                               Series(label("values.not_asked"), layout.color(colors + "not_asked"))]
        self.status_fill = {code: s.color for code, s in zip([*self.status_codes, None, _NOT_ASKED],
                                                            self.status_series)}
        self.status_short = {code: abbreviation(name) for code, name in options.element_status}
        self.status_short[None] = "–"
        self.status_short[_NOT_ASKED] = label("report.not_asked_short")
        self.blocks: list = []

    def add(self, *blocks) -> None:
        self.blocks.extend(blocks)

    def build(self, duplicates, superseded, failed, today, workbook, blank, meta, previous) -> ReportData:
        c = self.c
        date = meta.date or today
        title = meta.title or label("report.title")
        self.add(Heading(0, title))
        if meta.author:
            self.add(Para(meta.author))
        self.add(Para(label("report.subtitle", units=c.forms, organisations=len(c.organisations),
                            date=date.isoformat()), muted=True))
        snapshot = self.snapshot(date)
        self.summary(snapshot, previous)
        self.overall()
        self.element_overview()
        self.elements()
        self.development()
        self.comparison()
        self.places()
        self.about(duplicates, superseded, failed, workbook, blank)
        return ReportData(title, self.blocks, date, meta.author or "", snapshot)

    # the summary: findings in sentences --------------------------------------------------------
    @cached_property
    def figures(self) -> list[dict]:
        """Per element with units: its number, title, units, shares of the best and the weakest
        status, and the share of Ja among its questions' answers (of the questions asked)."""
        top = self.status_codes[0] if self.status_codes else None
        weak = self.status_codes[-1] if self.status_codes else None
        yes = self.answer_codes[0] if self.answer_codes else None
        figures = []
        for info in self.c.catalog.elements:
            t = self.tally.elements[info.id]
            answers = sum(t.answers.values())
            figures.append({"id": info.id, "number": info.number, "title": info.title, "units": t.present,
                            "top": t.statuses.get(top, 0) / t.present if t.present else None,
                            "weak": t.statuses.get(weak, 0) / t.present if t.present else None,
                            "weak_units": t.statuses.get(weak, 0),
                            "yes": t.answers.get(yes, 0) / answers if answers else None})
        return figures

    def snapshot(self, date: dt.date) -> Snapshot:
        overall = {code or "": n for code, n in self.tally.overall.items()}
        return Snapshot(date.isoformat(), self.c.forms, sorted(self.c.unit_keys),
                        {f["id"]: {k: f[k] for k in ("number", "title", "units", "top", "weak", "yes")}
                         for f in self.figures}, overall)

    def _pct(self, share: float | None) -> str:
        return "–" if share is None else f"{round(100 * share)}\u00a0%"

    def _element_name(self, figure: dict) -> str:
        return label("report.summary_element", number=figure["number"], title=figure["title"])

    def _status_names(self) -> tuple[str, str]:
        """The labels of the best and the weakest element status ("mycket bra", "behöver …")."""
        names = dict(self.options.element_status)
        if not self.status_codes:
            return "", ""
        return names.get(self.status_codes[0], ""), names.get(self.status_codes[-1], "")

    def summary(self, snapshot: Snapshot, previous: Snapshot | None) -> None:
        c = self.c
        top, weak = self._status_names()
        self.add(Heading(1, label("report.summary_heading")),
                 Para(label("report.summary_units", units=c.forms, organisations=len(c.organisations),
                            municipalities=len(c.by_municipality), counties=sum(1 for k in c.by_county if k))))
        given = {code: n for code, n in self.tally.overall.items() if code}
        if given:
            code, count = max(given.items(), key=lambda item: (item[1], item[0]))
            self.add(Para(label("report.summary_overall", given=sum(given.values()), units=c.forms,
                                name=(OptionLabels.lookup(self.options.overall_short, code) or code).lower(), count=count)))
        figures = [f for f in self.figures if f["units"]]
        if figures:
            strong = max(figures, key=lambda f: (f["top"], f["yes"] or 0, -f["number"]))
            weakest = max(figures, key=lambda f: (f["weak"], -(f["yes"] or 0), -f["number"]))
            self.add(Para(label("report.summary_strongest", element=self._element_name(strong), status=top,
                                share=self._pct(strong["top"]), yes=self._pct(strong["yes"]))))
            if weakest is not strong:
                self.add(Para(label("report.summary_weakest", element=self._element_name(weakest), status=weak,
                                    share=self._pct(weakest["weak"]), yes=self._pct(weakest["yes"]))))
        marked = sorted((f for f in figures if f["weak_units"]), key=lambda f: (-f["weak_units"], f["number"]))[:3]
        parts = []
        if marked:
            parts.append(label("report.summary_development_elements", status=weak, elements=join_and(
                [label("report.summary_element_count", element=self._element_name(f), units=f["weak_units"])
                 for f in marked])))
        terms = rank_terms(c.terms, 3) if c.terms else []
        if terms:
            parts.append(label("report.summary_development_terms", terms=join_and(
                [label("report.summary_term", term=t, units=n) for t, n in terms])))
        if parts:
            self.add(Para(" ".join(parts)))
        self.add(Para(self._changes(snapshot, previous) if previous else label("report.summary_no_previous"),
                      muted=previous is None))

    def _changes(self, now: Snapshot, before: Snapshot) -> str:
        """Units that came and went, and the elements whose share of the best status moved most."""
        kept = set(now.units) & set(before.units)
        new, gone = len(set(now.units) - kept), len(set(before.units) - kept)
        text = [label("report.changes_intro", date=before.date, units=before.count, new=new, gone=gone)
                if new or gone else label("report.changes_same", date=before.date, units=now.count)]
        threshold = self.change_points / 100
        moves = []
        for element_id, figure in now.elements.items():
            old = before.elements.get(element_id)
            if not old or figure.get("top") is None or old.get("top") is None:
                continue
            delta = figure["top"] - old["top"]
            if abs(delta) >= threshold:
                moves.append((-abs(delta), figure["number"], figure, old))
        moves.sort(key=lambda item: item[:2])
        status = self._status_names()[0]
        if moves:
            text.append(label("report.changes_elements", status=status, changes=join_and([
                label("report.changes_up" if figure["top"] > old["top"] else "report.changes_down",
                      element=self._element_name(figure), before=self._pct(old["top"]), now=self._pct(figure["top"]))
                for _, _, figure, old in moves[:3]])))
        else:
            text.append(label("report.changes_none", status=status, points=self.change_points))
        return " ".join(text)

    # method and definitions: last -------------------------------------------------------------
    def about(self, duplicates, superseded, failed, workbook, blank) -> None:
        c = self.c
        self.add(Heading(1, label("report.about_heading")),
                 Para(label("report.forms_intro", counted=c.forms, duplicates=duplicates, superseded=superseded,
                            blank=blank, failed=failed)),
                 Para(label("report.workbook_note", workbook=workbook or label("report.the_workbook"))))
        self.add(Para(label("report.quotes_all_note") if c.all_quotes else
                      label("report.quotes_note", count=self.c.summaries[next(iter(c.summaries))].size
                            if c.summaries else 0, development=c.development.size, chars=c.quote_chars)))
        self.add(Heading(2, label("report.definitions_heading")))
        top, weak = self._status_names()
        for key in ("unit", "share_yes", "element_status", "strongest", "changes"):
            self.add(Para(label(f"report.definitions.{key}", top=top, weak=weak, points=self.change_points)))

    def _share(self, count: int, total: int) -> str:
        return f"{round(100 * count / total)}\u00a0%" if total else "–"

    def overall(self) -> None:
        t = self.tally.overall
        rows = [(name, t.get(code, 0)) for code, name in self.options.overall]
        rows.append((label("values.not_given"), t.get(None, 0)))
        total = sum(n for _, n in rows)
        self.add(Heading(1, label("report.overall_heading")),
                 Chart(BarChart(label("report.overall_heading"), [(n, [v]) for n, v in rows],
                                [Series("", self.layout.color("colors.accent"))], self.width, stacked=False)),
                 Table(label("report.overall_columns"), [[n, v, self._share(v, total)] for n, v in rows],
                       [0.7, 0.15, 0.15]))

    def element_overview(self) -> None:
        rows, table = [], []
        for info in self.c.catalog.elements:
            t = self.tally.elements[info.id]
            counts = [t.statuses.get(s, 0) for s in self.status_codes] + [t.statuses.get(None, 0), t.not_asked]
            rows.append((f"{info.number}. {info.title}", counts))
            table.append([f"{info.number}. {info.title}", *counts])
        share = 0.5 / len(self.status_series)
        self.add(Heading(1, label("report.status_overview_heading")),
                 Para(label("report.status_overview_intro")),
                 Chart(BarChart(label("report.status_overview_heading"), rows, self.status_series, self.width)),
                 Table([label("report.element_column"), *[s.label for s in self.status_series]], table,
                       [0.5, *[share] * len(self.status_series)]))

    def elements(self) -> None:
        self.add(PageBreak(), Heading(1, label("report.elements_heading")))
        share = 0.55 / len(self.answer_series)
        for info in self.c.catalog.elements:
            bars = [q for q in self.c.catalog.questions if q.element_id == info.id]
            counts = []
            for q in bars:
                t = self.tally.questions[q.id]
                counts.append([t.answers.get(c, 0) for c in self.answer_codes] + [t.answers.get(None, 0), t.not_asked])
            heading = label("report.element_heading", number=info.number, title=info.title)
            self.add(Heading(2, heading))
            if bars:
                self.add(Chart(BarChart(f"{heading}, {label('report.answers_chart').lower()}",
                                        [(q.number, n) for q, n in zip(bars, counts)], self.answer_series,
                                        self.width)),
                         Table([label("report.question_column"), *[s.label for s in self.answer_series]],
                               [[f"{q.number}. {q.text}", *n] for q, n in zip(bars, counts)],
                               [0.45, *[share] * len(self.answer_series)]))
            sample = self.c.summaries[info.id]
            quotes = sample.quotes()
            self.add(Heading(3, label("report.summaries_heading")))
            if not sample.total:
                self.add(Para(label("report.no_summaries"), muted=True))
                continue
            if len(quotes) < sample.total:
                self.add(Para(label("report.sample_note", shown=len(quotes), total=sample.total), muted=True))
            for unit, text in quotes:
                self.add(Quote(unit, self._quote(text)))

    def _quote(self, text: str) -> str:
        return shorten(text, self.c.quote_chars) if self.c.quote_chars else text

    def development(self) -> None:
        self.add(PageBreak(), Heading(1, label("report.development_heading")))
        weak = self.status_codes[-1] if self.status_codes else None
        weak_rows = sorted(((f"{e.number}. {e.title}", self.tally.elements[e.id].statuses.get(weak, 0))
                            for e in self.c.catalog.elements), key=lambda item: -item[1])
        weak_rows = [list(item) for item in weak_rows if item[1]]
        if weak_rows:
            self.add(Heading(2, label("report.weak_elements_heading")),
                     Table(label("report.weak_elements_columns"), weak_rows, [0.8, 0.2]))
        frequent = rank_terms(self.c.terms, int(self.layout.number("report.max_frequent_terms")))
        if frequent:
            self.add(Heading(2, label("report.frequent_heading")),
                     Para(label("report.frequent_intro", forms=self.c.development.total)),
                     Chart(BarChart(label("report.frequent_heading"), [(t, [n]) for t, n in frequent],
                                    [Series("", self.layout.color("colors.accent"))], self.width, stacked=False)))
        self.add(Heading(2, label("report.development_intro")))
        sample = self.c.development
        if not sample.total:
            self.add(Para(label("report.no_development"), muted=True))
            return
        quotes = sample.quotes()
        if len(quotes) < sample.total:
            self.add(Para(label("report.sample_note", shown=len(quotes), total=sample.total), muted=True))
        for unit, text in quotes:
            self.add(Quote(unit, self._quote(text)))

    def comparison(self) -> None:
        elements = self.c.catalog.elements
        legend = ", ".join(f"{self.status_short[code]} = {s.label}"
                           for code, s in zip([*self.status_codes, None, _NOT_ASKED], self.status_series))
        columns = [str(e.number) for e in elements]
        cell = 0.72 / max(len(elements), 1)
        if self.c.unit_rows is not None:
            rows, fills = [], []
            for unit, _, statuses in sorted(self.c.unit_rows, key=lambda item: swedish_key(item[0])):
                codes = [statuses.get(e.id) if e.id in statuses else _NOT_ASKED for e in elements]
                rows.append([unit, *[self.status_short.get(code, code) for code in codes]])
                fills.append([None, *[self.status_fill.get(code) for code in codes]])
            self.add(PageBreak(), Heading(1, label("report.comparison_heading")),
                     Para(label("report.comparison_intro", legend=legend)),
                     Table([label("report.unit_column"), *columns], rows, [0.28, *[cell] * len(elements)], fills))
            return
        rows, fills = [], []
        for county in self._counties():
            statuses = self.c.county_status[county]
            row, fill = [county or label("report.county_unknown")], [None]
            for e in elements:
                counter = statuses[e.id]
                total = sum(counter.values())
                code, count = max(counter.items(), key=lambda item: (item[1], str(item[0]))) if total else (None, 0)
                row.append(f"{self.status_short.get(code, code)}\n{self._share(count, total)}")
                fill.append(self.status_fill.get(code))
            rows.append(row)
            fills.append(fill)
        self.add(PageBreak(), Heading(1, label("report.comparison_county_heading")),
                 Para(label("report.comparison_county_intro", units=self.c.forms, limit=self.c.max_units,
                            legend=legend)),
                 Table([label("report.county_column"), *columns], rows, [0.28, *[cell] * len(elements)], fills))

    def _counties(self) -> list[str | None]:
        named = sorted((k for k in self.c.by_county if k), key=swedish_key)
        return named + ([None] if None in self.c.by_county else [])

    def places(self) -> None:
        overall = [c for c, _ in self.options.overall]
        short = dict(self.options.overall_short)
        names = [short.get(c, n) for c, n in self.options.overall]
        columns = [label("columns.forms"), *names, label("values.not_given").capitalize()]
        share = 0.6 / len(columns)

        def row(name: str, counter: Counter) -> list:
            return [name, sum(counter.values()), *[counter.get(c, 0) for c in overall], counter.get(None, 0)]

        self.add(Heading(1, label("report.places_heading")),
                 Para(label("report.places_intro")),
                 Heading(2, label("report.county_heading")),
                 Table([label("report.county_column"), *columns],
                       [row(c or label("report.county_unknown"), self.c.by_county[c]) for c in self._counties()],
                       [0.4, *[share] * len(columns)]))
        ranked = sorted(self.c.by_municipality.items(),
                        key=lambda item: (-sum(item[1].values()), swedish_key(item[0][0]), swedish_key(item[0][1])))
        shown, rest = ranked[:self.c.max_municipalities], ranked[self.c.max_municipalities:]
        rows = [row(f"{name} ({county})", counter) for (name, county), counter in
                sorted(shown, key=lambda item: (swedish_key(item[0][0]), swedish_key(item[0][1])))]
        if rest:
            merged: Counter = Counter()
            for _, counter in rest:
                merged.update(counter)
            rows.append(row(label("report.other_municipalities", count=len(rest)), merged))
        if self.c.unplaced:
            rows.append(row(label("report.municipality_unknown"), self.c.unplaced))
        self.add(Heading(2, label("report.municipality_heading")))
        if rest:
            self.add(Para(label("report.municipality_cap", shown=len(shown), total=len(ranked)), muted=True))
        self.add(Table([label("report.municipality_column"), *columns], rows, [0.4, *[share] * len(columns)]))
