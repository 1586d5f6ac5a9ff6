"""Processes that end with the run that started them, and telling whether a run is still alive.

A compile killed outright (SIGKILL, the OOM killer, a closed terminal) cannot clean up after
itself. Its children must not live on, reading files and holding the caller's pipes: every child
asks to die with its parent (``die_with_parent``). Its private temp folder stays behind, marked
with the run's process id and start time, and the next run removes it once that process is gone
(``owner_mark`` / ``owner_gone``). On Linux the kernel kills a child whose parent dies
(PR_SET_PDEATHSIG); elsewhere a thread of the child watches the pipe or handle multiprocessing
keeps to its parent and ends the child when it closes (Windows included).
"""
from __future__ import annotations

import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """Call first thing in a child process: it is killed when ``parent`` (its parent's id) dies."""
    if sys.platform.startswith("linux") and _pdeathsig():
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)
        return
    _watch_parent()


def _pdeathsig() -> bool:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError, ImportError):
        return False


def _watch_parent() -> None:
    """A multiprocessing child's portable fallback: its parent's sentinel becomes ready when the
    parent ends (a pipe's end on POSIX, a process handle on Windows)."""
    import multiprocessing
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    sentinel = getattr(parent, "sentinel", None)
    if sentinel is None:
        return

    def watch() -> None:
        wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="lovande-parent-watch", daemon=True).start()


def start_time(pid: int) -> str:
    """When process ``pid`` started, as the kernel counts it (Linux), so that a later process that
    happens to get the same id is not taken for it; "" where the platform does not say."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return fields[19].decode()  # field 22, starttime (fields counted after the name)
    except (OSError, IndexError):
        return ""


def owner_mark() -> str:
    """This process as a run's owner: "<pid> <start time>"."""
    return f"{os.getpid()} {start_time(os.getpid())}".strip()


def owner_gone(mark: str) -> bool:
    """True only when the process a mark names has certainly ended (never for an unreadable mark)."""
    parts = mark.split()
    if not parts or not parts[0].isdigit():
        return False
    pid = int(parts[0])
    if pid == os.getpid():
        return False
    if not alive(pid):
        return True
    started = start_time(pid)
    return len(parts) > 1 and bool(started) and started != parts[1]  # the id now belongs to another process


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists (in doubt: yes). Never ``os.kill(pid, 0)`` on Windows, where
    it would end that process."""
    if sys.platform == "win32":
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _alive_windows(pid: int) -> bool:  # pragma: no cover - Windows
    try:
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() != 87  # ERROR_INVALID_PARAMETER: no such process
        try:
            code = ctypes.c_ulong()
            return not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)) or code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    except (OSError, AttributeError):
        return True
