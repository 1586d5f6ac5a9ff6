"""Namespaces and a tiny element builder: every other module writes OOXML through these helpers."""
from __future__ import annotations

from functools import lru_cache

from lxml import etree

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
}
# Namespaces declared on every WordprocessingML part root; w14 is ignorable so older readers skip it.
PART_NSMAP = {k: NS[k] for k in ("w", "r", "w14", "mc", "wp", "a", "pic")}
IGNORABLE = "w14"
SINGLE = "240"  # w:line with lineRule auto is in 240ths of a line: 240 = single spacing, a unit, not a look


@lru_cache(maxsize=None)
def qn(name: str) -> str:
    """``"w:p"`` → Clark notation ``"{…main}p"``."""
    if ":" not in name:
        return name
    prefix, local = name.split(":", 1)
    return f"{{{NS[prefix]}}}{local}"


def el(tag: str, attrs: dict | None = None, *children) -> etree._Element:
    """An element with prefixed attribute names; ``None`` children are skipped."""
    node = etree.Element(qn(tag))
    if attrs:
        for key, value in attrs.items():
            node.set(qn(key), str(value))
    for child in children:
        if child is not None:
            node.append(child)
    return node


def val(tag: str, value) -> etree._Element:
    """The common ``<w:x w:val="…"/>``."""
    node = etree.Element(qn(tag))
    node.set(qn("w:val"), str(value))
    return node


def text(value: str, tag: str = "w:t") -> etree._Element:
    node = etree.Element(qn(tag))
    node.text = value
    if value[:1].isspace() or value[-1:].isspace():
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return node


def part_root(tag: str) -> etree._Element:
    root = etree.Element(qn(tag), nsmap=PART_NSMAP)
    root.set(qn("mc:Ignorable"), IGNORABLE)
    return root


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def half_points(pt: float) -> str:
    return str(round(pt * 2))


def twips_pt(pt: float) -> str:
    return str(round(pt * 20))


def twips_mm(mm: float) -> str:
    return str(round(mm * 1440 / 25.4))


def border(side: str, color: str, size_eighths: int, space_pt: int) -> etree._Element:
    """One single-line paragraph border (w:pBdr's top, left, bottom or right)."""
    return el(f"w:{side}", {"w:val": "single", "w:sz": str(size_eighths), "w:space": str(space_pt), "w:color": color})
