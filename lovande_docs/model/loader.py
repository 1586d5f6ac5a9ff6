"""Load content YAML into the immutable model, reporting every error with file, line, column and path."""
from __future__ import annotations

import hashlib
import json
import re
import string
from pathlib import Path
from typing import Any, Iterator

import yaml

from lovande_docs.model import schema
from lovande_docs.model.located import Located, format_path, load_located
from lovande_docs.model.types import (
    Box, Bullets, Category, Condition, Element, FieldBlock, FieldSpec, Figure, Footnote, Meta,
    Model, Option, OptionList, Paragraph, Question, Quote, Section, Summary, frozen_mapping,
)

MAX_CONTENT_BYTES = 5 * 1024 * 1024
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")

# Placeholders each label template may use; a typo such as {numbr} is caught at load time.
LABEL_PLACEHOLDERS = {
    "article_number": {"article_number"},
    "published": {"place", "month"},
    "category_heading": {"letter", "title"},
    "element_heading": {"number", "title"},
    "element_name": {"number", "title"},
    "questions_heading": {"number", "title"},
    "question_heading": {"number"},
    "part_marker": {"letter"},
    "question_title": {"element", "number"},
    "element_title": {"element"},
    "field_title": {"owner", "label"},
    "element_strip": {"number", "count"},
}


class ContentError(Exception):
    """Content that cannot be loaded; ``messages`` holds every located error, one line each."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


def load_model(path: str | Path) -> Model:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_CONTENT_BYTES:
            raise ContentError([f"{path}: file is {size} bytes, more than the {MAX_CONTENT_BYTES} a content file may have"])
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ContentError([f"{path}: not UTF-8 text ({error.reason} at byte {error.start})"]) from None
    except OSError as error:
        raise ContentError([f"{path}: cannot read: {error.strerror or error}"]) from None
    return load_model_text(text, str(path))


def load_model_text(text: str, source: str = "<content>") -> Model:
    try:
        located = load_located(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        problem = getattr(error, "problem", None) or str(error)
        raise ContentError([f"{source}:{where}: YAML syntax error: {problem}"]) from None

    errors = schema.Errors()
    for path, key, position in located.duplicate_keys:
        errors.add(path + (key,), f"duplicate key {key!r}")
    cleaned = schema.CONTENT.check(located.data, (), errors)
    if cleaned is not schema.INVALID and not errors:
        _check_references(cleaned, located, errors)
    if errors:
        raise ContentError([_format(source, located, path, message) for path, message in errors.items])
    canonical = json.dumps(located.data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    content_hash = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return _build(cleaned, content_hash, source)


def _format(source: str, located: Located, path: tuple, message: str) -> str:
    position = located.position(path)
    return f"{source}:{position.line}:{position.column}: {format_path(path)}: {message}"


# ---------------------------------------------------------------------------------------------
# Cross-reference checks: things no single value can know.

def _check_references(content: dict, located: Located, errors: schema.Errors) -> None:
    seen: dict[str, tuple] = {}
    for path, identifier in _ids(content):
        if identifier in seen:
            errors.add(path, f"duplicate id {identifier!r} (first used at {format_path(seen[identifier])})")
        else:
            seen[identifier] = path

    option_lists = content["options"]
    for list_id, option_list in option_lists.items():
        _unique(errors, ("options", list_id, "items"), option_list["items"], "code", "option code")
        _unique(errors, ("options", list_id, "items"), option_list["items"], "label", "option label")

    for path, field in _fields(content):
        if "options" in field and field["options"] not in option_lists:
            errors.add(path + ("options",), f"unknown option list {field['options']!r}")
    for owner in ("question", "element"):
        _unique(errors, ("fields", owner), content["fields"][owner], "key", "field key")
    for path, keys in _section_field_keys(content):
        _unique(errors, path, keys, "key", "field key")

    footnotes = {f["id"] for f in content["footnotes"]}
    used: set[str] = set()
    for path, text in _strings(located.data, ()):
        for reference in _FOOTNOTE_REF.findall(text):
            used.add(reference)
            if reference not in footnotes:
                errors.add(path, f"reference to undefined footnote {reference!r}")
    for index, footnote in enumerate(content["footnotes"]):
        if footnote["id"] not in used:
            errors.add(("footnotes", index), f"footnote {footnote['id']!r} is never referenced")

    for key, allowed in LABEL_PLACEHOLDERS.items():
        names = {name for _, name, _, _ in string.Formatter().parse(content["labels"][key]) if name}
        if names - allowed:
            errors.add(("labels", key), f"unknown placeholder(s) {sorted(names - allowed)}; allowed: {sorted(allowed)}")

    answer_field = next((f for f in content["fields"]["question"] if f["kind"] == "choice"), None)
    question_ids = {q["id"] for _, q in _questions(content)}
    for path, question in _questions(content):
        condition = question.get("condition")
        if not condition:
            continue
        if condition["question"] not in question_ids:
            errors.add(path + ("condition", "question"), f"unknown question {condition['question']!r}")
        codes = [o["code"] for o in option_lists.get(answer_field["options"], {}).get("items", ())] if answer_field else []
        if condition["answer"] not in codes:
            errors.add(path + ("condition", "answer"), f"unknown answer code {condition['answer']!r}")


def _unique(errors, path, items, key, what) -> None:
    seen: set = set()
    for index, item in enumerate(items):
        if item[key] in seen:
            errors.add(path + (index, key), f"duplicate {what} {item[key]!r}")
        seen.add(item[key])


def _ids(content: dict) -> Iterator[tuple[tuple, str]]:
    for index, section in enumerate(content["sections"]):
        yield ("sections", index, "id"), section["id"]
    for index, footnote in enumerate(content["footnotes"]):
        yield ("footnotes", index, "id"), footnote["id"]
    for c, category in enumerate(content["categories"]):
        yield ("categories", c, "id"), category["id"]
        for e, element in enumerate(category["elements"]):
            yield ("categories", c, "elements", e, "id"), element["id"]
    for path, question in _questions(content):
        yield path + ("id",), question["id"]
    summary = content["summary"]
    yield ("summary", "id"), summary["id"]
    yield ("summary", "overview", "id"), summary["overview"]["id"]
    yield ("summary", "assessment", "id"), summary["assessment"]["id"]


def _questions(content: dict) -> Iterator[tuple[tuple, dict]]:
    for c, category in enumerate(content["categories"]):
        for e, element in enumerate(category["elements"]):
            for q, question in enumerate(element["questions"]):
                path = ("categories", c, "elements", e, "questions", q)
                yield path, question
                for p, part in enumerate(question.get("parts", ())):
                    yield path + ("parts", p), part


def _block_lists(content: dict) -> Iterator[tuple[tuple, tuple]]:
    for index, section in enumerate(content["sections"]):
        yield ("sections", index, "blocks"), section["blocks"]
    summary = content["summary"]
    yield ("summary", "blocks"), summary["blocks"]
    yield ("summary", "overview", "blocks"), summary["overview"].get("blocks", ())
    yield ("summary", "assessment", "blocks"), summary["assessment"]["blocks"]


def _fields(content: dict) -> Iterator[tuple[tuple, dict]]:
    for owner in ("question", "element"):
        for index, field in enumerate(content["fields"][owner]):
            yield ("fields", owner, index), field
    for path, blocks in _block_lists(content):
        for index, (kind, value) in enumerate(blocks):
            if kind == "field":
                yield path + (index, "field"), value


def _section_field_keys(content: dict) -> Iterator[tuple[tuple, list[dict]]]:
    for path, blocks in _block_lists(content):
        yield path, [value for kind, value in blocks if kind == "field"]


def _strings(value: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))


# ---------------------------------------------------------------------------------------------
# Building the immutable model from checked data

def _field(data: dict) -> FieldSpec:
    return FieldSpec(key=data["key"], kind=data["kind"], label=data["label"],
                     options=data.get("options"), hint=data.get("hint"))


def _block(kind: str, value: Any):
    if kind == "paragraph":
        return Paragraph(value)
    if kind == "quote":
        return Quote(value)
    if kind == "bullets":
        return Bullets(value)
    if kind == "box":
        return Box(value["title"], value.get("paragraphs", ()), value.get("bullets", ()))
    if kind == "field":
        return FieldBlock(_field(value))
    return Figure(value)


def _section(data: dict, level: int | None = None) -> Section:
    return Section(data["id"], data["heading"], data.get("level", level),
                   tuple(_block(kind, value) for kind, value in data.get("blocks", ())))


def _question(data: dict) -> Question:
    condition = data.get("condition")
    return Question(
        id=data["id"], text=data["text"], tip=data.get("tip", ()), central=data.get("central", False),
        scope=data.get("scope"),
        condition=Condition(condition["question"], condition["answer"]) if condition else None,
        parts=tuple(_question(part) for part in data.get("parts", ())),
    )


def _build(content: dict, content_hash: str, source: str) -> Model:
    meta = content["model"]
    summary = content["summary"]
    return Model(
        meta=Meta(
            id=meta["id"], version=meta["version"], language=meta["language"], title=meta["title"],
            subtitle=meta["subtitle"], article_number=meta["article_number"],
            published_place=meta["published"]["place"], published_month=meta["published"]["month"],
            notice=meta["notice"], back_cover=meta["back_cover"],
        ),
        labels=frozen_mapping(content["labels"]),
        options=frozen_mapping({
            list_id: OptionList(list_id, tuple(Option(o["code"], o["label"]) for o in data["items"]),
                                data.get("placeholder"))
            for list_id, data in content["options"].items()
        }),
        question_fields=tuple(_field(f) for f in content["fields"]["question"]),
        element_fields=tuple(_field(f) for f in content["fields"]["element"]),
        footnotes=frozen_mapping({f["id"]: Footnote(f["id"], f.get("text"), f.get("url")) for f in content["footnotes"]}),
        sections=tuple(_section(s) for s in content["sections"]),
        categories=tuple(
            Category(
                id=c["id"], letter=c["letter"], title=c["title"], intro=c["intro"],
                describe_heading=c["describe"]["heading"], describe_text=c["describe"]["text"],
                elements=tuple(
                    Element(id=e["id"], title=e["title"], summary_statement=e["summary_statement"],
                            lead=e["lead"], body=e["body"], questions_intro=e["questions_intro"],
                            questions=tuple(_question(q) for q in e["questions"]))
                    for e in c["elements"]
                ),
            )
            for c in content["categories"]
        ),
        summary=Summary(
            id=summary["id"], heading=summary["heading"],
            blocks=tuple(_block(kind, value) for kind, value in summary["blocks"]),
            overview=_section(summary["overview"], level=2),
            assessment=_section(summary["assessment"], level=2),
        ),
        content_hash=content_hash,
        source=source,
    )
