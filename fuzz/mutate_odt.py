"""Structure-aware mutations of an .odt (LibreOffice's save of the filled guide): what the reader
finds fields by — the bookmark around each control, LibreOffice's content controls (tick-box
state, drop-down items, date), text-input fields, the identity in meta.xml — and the ``mimetype``
entry; the blind XML and ZIP changes come from mutate_zip.py.

A step that makes a field's value invalid declares it ``damaged``; one that re-encodes it in another
valid way (a synonym of xsd:boolean, a date with a time, text split by markup that holds no text)
declares it ``equivalent`` (see oracle.py).
"""
from __future__ import annotations

import copy
import zipfile
from functools import lru_cache, partial

from lxml import etree

from fuzz.mutate_zip import Package, elements, rezip, unzip, xml_mutators, xml_step, zip_mutators
from fuzz.step import Mutated

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
LOEXT = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
CONTENT = "content.xml"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

_T = lambda name: f"{{{TEXT}}}{name}"  # noqa: E731
_L = lambda name: f"{{{LOEXT}}}{name}"  # noqa: E731
_CONTROL, _ITEM = _L("content-control"), _L("list-item")
_START, _END, _NAME = _T("bookmark-start"), _T("bookmark-end"), _T("name")

ODT = Package(
    main=CONTENT, paragraph=_T("p"), text_tags=(_T("p"), _T("span"), _T("text-input"), _T("h")),
    wrappers=(_T("p"), _T("span"), _T("section"), _CONTROL, _T("text-input")), filler=_T("span"),
    renames=(_T("p"), _T("span"), _T("bookmark-start"), _T("bookmark-end"), _T("text-input"), _CONTROL,
             "{urn:x}unknown", f"{{{OFFICE}}}annotation", _T("tracked-changes"), _T("s"), _T("line-break")),
    macro_part="Basic/Standard/Module1.xml",
    bomb_fillers=(b"\0", b"<text:span>a</text:span>", b"<text:p/>"), body_end=b"</office:text>",
    bomb_paragraph=(b"<text:p>", b"<text:span>a</text:span>", b"</text:p>"), keep_methods=True)
ATTRIBUTE_VALUES = ["", "0", "1", "true", "false", "TRUE", "maybe", "2", "-1", "x" * 5000, "99999999999999999999",
                    "\u2612", "\u2610", " ", "2026-13-45T00:00:00Z", "garbage", "fld_x", "Klar", "ej_vald"]
_xml_step = partial(xml_step, ODT)


@lru_cache(maxsize=1)
def _fields_by_bookmark() -> dict[str, str]:
    """{bookmark name: field name} of the shipped model (one bookmark per tick box of a choice)."""
    from lovande_docs import fields as field_ids
    from lovande_docs.model import load_model
    from lovande_docs.paths import DEFAULT_CONTENT

    found = {}
    for definition in field_ids.all_fields(load_model(DEFAULT_CONTENT)):
        boxes = ([definition.box_name(c) for c in definition.options.codes] if definition.kind == "choice"
                 else [definition.name])
        for box in boxes:
            found[field_ids.bookmark_name(box)] = definition.name
    return found


def _open_fields(root) -> tuple[dict, dict]:
    """For each element, the fields whose bookmark range is open at its start (its text) and after
    its end (its tail): {element: set of field names}, twice."""
    wanted = _fields_by_bookmark()
    open_now: dict[str, str] = {}
    at_text, at_tail = {}, {}
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            name = element.get(_NAME)
            if element.tag == _START and name in wanted:
                open_now[name] = wanted[name]
            elif element.tag == _END:
                open_now.pop(name, None)
            at_text[element] = set(open_now.values())
        else:
            at_tail[element] = set(open_now.values())
    return at_text, at_tail


def _controls(root, kind: str):
    """Content controls of one kind: checkbox, date, dropdown (list items) or plain."""
    found = []
    for control in elements(root, _CONTROL):
        if kind == "checkbox" and control.get(_L("checkbox")) == "true":
            found.append(control)
        elif kind == "date" and control.get(_L("date")) == "true":
            found.append(control)
        elif kind == "dropdown" and control.find(_ITEM) is not None:
            found.append(control)
    return found


@_xml_step(CONTENT)
def mutate_checkbox(rng, root):
    """loext:checked set to what xsd:boolean does not allow (damaged), or to the other spelling of
    the same state (equivalent: "1"/"0", or "false" written out where the attribute was left out)."""
    control = rng.choice(_controls(root, "checkbox"))
    fields = _open_fields(root)[0][control]
    old = control.get(_L("checked"), "false") == "true"
    if rng.random() < 0.5:
        control.set(_L("checked"), rng.choice(("2", "yes", "x", "", "01", "maybe", "checked", "☒", "nej")))
        return fields, set()
    control.set(_L("checked"), rng.choice(("true", "1")) if old else rng.choice(("false", "0")))
    return set(), fields


@_xml_step(CONTENT)
def mutate_glyph(rng, root):
    """The shown glyph of a tick box changed (the state flag, where there is one, still says)."""
    boxes = [e for e in elements(root) if e.text and e.text.strip() in ("\u2612", "\u2610")]
    box = rng.choice(boxes)
    box.text = rng.choice(("\u2612", "\u2610", "x", "", "\u2612\u2610", "\u2611", "[x]"))


@_xml_step(CONTENT)
def mutate_dropdown(rng, root):
    """A drop-down's items: values unknown, empty or another option's (damaged: the shown option
    still says what was chosen); items gone or by the thousand."""
    control = rng.choice(_controls(root, "dropdown"))
    items = control.findall(_ITEM)
    item = rng.choice(items)
    how = rng.randrange(5)
    if how == 0:
        item.set(_L("value"), rng.choice(("garbage", "", "x" * 5000, "\ufffd", "klar ")))
        return _open_fields(root)[0][control], set()
    if how == 1:
        item.set(_L("value"), rng.choice(items).get(_L("value"), ""))
        return _open_fields(root)[0][control], set()
    if how == 2:
        item.set(_L("display-text"), rng.choice(("", "Klar", "Välj status", "x" * 5000)))
    elif how == 3:
        for each in items:
            _detach(each)  # the shown text is the last item's tail
    else:
        for k in range(rng.choice((1000, 20000))):
            extra = copy.deepcopy(item)
            extra.set(_L("display-text"), f"Alternativ {k}")
            control.append(extra)


@_xml_step(CONTENT)
def mutate_date(rng, root):
    """loext:current-date damaged (the shown text remains), or written another valid way."""
    control = rng.choice(_controls(root, "date"))
    fields = _open_fields(root)[0][control]
    current = control.get(_L("current-date"), "")
    if rng.random() < 0.5:
        control.set(_L("current-date"), rng.choice(("2026-13-45T00:00:00Z", "garbage", "0000-00-00", "2026-02-30",
                                                     "05/04/2026", "2026-5-4", "x" * 5000)))
        return fields, set()
    if current[:10]:
        control.set(_L("current-date"), current[:10] + rng.choice(("", "T00:00:00", "T13:45:00Z", "T00:00:00.000")))
    return set(), fields


def _detach(element):
    """Take an element out of the tree, leaving its tail (the text after it) where it was."""
    parent, before = element.getparent(), element.getprevious()
    if element.tail:
        if before is not None:
            before.tail = (before.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
        element.tail = None
    parent.remove(element)
    return element


def _field_starts(root):
    wanted = _fields_by_bookmark()
    return [e for e in elements(root, _START) if e.get(_NAME) in wanted]


@_xml_step(CONTENT)
def mutate_bookmarks(rng, root):
    """A field's bookmark: its end lost or put before its start, renamed to another field's
    (damaged); made a point bookmark; or thousands of bookmarks, most never closed."""
    wanted = _fields_by_bookmark()
    starts = _field_starts(root)
    start = rng.choice(starts)
    name = start.get(_NAME)
    ends = [e for e in elements(root, _END) if e.get(_NAME) == name]
    how = rng.randrange(5)
    if how == 0 and ends:
        _detach(ends[0])
        return {wanted[name]}, set()
    if how == 1 and ends:
        start.addprevious(_detach(ends[0]))
        return {wanted[name]}, set()
    if how == 2:  # the field's own start gone, another's twice: neither range can be trusted
        other = rng.choice(starts).get(_NAME)
        start.set(_NAME, other)
        return {wanted[name], wanted[other]}, set()
    if how == 3:
        start.tag = _T("bookmark")
        for end in ends:
            _detach(end)
        return
    paragraphs = elements(root, _T("p"))
    first = rng.randrange(len(paragraphs))
    names = sorted(wanted) if rng.random() < 0.5 else [f"fld_x{k}" for k in range(20000)]
    for k in range(rng.choice((2000, 20000))):
        mark = etree.SubElement(paragraphs[(first + k) % len(paragraphs)], _START)
        mark.set(_NAME, names[k % len(names)])


@_xml_step(CONTENT)
def many_controls(rng, root):
    """Very many copies of one content control."""
    control = rng.choice(elements(root, _CONTROL))
    for _ in range(rng.choice((1000, 10000))):
        control.addnext(copy.deepcopy(control))


@_xml_step(CONTENT)
def mutate_placeholder(rng, root):
    """A control said to show its placeholder, or no longer to (the text is what the file says)."""
    control = rng.choice(elements(root, _CONTROL))
    if control.get(_L("showing-place-holder")) is None:
        control.set(_L("showing-place-holder"), rng.choice(("true", "1", "garbage")))
    else:
        del control.attrib[_L("showing-place-holder")]


@_xml_step(CONTENT)
def mutate_text_input(rng, root):
    """The text-input field LibreOffice makes of a block control: unwrapped, nested, emptied."""
    field = rng.choice(elements(root, _T("text-input")))
    how = rng.randrange(3)
    if how == 0:
        etree.strip_tags(field.getparent(), _T("text-input"))
    elif how == 1:
        for _ in range(rng.choice((10, 200))):
            outer = etree.Element(_T("text-input"))
            field.addprevious(outer)
            outer.append(field)
            field = outer
    else:
        field.text = rng.choice(("", "\r", "\r\r\r", "Klicka eller tryck här för att skriva text.\r"))


@_xml_step(CONTENT)
def split_text(rng, root):
    """A field's text split by markup that holds no text: a comment, a processing instruction, a
    soft page break, an empty span or a span around the rest (the value must read the same)."""
    at_text, at_tail = _open_fields(root)
    spots = [(e, "text") for e in at_text if at_text[e] and e.text and len(e.text) > 1 and isinstance(e.tag, str)]
    spots += [(e, "tail") for e in at_tail if at_tail[e] and e.tail and len(e.tail) > 1 and isinstance(e.tag, str)]
    element, where = rng.choice(spots)
    fields = (at_text if where == "text" else at_tail)[element]
    text = getattr(element, where)
    cut = rng.randrange(1, len(text))
    kind = rng.randrange(5)
    if kind == 0:
        inserted = etree.Comment(" granskad ")
    elif kind == 1:
        inserted = etree.ProcessingInstruction("lovande", "x")
    elif kind == 2:
        inserted = etree.Element(_T("soft-page-break"))
    else:
        inserted = etree.Element(_T("span"))
    if kind == 4:
        inserted.text, inserted.tail = text[cut:], None
    else:
        inserted.tail = text[cut:]
    setattr(element, where, text[:cut])
    if where == "text":
        element.insert(0, inserted)
    else:
        element.addnext(inserted)
    return set(), fields


@_xml_step(CONTENT)
def strip_extensions(rng, root):
    """What an ODF save without LibreOffice's extensions keeps: no loext: content controls. The
    bookmarks and the shown texts remain, so every field must read the same (equivalent)."""
    etree.strip_elements(root, _ITEM, with_tail=False)  # the shown text is the last item's tail
    etree.strip_tags(root, _CONTROL)
    return set(), set(_fields_by_bookmark().values())


@_xml_step("meta.xml")
def mutate_identity(rng, root):
    """The model identity (user-defined properties): changed, emptied, repeated, or thousands more."""
    props = elements(root, f"{{{META}}}user-defined")
    prop = rng.choice(props)
    how = rng.randrange(4)
    if how == 0:
        prop.text = rng.choice(("", "lovande-arbetssatt", "2026.1", "1999.9", "0" * 64, "x" * 5000, "\ufffd"))
    elif how == 1:
        prop.getparent().remove(prop)
    elif how == 2:
        twin = copy.deepcopy(prop)
        twin.text = "annan"
        prop.addprevious(twin)
    else:
        for k in range(rng.choice((1000, 50000))):
            extra = copy.deepcopy(prop)
            extra.set(f"{{{META}}}name", f"Egenskap{k}")
            prop.addnext(extra)


@_xml_step("META-INF/manifest.xml")
def mutate_manifest(rng, root):
    """The manifest: an entry said to be encrypted, the package's media type changed, entries gone."""
    entries = elements(root, f"{{{MANIFEST}}}file-entry")
    entry = rng.choice(entries)
    how = rng.randrange(3)
    if how == 0:
        etree.SubElement(entry, f"{{{MANIFEST}}}encryption-data")
    elif how == 1:
        entry.set(f"{{{MANIFEST}}}media-type", rng.choice(("", "application/vnd.oasis.opendocument.spreadsheet",
                                                           "text/xml", "x" * 5000)))
    else:
        for each in entries:
            root.remove(each)


def mutate_mimetype(rng, data):
    """The mimetype entry: gone, another type, damaged, compressed, or not first. Where a reader
    may still take the file for a text document (gone, compressed, moved, the template's type,
    white space around it), every field must read the same (equivalent)."""
    entries = unzip(data)
    index = next(i for i, (info, _) in enumerate(entries) if info.filename == "mimetype")
    info, content = entries[index]
    how = rng.randrange(5)
    if how == 0:
        del entries[index]
    elif how == 1:
        entries[index] = (info, rng.choice((b"", b"application/vnd.oasis.opendocument.spreadsheet", b"text/plain",
                                            b"application/vnd.oasis.opendocument.text-template",
                                            b"application/vnd.oasis.opendocument.text-master",
                                            ODT_MIMETYPE + b"\n", b" " + ODT_MIMETYPE, b"x" * 5000,
                                            b"\xff\xfe" + ODT_MIMETYPE, ODT_MIMETYPE.upper())))
    elif how == 2:
        info.compress_type = zipfile.ZIP_DEFLATED
    else:
        del entries[index]
        entries.insert(len(entries) if how == 3 else rng.randrange(1, len(entries) + 1), (info, content))
    text = entries[index][1].strip() if how == 1 else ODT_MIMETYPE
    same = text in (ODT_MIMETYPE, ODT_MIMETYPE + b"-template")
    return Mutated(rezip(entries, keep_methods=True), equivalent=frozenset(_fields_by_bookmark().values()) if same
                   else frozenset())


MUTATORS = [
    *xml_mutators("odt", ODT, ATTRIBUTE_VALUES),
    ("odt.checkbox", 3, mutate_checkbox),
    ("odt.glyph", 1, mutate_glyph),
    ("odt.dropdown", 2, mutate_dropdown),
    ("odt.date", 2, mutate_date),
    ("odt.bookmarks", 3, mutate_bookmarks),
    ("odt.controls", 1, many_controls),
    ("odt.placeholder", 1, mutate_placeholder),
    ("odt.textinput", 1, mutate_text_input),
    ("odt.split", 2, split_text),
    ("odt.strip", 1, strip_extensions),
    ("odt.identity", 1, mutate_identity),
    ("odt.manifest", 1, mutate_manifest),
    ("odt.mimetype", 2, mutate_mimetype),
    *zip_mutators(ODT),
]
