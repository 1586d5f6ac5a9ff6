"""The few figures of a compiled report that a later compile compares with ("since the last
compile"): the report's date, its units (as short hashes of their identity, no names), and per
element the shares the summary states.

Kept in the cache beside the answers, one file per report path (``reports/NAME-HASH.json``),
holding the last snapshot of each date that report was written on (a few kB a year). The compile
to compare with is the latest one dated before this report that shares at least half of its
units with this one, whatever report file it wrote: compiling again the same day (a corrected
form, a .docx after the .pdf) still compares with the last real round, "rapport-2027.pdf" finds
"rapport-2026.pdf", and a cache shared by other units' compiles is not mixed in. ``--previous
FILE`` names a file instead (e.g. one kept from an old cache). A missing or damaged file means no
comparison, never a failed compile.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lovande_docs.compile.cache import write_atomically
from lovande_docs.compile.dedupe import unit_identity
from lovande_docs.compile.record import FormRecord

FORMAT = "lovande-report-summary/1"
FOLDER = "reports"
KEEP_DATES = 50  # snapshots kept per report file (one per date)


class SnapshotError(ValueError):
    """A snapshot file that cannot be used (one line for the user)."""


def unit_key(record: FormRecord) -> str:
    """A unit's identity as dedupe sees it (organisation and arbetssätt), hashed: a form without
    them is a unit of its own (its SHA-256)."""
    unit = unit_identity(record)
    identity = "\x00".join(unit) if unit else record.sha256 or record.path
    return hashlib.sha256(identity.encode()).hexdigest()[:16]


@dataclass
class Snapshot:
    date: str  # ISO date of the report
    count: int  # units
    units: list[str]  # unit_key of each unit
    elements: dict[str, dict[str, Any]]  # id → number, title, units, top, weak, yes (shares or None)
    overall: dict[str, int]  # overall assessment code ("" none) → units

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "history": [asdict(self)]}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: Any) -> Snapshot:
        try:
            return cls(str(data["date"]), int(data["count"]), [str(u) for u in data["units"]],
                       {str(k): dict(v) for k, v in data["elements"].items()},
                       {str(k): int(v) for k, v in data["overall"].items()})
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise SnapshotError(f"damaged report summary ({error})") from None

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        """The latest snapshot of a file's history."""
        history = _history(text)
        if not history:
            raise SnapshotError("the report summary is empty")
        return history[-1]

    def shares_units_with(self, units: set[str]) -> bool:
        """At least half of this snapshot's units are among ``units`` (the same units, mostly)."""
        return bool(self.units) and 2 * len(units.intersection(self.units)) >= len(self.units)


def _history(text: str) -> list[Snapshot]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SnapshotError(f"not a report summary: {error}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("history"), list):
        raise SnapshotError(f"not a report summary ({FORMAT})")
    return sorted((Snapshot.from_dict(item) for item in data["history"]), key=lambda s: s.date)


def read_snapshot(path: Path) -> Snapshot:
    """The latest snapshot in ``path``; SnapshotError (or OSError) saying why not."""
    try:
        return Snapshot.from_json(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise SnapshotError(f"not a report summary: {error}") from None


def snapshot_path(cache_root: Path, report: Path) -> Path:
    """Where the compiles that write ``report`` keep their snapshots."""
    where = str(Path(report).resolve())
    return Path(cache_root) / FOLDER / f"{Path(report).stem}-{hashlib.sha256(where.encode()).hexdigest()[:12]}.json"


def find_previous(folder: Path, before: str, units: set[str]) -> Snapshot | None:
    """The latest snapshot in ``folder`` dated before ``before`` (ISO) that shares most of its
    units with ``units``; damaged files are passed over."""
    best: Snapshot | None = None
    try:
        files = sorted(Path(folder).glob("*.json"))
    except OSError:
        return None
    for file in files:
        try:
            history = _history(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, SnapshotError):
            continue
        for snapshot in history:
            if snapshot.date < before and snapshot.shares_units_with(units) and (
                    best is None or snapshot.date > best.date):
                best = snapshot
    return best


def save_snapshot(path: Path, snapshot: Snapshot) -> None:
    """Add ``snapshot`` to the file's history, in place of one of the same date."""
    try:
        history = _history(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SnapshotError):
        history = []
    history = [s for s in history if s.date != snapshot.date] + [snapshot]
    history = sorted(history, key=lambda s: s.date)[-KEEP_DATES:]
    text = json.dumps({"format": FORMAT, "history": [asdict(s) for s in history]}, ensure_ascii=False,
                      sort_keys=True)
    write_atomically(path, lambda out: out.write(text))
