"""Fillers: write answers into a freshly built guide as a user would (tick, choose, type).

Used by the round-trip tests and by prefill (carrying a unit's answers into a new version).
Answers come in the answers structure (``FormAnswers.to_dict()`` or the same shape by hand);
only fields the target model defines are written, matched by name.
"""
from __future__ import annotations

from typing import Any

from lovande_docs import fields as field_ids
from lovande_docs.model import Model


def field_values(answers: dict[str, Any], model: Model) -> dict[str, str | None]:
    """The answers structure → {field name: value} for every field of ``model`` that has a value."""
    section_ids = {s.id for s in model.sections}
    values: dict[str, str | None] = {}
    for definition in field_ids.all_fields(model):
        if definition.owner_kind == "question":
            value = answers.get("questions", {}).get(definition.owner_id, {}).get(definition.key)
        elif definition.owner_kind == "element":
            value = answers.get("elements", {}).get(definition.owner_id, {}).get(definition.key)
        elif definition.owner_id in section_ids:
            value = answers.get("practice", {}).get(definition.key)
        else:
            value = answers.get("assessment", {}).get(definition.key)
        if value is not None:
            values[definition.name] = value
    return values
