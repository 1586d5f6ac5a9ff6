"""The fuzz harness (fuzz/, ``python -m fuzz``) on a short budget, and its reproducers replayed.

Marked ``fuzz``: CI runs it (about 50 s in all: 10 s a format, one LibreOffice start for the .odt
seeds, the reproducers); run longer by hand with LOVANDE_FUZZ_SECONDS=600 or
``python -m fuzz --seconds 600``. The seeds and the mutants are deterministic, so a failure here
replays with the same --seed.
"""
from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pytest

from fuzz.__main__ import TABLES, campaign
from fuzz.runner import FAILURES, Limits, preload, run
from fuzz.seeds import SeedError, build_seeds
from fuzz.step import apply

pytestmark = pytest.mark.fuzz

REPRODUCERS = sorted((Path(__file__).parent / "fixtures" / "fuzz").glob("*.json"))
SECONDS = float(os.environ.get("LOVANDE_FUZZ_SECONDS", "10"))


@pytest.fixture(scope="module")
def fuzz_work(tmp_path_factory):
    warnings.simplefilter("ignore")  # zipfile warns about the duplicate entries mutators make on purpose
    preload()
    work = tmp_path_factory.mktemp("fuzz")
    return work, build_seeds(work / "seeds")


@pytest.mark.parametrize("fmt", ["docx", "pdf", "odt"])
def test_short_campaign_finds_no_failure(fmt, fuzz_work):
    work, _ = fuzz_work
    counts = campaign(fmt, SECONDS, seed=2026, out=work, limits=Limits(), keep=1, verbose=False,
                      light=True)
    assert counts["mutants"] > 0
    found = {k: counts[k] for k in FAILURES if counts[k]}
    assert not found, f"{found}; reproducers in {work / 'reproducers'}"


def test_short_differential_campaign_reads_docx_the_same_both_ways(fuzz_work):
    """fuzz/differential.py: mutants read through the cut-out path and the whole part agree."""
    from fuzz.differential import campaign as differential

    work, _ = fuzz_work
    counts = differential(SECONDS, seed=2026, out=work / "differential")
    assert counts["mutants"] > 0 and counts["different"] == 0, f"{dict(counts)}; see {work / 'differential'}"


def test_short_filesystem_campaign_finds_no_failure(fuzz_work):
    """fuzz/filesystem.py: FIFOs, devices, links and odd names through parse, and one compile."""
    from fuzz.filesystem import FS_FAILURES
    from fuzz.filesystem import campaign as filesystem

    work, _ = fuzz_work
    counts = filesystem(SECONDS, seed=2026, out=work / "filesystem", limits=Limits())
    assert counts["mutants"] > 0 and counts["compile ok"] == 1, dict(counts)
    assert not {k: counts[k] for k in FS_FAILURES if counts[k]}, dict(counts)


def test_reproducers_found_so_far_stay_fixed(fuzz_work):
    work, seeds = fuzz_work
    by_name = {path.name: path for paths in seeds.values() for path in paths}
    assert REPRODUCERS
    outcomes, baselines = {}, {}
    for note_path in REPRODUCERS:
        note = json.loads(note_path.read_text())
        fmt = note["format"]
        functions = {name: fn for name, _, fn in TABLES[fmt]}
        # "*": a failure logged before its seed file was recorded, replayed on every seed of its format
        for seed in seeds[fmt] if note["seed"] == "*" else [by_name[note["seed"]]]:
            if seed.name not in baselines:
                baselines[seed.name] = json.loads(run(seed, Limits()).extra[0])[0]
            mutant = apply(fmt, seed.name, seed.read_bytes(), [tuple(s) for s in note["steps"]], functions)
            path = work / f"replay.{fmt}"
            path.write_bytes(mutant.data)
            outcome = run(path, Limits(), baselines[seed.name], mutant.damaged, mutant.equivalent)
            outcomes[f"{note_path.name} on {seed.name}"] = (outcome.klass, outcome.detail)
    assert not {name: o for name, o in outcomes.items() if o[0] in FAILURES}


def test_odt_seeds_without_libreoffice_fail_with_a_clear_message(fuzz_work, tmp_path, monkeypatch):
    """No silent skip: without soffice the .odt format cannot be fuzzed, and says why."""
    import shutil

    from fuzz import seeds as seeds_module

    _, seeds = fuzz_work
    work = tmp_path / "seeds"
    work.mkdir()
    shutil.copy(seeds["docx"][0], work / "filled.docx")  # the .docx seed exists; only LibreOffice is missing
    monkeypatch.setattr(seeds_module.shutil, "which", lambda name: None)
    with pytest.raises(SeedError, match="soffice is not on PATH"):
        build_seeds(work, ("odt",))
    assert not (work / "filled.odt").exists()
