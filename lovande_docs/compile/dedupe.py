"""Never lose or double-count a form: duplicates (same SHA-256) and revisions of one unit's form.

- The same bytes twice (same SHA-256): the first file (in input order) is counted, the others are
  listed as duplicates of it.
- Forms of the same unit (same organisation and arbetssätt, compared without case and extra
  spaces) are revisions of one form: the latest counts, the earlier ones are kept in Översikt as
  superseded. "Latest" is the later date in Vår bedömning; only when a form of the group has no
  date that can be read is the file's modification time used instead, for the whole group.
- A form without organisation or arbetssätt cannot be matched with others: it counts on its own.
- A blank guide (nothing filled in) is listed as "tom blankett" and not counted.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from lovande_docs.compile.record import FormRecord

DUPLICATE, SUPERSEDED, LATEST, SINGLE, FAILED, BLANK = "duplicate", "superseded", "latest", "single", "failed", "blank"


@dataclass
class Decision:
    kind: str
    counted: bool
    other: int | None = None  # the index of the form this one duplicates / is superseded by
    group_size: int = 1
    problems: list[tuple[str, dict]] = field(default_factory=list)  # (problem kind, message values)


def normalise(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def unit_identity(record) -> tuple[str, str] | None:
    """What makes forms one unit's: its organisation and arbetssätt, normalised; None where either
    is missing (such a form is a unit of its own)."""
    organisation, practice = normalise(record.organisation), normalise(record.practice)
    return (organisation, practice) if organisation and practice else None


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NORDIC = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(text: str | None) -> dt.date | None:
    """The date a unit wrote: 2026-11-20 (also with a time), 20/11/2026, 20.11.2026, 20261120."""
    if not text:
        return None
    text = text.strip()
    for pattern, order in ((_ISO, (0, 1, 2)), (_COMPACT, (0, 1, 2)), (_NORDIC, (2, 1, 0))):
        match = pattern.search(text)
        if match:
            parts = [int(g) for g in match.groups()]
            try:
                return dt.date(parts[order[0]], parts[order[1]], parts[order[2]])
            except ValueError:
                return None
    return None


def decide(records: list[FormRecord]) -> list[Decision]:
    decisions: list[Decision] = [Decision(SINGLE, True) for _ in records]
    first_by_hash: dict[str, int] = {}
    groups: dict[tuple[str, str], list[int]] = {}
    for index, record in enumerate(records):
        if not record.ok:
            decisions[index] = Decision(FAILED, False)
            continue
        if record.sha256 in first_by_hash:
            original = first_by_hash[record.sha256]
            decisions[index] = Decision(DUPLICATE, False, original,
                                        problems=[("duplicate", {"file": records[original].shown_path})])
            continue
        first_by_hash[record.sha256] = index
        if record.blank:  # the unfilled guide: listed, never counted, never a revision of anything
            decisions[index] = Decision(BLANK, False, problems=[("blank", {})])
            continue
        unit = unit_identity(record)
        if unit is None:
            decisions[index].problems.append(("no_identity_fields", {}))
            continue
        groups.setdefault(unit, []).append(index)
    for members in groups.values():
        if len(members) == 1:
            continue
        dates = {i: parse_date(records[i].date) for i in members}
        by_date = all(dates.values())
        for i in members:
            if dates[i] is None:
                mtime = dt.datetime.fromtimestamp(records[i].mtime).strftime("%Y-%m-%d %H:%M")
                if records[i].date:
                    decisions[i].problems.append(("bad_date", {"value": records[i].date, "mtime": mtime}))
                else:
                    decisions[i].problems.append(("no_date", {"mtime": mtime}))
        if by_date:
            ordered = sorted(members, key=lambda i: (dates[i], records[i].mtime, i))
        else:
            ordered = sorted(members, key=lambda i: (records[i].mtime, i))
        latest = ordered[-1]
        decisions[latest].kind, decisions[latest].group_size = LATEST, len(members)
        for i in ordered[:-1]:
            decisions[i].kind, decisions[i].counted, decisions[i].other = SUPERSEDED, False, latest
            decisions[i].group_size = len(members)
            decisions[i].problems.append(("revision", {"file": records[latest].shown_path}))
    return decisions
