"""Atomic output for ``lovande compile``: a run either replaces every file it was asked for, or
leaves the previous ones exactly as they were.

Each output is written to a hidden temporary sibling (``.NAME.PID.part.SUFFIX``, same folder, so the
rename is atomic) and renamed into place only when every output is complete. Temporary files that
libraries make on their own (row files, spooled data) go to a private folder in the system's temp
directory that is removed however the run ends. SIGTERM is turned into KeyboardInterrupt for the
run, so a killed compile unwinds like Ctrl-C and cleans up the same way.
"""
from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PART = ".part"


def staged_name(target: Path) -> Path:
    """The temporary sibling a target is written to (keeps the suffix: writers look at it)."""
    return target.with_name(f".{target.name}.{os.getpid()}{PART}{target.suffix}")


class StagedOutputs:
    """Hands out temporary paths for the outputs; ``commit`` renames them all into place."""

    def __init__(self) -> None:
        self._staged: dict[Path, Path] = {}

    def path(self, target: Path | None) -> Path | None:
        if target is None:
            return None
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target not in self._staged:
            _remove_orphans(target)
        return self._staged.setdefault(target, staged_name(target))

    def commit(self) -> None:
        """Rename every staged file into place, signals held back so the set is never left half
        replaced."""
        with held_signals():
            for target, temporary in self._staged.items():
                os.replace(temporary, target)
            self._staged.clear()

    def discard(self) -> None:
        with held_signals():
            for temporary in self._staged.values():
                temporary.unlink(missing_ok=True)
            self._staged.clear()


def _remove_orphans(target: Path) -> None:
    """Remove the staged files of earlier runs that were killed outright (SIGKILL, power loss):
    those whose process is gone."""
    prefix, suffix = f".{target.name}.", f"{PART}{target.suffix}"
    for path in target.parent.glob(f".{glob_escape(target.name)}.*{glob_escape(suffix)}"):
        pid = path.name[len(prefix):-len(suffix)]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            path.unlink(missing_ok=True)


def glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def held_signals() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done (a second Ctrl-C cannot cut a clean-up short)."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}) if _main_thread() else None
    try:
        yield
    finally:
        if old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _interrupt_handler(owner: int):
    """A handler that turns the signal into KeyboardInterrupt in the process that installed it. A
    forked worker inherits it, but must die of the signal as usual: caught there, a worker that its
    pool terminates would carry on with half-finished work (a reader's answer left in its pipe)."""
    def handler(signum, frame) -> None:
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt(signal.Signals(signum).name)
    return handler


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGTERM (and SIGINT, even where it was ignored) raise KeyboardInterrupt inside the block;
    the previous handlers come back after it. A no-op outside the main thread."""
    if not _main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    handler = _interrupt_handler(os.getpid())
    for s in previous:
        signal.signal(s, handler)
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)


@contextmanager
def private_tempdir() -> Iterator[Path]:
    """Point ``tempfile`` at a fresh folder for the block and remove it afterwards, so whatever a
    library spools there never outlives the run."""
    folder = Path(tempfile.mkdtemp(prefix="lovande-compile-"))
    previous = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = previous
        with held_signals():
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def atomic_outputs() -> Iterator[StagedOutputs]:
    """The three together: staged outputs, committed only if the block finishes."""
    staged = StagedOutputs()
    with interruptible(), private_tempdir():
        try:
            yield staged
            staged.commit()
        finally:
            staged.discard()
