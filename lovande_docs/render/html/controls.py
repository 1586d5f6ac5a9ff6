"""Form controls for the guide's fields, named by the shared field identities (lovande_docs.fields).

A choice is a row of radio buttons (one per option, ``name`` the field's name, ``value`` the
option's code, ``id`` the name Word gives that option's box); a select a ``select`` whose first
entry is the neutral placeholder with an empty value; a text a ``textarea``; a line or a date a
one-line ``input``. Controls are built empty; lovande_docs.fill.html fills a built page in.
"""
from __future__ import annotations

from html import escape
from typing import Callable

from lovande_docs import markup
from lovande_docs.fields import FieldDef


def radios(field: FieldDef, label_html: Callable[[str], str], unanswered: str) -> str:
    """The options of a choice; inside its caller's fieldset, whose legend names the group. The
    "Ej besvarad" line is shown only on paper, when no option is chosen (see style.css)."""
    items = []
    for option in field.options.items:
        box = field.box_name(option.code)
        items.append(f'<div class="option"><input type="radio" id="{box}" name="{field.name}" '
                     f'value="{escape(option.code)}"><label for="{box}">{label_html(option.label)}</label></div>')
    return (f'<div class="options" data-field="{field.name}">{"".join(items)}'
            f'<p class="unanswered">{escape(unanswered)}</p></div>')


def select(field: FieldDef) -> str:
    placeholder = field.options.placeholder or ""
    entries = [f'<option value="" selected>{escape(markup.plain(placeholder))}</option>']
    for option in field.options.items:
        entries.append(f'<option value="{escape(option.code)}">{escape(markup.plain(option.label))}</option>')
    return f'<select id="{field.name}" name="{field.name}">{"".join(entries)}</select>'


def text(field: FieldDef, rows: int, described_by: str | None = None) -> str:
    """A text field: several lines for ``text``, one for ``line`` and ``date``."""
    described = f' aria-describedby="{described_by}"' if described_by else ""
    if field.kind == "text":
        return (f'<textarea id="{field.name}" name="{field.name}" rows="{rows}"{described}>'
                '</textarea>')
    return f'<input type="text" id="{field.name}" name="{field.name}" autocomplete="off"{described}>'


def labelled(field: FieldDef, label_html: str, rows: int, hint_html: str | None = None) -> str:
    """A select or text field with its visible label (and hint, read as its description)."""
    hint_id = f"{field.name}__hint" if hint_html else None
    hint = f'<p class="hint" id="{hint_id}">{hint_html}</p>' if hint_html else ""
    control = select(field) if field.kind == "select" else text(field, rows, hint_id)
    return f'<div class="field field-{field.kind}"><label for="{field.name}">{label_html}</label>{hint}{control}</div>'
