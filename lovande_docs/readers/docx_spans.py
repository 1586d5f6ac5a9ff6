"""Cut a Word document's content controls out of its bytes, so that only they become a tree.

The guide's ``document.xml`` is ~535 KB, of which the content controls (every field) are a third;
building the whole tree and walking it was most of the time a compile spends on a .docx. Here the
outermost ``<w:sdt>`` elements are found in the bytes and parsed on their own, strictly, under a
copy of the document's root element (so their namespace prefixes mean what they meant). The rest
of the part, the guide's text and layout, is not parsed: the reader reads fields.

Only a part whose controls cannot mean anything else takes this path; otherwise (None) the reader
parses the whole part. So it is declined when:

- the part is not UTF-8, or holds anything but an XML declaration before ``<w:document``, or that
  root does not bind ``w`` (and no other prefix) to WordprocessingML;
- a ``w:sdt`` tag has attributes or white space, does not follow a tag, or the tags do not pair
  (Word never writes them so);
- anything could change what a control means or hide one: a namespace declaration outside the
  controls (it could rebind a prefix they use), or anywhere a comment, CDATA section, processing
  instruction or DTD (text in them may look like a control).

For a well-formed part this reads exactly what the whole part's parse reads (tests/test_docx_spans.py,
fuzz/differential.py). A part damaged outside its controls, which the whole parse refuses, has its
fields read: damage in the text a reader never reads does not cost a unit its answers, while a
damaged control is refused as before. The nesting limit applies to the trees built, the controls.
"""
from __future__ import annotations

import bisect
import re

W = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_ROOT_TAG = re.compile(rb'<w:document((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|\'[^\']*\'))*)\s*>')
_W_BINDING = re.compile(rb'\sxmlns:w\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_PROLOG = re.compile(rb'(?:\xef\xbb\xbf)?(?:<\?xml\s[^<>?]*\?>)?\s*')  # only a declaration before the root
_DECLARED_ENCODING = re.compile(rb'encoding\s*=\s*["\']([^"\']*)["\']')
_HIDING_PLACE = re.compile(rb"<[!?]")  # a comment, CDATA section, DTD or processing instruction
_SDT = re.compile(rb"w:sdt(?![\w.:-])")  # a literal start: found fast; w:sdtPr and kin are not it
_END = b"</w:document>"


def controls_only(xml: bytes) -> bytes | None:
    """A small document of the part's outermost content controls under its root element, when
    nothing outside them can change what they mean; None otherwise."""
    start = xml.find(b"<w:document")
    prolog = _PROLOG.fullmatch(xml, 0, start) if start >= 0 else None
    if prolog is None:
        return None
    encoding = _DECLARED_ENCODING.search(prolog.group(0))
    if encoding is not None and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
        return None
    root = _ROOT_TAG.match(xml, start)
    if root is None or root.group(1).count(W) != 1:
        return None
    binding = _W_BINDING.search(root.group(1))
    if binding is None or (binding.group(1) or binding.group(2)) != W:
        return None
    if _hiding_place(xml, root.end()):
        return None
    spans = _outermost_controls(xml, root.end())
    if not spans or _declares_outside(xml, root.end(), spans):
        return None
    return b"".join([xml[:root.end()], *(xml[a:b] for a, b in spans), _END])


def _hiding_place(xml: bytes, offset: int) -> bool:
    """Whether a comment, CDATA section or DTD ("<!") or a processing instruction ("<?") lies
    past ``offset``. "!" and "?" are found by memchr and are few in a guide (its questions' "?");
    past 10,000 of them the regular expression takes over, linear whatever the part holds."""
    looked = 0
    for mark in (b"!", b"?"):
        at = xml.find(mark, offset)
        while at >= 0:
            if xml[at - 1:at] == b"<":
                return True
            looked += 1
            if looked > 10_000:
                return _HIDING_PLACE.search(xml, offset) is not None
            at = xml.find(mark, at + 1)
    return False


def _declares_outside(xml: bytes, offset: int, spans: list[tuple[int, int]]) -> bool:
    """Whether a namespace declaration lies outside the controls (inside one, a pasted picture's
    own, it is the control's business)."""
    starts = [a for a, _ in spans]
    at = xml.find(b"xmlns", offset)
    while at >= 0:
        index = bisect.bisect_right(starts, at) - 1
        if index < 0 or at >= spans[index][1]:
            return True
        at = xml.find(b"xmlns", spans[index][1])
    return False


def _outermost_controls(xml: bytes, offset: int) -> list[tuple[int, int]] | None:
    """(start, end) of every ``<w:sdt>`` element not inside another, in document order."""
    spans: list[tuple[int, int]] = []
    depth = 0
    opened = 0
    for match in _SDT.finditer(xml, offset):
        at, after = match.start(), match.end()
        if xml[at - 1:at] == b"<":
            follows = xml[after:after + 2]
            if depth == 0 and xml[at - 2:at - 1] != b">":
                return None  # not right after a tag: in text or a value, not as Word writes it
            if follows[:1] == b">":
                if depth == 0:
                    opened = at - 1
                depth += 1
            elif follows == b"/>":
                if depth == 0:
                    spans.append((at - 1, after + 2))
            else:
                return None  # attributes or white space in the tag: not as Word writes it
        elif xml[at - 2:at] == b"</":
            if xml[after:after + 1] != b">" or depth == 0:
                return None
            depth -= 1
            if depth == 0:
                spans.append((opened, after + 1))
        # else "w:sdt" in text: not a tag
    return spans if depth == 0 else None
