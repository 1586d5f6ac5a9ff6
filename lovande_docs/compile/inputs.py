"""Expand the command's INPUTS (files and folders) into the list of files to read."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

# Forms we read, and formats people send instead: those are listed too, so the Problem sheet names
# them with what to do (lovande_docs.readers.formats), rather than leaving them out unsaid.
SUFFIXES = (".docx", ".odt", ".pdf", ".json", ".doc", ".rtf", ".pages")  # .json: the web edition's answers files


def _skipped(name: str) -> bool:
    """Office lock files (``~$enhet.docx``) and hidden files or folders (``.lovande-cache``)."""
    return name.startswith(("~$", "."))


def expand_inputs(inputs: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """(files to read, inputs that do not exist). Folders are searched recursively for SUFFIXES
    (anything so named that is not a folder: a FIFO or device is listed, and refused when read,
    never skipped unsaid); a file named on the command line is read whatever its name. Order: as given, each
    folder's files sorted by path; a file reached twice is listed once."""
    files: list[Path] = []
    missing: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):  # a link in a loop: listed under its own name, refused when read
            key = path.absolute()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = []
            for candidate in path.rglob("*"):
                relative = candidate.relative_to(path).parts
                if any(_skipped(part) for part in relative):
                    continue
                if candidate.suffix.lower() in SUFFIXES and not candidate.is_dir():
                    found.append(candidate)  # a FIFO, device or broken link too: listed, refused when read
            for candidate in sorted(found):
                add(candidate)
        elif path.exists():
            add(path)
        else:
            missing.append(path)
    return files, missing
