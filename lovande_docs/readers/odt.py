"""Read the raw field values of a filled guide saved in LibreOffice's own format (OpenDocument, .odt).

A unit whose LibreOffice answers "Use ODF format" when saving sends an .odt. LibreOffice (7.4 and
later) turns the .docx's content controls into its own ``loext:content-control`` elements
(checkbox state, drop-down items, date, "showing placeholder") and a block-level text control into a
text-input field followed by plain paragraphs. What survives every save, also an ODF save without
LibreOffice's extensions, is the bookmark the renderer puts around every control
(``fields.bookmark_name``): so a field is found by its bookmark, and its value is what the bookmark's
range holds, read with the help of a content control inside it when there is one.

The model identity comes from the document's user-defined properties (meta.xml), which LibreOffice
carries over from the .docx's custom properties under the same names. Interpretation (placeholders,
"Välj status", conflicting ticks) is left to :mod:`lovande_docs.readers.interpret`, as for Word.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from lxml import etree

from lovande_docs import fields as field_ids
from lovande_docs import markup
from lovande_docs.answers import Problem
from lovande_docs.readers.docx import FALSE_VALUES, TRUE_VALUES, glyph_state
from lovande_docs.readers.formats import printable
from lovande_docs.readers.interpret import RawForm, RawValue, lost_boxes, resolve_model
from lovande_docs.readers.registry import Registry, load_registry
from lovande_docs.readers.safety import ReadError, SafeZip, parse_xml

ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
ODT_TEMPLATE_MIMETYPE = "application/vnd.oasis.opendocument.text-template"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"

MAX_FIELD_CHARS = 1_000_000  # a description of 500 pages; the guide's fields hold far less
MAX_TOTAL_CHARS = 20_000_000

_P, _H = f"{{{TEXT}}}p", f"{{{TEXT}}}h"
_SPACE, _TAB, _LINE_BREAK = f"{{{TEXT}}}s", f"{{{TEXT}}}tab", f"{{{TEXT}}}line-break"
_BOOKMARK_START, _BOOKMARK_END = f"{{{TEXT}}}bookmark-start", f"{{{TEXT}}}bookmark-end"
_TEXT_INPUT = f"{{{TEXT}}}text-input"
_NAME, _COUNT = f"{{{TEXT}}}name", f"{{{TEXT}}}c"
# Not part of what the user typed: deleted text kept for change tracking, comments, footnotes.
_SKIPPED = {f"{{{TEXT}}}tracked-changes", f"{{{OFFICE}}}annotation", f"{{{TEXT}}}note",
            f"{{{TEXT}}}bookmark-ref", f"{{{TEXT}}}reference-mark-start"}


@dataclass
class OdtControl:
    """The first content control inside a bookmark range, by its LibreOffice attributes."""

    checkbox: bool = False
    checked: bool | None = None
    placeholder: bool = False
    date: str | None = None
    items: dict[str, str] = field(default_factory=dict)  # drop-down display text → value
    damaged: str | None = None  # the tick box's state is neither ticked nor unticked: why


@dataclass
class Range:
    """What one bookmark range holds: its text (paragraphs as lines) and its first control."""

    parts: list[str] = field(default_factory=list)
    control: OdtControl | None = None
    inputs: list[str] = field(default_factory=list)  # the texts of text-input fields inside the range
    size: int = 0
    damaged: str | None = None  # the range's marks are damaged (no end, or the name twice): why

    @property
    def text(self) -> str:
        text = "".join(self.parts).replace("\r\n", "\n").replace("\r", "\n")
        return text.strip("\n")


def read_odt(data: bytes, registry: Registry | None = None) -> RawForm:
    """Raw values of every field of the model version the document names (see interpret)."""
    try:
        package = SafeZip(data)
        _check_package(package)
        content = parse_xml(package.read("content.xml"), "content.xml")
        found_identity = _identity(package)
    except ReadError as error:  # the shared checks speak of Word files
        raise ReadError(str(error).replace(".docx", ".odt").replace("a Word file", "an OpenDocument file")
                        .replace("Word never writes", "LibreOffice never writes")) from None
    registry = registry or load_registry()
    model, _, _ = resolve_model(found_identity, registry)
    problems: list[Problem] = []
    values = field_values(bookmark_ranges(content, field_bookmarks(model)), model, problems)
    if not values:
        raise ReadError("the OpenDocument text has no fields of the guide: it is not the fillable guide "
                        "(or every field was deleted)")
    return RawForm("odt", found_identity, values, problems)


def _check_package(package: SafeZip) -> None:
    mimetype = package.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in package.names else None
    if mimetype not in (None, ODT_MIMETYPE, ODT_TEMPLATE_MIMETYPE):
        raise ReadError(f"an OpenDocument file of another kind ({printable(mimetype) or 'no type'}), not a text document; "
                        "fill in the guide in Word or LibreOffice Writer and send the .docx or .odt")
    if "META-INF/manifest.xml" in package.names:
        manifest = package.read("META-INF/manifest.xml")
        if b"encryption-data" in manifest:
            raise ReadError("the LibreOffice file is password-protected; save it again without a password "
                            "(File > Save As, untick 'Save with password') and send it again")
    if "content.xml" not in package.names:
        raise ReadError("not a readable OpenDocument text (the .odt has no content.xml)")


def _identity(package: SafeZip) -> dict[str, str]:
    """The document's user-defined properties (LibreOffice keeps the .docx's custom properties here)."""
    if "meta.xml" not in package.names:
        return {}
    root = parse_xml(package.read("meta.xml"), "meta.xml")
    found = {}
    for prop in root.iter(f"{{{META}}}user-defined"):
        name = prop.get(f"{{{META}}}name")
        if name and prop.text is not None:
            found.setdefault(name, prop.text)
    return found


def field_bookmarks(model) -> frozenset[str]:
    """The bookmark names the renderer puts around the model's fields (one per checkbox of a choice)."""
    names = set()
    for definition in field_ids.all_fields(model):
        boxes = ([definition.box_name(c) for c in definition.options.codes] if definition.kind == "choice"
                 else [definition.name])
        names.update(field_ids.bookmark_name(box) for box in boxes)
    return frozenset(names)


def bookmark_ranges(content: etree._Element, wanted: frozenset[str]) -> dict[str, Range]:
    """The ranges of the wanted bookmarks by name, in one pass over the document.

    Only the guide's own bookmarks are collected, and their text is bounded (MAX_FIELD_CHARS each,
    MAX_TOTAL_CHARS together), so nested or huge ranges in a hostile file cannot exhaust memory.
    """
    open_ranges: dict[str, Range] = {}
    result: dict[str, Range] = {}
    budget = [MAX_TOTAL_CHARS]
    # comments and processing instructions hold no text of the document, but the text after them does
    # (their tail), which a walk over elements alone would lose
    etree.strip_elements(content, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    input_starts: list[dict[str, int]] = []  # for each open text-input: where it began in each range
    walker = etree.iterwalk(content, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if event == "start":
            if tag in _SKIPPED:
                walker.skip_subtree()
                continue
            if tag == _BOOKMARK_START:
                name = element.get(_NAME)
                if name in wanted and name not in result:
                    open_ranges[name] = result[name] = Range()
                elif name in wanted:  # Writer keeps bookmark names unique: which range is the field's?
                    result[name].damaged = "the field's bookmark is in the file twice (the file is damaged)"
            elif tag == _BOOKMARK_END:
                open_ranges.pop(element.get(_NAME), None)
            elif tag == _TEXT_INPUT:
                input_starts.append({name: len(span.parts) for name, span in open_ranges.items()})
            elif isinstance(tag, str) and tag.endswith("}content-control"):
                control = _control(element)
                for span in open_ranges.values():
                    if span.control is None:
                        span.control = control
            elif tag == _SPACE:
                _append(open_ranges, " " * _count(element), budget)
            elif tag == _TAB:
                _append(open_ranges, "\t", budget)
            elif tag == _LINE_BREAK:
                _append(open_ranges, "\n", budget)
            if element.text and open_ranges and tag not in (_SPACE, _TAB, _LINE_BREAK):
                _append(open_ranges, element.text, budget)
        else:
            if tag == _TEXT_INPUT:
                _drop_trailing_return(open_ranges)
                starts = input_starts.pop() if input_starts else {}
                for name, start in starts.items():
                    if name in open_ranges:
                        open_ranges[name].inputs.append("".join(open_ranges[name].parts[start:]))
            if tag in (_P, _H):
                _append(open_ranges, "\n", budget)
            if element.tail and open_ranges:
                _append(open_ranges, element.tail, budget)
    for span in open_ranges.values():  # never closed: where the answer ends is unknown
        span.damaged = "the end of the field's bookmark is missing (the file is damaged)"
    return result


def _append(open_ranges: dict[str, Range], text: str, budget: list[int]) -> None:
    for span in open_ranges.values():
        span.parts.append(text)
        span.size += len(text)
        budget[0] -= len(text)
        if span.size > MAX_FIELD_CHARS or budget[0] < 0:
            raise ReadError(f"a field of the guide holds more text than the limit ({MAX_FIELD_CHARS:,} characters "
                            f"a field, {MAX_TOTAL_CHARS:,} in all); refused")


def _drop_trailing_return(open_ranges: dict[str, Range]) -> None:
    """LibreOffice ends the text-input it makes of a block control with a carriage return that
    only stands for the paragraph end which follows anyway."""
    for span in open_ranges.values():
        if span.parts and span.parts[-1].endswith("\r"):
            span.parts[-1] = span.parts[-1][:-1]


def _count(element: etree._Element) -> int:
    try:
        return max(1, min(int(element.get(_COUNT, "1")), 10_000))
    except ValueError:
        return 1


def _attributes(element: etree._Element) -> dict[str, str]:
    """Attributes by local name (the namespace is loext: today and may become text: in ODF 1.4)."""
    return {etree.QName(name).localname: value for name, value in element.attrib.items()}


def _control(element: etree._Element) -> OdtControl:
    attributes = _attributes(element)
    control = OdtControl(placeholder=attributes.get("showing-place-holder", "").lower() in TRUE_VALUES)
    if attributes.get("checkbox", "").lower() in TRUE_VALUES:
        control.checkbox = True
        state = attributes.get("checked", "false").lower()  # xsd:boolean; left out when unticked
        control.checked = state in TRUE_VALUES
        if state not in TRUE_VALUES and state not in FALSE_VALUES:
            control.damaged = f"a tick box holds the value {state[:20]!r}, which is neither ticked nor unticked"
    if attributes.get("date", "").lower() in TRUE_VALUES:
        # a damaged stored date is not used: the shown text, what the unit saw, is taken instead
        control.date = _iso_date(attributes.get("current-date"))
    for item in element:
        if isinstance(item.tag, str) and item.tag.endswith("}list-item"):
            item_attributes = _attributes(item)
            if "display-text" in item_attributes:
                control.items.setdefault(item_attributes["display-text"], item_attributes.get("value", ""))
    return control


def _iso_date(value: str | None) -> str | None:
    try:
        return datetime.date.fromisoformat((value or "")[:10]).isoformat()
    except ValueError:
        return None


def field_values(ranges: dict[str, Range], model, problems: list[Problem] | None = None) -> dict[str, RawValue]:
    """Raw values by field name, from the bookmark range the renderer put around each control; a
    choice that lost some of its tick boxes is read from the others, with a problem in ``problems``
    (the lost box may have been the ticked one)."""
    labels = model.labels
    placeholders = (labels["text_placeholder"], labels["date_placeholder"])
    values: dict[str, RawValue] = {}
    for definition in field_ids.all_fields(model):
        if definition.kind == "choice":
            ticked, present, damaged, lost = [], False, None, []
            for code in definition.options.codes:
                span = ranges.get(field_ids.bookmark_name(definition.box_name(code)))
                if span is None:
                    lost.append(code)
                    continue
                present = True
                control = span.control
                damaged = damaged or span.damaged or (control.damaged if control is not None else None)
                checked = control.checked if control is not None and control.checkbox else glyph_state(span.text)
                if checked:
                    ticked.append(code)
            if present:
                values[definition.name] = RawValue(codes=tuple(ticked), damaged=damaged)
                if lost and problems is not None:
                    problems.append(lost_boxes(definition, lost))
            continue
        span = ranges.get(field_ids.bookmark_name(definition.name))
        if span is None:
            continue
        if span.damaged:
            values[definition.name] = RawValue(damaged=span.damaged)
            continue
        control = span.control or OdtControl()
        text = span.text
        for shown in span.inputs:
            if shown.strip() in placeholders and text.strip() != shown.strip():
                # typed beside the input field that still shows the placeholder: the placeholder goes
                text = text.replace(shown.strip(), "", 1).strip("\n")
        placeholder = control.placeholder or text.strip() in placeholders
        if definition.kind == "date" and control.date and not placeholder:
            values[definition.name] = RawValue(text=control.date)
        elif definition.kind == "select" and text.strip() in control.items and not placeholder:
            shown = text.strip()
            # the shown option, what the unit saw, when it is one of the guide's; the item's stored
            # value only for a text the guide does not know (a damaged value must not override it)
            known = shown.casefold() in {markup.plain(o.label).casefold() for o in definition.options.items}
            values[definition.name] = RawValue(text=shown if known else control.items[shown] or shown)
        else:
            values[definition.name] = RawValue(text=text, placeholder=placeholder)
    return values
