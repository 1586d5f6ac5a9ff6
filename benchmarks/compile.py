"""Benchmark of `lovande compile` (issues #6, #14): this code beside the old code, in one run.

    python benchmarks/compile.py                          # 1,000 forms, baseline 27e747c
    python benchmarks/compile.py --forms 200 --sizes 50   # quicker
    python benchmarks/compile.py --work /tmp/bench        # keep (and reuse) the corpus

The corpus: real filled guides, built once with this code's renderers and filled by its fillers
(lovande_docs.fill) with generated answers (tests/corpus.py): 60 % .docx and 40 % .pdf, with
duplicates (byte copies), revisions (a unit's form again with a later date) and broken files
(truncated .pdf and .docx, text under a .docx name, a printout PDF without fields, an empty file).
The same files are compiled by both codes.

The baseline is the code as of a git revision (default 27e747c, before issue #14), unpacked with
`git archive` into the work folder and imported from there; it is measured in the same run,
interleaved with this code, never taken from a constant.

Figures, each compile in a fresh child process so its time and memory are its own:
- cold: N forms, empty cache; warm: the cache a cold run left, after 10 new forms arrived. The
  time of compile_forms, and in brackets of the whole process (starting Python, importing the
  tool); each run ``--rounds`` times per code in turns, the fastest shown beside every round's time;
- peak resident memory of the main process and of the largest worker (getrusage);
- flatness: memory (and time) of a cold run at smaller sizes beside the N-form run.
- reading alone: milliseconds per .docx and per .pdf form (30 of each, one process, no cache,
  the best of two rounds), to show where a cold compile spends its time.
Targets (issue #14): cold ≤ 1/3 of the old code's, warm ≤ 3 s, memory flat from 100 to 1,000 forms.
Nothing is asserted: the numbers are for people to read.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEW_FORMS = 10
BASELINE = "27e747c"
CORPUS_RECIPE = "mixed-1"  # bump when the corpus below changes, so a kept --work folder is rebuilt


# ------------------------------------------------------------------------------------------------
# the corpus
def plan(count: int) -> list[dict]:
    """What each file of the corpus is: a fresh form, a duplicate, a revision or a broken file."""
    entries = []
    for index in range(count):
        fmt = "docx" if index * 3 % 5 < 3 else "pdf"  # 60 % / 40 %
        entry = {"index": index, "fmt": fmt, "kind": "form", "unit": index, "date": index}
        if index % 50 == 49:
            entry["kind"] = "broken"
            entry["fmt"] = ("pdf", "docx", "docx", "pdf", "pdf")[index // 50 % 5]
        elif index % 50 == 31:
            entry.update(kind="duplicate", of=index - 31)  # a byte copy of a fresh form (index % 50 == 0)
            entry["fmt"] = entries[entry["of"]]["fmt"]
        elif index % 25 == 11:
            entry.update(kind="revision", unit=index - 7)  # the form of an earlier unit, with a later date
        entries.append(entry)
    return entries


def _answers(entry: dict, model):
    from corpus import generate_answers  # tests/corpus.py (make_corpus puts tests/ on the path)

    unit, index = entry["unit"], entry["index"]
    return generate_answers(model, random.Random(index), organisation=f"Kommun {unit % 290}",
                            practice=f"Arbetssätt {unit}",
                            date=f"{2024 + entry['date'] // 336}-{1 + entry['date'] // 28 % 12:02d}-"
                                 f"{1 + entry['date'] % 28:02d}",
                            conflicts=1 if index % 17 == 0 else 0)


_model_cache: dict = {}


def _fill(job: tuple[dict, str, str]) -> None:
    entry, template, target = job
    from lovande_docs.fill import FILLERS, field_values
    from lovande_docs.model import load_model
    from lovande_docs.paths import DEFAULT_CONTENT

    model = _model_cache.get("m")
    if model is None:
        model = _model_cache["m"] = load_model(DEFAULT_CONTENT)
    FILLERS[entry["fmt"]](Path(template), field_values(_answers(entry, model), model), Path(target), model)


def _broken(entry: dict, path: Path, pool: Path, entries: list[dict]) -> None:
    kind = entry["index"] // 50 % 5
    if kind in (0, 1):  # a form cut short (an incomplete download)
        source = next(pool / name(e) for e in entries if e["fmt"] == entry["fmt"] and e["kind"] == "form")
        data = source.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == 2:
        path.write_text("Det här är bara text.\n", encoding="utf-8")
    elif kind == 3:
        from reportlab.pdfgen import canvas

        printout = canvas.Canvas(str(path), invariant=True)
        printout.drawString(72, 720, "Lovande arbetssätt – utskrift")
        printout.save()
    else:
        path.write_bytes(b"")


def name(entry: dict) -> str:
    return f"form-{entry['index']:05d}.{entry['fmt']}"


def make_corpus(work: Path, count: int) -> tuple[Path, list[dict]]:
    """``count`` files in work/pool, numbered; reused when already there."""
    pool = work / "pool"
    entries = plan(count)
    marker = pool / f".complete-{CORPUS_RECIPE}-{count}"
    if marker.exists():
        return pool, entries
    shutil.rmtree(pool, ignore_errors=True)
    pool.mkdir(parents=True)
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # this code, and the answer generator of the tests
    from lovande_docs.layout import load_layout
    from lovande_docs.model import load_model
    from lovande_docs.paths import DEFAULT_CONTENT
    from lovande_docs.render import renderer

    started = time.perf_counter()
    model = load_model(DEFAULT_CONTENT)
    templates = {}
    for fmt in ("docx", "pdf"):
        templates[fmt] = work / f"lovande-arbetssatt.{fmt}"
        renderer(fmt)(model, load_layout(), templates[fmt])
    jobs = [(e, str(templates[e["fmt"]]), str(pool / name(e))) for e in entries if e["kind"] in ("form", "revision")]
    with ProcessPoolExecutor() as executor:
        list(executor.map(_fill, jobs, chunksize=8))
    for entry in entries:
        if entry["kind"] == "duplicate":
            shutil.copyfile(pool / name(entries[entry["of"]]), pool / name(entry))
        elif entry["kind"] == "broken":
            _broken(entry, pool / name(entry), pool, entries)
    marker.touch()
    print(f"  made {count} forms in {time.perf_counter() - started:.1f} s", flush=True)
    return pool, entries


def subset(pool: Path, folder: Path, entries: list[dict]) -> Path:
    """A folder of symbolic links to some files of the pool (no copying)."""
    folder.mkdir(parents=True, exist_ok=True)
    for entry in entries:
        link = folder / name(entry)
        if not link.exists():
            link.symlink_to(pool / name(entry))
    return folder


def unpack_baseline(revision: str, work: Path) -> Path:
    """The code as of ``revision``, unpacked with `git archive` (no checkout, no worktree)."""
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", f"{revision}^{{commit}}"],
                            check=True, capture_output=True, text=True).stdout.strip()
    target = work / f"baseline-{commit[:12]}"
    if not (target / ".complete").exists():
        shutil.rmtree(target, ignore_errors=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit],
                                 check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
        (target / ".complete").touch()
    return target


# ------------------------------------------------------------------------------------------------
# one measured compile, in a child process
def child(spec: dict) -> dict:
    sys.path.insert(0, spec["code"])  # before the installed (editable) package
    import lovande_docs
    from lovande_docs.compile import compile_forms

    assert Path(lovande_docs.__file__).resolve().is_relative_to(Path(spec["code"]).resolve()), lovande_docs.__file__
    if "read" in spec:  # the readers alone, one process, no cache: milliseconds per form by format
        from lovande_docs.compile.collect import default_reader

        from lovande_docs.compile import collect

        def read(path: Path):  # as a compile's worker does: this code reads and hashes before the reader
            return default_reader(path, *collect.read_file(path)) if hasattr(collect, "read_file") else default_reader(path)

        read(Path(spec["read"]["docx"][0]))  # imports and the registry, not timed
        per_form = {}
        for fmt, paths in spec["read"].items():
            started = time.perf_counter()
            for path in paths:
                read(Path(path))
            per_form[fmt] = (time.perf_counter() - started) / len(paths) * 1000
        return per_form
    started = time.perf_counter()
    result = compile_forms([spec["inputs"]], Path(spec["output"]), cache_dir=Path(spec["cache"]),
                           report=Path(spec["report"]) if spec.get("report") else None, jobs=spec.get("jobs"))
    elapsed = time.perf_counter() - started
    return {"seconds": elapsed, "files": result.files, "read": result.read, "cached": result.cached,
            "failed": result.failed, "counted": result.counted,
            "main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def measure(spec: dict) -> dict:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"compile failed ({spec['code']}):\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["wall"] = time.perf_counter() - started  # with starting Python and importing the tool
    return figures


def measure_read(spec: dict) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"reading failed ({spec['code']}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def rounds(count: int, run, before) -> dict[str, dict]:
    """``count`` runs of each code in turns (old first, then new first, ...); the fastest of each,
    with every round's time under "rounds" (the machine is shared: the best is the least disturbed)."""
    results: dict[str, list[dict]] = {"old": [], "new": []}
    for number in range(count):
        for code in ("old", "new") if number % 2 == 0 else ("new", "old"):
            before(code)
            results[code].append(run(code))
    best = {}
    for code, figures in results.items():
        best[code] = dict(min(figures, key=lambda f: f["seconds"]), rounds=[f["seconds"] for f in figures])
    return best


def cell(figures: dict) -> str:
    memory = f"{figures['main_mb']:4.0f}/{figures['worker_mb']:4.0f} MB"
    return f"{figures['seconds']:6.2f} s ({figures['wall']:5.1f})  {memory}"


def row(title: str, old: dict, new: dict, note: str = "") -> None:
    ratio = new["seconds"] / old["seconds"] if old["seconds"] else float("nan")
    print(f"  {title:<24} {cell(old)}   {cell(new)}   {ratio:5.2f}  {note}", flush=True)
    if len(old.get("rounds", ())) > 1:
        print(f"    rounds (s): old {', '.join(f'{t:.2f}' for t in old['rounds'])}; "
              f"new {', '.join(f'{t:.2f}' for t in new['rounds'])} (the fastest of each above)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--forms", type=int, default=1000)
    parser.add_argument("--sizes", default="100", help="smaller cold runs for flatness (comma-separated)")
    parser.add_argument("--baseline", default=BASELINE, help=f"git revision of the old code (default {BASELINE})")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--work", type=Path, default=None, help="keep the corpus and baseline here (default: temp)")
    parser.add_argument("--rounds", type=int, default=3, help="cold and warm runs of each code, in turns (best taken)")
    parser.add_argument("--report", action="store_true", help="also time a warm run that writes the PDF report")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="lovande-compile-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"lovande compile benchmark (Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"jobs {args.jobs or 'default'}); work folder {work}")
    pool, entries = make_corpus(work, args.forms + NEW_FORMS)
    first, new_forms = entries[: args.forms], entries[args.forms:]
    kinds = {k: sum(e["kind"] == k for e in first) for k in ("form", "revision", "duplicate", "broken")}
    docx = sum(e["fmt"] == "docx" for e in first)
    print(f"  corpus: {args.forms} files, {docx} .docx / {args.forms - docx} .pdf; "
          + ", ".join(f"{v} {label}" for label, v in zip(("fresh forms", "revisions", "duplicates", "broken files"),
                                                      kinds.values())) + f"; then {NEW_FORMS} new forms")
    codes = {"old": str(unpack_baseline(args.baseline, work)), "new": str(ROOT)}
    runs = work / "runs"
    shutil.rmtree(runs, ignore_errors=True)

    def spec(code: str, folder: Path, label: str, cache: str, **extra) -> dict:
        return {"code": codes[code], "inputs": str(folder), "output": str(runs / f"{code}-{label}.xlsx"),
                "cache": str(runs / f"cache-{code}-{cache}"), "jobs": args.jobs, **extra}

    print(f"  {'':<24} {'old (' + args.baseline + ')':<30} {'new (this code)':<30} new/old")
    print(f"  {'':<24} {'compile (process)  main/worker':<30} {'compile (process)  main/worker':<30}")
    folder = subset(pool, runs / "inkommet", first)
    cold = rounds(args.rounds, lambda code: measure(spec(code, folder, "cold", "main")),
                  before=lambda code: shutil.rmtree(runs / f"cache-{code}-main", ignore_errors=True))
    row(f"cold, {args.forms} forms", cold["old"], cold["new"], "(target ≤ 0.33)")
    for code in ("old", "new"):  # the cache a cold run left, for every warm round to start from
        shutil.copytree(runs / f"cache-{code}-main", runs / f"cache-{code}-cold", symlinks=True)
    for code in ("old", "new"):
        figures = cold[code]
        print(f"    {code}: {figures['files']} files, {figures['failed']} unreadable, {figures['counted']} counted, "
              f"{figures['files'] / figures['seconds']:.0f} files/s")
    sample = {fmt: [str(pool / name(e)) for e in first if e["kind"] == "form" and e["fmt"] == fmt][:30]
              for fmt in ("docx", "pdf")}
    read: dict[str, dict] = {"old": {}, "new": {}}
    for code in ("old", "new", "new", "old"):  # two rounds in turns; the best of each (the machine is shared)
        for fmt, ms in measure_read({"code": codes[code], "read": sample}).items():
            read[code][fmt] = min(ms, read[code].get(fmt, ms))
    for fmt in ("docx", "pdf"):
        print(f"  {'read one .' + fmt + ', ms/form':<24} {read['old'][fmt]:8.1f} ms{'':<19} {read['new'][fmt]:8.1f} ms"
              f"{'':<19} {read['new'][fmt] / read['old'][fmt]:5.2f}")
    subset(pool, folder, new_forms)

    def fresh_warm_cache(code: str) -> None:
        shutil.rmtree(runs / f"cache-{code}-main", ignore_errors=True)
        shutil.copytree(runs / f"cache-{code}-cold", runs / f"cache-{code}-main", symlinks=True)

    warm = rounds(args.rounds, lambda code: measure(spec(code, folder, "warm", "main")), before=fresh_warm_cache)
    row(f"warm, {NEW_FORMS} new forms", warm["old"], warm["new"], "(target ≤ 3 s)")
    if args.report:
        reported = {code: measure(spec(code, folder, "report", "main", report=str(runs / f"{code}-rapport.pdf")))
                    for code in ("old", "new")}
        row("warm + PDF report", reported["old"], reported["new"])
    for size in [int(s) for s in args.sizes.split(",") if s]:
        small = subset(pool, runs / f"n{size}", first[:size])
        figures = {code: measure(spec(code, small, f"n{size}", f"n{size}")) for code in ("old", "new")}
        row(f"cold, {size} forms", figures["old"], figures["new"])
        for code in ("old", "new"):
            main_ratio = cold[code]["main_mb"] / figures[code]["main_mb"]
            worker_ratio = cold[code]["worker_mb"] / figures[code]["worker_mb"]
            print(f"    {code}: memory at {args.forms} / {size} forms: main {main_ratio:.2f}x, "
                  f"worker {worker_ratio:.2f}x (flat: close to 1)")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
