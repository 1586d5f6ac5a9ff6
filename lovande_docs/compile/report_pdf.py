"""The report as PDF (reportlab platypus), laying out report.py's blocks, styled from the layout.

Tagged (PDF/UA-1) with the guide's tagging layer (render/pdf/tagging.py): headings in sections,
tables with column headers, each chart a Figure whose /Alt is the chart flowable's ``alt_text``
(its figures in words), the page footer an artifact. Charts are vector drawings (matplotlib → SVG
→ svglib). The file is reproducible (reportlab's invariant mode: no creation date, fixed id).
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
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from lovande_docs.compile import report as blocks
from lovande_docs.compile.chart import to_flowable
from lovande_docs.compile.labels import label
from lovande_docs.compile.report import ReportData
from lovande_docs.compile.style import BOLD, REGULAR, ReportStyle
from lovande_docs.render.pdf.para import Para as Paragraph  # keeps the space at line ends in the tagged text
from lovande_docs.render.pdf.structure import SectionStructure
from lovande_docs.render.pdf.tagging import TaggingCanvas, artifact_block, tag, xmp


def _text(value: str) -> str:
    return "<br/>".join(escape(line) for line in value.split("\n"))


class _Styles:
    def __init__(self, s: ReportStyle):
        color = lambda hex_: HexColor("#" + hex_)
        self.body = ParagraphStyle("body", fontName=REGULAR, fontSize=s.body_pt, leading=s.leading_pt,
                                   textColor=color(s.text), spaceAfter=s.paragraph_after_pt)
        self.title = ParagraphStyle("title", parent=self.body, fontName=BOLD, fontSize=s.title_pt,
                                    leading=s.title_pt * 1.15, textColor=color(s.heading), spaceAfter=12)
        self.h1 = ParagraphStyle("h1", parent=self.body, fontName=BOLD, fontSize=s.heading1_pt,
                                 leading=s.heading1_pt * 1.2, textColor=color(s.heading), spaceBefore=6,
                                 spaceAfter=10)
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
        self.headings = {0: self.title, 1: self.h1, 2: self.h2, 3: self.h3}
        for kept in (self.title, self.h1, self.h2, self.h3, self.unit):
            kept.keepWithNext = 1


def _cell_text(fill: str | None) -> str:
    r, g, b = (int(fill[i:i + 2], 16) for i in (0, 2, 4))
    return "FFFFFF" if (0.299 * r + 0.587 * g + 0.114 * b) < 150 else "1A1A1A"


def _table(style: ReportStyle, styles: _Styles, block: blocks.Table) -> Table:
    data = [[Paragraph(escape(h), styles.head) for h in block.columns]]
    x, y = style.cell_padding_x_pt, style.cell_padding_y_pt
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), HexColor("#" + style.table_header)),
        ("LINEBELOW", (0, 0), (-1, -1), style.table_rule_pt, HexColor("#" + style.table_rule)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), x), ("RIGHTPADDING", (0, 0), (-1, -1), x),
        ("TOPPADDING", (0, 0), (-1, -1), y), ("BOTTOMPADDING", (0, 0), (-1, -1), y),
    ]
    for r, row in enumerate(block.rows, start=1):
        fills = block.fills[r - 1] if block.fills else [None] * len(row)
        cells = []
        for c, (value, fill) in enumerate(zip(row, fills)):
            cell_style = styles.cell
            if fill:
                commands.append(("BACKGROUND", (c, r), (c, r), HexColor("#" + fill)))
                cell_style = ParagraphStyle(f"cell-{fill}", parent=styles.cell, textColor=HexColor("#" + _cell_text(fill)))
            cells.append(Paragraph(_text(str(value)), cell_style))
        data.append(cells)
    table = Table(data, colWidths=style.column_widths(block.columns, block.widths), repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


class _KeepHeading(CondPageBreak):
    """Before a heading: a new page unless the heading, what introduces its content and the
    content's start (a chart and its table's first rows, the header and first rows of a table, a
    quote) fit on this one, so no heading is left at the foot of a page without its content."""

    def __init__(self, following: list, keep_rows: int):
        super().__init__(0)
        self.following, self.keep_rows = following, keep_rows

    def wrap(self, available_width, available_height):
        need = 0.0
        for flowable in self.following:
            _, height = flowable.wrap(available_width, available_height)
            if isinstance(flowable, Table):
                height = sum(flowable._rowHeights[:1 + self.keep_rows])
            need += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        frame = self._doctemplateAttr("frame")
        self.height = need if frame is None or need <= frame._aH else 0  # taller than a page: no use
        return super().wrap(available_width, available_height)


def _keeps(flowable) -> bool:
    """Whether reportlab keeps the flowable with the next (its own flag or its style's)."""
    return bool(flowable.getKeepWithNext()) if hasattr(flowable, "getKeepWithNext") else False


def _keep_headings(story: list, keep_rows: int) -> list:
    """Put a _KeepHeading before every heading that opens a chain of headings and introductions
    (the others are in its look-ahead, and inside reportlab's keep-with-next group), looking ahead
    to its content's start (a chart with the first rows of the table that follows it)."""
    out: list = []
    for index, flowable in enumerate(story):
        chained = bool(out) and _keeps(out[-1])
        if getattr(flowable, "_outline", None) and flowable._outline[1] > 0 and not chained:
            following = []
            for after in story[index:]:
                if isinstance(after, (PageBreak, Spacer, CondPageBreak)):
                    continue
                if following and getattr(following[-1], "alt_text", None) is not None:
                    if isinstance(after, Table):
                        following.append(after)  # a chart's table of figures: its first rows too
                    break
                following.append(after)
                if not getattr(after, "_outline", None) and not _keeps(after) and not hasattr(after, "alt_text"):
                    break  # the content's start
            out.append(_KeepHeading(following, keep_rows))
        out.append(flowable)
    return out


def story_of(data: ReportData, style: ReportStyle, tags: SectionStructure | None = None) -> list:
    """The blocks as tagged flowables. Headings, the one paragraph right after a heading and a
    quote's unit keep with what follows (reportlab's keepWithNext; a chain of paragraphs kept
    together would be split where it stands, heading and all); every heading carries ``_outline``
    (text, level) for the bookmarks."""
    styles = _Styles(style)
    tags = tags or SectionStructure()
    story: list = []
    after_heading = False

    def para(text: str, paragraph_style, level: int = 0) -> Paragraph:
        """A paragraph (``level`` 1–3: a heading opening its section)."""
        return tag(Paragraph(text, paragraph_style), tags.heading(level) if level else tags.para())

    for block in data.blocks:
        if isinstance(block, blocks.Heading):
            heading = para(escape(block.text), styles.headings[block.level], block.level)
            heading._outline = (block.text, block.level)
            story.append(heading)
            after_heading = True
            continue
        if isinstance(block, blocks.PageBreak):
            story.append(PageBreak())
        elif isinstance(block, blocks.Para):
            paragraph = para(_text(block.text), styles.muted if block.muted else styles.body)
            paragraph.keepWithNext = after_heading  # an introduction keeps with what it introduces
            story.append(paragraph)
        elif isinstance(block, blocks.Table):
            story += [tags.table(_table(style, styles, block)), Spacer(1, style.table_after_pt)]
        elif isinstance(block, blocks.Chart):
            chart = to_flowable(block.chart, style.chart, style.measure, REGULAR)
            story += [tags.figure(chart, chart.alt_text), Spacer(1, style.chart_after_pt)]
        elif isinstance(block, blocks.Quote):
            story += [para(escape(block.unit), styles.unit), para(_text(block.text), styles.quote)]
        else:
            raise TypeError(block)
        after_heading = False
    return _keep_headings(story, style.keep_rows)


class _OutlinedDocument(SimpleDocTemplate):
    """Bookmarks from the headings, nested by level (the title and level-1 headings at the top)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._outline_count, self._outline_level = 0, -1

    def afterFlowable(self, flowable) -> None:
        outline = getattr(flowable, "_outline", None)
        if not outline:
            return
        text, level = outline
        depth = min(max(level - 1, 0), self._outline_level + 1)  # never skip a level (reportlab refuses)
        self._outline_count += 1
        key = f"h{self._outline_count}"
        top = self.frame._y + flowable.height + flowable.getSpaceBefore()
        self.canv.bookmarkPage(key, fit="XYZ", left=0, top=top)
        self.canv.addOutlineEntry(text, key, level=depth, closed=depth >= 1)
        self._outline_level = depth
        if self._outline_count == 1:
            self.canv.showOutline()


def write_report_pdf(data: ReportData, style: ReportStyle, target: Path) -> None:
    style.register_fonts()
    story = story_of(data, style)

    def footer(canvas, doc) -> None:
        with artifact_block(canvas):
            canvas.saveState()
            canvas.setFont(REGULAR, style.small_pt)
            canvas.setFillColor(HexColor("#" + style.muted))
            canvas.drawCentredString(style.page_width_mm * mm / 2, style.margin_bottom_mm * mm / 2,
                                     label("report.page", page=doc.page))
            canvas.restoreState()

    target.parent.mkdir(parents=True, exist_ok=True)
    document = _OutlinedDocument(
        str(target), pagesize=(style.page_width_mm * mm, style.page_height_mm * mm),
        leftMargin=style.margin_left_mm * mm, rightMargin=style.margin_right_mm * mm,
        topMargin=style.margin_top_mm * mm, bottomMargin=style.margin_bottom_mm * mm,
        title=data.title, author=data.author, lang="sv-SE", displayDocTitle=True, invariant=1,
        initialFontName=REGULAR, initialFontSize=style.body_pt)
    document.build(story, onFirstPage=footer, onLaterPages=footer,
                   canvasmaker=partial(TaggingCanvas, metadata=xmp(data.title, "sv-SE", author=data.author)))
