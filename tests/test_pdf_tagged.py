"""The tagged PDF (PDF/UA-1): what poppler, pdf.js and an independent checker read from it, the
content-stream and tree checks of pdf_tags.py, and that the tagging layer serves any story."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
from conftest import require_tool, run_pdfjs
from pdf_tags import problems
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject, TextStringObject
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle
from test_pdf import fold, shown

from lovande_docs import markup
from lovande_docs.document import Heading, QuestionBlock, TableOfContents, build_document
from lovande_docs.render.pdf.fonts import register_fonts
from lovande_docs.render.pdf.tagging import StructNode, TaggingCanvas, artifact_block, group, tag, xmp


# --- helpers -----------------------------------------------------------------------------------

def struct_events(path: Path) -> list[tuple[str, str]]:
    """``pdfinfo -struct-text`` as (element, text) in reading order; an OBJR is ("OBJR", number)."""
    tool = require_tool("pdfinfo")
    out = subprocess.run([tool, "-struct-text", str(path)], check=True, capture_output=True, text=True,
                         timeout=120).stdout
    events, stack = [], []
    for line in out.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if body.startswith('"'):
            events.append((stack[-1][1] if stack else "", body[1:-1]))
        elif body.startswith("Object "):
            events.append(("OBJR", body.split()[1]))
        elif body and not body.startswith("/"):  # an element ("TH:" when attributes follow), not one
            stack.append((indent, body.split()[0].rstrip(":")))
    return events


def widget_numbers(reader: PdfReader) -> dict[str, set[str]]:
    """Field name → object numbers of its widgets."""
    out: dict[str, set[str]] = {}
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Widget":
                continue
            name = annot.get("/T") or annot["/Parent"].get_object().get("/T")
            out.setdefault(str(name), set()).add(str(ref.idnum))
    return out


def outloud(*paths: Path) -> dict[str, list[dict]]:
    """The independent checker (PyPI ``outloud``): findings per file, info level left out."""
    here = Path(sys.executable).parent / "outloud"
    tool = str(here) if here.exists() else require_tool("outloud")
    done = subprocess.run([tool, "--no-info", "--fail-on", "never", "--json", "-", *map(str, paths)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    return {Path(r["path"]).name: r["findings"] for r in report["results"]}


# --- the guide ---------------------------------------------------------------------------------

def test_every_page_operator_is_tagged_and_every_annotation_resolves(built_pdf):
    assert problems(built_pdf) == []


def test_pdfinfo_reads_headings_and_each_question_before_its_fields_and_tip(model, built_pdf):
    events = struct_events(built_pdf)
    widgets = widget_numbers(PdfReader(built_pdf))
    position = {}
    for index, (role, value) in enumerate(events):
        if role == "OBJR":
            position[value] = index
    texts = [(role, fold(text)) for role, text in events]
    at = 0

    def find(role_pattern: str, text: str, start: int) -> int:
        wanted = fold(text)
        for index in range(start, len(texts)):
            role, value = texts[index]
            if re.fullmatch(role_pattern, role) and wanted in value:
                return index
        pytest.fail(f"pdfinfo -struct-text has no {role_pattern} with {text!r} after event {start}")

    for block in build_document(model):
        if isinstance(block, Heading):
            at = find(f"H{block.level}", shown(model, block.text), at)
        elif isinstance(block, QuestionBlock):
            at = find("P", shown(model, block.text), at)
            for field in block.fields:
                first = min(position[n] for n in widgets[field.name])
                assert first > at, f"{field.name} comes before its question"
            if block.tip:
                tip = find("P", shown(model, block.tip[0]), at)
                assert all(position[n] < tip for f in block.fields for n in widgets[f.name]), block.tip[0]


def test_pdfjs_struct_tree_gives_headings_and_named_fields(model, built_pdf):
    result = json.loads(run_pdfjs("structtree.mjs", str(built_pdf)))
    events = [event for page in result["pages"] for event in page]
    headings = [(e["role"], fold(e["text"])) for e in events if re.fullmatch(r"H\d", e["role"])]
    expected = [(f"H{b.level}", fold(shown(model, b.text))) for b in build_document(model) if isinstance(b, Heading)]
    assert headings == expected
    forms = [e for e in events if e["role"] == "Form"]
    assert all(e["annotation"] == "Widget" and e["field"] and e["name"] for e in forms)  # name: the widget's /TU
    # pdf.js's viewer passes a Form element's /Alt on as the control's aria-label (the /TU names
    # only a wrapping region): every widget has its own Form element, named with its /TU
    assert [e for e in forms if e["alt"] != e["name"]] == []
    reader = PdfReader(built_pdf)
    names = {str(ref.get_object()["/T"]) for ref in reader.trailer["/Root"]["/AcroForm"]["/Fields"]}
    assert {e["field"] for e in forms} == names == set(result["fields"])
    assert sum(len(v) for v in widget_numbers(reader).values()) == len(forms)  # every widget, once
    # every field is announced after a text (its question, option or prompt) on its page
    for page in result["pages"]:
        for index, event in enumerate(page):
            if event["role"] == "Form":
                assert any(e.get("text", "").strip() for e in page[:index]), event


def test_element_strip_is_read_after_the_page_with_links_named_by_their_element(model, built_pdf):
    """A screen reader meets the strip once per element page, after the page's content (pdf.js) and
    at the end of the element (poppler): "Tillbaka till modellen" and a link per other element named
    by it ("Element 3. Beskrivning"), never a bare digit."""
    from lovande_docs.document import ElementStart

    blocks = build_document(model)
    starts = {b.strip_label: b for b in blocks if isinstance(b, ElementStart)}
    names = {fold(shown(model, b.text)) for b in blocks if isinstance(b, Heading) and b.kind == "element"}
    assert len(names) == len(starts)
    result = json.loads(run_pdfjs("structtree.mjs", str(built_pdf)))
    seen = []
    for page in result["pages"]:
        said = [e for e in page if e.get("text", "").strip() or e.get("annotation")]
        labels = [i for i, e in enumerate(said) if e.get("text", "").strip() in starts]
        if not labels:
            continue
        start = starts[said[labels[0]]["text"].strip()]
        seen.append(start.number)
        home = next(i for i, e in enumerate(said) if e.get("text", "").strip() == start.home_label)
        links = [i for i, e in enumerate(said) if e.get("annotation") == "Link" and fold(e.get("alt") or "") in names]
        assert len(links) == len(starts) - 1  # every other element; not the one this page is
        assert labels == [len(said) - 1] and home < min(links)  # the strip ends the page ...
        heading = next(i for i, e in enumerate(said) if e["role"] == "H2")
        assert heading < home  # ... after its content, though drawn above the heading
        assert not [e for e in said[home:] if e["role"] == "Link" and re.fullmatch(r"\s*\d+\s*", e.get("text", ""))]
    assert sorted(seen) == sorted(s.number for s in starts.values())
    events = [(role, t) for role, t in struct_events(built_pdf) if role != "OBJR" and t.strip()]
    first_heading = next(i for i, (role, _) in enumerate(events) if role == "H1")
    assert not [t for role, t in events[first_heading:] if role == "Link" and re.fullmatch(r"\s*\d+\s*", t)]
    for label in starts:  # poppler: the strip closes its element; the next heading follows
        at = next(i for i, (role, t) in enumerate(events) if t.strip() == label)
        assert events[at + 1][0] in ("H1", "H2"), events[at + 1]


def test_text_only_views_read_contents_answer_rows_and_addresses_as_words(model, built_pdf):
    """What pdfinfo -struct-text (and any text-only reading of the tags) gives: a contents entry's
    page number without its dot leader (an artifact), an answer row's labels as separate words,
    every footnote address whole."""
    events = struct_events(built_pdf)
    assert not [t for role, t in events if re.search(r"\.\s+\.\s+\.", t)]  # no dot leader is read
    entries = next(b for b in build_document(model) if isinstance(b, TableOfContents)).entries
    numbers = [t for role, t in events if role == "Link" and re.fullmatch(r"\d+", t)]
    assert len(numbers) == len(entries)  # each entry's page number, inside its link, after its title
    text = "".join(t for role, t in events if role != "OBJR")
    row = [markup.plain(o.label) for spec in model.question_fields if spec.options
           for o in model.options[spec.options].items if spec.kind == "choice"]
    row += [markup.plain(spec.label) for spec in model.question_fields if spec.kind == "select"]
    assert len(row) >= 4
    rows = len([q for b in build_document(model) if isinstance(b, QuestionBlock) for q in [b] if q.fields])
    assert text.count(" ".join(row) + " ") == rows  # "Ja Nej Ej relevant Status ", not "JaNej…"
    for footnote in model.footnotes.values():
        if footnote.url:
            assert footnote.url in text, footnote.url  # no space where the line broke
    # on the page (in drawing order; the default mode drops a hyphen at a line's end as hyphenation)
    shown_text = subprocess.run([require_tool("pdftotext"), "-raw", str(built_pdf), "-"], check=True,
                                capture_output=True, text=True).stdout
    for footnote in model.footnotes.values():
        if footnote.url:
            assert footnote.url in re.sub(r"-\n", "-", shown_text), footnote.url


def test_pdfium_struct_tree_gives_the_headings_in_order(model, built_pdf):
    """PDFium (Chrome, Edge) reads the same tree: every heading, at its level, in order."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    def role(element) -> str:
        size = raw.FPDF_StructElement_GetType(element, None, 0)
        buffer = ctypes.create_string_buffer(size)
        raw.FPDF_StructElement_GetType(element, buffer, size)
        return buffer.raw[:size - 2].decode("utf-16-le")

    def walk(element, out):
        out.append(role(element))
        for index in range(raw.FPDF_StructElement_CountChildren(element)):
            child = raw.FPDF_StructElement_GetChildAtIndex(element, index)
            if child:
                walk(child, out)

    document = pdfium.PdfDocument(built_pdf)
    roles: list[str] = []
    for page in document:
        tree = raw.FPDF_StructTree_GetForPage(page.raw)
        for index in range(raw.FPDF_StructTree_CountChildren(tree)):
            walk(raw.FPDF_StructTree_GetChildAtIndex(tree, index), roles)
        raw.FPDF_StructTree_Close(tree)
    expected = [f"H{b.level}" for b in build_document(model) if isinstance(b, Heading)]
    assert [r for r in roles if re.fullmatch(r"H\d", r)] == expected


def test_link_annotations_say_where_they_go(built_pdf):
    reader = PdfReader(built_pdf)
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot["/Subtype"] == "/Link":
                assert str(annot.get("/Contents", "")).strip(), annot


def test_catalog_and_metadata_identify_pdf_ua(model, built_pdf):
    root = PdfReader(built_pdf).trailer["/Root"]
    assert root["/Lang"] == model.meta.language
    xml = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert f">{model.meta.title}<" in xml and "<pdfuaid:part>1</pdfuaid:part>" in xml


def test_independent_checker_finds_no_error(built_pdf):
    """outloud's warnings on the guide are known and explained in docs/accessibility.md."""
    findings = outloud(built_pdf)[built_pdf.name]
    assert [f for f in findings if f["severity"] == "error"] == []
    assert {f["rule"] for f in findings} <= {"LNK-010", "ORD-001", "PAG-001", "TAG-003"}


# --- the layer on any story, and planted defects -----------------------------------------------

class _Field(Flowable):
    """A text field, as a form flowable draws it."""

    width, height = 200, 20

    def draw(self):
        self.canv.acroForm.textfield(name="svar", tooltip="Svar", x=0, y=0, width=self.width,
                                     height=self.height, relative=True)


@pytest.fixture(scope="module")
def small_pdf(layout, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tagged") / "small.pdf"
    fonts = register_fonts(layout)
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = fonts.regular
    root = StructNode("Document")
    sect = root.child("Sect")
    cells = [[tag(Paragraph("Namn", styles["Normal"]), sect.child("P"))]]
    story = [
        tag(Paragraph("Rubrik", styles["Heading1"]), sect.child("H1")),
        tag(Paragraph('Text med <a href="https://example.org">en länk</a>.', styles["Normal"]), sect.child("P")),
        group(Table(cells, style=TableStyle([("BOX", (0, 0), (-1, -1), 1, "black")])), sect.child("Div")),
        tag(Paragraph("Fråga?", styles["Normal"]), sect.child("P")),
        group(_Field(), sect.child("Form")),
    ]
    drawing = Drawing(100, 40)
    drawing.add(Rect(0, 0, 100, 40))
    story.append(tag(drawing, sect.child("Figure", alt="En rektangel")))

    def footer(canv, doc):
        with artifact_block(canv):
            canv.setFont(fonts.regular, 9)
            canv.drawString(40, 20, "1")

    doc = SimpleDocTemplate(str(path), title="Test", lang="sv-SE", displayDocTitle=True, invariant=True)
    doc.build(story, onFirstPage=footer, canvasmaker=partial(TaggingCanvas, metadata=xmp("Test", "sv-SE")))
    return path


def _struct_elements(root):
    """Every structure element below ``root`` (a StructTreeRoot or element)."""
    todo = [root]
    while todo:
        node = todo.pop().get_object()
        kids = node.get("/K")
        for kid in kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else []:
            target = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(target, DictionaryObject) and "/S" in target:
                yield target
                todo.append(target)


def _elements(writer: PdfWriter, role: str):
    return (e for e in _struct_elements(writer._root_object["/StructTreeRoot"]) if e["/S"] == role)


def _first_annotation(writer: PdfWriter, subtype: str):
    return next(a.get_object() for p in writer.pages for a in p.get("/Annots") or []
                if a.get_object()["/Subtype"] == subtype)


def _untagged_text(writer: PdfWriter) -> None:
    page = writer.pages[0]
    stream = StreamObject()
    stream.set_data(b"BT /F1 12 Tf 100 100 Td (loose) Tj ET\n" + page.get_contents().get_data())
    page[NameObject("/Contents")] = writer._add_object(stream)


def _nameless_link(writer: PdfWriter) -> None:
    _first_annotation(writer, "/Link")[NameObject("/Contents")] = TextStringObject("")
    for link in _elements(writer, "/Link"):
        link.pop("/Alt", None)


def _retag(writer, role, key, value):
    next(_elements(writer, role))[NameObject(key)] = value


DEFECTS = {  # name → (how to plant it, outloud rules of which one must fire; None: outloud misses it)
    "untagged_text": (_untagged_text, {"TAG-001", "TXT-001"}),
    "no_struct_tree": (lambda w: w._root_object.pop("/StructTreeRoot"), {"DOC-002"}),
    "not_marked": (lambda w: w._root_object.pop("/MarkInfo"), {"DOC-001"}),
    "no_language": (lambda w: w._root_object.pop("/Lang"), {"DOC-013"}),
    "no_xmp": (lambda w: w._root_object.pop("/Metadata"), {"DOC-010", "DOC-012"}),
    "figure_without_alt": (lambda w: next(_elements(w, "/Figure")).pop("/Alt"), {"FIG-001"}),
    "empty_element": (lambda w: _retag(w, "/H1", "/K", ArrayObject()), {"TAG-020"}),
    "link_without_contents": (_nameless_link, {"LNK-002"}),
    "no_tab_order": (lambda w: [p.pop("/Tabs") for p in w.pages if "/Tabs" in p], {"LNK-005"}),
    "widget_without_struct_parent": (lambda w: _first_annotation(w, "/Widget").pop("/StructParent"), None),
}


def test_layer_tags_any_story(small_pdf):
    assert problems(small_pdf) == []
    assert [f for f in outloud(small_pdf)[small_pdf.name] if f["severity"] == "error"] == []
    events = struct_events(small_pdf)
    assert ("H1", "Rubrik") in events and ("P", "Fråga?") in events


def test_planted_defects_are_caught_by_our_checks_and_outloud(small_pdf, tmp_path):
    planted = {}
    for name, (plant, _) in DEFECTS.items():
        writer = PdfWriter(clone_from=small_pdf)
        plant(writer)
        planted[name] = tmp_path / f"{name}.pdf"
        writer.write(planted[name])
        assert problems(planted[name]), f"pdf_tags misses {name}"
    clean = {f["rule"] for f in outloud(small_pdf)[small_pdf.name]}
    found = outloud(*planted.values())
    for name, (_, rules) in DEFECTS.items():
        new = {f["rule"] for f in found[f"{name}.pdf"]} - clean
        if rules is not None:
            assert rules & new, f"outloud misses {name}: {sorted(new)}"


def test_prefilled_guide_stays_tagged(model, built_pdf, tmp_path):
    """Revisit notes, the appendix of removed answers and the filled values keep the tagging."""
    from click.testing import CliRunner
    from test_prefill import EARLIER, VERSIONS, _filled_source

    from lovande_docs.cli import main

    source = _filled_source("pdf", model, built_pdf, tmp_path)
    result = CliRunner().invoke(main, ["build", "--format", "pdf", "-o", str(tmp_path / "ny"), "--model-version",
                                       "2027.1", "--content-dir", str(VERSIONS), "--prefill", str(source)])
    assert result.exit_code == 0, result.output
    prefilled = tmp_path / "ny" / "lovande-arbetssatt.pdf"
    assert problems(prefilled) == []
    texts = [text for role, text in struct_events(prefilled)]
    assert any(fold("Ny fråga i version 2027.1") in fold(t) for t in texts)
    assert any(fold(EARLIER["questions"]["jamforelse-av-kostnader"]["description"]) in fold(t) for t in texts)


# --- the compile report ------------------------------------------------------------------------

from test_compile import compiled, models, registry  # noqa: E402,F401  (fixtures: one compiled corpus)


def test_compile_report_is_tagged_with_chart_alternatives(compiled):
    report = compiled[3] / "rapport.pdf"
    assert problems(report) == []
    reader = PdfReader(report)
    roles: dict[str, list] = {}
    for element in _struct_elements(reader.trailer["/Root"]["/StructTreeRoot"]):
        roles.setdefault(str(element["/S"]), []).append(element)
    figures = roles["/Figure"]
    assert figures and all(re.search(r"\d", str(f["/Alt"])) for f in figures)  # each states its figures
    assert roles["/Table"] and all(th["/A"]["/Scope"] == "/Column" for th in roles["/TH"])
    assert {"/H1", "/H2", "/H3"} <= set(roles)
    assert [f for f in outloud(report)[report.name] if f["severity"] == "error"] == []


def test_split_paragraphs_lists_and_long_tables_stay_whole(layout, tmp_path):
    """Across page breaks: a paragraph split over pages is one P; a table's header row repeated on
    each page is tagged once (the repeats are artifacts); bullets are Lbl, their text LBody."""
    from reportlab.lib.styles import ParagraphStyle

    from lovande_docs.render.pdf.structure import SectionStructure

    fonts = register_fonts(layout)
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=10, leading=13)
    tags = SectionStructure()
    sentence = "Ett stycke som fortsätter över sidbrytningen. "
    story = [tag(Paragraph("Rubrik", body), tags.heading(1)), tag(Paragraph(sentence * 400, body), tags.para())]
    items = tags.child("L")
    for text in ("Första", "Andra"):
        label, item = tags.list_item(items)
        story.append(tag(Paragraph(text, body, bulletText="•"), item, label=label))
    rows = [[Paragraph("Namn", body), Paragraph("Antal", body)]]
    rows += [[Paragraph(f"Rad {n}", body), Paragraph(str(n), body)] for n in range(120)]
    story.append(tags.table(Table(rows, repeatRows=1, style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "grey")]))))

    def footer(canv, doc):
        with artifact_block(canv):
            canv.setFont(fonts.regular, 9)
            canv.drawString(40, 20, str(doc.page))

    path = tmp_path / "long.pdf"
    doc = SimpleDocTemplate(str(path), title="Lång", lang="sv-SE", displayDocTitle=True, invariant=True)
    doc.build(story, onFirstPage=footer, onLaterPages=footer,
              canvasmaker=partial(TaggingCanvas, metadata=xmp("Lång", "sv-SE")))
    assert len(PdfReader(path).pages) >= 5
    assert problems(path) == []
    events = struct_events(path)
    tree = subprocess.run([require_tool("pdfinfo"), "-struct", str(path)], check=True, capture_output=True,
                          text=True).stdout
    assert [line.strip() for line in tree.splitlines()].count("P (block)") == 1  # one P over its pages
    assert fold("".join(text for role, text in events if role == "P")) == fold(sentence * 400)
    assert [text for role, text in events if role == "TH"] == ["Namn", "Antal"]
    assert sum(1 for role, _ in events if role == "TD") == 240
    assert [text for role, text in events if role == "Lbl"] == ["•", "•"]
    assert [text for role, text in events if role == "LBody"] == ["Första", "Andra"]


def test_tagged_text_keeps_the_space_at_every_line_break(model, built_pdf):
    """What a screen reader reads is the tagged text: a word at a line's end must not run into the
    next line's first word (reportlab drops the break space; render/pdf/para.py puts it back)."""
    text = " ".join(" ".join(t.split()) for role, t in struct_events(built_pdf) if role != "OBJR")
    text = " ".join(text.split())
    paragraphs = [markup.plain(t) for c in model.categories for e in c.elements for t in e.body if "[^" not in t]
    assert len(paragraphs) >= 10  # long paragraphs, each broken over many lines
    missing = [p[:60] for p in paragraphs if " ".join(p.split()) not in text]
    assert not missing, missing
