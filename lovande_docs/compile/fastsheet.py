"""A fast row writer for the workbook's data rows.

openpyxl's write-only mode costs about 20 µs a cell on this machine: the Svar sheet alone (1,000
forms × 51 questions × 15 columns) took ~15 s, five times the whole warm-run budget. So data rows
are written here as plain SpreadsheetML (the same inline-string cells openpyxl's write-only mode
writes) to temporary files, and spliced into the workbook openpyxl has saved: openpyxl still
writes each sheet itself (header row, frozen pane, widths, autofilter) and every style, this module
only the ``<row>`` elements after the header, using openpyxl's own style ids. Memory stays flat:
rows go to disk as they come.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

EXCEL_EPOCH = dt.date(1899, 12, 30)
ROW = "\x00"  # stands for the row number in a fragment; never in text (illegal in XML, stripped)
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


class RawRows:
    """Data rows of one sheet, from row 2 on (row 1, the header, is openpyxl's).

    ``kinds`` gives each column's kind ("wrap", "pct", "date" or anything else for plain) and
    ``styles`` openpyxl's style id for "wrap", "pct" and "date". Cell XML for repeated values (the
    question texts, a form's name on each of its rows) is built once and reused.
    """

    def __init__(self, kinds: Sequence[str], styles: dict[str, int]):
        self.letters = [get_column_letter(i + 1) for i in range(len(kinds))]
        self.kinds = list(kinds)
        self.styles = styles
        handle, name = tempfile.mkstemp(prefix="lovande-rows-", suffix=".xml")
        self.path = Path(name)
        self.out = os.fdopen(handle, "w", encoding="utf-8")
        self.rows = 1
        self._tails: dict[tuple[int, Any], str] = {}

    def _tail(self, index: int, value: Any) -> str:
        """Everything of a cell after its reference: ``' t="n"><v>3</v></c>'``."""
        kind = self.kinds[index]
        if isinstance(value, bool):
            return f' t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)):
            style = f' s="{self.styles["pct"]}"' if kind == "pct" else ""
            return f'{style} t="n"><v>{value}</v></c>'
        if isinstance(value, dt.date):
            if isinstance(value, dt.datetime):
                value = value.date()
            return f' s="{self.styles["date"]}" t="n"><v>{(value - EXCEL_EPOCH).days}</v></c>'
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        style = f' s="{self.styles["wrap"]}"' if kind == "wrap" and (len(text) > 40 or "\n" in text) else ""
        space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
        return f'{style} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'

    def fragment(self, start: int, values: Sequence[Any]) -> str:
        """Cells for columns ``start``… made once and reused on many rows (see ``append``)."""
        return "".join(f'<c r="{self.letters[index]}{ROW}"{self._tail(index, value)}'
                       for index, value in enumerate(values, start) if value is not None and value != "")

    def append(self, values: Sequence[Any], prefix: str = "", start: int = 0) -> None:
        """One row: ``prefix`` (fragments for the first columns), then ``values`` from column ``start``."""
        self.rows += 1
        number = str(self.rows)
        tails = self._tails
        parts = ['<row r="', number, '">']
        if prefix:
            parts.append(prefix.replace(ROW, number))
        for index, value in enumerate(values, start):
            if value is None or value == "":
                continue
            key = (index, value)
            tail = tails.get(key)
            if tail is None:
                tail = self._tail(index, value)
                # only short values repeat (labels, codes); texts would make the cache grow with the forms
                if len(tail) < 120 and len(tails) < 2_000:
                    tails[key] = tail
            parts += ('<c r="', self.letters[index], number, '"', tail)
        parts.append("</row>")
        self.out.write("".join(parts))

    def close(self) -> None:
        if not self.out.closed:
            self.out.close()

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)

    @property
    def last_column(self) -> str:
        return self.letters[-1]


def _sheet_part(archive: zipfile.ZipFile, title: str) -> str:
    """The zip member holding the worksheet called ``title``."""
    workbook = etree.fromstring(archive.read("xl/workbook.xml"))
    relations = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for sheet in workbook.iterfind("m:sheets/m:sheet", _NS):
        if sheet.get("name") == title:
            rid = sheet.get(f"{{{_NS['r']}}}id")
            for relation in relations.iterfind("rel:Relationship", _NS):
                if relation.get("Id") == rid:
                    target = relation.get("Target")
                    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise KeyError(title)


def splice(workbook: Path, sheets: dict[str, RawRows]) -> None:
    """Put each sheet's rows into the saved workbook (whose sheetData holds only the header)."""
    for rows in sheets.values():
        rows.close()
    temporary = workbook.with_name(workbook.name + ".tmp")
    try:
        with zipfile.ZipFile(workbook) as source, \
                zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            parts = {_sheet_part(source, title): rows for title, rows in sheets.items()}
            for item in source.infolist():
                rows = parts.get(item.filename)
                if rows is None:
                    target.writestr(item, source.read(item.filename), compress_type=zipfile.ZIP_DEFLATED)
                    continue
                xml = source.read(item.filename).decode("utf-8")
                head, end, tail = xml.partition("</sheetData>")
                if not end:
                    raise ValueError(f"{item.filename}: no sheetData")
                head = re.sub(r"<dimension [^>]*/>", f'<dimension ref="A1:{rows.last_column}{rows.rows}"/>', head, count=1)
                with target.open(item.filename, "w") as out:
                    out.write(head.encode("utf-8"))
                    with open(rows.path, "rb") as data:
                        shutil.copyfileobj(data, out, 1 << 20)
                    out.write((end + tail).encode("utf-8"))
        os.replace(temporary, workbook)
    finally:
        temporary.unlink(missing_ok=True)
        for rows in sheets.values():
            rows.discard()
