"""The long table (one row per counted form × question, as on the Svar sheet) as CSV or JSON, for
R and Python users. Written row by row. Column names are plain identifiers; values are the model's
codes, with the Swedish labels beside them."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from lovande_docs.compile.catalog import Catalog
from lovande_docs.compile.municipality import place_of
from lovande_docs.compile.tally import OptionLabels

COLUMNS = ("file", "sha256", "organisation", "kommun", "kommunkod", "lan", "arbetssatt", "datum", "model_version",
           "element_number", "element_id", "element", "question_number", "question_id", "question", "asked", "answer",
           "answer_label", "status", "status_label", "description")


class LongTableWriter:
    """Writes the rows to a .csv (UTF-8 with BOM, so Excel opens it right) and/or a .json file
    (a list of row objects)."""

    def __init__(self, catalog: Catalog, options: OptionLabels, csv_path: Path | None, json_path: Path | None,
                 not_asked_label: str, unanswered_label: str):
        self.catalog = catalog
        self.answer_labels = dict(options.answer)
        self.status_labels = dict(options.question_status)
        self.not_asked_label, self.unanswered_label = not_asked_label, unanswered_label
        self._csv_file = self._json_file = None
        if csv_path:
            csv_path.parent.mkdir(parents=True, exist_ok=True)
            self._csv_file = open(csv_path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed in close()
            self._csv = csv.writer(self._csv_file, lineterminator="\n")
            self._csv.writerow(COLUMNS)
        if json_path:
            json_path.parent.mkdir(parents=True, exist_ok=True)
            self._json_file = open(json_path, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()
            self._json_file.write("[")
            self._first = True

    @property
    def active(self) -> bool:
        return bool(self._csv_file or self._json_file)

    def add(self, record, answers: dict[str, Any], asked: frozenset[str]) -> None:
        if not self.active:
            return
        questions = answers.get("questions") or {}
        place = place_of(record.organisation)
        municipality = place.municipality
        where = (municipality.name if municipality else None, municipality.code if municipality else None,
                 place.county.name if place.county else None)
        for info in self.catalog.questions:
            element = self.catalog.element_by_id.get(info.element_id)
            is_asked = info.id in asked
            values = (questions.get(info.id) or {}) if is_asked else {}
            answer, status = values.get("answer"), values.get("status")
            if not is_asked:
                answer_label = self.not_asked_label
            elif answer is None:
                answer_label = self.unanswered_label
            else:
                answer_label = self.answer_labels.get(answer, answer)
            row = (record.file, record.sha256, record.organisation, *where, record.practice, record.date,
                   record.read_with,
                   info.element_number or None, info.element_id or None, element.title if element else None,
                   info.number or None, info.id, info.text, is_asked, answer, answer_label, status,
                   self.status_labels.get(status, status) if status else None, values.get("description"))
            if self._csv_file:
                self._csv.writerow(["" if v is None else ("true" if v is True else "false" if v is False else v)
                                    for v in row])
            if self._json_file:
                self._json_file.write(("\n" if self._first else ",\n")
                                      + json.dumps(dict(zip(COLUMNS, row)), ensure_ascii=False))
                self._first = False

    def close(self) -> None:
        if self._csv_file:
            self._csv_file.close()
        if self._json_file:
            self._json_file.write("\n]\n")
            self._json_file.close()
