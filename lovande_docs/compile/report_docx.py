"""The report as Word (python-docx), laying out report.py's blocks, styled from the layout.

Charts are PNG images drawn by matplotlib from the same chart as the PDF's, each with its figures
in the picture's description (alt text). Time is linear in the report's length: python-docx
inserts every new block before the body's section properties, searching the whole body each time,
so blocks are built in a small scratch body and moved into the document in batches.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.document import _Body
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from lovande_docs.compile import report as blocks
from lovande_docs.compile.chart import to_png
from lovande_docs.compile.labels import label
from lovande_docs.compile.report import ReportData
from lovande_docs.compile.style import ReportStyle
from lovande_docs.render.docx.package import ZIP_DATE

BATCH = 64  # blocks built in the scratch body before they move into the document
LANGUAGE = "sv-SE"
_THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_THEMED = re.compile(r"\{[^}]*wordprocessingml[^}]*\}(theme\w*|\w+Theme|cstheme)$")
_HEADING_STYLES = ("Title", "TitleChar", "Subtitle", "SubtitleChar", "Heading")  # prefixes of style ids


def _rgb(hex_: str) -> RGBColor:
    return RGBColor.from_string(hex_)


def _shade(cell, hex_: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), hex_)
    properties.append(shading)


def _language(rpr) -> None:
    """Set (or add, in schema order) the run properties' w:lang to Swedish for every script."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), LANGUAGE)


def _fonts(rpr, family: str) -> None:
    """The layout's font for every script, in place of the template's theme fonts."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in _THEME_FONTS:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), family)


def _own_styles(document, style: ReportStyle) -> None:
    """python-docx's template speaks en-US and uses Office's theme fonts and colours: make every
    style Swedish (the document defaults and the theme language) in the layout's fonts and
    colours, with no rule under the title."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(defaults, style.body_family)
    _language(defaults)
    for element in styles.findall(qn("w:style")):
        style_id = element.get(qn("w:styleId")) or ""
        rpr = element.find(qn("w:rPr"))
        if rpr is not None and rpr.find(qn("w:rFonts")) is not None:
            _fonts(rpr, style.heading_family if style_id.startswith(_HEADING_STYLES) else style.body_family)
        for border in element.iter(qn("w:pBdr")):
            border.getparent().remove(border)
    for node in styles.iter():  # the theme's colours and fonts, in every style (the table styles too)
        for attribute in [a for a in node.attrib if _THEMED.match(a)]:
            del node.attrib[attribute]
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):  # Word 2010's copy of the template's en-US styles
            del document.part.rels[rel_id]
    settings = document.settings.element
    theme_language = settings.find(qn("w:themeFontLang"))
    if theme_language is not None:
        theme_language.set(qn("w:val"), LANGUAGE)
        theme_language.set(qn("w:eastAsia"), LANGUAGE)


def _every_run_swedish(document) -> None:
    parts = [document.element.body] + [section.footer._element for section in document.sections]
    for part in parts:
        for run in part.iter(qn("w:r")):
            _language(run.get_or_add_rPr())


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
    _own_styles(document, style)
    document.core_properties.language = LANGUAGE
    # page number in the footer: "Sida {PAGE}", every run (and the field's result) in one size
    footer = styles["Footer"]
    footer.font.size, footer.font.color.rgb = Pt(style.small_pt), _rgb(style.muted)
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = 1
    before, _, after = label("report.page", page="\x00").partition("\x00")
    paragraph.add_run(before).font.size = Pt(style.small_pt)
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
        run = paragraph.add_run()
        run.font.size = Pt(style.small_pt)
        run._r.append(element)
    if after:
        paragraph.add_run(after).font.size = Pt(style.small_pt)


class _Writer:
    """Appends blocks to the document in linear time (see the module docstring)."""

    def __init__(self, document, style: ReportStyle):
        self.document, self.style = document, style
        self.body = document.element.body
        self.end = self.body.find(qn("w:sectPr"))
        self._new_scratch()

    def _new_scratch(self) -> None:
        self.scratch = _Body(OxmlElement("w:body"), self.document)
        self.count = 0

    def container(self) -> _Body:
        self.count += 1
        if self.count > BATCH:
            self.flush()
            self.count = 1
        return self.scratch

    def flush(self) -> None:
        for child in list(self.scratch._element):
            if self.end is not None:
                self.end.addprevious(child)
            else:
                self.body.append(child)
        self._new_scratch()

    # blocks --------------------------------------------------------------------------------------
    def heading(self, block: blocks.Heading) -> None:
        name = {0: "Title", 1: "Heading 1", 2: "Heading 2", 3: "Heading 3"}[block.level]
        self.container().add_paragraph(block.text, style=name)

    def para(self, block: blocks.Para, keep_with_next: bool = False) -> None:
        paragraph = self.container().add_paragraph()
        paragraph.paragraph_format.keep_with_next = keep_with_next or None
        run = paragraph.add_run(block.text)
        if block.muted:
            run.font.color.rgb = _rgb(self.style.muted)

    def page_break(self) -> None:
        self.container().add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def quote(self, block: blocks.Quote) -> None:
        style = self.style
        heading = self.container().add_paragraph()
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.space_after = Pt(1)
        run = heading.add_run(block.unit)
        run.bold, run.font.size, run.font.color.rgb = True, Pt(style.summary_pt), _rgb(style.accent)
        paragraph = self.container().add_paragraph()
        paragraph.paragraph_format.left_indent = Mm(4)
        paragraph.paragraph_format.space_after = Pt(6)
        lines = block.text.split("\n")
        for number, line in enumerate(lines):
            run = paragraph.add_run(line)
            run.font.size = Pt(style.summary_pt)
            if number < len(lines) - 1:
                run.add_break()

    def chart(self, block: blocks.Chart) -> None:
        style, chart = self.style, block.chart
        png = to_png(chart, style.chart, style.measure, style.image_dpi)
        paragraph = self.container().add_paragraph()
        paragraph.paragraph_format.keep_with_next = True  # with the table of its figures
        paragraph.paragraph_format.space_after = Pt(style.chart_after_pt)
        shape = paragraph.add_run().add_picture(io.BytesIO(png), width=Mm(chart.width / 72 * 25.4))
        properties = shape._inline.docPr
        properties.set("descr", chart.alt_text())
        properties.set("title", chart.title)

    def table(self, block: blocks.Table) -> None:
        """Light rules between rows and padded cells from the layout; rows never split across
        pages, the header row repeats on each; header words never broken (column_widths)."""
        style = self.style
        table = self.container().add_table(rows=1, cols=len(block.columns), width=Mm(style.text_width_mm))
        table.autofit = False
        _table_look(table, style)
        widths = [Pt(w) for w in style.column_widths(block.columns, block.widths)]
        for index, text in enumerate(block.columns):
            cell = table.rows[0].cells[index]
            run = cell.paragraphs[0].add_run(text)
            run.bold, run.font.size, run.font.color.rgb = True, Pt(style.table_pt), _rgb(style.table_header_text)
            _shade(cell, style.table_header)
        for r, row in enumerate(block.rows):
            fills = block.fills[r] if block.fills else [None] * len(row)
            cells = table.add_row().cells
            for index, (value, fill) in enumerate(zip(row, fills)):
                lines = str(value).split("\n")
                paragraph = cells[index].paragraphs[0]
                for number, line in enumerate(lines):
                    run = paragraph.add_run(line)
                    run.font.size = Pt(style.table_pt)
                    if fill:
                        run.font.color.rgb = _rgb(_cell_text(fill))
                    if number < len(lines) - 1:
                        run.add_break()
                if fill:
                    _shade(cells[index], fill)
        for index, column in enumerate(table.columns):
            column.width = widths[index]
        for number, row in enumerate(table.rows):
            _row_properties(row, header=number == 0)
            for index, cell in enumerate(row.cells):
                cell.width = widths[index]
                cell.paragraphs[0].paragraph_format.space_after = Pt(0)
        self.container().add_paragraph().paragraph_format.space_after = Pt(style.table_after_pt)


def _cell_text(fill: str) -> str:
    r, g, b = (int(fill[i:i + 2], 16) for i in (0, 2, 4))
    return "FFFFFF" if (0.299 * r + 0.587 * g + 0.114 * b) < 150 else "1A1A1A"


def _row_properties(row, header: bool) -> None:
    """w:cantSplit on every row (a row never breaks across pages), w:tblHeader on the header row
    (repeated on every page), in the schema's order."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        element = OxmlElement("w:tblHeader")
        element.set(qn("w:val"), "true")
        properties.append(element)


def _table_look(table, style: ReportStyle) -> None:
    """Borders and cell padding from the layout: a light rule above, below and between rows, no
    vertical lines (in place of the template's black grid)."""
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    size = str(max(2, round(style.table_rule_pt * 8)))  # eighths of a point
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        if side in ("left", "right", "insideV"):
            element.set(qn("w:val"), "nil")
        else:
            for key, value in (("w:val", "single"), ("w:sz", size), ("w:space", "0"), ("w:color", style.table_rule)):
                element.set(qn(key), value)
        borders.append(element)
    margins = OxmlElement("w:tblCellMar")
    for side, points in (("top", style.cell_padding_y_pt), ("left", style.cell_padding_x_pt),
                         ("bottom", style.cell_padding_y_pt), ("right", style.cell_padding_x_pt)):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(round(points * 20)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    # schema order in tblPr: … tblW, jc, …, tblBorders, shd, tblLayout, tblCellMar, tblLook …
    layout = properties.find(qn("w:tblLayout"))
    anchor = layout if layout is not None else properties.find(qn("w:tblLook"))
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        properties.append(borders)
    look = properties.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        properties.append(margins)


def write_report_docx(data: ReportData, style: ReportStyle, target: Path) -> None:
    document = Document()
    _setup(document, style)
    document.core_properties.title = data.title
    writer = _Writer(document, style)
    after_heading = False  # the paragraph right after a heading keeps with what it introduces
    for block in data.blocks:
        if isinstance(block, blocks.Heading):
            writer.heading(block)
        elif isinstance(block, blocks.Para):
            writer.para(block, after_heading)  # only the first paragraph after a heading keeps with the next
        elif isinstance(block, blocks.Table):
            writer.table(block)
        elif isinstance(block, blocks.Chart):
            writer.chart(block)
        elif isinstance(block, blocks.Quote):
            writer.quote(block)
        elif isinstance(block, blocks.PageBreak):
            writer.page_break()
        else:
            raise TypeError(block)
        after_heading = isinstance(block, blocks.Heading)
    writer.flush()
    _every_run_swedish(document)
    properties = document.core_properties
    properties.author, properties.comments, properties.last_modified_by = data.author, "", ""
    if data.date:
        moment = dt.datetime.combine(data.date, dt.time())
        properties.created = properties.modified = moment
    buffer = io.BytesIO()
    document.save(buffer)
    target.parent.mkdir(parents=True, exist_ok=True)
    _reproducible_zip(buffer.getvalue(), target)


def _reproducible_zip(data: bytes, target: Path) -> None:
    """The same package with fixed entry dates, so the same report is the same bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, source.read(item.filename))
