"""The block-to-Word writer: walks ``document.build_document(model)`` and emits WordprocessingML.

It decides nothing about content or order (document.py does) and nothing about looks (the layout
and styles.py do); it maps each block type to paragraphs, tables and content controls.
"""
from __future__ import annotations

import math

from lxml import etree

from lovande_docs import markup
from lovande_docs.document import (
    AnswerRecord, BackCover, BoxBlock, Revisions, BulletList, ElementEnd, ElementStart, ElementStripLegend, ElementSummary, FieldItem,
    Heading, ModelMap, NoticePage, Para, QuestionBlock, TableOfContents, TitlePage, anchor_name, build_document,
)
from lovande_docs.fields import UNSET, FieldDef, bookmark_name
from lovande_docs.layout import Layout
from lovande_docs.model import Model
from lovande_docs.render.docx import boxes, controls, navigation, styles, tables
from lovande_docs.render.docx.footnotes import PARTNAME as FOOTNOTES, Footnotes
from lovande_docs.render.docx.headers import HeadersFooters
from lovande_docs.render.docx.inline import page_reference, run, runs
from lovande_docs.render.docx.package import Package
from lovande_docs.render.docx.pictures import Pictures
from lovande_docs.render.docx.toc import toc_paragraphs
from lovande_docs.render.docx.xml import el, qn, twips_mm, twips_pt, val

# Sections that are not running pages (see _sect_pr): the title page, the colophon, the back cover.
TITLE_PAGE, COLOPHON, BACK_COVER = "title-page", "colophon", "back-cover"
PARA_STYLES = {"body": None, "lead": "Lead", "quote": "Quote", "intro": "Intro", "statement": "Statement"}


def _style_of(paragraph: etree._Element) -> str | None:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return None if style is None else style.get(qn("w:val"))


class PageEstimate:
    """A rough running page count for the TOC's cached page numbers (Word/LibreOffice recompute them)."""

    def __init__(self, layout: Layout):
        self.chars_per_line = layout.number("docx.toc.estimate.chars_per_line")
        self.lines_per_page = layout.number("docx.toc.estimate.lines_per_page")
        self.line_mm = layout.number("docx.toc.estimate.line_mm")
        self.page = 1
        self.lines = 0.0

    def text(self, value: str, scale: float = 1.0, extra: float = 0.5) -> None:
        self.add(math.ceil(max(len(value), 1) * scale / self.chars_per_line) * scale + extra)

    def height(self, mm: float) -> None:
        self.add(mm / self.line_mm)

    def add(self, lines: float) -> None:
        self.lines += lines
        while self.lines > self.lines_per_page:
            self.page += 1
            self.lines -= self.lines_per_page

    def new_page(self) -> None:
        if self.lines > 0:
            self.page += 1
            self.lines = 0.0


class Writer:
    def __init__(self, model: Model, layout: Layout, pkg: Package, revisions: Revisions | None = None):
        self.model = model
        self.revisions = revisions
        self.layout = layout
        self.body = el("w:body")
        self.rels = pkg.rels_of("/word/document.xml")
        self.ids = controls.Ids()
        self.footnotes = Footnotes(model, pkg.rels_of(FOOTNOTES))
        self.footnotes.page_reference = self._page_reference
        self.hf = HeadersFooters(pkg, layout)
        self.pictures = Pictures(pkg, layout)
        self.default_header = (model.meta.title, None)
        self.current_header = TITLE_PAGE  # a running header (title, element) or a page of its own
        self.wanted_header = TITLE_PAGE
        self.break_pending = False
        self.page_breaks = set(layout.get("docx.page_break_before"))
        self.estimate = PageEstimate(layout)
        self.pages: dict[str, int] = {}
        self.page_numbers: list[tuple[etree._Element, str]] = []  # (cached result's w:t, anchor), set at the end
        self.toc: tuple[TableOfContents, int] | None = None
        self.width = int(twips_mm(layout.number("page.width_mm") - layout.number("page.margin_left_mm")
                                  - layout.number("page.margin_right_mm")))
        self.look = controls.CheckboxLook(layout.get("docx.checkbox.font"), layout.get("docx.checkbox.checked"),
                                          layout.get("docx.checkbox.unchecked"))

    # --- plumbing -------------------------------------------------------------------------------

    def write(self) -> etree._Element:
        handlers = {
            TitlePage: self.title_page, NoticePage: self.notice_page, TableOfContents: self.table_of_contents,
            Heading: self.heading, Para: self.para, BulletList: self.bullets, BoxBlock: self.box,
            FieldItem: self.field_item, ModelMap: self.model_map, ElementStripLegend: self.strip_legend,
            ElementStart: self.element_start, ElementEnd: self.element_end, QuestionBlock: self.question,
            ElementSummary: self.element_summary, AnswerRecord: self.answer_record, BackCover: self.back_cover,
        }
        for block in build_document(self.model, self.revisions):
            handlers[type(block)](block)
        self.body.append(self._sect_pr())
        for shown, anchor in self.page_numbers:
            shown.text = str(self.pages.get(anchor, ""))
        if self.toc:
            toc, index = self.toc
            for offset, paragraph in enumerate(toc_paragraphs(toc, self.pages, self.layout.get("docx.toc.levels"))):
                self.body.insert(index + offset, paragraph)
        return self.body

    def _sect_pr(self) -> etree._Element:
        """The current section's properties: covers with the band and their text placed as in the
        PDF, the colophon without header and footer, the rest with the running header and page number."""
        if self.current_header == TITLE_PAGE:
            return self.hf.cover_properties()
        if self.current_header == COLOPHON:
            return self.hf.plain_properties()
        if self.current_header == BACK_COVER:
            return self.hf.cover_properties()
        title, element = self.current_header
        return self.hf.section_properties(self.hf.header(title, element))

    def _sync_section(self) -> None:
        """Start a new Word section (on a new page) when the running header must change."""
        if self.wanted_header == self.current_header:
            return
        last = self.body[-1] if len(self.body) else None
        if last is None or last.tag != qn("w:p"):
            last = el("w:p", None, el("w:pPr", None, val("w:pStyle", "FieldEnd")))
            self.body.append(last)
        ppr = last.find(qn("w:pPr"))
        if ppr is None:
            ppr = el("w:pPr")
            last.insert(0, ppr)
        ppr.append(self._sect_pr())
        self.current_header = self.wanted_header
        self.break_pending = False
        self.estimate.new_page()

    def paragraph(self, style: str | None, children=(), keep_next: bool = False) -> etree._Element:
        self._sync_section()
        ppr = el("w:pPr", None, val("w:pStyle", style) if style else None,
                 el("w:keepNext") if keep_next else None,
                 el("w:pageBreakBefore") if self.break_pending else None)
        if self.break_pending:
            self.estimate.new_page()
        self.break_pending = False
        node = el("w:p", None, ppr if len(ppr) else None, *children)
        self.body.append(node)
        return node

    def block(self, node: etree._Element) -> None:
        self._sync_section()
        if self.break_pending:
            self.paragraph("FieldEnd")
        self.body.append(node)

    def framed(self, paragraphs: list[etree._Element], look: boxes.Frame, above: int = 0) -> None:
        """A box: paragraphs sharing one border and fill (see boxes.py), placed as body blocks;
        the first ``above`` paragraphs (a field's label) stand above the box, outside it."""
        boxes.frame(paragraphs[above:], look)
        self._sync_section()
        if self.break_pending:
            boxes.set_property(paragraphs[0], el("w:pageBreakBefore"))
            self.estimate.new_page()
            self.break_pending = False
        self.body.extend(paragraphs)

    def _frame(self, kind: str, hanging_mm: float = 0) -> boxes.Frame:
        """The look of a box (``kind`` "box") or a fill-in field (``kind`` "field") from the layout."""
        L = self.layout
        return boxes.Frame(L.color(f"colors.{kind}_border"), int(L.number(f"docx.{kind}.border_eighths")),
                           L.number(f"docx.{kind}.padding_mm") * 72 / 25.4, L.color(f"colors.{kind}_background"),
                           int(twips_mm(hanging_mm)))

    def runs(self, text: str, bold: bool = False) -> list[etree._Element]:
        return runs(text, self.rels, self.footnotes.number, bold, self._page_reference)

    def _page_reference(self, heading_id: str, bold: bool, italic: bool) -> list[etree._Element]:
        """A PAGEREF field; its cached number is the page estimate of the TOC, known at the end."""
        anchor = anchor_name(heading_id)
        shown = run("", "Hyperlink", bold, italic)
        self.page_numbers.append((shown.find(qn("w:t")), anchor))
        return page_reference(anchor, shown)

    def styled(self, style: str | None, text: str, scale: float = 1.0) -> etree._Element:
        self.estimate.text(markup.plain(text), scale)
        return self.paragraph(style, self.runs(text))

    # --- front and back matter ------------------------------------------------------------------

    def title_page(self, _: TitlePage) -> None:
        meta = self.model.meta
        self.paragraph("Title", [run(meta.title)])
        self.paragraph("Subtitle", [run(meta.subtitle)])
        self.wanted_header = COLOPHON

    def notice_page(self, _: NoticePage) -> None:
        meta = self.model.meta
        texts = [*meta.notice, self.model.label("article_number", article_number=meta.article_number),
                 self.model.label("published", place=meta.published_place, month=meta.published_month)]
        for text in texts:
            self._at_foot(self.styled("Notice", text))
        self.paragraph("FieldEnd")  # carries the section break, outside the frame
        self.wanted_header = self.default_header

    def table_of_contents(self, block: TableOfContents) -> None:
        self.paragraph("TOCHeading", [run(block.heading)])
        self.toc = (block, len(self.body))
        self.estimate.add(len(block.entries) * self.layout.number("docx.toc.estimate.entry_lines"))
        self.break_pending = True

    def back_cover(self, block: BackCover) -> None:
        """Its own section: the band, no running header or page number, the text at the foot."""
        self.wanted_header = BACK_COVER
        for line in block.lines:
            self._at_foot(self.styled("BackCover", line))

    def _at_foot(self, paragraph: etree._Element) -> None:
        """Stand at the foot of the page, as the PDF's colophon and back cover do: paragraphs with
        the same frame properties share one frame, aligned to the bottom margin (Word and
        LibreOffice alike; LibreOffice 7.4 ignores a section's vertical alignment)."""
        boxes.set_property(paragraph, el("w:framePr", {
            "w:w": str(self.width), "w:wrap": "notBeside", "w:vAnchor": "margin", "w:hAnchor": "margin",
            "w:x": "0", "w:yAlign": "bottom"}))

    # --- text -------------------------------------------------------------------------------------

    def heading(self, block: Heading) -> None:
        kind_level = f"{block.kind}-{block.level}"
        if block.kind in self.page_breaks or kind_level in self.page_breaks:
            self.break_pending = True
        start, end = controls.bookmark(self.ids, block.anchor)
        p = self.paragraph(f"Heading{block.level}", [start, *self.runs(block.text), end])
        if not block.in_toc:
            p.find(qn("w:pPr")).append(val("w:outlineLvl", 9))
        self.pages[block.anchor] = self.estimate.page
        self.estimate.text(markup.plain(block.text), self.layout.number(f"type.heading{block.level}_pt")
                           / self.layout.number("type.body_pt"), extra=1.5)

    def para(self, block: Para) -> None:
        self.styled(PARA_STYLES[block.role], block.text)

    def bullets(self, block: BulletList) -> None:
        for item in block.items:
            self.styled("ListBullet", item)

    def box(self, block: BoxBlock) -> None:
        styled = lambda style, text: el("w:p", None, el("w:pPr", None, val("w:pStyle", style)), *self.runs(text))  # noqa: E731
        items = [styled("ListBullet", t) for t in block.bullets]
        content = [styled("BoxTitle", block.title), *(styled("BoxText", t) for t in block.paragraphs), *items]
        for text in (block.title, *block.paragraphs, *block.bullets):
            self.estimate.text(markup.plain(text))
        hanging = self.layout.number("docx.bullet.hanging_mm") if items else 0
        after = twips_pt(self.layout.number("docx.box.paragraph_after_pt"))
        for paragraph in content:  # see the layout: LibreOffice splits a box with space between its lines
            boxes.set_property(paragraph, el("w:spacing", {"w:after": after}))
        boxes.keep_together(content)  # a box stays on one page, as the table did
        self.framed(content, self._frame("box", hanging))
        self.paragraph("FieldEnd")

    # --- navigation -------------------------------------------------------------------------------

    def model_map(self, block: ModelMap) -> None:
        self.block(navigation.model_map(block, self.layout))
        self.paragraph("FieldEnd")
        self.estimate.height(self.layout.number("docx.map.category_height_mm")
                             + 4 * self.layout.number("docx.map.element_height_mm"))

    def strip_legend(self, block: ElementStripLegend) -> None:
        anchors = tuple(e.anchor for c in self._map_categories() for e in c.elements)[: block.count]
        house = self.pictures.house(self.model.labels["home_link"])  # in the legend, as the text explains it
        self.block(navigation.nav_row(self.layout, anchors, block.names, house))
        self.paragraph("FieldEnd")
        self.estimate.height(self.layout.number("house.size_mm"))

    def _map_categories(self):
        for block in build_document(self.model):
            if isinstance(block, ModelMap):
                return block.categories
        return ()

    def element_start(self, block: ElementStart) -> None:
        self.wanted_header = (self.model.meta.title, block.name)
        self.block(navigation.nav_row(self.layout, block.strip_anchors, block.strip_names,
                                      self.pictures.house(block.home_label), block))
        self.paragraph("FieldEnd")
        self.estimate.add(3)

    def element_end(self, _: ElementEnd) -> None:
        self.wanted_header = self.default_header

    # --- fields -----------------------------------------------------------------------------------

    def _bookmarked(self, name: str, control: etree._Element) -> list[etree._Element]:
        start, end = controls.bookmark(self.ids, bookmark_name(name))
        return [start, control, end]

    def _checkboxes(self, field: FieldDef, trailing_tab: bool = True) -> list[etree._Element]:
        out: list[etree._Element] = []
        for option in field.options.items:
            box = controls.checkbox(self.ids, field.box_name(option.code), field.box_title(option.code), self.look)
            out += self._bookmarked(field.box_name(option.code), box)
            out.append(run(" " + markup.plain(option.label)))
            if trailing_tab:
                out.append(el("w:r", None, el("w:tab")))
        return out

    def _dropdown(self, field: FieldDef) -> list[etree._Element]:
        options = field.options
        first = markup.plain(options.placeholder) if options.placeholder else field.title
        items = [(first, UNSET)] + [(markup.plain(o.label), o.code) for o in options.items]
        label = markup.plain(field.spec.label)
        return [run(label + " ", bold=True),
                *self._bookmarked(field.name, controls.dropdown(self.ids, field.name, field.title, items))]

    def _text_cell(self, field: FieldDef, label: str, hint: str | None) -> list[etree._Element]:
        """Label (and hint) paragraph(s), the block-level rich-text control, a closing paragraph.

        The field's bookmark starts at the end of the last label paragraph and ends in the closing
        paragraph, so it encloses exactly the control's paragraphs – also after LibreOffice 7.4
        has turned the control into loose paragraphs (see controls.py).
        """
        start, end = controls.bookmark(self.ids, bookmark_name(field.name))
        out = [el("w:p", None, el("w:pPr", None, val("w:pStyle", "FieldLabel")), *self.runs(label))]
        if hint:
            out.append(el("w:p", None, el("w:pPr", None, val("w:pStyle", "FieldHint")), *self.runs(hint)))
        out[-1].append(start)
        out.append(controls.rich_text_block(self.ids, field.name, field.title, self.model.labels["text_placeholder"],
                                            "FieldText"))
        out.append(el("w:p", None, el("w:pPr", None, val("w:pStyle", "FieldEnd")), end))
        return out

    def _field_box(self, content: list[etree._Element], min_height_mm: float | None) -> None:
        """A fill-in field as in the PDF: its label (and hint) above a box of the control's
        paragraphs; the closing paragraph's space before keeps the box about ``min_height_mm``
        tall while it is empty (room to write, as on paper)."""
        self.framed(content, self._frame("field"), self._size_field(content, min_height_mm))

    def _size_field(self, content: list[etree._Element], min_height_mm: float | None) -> int:
        """Give a field's closing paragraph the room the box needs; return how many paragraphs
        (label, hint) stand above the box."""
        above = 0
        while _style_of(content[above]) in ("FieldLabel", "FieldHint"):
            above += 1
        if min_height_mm:
            L = self.layout
            used_pt = L.number("type.body_leading_pt") \
                + L.number("docx.field.text_before_pt") + L.number("docx.field.text_after_pt") \
                + L.number("docx.field.end_pt") + 2 * L.number("docx.field.padding_mm") * 72 / 25.4
            room = max(0.0, min_height_mm * 72 / 25.4 - used_pt)
            boxes.set_property(content[-1], el("w:spacing", {"w:before": twips_pt(room)}))
        return above

    def _height_of(self, field: FieldDef) -> float:
        key = {"text": "spacing.text_field_min_height_mm", "line": "spacing.line_field_height_mm"}[field.kind]
        return self.layout.number(key)

    def field_item(self, block: FieldItem) -> None:
        start = len(self.body)
        self._field_item(block)
        boxes.keep_together(self.body[start:])  # label, hint and box on one page, as in the PDF
        self.paragraph("FieldEnd")

    def _field_item(self, block: FieldItem) -> None:
        field = block.field
        if field.kind in ("text", "line"):
            height = self._height_of(field)
            self._field_box(self._text_cell(field, block.label, block.hint), height)
            self.estimate.height(height + 8)
        elif field.kind == "date":
            content = [el("w:p", None, el("w:pPr", None, val("w:pStyle", "FieldLabel")), *self.runs(block.label)),
                       el("w:p", None, el("w:pPr", None, val("w:pStyle", "FieldText")),
                          *self._bookmarked(field.name, controls.date_picker(
                              self.ids, field.name, field.title, self.model.labels["date_placeholder"],
                              self.model.meta.language, self.layout.get("docx.date_format"))))]
            self._field_box(content, None)
            self.estimate.add(3)
        elif field.kind == "choice":
            self.paragraph("FieldLabel", self.runs(block.label), keep_next=True)
            for option in field.options.items:
                box = controls.checkbox(self.ids, field.box_name(option.code), field.box_title(option.code), self.look)
                self.paragraph("AnswerRow", [*self._bookmarked(field.box_name(option.code), box), run(" "),
                                             *self.runs(option.label)])
            self.estimate.add(2 + 2 * len(field.options.items))
        elif field.kind == "select":
            self.paragraph("AnswerRow", self._dropdown(field))
            self.estimate.add(2)
        else:
            raise ValueError(f"unknown field kind {field.kind!r}")

    def question(self, block: QuestionBlock) -> None:
        start = len(self.body)
        self._question(block)
        boxes.keep_together(self.body[start:], then_next=not block.fields)  # a heading keeps with its part a
        if block.is_part:
            self._indent_part(self.body[start:])

    def _indent_part(self, nodes) -> None:
        """A part (a., b., …) with its fields and tip stands spacing.part_indent_mm in, as in the PDF:
        every paragraph's left indent (its own, or its panel style's) grows by that much."""
        shift = int(twips_mm(self.layout.number("spacing.part_indent_mm")))
        panels = {"Tip": "colors.tip_background", "RevisitNote": "colors.revisit_background"}
        for node in nodes:
            for paragraph in ([node] if node.tag == qn("w:p") else node.iter(qn("w:p"))):
                ind = paragraph.find(f"{qn('w:pPr')}/{qn('w:ind')}")
                if ind is None:
                    style = _style_of(paragraph)
                    ind = styles.panel(self.layout, panels[style]).indent() if style in panels else el("w:ind")
                    boxes.set_property(paragraph, ind)
                    ind = paragraph.find(f"{qn('w:pPr')}/{qn('w:ind')}")
                ind.set(qn("w:left"), str(int(ind.get(qn("w:left"), "0")) + shift))

    def _question(self, block: QuestionBlock) -> None:
        if block.is_part:  # a part stands apart from the one before as a question does
            part = self.paragraph("QuestionText", [run(block.marker + " "), *self.runs(block.text)])
            boxes.set_property(part, el("w:spacing", {"w:before": twips_pt(self.layout.number("spacing.question_before_pt"))}))
        else:
            self.paragraph("QuestionMarker", [run(block.marker)])
            self.paragraph("QuestionText", self.runs(block.text))
        self.estimate.text(markup.plain(block.text), extra=2)
        if block.note:
            self.paragraph("RevisitNote", self.runs(block.note))
            self.estimate.add(1.5)
        row: list[etree._Element] = []
        for field in block.fields:
            if field.kind == "choice":
                row += self._checkboxes(field)
            elif field.kind == "select":
                row += self._dropdown(field)
        if row:
            self.paragraph("AnswerRow", row)
            self.estimate.add(2)
        for field in block.fields:
            if field.kind in ("text", "line"):
                height = self.layout.number("spacing.description_min_height_mm")
                self._field_box(self._text_cell(field, field.spec.label, field.spec.hint), height)
                self.estimate.height(height + 4)
        for index, text in enumerate(block.tip):
            children = self.runs(text)
            if index == 0:
                children = [run(self.model.labels["tip"], "TipLabel"), run(" "), *children]
            self.paragraph("Tip", children)
            self.estimate.text(markup.plain(text), 1.1)

    def answer_record(self, block: AnswerRecord) -> None:
        """An earlier answer to a question this version dropped (prefill appendix): plain text."""
        self.styled("BoxTitle", block.title)
        self.styled("QuestionText", block.text)
        for line in block.lines:
            self.styled("BoxText", line)
        self.estimate.text(markup.plain(block.text) + " ".join(block.lines), extra=3)

    def element_summary(self, block: ElementSummary) -> None:
        """One element's summary as the PDF sets it: its name, its statement, then its fields
        (labelled boxes, the status row). A borderless table of two rows that cannot break keeps
        it on one page in LibreOffice too, whose keep-with-next gives way in chains this long;
        the first row (name, statement) heads the table and keeps with the next in Word."""
        L = self.layout
        p = lambda style, children: el("w:p", None, el("w:pPr", None, val("w:pStyle", style)), *children)  # noqa: E731
        head = [p("SummaryName", [run(block.name)]), p("Statement", self.runs(block.statement))]
        for paragraph in head:
            boxes.set_property(paragraph, el("w:keepNext"))
        fields: list[etree._Element] = []
        for field in block.fields:
            if field.kind in ("text", "line"):
                content = self._text_cell(field, field.spec.label, field.spec.hint)
                boxes.frame(content[self._size_field(content, self._height_of(field)):], self._frame("field"))
            elif field.kind == "select":
                content = [p("AnswerRow", self._dropdown(field))]
            else:
                content = [p("AnswerRow", self._checkboxes(field))]
            if fields:  # a line's space between one field and the next, as in the PDF
                boxes.set_property(content[0], el("w:spacing", {"w:before": twips_pt(L.number("spacing.field_after_pt"))}))
            fields += content
        rows = [tables.row([tables.cell(self.width, head)], cant_split=True, header=True),
                tables.row([tables.cell(self.width, fields)], cant_split=True)]
        self.block(tables.table([self.width], rows, tables.borders("w:tblBorders", None, 0, inside=True), cell_margin=0,
                                caption=block.caption, description=markup.plain(block.statement)))
        self.paragraph(None)  # two tables in a row would merge into one
        self.estimate.height(2 * L.number("spacing.text_field_min_height_mm") + 30)
