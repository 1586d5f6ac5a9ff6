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

from dataclasses import dataclass, field

from lxml import etree

from lovande_docs import fields as field_ids
from lovande_docs.answers import Problem
from lovande_docs.readers.interpret import RawForm, RawValue
from lovande_docs.readers.registry import load_registry
from lovande_docs.readers.safety import ReadError, SafeZip, parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
NS = {"w": W, "w14": W14}

CHECKED_GLYPHS = {"☒", "☑", "✓", "✔", "✗", "✘", "⊠"}
UNCHECKED_GLYPHS = {"☐", "□"}
TRUE_VALUES = {"1", "true", "on"}

_T, _TAB, _BR, _CR, _P = (f"{{{W}}}{n}" for n in ("t", "tab", "br", "cr", "p"))
_SDT, _BOOKMARK_START, _BOOKMARK_END = f"{{{W}}}sdt", f"{{{W}}}bookmarkStart", f"{{{W}}}bookmarkEnd"
_VAL, _ID, _NAME = f"{{{W}}}val", f"{{{W}}}id", f"{{{W}}}name"


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


@dataclass
class _Found:
    by_tag: dict[str, Control] = field(default_factory=dict)
    by_alias: dict[str, Control] = field(default_factory=dict)


def read_docx(data: bytes) -> RawForm:
    package = SafeZip(data)
    if "word/vbaProject.bin" in package.names:
        raise ReadError("a macro-enabled Word file (.docm); the guide has no macros (refused)")
    if "word/document.xml" not in package.names:
        raise ReadError("not a Word document (the .docx has no word/document.xml)")
    document = parse_xml(package.read("word/document.xml"), "word/document.xml")
    found_identity = _identity(package)
    found = _controls(document)
    bookmarks = _bookmark_texts(document)
    values, problems = _values(found, bookmarks, found_identity)
    if not values:
        raise ReadError("the Word document has no fields of the guide: it is not the fillable guide "
                        "(or every field was deleted)")
    return RawForm("docx", found_identity, values, problems)


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
    for sdt in document.iter(_SDT):
        if sdt.find(f".//{_SDT}") is not None:
            continue  # a container (LibreOffice wraps paragraphs in new controls): its inner ones count
        properties = sdt.find("w:sdtPr", NS)
        content = sdt.find("w:sdtContent", NS)
        if properties is None or content is None:
            continue
        control = _control(properties, content)
        if control.tag:
            found.by_tag.setdefault(control.tag, control)
        if control.alias:
            found.by_alias.setdefault(control.alias, control)
    return found


def _attr(properties, path: str) -> str | None:
    node = properties.find(path, NS)
    return node.get(_VAL) if node is not None else None


def _control(properties, content) -> Control:
    text = text_of(content)
    tag, alias = _attr(properties, "w:tag"), _attr(properties, "w:alias")
    placeholder = properties.find("w:showingPlcHdr", NS) is not None
    checkbox = properties.find("w14:checkbox", NS)
    if checkbox is not None:
        flag = checkbox.find("w14:checked", NS)
        checked = (flag.get(f"{{{W14}}}val", "1").lower() in TRUE_VALUES) if flag is not None else _glyph(text)
        return Control("checkbox", text, bool(checked), tag=tag, alias=alias)
    if properties.find("w:dropDownList", NS) is not None or properties.find("w:comboBox", NS) is not None:
        return Control("dropdown", text, placeholder=placeholder, tag=tag, alias=alias)
    date = properties.find("w:date", NS)
    if date is not None:
        full = date.get(f"{{{W}}}fullDate")
        return Control("date", text, placeholder=placeholder, date=full[:10] if full else None, tag=tag, alias=alias)
    if _glyph(text) is not None and len(text.strip()) == 1:
        # a checkbox whose w14:checkbox was dropped: only the glyph is left
        return Control("checkbox", text, _glyph(text), tag=tag, alias=alias)
    return Control("text", text, placeholder=placeholder, tag=tag, alias=alias)


def _glyph(text: str) -> bool | None:
    glyphs = set(text.strip())
    if glyphs & CHECKED_GLYPHS:
        return True
    if glyphs & UNCHECKED_GLYPHS:
        return False
    return None


def text_of(node: etree._Element) -> str:
    """Text as lines: each paragraph (also in a pasted table or list) is a line, line breaks too.

    Deleted text (``w:delText``) is a different element and so skipped.
    """
    paragraphs = list(node.iter(_P))
    if not paragraphs:  # an inline control holds runs only
        return _runs_text(node)
    return "\n".join(_runs_text(paragraph) for paragraph in paragraphs)


def _runs_text(node: etree._Element) -> str:
    parts = []
    for element in node.iter(_T, _TAB, _BR, _CR):
        if element.tag == _T:
            parts.append(element.text or "")
        elif element.tag == _TAB:
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


# --- bookmarks ---------------------------------------------------------------------------------

def _bookmark_texts(document: etree._Element) -> dict[str, str]:
    """The text inside every bookmark range, by bookmark name (document order, ranges may nest)."""
    names: dict[str, str] = {}
    open_ranges: dict[str, list[str]] = {}
    result: dict[str, str] = {}
    paragraphs_seen: dict[str, int] = {}
    for element in document.iter(_BOOKMARK_START, _BOOKMARK_END, _T, _P):
        tag = element.tag
        if tag == _BOOKMARK_START:
            names[element.get(_ID)] = element.get(_NAME, "")
            open_ranges[element.get(_ID)] = []
            paragraphs_seen[element.get(_ID)] = 0
        elif tag == _BOOKMARK_END:
            identifier = element.get(_ID)
            if identifier in open_ranges:
                result[names[identifier]] = "".join(open_ranges.pop(identifier)).strip("\n")
        elif tag == _T:
            for buffer in open_ranges.values():
                buffer.append(element.text or "")
        elif tag == _P:
            for buffer in open_ranges.values():
                buffer.append("\n")
    return result


# --- matching controls to fields -------------------------------------------------------------

def _values(found: _Found, bookmarks: dict[str, str], identity: dict[str, str]):
    from lovande_docs.readers.interpret import resolve_model

    model, _, _ = resolve_model(identity, load_registry())
    values: dict[str, RawValue] = {}
    by_title = 0
    by_bookmark = 0
    for definition in field_ids.all_fields(model):
        names = ([(definition.box_name(c), definition.box_title(c), c) for c in definition.options.codes]
                 if definition.kind == "choice" else [(definition.name, definition.title, None)])
        ticked: list[str] = []
        present = False
        for name, title, code in names:
            control, how = _find(found, bookmarks, name, title)
            if how == "title":
                by_title += 1
            if control is None and how != "bookmark":
                continue
            present = True
            if how == "bookmark":
                by_bookmark += 1
                text = bookmarks[field_ids.bookmark_name(name)]
                control = Control("checkbox" if code else definition.kind, text,
                                  checked=_glyph(text) if code else None,
                                  placeholder=text.strip() == model.labels["text_placeholder"])
            if code is not None:
                if control.checked:
                    ticked.append(code)
                continue
            values[definition.name] = _raw(definition.kind, control, model.labels)
        if definition.kind == "choice" and present:
            values[definition.name] = RawValue(codes=tuple(ticked))
    problems = []
    if by_title or by_bookmark:
        problems.append(Problem("unidentified_field", f"{by_title + by_bookmark} controls had lost their tags "
                                "(as happens when LibreOffice saves the file) and were recognised by their "
                                "titles or bookmarks instead."))
    return values, problems


def _find(found: _Found, bookmarks: dict[str, str], name: str, title: str):
    """Tag first; then the bookmark range (it holds every paragraph of a text field even after
    LibreOffice re-wraps the control around the first one); the title only as a last resort."""
    if name in found.by_tag:
        return found.by_tag[name], "tag"
    if field_ids.bookmark_name(name) in bookmarks:
        return None, "bookmark"
    if title in found.by_alias and not found.by_alias[title].tag:
        return found.by_alias[title], "title"
    return None, None


def _raw(kind: str, control: Control, labels) -> RawValue:
    placeholder = control.placeholder or control.text.strip() in (labels["text_placeholder"], labels["date_placeholder"])
    if kind == "date" and control.date and not placeholder:
        return RawValue(text=control.date)
    return RawValue(text=control.text, placeholder=placeholder)
