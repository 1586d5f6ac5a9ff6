"""Paragraph styles and measures for the PDF, every value read from the layout file."""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from lovande_docs.layout import Layout
from lovande_docs.render.pdf.fonts import Fonts, register_fonts


@dataclass
class Styles:
    """Everything the PDF modules need to look the part, resolved once per build."""

    layout: Layout
    fonts: Fonts
    para: dict[str, ParagraphStyle] = field(default_factory=dict)

    def color(self, key: str) -> Color:
        return HexColor("#" + self.layout.color(key))

    def mm(self, key: str) -> float:
        return self.layout.number(key) * mm

    def pt(self, key: str) -> float:
        return self.layout.number(key)

    def __getitem__(self, name: str) -> ParagraphStyle:
        return self.para[name]


def build_styles(layout: Layout) -> Styles:
    fonts = register_fonts(layout)
    s = Styles(layout, fonts)
    n, c = layout.number, s.color
    body_pt, leading = n("type.body_pt"), n("type.body_leading_pt")
    ratio = leading / body_pt  # every size keeps the body's line spacing ratio

    def style(name: str, parent: ParagraphStyle | None = None, **kw) -> ParagraphStyle:
        if "fontSize" in kw and "leading" not in kw:
            kw["leading"] = kw["fontSize"] * ratio
        made = ParagraphStyle(name, parent=parent, **kw)
        s.para[name] = made
        return made

    body = style("body", fontName=fonts.regular, fontSize=body_pt, leading=leading, textColor=c("colors.text"),
                 spaceAfter=n("spacing.paragraph_after_pt"), alignment=TA_LEFT)
    style("intro", body)
    style("lead", body, fontSize=n("type.lead_pt"), textColor=c("colors.heading"))
    style("statement", body, fontName=fonts.italic)
    style("quote", body, fontName=fonts.italic, fontSize=n("type.question_pt"), textColor=c("colors.accent"),
          leftIndent=s.mm("spacing.quote_indent_mm"), rightIndent=s.mm("spacing.quote_indent_mm"),
          spaceBefore=n("spacing.paragraph_after_pt"), spaceAfter=n("spacing.quote_after_pt"))
    style("bullet", body, leftIndent=s.mm("pdf.bullet_indent_mm"), bulletIndent=0, bulletFontName=fonts.regular,
          spaceAfter=n("pdf.bullet_after_pt"))
    for level in (1, 2, 3):
        style(f"h{level}", body, fontName=fonts.bold, fontSize=n(f"type.heading{level}_pt"),
              textColor=c("colors.heading"), spaceBefore=n(f"spacing.heading{level}_before_pt"),
              spaceAfter=n(f"spacing.heading{level}_after_pt"), keepWithNext=1)
    style("title", body, fontName=fonts.bold, fontSize=n("type.title_pt"), textColor=c("colors.heading"),
          spaceAfter=n("cover.title_after_pt"))
    style("subtitle", body, fontSize=n("type.subtitle_pt"), textColor=c("colors.heading"))
    style("small", body, fontSize=n("type.small_pt"), textColor=c("colors.muted"))
    style("notice", body, fontSize=n("type.small_pt"))
    style("question_marker", body, fontName=fonts.bold, fontSize=n("type.question_pt"),
          textColor=c("colors.heading"), spaceBefore=n("spacing.question_before_pt"), spaceAfter=n("spacing.field_label_after_pt"),
          keepWithNext=1)
    style("question", body, fontName=fonts.bold, fontSize=n("type.question_pt"), keepWithNext=1)
    style("tip", body, fontSize=n("type.tip_pt"), textColor=c("colors.tip_text"), spaceAfter=0)
    style("revisit", body, fontName=fonts.bold, fontSize=n("type.tip_pt"), textColor=c("colors.revisit_text"),
          spaceAfter=0)
    style("box_title", body, fontName=fonts.bold, fontSize=n("type.heading3_pt"), textColor=c("colors.heading"))
    style("field_label", body, fontName=fonts.bold, spaceAfter=n("spacing.field_label_after_pt"), keepWithNext=1)
    style("field_hint", body, fontSize=n("type.small_pt"), textColor=c("colors.muted"),
          spaceAfter=n("spacing.field_label_after_pt"), keepWithNext=1)
    style("option", body, spaceAfter=0)
    style("summary_name", body, fontName=fonts.bold, fontSize=n("type.heading3_pt"), textColor=c("colors.heading"),
          spaceBefore=n("spacing.question_before_pt"), keepWithNext=1)
    style("footnote", body, fontSize=n("type.footnote_pt"), spaceAfter=n("pdf.footnote_space_pt"))
    style("header", body, fontSize=n("type.header_pt"), textColor=c("colors.muted"), spaceAfter=0)
    style("map", body, fontSize=n("model_map.text_pt"), spaceAfter=0)
    style("strip", body, fontSize=n("strip.text_pt"), textColor=c("colors.muted"), spaceAfter=0)
    style("back_cover", body, fontSize=n("type.body_pt"))
    toc_sizes, toc_after = layout.get("toc.level_pt"), layout.get("toc.after_pt")
    for level, (size, after) in enumerate(zip(toc_sizes, toc_after)):
        style(f"toc{level}", body, fontName=fonts.bold if level == 0 else fonts.regular, fontSize=float(size),
              leftIndent=level * s.mm("toc.indent_mm"), firstLineIndent=0,
              rightIndent=s.mm("pdf.toc_right_column_mm"), spaceAfter=float(after), spaceBefore=0)
    return s
