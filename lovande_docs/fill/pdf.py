"""Fill a built PDF's form fields with pypdf, regenerating appearances so every viewer shows them."""
from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject, TextStringObject

from lovande_docs import fields as field_ids
from lovande_docs import markup
from lovande_docs.layout import load_layout
from lovande_docs.model import Model
from lovande_docs.render.pdf.assemble import continuation_anchor
from lovande_docs.render.pdf.formfields import field_look


def fill_pdf(template: Path, values: dict[str, str], target: Path, model: Model,
             ticks: dict[str, tuple[str, ...]] | None = None, layout=None) -> None:
    """Write ``values`` ({field name: code or text}) into a copy of ``template`` at ``target``.

    ``ticks`` turns several options of one choice on at once (a conflicting answer). A viewer's
    radio group cannot do that, but a broken viewer or a hand-edited file can.

    Each text and list field is drawn as the guide's widgets are (``layout``: the one the guide was
    built with; default the package's): the layout's size and padding, long text wrapped. A value
    longer than its box shows what fits and ends with the note "… fortsätter på sida N" when the
    guide was built with it (``write_pdf(answers=…)``: its continuation pages hold it whole).
    """
    definitions = field_ids.fields_by_name(model)
    source = PdfReader(str(template))
    writer = PdfWriter(clone_from=source)
    look = field_look(layout if layout is not None else load_layout())
    continued = _continuations(source, definitions)
    wanted = {n: v for n, v in values.items() if n in definitions}
    for page in writer.pages:
        on_page = _fields_on(page)
        texts = {n: v for n, v in wanted.items() if n in on_page and definitions[n].kind != "choice"}
        for name, value in texts.items():
            field, widgets = on_page[name]
            field[NameObject("/V")] = TextStringObject(value)  # a list stores the code, and shows…
            field.pop("/I", None)  # …no earlier selection by index
            for widget in widgets:  # …the option's label, as a viewer draws it
                _draw(writer, widget, look, _label(definitions[name], value), definitions[name].kind == "text",
                      continued.get(name), model)
        for name, (field, widgets) in on_page.items():
            if name in wanted and definitions[name].kind == "choice":
                _set_radio(field, widgets, (wanted[name],))
            if ticks and name in ticks:
                _set_radio(field, widgets, ticks[name])
    writer.set_need_appearances_writer(False)
    with open(target, "wb") as out:
        writer.write(out)


def _continuations(reader: PdfReader, names) -> dict[str, int]:
    """Field name → the page (1-based) where its long answer continues, from the guide's named
    destinations (``continuation_anchor``)."""
    destinations = reader.named_destinations
    return {name: reader.get_destination_page_number(destinations[anchor]) + 1 for name in names
            if (anchor := continuation_anchor(name)) in destinations}


def _draw(writer: PdfWriter, widget, look, text: str, multiline: bool, page: int | None, model: Model) -> None:
    """The widget's appearance: ``text`` at the layout's size inside the padding; a multi-line
    value that does not fit ends with the note naming ``page`` (without one, with "…": the viewer
    shows the rest when the box is clicked, and the value read back is whole)."""
    x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
    width, height = x1 - x0, y1 - y0
    lines = look.wrap(text, width) if multiline else [text]
    if multiline:
        rows = look.rows(height)
        if page is not None:
            lines = lines[:rows - 1] + [model.label("continued_note", page=page)]
        elif len(lines) > rows:  # a guide built without the answers: the box says there is more
            lines = lines[:rows - 1] + [lines[rows - 1] + " …"]
    stream = DecodedStreamObject()
    stream.set_data(look.text_appearance(width, height, lines, multiline).encode("ascii"))
    font = writer._root_object["/AcroForm"]["/DR"]["/Font"].raw_get(NameObject("/" + look.field_font.resource))
    stream.update({
        NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(width), FloatObject(height)]),
        NameObject("/Resources"): DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject("/" + look.field_font.resource): font})}),
    })
    widget[NameObject("/AP")] = DictionaryObject({NameObject("/N"): writer._add_object(stream)})


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
