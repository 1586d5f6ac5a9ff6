"""Page references ("s.[#var-bedomning]") point at the page their heading is on, in the PDF and in
LibreOffice's layout of the .docx; PDF footnotes stand on the page that cites them; the colophon's
addresses are links."""
from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

from conftest import require_tool
from lxml import etree
from pypdf import PdfReader

from lovande_docs import markup
from lovande_docs.document import Heading, anchor_name, build_document
from lovande_docs.fields import bookmark_name
from lovande_docs.model import load_model_text
from lovande_docs.paths import DEFAULT_CONTENT
from lovande_docs.render import renderer
from lovande_docs.model.walk import texts_in_order

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def fold(text: str) -> str:
    """Whitespace and hyphens removed, so text compares across line breaks."""
    return re.sub(r"[\s\-\u00ad]+", "", text)


def pages_of(pdf: Path) -> list[str]:
    """Each page's text, as pdftotext lays it out (pages split at form feeds)."""
    out = subprocess.run([require_tool("pdftotext"), "-layout", "-enc", "UTF-8", str(pdf), "-"], check=True,
                         capture_output=True, text=True, timeout=120).stdout
    return out.split("\f")[:-1]


def references(model) -> list[tuple[str, str, str, str]]:
    """(text before, heading id, text after, the heading's text) of every page reference."""
    headings = {b.anchor: markup.plain(b.text) for b in build_document(model) if isinstance(b, Heading)}
    out = []
    for text in texts_in_order(model):
        spans = markup.parse(text)
        for index, span in enumerate(spans):
            if span.pageref:
                before = "".join(s.text for s in spans[:index])
                after = "".join(s.text for s in spans[index + 1:])
                out.append((before, span.pageref, after, headings[anchor_name(span.pageref)]))
    return out


def printed_pages(model, pdf: Path) -> list[tuple[str, int, int]]:
    """(heading id, page the reference stands on, number it prints) of every page reference."""
    pages = [fold(p) for p in pages_of(pdf)]
    found = []
    for before, target, after, _ in references(model):
        pattern = re.escape(fold(before)[-40:]) + r"(\d+)" + re.escape(fold(after)[:20])
        hits = [(number, int(m.group(1))) for number, page in enumerate(pages, start=1)
                for m in re.finditer(pattern, page)]
        assert len(hits) == 1, (before[-40:], hits)
        found.append((target, *hits[0]))
    return found


def heading_pages(pdf: Path, heading: str) -> list[int]:
    """The pages on which ``heading`` stands as a line of its own."""
    return [number for number, page in enumerate(pages_of(pdf), start=1)
            if any(line.strip() == heading for line in page.splitlines())]


def check_references(model, pdf: Path) -> list[tuple[str, int, int]]:
    found = printed_pages(model, pdf)
    assert len(found) == 4  # "s.45" twice, "sida 49", the assessment's label
    heading_text = {target: heading for _, target, _, heading in references(model)}
    for target, _, number in found:
        assert heading_pages(pdf, heading_text[target]) == [number], (target, number)
    return found


# --- page references -----------------------------------------------------------------------------

def test_pdf_page_references_print_the_page_of_their_heading(model, built_pdf):
    check_references(model, built_pdf)


def test_pdf_page_references_link_to_their_heading(model, built_pdf):
    reader = PdfReader(built_pdf)
    page_of = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, start=1)}
    destinations = {name: page_of[d.page.idnum] for name, d in reader.named_destinations.items()}
    for target, on_page, number in printed_pages(model, built_pdf):
        assert destinations[anchor_name(target)] == number
        links = [a.get_object() for a in reader.pages[on_page - 1].get("/Annots") or []]
        to = {page_of[a["/Dest"][0].idnum] for a in links if "/Dest" in a}
        assert number in to, (target, on_page, to)


def test_pdf_field_title_names_the_real_page(model, built_pdf):
    reader = PdfReader(built_pdf)
    fields = {str(f.get_object()["/T"]): f.get_object() for f in reader.trailer["/Root"]["/AcroForm"]["/Fields"]}
    title = str(fields["var-bedomning__samlad-bedomning"]["/TU"])
    number = re.search(r"s\.(\d+)$", title)
    assert number and heading_pages(built_pdf, model.summary.overview.heading) == [int(number.group(1))], title


def test_libreoffice_page_references_print_the_page_of_their_heading(model, libreoffice_pdf_of_docx):
    check_references(model, libreoffice_pdf_of_docx)


def test_docx_page_references_are_pageref_fields_to_heading_bookmarks(model, built_docx):
    with zipfile.ZipFile(built_docx) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    bookmarks = {b.get(W + "name") for b in body.iter(W + "bookmarkStart")}
    in_text = [i.text.split() for i in body.iter(W + "instrText")
               if i.text.strip().startswith("PAGEREF") and i.getparent().getparent().tag != W + "hyperlink"]  # not the TOC
    expected = [anchor_name(target) for _, target, _, _ in references(model)]
    assert [words[1] for words in in_text] == expected
    assert all(words[2:] == ["\\h"] for words in in_text) and set(expected) <= bookmarks


# --- footnotes -----------------------------------------------------------------------------------

def test_pdf_footnotes_stand_on_the_page_that_cites_them(model, built_pdf):
    """Each marker links to its note; the note's text is on the marker's page."""
    reader = PdfReader(built_pdf)
    pages = [fold(p) for p in pages_of(built_pdf)]
    page_of = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    notes = {name: (page_of[d.page.idnum], round(float(d.top), 1))
             for name, d in reader.named_destinations.items() if name.startswith("fn_")}
    cited = {}
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            dest = annotation.get_object().get("/Dest")
            if dest is not None:
                for name, place in notes.items():
                    if place == (page_of[dest[0].idnum], round(float(dest[3]), 1)):
                        cited.setdefault(name, []).append(number)
    assert len(notes) == len(model.footnotes) and set(cited) == set(notes)
    for footnote_id, note in model.footnotes.items():
        name = bookmark_name(footnote_id, prefix="fn_")
        (page,) = cited[name]
        assert notes[name][0] == page, (footnote_id, page, notes[name][0])
        assert fold(markup.plain(note.text or note.url)) in pages[page], footnote_id


# --- the colophon --------------------------------------------------------------------------------

def test_colophon_addresses_are_tagged_links(built_pdf):
    reader = PdfReader(built_pdf)
    root = reader.trailer["/Root"]
    parents = root["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    by_key = {int(parents[i]): parents[i + 1] for i in range(0, len(parents), 2)}
    notice = reader.pages[1]
    links = [a.get_object() for a in notice.get("/Annots") or [] if a.get_object()["/Subtype"] == "/Link"]
    uris = {str(a["/A"]["/URI"]): a for a in links if "/A" in a}
    assert set(uris) == {"mailto:alternativaformat@socialstyrelsen.se", "https://www.socialstyrelsen.se/"}
    for annotation in uris.values():
        element = by_key[int(annotation["/StructParent"])].get_object()
        assert element["/S"] == "/Link" and str(annotation["/Contents"]).strip()
        kids = element["/K"] if isinstance(element["/K"], list) else [element["/K"]]
        assert any(getattr(k, "get", lambda _: None)("/Type") == "/OBJR" for k in kids)


def test_page_references_anywhere_in_the_text_get_their_pages(layout, tmp_path):
    """In a tip and in a footnote too (set again each pass), and to a heading before the reference."""
    content = DEFAULT_CONTENT.read_text(encoding="utf-8")
    for original, changed in (("skyldigheter och möjligheter.", "skyldigheter och möjligheter, se s.[#var-bedomning]."),
                              ("tip: Tänk på teorier som rör", "tip: Se sida [#kunskapsbas]. Tänk på teorier som rör")):
        assert original in content
        content = content.replace(original, changed, 1)
    model = load_model_text(content, "variant.yaml")
    pdf = tmp_path / "variant.pdf"
    renderer("pdf")(model, layout, pdf)
    pages = [fold(p) for p in pages_of(pdf)]
    for phrase, heading in (("möjligheter,ses.", "Vår bedömning:"), ("Tips:Sesida", "Kategori A – Kunskapsbas")):
        numbers = {int(m.group(1)) for page in pages for m in re.finditer(re.escape(phrase) + r"(\d+)", page)}
        assert numbers and numbers == set(heading_pages(pdf, heading)), (phrase, numbers)
