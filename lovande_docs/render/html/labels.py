"""The web edition's own Swedish words (buttons, messages, warnings), kept in labels.yaml."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from lovande_docs.model.located import SAFE_LOADER

LABELS_FILE = Path(__file__).with_name("labels.yaml")


@lru_cache(maxsize=1)
def ui_labels() -> dict[str, str]:
    return yaml.load(LABELS_FILE.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
