"""The change report as a Word document for the revision notes of the publication (in Swedish):
a heading per kind of change, deleted words struck through in red, inserted words underlined in
blue."""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.shared import RGBColor

from lovande_docs.revision.changes import Changes
from lovande_docs.revision.describe import WORDS, Segment, describe, describe_warning

DELETED = RGBColor(0xC0, 0x00, 0x00)
INSERTED = RGBColor(0x1F, 0x4E, 0x9A)


def _add_segments(paragraph, segments: tuple[Segment, ...]) -> None:
    for segment in segments:
        if not segment.text:
            continue
        run = paragraph.add_run(segment.text)
        if segment.style == "strong":
            run.bold = True
        elif segment.style == "code":
            run.font.name = "Courier New"
        elif segment.style == "del":
            run.font.strike = True
            run.font.color.rgb = DELETED
        elif segment.style == "ins":
            run.font.underline = True
            run.font.color.rgb = INSERTED


def write_docx_report(changes: Changes, path: Path) -> None:
    words = WORDS["sv"]
    old, new = changes.old, changes.new
    document = Document()
    title = words["title"].format(model=new.title, old=old.version, new=new.version)
    document.core_properties.title = title
    document.core_properties.language = "sv-SE"
    document.add_heading(title, 0)
    document.add_paragraph(f"{words['old']}: {old.id} {old.version} ({Path(old.source).name}, "
                           f"sha256:{old.content_hash[:12]}…)")
    document.add_paragraph(f"{words['new']}: {new.id} {new.version} ({Path(new.source).name}, "
                           f"sha256:{new.content_hash[:12]}…)")
    document.add_paragraph(words["count"].format(changes=len(changes.items), warnings=len(changes.warnings)))
    if changes.warnings:
        document.add_heading(words["warnings"], 1)
        for warning in changes.warnings:
            _add_segments(document.add_paragraph(style="List Bullet"), describe_warning(warning, "sv"))
    if not changes.items:
        document.add_paragraph(words["none"])
    for group, items in changes.grouped():
        document.add_heading(words["groups"][group], 1)
        for change in items:
            _add_segments(document.add_paragraph(style="List Bullet"), describe(change, "sv"))
    document.save(str(path))
