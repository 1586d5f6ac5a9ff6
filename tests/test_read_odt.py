"""Forms saved in LibreOffice's own format (.odt) read exactly like the .docx they came from.

Every .odt here is made by LibreOffice itself (Debian's 7.4, `soffice --convert-to odt`, the same
ODF export as "Use ODF format" when saving): build → fill as a user would (the docx filler) →
convert → parse.
"""
from __future__ import annotations

import io
import random
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from answers_strategies import SAMPLE, SWEDISH, expected, strip_answers
from conftest import require_tool
from lovande_docs import fields as field_ids
from lovande_docs.answers import place
from lovande_docs.cli import main
from lovande_docs.compile.inputs import expand_inputs
from lovande_docs.fill import FILLERS, field_values
from lovande_docs.readers import ReadError, read_form


_PROFILE: list[Path] = []  # one LibreOffice profile for this module's conversions: made once, then reused


def soffice_convert_many(sources: list[Path], out_dir: Path, target: str) -> dict[str, Path]:
    """Convert several files in one LibreOffice start (each start costs seconds, the first more)."""
    soffice = require_tool("soffice")
    if not _PROFILE:
        _PROFILE.append(out_dir / "lo-profile")
    subprocess.run([soffice, f"-env:UserInstallation=file://{_PROFILE[0]}", "--headless",
                    "--norestore", "--convert-to", target, "--outdir", str(out_dir), *map(str, sources)],
                   check=True, capture_output=True, timeout=300)
    extension = target.split(":")[0]
    results = {source.stem: out_dir / f"{source.stem}.{extension}" for source in sources}
    missing = [str(p) for p in results.values() if not p.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return results


def every_field_filled(model) -> dict:
    """Every field of the model with a value: options in turn, texts of several paragraphs with
    Swedish letters, inner spaces and punctuation."""
    answers: dict = {"practice": {}, "questions": {}, "elements": {}, "assessment": {}}
    for index, definition in enumerate(field_ids.all_fields(model)):
        if definition.kind in ("choice", "select"):
            codes = [c for c in definition.options.codes if c != field_ids.UNSET]
            value = codes[index % len(codes)]
        elif definition.kind == "date":
            value = "2027-01-31"
        elif definition.kind == "line":
            value = f"Rad {index}: Åsa & Örjan – ”citat” 50 %"
        else:
            value = (f"Fält {index}: vi gör så här.\nAndra stycket med  två mellanslag och slut på raden.\n"
                     "Tredje: åäö ÅÄÖ é ü – slut.")
        place(answers, definition, model, value)
    return answers


def generated(model, seed: int) -> dict:
    """A seeded random answer set in the shape of answers_strategies (one LibreOffice start is too
    slow for hypothesis's many examples): empty fields, Swedish letters, XML's own characters, empty
    lines and indented lines inside long texts."""
    rng = random.Random(seed)
    alphabet = SWEDISH + "<>&  "
    answers: dict = {"practice": {}, "questions": {}, "elements": {}, "assessment": {}}
    for definition in field_ids.all_fields(model):
        value = None
        if rng.random() < 0.7:
            if definition.kind in ("choice", "select"):
                value = rng.choice([c for c in definition.options.codes if c != field_ids.UNSET])
            elif definition.kind == "date":
                value = rng.choice(["2026-11-20", "2027-01-31"])
            else:
                lines = 1 if definition.kind == "line" else rng.randint(1, 6)
                text = "\n".join("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200))).rstrip()
                                 for _ in range(lines)).strip()
                value = text or "Öppen grupp för äldre."
        place(answers, definition, model, value)
    return answers


@pytest.fixture(scope="session")
def odt_forms(model, built_docx, tmp_path_factory):
    """The blank guide and three filled ones, each converted to .odt by LibreOffice (one start)."""
    work = tmp_path_factory.mktemp("odt")
    entered = {"sample": SAMPLE, "every-field": every_field_filled(model), "generated": generated(model, 2026)}
    docx = {"blank": built_docx}
    for name, answers in entered.items():
        docx[name] = work / f"{name}.docx"
        FILLERS["docx"](built_docx, field_values(answers, model), docx[name], model)
    docx["conflict"] = work / "conflict.docx"
    FILLERS["docx"](built_docx, {"handledning__description": "Vi har handledning varannan vecka."},
                    docx["conflict"], model, ticks={"delmal__answer": ("ja", "ej_relevant")})
    out = work / "out"
    out.mkdir()
    odt = soffice_convert_many(list(docx.values()), out, "odt")
    odt["blank"] = odt.pop(built_docx.stem)
    again = work / "again"
    again.mkdir()
    odt["resaved"] = soffice_convert_many([odt["every-field"]], again, "odt")["every-field"]
    return {"odt": odt, "docx": docx, "entered": entered}


def test_blank_odt_reads_as_empty_with_known_identity(model, odt_forms):
    form = read_form(odt_forms["odt"]["blank"]).to_dict()
    assert form["source"]["format"] == "odt"
    assert form["model"] == {"id": model.id, "version": model.version, "content_hash": model.content_hash,
                             "generator": form["model"]["generator"], "known": True,
                             "read_with": f"{model.id} {model.version}"}
    assert form["problems"] == []
    assert strip_answers(form) == expected(model, {})


@pytest.mark.parametrize("name", ["sample", "every-field", "generated"])
def test_filled_odt_reads_back_what_was_entered(name, model, odt_forms):
    form = read_form(odt_forms["odt"][name]).to_dict()
    assert strip_answers(form) == expected(model, odt_forms["entered"][name])
    docx = read_form(odt_forms["docx"][name]).to_dict()
    assert strip_answers(docx) == strip_answers(form)
    assert form["problems"] == docx["problems"]


def test_odt_opened_and_saved_again_in_libreoffice_reads_the_same(model, odt_forms):
    """A unit opens its .odt later and saves it again: the second ODF save keeps every answer."""
    form = read_form(odt_forms["odt"]["resaved"]).to_dict()
    assert strip_answers(form) == expected(model, odt_forms["entered"]["every-field"])
    assert form["problems"] == []


def test_odt_reports_the_same_problems_as_the_docx(odt_forms):
    odt = read_form(odt_forms["odt"]["conflict"]).to_dict()
    docx = read_form(odt_forms["docx"]["conflict"]).to_dict()
    assert strip_answers(odt) == strip_answers(docx)
    assert [(p["kind"], p["field"], p.get("values")) for p in odt["problems"]] == \
        [(p["kind"], p["field"], p.get("values")) for p in docx["problems"]] == [
        ("conflict", "delmal__answer", ["ja", "ej_relevant"]),
        ("description_without_answer", "handledning__answer", None)]


def _rewrite_content(source: Path, target: Path, change) -> Path:
    """A copy of an .odt with content.xml changed (the mimetype stays first and stored)."""
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(target, "w") as out:
        for info in package.infolist():
            data = package.read(info)
            if info.filename == "content.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            out.writestr(info, data)
    return target


def test_odt_without_libreoffice_extensions_reads_by_bookmarks_and_glyphs(model, odt_forms, tmp_path):
    """Saved as plain ODF 1.3 (no loext: content controls), the bookmarks and the ☒/☐ glyphs remain."""
    def unwrap(text: str) -> str:
        text = re.sub(r"<loext:list-item [^>]*/>", "", text)
        return re.sub(r"</?loext:content-control[^>]*>", "", text)

    plain = _rewrite_content(odt_forms["odt"]["sample"], tmp_path / "plain.odt", unwrap)
    assert b"content-control" not in zipfile.ZipFile(plain).read("content.xml")
    form = read_form(plain).to_dict()
    assert strip_answers(form) == expected(model, SAMPLE)


def test_parse_and_compile_take_odt(odt_forms, tmp_path):
    folder = tmp_path / "inkommet"
    folder.mkdir()
    (folder / "enhet.odt").write_bytes(odt_forms["odt"]["sample"].read_bytes())
    (folder / "enhet-word.docx").write_bytes(odt_forms["docx"]["every-field"].read_bytes())
    files, _ = expand_inputs([folder])
    assert sorted(p.name for p in files) == ["enhet-word.docx", "enhet.odt"]
    result = CliRunner().invoke(main, ["parse", str(folder / "enhet.odt")])
    assert result.exit_code == 0 and '"format": "odt"' in result.stdout
    import json

    import jsonschema

    from lovande_docs.paths import SCHEMAS_DIR

    schema = json.loads((SCHEMAS_DIR / "lovande-answers-1.schema.json").read_text(encoding="utf-8"))
    (form,) = json.loads(result.stdout)
    jsonschema.validate(form, schema)
    result = CliRunner().invoke(main, ["compile", str(folder), "-o", str(tmp_path / "sammanstallning.xlsx"),
                                       "--no-cache", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook

    workbook = load_workbook(tmp_path / "sammanstallning.xlsx", read_only=True)
    rows = [row for sheet in workbook for row in sheet.iter_rows(values_only=True) if "enhet.odt" in row]
    assert rows and all("Exempels kommun" in row for row in rows[:1])
    assert not any("kunde inte läsas" in str(cell).lower() for row in rows for cell in row)


def test_comments_are_not_answers_and_change_marks_keep_the_text(model, odt_forms, tmp_path):
    """A reviewer's comment (office:annotation) inside a description is not part of it; tracked
    insertions are marked by empty text:change-start/end elements around the kept text."""
    def edit(text: str) -> str:
        return text.replace("KBT och MI.", 'KBT <text:change-start text:change-id="ct1"/>och<text:change-end '
                            'text:change-id="ct1"/> MI.<office:annotation><dc:creator>Granskare</dc:creator>'
                            "<text:p>KOMMENTAR</text:p></office:annotation>", 1)

    edited = _rewrite_content(odt_forms["odt"]["sample"], tmp_path / "andrad.odt", edit)
    assert b"KOMMENTAR" in zipfile.ZipFile(edited).read("content.xml")
    assert strip_answers(read_form(edited).to_dict()) == expected(model, SAMPLE)


def test_text_typed_beside_the_placeholder_field_is_the_answer(model, odt_forms, tmp_path):
    """LibreOffice 7.4 turns a text control into an input field showing the placeholder; a user may
    type in a new paragraph beside it. The placeholder is never part of the answer."""
    placeholder = model.labels["text_placeholder"]

    def edit(text: str) -> str:
        start = text.index('text:name="fld_handledning__description"')
        field_at = text.index(f"{placeholder}&#x0d;</text:text-input></text:p>", start)
        end = text.index("</text:p>", field_at) + len("</text:p>")
        return text[:end] + "<text:p>Vi har handledning varannan vecka.</text:p>" + text[end:]

    edited = _rewrite_content(odt_forms["odt"]["blank"], tmp_path / "bredvid.odt", edit)
    form = read_form(edited).to_dict()
    assert form["questions"]["handledning"]["description"] == "Vi har handledning varannan vecka."
    assert strip_answers(read_form(odt_forms["odt"]["blank"]).to_dict()) == expected(model, {})


def test_damaged_odt_is_named_as_odt(odt_forms, tmp_path):
    path = tmp_path / "trasig.odt"
    path.write_bytes(odt_forms["odt"]["blank"].read_bytes()[:20_000])
    with pytest.raises(ReadError) as caught:
        read_form(path)
    assert ".odt" in str(caught.value) and ".docx" not in str(caught.value)


def test_damaged_odt_without_its_stored_mimetype_is_named_as_odt(odt_forms, tmp_path):
    """The mimetype compressed (or not first) and the ZIP directory cut off: the names of the parts
    still tell an .odt (found by fuzz/)."""
    compressed = tmp_path / "komprimerad.odt"
    with zipfile.ZipFile(odt_forms["odt"]["blank"]) as package, zipfile.ZipFile(compressed, "w") as out:
        for info in package.infolist():
            out.writestr(info.filename, package.read(info), compress_type=zipfile.ZIP_DEFLATED)
    path = tmp_path / "trasig.odt"
    path.write_bytes(compressed.read_bytes()[:-200])
    with pytest.raises(ReadError) as caught:
        read_form(path)
    assert ".odt" in str(caught.value) and ".docx" not in str(caught.value) and "Word" not in str(caught.value)


# --- the same safety rules as for Word ------------------------------------------------------------

def test_odt_with_a_dtd_is_refused(odt_forms, tmp_path):
    evil = _rewrite_content(odt_forms["odt"]["blank"], tmp_path / "dtd.odt", lambda text: text.replace(
        "?>", '?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1))
    with pytest.raises(ReadError, match="declares a DTD"):
        read_form(evil)


def test_odt_with_every_field_around_a_huge_text_is_refused(model, odt_forms, tmp_path):
    """Every field's bookmark opened around one huge paragraph: bounded, one clear line."""
    from lovande_docs.readers.odt import MAX_FIELD_CHARS, field_bookmarks

    rng = random.Random(1)
    starts = "".join(f'<text:bookmark-start text:name="{name}"/>' for name in sorted(field_bookmarks(model)))
    huge = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzåäö ") for _ in range(MAX_FIELD_CHARS + 10))
    hostile = _rewrite_content(odt_forms["odt"]["blank"], tmp_path / "enorm.odt", lambda text: re.sub(
        r"(<office:text[^>]*>)", lambda m: f"{m.group(1)}<text:p>{starts}{huge}</text:p>", text, count=1))
    with pytest.raises(ReadError, match="more text than the limit"):
        read_form(hostile)


def test_password_protected_odt_is_named(tmp_path):
    path = tmp_path / "losenord.odt"
    with zipfile.ZipFile(path, "w") as out:
        out.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        out.writestr("META-INF/manifest.xml", '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                     'xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/>'
                     '</manifest:file-entry></manifest:manifest>')
        out.writestr("content.xml", b"\x8f\x02 encrypted bytes")
    with pytest.raises(ReadError, match="password-protected"):
        read_form(path)


def test_odt_zip_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.odt"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        out.writestr("content.xml", b"<a>" + b" " * (20 * 1024 * 1024) + b"</a>")
    with pytest.raises(ReadError, match="ZIP bomb"):
        read_form(path)


@pytest.mark.parametrize("mimetype", [b"application/vnd.oasis.opendocument.text\x1b[2J\x07" + b"x" * 5000,
                                      b"\x00\x1b]0;title\x07" + b"y" * 5000])
def test_odd_mimetype_is_quoted_as_one_short_printable_line(mimetype, tmp_path):
    """The mimetype is the file's own bytes: quoted in the message, it must not carry terminal
    control sequences or thousands of characters onto the user's screen (found by fuzz/)."""
    path = tmp_path / "konstig.odt"
    with zipfile.ZipFile(path, "w") as out:
        out.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        out.writestr("content.xml", "<x/>")
    with pytest.raises(ReadError, match="another kind") as caught:
        read_form(path)
    message = str(caught.value)
    assert message.isprintable() and len(message) < 300, message


def test_odt_that_is_not_the_guide_is_named(tmp_path):
    path = tmp_path / "brev.odt"
    with zipfile.ZipFile(path, "w") as out:
        out.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        out.writestr("content.xml", '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:'
                     'xmlns:office:1.0"><office:body/></office:document-content>')
    with pytest.raises(ReadError, match="no fields of the guide"):
        read_form(path)


# --- formats we do not read: named, by content, with what to do ------------------------------------

@pytest.fixture(scope="session")
def legacy_files(tmp_path_factory):
    """A short Word document as LibreOffice saves it as an old Word .doc and as RTF (a short one:
    converting the whole guide twice costs seconds and tells the detection nothing more)."""
    from docx import Document

    work = tmp_path_factory.mktemp("legacy")
    source = work / "enhet.docx"
    document = Document()
    document.add_paragraph("Lovande arbetssätt – ifylld av Exempels kommun")
    document.save(source)
    return {"doc": soffice_convert_many([source], work, "doc:MS Word 97")["enhet"],
            "rtf": soffice_convert_many([source], work, "rtf")["enhet"]}


def make_pages(tmp: Path) -> Path:
    """The layout of an Apple Pages ('13 and later) file: a ZIP of IWA parts and metadata."""
    path = tmp / "enhet.pages"
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("Index/Document.iwa", b"\x00\x8a\x04iwa")
        out.writestr("Metadata/Properties.plist", b"bplist00")
        out.writestr("Metadata/DocumentIdentifier", b"5C4B8E52-0000")
        out.writestr("preview.jpg", b"\xff\xd8\xff\xe0")
    return path


def _ods(tmp: Path) -> Path:
    path = tmp / "tabell.ods"
    with zipfile.ZipFile(path, "w") as out:
        out.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        out.writestr("content.xml", "<x/>")
    return path


@pytest.mark.parametrize("kind, named, advice", [
    ("doc", "old Word document (.doc", "save it as .docx"),
    ("rtf", "RTF file (.rtf)", "save it as .docx or .odt"),
    ("pages", "Apple Pages document (.pages)", "Export To > Word"),
    ("ods", "OpenDocument spreadsheet (.ods)", "send the .docx or .odt"),
    ("png", "picture (PNG)", "send the filled .docx, .odt or .pdf"),
])
@pytest.mark.parametrize("name_as", ["own", "docx"])
def test_unsupported_format_is_named_with_what_to_do(kind, named, advice, name_as, legacy_files, tmp_path):
    """Detected by content: the message is the same when the file is misnamed .docx."""
    makers = {"doc": lambda: legacy_files["doc"], "rtf": lambda: legacy_files["rtf"],
              "pages": lambda: make_pages(tmp_path), "ods": lambda: _ods(tmp_path),
              "png": lambda: _png(tmp_path)}
    made = makers[kind]()
    path = tmp_path / (f"enhet.{kind}" if name_as == "own" else "enhet.docx")
    path.write_bytes(made.read_bytes())
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    (line,) = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert named in line and advice in line


def _png(tmp: Path) -> Path:
    from PIL import Image

    path = tmp / "foto.png"
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_folders_list_the_named_formats_so_compile_can_report_them(tmp_path):
    for name in ("a.docx", "b.odt", "c.pdf", "d.doc", "e.rtf", "f.pages", "g.txt"):
        (tmp_path / name).write_bytes(b"x")
    files, _ = expand_inputs([tmp_path])
    assert [p.name for p in files] == ["a.docx", "b.odt", "c.pdf", "d.doc", "e.rtf", "f.pages"]
