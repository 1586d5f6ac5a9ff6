"""Stacked bar charts as plain geometry, drawn by both reports: the PDF turns the shapes into
reportlab graphics, the Word report rasterises the very same shapes to a PNG with Pillow
(reportlab's own bitmap renderer needs a backend that is not installed). One chart, two outputs.

Coordinates are points, origin bottom left, as in reportlab.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str  # hex RGB
    stroke: str | None = None


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float
    color: str
    anchor: str = "start"  # start, middle, end
    bold: bool = False


@dataclass
class Chart:
    width: float
    height: float
    shapes: list = field(default_factory=list)


@dataclass(frozen=True)
class Series:
    label: str
    color: str


@dataclass(frozen=True)
class ChartStyle:
    bar_height: float
    bar_gap: float
    label_width: float
    legend_size: float
    label_size: float
    text_color: str
    muted_color: str
    border_color: str


def _text_color(fill: str) -> str:
    r, g, b = (int(fill[i:i + 2], 16) for i in (0, 2, 4))
    return "FFFFFF" if (0.299 * r + 0.587 * g + 0.114 * b) < 150 else "1A1A1A"


def stacked_bars(rows: Sequence[tuple[str, Sequence[int]]], series: Sequence[Series], width: float,
                 style: ChartStyle, measure: Callable[[str, float], float]) -> Chart:
    """One horizontal bar per row, its segments the counts of each series, scaled to the row's
    total (so every bar is 100 %); counts are written in segments wide enough to hold them. A
    legend stands above the bars."""
    legend_height = style.legend_size * 2.2
    height = legend_height + len(rows) * (style.bar_height + style.bar_gap) + style.bar_gap
    chart = Chart(width, height)
    # legend
    x = style.label_width
    y = height - style.legend_size * 1.3
    for item in series:
        box = style.legend_size
        chart.shapes.append(Rect(x, y - 1, box, box, item.color, style.border_color))
        chart.shapes.append(Text(x + box + 3, y, item.label, style.legend_size, style.text_color))
        x += box + 3 + measure(item.label, style.legend_size) + 10
    # bars, top to bottom
    bar_width = width - style.label_width - 4
    top = height - legend_height
    for index, (name, counts) in enumerate(rows):
        y = top - (index + 1) * (style.bar_height + style.bar_gap)
        chart.shapes.append(Text(style.label_width - 4, y + style.bar_height * 0.3, name, style.label_size,
                                 style.text_color, anchor="end"))
        total = sum(counts)
        x = style.label_width
        if total == 0:
            chart.shapes.append(Rect(x, y, bar_width, style.bar_height, "FFFFFF", style.border_color))
            continue
        for count, item in zip(counts, series):
            if not count:
                continue
            segment = bar_width * count / total
            chart.shapes.append(Rect(x, y, segment, style.bar_height, item.color, style.border_color))
            text = str(count)
            if segment >= measure(text, style.label_size) + 3:
                chart.shapes.append(Text(x + segment / 2, y + style.bar_height * 0.3, text, style.label_size,
                                         _text_color(item.color), anchor="middle"))
            x += segment
    return chart


def to_reportlab(chart: Chart, regular: str, bold: str):
    """The chart as a reportlab Drawing (a flowable in platypus)."""
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.graphics.shapes import Rect as RLRect
    from reportlab.lib.colors import HexColor

    drawing = Drawing(chart.width, chart.height)
    for shape in chart.shapes:
        if isinstance(shape, Rect):
            drawing.add(RLRect(shape.x, shape.y, shape.width, shape.height, fillColor=HexColor("#" + shape.fill),
                               strokeColor=HexColor("#" + shape.stroke) if shape.stroke else None,
                               strokeWidth=0.4))
        else:
            drawing.add(String(shape.x, shape.y, shape.text, fontName=bold if shape.bold else regular,
                               fontSize=shape.size, fillColor=HexColor("#" + shape.color), textAnchor=shape.anchor))
    return drawing


def to_png(chart: Chart, regular_ttf: str, bold_ttf: str, dpi: float) -> bytes:
    """The chart as PNG bytes (Pillow), at ``dpi``."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    scale = dpi / 72.0
    image = Image.new("RGB", (max(1, round(chart.width * scale)), max(1, round(chart.height * scale))), "white")
    draw = ImageDraw.Draw(image)
    fonts: dict[tuple[bool, float], ImageFont.FreeTypeFont] = {}

    def font(bold: bool, size: float):
        key = (bold, size)
        if key not in fonts:
            fonts[key] = ImageFont.truetype(bold_ttf if bold else regular_ttf, max(1, round(size * scale)))
        return fonts[key]

    def flip(y: float) -> float:
        return (chart.height - y) * scale

    for shape in chart.shapes:
        if isinstance(shape, Rect):
            box = [shape.x * scale, flip(shape.y + shape.height), (shape.x + shape.width) * scale, flip(shape.y)]
            draw.rectangle(box, fill="#" + shape.fill, outline=("#" + shape.stroke) if shape.stroke else None,
                           width=max(1, round(0.4 * scale)))
        else:
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[shape.anchor]
            draw.text((shape.x * scale, flip(shape.y)), shape.text, fill="#" + shape.color,
                      font=font(shape.bold, shape.size), anchor=anchor)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()
