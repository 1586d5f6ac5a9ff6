"""The few figures of a compiled report that the next compile compares with ("since the last
compile"): the date, the units (as short hashes of their identity, no names), and per element the
shares the summary states.

Kept in the cache beside the answers, keyed by the report's path (``reports/NAME-HASH.json``), so
compiling the same report again finds it; ``--previous FILE`` names another (a copy kept from last
year). A missing or damaged snapshot means no comparison, never a failed compile.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lovande_docs.compile.cache import write_atomically
from lovande_docs.compile.dedupe import normalise
from lovande_docs.compile.record import FormRecord

FORMAT = "lovande-report-summary/1"
FOLDER = "reports"


class SnapshotError(ValueError):
    """A snapshot file that cannot be used (one line for the user)."""


def unit_key(record: FormRecord) -> str:
    """A unit's identity as dedupe sees it (organisation and arbetssätt), hashed: a form without
    them is a unit of its own (its SHA-256)."""
    if record.organisation and record.practice:
        identity = f"{normalise(record.organisation)}\x00{normalise(record.practice)}"
    else:
        identity = record.sha256 or record.path
    return hashlib.sha256(identity.encode()).hexdigest()[:16]


@dataclass
class Snapshot:
    date: str
    count: int  # units
    units: list[str]  # unit_key of each unit
    elements: dict[str, dict[str, Any]]  # id → number, title, units, top, weak, yes (shares or None)
    overall: dict[str, int]  # overall assessment code ("" none) → units

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, **asdict(self)}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise SnapshotError(f"not a report summary ({FORMAT})")
        try:
            return cls(str(data["date"]), int(data["count"]), [str(u) for u in data["units"]],
                       {str(k): dict(v) for k, v in data["elements"].items()},
                       {str(k): int(v) for k, v in data["overall"].items()})
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise SnapshotError(f"damaged report summary ({error})") from None


def read_snapshot(path: Path) -> Snapshot:
    """The snapshot in ``path``; SnapshotError (or OSError) saying why not."""
    try:
        return Snapshot.from_json(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SnapshotError(f"not a report summary: {error}") from None


def snapshot_path(cache_root: Path, report: Path) -> Path:
    """Where the compile that writes ``report`` keeps its snapshot (one per report file)."""
    where = str(Path(report).resolve())
    return Path(cache_root) / FOLDER / f"{Path(report).stem}-{hashlib.sha256(where.encode()).hexdigest()[:12]}.json"


def load_previous(path: Path) -> Snapshot | None:
    """The snapshot the last compile of this report left, or None (none yet, or damaged)."""
    try:
        return read_snapshot(path)
    except (OSError, SnapshotError):
        return None


def save_snapshot(path: Path, snapshot: Snapshot) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, lambda out: out.write(snapshot.to_json()))
