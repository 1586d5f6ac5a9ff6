"""Differential fuzzing of the .docx reader's cut-out path (lovande_docs/readers/docx_spans.py).

Each mutant of the .docx campaign's mutators is read twice, in this process: through the cut-out
path (the content controls parsed alone) and with the whole part parsed (the path switched off).
Any difference in values, problems or error message is a failure, kept as a reproducer (seed,
steps); except the one by design: fields read from a part that is damaged only outside them. A mutant taking longer than ``--timeout`` seconds is counted, not read.

    python -m fuzz.differential --seconds 120 --out fuzz-out
"""
from __future__ import annotations

import argparse
import json
import random
import signal
import time
from collections import Counter
from pathlib import Path

from fuzz.__main__ import TABLES, _pick
from fuzz.seeds import build_seeds
from fuzz.step import apply


def _outcome(read, data: bytes):
    from lovande_docs.readers.safety import ReadError

    try:
        raw = read(data)
    except ReadError as error:
        return ("error", str(error))
    return ("read", raw.identity, raw.values, raw.problems)


def both_ways(data: bytes) -> tuple:
    """(cut-out path, whole part) outcomes of reading a .docx's bytes."""
    from lovande_docs.readers import docx

    cut = _outcome(docx.read_docx, data)
    real = docx.controls_only
    docx.controls_only = lambda xml: None
    try:
        whole = _outcome(docx.read_docx, data)
    finally:
        docx.controls_only = real
    return cut, whole


class _Slow(Exception):
    pass


def _alarm(*_):
    raise _Slow


def campaign(seconds: float, seed: int, out: Path, timeout: float = 10.0) -> Counter:
    seeds = build_seeds(out / "seeds", ("docx",))["docx"]
    functions = {name: fn for name, _, fn in TABLES["docx"]}
    rng = random.Random(seed)
    counts: Counter = Counter()
    (out / "reproducers").mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGALRM, _alarm)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seed_path = rng.choice(seeds)
        steps = [(_pick(rng, TABLES["docx"], light=True), rng.randrange(2**32)) for _ in range(rng.choice((1, 1, 2, 3)))]
        mutant = apply("docx", seed_path.name, seed_path.read_bytes(), steps, functions)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            cut, whole = both_ways(mutant.data)
        except _Slow:
            counts["slow"] += 1
            continue
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        counts["mutants"] += 1
        if cut == whole:
            counts["same both ways"] += 1
            continue
        if cut[0] == "read" and whole[0] == "error" and ("not well-formed" in whole[1] or "nests XML" in whole[1]):
            counts["fields read, the whole part damaged"] += 1  # by design (docs/answers-format.md)
            continue
        counts["different"] += 1
        name = f"differential-{counts['different']}"
        (out / "reproducers" / f"{name}.json").write_text(json.dumps(
            {"format": "docx", "seed": seed_path.name, "steps": steps, "class": "different",
             "cut": repr(cut)[:2000], "whole": repr(whole)[:2000]}, indent=1))
        print(f"different: {seed_path.name} {steps}\n  cut:   {repr(cut)[:300]}\n  whole: {repr(whole)[:300]}",
              flush=True)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz.differential", description=__doc__.split("\n\n")[1])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("fuzz-out"))
    args = parser.parse_args(argv)
    counts = campaign(args.seconds, args.seed, args.out)
    print(json.dumps(dict(counts)))
    return 1 if counts["different"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
