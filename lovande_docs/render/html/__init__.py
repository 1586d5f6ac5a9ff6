"""The web edition: the guide as one self-contained, fillable HTML file (issue #23).

Modules, one job each: ``labels`` (the page's own Swedish words, labels.yaml), ``inline`` (markup
→ HTML, footnotes; every span kind in one table), ``controls`` (form controls named by the shared
field identities), ``blocks`` (the block sequence → HTML, landmark by landmark), ``fonts`` (the
layout's fonts subset and inlined), ``style`` (CSS from the layout and style.css), ``data`` (what
the script needs to know), ``page`` (head, Content-Security-Policy, tools panel) and script.js
(overview, check, save to and open from a file, crash-recovery copy). See docs/web-edition.md.
"""
from __future__ import annotations

from pathlib import Path

from lovande_docs.document import Revisions, build_document
from lovande_docs.layout import Layout
from lovande_docs.model import Model
from lovande_docs.render.html.blocks import HtmlBuilder
from lovande_docs.render.html.data import data_script
from lovande_docs.render.html.fonts import embedded_faces
from lovande_docs.render.html.labels import ui_labels
from lovande_docs.render.html.page import SCRIPT, page
from lovande_docs.render.html.style import stylesheet


def write_html(model: Model, layout: Layout, path: Path, revisions: Revisions | None = None) -> None:
    """Write the guide; with ``revisions``, a prefilled guide's notes and appendix (see prefill.py)."""
    ui = ui_labels()
    parts = HtmlBuilder(model, layout, ui).build(build_document(model, revisions))
    text = "".join(parts.header + parts.nav + parts.main + parts.footer) + "".join(map(str, ui.values()))
    style = stylesheet(layout, embedded_faces(layout, text))
    html = page(model, ui, parts, style, SCRIPT.read_text(encoding="utf-8"), data_script(model, ui))
    Path(path).write_bytes(html.encode("utf-8"))
