"""Drive PDFium (the engine of Chrome's and Edge's PDF viewer) as a user does: click a radio button,
click into a text field and type (Enter for a new line), choose in a combo box, save.

Widget positions come from the file itself (pypdf), so the same driver fills a file built by us or
one saved by another engine.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pypdf import PdfReader

VK_DELETE = 0x2E


@dataclass(frozen=True)
class Widget:
    name: str
    kind: str  # "/Tx", "/Ch" or "/Btn"
    page: int
    rect: tuple[float, float, float, float]
    export: str | None  # a radio widget's on-state
    options: tuple[str, ...]  # a combo's export values in order

    @property
    def centre(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.rect
        return (x0 + x1) / 2, (y0 + y1) / 2


def widgets(path: Path) -> list[Widget]:
    reader = PdfReader(path)
    found = []
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots", ()) or ():
            widget = annotation.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            field = widget if "/T" in widget else widget["/Parent"].get_object()
            kind = str(field.get("/FT"))
            export = next((str(s)[1:] for s in widget.get("/AP", {}).get("/N", {}) if s != "/Off"), None) \
                if kind == "/Btn" else None
            options = tuple(str(o[0] if isinstance(o, list) else o) for o in field.get("/Opt", ()))
            (x0, x1), (y0, y1) = (sorted(float(v) for v in widget["/Rect"][axis::2]) for axis in (0, 1))
            found.append(Widget(str(field["/T"]), kind, index, (x0, y0, x1, y1), export, options))
    return found


class Pdfium:
    """One document open in PDFium with its form environment, as in a browser tab."""

    def __init__(self, path: Path):
        self.pdf = pdfium.PdfDocument(str(path))
        self.pdf.init_forms()
        self.form = self.pdf.formenv.raw
        self.pages: dict[int, pdfium.PdfPage] = {}

    def page(self, index: int):
        if index not in self.pages:
            self.pages[index] = self.pdf[index]
        return self.pages[index]

    def click(self, index: int, x: float, y: float) -> None:
        page = self.page(index).raw
        raw.FORM_OnMouseMove(self.form, page, 0, x, y)
        raw.FORM_OnLButtonDown(self.form, page, 0, x, y)
        raw.FORM_OnLButtonUp(self.form, page, 0, x, y)

    def type(self, index: int, text: str) -> None:
        page = self.page(index).raw
        units = text.replace("\r\n", "\n").replace("\n", "\r").encode("utf-16-le")
        for at in range(0, len(units), 2):
            raw.FORM_OnChar(self.form, page, int.from_bytes(units[at:at + 2], "little"), 0)

    def fill(self, widget: Widget, value: str | None) -> None:
        """What a user does to put ``value`` (text, or an option's code) into this widget."""
        page = self.page(widget.page).raw
        if widget.kind == "/Btn":
            if value == widget.export:
                self.click(widget.page, *widget.centre)
        elif widget.kind == "/Ch":
            self.click(widget.page, *widget.centre)
            raw.FORM_SetIndexSelected(self.form, page, widget.options.index(value), True)
            raw.FORM_ForceToKillFocus(self.form)
        else:
            self.click(widget.page, *widget.centre)
            raw.FORM_SelectAllText(self.form, page)
            if value:
                self.type(widget.page, value)
            else:
                raw.FORM_OnKeyDown(self.form, page, VK_DELETE, 0)
            raw.FORM_ForceToKillFocus(self.form)

    def save(self, target: Path, incremental: bool = False) -> None:
        raw.FORM_ForceToKillFocus(self.form)
        with open(target, "wb") as out:
            self.pdf.save(out, flags=raw.FPDF_INCREMENTAL if incremental else raw.FPDF_NO_INCREMENTAL)

    def render(self, index: int, scale: float = 2.0):
        """A page as PIL image with the form layer drawn (FPDF_FFLDraw), as the viewer shows it."""
        return self.page(index).render(scale=scale, may_draw_forms=True).to_pil()

    def close(self) -> None:
        for page in self.pages.values():
            page.close()
        self.pdf.close()


def fill_as_user(source: Path, values: dict[str, str], target: Path, incremental: bool = False) -> None:
    """Open ``source`` in PDFium, enter every value as a user would, save to ``target``."""
    engine = Pdfium(source)
    try:
        for widget in widgets(source):
            if widget.name in values:
                engine.fill(widget, values[widget.name])
        engine.save(target, incremental)
    finally:
        engine.close()
