"""Form-field flowables: each draws its AcroForm widgets from draw(), so fields move with the text.

Field kinds (lovande_docs.fields.FieldDef.kind) and what they become:
  choice → one radio group named FieldDef.name, one kid per option, export value = option code;
  select → a combo box whose first entry is the neutral UNSET value shown as the placeholder;
  text   → a multi-line scrolling text field; line and date → a single-line text field.

Widgets are written here, not by reportlab's acroForm helpers, because what viewers do with them
decides the design (docs/pdf-viewers.md):
- Field text is drawn in the layout's own font, embedded whole (fonts.FieldFont) and named in the
  AcroForm's /DR and every /DA, so a viewer that redraws a field after the user typed draws with a
  font that is in the file and has the glyphs (Swedish, Sámi, – ’ ” …).
- Border widths are whole points: PDFium reads /BS /W as an integer (0.75 → no frame, no
  background) when it redraws a field.
- Every widget has its own /TU (radio kids too: pdf.js names a widget only from its own /TU).
- NeedAppearances stays off: every widget and state has an appearance stream, so every viewer draws
  the form as built and Acrobat does not ask to save a file nobody changed.
"""
from __future__ import annotations

from reportlab.pdfbase.acroform import RadioGroup, ZDSyms, annotationFlagValues, fieldFlagValues, makeFlags
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFStream,
    PDFStreamFilterZCompress,
    PDFString,
)
from reportlab.pdfbase.pdfmetrics import getAscent, getDescent, stringWidth
from reportlab.platypus import Flowable

from lovande_docs import markup
from lovande_docs.fields import UNSET, FieldDef
from lovande_docs.layout import LayoutError
from lovande_docs.render.pdf.fonts import FieldFont, field_font
from lovande_docs.render.pdf.para import Para
from lovande_docs.render.pdf.styles import Styles, build_styles

RADIO_FLAGS = "radio noToggleToOff"  # one option at a time, like the Word document's boxes
COMBO_FLAGS = "combo"  # a closed list: only the model's codes can be stored
TEXT_FLAGS = {"text": "multiline", "line": "", "date": ""}
PRINT = makeFlags("print", annotationFlagValues)
MIN_TEXT_PT = 8  # smaller field text is not readable in print


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _rgb(color) -> tuple[float, float, float]:
    return tuple(round(c, 4) for c in color.rgb())


class _FormResources:
    """What all widgets of one document share: the field font object and the AcroForm's /DR and /DA."""

    def __init__(self, canv, font: FieldFont, da: str):
        doc = canv._doc
        self.doc, self.font = doc, font
        self.radio_looks: dict[str, PDFDictionary] = {}  # option code → its /AP
        self.font_ref = doc.Reference(self._font_object())
        acro = canv.acroForm
        acro.extras["DR"] = PDFDictionary({"Font": PDFDictionary({font.resource: self.font_ref})})
        acro.extras["DA"] = PDFString(da)

    @classmethod
    def of(cls, canv, font: FieldFont, da: str) -> "_FormResources":
        found = getattr(canv._doc, "_lovande_form_resources", None)
        if found is None:
            found = cls(canv, font, da)
            canv._doc._lovande_form_resources = found
        return found

    def _stream(self, dictionary: dict, content: bytes | str) -> PDFStream:
        filters = [PDFStreamFilterZCompress()] if self.doc.compression else None
        return PDFStream(PDFDictionary(dictionary), content, filters=filters)

    def _font_object(self) -> PDFDictionary:
        f, ref = self.font, self.doc.Reference
        program = self._stream({"Length1": len(f.program)}, f.program)
        descriptor = PDFDictionary({
            "Type": PDFName("FontDescriptor"), "FontName": PDFName(f.base_name), "Flags": 32,
            "FontBBox": PDFArray([round(v) for v in f.bbox]), "ItalicAngle": round(f.italic_angle),
            "Ascent": round(f.ascent), "Descent": round(f.descent), "CapHeight": round(f.cap_height),
            "StemV": f.stem_v, "FontFile2": ref(program)})
        return PDFDictionary({
            "Type": PDFName("Font"), "Subtype": PDFName("TrueType"), "BaseFont": PDFName(f.base_name),
            "FirstChar": 1, "LastChar": 255, "Widths": _Raw("[" + " ".join(str(round(w)) for w in f.widths[1:]) + "]"),
            "Encoding": PDFDictionary({"Type": PDFName("Encoding"), "BaseEncoding": PDFName("WinAnsiEncoding"),
                                       "Differences": _Raw(f.differences())}),
            "FontDescriptor": ref(descriptor), "ToUnicode": ref(self._stream({}, f.to_unicode()))})

    def appearance(self, width: float, height: float, content: str):
        """A form XObject for one text or combo widget's normal appearance. Never shared between
        widgets: fillers such as pypdf write a new value's drawing into the existing stream, and a
        shared one would then show the last value in every field that uses it."""
        resources = {"ProcSet": _Raw("[/PDF /Text]"), "Font": PDFDictionary({self.font.resource: self.font_ref})}
        return self.doc.Reference(self._stream({
            "Type": PDFName("XObject"), "Subtype": PDFName("Form"), "FormType": 1,
            "BBox": PDFArray([0, 0, round(width, 3), round(height, 3)]),
            "Matrix": _Raw("[1 0 0 1 0 0]"), "Resources": PDFDictionary(resources)}, content))


class _Raw(PDFObject):
    """A PDF token written as given (an array already spelled out)."""

    def __init__(self, text: str):
        self.text = text

    def format(self, document):
        return self.text.encode("latin-1")


class _Widgets:
    """Writes the widgets, with colours, border, font and sizes from the layout."""

    def __init__(self, styles: Styles):
        self.styles = styles
        layout = styles.layout
        self.border_color = styles.color("colors.field_border")
        self.fill_color = styles.color("colors.field_background")
        self.text_color = styles.color("colors.text")
        self.border_width = styles.pt("pdf.fields.border_pt")
        if self.border_width != int(self.border_width) or self.border_width < 1:
            raise LayoutError(f"{layout.source}: pdf.fields.border_pt must be a whole number of points, at "
                              f"least 1 (PDFium reads a field's border width as an integer), not {self.border_width}")
        self.border_width = int(self.border_width)
        self.border = {"borderColor": self.border_color, "fillColor": self.fill_color,
                       "textColor": self.text_color, "borderWidth": self.border_width}
        self.field_font = field_font(layout)
        self.radio_look = {"shape": str(layout.get("pdf.fields.radio_shape")),
                           "buttonStyle": str(layout.get("pdf.fields.radio_mark"))}
        self.font_pt = styles.pt("pdf.fields.text_pt")
        body = styles.pt("type.body_pt")
        if not MIN_TEXT_PT <= self.font_pt <= body:
            raise LayoutError(f"{layout.source}: pdf.fields.text_pt must lie between {_num(MIN_TEXT_PT)} pt and "
                              f"the body text's {_num(body)} pt (type.body_pt), not {_num(self.font_pt)}")
        self.padding = styles.pt("pdf.fields.padding_pt")
        self.line_pt = styles.pt("pdf.fields.leading_pt")
        self.box = styles.mm("spacing.checkbox_size_mm")
        self.label_gap = styles.mm("pdf.fields.label_gap_mm")
        self.option_gap = styles.mm("pdf.fields.option_gap_mm")

        self._fill_rgb, self._border_rgb, self._text_rgb = (
            " ".join(map(_num, _rgb(c))) for c in (self.fill_color, self.border_color, self.text_color))

    # --- shared pieces of a widget ---

    def _da(self, size: float) -> str:
        return f"/{self.field_font.resource} {_num(size)} Tf {self._text_rgb} rg"

    def _resources(self, canv) -> _FormResources:
        return _FormResources.of(canv, self.field_font, self._da(self.font_pt))

    def _mk(self, **extra) -> PDFDictionary:
        return PDFDictionary({**extra, "BC": PDFArray(_rgb(self.border_color)), "BG": PDFArray(_rgb(self.fill_color))})

    def _radio_appearances(self, canv, code: str) -> PDFDictionary:
        """/AP of an option: the on and off looks for normal and pressed (shared by all radios)."""
        resources, acro = self._resources(canv), canv.acroForm
        if code not in resources.radio_looks:
            appearances = {}
            for key in "ND":
                colors = acro.varyColors(key, self.text_color, self.border_color, self.fill_color)
                states = {}
                for state in (code, "Off"):
                    stream = acro.checkboxAP(key, "Yes" if state == code else "Off", textColor=colors[0],
                                             borderColor=colors[1], fillColor=colors[2],
                                             borderWidth=self.border_width, borderStyle="solid", size=self.box,
                                             dashLen=3, **self.radio_look)
                    if stream._af_refstr not in acro._refMap:
                        acro._refMap[stream._af_refstr] = acro.getRef(stream)
                    states[state] = acro._refMap[stream._af_refstr]
                appearances[key] = PDFDictionary(states)
            resources.radio_looks[code] = PDFDictionary(appearances)
        return resources.radio_looks[code]

    def _bs(self) -> PDFDictionary:
        return PDFDictionary({"W": self.border_width, "S": PDFName("S")})

    def _frame(self, width: float, height: float) -> list[str]:
        """Background and border, as PDFium and pdf.js draw them from /MK and /BS."""
        w = self.border_width
        return ["q", f"{self._fill_rgb} rg", f"0 0 {_num(width)} {_num(height)} re f", f"{self._border_rgb} RG",
                f"{w} w {_num(w / 2)} {_num(w / 2)} {_num(width - w)} {_num(height - w)} re S", "Q"]

    # --- field text: one size, inside the padding --------------------------------------------

    @property
    def inset(self) -> float:
        """From the widget's edge to its text: the frame and the layout's padding."""
        return self.border_width + self.padding

    @property
    def leading(self) -> float:
        return max(self.line_pt, (self.field_font.ascent - self.field_font.descent) * self.font_pt / 1000)

    def wrap(self, text: str, width: float) -> list[str]:
        """A value's lines in a multi-line box ``width`` wide: its own line breaks, then words
        moved down at the box's edge (a word wider than the box broken where it must)."""
        room = width - 2 * self.inset
        size, measure = self.font_pt, self.field_font.width
        lines: list[str] = []
        for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            line = ""
            for word in paragraph.split(" "):
                candidate = f"{line} {word}" if line else word
                if measure(candidate, size) <= room or not line and not word:
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                line = word
                if measure(line, size) > room:  # a word wider than the box: as many letters as fit
                    pieces, piece, used = [], "", 0.0
                    for char in line:
                        step = measure(char, size)
                        if piece and used + step > room:
                            pieces.append(piece)
                            piece, used = "", 0.0
                        piece, used = piece + char, used + step
                    lines += pieces
                    line = piece
            lines.append(line)
        return lines

    def rows(self, height: float) -> int:
        """How many lines of text a multi-line box ``height`` high shows whole."""
        return max(1, int((height - 2 * self.inset - self.leading) / self.leading) + 1)

    def text_appearance(self, width: float, height: float, lines: list[str], multiline: bool = False) -> str:
        """Frame and text at the layout's size, inside the padding: a single line vertically centred,
        multi-line text from the top."""
        font, size = self.field_font, self.font_pt
        ops = self._frame(width, height) + ["/Tx BMC"]
        if any(lines):
            inset = self.inset
            if multiline:
                y = height - inset - font.ascent * size / 1000
            else:
                y = (height - (font.ascent - font.descent) * size / 1000) / 2 - font.descent * size / 1000
            clip = self.border_width
            ops += ["q", f"{clip} {clip} {_num(width - 2 * clip)} {_num(height - 2 * clip)} re W n", "BT",
                    f"/{font.resource} {_num(size)} Tf", f"{self._text_rgb} rg", f"{_num(inset)} {_num(y)} Td"]
            for number, line in enumerate(lines):
                if number:
                    ops.append(f"0 {_num(-self.leading)} Td")
                ops.append(f"<{font.encode(line)}> Tj")
            ops += ["ET", "Q"]
        ops.append("EMC")
        return "\n".join(ops)


    def _place(self, canv, x: float, y: float, width: float, height: float) -> PDFArray:
        x0, y0 = canv.absolutePosition(x, y)
        return PDFArray([round(v, 3) for v in (x0, y0, x0 + width, y0 + height)])

    # --- the three kinds ---

    def radio(self, canv, field: FieldDef, code: str, tooltip: str, x: float, y: float) -> None:
        """One option of a radio group; the group (parent) carries the question's tooltip, the
        widget its own name of question and option."""
        acro = canv.acroForm
        appearances = self._radio_appearances(canv, code)
        group = acro._radios.get(field.name)
        if group is None:
            group = acro._radios[field.name] = RadioGroup(field.name, tooltip=tooltip, fieldFlags=RADIO_FLAGS)
            group._ref = acro.getRef(group)
            acro.fields.append(group._ref)
        widget = PDFDictionary({
            "Type": PDFName("Annot"), "Subtype": PDFName("Widget"), "FT": PDFName("Btn"), "P": canv._doc.thisPageRef(),
            "Parent": group._ref, "Rect": self._place(canv, x, y, self.box, self.box), "F": PRINT,
            "AS": PDFName("Off"), "AP": appearances, "H": PDFName("N"),
            "TU": PDFString(field.box_title(code)),
            "MK": self._mk(CA=_Raw("(%s)" % ZDSyms[self.radio_look["buttonStyle"]])), "BS": self._bs()})
        canv._addAnnotation(widget)
        group.kids.append(acro.getRef(widget))

    def _field(self, canv, entries: dict, width: float, height: float, x: float, y: float, shown: str) -> None:
        resources = self._resources(canv)
        ap = resources.appearance(width, height, self.text_appearance(width, height, [shown] if shown else []))
        widget = PDFDictionary({
            "Type": PDFName("Annot"), "Subtype": PDFName("Widget"), "P": canv._doc.thisPageRef(),
            "Rect": self._place(canv, x, y, width, height), "F": PRINT, **entries,
            "DA": PDFString(self._da(self.font_pt)), "AP": PDFDictionary({"N": ap}),
            "MK": self._mk(), "BS": self._bs()})
        canv._addAnnotation(widget)
        canv.acroForm.fields.append(canv.acroForm.getRef(widget))

    def combo(self, canv, field: FieldDef, tooltip: str, x: float, y: float, width: float, height: float) -> None:
        options = combo_options(field)
        entries = {"FT": PDFName("Ch"), "T": PDFString(field.name), "TU": PDFString(tooltip),
                   "Ff": makeFlags(COMBO_FLAGS, fieldFlagValues),
                   "Opt": PDFArray([PDFArray([PDFString(code), PDFString(label)]) for label, code in options]),
                   "V": PDFString(UNSET), "DV": PDFString(UNSET), "I": PDFArray([0])}
        self._field(canv, entries, width, height, x, y, options[0][0])

    def text(self, canv, field: FieldDef, tooltip: str, x: float, y: float, width: float, height: float) -> None:
        entries = {"FT": PDFName("Tx"), "T": PDFString(field.name), "TU": PDFString(tooltip),
                   "Ff": makeFlags(TEXT_FLAGS[field.kind], fieldFlagValues), "V": PDFString(""), "DV": PDFString("")}
        self._field(canv, entries, width, height, x, y, "")

    def combo_width(self, field: FieldDef) -> float:
        """Wide enough for the longest option plus the viewer's drop-down arrow."""
        height = self.styles.mm("pdf.fields.combo_height_mm")
        longest = max(self.field_font.width(label, self.font_pt) for label, _ in combo_options(field))
        return max(self.styles.mm("pdf.fields.combo_width_mm"), longest + 2 * height)


def field_look(layout) -> _Widgets:
    """The fields' look (font, size, padding, colours) from the layout, for a filler that draws
    values into a built guide exactly as the guide's own widgets would."""
    return _Widgets(build_styles(layout))


def combo_options(field: FieldDef) -> list[tuple[str, str]]:
    """(label, export value) pairs: the neutral entry first, then the model's options."""
    assert field.options is not None
    placeholder = field.options.placeholder or markup.plain(field.spec.label)
    return [(placeholder, UNSET)] + [(markup.plain(o.label), o.code) for o in field.options.items]


# --- a row of pieces ---------------------------------------------------------------------------

class _Piece:
    width: float
    height: float

    def draw(self, canv, x: float, y: float) -> None:  # y: bottom of the piece
        raise NotImplementedError


class RadioPiece(_Piece):
    def __init__(self, widgets: _Widgets, field: FieldDef, code: str, tooltip: str):
        self.widgets, self.field, self.code, self.tooltip = widgets, field, code, tooltip
        self.width = self.height = widgets.box

    def draw(self, canv, x, y):
        self.widgets.radio(canv, self.field, self.code, self.tooltip, x, y)


class LabelPiece(_Piece):
    def __init__(self, text: str, font: str, size: float, color):
        self.text, self.font, self.size, self.color = text, font, size, color
        self.width = stringWidth(text, font, size)
        self.descent = getDescent(font, size)  # negative: below the baseline
        self.height = getAscent(font, size) - self.descent

    def draw(self, canv, x, y):
        canv.setFont(self.font, self.size)
        canv.setFillColor(self.color)
        # the trailing space shows nothing but keeps the words apart in extracted and tagged text,
        # which ran the row's labels together ("JaNejEj relevantStatus")
        canv.drawString(x, y - self.descent, self.text + " ")


class ComboPiece(_Piece):
    def __init__(self, widgets: _Widgets, field: FieldDef, tooltip: str):
        self.widgets, self.field, self.tooltip = widgets, field, tooltip
        self.width = widgets.combo_width(field)
        self.height = widgets.styles.mm("pdf.fields.combo_height_mm")

    def draw(self, canv, x, y):
        self.widgets.combo(canv, self.field, self.tooltip, x, y, self.width, self.height)


class Gap(_Piece):
    def __init__(self, width: float):
        self.width, self.height = width, 0

    def draw(self, canv, x, y):
        pass


class FieldRow(Flowable):
    """Pieces side by side, centred on one line: radio boxes with labels, a label and a combo box."""

    def __init__(self, pieces: list[_Piece], space_after: float = 0):
        super().__init__()
        self.pieces = pieces
        self.height = max(p.height for p in pieces)
        self.width = sum(p.width for p in pieces)
        self.spaceAfter = space_after

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        x = 0.0
        for piece in self.pieces:
            piece.draw(self.canv, x, (self.height - piece.height) / 2)
            x += piece.width


class OptionList(Flowable):
    """A choice whose labels are too long for one row: one radio box per line, label wrapped beside it."""

    def __init__(self, widgets: _Widgets, field: FieldDef, tooltip: str, label_xml: list[str], style,
                 row_gap: float, space_after: float = 0):
        super().__init__()
        self.row_gap = row_gap
        self.widgets, self.field, self.tooltip = widgets, field, tooltip
        self.paras = [Para(xml, style) for xml in label_xml]
        self.style = style
        self.spaceAfter = space_after

    def wrap(self, availWidth, availHeight):
        indent = self.widgets.box + self.widgets.label_gap
        self.sizes = [p.wrap(availWidth - indent, availHeight) for p in self.paras]
        self.height = sum(max(h, self.widgets.box) for _, h in self.sizes) + self.row_gap * (len(self.paras) - 1)
        return availWidth, self.height

    def draw(self):
        y = self.height
        indent = self.widgets.box + self.widgets.label_gap
        for option, para, (_, h) in zip(self.field.options.items, self.paras, self.sizes):
            row = max(h, self.widgets.box)
            first_line_mid = y - self.style.leading / 2
            self.widgets.radio(self.canv, self.field, option.code, self.tooltip, 0, first_line_mid - self.widgets.box / 2)
            para.drawOn(self.canv, indent, y - h)
            y -= row + self.row_gap


class TextBox(Flowable):
    """A text field across the full width (multi-line for kind text, one line for line and date)."""

    def __init__(self, widgets: _Widgets, field: FieldDef, tooltip: str, height: float, space_after: float = 0):
        super().__init__()
        self.widgets, self.field, self.tooltip = widgets, field, tooltip
        self.height = height
        self.spaceAfter = space_after

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        return availWidth, self.height

    def draw(self):
        self.widgets.text(self.canv, self.field, self.tooltip, 0, 0, self.width, self.height)


# --- building the flowables for one field ------------------------------------------------------

class FieldFactory:
    """Makes the flowables of any field kind, with sizes from the layout."""

    def __init__(self, styles: Styles):
        self.styles = styles
        self.widgets = _Widgets(styles)

    def text_height(self, field: FieldDef, description: bool = False) -> float:
        if field.kind == "text":
            key = "spacing.description_min_height_mm" if description else "spacing.text_field_min_height_mm"
            return self.styles.mm(key)
        return self.styles.mm("spacing.line_field_height_mm")

    def options_fit_one_row(self, field: FieldDef) -> bool:
        return all(markup.plain(o.label) == o.label for o in field.options.items)

    def radio_pieces(self, field: FieldDef, tooltip: str) -> list[_Piece]:
        style = self.styles["option"]
        pieces: list[_Piece] = []
        for index, option in enumerate(field.options.items):
            if index:
                pieces.append(Gap(self.widgets.option_gap))
            pieces.append(RadioPiece(self.widgets, field, option.code, tooltip))
            pieces.append(Gap(self.widgets.label_gap))
            pieces.append(LabelPiece(markup.plain(option.label), style.fontName, style.fontSize, style.textColor))
        return pieces

    def label_piece(self, text: str) -> LabelPiece:
        style = self.styles["field_label"]
        return LabelPiece(markup.plain(text).rstrip(":"), style.fontName, style.fontSize, style.textColor)

    def combo_piece(self, field: FieldDef, tooltip: str) -> ComboPiece:
        return ComboPiece(self.widgets, field, tooltip)

    def gap(self, width: float) -> Gap:
        return Gap(width)

    def choice(self, field: FieldDef, tooltip: str, label_xml: list[str]) -> Flowable:
        after = self.styles.pt("spacing.field_after_pt")
        if self.options_fit_one_row(field):
            return FieldRow(self.radio_pieces(field, tooltip), after)
        return OptionList(self.widgets, field, tooltip, label_xml, self.styles["option"],
                          self.styles.pt("pdf.fields.option_row_gap_pt"), after)

    def select(self, field: FieldDef, tooltip: str) -> Flowable:
        return FieldRow([self.combo_piece(field, tooltip)], self.styles.pt("spacing.field_after_pt"))

    def text(self, field: FieldDef, tooltip: str, description: bool = False) -> Flowable:
        return TextBox(self.widgets, field, tooltip, self.text_height(field, description),
                       self.styles.pt("spacing.field_after_pt"))
