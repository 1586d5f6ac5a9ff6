"""The report a manager reads (issue #21, report half; #20's outline): a summary in Swedish
sentences first, method and definitions last, the FoU unit's title, name and date, Swedish plurals
and order, a Word report that is Swedish throughout with tables that keep together, a PDF with
bookmarks and no heading left at the foot of a page.
"""
from __future__ import annotations

import datetime as dt
import random
import zipfile

import pytest
from click.testing import CliRunner
from conftest import pdftotext
from corpus import generate_answers, synthetic_reader, write_synthetic

from lovande_docs.cli import main
from lovande_docs.collation import swedish_key
from lovande_docs.compile import compile_forms
from lovande_docs.compile import report as blocks
from lovande_docs.compile.catalog import Catalog
from lovande_docs.compile.labels import join_and, label, plural
from lovande_docs.compile.record import FormRecord, describe
from lovande_docs.compile.report import ReportCollector
from lovande_docs.compile.reportmeta import ReportMeta, load_report_meta
from lovande_docs.compile.run import write_report
from lovande_docs.compile.snapshot import Snapshot
from lovande_docs.compile.tally import OptionLabels, Tally

TODAY = dt.date(2026, 12, 1)
META = ReportMeta("Lovande arbetssätt i länet 2026", "FoU Nordväst", dt.date(2026, 12, 24))
STRONG, WEAK = 3, 7  # element numbers made the strongest and the weakest below
PLACES = ["Örebro", "Åre", "Alingsås", "Ängelholm", "Ystad", "Åstorp"]


def _forms(model, count: int = 6, seed: int = 21, organisations=None):
    """``count`` units; element STRONG is "mycket bra" everywhere, element WEAK "behöver
    utvecklas vidare" everywhere, the others "på god väg"."""
    rng = random.Random(seed)
    numbers = {e.id: e.number for e in Catalog([model]).elements}
    forms = []
    for index in range(count):
        place = (organisations or PLACES)[index % len(organisations or PLACES)]
        answers = generate_answers(model, rng, organisation=f"{place} kommun", practice=f"Arbetssätt {index}",
                                   date="2026-05-01")
        for element_id, number in numbers.items():
            answers["elements"][element_id]["status"] = {STRONG: "mycket_bra", WEAK: "behover_utvecklas_vidare"}.get(
                number, "pa_god_vag")
        answers["assessment"]["utvecklingsomraden"] = "Vi behöver bättre uppföljning av insatserna."
        record = describe(FormRecord(f"/in/form-{index}.docx", f"form-{index}.docx", 1, 0.0, f"{index:064x}"),
                          answers)
        forms.append((record, answers))
    return forms


def _report(model, layout, forms, duplicates=0, meta=None, previous=None):
    catalog = Catalog([model])
    tally, collector = Tally(catalog), ReportCollector(catalog, layout, None, model)
    for record, answers in forms:
        tally.add(answers)
        collector.add(record, answers)
    return collector.finish(tally, OptionLabels.of(model), layout, duplicates, 0, 0, TODAY, "s.xlsx",
                            meta=meta, previous=previous)


def _paras(data) -> list[str]:
    return [b.text.replace("\u00a0", " ") for b in data.blocks if isinstance(b, blocks.Para)]


def _h1(data) -> list[str]:
    return [b.text for b in data.blocks if isinstance(b, blocks.Heading) and b.level == 1]


def test_plural_forms():
    assert plural(1, "dubblett", "dubbletter") == "1\u00a0dubblett"
    assert plural(2, "dubblett", "dubbletter") == "2\u00a0dubbletter"
    assert plural(0, "enhet", "enheter") == "0\u00a0enheter"
    text = label("report.forms_intro", counted=1, duplicates=1, superseded=1, blank=1, failed=1).replace("\u00a0", " ")
    assert "1 dubblett, 1 tidigare revision och 1 tom blankett räknas inte; 1 fil kunde inte läsas" in text
    text = label("report.forms_intro", counted=2, duplicates=2, superseded=2, blank=2, failed=2).replace("\u00a0", " ")
    assert "2 dubbletter, 2 tidigare revisioner och 2 tomma blanketter räknas inte; 2 filer kunde inte läsas" in text
    assert join_and(["a"]) == "a" and join_and(["a", "b", "c"]) == "a, b och c"


def test_summary_comes_first_and_method_last(model, layout):
    data = _report(model, layout, _forms(model))
    headings = _h1(data)
    assert headings[0] == "Sammanfattning" and headings[-1] == "Om sammanställningen"
    assert [b.text for b in data.blocks if isinstance(b, blocks.Heading)][-1] == "Definitioner"
    assert any(p.startswith("Enhet: ett arbetssätt hos en organisation") for p in _paras(data))


def test_summary_names_the_strongest_and_weakest_element(model, layout):
    forms = _forms(model)
    data = _report(model, layout, forms)
    catalog = Catalog([model])
    strong = next(e for e in catalog.elements if e.number == STRONG)
    weak = next(e for e in catalog.elements if e.number == WEAK)
    yes = {}
    for element in (strong, weak):  # share of Ja among the element's questions over every unit
        ids = [q.id for q in catalog.questions if q.element_id == element.id]
        answers = [a["questions"][q]["answer"] for _, a in forms for q in ids]
        yes[element.number] = round(100 * answers.count("ja") / len(answers))
    paras = _paras(data)
    assert (f"Starkast är element {STRONG}, {strong.title}: 100 % av enheterna bedömer elementet som mycket bra, "
            f"och {yes[STRONG]} % av svaren på dess stödfrågor är Ja.") in paras
    assert (f"Svagast är element {WEAK}, {weak.title}: 100 % av enheterna bedömer att elementet behöver utvecklas "
            f"vidare, och {yes[WEAK]} % av svaren på dess stödfrågor är Ja.") in paras
    assert "Sammanställningen omfattar 6 enheter i 6 organisationer, 6 kommuner och 4 län." in paras
    assert any(p.startswith(f"Flest enheter bedömer att element {WEAK}, {weak.title} (6 enheter) behöver") for p in paras)
    assert any("”uppföljning” (6 enheter)" in p or "”bättre uppföljning” (6 enheter)" in p for p in paras)
    assert "Ingen tidigare sammanställning av samma enheter finns att jämföra med." in paras


def test_counts_agree_units_are_the_comparison_rows(model, layout):
    forms = _forms(model, count=4, organisations=["Åre", "Åre", "Ystad", "Ystad"])  # 2 organisations, 4 units
    data = _report(model, layout, forms, duplicates=1)
    paras = _paras(data)
    assert "4 enheter i 2 organisationer, sammanställda 2026-12-01" in paras
    table = next(b for b in data.blocks if isinstance(b, blocks.Table) and b.columns[0] == "Enhet")
    assert len(table.rows) == 4
    assert any("4 formulär, ett per enhet. 1 dubblett," in p for p in paras)
    single = _report(model, layout, forms[:1])
    assert "1 enhet i 1 organisation, sammanställda 2026-12-01" in _paras(single)


def test_swedish_order_in_the_report(model, layout):
    assert sorted(["Örebro", "Åre", "Ängelholm", "Alingsås", "Zinkgruvan", None], key=swedish_key) == [
        "Alingsås", "Zinkgruvan", "Åre", "Ängelholm", "Örebro", None]
    data = _report(model, layout, _forms(model))
    units = next(b for b in data.blocks if isinstance(b, blocks.Table) and b.columns[0] == "Enhet")
    order = [row[0].split(" kommun")[0] for row in units.rows]
    assert order == ["Alingsås", "Ystad", "Åre", "Åstorp", "Ängelholm", "Örebro"]
    places = next(b for b in data.blocks if isinstance(b, blocks.Table) and b.columns[0] == "Kommun")
    assert [row[0].split(" (")[0] for row in places.rows] == order


def test_changes_since_the_previous_compile(model, layout):
    first = _report(model, layout, _forms(model, count=5))
    later = _forms(model, count=6)
    first_element = Catalog([model]).elements[0]
    for _, answers in later:  # element 1 moves from "på god väg" to "mycket bra" everywhere
        answers["elements"][first_element.id]["status"] = "mycket_bra"
    second = _report(model, layout, [(describe(r, a), a) for r, a in later], previous=first.snapshot)
    text = next(p for p in _paras(second) if p.startswith("Jämfört med förra sammanställningen"))
    assert text.startswith("Jämfört med förra sammanställningen (2026-12-01, 5 enheter) har 1 enhet tillkommit "
                           "och 0 enheter fallit bort.")
    assert f"element 1, {first_element.title} (upp från 0 % till 100 %)" in text
    assert Snapshot.from_json(first.snapshot.to_json()) == first.snapshot
    again = _report(model, layout, _forms(model, count=5), previous=first.snapshot)
    assert any(p.startswith("Jämfört med förra sammanställningen (2026-12-01) ingår samma 5 enheter. Andelen enheter "
                            "som bedömer ett element som mycket bra har inte ändrats med 5 procentenheter")
               for p in _paras(again))


def test_compile_compares_with_the_last_earlier_compile_of_the_same_units(tmp_path, model):
    folder, other = tmp_path / "in", tmp_path / "annat"
    rng = random.Random(3)
    for index in range(3):
        write_synthetic(folder / f"f{index}.docx", generate_answers(
            model, rng, organisation=f"{PLACES[index]} kommun", practice="Stöd", date="2026-04-01"))
        write_synthetic(other / f"f{index}.docx", generate_answers(
            model, rng, organisation=f"{PLACES[index]} kommun", practice="Annat stöd", date="2026-04-01"))
    out = tmp_path / "ut"

    def compile_(inputs, report: str, day: dt.date) -> str:
        compile_forms([inputs], out / "s.xlsx", report=out / report, jobs=1, reader=synthetic_reader, today=day)
        return " ".join(pdftotext(out / report).split())

    assert "Ingen tidigare sammanställning" in compile_(folder, "rapport-2026.pdf", TODAY)
    assert list((out / ".lovande-cache" / "reports").glob("rapport-2026-*.json"))
    assert "Ingen tidigare sammanställning" in compile_(folder, "rapport-2026.pdf", TODAY)  # same day: a re-run
    assert "Ingen tidigare sammanställning" in compile_(other, "annat.pdf", dt.date(2027, 1, 10))  # other units
    write_synthetic(folder / "f3.docx", generate_answers(model, rng, organisation="Ystad kommun", practice="Stöd",
                                                         date="2026-04-01"))
    later = dt.date(2027, 12, 1)
    text = compile_(folder, "rapport-2027.pdf", later)  # a new file name finds last year's report
    assert "Jämfört med förra sammanställningen (2026-12-01, 3 enheter) har 1 enhet tillkommit" in text
    assert compile_(folder, "rapport-2027.pdf", later) == text  # a re-run the same day compares with the same


def test_title_author_and_date_on_the_cover_and_in_the_metadata(tmp_path, model, layout):
    import docx
    from pypdf import PdfReader

    data = _report(model, layout, _forms(model), meta=META)
    assert [b.text for b in data.blocks[:3]] == [META.title, META.author,
                                                  "6\u00a0enheter i 6\u00a0organisationer, sammanställda 2026-12-24"]
    write_report(data, layout, tmp_path / "r.pdf")
    write_report(data, layout, tmp_path / "r.docx")
    info = PdfReader(tmp_path / "r.pdf").metadata
    assert info["/Title"] == META.title and info["/Author"] == META.author
    properties = docx.Document(str(tmp_path / "r.docx")).core_properties
    assert (properties.title, properties.author, properties.language) == (META.title, META.author, "sv-SE")
    assert properties.created.date() == META.date


def test_report_meta_file_and_options(tmp_path):
    meta_file = tmp_path / "meta.yaml"
    meta_file.write_text("title: Uppföljning 2026\nauthor: FoU Väst\ndate: 2026-10-01\n", encoding="utf-8")
    meta = load_report_meta(meta_file)
    assert meta == ReportMeta("Uppföljning 2026", "FoU Väst", dt.date(2026, 10, 1))
    assert meta.updated(author="FoU Syd").author == "FoU Syd" and meta.updated().title == "Uppföljning 2026"
    bad = tmp_path / "bad.yaml"
    bad.write_text("titel: x\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["compile", str(tmp_path), "-o", str(tmp_path / "s.xlsx"), "--report",
                                  str(tmp_path / "r.pdf"), "--report-meta", str(bad)])
    assert result.exit_code == 2 and result.output.strip().count("\n") == 0 and str(bad) in result.output
    result = runner.invoke(main, ["compile", str(tmp_path), "-o", str(tmp_path / "s.xlsx"), "--date", "24/12"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
    result = runner.invoke(main, ["compile", str(tmp_path), "-o", str(tmp_path / "s.xlsx"), "--previous", str(bad)])
    assert result.exit_code == 2 and str(bad) in result.output and "Traceback" not in result.output
    assert not (tmp_path / "s.xlsx").exists()


@pytest.fixture(scope="module")
def word_report(model, layout, tmp_path_factory):
    path = tmp_path_factory.mktemp("word") / "rapport.docx"
    write_report(_report(model, layout, _forms(model), meta=META), layout, path)
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name).decode("utf-8") for name in package.namelist() if name.endswith(".xml")}


def test_word_report_is_swedish_everywhere(word_report):
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert not any("en-US" in xml for xml in word_report.values())
    styles = etree.fromstring(word_report["word/styles.xml"].encode())
    lang = styles.find(f"{w}docDefaults/{w}rPrDefault/{w}rPr/{w}lang")
    assert {lang.get(f"{w}{a}") for a in ("val", "eastAsia", "bidi")} == {"sv-SE"}
    settings = etree.fromstring(word_report["word/settings.xml"].encode())
    assert settings.find(f"{w}themeFontLang").get(f"{w}val") == "sv-SE"
    for name in ("word/document.xml", "word/footer1.xml"):
        runs = list(etree.fromstring(word_report[name].encode()).iter(f"{w}r"))
        assert runs and all(r.find(f"{w}rPr/{w}lang").get(f"{w}val") == "sv-SE" for r in runs)
    assert "<dc:language>sv-SE</dc:language>" in word_report["docProps/core.xml"]


def test_word_report_uses_the_layouts_fonts_and_light_tables(word_report, layout):
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    styles = word_report["word/styles.xml"]
    assert "Theme=" not in styles and "w:themeColor" not in styles  # no theme fonts or colours
    root = etree.fromstring(styles.encode())
    heading = next(s for s in root.iter(f"{w}style") if s.get(f"{w}styleId") == "Heading1")
    assert heading.find(f"{w}rPr/{w}rFonts").get(f"{w}ascii") == layout.get("fonts.heading_family")
    document = etree.fromstring(word_report["word/document.xml"].encode())
    tables = list(document.iter(f"{w}tbl"))
    assert tables
    for table in tables:
        borders = table.find(f"{w}tblPr/{w}tblBorders")
        assert borders.find(f"{w}insideV").get(f"{w}val") == "nil"
        assert borders.find(f"{w}insideH").get(f"{w}color") == layout.color("report.colors.table_rule")
        rows = table.findall(f"{w}tr")
        assert all(r.find(f"{w}trPr/{w}cantSplit") is not None for r in rows)
        assert rows[0].find(f"{w}trPr/{w}tblHeader") is not None
        assert all(r.find(f"{w}trPr/{w}tblHeader") is None for r in rows[1:])
    footer = etree.fromstring(word_report["word/footer1.xml"].encode())
    sizes = {r.find(f"{w}rPr/{w}sz").get(f"{w}val") for r in footer.iter(f"{w}r")}
    assert sizes == {str(round(2 * layout.number("type.small_pt")))}  # "Sida" and the number alike


def test_header_words_fit_their_columns(layout):
    from lovande_docs.compile.style import ReportStyle

    style = ReportStyle.of(layout)
    columns = ["Fråga", "Ja", "Nej", "Ej relevant", "obesvarad", "ej ställd"]
    widths = style.column_widths(columns, [0.45, *[0.11] * 5])
    for header, width in zip(columns, widths):
        longest = max(style.measure(word, style.table_pt, bold=True) for word in header.split())
        assert width >= longest + 2 * style.cell_padding_x_pt
    assert sum(widths) == pytest.approx(style.text_width_mm / 25.4 * 72)


def test_status_chart_names_the_elements(model, layout):
    data = _report(model, layout, _forms(model))
    chart = next(b.chart for b in data.blocks if isinstance(b, blocks.Chart) and b.chart.title == "Elementens status")
    assert [name for name, _ in chart.rows] == [f"{e.number}. {e.title}" for e in Catalog([model]).elements]


def test_pdf_outline_follows_the_headings(tmp_path, model, layout):
    """Bookmarks nested by heading level: pypdf gives a level's entries as a list, each entry's
    children as the list right after it."""
    from pypdf import PdfReader

    data = _report(model, layout, _forms(model), meta=META)
    write_report(data, layout, tmp_path / "r.pdf")
    reader = PdfReader(tmp_path / "r.pdf")
    outline = reader.outline
    top = [item.title for item in outline if not isinstance(item, list)]
    assert top == [META.title, *_h1(data)]
    results = next(i for i, item in enumerate(outline) if not isinstance(item, list)
                   and item.title == "Resultat per element")
    elements = outline[results + 1]
    assert [e.title for e in elements if not isinstance(e, list)] == [
        f"Element {e.number}. {e.title}" for e in Catalog([model]).elements]
    assert [c.title for c in elements[1]] == ["Enheternas sammanfattande beskrivningar"]
    assert reader.page_mode == "/UseOutlines"
    page = reader.get_destination_page_number(outline[results])
    assert "Resultat per element" in reader.pages[page].extract_text()


def test_no_heading_is_left_at_the_foot_of_a_page(tmp_path, layout):
    """However much text comes before it, a heading shares its page with its table's first rows."""
    table = blocks.Table(["Fråga", "Ja", "Nej"], [[f"Rad {n}", n, n] for n in range(60)], [0.6, 0.2, 0.2])
    for filler in range(30, 48):
        data = blocks.ReportData("Prov", [blocks.Heading(1, "Inledning"),
                                          *[blocks.Para(f"Stycke {n}.") for n in range(filler)],
                                          blocks.Heading(2, "Rubriken"), blocks.Para("Ingress."), table])
        write_report(data, layout, tmp_path / "r.pdf")
        pages = pdftotext(tmp_path / "r.pdf").split("\f")
        page = next(p for p in pages if "Rubriken" in p)
        assert "Rad 2" in page, filler
