"""Load content YAML into the immutable model, reporting every error with file, line, column and path."""
from __future__ import annotations

import hashlib
import json
import re
import string
from pathlib import Path
from typing import Any, Iterator

import yaml

from lovande_docs import markup
from lovande_docs.model import schema
from lovande_docs.model.located import Located, format_path, load_located
from lovande_docs.model.types import (
    Box, Bullets, Category, Condition, Element, FieldBlock, FieldSpec, Figure, Footnote, Meta,
    Model, Option, OptionList, Paragraph, Question, Quote, Section, Summary, UNSET_CODE, frozen_mapping,
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
    "revisit_new": {"version"},
    "revisit_changed": {"version"},
    "removed_intro": {"old_version", "version", "file"},
    "removed_question": {"title", "old_version"},
    "record_line": {"label", "value"},
    "continued_note": {"page"},
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
    _check_references(_dict(located.data), errors)
    if errors:
        raise ContentError([_format(source, located, path, message) for path, message in errors.items])
    canonical = json.dumps(located.data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    content_hash = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return _build(cleaned, content_hash, source)


def _format(source: str, located: Located, path: tuple, message: str) -> str:
    position = located.position(path)
    return f"{source}:{position.line}:{position.column}: {format_path(path)}: {message}"


# ---------------------------------------------------------------------------------------------
# Cross-reference checks: things no single value can know. They read the raw data defensively, so
# they run (and report) even where other parts of the file are malformed.

def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _check_references(content: dict, errors: schema.Errors) -> None:
    seen: dict[str, tuple] = {}
    for path, identifier in _ids(content):
        if not isinstance(identifier, str):
            continue
        if identifier in seen:
            errors.add(path, f"duplicate id {identifier!r} (first used at {format_path(seen[identifier])})")
        else:
            seen[identifier] = path

    option_lists = _dict(content.get("options"))
    for list_id, option_list in option_lists.items():
        items = [i for i in _list(_dict(option_list).get("items")) if isinstance(i, dict)]
        _unique(errors, ("options", list_id, "items"), items, "code", "option code")
        _unique(errors, ("options", list_id, "items"), items, "label", "option label")
        for index, item in enumerate(items):
            if item.get("code") == UNSET_CODE:
                errors.add(("options", list_id, "items", index, "code"),
                           f"code {UNSET_CODE!r} is reserved for the neutral first entry of a drop-down")

    for path, field in _fields(content):
        if "options" in field and field["options"] not in option_lists:
            errors.add(path + ("options",), f"unknown option list {field['options']!r}")
    field_templates = _dict(content.get("fields"))
    for owner in ("question", "element"):
        items = [f for f in _list(field_templates.get(owner)) if isinstance(f, dict)]
        _unique(errors, ("fields", owner), items, "key", "field key")
    for path, blocks in _block_lists(content):
        items = [_dict(b).get("field") for b in blocks]
        _unique(errors, path, [f for f in items if isinstance(f, dict)], "key", "field key")

    footnotes = [f for f in _list(content.get("footnotes")) if isinstance(f, dict)]
    declared = {f.get("id") for f in footnotes}
    used: set[str] = set()
    for path, text in _strings(content, ()):
        for reference in _FOOTNOTE_REF.findall(text):
            used.add(reference)
            if reference not in declared:
                errors.add(path, f"reference to undefined footnote {reference!r}")
    for index, footnote in enumerate(_list(content.get("footnotes"))):
        identifier = _dict(footnote).get("id")
        if isinstance(identifier, str) and identifier not in used:
            errors.add(("footnotes", index), f"footnote {identifier!r} is never referenced")

    headings = set(_heading_ids(content))
    for path, text in _strings(content, ()):
        try:
            targets = markup.page_references(text)
        except markup.MarkupError:  # reported where the text is checked
            continue
        for target in targets:
            if target not in headings:
                errors.add(path, f"page reference to {target!r}, which is not the id of a heading "
                                 "(a section, category, element or part of the summary)")

    labels = _dict(content.get("labels"))
    for key, allowed in LABEL_PLACEHOLDERS.items():
        if not isinstance(labels.get(key), str):
            continue
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(labels[key]) if name}
        except ValueError as error:
            errors.add(("labels", key), f"malformed placeholder: {error}")
            continue
        if names - allowed:
            errors.add(("labels", key), f"unknown placeholder(s) {sorted(names - allowed)}; allowed: {sorted(allowed)}")

    answer_field = next((f for f in _list(field_templates.get("question"))
                         if isinstance(f, dict) and f.get("kind") == "choice"), {})
    answer_codes = {_dict(i).get("code") for i in _list(_dict(option_lists.get(answer_field.get("options"))).get("items"))}
    question_ids = {q.get("id") for _, q in _questions(content)}
    for path, question in _questions(content):
        condition = _dict(question.get("condition"))
        if "question" in condition and condition["question"] not in question_ids:
            errors.add(path + ("condition", "question"), f"unknown question {condition['question']!r}")
        if "answer" in condition and condition["answer"] not in answer_codes:
            errors.add(path + ("condition", "answer"), f"unknown answer code {condition['answer']!r}")


def _unique(errors, path, items, key, what) -> None:
    seen: set = set()
    for index, item in enumerate(items):
        value = item.get(key)
        if not isinstance(value, str):
            continue
        if value in seen:
            errors.add(path + (index, key), f"duplicate {what} {value!r}")
        seen.add(value)


def _ids(content: dict) -> Iterator[tuple[tuple, Any]]:
    for list_key in ("sections", "footnotes", "categories"):
        for index, item in enumerate(_list(content.get(list_key))):
            if "id" in _dict(item):
                yield (list_key, index, "id"), item["id"]
    for c, category in enumerate(_list(content.get("categories"))):
        for e, element in enumerate(_list(_dict(category).get("elements"))):
            if "id" in _dict(element):
                yield ("categories", c, "elements", e, "id"), element["id"]
    for path, question in _questions(content):
        if "id" in question:
            yield path + ("id",), question["id"]
    summary = _dict(content.get("summary"))
    for path in (("id",), ("overview", "id"), ("assessment", "id")):
        node = summary
        for part in path[:-1]:
            node = _dict(node.get(part))
        if "id" in node:
            yield ("summary",) + path, node["id"]


def _heading_ids(content: dict) -> Iterator[Any]:
    """The ids of everything the guide prints a heading for: what a page reference may name."""
    for path, identifier in _ids(content):
        if path[0] != "footnotes" and "questions" not in path:
            yield identifier


def _questions(content: dict) -> Iterator[tuple[tuple, dict]]:
    for c, category in enumerate(_list(content.get("categories"))):
        for e, element in enumerate(_list(_dict(category).get("elements"))):
            for q, question in enumerate(_list(_dict(element).get("questions"))):
                if not isinstance(question, dict):
                    continue
                path = ("categories", c, "elements", e, "questions", q)
                yield path, question
                for p, part in enumerate(_list(question.get("parts"))):
                    if isinstance(part, dict):
                        yield path + ("parts", p), part


def _block_lists(content: dict) -> Iterator[tuple[tuple, list]]:
    for index, section in enumerate(_list(content.get("sections"))):
        yield ("sections", index, "blocks"), _list(_dict(section).get("blocks"))
    summary = _dict(content.get("summary"))
    yield ("summary", "blocks"), _list(summary.get("blocks"))
    for part in ("overview", "assessment"):
        yield ("summary", part, "blocks"), _list(_dict(summary.get(part)).get("blocks"))


def _fields(content: dict) -> Iterator[tuple[tuple, dict]]:
    field_templates = _dict(content.get("fields"))
    for owner in ("question", "element"):
        for index, field in enumerate(_list(field_templates.get(owner))):
            if isinstance(field, dict):
                yield ("fields", owner, index), field
    for path, blocks in _block_lists(content):
        for index, block in enumerate(blocks):
            field = _dict(block).get("field")
            if isinstance(field, dict):
                yield path + (index, "field"), field


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
