"""Atomic output for ``lovande compile``: a run either replaces every file it was asked for, or
leaves the previous ones exactly as they were.

Each output is written to a hidden temporary sibling (``.NAME.PID.part.SUFFIX``, same folder, so the
rename is atomic) and renamed into place only when every output is complete. Temporary files that
libraries make on their own (row files, spooled data) go to a private folder in the system's temp
directory that is removed however the run ends; a run killed outright (SIGKILL) leaves it, marked
with its process, and the next run removes it (lifeline.py). SIGTERM is turned into
KeyboardInterrupt for the run, so a killed compile unwinds like Ctrl-C and cleans up the same way
(interrupts.py). ``lovande parse -o`` writes its one output the same way.

Before anything is read, every output is checked: none may be an input or another output
(``check_distinct``), and each is created as its staged file at once, so a folder that cannot be
written is named (the file the user asked for, never the hidden staged one) before a minute of
reading is lost.
"""
from __future__ import annotations

import errno
import os
import shutil
import signal
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from lovande_docs import lifeline
from lovande_docs.filenames import shown
from lovande_docs.interrupts import _main_thread, raising, recorded

PART = ".part"
PRIVATE_PREFIX = "lovande-compile-"
OWNER_FILE = ".owner"  # in a private temp folder: "<pid> <start time>" of the run that made it
commits = 0  # how many output sets this process has committed (an interrupt's message tells)


class OutputClash(ValueError):
    """An output that is an input or another output; the message names both (one line)."""


def staged_name(target: Path) -> Path:
    """The temporary sibling a target is written to (keeps the suffix: writers look at it)."""
    return target.with_name(f".{target.name}.{os.getpid()}{PART}{target.suffix}")


class StagedOutputs:
    """Hands out temporary paths for the outputs; ``commit`` renames them all into place."""

    def __init__(self) -> None:
        self._staged: dict[Path, Path] = {}

    def path(self, target: Path | None) -> Path | None:
        """The staged file for ``target``, created at once (empty): an output that cannot be
        written fails here, as an OSError naming ``target``."""
        if target is None:
            return None
        target = Path(target)
        if target not in self._staged:
            temporary = staged_name(target)
            try:
                if target.is_dir():
                    raise IsADirectoryError(errno.EISDIR, "it is a folder")
                target.parent.mkdir(parents=True, exist_ok=True)
                _remove_orphans(target)
                self._staged[target] = temporary  # first: an interrupt right after the file appears removes it
                os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666))
            except OSError as error:
                self._staged.pop(target, None)
                raise _about(error, target) from None
        return self._staged[target]

    def commit(self) -> None:
        """Rename every staged file into place, signals held back so the set is never left half
        replaced."""
        global commits
        with held_signals():
            for target, temporary in self._staged.items():
                try:
                    os.replace(temporary, target)
                except OSError as error:
                    raise _about(error, target) from None
            self._staged.clear()
            commits += 1

    def discard(self) -> None:
        with held_signals():
            for temporary in self._staged.values():
                temporary.unlink(missing_ok=True)
            self._staged.clear()


def _about(error: OSError, target: Path) -> OSError:
    """The error as about ``target``, the file the user named (not the staged file or a folder)."""
    return type(error)(error.errno, error.strerror or str(error), str(target))


def check_distinct(inputs: Iterable[str | Path], outputs: dict[str, Path | None]) -> None:
    """OutputClash unless every output (``{what: path}``, e.g. ``{"the report": …}``) differs from
    every input file and from every other output: by the resolved path and, for files that exist,
    by device and inode (a hard link, another spelling, a case-insensitive file system). Inputs
    are only looked at when an output exists already (one that does not cannot be an input)."""
    seen: dict = {}
    for what, path in ((what, Path(path)) for what, path in outputs.items() if path is not None):
        identities: set = {os.path.normcase(os.path.realpath(path))}
        try:
            found = os.stat(path)
            identities.add((found.st_dev, found.st_ino))
        except OSError:
            pass
        for identity in identities:
            if identity in seen:
                raise OutputClash(f"{shown(path)}: given as both {seen[identity][0]} and {what}; "
                                  "give each output its own file")
        seen.update(dict.fromkeys(identities, (what, path)))
    existing = {identity: given for identity, given in seen.items() if isinstance(identity, tuple)}
    if not existing:
        return
    for source in inputs:
        try:
            found = os.stat(source)
        except OSError:
            continue
        if (found.st_dev, found.st_ino) in existing:
            what, path = existing[(found.st_dev, found.st_ino)]
            raise OutputClash(f"{shown(path)}: {what} would replace the input file {shown(source)}; "
                              "nothing was read or written (choose another output file)")


def _remove_orphans(target: Path) -> None:
    """Remove the staged files of earlier runs that were killed outright (SIGKILL, power loss):
    those whose process is gone."""
    prefix, suffix = f".{target.name}.", f"{PART}{target.suffix}"
    for path in target.parent.glob(f".{glob_escape(target.name)}.*{glob_escape(suffix)}"):
        pid = path.name[len(prefix):-len(suffix)]
        if pid.isdigit() and int(pid) != os.getpid() and not lifeline.alive(int(pid)):
            path.unlink(missing_ok=True)


def glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


@contextmanager
def held_signals() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done (a second Ctrl-C cannot cut a clean-up short).
    The signal mask holds them where there is one; as a signal sent to the process may still reach
    another of its threads (a pool's), and Windows has no mask, one that comes is also only recorded
    by the command's handler and raised after the block (interrupts.recorded)."""
    with recorded():
        masked = _main_thread() and hasattr(signal, "pthread_sigmask")
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}) if masked else None
        try:
            yield
        finally:
            if old is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextmanager
def private_tempdir() -> Iterator[Path]:
    """Point ``tempfile`` at a fresh folder for the block and remove it afterwards, so whatever a
    library spools there never outlives the run. The folder is marked with this process; the
    folders of runs killed outright (their process gone) are removed first."""
    remove_dead_runs(Path(tempfile.gettempdir()))
    folder = Path(tempfile.mkdtemp(prefix=PRIVATE_PREFIX))
    previous = tempfile.tempdir
    try:
        (folder / OWNER_FILE).write_text(lifeline.owner_mark(), encoding="ascii")
        tempfile.tempdir = str(folder)
        yield folder
    finally:
        tempfile.tempdir = previous
        with held_signals():
            shutil.rmtree(folder, ignore_errors=True)


def remove_dead_runs(temp: Path) -> list[Path]:
    """Remove the private temp folders whose owner process has ended (only those: a folder
    without a readable mark, or of a run still going, is left alone); the ones removed."""
    removed = []
    try:
        candidates = [p for p in temp.iterdir() if p.name.startswith(PRIVATE_PREFIX)]
    except OSError:
        return removed
    for folder in candidates:
        try:
            if folder.is_symlink() or not folder.is_dir():
                continue
            mark = (folder / OWNER_FILE).read_text(encoding="ascii")
        except (OSError, ValueError):
            continue
        if lifeline.owner_gone(mark):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


@contextmanager
def atomic_outputs() -> Iterator[StagedOutputs]:
    """The three together: staged outputs, committed only if the block finishes."""
    staged = StagedOutputs()
    with raising(), private_tempdir():
        try:
            yield staged
            staged.commit()
        finally:
            staged.discard()
