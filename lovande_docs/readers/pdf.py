"""Read the raw field values of a filled PDF with pypdf.

Values are taken wherever viewers put them: a radio group's value on the parent (/V) or only in
its kids' appearance states (/AS); text in PDFDocEncoding or UTF-16 (pypdf decodes both); values
written as an incremental update (pypdf reads the newest revision of every object).
"""
from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject

from lovande_docs import fields as field_ids
from lovande_docs.readers.interpret import RawForm, RawValue
from lovande_docs.readers.safety import ReadError

RADIO_FLAG = 1 << 15
PUSHBUTTON_FLAG = 1 << 16
MAX_FIELD_DEPTH = 8
MAX_FIELDS = 5000


def read_pdf(data: bytes) -> RawForm:
    try:
        return _read(data)
    except ReadError:
        raise
    except RecursionError:
        raise ReadError("damaged PDF (its form fields nest without end)") from None
    except Exception as error:  # pypdf raises many kinds on hostile or damaged input
        raise ReadError(f"damaged or unreadable PDF ({error.__class__.__name__}: {error})"[:300]) from None


def _read(data: bytes) -> RawForm:
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception:
            opened = 0
        if not opened:
            raise ReadError("the PDF is encrypted and needs a password to open")
    root = reader.trailer["/Root"].get_object()
    acro_form = root.get("/AcroForm")
    top = acro_form.get_object().get("/Fields") if acro_form is not None else None
    if not top:
        raise ReadError("the PDF has no form fields: it looks like a printout, a flattened copy or a "
                        "'Save as PDF' from Word, not the fillable guide")
    terminals: dict = {}  # name → (field type, field dictionary, () → its widgets)
    for reference in top:
        _walk(reference, "", None, terminals, 0)
    return RawForm("pdf", _identity(reader), _values(terminals))


def _walk(reference, parent: str, inherited_type, out: dict, depth: int) -> None:
    """Collect terminal fields by full name. Kids are resolved only when needed: a typed text or
    choice field, or a button that already holds its value, is terminal and its kids are widgets
    (resolving every widget dictionary is most of the cost of reading a form with pypdf)."""
    if depth > MAX_FIELD_DEPTH or len(out) > MAX_FIELDS:
        raise ReadError("damaged PDF (too many or too deeply nested form fields)")
    node = reference.get_object()
    if not isinstance(node, DictionaryObject):
        return
    partial = node.get("/T")
    name = f"{parent}.{partial}" if parent and partial is not None else (str(partial) if partial is not None else parent)
    field_type = node.get("/FT", inherited_type)
    kid_references = node.get("/Kids", ())
    typed = "/FT" in node
    if typed and (field_type in ("/Tx", "/Ch") or (field_type == "/Btn" and _on_state(node.get("/V")))):
        out[name] = (field_type, node, lambda: [])
        return
    kids = [k.get_object() for k in kid_references]
    named_kids = [k for k in kids if isinstance(k, DictionaryObject) and "/T" in k]
    if named_kids:
        for kid in named_kids:
            _walk(kid, name, field_type, out, depth + 1)
        return
    widgets = [k for k in kids if isinstance(k, DictionaryObject)] or [node]
    out[name] = (field_type, node, lambda widgets=widgets: widgets)


def _on_state(value) -> str | None:
    if isinstance(value, NameObject) and value != "/Off":
        return str(value)[1:]
    if isinstance(value, str) and value not in ("", "Off", "/Off"):
        return value.lstrip("/")
    return None


def _text(value) -> str | None:
    if value is None:
        return None
    value = value.get_object() if hasattr(value, "get_object") else value
    if isinstance(value, StreamObject):
        return value.get_data().decode("utf-8", errors="replace")
    if isinstance(value, ArrayObject):
        return _text(value[0]) if value else None
    if isinstance(value, NameObject):
        return str(value)[1:]
    return str(value)


def _values(terminals) -> dict[str, RawValue]:
    values: dict[str, RawValue] = {}
    for name, (field_type, node, widgets) in terminals.items():
        if field_type == "/Btn":
            flags = int(node.get("/Ff", 0))
            if flags & PUSHBUTTON_FLAG:
                continue
            on = _on_state(node.get("/V"))
            ticked = [on] if on else [s for s in (_on_state(w.get("/AS")) for w in widgets()) if s]
            if flags & RADIO_FLAG:
                values[name] = RawValue(codes=tuple(dict.fromkeys(ticked)))
            else:
                _checkbox(values, name, bool(ticked))
        elif field_type in ("/Tx", "/Ch"):
            values[name] = RawValue(text=_text(node.get("/V")))
    return values


def _checkbox(values: dict[str, RawValue], name: str, ticked: bool) -> None:
    """A lone checkbox named ``owner__key__code`` is one option of a choice field."""
    try:
        owner, key, code = field_ids.split_name(name)
    except ValueError:
        return
    if code is None:
        values[name] = RawValue(codes=("on",) if ticked else ())
        return
    target = values.setdefault(field_ids.field_name(owner, key), RawValue())
    if ticked:
        target.codes = target.codes + (code,)


def _identity(reader: PdfReader) -> dict[str, str]:
    info = reader.metadata or {}
    found = {}
    for key, value in info.items():
        if isinstance(key, str) and key.startswith("/Lovande"):
            found[key[1:]] = str(value)
    return found
