"""What the FoU unit sets on the report's cover and in its metadata: title, its own name (the
author) and the date, from --title / --author / --date or a small YAML file (--report-meta), the
options winning over the file."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from lovande_docs.model.located import SAFE_LOADER

KEYS = ("title", "author", "date")


class ReportMetaError(ValueError):
    """One line for the user: what is wrong with the file or the option."""


@dataclass(frozen=True)
class ReportMeta:
    title: str | None = None
    author: str | None = None
    date: dt.date | None = None

    def updated(self, title: str | None = None, author: str | None = None, date: str | None = None) -> ReportMeta:
        """These values over the file's (None: keep the file's)."""
        return replace(self, title=title if title else self.title, author=author if author else self.author,
                       date=parse_date(date) if date else self.date)


def parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ReportMetaError(f"date {value!r}: give it as YYYY-MM-DD") from None


def load_report_meta(path: Path) -> ReportMeta:
    """The YAML file's title, author and date (any of them)."""
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except OSError as error:
        raise ReportMetaError(f"cannot read: {error.strerror or error}") from None
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise ReportMetaError(f"not YAML: {str(error).splitlines()[0]}") from None
    if data is None:
        return ReportMeta()
    if not isinstance(data, dict) or not set(data) <= set(KEYS):
        raise ReportMetaError(f"expected a mapping with {', '.join(KEYS)}")
    text = {k: (str(data[k]).strip() or None) if data.get(k) is not None else None for k in ("title", "author")}
    return ReportMeta(text["title"], text["author"], parse_date(data["date"]) if data.get("date") else None)
