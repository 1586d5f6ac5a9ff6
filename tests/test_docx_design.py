"""The Word edition looks like the PDF edition (issue #20): the same design points, from the layout."""
from __future__ import annotations

import struct
import zipfile

from lxml import etree

from lovande_docs import markup
from lovande_docs.document import ElementStart, build_document
from lovande_docs.render import house

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture"}


def _part(path, name: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(path).read(name))


def test_house_symbol_is_a_picture_with_alt_text_linked_home_on_every_element_page(model, built_docx):
    """The text says "Klicka på hussymbolen": the house stands in the legend under the model
    figure and, as a link to the model page, on every element's first page, as in the PDF."""
    document = _part(built_docx, "word/document.xml")
    rels = _part(built_docx, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    drawings = document.findall(".//w:drawing", NS)
    home = model.labels["home_link"]
    assert drawings and all(d.find(".//wp:docPr", NS).get("descr") == home for d in drawings)
    assert {targets[d.find(".//a:blip", NS).get(f"{{{NS['r']}}}embed")] for d in drawings} == {"media/house.png"}
    starts = [b for b in build_document(model) if isinstance(b, ElementStart)]
    linked = [d for d in drawings if any(a.tag == f"{{{NS['w']}}}hyperlink" for a in d.iterancestors())]
    assert len(linked) == len(starts)
    assert {next(a for a in d.iterancestors() if a.tag == f"{{{NS['w']}}}hyperlink").get(f"{{{NS['w']}}}anchor")
            for d in linked} == {starts[0].home_anchor}
    assert len(drawings) == len(starts) + 1  # and the legend's
    ids = [d.find(".//wp:docPr", NS).get("id") for d in drawings]
    assert len(set(ids)) == len(ids)
    png = zipfile.ZipFile(built_docx).read("word/media/house.png")
    assert png.startswith(b"\x89PNG") and struct.unpack(">II", png[16:24]) == (64, 64)


def test_house_png_draws_the_shared_outline():
    """Ink where the shared outline has it (roof, walls), none in the door or beside the roof."""
    data = house.png(16, "00305E")
    assert data == house.png(16, "00305E")
    assert house.covers(0.5, 0.9) and house.covers(0.2, 0.2)
    assert not house.covers(0.5, 0.1) and not house.covers(0.05, 0.9)


def _sections(path) -> list[tuple[etree._Element, str, str, str]]:
    """Every section: its sectPr, its text, and its header's and footer's part names."""
    archive = zipfile.ZipFile(path)
    document = _part(path, "word/document.xml")
    targets = {r.get("Id"): r.get("Target") for r in _part(path, "word/_rels/document.xml.rels")}
    body = document.find("w:body", NS)
    out, texts = [], []
    for p in body:
        texts.append("".join(p.itertext()))
        sect = p if p.tag == f"{{{NS['w']}}}sectPr" else p.find("w:pPr/w:sectPr", NS)
        if sect is not None:
            refs = {ref.tag.split("}")[1]: "word/" + targets[ref.get(f"{{{NS['r']}}}id")] for ref in sect
                    if ref.tag.endswith("Reference") and ref.get(f"{{{NS['w']}}}type") == "default"}
            out.append((sect, " ".join(texts), archive.read(refs["headerReference"]).decode(),
                        archive.read(refs["footerReference"]).decode()))
            texts = []
    return out


def test_covers_and_colophon_are_sections_without_running_header_or_page_number(model, layout, built_docx):
    """As in the PDF: the title page and the back cover show the band and nothing else at the top,
    the colophon stands alone; no page number on any of them, a page number on every other page."""
    sections = _sections(built_docx)
    title, colophon, *running, back = sections
    band = f'w:fill="{layout.color("colors.heading")}"'
    assert model.meta.title in title[1] and band in title[2]
    assert model.meta.notice[0][:30] in colophon[1] and "<w:t>" not in colophon[2]
    assert all(line[:20] in back[1] for line in model.meta.back_cover) and band in back[2]
    for section in (title, colophon, back):
        assert "PAGE" not in section[3] and "<w:t>" not in section[3]
        assert section[0].find("w:titlePg", NS) is None  # one header for the whole section
    assert running and all("PAGE" in s[3] and model.meta.title in s[2] for s in running)


def test_colophon_and_back_cover_stand_at_the_foot_of_the_page(model, built_docx):
    document = _part(built_docx, "word/document.xml")
    framed = ["".join(p.itertext()) for p in document.iter(f"{{{NS['w']}}}p")
              if p.find("w:pPr/w:framePr[@w:yAlign='bottom']", NS) is not None]
    assert framed[: len(model.meta.notice)] == [markup.plain(t) for t in model.meta.notice]
    assert framed[-len(model.meta.back_cover):] == list(model.meta.back_cover)


def _style(path, style_id: str) -> etree._Element:
    return _part(path, "word/styles.xml").find(f"w:style[@w:styleId='{style_id}']", NS)


def _attr(node, path: str, name: str = "val"):
    found = node.find(path, NS)
    return None if found is None else found.get(f"{{{NS['w']}}}{name}")


def test_lead_quote_and_intro_paragraphs_use_the_pdf_edition_values(layout, built_docx):
    """The element's lead, the pull-quote and the intro are set as the PDF sets them (styles.py of
    render/pdf): lead regular in the heading colour at type.lead_pt; quote italic, accent colour,
    type.question_pt, indented spacing.quote_indent_mm on both sides, not centred; intro plain."""
    lead = _style(built_docx, "Lead")
    assert _attr(lead, "w:rPr/w:sz") == str(round(layout.number("type.lead_pt") * 2))
    assert _attr(lead, "w:rPr/w:color") == layout.color("colors.heading")
    assert lead.find("w:rPr/w:b", NS) is None
    quote = _style(built_docx, "Quote")
    assert _attr(quote, "w:rPr/w:sz") == str(round(layout.number("type.question_pt") * 2))
    assert quote.find("w:rPr/w:i", NS) is not None and _attr(quote, "w:rPr/w:color") == layout.color("colors.accent")
    indent = str(round(layout.number("spacing.quote_indent_mm") * 1440 / 25.4))
    assert _attr(quote, "w:pPr/w:ind", "left") == _attr(quote, "w:pPr/w:ind", "right") == indent
    assert _attr(quote, "w:pPr/w:spacing", "after") == str(round(layout.number("spacing.quote_after_pt") * 20))
    assert quote.find("w:pPr/w:jc", NS) is None
    assert _style(built_docx, "Intro").find("w:rPr", NS) is None


def test_element_summaries_are_set_as_in_the_pdf_and_cannot_break(model, layout, built_docx):
    """Name and statement, then the labelled field boxes and the status row, with no table lines:
    what the PDF prints. The two rows cannot break across pages and the first keeps with the
    second, so a summary stays on one page in Word and LibreOffice alike."""
    from lovande_docs.document import ElementSummary

    document = _part(built_docx, "word/document.xml")
    summaries = [b for b in build_document(model) if isinstance(b, ElementSummary)]
    tables = [t for t in document.iter(f"{{{NS['w']}}}tbl") if t.find("w:tblPr/w:tblCaption", NS) is not None]
    assert len(tables) == len(summaries)
    for table, block in zip(tables, summaries):
        assert {_attr(b, ".") for b in table.find("w:tblPr/w:tblBorders", NS)} == {"nil"}
        rows = table.findall("w:tr", NS)
        assert len(rows) == 2 and all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
        head = rows[0].findall(".//w:p", NS)
        assert [_attr(p, "w:pPr/w:pStyle") for p in head] == ["SummaryName", "Statement"]
        assert all(p.find("w:pPr/w:keepNext", NS) is not None for p in head)
        framed = [p for p in rows[1].iter(f"{{{NS['w']}}}p") if p.find("w:pPr/w:pBdr", NS) is not None]
        assert framed and all(_attr(p, "w:pPr/w:pBdr/w:top", "color") == layout.color("colors.field_border")
                              for p in framed)


def test_question_marker_and_field_label_use_the_pdf_edition_values(layout, built_docx):
    """"Stödfråga N" in the heading colour; a field's label in bold body text above its box."""
    marker = _style(built_docx, "QuestionMarker")
    assert _attr(marker, "w:rPr/w:color") == layout.color("colors.heading")
    label = _style(built_docx, "FieldLabel")
    assert label.find("w:rPr/w:b", NS) is not None
    assert label.find("w:rPr/w:sz", NS) is None and label.find("w:rPr/w:color", NS) is None  # body size and colour
    assert _attr(label, "w:pPr/w:spacing", "after") == str(round(layout.number("spacing.field_label_after_pt") * 20))


def test_model_figure_elements_in_a_tint_of_their_category_as_in_the_pdf(model, layout, built_docx, built_pdf):
    """Category boxes in the category's colour, element boxes in model_map.element_tint of it with
    body-coloured text, as the PDF paints them (render/pdf/figures.py)."""
    from pypdf import PdfReader
    from reportlab.lib.rl_accel import fp_str

    from lovande_docs.render.colors import tint, tint_rgb

    share = layout.number("model_map.element_tint")
    painted = "".join(page.get_contents().get_data().decode("latin-1") for page in PdfReader(built_pdf).pages[:12])
    for color in layout.get("colors.categories"):
        assert f"{fp_str(*tint_rgb(color, share))} rg" in painted
        assert tint(color, share) == "".join(f"{round(c * 255):02X}" for c in tint_rgb(color, share))
    document = _part(built_docx, "word/document.xml")
    fills = {c.get(f"{{{NS['w']}}}fill") for c in document.iter(f"{{{NS['w']}}}shd")}
    for color in layout.get("colors.categories"):
        assert color in fills and tint(color, share) in fills
    element = next(h for h in document.iter(f"{{{NS['w']}}}hyperlink")
                   if "".join(h.itertext()) == markup_plain_first_element(model)
                   and any(a.tag == f"{{{NS['w']}}}tc" for a in h.iterancestors()))
    assert _attr(element, "w:r/w:rPr/w:color") == layout.color("colors.text")


def markup_plain_first_element(model) -> str:
    from lovande_docs import markup
    from lovande_docs.document import ModelMap

    figure = next(b for b in build_document(model) if isinstance(b, ModelMap))
    return markup.plain(figure.categories[0].elements[0].label)


def test_running_header_has_the_pdf_editions_rule(layout, built_docx):
    """A rule in the box-border colour under the running header (page.header_rule_pt), as the
    PDF draws it; the cover's band and the colophon's empty header have none."""
    sections = _sections(built_docx)
    rule = f'w:sz="{round(layout.number("page.header_rule_pt") * 8)}"'
    for _, _, header, _ in sections[2:-1]:
        bottom = etree.fromstring(header.encode()).find(".//w:pBdr/w:bottom", NS)
        assert bottom is not None and _attr(bottom, ".", "color") == layout.color("colors.box_border")
        assert rule in header
    for _, _, header, _ in (sections[0], sections[1], sections[-1]):
        assert "w:bottom" not in header


def test_tip_is_a_panel_in_the_tip_colour_as_in_the_pdf(layout, built_docx):
    """No accent rule: a fill across the text column, its text spacing.tip_padding_pt in from the
    sides, no space between a tip's own paragraphs, the body's paragraph space after it."""
    tip = _style(built_docx, "Tip")
    fill = layout.color("colors.tip_background")
    assert _attr(tip, "w:pPr/w:shd", "fill") == fill
    sides = tip.find("w:pPr/w:pBdr", NS)
    assert [s.tag.split("}")[1] for s in sides] == ["left", "right"]
    assert {_attr(s, ".", "color") for s in sides} == {fill}
    assert {_attr(s, ".", "space") for s in sides} == {str(round(layout.number("spacing.tip_padding_pt")))}
    assert tip.find("w:pPr/w:contextualSpacing", NS) is not None
    assert _attr(tip, "w:pPr/w:spacing", "after") == str(round(layout.number("spacing.paragraph_after_pt") * 20))
    assert _style(built_docx, "TipLabel").find("w:rPr/w:color", NS) is None  # the tip's own colour


def test_parts_of_a_question_stand_apart_and_indented_as_in_the_pdf(model, layout, built_docx):
    from lovande_docs.document import QuestionBlock

    parts = [b for b in build_document(model) if isinstance(b, QuestionBlock) and b.is_part]
    document = _part(built_docx, "word/document.xml")
    before = str(round(layout.number("spacing.question_before_pt") * 20))
    starts = [p for p in document.iter(f"{{{NS['w']}}}p") if _attr(p, "w:pPr/w:pStyle") == "QuestionText"
              and "".join(p.itertext()).startswith(tuple(f"{b.marker} " for b in parts))]
    assert len(starts) == len(parts) and all(_attr(p, "w:pPr/w:spacing", "before") == before for p in starts)
    indent = str(round(layout.number("spacing.part_indent_mm") * 1440 / 25.4))
    assert all(_attr(p, "w:pPr/w:ind", "left") == indent for p in starts)  # indented with its fields, as in the PDF
    tips = [p for p in document.iter(f"{{{NS['w']}}}p") if _attr(p, "w:pPr/w:pStyle") == "Tip"]
    assert sum(1 for p in tips if _attr(p, "w:pPr/w:ind", "left") is not None) >= len(parts)


def test_contents_levels_use_the_shared_toc_values(layout, built_docx):
    """Sizes, space after and indent of each contents level come from the layout's shared toc
    values, which the PDF's styles read too; level 1 bold."""
    for n in (1, 2, 3):
        style = _style(built_docx, f"TOC{n}")
        assert _attr(style, "w:rPr/w:sz") == str(round(float(layout.get("toc.level_pt")[n - 1]) * 2))
        assert _attr(style, "w:pPr/w:spacing", "after") == str(round(float(layout.get("toc.after_pt")[n - 1]) * 20))
        assert _attr(style, "w:pPr/w:ind", "left") == str(round(layout.number("toc.indent_mm") * (n - 1) * 1440 / 25.4))
        assert (style.find("w:rPr/w:b", NS) is not None) is (n == 1)


def test_title_stands_where_the_pdf_puts_it(layout, built_docx):
    title = _style(built_docx, "Title")
    assert _attr(title, "w:pPr/w:spacing", "before") == str(round(layout.number("cover.title_top_mm") * 1440 / 25.4))
    assert _attr(title, "w:pPr/w:spacing", "after") == str(round(layout.number("cover.title_after_pt") * 20))


def test_navigation_row_as_in_the_pdf(model, layout, built_docx):
    """One row per element page: the house with "Tillbaka till modellen" (one link home), the
    boxes 1–11 of strip.box_mm with the current one marked, then "Element N av 11"."""
    W = f"{{{NS['w']}}}"
    document = _part(built_docx, "word/document.xml")
    starts = [b for b in build_document(model) if isinstance(b, ElementStart)]
    rows = [t for t in document.iter(f"{W}tbl") if t.find(".//w:drawing", NS) is not None]
    assert len(rows) == len(starts) + 1  # and the legend under the model figure
    box = str(round(layout.number("strip.box_mm") * 1440 / 25.4))
    for table, start in zip(rows[1:], starts):
        assert len(table.findall("w:tr", NS)) == 1
        links = list(table.iter(f"{W}hyperlink"))
        home = links[0]
        assert home.get(f"{W}anchor") == start.home_anchor and home.find(".//w:drawing", NS) is not None
        assert "".join(home.itertext()).strip() == start.home_label
        assert ["".join(h.itertext()) for h in links[1:]] == [str(n) for n in range(1, start.count + 1)]
        cells = [h for h in (next(a for a in link.iterancestors() if a.tag == f"{W}tc") for link in links[1:])]
        assert {_attr(c, "w:tcPr/w:tcW", "w") for c in cells} == {box}
        fills = [_attr(c, "w:tcPr/w:shd", "fill") for c in cells]
        assert fills[start.number - 1] == layout.color("colors.strip_current")
        assert fills.count(layout.color("colors.strip_other")) == start.count - 1
        assert "".join(table.findall("w:tr/w:tc", NS)[-1].itertext()) == start.strip_label
