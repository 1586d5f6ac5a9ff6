"""The Word edition looks like the PDF edition (issue #20): the same design points, from the layout."""
from __future__ import annotations

import struct
import zipfile

from lxml import etree

from lovande_docs.document import ElementStart, build_document
from lovande_docs.render import house

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture"}


def _part(path, name: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(path).read(name))


def test_house_symbol_is_a_picture_with_alt_text_linked_home_on_every_element_page(model, built_docx):
    """The text says "Klicka på hussymbolen": the house stands in the legend under the model
    figure and, as a link to the model page, on every element's first page, as in the PDF."""
    document = _part(built_docx, "word/document.xml")
    rels = _part(built_docx, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    drawings = document.findall(".//w:drawing", NS)
    home = model.labels["home_link"]
    assert drawings and all(d.find(".//wp:docPr", NS).get("descr") == home for d in drawings)
    assert {targets[d.find(".//a:blip", NS).get(f"{{{NS['r']}}}embed")] for d in drawings} == {"media/house.png"}
    starts = [b for b in build_document(model) if isinstance(b, ElementStart)]
    linked = [d for d in drawings if any(a.tag == f"{{{NS['w']}}}hyperlink" for a in d.iterancestors())]
    assert len(linked) == len(starts)
    assert {next(a for a in d.iterancestors() if a.tag == f"{{{NS['w']}}}hyperlink").get(f"{{{NS['w']}}}anchor")
            for d in linked} == {starts[0].home_anchor}
    assert len(drawings) == len(starts) + 1  # and the legend's
    ids = [d.find(".//wp:docPr", NS).get("id") for d in drawings]
    assert len(set(ids)) == len(ids)
    png = zipfile.ZipFile(built_docx).read("word/media/house.png")
    assert png.startswith(b"\x89PNG") and struct.unpack(">II", png[16:24]) == (64, 64)


def test_house_png_draws_the_shared_outline():
    """Ink where the shared outline has it (roof, walls), none in the door or beside the roof."""
    data = house.png(16, "00305E")
    assert data == house.png(16, "00305E")
    assert house.covers(0.5, 0.9) and house.covers(0.2, 0.2)
    assert not house.covers(0.5, 0.1) and not house.covers(0.05, 0.9)
