"""Structure-aware mutations of a .docx: its XML parts (elements, attributes, nesting) and its ZIP
container (entries, local and central headers)."""
from __future__ import annotations

import copy
import io
import random
import struct
import zipfile

from lxml import etree

from fuzz.step import Mutated

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
DOCUMENT = "word/document.xml"
ATTRIBUTE_VALUES = ["", "0", "1", "true", "false", "on", "off", "2", "-1", "x" * 5000, "99999999999999999999",
                    "ja", "nej", "klar", "\u2612", "Ja", " ", "2026-13-45T00:00:00Z", "garbage", "NaN"]
_PARSER = etree.XMLParser(huge_tree=True, remove_blank_text=False, resolve_entities=False)


def _unzip(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(info, z.read(info)) for info in z.infolist()]


def _zip(entries: list[tuple[zipfile.ZipInfo | str, bytes]], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for info, content in entries:
            name = info.filename if isinstance(info, zipfile.ZipInfo) else info
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content, compress_type=method)
    return out.getvalue()


def _xml_step(pick_part: str | None = None):
    """Decorator: run ``change(rng, root)`` on one XML part (word/document.xml most often)."""
    def wrap(change):
        def step(rng: random.Random, data: bytes) -> Mutated:
            entries = _unzip(data)
            xml_indexes = [i for i, (info, _) in enumerate(entries) if info.filename.endswith(".xml")]
            names = [entries[i][0].filename for i in xml_indexes]
            if pick_part and pick_part in names:
                index = xml_indexes[names.index(pick_part)]
            elif DOCUMENT in names and rng.random() < 0.8:
                index = xml_indexes[names.index(DOCUMENT)]
            else:
                index = rng.choice(xml_indexes)
            root = etree.fromstring(entries[index][1], _PARSER)
            damaged, equivalent = change(rng, root) or (frozenset(), frozenset())
            entries[index] = (entries[index][0], etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                                standalone=True))
            return Mutated(_zip(entries), frozenset(damaged), frozenset(equivalent))
        step.__name__ = change.__name__
        return step
    return wrap


def _elements(root, tag=None):
    return [e for e in root.iter(tag) if isinstance(e.tag, str)]


def _field_of(element) -> str | None:
    """The field name of the content control an element belongs to, from its w:tag."""
    for ancestor in element.iterancestors(f"{{{W}}}sdt"):
        tag = ancestor.find(f"{{{W}}}sdtPr/{{{W}}}tag")
        if tag is not None:
            name = tag.get(f"{{{W}}}val", "")
            parts = name.split("__")
            return "__".join(parts[:2]) if len(parts) >= 2 else name
    return None


@_xml_step()
def delete_element(rng, root):
    element = rng.choice(_elements(root)[1:])
    element.getparent().remove(element)


@_xml_step()
def duplicate_element(rng, root):
    element = rng.choice(_elements(root)[1:])
    for _ in range(rng.choice((1, 1, 2, 50))):
        element.addnext(copy.deepcopy(element))


@_xml_step()
def reorder_siblings(rng, root):
    parents = [e for e in _elements(root) if len(e) > 1]
    parent = rng.choice(parents)
    children = list(parent)
    rng.shuffle(children)
    parent[:] = children


@_xml_step()
def move_element(rng, root):
    elements = _elements(root)[1:]
    element, target = rng.choice(elements), rng.choice(elements)
    if element is target or element in target.iterancestors():
        return
    target.append(element)


@_xml_step(DOCUMENT)
def nest_deeply(rng, root):
    """Wrap an element in many levels of paragraphs, tables or controls (up to libxml2's limit)."""
    element = rng.choice(_elements(root, f"{{{W}}}p") or _elements(root)[1:])
    wrapper_tag = rng.choice(("p", "sdtContent", "tc", "r"))
    for _ in range(rng.choice((10, 100, 240, 300))):
        wrapper = etree.Element(f"{{{W}}}{wrapper_tag}")
        element.addprevious(wrapper)
        wrapper.append(element)
        text = etree.SubElement(wrapper, f"{{{W}}}t")
        text.text = "x" * 50
        element = wrapper


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


@_xml_step()
def mutate_attribute(rng, root):
    candidates = [e for e in _elements(root) if e.attrib]
    element = rng.choice(candidates)
    name = rng.choice(list(element.attrib))
    element.set(name, rng.choice(ATTRIBUTE_VALUES))


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


@_xml_step()
def rename_element(rng, root):
    element = rng.choice(_elements(root)[1:])
    element.tag = rng.choice((f"{{{W}}}sdt", f"{{{W}}}p", f"{{{W}}}t", "{urn:x}unknown", f"{{{W}}}bookmarkStart"))


@_xml_step()
def change_text(rng, root):
    texts = [e for e in _elements(root, f"{{{W}}}t")]
    text = rng.choice(texts)
    text.text = rng.choice(("", "\u2612", "\u2610", "Klar", "ja", "x" * 100000, (text.text or "") * 50, "\ufffd"))


# --- the ZIP container -------------------------------------------------------------------------

def zip_delete_entry(rng, data):
    entries = _unzip(data)
    del entries[rng.randrange(len(entries))]
    return Mutated(_zip(entries))


def zip_duplicate_entry(rng, data):
    entries = _unzip(data)
    entries.insert(rng.randrange(len(entries)), rng.choice(entries))
    return Mutated(_zip(entries))


def zip_rename_entry(rng, data):
    entries = _unzip(data)
    i = rng.randrange(len(entries))
    info, content = entries[i]
    entries[i] = (rng.choice(("../evil.xml", "/abs.xml", "word/document.xml", "word/vbaProject.bin",
                              info.filename.upper(), info.filename + "\0x")), content)
    return Mutated(_zip(entries))


def zip_stored(rng, data):
    return Mutated(_zip(_unzip(data), zipfile.ZIP_STORED))


def zip_many_entries(rng, data):
    entries = _unzip(data)
    entries += [(f"customXml/item{k}.xml", b"<a/>") for k in range(rng.choice((500, 1200)))]
    return Mutated(_zip(entries))


def zip_bomb_entry(rng, data):
    """A highly compressible part near the limits (size and ratio)."""
    entries = _unzip(data)
    size = rng.choice((2, 30, 63, 65)) * 1024 * 1024
    filler = rng.choice((b"\0", b"<w:t>a</w:t>", b"<w:p/>"))
    entries.append(("word/bomb.xml", filler * (size // len(filler))))
    if rng.random() < 0.5:
        document = [i for i, (info, _) in enumerate(entries) if getattr(info, "filename", info) == DOCUMENT]
        if document:
            i = document[0]
            body = entries[i][1]
            cut = body.rfind(b"</w:body>")
            runs = b"<w:r><w:t>a</w:t></w:r>" * (size // 25)
            entries[i] = (entries[i][0], body[:cut] + b"<w:p>" + runs + b"</w:p>" + body[cut:])
    return Mutated(_zip(entries))


def _headers(data: bytes, signature: bytes) -> list[int]:
    found, i = [], data.find(signature)
    while i >= 0:
        found.append(i)
        i = data.find(signature, i + 1)
    return found


def zip_local_header(rng, data):
    """Lie in a local file header: flags (encryption), method, CRC, sizes, name length."""
    offsets = _headers(data, b"PK\x03\x04")
    at = rng.choice(offsets)
    field_at, size = rng.choice([(4, 2), (6, 2), (8, 2), (14, 4), (18, 4), (22, 4), (26, 2), (28, 2)])
    value = rng.choice([0, 1, 0xFFFF, 0xFFFFFFFF, 99, 12, 0x7FFFFFFF])
    packed = struct.pack("<I", value & 0xFFFFFFFF)[:size] if size == 4 else struct.pack("<H", value & 0xFFFF)
    return Mutated(data[:at + field_at] + packed + data[at + field_at + size:])


def zip_central_header(rng, data):
    """Lie in the central directory or its end record: counts, offsets, sizes, method, flags."""
    if rng.random() < 0.4:
        at = data.rfind(b"PK\x05\x06")
        field_at, size = rng.choice([(8, 2), (10, 2), (12, 4), (16, 4), (20, 2)])
    else:
        at = rng.choice(_headers(data, b"PK\x01\x02"))
        field_at, size = rng.choice([(4, 2), (6, 2), (8, 2), (10, 2), (16, 4), (20, 4), (24, 4), (28, 2), (42, 4)])
    value = rng.choice([0, 1, 0xFFFF, 0xFFFFFFFF, 7, 0x7FFFFFFF, 1000000, 1000, 99])
    packed = struct.pack("<I", value & 0xFFFFFFFF) if size == 4 else struct.pack("<H", value & 0xFFFF)
    return Mutated(data[:at + field_at] + packed + data[at + field_at + size:])


MUTATORS = [
    ("docx.delete", 4, delete_element),
    ("docx.duplicate", 3, duplicate_element),
    ("docx.reorder", 2, reorder_siblings),
    ("docx.move", 2, move_element),
    ("docx.nest", 2, nest_deeply),
    ("docx.bookmarks", 1, many_bookmarks),
    ("docx.controls", 1, many_controls),
    ("docx.attribute", 4, mutate_attribute),
    ("docx.checkbox", 3, mutate_checkbox_flag),
    ("docx.date", 1, mutate_date),
    ("docx.striptags", 1, strip_tags),
    ("docx.rename", 2, rename_element),
    ("docx.text", 2, change_text),
    ("zip.delete", 1, zip_delete_entry),
    ("zip.duplicate", 1, zip_duplicate_entry),
    ("zip.rename", 1, zip_rename_entry),
    ("zip.stored", 1, zip_stored),
    ("zip.entries", 1, zip_many_entries),
    ("zip.bomb", 1, zip_bomb_entry),
    ("zip.local", 2, zip_local_header),
    ("zip.central", 2, zip_central_header),
]
