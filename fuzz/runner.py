"""Run one file through the real ``lovande parse`` in a forked process with CPU and memory caps."""
from __future__ import annotations

import json
import os
import resource
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

FAILURES = ("traceback", "crash", "hang", "memory", "noisy", "silent_wrong")


@dataclass
class Limits:
    wall: float = 90.0  # seconds before a mutant is a hang (the product's own budget is lower)
    cpu: int = 60  # hard CPU cap of the harness child
    memory_mb: int = 1024  # the documented per-file memory limit: more is a blow-up
    cap_mb: int = 3072  # address space cap of the harness child (protects the machine)
    slow: float = 2.0  # CPU seconds above which a clean outcome is also counted as slow


@dataclass
class Outcome:
    klass: str  # same | plausible | flagged | refused | budget | + FAILURES
    detail: str = ""
    cpu: float = 0.0
    rss_mb: float = 0.0
    wall: float = 0.0
    extra: list[str] = field(default_factory=list)


def preload() -> None:
    """Import everything the command needs once, so every fork starts warm (and a source file
    edited while a campaign runs is never imported half-written)."""
    import lovande_docs.cli  # noqa: F401
    import lovande_docs.export  # noqa: F401
    import lovande_docs.readers.docx  # noqa: F401
    import lovande_docs.readers.guard  # noqa: F401
    import lovande_docs.readers.odt  # noqa: F401
    import lovande_docs.readers.pdf  # noqa: F401
    import lovande_docs.readers.registry  # noqa: F401
    from lovande_docs.readers.registry import load_registry

    load_registry()


def _vm_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _child(path: Path, out: str, err: str, limits: Limits) -> None:
    code = 70
    try:
        os.setpgid(0, 0)
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu, limits.cpu))
        resource.setrlimit(resource.RLIMIT_AS, (_vm_bytes() + limits.cap_mb * 2**20,) * 2)
        stdout = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        stderr = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(stdout, 1)
        os.dup2(stderr, 2)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
        from lovande_docs.cli import main

        try:
            main(["parse", os.fsdecode(path)], prog_name="lovande", standalone_mode=True)
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        from lovande_docs.readers.guard import shutdown

        shutdown()  # wait for the reader process, so its time and memory count in this child's usage
    except BaseException:  # noqa: BLE001 - what a user would see as a traceback
        import traceback

        traceback.print_exc()
        code = 70
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def run(path: Path | bytes, limits: Limits, seed_answers: dict | None = None, damaged=frozenset(),
        equivalent=frozenset()) -> Outcome:
    from fuzz.oracle import judge

    with tempfile.TemporaryDirectory(prefix="fuzz-run-") as work:
        out, err = os.path.join(work, "out"), os.path.join(work, "err")
        base_rss = _rss_mb()
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            _child(path, out, err, limits)
        status, usage, timed_out = 0, None, False
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() - started > limits.wall:
                try:
                    os.killpg(pid, signal.SIGKILL)  # the child and any reader process it started
                except OSError:
                    os.kill(pid, signal.SIGKILL)
                _, status, usage = os.wait4(pid, 0)
                timed_out = True
                break
            time.sleep(0.005)
        wall = time.monotonic() - started
        cpu = usage.ru_utime + usage.ru_stime
        rss = max(0.0, usage.ru_maxrss / 1024 - base_rss)
        stdout = Path(out).read_text(encoding="utf-8", errors="replace") if os.path.exists(out) else ""
        stderr = Path(err).read_text(encoding="utf-8", errors="replace") if os.path.exists(err) else ""
    outcome = Outcome("?", cpu=cpu, rss_mb=rss, wall=wall)
    lines = [line for line in stderr.splitlines() if line.strip()]
    summary = [line for line in lines if line.endswith("file(s) could not be read")]
    from lovande_docs.filenames import shown

    named = [line for line in lines if line.startswith(f"{shown(path)}: ")]
    others = [line for line in lines if line not in summary and line not in named]
    if timed_out or (os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL)):
        outcome.klass, outcome.detail = "hang", f"no answer within {limits.wall:.0f} s wall / {limits.cpu} s CPU"
    elif "Traceback" in stderr:
        outcome.klass, outcome.detail = "traceback", stderr.strip().splitlines()[-1][:300]
    elif os.WIFSIGNALED(status):
        outcome.klass, outcome.detail = "crash", f"killed by signal {signal.Signals(os.WTERMSIG(status)).name}"
    elif rss > limits.memory_mb:
        outcome.klass, outcome.detail = "memory", f"{rss:.0f} MB over the process's baseline"
    elif os.WEXITSTATUS(status) not in (0, 1):
        outcome.klass, outcome.detail = "crash", f"exit status {os.WEXITSTATUS(status)}: {stderr.strip()[-300:]}"
    elif others or len(named) > 1 or (os.WEXITSTATUS(status) == 1) != (len(named) == 1):
        outcome.klass, outcome.detail = "noisy", " | ".join(lines)[:300]
    elif os.WEXITSTATUS(status) == 1:
        message = named[0][len(shown(path)) + 2:]
        outcome.detail = message[:300]
        if "internal error" in message:
            outcome.klass = "crash"
        elif "limit per file" in message:
            outcome.klass = "budget"
        else:
            outcome.klass = "refused"
    else:
        forms = json.loads(stdout)
        if seed_answers is None:
            outcome.klass, outcome.extra = "same", [stdout]
        else:
            outcome.klass, wrong = judge(seed_answers, forms[0], set(damaged), set(equivalent))
            outcome.detail = "; ".join(wrong)[:500]
    return outcome
