"""Read one untrusted file in a child process with a time budget and a memory limit.

The readers bound what they parse (safety.py, the PDF reader's object limits), but a hostile file
may still find a slow path in lxml, zipfile or qpdf. So ``lovande parse`` and ``lovande compile``
read every file in a forked child: CPU time is capped (RLIMIT_CPU), so is its address space above
what it inherited (RLIMIT_AS), and wall-clock time as a last resort. Whatever happens in the child
— a limit reached, a crash of a C library, a reader bug — the caller gets one ReadError, and the
next file is read as usual. Limits: docs/answers-format.md ("Limits").

Where fork or resource limits are not available (Windows), the file is read in-process: the
structural limits still hold, the time and memory budgets do not.
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
from pathlib import Path
from typing import Any

from lovande_docs.readers.safety import ReadError

TIME_BUDGET_SECONDS = 20  # CPU seconds per file; the guide reads in well under 0.5 s
WALL_BUDGET_SECONDS = 120  # wall clock, for a child that waits instead of computing (a loaded machine is slower)
MEMORY_BUDGET_MB = 1024  # address space a file's reading may add to the process it runs in
INTERNAL_ERROR = "internal error while reading (please report it with the file)"


def isolation_available() -> bool:
    return (hasattr(os, "fork") and sys.platform.startswith("linux")
            and os.environ.get("LOVANDE_READ_IN_PROCESS") != "1")


def read_guarded(path: str | Path, registry=None) -> dict[str, Any]:
    """The answers structure (``FormAnswers.to_dict()``) of one file, or ReadError."""
    if not isolation_available():
        return _read_in_process(path, registry)
    return _read_in_child(path, registry)


def _read_in_process(path, registry) -> dict[str, Any]:
    from lovande_docs.readers import read_form

    try:
        return read_form(path, registry).to_dict()
    except ReadError:
        raise
    except MemoryError:
        raise ReadError(f"reading needs more memory than the limit per file ({MEMORY_BUDGET_MB} MB); "
                        "refused") from None
    except RecursionError:
        raise ReadError("the file nests its contents without end (refused)") from None
    except Exception as error:  # noqa: BLE001 - a reader bug must stay one line about this file
        raise ReadError(f"{INTERNAL_ERROR}: {type(error).__name__}: {error}"[:300]) from None


def _vm_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _limit(resource, which: int, soft: int, hard: int) -> None:
    """Lower a limit, never above one already set from outside (ulimit, a container)."""
    _, current = resource.getrlimit(which)
    if current != resource.RLIM_INFINITY:
        soft, hard = min(soft, current), min(hard, current)
    resource.setrlimit(which, (soft, hard))


def _child(path, registry, write_fd: int) -> None:
    """In the forked child: set the limits, read, send (ok, result) back, exit without cleanup."""
    import resource

    code = 0
    try:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)  # a C library's warnings are no business of the user's terminal
            _limit(resource, resource.RLIMIT_CPU, TIME_BUDGET_SECONDS, TIME_BUDGET_SECONDS + 5)
            limit = _vm_bytes() + MEMORY_BUDGET_MB * 1024 * 1024
            _limit(resource, resource.RLIMIT_AS, limit, limit)
            result = (True, _read_in_process(path, registry))
        except ReadError as error:
            result = (False, str(error))
        payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(payload)
        while view:
            view = view[os.write(write_fd, view):]
    except BaseException:  # noqa: BLE001 - not even the message could be sent: the parent says so
        code = 3
    finally:
        os._exit(code)


def _read_in_child(path, registry) -> dict[str, Any]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, reports through the pipe
        os.close(read_fd)
        _child(path, registry, write_fd)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + WALL_BUDGET_SECONDS
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_fd], [], [], min(left, 1.0))
            if ready:
                chunk = os.read(read_fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_fd)
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        raise ReadError(f"reading took longer than the limit per file ({WALL_BUDGET_SECONDS} s); refused")
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number in (signal.SIGXCPU, signal.SIGKILL):
            raise ReadError(f"reading needs more processor time than the limit per file "
                            f"({TIME_BUDGET_SECONDS} s); refused")
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
        raise ReadError(f"{INTERNAL_ERROR}: the reading process ended with signal {name}")
    try:
        ok, result = pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - the child could not even send its answer: out of memory
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 3:
            raise ReadError(f"reading needs more memory than the limit per file ({MEMORY_BUDGET_MB} MB); "
                            "refused") from None
        raise ReadError(f"{INTERNAL_ERROR}: the reading process ended without an answer") from None
    if not ok:
        raise ReadError(result)
    return result
