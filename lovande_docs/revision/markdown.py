"""The change report as Markdown for the terminal: headings per kind of change, wording changes
marked word by word as [-deleted-]{+inserted+}."""
from __future__ import annotations

from pathlib import Path

from lovande_docs.revision.changes import Changes
from lovande_docs.revision.describe import WORDS, Segment, describe, describe_warning

_MARKS = {"plain": "{}", "strong": "**{}**", "code": "`{}`", "del": "[-{}-]", "ins": "{{+{}+}}"}


def _line(segments: tuple[Segment, ...]) -> str:
    return "".join(_MARKS[s.style].format(s.text) if s.text else "" for s in segments)


def _shown(source: str) -> str:
    """A source path relative to the working folder where it lies inside it."""
    try:
        return str(Path(source).resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return source


def render_markdown(changes: Changes) -> str:
    words = WORDS["en"]
    old, new = changes.old, changes.new
    lines = [
        "# " + words["title"].format(model=new.title, old=old.version, new=new.version), "",
        f"- {words['old']}: `{_shown(old.source)}` ({old.id} {old.version}, sha256:{old.content_hash[:12]}…)",
        f"- {words['new']}: `{_shown(new.source)}` ({new.id} {new.version}, sha256:{new.content_hash[:12]}…)", "",
        words["count"].format(changes=len(changes.items), warnings=len(changes.warnings)),
    ]
    if changes.warnings:
        lines += ["", f"## {words['warnings']}", ""]
        lines += [f"- ⚠ {_line(describe_warning(w))}" for w in changes.warnings]
    if not changes.items:
        lines += ["", words["none"]]
    for group, items in changes.grouped():
        lines += ["", f"## {words['groups'][group]}", ""]
        lines += [f"- {_line(describe(change))}" for change in items]
    return "\n".join(lines) + "\n"
