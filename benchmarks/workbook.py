"""Benchmark of the workbook writer (issue #14.4): XlsxWriter (constant memory) against the writer
it replaced (openpyxl write-only + SpreadsheetML spliced by fastsheet), in the same run.

    python benchmarks/workbook.py                    # 1,000 and 5,000 forms
    python benchmarks/workbook.py --forms 1000,2000

The old writer is taken from git history (commit OLD_COMMIT: compile/workbook.py and
compile/fastsheet.py) into a temporary folder, so this needs a git checkout. Both writers get the
same calls, form by form, as compile/run.py makes them (Översikt, Svar, Utvecklingsområden, the
summaries; answers generated on the fly, not kept). Each writer × size runs in a fresh child
process: the time of the writing (wall clock, and CPU time, the fairer figure on a busy machine)
and the peak resident memory above the process's memory before it started writing (getrusage).
The answers' generation is not counted. The first run (1,000 forms) includes startup costs. Nothing is asserted: the figures are for people.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))  # corpus.py: generated answers
OLD_COMMIT = "27e747c"  # the last commit with the openpyxl + fastsheet writer
ORGANISATIONS = ("{} kommun, Socialtjänsten", "Socialförvaltningen i {}", "{}s stad, Vård och omsorg",
                 "Individ- och familjeomsorgen, {} kommun")


def _old_writer(folder: Path):
    """The replaced writer, loaded from git history as a module of its own."""
    import importlib

    for name in ("workbook", "fastsheet"):
        source = subprocess.run(["git", "-C", str(ROOT), "show", f"{OLD_COMMIT}:lovande_docs/compile/{name}.py"],
                                check=True, capture_output=True, text=True).stdout
        source = source.replace("from lovande_docs.compile.fastsheet import", "from old_fastsheet import")
        (folder / f"old_{name}.py").write_text(source, encoding="utf-8")
    sys.path.insert(0, str(folder))
    return importlib.import_module("old_workbook").SummaryWorkbook


def run_one(writer: str, forms: int, target: Path) -> dict:
    import random

    from lovande_docs.compile.catalog import Catalog
    from lovande_docs.compile.municipality import municipalities
    from lovande_docs.compile.record import FormRecord, describe
    from corpus import generate_answers
    from lovande_docs.compile.tally import OptionLabels, Tally
    from lovande_docs.layout import load_layout
    from lovande_docs.model import load_model
    from lovande_docs.paths import DEFAULT_CONTENT

    model = load_model(DEFAULT_CONTENT)
    layout = load_layout()
    catalog = Catalog([model])
    options = OptionLabels.of(model)
    labels = {"development": "Förslag till utvecklingsområden", "motivation": "Motivera er bedömning"}
    if writer == "old":
        book_class = _old_writer(Path(tempfile.mkdtemp(prefix="old-writer-")))
    else:
        from lovande_docs.compile.workbook import SummaryWorkbook as book_class
    places = municipalities()

    def answers_of(index: int):
        rng = random.Random(index)
        organisation = ORGANISATIONS[index % 4].format(places[index % len(places)].name)
        answers = generate_answers(model, rng, organisation=organisation, practice=f"Arbetssätt {index}",
                                   date=f"2026-{1 + index % 12:02d}-15", conflicts=index % 3)
        record = describe(FormRecord(f"in/enhet-{index}.docx", f"enhet-{index}.docx", 1000, 0.0, f"{index:064x}"),
                          answers)
        return record, answers

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu_start = time.perf_counter(), time.process_time()
    book = book_class(target, catalog, options, labels, layout)
    records = []
    for index in range(forms):
        record, _ = answers_of(index)
        records.append(record)
        book.overview_row(record, True, "", 0, "")
    tally = Tally(catalog)
    generating = cpu_generating = 0.0
    for index, record in enumerate(records):
        mark, cpu_mark = time.perf_counter(), time.process_time()
        _, answers = answers_of(index)
        generating += time.perf_counter() - mark
        cpu_generating += time.process_time() - cpu_mark
        asked, _ = tally.add(answers)
        book.answer_rows(record, answers, asked)
        book.development_row(record, answers)
    book.summary_rows(tally)
    book.save()
    seconds = time.perf_counter() - start - generating
    cpu = time.process_time() - cpu_start - cpu_generating
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"writer": writer, "forms": forms, "seconds": round(seconds, 2), "cpu": round(cpu, 2), "peak_mb": round(peak / 1024),
            "growth_mb": round((peak - before) / 1024), "size_mb": round(target.stat().st_size / 1e6, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--forms", default="1000,5000")
    parser.add_argument("--child", nargs=3, metavar=("WRITER", "FORMS", "TARGET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        writer, forms, target = args.child
        print(json.dumps(run_one(writer, int(forms), Path(target))))
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-workbook-") as work:
        for forms in (int(n) for n in args.forms.split(",")):
            for writer in ("old", "new"):
                out = subprocess.run([sys.executable, __file__, "--child", writer, str(forms),
                                      str(Path(work) / f"{writer}-{forms}.xlsx")],
                                     check=True, capture_output=True, text=True).stdout
                results.append(json.loads(out.strip().splitlines()[-1]))
                print(results[-1], flush=True)
    print("\nforms  writer  seconds  CPU s  peak MB  growth MB  file MB")
    for r in results:
        print(f"{r['forms']:>5}  {r['writer']:<6}  {r['seconds']:>7}  {r['cpu']:>5}  {r['peak_mb']:>7}  {r['growth_mb']:>9}"
              f"  {r['size_mb']:>7}")
    by = {(r["writer"], r["forms"]): r for r in results}
    for forms in sorted({r["forms"] for r in results}):
        old, new = by[("old", forms)], by[("new", forms)]
        print(f"{forms} forms: new/old time {new['seconds'] / old['seconds']:.2f} (CPU {new['cpu'] / old['cpu']:.2f}), "
              f"memory growth new {new['growth_mb']} MB vs old {old['growth_mb']} MB")


if __name__ == "__main__":
    main()
