"""Word-level comparison of two texts: the marked-up diff a reviewer reads, and a similarity score
that tells a polished wording from a different question."""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from lovande_docs import markup

_WORDS = re.compile(r"\S+")
_PLAIN_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class Token:
    """A run of words in a word diff: kept, deleted (old only) or inserted (new only)."""

    op: str  # "same", "del" or "ins"
    text: str


def word_diff(old: str, new: str) -> tuple[Token, ...]:
    """The two texts as kept/deleted/inserted runs of whole words (the markup is compared as written)."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    tokens: list[Token] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            tokens.append(Token("same", " ".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            tokens.append(Token("del", " ".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            tokens.append(Token("ins", " ".join(b[j1:j2])))
    return tuple(tokens)


def _plain_words(text: str) -> list[str]:
    try:
        text = markup.plain(text)
    except markup.MarkupError:
        pass
    return [w.lower() for w in _PLAIN_WORDS.findall(text)]


def similarity(old: str, new: str) -> float:
    """How alike two texts are as a reader sees them: difflib's ratio over their words (0–1)."""
    a, b = _plain_words(old), _plain_words(new)
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def join_paragraphs(paragraphs: tuple[str, ...] | list[str]) -> str:
    """Several paragraphs as one comparable text, paragraph breaks shown as ¶."""
    return " ¶ ".join(paragraphs)
