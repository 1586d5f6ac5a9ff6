"""Model versions: how they are ordered and where a content folder keeps them.

Layout of a content folder (``content/`` and any extra folder handed to the registry)::

    content/lovande-arbetssatt.yaml              the first published version (2026.1); its path
                                                 stays stable because docs and tools name it
    content/lovande-arbetssatt/2027.1.yaml       every later version: <model-id>/<version>.yaml

Which version a file holds is what its ``model.version`` says; in a ``<model-id>/`` folder the file
name must agree (the registry reports a mismatch). The latest version is the highest by
:func:`version_key`, never the newest file.
"""
from __future__ import annotations

import re
from pathlib import Path

_PIECES = re.compile(r"\d+|[A-Za-z]+")
_END = (1, -1, "")  # sorts after any letters (a pre-release tag) and before any further number


def version_key(version: str) -> tuple:
    """Sort key comparing numbers as numbers: 2026.9 < 2026.10 < 2027.1, 2027.1-rc1 < 2027.1."""
    key = [(1, int(piece), "") if piece.isdigit() else (0, 0, piece.lower()) for piece in _PIECES.findall(version)]
    return tuple(key) + (_END,)


def split_ref(text: str) -> tuple[str, str] | None:
    """``lovande-arbetssatt@2026.1`` → (model id, version); None if the text is not of that form."""
    model_id, at, version = text.partition("@")
    if not at or not model_id or not version or "/" in model_id or "\\" in model_id:
        return None
    return model_id, version


def version_path(content_dir: Path, model_id: str, version: str) -> Path:
    """Where a new version of a model belongs in a content folder."""
    return content_dir / model_id / f"{version}.yaml"


def declared_by_path(path: Path, model_id: str) -> str | None:
    """The version a file's place claims (``<model-id>/<version>.yaml``), or None if it claims none."""
    if path.parent.name == model_id:
        return path.stem
    return None


def content_files(content_dir: Path) -> list[Path]:
    """Every model file of a content folder: top-level files and the version folders below."""
    if not content_dir.is_dir():
        return []
    return sorted(p for p in content_dir.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
