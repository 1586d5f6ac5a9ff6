"""Walk the format-neutral block sequence (document.build_document) and turn each block into
flowables; decide page breaks (from the layout). Footnote texts go to the foot of the page that
cites them (footnotes.py)."""
from __future__ import annotations

from typing import Callable
from xml.sax.saxutils import escape

from reportlab.platypus import (
    Flowable,
    Indenter,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import TopPadder

from lovande_docs import document as d
from lovande_docs import markup
from lovande_docs.fields import FieldDef
from lovande_docs.model import Model
from lovande_docs.render.pdf.figures import ElementNav, ModelMapFigure
from lovande_docs.render.pdf.formfields import FieldFactory, FieldRow, LabelPiece, TextBox
from lovande_docs.render.pdf.footnotes import Footnotes
from lovande_docs.render.pdf.inline import Inline, footnote_anchor
from lovande_docs.render.pdf.pagerefs import PageNumbers
from lovande_docs.render.pdf.pages import (
    BODY,
    COVER,
    PLAIN,
    Contents,
    HeaderMark,
    HeadingPara,
    RunningHeader,
)
from lovande_docs.render.pdf.para import Panel, Para
from lovande_docs.render.pdf.structure import GuideStructure
from lovande_docs.render.pdf.styles import Styles
from lovande_docs.render.pdf.tagging import StructNode, artifact, group, tag


def _stack(flowables: list[Para], node: StructNode) -> Table:
    """Paragraphs as one unbreakable block (TopPadder can then push it to the page bottom)."""
    table = Table([[f] for f in flowables], colWidths=["100%"], style=TableStyle([
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        *(("BOTTOMPADDING", (0, row), (-1, row), f.style.spaceAfter) for row, f in enumerate(flowables)),
    ]))
    table.hAlign = "LEFT"
    return group(table, node)


def _retitle(flowables: list[Flowable], tooltip: str) -> None:
    """A new tooltip for a field's widgets, before they are drawn (the widgets take it then)."""
    for flowable in flowables:
        for holder in (flowable, *getattr(flowable, "pieces", ())):
            if hasattr(holder, "tooltip"):
                holder.tooltip = tooltip


def continuation_anchor(field_name: str) -> str:
    """The named destination of a long answer's continuation (the filler's note points there)."""
    return d.anchor_name("fortsattning-" + field_name)


class StoryBuilder:
    def __init__(self, model: Model, styles: Styles, header: RunningHeader, answers: dict[str, str] | None = None):
        self.model, self.styles, self.header = model, styles, header
        self.answers = answers or {}  # a prefilled guide's values: long ones continue at the end
        self.continued: list[tuple[FieldDef, str | None]] = []  # (field, its question's text)
        self.inline = Inline(model, "#" + styles.layout.color("colors.link"))
        self.page_numbers = PageNumbers()
        self.inline.page_of = self.page_numbers.page_of
        self.footnotes = Footnotes({footnote_anchor(fid): self.para(lambda fid=fid: self.inline.note(fid), styles["footnote"])
                                    for fid in model.footnote_order()}, styles)
        self.fields = FieldFactory(styles)
        self.break_kinds = set(styles.layout.get("pdf.page_break_kinds"))
        self.break_levels = set(styles.layout.get("pdf.page_break_levels"))
        self.tags = GuideStructure()
        self.link_targets: dict[str, str] = {}  # anchor → what a link to it says (/Contents)

    def describe_link(self, target: str) -> str:
        return self.link_targets.get(target, target)

    def _learn_targets(self, blocks) -> None:
        for block in blocks:
            if isinstance(block, d.Heading):
                self.link_targets[block.anchor] = markup.plain(block.text)
            elif isinstance(block, d.ModelMap):
                for category in block.categories:
                    self.link_targets.setdefault(category.anchor, markup.plain(category.label))
                    for element in category.elements:
                        self.link_targets.setdefault(element.anchor, markup.plain(element.label))
        for number, footnote_id in enumerate(self.model.footnote_order(), start=1):
            note = self.model.footnotes[footnote_id]
            text = " ".join(t for t in (markup.plain(note.text or ""), note.url or "") if t)
            self.link_targets[footnote_anchor(footnote_id)] = f"{number} {text}".strip()

    # --- the whole story -----------------------------------------------------------------------

    def build(self, blocks: tuple[d.Block, ...]) -> list[Flowable]:
        story: list[Flowable] = [self.page_numbers]
        self._learn_targets(blocks)
        breaks = self._break_points(blocks)
        for index, block in enumerate(blocks):
            if index in breaks:
                story.append(PageBreak())
            story += self._render(block)
        return story

    def _break_points(self, blocks) -> set[int]:
        """Indexes of blocks that begin a new page: a heading of a breaking kind or level, moved up
        over the ElementStart that belongs to it."""
        points = set()
        for index, block in enumerate(blocks):
            if isinstance(block, d.Heading) and (block.kind in self.break_kinds or block.level in self.break_levels):
                start = index
                while start > 0 and isinstance(blocks[start - 1], d.ElementStart):
                    start -= 1
                points.add(start)
        return points

    def _render(self, block) -> list[Flowable]:
        method = getattr(self, "_" + type(block).__name__)
        return method(block)

    def x(self, text: str) -> str:
        return self.inline.xml(text)

    def para(self, xml: Callable[[], str], style, **kwargs) -> Para:
        """A paragraph of ``xml()``; one that shows a page reference gets its text again before
        each layout pass, with the numbers of that pass (see pagerefs.py)."""
        self.inline.used_pages = False
        para = Para(xml(), style, **kwargs)
        if self.inline.used_pages:
            self.page_numbers.on_change(lambda: para.set_text(xml()))
        return para

    def p(self, text: str, style: str, node: StructNode | None = None) -> Para:
        """A paragraph tagged as ``node`` (default: a new P in the current section)."""
        return tag(self.para(lambda: self.x(text), self.styles[style]), node or self.tags.para())

    def bullet_item(self, text: str, list_node: StructNode) -> Para:
        label, body = self.tags.list_item(list_node)
        bullet = str(self.styles.layout.get("pdf.bullet"))
        return tag(self.para(lambda: self.x(text), self.styles["bullet"], bulletText=bullet), body, label=label)

    # --- front and back matter -------------------------------------------------------------------

    def _TitlePage(self, block: d.TitlePage) -> list[Flowable]:
        meta = self.model.meta
        return [Spacer(0, self.styles.mm("cover.title_top_mm")), self.p(meta.title, "title"),
                self.p(meta.subtitle, "subtitle"), NextPageTemplate(PLAIN), PageBreak()]

    def _NoticePage(self, block: d.NoticePage) -> list[Flowable]:
        meta, model = self.model.meta, self.model
        lines = [self.p(text, "notice") for text in meta.notice]
        lines.append(self.p(model.label("article_number", article_number=meta.article_number), "notice"))
        lines.append(self.p(model.label("published", place=meta.published_place, month=meta.published_month), "notice"))
        return [TopPadder(_stack(lines, self.tags.container)), NextPageTemplate(BODY), PageBreak()]

    def _TableOfContents(self, block: d.TableOfContents) -> list[Flowable]:
        s = self.styles
        levels = len(s.layout.get("toc.level_pt"))
        seed = [(h.level - 1, escape(markup.plain(h.text)), 0, h.anchor) for h in block.entries]
        toc = Contents(seed, self.tags.child("TOC"), levelStyles=[s[f"toc{n}"] for n in range(levels)],
                       rightColumnWidth=s.mm("pdf.toc_right_column_mm"),
                       dotsMinLevel=int(s.pt("pdf.toc_dots_from_level")))
        return [tag(Para(escape(block.heading), s["h1"]), self.tags.para()), toc]

    def _continuations(self) -> list[Flowable]:
        """Prefilled answers too long for their box, whole, each under its field's title and
        question (the filler ends the box with a note giving this page)."""
        if not self.continued:
            return []
        s = self.styles
        self.tags.close_sections()
        heading = d.Heading(1, self.model.labels["continued_heading"], d.anchor_name("fortsattning"), "appendix",
                            in_toc=False)
        out: list[Flowable] = [PageBreak(), *self._Heading(heading)]
        for field, question in self.continued:
            title = d.Heading(2, markup.literal(field.title), continuation_anchor(field.name), "appendix", in_toc=False)
            out += self._Heading(title)
            if question:
                out.append(self.p(question, "question"))
            for line in self.answers[field.name].replace("\r\n", "\n").replace("\r", "\n").split("\n"):
                if line.strip():
                    out.append(tag(Para(escape(line), s["body"]), self.tags.para()))
        return out

    def _overflows(self, field: FieldDef, height: float, indent: float) -> bool:
        """Whether a prefilled value needs more lines than its box shows (decided here, where the
        box's size is known; a hair narrower, so the filler never finds it overflowing alone)."""
        value = self.answers.get(field.name)
        if not value or field.kind != "text":
            return False
        look = self.fields.widgets
        width = self.styles.mm("page.width_mm") - self.styles.mm("page.margin_left_mm") \
            - self.styles.mm("page.margin_right_mm") - indent - 0.01
        return len(look.wrap(value, width)) > look.rows(height)

    def _BackCover(self, block: d.BackCover) -> list[Flowable]:
        continued = self._continuations()
        self.tags.close_sections()
        lines = [self.p(text, "back_cover") for text in block.lines]
        return [*continued, NextPageTemplate(COVER), PageBreak(), TopPadder(_stack(lines, self.tags.container))]

    # --- text --------------------------------------------------------------------------------------

    def _Heading(self, block: d.Heading) -> list[Flowable]:
        heading = HeadingPara(self.x(block.text), self.styles[f"h{block.level}"], block, markup.plain(block.text))
        return [tag(heading, self.tags.heading(block.level))]

    def _Para(self, block: d.Para) -> list[Flowable]:
        return [self.p(block.text, block.role, self.tags.para(block.role))]

    def _BulletList(self, block: d.BulletList) -> list[Flowable]:
        items = self.tags.child("L")
        return [self.bullet_item(item, items) for item in block.items]

    def _BoxBlock(self, block: d.BoxBlock) -> list[Flowable]:
        s = self.styles
        box = self.tags.child("Div")
        rows = [[self.p(block.title, "box_title", self.tags.para(parent=box))]]
        rows += [[self.p(text, "body", self.tags.para(parent=box))] for text in block.paragraphs]
        if block.bullets:
            items = self.tags.child("L", box)
            rows += [[self.bullet_item(item, items)] for item in block.bullets]
        return [group(self._panel(rows, "colors.box_background", "colors.box_border", "pdf.box_padding_pt"), box),
                Spacer(0, s.pt("spacing.paragraph_after_pt"))]

    def _panel(self, rows, background: str, border: str | None, padding: str) -> Table:
        s = self.styles
        pad = s.pt(padding)
        commands = [
            ("BACKGROUND", (0, 0), (-1, -1), s.color(background)),
            ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, 0), pad), ("BOTTOMPADDING", (0, -1), (-1, -1), pad),
        ]
        if border:
            commands.append(("BOX", (0, 0), (-1, -1), s.pt("pdf.box_border_pt"), s.color(border)))
        table = Table(rows, colWidths=["100%"], style=TableStyle(commands))
        table.hAlign = "LEFT"
        return table

    # --- figures and navigation --------------------------------------------------------------------

    def _ModelMap(self, block: d.ModelMap) -> list[Flowable]:
        return [group(ModelMapFigure(block, self.styles, self.x), self.tags.child("L"))]

    def _ElementStripLegend(self, block: d.ElementStripLegend) -> list[Flowable]:
        return [artifact(ElementNav(self.styles, block.count), "Layout")]  # an illustration the text explains

    def _ElementStart(self, block: d.ElementStart) -> list[Flowable]:
        self.tags.open_section_early(2)  # the strip belongs to the element's section, read at its end
        return [HeaderMark(self.header, block.name),
                group(ElementNav(self.styles, block.count, block), self.tags.child("Div", last=True))]

    def _ElementEnd(self, block: d.ElementEnd) -> list[Flowable]:
        return [HeaderMark(self.header, None)]

    # --- fields ------------------------------------------------------------------------------------

    def _field_flowables(self, field: FieldDef, tooltip: str, description: bool = False,
                         question: str | None = None, indent: float = 0.0) -> list[Flowable]:
        """``indent``: how far in from the margin the field stands (a question's part)."""
        f = self.fields
        if self._overflows(field, f.text_height(field, description), indent):
            self.continued.append((field, question))
        if field.kind == "choice":
            return [self._tag_field(f.choice(field, tooltip, [self.x(o.label) for o in field.options.items]))]
        if field.kind == "select":
            return [self._tag_field(f.select(field, tooltip))]
        return [self._tag_field(f.text(field, tooltip, description))]

    def _tag_field(self, flowable: Flowable) -> Flowable:
        """A field with no text of its own is a Form element (its drawing an artifact); one with
        option labels a P, in which each widget's Form follows the label it answers to."""
        pieces = getattr(flowable, "pieces", None)
        if isinstance(flowable, TextBox) or (pieces is not None and not any(isinstance(p, LabelPiece) for p in pieces)):
            return group(flowable, self.tags.child("Form"))
        return tag(flowable, self.tags.para())

    def _FieldItem(self, block: d.FieldItem) -> list[Flowable]:
        label = [self.p(block.label, "field_label")]
        if block.hint:
            label.append(self.p(block.hint, "field_hint"))
        field = block.field
        flowables = self._field_flowables(field, field.title_with_pages(self.page_numbers.page_of), question=block.label)
        if markup.page_references(field.spec.label):  # the title names a page: set before each pass
            self.page_numbers.on_change(lambda: _retitle(flowables, field.title_with_pages(self.page_numbers.page_of)))
        return [KeepTogether(label + flowables)]

    def _QuestionBlock(self, block: d.QuestionBlock) -> list[Flowable]:
        s, f = self.styles, self.fields
        question_plain = markup.plain(block.text)
        if block.is_part:
            head = [tag(self.para(lambda: f"<b>{escape(block.marker)}</b> {self.x(block.text)}",
                                  s["question"].clone("part", spaceBefore=s.pt("spacing.question_before_pt"))),
                        self.tags.para())]
        else:
            head = [self.p(block.marker, "question_marker"), self.p(block.text, "question")]
        if block.note:  # prefilled guide: a question the unit should look at again
            note = self.tags.child("Div")
            head += [Spacer(0, s.pt("spacing.paragraph_after_pt")),
                     group(Panel([self.p(block.note, "revisit", self.tags.para(parent=note))],
                                 s.color("colors.revisit_background"), s.pt("spacing.tip_padding_pt")), note)]
        part_indent = s.mm("spacing.part_indent_mm")
        row, below = [], []
        for field in block.fields:
            tooltip = self.model.label("field_title", owner=field.title, label=question_plain)
            if field.kind == "choice" and f.options_fit_one_row(field):
                row += f.radio_pieces(field, tooltip)
            elif field.kind == "select":
                row += [f.gap(s.mm("pdf.fields.status_gap_mm")), f.label_piece(field.spec.label), f.gap(f.widgets.label_gap),
                        f.combo_piece(field, tooltip)]
            else:
                below += [self.p(field.spec.label, "field_label"),
                          *self._field_flowables(field, tooltip, True, block.text,
                                                 part_indent if block.is_part else 0.0)]
        if row:
            head.append(Spacer(0, s.pt("spacing.field_after_pt")))
            head.append(self._tag_field(FieldRow(row, s.pt("spacing.field_after_pt"))))
        if block.tip:
            below += self._tip(block.tip)
        kept = KeepTogether(head + below)  # a question never leaves its fields or tip behind
        if not block.is_part:
            return [kept]
        return [Indenter(left=part_indent), kept, Indenter(left=-part_indent)]

    def _AnswerRecord(self, block: d.AnswerRecord) -> list[Flowable]:
        """An earlier answer to a question this version dropped (prefill appendix): plain text."""
        return [KeepTogether([self.p(block.title, "summary_name"), self.p(block.text, "question"),
                              *(self.p(line, "body") for line in block.lines)])]

    def _tip(self, tip: tuple[str, ...]) -> list[Flowable]:
        s = self.styles
        label = escape(self.model.labels["tip"])
        box = self.tags.child("Div")
        paras = [tag(self.para(lambda: f"<b>{label}</b> {self.x(tip[0])}", s["tip"]), self.tags.para(parent=box))]
        paras += [self.p(text, "tip", self.tags.para(parent=box)) for text in tip[1:]]
        panel = group(Panel(paras, s.color("colors.tip_background"), s.pt("spacing.tip_padding_pt")), box)
        return [panel, Spacer(0, s.pt("spacing.paragraph_after_pt"))]

    def _ElementSummary(self, block: d.ElementSummary) -> list[Flowable]:
        s, f = self.styles, self.fields
        parts: list[Flowable] = [self.p(block.name, "summary_name"), self.p(block.statement, "statement")]
        selects = []
        for field in block.fields:
            if field.kind == "select":
                selects.append(field)
                continue
            parts += [self.p(field.spec.label, "field_label"),
                      *self._field_flowables(field, field.title, question=block.statement)]
        for field in selects:
            parts.append(self._tag_field(FieldRow([f.label_piece(field.spec.label), f.gap(f.widgets.label_gap),
                                                   f.combo_piece(field, field.title)], s.pt("spacing.field_after_pt"))))
        return [KeepTogether(parts)]
