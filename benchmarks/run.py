"""Benchmarks: `python benchmarks/run.py` prints the figures the issues name, beside reference tools.

- Build (issues #3, #4): the .docx and the PDF built from the model, next to the time LibreOffice
  needs merely to convert the built .docx to PDF, measured in the same run.
- Parse (issues #5, #14): reading one filled form, .docx and .pdf, next to floors measured in the
  same run: a raw lxml walk over the whole word/document.xml (a reference: the reader parses only
  the content controls, readers/docx_spans.py); for PDF, per form, the reader beside the old
  reader (git revision --baseline) and a qpdf-level floor (a pikepdf walk of every field and
  widget), with the ratio; `qpdf --json` and `pdftk dump_data_fields_utf8` (per file, process
  start included) as references, and a batch of PDFs.

With ``--all`` the other benchmarks follow, each in its own process: compile.py (1,000 forms cold
and warm beside the old code, #14), report.py (the report at 1,000 and 5,000 forms, #14, #15) and
workbook.py (the workbook writer beside the one it replaced, #15) and web.py (the web edition's size and
time to an interactive form in Chromium beside the PDF's size and pdf.js's first page, #23).

Nothing here is asserted: the numbers are for people to read.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lovande_docs.layout import load_layout  # noqa: E402
from lovande_docs.model import load_model  # noqa: E402
from lovande_docs.paths import DEFAULT_CONTENT  # noqa: E402
from lovande_docs.render import renderer  # noqa: E402


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def row(name: str, times: list[float], note: str = "") -> str:
    return f"  {name:<44} best {min(times) * 1000:8.1f} ms   median {statistics.median(times) * 1000:8.1f} ms  {note}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10, help="runs per figure (default 10)")
    parser.add_argument("--lo-repeat", type=int, default=3, help="LibreOffice conversions (default 3)")
    parser.add_argument("--baseline", default="27e747c", help="git revision of the old PDF reader (default 27e747c)")
    parser.add_argument("--parse-only", action="store_true", help="only the parse figures (build once, untimed)")
    parser.add_argument("--all", action="store_true", help="then compile.py, report.py, workbook.py and web.py")
    args = parser.parse_args()
    try:
        run_this(args)
    finally:
        if args.all:
            for script in ("compile.py", "report.py", "workbook.py", "web.py"):
                print(f"\n$ python benchmarks/{script}", flush=True)
                subprocess.run([sys.executable, str(Path(__file__).with_name(script))], check=False)


def run_this(args) -> None:

    work = Path(tempfile.mkdtemp(prefix="lovande-bench-"))
    print(f"lovande-docs benchmarks ({args.repeat} runs each; Python {sys.version.split()[0]})")
    if args.parse_only:
        model, layout = load_model(DEFAULT_CONTENT), load_layout()
        docx, pdf = work / "lovande-arbetssatt.docx", work / "lovande-arbetssatt.pdf"
        renderer("docx")(model, layout, docx)
        renderer("pdf")(model, layout, pdf)
        parse_benchmarks(model, docx, pdf, work, args.repeat, args.baseline)
        shutil.rmtree(work, ignore_errors=True)
        return
    print("Build (issues #3 and #4)")
    load_times = timed(lambda: load_model(DEFAULT_CONTENT), args.repeat)
    print(row("load + validate the model", load_times))
    model, layout = load_model(DEFAULT_CONTENT), load_layout()
    docx, pdf = work / "lovande-arbetssatt.docx", work / "lovande-arbetssatt.pdf"
    docx_times = timed(lambda: renderer("docx")(model, layout, docx), args.repeat)
    print(row("build .docx", docx_times, "(target < 500 ms)"))
    pdf_times = timed(lambda: renderer("pdf")(model, layout, pdf), args.repeat)
    print(row("build .pdf", pdf_times, "(target < 1000 ms)"))
    both = [d + p for d, p in zip(docx_times, pdf_times)]
    print(row("both formats", both))
    build_beside_baseline(work, args.baseline, max(3, args.repeat // 2))

    soffice = shutil.which("soffice")
    if soffice:
        profile = work / "lo-profile"
        convert = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(work / "lo"), str(docx)]
        subprocess.run(convert, check=True, capture_output=True)  # warm the profile once
        lo_times = timed(lambda: subprocess.run(convert, check=True, capture_output=True), args.lo_repeat)
        print(row("reference: LibreOffice .docx → .pdf", lo_times))
        print(f"  both formats take {statistics.median(both) / statistics.median(lo_times) * 100:.0f} % "
              f"of LibreOffice's conversion time")
    else:
        print("  reference: LibreOffice not installed (soffice not found)")
    parse_benchmarks(model, docx, pdf, work, args.repeat, args.baseline)
    shutil.rmtree(work, ignore_errors=True)


def parse_benchmarks(model, docx: Path, pdf: Path, work: Path, repeat: int, baseline: str) -> None:
    import random
    import zipfile

    from lxml import etree

    from lovande_docs.fill import field_values
    from lovande_docs.fill.docx import fill_docx
    from lovande_docs.fill.pdf import fill_pdf
    from lovande_docs.readers import read_form
    from lovande_docs.readers.pdf import read_pdf
    from lovande_docs.readers.registry import load_registry

    answers = {"questions": {n.question.id: {"answer": "ja", "status": "klar", "description": "Beskrivning.\nRad två."}
                             for n in model.numbered_questions()}}
    filled_docx, filled_pdf = work / "ifylld.docx", work / "ifylld.pdf"
    fill_docx(docx, field_values(answers, model), filled_docx, model)
    fill_pdf(pdf, field_values(answers, model), filled_pdf, model)
    registry = load_registry()

    print("Parse one filled form (issues #5, #14)")
    print(row("read .docx (lovande parse)", timed(lambda: read_form(filled_docx, registry), repeat), "(target <= 15 ms)"))

    def lxml_floor():
        with zipfile.ZipFile(filled_docx) as package:
            root = etree.fromstring(package.read("word/document.xml"))
        return [t.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
                for t in root.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tag")]

    print(row("reference: lxml walk, whole document.xml", timed(lxml_floor, repeat)))
    print(row("read .pdf (lovande parse)", timed(lambda: read_form(filled_pdf, registry), repeat), "(target <= 80 ms)"))

    # PDF parse per form: three forms (blank, every question answered, generated answers), each
    # read `repeat` times by the reader, the old reader and a qpdf-level floor, in this one run.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from corpus import generate_answers

    generated = generate_answers(model, random.Random(14), organisation="Kommun 1", practice="Arbetssätt",
                                 date="2026-11-23")
    forms = [pdf, filled_pdf, work / "genererad.pdf"]
    fill_pdf(pdf, field_values(generated, model), forms[2], model)
    datas = [path.read_bytes() for path in forms]

    old_reader = load_old_pdf_reader(baseline)
    contenders = [read_pdf, pikepdf_walk, pikepdf_top_fields] + ([old_reader] if old_reader else [])
    times: list[list[float]] = [[] for _ in contenders]
    for _ in range(repeat):  # interleaved, so a burst of load on the machine hits all alike
        for function, found in zip(contenders, times):
            found.append(timed(lambda: [function(data) for data in datas], 1)[0] / len(datas))
    ours, floor, strict = times[:3]
    print(f"PDF parse per form ({len(forms)} forms: blank, all answered, generated; bytes in memory)")
    print(row("read_pdf (this code, pikepdf)", ours))
    print(row("floor: pikepdf walk, every field and widget", floor))
    print(row("strict floor: pikepdf, top-level fields only", strict, "(too little to be correct)"))
    old = times[3] if old_reader else None
    if old:
        print(row(f"old read_pdf ({baseline}, pypdf)", old))
    qpdf = shutil.which("qpdf")
    if qpdf:
        command = [qpdf, "--json", "--json-key=acroform", "--", str(filled_pdf)]
        print(row("reference: qpdf --json acroform (a process)", timed(
            lambda: subprocess.run(command, check=True, capture_output=True), max(3, repeat // 3))))
    ratio = statistics.median(ours) / statistics.median(floor)
    line = (f"  read_pdf / floor = {ratio:.2f} (target <= 3); read_pdf / strict floor = "
            f"{statistics.median(ours) / statistics.median(strict):.2f}")
    if old:
        line += (f"; old / floor = {statistics.median(old) / statistics.median(floor):.1f}; "
                 f"old / new = {statistics.median(old) / statistics.median(ours):.1f}")
    print(line + " (medians)")

    pdftk = shutil.which("pdftk")
    if pdftk:
        command = [pdftk, str(filled_pdf), "dump_data_fields_utf8"]
        pdftk_times = timed(lambda: subprocess.run(command, check=True, capture_output=True), max(3, repeat // 3))
        print(row("reference: pdftk dump_data_fields_utf8", pdftk_times))
        batch = [work / f"batch-{i}.pdf" for i in range(20)]
        for path in batch:
            shutil.copyfile(filled_pdf, path)
        ours = timed(lambda: [read_form(p, registry) for p in batch], 1)[0] / len(batch)
        theirs = timed(lambda: [subprocess.run([pdftk, str(p), "dump_data_fields_utf8"], check=True,
                                               capture_output=True) for p in batch], 1)[0] / len(batch)
        print(f"  batch of {len(batch)} PDFs: {ours * 1000:.1f} ms per file vs pdftk {theirs * 1000:.1f} ms "
              f"per file ({theirs / ours:.1f}x faster; target >= 3x)")
    else:
        print("  reference: pdftk not installed")


def pikepdf_walk(data: bytes) -> list:
    """The qpdf-level floor: open the file and visit every field and widget dictionary of the
    AcroForm once, reading what any reader must (/T, /FT, /V, /AS, /Kids); no interpretation.
    The bytes reach qpdf the fastest way there is, as the reader's (mapped from memory)."""
    found = []

    def visit(node) -> None:
        found.append((node.get("/T"), node.get("/FT"), node.get("/V"), node.get("/AS")))
        for kid in node.get("/Kids", ()):
            visit(kid)

    with _opened(data) as document:
        for field in document.Root.AcroForm.Fields:
            visit(field)
    return found


@contextlib.contextmanager
def _opened(data: bytes):
    import pikepdf

    from lovande_docs.readers.pdf import memory_file

    with memory_file(data) as source, pikepdf.open(source, access_mode=pikepdf.AccessMode.mmap) as document:
        yield document


def pikepdf_top_fields(data: bytes) -> list:
    """Less than any correct reader does: the names and values of the top-level fields only (a
    radio group left without /V keeps its choice in its widgets, which this does not visit)."""
    with _opened(data) as document:
        return [(field.get("/T"), field.get("/V")) for field in document.Root.AcroForm.Fields]


BUILD_CHILD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])  # before the installed (editable) package
from lovande_docs.layout import load_layout
from lovande_docs.model import load_model
from lovande_docs.paths import DEFAULT_CONTENT
from lovande_docs.render import renderer
model, layout, target = load_model(DEFAULT_CONTENT), load_layout(), Path(sys.argv[3])
times = []
for _ in range(int(sys.argv[4])):
    start = time.perf_counter()
    renderer(sys.argv[2])(model, layout, target)
    times.append(time.perf_counter() - start)
print(json.dumps(times))
"""


def build_beside_baseline(work: Path, revision: str, repeat: int) -> None:
    """Both builds by this code and by the code of ``revision`` (its own content and layout), each
    in child processes taking turns, so load on the machine hits both alike (#10: tagging may cost
    at most 30 %)."""
    root = Path(__file__).resolve().parents[1]
    old = work / f"code-{revision}"
    old.mkdir()
    try:
        archive = subprocess.run(["git", "-C", str(root), "archive", revision], check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"  build of {revision} unavailable: {error}")
        return
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    for fmt in ("docx", "pdf"):
        times: dict[str, list[float]] = {"this code": [], revision: []}
        for _ in range(3):
            for name, code in (("this code", root), (revision, old)):
                done = subprocess.run([sys.executable, "-c", BUILD_CHILD, str(code), fmt,
                                       str(work / f"side.{fmt}"), str(repeat)],
                                      check=True, capture_output=True, text=True)
                times[name] += json.loads(done.stdout)
        for name, values in times.items():
            print(row(f"build .{fmt}, {name}", values))
        ratio = statistics.median(times["this code"]) / statistics.median(times[revision])
        print(f"  .{fmt}: this code takes {ratio:.2f}× the time of {revision} (median, same run)")


def load_old_pdf_reader(revision: str):
    """read_pdf as of ``revision`` (its module source from git, run against today's helpers), or None."""
    import types

    root = Path(__file__).resolve().parents[1]
    try:
        source = subprocess.run(["git", "-C", str(root), "show", f"{revision}:lovande_docs/readers/pdf.py"],
                                check=True, capture_output=True, text=True).stdout
        module = types.ModuleType(f"old_pdf_reader_{revision}")
        exec(compile(source, f"{revision}:lovande_docs/readers/pdf.py", "exec"), module.__dict__)
        return module.read_pdf
    except Exception as error:  # noqa: BLE001 - a benchmark line, not a failure
        print(f"  old reader ({revision}) unavailable: {error}")
        return None


if __name__ == "__main__":
    main()
