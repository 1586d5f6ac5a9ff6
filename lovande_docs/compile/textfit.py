"""How many lines a text takes in a wrapped spreadsheet cell, so rows can be given their height.

Neither XlsxWriter nor LibreOffice Calc (when it opens an .xlsx with row heights written) fits a
row to wrapped text, so the workbook computes the heights itself: the text is wrapped word by word
the way the applications do, measured with the metrics of the workbook's font (Arial, measured
with its metric-compatible twin Liberation Sans, the layout's PDF font).
"""
from __future__ import annotations

import math
from functools import lru_cache

from PIL import ImageFont

_UNITS = 1000  # the font is loaded at this pixel size; widths are scaled from it
DIGIT_PX = 7  # width of "0" in Arial 10 at 96 dpi: Excel's unit of column width
CELL_PADDING_PX = 5  # a column is width × DIGIT_PX + 5 pixels wide (as XlsxWriter writes it)
TEXT_MARGIN_PX = 6  # what Excel keeps free of text in a cell (Calc keeps less: its lines are never longer)


class TextFit:
    """Line counts for text in a column of a given width (in Excel's character units)."""

    def __init__(self, regular_ttf: str, bold_ttf: str, size_pt: float):
        self.px_per_unit = size_pt * 96 / 72 / _UNITS
        self.fonts = (ImageFont.truetype(regular_ttf, _UNITS), ImageFont.truetype(bold_ttf, _UNITS))
        self._words: dict[tuple[str, bool], float] = {}
        self._space = tuple(f.getlength(" ") * self.px_per_unit for f in self.fonts)

    def width_px(self, text: str, bold: bool = False) -> float:
        key = (text, bold)
        width = self._words.get(key)
        if width is None:
            width = self.fonts[bold].getlength(text) * self.px_per_unit
            if len(self._words) < 50_000:
                self._words[key] = width
        return width

    @staticmethod
    def usable_px(width_chars: float) -> float:
        return int(width_chars * DIGIT_PX + 0.5) + CELL_PADDING_PX - TEXT_MARGIN_PX

    def lines(self, text: str, width_chars: float, bold: bool = False) -> int:
        """Lines ``text`` wraps to in a column ``width_chars`` wide (at word boundaries; a word
        longer than the line is broken, as the applications do)."""
        usable = self.usable_px(width_chars)
        space = self._space[bold]
        total = 0
        for paragraph in text.split("\n"):
            lines, used = 1, 0.0
            for word in paragraph.split():
                width = self.width_px(word, bold)
                if used and used + space + width <= usable:
                    used += space + width
                elif not used and width <= usable:
                    used = width
                else:
                    if used:
                        lines += 1
                    if width > usable:  # broken inside the word
                        extra = math.ceil(width / usable) - 1
                        lines += extra
                        used = width - extra * usable
                    else:
                        used = width
            total += lines
        return total

    def longest_word_chars(self, text: str, bold: bool = False) -> float:
        """The column width (in character units) the longest word of ``text`` needs."""
        widest = max((self.width_px(w, bold) for w in text.split()), default=0.0)
        return (widest + TEXT_MARGIN_PX - CELL_PADDING_PX) / DIGIT_PX + 0.5


@lru_cache(maxsize=4)
def text_fit(regular_ttf: str, bold_ttf: str, size_pt: float) -> TextFit:
    return TextFit(regular_ttf, bold_ttf, size_pt)
