"""The report as Word (python-docx), from the same data and layout as the PDF; charts are PNG
images of the same chart geometry (see chart.py), each followed by its numbers as a table."""
from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from lovande_docs.compile.chart import stacked_bars, to_png
from lovande_docs.compile.labels import label
from lovande_docs.compile.report import ReportData
from lovande_docs.compile.style import ReportStyle


def _rgb(hex_: str) -> RGBColor:
    return RGBColor.from_string(hex_)


def _shade(cell, hex_: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), hex_)
    properties.append(shading)


def _setup(document, style: ReportStyle) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(style.page_width_mm), Mm(style.page_height_mm)
    section.top_margin, section.bottom_margin = Mm(style.margin_top_mm), Mm(style.margin_bottom_mm)
    section.left_margin, section.right_margin = Mm(style.margin_left_mm), Mm(style.margin_right_mm)
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size, normal.font.color.rgb = style.body_family, Pt(style.body_pt), _rgb(style.text)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), style.body_family)
    normal.paragraph_format.space_after = Pt(style.paragraph_after_pt)
    for name, size, before, after in (("Title", style.title_pt, 0, 12), ("Subtitle", style.subtitle_pt, 0, 18),
                                      ("Heading 1", style.heading1_pt, 0, 12),
                                      ("Heading 2", style.heading2_pt, style.heading2_before_pt, style.heading2_after_pt),
                                      ("Heading 3", style.heading3_pt, style.heading3_before_pt, style.heading3_after_pt)):
        current = styles[name]
        current.font.name, current.font.size = style.heading_family, Pt(size)
        current.font.color.rgb = _rgb(style.muted if name == "Subtitle" else style.heading)
        current.font.bold = name != "Subtitle"
        current.font.italic = False
        current.paragraph_format.space_before, current.paragraph_format.space_after = Pt(before), Pt(after)
    document.core_properties.language = "sv-SE"
    # page number in the footer: "Sida {PAGE}"
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = 1
    before, _, after = label("report.page", page="\x00").partition("\x00")
    run = paragraph.add_run(before)
    run.font.size = Pt(style.small_pt)
    field = paragraph.add_run()
    field.font.size = Pt(style.small_pt)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        field._r.append(element)
    if after:
        paragraph.add_run(after).font.size = Pt(style.small_pt)


def _table(document, style: ReportStyle, header: list[str], rows: list[list], widths: list[float]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = document.styles["Table Grid"]
    table.autofit = False
    for index, text in enumerate(header):
        cell = table.rows[0].cells[index]
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size, run.font.color.rgb = True, Pt(style.table_pt), _rgb(style.table_header_text)
        _shade(cell, style.table_header)
    _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for index, value in enumerate(row):
            lines = str(value).split("\n")
            paragraph = cells[index].paragraphs[0]
            for number, line in enumerate(lines):
                run = paragraph.add_run(line)
                run.font.size = Pt(style.table_pt)
                if number < len(lines) - 1:
                    run.add_break()
    for index, column in enumerate(table.columns):
        column.width = Mm(widths[index] * style.text_width_mm)
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            cell.width = Mm(widths[index] * style.text_width_mm)
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    document.add_paragraph()


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _quote(document, style: ReportStyle, unit: str, text: str) -> None:
    heading = document.add_paragraph()
    heading.paragraph_format.keep_with_next = True
    heading.paragraph_format.space_after = Pt(1)
    run = heading.add_run(unit)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(style.summary_pt), _rgb(style.accent)
    for line in text.split("\n"):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Mm(4)
        paragraph.paragraph_format.space_after = Pt(2)
        paragraph.add_run(line).font.size = Pt(style.summary_pt)


def _chart(document, style: ReportStyle, chart) -> None:
    png = to_png(chart, style.regular_ttf, style.bold_ttf, style.image_dpi)
    document.add_picture(io.BytesIO(png), width=Mm(chart.width / 72 * 25.4))


def write_report_docx(data: ReportData, style: ReportStyle, target: Path) -> None:
    document = Document()
    _setup(document, style)
    width_pt = style.text_width_mm / 25.4 * 72
    document.add_paragraph(data.title, style="Title")
    document.add_paragraph(data.subtitle, style="Subtitle")
    document.add_heading(label("report.forms_heading"), level=2)
    document.add_paragraph(data.intro)
    _table(document, style, label("report.forms_columns"),
           [[f.unit, f.practice, f.date, f.version, f.overall] for f in data.forms], [0.2, 0.24, 0.12, 0.16, 0.28])
    document.add_heading(label("report.overall_heading"), level=2)
    _table(document, style, label("report.overall_columns"), [[n, c] for n, c in data.overall], [0.8, 0.2])

    document.add_page_break()
    document.add_heading(label("report.elements_heading"), level=1)
    for element in data.elements:
        document.add_heading(label("report.element_heading", number=element.number, title=element.title), level=2)
        document.add_heading(label("report.answers_chart"), level=3)
        _chart(document, style, stacked_bars([(b.number, b.counts) for b in element.bars], data.answer_series,
                                             width_pt, style.chart, style.measure))
        _table(document, style, label("report.table_columns"),
               [[f"{b.number}. {b.text}", *b.counts] for b in element.bars], [0.4, 0.12, 0.12, 0.12, 0.12, 0.12])
        document.add_heading(label("report.status_chart"), level=3)
        _chart(document, style, stacked_bars([("", element.status_counts)], data.status_series, width_pt, style.chart, style.measure))
        _table(document, style, label("report.status_columns"),
               [[s.label, n] for s, n in zip(data.status_series, element.status_counts)], [0.8, 0.2])
        document.add_heading(label("report.summaries_heading"), level=3)
        if not element.summaries:
            document.add_paragraph(label("report.no_summaries"))
        for unit, text in element.summaries:
            _quote(document, style, unit, text)

    document.add_page_break()
    document.add_heading(label("report.development_heading"), level=1)
    if data.weak_elements:
        document.add_heading(label("report.weak_elements_heading"), level=3)
        _table(document, style, label("report.weak_elements_columns"), [list(i) for i in data.weak_elements], [0.8, 0.2])
    if data.frequent:
        document.add_heading(label("report.frequent_heading"), level=3)
        _table(document, style, label("report.frequent_columns"), [list(i) for i in data.frequent], [0.8, 0.2])
    document.add_heading(label("report.development_intro"), level=3)
    if not data.development:
        document.add_paragraph(label("report.no_development"))
    for unit, text in data.development:
        _quote(document, style, unit, text)
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
