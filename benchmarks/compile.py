"""Benchmark of `lovande compile` (issue #6): 1,000 forms, half .docx and half .pdf, cold and warm.

    python benchmarks/compile.py                     # real filled forms (renderers + fillers)
    python benchmarks/compile.py --mode synthetic    # stand-in files and a stub reader
    python benchmarks/compile.py --forms 200 --sizes 50,100,200

Modes:
- real: the guide is built once as .docx and .pdf (lovande_docs.render), every form is generated
  answers written into a copy by the fillers (lovande_docs.fill), and the compiler reads them with
  the real readers. This is the figure the issue's targets are about.
- synthetic: the same pipeline, but each file holds its answers as JSON and is read by
  lovande_docs.compile.synthetic.synthetic_reader: it measures the compiler without the readers'
  parsing cost (hashing, cache, workers, dedupe, workbook).

Figures, each compile run in a fresh child process so its memory is its own:
- cold: N forms, empty cache;  warm: the same cache after 10 new forms arrived; the time of
  compile_forms, and in brackets of the whole process (starting Python, importing the tool);
- forms per second; peak resident memory of the main process and of the largest worker
  (getrusage), and peak Python heap of the main process (tracemalloc, in a separate run);
- flatness: the cold run at several sizes (default 100, 250, 500, 1000 forms).
Targets (issue #6): cold ≤ 30 s, warm ≤ 3 s, peak memory ≤ 300 MB, flat from 100 to 1,000 forms.
Nothing is asserted: the numbers are for people to read.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

NEW_FORMS = 10


# ------------------------------------------------------------------------------------------------
# the corpus
def _answers(index: int, model):
    from lovande_docs.compile.synthetic import generate_answers

    rng = random.Random(index)
    return generate_answers(model, rng, organisation=f"Kommun {index % 290}", practice=f"Arbetssätt {index}",
                            date=f"2026-{1 + index % 12:02d}-{1 + index % 28:02d}",
                            conflicts=1 if index % 17 == 0 else 0)


def _make_real(job: tuple[int, str, str, str]) -> None:
    index, fmt, template, target = job
    from lovande_docs.fill import FILLERS, field_values
    from lovande_docs.model import load_model
    from lovande_docs.paths import DEFAULT_CONTENT

    model = _model_cache.get("m")
    if model is None:
        model = _model_cache["m"] = load_model(DEFAULT_CONTENT)
    FILLERS[fmt](Path(template), field_values(_answers(index, model), model), Path(target), model)


_model_cache: dict = {}


def make_corpus(work: Path, count: int, mode: str) -> Path:
    """``count`` forms in work/<mode>/pool, numbered; reused when already there."""
    pool = work / mode / "pool"
    marker = pool / f".complete-{count}"
    if marker.exists():
        return pool
    shutil.rmtree(pool, ignore_errors=True)
    pool.mkdir(parents=True)
    from lovande_docs.model import load_model
    from lovande_docs.paths import DEFAULT_CONTENT

    model = load_model(DEFAULT_CONTENT)
    names = [pool / f"form-{i:05d}.{'docx' if i % 2 == 0 else 'pdf'}" for i in range(count)]
    started = time.perf_counter()
    if mode == "synthetic":
        from lovande_docs.compile.synthetic import write_synthetic

        for index, path in enumerate(names):
            write_synthetic(path, _answers(index, model))
    else:
        from lovande_docs.layout import load_layout
        from lovande_docs.render import renderer

        templates = {}
        for fmt in ("docx", "pdf"):
            templates[fmt] = work / f"lovande-arbetssatt.{fmt}"
            renderer(fmt)(model, load_layout(), templates[fmt])
        jobs = [(i, p.suffix[1:], str(templates[p.suffix[1:]]), str(p)) for i, p in enumerate(names)]
        with ProcessPoolExecutor() as executor:
            list(executor.map(_make_real, jobs, chunksize=8))
    marker.touch()
    print(f"  made {count} {mode} forms in {time.perf_counter() - started:.1f} s", flush=True)
    return pool


def subset(pool: Path, folder: Path, indices) -> Path:
    """A folder of symbolic links to some forms of the pool (no copying)."""
    folder.mkdir(parents=True, exist_ok=True)
    for index in indices:
        for suffix in ("docx", "pdf"):
            source = pool / f"form-{index:05d}.{suffix}"
            if source.exists():
                link = folder / source.name
                if not link.exists():
                    link.symlink_to(source)
    return folder


# ------------------------------------------------------------------------------------------------
# one measured compile, in a child process
def child(spec: dict) -> dict:
    from lovande_docs.compile import compile_forms
    from lovande_docs.compile.collect import default_reader
    from lovande_docs.compile.synthetic import synthetic_reader

    if spec.get("tracemalloc"):
        import tracemalloc

        tracemalloc.start()
    reader = synthetic_reader if spec["mode"] == "synthetic" else default_reader
    started = time.perf_counter()
    result = compile_forms([spec["inputs"]], Path(spec["output"]), cache_dir=Path(spec["cache"]),
                           report=Path(spec["report"]) if spec.get("report") else None,
                           jobs=spec.get("jobs"), reader=reader)
    elapsed = time.perf_counter() - started
    heap = None
    if spec.get("tracemalloc"):
        import tracemalloc

        heap = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    return {"seconds": elapsed, "files": result.files, "read": result.read, "cached": result.cached,
            "failed": result.failed, "counted": result.counted,
            "main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, "heap_mb": heap}


def measure(spec: dict) -> dict:
    started = time.perf_counter()
    output = subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)], check=True,
                            capture_output=True, text=True)
    figures = json.loads(output.stdout.strip().splitlines()[-1])
    figures["wall"] = time.perf_counter() - started  # with starting Python and importing the tool
    return figures


def line(name: str, figures: dict, note: str = "") -> str:
    heap = f", heap {figures['heap_mb']:.0f} MB" if figures.get("heap_mb") is not None else ""
    per_second = figures["files"] / figures["seconds"] if figures["seconds"] else 0
    return (f"  {name:<26} {figures['seconds']:6.2f} s (process {figures['wall']:5.2f} s) {per_second:7.1f} forms/s  "
            f"main {figures['main_mb']:6.0f} MB  worker {figures['worker_mb']:5.0f} MB{heap}  "
            f"(read {figures['read'] - figures['cached']}, cached {figures['cached']}) {note}")


def run_mode(work: Path, mode: str, forms: int, sizes: list[int], jobs: int | None, report: bool) -> None:
    print(f"{mode} forms ({forms} + {NEW_FORMS} new, half .docx and half .pdf; jobs {jobs or os.cpu_count()})",
          flush=True)
    pool = make_corpus(work, forms + NEW_FORMS, mode)
    runs = work / mode / "runs"
    shutil.rmtree(runs, ignore_errors=True)
    base = {"mode": mode, "jobs": jobs}
    folder = subset(pool, runs / "inkommet", range(forms))
    cold = measure({**base, "inputs": str(folder), "output": str(runs / "cold.xlsx"), "cache": str(runs / "cache")})
    print(line(f"cold, {forms} forms", cold, "(target ≤ 30 s)"), flush=True)
    subset(pool, folder, range(forms, forms + NEW_FORMS))
    warm = measure({**base, "inputs": str(folder), "output": str(runs / "warm.xlsx"), "cache": str(runs / "cache")})
    print(line(f"warm, {NEW_FORMS} new forms", warm, "(target ≤ 3 s)"), flush=True)
    if report:
        with_report = measure({**base, "inputs": str(folder), "output": str(runs / "r.xlsx"),
                               "cache": str(runs / "cache"), "report": str(runs / "rapport.pdf")})
        print(line("warm + PDF report", with_report), flush=True)
    heap = measure({**base, "inputs": str(folder), "output": str(runs / "heap.xlsx"), "cache": str(runs / "cache"),
                    "tracemalloc": True})
    print(line("warm, with tracemalloc", heap), flush=True)
    print("  flatness (cold, empty cache each; then warm with tracemalloc for the Python heap):")
    for size in sizes:
        sub = subset(pool, runs / f"n{size}", range(size))
        spec = {**base, "inputs": str(sub), "output": str(runs / f"n{size}.xlsx"), "cache": str(runs / f"cache-{size}")}
        print(line(f"{size} forms", measure(spec)), flush=True)
        print(line(f"{size} forms, tracemalloc", measure({**spec, "tracemalloc": True})), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["real", "synthetic", "both"], default="real")
    parser.add_argument("--forms", type=int, default=1000)
    parser.add_argument("--sizes", default="100,250,500,1000", help="form counts for the flatness runs")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--work", type=Path, default=None, help="keep the corpus here (default: a temp folder)")
    parser.add_argument("--report", action="store_true", help="also time a run that writes the PDF report")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="lovande-compile-bench-"))
    print(f"lovande compile benchmark (Python {sys.version.split()[0]}, {os.cpu_count()} cores); corpus in {work}")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    modes = ["synthetic", "real"] if args.mode == "both" else [args.mode]
    for mode in modes:
        run_mode(work, mode, args.forms, sizes, args.jobs, args.report)


if __name__ == "__main__":
    main()
