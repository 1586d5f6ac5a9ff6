"""Fill a built PDF's form fields with pypdf, regenerating appearances so every viewer shows them."""
from __future__ import annotations

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
    texts = {n: v for n, v in values.items() if n in definitions and definitions[n].kind not in ("choice",)}
    choices = {n: v for n, v in values.items() if n in definitions and definitions[n].kind == "choice"}
    for page in writer.pages:
        names_on_page = _field_names_on(page)
        page_texts = {n: v for n, v in texts.items() if n in names_on_page}
        # A viewer draws a chosen option's label, not its export code: draw the label, then store the code.
        shown = {n: _label(definitions[n], v) for n, v in page_texts.items()}
        if shown:
            writer.update_page_form_field_values(page, shown, auto_regenerate=False)
        for name, value in page_texts.items():
            if definitions[name].kind == "select":
                _field_on(page, name)[NameObject("/V")] = TextStringObject(value)
        for name in names_on_page:
            if name in choices:
                _set_radio(page, name, (choices[name],))
            if ticks and name in ticks:
                _set_radio(page, name, ticks[name])
    writer.set_need_appearances_writer(False)
    with open(target, "wb") as out:
        writer.write(out)


def _label(definition, value: str) -> str:
    if definition.kind != "select" or value not in definition.options.codes:
        return value
    return markup.plain(definition.options.label_of(value))


def _field_on(page, name: str):
    for annotation in page.get("/Annots", ()) or ():
        widget = annotation.get_object()
        parent = widget.get("/Parent")
        field = parent.get_object() if parent is not None and "/T" not in widget else widget
        if str(field.get("/T")) == name:
            return field
    raise KeyError(name)


def _field_names_on(page) -> set[str]:
    names = set()
    for annotation in page.get("/Annots", ()) or ():
        widget = annotation.get_object()
        parent = widget.get("/Parent")
        field = parent.get_object() if parent is not None and "/T" not in widget else widget
        if "/T" in field:
            names.add(str(field["/T"]))
    return names


def _set_radio(page, name: str, codes: tuple[str, ...]) -> None:
    for annotation in page.get("/Annots", ()) or ():
        widget = annotation.get_object()
        parent = widget.get("/Parent")
        if parent is None or str(parent.get_object().get("/T")) != name:
            continue
        states = [s for s in widget.get("/AP", {}).get("/N", {}) if s != "/Off"]
        on = next((s for s in states if s[1:] in codes), None)
        widget[NameObject("/AS")] = NameObject(on or "/Off")
        if len(codes) == 1:
            parent.get_object()[NameObject("/V")] = NameObject("/" + codes[0])
        else:  # a conflict: several kids on, no single value
            parent.get_object().pop("/V", None)
