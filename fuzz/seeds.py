"""The seeds: filled guides in both formats, built deterministically by the project's own code."""
from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path


def build_seeds(work: Path) -> dict[str, list[Path]]:
    """{format: [seed files]}: a filled .docx; a filled PDF, the same with object streams (qpdf)
    and with an incremental update (as pdf.js saves). Built once into ``work`` and reused."""
    from lovande_docs.fill import FILLERS
    from lovande_docs.layout import load_layout
    from lovande_docs.model import load_model
    from lovande_docs.paths import DEFAULT_CONTENT
    from lovande_docs.render import renderer

    work.mkdir(parents=True, exist_ok=True)
    model, layout = load_model(DEFAULT_CONTENT), load_layout()
    values = seed_values(model, random.Random(13))
    seeds: dict[str, list[Path]] = {"docx": [], "pdf": []}
    for fmt in ("docx", "pdf"):
        filled = work / f"filled.{fmt}"
        if not filled.exists():
            blank = work / f"blank.{fmt}"
            renderer(fmt)(model, layout, blank)
            FILLERS[fmt](blank, values, filled, model)
        seeds[fmt].append(filled)
    objstm = work / "filled-objstm.pdf"
    qpdf = shutil.which("qpdf")
    if qpdf and not objstm.exists():
        # object streams, left uncompressed (QDF) so that byte changes inside them stay structural
        subprocess.run([qpdf, "--object-streams=generate", "--qdf", str(work / "filled.pdf"), str(objstm)],
                       check=False, capture_output=True, timeout=120)
    if objstm.exists():
        seeds["pdf"].append(objstm)
    incremental = work / "filled-incremental.pdf"
    if not incremental.exists():
        _incremental_update(work / "filled.pdf", incremental)
    seeds["pdf"].append(incremental)
    return seeds


def seed_values(model, rng: random.Random) -> dict[str, str]:
    """{field name: value} for about four fields in five: codes for ticks and drop-downs, Swedish
    text (with å, ä, ö and a line break) for text fields, an ISO date for dates."""
    from lovande_docs import fields as field_ids

    values = {}
    for definition in field_ids.all_fields(model):
        if rng.random() < 0.2:
            continue
        if definition.kind in ("choice", "select"):
            values[definition.name] = rng.choice(definition.options.codes)
        elif definition.kind == "date":
            values[definition.name] = "2026-05-04"
        else:
            values[definition.name] = rng.choice(("Sollentuna kommun", "Stöd i hemmet för äldre",
                                                  "Vi följer upp målen.\nÅrlig återkoppling till nämnden."))
    return values


def _incremental_update(source: Path, target: Path) -> None:
    """Append an update that rewrites one text field's value, as a viewer's save does."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(str(source), incremental=True)
    for field in writer._root_object["/AcroForm"]["/Fields"]:
        node = field.get_object()
        if node.get("/FT") == "/Tx":
            node[NameObject("/V")] = TextStringObject("Ändrat i efterhand")
            break
    with open(target, "wb") as out:
        writer.write(out)
