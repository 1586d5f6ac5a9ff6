"""Answers files (``lovande-answers/1`` JSON), as the web edition's "Spara som fil" saves them.

Such a file is read like any filled form: checked against the published schema, its values taken
field by field (by the shared field names) into a RawForm, and interpreted by the same rules as
Word's and PDF's values (readers/interpret.py): options checked, problems found afresh, the model
resolved from the identity the file names. The problems and ``known`` the file itself states are
not trusted; they are worked out again.
"""
from __future__ import annotations

import json
from functools import lru_cache

from lovande_docs import fields as field_ids
from lovande_docs import identity as ids
from lovande_docs.answers import SCHEMA, slot
from lovande_docs.paths import SCHEMAS_DIR
from lovande_docs.readers.interpret import RawForm, RawValue, resolve_model
from lovande_docs.readers.registry import Registry, load_registry
from lovande_docs.readers.safety import ReadError

SCHEMA_FILE = SCHEMAS_DIR / "lovande-answers-1.schema.json"
FORMAT = "html"  # the edition the answers were entered in (docs/answers-format.md)


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def _document(data: bytes) -> dict:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ReadError("damaged answers file: the text is not UTF-8") from None
    except json.JSONDecodeError as error:
        raise ReadError(f"damaged answers file: not valid JSON (line {error.lineno}, column {error.colno}: "
                        f"{error.msg})") from None
    except RecursionError:
        raise ReadError("damaged answers file: JSON nested too deeply") from None
    if isinstance(doc, list):
        if not all(isinstance(item, dict) and item.get("schema") == SCHEMA for item in doc[:1]):
            raise ReadError(f"a JSON file, but not answers in the {SCHEMA} format (see docs/answers-format.md)")
        if len(doc) != 1:
            raise ReadError(f"an answers file with {len(doc)} forms; give each form's answers in a file of its own")
        doc = doc[0]
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise ReadError(f"a JSON file, but not answers in the {SCHEMA} format (see docs/answers-format.md)")
    error = next(iter(sorted(_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the top level"
        raise ReadError(f"answers file not in the {SCHEMA} format: at {where}: {error.message[:200]}")
    return doc


def read_answers_file(data: bytes, registry: Registry | None = None) -> RawForm:
    doc = _document(data)
    stated = doc["model"]
    identity = {key: stated[name] for key, name in ((ids.MODEL_ID, "id"), (ids.MODEL_VERSION, "version"),
                                                     (ids.CONTENT_HASH, "content_hash"), (ids.GENERATOR, "generator"))
                if stated.get(name)}
    model, _, _ = resolve_model(identity, registry or load_registry())
    values: dict[str, RawValue] = {}
    for definition in field_ids.all_fields(model):
        part, owner = slot(definition, model)
        found = doc[part] if owner is None else doc[part].get(owner)
        if not isinstance(found, dict) or definition.key not in found:
            continue  # missing: interpret reports it
        value = found[definition.key]
        values[definition.name] = RawValue(text=value, codes=(value,) if value is not None else ())
    return RawForm(FORMAT, identity, values)
