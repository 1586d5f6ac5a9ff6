"""Mutations shared by the ZIP-and-XML formats (.docx, .odt): the XML parts' elements, attributes,
nesting and text, and the ZIP container (entries, local and central headers).

A format describes itself once in a :class:`Package`; ``xml_mutators`` and ``zip_mutators`` give
its table entries. The format modules (mutate_docx.py, mutate_odt.py) add what only they know.
"""
from __future__ import annotations

import copy
import io
import random
import struct
import zipfile
from dataclasses import dataclass

from lxml import etree

from fuzz.step import Mutated

ATTRIBUTE_VALUES = ["", "0", "1", "true", "false", "on", "off", "2", "-1", "x" * 5000, "99999999999999999999",
                    "ja", "nej", "klar", "\u2612", "Ja", " ", "2026-13-45T00:00:00Z", "garbage", "NaN"]
_PARSER = etree.XMLParser(huge_tree=True, remove_blank_text=False, resolve_entities=False)


@dataclass(frozen=True)
class Package:
    """What the shared mutators need to know of one ZIP-based format."""

    main: str  # the part holding the fields (mutated most often)
    paragraph: str  # the paragraph element (Clark notation)
    text_tags: tuple[str, ...]  # elements whose .text is what the user typed
    wrappers: tuple[str, ...]  # elements to nest a paragraph in, deeply
    filler: str  # an element holding text, put beside each nesting level
    renames: tuple[str, ...]  # tags an element may be renamed to
    macro_part: str  # a part name the format uses for macros (a rename target)
    bomb_fillers: tuple[bytes, ...]  # what a highly compressible extra part repeats
    body_end: bytes  # where a paragraph of very many runs goes in the main part
    bomb_paragraph: tuple[bytes, bytes, bytes]  # (paragraph start, one run, paragraph end)
    keep_methods: bool = False  # rewrite each entry with its own compression (ODF: mimetype stored)


def unzip(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(info, z.read(info)) for info in z.infolist()]


def rezip(entries: list[tuple[zipfile.ZipInfo | str, bytes]], method=zipfile.ZIP_DEFLATED,
          keep_methods: bool = False) -> bytes:
    """The entries as a new archive, in their order, with a fixed date; each entry compressed with
    ``method``, or with its own method where ``keep_methods`` and it has one."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for info, content in entries:
            name = info.filename if isinstance(info, zipfile.ZipInfo) else info
            own = info.compress_type if keep_methods and isinstance(info, zipfile.ZipInfo) else method
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content, compress_type=own)
    return out.getvalue()


def serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def xml_step(package: Package, pick_part: str | None = None):
    """Decorator: run ``change(rng, root)`` on one XML part (the package's main part most often);
    ``change`` returns nothing or (damaged fields, equivalent fields)."""
    def wrap(change):
        def step(rng: random.Random, data: bytes) -> Mutated:
            entries = unzip(data)
            xml_indexes = [i for i, (info, _) in enumerate(entries) if info.filename.endswith(".xml")]
            names = [entries[i][0].filename for i in xml_indexes]
            if pick_part and pick_part in names:
                index = xml_indexes[names.index(pick_part)]
            elif package.main in names and rng.random() < 0.8:
                index = xml_indexes[names.index(package.main)]
            else:
                index = rng.choice(xml_indexes)
            root = etree.fromstring(entries[index][1], _PARSER)
            damaged, equivalent = change(rng, root) or (frozenset(), frozenset())
            entries[index] = (entries[index][0], serialize(root))
            return Mutated(rezip(entries, keep_methods=package.keep_methods), frozenset(damaged),
                           frozenset(equivalent))
        step.__name__ = change.__name__
        return step
    return wrap


def elements(root, tag=None):
    return [e for e in root.iter(tag) if isinstance(e.tag, str)]


def xml_mutators(prefix: str, package: Package, attribute_values=ATTRIBUTE_VALUES):
    """Table entries for the blind XML changes: elements deleted, duplicated, reordered, moved,
    nested deeply, renamed; attribute values; texts."""

    @xml_step(package)
    def delete_element(rng, root):
        element = rng.choice(elements(root)[1:])
        element.getparent().remove(element)

    @xml_step(package)
    def duplicate_element(rng, root):
        element = rng.choice(elements(root)[1:])
        for _ in range(rng.choice((1, 1, 2, 50))):
            element.addnext(copy.deepcopy(element))

    @xml_step(package)
    def reorder_siblings(rng, root):
        parents = [e for e in elements(root) if len(e) > 1]
        parent = rng.choice(parents)
        children = list(parent)
        rng.shuffle(children)
        parent[:] = children

    @xml_step(package)
    def move_element(rng, root):
        found = elements(root)[1:]
        element, target = rng.choice(found), rng.choice(found)
        if element is target or element in target.iterancestors():
            return
        target.append(element)

    @xml_step(package, package.main)
    def nest_deeply(rng, root):
        """Wrap an element in many levels of paragraphs, tables or controls (up to libxml2's limit)."""
        element = rng.choice(elements(root, package.paragraph) or elements(root)[1:])
        wrapper_tag = rng.choice(package.wrappers)
        for _ in range(rng.choice((10, 100, 240, 300))):
            wrapper = etree.Element(wrapper_tag)
            element.addprevious(wrapper)
            wrapper.append(element)
            text = etree.SubElement(wrapper, package.filler)
            text.text = "x" * 50
            element = wrapper

    @xml_step(package)
    def mutate_attribute(rng, root):
        candidates = [e for e in elements(root) if e.attrib]
        element = rng.choice(candidates)
        name = rng.choice(list(element.attrib))
        element.set(name, rng.choice(attribute_values))

    @xml_step(package)
    def rename_element(rng, root):
        element = rng.choice(elements(root)[1:])
        element.tag = rng.choice(package.renames)

    @xml_step(package)
    def change_text(rng, root):
        texts = [e for tag in package.text_tags for e in elements(root, tag)]
        text = rng.choice(texts)
        text.text = rng.choice(("", "\u2612", "\u2610", "Klar", "ja", "x" * 100000, (text.text or "") * 50, "\ufffd"))

    return [
        (f"{prefix}.delete", 4, delete_element),
        (f"{prefix}.duplicate", 3, duplicate_element),
        (f"{prefix}.reorder", 2, reorder_siblings),
        (f"{prefix}.move", 2, move_element),
        (f"{prefix}.nest", 2, nest_deeply),
        (f"{prefix}.attribute", 4, mutate_attribute),
        (f"{prefix}.rename", 2, rename_element),
        (f"{prefix}.text", 2, change_text),
    ]


# --- the ZIP container -------------------------------------------------------------------------

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


def zip_mutators(package: Package):
    """Table entries for the container: entries deleted, duplicated, renamed, stored, multiplied,
    bombs near the limits; lies in local and central headers."""
    keep = package.keep_methods

    def zip_delete_entry(rng, data):
        entries = unzip(data)
        del entries[rng.randrange(len(entries))]
        return Mutated(rezip(entries, keep_methods=keep))

    def zip_duplicate_entry(rng, data):
        entries = unzip(data)
        entries.insert(rng.randrange(len(entries)), rng.choice(entries))
        return Mutated(rezip(entries, keep_methods=keep))

    def zip_rename_entry(rng, data):
        entries = unzip(data)
        i = rng.randrange(len(entries))
        info, content = entries[i]
        entries[i] = (rng.choice(("../evil.xml", "/abs.xml", package.main, package.macro_part,
                                  info.filename.upper(), info.filename + "\0x")), content)
        return Mutated(rezip(entries, keep_methods=keep))

    def zip_stored(rng, data):
        return Mutated(rezip(unzip(data), zipfile.ZIP_STORED))

    def zip_many_entries(rng, data):
        entries = unzip(data)
        entries += [(f"customXml/item{k}.xml", b"<a/>") for k in range(rng.choice((500, 1200)))]
        return Mutated(rezip(entries, keep_methods=keep))

    def zip_bomb_entry(rng, data):
        """A highly compressible part near the limits (size and ratio)."""
        entries = unzip(data)
        size = rng.choice((2, 30, 63, 65)) * 1024 * 1024
        filler = rng.choice(package.bomb_fillers)
        entries.append((package.main.rsplit("/", 1)[0] + "/bomb.xml" if "/" in package.main else "bomb.xml",
                        filler * (size // len(filler))))
        if rng.random() < 0.5:
            main = [i for i, (info, _) in enumerate(entries) if getattr(info, "filename", info) == package.main]
            if main:
                i = main[0]
                body = entries[i][1]
                cut = body.rfind(package.body_end)
                start, run, end = package.bomb_paragraph
                runs = run * (size // 25)
                entries[i] = (entries[i][0], body[:cut] + start + runs + end + body[cut:])
        return Mutated(rezip(entries, keep_methods=keep))

    return [
        ("zip.delete", 1, zip_delete_entry),
        ("zip.duplicate", 1, zip_duplicate_entry),
        ("zip.rename", 1, zip_rename_entry),
        ("zip.stored", 1, zip_stored),
        ("zip.entries", 1, zip_many_entries),
        ("zip.bomb", 1, zip_bomb_entry),
        ("zip.local", 2, zip_local_header),
        ("zip.central", 2, zip_central_header),
    ]
