"""The .docx reader's cut-out path (readers/docx_spans.py) reads what the whole-part parse reads.

Every case is read both ways, the cut-out path and the whole part parsed (the path switched off):
same values, same problems, same error, for every well-formed part; only a part damaged outside
its controls is read where the whole parse refuses it. The cut-out path must also decline, and
leave the reading to the whole-part parse, whenever something outside the controls could change
them.
"""
from __future__ import annotations

import io
import random
import re
import zipfile

import pytest
from corpus import generate_answers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lovande_docs.fill import FILLERS, field_values
from lovande_docs.readers import ReadError
from lovande_docs.readers import docx as docx_reader
from lovande_docs.readers.docx_spans import controls_only


@pytest.fixture(scope="module")
def document(model, built_docx, tmp_path_factory) -> tuple[bytes, bytes]:
    """(a filled guide's .docx, its word/document.xml)."""
    answers = generate_answers(model, random.Random(8), organisation="Kiruna kommun", practice="Boendestöd",
                               date="2026-03-02")
    path = tmp_path_factory.mktemp("spans") / "ifylld.docx"
    FILLERS["docx"](built_docx, field_values(answers, model), path, model)
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return data, package.read("word/document.xml")


def _with_document(docx: bytes, xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, xml if info.filename == "word/document.xml" else source.read(info))
    return out.getvalue()


def _outcome(docx: bytes):
    try:
        raw = docx_reader.read_docx(docx)
    except ReadError as error:
        return "error", str(error)
    return "read", raw.identity, raw.values, raw.problems


def both_ways(docx: bytes, monkeypatch) -> tuple:
    """(cut-out path, whole part) outcomes of reading ``docx``."""
    cut = _outcome(docx)
    with monkeypatch.context() as patch:
        patch.setattr(docx_reader, "controls_only", lambda xml: None)
        whole = _outcome(docx)
    return cut, whole


def test_the_guide_takes_the_cut_out_path_and_reads_the_same(document, monkeypatch):
    docx, xml = document
    cut = controls_only(xml)
    assert cut is not None and len(cut) < len(xml) / 2
    fast, whole = both_ways(docx, monkeypatch)
    assert fast[0] == "read" and fast == whole
    assert fast[2]["var-bedomning__organisation"].text == "Kiruna kommun"


def test_a_control_without_its_tag_reads_the_whole_part_for_bookmarks(document, monkeypatch):
    docx, xml = document
    untagged = re.sub(rb'<w:tag w:val="var-bedomning__organisation"/>', b"", xml)
    fast, whole = both_ways(_with_document(docx, untagged), monkeypatch)
    assert fast == whole and fast[2]["var-bedomning__organisation"].text == "Kiruna kommun"


# each thing outside the controls that could change them: the cut-out path declines
FAKE = (b'<w:sdt><w:sdtPr><w:tag w:val="var-bedomning__organisation"/></w:sdtPr>'
        b'<w:sdtContent><w:r><w:t>Falsk kommun</w:t></w:r></w:sdtContent></w:sdt>')
DECLINED = {
    "a control hidden in a comment": lambda x: x.replace(b"<w:body>", b"<w:body><!--" + FAKE + b"-->", 1),
    "a control hidden in CDATA": lambda x: x.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t><![CDATA[" + FAKE
                                                     + b"]]></w:t></w:r></w:p>", 1),
    "a control hidden in a processing instruction": lambda x: x.replace(b"<w:body>", b"<w:body><?x " + FAKE + b"?>", 1),
    "a control after a tag's end in a comment": lambda x: x.replace(b"<w:body>", b"<w:body><!--<p>" + FAKE + b"-->", 1),
    "a control after a tag's end in CDATA": lambda x: x.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t><![CDATA[<p>"
                                                                + FAKE + b"]]></w:t></w:r></w:p>", 1),
    "a control after a tag's end in a processing instruction": lambda x: x.replace(
        b"<w:body>", b"<w:body><?x <p>" + FAKE + b"?>", 1),
    "a control hidden in an attribute": lambda x: x.replace(b"<w:body>", b'<w:body><w:p w:x="' + FAKE + b'"/>', 1),
    "the prefix rebound around the controls": lambda x: x.replace(
        b"<w:body>", b'<w:body xmlns:w14="urn:nagot-annat">', 1),
    "another prefix for WordprocessingML": lambda x: x.replace(
        b"<w:document ", b'<w:document xmlns:o="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ', 1),
    "a DTD": lambda x: x.replace(b"<w:document ", b'<!DOCTYPE w:document [<!ENTITY e "x">]><w:document ', 1),
    "a w:sdt tag with white space": lambda x: x.replace(b"<w:sdt>", b"<w:sdt >", 1),
    "a control never closed": lambda x: x.replace(b"</w:sdt>", b"", 1),
    "a stray end of a control": lambda x: x.replace(b"<w:body>", b"<w:body></w:sdt>", 1),
    "another encoding": lambda x: x.replace(b"encoding='UTF-8'", b"encoding='ISO-8859-1'", 1),
    "an element before the root": lambda x: x.replace(b"<w:document ", b"<x/><w:document ", 1),
    "a control inside text": lambda x: x.replace(b"<w:sdt>", b"<w:sdt>", 1).replace(b"><w:sdt>", b">x<w:sdt>", 1),
    "no controls at all": lambda x: re.sub(rb"<w:sdt>.*?</w:sdt>", b"", x, flags=re.S),
}


@pytest.mark.parametrize("case", DECLINED)
def test_what_could_change_the_controls_is_read_from_the_whole_part(document, monkeypatch, case):
    docx, xml = document
    changed = DECLINED[case](xml)
    assert changed != xml
    assert controls_only(changed) is None
    fast, whole = both_ways(_with_document(docx, changed), monkeypatch)
    assert fast == whole
    if fast[0] == "read":  # never the hidden control's value
        assert all(value.text != "Falsk kommun" for value in fast[2].values())


def test_damage_outside_the_controls_costs_no_answers_damage_in_one_is_refused(document, monkeypatch):
    """The whole part's parse refuses both; the fields are read where only the guide's own text
    is damaged (docs/answers-format.md)."""
    docx, xml = document
    outside = _with_document(docx, xml.replace(b"</w:pPr>", b"</w:pP>", 1))
    fast, whole = both_ways(outside, monkeypatch)
    assert whole[0] == "error" and "not well-formed XML" in whole[1]
    assert fast[:3] == both_ways(docx, monkeypatch)[0][:3]
    inside = xml.replace(b"</w:sdtPr>", b"</w:sdtP>", 1)
    assert inside.find(b"</w:sdtP>") > xml.find(b"<w:sdt>")
    with pytest.raises(ReadError, match="not well-formed XML"):
        docx_reader.read_docx(_with_document(docx, inside))


def test_controls_keep_the_root_namespaces_and_their_own(document, monkeypatch):
    """A control declaring a namespace of its own is parsed with it (in the control: no decline)."""
    docx, xml = document
    own = xml.replace(b"<w:sdtContent>", b'<w:sdtContent xmlns:x="urn:x"><x:y/>', 1)
    assert controls_only(own) is not None
    fast, whole = both_ways(_with_document(docx, own), monkeypatch)
    assert fast == whole


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_cut_at_a_tag_reads_the_same_both_ways(document, monkeypatch, data):
    """Random damage at and around the controls' tags: whatever the cut-out path reads (or refuses),
    the whole-part parse reads (or refuses) the same."""
    docx, xml = document
    tags = [m.start() for m in re.finditer(rb"</?w:sdt", xml)]
    at = data.draw(st.sampled_from(tags))
    length = data.draw(st.integers(0, 40))
    insert = data.draw(st.sampled_from([b"", b"<w:sdt>", b"</w:sdt>", b"<w:sdt/>", b"<", b">", b"<!--", b"-->",
                                        b"<w:p>", b"</w:p>", b"xmlns:w='urn:x'", b"&amp;", b"\xff"]))
    changed = xml[:at] + insert + xml[at + length:]
    fast, whole = both_ways(_with_document(docx, changed), monkeypatch)
    if whole[0] == "read" or fast[0] == "error":
        assert fast == whole
    else:  # only a part damaged outside its controls is read where the whole parse refuses it
        assert "not well-formed XML" in whole[1] or "nests XML" in whole[1]


def test_a_hiding_place_after_many_question_marks_is_still_found(document):
    """Past 10,000 "?" and "!" the search for "<!" and "<?" switches to one linear pass."""
    _, xml = document
    text = b"<w:p><w:r><w:t>" + b"?!" * 12_000 + b"</w:t></w:r></w:p>"
    many = xml.replace(b"<w:body>", b"<w:body>" + text, 1)
    assert controls_only(many) is not None
    assert controls_only(many.replace(b"</w:body>", b"<!-- x --></w:body>", 1)) is None
    assert controls_only(many.replace(b"</w:body>", b"<?x y?></w:body>", 1)) is None
