"""What the page's script needs to know about the model, as JSON inside the page.

The script builds the same answers structure ``lovande parse`` writes, so it is told every field
in the order the readers place them (fields.all_fields), where each value goes (answers.slot),
the model's identity, and the page's own words (labels.yaml).
"""
from __future__ import annotations

import json

from lovande_docs import fields as field_ids
from lovande_docs import identity as ids
from lovande_docs.answers import SCHEMA, slot
from lovande_docs.document import anchor_name, element_names
from lovande_docs.model import Model


def page_data(model: Model, ui: dict) -> dict:
    identity = ids.identity(model)
    fields = []
    for definition in field_ids.all_fields(model):
        part, owner = slot(definition, model)
        fields.append({"name": definition.name, "part": part, "owner": owner, "key": definition.key,
                       "kind": definition.kind,
                       "options": list(definition.options.codes) if definition.options else None})
    choice = next(f.key for f in model.question_fields if f.kind == "choice")
    questions = [{"id": n.question.id, "element": n.element.id,
                  "title": model.label("question_title", element=n.element_number, number=n.number),
                  "answer": field_ids.field_name(n.question.id, choice),
                  "texts": [field_ids.field_name(n.question.id, f.key) for f in model.question_fields
                            if f.kind == "text"]}
                 for n in model.numbered_questions()]
    elements = [{"id": e.id, "name": name, "anchor": f"#{anchor_name(e.id)}"}
                for e, name in zip(model.elements, element_names(model))]
    return {"schema": SCHEMA,
            "model": {"id": model.id, "version": model.version, "content_hash": model.content_hash,
                      "generator": identity[ids.GENERATOR]},
            "fields": fields, "questions": questions, "elements": elements, "labels": ui}


def data_script(model: Model, ui: dict) -> str:
    """The JSON as a non-executed script element (the CSP does not apply to data); ``</`` is escaped."""
    text = json.dumps(page_data(model, ui), ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/json" id="lovande-data">{text}</script>'
