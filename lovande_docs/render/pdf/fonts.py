"""Register the layout's TrueType files as one reportlab font family, so <b> and <i> work."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from lovande_docs.layout import Layout, LayoutError

_FACES = (("regular", 0, 0), ("bold", 1, 0), ("italic", 0, 1), ("bold_italic", 1, 1))


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    italic: str
    bold_italic: str


def register_fonts(layout: Layout) -> Fonts:
    paths = tuple(str(layout.get(f"fonts.pdf_{face}")) for face, _, _ in _FACES)
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
