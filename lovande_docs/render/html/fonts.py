"""The layout's fonts, cut to the characters the page and its readers' typing need, as inline WOFF.

The page may load nothing from anywhere (its Content-Security-Policy allows fonts only as ``data:``
URLs), so the faces travel inside it; subsetting keeps each to a few tens of kilobytes.
"""
from __future__ import annotations

import base64
import io
from dataclasses import dataclass

from fontTools import subset
from fontTools.ttLib import TTFont

from lovande_docs.layout import Layout

# (layout key, CSS font-weight, CSS font-style)
FACES = (("fonts.pdf_regular", 400, "normal"), ("fonts.pdf_bold", 700, "normal"),
         ("fonts.pdf_italic", 400, "italic"), ("fonts.pdf_bold_italic", 700, "italic"))
FAMILY = "LovandeGuide"  # the name the page's CSS uses for the embedded faces


@dataclass(frozen=True)
class Face:
    weight: int
    style: str
    woff_base64: str


def code_points(spec: str) -> set[int]:
    """``" -~ -ſ−"`` → the code points: ``a-b`` is a range, any other character itself."""
    points: set[int] = set()
    index = 0
    while index < len(spec):
        if index + 2 < len(spec) and spec[index + 1] == "-":
            points.update(range(ord(spec[index]), ord(spec[index + 2]) + 1))
            index += 3
        else:
            points.add(ord(spec[index]))
            index += 1
    return points


def embedded_faces(layout: Layout, text: str) -> tuple[Face, ...]:
    """Each face of the layout's family subset to the layout's range plus every character of
    ``text`` (the page's own text), as WOFF (zlib; no brotli needed) in base64."""
    wanted = code_points(str(layout.get("html.font_subset"))) | {ord(c) for c in text}
    faces = []
    for key, weight, style in FACES:
        font = TTFont(layout.font_file(key), recalcTimestamp=False)
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = ["kern", "liga"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.drop_tables = [*options.drop_tables, "FFTM"]  # FontForge's timestamp table
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=wanted)
        subsetter.subset(font)
        out = io.BytesIO()
        font.flavor = "woff"
        font.save(out, reorderTables=False)
        faces.append(Face(weight, style, base64.b64encode(out.getvalue()).decode("ascii")))
    return tuple(faces)
