"""The report as PDF (reportlab platypus; charts as reportlab graphics), styled from the layout."""
from __future__ import annotations

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
    story: list = [Paragraph(escape(data.title), styles.title), Paragraph(escape(data.subtitle), styles.subtitle)]

    story.append(Paragraph(escape(label("report.forms_heading")), styles.h2))
    story.append(Paragraph(escape(data.intro), styles.body))
    story.append(_table(style, styles, label("report.forms_columns"),
                        [[f.unit, f.practice, f.date, f.version, f.overall] for f in data.forms],
                        [0.2, 0.24, 0.12, 0.16, 0.28]))
    story.append(Paragraph(escape(label("report.overall_heading")), styles.h2))
    story.append(_table(style, styles, label("report.overall_columns"),
                        [[name, count] for name, count in data.overall], [0.8, 0.2]))

    story.append(PageBreak())
    story.append(Paragraph(escape(label("report.elements_heading")), styles.h1))
    for element in data.elements:
        story.append(CondPageBreak(90 * mm))
        story.append(Paragraph(escape(label("report.element_heading", number=element.number, title=element.title)),
                               styles.h2))
        chart = stacked_bars([(bar.number, bar.counts) for bar in element.bars], data.answer_series, width,
                             style.chart, style.measure)
        story.append(KeepTogether([Paragraph(escape(label("report.answers_chart")), styles.h3),
                                   to_reportlab(chart, REGULAR, BOLD)]))
        story.append(Spacer(1, 4))
        story.append(_table(style, styles, label("report.table_columns"),
                            [[f"{bar.number}. {bar.text}", *bar.counts] for bar in element.bars],
                            COUNT_WIDTHS))
        status_chart = stacked_bars([("", element.status_counts)], data.status_series, width, style.chart, style.measure)
        story.append(KeepTogether([Paragraph(escape(label("report.status_chart")), styles.h3),
                                   to_reportlab(status_chart, REGULAR, BOLD)]))
        story.append(Spacer(1, 4))
        story.append(_table(style, styles, label("report.status_columns"),
                            [[s.label, n] for s, n in zip(data.status_series, element.status_counts)], [0.8, 0.2]))
        story.append(Paragraph(escape(label("report.summaries_heading")), styles.h3))
        if not element.summaries:
            story.append(Paragraph(escape(label("report.no_summaries")), styles.muted))
        for unit, text in element.summaries:
            story.append(KeepTogether([Paragraph(escape(unit), styles.unit), Paragraph(_text(text), styles.quote)]))

    story.append(PageBreak())
    story.append(Paragraph(escape(label("report.development_heading")), styles.h1))
    if data.weak_elements:
        story.append(Paragraph(escape(label("report.weak_elements_heading")), styles.h3))
        story.append(_table(style, styles, label("report.weak_elements_columns"),
                            [list(item) for item in data.weak_elements], [0.8, 0.2]))
    if data.frequent:
        story.append(Paragraph(escape(label("report.frequent_heading")), styles.h3))
        story.append(_table(style, styles, label("report.frequent_columns"),
                            [list(item) for item in data.frequent], [0.8, 0.2]))
    story.append(Paragraph(escape(label("report.development_intro")), styles.h3))
    if not data.development:
        story.append(Paragraph(escape(label("report.no_development")), styles.muted))
    for unit, text in data.development:
        story.append(KeepTogether([Paragraph(escape(unit), styles.unit), Paragraph(_text(text), styles.quote)]))

    def footer(canvas, doc) -> None:
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
        title=data.title, author="lovande-docs", lang="sv-SE")
    document.build(story, onFirstPage=footer, onLaterPages=footer)
