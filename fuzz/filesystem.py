"""python -m fuzz.filesystem [--seconds N] [--seed S] [--out DIR]: file-system mutants.

Each mutant (fuzz/mutate_fs.py: FIFOs, devices, sockets, links, folders, odd names) goes through
the real ``lovande parse`` in the runner's capped child (fuzz/runner.py); its outcome must be the
one the mutator expects (refused in one line naming the file, or the seed's answers), else it is
``unexpected``, beside the runner's failure classes. At the end one ``lovande compile`` reads a
folder holding one entry of every mutator and the seeds: it must end with status 1, one line per
entry that cannot be read, no traceback, and the workbook written. Exit status 1 on any failure.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from fuzz import mutate_fs
from fuzz.runner import FAILURES, Limits, preload, run
from fuzz.seeds import build_seeds

FS_FAILURES = (*FAILURES, "unexpected")


def campaign(seconds: float, seed: int, out: Path, limits: Limits, max_mutants: int | None = None) -> Counter:
    seeds = [p for paths in build_seeds(out / "seeds", ("docx", "pdf")).values() for p in paths]
    baselines = {}
    for path in seeds:
        result = run(path, limits)
        assert result.klass == "same", (path, result.klass, result.detail)
        baselines[path] = json.loads(result.extra[0])[0]
    names, weights, functions = zip(*mutate_fs.MUTATORS)
    rng = random.Random(seed)
    counts: Counter = Counter()
    by_mutator: dict[str, Counter] = {}
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline and (max_mutants is None or n < max_mutants):
        n += 1
        index = rng.choices(range(len(names)), weights)[0]
        seed_path = rng.choice(seeds)
        folder = out / "work" / f"m{n}"
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        path, (expected, fragment) = functions[index](random.Random(rng.randrange(2**32)), seed_path, folder)
        outcome = run(path, limits, baselines[seed_path])
        klass = outcome.klass
        if klass not in FAILURES:
            fine = (klass == "same" if expected == "same"
                    else klass == "refused" and fragment in outcome.detail)
            if not fine:
                klass = "unexpected"
        counts[klass] += 1
        by_mutator.setdefault(names[index], Counter())[klass] += 1
        if klass in FS_FAILURES:
            print(f"[fs #{n}] {klass}: {names[index]} {path!r} expected {expected} {fragment or ''}: "
                  f"{outcome.klass} {outcome.detail[:200]}", flush=True)
        shutil.rmtree(folder, ignore_errors=True)
    counts["mutants"] = n
    counts.update(compile_check(rng, seeds, out / "compile", limits))
    (out / "summary-fs.json").write_text(json.dumps(
        {"seed": seed, "seconds": seconds, "counts": dict(counts),
         "by_mutator": {k: dict(v) for k, v in sorted(by_mutator.items())}}, indent=1))
    return counts


def compile_check(rng: random.Random, seeds: list[Path], work: Path, limits: Limits) -> Counter:
    """One compile over a folder with an entry of every mutator beside the seeds."""
    if work.exists():
        shutil.rmtree(work)
    forms = work / "forms"
    forms.mkdir(parents=True)
    refused = 0
    for number, (name, _, function) in enumerate(mutate_fs.MUTATORS):
        place = forms / f"{number}-{name}"
        place.mkdir()
        _, (expected, _) = function(random.Random(rng.randrange(2**32)), rng.choice(seeds), place)
        refused += expected == "refused"
    for seed in seeds:
        shutil.copy(seed, forms / seed.name)
    command = [sys.executable, "-c", "import sys; from lovande_docs.cli import main; main()", "compile",
               str(forms), "-o", str(work / "out.xlsx"), "--no-cache"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=limits.wall * 2)
    except subprocess.TimeoutExpired:
        print("[fs compile] hang", flush=True)
        return Counter({"compile hang": 1})
    stderr = done.stderr.decode("utf-8", "replace")
    problems = []
    if "Traceback" in stderr:
        problems.append("traceback")
    if done.returncode != 1:
        problems.append(f"exit status {done.returncode}")
    if not (work / "out.xlsx").exists():
        problems.append("no workbook")
    if len(stderr.splitlines()) < refused:  # every entry refused is named; a folder is not searched as a form
        problems.append(f"{len(stderr.splitlines())} error lines for {refused} refused entries")
    if problems:
        print(f"[fs compile] unexpected: {'; '.join(problems)}\n{stderr[-2000:]}", flush=True)
        return Counter({"compile unexpected": 1})
    return Counter({"compile ok": 1})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz.filesystem", description=__doc__.split("\n\n")[1])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--mutants", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("fuzz-out"))
    args = parser.parse_args(argv)
    limits = Limits()
    preload()
    counts = campaign(args.seconds, args.seed, args.out, limits, args.mutants)
    print("fs: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), flush=True)
    failed = any(counts[k] for k in FS_FAILURES) or counts["compile ok"] != 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
