"""Which parts of the guide a page break splits, measured on a laid-out PDF (LibreOffice's or ours).

A *group* is what a reader must see on one page: a support question (its marker, the end of its
text, the labels of its answer row, its description box's label and placeholder, and the first and
last words of every tip paragraph) and a box (its title and the first and last words of every
paragraph and bullet). Each of these *markers* is looked up in the PDF's text in document order;
a group is split when its markers fall on more than one page. The box's closing paragraph carries
no text: it is chained (keep-with-next) to the tip after it, so a tip on the box's page proves the
box whole.

Run as a script on a .docx or .pdf to print the split groups: ``python tests/page_groups.py FILE``.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lovande_docs import markup
from lovande_docs.document import BoxBlock, ElementSummary, FieldItem, QuestionBlock, build_document
from lovande_docs.model import Model

_HEADING = " (rubrik)"
WORDS = 3  # words that identify the start or end of a paragraph


@dataclass(frozen=True)
class Group:
    name: str  # "Element 4, Stödfråga 1" / "Ruta: Nyttor"
    markers: tuple[re.Pattern, ...]


PAGE = "\x00"  # where a page reference prints its number


def _words(text: str) -> list[str]:
    return markup.plain(text, page_of=lambda _: PAGE).split()


def _phrase(words: list[str]) -> re.Pattern:
    """Words in order, any whitespace between them; a footnote number may follow a word, and a
    page reference is any page number."""
    def escape(part: str) -> str:
        return r"\d+".join(re.escape(piece) for piece in part.split(PAGE))

    def word(w: str) -> str:
        core = w.rstrip(".,;:?!)”")
        return escape(core) + r"\d*" + escape(w[len(core):])
    return re.compile(r"(?<!\w)" + r"(?:\s|•)+".join(word(w) for w in words) + r"(?!\w)")


def _ends(text: str) -> list[re.Pattern]:
    words = _words(text)
    return [_phrase(words[:WORDS]), _phrase(words[-WORDS:])]


def groups(model: Model, placeholders: bool = True) -> list[Group]:
    """The groups of the guide in document order (questions with their parts' fields, boxes);
    ``placeholders``: a description box shows the placeholder text (Word), or not (PDF)."""
    out: list[Group] = []
    placeholder = model.labels["text_placeholder"]
    for block in build_document(model):
        if isinstance(block, QuestionBlock):
            markers = [_phrase(block.marker.split() + _words(block.text)[:2]), _phrase(_words(block.text)[-WORDS:])]
            for field in block.fields:
                if field.kind == "choice":
                    markers += [_phrase(_words(o.label)) for o in field.options.items]
                elif field.kind == "select":
                    markers.append(_phrase(_words(field.spec.label)))
            for field in block.fields:
                if field.kind in ("text", "line"):
                    markers.append(_phrase(_words(field.spec.label)))
                    if placeholders:
                        markers.append(_phrase(placeholder.split()))
            for index, text in enumerate(block.tip):
                words = _words(text)
                if index == 0:
                    words = model.labels["tip"].split() + words
                markers += [_phrase(words[:WORDS]), _phrase(words[-WORDS:])]
            name = f"Stödfråga {block.numbered.element_number}.{block.numbered.number}"
            if out and out[-1].name.endswith(_HEADING):  # a question with parts: its heading stays with part a
                name, markers = name, [*out.pop().markers, *markers]
            out.append(Group(name + ("" if block.fields else _HEADING), tuple(markers)))
        elif isinstance(block, BoxBlock):
            texts = (*block.paragraphs, *block.bullets)
            markers = [_phrase(_words(block.title) + _words(texts[0])[:WORDS])]  # not the title's TOC entry
            for text in texts:
                markers += _ends(text)
            out.append(Group(f"Ruta: {markup.plain(block.title)}", tuple(markers)))
        elif isinstance(block, ElementSummary):
            markers = [_phrase(_words(block.name) + _words(block.statement)[:WORDS]), _phrase(_words(block.statement)[-WORDS:])]
            markers += _field_markers(block.fields, placeholder if placeholders else None)
            out.append(Group(f"Sammanfattning: {block.name}", tuple(markers)))
        elif isinstance(block, FieldItem):
            markers = [_phrase(_words(block.label))] + ([_phrase(_words(block.hint))] if block.hint else [])
            markers += _field_markers((block.field,), placeholder if placeholders else None)[1:]
            out.append(Group(f"Fält: {markup.plain(block.label)}", tuple(markers)))
    return out


def _field_markers(fields, placeholder: str | None) -> list[re.Pattern]:
    """A summary's or a field item's fields: each label, and a text field's placeholder."""
    out = []
    for field in fields:
        out.append(_phrase(_words(field.spec.label)))
        if field.kind in ("text", "line") and placeholder:
            out.append(_phrase(placeholder.split()))
    return out


def page_texts(pdf: Path) -> list[str]:
    """Each page's text (poppler's pdftotext, pages split at form feeds)."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                          text=True, timeout=120).stdout
    return text.split("\f")


def group_pages(model: Model, pdf: Path) -> list[tuple[Group, tuple[int, ...]]]:
    """Every group with the (1-based) pages its markers fall on, found in document order."""
    return pages_of_groups(model, page_texts(pdf))


def pages_of_groups(model: Model, pages: list[str]) -> list[tuple[Group, tuple[int, ...]]]:
    """The same from the pages' texts."""
    starts, flat = [], []
    position = 0
    for text in pages:
        starts.append(position)
        flat.append(text)
        position += len(text) + 1
    whole = "\n".join(flat)

    def page_of(offset: int) -> int:
        return max(i for i, start in enumerate(starts) if start <= offset) + 1

    out = []
    cursor = 0
    for group in groups(model, model.labels["text_placeholder"] in " ".join(whole.split())):
        found = []
        for pattern in group.markers:
            match = pattern.search(whole, cursor)
            if match is None:
                raise AssertionError(f"{group.name}: {pattern.pattern!r} not found after offset {cursor}")
            found.append(page_of(match.start()))
            cursor = match.start()  # markers may share words (a label and the next tip); keep order loosely
        out.append((group, tuple(sorted(set(found)))))
    return out


def split_groups(model: Model, pdf: Path) -> list[tuple[str, tuple[int, ...]]]:
    return [(group.name, pages) for group, pages in group_pages(model, pdf) if len(pages) > 1]


def main(argv: list[str]) -> int:
    from lovande_docs.model import load_model
    from lovande_docs.paths import DEFAULT_CONTENT

    source = Path(argv[0])
    model = load_model(DEFAULT_CONTENT)
    if source.suffix == ".docx":
        out = Path(tempfile.mkdtemp())
        subprocess.run(["soffice", f"-env:UserInstallation=file://{out}/profile", "--headless", "--convert-to",
                        "pdf", "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=240)
        source = out / (source.stem + ".pdf")
    found = group_pages(model, source)
    split = [(g.name, p) for g, p in found if len(p) > 1]
    for name, pages in split:
        print(f"split: {name}: pages {', '.join(map(str, pages))}")
    kinds = ("Stödfråga", "Ruta", "Sammanfattning", "Fält")
    counts = ", ".join(f"{sum(1 for name, _ in split if name.startswith(k))} {k}" for k in kinds)
    print(f"{len(split)} of {len(found)} groups split ({counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
