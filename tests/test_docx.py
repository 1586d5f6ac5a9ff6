"""The Word renderer (issue #3): content, controls, navigation, identity, LibreOffice, reproducibility."""
from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from lxml import etree

from lovande_docs import fields, identity, markup
from lovande_docs.document import ElementStart, Heading, ModelMap, QuestionBlock, build_document
from lovande_docs.render import renderer
from conftest import pdftotext, soffice_convert

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "w14": W14, "r": R}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def paragraph_texts(root: etree._Element) -> list[str]:
    """Every paragraph's text, including text inside content controls, hyperlinks and fields."""
    return ["".join(t.text or "" for t in p.iter(w("t"))) for p in root.iter(w("p"))]


def bookmark_text(root: etree._Element, name: str) -> str | None:
    """The text between a bookmark's start and its end, in document order (paragraphs → newlines)."""
    inside, bookmark_id, out = False, None, []
    for node in root.iter():
        if node.tag == w("bookmarkStart") and node.get(w("name")) == name and not inside:
            inside, bookmark_id = True, node.get(w("id"))
        elif node.tag == w("bookmarkEnd") and inside and node.get(w("id")) == bookmark_id:
            return "".join(out)
        elif inside and node.tag == w("t"):
            out.append(node.text or "")
        elif inside and node.tag == w("p"):
            out.append("\n")
    return None


@pytest.fixture(scope="session")
def document_xml(built_docx):
    return part(built_docx, "word/document.xml")


@pytest.fixture(scope="session")
def controls(document_xml):
    return document_xml.findall(".//w:sdt", NS)


def kind_of(sdt) -> str:
    pr = sdt.find("w:sdtPr", NS)
    for tag, kind in (("w14:checkbox", "checkbox"), ("w:dropDownList", "dropdown"), ("w:date", "date"),
                      ("w:richText", "richtext")):
        if pr.find(tag, NS) is not None:
            return kind
    return "other"


def expected_controls(model) -> Counter:
    expected = Counter()
    for f in fields.all_fields(model):
        if f.kind == "choice":
            expected["checkbox"] += len(f.options.items)
        elif f.kind == "select":
            expected["dropdown"] += 1
        elif f.kind == "date":
            expected["date"] += 1
        else:
            expected["richtext"] += 1
    return expected


def expected_names(model) -> set[str]:
    names = set()
    for f in fields.all_fields(model):
        if f.kind == "choice":
            names |= {f.box_name(code) for code in f.options.codes}
        else:
            names.add(f.name)
    return names


# --- content ---------------------------------------------------------------------------------------

def test_every_question_tip_heading_and_footnote_is_in_the_docx(model, built_docx, document_xml):
    body = fold("\n".join(paragraph_texts(document_xml)))
    notes = fold("\n".join(paragraph_texts(part(built_docx, "word/footnotes.xml"))))
    blocks = build_document(model)
    expected = [b.text for b in blocks if isinstance(b, (Heading, QuestionBlock))]
    expected += [tip for b in blocks if isinstance(b, QuestionBlock) for tip in b.tip]
    missing = [t for t in expected if fold(markup.plain(t)) not in body]
    assert not missing, missing[:5]
    for note in model.footnotes.values():
        for value in (note.text, note.url):
            if value:
                assert fold(markup.plain(value)) in notes
    # python-docx opens it and sees the headings with Word's built-in styles
    document = docx.Document(str(built_docx))
    styles = Counter(p.style.name for p in document.paragraphs)
    assert styles["Heading 1"] and styles["Heading 2"] and styles["Heading 3"]


def test_footnotes_part_has_the_seven_notes_with_url_hyperlinks(model, built_docx):
    notes = part(built_docx, "word/footnotes.xml")
    real = [n for n in notes.findall("w:footnote", NS) if int(n.get(w("id"))) > 0]
    assert len(real) == len(model.footnotes) == 7
    with zipfile.ZipFile(built_docx) as archive:
        rels = etree.fromstring(archive.read("word/_rels/footnotes.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels if r.get("TargetMode") == "External"}
    linked = {targets[h.get(f"{{{R}}}id")] for h in notes.iter(w("hyperlink"))}
    assert linked == {n.url for n in model.footnotes.values() if n.url}
    refs = part(built_docx, "word/document.xml").findall(".//w:footnoteReference", NS)
    assert sorted(int(r.get(w("id"))) for r in refs) == sorted(int(n.get(w("id"))) for n in real)


def test_a4_swedish_and_styles(built_docx):
    styles = part(built_docx, "word/styles.xml")
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(w("val")) == "sv-SE"
    ids = {s.get(w("styleId")) for s in styles.findall("w:style", NS)}
    assert {"Heading1", "Heading2", "Heading3", "TOC1", "TOC2", "TOC3", "Hyperlink", "FootnoteText",
            "FootnoteReference", "PlaceholderText"} <= ids
    for sect in part(built_docx, "word/document.xml").iter(w("sectPr")):
        size = sect.find("w:pgSz", NS)
        assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")


def test_toc_is_a_field_with_cached_clickable_entries(model, document_xml):
    instructions = "".join(t.text for t in document_xml.iter(w("instrText")))
    assert 'TOC \\o "1-3" \\h' in instructions
    toc = next(b for b in build_document(model) if b.__class__.__name__ == "TableOfContents")
    entries = [p for p in document_xml.iter(w("p"))
               if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(w("val")).startswith("TOC")
               and p.find("w:hyperlink", NS) is not None]
    assert len(entries) == len(toc.entries)


# --- controls --------------------------------------------------------------------------------------

def test_control_counts_match_the_model(model, controls):
    assert Counter(kind_of(s) for s in controls) == expected_controls(model)


def test_tags_unique_mapped_aliased_and_locked(model, controls):
    tags = [s.find("w:sdtPr/w:tag", NS).get(w("val")) for s in controls]
    assert len(tags) == len(set(tags))
    assert set(tags) == expected_names(model)
    for sdt in controls:
        pr = sdt.find("w:sdtPr", NS)
        assert pr.find("w:alias", NS).get(w("val"))
        assert pr.find("w:lock", NS).get(w("val")) == "sdtLocked"


def test_control_details(model, controls):
    by_tag = {s.find("w:sdtPr/w:tag", NS).get(w("val")): s for s in controls}
    for f in fields.all_fields(model):
        if f.kind == "select":
            items = by_tag[f.name].findall("w:sdtPr/w:dropDownList/w:listItem", NS)
            shown = [(i.get(w("displayText")), i.get(w("value"))) for i in items]
            assert shown[0] == (markup.plain(f.options.placeholder), fields.UNSET)
            assert shown[1:] == [(markup.plain(o.label), o.code) for o in f.options.items]
        elif f.kind == "choice":
            for code in f.options.codes:
                sdt = by_tag[f.box_name(code)]
                assert sdt.find("w:sdtPr/w:alias", NS).get(w("val")) == f.box_title(code)
                assert "".join(sdt.find("w:sdtContent", NS).itertext()) == "\u2610"
        elif f.kind == "date":
            date = by_tag[f.name].find("w:sdtPr/w:date", NS)
            assert date.find("w:lid", NS).get(w("val")) == "sv-SE"
            assert date.find("w:dateFormat", NS).get(w("val")) == "yyyy-MM-dd"
        else:
            sdt = by_tag[f.name]
            assert sdt.find("w:sdtPr/w:showingPlcHdr", NS) is not None
            assert fold("".join(sdt.itertext())) == model.labels["text_placeholder"]


def test_every_control_has_its_bookmark(model, document_xml):
    names = {b.get(w("name")) for b in document_xml.iter(w("bookmarkStart"))}
    assert {fields.bookmark_name(n) for n in expected_names(model)} <= names


# Schema order of the children Word is strict about (ECMA-376 Part 1, §17); a subset is enough.
ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr pBdr shd tabs spacing ind contextualSpacing jc outlineLvl rPr sectPr",
    "rPr": "rStyle rFonts b bCs i iCs caps vanish color spacing sz szCs highlight u shd vertAlign lang",
    "sdtPr": "rPr alias tag id lock placeholder temporary showingPlcHdr dataBinding label tabIndex "
             "richText text dropDownList date checkbox",
    "tblPr": "tblStyle tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
    "tcPr": "tcW gridSpan vMerge tcBorders shd noWrap tcMar vAlign",
    "sectPr": "headerReference footerReference type pgSz pgMar pgNumType cols titlePg docGrid",
}


def test_ooxml_element_order(built_docx):
    with zipfile.ZipFile(built_docx) as archive:
        names = [n for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml")]
        roots = [etree.fromstring(archive.read(n)) for n in names]
    for root in roots:
        for parent, order in ORDER.items():
            rank = {name: i for i, name in enumerate(order.split())}
            for node in root.iter(w(parent)):
                children = [etree.QName(c).localname for c in node]
                ranks = [rank.get(c, -1) for c in children]
                assert -1 not in ranks, (parent, children)
                # headerReference/footerReference may interleave
                if parent == "sectPr":
                    ranks = [min(r, 1) if r <= 1 else r for r in ranks]
                assert ranks == sorted(ranks), (parent, children)


# --- navigation and identity -----------------------------------------------------------------------

def test_internal_links_resolve_and_navigation_is_complete(model, document_xml):
    bookmarks = {b.get(w("name")) for b in document_xml.iter(w("bookmarkStart"))}
    anchors = [h.get(w("anchor")) for h in document_xml.iter(w("hyperlink")) if h.get(w("anchor"))]
    assert anchors and set(anchors) <= bookmarks
    blocks = build_document(model)
    figure = next(b for b in blocks if isinstance(b, ModelMap))
    for anchor in [c.anchor for c in figure.categories] + [e.anchor for c in figure.categories for e in c.elements]:
        assert anchor in anchors
    starts = [b for b in blocks if isinstance(b, ElementStart)]
    assert Counter(anchors)[starts[0].home_anchor] >= len(starts)


def test_identity_properties(model, built_docx):
    custom = part(built_docx, "docProps/custom.xml")
    values = {p.get("name"): "".join(p.itertext()) for p in custom}
    assert values == identity.identity(model)
    core = docx.Document(str(built_docx)).core_properties
    assert (core.title, core.language) == (model.meta.title, "sv-SE")
    assert core.subject and core.keywords


def test_two_builds_are_byte_identical(model, layout, built_docx, tmp_path):
    again = tmp_path / "again.docx"
    renderer("docx")(model, layout, again)
    assert again.read_bytes() == built_docx.read_bytes()


# --- LibreOffice -----------------------------------------------------------------------------------

def test_libreoffice_pdf_has_every_question(model, libreoffice_pdf_of_docx):
    text = fold(pdftotext(libreoffice_pdf_of_docx))
    missing = []
    for numbered in model.numbered_questions():
        # a footnote reference prints as a number in the text: check the pieces around it
        pieces = "".join(s.text if s.footnote is None else "\0" for s in markup.parse(numbered.question.text))
        missing += [piece for piece in map(fold, pieces.split("\0")) if piece and piece not in text]
    assert not missing, missing[:3]


def _fill(source: Path, target: Path, model) -> dict[str, str]:
    """Fill every control as a user would in Word; return field name → the text typed in."""
    root = part(source, "word/document.xml")
    typed: dict[str, str] = {}
    by_tag = {s.find("w:sdtPr/w:tag", NS).get(w("val")): s for s in root.iter(w("sdt"))}
    for number, f in enumerate(fields.all_fields(model)):
        if f.kind == "choice":
            sdt = by_tag[f.box_name(f.options.codes[0])]
            sdt.find("w:sdtPr/w14:checkbox/w14:checked", NS).set(f"{{{W14}}}val", "1")
            sdt.find(".//w:t", NS).text = "\u2612"
            typed[f.box_name(f.options.codes[0])] = "\u2612"
            continue
        sdt = by_tag[f.name]
        pr = sdt.find("w:sdtPr", NS)
        for node in pr.findall("w:showingPlcHdr", NS) + pr.findall("w:rPr", NS):
            pr.remove(node)
        content = sdt.find("w:sdtContent", NS)
        if f.kind == "select":
            value = markup.plain(f.options.items[-1].label)
            content.find(".//w:t", NS).text = value
            content.find(".//w:rPr", NS).getparent().remove(content.find(".//w:rPr", NS))
        elif f.kind == "date":
            value = "2026-05-04"
            pr.find("w:date", NS).set(w("fullDate"), "2026-05-04T00:00:00Z")
            content.find(".//w:t", NS).text = value
        else:
            first, second = f"Svar {number} första stycket", f"Svar {number} andra stycket"
            template = content.find("w:p", NS)
            content.remove(template)
            for line in (first, second):
                paragraph = etree.SubElement(content, w("p"))
                paragraph.append(etree.fromstring(etree.tostring(template.find("w:pPr", NS))))
                etree.SubElement(etree.SubElement(paragraph, w("r")), w("t")).text = line
            value = f"{first}\n{second}"
        typed[f.name] = value
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            out.writestr(item, data)
    return typed


def test_libreoffice_round_trip_keeps_bookmarks_and_filled_text(model, built_docx, tmp_path):
    filled = tmp_path / "filled.docx"
    typed = _fill(built_docx, filled, model)
    saved = soffice_convert(filled, tmp_path / "saved", 'docx:MS Word 2007 XML')
    root = part(saved, "word/document.xml")
    for name in expected_names(model):
        inside = bookmark_text(root, fields.bookmark_name(name))
        assert inside is not None, f"bookmark of {name} lost"
        if name in typed:
            for line in typed[name].split("\n"):
                assert line in inside, (name, line, inside)
