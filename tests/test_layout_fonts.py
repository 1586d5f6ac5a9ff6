"""The layout's font files are found on machines that keep fonts elsewhere (pipx on Windows or
macOS, a Linux without Debian's path): by file name in the usual font folders, else Arial, whose
metrics Liberation Sans shares; a font found nowhere is one clear error."""
from __future__ import annotations

import dataclasses
import shutil

import pytest

from lovande_docs import layout as layout_module
from lovande_docs.layout import LayoutError
from lovande_docs.render import renderer


def _moved(layout, folder: str):
    """The layout with every PDF font path pointing into a folder that does not exist."""
    values = dict(layout.values)
    values["fonts"] = {key: (f"{folder}/{str(value).rsplit('/', 1)[-1]}" if key.startswith("pdf_") else value)
                       for key, value in layout.values["fonts"].items()}
    return dataclasses.replace(layout, values=values)


def test_a_font_path_from_another_machine_is_found_by_its_file_name(layout, model, built_pdf, tmp_path):
    moved = _moved(layout, "/nowhere/fonts")
    assert moved.font_file("fonts.pdf_regular") == layout.font_file("fonts.pdf_regular")
    target = tmp_path / "flyttad.pdf"
    renderer("pdf")(model, moved, target)
    assert target.read_bytes() == built_pdf.read_bytes()


def test_arial_stands_in_for_liberation_sans_where_only_arial_is_installed(layout, tmp_path, monkeypatch):
    shutil.copyfile(layout.font_file("fonts.pdf_bold"), tmp_path / "arialbd.ttf")
    monkeypatch.setattr(layout_module, "font_folders", lambda: [tmp_path])
    assert _moved(layout, "/nowhere").font_file("fonts.pdf_bold") == str(tmp_path / "arialbd.ttf")


def test_a_font_found_nowhere_is_one_line_naming_the_value(layout, monkeypatch):
    monkeypatch.setattr(layout_module, "font_folders", lambda: [])
    with pytest.raises(LayoutError) as error:
        _moved(layout, "/nowhere").font_file("fonts.pdf_italic")
    message = str(error.value)
    assert "\n" not in message and "fonts.pdf_italic" in message and "Liberation" in message
