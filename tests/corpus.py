"""Generated answers for the compiler's tests and benchmark (test code, not shipped in the package).

tests/test_compile.py imports it as ``corpus`` (pytest puts tests/ on the path); benchmarks/compile.py
puts tests/ on sys.path itself.

``generate_answers`` makes one form's answers structure (lovande-answers/1) for a model version;
``write_synthetic`` stores it as a stand-in file (JSON bytes under a .docx or .pdf name) and
``synthetic_reader`` is the matching reader: a module-level function, so worker processes can
import it. A stand-in file that is not JSON fails with ReadError, like a broken upload.
``fill_guides`` fills the built .docx and .pdf with one generated form's answers, as users would.
"""
from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

from lovande_docs import fields as field_ids
from lovande_docs.answers import SCHEMA
from lovande_docs.model import Model
from lovande_docs.readers.safety import ReadError

WORDS = ("dokumentation", "uppföljning", "målgruppen", "brukarnas delaktighet", "kompetens", "handledning",
         "rutiner", "samverkan", "utvärdering", "kostnader", "implementering", "manual", "teoretisk grund",
         "förändringsteori", "återkoppling", "ledningens stöd", "överförbarhet", "reflektion")


def _text(rng: random.Random, sentences: int) -> str:
    lines = []
    for _ in range(sentences):
        words = rng.sample(WORDS, 3)
        lines.append(f"Vi behöver stärka {words[0]} och {words[1]}, särskilt {words[2]}.")
    return "\n".join(lines)


def generate_answers(model: Model, rng: random.Random, *, organisation: str | None, practice: str | None,
                     date: str | None, file: str = "form.docx", fmt: str = "docx",
                     answer_rate: float = 0.85, conflicts: int = 0) -> dict[str, Any]:
    """One form's answers for ``model``: every question present (answered or null), elements,
    assessment; ``conflicts`` questions get a conflict problem (and a null answer)."""
    answer_codes = model.options["answer"].codes
    status_codes = model.options["question-status"].codes
    element_codes = model.options["element-status"].codes
    overall_codes = model.options["overall-assessment"].codes
    questions: dict[str, dict[str, Any]] = {}
    problems: list[dict[str, Any]] = []
    numbered = list(model.numbered_questions())
    conflicted = set(rng.sample([n.question.id for n in numbered], conflicts)) if conflicts else set()
    for item in numbered:
        qid = item.question.id
        answered = rng.random() < answer_rate and qid not in conflicted
        questions[qid] = {
            "answer": rng.choice(answer_codes) if answered else None,
            "status": rng.choice(status_codes) if rng.random() < 0.7 else None,
            "description": _text(rng, 1) if rng.random() < 0.3 else None,
        }
        if qid in conflicted:
            problems.append({"field": field_ids.field_name(qid, "answer"), "kind": "conflict",
                             "message": "Two boxes ticked.", "values": list(rng.sample(answer_codes, 2))})
    elements = {e.id: {"summary": _text(rng, 2) if rng.random() < 0.6 else None,
                       "comment": None,
                       "status": rng.choice(element_codes) if rng.random() < 0.9 else None}
                for e in model.elements}
    return {
        "schema": SCHEMA,
        "source": {"file": file, "sha256": "0" * 64, "format": fmt, "size": 0},
        "model": {"id": model.id, "version": model.version, "content_hash": model.content_hash,
                  "generator": "synthetic", "known": True, "read_with": f"{model.id} {model.version}"},
        "practice": {"arbetssatt": practice, "motiv": None, "medverkande": None, "datum-revideringar": None},
        "questions": questions,
        "elements": elements,
        "assessment": {"organisation": organisation, "datum": date, "deltagare": "Anna Andersson, enhetschef",
                       "kort-beskrivning": None, "samlad-bedomning": rng.choice(overall_codes),
                       "motivering": _text(rng, 1), "utvecklingsomraden": _text(rng, 2) if rng.random() < 0.8 else None,
                       "ansvarig": None},
        "problems": problems,
    }


def fill_guides(model: Model, blanks: dict[str, Path], folder: Path, seed: int, **options) -> dict[str, Path]:
    """{format: the built guide of that format filled with the same generated answers} (a unit in
    Solna with every kind of field answered)."""
    from lovande_docs.fill import FILLERS, field_values

    answers = generate_answers(model, random.Random(seed), organisation="Solna stad", practice="Stöd i hemmet",
                               date="2026-05-04", **options)
    out = {}
    for fmt, blank in blanks.items():
        out[fmt] = folder / f"ifylld.{fmt}"
        FILLERS[fmt](blank, field_values(answers, model), out[fmt], model)
    return out


def write_synthetic(path: Path, answers: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(json.dumps(answers, ensure_ascii=False).encode("utf-8"))
    return path


def synthetic_reader(path: Path, data: bytes | None = None, sha256: str | None = None) -> dict[str, Any]:
    """Answers written by write_synthetic, as a compile's reader (path, bytes, digest)."""
    data = Path(path).read_bytes() if data is None else data
    if not data.startswith(b"{"):
        raise ReadError("not a .docx or .pdf file (its first bytes are neither a ZIP nor a PDF header)")
    try:
        answers = json.loads(data)
    except ValueError:
        raise ReadError("the file is damaged or truncated") from None
    fmt = "pdf" if Path(path).suffix.lower() == ".pdf" else "docx"
    answers["source"] = {"file": Path(path).name, "sha256": hashlib.sha256(data).hexdigest(), "format": fmt,
                         "size": len(data)}
    return answers
