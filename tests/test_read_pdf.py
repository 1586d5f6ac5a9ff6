"""PDF specifics: forms filled by pdftk and PyMuPDF, incremental updates, UTF-16 text, unknown identity."""
from __future__ import annotations

import subprocess

import pytest

from answers_strategies import SAMPLE, expected, strip_answers
from conftest import require_tool
from lovande_docs.fill import field_values
from lovande_docs.fill.pdf import fill_pdf
from lovande_docs.readers import ReadError, read_form


def _xfdf(values: dict[str, str]) -> str:
    from xml.sax.saxutils import escape

    fields = "".join(f'<field name="{escape(n)}"><value>{escape(v)}</value></field>' for n, v in values.items())
    return ('<?xml version="1.0" encoding="UTF-8"?><xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve">'
            f"<fields>{fields}</fields></xfdf>")


def test_pdftk_filled_form_reads_back(model, built_pdf, tmp_path):
    pdftk = require_tool("pdftk")
    values = field_values(SAMPLE, model)
    xfdf = tmp_path / "svar.xfdf"
    xfdf.write_text(_xfdf(values), encoding="utf-8")
    target = tmp_path / "pdftk.pdf"
    subprocess.run([pdftk, str(built_pdf), "fill_form", str(xfdf), "output", str(target)], check=True,
                   capture_output=True, timeout=120)
    assert strip_answers(read_form(target).to_dict()) == expected(model, SAMPLE)


def test_pymupdf_filled_form_reads_back_and_shows(model, built_pdf, tmp_path):
    import pymupdf

    values = field_values(SAMPLE, model)
    document = pymupdf.open(built_pdf)
    for page in document:
        for widget in page.widgets():
            name = widget.field_name
            if name not in values:
                continue
            if widget.field_type == pymupdf.PDF_WIDGET_TYPE_RADIOBUTTON:
                if widget.on_state() == values[name]:
                    widget.field_value = widget.on_state()
                    widget.update()
            else:
                widget.field_value = values[name]
                widget.update()
    target = tmp_path / "pymupdf.pdf"
    document.save(target)
    assert strip_answers(read_form(target).to_dict()) == expected(model, SAMPLE)
    text = subprocess.run([require_tool("pdftotext"), "-enc", "UTF-8", str(target), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "Föräldrastöd i grupp" in text  # the value is drawn, not only stored


def test_incremental_update_newest_value_wins(model, built_pdf, tmp_path):
    from pypdf import PdfWriter

    first = tmp_path / "forsta.pdf"
    fill_pdf(built_pdf, {"namngivna-teorier__description": "Gammal text"}, first, model)
    writer = PdfWriter(str(first), incremental=True)
    for page in writer.pages:
        writer.update_page_form_field_values(page, {"namngivna-teorier__description": "Ny text"}, auto_regenerate=False)
    second = tmp_path / "andra.pdf"
    with open(second, "wb") as out:
        writer.write(out)
    assert second.read_bytes().startswith(first.read_bytes())  # really an appended update
    assert read_form(second).to_dict()["questions"]["namngivna-teorier"]["description"] == "Ny text"


def test_utf16_and_unknown_identity(model, built_pdf, tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(built_pdf)))
    for page in writer.pages:
        writer.update_page_form_field_values(page, {"vart-valda-arbetssatt__arbetssatt": "Ωmega – “citat” ✓"},
                                             auto_regenerate=False)
    writer.add_metadata({"/LovandeModelVersion": "1999.1", "/LovandeContentHash": "0" * 64})
    target = tmp_path / "okand.pdf"
    with open(target, "wb") as out:
        writer.write(out)
    form = read_form(target).to_dict()
    assert form["practice"]["arbetssatt"] == "Ωmega – “citat” ✓"
    assert form["model"]["known"] is False
    assert [p["kind"] for p in form["problems"]] == ["unknown_model"]


def test_aes256_owner_password_only_form_reads_back(model, built_pdf, tmp_path):
    """Every viewer opens a file with only an owner password (AES-256 here, with restrictions);
    so does the reader, without asking for a password."""
    qpdf = require_tool("qpdf")
    filled = tmp_path / "ifylld.pdf"
    fill_pdf(built_pdf, field_values(SAMPLE, model), filled, model)
    target = tmp_path / "skyddad.pdf"
    subprocess.run([qpdf, "--encrypt", "", "agarlosen", "256", "--extract=n", "--modify=form", "--",
                    str(filled), str(target)], check=True, capture_output=True, timeout=60)
    shown = subprocess.run([qpdf, "--show-encryption", str(target)], capture_output=True, text=True).stdout
    assert "string encryption method: AESv3" in shown  # really AES-256: the values are encrypted strings
    assert strip_answers(read_form(target).to_dict()) == expected(model, SAMPLE)


def test_truncated_filled_form_is_refused_not_half_read(model, built_pdf, tmp_path):
    """qpdf can rebuild a cut-off file from the objects before the cut; reading that would lose
    the later answers silently, so the file is refused with one clear line."""
    filled = tmp_path / "ifylld.pdf"
    fill_pdf(built_pdf, field_values(SAMPLE, model), filled, model)
    data = filled.read_bytes()
    for fraction in (0.6, 0.99):
        target = tmp_path / f"avklippt-{fraction}.pdf"
        target.write_bytes(data[: int(len(data) * fraction)])
        with pytest.raises(ReadError, match="^the PDF is truncated"):
            read_form(target)
