"""Bad input to `lovande parse`: one clear line per file naming it and the problem, never a traceback."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfWriter
from reportlab.pdfgen import canvas

from conftest import require_tool
from lovande_docs.cli import main
from lovande_docs.readers import ReadError, read_form
from lovande_docs.readers.safety import MAX_FILE_BYTES


def _plain_pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path), invariant=True)
    c.drawString(72, 720, "Lovande arbetssätt – utskrift")
    c.save()
    return path


def _docx_with(document_xml: bytes, path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", document_xml)
    return path


def make_text(tmp: Path) -> Path:
    path = tmp / "anteckningar.docx"
    path.write_text("Det här är bara text.\n", encoding="utf-8")
    return path


def make_empty(tmp: Path) -> Path:
    path = tmp / "tom.pdf"
    path.write_bytes(b"")
    return path


def make_truncated_pdf(tmp: Path) -> Path:
    whole = _plain_pdf(tmp / "whole.pdf").read_bytes()
    path = tmp / "avklippt.pdf"
    path.write_bytes(whole[: len(whole) // 3])
    return path


def make_truncated_docx(tmp: Path) -> Path:
    whole = _docx_with(b"<w:document xmlns:w='x'/>" + b" " * 5000, tmp / "whole.docx").read_bytes()
    path = tmp / "avklippt.docx"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def make_encrypted_pdf(tmp: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="hemligt", owner_password="hemligt", algorithm="RC4-128")
    path = tmp / "krypterad.pdf"
    with open(path, "wb") as out:
        writer.write(out)
    return path


def make_aes256_user_password_pdf(tmp: Path) -> Path:
    path = tmp / "aes-losenord.pdf"
    subprocess.run([require_tool("qpdf"), "--encrypt", "anvandare", "agare", "256", "--",
                    str(_plain_pdf(tmp / "klar.pdf")), str(path)], check=True, capture_output=True, timeout=60)
    return path


def make_truncated_form_pdf(tmp: Path) -> Path:
    """A fillable form cut short: qpdf could rebuild it from the objects before the cut, losing
    the rest of the answers without a word; it must be refused instead."""
    whole = tmp / "hel-blankett.pdf"
    c = canvas.Canvas(str(whole), invariant=True)
    for page in range(4):
        for row in range(10):
            c.acroForm.textfield(name=f"falt-{page}-{row}", value=f"Svar {page} {row}", x=72, y=700 - 60 * row)
        c.showPage()
    c.save()
    data = whole.read_bytes()
    path = tmp / "avklippt-blankett.pdf"
    path.write_bytes(data[: len(data) * 2 // 3])
    return path


def make_looping_fields_pdf(tmp: Path) -> Path:
    """A field that is its own kid: a reader that follows /Kids blindly never ends."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
               b"<< /T (slinga) /Kids [4 0 R] >>"]
    body, offsets = b"%PDF-1.7\n", []
    for number, content in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    path = tmp / "slinga.pdf"
    path.write_bytes(body + xref + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                     % (len(objects) + 1, len(body)))
    return path


def make_external_entity_docx(tmp: Path) -> Path:
    xml = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&x;</w:document>')
    return _docx_with(xml, tmp / "entitet.docx")


def make_zip_bomb(tmp: Path) -> Path:
    path = tmp / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    return path


def make_huge(tmp: Path) -> Path:
    path = tmp / "enorm.pdf"
    with open(path, "wb") as out:
        out.write(b"%PDF-1.7\n")
        out.truncate(MAX_FILE_BYTES + 1)
    return path


def make_password_word(tmp: Path) -> Path:
    path = tmp / "losenord.docx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 500 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 500)
    return path


def make_legacy_doc(tmp: Path) -> Path:
    path = tmp / "gammal.doc"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 2000)
    return path


def make_printout_pdf(tmp: Path) -> Path:
    return _plain_pdf(tmp / "utskrift.pdf")


BAD_FILES = {
    "not a docx or pdf": (make_text, "not a .docx, .odt or .pdf file"),
    "empty": (make_empty, "the file is empty"),
    "truncated pdf": (make_truncated_pdf, "PDF"),
    "truncated docx": (make_truncated_docx, "damaged or truncated .docx"),
    "encrypted pdf": (make_encrypted_pdf, "encrypted and needs a password"),
    "aes-256 pdf with a user password": (make_aes256_user_password_pdf, "encrypted and needs a password"),
    "truncated form pdf": (make_truncated_form_pdf, "the PDF is truncated"),
    "pdf whose fields loop": (make_looping_fields_pdf, "too many or too deeply nested form fields"),
    "external entities": (make_external_entity_docx, "declares a DTD"),
    "zip bomb": (make_zip_bomb, "ZIP bomb"),
    "huge file": (make_huge, "too large"),
    "password-protected word": (make_password_word, "password-protected"),
    "legacy word": (make_legacy_doc, "old Office file"),
    "pdf without form fields": (make_printout_pdf, "no form fields"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_gives_one_clear_error(case, tmp_path):
    make, fragment = BAD_FILES[case]
    path = make(tmp_path)
    with pytest.raises(ReadError) as caught:
        read_form(path)
    message = str(caught.value)
    assert fragment in message and "\n" not in message


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_parse_command_names_the_file_and_goes_on(case, tmp_path, built_pdf):
    make, fragment = BAD_FILES[case]
    path = make(tmp_path)
    result = CliRunner().invoke(main, ["parse", str(path), str(built_pdf)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    error_lines = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert len(error_lines) == 1 and fragment in error_lines[0]
    assert '"schema": "lovande-answers/1"' in result.stdout  # the good file was still read
    assert result.stderr.rstrip().endswith("1 of 2 file(s) could not be read")


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(ReadError, match="cannot read"):
        read_form(tmp_path / "finns-inte.pdf")


def test_folder_is_reported(tmp_path):
    with pytest.raises(ReadError):
        read_form(tmp_path)


def test_nothing_but_one_line_per_bad_file_on_stderr(tmp_path, built_pdf):
    """In a real process (file descriptor 2, not only sys.stderr): no warnings from the PDF or XML
    libraries (qpdf's repair notes, "EOF marker not found"), no traceback; one line per bad file."""
    paths = []
    for case in sorted(BAD_FILES):
        folder = tmp_path / case.replace(" ", "-")
        folder.mkdir()
        paths.append(BAD_FILES[case][0](folder))
    done = subprocess.run([sys.executable, "-c", "from lovande_docs.cli import main; main()", "parse",
                           *map(str, paths), str(built_pdf)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[-1] == f"{len(paths)} of {len(paths) + 1} file(s) could not be read"
    assert sorted(line.split(": ")[0] for line in lines[:-1]) == sorted(map(str, paths))
