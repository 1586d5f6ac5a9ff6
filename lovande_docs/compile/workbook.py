"""The workbook: Översikt, Svar, Per fråga, Per element, Utvecklingsområden, Problem.

openpyxl (write-only) writes every sheet, its header row, frozen pane, column widths, autofilter
and styles; the data rows are streamed to disk by fastsheet and spliced in, so memory stays flat
and 50,000 answer rows take about a second. Every value is computed here (no formulas); labels,
not codes, are shown, with the codes in extra columns where a script may want them. The header
colours come from the layout (``report.colors``).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from lovande_docs.compile.catalog import Catalog
from lovande_docs.compile.dedupe import parse_date
from lovande_docs.compile.fastsheet import RawRows, splice
from lovande_docs.compile.labels import label
from lovande_docs.compile.record import DEVELOPMENT_KEY, MOTIVATION_KEY
from lovande_docs.compile.tally import OptionLabels, Tally
from lovande_docs.layout import Layout

TEXT, WRAP, INT, PCT, DATE = "text", "wrap", "int", "pct", "date"


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    kind: str = TEXT


def col(key: str, width: float, kind: str = TEXT, **values) -> Column:
    return Column(label(f"columns.{key}", **values), width, kind)


class _Sheet:
    def __init__(self, book: SummaryWorkbook, name: str, columns: Sequence[Column]):
        self.book = book
        self.ws = book.wb.create_sheet(name)
        self.columns = list(columns)
        self.rows = 0
        for index, column in enumerate(self.columns, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = column.width
        self.ws.freeze_panes = "A2"
        header = []
        for column in self.columns:
            cell = WriteOnlyCell(self.ws, column.title)
            cell.font, cell.fill, cell.alignment = book.header_font, book.header_fill, book.header_align
            header.append(cell)
        self.ws.append(header)
        self.raw = RawRows([c.kind for c in self.columns], book.styles)

    def append(self, values: Sequence[Any], prefix: str = "", start: int = 0) -> None:
        self.raw.append(values, prefix, start)
        self.rows += 1

    def close(self) -> None:
        last = get_column_letter(len(self.columns))
        self.ws.auto_filter.ref = f"A1:{last}{self.rows + 1}"


def _share(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def _date_value(text: str | None):
    return parse_date(text) or text


class SummaryWorkbook:
    def __init__(self, path: Path, catalog: Catalog, options: OptionLabels, field_labels: dict[str, str],
                 layout: Layout):
        self.path = Path(path)
        self.catalog = catalog
        self.options = options
        self.wb = Workbook(write_only=True)
        self.header_font = Font(bold=True, color=layout.color("report.colors.table_header_text"))
        self.header_fill = PatternFill("solid", fgColor=layout.color("report.colors.table_header"))
        self.header_align = Alignment(wrap_text=True, vertical="top")
        self.wrap_align = Alignment(wrap_text=True, vertical="top")
        self.styles = self._style_ids()
        self._question_fragments: dict[str, str] | None = None
        self.answer_labels = dict(options.answer)
        self.status_labels = dict(options.question_status)
        self.not_asked = label("values.not_asked")
        elements = catalog.elements
        self.overview = _Sheet(self, label("sheets.overview"), [
            col("file", 28), col("path", 40), col("organisation", 24), col("practice", 28, WRAP),
            col("date", 12, DATE), col("participants", 30, WRAP), col("model_version", 22), col("model_named", 22),
            col("overall", 40, WRAP),
            *[col("element_status", 16, number=e.number, title=e.title) for e in elements],
            col("answered", 11, INT), col("unanswered", 11, INT), col("not_asked", 11, INT),
            col("problem_count", 10, INT), col("problems", 40, WRAP), col("counted", 12), col("note", 50, WRAP),
            col("format", 8), col("sha256", 20),
        ])
        self.answers = _Sheet(self, label("sheets.answers"), [
            col("file", 28), col("organisation", 24), col("practice", 28), col("date", 12, DATE),
            col("model_version", 22), col("element_number", 9, INT), col("element", 26), col("question_number", 9),
            col("question_id", 24), col("question", 60, WRAP), col("answer", 12), col("status", 18),
            col("description", 60, WRAP), col("answer_code", 12), col("status_code", 18),
        ])
        self.per_question = _Sheet(self, label("sheets.per_question"), self._per_question_columns())
        self.per_element = _Sheet(self, label("sheets.per_element"), self._per_element_columns())
        self.development = _Sheet(self, label("sheets.development"), [
            col("organisation", 24), col("practice", 28, WRAP), col("file", 28), col("date", 12, DATE),
            col("overall", 40, WRAP),
            Column(field_labels.get("development", "Utvecklingsområden"), 70, WRAP),
            Column(field_labels.get("motivation", "Motivering"), 60, WRAP),
            col("dev_elements", 40, WRAP), col("dev_questions", 30, WRAP),
        ])
        self.problems = _Sheet(self, label("sheets.problems"), [
            col("file", 28), col("path", 40), col("kind", 28), col("field", 34), col("message", 80, WRAP),
        ])

    def _style_ids(self) -> dict[str, int]:
        """openpyxl's ids for the styles data cells use (fastsheet writes them by id)."""
        probe = self.wb.create_sheet("probe")
        wrap, pct, date = (WriteOnlyCell(probe, ""), WriteOnlyCell(probe, 0), WriteOnlyCell(probe, 0))
        wrap.alignment = self.wrap_align
        pct.number_format = "0%"
        date.number_format = "yyyy-mm-dd"
        ids = {"wrap": wrap.style_id, "pct": pct.style_id, "date": date.style_id}
        self.wb.remove(probe)
        return ids

    # ----------------------------------------------------------------------------------------
    def _per_question_columns(self) -> list[Column]:
        answers = [c for _, c in self.options.answer]
        statuses = [c for _, c in self.options.question_status]
        unanswered = label("values.unanswered")
        return [
            col("element_number", 9, INT), col("element", 26), col("question_number", 9), col("question_id", 24),
            col("question", 60, WRAP), col("forms_asked", 12, INT),
            *[Column(a, 10) for a in answers], Column(unanswered, 11), col("conflicts", 11, INT), Column(self.not_asked, 10),
            *[col("share", 10, PCT, label=a) for a in answers], col("share", 11, PCT, label=unanswered),
            *[Column(s, 12) for s in statuses], col("no_status", 11, INT),
        ]

    def _per_element_columns(self) -> list[Column]:
        statuses = [c for _, c in self.options.element_status]
        answers = [c for _, c in self.options.answer] + [label("values.unanswered")]
        return [
            col("element_number", 9, INT), col("element", 30), col("forms", 10, INT),
            *[Column(s, 14) for s in statuses], col("no_status", 11, INT), Column(self.not_asked, 10),
            *[col("share", 12, PCT, label=s) for s in statuses],
            *[col("answers_in_element", 13, label=a) for a in answers],
            *[col("answers_share_in_element", 13, PCT, label=a) for a in answers],
        ]

    # ----------------------------------------------------------------------------------------
    def overview_row(self, record, counted: bool, note: str, not_asked: int | None, problem_text: str) -> None:
        statuses = dict(self.options.element_status)
        element_cells = []
        for element in self.catalog.elements:
            if not record.ok:
                element_cells.append(None)
            elif element.id not in record.element_status:
                element_cells.append(self.not_asked)
            else:
                code = record.element_status[element.id]
                element_cells.append(statuses.get(code, code) if code else None)
        asked = record.asked_count
        self.overview.append([
            record.file, record.path, record.organisation, record.practice, _date_value(record.date),
            record.participants, record.read_with, record.model_named,
            OptionLabels.lookup(self.options.overall, record.overall),
            *element_cells,
            record.answered if record.ok else None, asked - record.answered if record.ok else None,
            not_asked, len(record.problems) if record.ok else None, problem_text,
            label("values.counted") if counted else label("values.not_counted"), note,
            record.format, record.sha256,
        ])

    def answer_rows(self, record, answers: dict[str, Any], asked: frozenset[str]) -> None:
        """One row per question of the catalogue. The form's columns and each question's columns
        are the same on many rows: they are rendered once (fragments) and reused."""
        questions = answers.get("questions") or {}
        raw = self.answers.raw
        base = raw.fragment(0, [record.file, record.organisation, record.practice, _date_value(record.date),
                                record.read_with])
        if self._question_fragments is None:
            self._question_fragments = {}
            for info in self.catalog.questions:
                element = self.catalog.element_by_id.get(info.element_id)
                self._question_fragments[info.id] = raw.fragment(5, [
                    info.element_number or None, element.title if element else None, info.number, info.id, info.text])
        unanswered = label("values.unanswered")
        for info in self.catalog.questions:
            prefix = base + self._question_fragments[info.id]
            if info.id not in asked:
                self.answers.append([self.not_asked], prefix, 10)
                continue
            values = questions.get(info.id) or {}
            answer, status = values.get("answer"), values.get("status")
            self.answers.append([
                self.answer_labels.get(answer, answer) if answer else unanswered,
                self.status_labels.get(status, status) if status else None,
                values.get("description"), answer, status,
            ], prefix, 10)

    def development_row(self, record, answers: dict[str, Any]) -> None:
        assessment = answers.get("assessment") or {}
        weak_code = self.options.element_status[-1][0] if self.options.element_status else None
        weak_question = self.options.question_status[-1][0] if self.options.question_status else None
        elements = [f"{e.number}. {e.title}" for e in self.catalog.elements
                    if (answers.get("elements") or {}).get(e.id, {}).get("status") == weak_code]
        questions = answers.get("questions") or {}
        numbers = [f"{q.element_number}.{q.number}" for q in self.catalog.questions
                   if (questions.get(q.id) or {}).get("status") == weak_question]
        self.development.append([
            record.organisation, record.practice, record.file, _date_value(record.date),
            OptionLabels.lookup(self.options.overall, record.overall),
            assessment.get(DEVELOPMENT_KEY), assessment.get(MOTIVATION_KEY),
            "\n".join(elements), ", ".join(numbers),
        ])

    def problem_row(self, file: str, path: str, kind: str, field: str | None, message: str) -> None:
        self.problems.append([file, path, kind, field, message])

    # ----------------------------------------------------------------------------------------
    def summary_rows(self, tally: Tally) -> None:
        answers = [c for c, _ in self.options.answer]
        statuses = [c for c, _ in self.options.question_status]
        for info in self.catalog.questions:
            t = tally.questions[info.id]
            element = self.catalog.element_by_id.get(info.element_id)
            counts = [t.answers.get(a, 0) for a in answers] + [t.answers.get(None, 0)]
            self.per_question.append([
                info.element_number or None, element.title if element else None, info.number, info.id,
                info.text, t.asked,
                *counts, t.conflicts, t.not_asked,
                *[_share(c, t.asked) for c in counts],
                *[t.statuses.get(s, 0) for s in statuses], t.statuses.get(None, 0),
            ])
        element_statuses = [c for c, _ in self.options.element_status]
        for info in self.catalog.elements:
            t = tally.elements[info.id]
            status_counts = [t.statuses.get(s, 0) for s in element_statuses]
            answer_counts = [t.answers.get(a, 0) for a in answers] + [t.answers.get(None, 0)]
            total_answers = sum(answer_counts)
            self.per_element.append([
                info.number, info.title, t.present, *status_counts, t.statuses.get(None, 0), t.not_asked,
                *[_share(c, t.present) for c in status_counts],
                *answer_counts, *[_share(c, total_answers) for c in answer_counts],
            ])

    def save(self) -> None:
        for sheet in self._sheets():
            sheet.close()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        sheets = self._sheets()
        try:
            self.wb.save(self.path)
            splice(self.path, {sheet.ws.title: sheet.raw for sheet in sheets})
        finally:
            for sheet in sheets:
                sheet.raw.discard()

    def _sheets(self) -> list[_Sheet]:
        return [self.overview, self.answers, self.per_question, self.per_element, self.development, self.problems]
