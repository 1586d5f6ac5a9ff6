"""Checks of a tagged PDF (PDF/UA-1 as far as a machine can tell), shared by the guide's and the
report's tests: every page operator that paints is marked content tied to a structure element or
an artifact, every annotation is in a Link or Form element, the tree is sound, the catalog marked.

``problems(path)`` returns a list of sentences (empty: nothing found); the tests plant defects in
a good file to show each check catches its kind of fault.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject

PAINTING = {b"Tj", b"TJ", b"'", b'"', b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s", b"sh", b"Do",
            b"INLINE IMAGE"}
STANDARD = set("""Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4
H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby
RB RT RP Warichu WT WP Figure Formula Form""".split())


def _ref(obj) -> tuple[int, int] | None:
    return (obj.idnum, obj.generation) if isinstance(obj, IndirectObject) else None


class Tree:
    """The structure tree read once: elements, their kids, and which element holds what."""

    def __init__(self, reader: PdfReader):
        self.reader = reader
        self.pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
        root = reader.trailer["/Root"]
        self.root = root.get("/StructTreeRoot")
        self.elements: list[DictionaryObject] = []
        self.mcids: dict[tuple[int, int], list] = {}  # (page index, mcid) → elements holding it
        self.objrs: dict[int, list] = {}  # annotation object number → elements holding it
        self.empty: list[DictionaryObject] = []
        self.problems: list[str] = []
        if self.root is not None:
            self._walk(self.root.get_object(), None)

    def _walk(self, node, page) -> None:
        kids = node.get("/K")
        if kids is None:
            return
        if not isinstance(kids, ArrayObject):
            kids = [kids]
        for kid in kids:
            target = kid.get_object() if isinstance(kid, IndirectObject) else kid
            if isinstance(target, int):
                self._mcid(node, page, int(target))
            elif isinstance(target, DictionaryObject):
                kind = target.get("/Type")
                if kind == "/MCR":
                    self._mcid(node, target.raw_get("/Pg").idnum if "/Pg" in target else page, int(target["/MCID"]))
                elif kind == "/OBJR":
                    self.objrs.setdefault(target.raw_get("/Obj").idnum, []).append(node)
                else:
                    self._element(target, kid)

    def _element(self, element, ref) -> None:
        self.elements.append(element)
        kids = element.get("/K")
        if kids is None or (isinstance(kids, ArrayObject) and not kids):
            self.empty.append(element)
        page = element.raw_get("/Pg").idnum if "/Pg" in element else None
        self._walk(element, page)

    def _mcid(self, node, page, mcid: int) -> None:
        if page is None or page not in self.pages:
            self.problems.append(f"MCID {mcid} of a {node.get('/S')} element has no page")
            return
        self.mcids.setdefault((self.pages[page], mcid), []).append(node)

    def parent_tree(self) -> dict[int, object]:
        out = {}
        tree = self.root.get_object().get("/ParentTree")

        def walk(node):
            node = node.get_object()
            nums = node.get("/Nums", [])
            for index in range(0, len(nums), 2):
                out[int(nums[index])] = nums[index + 1]
            for kid in node.get("/Kids", []):
                walk(kid)

        if tree is not None:
            walk(tree)
        return out


def content_marks(reader: PdfReader, index: int) -> tuple[list[str], list[int]]:
    """(painting operators outside tagged content or artifacts, MCIDs used) on one page."""
    page = reader.pages[index]
    contents = page.get_contents()
    if contents is None:
        return [], []
    stack: list[tuple[bytes, int | None]] = []
    loose, used = [], []
    for operands, operator in ContentStream(contents, reader).operations:
        if operator == b"BMC":
            stack.append((operands[0], None))
        elif operator == b"BDC":
            props = operands[1]
            mcid = props.get("/MCID") if isinstance(props, DictionaryObject) else None
            stack.append((operands[0], None if mcid is None else int(mcid)))
            if mcid is not None:
                used.append(int(mcid))
        elif operator == b"EMC":
            if not stack:
                loose.append("EMC without a sequence")
            else:
                stack.pop()
        elif operator in PAINTING:
            inside = any(tag == "/Artifact" or mcid is not None for tag, mcid in stack)
            if not inside:
                shown = operands[0] if operator in (b"Tj", b"'") and operands else ""
                loose.append(f"{operator.decode()} {shown!r}"[:60])
    if stack:
        loose.append(f"{len(stack)} marked-content sequence(s) left open")
    return loose, used


def problems(path: Path) -> list[str]:
    reader = PdfReader(path)
    out: list[str] = []
    root = reader.trailer["/Root"]
    # the catalog
    if root.get("/MarkInfo", {}).get("/Marked") != True:  # noqa: E712 (a pypdf BooleanObject)
        out.append("catalog: /MarkInfo /Marked is not true")
    if not str(root.get("/Lang", "")):
        out.append("catalog: no /Lang")
    if root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") != True:  # noqa: E712
        out.append("catalog: DisplayDocTitle is not true")
    metadata = root.get("/Metadata")
    xml = metadata.get_object().get_data().decode("utf-8", "replace") if metadata is not None else ""
    if not re.search(r"<pdfuaid:part>1</pdfuaid:part>|pdfuaid:part=\"1\"", xml):
        out.append("metadata: no pdfuaid:part 1")
    if "<dc:title>" not in xml:
        out.append("metadata: no dc:title")
    title = reader.metadata.title if reader.metadata else None
    if not title:
        out.append("info: no /Title")
    if "/StructTreeRoot" not in root:
        return out + ["catalog: no /StructTreeRoot"]
    tree = Tree(reader)
    out += tree.problems
    parents = tree.parent_tree()
    for element in tree.empty:
        out.append(f"empty structure element {element.get('/S')}")
    for element in tree.elements:
        role = str(element.get("/S"))[1:]
        role_map = tree.root.get_object().get("/RoleMap", {})
        if role not in STANDARD and f"/{role}" not in role_map:
            out.append(f"structure type {role} is neither standard nor role-mapped")
        if role == "Figure" and not element.get("/Alt"):
            out.append("a Figure has no /Alt")
    for (page, mcid), holders in tree.mcids.items():
        if len(holders) > 1:
            out.append(f"page {page + 1}: MCID {mcid} is held by {len(holders)} elements")
    # pages
    for index, page in enumerate(reader.pages):
        loose, used = content_marks(reader, index)
        out += [f"page {index + 1}: untagged {what}" for what in loose]
        for mcid, count in Counter(used).items():
            if count > 1:
                out.append(f"page {index + 1}: MCID {mcid} used {count} times")
        if used:
            key = page.get("/StructParents")
            if key is None:
                out.append(f"page {index + 1}: marked content but no /StructParents")
            else:
                array = parents.get(int(key))
                array = array.get_object() if array is not None else None
                for mcid in set(used):
                    holder = array[mcid].get_object() if array is not None and mcid < len(array) else None
                    if not isinstance(holder, DictionaryObject) or (index, mcid) not in tree.mcids \
                            or all(h is not holder for h in tree.mcids[(index, mcid)]):
                        out.append(f"page {index + 1}: MCID {mcid} does not resolve through the parent tree")
        for mcid in {m for p, m in tree.mcids if p == index} - set(used):
            out.append(f"page {index + 1}: the tree names MCID {mcid}, which the page does not have")
        annots = page.get("/Annots") or []
        if annots and page.get("/Tabs") != "/S":
            out.append(f"page {index + 1}: annotations but no /Tabs /S")
        for ref in annots:
            annot = ref.get_object()
            subtype = annot.get("/Subtype")
            if subtype == "/Popup":
                continue
            what = f"page {index + 1}: {subtype} annotation {ref.idnum}"
            if subtype == "/Link" and not annot.get("/Contents"):
                out.append(f"{what} has no /Contents")
            key = annot.get("/StructParent")
            if key is None:
                out.append(f"{what} has no /StructParent")
                continue
            holder = parents.get(int(key))
            holder = holder.get_object() if holder is not None else None
            expected = "/Form" if subtype == "/Widget" else "/Link" if subtype == "/Link" else None
            if not isinstance(holder, DictionaryObject):
                out.append(f"{what}: /StructParent does not resolve")
            elif expected and holder.get("/S") != expected:
                out.append(f"{what} sits in a {holder.get('/S')} element, not {expected[1:]}")
            elif all(h is not holder for h in tree.objrs.get(ref.idnum, [])):
                out.append(f"{what}: its element holds no OBJR to it")
    return out
