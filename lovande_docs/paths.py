"""Where the shipped content and layouts live, so commands work from any directory.

Installed from a wheel (pip, pipx), they are package data under ``lovande_docs/_shipped/`` (setup.py
copies ``content/``, ``layouts/`` and ``schemas/`` there), found with importlib.resources. In a
clone (and an editable install, which copies nothing) they are the repository's own folders, so
Socialstyrelsen's editors see their edits at once; ``--content`` and ``--layout`` name any other file.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parent.parent  # the repository, when running from a clone


def _data_root() -> Path:
    """The folder holding content/, layouts/ and schemas/: the package's data if installed, else the clone."""
    packaged = files("lovande_docs") / "_shipped"
    if isinstance(packaged, Path) and (packaged / "content").is_dir():
        return packaged
    return SOURCE_ROOT


PROJECT_ROOT = _data_root()  # kept under this name: layout.py and older callers join "layouts" to it
CONTENT_DIR = PROJECT_ROOT / "content"
DEFAULT_CONTENT = CONTENT_DIR / "lovande-arbetssatt.yaml"
LAYOUTS_DIR = PROJECT_ROOT / "layouts"
DEFAULT_LAYOUT = LAYOUTS_DIR / "socialstyrelsen.yaml"
SCHEMAS_DIR = PROJECT_ROOT / "schemas"
DEFAULT_OUTPUT = Path("output")
