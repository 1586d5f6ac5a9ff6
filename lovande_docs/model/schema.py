"""The shape of content YAML, declared once and checked with every error collected.

Each spec checks a value at a path and returns the cleaned value (tuples for lists, a dict for a
record) or ``INVALID``; problems go to an :class:`Errors` list, so one run reports them all.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from lovande_docs import markup

INVALID = object()

ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


@dataclass
class Errors:
    items: list[tuple[tuple, str]] = field(default_factory=list)

    def add(self, path: tuple, message: str) -> None:
        self.items.append((path, message))

    def __bool__(self) -> bool:
        return bool(self.items)


class Spec:
    def check(self, value: Any, path: tuple, errors: Errors) -> Any:
        raise NotImplementedError


class Text(Spec):
    """A non-empty string; with ``markup=True`` its inline markup must parse."""

    def __init__(self, markup: bool = False, pattern: re.Pattern | None = None, what: str = "text"):
        self.markup, self.pattern, self.what = markup, pattern, what

    def check(self, value, path, errors):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and self.pattern is None:
            value = str(value)
        if not isinstance(value, str):
            errors.add(path, f"expected {self.what}, found {_kind(value)}")
            return INVALID
        if not value.strip():
            errors.add(path, f"empty {self.what}")
            return INVALID
        if value != value.strip():
            errors.add(path, f"{self.what} has leading or trailing white space")
            return INVALID
        if self.pattern is not None and not self.pattern.match(value):
            errors.add(path, f"invalid {self.what} {value!r}")
            return INVALID
        if self.markup:
            try:
                markup.parse(value)
            except markup.MarkupError as error:
                errors.add(path, str(error))
                return INVALID
        return value


IDENT = Text(pattern=ID_PATTERN, what="id (lower-case letters, digits and single hyphens)")
CODE = Text(pattern=CODE_PATTERN, what="code (lower-case letters, digits and single underscores)")
PLAIN = Text()
MARKUP = Text(markup=True)


class Flag(Spec):
    def check(self, value, path, errors):
        if not isinstance(value, bool):
            errors.add(path, f"expected true or false, found {_kind(value)}")
            return INVALID
        return value


class Integer(Spec):
    def __init__(self, minimum: int, maximum: int):
        self.minimum, self.maximum = minimum, maximum

    def check(self, value, path, errors):
        if isinstance(value, bool) or not isinstance(value, int) or not self.minimum <= value <= self.maximum:
            errors.add(path, f"expected a whole number from {self.minimum} to {self.maximum}, found {value!r}")
            return INVALID
        return value


class OneOf(Spec):
    def __init__(self, choices: tuple[str, ...]):
        self.choices = choices

    def check(self, value, path, errors):
        if value not in self.choices:
            errors.add(path, f"expected one of {', '.join(self.choices)}, found {value!r}")
            return INVALID
        return value


class ListOf(Spec):
    def __init__(self, item: Spec, minimum: int = 1):
        self.item, self.minimum = item, minimum

    def check(self, value, path, errors):
        if not isinstance(value, list):
            errors.add(path, f"expected a list, found {_kind(value)}")
            return INVALID
        if len(value) < self.minimum:
            errors.add(path, f"expected at least {self.minimum} item(s), found {len(value)}")
            return INVALID
        items = [self.item.check(item, path + (index,), errors) for index, item in enumerate(value)]
        return INVALID if any(item is INVALID for item in items) else tuple(items)


class Paragraphs(Spec):
    """One paragraph as a string, or several as a list; always returned as a tuple."""

    def check(self, value, path, errors):
        if isinstance(value, str):
            value = [value]
            result = ListOf(MARKUP).check(value, path, errors)
            return result
        return ListOf(MARKUP).check(value, path, errors)


class Record(Spec):
    """A mapping with known keys: unknown keys and missing required keys are errors."""

    def __init__(self, required: dict[str, Spec], optional: dict[str, Spec] | None = None,
                 validate: Callable[[dict, tuple, Errors], None] | None = None):
        self.required, self.optional, self.validate = required, optional or {}, validate

    def check(self, value, path, errors):
        if not isinstance(value, dict):
            errors.add(path, f"expected a mapping, found {_kind(value)}")
            return INVALID
        result: dict[str, Any] = {}
        ok = True
        for key in value:
            if key not in self.required and key not in self.optional:
                allowed = ", ".join(sorted([*self.required, *self.optional]))
                errors.add(path + (key,), f"unknown key {key!r} (allowed: {allowed})")
                ok = False
        for key, spec in self.required.items():
            if key not in value:
                errors.add(path, f"missing required key {key!r}")
                ok = False
                continue
            result[key] = spec.check(value[key], path + (key,), errors)
        for key, spec in self.optional.items():
            if key in value:
                result[key] = spec.check(value[key], path + (key,), errors)
        ok = ok and all(item is not INVALID for item in result.values())
        if ok and self.validate:
            before = len(errors.items)
            self.validate(result, path, errors)
            ok = len(errors.items) == before
        return result if ok else INVALID


class Variant(Spec):
    """A mapping with exactly one key that says which kind of block it is."""

    def __init__(self, kinds: dict[str, Spec]):
        self.kinds = kinds

    def check(self, value, path, errors):
        if not isinstance(value, dict) or len(value) != 1:
            errors.add(path, f"expected a mapping with one of the keys {', '.join(self.kinds)}")
            return INVALID
        (kind, inner), = value.items()
        if kind not in self.kinds:
            errors.add(path + (kind,), f"unknown block {kind!r} (allowed: {', '.join(self.kinds)})")
            return INVALID
        checked = self.kinds[kind].check(inner, path + (kind,), errors)
        return INVALID if checked is INVALID else (kind, checked)


class Lazy(Spec):
    """A spec defined later (for recursive shapes such as questions with parts)."""

    def __init__(self, get: Callable[[], Spec]):
        self.get = get

    def check(self, value, path, errors):
        return self.get().check(value, path, errors)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(type(value), type(value).__name__)


# ---------------------------------------------------------------------------------------------
# The content file

def _box_has_content(record, path, errors):
    if not record.get("paragraphs") and not record.get("bullets"):
        errors.add(path, "a box needs 'paragraphs' or 'bullets'")


def _field_options(record, path, errors):
    needs = record["kind"] in ("choice", "select")
    if needs and "options" not in record:
        errors.add(path, f"a {record['kind']} field needs 'options'")
    if not needs and "options" in record:
        errors.add(path + ("options",), f"a {record['kind']} field takes no 'options'")


FIELD = Record(
    {"key": IDENT, "kind": OneOf(("text", "line", "date", "choice", "select")), "label": MARKUP},
    {"options": IDENT, "hint": MARKUP},
    validate=_field_options,
)

BLOCK = Variant({
    "paragraph": MARKUP,
    "quote": MARKUP,
    "bullets": ListOf(MARKUP),
    "box": Record({"title": MARKUP}, {"paragraphs": ListOf(MARKUP), "bullets": ListOf(MARKUP)},
                  validate=_box_has_content),
    "field": FIELD,
    "figure": OneOf(("model-map", "element-strip")),
})

SECTION = Record({"id": IDENT, "heading": MARKUP, "level": Integer(1, 3), "blocks": ListOf(BLOCK, minimum=0)})

QUESTION: Spec = Record(
    {"id": IDENT, "text": MARKUP},
    {
        "tip": Paragraphs(),
        "central": Flag(),
        "scope": OneOf(("individual", "group")),
        "condition": Record({"question": IDENT, "answer": CODE}),
        "parts": ListOf(Lazy(lambda: QUESTION)),
    },
)

ELEMENT = Record({
    "id": IDENT, "title": MARKUP, "summary_statement": MARKUP, "lead": MARKUP,
    "body": Paragraphs(), "questions_intro": Paragraphs(), "questions": ListOf(QUESTION),
})

CATEGORY = Record({
    "id": IDENT, "letter": Text(pattern=re.compile(r"^[A-Z]$"), what="letter"), "title": MARKUP,
    "intro": Paragraphs(), "describe": Record({"heading": MARKUP, "text": Paragraphs()}),
    "elements": ListOf(ELEMENT),
})

OPTION_LIST = Record({"items": ListOf(Record({"code": CODE, "label": MARKUP}))}, {"placeholder": PLAIN})

CONTENT = Record({
    "model": Record({
        "id": IDENT, "version": Text(pattern=re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+-]*$"), what="version"),
        "language": PLAIN, "title": PLAIN, "subtitle": PLAIN, "article_number": PLAIN,
        "published": Record({"place": MARKUP, "month": PLAIN}),
        "notice": Paragraphs(), "back_cover": Paragraphs(),
    }),
    "labels": Record({key: PLAIN for key in (
        "contents", "article_number", "published", "category_heading", "element_heading",
        "element_name", "questions_heading", "question_heading", "part_marker", "tip",
        "question_title", "element_title", "field_title", "text_placeholder", "date_placeholder",
        "home_link", "element_strip", "revisit_new", "revisit_changed", "removed_heading",
        "removed_intro", "removed_question", "record_line", "continued_heading", "continued_note",
    )}),
    "options": Record({}, {}),  # replaced below: any option-list id → OPTION_LIST
    "fields": Record({"question": ListOf(FIELD), "element": ListOf(FIELD)}),
    "footnotes": ListOf(Record({"id": IDENT}, {"text": MARKUP, "url": PLAIN},
                               validate=lambda r, p, e: None if ("text" in r or "url" in r)
                               else e.add(p, "a footnote needs 'text' or 'url'"))),
    "sections": ListOf(SECTION),
    "categories": ListOf(CATEGORY),
    "summary": Record({
        "id": IDENT, "heading": MARKUP, "blocks": ListOf(BLOCK, minimum=0),
        "overview": Record({"id": IDENT, "heading": MARKUP}, {"blocks": ListOf(BLOCK, minimum=0)}),
        "assessment": Record({"id": IDENT, "heading": MARKUP, "blocks": ListOf(BLOCK, minimum=0)}),
    }),
})


class OptionLists(Spec):
    """``options:`` maps option-list ids to lists; the ids are the model's to choose."""

    def check(self, value, path, errors):
        if not isinstance(value, dict) or not value:
            errors.add(path, "expected a mapping of option lists")
            return INVALID
        result = {}
        for key, item in value.items():
            if IDENT.check(key, path + (key,), errors) is INVALID:
                continue
            result[key] = OPTION_LIST.check(item, path + (key,), errors)
        return INVALID if any(v is INVALID for v in result.values()) else result


CONTENT.required["options"] = OptionLists()
