"""An interrupted compile (issue #15) keeps the previous outputs and leaves no temporary files.

A compile runs in a child process; once it has started writing (a staged output file appears next
to a target) it gets SIGTERM or SIGINT. Afterwards the previous workbook, CSV, JSON and report must
be byte for byte what they were, and neither the output folder nor the child's temp directory may
hold anything new.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from corpus import generate_answers, write_synthetic

FORMS = 250


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, model) -> Path:
    folder = tmp_path_factory.mktemp("interrupt") / "inkommet"
    rng = random.Random(15)
    for index in range(FORMS):
        answers = generate_answers(model, rng, organisation=f"Kommun {index}", practice=f"Arbetssätt {index}",
                                   date="2026-05-01")
        write_synthetic(folder / f"form-{index:04d}.docx", answers)
    return folder


CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from lovande_docs.compile import compile_forms
    sys.path.insert(0, str(Path(sys.argv[3])))  # tests/: the generated answers' reader
    from corpus import synthetic_reader
    inputs, out = Path(sys.argv[1]), Path(sys.argv[2])
    try:
        compile_forms([inputs], out / "s.xlsx", report=out / "r.pdf", csv_path=out / "s.csv",
                      json_path=out / "s.json", jobs=1, use_cache=False, reader=synthetic_reader)
    except KeyboardInterrupt:
        sys.exit(130)
""")


def _staged(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") and ".part" in p.name]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_interrupted_compile_keeps_previous_outputs_and_leaves_nothing(tmp_path, corpus, signum):
    out, temp = tmp_path / "ut", tmp_path / "temp"
    out.mkdir()
    temp.mkdir()
    previous = {name: f"previous {name}".encode() for name in ("s.xlsx", "s.csv", "s.json", "r.pdf")}
    for name, data in previous.items():
        (out / name).write_bytes(data)
    env = dict(os.environ, TMPDIR=str(temp))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(corpus), str(out), str(Path(__file__).parent)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not any(p.stat().st_size for p in _staged(out)):  # writing has begun
        assert child.poll() is None, child.stderr.read().decode()
        assert time.monotonic() < deadline, "the compile never started writing"
        time.sleep(0.005)
    assert list(temp.iterdir()), "the compile's private temp folder should exist while it runs"
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 130, stderr.decode()
    assert b"Traceback" not in stderr and b"KeyboardInterrupt" not in stderr
    for name, data in previous.items():
        assert (out / name).read_bytes() == data, name
    assert sorted(p.name for p in out.iterdir()) == sorted(previous)
    assert list(temp.iterdir()) == []


def test_a_killed_runs_leftover_is_removed_by_the_next_run(tmp_path, corpus):
    """SIGKILL cannot be cleaned up after; the next run removes the orphan (its process is gone),
    and a completed run replaces every output."""
    out = tmp_path / "ut"
    out.mkdir()
    (out / "s.xlsx").write_bytes(b"previous")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    orphan = out / f".s.xlsx.{dead}.part.xlsx"
    orphan.write_bytes(b"half a workbook")
    subprocess.run([sys.executable, "-c", CHILD, str(corpus), str(out), str(Path(__file__).parent)], check=True, timeout=300,
                   env=dict(os.environ, TMPDIR=str(tmp_path)))
    assert not orphan.exists()
    assert sorted(p.name for p in out.iterdir()) == ["r.pdf", "s.csv", "s.json", "s.xlsx"]
    assert (out / "s.xlsx").read_bytes()[:2] == b"PK" and (out / "r.pdf").read_bytes()[:5] == b"%PDF-"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("lovande-")] == []
