"""Benchmarks: `python benchmarks/run.py` prints the figures the issues name, beside reference tools.

- Build (issues #3, #4): the .docx and the PDF built from the model, next to the time LibreOffice
  needs merely to convert the built .docx to PDF, measured in the same run.
- Parse (issue #5): reading one filled form, .docx and .pdf, next to floors measured in the same
  run: a raw lxml walk over word/document.xml; for PDF a raw AcroForm walk with pypdf and
  `pdftk dump_data_fields_utf8` (per file, JVM start included), and a batch of PDFs.

Nothing here is asserted: the numbers are for people to read.
"""
from __future__ import annotations

import argparse
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
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="lovande-bench-"))
    print(f"lovande-docs benchmarks ({args.repeat} runs each; Python {sys.version.split()[0]})")
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
    parse_benchmarks(model, docx, pdf, work, args.repeat)
    shutil.rmtree(work, ignore_errors=True)


def parse_benchmarks(model, docx: Path, pdf: Path, work: Path, repeat: int) -> None:
    import io
    import zipfile

    from lxml import etree
    from pypdf import PdfReader

    from lovande_docs.fill import field_values
    from lovande_docs.fill.docx import fill_docx
    from lovande_docs.fill.pdf import fill_pdf
    from lovande_docs.readers import read_form
    from lovande_docs.readers.registry import load_registry

    answers = {"questions": {n.question.id: {"answer": "ja", "status": "klar", "description": "Beskrivning.\nRad två."}
                             for n in model.numbered_questions()}}
    filled_docx, filled_pdf = work / "ifylld.docx", work / "ifylld.pdf"
    fill_docx(docx, field_values(answers, model), filled_docx, model)
    fill_pdf(pdf, field_values(answers, model), filled_pdf, model)
    registry = load_registry()

    print("Parse one filled form (issue #5)")
    print(row("read .docx (lovande parse)", timed(lambda: read_form(filled_docx, registry), repeat), "(target <= 15 ms)"))

    def lxml_floor():
        with zipfile.ZipFile(filled_docx) as package:
            root = etree.fromstring(package.read("word/document.xml"))
        return [t.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
                for t in root.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tag")]

    print(row("floor: raw lxml walk over document.xml", timed(lxml_floor, repeat)))
    pdf_times = timed(lambda: read_form(filled_pdf, registry), repeat)
    print(row("read .pdf (lovande parse)", pdf_times, "(target <= 80 ms)"))

    def acroform_floor():
        reader = PdfReader(io.BytesIO(filled_pdf.read_bytes()))
        return [f.get_object().get("/V") for f in reader.trailer["/Root"]["/AcroForm"]["/Fields"]]

    print(row("floor: raw AcroForm walk (pypdf)", timed(acroform_floor, repeat)))
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


if __name__ == "__main__":
    main()
