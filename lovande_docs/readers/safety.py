"""Defensive handling of untrusted files: size limits, format sniffing, ZIP and XML checks.

Every check raises :class:`ReadError` with a message in plain words; the caller prefixes the file
name. The limits are documented in docs/answers-format.md ("Limits").
"""
from __future__ import annotations

import hashlib
import os
import stat
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

MAX_FILE_BYTES = 50 * 1024 * 1024  # a filled guide is well under 1 MB; 50 MB leaves room for pasted images
MAX_ZIP_ENTRIES = 1000
# The ZIP's central directory as its end record declares it, checked before zipfile reads it:
# zipfile builds an object per entry it lists (a million took 10 s and 474 MB), bounded only by
# this size. A part's entry is 46 bytes and its name (Word's and LibreOffice's: under 100), so
# 1 MB holds far more than MAX_ZIP_ENTRIES parts of any guide.
MAX_DIRECTORY_BYTES = 1024 * 1024
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # uncompressed size of any one part we read
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # uncompressed size of all parts together, as declared
MIN_COMPRESSION_RATIO = 0.01  # compressed/uncompressed below this (and above 1 MB) is a zip bomb
# What a parsed tree may cost, not only its bytes: a node (element or attribute) costs lxml ~100-200
# bytes, so 1,000,000 nodes stay near 200 MB. The guide's document.xml has ~17,000 elements
# (~41,000 tags and attributes, what is counted).
MAX_XML_NODES = 1_000_000
MAX_XML_DEPTH = 256  # libxml2's own limit without huge_tree; the guide nests 11 deep

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


class ReadError(Exception):
    """A file that cannot be read as a filled guide; the message says why in plain words."""


@dataclass(frozen=True)
class Sniffed:
    format: str  # "docx" or "pdf"
    data: bytes


def read_bounded(path: Path) -> bytes:
    """The bytes of a regular file within MAX_FILE_BYTES. Anything else is refused before it is
    read: a FIFO would block for ever, a device (``/dev/zero``) never ends. The name is checked
    with stat (which never opens it), then opened without blocking and checked again on the open
    file, so nothing swapped in between is read."""
    try:
        found = os.stat(path)  # follows symbolic links: what a link points at is what counts
    except OSError as error:
        raise ReadError(f"cannot read: {error.strerror or error}") from None
    _check_regular(found)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise ReadError(f"cannot read: {error.strerror or error}") from None
    with open(fd, "rb") as handle:
        opened = os.fstat(fd)
        _check_regular(opened)
        try:
            data = handle.read(opened.st_size)
            more = handle.read(1)
            if more:  # the file grew since: read on, one byte past the limit at most
                data += more + handle.read(max(0, MAX_FILE_BYTES - len(data)))
        except OSError as error:
            raise ReadError(f"cannot read: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(f"file is too large (more than the limit of {MAX_FILE_BYTES // 1024 // 1024} MB)")
    return data


NOT_REGULAR = "not a regular file"
_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _check_regular(found: os.stat_result) -> None:
    """A folder, FIFO, device or socket is refused by its kind; a regular file by its size."""
    if stat.S_ISDIR(found.st_mode):
        raise ReadError("is a folder, not a file")
    if not stat.S_ISREG(found.st_mode):
        kind = next((name for test, name in _KINDS if test(found.st_mode)), "not a file")
        raise ReadError(f"{NOT_REGULAR}: it is {kind}; refused")
    if found.st_size > MAX_FILE_BYTES:
        raise ReadError(f"file is too large ({found.st_size / 1024 / 1024:.0f} MB; "
                        f"the limit is {MAX_FILE_BYTES // 1024 // 1024} MB)")


def read_file(path: Path) -> tuple[bytes, str]:
    """A file's bytes (read_bounded) and their SHA-256: what is hashed is exactly what is read."""
    data = read_bounded(path)
    return data, hashlib.sha256(data).hexdigest()


def sniff(data: bytes) -> str:
    """The format by content, not by name: "docx" or "pdf"; anything else is a ReadError."""
    if not data:
        raise ReadError("the file is empty")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "docx"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data[:65536] or b"E\x00n\x00c\x00r\x00y\x00p\x00t" in data:
            raise ReadError("the Word file is password-protected; remove the password in Word and send it again")
        raise ReadError("an old-format Word file (.doc) or another Office file; save it as .docx")
    if data.lstrip()[:5].lower() in (b"<?xml", b"<html", b"<!doc"):
        raise ReadError("not a .docx or .pdf file (it is XML or HTML text)")
    raise ReadError("not a .docx or .pdf file")


_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record (22 bytes, then a comment)
_EOCD64_LOCATOR = struct.Struct("<4sLQL")  # ZIP64: just before the end record
_EOCD64 = struct.Struct("<4sQ2H2L4Q")  # ZIP64 end record: just before its locator


def zip_directory(data: bytes) -> tuple[int, int] | None:
    """(entries, bytes) of the central directory as the archive's end record declares them, found
    where zipfile looks for them (the last 22 bytes, or the last end-record signature within a
    comment's reach; ZIP64's record when it has one); None when there is none (zipfile refuses it)."""
    if len(data) < _EOCD.size:
        return None
    start = len(data) - _EOCD.size
    if data[start:start + 4] != b"PK\x05\x06" or data[-2:] != b"\x00\x00":
        start = data.rfind(b"PK\x05\x06", max(0, len(data) - 65536 - _EOCD.size))
        if start < 0 or start + _EOCD.size > len(data):
            return None
    entries, size = _EOCD.unpack_from(data, start)[4:6]
    locator = start - _EOCD64_LOCATOR.size
    record = locator - _EOCD64.size
    if record >= 0 and data[locator:locator + 4] == b"PK\x06\x07" and data[record:record + 4] == b"PK\x06\x06":
        entries, size = _EOCD64.unpack_from(data, record)[7:9]
    return entries, size


def check_zip_directory(data: bytes) -> None:
    """Refuse an archive whose directory lists more parts, or takes more bytes, than a guide's
    could, from its end record alone: before zipfile reads the directory and builds its list."""
    declared = zip_directory(data)
    if declared is None:
        return
    entries, size = declared
    if entries > MAX_ZIP_ENTRIES:
        raise ReadError(f"the .docx has {entries} parts; more than {MAX_ZIP_ENTRIES} is not a guide")
    if size > MAX_DIRECTORY_BYTES:
        raise ReadError(f"the .docx's list of parts takes {size / 1024 / 1024:.1f} MB; more than "
                        f"{MAX_DIRECTORY_BYTES // 1024 // 1024} MB is not a guide")


class SafeZip:
    """A ZIP archive checked for bombs, encryption and oddities before any part is read."""

    def __init__(self, data: bytes):
        import io

        check_zip_directory(data)
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise ReadError("damaged or truncated .docx (not a readable ZIP archive)") from None
        except NotImplementedError as error:  # a ZIP version or feature zipfile does not support
            raise ReadError(f"damaged .docx, or one using a ZIP feature Word never writes ({error})") from None
        except (OSError, ValueError, EOFError) as error:
            raise ReadError(f"damaged .docx ({_zip_reason(error)})") from None
        infos = self.zip.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise ReadError(f"the .docx has {len(infos)} parts; more than {MAX_ZIP_ENTRIES} is not a guide")
        names: set[str] = set()
        total = 0
        for info in infos:
            if info.filename in names:
                raise ReadError(f"the .docx has the part {info.filename!r} twice")
            names.add(info.filename)
            if info.flag_bits & 0x1:
                raise ReadError("the .docx is encrypted")
            total += info.file_size
            if info.file_size > MAX_ENTRY_BYTES or total > MAX_TOTAL_BYTES:
                raise ReadError("the .docx unpacks to more than the size limit (a ZIP bomb?)")
            if info.file_size > 1024 * 1024 and info.compress_size / info.file_size < MIN_COMPRESSION_RATIO:
                raise ReadError(f"the part {info.filename!r} is compressed suspiciously well (a ZIP bomb?)")
        self.names = names

    def read(self, name: str) -> bytes:
        """One part, never more than MAX_ENTRY_BYTES even if the header lies about the size."""
        if name not in self.names:
            raise ReadError(f"the .docx has no part {name!r}")
        try:
            with self.zip.open(name) as stream:
                data = stream.read(MAX_ENTRY_BYTES + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise ReadError(f"damaged .docx: cannot unpack {name!r} ({_zip_reason(error)})") from None
        except NotImplementedError as error:  # a compression method or ZIP version Word never writes
            raise ReadError(f"damaged .docx: cannot unpack {name!r} ({error})") from None
        except Exception:  # zlib.error and friends escape zipfile
            raise ReadError(f"damaged .docx: cannot unpack {name!r} (its compressed data is damaged)") from None
        if len(data) > MAX_ENTRY_BYTES:
            raise ReadError(f"the part {name!r} unpacks to more than the size limit (a ZIP bomb?)")
        return data


def _zip_reason(error: Exception) -> str:
    """zipfile's message, without the raw header bytes it sometimes quotes."""
    message = str(error)
    if message.startswith("File name in directory"):
        return "its name in the ZIP directory and in its local header differ"
    return message.encode("ascii", "replace").decode()[:100]


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_blank_text=False, dtd_validation=False)


def bound_nodes(data: bytes, part: str) -> None:
    """Refuse a part with more elements and attributes than MAX_XML_NODES, before any parsing."""
    # each element or attribute takes at least 4 bytes ("<a/>", ' a=""'): a smaller part cannot
    # exceed the limit, and a larger one is bounded from the bytes in two fast passes (every
    # element has a tag, every attribute an "=")
    if len(data) >= 4 * MAX_XML_NODES and data.count(b"<") + data.count(b"=") > MAX_XML_NODES:
        raise ReadError(f"the part {part!r} has more than {MAX_XML_NODES:,} XML tags and attributes "
                        "(the limit per part; a guide has about 41,000)")


def parse_xml(data: bytes, part: str) -> etree._Element:
    """Parse one XML part with entities, DTDs and network access switched off."""
    bound_nodes(data, part)  # the tree is never built past the limit
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in head:
        raise ReadError(f"the part {part!r} declares a DTD or entities, which a Word file never does (refused)")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        if "Excessive depth" in (error.msg or ""):
            raise ReadError(f"the part {part!r} nests XML more than {MAX_XML_DEPTH} levels deep "
                            "(the limit; a guide nests about 11)") from None
        if "Memory allocation failed" in (error.msg or ""):
            raise MemoryError from None  # the per-file memory limit (guard.py) reports it
        raise ReadError(f"damaged .docx: {part!r} is not well-formed XML ({error.msg})") from None
    if root is None:
        raise ReadError(f"damaged .docx: {part!r} is empty")
    if root.getroottree().docinfo.doctype:
        raise ReadError(f"the part {part!r} declares a DTD, which a Word file never does (refused)")
    return root
