"""Word specifics: what Word (split runs, pasted lists and tables) and LibreOffice (dropped tags,
re-wrapped controls) do to a filled form, lost checkbox flags, deleted controls."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path


from answers_strategies import SAMPLE, expected, strip_answers
from conftest import soffice_convert
from lovande_docs.fields import bookmark_name
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


def test_deleted_control_is_reported_and_the_rest_still_read(model, built_docx, tmp_path):
    filled = tmp_path / "ifylld.docx"
    fill_docx(built_docx, field_values(SAMPLE, model), filled, model)

    def delete_status_control(xml: str) -> str:
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


def test_a_choice_that_lost_a_tick_box_says_so(model, built_docx, tmp_path):
    """The ticked box deleted: the answer read from the boxes left is empty, and the form says a
    box is missing rather than passing it off as unanswered (as the .odt reader does)."""
    filled = tmp_path / "ifylld.docx"
    fill_docx(built_docx, field_values(SAMPLE, model), filled, model)

    def delete_the_ticked_box(xml: str) -> str:
        mark = bookmark_name("namngivna-teorier__answer__ja")
        start = xml.rindex("<w:bookmarkStart", 0, xml.index(f'w:name="{mark}"'))
        end = xml.index("</w:sdt>", xml.index('w:tag w:val="namngivna-teorier__answer__ja"')) + len("</w:sdt>")
        return xml[:start] + xml[end:]

    form = read_form(_edit_document(filled, tmp_path / "utan-ja.docx", delete_the_ticked_box)).to_dict()
    lost = [p for p in form["problems"] if p["kind"] == "missing_field"]
    assert [(p["field"], p["values"]) for p in lost] == [("namngivna-teorier__answer", ["ja"])]
    assert "Ja" in lost[0]["message"]
    assert form["questions"]["namngivna-teorier"]["answer"] is None
    assert form["questions"]["namngivna-teorier"]["status"] == "klar"
