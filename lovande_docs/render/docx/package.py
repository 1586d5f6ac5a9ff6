"""The OPC package: parts, relationships, content types and a reproducible ZIP.

Written by hand instead of through python-docx's default template, which is US Letter and carries
a thumbnail, customXml and 0.9 MB of styles; every byte here comes from the model and the layout,
and the ZIP gets fixed timestamps and a fixed entry order so two builds are byte-identical.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from lovande_docs.render.docx.xml import NS, serialize

RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = {
    "document": RT + "/officeDocument",
    "core": "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
    "app": RT + "/extended-properties",
    "custom": RT + "/custom-properties",
    "styles": RT + "/styles",
    "settings": RT + "/settings",
    "numbering": RT + "/numbering",
    "footnotes": RT + "/footnotes",
    "header": RT + "/header",
    "footer": RT + "/footer",
    "hyperlink": RT + "/hyperlink",
    "image": RT + "/image",
}
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
CONTENT_TYPE = {
    "/word/document.xml": _WML + "document.main+xml",
    "/word/styles.xml": _WML + "styles+xml",
    "/word/settings.xml": _WML + "settings+xml",
    "/word/numbering.xml": _WML + "numbering+xml",
    "/word/footnotes.xml": _WML + "footnotes+xml",
    "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    "/docProps/custom.xml": "application/vnd.openxmlformats-officedocument.custom-properties+xml",
}
HEADER_TYPE = _WML + "header+xml"
FOOTER_TYPE = _WML + "footer+xml"
# 1980-01-01 is the earliest ZIP date; any fixed value makes the archive reproducible.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass
class Rels:
    """The relationships of one part; ids are assigned in call order, so they are reproducible."""

    items: list[tuple[str, str, str, bool]] = field(default_factory=list)  # rId, type, target, external
    _by_key: dict = field(default_factory=dict)

    def add(self, kind: str, target: str, external: bool = False) -> str:
        key = (kind, target, external)
        if key not in self._by_key:
            rid = f"rId{len(self.items) + 1}"
            self.items.append((rid, REL[kind], target, external))
            self._by_key[key] = rid
        return self._by_key[key]

    def xml(self) -> bytes:
        rows = []
        for rid, kind, target, external in self.items:
            mode = ' TargetMode="External"' if external else ""
            rows.append(f'<Relationship Id="{rid}" Type="{kind}" Target={quoteattr(target)}{mode}/>')
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                + "".join(rows) + "</Relationships>").encode("utf-8")


@dataclass
class Package:
    """Parts by part name (``/word/document.xml``) with their content types and relationships."""

    parts: dict[str, tuple[str, etree._Element | bytes]] = field(default_factory=dict)
    rels: dict[str, Rels] = field(default_factory=dict)  # part name ("/" for the package) → rels

    def rels_of(self, partname: str) -> Rels:
        return self.rels.setdefault(partname, Rels())

    def add(self, partname: str, root: etree._Element | bytes, content_type: str | None = None) -> None:
        self.parts[partname] = (content_type or CONTENT_TYPE[partname], root)

    def _content_types(self) -> bytes:
        rows = ['<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
                '<Default Extension="xml" ContentType="application/xml"/>']
        rows += [f'<Override PartName="{name}" ContentType="{ctype}"/>' for name, (ctype, _) in self.parts.items()]
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                + "".join(rows) + "</Types>").encode("utf-8")

    def save(self, path: Path) -> None:
        entries: list[tuple[str, bytes]] = [("[Content_Types].xml", self._content_types()),
                                            ("_rels/.rels", self.rels_of("/").xml())]
        for name, (_, root) in self.parts.items():
            data = root if isinstance(root, bytes) else serialize(root)
            entries.append((name.lstrip("/"), data))
            rels = self.rels.get(name)
            if rels and rels.items:
                folder, _, base = name.lstrip("/").rpartition("/")
                entries.append((f"{folder}/_rels/{base}.rels", rels.xml()))
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries:
                info = zipfile.ZipInfo(name, ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)


# --- properties ---------------------------------------------------------------------------------

def core_properties(title: str, subject: str, keywords: str, language: str, creator: str,
                    revision_date: str) -> bytes:
    """docProps/core.xml; the dates are the model's (fixed), never the clock's."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<cp:coreProperties xmlns:cp="{NS["cp"]}" xmlns:dc="{NS["dc"]}" xmlns:dcterms="{NS["dcterms"]}" '
        f'xmlns:xsi="{NS["xsi"]}">'
        f"<dc:title>{escape(title)}</dc:title><dc:subject>{escape(subject)}</dc:subject>"
        f"<dc:creator>{escape(creator)}</dc:creator><cp:keywords>{escape(keywords)}</cp:keywords>"
        f"<dc:language>{escape(language)}</dc:language><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{revision_date}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{revision_date}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode("utf-8")


def app_properties(application: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            f'xmlns:vt="{NS["vt"]}"><Application>{escape(application)}</Application></Properties>').encode("utf-8")


CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one format id custom properties use


def custom_properties(values: dict[str, str]) -> bytes:
    rows = "".join(
        f'<property fmtid="{CUSTOM_FMTID}" pid="{pid}" name={quoteattr(name)}><vt:lpwstr>{escape(value)}</vt:lpwstr></property>'
        for pid, (name, value) in enumerate(values.items(), start=2)
    )
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            f'xmlns:vt="{NS["vt"]}">{rows}</Properties>').encode("utf-8")
