"""Register the layout's TrueType files as one reportlab font family, so <b> and <i> work."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont, TTFontFile

from lovande_docs.layout import Layout, LayoutError

_FACES = (("regular", 0, 0), ("bold", 1, 0), ("italic", 0, 1), ("bold_italic", 1, 1))


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    italic: str
    bold_italic: str


def register_fonts(layout: Layout) -> Fonts:
    paths = tuple(layout.font_file(f"fonts.pdf_{face}") for face, _, _ in _FACES)
    try:
        return _register(paths)
    except (OSError, TTFError) as error:
        raise LayoutError(f"{layout.source}: cannot load a PDF font ({error})") from None


@lru_cache(maxsize=8)
def _register(paths: tuple[str, ...]) -> Fonts:
    """Load each file once per process: parsing a TrueType file is the slowest step of a build."""
    names = []
    for path, (face, bold, italic) in zip(paths, _FACES):
        name = Path(path).stem  # "LiberationSans-Bold": the PostScript-style name of the face
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, path))
        names.append(name)
    family = names[0]
    for name, (_, bold, italic) in zip(names, _FACES):
        addMapping(family, bold, italic, name)
    return Fonts(*names)


# --- the form fields' font ---------------------------------------------------------------------

# The name the field font has in the AcroForm's /DR and in every /DA. PDF gives a resource name no
# meaning, but PDFium (Chrome, Edge) does: when it redraws a field it draws a character with the /DA
# font only if the character's "charset" matches the font's, and it takes any embedded font for
# Western (ANSI), so č đ ŋ š ŧ ž and – ’ ” … fell to system substitutes (ŋ ŧ to nothing). A font
# whose resource name is Wingdings counts as "symbol", and PDFium then asks the font itself (its
# encoding) whether it has the character. pdf.js, pypdf, MuPDF and pdftk look the name up in /DR
# and use the font dictionary it leads to (measured: docs/pdf-viewers.md).
FIELD_FONT_ALIAS = "Wingdings"

# Codes a simple font can give to characters outside WinAnsi: the five WinAnsi leaves undefined, and
# control codes other than NUL, tab and line ends (which some writers do not escape in strings).
_FREE_CODES = (*range(1, 9), 11, 12, *range(14, 32), 0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D)


def _winansi() -> dict[int, int]:
    """Code point → WinAnsiEncoding code (Windows-1252 without its undefined five)."""
    table = {}
    for code in range(0x20, 0x100):
        try:
            table[ord(bytes([code]).decode("cp1252"))] = code
        except UnicodeDecodeError:
            continue
    return table


@dataclass(frozen=True, eq=False)
class FieldFont:
    """The layout's regular face for the form fields (/DA, and the AcroForm's /DR), embedded whole.

    Whole, not a subset: a viewer that redraws a field after the user typed draws with the /DR font,
    so every glyph a user may type must be in the file. A simple TrueType font (WinAnsi plus
    /Differences for the layout's extra characters: Sámi letters, ≥, →, …), not a composite one:
    pdftk/iText and other older fillers cannot draw with a composite /DR font at all, and pdf.js and
    PDFium encode typed text through the simple font's encoding and ToUnicode map.
    """

    resource: str  # the name in /DR /Font and in /DA (FIELD_FONT_ALIAS)
    base_name: str
    program: bytes
    code_of: dict[int, int]  # code point → the one-byte code that draws it
    extras: tuple[tuple[int, int], ...]  # (code, code point) beyond WinAnsi, for /Differences
    widths: tuple[float, ...]  # per code 0–255, in 1/1000 em
    ascent: float
    descent: float
    cap_height: float
    bbox: tuple[float, ...]
    italic_angle: float
    stem_v: int

    def encode(self, text: str) -> str:
        """Hex codes for a string operand (characters the font lacks are left out)."""
        return "".join(f"{self.code_of[ord(c)]:02X}" for c in text if ord(c) in self.code_of)

    def width(self, text: str, size: float) -> float:
        return sum(self.widths[self.code_of[ord(c)]] for c in text if ord(c) in self.code_of) * size / 1000

    def differences(self) -> str:
        return "[" + " ".join(f"{code} /uni{point:04X}" for code, point in self.extras) + "]"

    def to_unicode(self) -> bytes:
        """A ToUnicode CMap for every code, so viewers map typed characters back to codes."""
        pairs = sorted((code, point) for point, code in self.code_of.items())
        lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
                 "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
                 "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
                 "1 begincodespacerange", "<00> <FF>", "endcodespacerange"]
        for start in range(0, len(pairs), 100):
            chunk = pairs[start:start + 100]
            lines.append(f"{len(chunk)} beginbfchar")
            lines += [f"<{c:02X}> <{chr(p).encode('utf-16-be').hex().upper()}>" for c, p in chunk]
            lines.append("endbfchar")
        lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        return "\n".join(lines).encode("ascii")


def field_font(layout: Layout) -> FieldFont:
    path = layout.font_file("fonts.pdf_regular")
    extra = str(layout.get("pdf.fields.extra_characters"))
    try:
        return _field_font(path, extra)
    except (OSError, TTFError) as error:
        raise LayoutError(f"{layout.source}: cannot load a PDF font ({error})") from None


@lru_cache(maxsize=4)
def _field_font(path: str, extra: str) -> FieldFont:
    face = TTFontFile(path, validate=0)
    scale = 1000 / face.unitsPerEm
    has = face.charToGlyph
    code_of = {point: code for point, code in _winansi().items() if point in has}
    wanted = [ord(c) for c in dict.fromkeys(extra) if ord(c) in has and ord(c) not in code_of]
    extras = tuple(zip(_FREE_CODES, wanted))  # beyond the free codes: left to the viewers' fallback
    code_of.update({point: code for code, point in extras})
    widths = [0.0] * 256
    for point, code in code_of.items():
        widths[code] = face.hmetrics[has[point]][0] * scale
    name = face.name.decode("latin-1") if isinstance(face.name, bytes) else str(face.name)
    return FieldFont(
        resource=FIELD_FONT_ALIAS, base_name=name, program=Path(path).read_bytes(), code_of=code_of,
        extras=extras, widths=tuple(widths), ascent=face.ascent, descent=face.descent,
        cap_height=face.capHeight, bbox=tuple(face.bbox), italic_angle=face.italicAngle, stem_v=int(face.stemV),
    )
