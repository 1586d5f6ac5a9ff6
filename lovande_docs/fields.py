"""Field identities: the one definition of how every fill-in field is named.

Both renderers (Word content-control tags, PDF field names) and both readers use these names, so a
field is the same thing in every format. A field's name is its owner's id and the field's key,
joined by ``__``: ``namngivna-teorier__answer``, ``teori-och-kunskap__status``,
``var-bedomning__datum``. In Word, where a choice is a row of checkboxes, each box is named by the
field's name and the option's code: ``namngivna-teorier__answer__ja``. Ids may not contain ``__``
or periods (PDF treats a period as a hierarchy separator), so names split back unambiguously.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterator

from lovande_docs import markup
from lovande_docs.model.types import UNSET_CODE, Element, FieldSpec, Model, NumberedQuestion, OptionList, Section

SEPARATOR = "__"


def field_name(owner_id: str, key: str) -> str:
    return f"{owner_id}{SEPARATOR}{key}"


def option_box_name(name: str, code: str) -> str:
    """The name of one checkbox of a choice field (Word renders a choice as one box per option)."""
    return f"{name}{SEPARATOR}{code}"


# The neutral first entry of a drop-down ("Välj status") has this value in Word and PDF; it reads
# back as "no answer". A PDF combo box cannot hold an empty export value (reportlab refuses it).
UNSET = UNSET_CODE

_BOOKMARK_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
BOOKMARK_MAX = 40  # Word's limit on bookmark names


def bookmark_name(name: str, prefix: str = "fld_") -> str:
    """A Word bookmark name for a field or anchor name: letters, digits, underscores, ≤ 40 chars.

    Readable where it fits; a long name is cut and given a hash suffix so it stays unique.
    """
    safe = prefix + _BOOKMARK_UNSAFE.sub("_", name)
    if len(safe) <= BOOKMARK_MAX:
        return safe
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return safe[: BOOKMARK_MAX - 9] + "_" + digest


def split_name(name: str) -> tuple[str, str, str | None]:
    """``owner__key`` or ``owner__key__code`` → (owner, key, code or None)."""
    parts = name.split(SEPARATOR)
    if len(parts) == 2:
        return parts[0], parts[1], None
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    raise ValueError(f"not a field name: {name!r}")


@dataclass(frozen=True)
class FieldDef:
    """One fill-in field of a built document, with everything a renderer or reader needs."""

    name: str
    owner_id: str
    owner_kind: str  # "question", "element" or "section"
    spec: FieldSpec
    title: str  # human-readable, for screen readers and tooltips: "Element 1, stödfråga 2 – Status"
    owner_title: str | None  # "Element 1, stödfråga 2"; None for a section's own fields
    title_template: str  # the model's field_title label, "{owner} – {label}"
    options: OptionList | None = None

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def kind(self) -> str:
        return self.spec.kind

    def title_with_pages(self, page_of: Callable[[str], str]) -> str:
        """The title with its page references showing their numbers (``page_of(heading id)``);
        the plain ``title`` leaves them out, as a medium without pages must."""
        return _title(self.title_template, self.owner_title, markup.plain(self.spec.label, page_of))

    def box_name(self, code: str) -> str:
        return option_box_name(self.name, code)

    def box_title(self, code: str) -> str:
        """Title of one option's checkbox: "Element 1, stödfråga 2 – Ja"."""
        assert self.options is not None
        label = markup.plain(self.options.label_of(code))
        if self.owner_title is None:  # a section's own choice: the option says it all
            return label
        return self.title_template.format(owner=self.owner_title, label=label)


def _title(template: str, owner_title: str | None, label: str) -> str:
    label = label.rstrip(":")
    return template.format(owner=owner_title, label=label) if owner_title else label


def _make(model: Model, owner_id: str, owner_kind: str, owner_title: str | None, spec: FieldSpec) -> FieldDef:
    title = _title(model.labels["field_title"], owner_title, markup.plain(spec.label))
    options = model.options[spec.options] if spec.options else None
    return FieldDef(field_name(owner_id, spec.key), owner_id, owner_kind, spec, title, owner_title,
                    model.labels["field_title"], options)


def question_fields(model: Model, numbered: NumberedQuestion) -> tuple[FieldDef, ...]:
    owner = model.label("question_title", element=numbered.element_number, number=numbered.number)
    return tuple(_make(model, numbered.question.id, "question", owner, spec) for spec in model.question_fields)


def element_fields(model: Model, element: Element) -> tuple[FieldDef, ...]:
    owner = model.label("element_title", element=model.element_number(element.id))
    return tuple(_make(model, element.id, "element", owner, spec) for spec in model.element_fields)


def section_fields(model: Model, section: Section) -> tuple[FieldDef, ...]:
    return tuple(_make(model, section.id, "section", None, spec) for spec in section.fields)


def _all_fields(model: Model) -> Iterator[FieldDef]:
    for section in model.sections:
        yield from section_fields(model, section)
    for numbered in model.numbered_questions():
        yield from question_fields(model, numbered)
    for element in model.elements:
        yield from element_fields(model, element)
    yield from section_fields(model, model.summary.overview)
    yield from section_fields(model, model.summary.assessment)


@lru_cache(maxsize=16)
def all_fields(model: Model) -> tuple[FieldDef, ...]:
    """Every field of the document in reading order (the order a PDF's tab order follows)."""
    return tuple(_all_fields(model))


def fields_by_name(model: Model) -> dict[str, FieldDef]:
    return {f.name: f for f in all_fields(model)}
