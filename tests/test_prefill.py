"""Carrying a unit's answers from a filled 2026.1 guide into the 2027.1 fixture version (#7)."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, pdftotext
from lovande_docs.cli import main
from lovande_docs.fill import FILLERS, field_values
from lovande_docs.readers import read_form
from lovande_docs.readers.registry import load_registry

VERSIONS = FIXTURES / "versions"
EARLIER = {
    "practice": {"arbetssatt": "Stödgrupp för anhöriga"},
    "questions": {
        "namngivna-teorier": {"answer": "ja", "status": "klar", "description": "Bygger på KASAM."},  # unchanged
        "uppfoljning-over-tid": {"answer": "nej", "status": "paborjad", "description": "Endast vid start."},  # reworded
        "samtycke-till-mal": {"answer": "ja", "status": None, "description": "Skriftligt samtycke."},  # moved 4 → 9
        "delmal": {"answer": "ej_relevant", "status": None, "description": None},  # renumbered
        "jamforelse-av-kostnader": {"answer": "nej", "status": "ej_paborjad", "description": "Saknar data."},  # removed
    },
    "elements": {"overforbarhet": {"summary": "Kan spridas.", "comment": None, "status": "pa_god_vag"}},  # renamed
    "assessment": {"organisation": "Exempels kommun", "datum": "2026-10-01"},
}


@pytest.fixture(scope="module")
def registry():
    return load_registry(VERSIONS)


def _filled_source(fmt: str, model, built: Path, tmp_path: Path) -> Path:
    target = tmp_path / f"ifylld-2026.{fmt}"
    FILLERS[fmt](built, field_values(EARLIER, model), target, model)
    return target


def _text_of(path: Path) -> str:
    if path.suffix == ".pdf":
        return " ".join(pdftotext(path).split())
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", xml).split())


@pytest.mark.parametrize("source_format", ["docx", "pdf"])
@pytest.mark.parametrize("target_format", ["docx", "pdf"])
def test_prefill_into_the_new_version(source_format, target_format, model, built_docx, built_pdf, registry, tmp_path):
    built = {"docx": built_docx, "pdf": built_pdf}[source_format]
    source = _filled_source(source_format, model, built, tmp_path)
    out = tmp_path / "ny"
    result = CliRunner().invoke(main, ["build", "--format", target_format, "-o", str(out), "--model-version", "2027.1",
                                       "--content-dir", str(VERSIONS), "--prefill", str(source)])
    assert result.exit_code == 0, result.output
    built_new = out / f"lovande-arbetssatt.{target_format}"
    form = read_form(built_new, registry).to_dict()
    assert form["model"]["version"] == "2027.1" and form["model"]["known"] is True
    assert form["problems"] == []  # every field of 2027.1, the new question included, is in the form
    assert form["questions"]["introduktion-av-nya-medarbetare"] == {"answer": None, "status": None, "description": None}

    # every unchanged, moved, renumbered or reworded answer is kept, under its id
    for question_id in ("namngivna-teorier", "uppfoljning-over-tid", "samtycke-till-mal", "delmal"):
        assert form["questions"][question_id] == EARLIER["questions"][question_id], question_id
    assert form["elements"]["overforbarhet"] == EARLIER["elements"]["overforbarhet"]
    assert form["practice"]["arbetssatt"] == "Stödgrupp för anhöriga"
    assert form["assessment"]["organisation"] == "Exempels kommun"
    # the removed question has no field any more, and nothing else was invented
    assert "jamforelse-av-kostnader" not in form["questions"]
    answered = {q for q, v in form["questions"].items() if any(x is not None for x in v.values())}
    assert answered == {"namngivna-teorier", "uppfoljning-over-tid", "samtycke-till-mal", "delmal"}

    text = _text_of(built_new)
    # the reworded and the new question are marked; the removed answer is in the appendix
    assert text.count("Frågan är omformulerad i version 2027.1") == 1
    assert text.count("Ny fråga i version 2027.1") == 1
    assert "Bilaga: Svar på frågor som har tagits bort" in text
    assert "Har ni kännedom om hur dessa kostnader står sig" in text and "Saknar data." in text
    assert "Status: Ej påbörjad" in text


def test_prefill_from_answers_json(model, built_docx, registry, tmp_path):
    source = _filled_source("docx", model, built_docx, tmp_path)
    answers = tmp_path / "svar.json"
    answers.write_text(json.dumps([read_form(source).to_dict()], ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "ny"
    result = CliRunner().invoke(main, ["build", "--format", "docx", "-o", str(out), "--model-version", "2027.1",
                                       "--content-dir", str(VERSIONS), "--prefill", str(answers)])
    assert result.exit_code == 0, result.output
    form = read_form(out / "lovande-arbetssatt.docx", registry).to_dict()
    assert form["questions"]["namngivna-teorier"] == EARLIER["questions"]["namngivna-teorier"]


def test_prefill_into_the_same_version_marks_nothing(model, built_docx, tmp_path):
    source = _filled_source("docx", model, built_docx, tmp_path)
    result = CliRunner().invoke(main, ["build", "--format", "docx", "-o", str(tmp_path / "ny"), "--prefill", str(source)])
    assert result.exit_code == 0, result.output
    assert "0 question(s) marked to revisit; 0 answer(s) to removed questions" in result.output
    form = read_form(tmp_path / "ny" / "lovande-arbetssatt.docx").to_dict()
    assert form["questions"]["jamforelse-av-kostnader"] == EARLIER["questions"]["jamforelse-av-kostnader"]


@pytest.mark.parametrize("content, message", [
    ('{"schema": "lovande-answers/1", ', "not valid JSON (line 1, column 33"),
    ('{"schema": "annat/1"}', "not answers in the lovande-answers/1 format"),
    ('{"schema": "lovande-answers/1"}', "not in the lovande-answers/1 format: at the top level: 'source' is a required"),
    ("[]", "an answers file with 0 forms"),
])
def test_bad_prefill_sources_give_one_line(content, message, tmp_path):
    source = tmp_path / "svar.json"
    source.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--format", "docx", "-o", str(tmp_path / "ny"), "--prefill", str(source)])
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
