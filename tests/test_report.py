"""The compile report's content (issue #14): a summary whose length does not grow with the forms.

The report's blocks are built straight from generated answers (no files, no writers), so many
forms cost little; the PDF's chart flowables are checked for their text alternatives.
"""
from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
from collections import Counter

import pytest
from corpus import generate_answers

from lovande_docs.compile import report as blocks
from lovande_docs.compile.catalog import Catalog
from lovande_docs.compile.municipality import municipalities
from lovande_docs.compile.record import FormRecord, describe
from lovande_docs.compile.report import ReportCollector, shorten
from lovande_docs.compile.tally import OptionLabels, Tally

TODAY = dt.date(2026, 11, 23)


def _forms(model, count: int, seed: int = 14):
    rng = random.Random(seed)
    by_county: dict = {}
    for place in municipalities():  # two municipalities of every county: all 21 counties in 42 forms
        by_county.setdefault(place.county.code, []).append(place)
    places = [p for county in by_county.values() for p in county[:2]]
    forms = []
    for index in range(count):
        place = places[index % len(places)]
        answers = generate_answers(model, rng, organisation=f"{place.name} kommun", practice=f"Arbetssätt {index}",
                                   date="2026-05-01")
        for values in answers["elements"].values():
            values["summary"] = f"Beskrivning {index}. " + "Vi följer upp arbetet löpande. " * rng.randint(1, 40)
        record = describe(FormRecord(f"/in/form-{index}.docx", f"form-{index}.docx", 1, 0.0, f"{index:064x}"),
                          answers)
        forms.append((record, answers))
    return forms


def _report(model, layout, forms, quotes=None):
    catalog = Catalog([model])
    tally, collector = Tally(catalog), ReportCollector(catalog, layout, quotes, model)
    for record, answers in forms:
        tally.add(answers)
        collector.add(record, answers)
    return collector.finish(tally, OptionLabels.of(model), layout, 0, 0, 0, TODAY, "s.xlsx")


def _shape(data) -> Counter:
    """What decides the report's length: blocks by kind, and table rows."""
    kinds = Counter(type(b).__name__ for b in data.blocks)
    kinds["table rows"] = sum(len(b.rows) for b in data.blocks if isinstance(b, blocks.Table))
    return kinds


def _headings(data) -> list[str]:
    return [b.text for b in data.blocks if isinstance(b, blocks.Heading)]


def test_report_length_does_not_grow_with_the_forms(model, layout):
    many, more = _report(model, layout, _forms(model, 100)), _report(model, layout, _forms(model, 250))
    assert _shape(many) == _shape(more)
    quotes = [b for b in more.blocks if isinstance(b, blocks.Quote)]
    limit = int(layout.number("report.quotes_per_element")) * 11 + int(layout.number("report.development_quotes"))
    assert len(quotes) <= limit
    assert all(len(q.text) <= layout.number("report.quote_max_chars") + 2 for q in quotes)
    assert "Urval: 3 av 250\u00a0beskrivningar." in [b.text for b in more.blocks if isinstance(b, blocks.Para)]
    # past max_unit_rows units the comparison is by county; municipalities are capped and merged
    assert "Jämförelse mellan län" in _headings(more) and "Jämförelse mellan enheter" not in _headings(more)
    table = next(b for b in more.blocks if isinstance(b, blocks.Table) and b.columns[0] == "Kommun")
    assert len(table.rows) == layout.number("report.max_municipality_rows") + 1
    assert table.rows[-1][0].startswith("Övriga ") and sum(r[1] for r in table.rows) == 250


def test_few_units_are_compared_one_by_one(model, layout):
    data = _report(model, layout, _forms(model, 12))
    assert "Jämförelse mellan enheter" in _headings(data)
    table = next(b for b in data.blocks if isinstance(b, blocks.Table) and b.columns[0] == "Enhet")
    assert len(table.rows) == 12 and len(table.columns) == 12  # unit + 11 elements
    assert {cell for row in table.rows for cell in row[1:]} <= {"MB", "PGV", "BUV", "–", "ej"}
    assert all(fill for row in table.fills for fill in row[1:])  # every status cell is shaded, and says it


def test_quote_sample_is_the_same_whatever_the_order(model, layout):
    forms = _forms(model, 60)
    shuffled = forms[:]
    random.Random(1).shuffle(shuffled)
    quotes = lambda data: [(b.unit, b.text) for b in data.blocks if isinstance(b, blocks.Quote)]
    assert quotes(_report(model, layout, forms)) == quotes(_report(model, layout, shuffled))


def test_quotes_all_quotes_every_text_uncut(model, layout):
    forms = _forms(model, 20)
    data = _report(model, layout, forms, quotes="all")
    quoted = {b.text for b in data.blocks if isinstance(b, blocks.Quote)}
    for _, answers in forms:
        for values in answers["elements"].values():
            assert values["summary"] in quoted


def test_shorten_cuts_at_a_word():
    assert shorten("en två tre fyra", 9) == "en två …"
    assert shorten("kort", 10) == "kort"


def test_pdf_charts_carry_their_figures_as_alt_text(model, layout):
    from lovande_docs.compile.report_pdf import story_of
    from lovande_docs.compile.style import ReportStyle

    data = _report(model, layout, _forms(model, 12))
    charts = [b.chart for b in data.blocks if isinstance(b, blocks.Chart)]
    style = ReportStyle.of(layout)
    style.register_fonts()
    flowables = [f for f in story_of(data, style) if hasattr(f, "alt_text")]
    assert [f.alt_text for f in flowables] == [c.alt_text() for c in charts]
    overall = flowables[0].alt_text
    counts = Counter(r.overall for r, _ in _forms(model, 12))
    first_code, first_label = OptionLabels.of(model).overall[0]
    assert overall.startswith("Stapeldiagram: Samlad bedömning. ")
    assert f"{first_label}: {counts[first_code]}" in overall


def test_matplotlib_is_loaded_only_for_a_report():
    code = ("import sys, lovande_docs.cli, lovande_docs.compile.run, lovande_docs.compile.report;"
            "print('matplotlib' in sys.modules, 'svglib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_chart_images_are_reproducible(layout, fmt):
    from lovande_docs.compile.chart import BarChart, Series, to_png, to_svg
    from lovande_docs.compile.style import ReportStyle

    style = ReportStyle.of(layout)
    chart = BarChart("Test", [("1", [3, 1, 0]), ("2", [0, 0, 0])], [Series("Ja", "2E8540"), Series("Nej", "B5651D"),
                                                                   Series("Ej relevant", "8A9BAA")], 400)
    draw = (lambda: to_svg(chart, style.chart, style.measure)) if fmt == "pdf" else \
        (lambda: to_png(chart, style.chart, style.measure, 100))
    first = draw()
    assert first == draw()
    assert b"Date" not in first and b"matplotlib" not in first.lower() or fmt == "pdf"


def test_cli_rejects_a_bad_quotes_value(tmp_path):
    from click.testing import CliRunner

    from lovande_docs.cli import main

    result = CliRunner().invoke(main, ["compile", str(tmp_path), "-o", str(tmp_path / "s.xlsx"), "--report",
                                       str(tmp_path / "r.pdf"), "--quotes", "många"])
    assert result.exit_code == 2 and "--quotes många: give a number or 'all'" in result.output
