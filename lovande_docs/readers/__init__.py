"""Readers: filled .docx, .odt and .pdf copies of the guide, and the web edition's answers files
(JSON) → the one answers structure."""
from __future__ import annotations

import hashlib
from pathlib import Path

from lovande_docs.answers import FormAnswers, Source
from lovande_docs.filenames import shown
from lovande_docs.readers.interpret import RawForm, interpret
from lovande_docs.readers.registry import Registry, load_registry
from lovande_docs.readers.formats import detect
from lovande_docs.readers.safety import ReadError, read_file

__all__ = ["ReadError", "read_form", "read_raw"]


def read_raw(data: bytes, fmt: str, registry: Registry | None = None) -> RawForm:
    if fmt == "pdf":
        from lovande_docs.readers.pdf import read_pdf

        return read_pdf(data)
    if fmt == "html":
        from lovande_docs.readers.answers_file import read_answers_file

        return read_answers_file(data, registry)
    if fmt == "odt":
        from lovande_docs.readers.odt import read_odt

        return read_odt(data, registry)
    from lovande_docs.readers.docx import read_docx

    return read_docx(data, registry)


def read_form(path: str | Path, registry: Registry | None = None, data: bytes | None = None,
              sha256: str | None = None) -> FormAnswers:
    """Read one filled form. Raises ReadError (message without the file name) for a bad file.

    ``data``: the file's bytes when the caller has read them already (and ``sha256``, their digest,
    when it has hashed them): what is read is then exactly what the caller hashed."""
    path = Path(path)
    if data is None:
        data, sha256 = read_file(path)
    fmt = detect(data)  # by content; a format we do not read is a ReadError naming it
    source = Source(shown(path.name), sha256 or hashlib.sha256(data).hexdigest(), fmt, len(data))
    registry = registry or load_registry()
    return interpret(read_raw(data, fmt, registry), source, registry)
