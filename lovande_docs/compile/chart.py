"""The report's bar charts, drawn by matplotlib: SVG for the PDF (turned into a vector reportlab
Drawing by svglib; text stays text, in the layout's font) and PNG for Word, from one figure. Every chart carries a text alternative that
states its figures (``BarChart.alt_text``): Word puts it in the picture's description, the PDF
flowable carries it as ``alt_text`` for the tagging layer to turn into /Alt.

Output is reproducible: no dates or software names in the files, a fixed SVG id salt. matplotlib
is imported only when a chart is drawn, so commands without a report never load it.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from lovande_docs.compile.labels import label

SVG_SALT = "lovande-report"


@dataclass(frozen=True)
class Series:
    label: str
    color: str  # hex RGB


@dataclass(frozen=True)
class ChartStyle:
    bar_height: float
    bar_gap: float
    label_width: float  # least room for the row names, points
    legend_size: float
    label_size: float
    text_color: str
    muted_color: str
    border_color: str
    regular_ttf: str = ""
    bold_ttf: str = ""


@dataclass
class BarChart:
    """Horizontal bars, one per row. ``stacked``: each row's counts split into the series, scaled
    to 100 % of the row; otherwise one count per row, drawn to scale in ``series[0]``'s colour."""

    title: str
    rows: list[tuple[str, list[int]]]
    series: list[Series]
    width: float  # points
    stacked: bool = True
    meta: dict = field(default_factory=dict)

    def alt_text(self) -> str:
        """The figures in words: the title, then each row's counts by series."""
        parts = []
        for name, counts in self.rows:
            if self.stacked:
                values = ", ".join(label("report.chart_alt_value", label=s.label, count=c)
                                   for s, c in zip(self.series, counts))
            else:
                values = str(counts[0])
            parts.append(label("report.chart_alt_row", name=name, values=values) if name else values)
        return label("report.chart_alt", title=self.title, rows="; ".join(parts))


def _text_color(fill: str) -> str:
    r, g, b = (int(fill[i:i + 2], 16) for i in (0, 2, 4))
    return "#FFFFFF" if (0.299 * r + 0.587 * g + 0.114 * b) < 150 else "#1A1A1A"


def _font_family(path: str) -> str | None:
    """Make the layout's TrueType font known to matplotlib; its family name (None: the default)."""
    if not path:
        return None
    from matplotlib import font_manager

    if path not in _FONTS:
        font_manager.fontManager.addfont(path)
        _FONTS[path] = font_manager.FontProperties(fname=path).get_name()
    return _FONTS[path]


_FONTS: dict[str, str] = {}


def _figure(chart: BarChart, style: ChartStyle, measure: Callable[[str, float], float]):
    from matplotlib.figure import Figure

    family = _font_family(style.regular_ttf)
    rows = chart.rows or [("", [0] * len(chart.series))]
    label_width = max([style.label_width] + [measure(n, style.label_size) + 8 for n, _ in rows])
    label_width = min(label_width, chart.width * 0.4)
    # the legend starts above the bars, moved left (and broken into two rows) where it would not fit
    entries = [measure(s.label, style.legend_size) + style.legend_size * 2.6 for s in chart.series]
    legend_rows = 1 if sum(entries) <= chart.width else 2
    columns = -(-len(entries) // legend_rows) if entries else 1
    legend_width = max((sum(entries[i:i + columns]) for i in range(0, len(entries), columns)), default=0)
    legend_left = max(0.0, min(label_width - chart.width * 0.01, chart.width - legend_width)) / chart.width
    legend = style.legend_size * (1.2 * legend_rows + 0.8) if chart.stacked else 0.0
    names = [_wrap(n, label_width - 8, style.label_size, measure) for n, _ in rows]
    lines = max(n.count("\n") + 1 for n in names)
    pitch = max(style.bar_height, lines * style.label_size * 1.2) + style.bar_gap
    height = legend + len(rows) * pitch + style.bar_gap + style.label_size * 0.5
    figure = Figure(figsize=(chart.width / 72, height / 72), dpi=72)
    figure.patch.set_alpha(0)
    axes = figure.add_axes((label_width / chart.width, (style.bar_gap * 0.5) / height,
                            1 - label_width / chart.width - 0.03, (len(rows) * pitch) / height))
    text = dict(fontsize=style.label_size, color="#" + style.text_color)
    if family:
        text["fontfamily"] = family
    positions = list(range(len(rows)))
    bar = style.bar_height / pitch
    edge = "#" + style.border_color
    plot_width = chart.width - label_width - chart.width * 0.02
    if chart.stacked:
        totals = [sum(counts) for _, counts in rows]
        empty = [i for i, total in enumerate(totals) if not total]
        if empty:
            axes.barh(empty, [100] * len(empty), height=bar, color="white", edgecolor=edge, linewidth=0.4)
        left = [0.0] * len(rows)
        for position, item in enumerate(chart.series):  # one call per series: fast
            shares = [100 * counts[position] / total if total else 0.0
                      for (_, counts), total in zip(rows, totals)]
            axes.barh(positions, shares, left=left, height=bar, color="#" + item.color, edgecolor=edge,
                      linewidth=[0.4 if v else 0 for v in shares])
            for index, ((_, counts), share) in enumerate(zip(rows, shares)):
                value = str(counts[position])
                if share and plot_width * share / 100 >= measure(value, style.label_size) + 3:
                    axes.text(left[index] + share / 2, index, value, ha="center", va="center",
                              **{**text, "color": _text_color(item.color)})
            left = [a + b for a, b in zip(left, shares)]
        axes.set_xlim(0, 100)
        handles = [_patch(s.color, edge) for s in chart.series]
        legend_text = {"size": style.legend_size}
        if family:
            legend_text["family"] = family
        figure.legend(handles, [s.label for s in chart.series], loc="upper left", ncols=columns,
                      frameon=False, prop=legend_text, bbox_to_anchor=(legend_left, 1.0),
                      handlelength=1.0, handleheight=1.0, handletextpad=0.4, columnspacing=1.2, borderaxespad=0.2,
                      labelcolor="#" + style.text_color)
    else:
        values = [counts[0] for _, counts in rows]
        top = max(values) if values and max(values) else 1
        color = "#" + (chart.series[0].color if chart.series else "0072B9")
        axes.barh(positions, values, height=bar, color=color, edgecolor=edge, linewidth=0.4)
        room = measure(str(top), style.label_size) + 6
        axes.set_xlim(0, top * (1 + room / max(plot_width - room, 1)))
        for index, value in enumerate(values):
            axes.text(value + top * 0.01, index, f" {value}", ha="left", va="center", **text)
    axes.set_ylim(len(rows) - 0.5, -0.5)
    axes.set_yticks(positions, names, **text)
    axes.tick_params(axis="y", length=0, pad=4)
    axes.set_xticks([])
    for spine in axes.spines.values():
        spine.set_visible(False)
    axes.patch.set_alpha(0)
    return figure


def _wrap(text: str, width: float, size: float, measure: Callable[[str, float], float]) -> str:
    """Break a row name into lines that fit ``width`` points (by words)."""
    lines: list[str] = []
    for word in text.split():
        if lines and measure(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def _patch(color: str, edge: str):
    from matplotlib.patches import Patch

    return Patch(facecolor="#" + color, edgecolor=edge, linewidth=0.4)


def _rc():
    import matplotlib

    return matplotlib.rc_context({"svg.hashsalt": SVG_SALT, "svg.fonttype": "none", "path.simplify": False})


def to_svg(chart: BarChart, style: ChartStyle, measure: Callable[[str, float], float]) -> bytes:
    with _rc():
        out = io.BytesIO()
        _figure(chart, style, measure).savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return out.getvalue()


def to_png(chart: BarChart, style: ChartStyle, measure: Callable[[str, float], float], dpi: float) -> bytes:
    with _rc():
        out = io.BytesIO()
        figure = _figure(chart, style, measure)
        figure.patch.set_alpha(1)
        figure.patch.set_facecolor("white")
        figure.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    return out.getvalue()


def to_flowable(chart: BarChart, style: ChartStyle, measure: Callable[[str, float], float],
                font: str | None = None):
    """A platypus flowable drawing the chart as vectors, with ``alt_text`` (the figures in words)
    for the PDF's tagging layer to write as the Figure's /Alt. The SVG keeps its text as text in
    the layout's font (``font``: reportlab's name for it, already registered)."""
    from reportlab.graphics import renderPDF
    from reportlab.platypus import Flowable
    from svglib.fonts import register_font
    from svglib.svglib import svg2rlg

    family = _font_family(style.regular_ttf)
    if family and font:
        register_font(family, rlgFontName=font)

    class ChartFlowable(Flowable):
        def __init__(self, drawing, alt_text: str):
            super().__init__()
            self.drawing, self.alt_text = drawing, alt_text
            self.width, self.height = drawing.width, drawing.height

        def wrap(self, available_width, available_height):
            return self.width, self.height

        def draw(self):
            renderPDF.draw(self.drawing, self.canv, 0, 0)

    return ChartFlowable(svg2rlg(io.BytesIO(to_svg(chart, style, measure))), chart.alt_text())

