"""A ZIP whose central directory lists too many parts is refused from its end record, before
zipfile reads the directory (issue #22: a million entries took 10 s and 474 MB first)."""
from __future__ import annotations

import io
import struct
import zipfile

import pytest

from lovande_docs.readers import ReadError, formats, read_raw, safety
from lovande_docs.readers.formats import detect
from lovande_docs.readers.safety import MAX_ZIP_ENTRIES, SafeZip, zip_directory


def _archive(entries: int, directory_bytes: int, zip64: bool, comment: bytes = b"") -> bytes:
    """A few bytes that end in an end record declaring ``entries`` parts in ``directory_bytes``
    (the directory itself is not there: the check must not need it)."""
    body = b"PK\x03\x04" + b"\x00" * 26 + b"word/document.xml"
    small = min(entries, 0xFFFF)
    record = b""
    if zip64:
        record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, directory_bytes, 0)
        record += struct.pack("<4sLQL", b"PK\x06\x07", 0, len(body), 1)
        small = 0xFFFF
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, small, small, min(directory_bytes, 0xFFFFFFFF), 0,
                      len(comment)) + comment
    return body + record + end


@pytest.fixture
def no_zipfile(monkeypatch):
    """zipfile must never be asked to list such a directory."""
    def refuse(*args, **kwargs):
        raise AssertionError("zipfile read the directory")

    monkeypatch.setattr(safety.zipfile, "ZipFile", refuse)
    monkeypatch.setattr(formats.zipfile, "ZipFile", refuse)


@pytest.mark.parametrize("zip64", [True, False])
def test_a_directory_declaring_a_million_parts_is_refused_before_zipfile(no_zipfile, zip64):
    data = _archive(1_000_000 if zip64 else 65_535, 47_000_000, zip64)
    assert len(data) < 200  # small on disk: the check reads the end record only
    with pytest.raises(ReadError, match=r"has (1000000|65535) parts; more than 1000 is not a guide"):
        SafeZip(data)
    assert detect(data) in ("docx", "odt")  # the format check does not list it either
    with pytest.raises(ReadError, match="parts; more than 1000"):
        read_raw(data, "docx")


def test_a_directory_larger_than_a_guide_could_need_is_refused(no_zipfile):
    with pytest.raises(ReadError, match=r"list of parts takes 2\.0 MB"):
        SafeZip(_archive(10, 2 * 1024 * 1024, zip64=False, comment=b"a comment"))


def test_the_same_check_speaks_of_an_odt(no_zipfile):
    with pytest.raises(ReadError, match=r"^the \.odt has 1000000 parts"):
        read_raw(_archive(1_000_000, 47_000_000, zip64=True), "odt")


def test_a_real_archive_reads_its_directory_as_zipfile_does():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(12):
            archive.writestr(f"part{number}.xml", b"<a/>")
        archive.comment = b"a comment: the end record is found before it, as zipfile finds it"
    data = buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert zip_directory(data)[0] == len(archive.infolist()) == 12
    assert MAX_ZIP_ENTRIES >= 12
