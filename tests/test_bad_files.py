"""Bad input to `lovande parse`: one clear line per file naming it and the problem, never a traceback."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfWriter
from reportlab.pdfgen import canvas

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
