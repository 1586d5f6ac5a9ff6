"""styles.xml, numbering.xml and settings.xml from the layout file: every look the guide uses.

Built-in styles keep Word's own ids and names (Heading1/"heading 1", TOC1/"toc 1", Hyperlink,
FootnoteText, FootnoteReference, PlaceholderText, Header, Footer) so Word's navigation pane, TOC
field and content controls recognise them; the guide's own roles get custom paragraph styles.
"""
from __future__ import annotations

from lxml import etree

from lovande_docs.layout import Layout
from lovande_docs.render.docx.boxes import Frame
from lovande_docs.render.docx.xml import SINGLE, el, half_points, part_root, twips_mm, twips_pt, val

BULLET_NUM_ID = 1


def _rpr(layout: Layout, *, size: str | None = None, color: str | None = None, bold: bool = False,
         italic: bool = False, family: str | None = None, extra=()) -> etree._Element:
    """w:rPr in schema order: rFonts, b, i, color, sz, szCs, … (extra goes last: vertAlign)."""
    fonts = None
    if family:
        name = layout.get(family)
        fonts = el("w:rFonts", {"w:ascii": name, "w:hAnsi": name, "w:cs": name, "w:eastAsia": name})
    sz = half_points(layout.number(size)) if size else None
    return el("w:rPr", None, fonts,
              el("w:b") if bold else None, el("w:bCs") if bold else None,
              el("w:i") if italic else None, el("w:iCs") if italic else None,
              val("w:color", layout.color(color)) if color else None,
              val("w:sz", sz) if sz else None, val("w:szCs", sz) if sz else None,
              *extra)


def _spacing(layout: Layout, before: str | None = None, after: str | None = None, line_auto: float | None = None):
    attrs = {}
    if before:
        attrs["w:before"] = twips_pt(layout.number(before))
    if after:
        attrs["w:after"] = twips_pt(layout.number(after))
    if line_auto:
        attrs["w:line"] = str(round(line_auto * 240))
        attrs["w:lineRule"] = "auto"
    return el("w:spacing", attrs)


def _style(kind: str, style_id: str, name: str, *, based_on: str | None = None, next_id: str | None = None,
           ppr=None, rpr=None, default: bool = False, ui_priority: int | None = None,
           semi_hidden: bool = False) -> etree._Element:
    """A w:style in schema order: name, basedOn, next, uiPriority, semiHidden, unhideWhenUsed, qFormat, pPr, rPr."""
    attrs = {"w:type": kind, "w:styleId": style_id}
    if default:
        attrs["w:default"] = "1"
    return el("w:style", attrs, val("w:name", name),
              val("w:basedOn", based_on) if based_on else None,
              val("w:next", next_id) if next_id else None,
              val("w:uiPriority", ui_priority) if ui_priority is not None else None,
              el("w:semiHidden") if semi_hidden else None,
              el("w:unhideWhenUsed") if semi_hidden else None,
              el("w:qFormat") if not semi_hidden else None,
              ppr, rpr)


# A tip's panel has borders in its fill's colour at the sides only: with top and bottom borders
# LibreOffice (7.4) again lets a question's keep-with-next chain break (test_docx_pagination.py).
PANEL_SIDES = ("left", "right")


def panel(layout: Layout, fill: str) -> Frame:
    """A tip's (or revisit note's) look in the PDF: a panel of ``fill`` across the text column,
    reaching spacing.tip_padding_pt beside the text (borders in the fill's own colour)."""
    color = layout.color(fill)
    return Frame(color, int(layout.number("docx.panel_border_eighths")), layout.number("spacing.tip_padding_pt"), color)


def styles_part(layout: Layout, language: str) -> etree._Element:
    L = layout
    d = "docx."
    leading = L.number("type.body_leading_pt") / L.number("type.body_pt")
    root = part_root("w:styles")
    lang = language
    root.append(el("w:docDefaults", None,
                   el("w:rPrDefault", None, el("w:rPr", None,
                      el("w:rFonts", {k: L.get("fonts.body_family") for k in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")}),
                      val("w:color", L.color("colors.text")),
                      val("w:sz", half_points(L.number("type.body_pt"))),
                      val("w:szCs", half_points(L.number("type.body_pt"))),
                      el("w:lang", {"w:val": lang, "w:eastAsia": lang, "w:bidi": lang}))),
                   el("w:pPrDefault", None, el("w:pPr", None,
                      _spacing(L, after="spacing.paragraph_after_pt", line_auto=leading)))))
    heading_color = "colors.heading"

    def panel_look(fill: str) -> list[etree._Element]:
        look = panel(L, fill)
        return [look.borders(PANEL_SIDES), look.shading()], look.indent()
    tip_panel, tip_indent = panel_look("colors.tip_background")
    revisit_panel, revisit_indent = panel_look("colors.revisit_background")
    toc_indent = L.number("toc.indent_mm")
    toc_pt, toc_after = L.get("toc.level_pt"), L.get("toc.after_pt")
    cell_margin = twips_mm(L.number(d + "table_cell_margin_mm"))
    right_tab = twips_mm(L.number("page.width_mm") - L.number("page.margin_left_mm") - L.number("page.margin_right_mm"))

    def heading(level: int) -> etree._Element:
        return _style("paragraph", f"Heading{level}", f"heading {level}", based_on="Normal", next_id="Normal",
                      ui_priority=9,
                      ppr=el("w:pPr", None, el("w:keepNext"), el("w:keepLines"),
                             _spacing(L, f"spacing.heading{level}_before_pt", f"spacing.heading{level}_after_pt"),
                             val("w:outlineLvl", level - 1)),
                      rpr=_rpr(L, size=f"type.heading{level}_pt", color=heading_color, bold=True,
                               family="fonts.heading_family"))

    styles = [
        _style("paragraph", "Normal", "Normal", default=True),
        _style("character", "DefaultParagraphFont", "Default Paragraph Font", default=True, ui_priority=1, semi_hidden=True),
        el("w:style", {"w:type": "table", "w:default": "1", "w:styleId": "TableNormal"},
           val("w:name", "Normal Table"), val("w:uiPriority", 99), el("w:semiHidden"), el("w:unhideWhenUsed"),
           el("w:tblPr", None, el("w:tblInd", {"w:w": "0", "w:type": "dxa"}),
              el("w:tblCellMar", None, el("w:top", {"w:w": "0", "w:type": "dxa"}),
                 el("w:left", {"w:w": cell_margin, "w:type": "dxa"}), el("w:bottom", {"w:w": "0", "w:type": "dxa"}),
                 el("w:right", {"w:w": cell_margin, "w:type": "dxa"})))),
        _style("paragraph", "Title", "Title", based_on="Normal", next_id="Subtitle", ui_priority=10,
               ppr=el("w:pPr", None, el("w:spacing", {"w:before": twips_mm(L.number("cover.title_top_mm")),
                                                      "w:after": twips_pt(L.number("cover.title_after_pt"))})),
               rpr=_rpr(L, size="type.title_pt", color=heading_color, bold=True, family="fonts.heading_family")),
        _style("paragraph", "Subtitle", "Subtitle", based_on="Normal", next_id="Normal", ui_priority=11,
               rpr=_rpr(L, size="type.subtitle_pt", color=heading_color, family="fonts.heading_family")),
        heading(1), heading(2), heading(3),
        _style("paragraph", "TOCHeading", "TOC Heading", based_on="Heading1", next_id="Normal", ui_priority=39,
               ppr=el("w:pPr", None, val("w:outlineLvl", 9))),
        *(_style("paragraph", f"TOC{n}", f"toc {n}", based_on="Normal", next_id="Normal", ui_priority=39,
                 ppr=el("w:pPr", None,
                        el("w:tabs", None, el("w:tab", {"w:val": "right", "w:leader": L.get(d + "toc.leader"), "w:pos": right_tab})),
                        el("w:spacing", {"w:after": twips_pt(float(toc_after[n - 1]))}),
                        el("w:ind", {"w:left": twips_mm(toc_indent * (n - 1))})),
                 rpr=el("w:rPr", None, el("w:b") if n == 1 else None, el("w:bCs") if n == 1 else None,
                        val("w:sz", half_points(float(toc_pt[n - 1]))), val("w:szCs", half_points(float(toc_pt[n - 1])))))
          for n in (1, 2, 3)),
        _style("character", "Hyperlink", "Hyperlink", based_on="DefaultParagraphFont", ui_priority=99,
               rpr=_rpr(L, color="colors.link", extra=(val("w:u", "single"),))),
        _style("paragraph", "FootnoteText", "footnote text", based_on="Normal", ui_priority=99,
               ppr=el("w:pPr", None, el("w:spacing", {"w:after": "0", "w:line": SINGLE, "w:lineRule": "auto"})),
               rpr=_rpr(L, size="type.footnote_pt")),
        _style("character", "FootnoteReference", "footnote reference", based_on="DefaultParagraphFont", ui_priority=99,
               rpr=el("w:rPr", None, val("w:vertAlign", "superscript"))),
        _style("character", "PlaceholderText", "Placeholder Text", based_on="DefaultParagraphFont", ui_priority=99,
               rpr=_rpr(L, color="colors.muted")),
        _style("paragraph", "Header", "header", based_on="Normal", ui_priority=99,
               ppr=el("w:pPr", None, el("w:tabs", None, el("w:tab", {"w:val": "right", "w:pos": right_tab})),
                      el("w:spacing", {"w:after": "0"})),
               rpr=_rpr(L, size="type.header_pt", color="colors.muted")),
        _style("paragraph", "Footer", "footer", based_on="Normal", ui_priority=99,
               ppr=el("w:pPr", None, el("w:spacing", {"w:after": "0"}), val("w:jc", L.get(d + "footer_align"))),
               rpr=_rpr(L, size="type.header_pt", color="colors.muted")),
        _style("paragraph", "ListBullet", "List Bullet", based_on="Normal", ui_priority=9,
               ppr=el("w:pPr", None, el("w:numPr", None, val("w:ilvl", 0), val("w:numId", BULLET_NUM_ID)),
                      _spacing(L, after=d + "list_after_pt"))),
        _style("paragraph", "Quote", "Quote", based_on="Normal", next_id="Normal", ui_priority=29,
               ppr=el("w:pPr", None, _spacing(L, "spacing.paragraph_after_pt", "spacing.quote_after_pt"),
                      el("w:ind", {"w:left": twips_mm(L.number("spacing.quote_indent_mm")),
                                   "w:right": twips_mm(L.number("spacing.quote_indent_mm"))})),
               rpr=_rpr(L, size="type.question_pt", color="colors.accent", italic=True)),
        _style("paragraph", "Lead", "Lead", based_on="Normal", next_id="Normal",
               rpr=_rpr(L, size="type.lead_pt", color=heading_color)),
        _style("paragraph", "Intro", "Intro", based_on="Normal", next_id="Normal"),  # body text, as in the PDF
        _style("paragraph", "Statement", "Statement", based_on="Normal", next_id="Normal",
               rpr=_rpr(L, italic=True)),
        _style("paragraph", "Notice", "Notice", based_on="Normal",
               rpr=_rpr(L, size="type.small_pt")),
        _style("paragraph", "BackCover", "Back Cover", based_on="Normal"),
        _style("paragraph", "BoxTitle", "Box Title", based_on="Normal", next_id="BoxText",
               ppr=el("w:pPr", None, el("w:keepNext")),
               rpr=_rpr(L, size="type.heading3_pt", color=heading_color, bold=True)),
        _style("paragraph", "BoxText", "Box Text", based_on="Normal"),
        _style("paragraph", "QuestionMarker", "Question Marker", based_on="Normal", next_id="QuestionText",
               ppr=el("w:pPr", None, el("w:keepNext"), _spacing(L, "spacing.question_before_pt", d + "question.marker_after_pt")),
               rpr=_rpr(L, size="type.question_pt", color=heading_color, bold=True)),
        _style("paragraph", "QuestionText", "Question Text", based_on="Normal", next_id="AnswerRow",
               ppr=el("w:pPr", None, el("w:keepNext")),
               rpr=_rpr(L, size="type.question_pt", bold=True)),
        _style("paragraph", "AnswerRow", "Answer Row", based_on="Normal",
               ppr=el("w:pPr", None, el("w:keepNext"),
                      el("w:tabs", None, *(el("w:tab", {"w:val": "left", "w:pos": twips_mm(float(x))})
                                          for x in L.get(d + "question.answer_tabs_mm"))),
                      _spacing(L, after="spacing.field_after_pt"))),
        _style("paragraph", "FieldLabel", "Field Label", based_on="Normal",
               ppr=el("w:pPr", None, el("w:keepNext"), _spacing(L, after="spacing.field_label_after_pt")),
               rpr=_rpr(L, bold=True)),
        _style("paragraph", "FieldHint", "Field Hint", based_on="Normal",
               ppr=el("w:pPr", None, el("w:keepNext"), _spacing(L, after="spacing.field_label_after_pt")),
               rpr=_rpr(L, size="type.small_pt", color="colors.muted")),
        _style("paragraph", "SummaryName", "Summary Name", based_on="Normal", next_id="Statement",
               ppr=el("w:pPr", None, el("w:keepNext"), _spacing(L, "spacing.question_before_pt")),
               rpr=_rpr(L, size="type.heading3_pt", color=heading_color, bold=True)),
        _style("paragraph", "FieldText", "Field Text", based_on="Normal",
               ppr=el("w:pPr", None, _spacing(L, d + "field.text_before_pt", d + "field.text_after_pt"))),
        _style("paragraph", "FieldEnd", "Field End", based_on="Normal",
               ppr=el("w:pPr", None, el("w:spacing", {"w:after": "0", "w:line": SINGLE, "w:lineRule": "auto"})),
               rpr=_rpr(L, size=d + "field.end_pt")),
        _style("paragraph", "Tip", "Tip", based_on="Normal",
               ppr=el("w:pPr", None, *tip_panel, el("w:spacing", {"w:before": twips_pt(L.number("spacing.field_after_pt")),
                                                                 "w:after": twips_pt(L.number("spacing.paragraph_after_pt"))}),
                      tip_indent, el("w:contextualSpacing")),  # no space between a tip's paragraphs
               rpr=_rpr(L, size="type.tip_pt", color="colors.tip_text")),
        _style("paragraph", "RevisitNote", "Revisit Note", based_on="Normal", next_id="AnswerRow",
               ppr=el("w:pPr", None, el("w:keepNext"), *revisit_panel, _spacing(L, after="spacing.field_after_pt"),
                      revisit_indent),
               rpr=_rpr(L, size="type.tip_pt", color="colors.revisit_text", bold=True)),
        _style("character", "TipLabel", "Tip Label", based_on="DefaultParagraphFont",
               rpr=_rpr(L, bold=True)),
        _style("paragraph", "Figure", "Figure Text", based_on="Normal",
               ppr=el("w:pPr", None, el("w:spacing", {"w:before": "0", "w:after": "0", "w:line": SINGLE, "w:lineRule": "auto"}),
                      val("w:jc", L.get(d + "map.align"))),
               rpr=_rpr(L, size="model_map.text_pt", color="model_map.header_text", bold=True)),
        _style("paragraph", "Strip", "Strip Text", based_on="Figure",
               ppr=el("w:pPr", None, val("w:jc", L.get(d + "strip.align"))),
               rpr=_rpr(L, size="strip.text_pt")),
        _style("paragraph", "HomeLink", "Home Link", based_on="Normal",
               ppr=el("w:pPr", None, el("w:spacing", {"w:after": "0", "w:line": SINGLE, "w:lineRule": "auto"})),
               rpr=_rpr(L, size="strip.text_pt", color="colors.muted")),
        _style("paragraph", "StripLabel", "Strip Label", based_on="HomeLink",
               rpr=_rpr(L, bold=True, color="colors.strip_current")),
    ]
    for style in styles:
        root.append(style)
    return root


def numbering_part(layout: Layout) -> etree._Element:
    """One bullet list definition (List Bullet); the glyph and indents come from the layout."""
    root = part_root("w:numbering")
    indent = twips_mm(layout.number("docx.bullet.indent_mm"))
    hanging = twips_mm(layout.number("docx.bullet.hanging_mm"))
    root.append(el("w:abstractNum", {"w:abstractNumId": "0"},
                   val("w:multiLevelType", "singleLevel"),
                   el("w:lvl", {"w:ilvl": "0"}, val("w:start", 1), val("w:numFmt", "bullet"),
                      val("w:lvlText", layout.get("docx.bullet.glyph")), val("w:lvlJc", "left"),
                      el("w:pPr", None, el("w:ind", {"w:left": indent, "w:hanging": hanging})),
                      el("w:rPr", None, el("w:color", {"w:val": layout.color("colors.accent")})))))
    root.append(el("w:num", {"w:numId": str(BULLET_NUM_ID)}, val("w:abstractNumId", 0)))
    return root


def settings_part(layout: Layout, language: str) -> etree._Element:
    """Settings in schema order. No <w:updateFields/>: see toc.py for why."""
    root = part_root("w:settings")
    root.append(el("w:zoom", {"w:percent": "100"}))
    root.append(val("w:defaultTabStop", twips_mm(layout.number("docx.default_tab_mm"))))
    root.append(val("w:characterSpacingControl", "doNotCompress"))
    root.append(el("w:footnotePr", None, el("w:footnote", {"w:id": "-1"}), el("w:footnote", {"w:id": "0"})))
    root.append(el("w:compat", None, el("w:compatSetting", {
        "w:name": "compatibilityMode", "w:uri": "http://schemas.microsoft.com/office/word", "w:val": "15"})))
    root.append(val("w:themeFontLang", language))
    root.append(val("w:decimalSymbol", ","))
    root.append(val("w:listSeparator", ";"))
    return root
