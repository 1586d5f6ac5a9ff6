"""Hostile and damaged files, one test per class of failure the fuzzer (fuzz/) found.

Each class has a small reproducer built here from a filled guide: tracebacks, runaway work,
memory, stray output, silent wrong values, and a compile run over a folder mixing them with good
forms. Limits: docs/answers-format.md ("Limits").
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from corpus import fill_guides
from openpyxl import load_workbook

from lovande_docs import fields as field_ids
from lovande_docs.answers import lookup
from lovande_docs.compile import collect as collect_module
from lovande_docs.compile.run import compile_forms
from lovande_docs.readers import ReadError, guard, read_form
from lovande_docs.readers import docx as docx_reader
from lovande_docs.readers.safety import MAX_XML_NODES

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="module")
def filled(model, built_docx, built_pdf, tmp_path_factory):
    """{format: a filled guide}, with answers in every kind of field."""
    return fill_guides(model, {"docx": built_docx, "pdf": built_pdf}, tmp_path_factory.mktemp("filled"), 5)


def _rezip(source: Path, target: Path, change, method=zipfile.ZIP_DEFLATED) -> Path:
    """A copy of a .docx with word/document.xml passed through ``change(bytes) -> bytes``."""
    with zipfile.ZipFile(source) as z:
        parts = [(info.filename, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(target, "w", method) as out:
        for name, data in parts:
            out.writestr(name, change(data) if name == "word/document.xml" else data)
    return target


def _replace_value(pdf: bytes, field: str, new: bytes) -> bytes:
    """The PDF with the /V of the field object named ``field`` replaced (the guide's field objects
    are plain text: ``/T (name) ... /V (value)``)."""
    escaped = field.replace("-", "\\055").replace("_", "\\137").encode()
    for match in re.finditer(rb"\d+ 0 obj\s*(.*?)endobj", pdf, re.S):
        body = match.group(1)
        if b"/T (" + escaped + b")" in body and b"/V " in body:
            value = re.search(rb"/V (\((?:\\.|[^\\)])*\)|/\S+)", body)
            start = match.start(1) + value.start(1)
            return pdf[:start] + new + pdf[match.start(1) + value.end(1):]
    raise AssertionError(f"no field {field} with a value")


def _problems(answers, kind):
    return {p.field for p in answers.problems if p.kind == kind}


# --- runaway work: linear in bookmarks, controls and nesting ---------------------------------------

def test_many_unclosed_bookmarks_read_within_the_budget(filled, tmp_path, monkeypatch):
    """20,000 bookmarks that never close, and no tags (so the bookmark path is taken): the old walk
    appended every text to every open range (quadratic; killed after 60 s)."""
    def change(xml: bytes) -> bytes:
        xml = re.sub(rb"<w:tag [^>]*/>", b"", xml)
        marks = b"".join(b'<w:bookmarkStart w:id="%d" w:name="x%d"/>' % (90000 + k, k) for k in range(20000))
        return xml.replace(b"<w:body>", b"<w:body><w:p>" + marks + b"</w:p>", 1)

    path = _rezip(filled["docx"], tmp_path / "bokmarken.docx", change)
    monkeypatch.setattr(guard, "TIME_BUDGET_SECONDS", 10)
    answers = guard.read_guarded(path)
    assert answers["assessment"]["organisation"] == "Solna stad"
    assert any(p["kind"] == "unidentified_field" for p in answers["problems"])


def test_bookmark_ranges_keep_their_text_when_ranges_overlap():
    xml = (f'<w:document xmlns:w="{W}"><w:body><w:p><w:bookmarkStart w:id="1" w:name="a"/><w:r><w:t>ett</w:t></w:r>'
           '<w:bookmarkStart w:id="2" w:name="b"/><w:r><w:t>två</w:t></w:r><w:bookmarkEnd w:id="1"/></w:p>'
           '<w:p><w:r><w:t>tre</w:t></w:r><w:bookmarkEnd w:id="2"/></w:p></w:body></w:document>').encode()
    from lxml import etree

    bookmarks = docx_reader._LazyBookmarks(lambda: etree.fromstring(xml))
    assert bookmarks["a"] == "etttvå" and bookmarks["b"] == "två\ntre" and "c" not in bookmarks


def test_deeply_nested_paragraphs_read_in_bounded_memory(filled, tmp_path, monkeypatch):
    """Paragraphs nested 230 deep inside a control, copied many times (3 MB .docx took 2.2 GB: each
    level's text was joined again for every enclosing paragraph)."""
    def change(xml: bytes) -> bytes:
        nest = b"<w:p><w:r><w:t>" + b"x" * 200 + b"</w:t></w:r>"
        block = nest * 230 + b"</w:p>" * 230
        at = xml.find(b"<w:sdtContent>") + len(b"<w:sdtContent>")
        return xml[:at] + block * 40 + xml[at:]

    path = _rezip(filled["docx"], tmp_path / "nastlad.docx", change)
    monkeypatch.setattr(guard, "MEMORY_BUDGET_MB", 400)
    answers = guard.read_guarded(path)
    assert answers["assessment"]["organisation"] == "Solna stad"


def _nested_in_a_control(xml: bytes) -> bytes:
    at = xml.find(b"<w:sdtContent>") + len(b"<w:sdtContent>")
    return xml[:at] + b"<w:p>" * 300 + b"</w:p>" * 300 + xml[at:]


def test_nesting_deeper_than_the_limit_is_refused(filled, tmp_path):
    path = _rezip(filled["docx"], tmp_path / "djup.docx", _nested_in_a_control)
    with pytest.raises(ReadError, match="nests XML more than 256 levels deep"):
        read_form(path)


def test_nesting_outside_the_fields_is_scanned_not_built(filled, tmp_path):
    """The nesting limit bounds the trees built, that is the fields' (docx_spans): the rest of the
    part is only checked by expat, whose memory does not grow with depth."""
    path = _rezip(filled["docx"], tmp_path / "djup.docx",
                  lambda xml: xml.replace(b"<w:body>", b"<w:body>" + b"<w:p>" * 300 + b"</w:p>" * 300, 1))
    assert read_form(path).assessment["organisation"] == "Solna stad"


def test_too_many_xml_nodes_are_refused_before_parsing(filled, tmp_path):
    extra = b"<w:p/>" * (MAX_XML_NODES + 1)
    path = _rezip(filled["docx"], tmp_path / "manga.docx",
                  lambda xml: xml.replace(b"<w:body>", b"<w:body>" + extra, 1), zipfile.ZIP_STORED)
    with pytest.raises(ReadError, match="more than 1,000,000 XML tags and attributes"):
        read_form(path)


# --- the budgets themselves ----------------------------------------------------------------------

def _runaway(path, *_):
    while True:
        pass


def _hungry(path, *_):
    return [bytearray(64 * 1024 * 1024) for _ in range(64)]


def _buggy(path, *_):
    raise KeyError("/Kids")


def test_a_runaway_read_becomes_one_clear_error(monkeypatch, filled):
    monkeypatch.setattr(guard, "TIME_BUDGET_SECONDS", 1)
    monkeypatch.setattr("lovande_docs.readers.read_form", _runaway)
    with pytest.raises(ReadError, match=r"more processor time than the limit per file \(1 s\)"):
        guard.read_guarded(filled["pdf"])


def test_a_memory_hungry_read_becomes_one_clear_error(monkeypatch, filled):
    monkeypatch.setattr(guard, "MEMORY_BUDGET_MB", 256)
    monkeypatch.setattr("lovande_docs.readers.read_form", _hungry)
    with pytest.raises(ReadError, match=r"more memory than the limit per file \(256 MB\)"):
        guard.read_guarded(filled["pdf"])


def test_a_reader_bug_is_one_line_not_a_traceback(monkeypatch, filled):
    monkeypatch.setattr("lovande_docs.readers.read_form", _buggy)
    with pytest.raises(ReadError, match="internal error while reading.*KeyError") as caught:
        guard.read_guarded(filled["docx"])
    assert "\n" not in str(caught.value)


# --- one line on stderr per bad file, at the file-descriptor level -------------------------------

def test_parse_prints_one_line_per_bad_file_and_reads_the_rest(filled, tmp_path):
    """qpdf and lxml may write to fd 2 directly; a damaged cross-reference table makes qpdf talk."""
    data = filled["pdf"].read_bytes()
    xref = data.rfind(b"\nxref")
    damaged = tmp_path / "trasig-xref.pdf"
    damaged.write_bytes(data[:xref] + b"\nxref\n0 3\ngarbage\n" + data[data.find(b"trailer", xref):])
    nested = _rezip(filled["docx"], tmp_path / "djup.docx", _nested_in_a_control)
    done = subprocess.run([sys.executable, "-m", "lovande_docs.cli", "parse", str(damaged), str(nested),
                           str(filled["docx"])], capture_output=True, text=True, timeout=120)
    lines = done.stderr.splitlines()
    bad = lines[:-1]
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len([line for line in bad if line.startswith(f"{nested}: ")]) == 1
    assert len([line for line in bad if line.startswith(f"{damaged}: ")]) <= 1  # qpdf may repair it
    assert len(bad) == len([line for line in bad if line.startswith((f"{nested}: ", f"{damaged}: "))])
    assert lines[-1] == f"{len(bad)} of 3 file(s) could not be read"
    assert done.stdout.count('"schema"') == 3 - len(bad)


# --- damaged values are reported, never passed on ---------------------------------------------

@pytest.mark.parametrize("value", [b"42", b"true", b"<< /A 1 >>", b"[ (a) (b) ]", b"<feffd800d8>", b"/namn"])
def test_pdf_text_of_the_wrong_type_is_a_damaged_value(filled, tmp_path, value):
    field = "var-bedomning__organisation"
    path = tmp_path / "fel-typ.pdf"
    path.write_bytes(_replace_value(filled["pdf"].read_bytes(), field, value))
    answers = read_form(path)
    assert answers.assessment["organisation"] is None
    assert field in _problems(answers, "damaged_value")


@pytest.mark.parametrize("value", [b"<" + "Solna stad".encode("latin-1").hex().encode() + b">",
                                   b"<feff" + "Solna stad".encode("utf-16-be").hex().encode() + b">"])
def test_pdf_text_in_another_valid_encoding_reads_the_same(filled, tmp_path, value):
    path = tmp_path / "hex.pdf"
    path.write_bytes(_replace_value(filled["pdf"].read_bytes(), "var-bedomning__organisation", value))
    answers = read_form(path)
    assert answers.assessment["organisation"] == "Solna stad"
    assert answers.problems == read_form(filled["pdf"]).problems


def test_word_tick_box_flag_that_is_neither_on_nor_off_is_a_damaged_value(filled, tmp_path, model):
    def change(xml: bytes) -> bytes:
        return re.sub(rb'(<w14:checked w14:val=")1(")', rb"\g<1>2\g<2>", xml, count=1)

    answers = read_form(_rezip(filled["docx"], tmp_path / "flagga.docx", change))
    damaged = _problems(answers, "damaged_value")
    assert len(damaged) == 1
    definition = next(d for d in field_ids.all_fields(model) if d.name in damaged)
    assert lookup(read_form(filled["docx"]).to_dict(), definition, model) is not None
    assert lookup(answers.to_dict(), definition, model) is None


def test_word_tick_box_flag_synonyms_read_the_same(filled, tmp_path):
    def change(xml: bytes) -> bytes:
        return xml.replace(b'w14:val="1"', b'w14:val="true"').replace(b'w14:val="0"', b'w14:val="off"')

    before, after = read_form(filled["docx"]), read_form(_rezip(filled["docx"], tmp_path / "synonym.docx", change))
    assert after.questions == before.questions and after.problems == before.problems


def test_word_damaged_date_falls_back_to_the_shown_text(filled, tmp_path):
    change = lambda xml: re.sub(rb'w:fullDate="[^"]*"', b'w:fullDate="2026-13-45T00:00:00Z"', xml)  # noqa: E731
    answers = read_form(_rezip(filled["docx"], tmp_path / "datum.docx", change))
    assert answers.assessment["datum"] == read_form(filled["docx"]).assessment["datum"]


# --- compile over a folder that mixes good and hostile files -----------------------------------

def _dies_on_marked(path, data, sha256):
    if Path(path).name.startswith("dodar"):
        os._exit(9)  # the worker dies, as if the kernel killed it
    return collect_module.default_reader(path, data, sha256)


def test_compile_survives_hostile_files_and_a_dying_worker(filled, tmp_path, monkeypatch):
    folder = tmp_path / "inkommet"
    folder.mkdir()
    (folder / "bra.docx").write_bytes(filled["docx"].read_bytes())
    (folder / "bra.pdf").write_bytes(filled["pdf"].read_bytes())
    _rezip(filled["docx"], folder / "djup.docx", _nested_in_a_control)
    data = filled["pdf"].read_bytes()
    (folder / "loop.pdf").write_bytes(re.sub(rb"/Parent \d+ 0 R", b"/Parent 1 0 R", data))
    (folder / "trunkerad.pdf").write_bytes(data[: len(data) // 2])
    (folder / "dodar.pdf").write_bytes(data + b"% another copy\n")  # not the same bytes: read, not deduplicated
    result = compile_forms([folder], tmp_path / "sammanstallning.xlsx", jobs=2, use_cache=False,
                           reader=_dies_on_marked)
    failed = {Path(path).name: message for path, message in result.failures}
    assert "dodar.pdf" in failed and "died" in failed["dodar.pdf"]
    assert {"djup.docx", "trunkerad.pdf"} <= set(failed)
    assert "bra.docx" not in failed and "bra.pdf" not in failed
    assert result.read == result.files - result.failed
    problem_sheet = load_workbook(tmp_path / "sammanstallning.xlsx", read_only=True)["Problem"]
    listed = " ".join(str(cell) for row in problem_sheet.iter_rows(values_only=True) for cell in row if cell)
    for name in failed:
        assert name in listed


def test_pdf_with_more_objects_than_the_limit_is_refused_before_opening(filled, tmp_path):
    from lovande_docs.readers.pdf import MAX_OBJECTS

    data = filled["pdf"].read_bytes()
    at = data.rfind(b"xref")
    junk = b"".join(b"%d 0 obj null endobj\n" % (5000 + k) for k in range(MAX_OBJECTS + 1))
    path = tmp_path / "objekt.pdf"
    path.write_bytes(data[:at] + junk + data[at:])
    with pytest.raises(ReadError, match="more than 100,000 objects"):
        read_form(path)


def test_pdf_kids_loop_is_refused_not_followed(filled, tmp_path):
    """A radio group whose /Kids points back at the group itself: the walk stops at the nesting limit."""
    data = filled["pdf"].read_bytes()
    for match in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", data, re.S):
        body = match.group(2)
        if b"/FT /Btn" in body and b"/Kids [" in body and b"/T (" in body:
            break
    body = re.sub(rb"/Kids \[ \d+ 0 R", b"/Kids [ " + match.group(1) + b" 0 R", body, count=1)
    body = re.sub(rb"/V /\w+", b"/V /Off", body)  # so the walk has to look at the kids
    path = tmp_path / "loop.pdf"
    path.write_bytes(data[:match.start(2)] + body + data[match.end(2):])
    with pytest.raises(ReadError, match="nested form fields"):
        read_form(path)


@pytest.mark.parametrize("offset, value", [(6, 148), (10, 99)])  # version needed 14.8; compression method 99
def test_zip_features_word_never_writes_are_refused(filled, tmp_path, offset, value):
    """Found by atheris (fuzz/coverage.py): zipfile raises NotImplementedError for these."""
    data = bytearray(filled["docx"].read_bytes())
    for at in [m.start() for m in re.finditer(rb"PK\x01\x02", data)]:
        data[at + offset:at + offset + 2] = value.to_bytes(2, "little")
    path = tmp_path / "zipversion.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(ReadError, match="damaged .docx"):
        read_form(path)


def _over_the_limit(path, *_):
    raise guard.LimitError("reading needs more processor time than the limit per file (20 s); refused")


def test_a_limit_reached_is_not_cached(filled, tmp_path):
    """A loaded machine may hit the wall-clock limit where a calm one does not: try again next run."""
    from lovande_docs.compile.cache import AnswerStore
    from lovande_docs.compile.collect import process_file

    store = AnswerStore(tmp_path / "cache", "salt")
    record = process_file(str(filled["pdf"]), _over_the_limit, store)
    assert "limit per file" in record.error and store.load(record.sha256) is None


@pytest.mark.parametrize("value", [b"42", b"<< /A 1 >>", b"<feff00>"])
def test_pdf_radio_value_of_the_wrong_type_is_a_damaged_value(filled, tmp_path, value, model):
    """Found by the fuzzer: a radio group's /V replaced by a dictionary fell back to its widgets'
    /AS (all Off) and came back as no answer, without a word."""
    data = filled["pdf"].read_bytes()
    match = next(m for m in re.finditer(rb"\d+ 0 obj\s*(.*?)endobj", data, re.S)
                 if b"/FT /Btn" in m.group(1) and b"/T (" in m.group(1) and re.search(rb"/V /(?!Off)", m.group(1)))
    name = re.search(rb"/T \((.*?)\)\s", match.group(1)).group(1).replace(b"\\055", b"-").replace(b"\\137", b"_")
    body = re.sub(rb"/V /\w+", b"/V " + value, match.group(1), count=1)
    path = tmp_path / "radio.pdf"
    path.write_bytes(data[:match.start(1)] + body + data[match.end(1):])
    answers = read_form(path)
    assert name.decode() in _problems(answers, "damaged_value")


def test_pdf_value_qpdf_cannot_parse_is_reported_for_the_form(filled, tmp_path):
    """Found by the fuzzer: a name with a NUL byte makes qpdf drop the value while resolving the
    field; the answer was silently empty. Now the form says its answer data is damaged."""
    path = tmp_path / "nul.pdf"
    path.write_bytes(_replace_value(filled["pdf"].read_bytes(), "var-bedomning__organisation", b"/#C3#A5#00"))
    answers = read_form(path)
    assert answers.assessment["organisation"] is None
    assert any(p.kind == "damaged_value" and p.field is None and "name token" in p.message for p in answers.problems)


def _multiline(path, *_):
    raise ReadError("first line\nsecond line from a library")


def test_a_message_of_several_lines_becomes_one(monkeypatch, filled):
    monkeypatch.setattr("lovande_docs.readers.read_form", _multiline)
    with pytest.raises(ReadError, match="^first line second line from a library$"):
        guard.read_guarded(filled["docx"])


class _Interrupted(Exception):
    pass


def test_an_interrupted_read_never_hands_its_answer_to_the_next_file(filled, monkeypatch):
    """A read cut short after the request went out (a signal in a compile worker) must not leave
    that file's answer in the pipe for the next file to take as its own."""
    guard.read_guarded(filled["docx"])  # a reader process is running
    receive = guard._receive

    def interrupted(fd, deadline):
        monkeypatch.setattr(guard, "_receive", receive)
        raise _Interrupted

    monkeypatch.setattr(guard, "_receive", interrupted)
    with pytest.raises(_Interrupted):
        guard.read_guarded(filled["pdf"])
    assert guard.read_guarded(filled["docx"])["source"]["file"] == filled["docx"].name


def test_a_form_is_read_from_the_very_bytes_its_key_was_hashed_from(filled, tmp_path):
    """A file replaced while a compile reads it: the answers stored under its hash are those of
    the bytes hashed (read once and passed to the reader), never of what is on disk later."""
    folder = tmp_path / "inkommet"
    folder.mkdir()
    form = folder / "enhet.docx"
    form.write_bytes(filled["docx"].read_bytes())

    def swapping_reader(path, data, sha256):
        Path(path).write_bytes(filled["pdf"].read_bytes())  # replaced after it was hashed
        return collect_module.default_reader(path, data, sha256)

    result = compile_forms([folder], tmp_path / "s.xlsx", jobs=1, cache_dir=tmp_path / "cache", reader=swapping_reader)
    assert result.counted == 1
    stored = [json.loads(p.read_text()) for p in (tmp_path / "cache").rglob("*.json") if p.name != "files.json"]
    source = next(entry["answers"]["source"] for entry in stored if "answers" in entry)
    assert source["format"] == "docx"
    assert source["sha256"] == hashlib.sha256(filled["docx"].read_bytes()).hexdigest()


def test_a_frame_larger_than_the_pipe_arrives_whole_and_end_of_file_is_none():
    """The guard's frames (a request carries a whole file) through a plain 64 KB pipe."""
    import threading

    read_end, write_end = os.pipe()
    payload = os.urandom(3 * 1024 * 1024 + 17)
    writer = threading.Thread(target=lambda: (guard._send(write_end, payload), guard._send(write_end, b""),
                                              os.close(write_end)))
    writer.start()
    assert guard._receive(read_end, None) == payload
    assert guard._receive(read_end, None) == b""
    assert guard._receive(read_end, None) is None
    writer.join()
    os.close(read_end)
