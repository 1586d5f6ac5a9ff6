"""The workbook: Översikt, Svar, Per fråga, Per element, Jämförelse, Utvecklingsområden, Problem,
Definitioner.

Written by XlsxWriter in constant-memory mode: each sheet's rows go to disk as they come, so memory
stays flat however many forms there are. Every value is computed here (no formulas); labels, not
codes, are shown, with the codes in extra columns where a script may want them.

Readable without touching it, in Excel and in LibreOffice Calc: every printed text cell wraps at
the top of its cell and every row gets the height of its wrapped text (textfit measures it; neither
application fits heights of a written .xlsx itself); technical columns (hashes, paths, codes) keep
one line and never make a row taller; headers are wide enough for their longest
word and tall enough for all their lines. Printing: A4, landscape where the printed columns are
wide, fit to the page width, the header row on every page, a footer with the sheet's name and the
page; the technical columns (paths, ids, codes) sit last and are left out of the print area.
Native charts (Per fråga, Per element) and conditional formats (Jämförelse, Per fråga) can be
restyled by the analyst. Fonts, sizes and colours come from the layout (``workbook``, ``fonts``,
``report.colors``); words from labels.yaml.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import math
import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import RowInfo, Worksheet

from lovande_docs.collation import swedish_key as _swedish
from lovande_docs.compile.catalog import Catalog
from lovande_docs.compile.dedupe import parse_date
from lovande_docs.compile.forked import FAILED, Forked, fork_available
from lovande_docs.compile.labels import join_and, label
from lovande_docs.compile.municipality import EMPTY, SEVERAL, place_of
from lovande_docs.compile.record import DEVELOPMENT_KEY, MOTIVATION_KEY
from lovande_docs.compile.tally import OptionLabels, Tally
from lovande_docs.compile.textfit import DIGIT_PX, text_fit
from lovande_docs.layout import Layout

TEXT, INT, PCT, DATE = "text", "int", "pct", "date"
_LETTERS = [xl_col_to_name(c) for c in range(200)]
ZIP_LEVEL = 1  # deflate level of the .xlsx (1 fastest; the default 6 made the file 20 % smaller, 3x slower)
MAX_CHAR_PX = 14  # no character of the font is wider: a text shorter than width / this fits on one line


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    kind: str = TEXT
    printed: bool = True  # technical columns (paths, ids, codes) are left out of the print area
    wrap: bool = True  # False: one line, never wrapped (hashes, paths, codes), and no part of the row's height


def col(key: str, width: float, kind: str = TEXT, printed: bool = True, wrap: bool = True, **values) -> Column:
    return Column(label(f"columns.{key}", **values), width, kind, printed, wrap)


def technical(key: str, width: float, kind: str = TEXT, **values) -> Column:
    """A column for scripts (path, hash, code, id): last, not printed, on one line, whatever its length."""
    return col(key, width, kind, printed=False, wrap=False, **values)


def _share(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def _date_value(text: str | None):
    return parse_date(text) or text


class _StreamedWorksheet(Worksheet):
    """XlsxWriter's worksheet (constant memory), with a row writer fit for 50,000-row sheets.

    XlsxWriter writes a row cell by cell, escaping each text anew and writing each cell to the
    file on its own; in the Svar sheet most cells repeat (file, unit, question, labels), and that
    loop made the workbook several times slower than the rest of the compile. Here a data row is
    written at once: each cell's XML after its reference is made once per distinct value and
    format (``cell_tail``) and reused, and the row goes to XlsxWriter's row file in one write.
    The XML is what XlsxWriter writes (``<row>`` comes from its own ``_write_row``), except that a
    text that looks like ``<r>…</r>`` is escaped like any other (the stock in-line writer copies it
    unescaped; a form's free text is untrusted). The header row goes through XlsxWriter's own
    ``write_string``. A row's height is only remembered where a chart needs it (``keep_row_sizes``;
    XlsxWriter keeps every row's, so memory grew with the rows). Relies on XlsxWriter's worksheet
    internals (pinned below 4 in pyproject.toml; the tests read every cell back).
    """

    keep_row_sizes = False  # a sheet with a chart below its rows needs their heights to place it
    _TAILS_MAX = 5_000  # distinct short values kept (then forgotten all at once); long texts escaped each time

    def cell_tail(self, value, cell_format) -> str:
        """The XML of a cell holding ``value`` after its ``<c r="…"`` (a text, number, date or
        boolean; ``cell_format`` None only for a boolean)."""
        tails = self.__dict__.get("_lovande_tails")
        if tails is None:
            tails = self._lovande_tails = {}
        key = (cell_format, type(value), value)
        tail = tails.get(key)
        if tail is not None:
            return tail
        style = f' s="{cell_format._get_xf_index()}"' if cell_format is not None else ""
        if type(value) is str:
            text = self._escape_control_characters(value[:self.xls_strmax])  # XlsxWriter truncates too
            space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
            tail = f'{style} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'
            if len(value) >= 200:
                return tail
        elif isinstance(value, bool):
            tail = f'{style} t="b"><v>{int(value)}</v></c>'
        else:
            number = self._convert_date_time(value) if isinstance(value, (dt.date, dt.datetime)) else value
            tail = f'{style}><v>{number:.16G}</v></c>'
        if len(tails) >= self._TAILS_MAX:
            tails.clear()
        tails[key] = tail
        return tail

    def _row_start(self, height_pt: float | None) -> str:
        """``<row …>`` after its ``r="N"``, as XlsxWriter's _write_row writes it for this height."""
        starts = self.__dict__.get("_lovande_row_starts")
        if starts is None:
            starts = self._lovande_row_starts = {}
        start = starts.get(height_pt)
        if start is None:
            info = None
            if height_pt is not None:
                info = RowInfo(height=int(height_pt * 4.0 / 3.0 + 0.5), row_format=None, hidden=False, level=0,
                               collapsed=False)
            real, self.fh = self.fh, io.StringIO()
            try:
                self._write_row(0, None, info)
                written = self.fh.getvalue()
            finally:
                self.fh = real
            start = starts[height_pt] = written[len('<row r="1"'):]
        return start

    def write_cells(self, row: int, first_col: int, last_col: int, cells: str, height_pt: float | None) -> None:
        """Write row ``row`` now: ``cells`` is its ``<c>`` elements, columns ``first_col``–``last_col``."""
        if row <= self.__dict__.get("_lovande_last", -1) or row < self.previous_row or (
                row == self.previous_row and self.table):
            raise ValueError(f"row {row} of {self.name!r} is already written")
        if self._check_dimensions(row, first_col) or self._check_dimensions(row, last_col):
            raise ValueError(f"row {row} is outside the sheet")
        if row > self.previous_row:
            self.flush_pending(row)  # the header row, written the ordinary way
        self.previous_row = self._lovande_last = row
        self.fh.write(f'<row r="{row + 1}"{self._row_start(height_pt)}{cells}</row>')
        if self.keep_row_sizes and height_pt is not None:
            self.row_sizes[row] = [int(height_pt * 4.0 / 3.0 + 0.5), False]

    def flush_pending(self, next_row: int | None = None) -> None:
        """Write the row XlsxWriter still holds (the header), so the row file is complete so far."""
        if self.table or self.previous_row in self.row_info:
            self._write_single_row(self.previous_row + 1 if next_row is None else next_row)

    def rows_state(self) -> tuple:
        """What writing rows changed here: for a forked child to hand back (compile/forked.py)."""
        return (self.previous_row, self.__dict__.get("_lovande_last", -1), self.dim_rowmin, self.dim_rowmax,
                self.dim_colmin, self.dim_colmax)

    def adopt_rows_state(self, state: tuple) -> None:
        (self.previous_row, self._lovande_last, self.dim_rowmin, self.dim_rowmax, self.dim_colmin,
         self.dim_colmax) = state


class _Workbook(xlsxwriter.Workbook):
    """XlsxWriter's workbook, zipped at a low compression level: deflating the sheets' tens of
    megabytes of XML took a quarter of a warm compile at the default level, for a file a fifth
    smaller. (XlsxWriter has no option for it; its ZipFile is given the level while it saves.)"""

    def _store_workbook(self) -> None:
        module = sys.modules[xlsxwriter.Workbook.__module__]
        zip_file = module.ZipFile
        module.ZipFile = functools.partial(zip_file, compresslevel=ZIP_LEVEL)
        try:
            super()._store_workbook()
        finally:
            module.ZipFile = zip_file


@dataclass
class _Aside:
    job: Forked
    size: int  # of the Svar row file when it was handed over
    forms: Callable[[], Iterable[tuple[Any, dict[str, Any], frozenset[str]]]]


_ROW_NUMBER = "\x00"  # where a part's cells get their row number (XML text never holds NUL: it is escaped)


@dataclass(frozen=True)
class RowPart:
    """Some columns' cells of a data row, made once and placed on any row (see _Sheet.part)."""

    cells: str  # the <c> elements, with _ROW_NUMBER in each reference
    first: int | None  # the first and last column written, None when every value was empty
    last: int | None
    lines: int  # the lines its tallest text needs


_NO_CELLS = RowPart("", None, None, 1)


class _Sheet:
    """One sheet: header, widths, frozen pane, filter, print setup, and rows with fitted heights."""

    def __init__(self, book: SummaryWorkbook, name: str, columns: Sequence[Column], key_columns: int = 1,
                 charts: bool = False, frozen_columns: int = 0):
        self.book = book
        self.name = name
        self.ws = book.wb.add_worksheet(name, worksheet_class=_StreamedWorksheet)
        self.ws.keep_row_sizes = charts  # a chart below the rows is placed by their heights
        fit = book.fit
        # every header word fits its column: no header is cut or broken inside a word
        self.columns = [Column(c.title, max(c.width, fit.longest_word_chars(c.title, bold=True)), c.kind, c.printed,
                               c.wrap) for c in columns]
        self.row = 0
        self.extra_rows = 0  # rows below the data that charts take (printed too)
        self._lines: dict[tuple[int, str], int] = {}
        self._parts: dict[tuple[int, tuple], RowPart] = {}
        self.formats = [book.pct_format if c.kind == PCT else book.number_format for c in self.columns]  # of numbers
        self.widths = [c.width for c in self.columns]
        # no shorter text wraps; a column that never wraps adds nothing to a row's height
        self.one_line = [c.width * DIGIT_PX / MAX_CHAR_PX if c.wrap else math.inf for c in self.columns]
        self.text_formats = [book.text_format if c.wrap else book.line_format for c in self.columns]
        ws = self.ws
        for index, column in enumerate(self.columns):
            ws.set_column(index, index, column.width)
        ws.set_row(0, book.height(max(fit.lines(c.title, c.width, bold=True) for c in self.columns)))
        for index, column in enumerate(self.columns):
            ws.write_string(0, index, column.title, book.header_format)
        ws.freeze_panes(1, frozen_columns)  # the header, and the key columns when scrolling sideways
        self.printed = sum(1 for c in self.columns if c.printed)
        self._page_setup(sum(c.width for c in self.columns[:self.printed]),
                         sum(c.width for c in self.columns[:key_columns]), key_columns)
        ws.repeat_rows(0)
        margins = book.layout.get("workbook.margins_in")
        ws.set_margins(left=margins["left"], right=margins["right"], top=margins["top"], bottom=margins["bottom"])
        ws.set_footer(label("workbook.footer"))
        ws.hide_gridlines(0)  # gridlines on screen and on paper

    def _page_setup(self, width: float, key_width: float, key_columns: int) -> None:
        """Portrait when the printed columns fit the page, else landscape; fit to the width of as
        many pages as keep the print at least ``min_print_scale``, the key columns on each."""
        layout, ws = self.book.layout, self.ws
        ws.set_paper(int(layout.number("workbook.paper")))
        portrait, landscape = layout.number("workbook.page_chars.portrait"), layout.number("workbook.page_chars.landscape")
        room = landscape / layout.number("workbook.min_print_scale")
        pages = 1
        if width <= portrait:
            ws.set_portrait()
        else:
            ws.set_landscape()
            if width > room:
                pages = math.ceil((width - key_width) / (room - key_width))
                ws.repeat_columns(0, key_columns - 1)
        ws.fit_to_pages(pages, 0)
        ws.print_across()  # a band of rows across its pages, then the next band

    def append(self, values: Sequence[Any]) -> None:
        """One data row: texts wrap at the top of their cells, the row as tall as its tallest text."""
        self.append_parts(self.part(values))

    def part(self, values: Sequence[Any], offset: int = 0) -> RowPart:
        """The cells of ``values`` from column ``offset`` on, for any row: a part that repeats on
        many rows (a form's own columns, a question's) is made once and placed on each."""
        ws, book = self.ws, self.book
        lines = 1
        one_line, known_lines, formats, text_formats = self.one_line, self._lines, self.formats, self.text_formats
        letters = _LETTERS
        cells = []
        first = last = None
        for index, value in enumerate(values, offset):
            if value is None or value == "":
                continue
            if type(value) is str:
                if len(value) > one_line[index] or ("\n" in value and one_line[index] < math.inf):  # may need more lines
                    key = (index, value)
                    count = known_lines.get(key)
                    if count is None:
                        count = book.lines(value, self.widths[index])
                        if len(value) < 300:  # names, labels and questions repeat on many rows
                            if len(known_lines) > 5_000:
                                known_lines.clear()
                            known_lines[key] = count
                    if count > lines:
                        lines = count
                cell_format = text_formats[index]
            elif isinstance(value, bool):
                cell_format = None  # as XlsxWriter's write_boolean without a format
            elif isinstance(value, dt.date):
                cell_format = book.date_format
            elif isinstance(value, (int, float)):
                cell_format = formats[index]
            else:
                value, cell_format = str(value), book.text_format
            if first is None:
                first = index
            last = index
            ref = letters[index] if index < len(letters) else xl_col_to_name(index)
            cells.append(f'<c r="{ref}{_ROW_NUMBER}"{ws.cell_tail(value, cell_format)}')
        return RowPart("".join(cells), first, last, lines)

    def cached_part(self, values: tuple, offset: int) -> RowPart:
        """``part`` of values that repeat on many rows (labels, codes), made once."""
        key = (offset, values)
        part = self._parts.get(key)
        if part is None:
            if len(self._parts) >= 5_000:
                self._parts.clear()
            part = self._parts[key] = self.part(values, offset)
        return part

    def append_parts(self, *parts: RowPart) -> None:
        """One data row of ``parts`` (in column order)."""
        self.row += 1
        first = last = None
        lines = 1
        for part in parts:
            if part.first is not None:
                if first is None:
                    first = part.first
                last = part.last
                if part.lines > lines:
                    lines = part.lines
        if first is None:
            return  # an empty row: nothing to write, the next one takes its place in the count
        row, book = self.row, self.book
        cells = "".join([part.cells for part in parts]).replace(_ROW_NUMBER, str(row + 1))
        self.ws.write_cells(row, first, last, cells, book.height(lines) if lines > 1 else None)

    def close(self) -> None:
        last = len(self.columns) - 1
        self.ws.autofilter(0, 0, self.row, last)
        self.ws.print_area(0, 0, max(self.row + self.extra_rows, 1), self.printed - 1)


class _Shares:
    """Ja answers and asked questions per element, for one unit or summed over a municipality."""

    __slots__ = ("forms", "yes", "asked")

    def __init__(self, elements: int):
        self.forms = 0
        self.yes = [0] * elements
        self.asked = [0] * elements

    def add(self, other: _Shares) -> None:
        self.forms += other.forms
        for i in range(len(self.yes)):
            self.yes[i] += other.yes[i]
            self.asked[i] += other.asked[i]

    def row(self) -> list[float | None]:
        return [_share(y, a) for y, a in zip(self.yes, self.asked)] + [_share(sum(self.yes), sum(self.asked))]


class SummaryWorkbook:
    def __init__(self, path: Path, catalog: Catalog, options: OptionLabels, field_labels: dict[str, str],
                 layout: Layout, today: dt.date | None = None):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.catalog = catalog
        self.options = options
        self.layout = layout
        size = layout.number("workbook.font_pt")
        self._line_pt, self._row_padding_pt, self._max_row_pt = (
            layout.number(f"workbook.{key}") for key in ("line_pt", "row_padding_pt", "max_row_pt"))
        family = layout.get("fonts.body_family")
        self.fit = text_fit(layout.font_file("fonts.pdf_regular"), layout.font_file("fonts.pdf_bold"), size)
        self.wb = _Workbook(str(self.path), {
            "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False, "default_date_format": "yyyy-mm-dd",
            "default_format_properties": {"font_name": family, "font_size": size},
            "default_row_height": round(self.height(1) * 96 / 72)})
        # the compile's date, not the clock: the same forms on the same day give the same bytes
        created = dt.datetime.combine(today or dt.date.today(), dt.time(), dt.timezone.utc)
        self.wb.set_properties({"title": label("report.title"), "comments": "lovande compile", "created": created})
        base = {"font_name": family, "font_size": size, "valign": "top"}
        self.header_format = self.wb.add_format({**base, "bold": True, "text_wrap": True,
                                                 "font_color": "#" + layout.color("report.colors.table_header_text"),
                                                 "bg_color": "#" + layout.color("report.colors.table_header")})
        self.text_format = self.wb.add_format({**base, "text_wrap": True})
        self.line_format = self.wb.add_format(base)  # text on one line: hashes, paths, codes
        self.number_format = self.wb.add_format(base)
        self.pct_format = self.wb.add_format({**base, "num_format": "0%"})
        self.date_format = self.wb.add_format({**base, "num_format": "yyyy-mm-dd", "align": "left"})
        for cell_format in (self.header_format, self.text_format, self.date_format, self.number_format, self.pct_format,
                            self.line_format):
            cell_format._get_xf_index()  # style numbers in this order, whichever is first written
        self.answer_labels = dict(options.answer)
        self.status_labels = dict(options.question_status)
        self.not_asked = label("values.not_asked")
        self.not_given = label("values.not_given")
        self._question_lines: dict[tuple[str, float], int] = {}
        elements = catalog.elements
        self.element_index = {e.id: i for i, e in enumerate(elements)}
        self.unit_shares: dict[tuple[str | None, str | None], _Shares] = {}
        place_columns = [col("municipality", 12), col("county", 14)]
        self.overview = _Sheet(self, label("sheets.overview"), [
            col("file", 16), col("organisation", 20), *place_columns, col("practice", 18),
            col("date", 10, DATE), col("overall_short", 12), col("overall", 40),
            # "behöver utvecklas vidare" on two lines; rows of two lines, not three
            *[col("element_status", 14, number=e.number, title=e.title) for e in elements],
            col("answered", 8, INT), col("unanswered", 8, INT), col("not_asked", 8, INT),
            col("problem_count", 7, INT), col("problems", 24), col("counted", 9), col("note", 24),
            technical("participants", 40), technical("model_version", 24), technical("model_named", 24),
            technical("municipality_code", 10), technical("overall_code", 18), technical("path", 60),
            technical("format", 8), technical("sha256", 66),
        ], key_columns=2, frozen_columns=2)
        # the Svar sheet's columns in three groups: the form's, the question's and the answer's
        form_columns = [col("file", 16), col("organisation", 18), *place_columns, col("practice", 16),
                        col("date", 10, DATE)]
        question_columns = [col("element_number", 6, INT), col("element", 14), col("question_number", 6),
                            col("question", 40)]
        self.answers = _Sheet(self, label("sheets.answers"), [
            *form_columns, *question_columns,
            col("answer", 9), col("status", 13), col("description", 40),
            technical("municipality_code", 10), technical("model_version", 24), technical("question_id", 30),
            technical("answer_code", 12), technical("status_code", 22),
        ], frozen_columns=2)
        answer = len(form_columns) + len(question_columns)  # where each group of answer_rows starts
        self._svar_at = {"question": len(form_columns), "choice": answer, "description": answer + 2,
                         "place": answer + 3, "question_id": answer + 5, "codes": answer + 6}
        self._question_cells = self._question_parts()
        self.per_question = _Sheet(self, label("sheets.per_question"), self._per_question_columns(), charts=True)
        self.per_element = _Sheet(self, label("sheets.per_element"), self._per_element_columns(), charts=True)
        self.comparison = _Sheet(self, label("sheets.comparison"), [
            col("level", 8), col("name", 22), col("practice", 20), *place_columns, col("forms", 9, INT),
            *[col("element_yes_share", 10, PCT, number=e.number, title=e.title) for e in elements],
            col("all_yes_share", 10, PCT), technical("municipality_code", 10),
        ], frozen_columns=2)
        self.development = _Sheet(self, label("sheets.development"), [
            col("organisation", 20), *place_columns, col("practice", 20), col("file", 18), col("date", 11, DATE),
            col("overall_short", 12), col("overall", 24),
            Column(field_labels.get("development", "Utvecklingsområden"), 44),
            Column(field_labels.get("motivation", "Motivering"), 36),
            col("dev_elements", 24), col("dev_questions", 14),
        ], frozen_columns=1)
        self.problems = _Sheet(self, label("sheets.problems"), [
            col("file", 24), col("kind", 22), col("field", 30), col("message", 70), technical("path", 60),
        ], frozen_columns=1)
        self.definitions = _Sheet(self, label("sheets.definitions"), [
            col("term", 30), col("sheet", 18), col("definition", 90)], frozen_columns=1)
        self._definition_rows()

    def _definition_rows(self) -> None:
        """What each count and share is a count or share of (labels.yaml, definitions), with the
        model's option labels filled in."""
        answers = [name for _, name in self.options.answer]
        statuses = [name for _, name in self.options.question_status]
        element_statuses = [name for _, name in self.options.element_status]
        every_answer = [*answers, label("values.unanswered")]
        values = {"answers": ", ".join(every_answer), "answers_or": " / ".join(every_answer),
                  "answer_options": join_and(answers, "report.or"),
                  "question_statuses": ", ".join(statuses), "element_statuses": ", ".join(element_statuses),
                  "element_statuses_or": " / ".join(element_statuses), "yes": answers[0] if answers else ""}
        for term, sheet, text in label("definitions"):
            self.definitions.append([term.format(**values), sheet, text.format(**values)])

    # ----------------------------------------------------------------------------------------
    def height(self, lines: int) -> float:
        return min(lines * self._line_pt + self._row_padding_pt, self._max_row_pt)

    def lines(self, text: str, width: float) -> int:
        return self.fit.lines(text, width)

    def _per_question_columns(self) -> list[Column]:
        answers = [c for _, c in self.options.answer]
        statuses = [c for _, c in self.options.question_status]
        unanswered = label("values.unanswered")
        return [
            col("element_number", 7, INT), col("element", 18), col("question_number", 7),
            col("question", 44), col("forms_asked", 9, INT),
            *[Column(a, 8, INT) for a in answers], Column(unanswered, 8, INT), col("conflicts", 9, INT),
            Column(self.not_asked, 7, INT),
            *[col("share", 8, PCT, label=a) for a in answers], col("share", 8, PCT, label=unanswered),
            *[Column(s, 9, INT) for s in statuses], col("no_status", 8, INT),
            technical("question_id", 30),
        ]

    def _per_element_columns(self) -> list[Column]:
        statuses = [c for _, c in self.options.element_status]
        answers = [c for _, c in self.options.answer] + [label("values.unanswered")]
        return [
            col("element_number", 7, INT), col("element", 22), col("forms", 9, INT),
            *[Column(s, 10, INT) for s in statuses], col("no_status", 8, INT), Column(self.not_asked, 7, INT),
            *[col("share", 10, PCT, label=s) for s in statuses],
            *[col("answers_in_element", 10, INT, label=a) for a in answers],
            *[col("answers_share_in_element", 10, PCT, label=a) for a in answers],
        ]

    @staticmethod
    def _place_cells(record) -> tuple[str | None, str | None, str | None]:
        place = place_of(record.organisation)
        municipality = place.municipality
        return (municipality.name if municipality else None, place.county.name if place.county else None,
                municipality.code if municipality else None)

    # ----------------------------------------------------------------------------------------
    def overview_row(self, record, counted: bool, note: str, not_asked: int | None, problem_text: str) -> None:
        statuses = dict(self.options.element_status)
        element_cells = []
        for element in self.catalog.elements:
            if not record.ok or record.blank:
                element_cells.append(None)
            elif element.id not in record.element_status:
                element_cells.append(self.not_asked)
            else:
                code = record.element_status[element.id]
                element_cells.append(statuses.get(code, code) if code else None)
        asked = record.asked_count
        municipality, county, code = self._place_cells(record)
        filled = record.ok and not record.blank
        overall = OptionLabels.lookup(self.options.overall, record.overall) or (self.not_given if filled else None)
        short = OptionLabels.lookup(self.options.overall_short, record.overall) or (self.not_given if filled else None)
        self.overview.append([
            record.file, record.organisation, municipality, county, record.practice, _date_value(record.date),
            short, overall, *element_cells,
            record.answered if record.ok else None, asked - record.answered if record.ok else None,
            not_asked, len(record.problems) if record.ok else None, problem_text,
            label("values.counted") if counted else label("values.not_counted"), note,
            record.participants, record.read_with, record.model_named, code, record.overall, record.shown_path,
            record.format, record.sha256,
        ])

    def place_problem(self, record) -> None:
        """List a form whose municipality cannot be recognised (Problem sheet): never guessed."""
        place = place_of(record.organisation)
        if place.municipality is not None:
            return
        if place.reason == EMPTY:
            message = label("problem_messages.municipality_empty")
        else:
            key = "municipality_several" if place.reason == SEVERAL else "municipality_not_found"
            message = label(f"problem_messages.{key}{'_county' if place.county else ''}",
                            organisation=record.organisation, names=", ".join(place.candidates),
                            county=place.county.name if place.county else "")
        self.problem_row(record.file, record.shown_path, label("problem_kinds.municipality"), None, message)

    def answer_rows(self, record, answers: dict[str, Any], asked: frozenset[str]) -> None:
        """The Svar sheet: one row per question of the catalogue, from parts made once each (the
        form's cells, the question's, the labels and codes of an answer); only a description is
        new on every row."""
        questions = answers.get("questions") or {}
        municipality, county, code = self._place_cells(record)
        sheet, at = self.answers, self._svar_at
        form = sheet.part([record.file, record.organisation, municipality, county, record.practice,
                           _date_value(record.date)])
        version = sheet.part([code, record.read_with], at["place"])
        unanswered = label("values.unanswered")
        for info, question, question_id in self._question_cells:
            if info.id not in asked:
                sheet.append_parts(form, question, sheet.cached_part((self.not_asked,), at["choice"]), version,
                                   question_id)
                continue
            values = questions.get(info.id) or {}
            answer, status, description = values.get("answer"), values.get("status"), values.get("description")
            choice = sheet.cached_part((self.answer_labels.get(answer, answer) if answer else unanswered,
                                        self.status_labels.get(status, status) if status else None), at["choice"])
            text = sheet.part([description], at["description"]) if description else _NO_CELLS
            sheet.append_parts(form, question, choice, text, version, question_id,
                               sheet.cached_part((answer, status), at["codes"]))

    def _question_parts(self) -> list[tuple[Any, RowPart, RowPart]]:
        """Each catalogue question with its cells on the Svar sheet, the same on every form's row:
        its number, element and text, and its id."""
        parts = []
        for info in self.catalog.questions:
            element = self.catalog.element_by_id.get(info.element_id)
            number = f"{info.element_number}.{info.number}" if info.element_number else info.number
            parts.append((info, self.answers.part(
                [info.element_number or None, element.title if element else None, number, info.text],
                self._svar_at["question"]), self.answers.part([info.id], self._svar_at["question_id"])))
        return parts

    def unit_row(self, record, answers: dict[str, Any], asked: frozenset[str]) -> None:
        """The form's Ja shares per element on Jämförelse (and towards its municipality and county)."""
        questions = answers.get("questions") or {}
        municipality, county, code = self._place_cells(record)
        shares = _Shares(len(self.catalog.elements))
        shares.forms = 1
        yes = self.options.answer[0][0] if self.options.answer else None
        for info in self.catalog.questions:
            index = self.element_index.get(info.element_id)
            if index is None or info.id not in asked:
                continue
            shares.asked[index] += 1
            shares.yes[index] += (questions.get(info.id) or {}).get("answer") == yes
        key = (municipality, county)
        self.unit_shares.setdefault(key, _Shares(len(self.catalog.elements))).add(shares)
        self.comparison.append([label("values.level_unit"), record.organisation, record.practice, municipality,
                                county, 1, *shares.row(), code])

    def answer_rows_aside(self, forms: Callable[[], Iterable[tuple[Any, dict[str, Any], frozenset[str]]]]
                          ) -> _Aside | None:
        """Start writing the Svar sheet's rows of ``forms()`` (record, answers, asked) in a forked
        child (compile/forked.py) while the caller goes on; ``finish_answer_rows`` takes them in.
        None where no child can be forked: the caller writes the rows itself, with ``answer_rows``.
        The sheet's row file is handed over closed (XlsxWriter's own close and reopen, in append
        mode), and nothing else writes to it meanwhile."""
        if not fork_available():
            return None
        ws = self.answers.ws
        ws.flush_pending()
        ws._opt_close()
        size = os.path.getsize(ws.row_data_filename)

        def work() -> tuple:
            ws._opt_reopen()
            for record, answers, asked in forms():
                self.answer_rows(record, answers, asked)
            ws._opt_close()
            return self.answers.row, ws.rows_state()

        return _Aside(Forked(work).start(), size, forms)

    def finish_answer_rows(self, aside: _Aside) -> None:
        """Take in the child's rows; if it failed, write them here."""
        ws = self.answers.ws
        result = aside.job.join()
        if result is FAILED:
            os.truncate(ws.row_data_filename, aside.size)  # whatever a failed child left
            ws._opt_reopen()
            for record, answers, asked in aside.forms():
                self.answer_rows(record, answers, asked)
            return
        self.answers.row, state = result
        ws.adopt_rows_state(state)
        ws._opt_reopen()

    def development_row(self, record, answers: dict[str, Any]) -> None:
        assessment = answers.get("assessment") or {}
        weak_code = self.options.element_status[-1][0] if self.options.element_status else None
        weak_question = self.options.question_status[-1][0] if self.options.question_status else None
        elements = [f"{e.number}. {e.title}" for e in self.catalog.elements
                    if (answers.get("elements") or {}).get(e.id, {}).get("status") == weak_code]
        questions = answers.get("questions") or {}
        numbers = [f"{q.element_number}.{q.number}" for q in self.catalog.questions
                   if (questions.get(q.id) or {}).get("status") == weak_question]
        municipality, county, _ = self._place_cells(record)
        self.development.append([
            record.organisation, municipality, county, record.practice, record.file, _date_value(record.date),
            OptionLabels.lookup(self.options.overall_short, record.overall) or self.not_given,
            OptionLabels.lookup(self.options.overall, record.overall) or self.not_given,
            assessment.get(DEVELOPMENT_KEY), assessment.get(MOTIVATION_KEY),
            "\n".join(elements), ", ".join(numbers),
        ])

    def problem_row(self, file: str, path: str, kind: str, field: str | None, message: str) -> None:
        self.problems.append([file, kind, field, message, path])

    # ----------------------------------------------------------------------------------------
    def summary_rows(self, tally: Tally) -> None:
        answers = [c for c, _ in self.options.answer]
        statuses = [c for c, _ in self.options.question_status]
        for info in self.catalog.questions:
            t = tally.questions[info.id]
            element = self.catalog.element_by_id.get(info.element_id)
            counts = [t.answers.get(a, 0) for a in answers] + [t.answers.get(None, 0)]
            number = f"{info.element_number}.{info.number}" if info.element_number else info.number
            self.per_question.append([
                info.element_number or None, element.title if element else None, number,
                info.text, t.asked,
                *counts, t.conflicts, t.not_asked,
                *[_share(c, t.asked) for c in counts],
                *[t.statuses.get(s, 0) for s in statuses], t.statuses.get(None, 0), info.id,
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
        self._place_rows()

    def _place_rows(self) -> None:
        """Per municipality, then per county, under the units on Jämförelse (filter on Nivå)."""
        elements = len(self.catalog.elements)
        municipalities: dict[tuple, _Shares] = defaultdict(lambda: _Shares(elements))
        counties: dict[str | None, _Shares] = defaultdict(lambda: _Shares(elements))
        for (municipality, county), shares in self.unit_shares.items():
            municipalities[(municipality, county)].add(shares)
            counties[county].add(shares)
        unknown_m, unknown_c = label("values.unknown_municipality"), label("values.unknown_county")
        codes = {}
        for (municipality, county) in municipalities:
            place = place_of(municipality) if municipality else None
            codes[(municipality, county)] = place.municipality.code if place and place.municipality else None
        for key in sorted(municipalities, key=lambda k: (_swedish(k[0]), _swedish(k[1]))):
            municipality, county = key
            shares = municipalities[key]
            self.comparison.append([label("values.level_municipality"), municipality or unknown_m, None,
                                    municipality, county, shares.forms, *shares.row(), codes[key]])
        for county in sorted(counties, key=_swedish):
            shares = counties[county]
            self.comparison.append([label("values.level_county"), county or unknown_c, None, None, county,
                                    shares.forms, *shares.row(), None])

    # ----------------------------------------------------------------------------------------
    def _conditional_formats(self) -> None:
        colors = self.layout.get("workbook.scale")
        sheet = self.comparison
        first = 6  # Nivå, Namn, Arbetssätt, Kommun, Län, Formulär
        last = first + len(self.catalog.elements)
        if sheet.row:
            sheet.ws.conditional_format(1, first, sheet.row, last, {
                "type": "3_color_scale", "min_type": "num", "min_value": 0, "mid_type": "num", "mid_value": 0.5,
                "max_type": "num", "max_value": 1, "min_color": "#" + colors["low"], "mid_color": "#" + colors["mid"],
                "max_color": "#" + colors["high"]})
        sheet = self.per_question
        answers = len(self.options.answer) + 1
        first = 5 + answers + 2
        if sheet.row:
            sheet.ws.conditional_format(1, first, sheet.row, first + answers - 1, {
                "type": "data_bar", "bar_color": "#" + self.layout.color("workbook.bar"), "min_type": "num",
                "min_value": 0, "max_type": "num", "max_value": 1, "bar_solid": True})

    def _bar_chart(self, title: str, sheet: _Sheet, categories: int, series: list[tuple[int, str, str]]):
        """A 100 % stacked bar chart of counts in ``series`` (column, legend name, colour)."""
        chart = self.wb.add_chart({"type": "bar", "subtype": "percent_stacked"})
        rows = sheet.row
        for column, name, color in series:
            chart.add_series({
                "name": name, "categories": [sheet.name, 1, categories, rows, categories],
                "values": [sheet.name, 1, column, rows, column], "gap": 40,
                "fill": {"color": "#" + color}, "border": {"color": "#FFFFFF", "width": 0.5}})
        chart.set_title({"name": title, "name_font": {"size": 11, "bold": True}})
        chart.set_y_axis({"reverse": True, "num_font": {"size": 8}})
        chart.set_x_axis({"num_format": "0%", "num_font": {"size": 8}, "major_gridlines": {"visible": True}})
        chart.set_legend({"position": "top", "font": {"size": 8}})
        width = self.layout.number("workbook.chart_width_px")
        chart.set_size({"width": width, "height": 110 + rows * self.layout.number("workbook.chart_row_px")})
        return chart

    def _place_chart(self, sheet: _Sheet, chart) -> None:
        """Below the table (and below any chart already there), inside the print area."""
        row = sheet.row + sheet.extra_rows + 2
        sheet.ws.insert_chart(row, 1, chart, {"object_position": 3})
        default_row_px = self.height(1) * 96 / 72
        sheet.extra_rows += 2 + math.ceil(chart.height / default_row_px)

    def _series(self, pairs: tuple[tuple[str, str], ...], rest: tuple[str, str]) -> list[tuple[str, str]]:
        """(legend name, colour) per option, then the 'none' entry; colours from report.colors."""
        colors = self.layout.get("report.colors")
        return [(name, self.layout.color(f"report.colors.{code}") if code in colors else "8A9BAA")
                for code, name in pairs] + [(rest[0], self.layout.color(f"report.colors.{rest[1]}"))]

    def _charts(self) -> None:
        answers = self._series(self.options.answer, (label("values.unanswered"), "unanswered"))
        sheet = self.per_question
        if sheet.row:
            self._place_chart(sheet, self._bar_chart(label("workbook.charts.per_question"), sheet, 2, [
                (5 + i, name, color) for i, (name, color) in enumerate(answers)]))
        sheet = self.per_element
        if sheet.row:
            statuses = self._series(self.options.element_status, (label("values.no_status"), "no_status"))
            self._place_chart(sheet, self._bar_chart(label("workbook.charts.element_status"), sheet, 1, [
                (3 + i, name, color) for i, (name, color) in enumerate(statuses)]))
            first = 3 + len(statuses) + 1 + len(statuses) - 1
            self._place_chart(sheet, self._bar_chart(label("workbook.charts.element_answers"), sheet, 1, [
                (first + i, name, color) for i, (name, color) in enumerate(answers)]))

    def save(self) -> None:
        self._conditional_formats()
        self._charts()
        for sheet in self._sheets():
            sheet.close()
        self.wb.close()

    def _sheets(self) -> list[_Sheet]:
        return [self.overview, self.answers, self.per_question, self.per_element, self.comparison, self.development,
                self.problems, self.definitions]
