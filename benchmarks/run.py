"""Benchmarks: `python benchmarks/run.py` prints the figures the issues name, beside reference tools.

Build times (issues #3, #4): the .docx and the PDF built from the model, best and median of N
runs, next to the time LibreOffice needs merely to convert the built .docx to PDF, measured in the
same run. Nothing here is asserted: the numbers are for people to read.
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
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
