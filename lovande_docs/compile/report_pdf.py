"""The report as PDF (reportlab platypus; charts as reportlab graphics), styled from the layout.

Tagged (PDF/UA-1) with the guide's tagging layer (render/pdf/tagging.py): headings in sections,
tables with column headers, each chart a Figure whose /Alt states its figures, the page footer an
artifact.
"""
from __future__ import annotations

from functools import partial
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from lovande_docs.compile.chart import stacked_bars, to_reportlab
from lovande_docs.compile.labels import label
from lovande_docs.compile.report import ReportData
from lovande_docs.compile.style import BOLD, REGULAR, ReportStyle
from lovande_docs.render.pdf.structure import SectionStructure
from lovande_docs.render.pdf.tagging import TaggingCanvas, artifact_block, tag, xmp

COUNT_WIDTHS = [0.4, 0.12, 0.12, 0.12, 0.12, 0.12]


def _text(value: str) -> str:
    return "<br/>".join(escape(line) for line in value.split("\n"))


class _Styles:
    def __init__(self, s: ReportStyle):
        color = lambda hex_: HexColor("#" + hex_)
        self.body = ParagraphStyle("body", fontName=REGULAR, fontSize=s.body_pt, leading=s.leading_pt,
                                   textColor=color(s.text), spaceAfter=s.paragraph_after_pt)
        self.title = ParagraphStyle("title", parent=self.body, fontName=BOLD, fontSize=s.title_pt,
                                    leading=s.title_pt * 1.15, textColor=color(s.heading), spaceAfter=12)
        self.subtitle = ParagraphStyle("subtitle", parent=self.body, fontSize=s.subtitle_pt,
                                       leading=s.subtitle_pt * 1.3, textColor=color(s.muted), spaceAfter=18)
        self.h1 = ParagraphStyle("h1", parent=self.body, fontName=BOLD, fontSize=s.heading1_pt,
                                 leading=s.heading1_pt * 1.2, textColor=color(s.heading), spaceAfter=12)
        self.h2 = ParagraphStyle("h2", parent=self.body, fontName=BOLD, fontSize=s.heading2_pt,
                                 leading=s.heading2_pt * 1.25, textColor=color(s.heading),
                                 spaceBefore=s.heading2_before_pt, spaceAfter=s.heading2_after_pt)
        self.h3 = ParagraphStyle("h3", parent=self.body, fontName=BOLD, fontSize=s.heading3_pt,
                                 leading=s.heading3_pt * 1.3, textColor=color(s.heading),
                                 spaceBefore=s.heading3_before_pt, spaceAfter=s.heading3_after_pt)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=s.table_pt, leading=s.table_pt * 1.25,
                                   spaceAfter=0)
        self.head = ParagraphStyle("head", parent=self.cell, fontName=BOLD, textColor=color(s.table_header_text))
        self.unit = ParagraphStyle("unit", parent=self.body, fontName=BOLD, fontSize=s.summary_pt,
                                   leading=s.summary_pt * 1.3, spaceAfter=1, textColor=color(s.accent))
        self.quote = ParagraphStyle("quote", parent=self.body, fontSize=s.summary_pt, leading=s.summary_pt * 1.35,
                                    leftIndent=4 * mm)
        self.muted = ParagraphStyle("muted", parent=self.body, textColor=color(s.muted))


def _chart_alt(title: str, rows, series) -> str:
    """A chart's text alternative: its title and every bar's figures per series."""
    parts = []
    for name, counts in rows:
        figures = ", ".join(f"{s.label} {n}" for s, n in zip(series, counts))
        parts.append(f"{name}: {figures}" if name != "" else figures)
    return f"{title}. " + "; ".join(parts)


def _table(style: ReportStyle, styles: _Styles, header: list[str], rows: list[list], widths: list[float]) -> Table:
    data = [[Paragraph(escape(h), styles.head) for h in header]]
    for row in rows:
        data.append([Paragraph(_text(str(v)), styles.cell) if isinstance(v, str) else Paragraph(str(v), styles.cell)
                     for v in row])
    table = Table(data, colWidths=[w * style.text_width_mm * mm for w in widths], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), HexColor("#" + style.table_header)),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, HexColor("#" + style.table_rule)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def write_report_pdf(data: ReportData, style: ReportStyle, target: Path) -> None:
    style.register_fonts()
    styles = _Styles(style)
    width = style.text_width_mm * mm
    tags = SectionStructure()

    def para(text: str, paragraph_style, level: int = 0) -> Paragraph:
        """A paragraph (``level`` 1–3: a heading opening its section)."""
        return tag(Paragraph(text, paragraph_style), tags.heading(level) if level else tags.para())

    def table(*args) -> Table:
        return tags.table(_table(style, styles, *args))

    def chart_flowable(title: str, rows, series):
        chart = stacked_bars(rows, series, width, style.chart, style.measure)
        return tags.figure(to_reportlab(chart, REGULAR, BOLD), _chart_alt(title, rows, series))

    story: list = [para(escape(data.title), styles.title), para(escape(data.subtitle), styles.subtitle)]

    story.append(para(escape(label("report.forms_heading")), styles.h2, 1))
    story.append(para(escape(data.intro), styles.body))
    story.append(table(label("report.forms_columns"),
                       [[f.unit, f.practice, f.date, f.version, f.overall] for f in data.forms],
                       [0.2, 0.24, 0.12, 0.16, 0.28]))
    story.append(para(escape(label("report.overall_heading")), styles.h2, 1))
    story.append(table(label("report.overall_columns"), [[name, count] for name, count in data.overall], [0.8, 0.2]))

    story.append(PageBreak())
    story.append(para(escape(label("report.elements_heading")), styles.h1, 1))
    for element in data.elements:
        story.append(CondPageBreak(90 * mm))
        story.append(para(escape(label("report.element_heading", number=element.number, title=element.title)),
                          styles.h2, 2))
        title = label("report.answers_chart")
        story.append(KeepTogether([para(escape(title), styles.h3, 3),
                                   chart_flowable(title, [(bar.number, bar.counts) for bar in element.bars],
                                                  data.answer_series)]))
        story.append(Spacer(1, 4))
        story.append(table(label("report.table_columns"),
                           [[f"{bar.number}. {bar.text}", *bar.counts] for bar in element.bars], COUNT_WIDTHS))
        title = label("report.status_chart")
        story.append(KeepTogether([para(escape(title), styles.h3, 3),
                                   chart_flowable(title, [("", element.status_counts)], data.status_series)]))
        story.append(Spacer(1, 4))
        story.append(table(label("report.status_columns"),
                           [[s.label, n] for s, n in zip(data.status_series, element.status_counts)], [0.8, 0.2]))
        story.append(para(escape(label("report.summaries_heading")), styles.h3, 3))
        if not element.summaries:
            story.append(para(escape(label("report.no_summaries")), styles.muted))
        for unit, text in element.summaries:
            story.append(KeepTogether([para(escape(unit), styles.unit), para(_text(text), styles.quote)]))

    story.append(PageBreak())
    story.append(para(escape(label("report.development_heading")), styles.h1, 1))
    if data.weak_elements:
        story.append(para(escape(label("report.weak_elements_heading")), styles.h3, 2))
        story.append(table(label("report.weak_elements_columns"), [list(item) for item in data.weak_elements],
                           [0.8, 0.2]))
    if data.frequent:
        story.append(para(escape(label("report.frequent_heading")), styles.h3, 2))
        story.append(table(label("report.frequent_columns"), [list(item) for item in data.frequent], [0.8, 0.2]))
    story.append(para(escape(label("report.development_intro")), styles.h3, 2))
    if not data.development:
        story.append(para(escape(label("report.no_development")), styles.muted))
    for unit, text in data.development:
        story.append(KeepTogether([para(escape(unit), styles.unit), para(_text(text), styles.quote)]))

    def footer(canvas, doc) -> None:
        with artifact_block(canvas):
            canvas.saveState()
            canvas.setFont(REGULAR, style.small_pt)
            canvas.setFillColor(HexColor("#" + style.muted))
            canvas.drawCentredString(style.page_width_mm * mm / 2, style.margin_bottom_mm * mm / 2,
                                     label("report.page", page=doc.page))
            canvas.restoreState()

    target.parent.mkdir(parents=True, exist_ok=True)
    document = SimpleDocTemplate(
        str(target), pagesize=(style.page_width_mm * mm, style.page_height_mm * mm),
        leftMargin=style.margin_left_mm * mm, rightMargin=style.margin_right_mm * mm,
        topMargin=style.margin_top_mm * mm, bottomMargin=style.margin_bottom_mm * mm,
        title=data.title, author="lovande-docs", lang="sv-SE", displayDocTitle=True)
    document.build(story, onFirstPage=footer, onLaterPages=footer,
                   canvasmaker=partial(TaggingCanvas, metadata=xmp(data.title, "sv-SE")))
