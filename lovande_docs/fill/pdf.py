"""Fill a built PDF's form fields with pypdf, regenerating appearances so every viewer shows them."""
from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from lovande_docs import fields as field_ids
from lovande_docs import markup
from lovande_docs.model import Model


def fill_pdf(template: Path, values: dict[str, str], target: Path, model: Model,
             ticks: dict[str, tuple[str, ...]] | None = None) -> None:
    """Write ``values`` ({field name: code or text}) into a copy of ``template`` at ``target``.

    ``ticks`` turns several options of one choice on at once (a conflicting answer). A viewer's
    radio group cannot do that, but a broken viewer or a hand-edited file can.
    """
    definitions = field_ids.fields_by_name(model)
    writer = PdfWriter(clone_from=PdfReader(str(template)))
    wanted = {n: v for n, v in values.items() if n in definitions}
    for page in writer.pages:
        on_page = _fields_on(page)
        texts = {n: v for n, v in wanted.items() if n in on_page and definitions[n].kind != "choice"}
        # A viewer draws a chosen option's label, not its export code: draw the label, then store the code.
        if texts:
            with _quiet_pypdf():
                writer.update_page_form_field_values(
                    page, {n: _label(definitions[n], v) for n, v in texts.items()}, auto_regenerate=False)
        for name, value in texts.items():
            if definitions[name].kind == "select":
                on_page[name][0][NameObject("/V")] = TextStringObject(value)
        for name, (field, widgets) in on_page.items():
            if name in wanted and definitions[name].kind == "choice":
                _set_radio(field, widgets, (wanted[name],))
            if ticks and name in ticks:
                _set_radio(field, widgets, ticks[name])
    writer.set_need_appearances_writer(False)
    with open(target, "wb") as out:
        writer.write(out)


@contextmanager
def _quiet_pypdf():
    """pypdf logs a warning for every value with a character the field font lacks (✓, Cyrillic, …).
    The value is stored exactly; only its drawing leaves the character out, as pdf.js and PDFium do."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _label(definition, value: str) -> str:
    if definition.kind != "select" or value not in definition.options.codes:
        return value
    return markup.plain(definition.options.label_of(value))


def _fields_on(page) -> dict[str, tuple]:
    """The fields with a widget on this page: name → (field dictionary, its widgets here)."""
    found: dict[str, tuple] = {}
    for annotation in page.get("/Annots", ()) or ():
        widget = annotation.get_object()
        parent = widget.get("/Parent")
        field = parent.get_object() if parent is not None and "/T" not in widget else widget
        if "/T" in field:
            found.setdefault(str(field["/T"]), (field, []))[1].append(widget)
    return found


def _set_radio(field, widgets: list, codes: tuple[str, ...]) -> None:
    for widget in widgets:
        states = [s for s in widget.get("/AP", {}).get("/N", {}) if s != "/Off"]
        on = next((s for s in states if s[1:] in codes), None)
        widget[NameObject("/AS")] = NameObject(on or "/Off")
    if len(codes) == 1:
        field[NameObject("/V")] = NameObject("/" + codes[0])
    else:  # a conflict: several kids on, no single value
        field.pop("/V", None)
