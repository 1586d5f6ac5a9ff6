"""Walk the format-neutral block sequence (document.build_document) and turn each block into HTML.

The blocks keep their order; each lands in one landmark of the page: the title and notice in the
banner, the table of contents in its navigation, the guide in ``main`` and the back cover in the
content info. Footnote texts follow their section, as in the PDF.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from lovande_docs import document as d
from lovande_docs import markup
from lovande_docs.fields import FieldDef
from lovande_docs.layout import Layout
from lovande_docs.model import Model
from lovande_docs.render.html import controls
from lovande_docs.render.html.inline import Inline


@dataclass
class Parts:
    """The page's landmarks, each a list of HTML pieces in reading order."""

    header: list[str] = field(default_factory=list)
    nav: list[str] = field(default_factory=list)
    main: list[str] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)


class HtmlBuilder:
    def __init__(self, model: Model, layout: Layout, ui: dict):
        self.model, self.layout, self.ui = model, layout, ui
        self.inline = Inline(model, ui)
        self.rows = {"description": int(layout.number("html.description_rows")),
                     "text": int(layout.number("html.text_rows"))}

    def h(self, text: str) -> str:
        return self.inline.html(text)

    def p(self, text: str, css: str) -> str:
        return f'<p class="{css}">{self.h(text)}</p>'

    def build(self, blocks: tuple[d.Block, ...]) -> Parts:
        parts = Parts()
        for block in blocks:
            if isinstance(block, (d.TitlePage, d.NoticePage)):
                target = parts.header
            elif isinstance(block, d.TableOfContents):
                target = parts.nav
            elif isinstance(block, d.BackCover):
                parts.main += self._notes()
                target = parts.footer
            else:
                target = parts.main
                if isinstance(block, d.Heading) and block.level == 1:
                    target += self._notes()
            target.append(getattr(self, "_" + type(block).__name__)(block))
        parts.main += self._notes()
        return parts

    # --- front and back matter -----------------------------------------------------------------

    def _TitlePage(self, block: d.TitlePage) -> str:
        meta = self.model.meta
        return self.p(meta.title, "title") + self.p(meta.subtitle, "subtitle")

    def _NoticePage(self, block: d.NoticePage) -> str:
        meta, model = self.model.meta, self.model
        lines = [*meta.notice, model.label("article_number", article_number=meta.article_number),
                 model.label("published", place=meta.published_place, month=meta.published_month)]
        return '<div class="notice">' + "".join(self.p(text, "small") for text in lines) + "</div>"

    def _TableOfContents(self, block: d.TableOfContents) -> str:
        out = [f'<p class="toc-heading" id="toc-heading">{escape(block.heading)}</p>']
        depth = 0
        for entry in block.entries:
            level = entry.level
            if level > depth:
                out += ['<ul class="toc">' if not depth else "<ul>"] + ["<li><ul>"] * (level - depth - 1)
            else:
                out.append("</li>")
                out += ["</ul></li>"] * (depth - level)
            depth = level
            out.append(f'<li><a href="#{entry.anchor}">{escape(markup.plain(entry.text))}</a>')
        out += ["</li></ul>"] * depth
        return "".join(out)

    def _BackCover(self, block: d.BackCover) -> str:
        return "".join(self.p(line, "small") for line in block.lines)

    # --- text ------------------------------------------------------------------------------------

    def _Heading(self, block: d.Heading) -> str:
        return f'<h{block.level} id="{block.anchor}" class="{block.kind}">{self.h(block.text)}</h{block.level}>'

    def _Para(self, block: d.Para) -> str:
        return self.p(block.text, block.role)

    def _bullets(self, items) -> str:
        return "<ul>" + "".join(f"<li>{self.h(item)}</li>" for item in items) + "</ul>"

    def _BulletList(self, block: d.BulletList) -> str:
        return self._bullets(block.items)

    def _BoxBlock(self, block: d.BoxBlock) -> str:
        body = "".join(self.p(text, "body") for text in block.paragraphs)
        bullets = self._bullets(block.bullets) if block.bullets else ""
        return f'<div class="box">{self.p(block.title, "box-title")}{body}{bullets}</div>'

    def _notes(self) -> list[str]:
        notes = self.inline.take_notes()
        if not notes:
            return []
        items = "".join(f'<li id="{anchor}" value="{number}">{text}</li>' for anchor, number, text in notes)
        return [f'<div class="notes"><p class="vh">{escape(self.ui["footnotes"])}</p><ol>{items}</ol></div>']

    # --- figures and navigation --------------------------------------------------------------------

    def _ModelMap(self, block: d.ModelMap) -> str:
        out = ['<ul class="model-map">']
        for index, category in enumerate(block.categories, start=1):
            elements = "".join(f'<li><a href="#{e.anchor}">{escape(markup.plain(e.label))}</a></li>'
                               for e in category.elements)
            out.append(f'<li class="cat-{index}"><a class="category" href="#{category.anchor}">'
                       f'{escape(markup.plain(category.label))}</a><ul>{elements}</ul></li>')
        return "".join(out) + "</ul>"

    def _ElementStripLegend(self, block: d.ElementStripLegend) -> str:
        # an illustration the text around it explains, as in the PDF (an artifact there)
        numbers = "".join(f'<span class="box">{n}</span>' for n in range(1, block.count + 1))
        return f'<div class="strip legend" aria-hidden="true"><span class="home">⌂</span>{numbers}</div>'

    def _ElementStart(self, block: d.ElementStart) -> str:
        links = []
        for number, (anchor, name) in enumerate(zip(block.strip_anchors, block.strip_names), start=1):
            current = ' aria-current="location" class="current"' if number == block.number else ""
            links.append(f'<li><a href="#{anchor}"{current}><span class="vh">{escape(name)}</span>'
                         f'<span aria-hidden="true">{number}</span></a></li>')
        return (f'<nav class="strip" aria-label="{escape(block.strip_label)}">'
                f'<a class="home" href="#{block.home_anchor}">{escape(block.home_label)}</a>'
                f'<ol>{"".join(links)}</ol><p class="small">{escape(block.strip_label)}</p></nav>')

    def _ElementEnd(self, block: d.ElementEnd) -> str:
        return ""

    # --- questions and fields ------------------------------------------------------------------------

    def _tip(self, tip: tuple[str, ...]) -> str:
        if not tip:
            return ""
        label = escape(self.model.labels["tip"])
        first = f'<p><strong>{label}</strong> {self.h(tip[0])}</p>'
        return '<div class="tip">' + first + "".join(f"<p>{self.h(t)}</p>" for t in tip[1:]) + "</div>"

    def _controls(self, fields: tuple[FieldDef, ...], rows: str) -> str:
        out = []
        for definition in fields:
            label = self.h(definition.spec.label)
            if definition.kind == "choice":
                out.append(controls.radios(definition, self.h, self.ui["unanswered"]))
            else:
                out.append(controls.labelled(definition, label, self.rows[rows]))
        return "".join(out)

    def _QuestionBlock(self, block: d.QuestionBlock) -> str:
        css = "question part" if block.is_part else "question"
        marker = f'<span class="marker">{escape(block.marker)}</span> '
        note = f'<p class="revisit">{self.h(block.note)}</p>' if block.note else ""
        if not block.fields:  # a question with parts: a heading for them
            return (f'<div class="question-head"><p class="marker">{escape(block.marker)}</p>'
                    f'{self.p(block.text, "question-text")}{self._tip(block.tip)}</div>')
        owner = block.numbered.question.id
        return (f'<fieldset class="{css}" id="q-{owner}" data-question="{owner}">'
                f'<legend>{marker}<span class="question-text">{self.h(block.text)}</span></legend>'
                f'{note}{self._controls(block.fields, "description")}{self._tip(block.tip)}</fieldset>')

    def _ElementSummary(self, block: d.ElementSummary) -> str:
        return (f'<fieldset class="summary" id="s-{block.element.id}"><legend>{escape(block.name)}</legend>'
                f'{self.p(block.statement, "statement")}{self._controls(block.fields, "text")}</fieldset>')

    def _FieldItem(self, block: d.FieldItem) -> str:
        definition = block.field
        hint = self.h(block.hint) if block.hint else None
        if definition.kind == "choice":
            hint_html = f'<p class="hint">{hint}</p>' if hint else ""
            return (f'<fieldset class="item" id="f-{definition.name}"><legend>{self.h(block.label)}</legend>'
                    f'{hint_html}{controls.radios(definition, self.h, self.ui["unanswered"])}</fieldset>')
        return controls.labelled(definition, self.h(block.label), self.rows["text"], hint)

    def _AnswerRecord(self, block: d.AnswerRecord) -> str:
        lines = "".join(self.p(line, "body") for line in block.lines)
        return f'<div class="record">{self.p(block.title, "record-title")}{self.p(block.text, "question-text")}{lines}</div>'
