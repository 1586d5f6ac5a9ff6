"""The layout file: page, colours, fonts and spacing that both renderers read, never hard-code."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

from lovande_docs.model.located import SAFE_LOADER
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

    def font_file(self, dotted: str) -> str:
        """The TrueType file a layout value names, found on this machine: the path as written, else
        the same file in the usual font folders (Windows, macOS, Linux), else the metric-compatible
        Arial face that Windows and macOS have. A font found nowhere is one LayoutError line."""
        wanted = Path(str(self.get(dotted)))
        if wanted.is_file():
            return str(wanted)
        names = [wanted.name, *_ARIAL_TWINS.get(wanted.name, ())]
        for folder in font_folders():
            for name in names:
                for candidate in (folder / name, folder / name.lower()):
                    if candidate.is_file():
                        return str(candidate)
        raise LayoutError(f"{self.source}: font file for {dotted!r} not found: {wanted} (install the "
                          f"Liberation Sans fonts, e.g. Debian's fonts-liberation, or Arial)")

    def color(self, dotted: str) -> str:
        value = self.get(dotted)
        if not (isinstance(value, str) and len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value)):
            raise LayoutError(f"{self.source}: layout value {dotted!r} must be a hex colour like '00305E', found {value!r}")
        return value.upper()


def load_layout(path: str | Path | None = None) -> Layout:
    path = Path(path) if path else DEFAULT_LAYOUT
    try:
        values = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except OSError as error:
        raise LayoutError(f"{path}: cannot read: {error.strerror or error}") from None
    except yaml.YAMLError as error:
        raise LayoutError(f"{path}: YAML syntax error: {error}") from None
    if not isinstance(values, dict):
        raise LayoutError(f"{path}: a layout file must be a mapping")
    return Layout(str(path), values)


# Liberation Sans is metric-compatible with Arial: the same widths, so the same line breaks.
_ARIAL_TWINS = {
    "LiberationSans-Regular.ttf": ("Arial.ttf", "arial.ttf"),
    "LiberationSans-Bold.ttf": ("Arial Bold.ttf", "arialbd.ttf"),
    "LiberationSans-Italic.ttf": ("Arial Italic.ttf", "ariali.ttf"),
    "LiberationSans-BoldItalic.ttf": ("Arial Bold Italic.ttf", "arialbi.ttf"),
}


def font_folders() -> list[Path]:
    """Where this machine keeps TrueType fonts (the user's own first)."""
    home = Path.home()
    if sys.platform.startswith("win"):
        folders = [Path(os.environ.get("LOCALAPPDATA", home)) / "Microsoft" / "Windows" / "Fonts",
                   Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    elif sys.platform == "darwin":
        folders = [home / "Library" / "Fonts", Path("/Library/Fonts"),
                   Path("/System/Library/Fonts/Supplemental"), Path("/System/Library/Fonts")]
    else:
        roots = [home / ".local" / "share" / "fonts", home / ".fonts", Path("/usr/local/share/fonts"),
                 Path("/usr/share/fonts")]
        folders = [folder for root in roots if root.is_dir()
                   for folder in [root, *sorted(p for p in root.rglob("*") if p.is_dir())]]
    return [folder for folder in folders if folder.is_dir()]
