"""Walks over the model in reading order, for checks and numbering that need every text."""
from __future__ import annotations

from typing import Iterator

from lovande_docs import markup
from lovande_docs.model.types import Box, Bullets, FieldBlock, Model, Paragraph, Question, Quote


def _block_texts(blocks) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, (Paragraph, Quote)):
            yield block.text
        elif isinstance(block, Bullets):
            yield from block.items
        elif isinstance(block, Box):
            yield block.title
            yield from block.paragraphs
            yield from block.bullets
        elif isinstance(block, FieldBlock):
            yield block.field.label
            if block.field.hint:
                yield block.field.hint


def _question_texts(question: Question) -> Iterator[str]:
    yield question.text
    yield from question.tip
    for part in question.parts:
        yield from _question_texts(part)


def texts_in_order(model: Model) -> Iterator[str]:
    """Every markup text of the guide's body, in the order a reader meets it."""
    for section in model.sections:
        yield section.heading
        yield from _block_texts(section.blocks)
    for category in model.categories:
        yield category.title
        yield from category.intro
        yield category.describe_heading
        yield from category.describe_text
        for element in category.elements:
            yield element.title
            yield element.lead
            yield from element.body
            yield from element.questions_intro
            for question in element.questions:
                yield from _question_texts(question)
    summary = model.summary
    yield summary.heading
    yield from _block_texts(summary.blocks)
    yield summary.overview.heading
    for element in model.elements:
        yield element.summary_statement
    yield summary.assessment.heading
    yield from _block_texts(summary.assessment.blocks)


def footnote_references(model: Model) -> Iterator[str]:
    for text in texts_in_order(model):
        yield from markup.footnote_ids(text)
