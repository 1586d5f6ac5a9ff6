"""Which format a file is, judged by its content (magic bytes, ZIP parts), never only by its name.

The formats we read are Word (.docx), OpenDocument text (.odt, LibreOffice's own format) and PDF.
For the formats people send instead (an old Word .doc, an RTF, an Apple Pages document, a
spreadsheet, a photo of the form) the message names the format and says what to do.
"""
from __future__ import annotations

import io
import zipfile

from lovande_docs.identity import MODEL_ID
from lovande_docs.readers.safety import OLE_MAGIC, ReadError, check_zip_directory

# what marks the web edition itself: the model id it carries in a meta element (identity.py)
_WEB_EDITION_MARK = f'name="{MODEL_ID}"'.lower().encode("ascii")

READ = ("docx", "odt", "pdf", "html")  # html: an answers file (JSON) saved by the web edition
SUFFIXES = (".docx", ".odt", ".pdf", ".json")  # what a folder is searched for (and the formats below, to name them)
NAMED_SUFFIXES = (".doc", ".rtf", ".pages", ".fodt", ".wpd", ".wps")

_SAVE_AS = "save it as .docx (or .odt, or a PDF form) and send that"
_ODF_KINDS = {
    "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (.ods)",
    "application/vnd.oasis.opendocument.presentation": "an OpenDocument presentation (.odp)",
    "application/vnd.oasis.opendocument.graphics": "an OpenDocument drawing (.odg)",
    "application/vnd.oasis.opendocument.text-master": "an OpenDocument master document (.odm)",
}
_IMAGES = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"),
           (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"))


def detect(data: bytes) -> str:
    """"docx", "odt" or "pdf"; any other format is a ReadError that names it and says what to do."""
    if not data:
        raise ReadError("the file is empty")
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(OLE_MAGIC):
        raise ReadError(_ole_message(data))
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{\\rtf"):
        raise ReadError("an RTF file (.rtf), which does not keep the guide's fields; open the guide you were "
                        "sent (.docx) in Word or LibreOffice, fill it in there and save it as .docx or .odt")
    for magic, name in _IMAGES:
        if data.startswith(magic):
            raise ReadError(f"a picture ({name}), not the filled form; send the filled .docx, .odt or .pdf file itself")
    if data[4:12] == b"ftypheic" or data[4:12] == b"ftypmif1":
        raise ReadError("a picture (HEIC), not the filled form; send the filled .docx, .odt or .pdf file itself")
    if data.startswith(b"\xffWPC"):
        raise ReadError(f"a WordPerfect document; open it in Word or LibreOffice and {_SAVE_AS}")
    lowered = head[:4096].lower()
    if lowered.startswith(b"<?xml") or lowered.startswith(b"<office:document"):
        if b"opendocument.text" in lowered or b"<office:document" in lowered:
            raise ReadError("a flat OpenDocument text (.fodt); open it in LibreOffice and save it as .odt or .docx")
        if b"schemas.microsoft.com/office/word/2003/wordml" in lowered or b"<pkg:package" in lowered:
            raise ReadError(f"a Word XML document (.xml); open it in Word and {_SAVE_AS}")
    if lowered.startswith(b"mime-version:") or b"\nmime-version:" in lowered[:1024]:
        raise ReadError(f"a web archive (.mht), as Word saves a web page; open it in Word and {_SAVE_AS}")
    if head.startswith((b"{", b"[")):
        return "html"  # answers saved by the web edition ("Spara som fil"); the reader checks the rest
    if lowered.startswith((b"<?xml", b"<html", b"<!doc")):
        if _WEB_EDITION_MARK in data[:65536].lower():
            raise ReadError("the web edition of the guide itself, which keeps no answers; in the page choose "
                            "\"Spara som fil\" and send the .json file it saves")
        raise ReadError("not a .docx, .odt or .pdf file (it is XML or HTML text, as when a form is saved "
                        f"as a web page); open it in Word and {_SAVE_AS}")
    raise ReadError("not a .docx, .odt or .pdf file")


def _zip_kind(data: bytes) -> str:
    """A ZIP is Word, OpenDocument, Pages or something else; the parts' names tell (the ZIP's own
    safety checks come later, in the reader)."""
    if data[30:38] == b"mimetype" and data[8:10] == b"\x00\x00":  # ODF: the mimetype first, stored
        start = 30 + int.from_bytes(data[26:28], "little") + int.from_bytes(data[28:30], "little")
        size = min(int.from_bytes(data[18:22], "little"), 200)
        return _odf_kind(data[start:start + size].decode("ascii", "replace").strip())
    try:
        check_zip_directory(data)  # a directory too large for zipfile to list: the reader refuses it
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except Exception:  # damaged: let the reader give its message about the damage (the names are still there)
        return "odt" if b"META-INF/manifest.xml" in data and b"word/document.xml" not in data else "docx"
    name_set = set(names)
    if "word/document.xml" in name_set or "[Content_Types].xml" in name_set and not _office_other(name_set):
        return "docx"
    if "mimetype" in name_set:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                mimetype = package.read("mimetype")[:200].decode("ascii", "replace").strip()
        except Exception:
            return "odt"  # the reader reports the damage
        return _odf_kind(mimetype)
    if "content.xml" in name_set and "META-INF/manifest.xml" in name_set:
        return "odt"
    if (any(n.startswith("Index/") and n.endswith(".iwa") for n in names) or "index.xml.gz" in name_set
            or "Index.zip" in name_set or "Metadata/Properties.plist" in name_set):
        raise ReadError("an Apple Pages document (.pages); in Pages choose File > Export To > Word, "
                        "and send the .docx")
    if (other := _office_other(name_set)):
        raise ReadError(other)
    if any(n.lower().endswith((".docx", ".odt", ".pdf")) for n in names):
        raise ReadError("a ZIP archive of files; unpack it and give the forms (or their folder) to lovande")
    return "docx"  # the Word reader says what is missing


def _office_other(names: set[str]) -> str | None:
    if "xl/workbook.xml" in names:
        return "an Excel workbook (.xlsx), not the guide; send the filled guide (.docx, .odt or .pdf)"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint presentation (.pptx), not the guide; send the filled guide (.docx, .odt or .pdf)"
    return None


def printable(text: str, limit: int = 80) -> str:
    """A text taken from the file's bytes, as one printable line for a message (others as "?")."""
    return "".join(c if " " <= c <= "~" else "?" for c in text[:limit])


def _odf_kind(mimetype: str) -> str:
    if mimetype.startswith("application/vnd.oasis.opendocument.text") and mimetype != "application/vnd.oasis.opendocument.text-master":
        return "odt"
    kind = _ODF_KINDS.get(mimetype, f"an OpenDocument file of another kind ({printable(mimetype) or 'no type'})")
    raise ReadError(f"{kind}, not a text document; fill in the guide in Word or LibreOffice Writer "
                    "and send the .docx or .odt")


def _ole_message(data: bytes) -> str:
    """OLE2 compound files: old Word/Excel/PowerPoint, and Office's password-protected files."""
    window = data[:1024 * 1024]
    if "EncryptionInfo".encode("utf-16-le") in window or "EncryptedPackage".encode("utf-16-le") in window:
        return "the Word file is password-protected; remove the password in Word and send it again"
    if "WordDocument".encode("utf-16-le") in window:
        return ("an old Word document (.doc, Word 97–2003), which does not keep the guide's fields; "
                "open it in Word and save it as .docx (File > Save As > Word Document)")
    if "Workbook".encode("utf-16-le") in window or "Book".encode("utf-16-le") in window:
        return "an old Excel workbook (.xls), not the guide; send the filled guide (.docx, .odt or .pdf)"
    if "PowerPoint Document".encode("utf-16-le") in window:
        return "an old PowerPoint presentation (.ppt), not the guide; send the filled guide (.docx, .odt or .pdf)"
    return (f"an old Office file (.doc or similar, not .docx); open it in Word or LibreOffice and {_SAVE_AS}")
