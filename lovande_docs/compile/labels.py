"""The compiled summary's own Swedish words (sheet names, headings), kept in labels.yaml."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from lovande_docs.model.located import SAFE_LOADER

LABELS_FILE = Path(__file__).with_name("labels.yaml")


@lru_cache(maxsize=1)
def labels() -> dict[str, Any]:
    return yaml.load(LABELS_FILE.read_text(encoding="utf-8"), Loader=SAFE_LOADER)


def label(dotted: str, **values: object) -> Any:
    """``label("columns.file")``; strings get ``{placeholders}`` filled in."""
    node: Any = labels()
    for part in dotted.split("."):
        node = node[part]
    return node.format(**values) if isinstance(node, str) and values else node
