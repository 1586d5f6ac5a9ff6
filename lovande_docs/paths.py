"""Where the shipped content and layouts live, so commands work from any directory."""
from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = PROJECT_ROOT / "content"
DEFAULT_CONTENT = CONTENT_DIR / "lovande-arbetssatt.yaml"
DEFAULT_OUTPUT = Path("output")
