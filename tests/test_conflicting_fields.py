"""Contradictory or duplicated fields are named problems, the same way in every format (issue #22).

A PDF choice whose stored value (/V) and shown boxes (/AS) disagree is read as it shows, with a
``shown_differs`` problem; a field that is in the form twice with different values (a second PDF
field of the same name, a copied Word control with the same tag, a tick box given twice) is left
empty with a ``duplicate_field`` problem; copies that agree read as one.
"""
from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import pikepdf
import pytest
from corpus import fill_guides
from lxml import etree

from lovande_docs import fields as field_ids
from lovande_docs.answers import PROBLEM_KINDS, lookup
from lovande_docs.compile.labels import label
from lovande_docs.readers import read_form

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


@pytest.fixture(scope="module")
def filled(model, built_docx, built_pdf, tmp_path_factory):
    return fill_guides(model, {"docx": built_docx, "pdf": built_pdf}, tmp_path_factory.mktemp("filled"), 9, answer_rate=1.0)


def _answer_fields(model):
    return [d for d in field_ids.all_fields(model) if d.kind == "choice" and d.name.endswith("__answer")]


def _problem(answers, kind, name):
    return [p for p in answers.problems if p.kind == kind and p.field == name]


def _pdf_field(pdf, name):
    return next(f for f in pdf.Root.AcroForm.Fields if str(f.get("/T")) == name)


def _changed_pdf(source: Path, target: Path, change) -> Path:
    with pikepdf.open(source) as pdf:
        change(pdf)
        pdf.save(target)
    return target


def test_new_problem_kinds_are_known_and_named_in_swedish():
    for kind in ("duplicate_field", "shown_differs"):
        assert kind in PROBLEM_KINDS
        assert label("problem_kinds").get(kind) not in (None, kind)


def test_pdf_choice_stored_but_shown_unticked_reads_as_shown(filled, model, tmp_path):
    """/V /ja while every box's /AS is /Off: a viewer shows nothing ticked."""
    definition = _answer_fields(model)[0]
    original = read_form(filled["pdf"])
    stored = lookup(original.to_dict(), definition, model)
    assert stored is not None

    def change(pdf):
        for kid in _pdf_field(pdf, definition.name).Kids:
            kid.AS = pikepdf.Name.Off

    answers = read_form(_changed_pdf(filled["pdf"], tmp_path / "av.pdf", change))
    assert lookup(answers.to_dict(), definition, model) is None
    [problem] = _problem(answers, "shown_differs", definition.name)
    assert "shows nothing ticked" in problem.message
    assert not _problem(original, "shown_differs", definition.name)


def test_pdf_choice_showing_another_box_than_stored_reads_the_shown_one(filled, model, tmp_path):
    """/V /nej while the Ja box is the one shown on."""
    definition = _answer_fields(model)[0]
    stored = lookup(read_form(filled["pdf"]).to_dict(), definition, model)
    other = next(c for c in definition.options.codes if c != stored)

    def change(pdf):
        field = _pdf_field(pdf, definition.name)
        field.V = pikepdf.Name("/" + stored)
        for kid in field.Kids:
            kid.AS = pikepdf.Name("/" + other) if pikepdf.Name("/" + other) in kid.AP.N else pikepdf.Name.Off

    answers = read_form(_changed_pdf(filled["pdf"], tmp_path / "annan.pdf", change))
    assert lookup(answers.to_dict(), definition, model) == other
    [problem] = _problem(answers, "shown_differs", definition.name)
    assert problem.values == (other,)


def test_pdf_second_field_of_the_same_name_with_another_value_is_a_duplicate(filled, model, tmp_path):
    text = next(d for d in field_ids.all_fields(model) if d.kind == "text")

    def change(pdf, value):
        field = _pdf_field(pdf, text.name)
        twin = pdf.make_indirect(pikepdf.Dictionary(FT=pikepdf.Name.Tx, T=pikepdf.String(text.name),
                                                    V=pikepdf.String(value)))
        pdf.Root.AcroForm.Fields.append(twin)
        return field

    with pikepdf.open(filled["pdf"]) as pdf:
        same = str(_pdf_field(pdf, text.name).get("/V", ""))
    differ = read_form(_changed_pdf(filled["pdf"], tmp_path / "tva.pdf", lambda pdf: change(pdf, "Annat svar")))
    assert lookup(differ.to_dict(), text, model) is None
    [problem] = _problem(differ, "duplicate_field", text.name)
    assert problem.values[-1] == "Annat svar"
    agree = read_form(_changed_pdf(filled["pdf"], tmp_path / "lika.pdf", lambda pdf: change(pdf, same)))
    assert not _problem(agree, "duplicate_field", text.name)
    assert lookup(agree.to_dict(), text, model) == lookup(read_form(filled["pdf"]).to_dict(), text, model)


def _changed_docx(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as z:
        parts = [(info.filename, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts:
            if name == "word/document.xml":
                root = etree.fromstring(data)
                change(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            out.writestr(name, data)
    return target


def _sdt(root, tag):
    return next(s for s in root.iter(f"{{{W}}}sdt")
                if s.find(f"{{{W}}}sdtPr/{{{W}}}tag") is not None
                and s.find(f"{{{W}}}sdtPr/{{{W}}}tag").get(f"{{{W}}}val") == tag)


def test_docx_copied_control_with_other_text_is_a_duplicate(filled, model, tmp_path):
    text = next(d for d in field_ids.all_fields(model) if d.kind == "text")

    def change(root):
        original = _sdt(root, text.name)
        twin = copy.deepcopy(original)
        for node in twin.iter(f"{{{W}}}t"):
            node.text = ""
        next(twin.iter(f"{{{W}}}t")).text = "Annat svar"
        original.addnext(twin)

    answers = read_form(_changed_docx(filled["docx"], tmp_path / "kopia.docx", change))
    assert lookup(answers.to_dict(), text, model) is None
    [problem] = _problem(answers, "duplicate_field", text.name)
    assert problem.values[-1] == "Annat svar"


def test_docx_tick_box_given_twice_in_two_states_is_a_duplicate(filled, model, tmp_path):
    """Which copy comes first must not decide the answer."""
    definition = _answer_fields(model)[0]
    original = lookup(read_form(filled["docx"]).to_dict(), definition, model)
    assert original is not None
    box = definition.box_name(original)

    def change(root, twin_first):
        sdt = _sdt(root, box)
        twin = copy.deepcopy(sdt)
        twin.find(f".//{{{W14}}}checked").set(f"{{{W14}}}val", "0")
        (sdt.addprevious if twin_first else sdt.addnext)(twin)

    for twin_first in (False, True):
        answers = read_form(_changed_docx(filled["docx"], tmp_path / f"ruta-{twin_first}.docx",
                                          lambda root: change(root, twin_first)))
        assert lookup(answers.to_dict(), definition, model) is None
        assert _problem(answers, "duplicate_field", definition.name)

    def agreeing(root):
        sdt = _sdt(root, box)
        sdt.addnext(copy.deepcopy(sdt))

    answers = read_form(_changed_docx(filled["docx"], tmp_path / "lika.docx", agreeing))
    assert lookup(answers.to_dict(), definition, model) == original
    assert not _problem(answers, "duplicate_field", definition.name)
