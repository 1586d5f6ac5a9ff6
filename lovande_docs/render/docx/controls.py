"""Content controls (w:sdt) and the bookmarks that identify them.

Structures (every control: w:tag = the field's stable name from ``fields``, w:alias = its
human-readable title, w:lock sdtLocked so the control cannot be deleted but its content is
editable; sdtPr children in schema order):

- checkbox: one inline w14:checkbox control per option (tag ``FieldDef.box_name(code)``), ☐/☒ in
  the layout's font (MS Gothic, as Word writes it), each wrapped in a bookmark
  ``fields.bookmark_name(box name)`` in the same paragraph (bookmarkStart before, End after);
- drop-down (Status): inline w:dropDownList; first item = the option list's placeholder
  ("Välj status") with value ``fields.UNSET``, shown with showingPlcHdr; then the options
  (displayText = plain label, value = code); bookmark around it as for checkboxes;
- date: inline w:date (dateFormat and lid from layout/model), placeholder text, bookmark around;
- text and line fields (Beskrivning, Vår bedömning's fields, the summary table): a BLOCK-level
  rich-text control, so users can write several paragraphs in Word, in a box of bordered
  paragraphs (boxes.py) or, in the summary table, a table cell. The box or cell holds
  [label paragraph (+ hint paragraph) ending in bookmarkStart] [the control, one
  placeholder paragraph in style FieldText] [a closing paragraph holding bookmarkEnd]. The
  bookmark thus encloses exactly the control's paragraphs, whatever the user types.

Chosen by experiment with Debian's LibreOffice 7.4.7 (fill a copy, ``soffice --headless
--convert-to 'docx:MS Word 2007 XML'``, inspect word/document.xml; tests/test_docx.py repeats it):

- w:tag and w:lock are dropped from EVERY control; w:alias survives only on (former) block-level
  controls; inline controls keep no alias and no id.
- checkbox: w14:checkbox and w14:checked survive (checked "1" stays "1"), the ☐/☒ glyph run
  survives; the font attribute of checkedState/uncheckedState is dropped.
- drop-down: w:dropDownList with all w:listItem survives (inline, also in table cells), the chosen
  display text survives; showingPlcHdr survives while unfilled.
- date: w:date with w:fullDate, w:dateFormat and w:lid survives (storeMappedDataAs/calendar are
  dropped); the shown text survives.
- block-level rich text: becomes an inline control around the FIRST paragraph's content only
  (with id and alias, no tag, no richText, no showingPlcHdr); further paragraphs stand loose in
  the cell. All typed text survives; an unfilled control still holds the placeholder text, but
  without showingPlcHdr – compare with model.labels["text_placeholder"].
- LibreOffice wraps each paragraph holding checkboxes in a NEW body-level control (id + alias
  copied from one of its checkboxes, no type element); readers must ignore such wrappers.
- bookmarks: all survive with their names; a bookmark around an inline control moves its start
  inside w:sdtContent, still enclosing the glyph / chosen text. A bookmark placed inside a
  block control's paragraphs or at cell level (outside paragraphs) got duplicated or lost its end
  – hence the label/closing-paragraph structure above, which comes back intact.
- the TOC field survives (wrapped in a docPartObj control) with its hyperlinks; the nested
  PAGEREF fields are flattened to text.

So a reader identifies controls by w:tag in files Word saved and by these bookmarks (names from
``fields.bookmark_name``) in files LibreOffice saved: checkbox state from w14:checked (glyph as a
fallback), drop-down from the display text → value of its list, date from w:fullDate, text from
the paragraphs between bookmarkStart and bookmarkEnd.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from lovande_docs.render.docx.xml import el, text, val


@dataclass
class Ids:
    """Counters for w:id of controls and bookmarks: sequential, so builds are reproducible."""

    sdt: int = 1000
    bookmark: int = 0
    names: set = field(default_factory=set)

    def next_sdt(self) -> int:
        self.sdt += 1
        return self.sdt

    def next_bookmark(self) -> int:
        self.bookmark += 1
        return self.bookmark


def bookmark(ids: Ids, name: str) -> tuple[etree._Element, etree._Element]:
    """A bookmark's start and end markers; names must be unique in a document."""
    if name in ids.names:
        raise ValueError(f"duplicate bookmark {name!r}")
    ids.names.add(name)
    number = str(ids.next_bookmark())
    return (el("w:bookmarkStart", {"w:id": number, "w:name": name}), el("w:bookmarkEnd", {"w:id": number}))


def _sdt_pr(ids: Ids, tag: str, alias: str, placeholder: bool, run_style: etree._Element | None = None):
    """w:sdtPr in schema order: rPr, alias, tag, id, lock, showingPlcHdr, then the type element."""
    return el("w:sdtPr", None,
              run_style,
              val("w:alias", alias), val("w:tag", tag), val("w:id", ids.next_sdt()),
              val("w:lock", "sdtLocked"),
              el("w:showingPlcHdr") if placeholder else None)


def _run(value: str, rpr: etree._Element | None = None) -> etree._Element:
    return el("w:r", None, rpr, text(value))


def placeholder_rpr() -> etree._Element:
    return el("w:rPr", None, val("w:rStyle", "PlaceholderText"))


@dataclass(frozen=True)
class CheckboxLook:
    font: str
    checked: str  # hex code point, e.g. "2612"
    unchecked: str


def checkbox(ids: Ids, tag: str, alias: str, look: CheckboxLook, checked: bool = False) -> etree._Element:
    """An inline checkbox control (w14:checkbox), the shape Word itself writes."""
    pr = _sdt_pr(ids, tag, alias, False)
    pr.append(el("w14:checkbox", None,
                  el("w14:checked", {"w14:val": "1" if checked else "0"}),
                  el("w14:checkedState", {"w14:val": look.checked, "w14:font": look.font}),
                  el("w14:uncheckedState", {"w14:val": look.unchecked, "w14:font": look.font})))
    fonts = el("w:rFonts", {"w:ascii": look.font, "w:eastAsia": look.font, "w:hAnsi": look.font,
                            "w:hint": "eastAsia"})
    glyph = chr(int(look.checked if checked else look.unchecked, 16))
    return el("w:sdt", None, pr, el("w:sdtContent", None, _run(glyph, el("w:rPr", None, fonts))))


def dropdown(ids: Ids, tag: str, alias: str, items: list[tuple[str, str]]) -> etree._Element:
    """An inline drop-down list showing its first (neutral) item as placeholder."""
    pr = _sdt_pr(ids, tag, alias, True, placeholder_rpr())
    pr.append(el("w:dropDownList", None,
                 *(el("w:listItem", {"w:displayText": shown, "w:value": value}) for shown, value in items)))
    return el("w:sdt", None, pr, el("w:sdtContent", None, _run(items[0][0], placeholder_rpr())))


def date_picker(ids: Ids, tag: str, alias: str, placeholder: str, language: str, date_format: str) -> etree._Element:
    """An inline date picker; the chosen date is stored in w:fullDate and shown as date_format."""
    pr = _sdt_pr(ids, tag, alias, True, placeholder_rpr())
    pr.append(el("w:date", None, val("w:dateFormat", date_format), val("w:lid", language),
                 val("w:storeMappedDataAs", "dateTime"), val("w:calendar", "gregorian")))
    return el("w:sdt", None, pr, el("w:sdtContent", None, _run(placeholder, placeholder_rpr())))


def rich_text_inline(ids: Ids, tag: str, alias: str, placeholder: str) -> etree._Element:
    """An inline rich-text control (no type element means rich text) showing its placeholder."""
    pr = _sdt_pr(ids, tag, alias, True, placeholder_rpr())
    pr.append(el("w:richText"))
    return el("w:sdt", None, pr, el("w:sdtContent", None, _run(placeholder, placeholder_rpr())))


def rich_text_block(ids: Ids, tag: str, alias: str, placeholder: str, paragraph_style: str) -> etree._Element:
    """A block-level rich-text control: its content is paragraphs, so users can write several."""
    pr = _sdt_pr(ids, tag, alias, True, placeholder_rpr())
    pr.append(el("w:richText"))
    paragraph = el("w:p", None, el("w:pPr", None, val("w:pStyle", paragraph_style)),
                   _run(placeholder, placeholder_rpr()))
    return el("w:sdt", None, pr, el("w:sdtContent", None, paragraph))
