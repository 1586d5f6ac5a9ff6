"""Read every input file, in parallel, through the answers store (cache), one small record each.

A worker hashes the file, looks the hash up in the store, reads the file only on a miss, writes
the answers to the store and sends back a :class:`FormRecord`; the answers themselves never
travel back to the main process, and no file's bytes are held longer than it takes to hash them.
"""
from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path
from typing import Any

from lovande_docs.compile.cache import AnswerStore
from lovande_docs.compile.fileindex import FileIndex, signature
from lovande_docs.compile.record import FormRecord, describe
from lovande_docs.readers.guard import LimitError
from lovande_docs.filenames import shown
from lovande_docs.lifeline import die_with_parent
from lovande_docs.readers.safety import ReadError, read_file

# A reader takes a path, the file's bytes and their SHA-256 (read and hashed once, by the caller)
# and returns the answers structure (FormAnswers.to_dict()) or raises ReadError. It must be a
# module-level function so worker processes can import it.
Reader = Callable[[Path, bytes, str], dict[str, Any]]


def default_reader(path: Path, data: bytes | None = None, sha256: str | None = None) -> dict[str, Any]:
    """The real readers (lovande_docs.readers) with the registry of known model versions, each file
    read in a child process with the per-file time and memory limits (readers/guard.py); without
    ``data``, the file is read there."""
    from lovande_docs.readers.guard import read_guarded
    from lovande_docs.readers.registry import load_registry

    return read_guarded(path, load_registry(), data, sha256)


def process_file(path: str, reader: Reader, store: AnswerStore) -> FormRecord:
    """Read one file (or take it from the store) into a record. Never raises for a bad file."""
    file = Path(path)
    try:
        stat = file.stat()
    except OSError as error:
        return FormRecord(path, shown(file.name), 0, 0.0, None, error=f"cannot read: {error.strerror or error}")
    record = FormRecord(path, shown(file.name), stat.st_size, stat.st_mtime, None, signature=signature(stat),
                        seen_ns=time.time_ns())
    try:  # a file too large, a FIFO or a device is refused here, before any byte is read
        data, record.sha256 = read_file(file)
    except ReadError as error:
        record.error = str(error)
        return record
    entry = store.load(record.sha256)
    record.cached = entry is not None
    if entry is None:
        try:
            entry = {"answers": reader(file, data, record.sha256)}
        except LimitError as error:  # a time or memory limit: may pass on a calmer machine, so not cached
            record.error = str(error)
            return record
        except ReadError as error:
            entry = {"error": str(error)}
        except Exception as error:  # noqa: BLE001 - a reader bug must not stop the run; not cached, may be transient
            record.error = f"unexpected error while reading: {type(error).__name__}: {error}"
            return record
        try:
            store.save(record.sha256, entry)
        except OSError:
            pass  # a read-only cache folder: the run still works, only slower next time
    record.settled = True
    if "error" in entry:
        record.error = entry["error"]
        return record
    return describe(record, entry["answers"])


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _process_chunk(paths: list[str], reader: Reader, store: AnswerStore) -> list[FormRecord]:
    return [process_file(path, reader, store) for path in paths]


@contextmanager
def _pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool whose workers die with this process (even killed outright: lifeline.py) and stop at
    once when the run stops — an interrupt, an error, the records no longer wanted — instead of
    reading every queued file first, as leaving a ``with ProcessPoolExecutor`` would."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        processes = list((getattr(pool, "_processes", None) or {}).values())  # the executor's own workers
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(5)
        raise
    pool.shutdown()


WORKER_DIED = "the process reading this file died (it may be damaged in a way the reader cannot survive)"


def collect(paths: Sequence[Path], reader: Reader, store: AnswerStore, jobs: int | None = None,
            index: FileIndex | None = None) -> Iterator[FormRecord]:
    """Records in the order of ``paths``, streamed as they are ready: a file the ``index`` knows
    unchanged from its record there, the others read (or taken from the store) in parallel."""
    names = [str(p) for p in paths]
    known: dict[int, FormRecord] = {}
    if index is not None:
        for i, name in enumerate(names):
            try:
                record = index.lookup(name, os.stat(name))
            except OSError:
                continue  # read below, where the error is reported
            if record is not None:
                known[i] = record
    fresh = _read_all([n for i, n in enumerate(names) if i not in known], reader, store, jobs)
    for i in range(len(names)):
        yield known[i] if i in known else next(fresh)


def _read_all(names: list[str], reader: Reader, store: AnswerStore, jobs: int | None) -> Iterator[FormRecord]:
    """Records of ``names`` in their order, read in parallel.

    A worker process that dies (killed, out of memory, a crash in a C library) does not end the
    run: the files it may have been reading are read again, alone, in a fresh pool; a file that
    kills a worker reading nothing else gets an error record, the others are read as usual.
    """
    if not names:
        return
    jobs = max(1, min(jobs or default_jobs(), len(names)))
    work = partial(process_file, reader=reader, store=store)
    if jobs == 1:
        yield from map(work, names)
        return
    if reader is default_reader:  # import once here; forked workers share it
        import lovande_docs.readers.docx
        import lovande_docs.readers.pdf  # noqa: F401
    # small chunks: the few files not yet in the cache must not all land on one worker
    size = max(1, min(8, len(names) // (jobs * 16)))
    pending = deque(list(range(start, min(start + size, len(names)))) for start in range(0, len(names), size))
    suspects: deque[int] = deque()
    done: dict[int, FormRecord] = {}
    next_index = 0
    while pending or suspects:
        if suspects:  # read alone, so that a file that kills its worker is the only one blamed
            i = suspects.popleft()
            with _pool(1) as pool:
                try:
                    done[i] = pool.submit(work, names[i]).result()
                except BrokenProcessPool:
                    done[i] = FormRecord(names[i], shown(Path(names[i]).name), 0, 0.0, None, error=WORKER_DIED)
        else:
            with _pool(jobs) as pool:
                submitted = [(chunk, pool.submit(_process_chunk, [names[i] for i in chunk], reader, store))
                             for chunk in pending]
                pending.clear()
                failed = []
                for chunk, future in submitted:
                    try:
                        records = future.result()
                    except BrokenProcessPool:
                        failed.append(chunk)
                        continue
                    done.update(zip(chunk, records))
                    while next_index in done:
                        yield done.pop(next_index)
                        next_index += 1
            # the pool hands out work in order, at most one more chunk than it has workers: only
            # the first failed chunks can have been running when a worker died
            suspects.extend(i for chunk in failed[:jobs + 1] for i in chunk)
            pending.extend(failed[jobs + 1:])
        while next_index in done:
            yield done.pop(next_index)
            next_index += 1
