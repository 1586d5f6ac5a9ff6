"""``lovande compile``: files and folders of filled forms → workbook, long table and report.

Two passes keep memory flat: the first reads every file (in parallel, through the answers store)
into a small record; dedupe decides which forms count; the second streams the counted forms'
answers back from the store into the workbook, the long table, the tally and the report.
"""
from __future__ import annotations

import datetime as dt
import gc
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lovande_docs import markup
from lovande_docs.compile.cache import DEFAULT_DIR_NAME, AnswerStore, cache_salt, remove_stale
from lovande_docs.compile.catalog import Catalog, ref
from lovande_docs.compile.collect import Reader, collect, default_reader
from lovande_docs.compile.fileindex import FileIndex
from lovande_docs.compile.dedupe import BLANK, DUPLICATE, FAILED, LATEST, SUPERSEDED, Decision, decide
from lovande_docs.compile.inputs import expand_inputs
from lovande_docs.compile.labels import label
from lovande_docs.compile.longtable import LongTableWriter
from lovande_docs.compile.output import atomic_outputs, check_distinct
from lovande_docs.compile.problem_text import ProblemTexts, problem_kind, swedish_read_error
from lovande_docs.compile.record import DEVELOPMENT_KEY, MOTIVATION_KEY, FormRecord
from lovande_docs.compile.report import ReportCollector
from lovande_docs.compile.reportmeta import ReportMeta
from lovande_docs.compile.snapshot import FOLDER as SNAPSHOTS
from lovande_docs.compile.snapshot import Snapshot, find_previous, save_snapshot, snapshot_path
from lovande_docs.compile.tally import OptionLabels, Tally
from lovande_docs.compile.workbook import SummaryWorkbook
from lovande_docs.filenames import shown
from lovande_docs.layout import Layout, load_layout
from lovande_docs.model import Model
from lovande_docs.readers.safety import read_file

REPORT_SUFFIXES = (".docx", ".pdf")


@dataclass
class CompileResult:
    files: int = 0  # files found (and named inputs that do not exist)
    read: int = 0
    failed: int = 0
    cached: int = 0
    counted: int = 0
    duplicates: int = 0
    superseded: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    outputs: list[Path] = field(default_factory=list)


def _field_label(model: Model, key: str, fallback: str) -> str:
    spec = next((f for f in model.summary.assessment.fields if f.key == key), None)
    return markup.plain(spec.label).rstrip(":") if spec else fallback


def _note(record: FormRecord, decision: Decision, records: list[FormRecord]) -> str:
    if decision.kind == FAILED:
        return label("values.failed", message=swedish_read_error(record.error))
    if decision.kind == DUPLICATE:
        return label("values.duplicate", file=records[decision.other].shown_path)
    if decision.kind == SUPERSEDED:
        latest = records[decision.other]
        return label("values.superseded", file=latest.shown_path, date=latest.date or "–")
    if decision.kind == LATEST:
        return label("values.latest_of", count=decision.group_size)
    if decision.kind == BLANK:
        return label("values.blank")
    return ""


def _compact(record: FormRecord, known: dict[str, Model]) -> FormRecord:
    """Keep a record small: question ids only for versions the registry does not know, and ids
    shared between records instead of one copy each."""
    if record.read_with in known:
        record.asked = ()
    else:
        record.asked = tuple(sys.intern(q) for q in record.asked)
    record.element_status = {sys.intern(k): (sys.intern(v) if v else v) for k, v in record.element_status.items()}
    if record.read_with:
        record.read_with = sys.intern(record.read_with)
    return record


def _progress(items, length: int, show: bool):
    if not show:
        return items, None
    import click

    bar = click.progressbar(items, length=length, label="Reading forms", file=sys.stderr)
    return bar, bar


def compile_forms(inputs: Iterable[str | Path], output: Path, *, report: Path | None = None,
                  csv_path: Path | None = None, json_path: Path | None = None, jobs: int | None = None,
                  cache_dir: Path | None = None, use_cache: bool = True, reader: Reader = default_reader,
                  registry: Any = None, layout: Layout | None = None, progress: bool = False,
                  today: dt.date | None = None, quotes: int | str | None = None,
                  report_meta: ReportMeta | None = None, previous: Snapshot | None = None) -> CompileResult:
    """Read ``inputs`` and write the workbook (and the optional outputs); every output appears only
    when all are complete (see output.py). ``quotes``: the report's quotes, see ReportCollector.
    The report states what changed since ``previous``, or else since the last earlier compile of
    mostly the same units (its figures are kept in the cache, snapshot.py)."""
    output = Path(output)
    if report is not None and Path(report).suffix.lower() not in REPORT_SUFFIXES:
        raise ValueError(f"{report}: the report must be a .docx or a .pdf file")
    if registry is None:
        from lovande_docs.readers.registry import load_registry

        registry = load_registry()
    layout = layout or load_layout()
    files, missing = expand_inputs(inputs)
    check_distinct(files, {"the workbook": output, "the report": report, "the CSV file": csv_path,
                           "the JSON file": json_path})  # before anything is read
    result = CompileResult(files=len(files) + len(missing))
    salt = cache_salt(reader, (m.content_hash for m in registry.models))

    with atomic_outputs() as staged, ExitStack() as stack:
        for target in (output, csv_path, json_path, report):
            staged.path(target)  # each output created now: one that cannot be written fails before reading
        if use_cache:
            root = Path(cache_dir) if cache_dir else output.parent / DEFAULT_DIR_NAME
        else:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lovande-compile-")))
        store = AnswerStore(root, salt)
        snapshot_file = snapshot_path(root, Path(report)) if report and use_cache else None
        index = FileIndex(store.folder) if use_cache else None

        # pass 1: read (or take from the store) every file into a small record
        known = {ref(m): m for m in registry.models}
        records: list[FormRecord] = []
        stream, bar = _progress(collect(files, reader, store, jobs, index), len(files), progress)
        with (bar if bar is not None else ExitStack()):
            for record in stream:
                records.append(_compact(record, known))
                if index is not None:
                    index.remember(records[-1])
        if index is not None:
            index.save()
            remove_stale(root, salt)
        decisions = decide(records)

        # which questions and elements exist, across the model versions the forms were read with
        readable = [r for r in records if r.ok]
        versions = {r.read_with for r in readable}
        models = [known[v] for v in versions if v in known] or ([] if readable else [registry.default])
        unknown = {r.read_with: r.asked for r in readable if r.read_with not in known}
        catalog = Catalog(models, unknown.values())
        latest = catalog.latest() or registry.default
        options = OptionLabels.of(latest)
        field_labels = {"development": _field_label(latest, DEVELOPMENT_KEY, "Utvecklingsområden"),
                        "motivation": _field_label(latest, MOTIVATION_KEY, "Motivering")}
        texts = ProblemTexts(catalog)
        book = SummaryWorkbook(staged.path(output), catalog, options, field_labels, layout, today)
        counted = [record for record, decision in zip(records, decisions) if decision.counted]

        def answers_of(record: FormRecord) -> dict[str, Any]:
            entry = store.load(record.sha256)
            if entry and "answers" in entry:
                return entry["answers"]
            return reader(Path(record.path), *read_file(Path(record.path)))

        def answer_rows() -> Iterator[tuple[FormRecord, dict[str, Any], frozenset[str]]]:
            asked_of = Tally(catalog).asked_sets
            for record in counted:
                answers = answers_of(record)
                yield record, answers, asked_of((answers.get("model") or {}).get("read_with"), answers)[0]

        # the Svar sheet (the workbook's largest) is written by a forked child meanwhile, when every
        # counted form's answers are in the store (so both processes read the very same answers);
        # else below, with the answers read for the rest
        aside = (book.answer_rows_aside(answer_rows) if all(store.path_for(r.sha256).exists() for r in counted)
                 else None)
        if aside is not None:
            stack.callback(aside.job.close)  # a run that stops half way stops the child too

        for record, decision in zip(records, decisions):
            problem_text = "; ".join(dict.fromkeys(problem_kind(kind) for kind, *_ in record.problems))
            not_asked = (len(catalog.questions) - len(catalog.asked(record.read_with, record.asked)
                                                         & catalog.by_id.keys())) if record.ok else None
            book.overview_row(record, decision.counted, _note(record, decision, records), not_asked, problem_text)
        for path in missing:
            result.failures.append((shown(path), "no such file or folder"))
            book.problem_row(shown(path.name), shown(path), problem_kind("missing_input"), None,
                             label("problem_messages.missing_input"))
        for record, decision in zip(records, decisions):
            if not record.ok:
                result.failures.append((record.shown_path, record.error))
                book.problem_row(record.file, record.shown_path, problem_kind("read_error"), None,
                                 swedish_read_error(record.error))  # the English reason goes to stderr
                continue
            for kind, values in decision.problems:
                book.problem_row(record.file, record.shown_path, problem_kind(kind), None,
                                 label(f"problem_messages.{kind}", **values))
            if decision.kind in (DUPLICATE, BLANK):
                continue  # a duplicate's findings are listed under the file it duplicates
            book.place_problem(record)
            for kind, name, _, values in record.problems:  # the English message is lovande parse's
                book.problem_row(record.file, record.shown_path, problem_kind(kind), texts.title(record.read_with, name),
                                 texts.message(kind, name, values, record.model_named, record.read_with))

        # pass 2: the counted forms' answers, streamed from the store
        tally = Tally(catalog)
        collector = ReportCollector(catalog, layout, quotes, latest) if report else None
        table = LongTableWriter(catalog, options, staged.path(csv_path), staged.path(json_path), label("values.not_asked"),
                                label("values.unanswered"))
        try:
            for record in counted:
                answers = answers_of(record)
                asked, _ = tally.add(answers)
                if aside is None:
                    book.answer_rows(record, answers, asked)
                book.unit_row(record, answers, asked)
                book.development_row(record, answers)
                table.add(record, answers, asked)
                if collector:
                    collector.add(record, answers)
        finally:
            table.close()
        if aside is not None:
            book.finish_answer_rows(aside)
        book.summary_rows(tally)
        book.save()
        del book, table  # the workbook's buffers are free before the report draws (peak memory)
        duplicates = sum(1 for d in decisions if d.kind == DUPLICATE)
        if report and collector:
            gc.collect()
            report_date = (report_meta.date if report_meta else None) or today or dt.date.today()
            if previous is None and snapshot_file is not None:
                previous = find_previous(root / SNAPSHOTS, report_date.isoformat(), collector.unit_keys)
            data = collector.finish(tally, options, layout, duplicates,
                                    sum(1 for d in decisions if d.kind == SUPERSEDED), len(result.failures), report_date,
                                    shown(output.name), sum(1 for d in decisions if d.kind == BLANK), report_meta, previous)
            write_report(data, layout, staged.path(Path(report)))
        # leaving the block renames every output into place (or, on an error, removes them all)

    if report and collector and snapshot_file is not None and data.snapshot is not None:
        try:  # for the next compile's "since the last compile"; losing it loses only that sentence
            save_snapshot(snapshot_file, data.snapshot)
        except OSError:
            pass

    result.read = sum(1 for r in records if r.ok)
    result.failed = len(result.failures)
    result.cached = sum(1 for r in records if r.cached)
    result.counted = sum(1 for d in decisions if d.counted)
    result.duplicates = sum(1 for d in decisions if d.kind == DUPLICATE)
    result.superseded = sum(1 for d in decisions if d.kind == SUPERSEDED)
    result.outputs.append(output)
    result.outputs += [Path(p) for p in (csv_path, json_path, report) if p]
    return result


def write_report(data, layout: Layout, target: Path) -> None:
    """The report as .pdf or .docx by the target's suffix (the writers, and matplotlib, are
    imported only here, so a compile without a report never loads them)."""
    from lovande_docs.compile.style import ReportStyle

    style = ReportStyle.of(layout)
    if target.suffix.lower() == ".pdf":
        from lovande_docs.compile.report_pdf import write_report_pdf

        write_report_pdf(data, style, target)
    else:
        from lovande_docs.compile.report_docx import write_report_docx

        write_report_docx(data, style, target)
