"""Turn the raw values a format reader found into the answers structure, finding problems.

Both readers (Word, PDF) only collect raw values by field name; every rule about what a value
means — placeholders, the neutral "Välj status", conflicting ticks, unknown options, which model
version the form belongs to — lives here, once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from lovande_docs import fields as field_ids
from lovande_docs import identity, markup
from lovande_docs.answers import FormAnswers, ModelRef, Problem, Source, place
from lovande_docs.fields import FieldDef
from lovande_docs.model import Model
from lovande_docs.readers.registry import Registry


@dataclass
class RawValue:
    text: str | None = None  # typed text, or a drop-down's value / display text
    codes: tuple[str, ...] = ()  # a choice: the codes of the ticked options
    placeholder: bool = False  # the control still shows its placeholder text
    damaged: str | None = None  # the stored value is damaged or of the wrong type: why, in plain words
    # a choice whose stored value differs from what a viewer shows (a PDF button's /V against its
    # widgets' appearance states): the codes stored; ``codes`` are the ones shown. None: no such value
    stored: tuple[str, ...] | None = None
    copies: tuple[RawValue, ...] = ()  # the same field found again in the form (its other occurrences)

    def with_box_flipped(self, code: str, ticked: bool) -> RawValue:
        """This choice as read with the box of ``code`` in its other state (``ticked``: its state as
        read): how the form reads from a second copy of that box, which a viewer also shows."""
        codes = tuple(c for c in self.codes if c != code) if ticked else self.codes + (code,)
        return RawValue(codes=codes, damaged=self.damaged)


@dataclass
class RawForm:
    format: str
    identity: dict[str, str]
    values: dict[str, RawValue]
    problems: list[Problem] = field(default_factory=list)


def resolve_model(found: dict[str, str], registry: Registry) -> tuple[Model, ModelRef, list[Problem]]:
    """Which known model version a form belongs to, judged by the identity it carries."""
    model_id = found.get(identity.MODEL_ID) or None
    version = found.get(identity.MODEL_VERSION) or None
    content_hash = found.get(identity.CONTENT_HASH) or None
    generator = found.get(identity.GENERATOR) or None
    problems: list[Problem] = []
    exact = registry.by_hash(content_hash)
    model = exact
    if exact is None:
        if not (model_id or version or content_hash):
            problems.append(Problem("no_identity", "The form does not say which model it was built from; "
                                    f"it was read against {registry.default.id} {registry.default.version}."))
        elif (same := registry.by_version(model_id, version)) is not None:
            model = same
            problems.append(Problem("hash_mismatch", f"The form says {model_id} {version}, but its content hash "
                                    "matches no known version: its text may have been edited. It was read "
                                    f"against {model_id} {version}."))
        elif (latest := registry.latest(model_id)) is not None:
            model = latest
            problems.append(Problem("unknown_model", f"Version {version} of {model_id} is unknown to this tool; "
                                    f"the form was read against version {latest.version}."))
        else:
            problems.append(Problem("unknown_model", f"The form names an unknown model ({model_id} {version}); "
                                    f"it was read against {registry.default.id} {registry.default.version}."))
    model = model or registry.default
    ref = ModelRef(model_id, version, content_hash, generator, known=exact is not None)
    return model, ref, problems


def interpret(raw: RawForm, source: Source, registry: Registry) -> FormAnswers:
    model, ref, problems = resolve_model(raw.identity, registry)
    answers = FormAnswers(source, ref, f"{model.id} {model.version}", problems=problems + raw.problems)
    parts = {"practice": answers.practice, "questions": answers.questions, "elements": answers.elements,
             "assessment": answers.assessment}
    for definition in field_ids.all_fields(model):
        place(parts, definition, model, _value(definition, raw.values.get(definition.name), answers.problems))
    _check_questions(model, answers)
    return answers


def lost_boxes(definition: FieldDef, lost: list[str]) -> Problem:
    """A choice read from the tick boxes left after some were lost (deleted, or dropped by a save):
    the answer may be one of the lost boxes, so the form says which (every reader, one wording)."""
    boxes = ", ".join(markup.plain(definition.options.label_of(code)) for code in lost)
    return Problem("missing_field", f"{definition.title}: the tick box {boxes} is missing from the form (deleted, "
                   "or lost when the file was saved); the answer was read from the other boxes.", definition.name,
                   tuple(lost))


def _value(definition: FieldDef, raw: RawValue | None, problems: list[Problem]):
    if raw is not None and raw.copies:
        return _one_of(definition, raw, problems)
    if raw is None:
        problems.append(Problem("missing_field", f"{definition.title}: the field is missing from the form "
                                "(deleted, or lost when the file was saved).", definition.name))
        return None
    if raw.damaged:
        problems.append(Problem("damaged_value", f"{definition.title}: {raw.damaged}; the answer is left empty.",
                                definition.name))
        return None
    if definition.kind == "choice":
        return _choice(definition, raw, problems)
    if definition.kind == "select":
        return _select(definition, raw, problems)
    if raw.placeholder or raw.text is None:
        return None
    text = "\n".join(line.rstrip() for line in raw.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()
    if _DAMAGE_SIGNS.search(text):
        problems.append(Problem("damaged_value", f"{definition.title}: the text holds bytes that are no characters "
                                "(damage in the file); the answer is left empty.", definition.name))
        return None
    return text or None


# What no one types and no editor stores: the replacement character a decoder puts for bytes it
# cannot read, and control characters other than tab and line breaks.
_DAMAGE_SIGNS = re.compile("[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _one_of(definition: FieldDef, raw: RawValue, problems: list[Problem]):
    """A field the form holds more than once (a copied control, a second PDF field of the same
    name): read when every copy says the same; when they differ, no copy is more the unit's answer
    than another (each viewer shows every copy), so the answer is left empty and the problem
    names the values, in every format alike."""
    read = []
    for copy in (raw, *raw.copies):
        found: list[Problem] = []
        read.append((_value(definition, replace(copy, copies=()), found), found))
    distinct = dict.fromkeys(value for value, _ in read)
    if len(distinct) == 1:
        problems.extend(read[0][1])
        return read[0][0]
    shown = ", ".join(_shown_value(definition, value) for value in distinct)
    problems.append(Problem("duplicate_field", f"{definition.title}: the field is in the form {len(read)} times "
                            f"with different values ({shown}); the answer is left empty.", definition.name,
                            tuple("" if value is None else str(value) for value, _ in read)))
    return None


def _shown_value(definition: FieldDef, value) -> str:
    if value is None:
        return "empty"
    if definition.options is not None and value in definition.options.codes:
        return markup.plain(definition.options.label_of(value))
    return repr(value) if len(str(value)) <= 60 else repr(str(value)[:57] + "...")


def _choice(definition: FieldDef, raw: RawValue, problems: list[Problem]):
    codes = definition.options.codes
    if raw.stored is not None and set(raw.stored) != set(raw.codes):
        def named(found) -> str:
            return " and ".join(markup.plain(definition.options.label_of(c)) if c in codes else repr(c)
                                for c in found) or "nothing ticked"
        problems.append(Problem("shown_differs", f"{definition.title}: the form shows {named(raw.codes)} but stores "
                                f"{named(raw.stored)}; what it shows is read.", definition.name,
                                tuple(raw.codes)))
    ticked = [c for c in dict.fromkeys(raw.codes) if c in codes]
    strange = [c for c in raw.codes if c not in codes]
    if strange:
        problems.append(Problem("unknown_value", f"{definition.title}: the value {', '.join(strange)} is not one "
                                "of the options.", definition.name, tuple(strange)))
    if len(ticked) > 1:
        labels = " and ".join(markup.plain(definition.options.label_of(c)) for c in ticked)
        problems.append(Problem("conflict", f"{definition.title}: {labels} are both ticked; "
                                "the answer is left empty.", definition.name, tuple(ticked)))
        return None
    return ticked[0] if ticked else None


def _select(definition: FieldDef, raw: RawValue, problems: list[Problem]):
    options = definition.options
    value = (raw.text or "").strip()
    if raw.placeholder or not value or value == field_ids.UNSET or value == options.placeholder:
        return None
    if value in options.codes:
        return value
    by_label = {markup.plain(o.label).casefold(): o.code for o in options.items}
    if value.casefold() in by_label:
        return by_label[value.casefold()]
    problems.append(Problem("unknown_value", f"{definition.title}: {value!r} is not one of the options.",
                            definition.name, (value,)))
    return None


def _check_questions(model: Model, answers: FormAnswers) -> None:
    """A question with text in its text field but nothing ticked in its choice field."""
    choice = next((f.key for f in model.question_fields if f.kind == "choice"), None)
    texts = [f.key for f in model.question_fields if f.kind == "text"]
    if choice is None:
        return
    conflicted = {p.field for p in answers.problems if p.kind == "conflict"}
    for numbered in model.numbered_questions():
        values = answers.questions.get(numbered.question.id, {})
        answer_name = field_ids.field_name(numbered.question.id, choice)
        written = any(values.get(key) for key in texts)
        if written and values.get(choice) is None and answer_name not in conflicted:
            title = model.label("question_title", element=numbered.element_number, number=numbered.number)
            answers.problems.append(Problem("description_without_answer", f"{title}: a description is written "
                                            "but none of the answer boxes is ticked.", answer_name))
