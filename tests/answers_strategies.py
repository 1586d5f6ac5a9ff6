"""Answer sets for round-trip tests: a fixed sample, hypothesis strategies, and the expected reading."""
from __future__ import annotations

from hypothesis import strategies as st

from lovande_docs import fields as field_ids
from lovande_docs.answers import lookup, place
from lovande_docs.model import Model

SWEDISH = "abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖéü0123456789 .,;:!?()-–\"'/%&"


@st.composite
def free_text(draw, max_lines: int = 4, max_line: int = 120):
    """Texts as the reader returns them: lines without outer white space, no empty result."""
    lines = draw(st.lists(st.text(SWEDISH, min_size=0, max_size=max_line), min_size=1, max_size=max_lines))
    text = "\n".join(line.strip() for line in lines).strip()
    return text or draw(st.sampled_from(["Ja, delvis.", "Åtgärd pågår – se bilaga.", "Öppen grupp för äldre."]))


def _value(draw, definition, long_text: bool):
    if definition.kind in ("choice", "select"):
        return draw(st.sampled_from([None, *definition.options.codes]))
    if definition.kind == "date":
        return draw(st.sampled_from([None, "2026-11-20", "2027-01-31"]))
    if definition.kind == "line":
        return draw(st.one_of(st.none(), free_text(max_lines=1, max_line=60)))
    return draw(st.one_of(st.none(), free_text(max_lines=8 if long_text else 3, max_line=400 if long_text else 80)))


@st.composite
def answer_sets(draw, model: Model, long_text: bool = False):
    """A full answers structure (practice, questions, elements, assessment) for ``model``."""
    answers: dict = {"practice": {}, "questions": {}, "elements": {}, "assessment": {}}
    for definition in field_ids.all_fields(model):
        place(answers, definition, model, _value(draw, definition, long_text))
    return answers


SAMPLE = {
    "practice": {"arbetssatt": "Föräldrastöd i grupp – ÄBC", "motiv": "Efterfrågan ökade.\nSå vi började."},
    "questions": {
        "namngivna-teorier": {"answer": "ja", "status": "klar", "description": "KBT och MI.\nSe manualen, s. 4–5."},
        "forandringsteori": {"answer": "nej", "status": "behover_utvecklas", "description": None},
        "studie-annan-malgrupp": {"answer": "ej_relevant", "status": None, "description": "Gäller ej – ålder."},
    },
    "elements": {"teori-och-kunskap": {"summary": "Väl förankrat.", "comment": None, "status": "pa_god_vag"}},
    "assessment": {"organisation": "Exempels kommun", "datum": "2026-11-20", "samlad-bedomning": "till_storsta_delen"},
}


def strip_answers(answers: dict) -> dict:
    """Only the parts compared in round trips."""
    return {key: answers[key] for key in ("practice", "questions", "elements", "assessment")}


def expected(model, entered: dict) -> dict:
    """What the reader must return for ``entered``: every field of the model, None where empty."""
    result: dict = {"practice": {}, "questions": {}, "elements": {}, "assessment": {}}
    for definition in field_ids.all_fields(model):
        place(result, definition, model, lookup(entered, definition, model))
    return result
