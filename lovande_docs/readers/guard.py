"""Read one untrusted file in a child process with a time budget and a memory limit.

The readers bound what they parse (safety.py, the PDF reader's object limits), but a hostile file
may still find a slow path in lxml, zipfile or qpdf. So ``lovande parse`` and ``lovande compile``
read files in a forked reader process: its CPU time per file is capped (RLIMIT_CPU, raised by one
budget before each file), so is its address space above what it inherited (RLIMIT_AS), and
wall-clock time as a last resort. Whatever happens there — a limit reached, a crash of a C
library, a reader bug — the caller gets one ReadError and the next file is read by a fresh reader
process. The reader process is kept for the next file (a fork per file cost ~1.5x the reading
time of a compile), and replaced once it has grown or read many files, so one file's garbage
never counts against the next one's limits. Limits: docs/answers-format.md ("Limits").

Where fork or resource limits are not available (Windows), the file is read in-process: the
structural limits still hold, the time and memory budgets do not.
"""
from __future__ import annotations

import atexit
import os
import pickle
import select
import signal
import sys
import time
from pathlib import Path
from typing import Any

from lovande_docs.lifeline import die_with_parent
from lovande_docs.readers.safety import ReadError

TIME_BUDGET_SECONDS = 20  # CPU seconds per file; the guide reads in well under 0.5 s
WALL_BUDGET_SECONDS = 120  # wall clock, for a child that waits instead of computing (a loaded machine is slower)
MEMORY_BUDGET_MB = 1024  # address space a file's reading may add to the process it runs in
INTERNAL_ERROR = "internal error while reading (please report it with the file)"


class LimitError(ReadError):
    """A file refused by a per-file time or memory limit, or a reader that died: not a fact about
    the file alone (a loaded machine is slower), so compile does not cache it."""


def isolation_available() -> bool:
    return (hasattr(os, "fork") and sys.platform.startswith("linux")
            and os.environ.get("LOVANDE_READ_IN_PROCESS") != "1")


def read_guarded(path: str | Path, registry=None, data: bytes | None = None,
                 sha256: str | None = None) -> dict[str, Any]:
    """The answers structure (``FormAnswers.to_dict()``) of one file, or ReadError (one line).
    ``data`` and ``sha256``: its bytes and their digest, when the caller has them (read_form)."""
    try:
        if not isolation_available():
            return _read_in_process(path, registry, data, sha256)
        return _read_in_child(path, registry, data, sha256)
    except ReadError as error:
        message = str(error)
        if "\n" in message or "\r" in message:  # one line on stderr per file, whatever a library said
            raise type(error)(" ".join(message.split())) from None
        raise


def _read_in_process(path, registry, data=None, sha256=None) -> dict[str, Any]:
    from lovande_docs.readers import read_form

    try:
        return read_form(path, registry, data, sha256).to_dict()
    except ReadError:
        raise
    except MemoryError:
        raise LimitError(f"reading needs more memory than the limit per file ({MEMORY_BUDGET_MB} MB); "
                        "refused") from None
    except RecursionError:
        raise ReadError("the file nests its contents without end (refused)") from None
    except Exception as error:  # noqa: BLE001 - a reader bug must stay one line about this file
        raise LimitError(f"{INTERNAL_ERROR}: {type(error).__name__}: {error}"[:300]) from None


def _vm_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


FILES_PER_READER = 500  # then a fresh reader process
GROWTH_BEFORE_RECYCLE = MEMORY_BUDGET_MB // 4 * 1024 * 1024  # resident growth that retires a reader


MAX_FRAME = 1 << 30  # a length beyond any file or answer: the other process is not speaking our protocol


def _send(fd: int, payload: bytes) -> None:
    """One framed message: its length, then its bytes, written from where they are (a request
    carries a whole file: no copy of it is made here)."""
    header = len(payload).to_bytes(8, "little")
    written = os.writev(fd, [header, payload])
    if written < 8:
        _write_all(fd, memoryview(header)[written:])
        written = 8
    _write_all(fd, memoryview(payload)[written - 8:])


def _write_all(fd: int, view: memoryview) -> None:
    while view:
        view = view[os.write(fd, view):]


def _receive(fd: int, deadline: float | None) -> bytearray | None:
    """One framed message, or None at end of file; TimeoutError past the deadline."""
    header = _read_exactly(fd, 8, deadline)
    if header is None:
        return None
    size = int.from_bytes(header, "little")
    return _read_exactly(fd, size, deadline) if size <= MAX_FRAME else None


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytearray | None:
    """``size`` bytes read straight into one buffer, or None at end of file."""
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
        count = os.readv(fd, [view[got:]])
        if not count:
            return None
        got += count
    return buffer


def _serve(requests: int, replies: int, registry) -> None:  # pragma: no cover - the reader process
    """The reader process: limits, then one file per request until told to stop or retired."""
    import resource

    code = 0
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)  # a C library's warnings are no business of the user's terminal
        resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))  # SIGXCPU dumps none
        limit = _vm_bytes() + MEMORY_BUDGET_MB * 1024 * 1024
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
        start_rss = _rss_bytes()
        cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
        for served in range(1, FILES_PER_READER + 1):
            request = _receive(requests, None)
            if request is None:
                break
            used = resource.getrusage(resource.RUSAGE_SELF)
            soft = int(used.ru_utime + used.ru_stime) + 1 + TIME_BUDGET_SECONDS
            resource.setrlimit(resource.RLIMIT_CPU, (soft if cpu_hard == resource.RLIM_INFINITY
                                                     else min(soft, cpu_hard), cpu_hard))
            asked, sha256, sent = pickle.loads(request)
            data = None
            if sent:
                data = _receive(requests, None)
                if data is None:
                    break
                data = bytes(data)
            try:
                result = (True, _read_in_process(asked, registry, data, sha256))
            except LimitError as error:
                result = (None, str(error))
            except ReadError as error:
                result = (False, str(error))
            retire = served == FILES_PER_READER or _rss_bytes() - start_rss > GROWTH_BEFORE_RECYCLE
            _send(replies, pickle.dumps(result + (retire, asked), protocol=pickle.HIGHEST_PROTOCOL))
            if retire:
                break
    except BaseException:  # noqa: BLE001 - not even the answer could be sent: out of memory
        code = 3
    finally:
        os._exit(code)


class _ReaderProcess:
    """A forked reader process of this process, kept between files."""

    def __init__(self, registry, config):
        self.registry, self.config = registry, config
        requests_r, self.requests = os.pipe()
        _widen(self.requests)
        self.replies, replies_w = os.pipe()
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - the reader process
            die_with_parent(parent)  # never outlives the process it reads for (even one killed outright)
            os.close(self.requests)
            os.close(self.replies)
            _serve(requests_r, replies_w, registry)
        os.close(requests_r)
        os.close(replies_w)

    def stop(self, kill: bool = False) -> int:
        for fd in (self.requests, self.replies):
            try:
                os.close(fd)
            except OSError:
                pass
        if kill:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
        return os.waitpid(self.pid, 0)[1]

    def read(self, path, data: bytes | None = None, sha256: str | None = None) -> tuple[bool, Any, bool]:
        """(ok, answers or message, whether this reader process is gone).

        A request interrupted half way (a signal, KeyboardInterrupt) kills the reader process:
        its answer must never be taken for the next file's."""
        try:
            _send(self.requests, pickle.dumps((str(path), sha256, data is not None)))
            if data is not None:
                _send(self.requests, data)  # its own frame: the bytes are never copied into a pickle
            reply = _receive(self.replies, time.monotonic() + WALL_BUDGET_SECONDS)
        except TimeoutError:
            self.stop(kill=True)
            return None, f"reading took longer than the limit per file ({WALL_BUDGET_SECONDS} s); refused", True
        except OSError:  # the reader process is gone (a broken pipe)
            reply = None
        except BaseException:
            self.stop(kill=True)
            _current.update(pid=None, reader=None)
            raise
        if reply is None:
            return None, _death(self.stop()), True
        ok, result, retire, answered = pickle.loads(reply)
        if answered != str(path):  # cannot happen while requests and replies stay paired; never guess
            self.stop(kill=True)
            return None, f"{INTERNAL_ERROR}: the reading process answered for another file", True
        if retire:
            self.stop()
        return ok, result, retire


def _widen(pipe: int) -> None:
    """A request carries the file's bytes (a filled PDF is ~1 MB): a pipe that holds them at once
    spares the two processes taking turns at 64 KB (Linux; elsewhere, or when refused, as is)."""
    try:
        import fcntl

        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass


def _death(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number in (signal.SIGXCPU, signal.SIGKILL):
            return f"reading needs more processor time than the limit per file ({TIME_BUDGET_SECONDS} s); refused"
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
        return f"{INTERNAL_ERROR}: the reading process ended with signal {name}"
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 3:
        return f"reading needs more memory than the limit per file ({MEMORY_BUDGET_MB} MB); refused"
    return f"{INTERNAL_ERROR}: the reading process ended without an answer"


_current: dict[str, Any] = {"pid": None, "reader": None}


def _forget_after_fork() -> None:
    """A forked child (a compile worker) must start its own reader process, not share ours."""
    reader = _current["reader"]
    if reader is not None:
        for fd in (reader.requests, reader.replies):
            try:
                os.close(fd)
            except OSError:
                pass
    _current.update(pid=None, reader=None)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def _config() -> tuple:
    """What a reader process was forked with; a change (tests lower the limits) needs a new one."""
    from lovande_docs import readers

    return TIME_BUDGET_SECONDS, MEMORY_BUDGET_MB, WALL_BUDGET_SECONDS, readers.read_form


def shutdown() -> None:
    """Stop this process's reader process and wait for it (its time and memory count as ours)."""
    reader = _current["reader"]
    if reader is not None and _current["pid"] == os.getpid():
        reader.stop()
    _current.update(pid=None, reader=None)


atexit.register(shutdown)


def _read_in_child(path, registry, data=None, sha256=None) -> dict[str, Any]:
    reader, config = _current["reader"], _config()
    if reader is not None and (reader.registry is not registry or reader.config != config
                               or _current["pid"] != os.getpid()):
        shutdown()
        reader = None
    if reader is None:
        reader = _ReaderProcess(registry, config)
        _current.update(pid=os.getpid(), reader=reader)
    ok, result, gone = reader.read(path, data, sha256)
    if gone:
        _current.update(pid=None, reader=None)
    if not ok:
        raise (ReadError if ok is False else LimitError)(result)
    return result
