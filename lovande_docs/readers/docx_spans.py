"""Cut a Word document's content controls out of its bytes, so that only they become a tree.

The guide's ``document.xml`` is ~535 KB, of which the content controls (every field) are a third;
building the whole tree and walking it was most of the time a compile spends on a .docx. Here the
outermost ``<w:sdt>`` elements are found in the bytes and parsed on their own, under a copy of the
document's root element (so their namespace prefixes mean what they meant). The rest of the part
is still checked to be well-formed XML, by expat without building anything, with each control
replaced by an empty ``<w:sdt/>``: a damaged part is refused exactly as before.

Only a part that cannot mean anything else takes this path; otherwise (None) the reader parses the
whole part as before. So it is declined when:

- the part is not UTF-8 or starts with something other than the XML declaration and ``<w:document``,
  or that root does not bind ``w`` (and no other prefix) to WordprocessingML;
- a ``w:sdt`` tag has attributes or white space (Word never writes them), or the tags do not pair;
- anything outside the controls could change what they mean: a namespace declaration (it could
  rebind a prefix the controls use), a comment, CDATA section, processing instruction or DTD (they
  could hide text that looks like a control);
- expat finds the rest of the part not well-formed (the full parse then reports it).

Namespace errors outside the fields (an undeclared prefix) are not looked for: expat checks the
XML, not the namespaces, of what the reader never reads. The nesting limit applies to the trees
built, that is to the controls; the rest is only scanned, in memory that does not grow with depth.
"""
from __future__ import annotations

import pyexpat
import re

W = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_ROOT_TAG = re.compile(rb'<w:document((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|\'[^\']*\'))*)\s*>')
_W_BINDING = re.compile(rb'\sxmlns:w\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_DECLARED_ENCODING = re.compile(rb'^<\?xml[^>]*?\sencoding\s*=\s*["\']([^"\']*)["\']')
_SDT = re.compile(rb"w:sdt(?![\w.:-])")  # a literal start: found fast; w:sdtPr and kin are not it
_PLACEHOLDER = b"<w:sdt/>"
_END = b"</w:document>"


class _Declined(Exception):
    """Something outside the controls that the cut-out reading does not take."""


def _decline(*_args) -> None:
    raise _Declined


def controls_only(xml: bytes) -> bytes | None:
    """A small document of the part's outermost content controls under its root element, when the
    rest of the part is well-formed and cannot change what they mean; None otherwise."""
    start = xml.find(b"<w:document")
    if start < 0:
        return None
    prolog = xml[:start]
    encoding = _DECLARED_ENCODING.match(prolog.removeprefix(b"\xef\xbb\xbf"))
    if encoding is not None and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
        return None
    root = _ROOT_TAG.match(xml, start)
    if root is None or root.group(1).count(W) != 1:
        return None
    binding = _W_BINDING.search(root.group(1))
    if binding is None or (binding.group(1) or binding.group(2)) != W:
        return None
    spans = _outermost_controls(xml, root.end())
    if not spans:
        return None
    skeleton = [xml[:spans[0][0]]]
    skeleton += [xml[end:next_start] for (_, end), (next_start, _) in zip(spans, spans[1:])]
    skeleton.append(xml[spans[-1][1]:])
    rest = _PLACEHOLDER.join(skeleton)
    if rest.find(b"xmlns", root.end()) >= 0 or not _well_formed(rest):
        return None
    return b"".join([xml[:root.end()], *(xml[a:b] for a, b in spans), _END])


def _outermost_controls(xml: bytes, offset: int) -> list[tuple[int, int]] | None:
    """(start, end) of every ``<w:sdt>`` element not inside another, in document order."""
    spans: list[tuple[int, int]] = []
    depth = 0
    opened = 0
    for match in _SDT.finditer(xml, offset):
        at, after = match.start(), match.end()
        if xml[at - 1:at] == b"<":
            follows = xml[after:after + 2]
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


def _well_formed(rest: bytes) -> bool:
    parser = pyexpat.ParserCreate()  # without namespaces: the XML only, nothing built
    parser.CommentHandler = _decline
    parser.StartCdataSectionHandler = _decline
    parser.ProcessingInstructionHandler = _decline
    parser.StartDoctypeDeclHandler = _decline
    try:
        parser.Parse(rest, True)
    except (pyexpat.ExpatError, _Declined):
        return False
    return True
