"""python -m fuzz [--format docx|pdf|odt|all] [--seconds N] [--seed S] [--out DIR] [--jobs N]

Seeded and time-boxed: the same seed and mutant count give the same mutants. Prints the count of
mutants per outcome class and format; failing mutants are reduced and saved under OUT/reproducers
with a JSON note (seed file, steps, class, message). Exit status 1 if any failure class occurred.
"""
from __future__ import annotations

import argparse
import warnings
import hashlib
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

from fuzz import mutate_bytes, mutate_docx, mutate_odt, mutate_pdf
from fuzz.runner import FAILURES, Limits, preload, run
from fuzz.seeds import FORMATS, SeedError, build_seeds
from fuzz.step import apply

TABLES = {"docx": mutate_docx.MUTATORS + mutate_bytes.MUTATORS, "pdf": mutate_pdf.MUTATORS + mutate_bytes.MUTATORS,
          "odt": mutate_odt.MUTATORS + mutate_bytes.MUTATORS}


# mutants of tens of megabytes (each takes seconds): left out of the short CI run (--light)
HEAVY = {"pdf.objects", "zip.bomb"}


def _pick(rng: random.Random, table, light: bool = False) -> str:
    names, weights = zip(*[(name, weight) for name, weight, _ in table if not (light and name in HEAVY)])
    return rng.choices(names, weights)[0]


def _reduce(fmt, seed_name, seed_data, steps, klass, functions, limits, baseline, work):
    """The fewest steps that still give ``klass`` (drop one step at a time, greedily)."""
    current = list(steps)
    changed = True
    while changed and len(current) > 1:
        changed = False
        for i in range(len(current)):
            trial = current[:i] + current[i + 1:]
            mutant = apply(fmt, seed_name, seed_data, trial, functions)
            path = work / f"reduce.{fmt}"
            path.write_bytes(mutant.data)
            if run(path, limits, baseline, mutant.damaged, mutant.equivalent).klass == klass:
                current, changed = trial, True
                break
    return current


def campaign(fmt: str, seconds: float, seed: int, out: Path, limits: Limits, keep: int = 4,
             max_mutants: int | None = None, verbose: bool = True, light: bool = False) -> Counter:
    seeds = build_seeds(out / "seeds", (fmt,))[fmt]
    functions = {name: fn for name, _, fn in TABLES[fmt]}
    baselines = {}
    for path in seeds:
        result = run(path, limits)
        if result.klass != "same":
            raise SystemExit(f"the seed {path} does not read cleanly: {result.klass} {result.detail}")
        baselines[path.name] = json.loads(result.extra[0])[0]
    rng = random.Random(seed)
    counts: Counter = Counter()
    by_mutator: dict[str, Counter] = {}
    saved: Counter = Counter()
    messages: Counter = Counter()
    work = out / "work"
    work.mkdir(parents=True, exist_ok=True)
    (out / "reproducers").mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline and (max_mutants is None or n < max_mutants):
        n += 1
        seed_path = rng.choice(seeds)
        steps = [(_pick(rng, TABLES[fmt], light), rng.randrange(2**32)) for _ in range(rng.choice((1, 1, 1, 2, 3)))]
        seed_data = seed_path.read_bytes()
        mutant = apply(fmt, seed_path.name, seed_data, steps, functions)
        path = work / f"mutant.{fmt}"
        path.write_bytes(mutant.data)
        outcome = run(path, limits, baselines[seed_path.name], mutant.damaged, mutant.equivalent)
        counts[outcome.klass] += 1
        if outcome.klass not in FAILURES and outcome.cpu > limits.slow:
            counts["slow (ok, > %.0f s CPU)" % limits.slow] += 1
        by_mutator.setdefault(steps[0][0], Counter())[outcome.klass] += 1
        if outcome.klass in ("refused", "budget"):
            messages[re.sub(r"\d+", "N", re.sub(r"'[^']*'", "'…'", outcome.detail))[:120]] += 1
        if outcome.klass in FAILURES:
            if verbose:
                print(f"[{fmt} #{n}] {outcome.klass}: {steps} {outcome.detail[:200]}", flush=True)
            if saved[outcome.klass] < keep:
                saved[outcome.klass] += 1
                reduced = _reduce(fmt, seed_path.name, seed_data, steps, outcome.klass, functions, limits,
                                  baselines[seed_path.name], work)
                final = apply(fmt, seed_path.name, seed_data, reduced, functions)
                digest = hashlib.sha256(final.data).hexdigest()[:10]
                target = out / "reproducers" / f"{fmt}-{outcome.klass}-{digest}.{fmt}"
                target.write_bytes(final.data)
                target.with_suffix(".json").write_text(json.dumps({
                    "format": fmt, "seed": seed_path.name, "steps": reduced, "class": outcome.klass,
                    "detail": outcome.detail, "cpu": round(outcome.cpu, 2), "rss_mb": round(outcome.rss_mb),
                    "damaged": sorted(final.damaged), "equivalent": sorted(final.equivalent)}, indent=1))
    counts["mutants"] = n
    (out / f"summary-{fmt}.json").write_text(json.dumps(
        {"format": fmt, "seed": seed, "seconds": seconds, "counts": dict(counts),
         "by_first_mutator": {k: dict(v) for k, v in sorted(by_mutator.items())},
         "refusals": dict(messages.most_common())}, indent=1, ensure_ascii=False))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__.split("\n\n")[1])
    parser.add_argument("--format", choices=(*FORMATS, "all"), default="all")
    parser.add_argument("--seconds", type=float, default=60.0, help="time per format")
    parser.add_argument("--mutants", type=int, default=None, help="stop after this many mutants per format")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("fuzz-out"))
    parser.add_argument("--memory-mb", type=int, default=Limits.memory_mb)
    parser.add_argument("--wall", type=float, default=Limits.wall)
    parser.add_argument("--light", action="store_true", help="leave out the mutants of tens of megabytes")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # zipfile warns about the duplicate entries the mutators make on purpose
    limits = Limits(wall=args.wall, memory_mb=args.memory_mb)
    preload()
    failed = False
    for fmt in FORMATS if args.format == "all" else (args.format,):
        try:
            counts = campaign(fmt, args.seconds, args.seed, args.out, limits, max_mutants=args.mutants,
                              light=args.light)
        except SeedError as error:
            print(f"python -m fuzz: cannot fuzz {fmt}: {error}", file=sys.stderr, flush=True)
            return 2
        print(f"{fmt}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), flush=True)
        failed |= any(counts[k] for k in FAILURES)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
