"""The compiled summary's own Swedish words (sheet names, headings, the report's sentences), kept
in labels.yaml.

A count takes its noun's right form in the label itself: ``{units:enhet|enheter}`` writes "1 enhet"
and "2 enheter" (``plural``, the one place where Swedish plurals are chosen)."""
from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from lovande_docs.model.located import SAFE_LOADER

LABELS_FILE = Path(__file__).with_name("labels.yaml")


@lru_cache(maxsize=1)
def labels() -> dict[str, Any]:
    return yaml.load(LABELS_FILE.read_text(encoding="utf-8"), Loader=SAFE_LOADER)


def plural(count: int, one: str, many: str) -> str:
    """"1 dubblett", "0 dubbletter", "2 dubbletter" (Swedish: the singular for one only)."""
    return f"{count}\u00a0{one if count == 1 else many}"


class _Formatter(string.Formatter):
    """str.format, plus a ``one|many`` format spec that writes the count with its noun."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec:
            one, _, many = format_spec.partition("|")
            return plural(int(value), one, many)
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def label(dotted: str, **values: object) -> Any:
    """``label("columns.file")``; strings get ``{placeholders}`` filled in."""
    node: Any = labels()
    for part in dotted.split("."):
        node = node[part]
    return _FORMATTER.format(node, **values) if isinstance(node, str) and values else node


def join_and(items: list[str], conjunction: str = "report.and") -> str:
    """"a, b och c" ("a, b eller c" with ``report.or``): a Swedish list, the conjunction from labels.yaml."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {label(conjunction)} {items[-1]}"
