"""What both reports take from the layout (layouts/socialstyrelsen.yaml): page, fonts, colours,
sizes, and the chart style."""
from __future__ import annotations

from dataclasses import dataclass

from lovande_docs.compile.chart import ChartStyle
from lovande_docs.layout import Layout

# reportlab's names for the layout's fonts
REGULAR, BOLD, ITALIC = "LovandeReport", "LovandeReport-Bold", "LovandeReport-Italic"


@dataclass(frozen=True)
class ReportStyle:
    page_width_mm: float
    page_height_mm: float
    margin_top_mm: float
    margin_bottom_mm: float
    margin_left_mm: float
    margin_right_mm: float
    body_family: str
    heading_family: str
    regular_ttf: str
    bold_ttf: str
    italic_ttf: str
    text: str
    heading: str
    accent: str
    muted: str
    box_background: str
    table_header: str
    table_header_text: str
    table_rule: str
    body_pt: float
    leading_pt: float
    title_pt: float
    subtitle_pt: float
    heading1_pt: float
    heading2_pt: float
    heading3_pt: float
    small_pt: float
    table_pt: float
    summary_pt: float
    paragraph_after_pt: float
    heading2_before_pt: float
    heading2_after_pt: float
    heading3_before_pt: float
    heading3_after_pt: float
    image_dpi: float
    chart: ChartStyle
    chart_after_pt: float
    cell_padding_x_pt: float
    cell_padding_y_pt: float
    table_rule_pt: float
    table_after_pt: float
    keep_rows: int  # a heading moves on unless it fits with its table's header and this many rows

    def register_fonts(self) -> None:
        """Register the layout's TrueType fonts with reportlab (the PDF draws, both reports measure)."""
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, path in ((REGULAR, self.regular_ttf), (BOLD, self.bold_ttf), (ITALIC, self.italic_ttf)):
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, path))
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)

    def measure(self, text: str, size: float, bold: bool = False) -> float:
        """Width in points of ``text`` in the regular (or bold) font."""
        from reportlab.pdfbase import pdfmetrics

        self.register_fonts()
        return pdfmetrics.stringWidth(text, BOLD if bold else REGULAR, size)

    def column_widths(self, columns: list[str], shares: list[float]) -> list[float]:
        """The table's column widths in points: the block's shares of the text width, widened
        where a header word would not fit (Word and reportlab would break it mid-word), the room
        taken from the first, widest column."""
        total = self.text_width_mm / 25.4 * 72
        widths = [share * total for share in shares]
        slack = 2 * self.cell_padding_x_pt + 2  # both paddings, and a little for rounding
        for index, header in enumerate(columns):
            words = header.replace("/", "/ ").split() or [""]
            need = max(self.measure(word, self.table_pt, bold=True) for word in words) + slack
            if index and widths[index] < need:
                widths[0] -= need - widths[index]
                widths[index] = need
        return widths

    @property
    def text_width_mm(self) -> float:
        return self.page_width_mm - self.margin_left_mm - self.margin_right_mm

    @classmethod
    def of(cls, layout: Layout) -> ReportStyle:
        n, c = layout.number, layout.color
        return cls(
            n("page.width_mm"), n("page.height_mm"), n("page.margin_top_mm"), n("page.margin_bottom_mm"),
            n("page.margin_left_mm"), n("page.margin_right_mm"),
            layout.get("fonts.body_family"), layout.get("fonts.heading_family"),
            layout.font_file("fonts.pdf_regular"), layout.font_file("fonts.pdf_bold"), layout.font_file("fonts.pdf_italic"),
            c("colors.text"), c("colors.heading"), c("colors.accent"), c("colors.muted"), c("colors.box_background"),
            c("report.colors.table_header"), c("report.colors.table_header_text"), c("report.colors.table_rule"),
            n("type.body_pt"), n("type.body_leading_pt"), n("type.title_pt"), n("type.subtitle_pt"),
            n("type.heading1_pt"), n("type.heading2_pt"), n("type.heading3_pt"), n("type.small_pt"),
            n("report.table_pt"), n("report.summary_pt"),
            n("spacing.paragraph_after_pt"), n("spacing.heading2_before_pt"), n("spacing.heading2_after_pt"),
            n("spacing.heading3_before_pt"), n("spacing.heading3_after_pt"),
            n("report.chart.image_dpi"),
            ChartStyle(n("report.chart.bar_height_pt"), n("report.chart.bar_gap_pt"), n("report.chart.label_width_pt"),
                       n("report.chart.legend_pt"), n("report.chart.label_pt"), c("colors.text"), c("colors.muted"),
                       c("report.colors.table_rule"), layout.font_file("fonts.pdf_regular"), layout.font_file("fonts.pdf_bold")),
            n("report.chart.after_pt"), n("report.table.padding_x_pt"), n("report.table.padding_y_pt"),
            n("report.table.rule_pt"), n("report.table.after_pt"), int(n("report.table.keep_rows")),
        )
