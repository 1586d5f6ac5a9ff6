"""The file index: what the last compile learned about each file, found again without reading it.

A warm compile of thousands of forms spent most of its first pass hashing every file and loading
its answers from the store only to find nothing had changed. Like git's index, this remembers each
file by where it is and how it looks on disk (size, modification and change time, inode) together
with its SHA-256 and its record, and trusts an entry only while all of these are the same.

A file changed within the clock's resolution of the moment it was looked at (FAT and network
shares keep modification times to the second or two) could look unchanged, so an entry is only
trusted when the file was already ``SETTLE_SECONDS`` old when it was recorded; a younger file is
hashed again. Only outcomes that are facts about a file's bytes are kept (its answers, or the
reader's error); a time or memory limit is not. The index lives beside the answers it points to,
under the store's salt, so a new tool version or model starts afresh.
"""
from __future__ import annotations

import itertools
import json
import os
from dataclasses import fields
from pathlib import Path

from lovande_docs.compile.cache import dumps, write_atomically
from lovande_docs.compile.record import FormRecord
from lovande_docs.filenames import shown

INDEX_NAME = "files.json"
SETTLE_SECONDS = 3  # a file younger than this when it was looked at is hashed again next time
_VERSION = 3  # 3: a problem keeps its values
_NOT_STORED = ("path", "file", "cached", "signature", "seen_ns", "settled")
_STORED = tuple(f.name for f in fields(FormRecord) if f.name not in _NOT_STORED)


def signature(stat: os.stat_result) -> list[int]:
    """How a file looks on disk: any write, rename over it or copy in its place changes one of these."""
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev]


class FileIndex:
    """``folder/files.json``: absolute path → [signature, when it was taken, the record's values].

    Compact, since a compile of thousands of forms holds it: the record's values are a list in
    the order the file names once (a record with other fields makes the whole index unusable,
    so it is ignored), and a record found or read in this run is kept by reference, not copied."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / INDEX_NAME
        self._entries: dict[str, list] = {}
        self._seen: dict[str, FormRecord] = {}
        try:
            with open(self.path, encoding="utf-8") as handle:
                data = json.load(handle)
            if (isinstance(data, dict) and data.get("version") == _VERSION and data.get("fields") == list(_STORED)
                    and isinstance(data.get("files"), dict)):
                self._entries = data["files"]
        except (OSError, ValueError):
            pass  # none yet, or damaged: every file is hashed as if new

    @staticmethod
    def key(path: str | Path) -> str:
        return os.path.abspath(path)

    def lookup(self, path: str, stat: os.stat_result) -> FormRecord | None:
        """The record of ``path`` if the file is as it was when recorded, else None."""
        entry = self._entries.pop(self.key(path), None)  # found or not, this run decides its entry
        try:
            stored_signature, seen_ns, values = entry
            if stored_signature != signature(stat) or seen_ns - stat.st_mtime_ns < SETTLE_SECONDS * 1_000_000_000:
                return None  # changed, or recorded too soon after it was written for the times to tell
            record = FormRecord(path=path, file=shown(Path(path).name), **dict(zip(_STORED, values, strict=True)))
        except (TypeError, ValueError):
            return None  # no entry, or not of the shape written below
        record.cached, record.signature, record.seen_ns, record.settled = True, stored_signature, seen_ns, True
        record.asked = tuple(record.asked)
        record.problems = [(*p[:3], tuple(p[3])) for p in record.problems]
        return record

    def remember(self, record: FormRecord) -> None:
        """Keep ``record`` if its outcome is a fact about the file (see FormRecord.settled)."""
        if record.settled and record.signature:
            self._seen[self.key(record.path)] = record

    def save(self) -> None:
        """This run's files, and the files of other runs that are still there (atomically)."""
        entries = {k: v for k, v in self._entries.items() if k not in self._seen and os.path.exists(k)}
        rows = itertools.chain(entries.items(), ((k, [r.signature, r.seen_ns, [getattr(r, f) for f in _STORED]])
                                                 for k, r in self._seen.items()))

        def write(out) -> None:
            out.write(json.dumps({"version": _VERSION, "fields": _STORED})[:-1] + ', "files": {')
            for number, (key, entry) in enumerate(rows):
                out.write(("," if number else "") + dumps(key) + ":" + dumps(entry, separators=(",", ":")))
            out.write("}}")

        try:
            write_atomically(self.path, write)
        except OSError:
            pass  # a read-only cache folder: the run still works, only slower next time
