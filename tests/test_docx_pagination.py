"""Page breaks in the Word edition keep each support question, box, element summary and field
whole (issue #20).

Measured on LibreOffice's layout of the built .docx (tests/page_groups.py says what a group and a
split are); the keep properties that make it so are checked on the XML too, for Word's layout.
"""
from __future__ import annotations

import re
import zipfile

from lxml import etree

from lovande_docs.document import BoxBlock, ElementSummary, FieldItem, QuestionBlock, build_document
from page_groups import group_pages, groups, pages_of_groups

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_no_question_or_box_is_split_in_libreoffice(model, libreoffice_pdf_of_docx):
    found = group_pages(model, libreoffice_pdf_of_docx)
    blocks = build_document(model)
    questions = sum(1 for b in blocks if isinstance(b, QuestionBlock) and b.fields)
    others = sum(1 for b in blocks if isinstance(b, (BoxBlock, ElementSummary, FieldItem)))
    assert len(found) == questions + others
    split = [(group.name, pages) for group, pages in found if len(pages) > 1]
    assert split == []


def test_the_measurement_sees_a_tip_on_the_next_page(model):
    """The same measurement on made-up pages: a question whose tip moved on is reported split."""
    pages = [_sample_text(g) for g in groups(model, placeholders=False)]
    whole = pages_of_groups(model, ["\n".join(pages)])
    assert all(len(p) == 1 for _, p in whole)
    first_question = next(i for i, g in enumerate(groups(model, placeholders=False)) if g.name.startswith("Stödfråga"))
    head, tail = pages[first_question].rsplit("Tips:", 1)
    moved = ["\n".join(pages[:first_question] + [head]), "\n".join(["Tips:" + tail] + pages[first_question + 1:])]
    split = [(g.name, p) for g, p in pages_of_groups(model, moved) if len(p) > 1]
    assert split == [(groups(model, placeholders=False)[first_question].name, (1, 2))]


def _sample_text(group) -> str:
    """Text that each of the group's markers matches: the regex's literal words."""
    out = []
    for pattern in group.markers:
        literal = pattern.pattern.replace(r"(?<!\w)", "").replace(r"(?!\w)", "")
        literal = literal.replace(r"(?:\s|•)+", " ").replace(r"\d*", "").replace(r"\d+", "7")
        out.append(re.sub(r"\\(.)", r"\1", literal))
    return "\n".join(out)


def test_every_paragraph_of_a_question_but_the_last_keeps_with_the_next(built_docx):
    """Word honours the same properties: a question is a chain of keep-with-next paragraphs that
    keep their lines, ending with its last (the tip's) paragraph."""
    root = etree.fromstring(zipfile.ZipFile(built_docx).read("word/document.xml"))
    body = root.find(f"{{{W}}}body")
    paragraphs = list(body.iter(f"{{{W}}}p"))
    style = lambda p: p.find(f"{{{W}}}pPr/{{{W}}}pStyle").get(f"{{{W}}}val") if p.find(f"{{{W}}}pPr/{{{W}}}pStyle") is not None else None  # noqa: E731
    has = lambda p, name: p.find(f"{{{W}}}pPr/{{{W}}}{name}") is not None  # noqa: E731

    def keeps(p) -> bool:
        keep = p.find(f"{{{W}}}pPr/{{{W}}}keepNext")
        return keep is not None and keep.get(f"{{{W}}}val") not in ("0", "false", "off")
    checked = 0
    for index, paragraph in enumerate(paragraphs):
        if style(paragraph) != "QuestionMarker":
            continue
        group = [paragraph]
        for after in paragraphs[index + 1:]:
            if style(after) in ("QuestionMarker", "Heading1", "Heading2", "Heading3"):
                break
            group.append(after)
        chain = group[: next(i for i, p in enumerate(group) if not keeps(p)) + 1]
        assert style(chain[-1]) in ("Tip", "FieldEnd"), [style(p) for p in group]
        # the end says so itself: a style's keep-with-next would chain it to the next group
        assert chain[-1].find(f"{{{W}}}pPr/{{{W}}}keepNext").get(f"{{{W}}}val") == "0"
        assert all(has(p, "keepLines") for p in chain)
        checked += 1
    assert checked >= 40
