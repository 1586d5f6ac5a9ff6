"""Every problem kind a reader can report has its Swedish message on the Problem sheet (issue #21).

The kinds are registered once (lovande_docs/answers.py, PROBLEM_KINDS); the code is scanned for
every ``Problem("kind", …)`` it makes, so a kind added without registering it, or registered
without its Swedish words (compile/problem_messages.yaml, labels.yaml problem_kinds), fails here.
"""
from __future__ import annotations

import ast
import json
import random
from pathlib import Path

import openpyxl
import pytest

import lovande_docs
from lovande_docs import fields as field_ids
from lovande_docs.answers import PROBLEM_KINDS
from lovande_docs.compile import compile_forms
from lovande_docs.compile.labels import label
from lovande_docs.compile.problem_text import ALWAYS, PLACEHOLDERS, messages, placeholders, swedish
from lovande_docs.paths import SCHEMAS_DIR
from corpus import generate_answers, synthetic_reader, write_synthetic

PACKAGE = Path(lovande_docs.__file__).parent


def _reported_kinds() -> dict[str, list[str]]:
    """Kind → where the package's code makes a Problem of it (the first argument of each call)."""
    found: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Problem":
                kind = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "kind"), None)
                where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
                assert isinstance(kind, ast.Constant) and isinstance(kind.value, str), \
                    f"{where}: a Problem's kind must be a literal, so that it can be checked here"
                found.setdefault(kind.value, []).append(where)
    return found


def test_every_kind_the_readers_report_is_registered():
    reported = _reported_kinds()
    assert len(reported) >= 8  # the scan finds the readers' problems
    unregistered = {kind: where for kind, where in reported.items() if kind not in PROBLEM_KINDS}
    assert unregistered == {}, "add these kinds to lovande_docs/answers.py PROBLEM_KINDS"


def test_the_schema_names_the_registered_kinds():
    schema = json.loads((SCHEMAS_DIR / "lovande-answers-1.schema.json").read_text(encoding="utf-8"))
    kinds = schema["properties"]["problems"]["items"]["properties"]["kind"]["enum"]
    assert set(kinds) == set(PROBLEM_KINDS)


@pytest.mark.parametrize("kind", sorted(PROBLEM_KINDS))
def test_every_registered_kind_has_a_swedish_name_and_message(kind):
    assert kind in messages(), f"add a Swedish message for {kind!r} to lovande_docs/compile/problem_messages.yaml"
    assert kind in label("problem_kinds"), f"add a Swedish name for {kind!r} to compile/labels.yaml problem_kinds"
    templates = messages()[kind]
    for template in templates:
        assert placeholders(template) <= PLACEHOLDERS, template
    assert placeholders(templates[-1]) <= ALWAYS, "the last message must be shown whatever the problem holds"
    assert swedish(kind, {"read_with": "lovande-arbetssatt 2026.1"})  # always some Swedish words


def test_no_message_for_a_kind_nobody_reports():
    assert set(messages()) <= set(PROBLEM_KINDS)


def test_the_most_specific_message_whose_parts_are_known():
    assert swedish("missing_field", {"field": "Element 1, stödfråga 2 – Svar", "values": "Nej"}) == (
        "Element 1, stödfråga 2 – Svar: kryssrutan Nej saknas i formuläret (borttagen, eller förlorad när filen "
        "sparades); svaret lästes från de andra rutorna.")
    assert swedish("missing_field", {"field": "Element 1, stödfråga 2 – Svar"}).endswith("fältet saknas i formuläret "
                                                                                          "(borttaget, eller förlorat när filen sparades).")
    assert "ingen svensk" not in swedish("conflict", {}) and swedish("no_such_kind", {}).endswith("lovande parse visar det.")


def test_the_problem_sheet_shows_every_reader_problem_in_swedish(tmp_path, model):
    """One form with a problem of every registered kind: the sheet shows the Swedish message with
    the field's title and the options' labels, never the reader's English message."""
    answers = generate_answers(model, random.Random(3), organisation="Falu kommun", practice="P", date="2026-01-01")
    first = next(model.numbered_questions())
    answer = field_ids.field_name(first.question.id, "answer")
    english = "THE ENGLISH MESSAGE"
    answers["problems"] = [{"kind": kind, "field": answer, "message": english, "values": ["ja", "nej"]}
                           for kind in sorted(PROBLEM_KINDS)]
    answers["problems"].append({"kind": "damaged_value", "field": None, "message": english})
    write_synthetic(tmp_path / "in" / "a.docx", answers)
    target = tmp_path / "s.xlsx"
    compile_forms([tmp_path / "in"], target, jobs=1, use_cache=False, reader=synthetic_reader)
    sheet = openpyxl.load_workbook(target)["Problem"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    shown = {(r[header.index("Typ")], r[header.index("Beskrivning av problemet")]) for r in rows[1:]}
    assert not any(english in message for _, message in shown)
    title = f"Element {first.element_number}, stödfråga {first.number}"
    kinds = label("problem_kinds")
    assert (kinds["conflict"], f"{title} – Svar: Ja och Nej är ikryssade samtidigt; svaret lämnas tomt.") in shown
    assert (kinds["description_without_answer"],
            f"{title}: en beskrivning är skriven men ingen av svarsrutorna är ikryssad.") in shown
    assert (kinds["damaged_value"], messages()["damaged_value"][-1]) in shown  # a problem of no field
    assert len([k for k, _ in shown if k in {kinds[kind] for kind in PROBLEM_KINDS}]) == len(PROBLEM_KINDS) + 1


def _module_strings(tree: ast.Module) -> tuple[dict[str, ast.AST], dict[str, list[ast.AST]]]:
    """A module's string constants (NAME = "…") and what each of its functions returns."""
    constants = {t.id: node.value for node in tree.body if isinstance(node, ast.Assign)
                 for t in node.targets if isinstance(t, ast.Name)}
    returns = {node.name: [r.value for r in ast.walk(node) if isinstance(r, ast.Return) and r.value is not None]
               for node in tree.body if isinstance(node, ast.FunctionDef)}
    return constants, returns


def _sample(node: ast.AST, constants: dict[str, ast.AST]) -> str | None:
    """The text a string expression gives, each formatted value written as "1"."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(value.value)
            else:
                inner = value.value
                known = _sample(constants[inner.id], constants) if isinstance(inner, ast.Name) and inner.id in constants \
                    else None
                parts.append(known if known is not None else "1")
        return "".join(parts)
    if isinstance(node, ast.Name) and node.id in constants:
        return _sample(constants[node.id], constants)
    return None


def _read_error_reasons() -> dict[str, str]:
    """Every reason the code gives for a file it cannot read: the argument of each ReadError and
    LimitError it raises (a constant's text, or what the function called there returns), the
    guard's answers about its reading process, and the compile's own."""
    from lovande_docs.compile.collect import WORKER_DIED
    from lovande_docs.readers import guard

    found: dict[str, str] = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants, returns = _module_strings(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("ReadError", "LimitError")
                    and node.args):
                continue
            argument = node.args[0]
            if isinstance(argument, ast.Call) and getattr(argument.func, "id", None) in returns:
                candidates = returns[argument.func.id]
            else:
                candidates = [argument]
            for candidate in candidates:
                text = _sample(candidate, constants)
                if text is not None:
                    found[text] = f"{path.relative_to(PACKAGE)}:{node.lineno}"
    for text in (WORKER_DIED, f"{guard.INTERNAL_ERROR}: 1", "reading took longer than the limit per file (30 s); refused",
                 "reading needs more processor time than the limit per file (20 s); refused",
                 "cannot read: Permission denied", "file is too large (80 MB; the limit is 50 MB)"):
        found[text] = "guard / collect"
    return found


def test_every_reason_a_file_cannot_be_read_has_its_swedish_words():
    from lovande_docs.compile.problem_text import read_error_pattern

    reasons = _read_error_reasons()
    assert len(reasons) >= 40  # the scan finds the readers' reasons
    missing = {text: where for text, where in reasons.items() if read_error_pattern(text) is None}
    assert missing == {}, "add these reasons to lovande_docs/compile/read_errors.yaml"


def test_read_errors_in_swedish_with_their_figures():
    from lovande_docs.compile.problem_text import swedish_read_error

    assert swedish_read_error("file is too large (80 MB; the limit is 50 MB)") == "Filen är för stor (80 MB; gränsen är 50 MB)."
    assert swedish_read_error("the PDF has more than 50,000 objects (the limit; the guide has about 1,100); it is not "
                              "a filled guide").startswith("PDF-filen har fler än 50,000 objekt")
    assert swedish_read_error("an old Word document (.doc, Word 97–2003), which …").startswith("Ett gammalt Word-dokument")
    assert swedish_read_error("something no reader says") == swedish_read_error(None) == \
        "Filen kunde inte läsas; lovande parse med filen visar orsaken."


def test_unreadable_files_are_explained_in_swedish_on_the_problem_sheet(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "tom.docx").write_bytes(b"")
    (tmp_path / "in" / "gammal.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    target = tmp_path / "s.xlsx"
    compile_forms([tmp_path / "in"], target, jobs=1, use_cache=False)
    book = openpyxl.load_workbook(target)
    rows = list(book["Problem"].iter_rows(values_only=True))
    header = rows[0]
    shown = {r[header.index("Fil")]: r[header.index("Beskrivning av problemet")] for r in rows[1:]}
    assert shown["tom.docx"] == "Filen är tom."
    assert shown["gammal.docx"].startswith("En gammal Office-fil")
    overview = list(book["Översikt"].iter_rows(values_only=True))
    assert "Kunde inte läsas: Filen är tom." in [v for row in overview for v in row]
