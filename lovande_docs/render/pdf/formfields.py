"""Form-field flowables: each draws its AcroForm widgets from draw(), so fields move with the text.

Field kinds (lovande_docs.fields.FieldDef.kind) and what they become:
  choice → one radio group named FieldDef.name, one kid per option, export value = option code;
  select → a combo box whose first entry is the neutral UNSET value shown as the placeholder;
  text   → a multi-line scrolling text field; line and date → a single-line text field.

NeedAppearances is left out (false) on purpose: reportlab writes an appearance stream for every
widget and state (radio on/off for normal and down, combo and text fields with their initial
value), so every viewer can draw the form as built, and Acrobat does not ask to save a file that
nobody changed. Fillers and viewers make new appearances for the values they set (pdftk and PyMuPDF
do, see tests/test_pdf.py; pdf.js and PDFium are reported to); the font for them is in /DR
(Helvetica with a Latin-1 encoding, which covers å ä ö).
"""
from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import getAscent, getDescent, stringWidth
from reportlab.platypus import Flowable

from lovande_docs import markup
from lovande_docs.fields import UNSET, FieldDef
from lovande_docs.render.pdf.para import Para
from lovande_docs.render.pdf.styles import Styles

RADIO_FLAGS = "radio noToggleToOff"  # one option at a time, like the Word document's boxes
COMBO_FLAGS = "combo"  # a closed list: only the model's codes can be stored
TEXT_FLAGS = {"text": "multiline", "line": "", "date": ""}


class _Widgets:
    """Common widget arguments (colours, border, font), from the layout."""

    def __init__(self, styles: Styles):
        self.styles = styles
        self.border = {
            "borderColor": styles.color("colors.field_border"),
            "fillColor": styles.color("colors.field_background"),
            "textColor": styles.color("colors.text"),
            "borderWidth": styles.pt("pdf.fields.border_pt"),
        }
        self.font = str(styles.layout.get("pdf.fields.font"))
        self.radio_look = {"shape": str(styles.layout.get("pdf.fields.radio_shape")),
                           "buttonStyle": str(styles.layout.get("pdf.fields.radio_mark"))}
        self.font_pt = styles.pt("pdf.fields.font_pt")
        self.box = styles.mm("spacing.checkbox_size_mm")
        self.label_gap = styles.mm("pdf.fields.label_gap_mm")
        self.option_gap = styles.mm("pdf.fields.option_gap_mm")

    def radio(self, canv, field: FieldDef, code: str, tooltip: str, x: float, y: float) -> None:
        canv.acroForm.radio(name=field.name, value=code, selected=False, x=x, y=y, size=self.box,
                            relative=True, tooltip=tooltip, fieldFlags=RADIO_FLAGS, **self.radio_look,
                            **self.border)

    def combo(self, canv, field: FieldDef, tooltip: str, x: float, y: float, width: float, height: float) -> None:
        canv.acroForm.choice(name=field.name, value=UNSET, options=combo_options(field), tooltip=tooltip,
                             x=x, y=y, width=width, height=height, relative=True, fieldFlags=COMBO_FLAGS,
                             fontName=self.font, fontSize=self.font_pt, **self.border)

    def text(self, canv, field: FieldDef, tooltip: str, x: float, y: float, width: float, height: float) -> None:
        canv.acroForm.textfield(name=field.name, value="", tooltip=tooltip, x=x, y=y, width=width, height=height,
                                relative=True, fieldFlags=TEXT_FLAGS[field.kind], maxlen=None,
                                fontName=self.font, fontSize=self.font_pt, **self.border)

    def combo_width(self, field: FieldDef) -> float:
        """Wide enough for the longest option plus the viewer's drop-down arrow."""
        height = self.styles.mm("pdf.fields.combo_height_mm")
        longest = max(stringWidth(label, self.font, self.font_pt) for label, _ in combo_options(field))
        return max(self.styles.mm("pdf.fields.combo_width_mm"), longest + 2 * height)


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
        canv.drawString(x, y - self.descent, self.text)


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
