"""The layout file: page, colours, fonts and spacing that both renderers read, never hard-code."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

from lovande_docs.paths import PROJECT_ROOT

DEFAULT_LAYOUT = PROJECT_ROOT / "layouts" / "socialstyrelsen.yaml"


class LayoutError(Exception):
    """A layout file that is missing, malformed, or lacks a value a renderer asks for."""


@dataclass(frozen=True)
class Layout:
    source: str
    values: Mapping[str, Any]

    def get(self, dotted: str) -> Any:
        """``layout.get("type.body_pt")``: a missing key is a LayoutError naming file and key."""
        node: Any = self.values
        for part in dotted.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise LayoutError(f"{self.source}: missing layout value {dotted!r}")
            node = node[part]
        return node

    def number(self, dotted: str) -> float:
        value = self.get(dotted)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise LayoutError(f"{self.source}: layout value {dotted!r} must be a number, found {value!r}")
        return float(value)

    def color(self, dotted: str) -> str:
        value = self.get(dotted)
        if not (isinstance(value, str) and len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value)):
            raise LayoutError(f"{self.source}: layout value {dotted!r} must be a hex colour like '00305E', found {value!r}")
        return value.upper()


def load_layout(path: str | Path | None = None) -> Layout:
    path = Path(path) if path else DEFAULT_LAYOUT
    try:
        values = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise LayoutError(f"{path}: cannot read: {error.strerror or error}") from None
    except yaml.YAMLError as error:
        raise LayoutError(f"{path}: YAML syntax error: {error}") from None
    if not isinstance(values, dict):
        raise LayoutError(f"{path}: a layout file must be a mapping")
    return Layout(str(path), values)
