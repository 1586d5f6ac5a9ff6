"""Renderers: each lays the model out in one format, styled from the layout; none holds guide text."""
from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Callable

from lovande_docs.layout import Layout
from lovande_docs.model import Model

# format → "module:function"; each function is (model, layout, path) -> None
RENDERERS = {
    "docx": "lovande_docs.render.docx:write_docx",
    "pdf": "lovande_docs.render.pdf:write_pdf",
    "html": "lovande_docs.render.html:write_html",
}


def renderer(fmt: str) -> Callable[[Model, Layout, Path], None]:
    module, function = RENDERERS[fmt].split(":")
    return getattr(import_module(module), function)
