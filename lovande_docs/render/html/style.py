"""The page's CSS: custom properties from the layout, then the rules of style.css that use them.

style.css holds the structure (what is a box, what prints, what forced-colours mode needs); every
colour, size and gap it uses is a ``var(--…)`` set here from layouts/, so no value is hard-coded.
"""
from __future__ import annotations

from pathlib import Path

from lovande_docs.layout import Layout
from lovande_docs.render.html.fonts import FAMILY, Face

RULES = Path(__file__).with_name("style.css")
CATEGORIES = "/* @categories"  # the line of style.css where the category colours' rules go

_COLORS = ("text", "heading", "accent", "muted", "tip_text", "tip_background", "box_background", "box_border",
           "field_border", "field_background", "link", "strip_current", "strip_other", "revisit_text",
           "revisit_background")
_SIZES = ("title", "subtitle", "heading1", "heading2", "heading3", "lead", "question", "tip", "small", "footnote")
_SPACES = ("paragraph_after", "heading1_after", "heading2_before", "heading2_after", "heading3_before",
           "heading3_after", "question_before", "field_after")


def _em(value: float) -> str:
    return f"{value:.4g}em"


def properties(layout: Layout) -> str:
    body = layout.number("type.body_pt")
    lines = [f"--{name.replace('_', '-')}: #{layout.color('colors.' + name)};" for name in _COLORS]
    lines += [f"--cat-{n}: #{color};" for n, color in enumerate(layout.get("colors.categories"), start=1)]
    lines += [f"--{name}-size: {_em(layout.number(f'type.{name}_pt') / body)};" for name in _SIZES]
    lines.append(f"--leading: {layout.number('type.body_leading_pt') / body:.4g};")
    lines += [f"--{name.replace('_', '-')}: {_em(layout.number(f'spacing.{name}_pt') / body)};" for name in _SPACES]
    lines += [f"--max-width: {_em(layout.number('html.max_width_em'))};",
              f"--gap: {_em(layout.number('html.gap_em'))};",
              f"--field-padding: {_em(layout.number('html.field_padding_em'))};",
              f"--border: {layout.number('html.border_px'):g}px;",
              f"--focus: {layout.number('html.focus_px'):g}px;",
              f"--radio: {_em(layout.number('html.radio_em'))};",
              f"--title-leading: {layout.number('html.title_leading'):g};",
              f"--heading-leading: {layout.number('html.heading_leading'):g};",
              f"--map-column: {_em(layout.number('html.map_column_min_em'))};",
              f"--strip-box: {_em(layout.number('html.strip_box_min_em'))};",
              f"--select-width: {_em(layout.number('html.select_min_em'))};",
              f"--textarea-min: {_em(layout.number('html.textarea_min_em'))};",
              f"--family: {FAMILY}, \"{layout.get('fonts.body_family')}\", sans-serif;"]
    return ":root {\n  " + "\n  ".join(lines) + "\n}\n"


def _category_rules(count: int) -> str:
    """The model figure's boxes in their category's colour, one pair of rules per colour."""
    return "".join(f".cat-{n} a {{ border-left: var(--focus) solid var(--cat-{n}); }} "
                   f".cat-{n} a.category {{ background: var(--cat-{n}); }}\n" for n in range(1, count + 1))


def font_faces(faces: tuple[Face, ...]) -> str:
    return "".join(f"@font-face {{ font-family: {FAMILY}; font-weight: {f.weight}; font-style: {f.style}; "
                   f"font-display: block; src: url(data:font/woff;base64,{f.woff_base64}) format(\"woff\"); }}\n"
                   for f in faces)


def stylesheet(layout: Layout, faces: tuple[Face, ...]) -> str:
    margin = layout.number("html.print_page_margin_mm")
    body = layout.number("type.body_pt")  # on paper, the PDF's text size and page breaks
    breaks = ", ".join(f"h1.{kind}, h2.{kind}" for kind in layout.get("pdf.page_break_kinds"))
    rules = RULES.read_text(encoding="utf-8")
    marker = next(line for line in rules.splitlines(keepends=True) if line.startswith(CATEGORIES))
    rules = rules.replace(marker, _category_rules(len(layout.get("colors.categories"))))
    return (font_faces(faces) + properties(layout) + rules
            + f"@page {{ margin: {margin:g}mm; }}\n"
            + f"@media print {{ html {{ font-size: {body:g}pt; }} {breaks} {{ break-before: page; }} }}\n")
