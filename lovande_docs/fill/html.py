"""Fill a built web edition's controls, as the page looks when a unit has chosen and typed.

Used by prefill (``lovande build --format html --prefill``): the answers stand in the page itself,
so they are there with or without JavaScript. The style and script are left byte for byte as they
are, so their Content-Security-Policy hashes still hold.
"""
from __future__ import annotations

from pathlib import Path

import lxml.html

from lovande_docs import fields as field_ids
from lovande_docs.model import Model


# a choice among options: where its options stand and the attribute that marks the chosen one
_CHOSEN = {"choice": ('.//input[@name="{name}"]', "checked"), "select": ('.//select[@name="{name}"]/option', "selected")}


def fill_html(template: Path, values: dict[str, str], target: Path, model: Model) -> None:
    """Write ``values`` ({field name: code or text}) into a copy of ``template`` at ``target``."""
    root = lxml.html.fromstring(Path(template).read_bytes())
    definitions = field_ids.fields_by_name(model)
    for name, value in values.items():
        definition = definitions.get(name)
        if definition is None or value is None:
            continue
        if definition.kind in _CHOSEN:
            path, attribute = _CHOSEN[definition.kind]
            for option in root.iterfind(path.format(name=name)):
                if option.get("value") == value:
                    option.set(attribute, attribute)
                else:
                    option.attrib.pop(attribute, None)
        elif definition.kind == "text":
            for area in root.iterfind(f'.//textarea[@name="{name}"]'):
                area.text = value
        else:
            for line in root.iterfind(f'.//input[@name="{name}"]'):
                line.set("value", value)
    Path(target).write_bytes(lxml.html.tostring(root, doctype="<!DOCTYPE html>", encoding="utf-8"))
