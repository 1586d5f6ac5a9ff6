"""Word round trips: build → fill (as Word, as LibreOffice) → read → exactly the answers entered."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from answers_strategies import SAMPLE, answer_sets, expected, strip_answers
from conftest import soffice_convert
from lovande_docs.fill import field_values
from lovande_docs.fill.docx import fill_docx
from lovande_docs.readers import read_form


def _edit_document(path: Path, target: Path, edit) -> Path:
    """Rewrite word/document.xml of a .docx as text, the way another program might have saved it."""
    with zipfile.ZipFile(path) as source:
        parts = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts:
            out.writestr(name, edit(data.decode("utf-8")).encode("utf-8") if name == "word/document.xml" else data)
    return target


def test_built_docx_reads_as_empty_with_known_identity(model, built_docx):
    form = read_form(built_docx).to_dict()
    assert form["model"]["known"] is True and form["model"]["content_hash"] == model.content_hash
    assert form["problems"] == []
    assert len(form["questions"]) == 50
    assert all(v == {"answer": None, "status": None, "description": None} for v in form["questions"].values())


def test_filled_as_word_does_round_trip(model, built_docx, tmp_path):
    target = tmp_path / "ifylld.docx"
    fill_docx(built_docx, field_values(SAMPLE, model), target, model)
    assert strip_answers(read_form(target).to_dict()) == expected(model, SAMPLE)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_answer_sets_round_trip(model, built_docx, tmp_path, data):
    entered = data.draw(answer_sets(model, long_text=True))
    target = tmp_path / "genererad.docx"
    fill_docx(built_docx, field_values(entered, model), target, model)
    form = read_form(target).to_dict()
    assert strip_answers(form) == expected(model, entered)
    assert {p["kind"] for p in form["problems"]} <= {"description_without_answer"}


def test_word_edits_split_runs_rsids_lists_and_tables(model, built_docx, tmp_path):
    filled = tmp_path / "ifylld.docx"
    fill_docx(built_docx, field_values(SAMPLE, model), filled, model)

    def word_like(xml: str) -> str:
        # Typed text split over several runs with revision ids, as Word saves it.
        xml = xml.replace("<w:r><w:t>KBT och MI.</w:t></w:r>",
                          '<w:r w:rsidR="00A1B2C3"><w:t xml:space="preserve">KBT </w:t></w:r>'
                          '<w:r w:rsidR="00D4E5F6"><w:rPr><w:b/></w:rPr><w:t>och</w:t></w:r>'
                          '<w:r w:rsidR="00D4E5F6"><w:t xml:space="preserve"> MI.</w:t></w:r>'
                          '<w:del w:id="9001" w:author="A"><w:r><w:delText>borttaget</w:delText></w:r></w:del>')
        # A list and a table pasted into the rich-text control of the element summary.
        pasted = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
                  '<w:r><w:t>Punkt ett</w:t></w:r></w:p>'
                  '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell A</w:t></w:r></w:p></w:tc>'
                  '<w:tc><w:p><w:r><w:t>Cell B</w:t></w:r></w:p></w:tc></w:tr></w:tbl>')
        return re.sub(r"(<w:t>Väl förankrat\.</w:t></w:r></w:p>)", r"\1" + pasted, xml, count=1)

    edited = _edit_document(filled, tmp_path / "word.docx", word_like)
    form = read_form(edited).to_dict()
    assert form["questions"]["namngivna-teorier"]["description"] == "KBT och MI.\nSe manualen, s. 4–5."
    assert form["elements"]["teori-och-kunskap"]["summary"] == "Väl förankrat.\nPunkt ett\nCell A\nCell B"


def test_checkbox_read_from_glyph_when_flag_is_gone(model, built_docx, tmp_path):
    filled = tmp_path / "ifylld.docx"
    fill_docx(built_docx, field_values({"questions": {"handledning": {"answer": "nej"}}}, model), filled, model)

    def drop_flags(xml: str) -> str:
        return re.sub(r"<w14:checked w14:val=\"[01]\"/>", "", xml)

    form = read_form(_edit_document(filled, tmp_path / "utan-flagga.docx", drop_flags)).to_dict()
    assert form["questions"]["handledning"]["answer"] == "nej"


def test_conflicting_ticks_are_reported(model, built_docx, tmp_path):
    target = tmp_path / "konflikt.docx"
    fill_docx(built_docx, {}, target, model, ticks={"delmal__answer": ("ja", "ej_relevant")})
    form = read_form(target).to_dict()
    assert form["questions"]["delmal"]["answer"] is None
    (problem,) = [p for p in form["problems"] if p["kind"] == "conflict"]
    assert problem["field"] == "delmal__answer" and problem["values"] == ["ja", "ej_relevant"]


def test_deleted_control_is_reported_and_the_rest_still_read(model, built_docx, tmp_path):
    filled = tmp_path / "ifylld.docx"
    fill_docx(built_docx, field_values(SAMPLE, model), filled, model)

    def delete_status_control(xml: str) -> str:
        start = xml.index('<w:bookmarkStart w:id="', xml.index("fld_forandringsteori__status") - 60)
        start = xml.rindex("<w:bookmarkStart", 0, xml.index('w:name="fld_forandringsteori__status"'))
        end = xml.index("</w:sdt>", xml.index('w:tag w:val="forandringsteori__status"')) + len("</w:sdt>")
        return xml[:start] + xml[end:]

    form = read_form(_edit_document(filled, tmp_path / "raderad.docx", delete_status_control)).to_dict()
    assert [p["field"] for p in form["problems"] if p["kind"] == "missing_field"] == ["forandringsteori__status"]
    assert form["questions"]["forandringsteori"] == {"answer": "nej", "status": None, "description": None}
    assert form["questions"]["namngivna-teorier"]["answer"] == "ja"


def test_libreoffice_saved_form_reads_completely(model, built_docx, tmp_path):
    """Debian's LibreOffice 7.4 drops every w:tag and re-wraps controls; the answers survive."""
    filled = tmp_path / "ifylld.docx"
    fill_docx(built_docx, field_values(SAMPLE, model), filled, model)
    saved = soffice_convert(filled, tmp_path / "lo", 'docx:MS Word 2007 XML')
    assert b'w:tag w:val="namngivna-teorier' not in zipfile.ZipFile(saved).read("word/document.xml")
    form = read_form(saved).to_dict()
    assert strip_answers(form) == expected(model, SAMPLE)
    assert [p["kind"] for p in form["problems"]] == ["unidentified_field"]
    assert form["model"]["known"] is True
