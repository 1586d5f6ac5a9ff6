"""Tagged PDF (PDF/UA-1) for any reportlab story: marked content, structure tree, catalog entries.

reportlab has no tagging API, so this layer records what flowables draw:

- A story builds its logical structure as ``StructNode`` objects (Document, Sect, H1, P, L, …) and
  attaches them to flowables with ``tag(flowable, node)``. When a tagged flowable draws, its page
  content is wrapped in ``/Role <</MCID n>> BDC … EMC``; ``artifact(flowable)`` wraps it as
  ``/Artifact``; ``group`` tags make the flowable's own drawing (backgrounds, rules) an artifact
  while the flowables it draws inside carry their own tags. Page-template drawing (running
  headers, page numbers, bands) goes inside ``with artifact_block(canvas):``.
- Marked content never nests: a nested tagged flowable closes its parent's sequence and the parent
  continues in a new one afterwards. A sequence in which nothing was painted (at most graphics
  state changes) is dropped again.
- Every annotation the canvas makes gets a ``/StructParent``: a link goes into a ``Link`` element
  (the current node if it is one), a widget into a ``Form`` element placed after the first text
  drawn after it (the label of a radio box drawn to its right), or into the current node if that
  is a ``Form``. A widget's ``Form`` element gets the widget's /TU as its /Alt (pdf.js's name
  for the control).
- The structure is ordered as drawn (reading order in a single-column story), except that an
  element made with ``last=True`` goes after its siblings (navigation drawn above the content it
  belongs to); elements that got no content are left out. ``TaggingCanvas.save`` writes the tree, the parent tree, /MarkInfo,
  /StructParents, /Tabs /S and, when given, the XMP metadata with the PDF/UA identification.

The hook is installed once on ``Flowable.drawOn``, ``Flowable.splitOn`` and ``Frame.split``
(split parts keep their tag); it
does nothing on a canvas without a tagger, so untagged documents are unaffected.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, replace
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFPage,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame

CONTENT, GROUP, ARTIFACT = "content", "group", "artifact"
PRINT = 4  # annotation flag: print the link as shown (readers and checkers expect it)


class StructNode:
    """One structure element. Its place among its siblings is decided when it is drawn."""

    __slots__ = ("role", "parent", "alt", "attributes", "id", "actual_text", "once", "last", "__weakref__")

    def __init__(self, role: str, parent: StructNode | None = None, *, alt: str | None = None,
                 attributes: dict | None = None, id: str | None = None, actual_text: str | None = None,
                 once: bool = False, last: bool = False):
        self.role, self.parent, self.alt, self.attributes = role, parent, alt, attributes
        self.id, self.actual_text = id, actual_text
        self.once = once  # drawn again (a table's repeated header row): the repeats are artifacts
        # read after its siblings, wherever it is drawn (navigation printed above the content)
        self.last = last

    def child(self, role: str, **kwargs) -> StructNode:
        return StructNode(role, self, **kwargs)

    def __deepcopy__(self, memo):  # platypus deep-copies flowables to try splits: keep the node
        return self

    def __copy__(self):
        return self

    def __repr__(self):
        return f"<{self.role}>"


@dataclass(frozen=True)
class TagSpec:
    node: StructNode | None
    mode: str = CONTENT
    label: StructNode | None = None  # the first text object drawn goes to this node (a bullet: Lbl)
    kind: str | None = None  # artifact type (Pagination, Layout)
    label_last: bool = False  # the label comes after the node in the structure (a TOC page number)

    def __deepcopy__(self, memo):
        return self


def tag(flowable: Flowable, node: StructNode, label: StructNode | None = None, label_last: bool = False) -> Flowable:
    """What the flowable draws is the content of ``node`` (with ``label``: its first text object,
    such as a list bullet, is the content of ``label``, placed before ``node`` or, with
    ``label_last``, after it)."""
    flowable._pdf_tag = TagSpec(node, CONTENT, label, label_last=label_last)
    return flowable


def group(flowable: Flowable, node: StructNode) -> Flowable:
    """The flowable's own drawing is decoration; the flowables it draws inside carry the content,
    and annotations it makes belong to ``node``."""
    flowable._pdf_tag = TagSpec(node, GROUP)
    return flowable


def artifact(flowable: Flowable, kind: str | None = None) -> Flowable:
    flowable._pdf_tag = TagSpec(None, ARTIFACT, kind=kind)
    return flowable


def tagger_of(canvas) -> Tagger | None:
    return getattr(canvas, "_tagger", None)


@contextmanager
def marked(canvas, node: StructNode | None, mode: str = CONTENT, kind: str | None = None):
    """Drawing inside the block belongs to ``node`` (for flowables that draw several parts)."""
    tagger = tagger_of(canvas)
    if tagger is None or (node is None and mode == CONTENT):
        yield
        return
    tagger.enter(TagSpec(node, mode, kind=kind))
    try:
        yield
    finally:
        tagger.leave()


def artifact_block(canvas, kind: str | None = "Pagination"):
    """Page furniture: running headers, page numbers, rules, bands."""
    return marked(canvas, None, ARTIFACT, kind)


# --- the hook on flowables ---------------------------------------------------------------------

_draw_on = Flowable.drawOn
_split_on = Flowable.splitOn


def _tagged_draw_on(self, canvas, x, y, _sW=0):
    spec = self.__dict__.get("_pdf_tag")
    tagger = getattr(canvas, "_tagger", None)
    if spec is None or tagger is None:
        return _draw_on(self, canvas, x, y, _sW)
    tagger.enter(spec)
    try:
        return _draw_on(self, canvas, x, y, _sW)
    finally:
        tagger.leave()


def _inherit(flowable, parts):
    """Split parts keep their whole's tag (a paragraph or table continued on the next page)."""
    spec = flowable.__dict__.get("_pdf_tag")
    if spec is not None:
        for index, part in enumerate(parts):
            if part is not flowable and "_pdf_tag" not in part.__dict__:
                part._pdf_tag = spec if index == 0 or spec.label is None else replace(spec, label=None)
    return parts


def _tagged_split_on(self, canv, aW, aH):
    return _inherit(self, _split_on(self, canv, aW, aH))


def _tagged_frame_split(self, flowable, canv):
    return _inherit(flowable, _frame_split(self, flowable, canv))


if not getattr(Flowable, "_lovande_tagging", False):
    _frame_split = Frame.split
    Flowable.drawOn = _tagged_draw_on
    Flowable.splitOn = _tagged_split_on
    Frame.split = _tagged_frame_split
    Flowable._lovande_tagging = True


# --- recording ---------------------------------------------------------------------------------

class _Entry:
    __slots__ = ("spec", "node", "start", "mcid", "mcid_node", "pending", "body_mcid")

    def __init__(self, spec: TagSpec):
        self.spec, self.node = spec, spec.node
        self.start = -1  # index in canvas._code after the opening operator; -1: closed
        self.mcid: int | None = None  # the open sequence's MCID, and whose content it is
        self.mcid_node: StructNode | None = None
        self.pending: list = []  # (Form node, index in _code when the widget was made)
        self.body_mcid: int | None = None


_PAINTING = re.compile(r"(?:^|\s)(?:BT|Tj|TJ|'|\"|f\*?|F|S|s|B\*?|b\*?|Do|sh|BI)(?:\s|$)")


def _paints(code: list[str], start: int) -> bool:
    """Whether anything since ``start`` shows text or paints (not just q/Q, cm, colours, fonts): a
    flowable's saveState/translate alone leaves no empty marked-content sequence behind."""
    return any(_PAINTING.search(line) for line in code[start:])


class Tagger:
    """Per canvas: the marked content of each page and what each structure element holds."""

    def __init__(self, canvas: Canvas):
        self.canvas = canvas
        self.stack: list[_Entry] = []
        self.kids: dict[StructNode, list] = {}  # node → [StructNode | ("m", page, mcid) | ("o", page, annot)]
        self.roots: list[StructNode] = []
        self.parent_tree: dict[int, object] = {}  # key → [node per MCID] (a page) or node (an annotation)
        self.page_keys: dict[str, int] = {}
        self.next_key = 0
        self._new_page()

    # pages
    def _new_page(self) -> None:
        self.page = self.canvas._doc.thisPageName()
        self.mcids: list[StructNode | None] = []

    def end_page(self) -> None:
        while self.stack:  # a flowable never spans a page break; close defensively
            self.leave()
        if self.mcids:
            key = self.page_keys[self.page]
            self.parent_tree[key] = self.mcids
        self.mcids = []

    def start_page(self) -> None:
        self._new_page()

    def page_key(self) -> int:
        key = self.page_keys.get(self.page)
        if key is None:
            key = self.page_keys[self.page] = self._key()
        return key

    def _key(self) -> int:
        key = self.next_key
        self.next_key += 1
        return key

    # the tree as drawn
    def _kids_of(self, node: StructNode) -> list:
        kids = self.kids.get(node)
        if kids is None:
            kids = self.kids[node] = []
            if node.parent is None:
                self.roots.append(node)
            else:
                self._kids_of(node.parent).append(node)
        return kids

    def _forget_if_empty(self, node: StructNode) -> None:
        while node is not None and not self.kids.get(node):
            self.kids.pop(node, None)
            siblings = self.roots if node.parent is None else self.kids.get(node.parent, [])
            for index in range(len(siblings) - 1, -1, -1):
                if siblings[index] is node:
                    del siblings[index]
                    break
            node = node.parent

    def _mcid(self, node: StructNode) -> int:
        self.page_key()
        mcid = len(self.mcids)
        self.mcids.append(node)
        self._kids_of(node).append(("m", self.page, mcid))
        return mcid

    def _release(self, node: StructNode, mcid: int) -> None:
        kids = self.kids[node]
        for index in range(len(kids) - 1, -1, -1):
            if kids[index] == ("m", self.page, mcid):
                del kids[index]
                break
        if mcid == len(self.mcids) - 1:
            self.mcids.pop()
        else:
            self.mcids[mcid] = None
        self._forget_if_empty(node)

    # marked-content sequences
    def _open(self, entry: _Entry) -> None:
        code = self.canvas._code
        spec = entry.spec
        if spec.mode == CONTENT:
            node = entry.mcid_node = spec.label or entry.node
            if spec.label is not None and spec.label_last:
                entry.body_mcid = self._mcid(entry.node)
            entry.mcid = self._mcid(node)
            code.append(f"/{node.role} <</MCID {entry.mcid}>> BDC")
            if spec.label is not None and not spec.label_last:
                entry.body_mcid = self._mcid(entry.node)
        else:
            entry.mcid = None
            code.append(f"/Artifact <</Type /{spec.kind}>> BDC" if spec.kind else "/Artifact BMC")
        entry.start = len(code)

    def _close(self, entry: _Entry) -> None:
        code = self.canvas._code
        self._settle(entry)
        if entry.body_mcid is not None:  # a label with no body text after it
            self._release(entry.node, entry.body_mcid)
            entry.body_mcid = None
        if not _paints(code, entry.start):  # nothing drawn: take the opening operator back
            del code[entry.start - 1]
            if entry.mcid is not None:
                self._release(entry.mcid_node, entry.mcid)
        else:
            code.append("EMC")
        for form, _ in entry.pending:
            self._kids_of(entry.node).append(form)
        entry.pending = []
        entry.start = -1

    def _split_after_text(self, entry: _Entry, at: int, node: StructNode, mcid: int | None) -> int | None:
        """End the current sequence after the first text object drawn at or after ``at`` and go on
        in a new one for ``node``; the index of the split, or None if no text came."""
        code = self.canvas._code
        for index in range(max(at, entry.start), len(code)):
            if code[index][:2] == "BT":
                if mcid is None:
                    mcid = self._mcid(node)
                code[index + 1:index + 1] = ["EMC", f"/{node.role} <</MCID {mcid}>> BDC"]
                entry.mcid, entry.mcid_node = mcid, node
                entry.start = index + 3
                return index
        return None

    def _settle(self, entry: _Entry) -> None:
        if entry.start < 0:
            return
        if entry.body_mcid is not None:
            mcid, entry.body_mcid = entry.body_mcid, None
            if self._split_after_text(entry, entry.start, entry.node, mcid) is None:
                entry.body_mcid = mcid
        pending, entry.pending = entry.pending, []
        shift = 0
        for number, (form, at) in enumerate(pending):
            at += shift
            kids = self._kids_of(entry.node)
            split = self._split_after_text(entry, at, entry.node, None)
            if split is None:
                entry.pending = [(f, a + shift) for f, a in pending[number:]]
                return
            # the new sequence's MCID was appended to the node's kids: the form goes before it
            kids.insert(len(kids) - 1, form)
            shift += 2

    def enter(self, spec: TagSpec) -> None:
        if spec.node is not None and spec.node.once and spec.node in self.kids and spec.mode == CONTENT:
            spec = TagSpec(None, ARTIFACT, kind="Pagination")
        if self.stack and self.stack[-1].start >= 0:
            self._close(self.stack[-1])
        entry = _Entry(spec)
        self.stack.append(entry)
        self._open(entry)

    def leave(self) -> None:
        entry = self.stack.pop()
        if entry.start >= 0:
            self._close(entry)
        if self.stack:
            self._open(self.stack[-1])

    # annotations
    def annotation(self, ref_name: str, is_widget: bool, alt: str | None = None) -> int:
        """Record an annotation made now; returns its /StructParent key. A Link element made for it
        (no text of its own drawn inside it) gets ``alt``; so does every Form element (the widget's
        /TU): pdf.js names the control itself (aria-label) only from its Form element's /Alt, the
        /TU reaches just a wrapping region."""
        key = self._key()
        objr = ("o", self.page, ref_name)
        entry = self.stack[-1] if self.stack else None
        owner = entry.node if entry is not None and entry.node is not None else None
        if owner is None:  # made outside any tagged flowable: it still needs an element
            if not self.roots:
                self._kids_of(StructNode("Document"))
            owner = self.roots[0]
        role = "Form" if is_widget else "Link"
        if owner.role == role:
            if is_widget and owner.alt is None:
                owner.alt = alt
            self._kids_of(owner).append(objr)
            self.parent_tree[key] = owner
            return key
        element = owner.child(role, alt=alt)
        self.kids[element] = [objr]
        self.parent_tree[key] = element
        if is_widget and entry is not None and entry.start >= 0 and entry.spec.mode == CONTENT:
            entry.pending.append((element, len(self.canvas._code)))
        else:
            self._kids_of(owner).append(element)
        return key

    # output
    def write(self, doc, metadata: bytes | None = None) -> None:
        """Put the structure tree, parent tree and marking into reportlab's document objects."""
        self.end_page()
        if not self.roots:
            return
        for node, kids in self.kids.items():
            if any(isinstance(kid, StructNode) and kid.last for kid in kids):
                kids.sort(key=lambda kid: isinstance(kid, StructNode) and kid.last)  # stable
        names: dict[StructNode, str] = {}
        order: list[StructNode] = []

        def walk(node):
            names[node] = _Name(f"SE{len(names) + 1}")
            order.append(node)
            for kid in self.kids.get(node, ()):
                if isinstance(kid, StructNode):
                    walk(kid)

        for root in self.roots:
            walk(root)
        tree_root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        doc.Reference(tree_root, "StructTreeRoot")
        root_ref = PDFObjectReference("StructTreeRoot")
        for node in order:
            doc.Reference(_Spelled(self._element(node, names)), names[node])
        nums: list = []
        for key in sorted(self.parent_tree):
            value = self.parent_tree[key]
            if isinstance(value, list):
                nums.append(f" {key} [")
                for node in value:
                    nums += [" ", names[node]] if node in names else [" null"]
                nums.append(" ]")
            elif value in names:
                nums += [f" {key} ", names[value]]
        kids = [PDFObjectReference(names[r]) for r in self.roots]
        tree_root["K"] = kids[0] if len(kids) == 1 else PDFArray(kids)
        tree_root["ParentTree"] = _Spelled(["<< /Nums [", *nums, " ] >>"])
        tree_root["ParentTreeNextKey"] = self.next_key
        catalog = doc.Catalog
        catalog.StructTreeRoot = root_ref
        catalog.MarkInfo = PDFDictionary({"Marked": "true"})
        if metadata is not None:
            catalog.Metadata = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                                         metadata, filters=[])

    def _element(self, node: StructNode, names) -> list:
        """The element's dictionary spelled out: text pieces, ("ref" of) object names, strings."""
        kids = self.kids.get(node, ())
        page = next((k[1] for k in kids if isinstance(k, tuple)), None)
        out: list = ["<< /Type /StructElem /S /", node.role, " /P "]
        out.append(names[node.parent] if node.parent is not None else _Name("StructTreeRoot"))
        if page is not None:
            out += [" /Pg ", _Name(page)]
        out.append(" /K [")
        for kid in kids:
            if isinstance(kid, StructNode):
                out += [" ", names[kid]]
            elif kid[0] == "m":
                out += [f" {kid[2]}"] if kid[1] == page else [" << /Type /MCR /Pg ", _Name(kid[1]),
                                                              f" /MCID {kid[2]} >>"]
            else:
                out += [" << /Type /OBJR /Pg ", _Name(kid[1]), " /Obj ", _Name(kid[2]), " >>"]
        out.append(" ]")
        for key, text in (("Alt", node.alt), ("ActualText", node.actual_text), ("ID", node.id)):
            if text:
                out += [f" /{key} ", PDFString(text)]
        if node.attributes:
            out += [" /A ", PDFDictionary({k: PDFName(v) if isinstance(v, str) else v
                                          for k, v in node.attributes.items()})]
        out.append(" >>")
        return out


class _Name(str):
    """The reportlab name of an object, written as a reference to it."""


class _Spelled(PDFObject):
    """A PDF object written from pieces: literal text (str), a reference (_Name) or a reportlab
    object; much faster than nested PDFDictionary/PDFArray for thousands of elements."""

    def __init__(self, pieces: list):
        self.pieces = pieces

    def format(self, document):
        numbers = document.idToObjectNumberAndVersion
        out = []
        for piece in self.pieces:
            if isinstance(piece, _Name):
                number, version = numbers[piece]
                out.append(b"%d %d R" % (number, version))
            elif isinstance(piece, str):
                out.append(piece.encode("latin-1"))
            else:
                out.append(piece.format(document))
        return b"".join(out)


# --- the canvas --------------------------------------------------------------------------------

class _TaggedPage(PDFPage):
    """A page dictionary that may carry /Tabs and /StructParents (PDFPage drops unknown keys)."""

    __NoDefault__ = PDFPage.__NoDefault__ + ["Tabs", "StructParents"]


class TaggingCanvas(Canvas):
    """A canvas that records marked content and writes a tagged PDF.

    ``describe_link(target)`` gives the /Contents of a link annotation (target: a destination name
    or a URI); ``metadata`` is the XMP packet (see ``xmp``).
    """

    def __init__(self, *args, describe_link=None, metadata: bytes | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._tagger = Tagger(self)
        self._describe_link = describe_link or (lambda target: target)
        self._metadata = metadata

    def _addAnnotation(self, annotation, name=None, addtopage=1):
        if not name:
            name = "NUMBER" + repr(self._annotationCount + 1)
        ref = self._doc.refAnnotation(name).name
        is_widget = isinstance(annotation, PDFDictionary) and str(annotation.dict.get("Subtype")) == "/Widget"
        description = None
        if isinstance(annotation, PDFDictionary):
            if is_widget:
                title = annotation.dict.get("TU")
                description = title.s if isinstance(title, PDFString) and title.s else None
            else:
                action = annotation.dict.get("A")
                uri = action.dict.get("URI") if isinstance(action, PDFDictionary) else None
                contents = annotation.dict.get("Contents")
                description = contents.s if isinstance(contents, PDFString) and contents.s else \
                    self._describe_link(uri.s if isinstance(uri, PDFString) else "")
                annotation["Contents"] = PDFString(description)
                if "F" not in annotation.dict:
                    annotation["F"] = PRINT
        else:  # reportlab's LinkAnnotation
            description = annotation.Contents or self._describe_link(getattr(annotation.Destination, "name", ""))
            annotation.Contents = description
            annotation.permitted = tuple(annotation.permitted) + ("StructParent",)
            annotation.otherkw.setdefault("F", PRINT)
        key = self._tagger.annotation(ref, is_widget, description)
        if isinstance(annotation, PDFDictionary):
            annotation["StructParent"] = key
        else:
            annotation.otherkw["StructParent"] = key
        return super()._addAnnotation(annotation, name, addtopage)

    def showPage(self):
        self._tagger.end_page()
        super().showPage()
        self._tagger.start_page()

    def _setAnnotations(self, page):
        super()._setAnnotations(page)
        page.__class__ = _TaggedPage
        page.Tabs = PDFName("S")
        key = self._tagger.page_keys.get(self._doc.thisPageName())
        if key is not None:
            page.StructParents = key

    def save(self):
        self._tagger.write(self._doc, self._metadata)
        super().save()


def xmp(title: str, language: str, creator: str = "", producer: str = "", author: str = "") -> bytes:
    """An XMP packet with the title, language (and author) and the PDF/UA-1 identification."""
    esc = escape
    extra = ""
    if author:
        extra += f"<dc:creator><rdf:Seq><rdf:li>{esc(author)}</rdf:li></rdf:Seq></dc:creator>"
    if creator:
        extra += f"<xmp:CreatorTool>{esc(creator)}</xmp:CreatorTool>"
    if producer:
        extra += f"<pdf:Producer>{esc(producer)}</pdf:Producer>"
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        'xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{esc(title)}</rdf:li></rdf:Alt></dc:title>'
        f'<dc:language><rdf:Bag><rdf:li>{esc(language)}</rdf:li></rdf:Bag></dc:language>'
        f'<dc:format>application/pdf</dc:format>{extra}<pdfuaid:part>1</pdfuaid:part>'
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    return packet.encode("utf-8")
