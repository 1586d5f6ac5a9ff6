"""The Problem sheet's Swedish words for the problems readers report.

A reader reports a problem with an English message and a code (``kind``), for ``lovande parse``
and scripts (docs/answers-format.md); what the workbook shows is Swedish. The Swedish message of
each kind is in problem_messages.yaml (data, not code), filled in from the problem's own parts —
its field, its values — and the form's model, so a cached answer of any age gets its Swedish text.
The field is shown by its title (``forandringsteori__answer`` → "Element 1, stödfråga 2 – Svar").
"""
from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path

import yaml

from lovande_docs import fields as field_ids
from lovande_docs import markup
from lovande_docs.compile.catalog import Catalog, ref
from lovande_docs.compile.labels import join_and, label
from lovande_docs.fields import FieldDef
from lovande_docs.model.located import SAFE_LOADER

MESSAGES_FILE = Path(__file__).with_name("problem_messages.yaml")
READ_ERRORS_FILE = Path(__file__).with_name("read_errors.yaml")
PLACEHOLDERS = frozenset({"field", "question", "values", "model", "read_with"})
ALWAYS = frozenset({"read_with"})  # every read form has it: the last message of a kind may use it alone


@lru_cache(maxsize=1)
def messages() -> dict[str, tuple[str, ...]]:
    """Kind → its Swedish messages, most specific first."""
    data = yaml.load(MESSAGES_FILE.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    return {kind: (value,) if isinstance(value, str) else tuple(value) for kind, value in data.items()}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def swedish(kind: str, parts: dict[str, str | None]) -> str:
    """The first of the kind's messages whose placeholders all have a value in ``parts``; a kind
    this version has no words for (a cache of a newer reader) gets a general sentence."""
    for template in messages().get(kind, ()):
        names = placeholders(template)
        if all(parts.get(name) for name in names):
            return template.format(**{name: parts[name] for name in names})
    return label("problem_messages.reader_other", kind=kind)


@lru_cache(maxsize=1)
def _read_errors() -> tuple[tuple[tuple[re.Pattern, str], ...], str]:
    data = yaml.load(READ_ERRORS_FILE.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    return tuple((re.compile(english), swedish) for english, swedish in data["reasons"]), data["fallback"]


def read_error_pattern(reason: str) -> re.Pattern | None:
    """The entry of read_errors.yaml that says ``reason`` in Swedish, or None (the fallback)."""
    return next((pattern for pattern, _ in _read_errors()[0] if pattern.match(reason)), None)


def swedish_read_error(reason: str | None) -> str:
    """Why a file could not be read, in Swedish (read_errors.yaml), from the reader's English reason."""
    reasons, fallback = _read_errors()
    for pattern, text in reasons:
        found = pattern.match(reason or "")
        if found:
            return text.format(**found.groupdict())
    return fallback


def problem_kind(kind: str) -> str:
    """The kind's short Swedish name (labels.yaml, problem_kinds)."""
    return label("problem_kinds").get(kind, kind)


class ProblemTexts:
    """Field titles and Swedish messages of reader problems, per model version the forms were read with."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._fields: dict[str, dict[str, FieldDef]] = {}

    def field(self, read_with: str | None, name: str | None) -> FieldDef | None:
        if not name:
            return None
        model = self.catalog.models.get(read_with or "") or self.catalog.latest()
        if model is None:
            return None
        key = ref(model)
        if key not in self._fields:
            self._fields[key] = field_ids.fields_by_name(model)
        return self._fields[key].get(name)

    def title(self, read_with: str | None, name: str | None) -> str | None:
        """The field's title, or its name when the model does not know it."""
        definition = self.field(read_with, name)
        return definition.title if definition else name

    def message(self, kind: str, name: str | None, values: tuple[str, ...], model_named: str | None,
                read_with: str | None) -> str:
        definition = self.field(read_with, name)
        return swedish(kind, {
            "field": definition.title if definition else name,
            "question": definition.owner_title if definition else None,
            "values": _values(definition, values),
            "model": model_named, "read_with": read_with})


def _values(definition: FieldDef | None, values: tuple[str, ...]) -> str | None:
    """Option codes as their labels ("Ja och Nej"), any other value quoted (”x”)."""
    options = definition.options if definition is not None else None
    shown = []
    for value in values:
        if options is not None and value in options.codes:
            shown.append(markup.plain(options.label_of(value)))
        else:
            shown.append(f"”{value}”")
    return join_and(shown) or None
