"""Round trips in both formats: build → fill as a user would → read → exactly what was entered.

The same assertions hold for Word and PDF; format-specific behaviour (LibreOffice saves, Word's
run splitting, pdftk and PyMuPDF fills, incremental updates) is in test_read_docx/test_read_pdf.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from answers_strategies import SAMPLE, answer_sets, expected, strip_answers
from lovande_docs.fill import FILLERS, field_values
from lovande_docs.readers import read_form
FORMATS = sorted(f for f in FILLERS if f != "html")  # a filled web page is not read back; its saved answers file is (test_web_edition.py)


@pytest.fixture
def built(built_docx, built_pdf):
    return {"docx": built_docx, "pdf": built_pdf}


@pytest.mark.parametrize("fmt", FORMATS)
def test_built_guide_reads_as_empty_with_known_identity(fmt, model, built):
    form = read_form(built[fmt]).to_dict()
    assert form["source"]["format"] == fmt
    assert form["model"] == {"id": model.id, "version": model.version, "content_hash": model.content_hash,
                             "generator": form["model"]["generator"], "known": True,
                             "read_with": f"{model.id} {model.version}"}
    assert form["problems"] == []
    assert len(form["questions"]) == 50
    assert all(v == {"answer": None, "status": None, "description": None} for v in form["questions"].values())


@pytest.mark.parametrize("fmt", FORMATS)
def test_sample_round_trip(fmt, model, built, tmp_path):
    target = tmp_path / f"ifylld.{fmt}"
    FILLERS[fmt](built[fmt], field_values(SAMPLE, model), target, model)
    assert strip_answers(read_form(target).to_dict()) == expected(model, SAMPLE)


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_answer_sets_round_trip(fmt, model, built, tmp_path, data):
    """Swedish letters, newlines, long texts, empty answers: nothing lost, nothing invented."""
    entered = data.draw(answer_sets(model, long_text=True))
    target = tmp_path / f"genererad.{fmt}"
    FILLERS[fmt](built[fmt], field_values(entered, model), target, model)
    form = read_form(target).to_dict()
    assert strip_answers(form) == expected(model, entered)
    without_answer = {f"{q}__answer" for q, v in entered["questions"].items()
                      if v.get("description") and v.get("answer") is None}
    assert {(p["kind"], p["field"]) for p in form["problems"]} == {
        ("description_without_answer", name) for name in without_answer}


@pytest.mark.parametrize("fmt", FORMATS)
def test_conflicting_ticks_are_reported_with_both_values(fmt, model, built, tmp_path):
    target = tmp_path / f"konflikt.{fmt}"
    FILLERS[fmt](built[fmt], {}, target, model, ticks={"delmal__answer": ("ja", "ej_relevant")})
    form = read_form(target).to_dict()
    assert form["questions"]["delmal"]["answer"] is None
    (problem,) = [p for p in form["problems"] if p["kind"] == "conflict"]
    assert problem["field"] == "delmal__answer" and problem["values"] == ["ja", "ej_relevant"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_description_without_answer_is_reported(fmt, model, built, tmp_path):
    target = tmp_path / f"utan-svar.{fmt}"
    FILLERS[fmt](built[fmt], {"handledning__description": "Vi har handledning varannan vecka."}, target, model)
    form = read_form(target).to_dict()
    assert [p["field"] for p in form["problems"] if p["kind"] == "description_without_answer"] == ["handledning__answer"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_parse_output_matches_the_json_schema(fmt, model, built, tmp_path):
    """`lovande parse` JSON validates against schemas/lovande-answers-1.schema.json."""
    import json

    import jsonschema
    from click.testing import CliRunner

    from lovande_docs.cli import main
    from lovande_docs.paths import PROJECT_ROOT

    schema = json.loads((PROJECT_ROOT / "schemas" / "lovande-answers-1.schema.json").read_text(encoding="utf-8"))
    target = tmp_path / f"ifylld.{fmt}"
    FILLERS[fmt](built[fmt], {"handledning__description": "Text utan svar."}, target, model,
                 ticks={"delmal__answer": ("ja", "nej")})
    result = CliRunner().invoke(main, ["parse", str(target)])
    assert result.exit_code == 0, result.output
    (form,) = json.loads(result.stdout)
    jsonschema.validate(form, schema)
    assert {p["kind"] for p in form["problems"]} == {"conflict", "description_without_answer"}
    broken = dict(form, questions={"x": {"answer": 1}})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
