"""Read the raw field values of a filled PDF with pikepdf (qpdf).

Only what the answers need is read: the field dictionaries (names, types, flags, /V) and every
button's widgets' appearance states (/AS: what a viewer shows, compared with /V; ~2.5 ms of a
form's ~11, the widgets qpdf must then parse). Appearance
streams, pages and content are never parsed; qpdf resolves objects lazily, so a form of ~350 field
and widget objects costs a few milliseconds (pypdf parsed ~10,800 objects for the same answers).

Values are taken wherever viewers put them: a radio group's value on the parent (/V) or only in
its kids' /AS; text in PDFDocEncoding or UTF-16 (qpdf decodes both); values written as an
incremental update (qpdf reads the newest revision of every object). Encrypted files that open
without a password (an owner password only, RC4 or AES up to AES-256) are read; qpdf decrypts them.
"""
from __future__ import annotations

import io
import logging
import os
import re
import zlib

import pikepdf
from pikepdf import ObjectType

from lovande_docs import fields as field_ids
from lovande_docs.answers import Problem
from lovande_docs.readers.interpret import RawForm, RawValue
from lovande_docs.readers.safety import ReadError

RADIO_FLAG = 1 << 15
PUSHBUTTON_FLAG = 1 << 16
MAX_FIELD_DEPTH = 8
MAX_NODES = 20000  # field and widget dictionaries visited; the guide has ~350
MAX_TEXT_BYTES = 1024 * 1024  # a text value stored as a stream, after decompression
# Objects in the file, counted before qpdf opens it (object headers) and from the trailer after:
# qpdf builds a table of every object, so their number, not only the bytes, bounds memory and time.
# The guide has ~1,100; every incremental save adds the objects it changed.
MAX_OBJECTS = 100_000

_DICT, _ARRAY, _NAME, _STRING, _STREAM = (ObjectType.dictionary, ObjectType.array, ObjectType.name_,
                                          ObjectType.string, ObjectType.stream)
_OFF = pikepdf.Name("/Off")

# qpdf's messages go to Python logging (logger "pikepdf._core"); without a handler anywhere,
# logging's last resort would print them on stderr. A library adds a NullHandler (logging HOWTO):
# an application that configures logging still sees them.
logging.getLogger("pikepdf").addHandler(logging.NullHandler())


def read_pdf(data: bytes) -> RawForm:
    if data.count(b" obj") > MAX_OBJECTS:  # an upper bound on "N G obj" headers, in one pass
        raise ReadError(_TOO_MANY)
    with memory_file(data) as source:
        return _read_from(data, source)


def _read_from(data: bytes, source) -> RawForm:
    try:
        pdf = _open(data, source)
    except ReadError:
        raise
    except pikepdf.PasswordError:
        raise ReadError("the PDF is encrypted and needs a password to open") from None
    except Exception as error:  # qpdf reports damage as PdfError; anything else is damage too
        if _truncated(data):
            raise ReadError(TRUNCATED) from None
        raise ReadError(f"damaged or unreadable PDF ({_reason(error)})") from None
    try:
        with pdf:
            size = pdf.trailer.get("/Size")
            if isinstance(size, int) and size > MAX_OBJECTS:
                raise ReadError(_TOO_MANY)
            early = pdf.get_warnings()  # repairs made while opening: most leave the answers as viewers show them
            seen: set[int] = set()
            raw = _read(pdf, seen)
            # damage qpdf met in the very objects that hold the answers, while opening or reading them
            damage = [w for w in early if _warned_objects(w) & seen] + pdf.get_warnings()
            if damage:
                raw.problems.append(Problem("damaged_value", "The form's data is damaged where the answers are "
                                            f"stored ({_warning_text(damage[0])}); some answers may be missing."))
            return raw
    except ReadError:
        raise
    except RecursionError:
        raise ReadError("damaged PDF (its form fields nest without end)") from None
    except Exception as error:  # an object qpdf cannot parse when it is first resolved
        raise ReadError(f"damaged or unreadable PDF ({_reason(error)})") from None


def memory_file(data: bytes):
    """The bytes as a file qpdf can map into memory: an anonymous in-memory file (Linux). qpdf
    reads a Python stream (BytesIO) through a call back into Python for every read, which took
    half of a form's reading time; mapped, it reads the bytes directly. Elsewhere (and for no
    bytes at all, which cannot be mapped), a BytesIO."""
    if not data or not hasattr(os, "memfd_create"):
        return io.BytesIO(data)
    source = open(os.memfd_create("lovande-pdf", os.MFD_CLOEXEC), "r+b")
    try:
        source.write(data)
        source.seek(0)
    except BaseException:
        source.close()
        raise
    return source


def _open(data: bytes, source) -> pikepdf.Pdf:
    """Open without reading pages (inherit_page_attributes would walk the page tree). A file qpdf
    can repair (a broken cross-reference table, stray bytes) is read as viewers show it; qpdf's
    repair notes stay off stderr (suppress_warnings). A truncated file is refused: repairing it
    would silently lose the answers stored after the cut."""
    mode = pikepdf.AccessMode.default if isinstance(source, io.BytesIO) else pikepdf.AccessMode.mmap
    pdf = pikepdf.open(source, password="", suppress_warnings=True, attempt_recovery=True,
                       inherit_page_attributes=False, access_mode=mode)
    if _truncated(data) and pdf.get_warnings():
        pdf.close()
        raise ReadError(TRUNCATED)
    return pdf


_TOO_MANY = (f"the PDF has more than {MAX_OBJECTS:,} objects (the limit; the guide has about 1,100); "
             "it is not a filled guide")
TRUNCATED = "the PDF is truncated (an incomplete download or copy?); send the whole file again"


def _truncated(data: bytes) -> bool:
    """No end-of-file marker where every writer puts one (viewers look in the last 1024 bytes)."""
    return b"%%EOF" not in data[-1024:]


_QPDF_SOURCE = re.compile(r"^stream <[^>]*>(?: \([^)]*\))?:\s*")


_WARNED_OBJECT = re.compile(r"\bobject (\d+) \d+\b")


def _warning_text(warning: str) -> str:
    """A qpdf warning without its source and position prefix ("stream <…> (object 98 0, …): ")."""
    return re.sub(r"^stream <[^>]*>[^:]*:\s*", "", " ".join(warning.split()))[:200]


def _warned_objects(warning: str) -> set[int]:
    """The object numbers a qpdf warning names ("(object 98 0, offset 1586)", "object 99 0 at ...")."""
    return {int(number) for number in _WARNED_OBJECT.findall(warning)}


def _reason(error: Exception) -> str:
    """qpdf's message without its name for our in-memory stream ("stream <_io.BytesIO …>: ")."""
    text = _QPDF_SOURCE.sub("", " ".join(str(error).split())) or error.__class__.__name__
    return text[:200]


def _read(pdf: pikepdf.Pdf, seen: set[int] | None = None) -> RawForm:
    """The raw values; ``seen`` gets the numbers of the objects read (to match qpdf's warnings)."""
    root = pdf.Root if "/Root" in pdf.trailer else None
    acro_form = root.get("/AcroForm") if root is not None and _kind(root) == _DICT else None
    top = acro_form.get("/Fields") if acro_form is not None and _kind(acro_form) == _DICT else None
    if top is None or _kind(top) != _ARRAY or len(top) == 0:
        raise ReadError("the PDF has no form fields: it looks like a printout, a flattened copy or a "
                        "'Save as PDF' from Word, not the fillable guide")
    walk = _Walk()
    for node in top:
        walk.visit(node, "", None, 0)
    if seen is not None:
        seen |= walk.seen
    values = _values(walk.terminals)
    for name, copies in walk.copies.items():  # a second field of the same name: each viewer shows both
        if name in values:
            values[name].copies = tuple(v for found in copies for v in _values({name: found}).values())
        elif (owner := _box_owner(name)) in values:  # a tick box given twice: the choice read both ways
            first = _ticked(walk.terminals[name][1], walk.terminals[name][2])
            for copy in copies:
                if _ticked(copy[1], copy[2]) != first:
                    target = values[owner]
                    target.copies += (target.with_box_flipped(field_ids.split_name(name)[2], first),)
    return RawForm("pdf", _identity(pdf), values)


def _box_owner(name: str) -> str | None:
    try:
        owner, key, code = field_ids.split_name(name)
    except ValueError:
        return None
    return field_ids.field_name(owner, key) if code is not None else None


class _Walk:
    """Collect terminal fields by full name: name → (field type, field dictionary, widgets).

    Kids are resolved only when needed: a typed text or choice field is terminal and its kids are
    widgets that hold nothing the answers need; a button's widgets show what it holds (/AS). A
    second terminal of a name already found is kept in ``copies``."""

    def __init__(self):
        self.terminals: dict[str, tuple] = {}
        self.copies: dict[str, list[tuple]] = {}
        self.budget = MAX_NODES
        self.seen: set[int] = set()

    def _terminal(self, name: str, found: tuple) -> None:
        if name in self.terminals:
            self.copies.setdefault(name, []).append(found)
        else:
            self.terminals[name] = found

    def visit(self, node, parent: str, inherited_type, depth: int) -> None:
        self.budget -= 1
        if depth > MAX_FIELD_DEPTH or self.budget < 0:
            raise ReadError("damaged PDF (too many or too deeply nested form fields)")
        if _kind(node) != _DICT:
            return
        if node.is_indirect:
            self.seen.add(node.objgen[0])
        partial = node.get("/T")
        if partial is not None:
            partial = _string(partial)
            name = f"{parent}.{partial}" if parent else partial
        else:
            name = parent
        own_type = node.get("/FT")
        field_type = str(own_type) if own_type is not None and _kind(own_type) == _NAME else inherited_type
        if own_type is not None and field_type in ("/Tx", "/Ch"):
            self._terminal(name, (field_type, node, ()))
            return
        kids = node.get("/Kids")
        kids = kids if kids is not None and _kind(kids) == _ARRAY else ()
        self.budget -= len(kids)  # counted before any kid is resolved
        if self.budget < 0:
            raise ReadError("damaged PDF (too many or too deeply nested form fields)")
        kids = [k for k in kids if _kind(k) == _DICT]
        if own_type is not None and field_type == "/Btn" and _on_state(node.get("/V")):
            self._terminal(name, (field_type, node, kids or (node,)))  # a button holding its value: kids are its widgets
            return
        named = [k for k in kids if "/T" in k]
        if named:
            for kid in named:
                self.visit(kid, name, field_type, depth + 1)
            return
        self._terminal(name, (field_type, node, kids or (node,)))  # no kid has a /T: they are its widgets


def _kind(value):
    """The PDF type of an object; None for the plain Python numbers and booleans pikepdf returns."""
    return getattr(value, "_type_code", None)


def _string(value) -> str:
    code = _kind(value)
    if code == _STRING:
        return str(value)
    if code == _NAME:
        return str(value)[1:]
    return str(value) if code != _DICT and code != _ARRAY and code != _STREAM else ""


def _on_state(value) -> str | None:
    if value is None:
        return None
    code = _kind(value)
    if code == _NAME:
        return str(value)[1:] if value != _OFF else None
    if code == _STRING:
        text = str(value)
        return text.lstrip("/") if text not in ("", "Off", "/Off") else None
    return None


def _text(value, field_type: str = "/Ch") -> RawValue:
    """A text or choice field's /V as a raw value; a value of the wrong type, or text whose bytes
    cannot be decoded as they claim, is reported as damaged instead of being printed as text."""
    if value is None:
        return RawValue(text=None)
    code = _kind(value)
    if code == _STRING:
        return _decoded(bytes(value), value)
    if code == _NAME:  # some writers store a choice as a name; a text field never holds one
        if field_type == "/Tx":
            return RawValue(damaged="the field holds a name, not text")
        return RawValue(text=str(value)[1:])
    if code == _ARRAY:  # a choice field may hold a list of chosen values; the guide's take one
        if len(value) == 0:
            return RawValue(text=None)
        if len(value) == 1 and _kind(value[0]) in (_STRING, _NAME):
            return _text(value[0], field_type)
        return RawValue(damaged="the field holds a list of values where the guide has one")
    if code == _STREAM:  # a text field's long text may be a stream; an object stream, image or page content is not
        if field_type != "/Tx" or "/Type" in value or "/Subtype" in value:
            return RawValue(damaged="the field points at a stream that is not text")
        return RawValue(text=_stream_text(value))
    if code == ObjectType.null:
        return RawValue(text=None)
    kind = {_DICT: "a dictionary"}.get(code) or ("true or false" if isinstance(value, bool) else "a number")
    return RawValue(damaged=f"the field holds {kind}, not text")


def _decoded(raw: bytes, value) -> RawValue:
    """qpdf turns undecodable UTF-16 into an empty string; check the bytes ourselves."""
    for bom, codec in ((b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"), (b"\xef\xbb\xbf", "utf-8")):
        if raw.startswith(bom):
            try:
                return RawValue(text=raw[len(bom):].decode(codec))
            except UnicodeDecodeError:
                return RawValue(damaged=f"the field's text is damaged (it claims to be {codec.upper()} but is not)")
    return RawValue(text=str(value))


def _stream_text(stream) -> str:
    """A text value stored as a stream (allowed by the standard, rare): decompressed with a bound,
    so a few kilobytes cannot unpack to gigabytes."""
    raw = stream.read_raw_bytes()
    filters = stream.get("/Filter")
    if filters is not None and _kind(filters) == _ARRAY:
        filters = filters[0] if len(filters) == 1 else filters
    if filters is None:
        data = raw[:MAX_TEXT_BYTES + 1]
    elif _kind(filters) == _NAME and str(filters) in ("/FlateDecode", "/Fl"):
        try:
            data = zlib.decompressobj().decompress(raw, MAX_TEXT_BYTES + 1)
        except zlib.error:
            raise ReadError("damaged PDF (a field's text cannot be unpacked)") from None
    else:
        raise ReadError(f"damaged PDF (a field's text is stored with the unsupported filter {filters})")
    if len(data) > MAX_TEXT_BYTES:
        raise ReadError("a field's text is larger than the limit (1 MB)")
    return data.decode("utf-8", errors="replace")


def _values(terminals) -> dict[str, RawValue]:
    values: dict[str, RawValue] = {}
    for name, (field_type, node, widgets) in terminals.items():
        if field_type == "/Btn":
            flags = _int(node.get("/Ff"))
            if flags & PUSHBUTTON_FLAG:
                continue
            value = node.get("/V")
            shown, stored = _button_states(value, widgets)
            damaged = _button_damage(value)
            if flags & RADIO_FLAG:
                values[name] = RawValue(codes=shown, damaged=damaged, stored=stored)
            else:
                _checkbox(values, name, bool(shown), damaged, stored if stored is None else bool(stored))
        elif field_type in ("/Tx", "/Ch"):
            values[name] = _text(node.get("/V"), field_type)
    return values


def _button_states(value, widgets) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    """(the on-states a viewer shows, the value stored where they differ, else None). A viewer
    draws each widget by its appearance state (/AS); the field's value (/V) is what a form
    processor reads. When every widget has an /AS and they disagree with /V, the form is read as
    it shows (what the unit saw and saved) and the stored value is reported (interpret)."""
    on = _on_state(value)
    states = [w.get("/AS") for w in widgets]
    shown = tuple(dict.fromkeys(s for s in map(_on_state, states) if s))
    if not states or any(s is None for s in states):  # a widget without appearance state: /V decides
        return ((on,) if on else shown), None
    stored = (on,) if on else ()
    if value is None or _kind(value) not in (_NAME, _STRING) or shown == stored:
        return shown, None
    return shown, stored


def _ticked(node, widgets) -> bool:
    return bool(_button_states(node.get("/V"), widgets)[0])


def _int(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _button_damage(value) -> str | None:
    """Why a button's /V cannot be trusted: it must be a name (a string is tolerated, if it decodes)."""
    if value is None:
        return None
    code = _kind(value)
    if code in (_NAME, ObjectType.null):
        return None
    if code == _STRING:
        return _decoded(bytes(value), value).damaged
    kind = {_DICT: "a dictionary", _ARRAY: "a list", _STREAM: "a stream"}.get(code) or (
        "true or false" if isinstance(value, bool) else "a number")
    return f"the field holds {kind}, not a choice"


def _checkbox(values: dict[str, RawValue], name: str, ticked: bool, damaged: str | None = None,
              stored: bool | None = None) -> None:
    """A lone checkbox named ``owner__key__code`` is one option of a choice field. ``stored``:
    whether its /V is ticked, when that differs from what it shows (``ticked``)."""
    try:
        owner, key, code = field_ids.split_name(name)
    except ValueError:
        return
    if code is None:
        values[name] = RawValue(codes=("on",) if ticked else (), damaged=damaged,
                                stored=None if stored is None else (("on",) if stored else ()))
        return
    target = values.setdefault(field_ids.field_name(owner, key), RawValue())
    if stored is not None and target.stored is None:
        target.stored = target.codes  # the boxes before this one store what they show
    if ticked:
        target.codes = target.codes + (code,)
    if target.stored is not None and (stored if stored is not None else ticked):
        target.stored = target.stored + (code,)
    target.damaged = target.damaged or damaged


def _identity(pdf: pikepdf.Pdf) -> dict[str, str]:
    info = pdf.trailer.get("/Info")
    if info is None or _kind(info) != _DICT:
        return {}
    found = {}
    for key in info.keys():
        if key.startswith("/Lovande"):
            value = info.get(key)
            found[key[1:]] = _string(value) if value is not None else ""
    return found
