"""The guide as a fillable PDF (reportlab platypus): ``write_pdf(model, layout, path)``.

Modules: fonts (TrueType family), styles (paragraph styles from the layout), inline (markup to
paragraph XML, footnotes), formfields (AcroForm widgets drawn by flowables), figures (model map,
element strip, house), pages (templates, header/footer, canvas additions), assemble (blocks to
flowables), structure and tagging (the tagged PDF/UA structure: what each flowable is, recorded
as it draws). Two passes settle the table of contents' page numbers.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from reportlab import rl_config
from reportlab.platypus import tables

from lovande_docs import identity as ids
from lovande_docs.document import Revisions, build_document
from lovande_docs.layout import Layout
from lovande_docs.model import Model
from lovande_docs.render.pdf.assemble import StoryBuilder
from lovande_docs.render.pdf.fonts import register_fonts
from lovande_docs.render.pdf.pages import GuideTemplate, RunningHeader, canvas_maker
from lovande_docs.render.pdf.styles import build_styles
from lovande_docs.render.pdf.tagging import xmp


@contextmanager
def _binary_streams():
    """Flate-only streams for this build: reportlab's default ASCII85 layer on top of Flate makes
    the file a quarter larger and costs build time, and no reader needs it."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


@contextmanager
def _default_font(name: str):
    """The layout's font as reportlab's default for this build (the canvas's initial font, table
    cells), so no page names the unembedded Helvetica that reportlab otherwise sets."""
    saved = rl_config.canvas_basefontname, tables.CellStyle.fontname
    rl_config.canvas_basefontname = tables.CellStyle.fontname = name
    try:
        yield
    finally:
        rl_config.canvas_basefontname, tables.CellStyle.fontname = saved


def write_pdf(model: Model, layout: Layout, path: Path, revisions: Revisions | None = None,
              answers: dict[str, str] | None = None) -> None:
    """Write the guide; with ``revisions``, a prefilled guide's notes and appendix (see prefill.py);
    with ``answers`` (field name → value, what the filler will write), pages at the end that hold
    every answer too long for its box."""
    with _binary_streams(), _default_font(register_fonts(layout).regular):
        _write(model, layout, path, revisions, answers)


def _write(model: Model, layout: Layout, path: Path, revisions: Revisions | None, answers=None) -> None:
    styles = build_styles(layout)
    header = RunningHeader()
    builder = StoryBuilder(model, styles, header, answers)
    story = builder.build(build_document(model, revisions))
    identity = ids.identity(model)
    meta = model.meta
    doc = GuideTemplate(
        path, styles, meta.title, header, builder.footnotes,
        title=meta.title, subject=meta.subtitle, author="",
        keywords=[meta.title, *(c.title for c in model.categories)],
        lang=meta.language, displayDocTitle=True, invariant=True, pageCompression=1,
    )
    creator = identity[ids.GENERATOR]
    metadata = xmp(meta.title, meta.language, creator=creator)
    doc.multiBuild(story, canvasmaker=canvas_maker(identity, creator, builder.describe_link, metadata))
