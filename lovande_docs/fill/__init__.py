"""Fillers: write answers into a freshly built guide as a user would (tick, choose, type).

Used by the round-trip tests and by prefill (carrying a unit's answers into a new version).
Answers come in the answers structure (``FormAnswers.to_dict()`` or the same shape by hand);
only fields the target model defines are written, matched by name.
"""
from __future__ import annotations

from typing import Any

from lovande_docs import fields as field_ids
from lovande_docs.answers import lookup
from lovande_docs.model import Model


def field_values(answers: dict[str, Any], model: Model) -> dict[str, str | None]:
    """The answers structure → {field name: value} for every field of ``model`` that has a value."""
    values: dict[str, str | None] = {}
    for definition in field_ids.all_fields(model):
        value = lookup(answers, definition, model)
        if value is not None:
            values[definition.name] = value
    return values


def write_prefilled(fmt: str, model: Model, layout, target, plan) -> None:
    """Build the guide in ``fmt`` with the plan's notes and appendix, then fill in its values."""
    import tempfile
    from pathlib import Path

    from lovande_docs.render import renderer

    with tempfile.TemporaryDirectory(prefix="lovande-prefill-") as work:
        blank = Path(work) / f"blank.{fmt}"
        if fmt == "pdf":  # the PDF's boxes have a fixed size: long answers continue at the end
            renderer(fmt)(model, layout, blank, plan.revisions, answers=plan.values)
            FILLERS[fmt](blank, plan.values, Path(target), model, layout=layout)
        else:
            renderer(fmt)(model, layout, blank, plan.revisions)
            FILLERS[fmt](blank, plan.values, Path(target), model)


from lovande_docs.fill.docx import fill_docx  # noqa: E402  (the submodules import nothing from here)
from lovande_docs.fill.html import fill_html  # noqa: E402
from lovande_docs.fill.pdf import fill_pdf  # noqa: E402

# format → filler(template, values, target, model, ticks=None)
FILLERS = {"docx": fill_docx, "pdf": fill_pdf, "html": fill_html}
