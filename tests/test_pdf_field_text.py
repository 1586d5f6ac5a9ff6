"""Field text in the PDF (#20): one readable size from the layout in every field and viewer, and a
prefilled answer too long for its box kept whole on continuation pages, never cut off."""
from __future__ import annotations

import json
import random
import re
import subprocess
from pathlib import Path

import fitz
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from answers_strategies import expected
from conftest import require_tool
from pypdf import PdfReader
from test_pdf_tagged import struct_events

from lovande_docs import fields as field_ids
from lovande_docs.cli import main
from lovande_docs.layout import LayoutError, load_layout
from lovande_docs.readers import read_form
from lovande_docs.render.pdf import write_pdf
from lovande_docs.render.pdf.formfields import field_look

LONG, SHORT = "namngivna-teorier", "forandringsteori"


def _long_answer(length: int = 5000) -> str:
    """Swedish prose with paragraph breaks, ``length`` characters, ending in a word we look for."""
    rng = random.Random(20)
    words = ("arbetssättet bygger på forskning och beprövad erfarenhet där vi följer upp varje brukare med "
             "strukturerade samtal och skattningsskalor som sammanställs varje kvartal för att se om insatsen "
             "leder till förändring över tid för målgruppen i kommunen").split()
    sentences = []
    while sum(len(s) + 1 for s in sentences) < length:
        sentences.append(" ".join(rng.choice(words) for _ in range(rng.randint(8, 16))).capitalize() + ".")
    text = "".join(s + ("\n" if n % 9 == 8 else " ") for n, s in enumerate(sentences))
    return text[:length - 9].rstrip() + " SLUTORD."


@pytest.fixture(scope="module")
def prefilled(tmp_path_factory, model) -> tuple[Path, str]:
    """The guide built with --prefill from answers holding a 5,000-character description (an
    answers file as `lovande parse` or the web edition writes it)."""
    work = tmp_path_factory.mktemp("field-text")
    text = _long_answer()
    entered = {"questions": {LONG: {"answer": "ja", "status": "klar", "description": text},
                             SHORT: {"answer": "nej", "status": None, "description": "Kort svar."}}}
    answers = {"schema": "lovande-answers/1",
               "source": {"file": "svar.json", "sha256": "0" * 64, "format": "html", "size": 1},
               "model": {"id": model.id, "version": model.version, "content_hash": model.content_hash,
                         "generator": "lovande-docs", "known": True, "read_with": f"{model.id} {model.version}"},
               **expected(model, entered), "problems": []}
    source = work / "svar.json"
    source.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--format", "pdf", "-o", str(work), "--prefill", str(source)])
    assert result.exit_code == 0, result.output
    return work / "lovande-arbetssatt.pdf", text


def _widget(reader: PdfReader, name: str):
    for number, page in enumerate(reader.pages, start=1):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/T") == name:
                return number, annot
    raise AssertionError(name)


def _sizes(stream: str) -> set[float]:
    return {float(size) for size in re.findall(r"/\S+ ([\d.]+) Tf", stream)}


def test_every_field_uses_the_layouts_text_size(layout, built_pdf):
    """/DA and the built appearance of every text and list field: the layout's size, at least 8 pt
    and no larger than the body text (automatic sizing made short answers 12 pt, long ones 4 pt)."""
    size = layout.number("pdf.fields.text_pt")
    assert 8 <= size <= layout.number("type.body_pt")
    reader = PdfReader(built_pdf)
    seen = 0
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/FT") in ("/Tx", "/Ch"):
                seen += 1
                assert _sizes(str(annot["/DA"])) == {size}, annot["/T"]
                assert _sizes(annot["/AP"]["/N"].get_object().get_data().decode("latin-1")) <= {size}
    assert seen > 100


def test_long_prefilled_answer_continues_whole_and_reads_back_exactly(model, layout, prefilled):
    path, text = prefilled
    reader = PdfReader(path)
    size = layout.number("pdf.fields.text_pt")
    # in its box: the layout's size, the text's beginning, and the note naming the continuation page
    box_page, box = _widget(reader, field_ids.field_name(LONG, "description"))
    shown = box["/AP"]["/N"].get_object().get_data().decode("latin-1")
    assert _sizes(shown) == {size}
    doc = fitz.open(path)
    box_text = " ".join(doc[box_page - 1].get_text("text", clip=fitz.Rect(*_rect_on(doc, box_page, box))).split())
    assert box_text.startswith(" ".join(text.split())[:40])
    note = re.search(re.escape(model.label("continued_note", page="@")).replace("@", r"(\d+)"), box_text)
    assert note, box_text
    continued = int(note.group(1))
    # on that page: the field's title (question number) and the question, then the whole answer
    page_text = " ".join(doc[continued - 1].get_text().split())
    title = next(f for f in field_ids.all_fields(model) if f.name == field_ids.field_name(LONG, "description")).title
    assert model.labels["continued_heading"] in page_text and title in page_text
    words = " ".join(doc[n].get_text() for n in range(continued - 1, len(doc))).split()
    at = 0
    for word in text.split():  # every word, in order (running headers and page numbers between)
        at = words.index(word, at) + 1
    pdftotext = subprocess.run([require_tool("pdftotext"), "-f", str(continued), str(path), "-"], check=True,
                               capture_output=True, text=True).stdout
    assert "SLUTORD." in pdftotext
    for number in range(continued - 1, len(doc)):  # readable: nothing on those pages below 8 pt
        for block in doc[number].get_text("dict")["blocks"]:
            for line in block.get("lines", ()):
                assert all(span["size"] >= 8 for span in line["spans"] if span["text"].strip())
    # tagged: a screen reader meets the heading, the title and every paragraph of the answer
    events = struct_events(path)
    tagged = " ".join(t for role, t in events if role == "P")
    assert " ".join(text.split()) in " ".join(tagged.split())
    assert ("H2", title) in [(role, t.strip()) for role, t in events]
    # and lovande parse reads exactly the answer, not the note
    form = read_form(path).to_dict()
    assert form["questions"][LONG]["description"] == text
    assert form["questions"][SHORT]["description"] == "Kort svar."


def _rect_on(doc, page_number: int, annot) -> tuple[float, float, float, float]:
    """A widget's /Rect in PyMuPDF's top-down page coordinates."""
    x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
    height = doc[page_number - 1].rect.height
    return x0, height - y1, x1, height - y0


def test_short_prefilled_answer_shows_at_the_layouts_size_inside_the_padding(layout, prefilled):
    path, _ = prefilled
    reader = PdfReader(path)
    page, box = _widget(reader, field_ids.field_name(SHORT, "description"))
    shown = box["/AP"]["/N"].get_object().get_data().decode("latin-1")
    assert _sizes(shown) == {layout.number("pdf.fields.text_pt")}  # was 12 pt, above the body's 10.5
    inset = layout.number("pdf.fields.border_pt") + layout.number("pdf.fields.padding_pt")
    x, y = (float(v) for v in re.search(r"([\d.]+) ([\d.]+) Td", shown).groups())
    height = float(box["/Rect"][3]) - float(box["/Rect"][1])
    assert x == inset and y < height - inset  # the text keeps off the frame
    assert "fortsätter" not in shown


def test_a_plain_build_has_no_continuation_pages(model, built_pdf, prefilled):
    assert model.labels["continued_heading"] not in " ".join(t for _, t in struct_events(built_pdf))
    assert len(PdfReader(prefilled[0]).pages) > len(PdfReader(built_pdf).pages)


@pytest.mark.parametrize("key, value", [("pdf.fields.text_pt", 7), ("pdf.fields.text_pt", 12)])
def test_field_text_size_outside_8_pt_to_the_body_size_is_a_layout_error(model, key, value, tmp_path):
    source = Path(load_layout().source)
    text = source.read_text(encoding="utf-8")
    assert re.search(r"\n    text_pt: \d+", text)
    changed = tmp_path / "layout.yaml"
    changed.write_text(re.sub(r"\n    text_pt: \d+", f"\n    text_pt: {value}", text), encoding="utf-8")
    with pytest.raises(LayoutError, match="text_pt"):
        write_pdf(model, load_layout(changed), tmp_path / "x.pdf")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.sampled_from("abcåäö ÅÄÖ–’…\nWWWiii"), max_size=400), width=st.floats(40, 480))
def test_wrapped_lines_fit_the_box_and_keep_every_character(layout, text, width):
    """What the filler draws in a multi-line box: every line inside the padding, and nothing of
    the value lost or changed but the spaces it was broken at."""
    look = _look(layout)
    lines = look.wrap(text, width)
    room = width - 2 * look.inset
    assert all(look.field_font.width(line, look.font_pt) <= room or len(line) == 1 for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


_LOOKS = {}


def _look(layout):
    if "look" not in _LOOKS:
        _LOOKS["look"] = field_look(layout)
    return _LOOKS["look"]
