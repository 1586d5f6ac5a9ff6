"""The answers store: one JSON file per form, keyed by the file's SHA-256.

It is the cache between runs (``.lovande-cache/`` beside the workbook, or ``--cache DIR``) and,
with ``--no-cache``, a temporary spill folder: either way the full answers of a form live on disk
and the compiler holds only a small record per form, so memory stays flat as forms are added.

Entries live under a *salt*: a hash of the tool version, the reader and the content hashes of
every model version the registry knows. A new tool version, a different reader or a changed model
therefore reads every file afresh. The folders of other salts are removed once they have not been
used for ``STALE_AFTER_DAYS`` (another tool version sharing the folder keeps its own while in use).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from lovande_docs import __version__
from lovande_docs.answers import SCHEMA

DEFAULT_DIR_NAME = ".lovande-cache"
STALE_AFTER_DAYS = 60
_SALT = re.compile(r"[0-9a-f]{20}")


def reader_name(reader: Callable) -> str:
    return f"{reader.__module__}:{reader.__qualname__}"


def cache_salt(reader: Callable, content_hashes: Iterable[str]) -> str:
    key = json.dumps({"tool": __version__, "schema": SCHEMA, "reader": reader_name(reader),
                      "models": sorted(content_hashes)}, sort_keys=True)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


class AnswerStore:
    """``root/<salt>/<sha[:2]>/<sha>.json`` holding ``{"answers": {...}}`` or ``{"error": "..."}``."""

    def __init__(self, root: Path, salt: str):
        self.root = Path(root)
        self.salt = salt
        self.folder = self.root / salt

    def path_for(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / f"{sha256}.json"

    def load(self, sha256: str) -> dict[str, Any] | None:
        try:
            with open(self.path_for(sha256), encoding="utf-8") as handle:
                entry = json.load(handle)
        except (OSError, ValueError):
            return None  # absent, or half-written by a killed run: read the file again
        return entry if isinstance(entry, dict) and ("answers" in entry or "error" in entry) else None

    def save(self, sha256: str, entry: dict[str, Any]) -> None:
        """Atomically, so parallel workers never see half."""
        write_atomically(self.path_for(sha256), lambda out: out.write(dumps(entry, separators=(",", ":"))))


def dumps(value: Any, **options: Any) -> str:
    """JSON as UTF-8 text where it can be; a value holding a file name that is not valid Unicode
    (lone surrogates, as the platform keeps undecodable bytes) is written with ASCII escapes
    instead, which JSON allows and reads back exactly (a UTF-8 file cannot hold them raw)."""
    text = json.dumps(value, ensure_ascii=False, **options)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, ensure_ascii=True, **options)
    return text


def write_atomically(target: Path, write: Callable[[TextIO], object]) -> None:
    """``write(out)`` into a temporary file beside ``target``, then rename it into place: a reader
    sees the old file or the new one, never half (a killed run leaves only a ``.tmp-`` file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            write(out)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_stale(root: Path, current: str, days: float = STALE_AFTER_DAYS) -> list[Path]:
    """Remove the folders of other salts not used for ``days``; the ones removed."""
    removed = []
    limit = time.time() - days * 86_400
    try:
        folders = [f for f in Path(root).iterdir() if _SALT.fullmatch(f.name) and f.name != current
                   and f.is_dir() and not f.is_symlink()]
    except OSError:
        return removed
    for folder in folders:
        try:
            if folder.stat().st_mtime < limit:  # every run renames its file index into its folder
                shutil.rmtree(folder)
                removed.append(folder)
        except OSError:
            pass  # in use, or not ours to remove: left as it is
    return removed
