"""Benchmark of the compile report (issues #14, #15): time, pages and peak memory of the .pdf and
.docx report at two sizes, measured in the same run so the ratio is what counts.

    python benchmarks/report.py                      # 1,000 and 5,000 forms
    python benchmarks/report.py --sizes 200,1000 --keep out/   # keep the reports to look at
    python benchmarks/report.py --writer-only        # the writers alone, with and without --quotes all

Stand-in files (JSON answers read by lovande_docs.compile.synthetic.synthetic_reader) from units
named after real municipalities, so the per-municipality and per-county parts are filled. Each
compile runs in a fresh child process: its peak resident memory (getrusage) is its own. The cache is
warmed first, so the figures are the workbook and the report, not reading. Figures:
- default report (a sample of quotes): pages and time should not grow with the forms;
- ``--quotes all`` Word report: every quote, so its length grows with the forms; its time should
  grow in proportion to its length (the ratio of seconds to the ratio of pages), not faster.
Nothing is asserted: the numbers are for people to read.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(1, str(Path(__file__).resolve().parents[1] / "tests"))  # corpus.py: generated answers


def make_corpus(folder: Path, count: int) -> Path:
    from lovande_docs.compile.municipality import municipalities
    from corpus import generate_answers, write_synthetic
    from lovande_docs.model import load_model
    from lovande_docs.paths import DEFAULT_CONTENT

    marker = folder / f".complete-{count}"
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    model = load_model(DEFAULT_CONTENT)
    places = municipalities()
    rng = random.Random(14)
    for index in range(count):
        place = places[(index * 7) % len(places)]
        organisation = f"{place.name} kommun, Socialförvaltningen" if index % 23 else "Regionalt FoU-nätverk"
        answers = generate_answers(model, rng, organisation=organisation, practice=f"Arbetssätt {index}",
                                   date=f"2026-{1 + index % 12:02d}-{1 + index % 28:02d}")
        for values in answers["elements"].values():
            if rng.random() < 0.7:
                values["summary"] = " ".join(["Vi arbetar strukturerat med uppföljning och dokumentation."]
                                             * rng.randint(1, 4))
        write_synthetic(folder / f"form-{index:05d}.docx", answers)
    marker.touch()
    return folder


def writer_child(spec: dict) -> dict:
    """Only the report: answers generated in memory into the tally and the collector (no files, no
    workbook), then the writer timed on its own."""
    from lovande_docs.compile.catalog import Catalog
    from lovande_docs.compile.municipality import municipalities
    from lovande_docs.compile.record import FormRecord, describe
    from lovande_docs.compile.report import ReportCollector
    from lovande_docs.compile.run import write_report
    from corpus import generate_answers
    from lovande_docs.compile.tally import OptionLabels, Tally
    from lovande_docs.layout import load_layout
    from lovande_docs.model import load_model
    from lovande_docs.paths import DEFAULT_CONTENT

    model, layout = load_model(DEFAULT_CONTENT), load_layout()
    catalog = Catalog([model])
    tally, collector = Tally(catalog), ReportCollector(catalog, layout, spec.get("quotes"), model)
    places, rng = municipalities(), random.Random(14)
    for index in range(spec["forms"]):
        place = places[(index * 7) % len(places)]
        answers = generate_answers(model, rng, organisation=f"{place.name} kommun", practice=f"Arbetssätt {index}",
                                   date="2026-05-01")
        for values in answers["elements"].values():
            values["summary"] = "Vi arbetar strukturerat med uppföljning och dokumentation. " * rng.randint(1, 4)
        record = describe(FormRecord(f"form-{index}.docx", f"form-{index}.docx", 1, 0.0, f"{index:064x}"), answers)
        tally.add(answers)
        collector.add(record, answers)
    data = collector.finish(tally, OptionLabels.of(model), layout, 0, 0, 0, None, "s.xlsx")
    started = time.perf_counter()
    write_report(data, layout, Path(spec["report"]))
    return {"seconds": time.perf_counter() - started,
            "main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def child(spec: dict) -> dict:
    if spec.get("writer"):
        return writer_child(spec)
    from lovande_docs.compile import compile_forms
    from corpus import synthetic_reader

    started = time.perf_counter()
    compile_forms([spec["inputs"]], Path(spec["output"]), cache_dir=Path(spec["cache"]),
                  report=Path(spec["report"]) if spec.get("report") else None, reader=synthetic_reader,
                  quotes=spec.get("quotes"))
    return {"seconds": time.perf_counter() - started,
            "main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure(spec: dict) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)], check=True,
                            capture_output=True, text=True)
    figures = json.loads(output.stdout.strip().splitlines()[-1])
    if spec.get("report"):
        report = Path(spec["report"])
        figures["pages"] = pages(report) if spec.get("quotes") != "all" or report.suffix == ".pdf" else None
        if report.suffix == ".docx":
            figures["paragraphs"] = paragraphs(report)
    return figures


def paragraphs(report: Path) -> int:
    """The Word report's length in paragraphs (w:p elements), a page count without a layout engine."""
    import zipfile

    with zipfile.ZipFile(report) as package:
        return package.read("word/document.xml").count(b"<w:p>") + package.read("word/document.xml").count(b"<w:p ")


def pages(report: Path) -> int | None:
    if report.suffix == ".pdf":
        info = subprocess.run(["pdfinfo", str(report)], capture_output=True, text=True).stdout
        return next((int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:")), None)
    out = report.parent / "docx-pdf"
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(report)],
                   capture_output=True, timeout=900)
    converted = out / (report.stem + ".pdf")
    return pages(converted) if converted.exists() else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="copy the reports here")
    parser.add_argument("--child")
    parser.add_argument("--writer-only", action="store_true",
                        help="time the report writers alone (answers generated in memory, no workbook)")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="lovande-report-bench-"))
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.writer_only:
        writers(work, sizes)
        return
    pool = make_corpus(work / "pool", max(sizes))
    results = {}
    for size in sizes:
        inputs = work / f"in-{size}"
        if not inputs.exists():
            inputs.mkdir()
            for path in sorted(pool.glob("form-*.docx"))[:size]:
                (inputs / path.name).symlink_to(path)
        base = {"inputs": str(inputs), "cache": str(work / "cache"), "output": str(work / f"s-{size}.xlsx")}
        measure(base)  # warm the cache
        results[size] = {"none": measure(base)}
        for name, extra in (("pdf", {"report": str(work / f"r-{size}.pdf")}),
                            ("docx", {"report": str(work / f"r-{size}.docx")}),
                            ("docx-all", {"report": str(work / f"r-all-{size}.docx"), "quotes": "all"})):
            results[size][name] = measure({**base, **extra})
            figures = results[size][name]
            report_seconds = figures["seconds"] - results[size]["none"]["seconds"]
            print(f"{size:6d} forms  {name:9s} {figures['seconds']:7.2f} s (report {report_seconds:6.2f} s)  "
                  f"{figures.get('pages')} pages {figures.get('paragraphs', '')} paragraphs  "
                  f"main {figures['main_mb']:5.0f} MB", flush=True)
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(extra["report"], args.keep)
        print(f"{size:6d} forms  no report {results[size]['none']['seconds']:7.2f} s  "
              f"main {results[size]['none']['main_mb']:5.0f} MB", flush=True)
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        for name in ("pdf", "docx", "docx-all"):
            a, b = results[small][name], results[large][name]
            ta = a["seconds"] - results[small]["none"]["seconds"]
            tb = b["seconds"] - results[large]["none"]["seconds"]
            page_ratio = (b["pages"] / a["pages"]) if a.get("pages") and b.get("pages") else float("nan")
            length = (f", paragraphs ×{b['paragraphs'] / a['paragraphs']:.2f}" if a.get("paragraphs") else "")
            print(f"{name:9s} {large}/{small} forms: report time ×{tb / ta:.2f}, pages ×{page_ratio:.2f}{length}, "
                  f"memory ×{b['main_mb'] / a['main_mb']:.2f}")


def writers(work: Path, sizes: list[int]) -> None:
    """The writers alone, each size and kind in its own child process."""
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {}
    for size in sizes:
        for name, report, quotes in (("pdf", "r.pdf", None), ("docx", "r.docx", None),
                                     ("pdf-all", "r-all.pdf", "all"), ("docx-all", "r-all.docx", "all")):
            target = work / f"{size}-{report}"
            figures = measure({"writer": True, "forms": size, "report": str(target), "quotes": quotes})
            if target.suffix == ".docx":
                figures["paragraphs"] = paragraphs(target)
            results[(size, name)] = figures
            print(f"{size:6d} forms  {name:9s} write {figures['seconds']:7.2f} s  {figures.get('pages')} pages  "
                  f"{figures.get('paragraphs', '')} paragraphs  main {figures['main_mb']:5.0f} MB", flush=True)
    small, large = sizes[0], sizes[-1]
    for name in ("pdf", "docx", "pdf-all", "docx-all"):
        a, b = results[(small, name)], results[(large, name)]
        length = (f"pages ×{b['pages'] / a['pages']:.2f}" if a.get("pages") and b.get("pages")
                  else f"paragraphs ×{b['paragraphs'] / a['paragraphs']:.2f}")
        print(f"{name:9s} {large}/{small} forms: write time ×{b['seconds'] / a['seconds']:.2f}, {length}, "
              f"memory ×{b['main_mb'] / a['main_mb']:.2f}")


if __name__ == "__main__":
    main()
