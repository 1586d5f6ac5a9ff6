"""The compiled workbook as analysts get it (issues #14, #15): municipality and county columns and
breakdowns, the blank guide, "ej angiven", and readability and print setup checked in the
application: the workbook is converted to PDF by LibreOffice Calc and its pages are read back."""
from __future__ import annotations

import random
import re
import zipfile
from collections import defaultdict

import openpyxl
import pytest
from conftest import soffice_convert

from lovande_docs import markup
from lovande_docs.compile import compile_forms
from corpus import generate_answers, synthetic_reader, write_synthetic
from lovande_docs.compile.textfit import text_fit

# organisation field → (municipality, code, county) the workbook must show (None: listed on Problem)
UNITS = {
    "Bromölla kommun, Socialtjänsten": ("Bromölla", "1272", "Skåne län"),
    "Socialförvaltningen i Malmö": ("Malmö", "1280", "Skåne län"),
    "Malmö stad, Vård och omsorg": ("Malmö", "1280", "Skåne län"),
    "Individ- och familjeomsorgen, Stockholms stad": ("Stockholm", "0180", "Stockholms län"),
    "Region Skåne": (None, None, "Skåne län"),
    "Samordningsförbundet Lund och Eslöv": (None, None, "Skåne län"),
    "Samordningsförbundet Väst": (None, None, None),
    "Falu kommun, Socialtjänsten": ("Falun", "2080", "Dalarnas län"),  # an official name in its own form
}
NO_OVERALL = "Malmö stad, Vård och omsorg"
MARKUP = "<r><t>inskjuten</t></r>"  # XlsxWriter would write it as raw XML
LONG_PRACTICE = ("Mobilt team för personer med samsjuklighet och hemlöshet, med förstärkt rehabilitering i hemmet "
                 "och ett särskilt stöd till anhöriga under de första månaderna")


def _blank(model) -> dict:
    answers = generate_answers(model, random.Random(0), organisation=None, practice=None, date=None)
    for values in [*answers["questions"].values(), *answers["elements"].values()]:
        for key in values:
            values[key] = None
    answers["assessment"] = dict.fromkeys(answers["assessment"])
    answers["problems"] = []
    return answers


@pytest.fixture(scope="module")
def book(tmp_path_factory, model):
    folder = tmp_path_factory.mktemp("workbook")
    rng = random.Random(15)
    forms = {}
    for index, organisation in enumerate(UNITS):
        practice = LONG_PRACTICE if index == 0 else f"Arbetssätt {index}"
        answers = generate_answers(model, rng, organisation=organisation, practice=practice, date=f"2026-0{index + 1}-01",
                                   conflicts=index % 2)
        if organisation == NO_OVERALL:
            answers["assessment"]["samlad-bedomning"] = None
            first = next(iter(answers["questions"].values()))
            first["description"] = MARKUP  # untrusted text that looks like spreadsheet XML
        forms[organisation] = answers
        write_synthetic(folder / "in" / f"enhet-{index}.{'pdf' if index % 2 else 'docx'}", answers)
    write_synthetic(folder / "in" / "tom-blankett.docx", _blank(model))
    target = folder / "out" / "s.xlsx"
    result = compile_forms([folder / "in"], target, csv_path=folder / "out" / "svar.csv", jobs=1, use_cache=False,
                           reader=synthetic_reader)
    return result, target, openpyxl.load_workbook(target), forms, folder


def _widths(sheet) -> dict[str, float]:
    """Column letter → width as written (XlsxWriter writes width + 0.71; openpyxl groups equal columns)."""
    widths = {}
    for dimension in sheet.column_dimensions.values():
        for index in range(dimension.min, dimension.max + 1):
            widths[openpyxl.utils.get_column_letter(index)] = dimension.width - 0.71
    return widths


def _rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row)) for row in values[1:]]


def test_blank_guide_is_listed_not_counted(book):
    result, _, workbook, _, _ = book
    assert result.counted == len(UNITS) and result.read == len(UNITS) + 1
    blank = next(r for r in _rows(workbook["Översikt"]) if r["Fil"] == "tom-blankett.docx")
    assert blank["Ingår i sammanställningen"] == "Nej" and blank["Anmärkning"].startswith("Tom blankett")
    assert blank["Samlad bedömning"] is None
    problems = [r for r in _rows(workbook["Problem"]) if r["Fil"] == "tom-blankett.docx"]
    assert [r["Typ"] for r in problems] == ["Tom blankett"]
    assert "tom-blankett.docx" not in {r["Fil"] for r in _rows(workbook["Svar"])}
    per_question = _rows(workbook["Per fråga"])
    assert all(r["Formulär där frågan ställdes"] == len(UNITS) for r in per_question)  # no extra "obesvarad"


def test_texts_that_look_like_xml_are_written_as_text(book):
    _, _, workbook, _, _ = book
    descriptions = {r["Beskrivning"] for r in _rows(workbook["Svar"]) if r["Organisation"] == NO_OVERALL}
    assert MARKUP in descriptions


def test_missing_overall_assessment_is_ej_angiven(book):
    _, _, workbook, _, _ = book
    rows = {r["Organisation"]: r for r in _rows(workbook["Översikt"])}
    assert rows[NO_OVERALL]["Samlad bedömning"] == "ej angiven"
    assert all(r["Samlad bedömning"] for o, r in rows.items() if o)


def test_municipality_and_county_columns(book):
    _, _, workbook, _, folder = book
    for sheet in ("Översikt", "Svar", "Utvecklingsområden"):
        for row in _rows(workbook[sheet]):
            if row["Organisation"] is None:
                continue
            municipality, code, county = UNITS[row["Organisation"]]
            assert (row["Kommun"], row["Län"]) == (municipality, county), (sheet, row["Organisation"])
            if "Kommunkod" in row:
                assert row["Kommunkod"] == code
    import csv

    with open(folder / "out" / "svar.csv", encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert {(r["organisation"], r["kommun"] or None, r["kommunkod"] or None, r["lan"] or None) for r in table} == \
        {(o, *where) for o, where in UNITS.items()}


def test_unrecognised_municipalities_are_listed_not_guessed(book):
    _, _, workbook, _, _ = book
    listed = {r["Fil"]: r["Beskrivning av problemet"] for r in _rows(workbook["Problem"])
              if r["Typ"] == "Kommun kan inte avgöras"}
    files = {r["Organisation"]: r["Fil"] for r in _rows(workbook["Översikt"])}
    assert set(listed) == {files[o] for o, (m, _, _) in UNITS.items() if m is None}
    assert "Eslöv, Lund" in listed[files["Samordningsförbundet Lund och Eslöv"]]
    assert "Skåne län" in listed[files["Region Skåne"]]


@pytest.mark.parametrize("organisation, said", [
    ("Region Skåne", "Län är ifyllt (Skåne län) och Kommun lämnas tom."),  # county only
    ("Samordningsförbundet Lund och Eslöv", "Län är ifyllt (Skåne län) och Kommun lämnas tom."),  # several, one county
    ("Samordningsförbundet Väst", "kolumnerna Kommun och Län lämnas tomma."),  # nothing
    ("Falu kommun, Socialtjänsten", None),  # municipality and county: nothing to say
])
def test_the_municipality_message_says_what_was_done(book, organisation, said):
    """Issue #21: "Region Skåne" fills Län, so the message must not say Län is left empty."""
    _, _, workbook, _, _ = book
    files = {r["Organisation"]: r["Fil"] for r in _rows(workbook["Översikt"])}
    overview = {r["Organisation"]: r for r in _rows(workbook["Översikt"])}
    messages = [r["Beskrivning av problemet"] for r in _rows(workbook["Problem"])
                if r["Typ"] == "Kommun kan inte avgöras" and r["Fil"] == files[organisation]]
    if said is None:
        assert messages == [] and overview[organisation]["Kommun"] and overview[organisation]["Län"]
        return
    assert len(messages) == 1 and messages[0].endswith(said), messages
    county_filled = overview[organisation]["Län"] is not None
    assert ("Län är ifyllt" in messages[0]) == county_filled and ("lämnas tomma" in messages[0]) == (not county_filled)


def test_comparison_sheet_units_municipalities_and_counties(book, model):
    _, _, workbook, forms, _ = book
    rows = _rows(workbook["Jämförelse"])
    by_level = defaultdict(list)
    for row in rows:
        by_level[row["Nivå"]].append(row)
    assert [r["Namn"] for r in by_level["Enhet"]] == list(UNITS)
    municipalities = {(r["Namn"], r["Län"]): r["Formulär"] for r in by_level["Kommun"]}
    assert municipalities == {("Bromölla", "Skåne län"): 1, ("Malmö", "Skåne län"): 2, ("Stockholm", "Stockholms län"): 1,
                              ("(kommun okänd)", "Skåne län"): 2, ("(kommun okänd)", None): 1,
                              ("Falun", "Dalarnas län"): 1}
    counties = {r["Namn"]: r["Formulär"] for r in by_level["Län"]}
    assert counties == {"Skåne län": 5, "Stockholms län": 1, "(län okänt)": 1, "Dalarnas län": 1}
    first = f"Andel ja, 1. {markup.plain(model.elements[0].title)}"
    first_ids = {n.question.id for n in model.numbered_questions() if n.element is model.elements[0]}

    def share(selected, ids=None):
        given = [v["answer"] for f in selected for q, v in f["questions"].items() if ids is None or q in ids]
        return pytest.approx(given.count("ja") / len(given), abs=1e-4)

    for row in by_level["Enhet"]:  # one unit's shares
        assert row[first] == share([forms[row["Namn"]]], first_ids)
        assert row["Andel ja, alla element"] == share([forms[row["Namn"]]])
    malmo = [forms[o] for o, (m, _, _) in UNITS.items() if m == "Malmö"]  # pooled over a municipality
    row = next(r for r in by_level["Kommun"] if r["Namn"] == "Malmö")
    assert row["Andel ja, alla element"] == share(malmo) and row[first] == share(malmo, first_ids)
    skane = [forms[o] for o, (_, _, c) in UNITS.items() if c == "Skåne län"]
    row = next(r for r in by_level["Län"] if r["Namn"] == "Skåne län")
    assert row["Andel ja, alla element"] == share(skane)


def test_charts_and_conditional_formats_are_native(book):
    _, target, _, _, _ = book
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        charts = [n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        assert len(charts) == 3  # Per fråga: answers; Per element: status and answers
        workbook = archive.read("xl/workbook.xml").decode()
        sheets = re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="rId(\d+)"', workbook)
        with_drawings = {name for name, rid in sheets
                         if "<drawing " in archive.read(f"xl/worksheets/sheet{rid}.xml").decode()}
        assert with_drawings == {"Per fråga", "Per element"}
        comparison = archive.read(f"xl/worksheets/sheet{dict(sheets)['Jämförelse']}.xml").decode()
        assert "colorScale" in comparison
        for chart in charts:
            xml = archive.read(chart).decode()
            assert "<c:barChart>" in xml and '<c:grouping val="percentStacked"/>' in xml


def test_row_heights_fit_wrapped_text_and_headers(book, layout):
    _, _, workbook, _, _ = book
    fit = text_fit(layout.get("fonts.pdf_regular"), layout.get("fonts.pdf_bold"), layout.number("workbook.font_pt"))
    line = layout.number("workbook.line_pt")
    for sheet in workbook:
        widths = {}  # XlsxWriter writes width + 0.71; openpyxl groups equal columns (min..max)
        for dimension in sheet.column_dimensions.values():
            for index in range(dimension.min, dimension.max + 1):
                widths[openpyxl.utils.get_column_letter(index)] = dimension.width - 0.71
        printed = openpyxl.utils.column_index_from_string(re.findall(r"\$([A-Z]+)\$", sheet.print_area)[-1])
        for row in sheet.iter_rows():
            height = sheet.row_dimensions[row[0].row].height or 15
            for cell in row:
                if isinstance(cell.value, str):
                    if cell.column > printed and row[0].row > 1:  # technical: one line, whatever its length
                        assert not cell.alignment.wrap_text, (sheet.title, cell.coordinate)
                        continue
                    assert cell.alignment.wrap_text, (sheet.title, cell.coordinate)  # every text wraps alike
                    width = widths.get(cell.column_letter)
                    lines = fit.lines(cell.value, width, bold=row[0].row == 1)
                    assert height >= lines * line, (sheet.title, cell.coordinate, cell.value)


def test_print_setup(book):
    _, _, workbook, _, _ = book
    for sheet in workbook:
        assert sheet.print_title_rows == "$1:$1", sheet.title  # the header row on every page
        assert sheet.page_setup.paperSize == 9 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToHeight == 0 and (sheet.page_setup.fitToWidth or 1) >= 1  # 1 is left out
        assert "&A" in sheet.oddFooter.left.text and "Sida &P av &N" in sheet.oddFooter.right.text
    assert workbook["Svar"].page_setup.orientation == "landscape"
    assert workbook["Problem"].page_setup.orientation == "landscape"
    overview = workbook["Översikt"]
    assert overview.page_setup.fitToWidth == 2 and overview.print_title_cols == "$A:$B"
    # file and organisation stay in sight when scrolling sideways (Svar, Jämförelse: their first two too)
    assert {s: workbook[s].freeze_panes for s in ("Översikt", "Svar", "Jämförelse", "Problem", "Per fråga")} == {
        "Översikt": "C2", "Svar": "C2", "Jämförelse": "C2", "Problem": "B2", "Per fråga": "A2"}


def test_no_hash_or_path_wraps_or_makes_a_row_tall(book, layout):
    """Issue #21: Översikt rows were 66 pt tall because the SHA-256 column wrapped (9 forms a page)."""
    _, _, workbook, _, _ = book
    overview = workbook["Översikt"]
    header = [c.value for c in overview[1]]
    line = layout.number("workbook.line_pt")
    for title in ("SHA-256", "Sökväg", "Modellversion (inläst med)", "Bedömningskod"):
        column = openpyxl.utils.get_column_letter(header.index(title) + 1)
        cells = [row[header.index(title)] for row in overview.iter_rows(min_row=2)]
        assert all(not c.alignment.wrap_text for c in cells if c.value), title
    assert _widths(overview)[openpyxl.utils.get_column_letter(header.index("SHA-256") + 1)] >= 64  # a whole hash in sight
    # every row is as tall as its printed texts need, and no taller
    fit = text_fit(layout.get("fonts.pdf_regular"), layout.get("fonts.pdf_bold"), layout.number("workbook.font_pt"))
    printed = openpyxl.utils.column_index_from_string(re.findall(r"\$([A-Z]+)\$", overview.print_area)[-1])
    width = _widths(overview)
    for row in overview.iter_rows(min_row=2, max_col=printed):
        lines = max([fit.lines(c.value, width[c.column_letter]) for c in row if isinstance(c.value, str)] + [1])
        expected = round((lines * line + layout.number("workbook.row_padding_pt")) * 4 / 3) * 3 / 4  # whole pixels
        assert (overview.row_dimensions[row[0].row].height or 15) == pytest.approx(expected, abs=0.8), row[0].row


def test_overall_assessment_short_and_code_beside_the_sentence(book, model):
    _, _, workbook, forms, _ = book
    rows = {r["Organisation"]: r for r in _rows(workbook["Översikt"])}
    labels = {o.code: (markup.plain(o.label), o.label) for o in model.options["overall-assessment"].items}
    for organisation, answers in forms.items():
        code = answers["assessment"].get("samlad-bedomning")
        row = rows[organisation]
        if code is None:
            assert row["Samlad bedömning i korthet"] == row["Samlad bedömning"] == "ej angiven" and not row["Bedömningskod"]
            continue
        sentence, marked = labels[code]
        assert row["Samlad bedömning"] == sentence and row["Bedömningskod"] == code
        bold = re.search(r"\*\*(.+?)\*\*", marked).group(1)
        assert row["Samlad bedömning i korthet"] == bold[0].upper() + bold[1:]  # "Mycket bra", "Till största delen"
    header = [c.value for c in workbook["Översikt"][1]]
    assert header.index("Samlad bedömning i korthet") + 1 == header.index("Samlad bedömning")


def test_unanswered_is_capitalised_like_its_neighbours(book):
    _, _, workbook, _, _ = book
    per_question = [c.value for c in workbook["Per fråga"][1]]
    assert per_question[per_question.index("Ej relevant") + 1] == "Obesvarad" and "obesvarad" not in per_question
    assert "Obesvarad" in {r["Svar"] for r in _rows(workbook["Svar"])}
    assert not any("obesvarad" == c.value for sheet in workbook for row in sheet.iter_rows() for c in row)


def test_definitions_say_what_every_share_is_a_share_of(book):
    """Every share column (0 %) and count header of the sheets is defined on Definitioner, with the
    sheet it is on; and so are a unit, a duplicate and a revision."""
    _, _, workbook, _, _ = book
    definitions = _rows(workbook["Definitioner"])
    terms = {r["Begrepp"] for r in definitions}
    assert {"Enhet", "Dubblett", "Tidigare revision", "Formulär"} <= terms

    def defined(title: str, sheet: str) -> bool:
        for row in definitions:
            if sheet not in row["Blad"] and row["Blad"] != "Alla blad":
                continue
            term = row["Begrepp"]
            if " / " in term:  # "Andel Ja / Nej / Ej relevant / Obesvarad": the header ends with one
                if any(title.endswith(a) and term.startswith(title[:len(title) - len(a)]) for a in term.split(" / ")):
                    return True
            elif any(title == a or title.startswith(a + ",") for a in [t.strip() for t in term.split(",")] + [term]):
                return True
        return False

    for sheet in workbook:
        if sheet.title == "Definitioner":
            continue
        for cell in sheet[2] if sheet.max_row > 1 else ():
            if cell.number_format == "0%":
                title = sheet.cell(1, cell.column).value
                assert defined(title, sheet.title), (sheet.title, title)
    for title in ("Besvarade frågor", "Obesvarade frågor", "Ej ställda frågor", "Antal problem",
                  "Ingår i sammanställningen"):
        assert defined(title, "Översikt"), title
    assert defined("Formulär där frågan ställdes", "Per fråga") and defined("Varav motstridiga svar", "Per fråga")


def _shown_whole(pages_words: list[list[tuple]], text: str) -> bool:
    """Whether ``text`` is drawn whole in one cell on some page: its words in order, each on the
    same line after the previous one or at the start of a following line at the same left edge
    (Calc leaves out the lines of a cell that do not fit its row)."""
    wanted = text.split()
    for words in pages_words:
        for start in (w for w in words if w[4] == wanted[0]):
            left, line_y, end, ok = start[0], start[1], start[2], True
            for word in wanted[1:]:
                follow = next((w for w in words if w[4] == word and (
                    (abs(w[1] - line_y) < 1 and end - 0.5 < w[0] < end + 12)
                    or (line_y + 1 < w[1] < line_y + 20 and abs(w[0] - left) < 1.5))), None)
                if follow is None:
                    ok = False
                    break
                line_y, end = follow[1], follow[2]
            if ok:
                return True
    return False


def test_calc_shows_every_header_and_text_in_full_without_overprinting(book, tmp_path):
    """The issue's reading in LibreOffice Calc: wrapped headers and texts are shown whole, no text
    runs into the row below, and the header row and footer are on every printed page."""
    import pymupdf

    _, target, workbook, _, _ = book
    pdf = soffice_convert(target, tmp_path, "pdf")
    document = pymupdf.open(pdf)
    words = [page.get_text("words") for page in document]
    for title in ("Formulär där frågan ställdes", "Svar i elementet: Ja", "Svar i elementet, andel Obesvarad",
                  "Ingår i sammanställningen", "Andel ja, alla element", "Varav motstridiga svar"):
        assert _shown_whole(words, title), title
    assert _shown_whole(words, LONG_PRACTICE)  # a long practice name (Översikt, Svar, Jämförelse)
    for row in _rows(workbook["Per fråga"]):
        assert _shown_whole(words, row["Fråga"]), row["Fråga"]
    header_word = {"Översikt": "Fil", "Svar": "Beskrivning", "Per fråga": "Fråga", "Per element": "Element",
                   "Jämförelse": "Nivå", "Utvecklingsområden": "Organisation", "Problem": "Typ",
                   "Definitioner": "Begrepp"}
    seen = set()
    for number, page in enumerate(document, start=1):
        footer = [line.strip() for b in page.get_text("blocks") if b[1] > page.rect.height * 0.9
                  for line in b[4].splitlines()]
        assert f"Sida {number} av {document.page_count}" in footer, footer
        sheet = next(f for f in footer if f in header_word)
        seen.add(sheet)
        top = [w[4] for w in words[number - 1] if w[1] < page.rect.height * 0.15]
        assert header_word[sheet] in top, (number, sheet)  # the header row, repeated on every page
        spans = sorted((s["bbox"] for b in page.get_text("dict")["blocks"] for li in b.get("lines", ())
                        for s in li["spans"] if s["text"].strip()), key=lambda box: box[1])
        for i, a in enumerate(spans):
            for b in spans[i + 1:]:
                if b[1] >= a[3]:
                    break
                overlap_x = min(a[2], b[2]) - max(a[0], b[0])
                overlap_y = min(a[3], b[3]) - max(a[1], b[1])
                assert not (overlap_x > 1 and overlap_y > 1.5), (number, sheet, a, b)  # text over text
    assert seen == set(header_word)


def test_the_unfilled_guide_reads_as_blank_and_one_tick_does_not(built_docx, built_pdf, model):
    """The real guides, as built and read by the real readers, are blank; one answer is not."""
    from lovande_docs.compile.collect import default_reader
    from lovande_docs.compile.record import is_blank

    assert is_blank(default_reader(built_docx)) and is_blank(default_reader(built_pdf))
    answers = _blank(model)
    assert is_blank(answers)
    for section, key, value in (("questions", next(iter(answers["questions"])), {"answer": "ja"}),
                                ("assessment", "organisation", "Bromölla kommun"),
                                ("elements", model.elements[0].id, {"summary": "Text"})):
        filled = _blank(model)
        if isinstance(value, dict):
            filled[section][key].update(value)
        else:
            filled[section][key] = value
        assert not is_blank(filled), section
    conflict = _blank(model)
    conflict["problems"] = [{"kind": "conflict", "field": "x__answer", "message": "Two boxes ticked."}]
    assert not is_blank(conflict)


def test_the_same_forms_on_the_same_date_give_the_same_bytes(book):
    """No clock time in the workbook: its created date is the compile's date (issue #21 kept it so)."""
    import datetime as dt

    _, _, _, _, folder = book
    written = []
    for name in ("a.xlsx", "b.xlsx"):
        target = folder / "again" / name
        compile_forms([folder / "in"], target, jobs=1, use_cache=False, reader=synthetic_reader,
                      today=dt.date(2026, 12, 1))
        written.append(target.read_bytes())
    assert written[0] == written[1]
    with zipfile.ZipFile(folder / "again" / "a.xlsx") as archive:
        assert "2026-12-01T00:00:00Z" in archive.read("docProps/core.xml").decode()
