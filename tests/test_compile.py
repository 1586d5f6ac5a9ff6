"""`lovande compile` (issue #6): a corpus of generated forms compiled, every count checked.

The corpus is made of synthetic answers (tests/corpus.py) for two model versions
(the shipped model and a copy with one question removed and one added), stored as stand-in .docx
and .pdf files and read by an injected reader, with a duplicate, two revisions (one told apart by
date, one by file time), a broken file, an Office lock file and a hidden file. The workbook is read
back with openpyxl and each count compared with the generated answers; the report's text is read
with pdftotext and python-docx. One test runs the real readers on PDFs filled by the real filler,
once the PDF renderer exists.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import pdftotext
from corpus import generate_answers, synthetic_reader, write_synthetic

from lovande_docs import markup
from lovande_docs.cli import main
from lovande_docs.compile import compile_forms
from lovande_docs.compile.catalog import Catalog
from lovande_docs.compile.dedupe import normalise, parse_date
from lovande_docs.compile.inputs import expand_inputs
from lovande_docs.model import load_model_text
from lovande_docs.paths import DEFAULT_CONTENT
from lovande_docs.readers.registry import Registry

SHEETS = ["Översikt", "Svar", "Per fråga", "Per element", "Jämförelse", "Utvecklingsområden", "Problem", "Definitioner"]
REMOVED, ADDED = "rekommenderat-av-experter", "aktuell-kunskapsoversikt"
TODAY = dt.date(2026, 11, 23)


def _second_version(text: str) -> str:
    """The shipped model as a later version: one question removed, another added in its place."""
    old = ("          - id: rekommenderat-av-experter\n"
           "            text: Är arbetssättet utvecklat eller rekommenderat av experter på området?\n")
    new = ("          - id: aktuell-kunskapsoversikt\n"
           "            text: Finns det en aktuell kunskapsöversikt på området som arbetssättet bygger på?\n")
    assert old in text and "version: '2026.1'" in text
    return text.replace(old, new).replace("version: '2026.1'", "version: '2027.1'", 1)


@pytest.fixture(scope="module")
def models(model):
    v2 = load_model_text(_second_version(DEFAULT_CONTENT.read_text(encoding="utf-8")), "v2.yaml")
    return model, v2


@pytest.fixture(scope="module")
def registry(models):
    return Registry(models, models[1])


@dataclass
class Form:
    path: Path
    answers: dict
    model: object
    counted: bool = True
    kind: str = "single"  # single, latest, superseded, duplicate


@dataclass
class Corpus:
    folder: Path
    forms: list[Form]  # every readable file, duplicates included
    broken: Path
    ignored: list[Path]

    @property
    def counted(self) -> list[Form]:
        return [f for f in self.forms if f.counted]


def _make_corpus(folder: Path, models, seed: int = 6) -> Corpus:
    v1, v2 = models
    rng = random.Random(seed)
    forms: list[Form] = []

    def add(relative: str, model, organisation, practice, date, **extra) -> Form:
        fmt = relative.rsplit(".", 1)[1]
        answers = generate_answers(model, rng, organisation=organisation, practice=practice, date=date,
                                   file=Path(relative).name, fmt=fmt, **extra)
        form = Form(write_synthetic(folder / relative, answers), answers, model)
        forms.append(form)
        return form

    for index in range(8):  # independent units, both versions, both formats
        model = v1 if index < 5 else v2
        fmt = "docx" if index % 2 else "pdf"
        add(f"inkommet/enhet-{index}.{fmt}", model, f"Kommun {index}", f"Arbetssätt {index}",
            f"2026-0{index + 1}-15", conflicts=index % 3)
    # a revision told apart by date: same unit written differently, old version then new version
    early = add("inkommet/mars/kommun-a.docx", v1, "Kommun A", "Samtalsgrupp för unga", "2026-03-01")
    late = add("inkommet/september/kommun-a.pdf", v2, "  kommun  a ", "samtalsgrupp för  UNGA", "2026-09-01")
    early.counted, early.kind, late.kind = False, "superseded", "latest"
    early.answers["elements"]["teori-och-kunskap"]["summary"] = "Markör tidig revision"
    late.answers["elements"]["teori-och-kunskap"]["summary"] = "Markör senaste revision"
    write_synthetic(early.path, early.answers)
    write_synthetic(late.path, late.answers)
    # a revision with no dates: the file times decide
    first = add("inkommet/utan-datum-1.pdf", v1, "Kommun B", "Hemtjänst", None)
    second = add("inkommet/utan-datum-2.docx", v1, "Kommun B", "Hemtjänst", None)
    os.utime(first.path, (1_700_000_000, 1_700_000_000))
    os.utime(second.path, (1_600_000_000, 1_600_000_000))  # older file: superseded
    second.counted, second.kind, first.kind = False, "superseded", "latest"
    # the same bytes twice
    duplicate = folder / "inkommet/vidarebefordrat/enhet-1-kopia.docx"
    duplicate.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(forms[1].path, duplicate)
    forms.append(Form(duplicate, forms[1].answers, forms[1].model, counted=False, kind="duplicate"))
    # a broken upload, and files a folder walk must not pick up
    broken = folder / "inkommet/trasig.pdf"
    broken.write_bytes(b"%PDF-1.7\n% truncated")
    ignored = [folder / "inkommet/~$enhet-1.docx", folder / "inkommet/.dold.pdf", folder / "inkommet/notes.txt"]
    for path in ignored:
        path.write_bytes(b"not a form")
    return Corpus(folder, forms, broken, ignored)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory, models, registry):
    folder = tmp_path_factory.mktemp("compile")
    corpus = _make_corpus(folder, models)
    out = folder / "ut"
    result = compile_forms([folder / "inkommet"], out / "sammanstallning.xlsx", report=out / "rapport.pdf",
                           csv_path=out / "svar.csv", json_path=out / "svar.json", jobs=2,
                           cache_dir=folder / "cache", reader=synthetic_reader, registry=registry, today=TODAY)
    book = openpyxl.load_workbook(out / "sammanstallning.xlsx")
    return corpus, result, book, out


def _rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    header = values[0]
    return [dict(zip(header, row)) for row in values[1:]]


def _labels(model, list_id: str) -> dict:
    return {o.code: markup.plain(o.label) for o in model.options[list_id].items}


def _union(models) -> Catalog:
    return Catalog(models)


# ---------------------------------------------------------------------------------------------
def test_inputs_skip_lock_hidden_and_other_files(tmp_path, models):
    corpus = _make_corpus(tmp_path, models)
    files, missing = expand_inputs([tmp_path / "inkommet", tmp_path / "saknas.pdf", corpus.forms[0].path])
    assert missing == [tmp_path / "saknas.pdf"]
    assert sorted(files) == sorted([f.path for f in corpus.forms] + [corpus.broken])
    assert not set(corpus.ignored) & set(files)


def test_dates_and_names_are_normalised():
    assert parse_date("2026-11-20") == dt.date(2026, 11, 20)
    assert parse_date("20/11/2026") == dt.date(2026, 11, 20)
    assert parse_date("20.11.2026") == dt.date(2026, 11, 20)
    assert parse_date("2026-11-20 14:30") == dt.date(2026, 11, 20)
    assert parse_date("i november") is None and parse_date("2026-13-40") is None
    assert normalise("  Kommun  A ") == normalise("kommun a")


def test_result_counts(compiled):
    corpus, result, _, _ = compiled
    assert result.files == len(corpus.forms) + 1
    assert result.read == len(corpus.forms) and result.failed == 1
    assert result.failures == [(str(corpus.broken), result.failures[0][1])]
    assert result.duplicates == 1 and result.superseded == 2
    assert result.counted == len(corpus.counted) == 10


FROZEN = {"Översikt": "C2", "Svar": "C2", "Jämförelse": "C2", "Utvecklingsområden": "B2", "Problem": "B2",
          "Definitioner": "B2"}


def test_workbook_sheets_are_frozen_filtered_and_formula_free(compiled):
    _, _, book, _ = compiled
    assert book.sheetnames == SHEETS
    for sheet in book:
        # the header row; and the key columns (file, organisation) where a sheet is wider than a screen
        assert sheet.freeze_panes == FROZEN.get(sheet.title, "A2"), sheet.title
        assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(sheet.max_column)}{sheet.max_row}"
        for row in sheet.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and v.startswith("=") for v in row), sheet.title
        assert all((sheet.column_dimensions[c].width or 0) >= 8 for c in ("A", "B")), sheet.title


def test_overview_lists_every_file_with_its_fate(compiled):
    corpus, _, book, _ = compiled
    rows = {r["Sökväg"]: r for r in _rows(book["Översikt"])}
    assert len(rows) == len(corpus.forms) + 1
    for form in corpus.forms:
        row = rows[str(form.path)]
        assert row["Ingår i sammanställningen"] == ("Ja" if form.counted else "Nej"), form.path
        assessment = form.answers["assessment"]
        assert row["Organisation"] == assessment["organisation"]
        assert row["Arbetssätt"] == form.answers["practice"]["arbetssatt"]
        assert row["Modellversion (inläst med)"] == f"{form.model.id} {form.model.version}"
        asked = len(form.answers["questions"])
        answered = sum(1 for q in form.answers["questions"].values() if q["answer"])
        assert (row["Besvarade frågor"], row["Obesvarade frågor"], row["Ej ställda frågor"]) == (answered, asked - answered, 1)
        assert row["Samlad bedömning"] == _labels(form.model, "overall-assessment")[assessment["samlad-bedomning"]]
        statuses = _labels(form.model, "element-status")
        for number, element in enumerate(form.model.elements, start=1):
            code = form.answers["elements"][element.id]["status"]
            assert row[f"Element {number}: {markup.plain(element.title)}"] == (statuses[code] if code else None)
        note = row["Anmärkning"] or ""
        if form.kind == "duplicate":
            assert note.startswith("Dubblett") and str(corpus.forms[1].path) in note
        elif form.kind == "superseded":
            assert note.startswith("Tidigare revision")
        elif form.kind == "latest":
            assert note == "Senaste revision av 2 inskickade"
    broken = rows[str(corpus.broken)]
    assert broken["Ingår i sammanställningen"] == "Nej" and broken["Anmärkning"].startswith("Kunde inte läsas")


def test_answers_sheet_has_one_row_per_counted_form_and_question(compiled, models):
    corpus, _, book, _ = compiled
    union = _union(models)
    rows = _rows(book["Svar"])
    assert len(rows) == len(corpus.counted) * len(union.questions) == 10 * 51
    by_key = {(r["Fil"], r["Fråga-id"]): r for r in rows}
    answers, statuses = _labels(models[0], "answer"), _labels(models[0], "question-status")
    for form in corpus.counted:
        for info in union.questions:
            row = by_key[(form.path.name, info.id)]
            values = form.answers["questions"].get(info.id)
            if values is None:
                assert row["Svar"] == "ej ställd" and row["Svarskod"] is None
                assert info.id == (ADDED if form.model is models[0] else REMOVED)
                continue
            assert row["Svar"] == (answers[values["answer"]] if values["answer"] else "Obesvarad")
            assert row["Svarskod"] == values["answer"] and row["Statuskod"] == values["status"]
            assert row["Status"] == (statuses[values["status"]] if values["status"] else None)
            assert row["Beskrivning"] == values["description"]


def test_per_question_counts_match_the_generated_answers(compiled, models):
    corpus, _, book, _ = compiled
    union = _union(models)
    rows = {r["Fråga-id"]: r for r in _rows(book["Per fråga"])}
    assert list(rows) == [q.id for q in union.questions]
    answers, statuses = _labels(models[0], "answer"), _labels(models[0], "question-status")
    for info in union.questions:
        given = [f.answers["questions"][info.id] for f in corpus.counted if info.id in f.answers["questions"]]
        expected = Counter(v["answer"] for v in given)
        row = rows[info.id]
        assert row["Formulär där frågan ställdes"] == len(given)
        assert row["ej ställd"] == len(corpus.counted) - len(given)
        for code, name in answers.items():
            assert row[name] == expected[code], (info.id, code)
            assert row[f"Andel {name}"] == (pytest.approx(expected[code] / len(given), abs=1e-4) if given else None)
        assert row["Obesvarad"] == expected[None]
        status_counts = Counter(v["status"] for v in given)
        for code, name in statuses.items():
            assert row[name] == status_counts[code]
        assert row["Ingen status"] == status_counts[None]
        conflicts = sum(1 for f in corpus.counted for p in f.answers["problems"]
                        if p["kind"] == "conflict" and p["field"] == f"{info.id}__answer")
        assert row["Varav motstridiga svar"] == conflicts
    assert rows[REMOVED]["ej ställd"] == sum(1 for f in corpus.counted if f.model is models[1]) == 4
    assert rows[ADDED]["ej ställd"] == sum(1 for f in corpus.counted if f.model is models[0]) == 6


def test_per_element_counts_match_the_generated_answers(compiled, models):
    corpus, _, book, _ = compiled
    union = _union(models)
    rows = {r["Element nr"]: r for r in _rows(book["Per element"])}
    statuses = _labels(models[0], "element-status")
    answers = _labels(models[0], "answer")
    for element in union.elements:
        row = rows[element.number]
        assert row["Element"] == element.title
        expected = Counter(f.answers["elements"][element.id]["status"] for f in corpus.counted)
        assert row["Formulär"] == len(corpus.counted)
        for code, name in statuses.items():
            assert row[name] == expected[code]
            assert row[f"Andel {name}"] == pytest.approx(expected[code] / len(corpus.counted), abs=1e-4)
        assert row["Ingen status"] == expected[None]
        given = Counter(v["answer"] for f in corpus.counted for qid, v in f.answers["questions"].items()
                        if union.by_id[qid].element_id == element.id)
        for code, name in answers.items():
            assert row[f"Svar i elementet: {name}"] == given[code]
        assert row["Svar i elementet: Obesvarad"] == given[None]


def test_development_sheet_quotes_every_counted_form(compiled):
    corpus, _, book, _ = compiled
    rows = {r["Fil"]: r for r in _rows(book["Utvecklingsområden"])}
    assert set(rows) == {f.path.name for f in corpus.counted}
    for form in corpus.counted:
        row = rows[form.path.name]
        assessment = form.answers["assessment"]
        assert row["Förslag till utvecklingsområden för att förstärka det lovande arbetssättet"] == assessment["utvecklingsomraden"]
        assert row["Motivera er bedömning"] == assessment["motivering"]


def test_problem_sheet_names_every_failure_and_finding(compiled):
    corpus, _, book, _ = compiled
    rows = _rows(book["Problem"])
    kinds = Counter(r["Typ"] for r in rows)
    assert next(r for r in rows if r["Sökväg"] == str(corpus.broken))["Typ"] == "Filen kunde inte läsas"
    assert kinds["Dubblett"] == 1 and kinds["Tidigare revision"] == 2
    assert kinds["Datum saknas"] == 2  # both undated forms of Kommun B
    expected_conflicts = sum(1 for f in corpus.forms if f.kind != "duplicate"
                             for p in f.answers["problems"] if p["kind"] == "conflict")
    assert kinds["Motstridiga svar"] == expected_conflicts > 0
    conflict = next(r for r in rows if r["Typ"] == "Motstridiga svar")
    assert conflict["Fält"].startswith("Element ") and "stödfråga" in conflict["Fält"]


def test_long_table_csv_and_json(compiled):
    _, _, _, out = compiled
    with open(out / "svar.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    records = json.loads((out / "svar.json").read_text(encoding="utf-8"))
    assert len(rows) == len(records) == 10 * 51
    for row, record in zip(rows, records):
        assert row["question_id"] == record["question_id"]
        assert (row["answer"] or None) == record["answer"]
        assert row["asked"] == ("true" if record["asked"] else "false")
    not_asked = [r for r in records if not r["asked"]]
    assert len(not_asked) == 10 and {r["answer_label"] for r in not_asked} == {"ej ställd"}


def test_pdf_report_text(compiled, models):
    corpus, _, _, out = compiled
    text = pdftotext(out / "rapport.pdf")
    flat = " ".join(text.split())
    assert "Sammanställning av Lovande arbetssätt" in flat
    assert "10 enheter i 10 organisationer, sammanställda 2026-11-23" in flat
    assert ("10 formulär, ett per enhet. 1 dubblett, 2 tidigare revisioner och 0 tomma blanketter räknas inte; "
            "1 fil kunde inte läsas") in flat
    assert "arbetsboken sammanstallning.xlsx" in flat
    for element in _union(models).elements:
        assert f"Element {element.number}. {element.title}" in flat
    assert "Markör tidig revision" not in flat  # a superseded form is never quoted
    assert "Kommun A – Samtalsgrupp för unga" not in flat  # the unit label is as the latest form wrote it
    assert "kommun a – samtalsgrupp för UNGA" in flat  # in the units × elements table
    for heading in ("Om sammanställningen", "Samlad bedömning", "Elementens status", "Resultat per element",
                    "Enheternas sammanfattande beskrivningar", "Utvecklingsområden", "Jämförelse mellan enheter",
                    "Kommuner och län", "Per län", "Per kommun"):
        assert heading in flat
    # quotes are a sample: at most the layout's number per element, and the report says so
    assert "Urval: 3 av" in flat
    for form in corpus.counted:  # ten development areas are quoted, all there are here
        if form.answers["assessment"]["utvecklingsomraden"]:
            first_line = form.answers["assessment"]["utvecklingsomraden"].split("\n")[0]
            assert " ".join(first_line.split()) in flat


def test_docx_report_from_the_same_data_with_every_quote(tmp_path, compiled, registry):
    import docx

    corpus, _, _, out = compiled
    target = tmp_path / "rapport.docx"
    result = compile_forms([corpus.folder / "inkommet"], tmp_path / "s.xlsx", report=target, jobs=1,
                           cache_dir=corpus.folder / "cache", reader=synthetic_reader, registry=registry, today=TODAY,
                           quotes="all")
    assert result.cached == len(corpus.forms) + 1  # everything from the first run's cache
    document = docx.Document(str(target))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    flat = " ".join(" ".join(texts).split())
    pdf = " ".join(pdftotext(out / "rapport.pdf").split())
    for needle in ("Sammanställning av Lovande arbetssätt", "10 enheter i 10 organisationer, sammanställda 2026-11-23",
                   "Element 11. Analys och förbättring", "Elementens status", "Kommuner och län"):
        assert needle in flat and needle in pdf
    assert "Markör senaste revision" in flat and "Markör tidig revision" not in flat
    for form in corpus.counted:  # every summary is quoted
        for values in form.answers["elements"].values():
            if values.get("summary"):
                assert " ".join(values["summary"].split("\n")[0].split()) in flat
    # charts: overall, element status, one per element, frequent words; each describes its figures
    shapes = document.inline_shapes
    assert len(shapes) == 1 + 1 + 11 + 1
    descriptions = [s._inline.docPr.get("descr") for s in shapes]
    assert all(d and d.startswith("Stapeldiagram: ") for d in descriptions)
    # the numbers of element 1's chart, in its alt text and in the table under it
    union_first = _union([m for m in (corpus.forms[0].model,)]).questions[0]
    given = Counter(f.answers["questions"][union_first.id]["answer"] for f in corpus.counted)
    counts = [given["ja"], given["nej"], given["ej_relevant"], given[None], 0]
    assert (f"1: Ja {counts[0]}, Nej {counts[1]}, Ej relevant {counts[2]}, Obesvarad {counts[3]}, ej ställd 0"
            in descriptions[2])
    row = next(r for t in document.tables for r in t.rows if r.cells[0].text.startswith("1. " + union_first.text[:20]))
    assert [c.text for c in row.cells[1:]] == [str(n) for n in counts]


def test_reports_are_reproducible(tmp_path, compiled, registry):
    corpus, _, _, out = compiled
    for name in ("a.docx", "b.docx", "a.pdf", "b.pdf"):
        compile_forms([corpus.folder / "inkommet"], tmp_path / "s.xlsx", report=tmp_path / name, jobs=1,
                      cache_dir=corpus.folder / "cache", reader=synthetic_reader, registry=registry, today=TODAY)
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_cache_reads_only_new_files_and_is_invalidated_by_the_models(tmp_path, models, registry):
    _make_corpus(tmp_path, models)
    cache = tmp_path / "cache"
    inputs = [tmp_path / "inkommet"]
    first = compile_forms(inputs, tmp_path / "a.xlsx", cache_dir=cache, reader=synthetic_reader, registry=registry,
                          jobs=1)
    assert first.cached == 1  # only the duplicate: its bytes were stored under their hash moments before
    new = generate_answers(models[1], random.Random(99), organisation="Kommun Ny", practice="Ny", date="2026-10-01")
    write_synthetic(tmp_path / "inkommet/ny.pdf", new)
    second = compile_forms(inputs, tmp_path / "b.xlsx", cache_dir=cache, reader=synthetic_reader, registry=registry)
    assert second.files == first.files + 1 and second.cached == first.files
    assert second.counted == first.counted + 1
    other = Registry((models[0],), models[0])  # another set of known versions: a new cache key
    third = compile_forms(inputs, tmp_path / "c.xlsx", cache_dir=cache, reader=synthetic_reader, registry=other,
                          jobs=1)
    assert third.cached == 1  # again only the duplicate
    a = [list(r) for r in openpyxl.load_workbook(tmp_path / "a.xlsx")["Per fråga"].iter_rows(values_only=True)]
    b = [list(r) for r in openpyxl.load_workbook(tmp_path / "b.xlsx")["Per fråga"].iter_rows(values_only=True)]
    assert a != b and len(a) == len(b)


def test_parallel_and_serial_runs_agree(tmp_path, models, registry):
    _make_corpus(tmp_path, models)
    sheets = []
    for jobs in (1, 2):
        target = tmp_path / f"s{jobs}.xlsx"
        compile_forms([tmp_path / "inkommet"], target, jobs=jobs, use_cache=False, reader=synthetic_reader,
                      registry=registry)
        book = openpyxl.load_workbook(target)
        sheets.append({s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book})
    assert sheets[0] == sheets[1]
    assert not list(tmp_path.glob(".lovande-cache"))  # --no-cache leaves nothing behind


def test_cli_lists_failures_and_ends_with_the_counts(tmp_path):
    folder = tmp_path / "inkommet"
    folder.mkdir()
    (folder / "trasig.docx").write_bytes(b"PK\x03\x04 truncated")
    runner = CliRunner()
    result = runner.invoke(main, ["compile", str(folder), str(tmp_path / "saknas"), "-o", str(tmp_path / "s.xlsx"),
                                  "--no-cache"])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1] == "0 of 2 file(s) read, 2 failed; 0 form(s) counted"
    assert "Reading forms" not in result.output  # no progress bar when standard error is not a terminal
    assert any(line.startswith(str(folder / "trasig.docx") + ": ") for line in lines)
    assert any(line == f"{tmp_path / 'saknas'}: no such file or folder" for line in lines)
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert book.sheetnames == SHEETS
    assert len(_rows(book["Problem"])) == 2
    bad = runner.invoke(main, ["compile", str(folder), "-o", str(tmp_path / "s.xlsx"), "--report", "r.txt"])
    assert bad.exit_code == 2 and "must be a .docx or a .pdf" in bad.output


def test_real_filled_forms_end_to_end(tmp_path, built_pdf, built_docx, model):
    """The real path: the built guides filled by the real fillers, read by the real readers."""
    from lovande_docs.fill import FILLERS, field_values

    rng = random.Random(5)
    folder = tmp_path / "inkommet"
    folder.mkdir()
    forms = []
    for index in range(4):
        answers = generate_answers(model, rng, organisation=f"Kommun {index}", practice="Boendestöd",
                                   date=f"2026-1{index % 3}-01")
        fmt, built = ("docx", built_docx) if index % 2 else ("pdf", built_pdf)
        FILLERS[fmt](built, field_values(answers, model), folder / f"enhet-{index}.{fmt}", model)
        forms.append(answers)
    shutil.copyfile(folder / "enhet-0.pdf", folder / "enhet-0-kopia.pdf")
    (folder / "trasig.pdf").write_bytes(b"%PDF-1.7\n")
    result = compile_forms([folder], tmp_path / "s.xlsx", report=tmp_path / "r.pdf", cache_dir=tmp_path / "cache")
    assert (result.read, result.failed, result.duplicates, result.counted) == (5, 1, 1, 4)
    rows = {r["Fråga-id"]: r for r in _rows(openpyxl.load_workbook(tmp_path / "s.xlsx")["Per fråga"])}
    answers = _labels(model, "answer")
    for numbered in model.numbered_questions():
        given = Counter(f["questions"][numbered.question.id]["answer"] for f in forms)
        for code, name in answers.items():
            assert rows[numbered.question.id][name] == given[code]
    assert "Sammanställning av Lovande arbetssätt" in " ".join(pdftotext(tmp_path / "r.pdf").split())
