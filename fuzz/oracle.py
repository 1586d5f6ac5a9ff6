"""The oracle for "silent wrong data": a mutant's answers against the unmutated seed's.

A field whose value differs from the seed's is judged as follows (docs in fuzz/README.md):

- a problem names the field, or a problem of kind ``damaged_value`` names no field (the form's
  data is damaged where answers are stored; some may be missing) → ``flagged`` (reported, fine);
- the step re-encoded the value another valid way (``equivalent``) → it must read the same:
  otherwise ``silent_wrong``;
- the step made the value invalid (``damaged``) → it must be flagged or read as the seed's
  value: otherwise ``silent_wrong``;
- otherwise, for a field with options (choice, select): ``None`` or a valid code is a state the
  file may really hold (a flipped flag is indistinguishable from a user's click) → ``plausible``;
  anything else → ``silent_wrong`` (interpret must have reported unknown_value);
- for free text: text carrying signs of damage (U+FFFD, control characters, a printed PDF
  object such as ``{'/A': 1}`` or ``IndirectObject(``) → ``silent_wrong``; other text is what the
  mutated file says (a byte changed inside an uncompressed string is another valid text) →
  ``plausible``.
"""
from __future__ import annotations

import re
from functools import lru_cache

DAMAGE = re.compile(r"[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]|IndirectObject\(|^\{'/|^\[.*\]$|^<<|\bstream\b", re.S)
RANK = {"same": 0, "plausible": 1, "flagged": 2, "silent_wrong": 3}


@lru_cache(maxsize=4)
def _model(read_with: str):
    from lovande_docs.readers.registry import load_registry

    registry = load_registry()
    model_id, _, version = read_with.partition(" ")
    return registry.by_version(model_id, version) or registry.default


def field_values(answers: dict) -> dict[str, tuple[str, object]]:
    """{field name: (kind, value)} of one answers structure."""
    from lovande_docs import fields as field_ids
    from lovande_docs.answers import lookup

    model = _model(answers["model"]["read_with"])
    return {d.name: (d.kind, lookup(answers, d, model)) for d in field_ids.all_fields(model)}


def judge(seed: dict, answers: dict, damaged: set[str], equivalent: set[str]) -> tuple[str, list[str]]:
    """(worst class over the fields, details of the fields that are silent_wrong)."""
    from lovande_docs import fields as field_ids

    before, after = field_values(seed), field_values(answers)
    flagged = {p["field"] for p in answers["problems"] if p.get("field")}
    damaged_form = any(p["kind"] == "damaged_value" and not p.get("field") for p in answers["problems"])
    model = _model(answers["model"]["read_with"])
    options = {d.name: set(d.options.codes) for d in field_ids.all_fields(model) if d.kind in ("choice", "select")}
    worst, wrong = "same", []
    for name, (kind, value) in after.items():
        old = before.get(name, (kind, None))[1]
        if value == old:
            verdict = "same"
        elif name in flagged or damaged_form:
            verdict = "flagged"
        elif name in equivalent or name in damaged:
            verdict = "silent_wrong"
        elif name in options:
            verdict = "plausible" if value is None or value in options[name] else "silent_wrong"
        elif value is None or (isinstance(value, str) and not DAMAGE.search(value)):
            verdict = "plausible"
        else:
            verdict = "silent_wrong"
        if verdict == "silent_wrong":
            wrong.append(f"{name}: {old!r:.60} -> {value!r:.60}")
        if RANK[verdict] > RANK[worst]:
            worst = verdict
    return worst, wrong
