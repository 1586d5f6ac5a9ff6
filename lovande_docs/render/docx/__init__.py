"""The Word renderer: the guide as an editable, fillable .docx (issue #3).

Modules, one job each: ``xml`` (namespaces, element builder), ``package`` (OPC parts, properties,
reproducible ZIP), ``styles`` (styles/numbering/settings from the layout), ``inline`` (markup →
runs), ``footnotes``, ``toc``, ``headers`` (running headers, footer, section properties),
``tables``, ``boxes`` (boxes and fields as bordered paragraphs, not one-cell tables),
``navigation`` (model figure, element strip, home link), ``pictures`` (the house symbol as an
image with alt text), ``controls`` (content
controls and their bookmarks; what LibreOffice does to them) and ``writer`` (blocks → Word).
"""
from __future__ import annotations

from pathlib import Path

from lovande_docs import __version__
from lovande_docs.document import Revisions
from lovande_docs.identity import identity
from lovande_docs.layout import Layout
from lovande_docs.model import Model
from lovande_docs.render.docx import package as opc
from lovande_docs.render.docx.footnotes import PARTNAME as FOOTNOTES
from lovande_docs.render.docx.styles import numbering_part, settings_part, styles_part
from lovande_docs.render.docx.writer import Writer
from lovande_docs.render.docx.xml import part_root

# Core-property dates are fixed so two builds of the same model are byte-identical; the model's
# version and content hash (custom properties) say which content a file holds, not a timestamp.
FIXED_DATE = "2000-01-01T00:00:00Z"


def write_docx(model: Model, layout: Layout, path: Path, revisions: Revisions | None = None) -> None:
    """Write the guide; with ``revisions``, a prefilled guide's notes and appendix (see prefill.py)."""
    pkg = opc.Package()
    root_rels = pkg.rels_of("/")
    root_rels.add("document", "word/document.xml")
    root_rels.add("core", "docProps/core.xml")
    root_rels.add("app", "docProps/app.xml")
    root_rels.add("custom", "docProps/custom.xml")
    rels = pkg.rels_of("/word/document.xml")
    document = part_root("w:document")
    pkg.add("/word/document.xml", document)  # first entry after the package parts, as Word writes it
    rels.add("styles", "styles.xml")
    rels.add("settings", "settings.xml")
    rels.add("numbering", "numbering.xml")
    rels.add("footnotes", "footnotes.xml")
    writer = Writer(model, layout, pkg, revisions)
    document.append(writer.write())
    pkg.add("/word/styles.xml", styles_part(layout, model.meta.language))
    pkg.add("/word/settings.xml", settings_part(layout, model.meta.language))
    pkg.add("/word/numbering.xml", numbering_part(layout))
    pkg.add(FOOTNOTES, writer.footnotes.root)
    meta = model.meta
    generator = f"lovande-docs {__version__}"
    pkg.add("/docProps/core.xml", opc.core_properties(
        title=meta.title, subject=meta.subtitle,
        keywords="; ".join([meta.title, *(c.title for c in model.categories)]),
        language=meta.language, creator=generator, revision_date=FIXED_DATE))
    pkg.add("/docProps/app.xml", opc.app_properties(generator))
    pkg.add("/docProps/custom.xml", opc.custom_properties(identity(model)))
    pkg.save(Path(path))
