"""Structure-aware mutations of a .docx: what only Word's XML has (bookmarks, content controls,
tick-box flags, dates, tags); the blind XML and ZIP changes come from mutate_zip.py."""
from __future__ import annotations

import copy
from functools import partial

from lxml import etree

from fuzz.mutate_zip import Package, elements as _elements, xml_mutators, xml_step, zip_mutators

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
DOCUMENT = "word/document.xml"
DOCX = Package(
    main=DOCUMENT, paragraph=f"{{{W}}}p", text_tags=(f"{{{W}}}t",),
    wrappers=tuple(f"{{{W}}}{tag}" for tag in ("p", "sdtContent", "tc", "r")), filler=f"{{{W}}}t",
    renames=(f"{{{W}}}sdt", f"{{{W}}}p", f"{{{W}}}t", "{urn:x}unknown", f"{{{W}}}bookmarkStart"),
    macro_part="word/vbaProject.bin", bomb_fillers=(b"\0", b"<w:t>a</w:t>", b"<w:p/>"), body_end=b"</w:body>",
    bomb_paragraph=(b"<w:p>", b"<w:r><w:t>a</w:t></w:r>", b"</w:p>"))
_xml_step = partial(xml_step, DOCX)


def _field_of(element) -> str | None:
    """The field name of the content control an element belongs to, from its w:tag."""
    for ancestor in element.iterancestors(f"{{{W}}}sdt"):
        tag = ancestor.find(f"{{{W}}}sdtPr/{{{W}}}tag")
        if tag is not None:
            name = tag.get(f"{{{W}}}val", "")
            parts = name.split("__")
            return "__".join(parts[:2]) if len(parts) >= 2 else name
    return None







@_xml_step(DOCUMENT)
def many_bookmarks(rng, root):
    """Thousands of bookmarks, most never closed (the reader's bookmark walk must stay linear)."""
    body = root.find(f"{{{W}}}body")
    paragraphs = _elements(body, f"{{{W}}}p")
    start = rng.randrange(len(paragraphs))
    for k in range(rng.choice((2000, 20000))):
        paragraph = paragraphs[(start + k) % len(paragraphs)]
        mark = etree.SubElement(paragraph, f"{{{W}}}bookmarkStart")
        mark.set(f"{{{W}}}id", str(900000 + k))
        mark.set(f"{{{W}}}name", f"fld_x{k}")
    if rng.random() < 0.5:  # also lose every tag, so the bookmark path is taken
        for tag in _elements(root, f"{{{W}}}tag"):
            tag.getparent().remove(tag)


@_xml_step(DOCUMENT)
def many_controls(rng, root):
    """Very many (empty or copied) content controls."""
    sdts = _elements(root, f"{{{W}}}sdt")
    sdt = rng.choice(sdts)
    for _ in range(rng.choice((1000, 10000))):
        sdt.addnext(copy.deepcopy(sdt))



@_xml_step(DOCUMENT)
def mutate_checkbox_flag(rng, root):
    """w14:checked set to a value that is not ST_OnOff (damaged) or to a synonym (equivalent)."""
    flags = _elements(root, f"{{{W14}}}checked")
    flag = rng.choice(flags)
    field = _field_of(flag)
    old = flag.get(f"{{{W14}}}val", "1").lower() in ("1", "true", "on")
    if rng.random() < 0.5:
        flag.set(f"{{{W14}}}val", rng.choice(("2", "yes", "x", "", "01", "checked")))
        return ({field} if field else set()), set()
    flag.set(f"{{{W14}}}val", rng.choice(("true", "on", "1")) if old else rng.choice(("false", "off", "0")))
    return set(), ({field} if field else set())


@_xml_step(DOCUMENT)
def mutate_date(rng, root):
    dates = _elements(root, f"{{{W}}}date")
    if not dates:
        return
    date = rng.choice(dates)
    date.set(f"{{{W}}}fullDate", rng.choice(("2026-13-45T00:00:00Z", "garbage", "", "0000-00-00", "2026-05-04xx")))
    field = _field_of(date)
    return ({field} if field else set()), set()


@_xml_step(DOCUMENT)
def strip_tags(rng, root):
    """What LibreOffice 7.4 does on save: every w:tag gone (bookmarks and titles must carry it)."""
    for tag in _elements(root, f"{{{W}}}tag"):
        tag.getparent().remove(tag)




_GENERIC = {name: entry for name, *entry in xml_mutators("docx", DOCX)}
MUTATORS = [
    ("docx.delete", *_GENERIC["docx.delete"]),
    ("docx.duplicate", *_GENERIC["docx.duplicate"]),
    ("docx.reorder", *_GENERIC["docx.reorder"]),
    ("docx.move", *_GENERIC["docx.move"]),
    ("docx.nest", *_GENERIC["docx.nest"]),
    ("docx.bookmarks", 1, many_bookmarks),
    ("docx.controls", 1, many_controls),
    ("docx.attribute", *_GENERIC["docx.attribute"]),
    ("docx.checkbox", 3, mutate_checkbox_flag),
    ("docx.date", 1, mutate_date),
    ("docx.striptags", 1, strip_tags),
    ("docx.rename", *_GENERIC["docx.rename"]),
    ("docx.text", *_GENERIC["docx.text"]),
    *zip_mutators(DOCX),
]
