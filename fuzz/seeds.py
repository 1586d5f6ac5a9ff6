"""The seeds: filled guides in every format read, built deterministically by the project's own code
(and, for .odt, by LibreOffice from the filled .docx, as a unit's LibreOffice saves it)."""
from __future__ import annotations

import random
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

FORMATS = ("docx", "pdf", "odt")


class SeedError(RuntimeError):
    """A seed cannot be made here (a tool missing or failing); the message says what to do."""


def build_seeds(work: Path, formats: tuple[str, ...] = FORMATS) -> dict[str, list[Path]]:
    """{format: [seed files]}: a filled .docx; a filled PDF, the same with object streams (qpdf)
    and with an incremental update (as pdf.js saves); the filled .docx saved as .odt by
    LibreOffice, and the same without LibreOffice's extensions (plain ODF: bookmarks and tick
    glyphs only). Built once into ``work`` and reused."""
    from lovande_docs.fill import FILLERS
    from lovande_docs.layout import load_layout
    from lovande_docs.model import load_model
    from lovande_docs.paths import DEFAULT_CONTENT
    from lovande_docs.render import renderer

    work.mkdir(parents=True, exist_ok=True)
    model, layout = load_model(DEFAULT_CONTENT), load_layout()
    values = seed_values(model, random.Random(13))
    seeds: dict[str, list[Path]] = {"docx": [], "pdf": []}
    for fmt in ("docx", "pdf") if "pdf" in formats else ("docx",):  # the .odt seeds are made from the .docx
        filled = work / f"filled.{fmt}"
        if not filled.exists():
            blank = work / f"blank.{fmt}"
            renderer(fmt)(model, layout, blank)
            FILLERS[fmt](blank, values, filled, model)
        seeds[fmt].append(filled)
    if "pdf" in formats:
        _pdf_variants(work, seeds["pdf"])
    if "odt" in formats:
        seeds["odt"] = _odt_seeds(work)
    return {fmt: paths for fmt, paths in seeds.items() if fmt in formats}


def _pdf_variants(work: Path, seeds: list[Path]) -> None:
    """The filled PDF with object streams made by qpdf, and with an incremental update."""
    objstm = work / "filled-objstm.pdf"
    qpdf = shutil.which("qpdf")
    if qpdf and not objstm.exists():
        # object streams, left uncompressed (QDF) so that byte changes inside them stay structural
        subprocess.run([qpdf, "--object-streams=generate", "--qdf", str(work / "filled.pdf"), str(objstm)],
                       check=False, capture_output=True, timeout=120)
    if objstm.exists():
        seeds.append(objstm)
    incremental = work / "filled-incremental.pdf"
    if not incremental.exists():
        _incremental_update(work / "filled.pdf", incremental)
    seeds.append(incremental)


def _odt_seeds(work: Path) -> list[Path]:
    filled, plain = work / "filled.odt", work / "filled-plain.odt"
    if not filled.exists():
        soffice = shutil.which("soffice")
        if soffice is None:
            raise SeedError("the .odt seeds are made by LibreOffice from the filled .docx, and soffice is not "
                            "on PATH; install LibreOffice Writer (Debian: libreoffice-writer) or fuzz another --format")
        with tempfile.TemporaryDirectory(prefix="lovande-fuzz-lo-") as private:
            # a private profile: no user's settings, no lock shared with a LibreOffice already running
            done = subprocess.run([soffice, f"-env:UserInstallation=file://{private}/profile", "--headless",
                                   "--norestore", "--convert-to", "odt", "--outdir", private,
                                   str(work / "filled.docx")], capture_output=True, timeout=300, check=False)
            made = Path(private) / "filled.odt"
            if done.returncode or not made.exists():
                said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
                raise SeedError(f"LibreOffice could not convert the filled .docx to .odt "
                                f"(exit status {done.returncode}: {said[-1] if said else 'no message'})")
            _write_odt(filled, _odt_entries(made, _stable))
    if not plain.exists():
        _write_odt(plain, _odt_entries(filled, _without_extensions))
    return [filled, plain]


def _odt_entries(path: Path, change) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(path) as package:
        return [(info, change(info.filename, package.read(info))) for info in package.infolist()]


def _write_odt(target: Path, entries) -> None:
    """The entries in their order, each with its own compression (the mimetype first and stored), with
    a fixed date: the same bytes on every machine."""
    from fuzz.mutate_zip import rezip

    partial = target.with_suffix(".partial")
    partial.write_bytes(rezip(entries, keep_methods=True))
    partial.replace(target)


def _stable(name: str, data: bytes) -> bytes:
    """What LibreOffice makes up anew on each save: random list ids, the revision-save ids."""
    if name == "content.xml":
        ids: dict[bytes, bytes] = {}
        return re.sub(rb'xml:id="list\d+"', lambda m: ids.setdefault(m.group(0), b'xml:id="list%d"' % (len(ids) + 1)),
                      data)
    if name == "settings.xml":
        return re.sub(rb'(config:name="Rsid(?:Root)?" config:type="int">)\d+', rb"\g<1>1", data)
    return data


def _without_extensions(name: str, data: bytes) -> bytes:
    """content.xml as an ODF 1.3 save without LibreOffice's extensions: no loext: content controls."""
    if name != "content.xml":
        return data
    data = re.sub(rb"<loext:list-item [^>]*/>", b"", data)
    return re.sub(rb"</?loext:content-control[^>]*>", b"", data)


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
