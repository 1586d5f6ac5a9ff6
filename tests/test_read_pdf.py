"""PDF round trips: build → fill (our filler, pdftk, PyMuPDF) → read → exactly the answers entered."""
from __future__ import annotations

import subprocess

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from answers_strategies import SAMPLE, answer_sets, expected, strip_answers
from conftest import require_tool
from lovande_docs.fill import field_values
from lovande_docs.fill.pdf import fill_pdf
from lovande_docs.readers import read_form

def test_built_pdf_reads_as_empty_with_known_identity(model, built_pdf):
    form = read_form(built_pdf).to_dict()
    assert form["model"] == {"id": model.id, "version": model.version, "content_hash": model.content_hash,
                             "generator": form["model"]["generator"], "known": True,
                             "read_with": f"{model.id} {model.version}"}
    assert form["problems"] == []
    assert all(v == {"answer": None, "status": None, "description": None} for v in form["questions"].values())
    assert len(form["questions"]) == 50


def test_our_filler_round_trip(model, built_pdf, tmp_path):
    target = tmp_path / "ifylld.pdf"
    fill_pdf(built_pdf, field_values(SAMPLE, model), target, model)
    assert strip_answers(read_form(target).to_dict()) == expected(model, SAMPLE)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_answer_sets_round_trip(model, built_pdf, tmp_path, data):
    entered = data.draw(answer_sets(model, long_text=True))
    target = tmp_path / "genererad.pdf"
    fill_pdf(built_pdf, field_values(entered, model), target, model)
    form = read_form(target).to_dict()
    assert strip_answers(form) == expected(model, entered)
    kinds = {p["kind"] for p in form["problems"]}
    assert kinds <= {"description_without_answer"}


def test_conflicting_ticks_are_reported_with_both_values(model, built_pdf, tmp_path):
    target = tmp_path / "konflikt.pdf"
    fill_pdf(built_pdf, {}, target, model, conflicts={"namngivna-teorier__answer": ("ja", "nej")})
    form = read_form(target).to_dict()
    assert form["questions"]["namngivna-teorier"]["answer"] is None
    (problem,) = [p for p in form["problems"] if p["kind"] == "conflict"]
    assert problem["field"] == "namngivna-teorier__answer" and problem["values"] == ["ja", "nej"]


def test_description_without_answer_is_reported(model, built_pdf, tmp_path):
    target = tmp_path / "utan-svar.pdf"
    fill_pdf(built_pdf, {"handledning__description": "Vi har handledning varannan vecka."}, target, model)
    form = read_form(target).to_dict()
    assert [p["field"] for p in form["problems"] if p["kind"] == "description_without_answer"] == ["handledning__answer"]


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
    from pypdf import PdfReader, PdfWriter

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
