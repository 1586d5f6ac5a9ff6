"""Read the raw field values of a filled .docx: content controls, found by more than their tag.

Word keeps every control's ``w:tag`` (the field's stable name). Other programs do not: Debian's
LibreOffice 7.4 drops tags on save and may unwrap or re-wrap controls. So a control is identified,
in this order, by

1. its tag (``namngivna-teorier__answer__ja``),
2. its title (``w:alias``, e.g. "Element 1, stödfråga 1 – Ja"), which the model also defines,
3. the bookmark the renderer puts around every control (``fields.bookmark_name``), whose range
   still holds the value when the control itself is gone.

A checkbox's state comes from ``w14:checked`` and, when a program dropped it, from the glyph
(☒/☐). Text keeps paragraphs (and table rows and list items) as lines; deleted text
(``w:delText``) is skipped; a control showing its placeholder is no answer.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from lovande_docs import fields as field_ids
from lovande_docs.answers import Problem
from lovande_docs.readers.interpret import RawForm, RawValue
from lovande_docs.readers.interpret import lost_boxes, resolve_model
from lovande_docs.readers.registry import Registry, load_registry
from lovande_docs.readers.docx_spans import controls_only
from lovande_docs.readers.safety import ReadError, SafeZip, bound_nodes, parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
NS = {"w": W, "w14": W14}

CHECKED_GLYPHS = {"☒", "☑", "✓", "✔", "✗", "✘", "⊠"}
UNCHECKED_GLYPHS = {"☐", "□"}
TRUE_VALUES = {"1", "true", "on"}
FALSE_VALUES = {"0", "false", "off"}

_T, _TAB, _BR, _CR, _P = (f"{{{W}}}{n}" for n in ("t", "tab", "br", "cr", "p"))
_SDT, _SDT_PR, _SDT_CONTENT = f"{{{W}}}sdt", f"{{{W}}}sdtPr", f"{{{W}}}sdtContent"
_BOOKMARK_START, _BOOKMARK_END = f"{{{W}}}bookmarkStart", f"{{{W}}}bookmarkEnd"
_TAG, _ALIAS, _PLACEHOLDER = f"{{{W}}}tag", f"{{{W}}}alias", f"{{{W}}}showingPlcHdr"
_DROPDOWN, _COMBOBOX, _DATE = f"{{{W}}}dropDownList", f"{{{W}}}comboBox", f"{{{W}}}date"
_CHECKBOX, _CHECKED = f"{{{W14}}}checkbox", f"{{{W14}}}checked"
_VAL, _ID, _NAME, _FULL_DATE = f"{{{W}}}val", f"{{{W}}}id", f"{{{W}}}name", f"{{{W}}}fullDate"
_W14_VAL = f"{{{W14}}}val"


@dataclass
class Control:
    """One content control as found: what kind it is and what it holds."""

    kind: str  # checkbox | dropdown | date | text
    text: str
    checked: bool | None = None
    placeholder: bool = False
    date: str | None = None
    alias: str | None = None
    tag: str | None = None
    damaged: str | None = None  # why the stored value cannot be trusted (reported, never guessed)


@dataclass
class _Found:
    by_tag: dict[str, Control] = field(default_factory=dict)
    by_alias: dict[str, Control] = field(default_factory=dict)
    copies: dict[str, list[Control]] = field(default_factory=dict)  # a tag found again: its later controls


def read_docx(data: bytes, registry: Registry | None = None) -> RawForm:
    """Raw values of every field of the model version the document names (see interpret)."""
    package = SafeZip(data)
    if "word/vbaProject.bin" in package.names:
        raise ReadError("a macro-enabled Word file (.docm); the guide has no macros (refused)")
    if "word/document.xml" not in package.names:
        raise ReadError("not a Word document (the .docx has no word/document.xml)")
    xml = package.read("word/document.xml")
    controls, whole = _parse_document(xml)
    found_identity = _identity(package)
    found = _controls(controls)
    values, problems = _values(found, _LazyBookmarks(whole), found_identity, registry or load_registry())
    if not values:
        raise ReadError("the Word document has no fields of the guide: it is not the fillable guide "
                        "(or every field was deleted)")
    return RawForm("docx", found_identity, values, problems)


def _parse_document(xml: bytes) -> tuple[etree._Element, Callable[[], etree._Element]]:
    """The tree holding the content controls, and how to get the whole document's (for bookmarks,
    needed only when a control lost its tag): the controls alone where docx_spans can cut them
    out, else the whole part, parsed once."""
    cut = controls_only(xml)
    if cut is not None:
        bound_nodes(xml, "word/document.xml")  # the limit is the part's, whatever is parsed of it
        try:
            return parse_xml(cut, "word/document.xml"), lambda: parse_xml(xml, "word/document.xml")
        except ReadError:
            pass  # the whole part's parse below says what is wrong, as it always did
    document = parse_xml(xml, "word/document.xml")
    return document, lambda: document


def _identity(package: SafeZip) -> dict[str, str]:
    if "docProps/custom.xml" not in package.names:
        return {}
    root = parse_xml(package.read("docProps/custom.xml"), "docProps/custom.xml")
    found = {}
    for prop in root.iterfind(f"{{{CUSTOM}}}property"):
        value = next(iter(prop), None)
        if prop.get("name") and value is not None and value.text is not None:
            found[prop.get("name")] = value.text
    return found


# --- content controls --------------------------------------------------------------------------

def _controls(document: etree._Element) -> _Found:
    found = _Found()
    sdts = list(document.iter(_SDT))
    # A control holding other controls is a container (LibreOffice wraps paragraphs in new ones):
    # only the innermost controls count.
    containers = {id(parent) for sdt in sdts if (parent := next(sdt.iterancestors(_SDT), None)) is not None}
    for sdt in sdts:
        if id(sdt) in containers:
            continue
        parts = {child.tag: child for child in sdt}
        properties, content = parts.get(_SDT_PR), parts.get(_SDT_CONTENT)
        if properties is None or content is None:
            continue
        control = _control({child.tag: child for child in properties}, content)
        if control.tag:
            if control.tag in found.by_tag:
                found.copies.setdefault(control.tag, []).append(control)
            else:
                found.by_tag[control.tag] = control
        if control.alias:
            found.by_alias.setdefault(control.alias, control)
    return found


def _control(properties: dict, content) -> Control:
    """One control from its properties (by child tag) and content."""
    tag = properties[_TAG].get(_VAL) if _TAG in properties else None
    alias = properties[_ALIAS].get(_VAL) if _ALIAS in properties else None
    placeholder = _PLACEHOLDER in properties
    checkbox = properties.get(_CHECKBOX)
    if checkbox is not None:
        flag = checkbox.find(_CHECKED)
        if flag is None:
            return Control("checkbox", "", bool(glyph_state(text_of(content))), tag=tag, alias=alias)
        value = flag.get(_W14_VAL, "1").strip().lower()
        if value not in TRUE_VALUES and value not in FALSE_VALUES:  # ST_OnOff knows no other values
            return Control("checkbox", "", False, tag=tag, alias=alias,
                           damaged=f"a tick box holds the value {value[:20]!r}, which is neither ticked nor unticked")
        return Control("checkbox", "", value in TRUE_VALUES, tag=tag, alias=alias)
    text = text_of(content)
    if _DROPDOWN in properties or _COMBOBOX in properties:
        return Control("dropdown", text, placeholder=placeholder, tag=tag, alias=alias)
    date = properties.get(_DATE)
    if date is not None:
        # w:fullDate is what Word stores beside the shown text; a damaged one is not used (the
        # shown text, what the unit saw, is taken instead)
        return Control("date", text, placeholder=placeholder, date=_iso_date(date.get(_FULL_DATE)), tag=tag,
                       alias=alias)
    if len(text.strip()) == 1 and glyph_state(text) is not None:
        # a checkbox whose w14:checkbox was dropped: only the glyph is left
        return Control("checkbox", text, glyph_state(text), tag=tag, alias=alias)
    return Control("text", text, placeholder=placeholder, tag=tag, alias=alias)


def _iso_date(full: str | None) -> str | None:
    if not full:
        return None
    try:
        return datetime.date.fromisoformat(full[:10]).isoformat()
    except ValueError:
        return None


def glyph_state(text: str) -> bool | None:
    """A tick box's state from its glyph (☒ / ☐ and kin), for a box whose flag is gone."""
    glyphs = set(text.strip())
    if glyphs & CHECKED_GLYPHS:
        return True
    if glyphs & UNCHECKED_GLYPHS:
        return False
    return None


def text_of(node: etree._Element) -> str:
    """Text as lines: each paragraph (also in a pasted table or list) is a line, line breaks too.

    One pass over the subtree, so paragraphs nested in paragraphs (text boxes, or a hostile file
    nesting hundreds deep) cost their size once, not once per level. Deleted text
    (``w:delText``) is a different element and so skipped.
    """
    parts: list[str] = []
    paragraphs = 0
    for element in node.iter(_T, _TAB, _BR, _CR, _P):
        tag = element.tag
        if tag == _P:
            if paragraphs:
                parts.append("\n")
            paragraphs += 1
        elif tag == _T:
            parts.append(element.text or "")
        elif tag == _TAB:
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


# --- bookmarks ---------------------------------------------------------------------------------

def _bookmark_texts(document: etree._Element) -> dict[str, tuple[list[str], int, int]]:
    """Where the text of every bookmark range lies, by bookmark name: (pieces, start, end).

    One pass collects the document's text pieces in order and, per bookmark, the positions where
    its range starts and ends (ranges may nest or overlap; the first range of a name counts).
    Joining happens only for the few names asked for, so the work is linear in the document
    and the number of bookmarks (an unclosed bookmark costs nothing).
    """
    pieces: list[str] = []
    starts: dict[str, tuple[str, int]] = {}
    result: dict[str, tuple[list[str], int, int]] = {}
    for element in document.iter(_BOOKMARK_START, _BOOKMARK_END, _T, _P):
        tag = element.tag
        if tag == _T:
            pieces.append(element.text or "")
        elif tag == _P:
            pieces.append("\n")
        elif tag == _BOOKMARK_START:
            starts.setdefault(element.get(_ID), (element.get(_NAME, ""), len(pieces)))
        else:
            opened = starts.pop(element.get(_ID), None)
            if opened is not None and opened[0] not in result:
                result[opened[0]] = (pieces, opened[1], len(pieces))
    return result


class _LazyBookmarks:
    """Bookmark ranges, collected only when some control has lost its tag (a rare, slower path)."""

    def __init__(self, document: Callable[[], etree._Element]):
        self.document = document  # the whole document's tree, parsed only when first asked for
        self.texts: dict[str, tuple[list[str], int, int]] | None = None

    def _load(self) -> dict[str, tuple[list[str], int, int]]:
        if self.texts is None:
            self.texts = _bookmark_texts(self.document())
        return self.texts

    def __contains__(self, name: str) -> bool:
        return name in self._load()

    def __getitem__(self, name: str) -> str:
        pieces, start, end = self._load()[name]
        return "".join(pieces[start:end]).strip("\n")


# --- matching controls to fields -------------------------------------------------------------

def _values(found: _Found, bookmarks: _LazyBookmarks, identity: dict[str, str], registry: Registry):
    model, _, _ = resolve_model(identity, registry)
    values: dict[str, RawValue] = {}
    lost_problems: list[Problem] = []
    by_title = 0
    by_bookmark = 0
    for definition in field_ids.all_fields(model):
        names = ([(definition.box_name(c), lambda c=c: definition.box_title(c), c) for c in definition.options.codes]
                 if definition.kind == "choice" else [(definition.name, lambda: definition.title, None)])
        ticked: list[str] = []
        damaged: str | None = None
        present = False
        lost: list[str] = []
        flipped: list[tuple[str, bool]] = []  # a tick box given twice, its copy in the other state
        for name, title, code in names:
            control, how = _find(found, bookmarks, name, title)
            if how == "title":
                by_title += 1
            if control is None and how != "bookmark":
                if code is not None:
                    lost.append(code)
                continue
            present = True
            if how == "bookmark":
                by_bookmark += 1
                text = bookmarks[field_ids.bookmark_name(name)]
                control = Control("checkbox" if code else definition.kind, text,
                                  checked=glyph_state(text) if code else None,
                                  placeholder=text.strip() == model.labels["text_placeholder"])
            copies = found.copies.get(name, ()) if how == "tag" else ()
            if code is not None:
                damaged = damaged or control.damaged
                if control.checked:
                    ticked.append(code)
                if any(bool(copy.checked) != bool(control.checked) for copy in copies):
                    flipped.append((code, bool(control.checked)))
                continue
            values[definition.name] = _raw(definition.kind, control, model.labels)
            if copies:
                values[definition.name].copies = tuple(_raw(definition.kind, copy, model.labels) for copy in copies)
        if definition.kind == "choice" and present:
            choice = values[definition.name] = RawValue(codes=tuple(ticked), damaged=damaged)
            # read once with the other copy of each such box: interpret compares
            choice.copies += tuple(choice.with_box_flipped(code, was) for code, was in flipped)
            if lost:
                lost_problems.append(lost_boxes(definition, lost))
    problems = []
    if by_title or by_bookmark:
        problems.append(Problem("unidentified_field", f"{by_title + by_bookmark} controls had lost their tags "
                                "(as happens when LibreOffice saves the file) and were recognised by their "
                                "titles or bookmarks instead."))
    return values, problems + lost_problems


def _find(found: _Found, bookmarks: _LazyBookmarks, name: str, title):
    """Tag first; then the bookmark range (it holds every paragraph of a text field even after
    LibreOffice re-wraps the control around the first one); the title only as a last resort."""
    if name in found.by_tag:
        return found.by_tag[name], "tag"
    if field_ids.bookmark_name(name) in bookmarks:
        return None, "bookmark"
    title = title()  # only now: formatting every title costs more than the whole tag lookup
    if title in found.by_alias and not found.by_alias[title].tag:
        return found.by_alias[title], "title"
    return None, None


def _raw(kind: str, control: Control, labels) -> RawValue:
    placeholder = control.placeholder or control.text.strip() in (labels["text_placeholder"], labels["date_placeholder"])
    if kind == "date" and control.date and not placeholder:
        return RawValue(text=control.date)
    return RawValue(text=control.text, placeholder=placeholder)
