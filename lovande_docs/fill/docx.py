"""Fill a built .docx's content controls as Word does when a user ticks, chooses and types.

Word, on a click, flips ``w14:checked`` and swaps the glyph; on a choice, writes the item's display
text into the control; on typing, drops ``w:showingPlcHdr`` and the placeholder style and writes
paragraphs. This module does the same to a copy of the built file.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from lovande_docs import fields as field_ids
from lovande_docs.model import Model

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
NS = {"w": W, "w14": W14}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def fill_docx(template: Path, values: dict[str, str], target: Path, model: Model,
              ticks: dict[str, tuple[str, ...]] | None = None) -> None:
    """Write ``values`` ({field name: code or text}) into a copy of ``template`` at ``target``.

    ``ticks`` ticks several boxes of one choice field at once (a user's conflicting answer).
    """
    with zipfile.ZipFile(template) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
        order = [info.filename for info in source.infolist()]
    root = etree.fromstring(parts["word/document.xml"])
    controls = {sdt.find("w:sdtPr/w:tag", NS).get(_q("w:val")): sdt
                for sdt in root.iter(_q("w:sdt")) if sdt.find("w:sdtPr/w:tag", NS) is not None}
    definitions = field_ids.fields_by_name(model)
    boxes: dict[str, tuple[str, ...]] = {}
    for name, value in values.items():
        definition = definitions.get(name)
        if definition is None or value is None:
            continue
        if definition.kind == "choice":
            boxes[name] = (value,)
        elif name in controls:
            _fill(controls[name], definition.kind, value)
    boxes.update(ticks or {})
    for name, codes in boxes.items():
        for code in definitions[name].options.codes:
            box = controls.get(definitions[name].box_name(code))
            if box is not None:
                _tick(box, code in codes)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name in order:
            out.writestr(name, parts[name])


def _tick(sdt, checked: bool) -> None:
    box = sdt.find("w:sdtPr/w14:checkbox", NS)
    box.find("w14:checked", NS).set(_q("w14:val"), "1" if checked else "0")
    state = box.find("w14:checkedState" if checked else "w14:uncheckedState", NS)
    sdt.find("w:sdtContent//w:t", NS).text = chr(int(state.get(_q("w14:val")), 16))


def _clear_placeholder(sdt) -> None:
    properties = sdt.find("w:sdtPr", NS)
    for node in (properties.find("w:showingPlcHdr", NS), properties.find("w:rPr", NS)):
        if node is not None:
            properties.remove(node)
    for style in sdt.findall("w:sdtContent//w:rStyle", NS):
        if style.get(_q("w:val")) == "PlaceholderText":
            style.getparent().remove(style)


def _fill(sdt, kind: str, value: str) -> None:
    _clear_placeholder(sdt)
    properties, content = sdt.find("w:sdtPr", NS), sdt.find("w:sdtContent", NS)
    if kind == "select":
        item = next(i for i in properties.iterfind("w:dropDownList/w:listItem", NS) if i.get(_q("w:value")) == value)
        content.find(".//w:t", NS).text = item.get(_q("w:displayText"))
        return
    if kind == "date":
        properties.find("w:date", NS).set(_q("w:fullDate"), f"{value}T00:00:00Z")
        content.find(".//w:t", NS).text = value
        return
    paragraphs = content.findall("w:p", NS)
    if not paragraphs:  # an inline text control: lines as runs with breaks
        run = content.find("w:r", NS)
        for child in list(run):
            if child.tag != _q("w:rPr"):
                run.remove(child)
        for index, line in enumerate(value.split("\n")):
            if index:
                etree.SubElement(run, _q("w:br"))
            _text(etree.SubElement(run, _q("w:t")), line)
        return
    template = paragraphs[0]
    properties_of_paragraph = template.find("w:pPr", NS)
    for paragraph in paragraphs:
        content.remove(paragraph)
    for line in value.split("\n"):
        paragraph = etree.SubElement(content, _q("w:p"))
        if properties_of_paragraph is not None:
            paragraph.append(etree.fromstring(etree.tostring(properties_of_paragraph)))
        if line:
            _text(etree.SubElement(etree.SubElement(paragraph, _q("w:r")), _q("w:t")), line)


def _text(node, value: str) -> None:
    node.text = value
    if value != value.strip():
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
