"""Structure-aware mutations of a PDF, done on its text (the guide's objects are uncompressed
dictionaries): cross-reference table and startxref, object streams, /Kids and /Parent loops,
value types of the fields' /V, incremental updates, object numbers and counts."""
from __future__ import annotations

import random
import re

from fuzz.step import Mutated

OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)\s*endobj", re.S)
REFERENCE = re.compile(rb"(\d+) 0 R")
NAME_T = re.compile(rb"/T \((.*?)\)\s*\n", re.S)
VALUE = re.compile(rb"/V (\((?:\\.|[^\\)])*\)|/[^\s/<>\[\]()]*|<[0-9A-Fa-f]*>|\d+ 0 R)")


def _unescape(raw: bytes) -> str:
    out, i = bytearray(), 0
    while i < len(raw):
        c = raw[i]
        if c == 92 and i + 1 < len(raw):  # backslash
            n = raw[i + 1]
            if 48 <= n <= 55:
                j = i + 1
                while j < min(i + 4, len(raw)) and 48 <= raw[j] <= 55:
                    j += 1
                out.append(int(raw[i + 1:j], 8) & 0xFF)
                i = j
                continue
            out.append({110: 10, 114: 13, 116: 9}.get(n, n))
            i += 2
            continue
        out.append(c)
        i += 1
    return out.decode("latin-1")


def _objects(data: bytes):
    return list(OBJECT.finditer(data))


def _field_objects(data: bytes):
    """(match, field name) for every object with both /T and /V (a terminal field holding a value)."""
    found = []
    for match in _objects(data):
        body = match.group(2)
        name = NAME_T.search(body)
        if name and b"/V " in body:
            found.append((match, _unescape(name.group(1))))
    return found


def _replace_value(data: bytes, match, new_value: bytes) -> bytes:
    body = match.group(2)
    value = VALUE.search(body)
    if value is None:
        raise LookupError("no /V")
    body = body[:value.start(1)] + new_value + body[value.end(1):]
    return data[:match.start(2)] + body + data[match.end(2):]


def _field_key(name: str) -> str:
    parts = name.split("__")
    return "__".join(parts[:2]) if len(parts) >= 2 else name


def value_wrong_type(rng, data):
    """A field's /V replaced by a value of another type: the reader must flag it, not print it."""
    match, name = rng.choice(_field_objects(data))
    new = rng.choice([b"42", b"-3.5", b"true", b"<< /A 1 >>", b"[ 1 2 3 ]", b"[ /ja /nej ]",
                      b"[ (a) (b) ]", b"<< /Length 3 >>\nstream\nabc\nendstream",
                      b"/#C3#A5#00", b"/" + b"x" * 200])
    return Mutated(_replace_value(data, match, new), damaged=frozenset({_field_key(name)}))


def value_equivalent(rng, data):
    """A text value re-encoded another valid way (hex string, UTF-16BE with BOM): same answer."""
    candidates = [(m, n) for m, n in _field_objects(data) if VALUE.search(m.group(2)).group(1).startswith(b"(")]
    match, name = rng.choice(candidates)
    raw = VALUE.search(match.group(2)).group(1)
    text = _unescape(raw[1:-1])
    if rng.random() < 0.5:
        encoded = b"<" + text.encode("latin-1").hex().encode() + b">"
    else:
        encoded = b"<feff" + text.encode("utf-16-be").hex().encode() + b">"
    return Mutated(_replace_value(data, match, encoded), equivalent=frozenset({_field_key(name)}))


def value_broken_encoding(rng, data):
    """A text value whose bytes cannot be decoded as it claims (odd UTF-16, lone surrogates)."""
    match, name = rng.choice(_field_objects(data))
    new = rng.choice([b"<feff00>", b"<feffd800d800>", b"<fffe00>", b"(\\376\\377\\000)", b"<feffdc00>"])
    return Mutated(_replace_value(data, match, new), damaged=frozenset({_field_key(name)}))


def value_reference_loop(rng, data):
    """/V points at the field itself, or at a page, or at a missing object."""
    match, name = rng.choice(_field_objects(data))
    target = rng.choice([match.group(1), b"1"])  # an existing object of the wrong kind (a missing one is null)
    return Mutated(_replace_value(data, match, target + b" 0 R"), damaged=frozenset({_field_key(name)}))


def kids_loop(rng, data):
    """A /Kids entry or a /Parent pointing back up (or at itself): a cycle in the field tree."""
    objects = _objects(data)
    with_kids = [m for m in objects if b"/Kids" in m.group(2)]
    with_parent = [m for m in objects if b"/Parent" in m.group(2)]
    if with_kids and (rng.random() < 0.6 or not with_parent):
        match = rng.choice(with_kids)
        body = match.group(2)
        at = body.find(b"/Kids")
        end = body.find(b"]", at)
        target = rng.choice([match.group(1), b"1"] + [m.group(1) for m in rng.sample(with_kids, 1)])
        kids = b"/Kids [ " + b" ".join([target + b" 0 R"] * rng.choice((1, 2, 100))) + b" "
        body = body[:at] + kids + body[end:]
    else:
        match = rng.choice(with_parent)
        body = re.sub(rb"/Parent \d+ 0 R", b"/Parent " + match.group(1) + b" 0 R", match.group(2), count=1)
    return Mutated(data[:match.start(2)] + body + data[match.end(2):])


def fields_loop(rng, data):
    """The AcroForm's /Fields holding the same field many times, or the catalog."""
    at = data.find(b"/Fields [")
    end = data.find(b"]", at)
    references = REFERENCE.findall(data[at:end])
    pick = rng.choice(references)
    new = b"/Fields [ " + b" ".join([pick + b" 0 R"] * rng.choice((2, 1000, 100000))) + b" "
    return Mutated(data[:at] + new + data[end:])


def xref_damage(rng, data):
    choice = rng.randrange(5)
    at = data.rfind(b"startxref")
    if choice == 0:  # startxref points elsewhere
        end = data.find(b"%%EOF", at)
        return Mutated(data[:at] + b"startxref\n" + str(rng.randrange(len(data))).encode() + b"\n" + data[end:])
    table = data.rfind(b"\nxref")
    if table < 0:
        raise LookupError("no xref table")
    if choice == 1:  # one entry's offset wrong
        entries = [m.start() for m in re.finditer(rb"\d{10} \d{5} n", data[table:at])]
        e = table + rng.choice(entries)
        return Mutated(data[:e] + b"%010d" % rng.randrange(len(data)) + data[e + 10:])
    if choice == 2:  # /Size lies
        return Mutated(re.sub(rb"/Size \d+", b"/Size " + rng.choice([b"0", b"3", b"99999999"]), data))
    if choice == 3:  # table gone
        trailer = data.find(b"trailer", table)
        return Mutated(data[:table + 1] + data[trailer:])
    # /Prev loop: the trailer points at itself
    trailer = data.rfind(b"trailer")
    close = data.find(b">>", trailer)
    return Mutated(data[:close] + b"/Prev " + str(table + 1).encode() + b"\n" + data[close:])


def renumber_reference(rng, data):
    refs = list(REFERENCE.finditer(data))
    ref = rng.choice(refs)
    new = rng.choice([b"0", b"999999", b"2147483647", b"1", ref.group(1)])
    return Mutated(data[:ref.start(1)] + new + data[ref.end(1):])


def delete_object(rng, data):
    match = rng.choice(_objects(data))
    return Mutated(data[:match.start()] + data[match.end():])


def duplicate_object(rng, data):
    match = rng.choice(_objects(data))
    copy = data[match.start():match.end()]
    return Mutated(data[:match.start()] + copy + b"\n" + copy + data[match.end():])


def stream_length(rng, data):
    lengths = list(re.finditer(rb"/Length (\d+)", data))
    m = rng.choice(lengths)
    new = rng.choice([b"0", b"1", b"99999999", b"-5", b"5 0 R"])
    return Mutated(data[:m.start(1)] + new + data[m.end(1):])


def object_stream_damage(rng, data):
    """Inside an object stream (QDF seed): the header's numbers and offsets, /N, /First."""
    streams = [m for m in _objects(data) if b"/ObjStm" in m.group(2)]
    match = rng.choice(streams)
    body = match.group(2)
    how = rng.randrange(3)
    if how == 0:
        body = re.sub(rb"/N \d+", b"/N " + rng.choice([b"0", b"100000", b"-1"]), body, count=1)
    elif how == 1:
        body = re.sub(rb"/First \d+", b"/First " + rng.choice([b"0", b"100000", b"3"]), body, count=1)
    else:
        start = body.find(b"stream") + 7
        numbers = list(re.finditer(rb"\d+", body[start:start + 400]))
        n = rng.choice(numbers)
        body = body[:start + n.start()] + rng.choice([b"0", b"1", b"99999", match.group(1)]) + body[start + n.end():]
    return Mutated(data[:match.start(2)] + body + data[match.end(2):])


def incremental_update(rng, data):
    """Append a revision of a field object with another (valid or damaged) /V, a new xref and trailer."""
    match, name = rng.choice(_field_objects(data))
    damaged: frozenset[str] = frozenset()
    kind = rng.randrange(3)
    if kind == 0:
        value = b"(Nytt v\\344rde)"  # a valid new text: the newest revision wins
    elif kind == 1:
        value = b"[ 1 2 ]"
        damaged = frozenset({_field_key(name)})
    else:
        value = VALUE.search(match.group(2)).group(1)  # the same value again
    body = _replace_value(match.group(0), re.match(OBJECT, match.group(0)), value)
    number = int(match.group(1))
    previous = data.rfind(b"startxref")
    prev_offset = int(re.search(rb"startxref\s+(\d+)", data[previous:]).group(1))
    update_at = len(data) + 1
    size = re.findall(rb"/Size (\d+)", data)
    size = max(int(s) for s in size) if size else number + 1
    root = re.findall(rb"/Root (\d+ 0 R)", data)[-1]
    xref_at = update_at + len(body) + 1
    prev = str(rng.choice([prev_offset, prev_offset, xref_at, 10 ** 12])).encode()
    tail = (b"\n" + body + b"\nxref\n0 1\n0000000000 65535 f \n" + str(number).encode() + b" 1\n"
            + b"%010d 00000 n \n" % update_at + b"trailer\n<< /Size " + str(size).encode() + b" /Root " + root
            + b" /Prev " + prev + b" >>\nstartxref\n" + str(xref_at).encode() + b"\n%%EOF\n")
    return Mutated(data + tail, damaged=damaged)


def many_objects(rng, data):
    """Very many objects appended (small ones, or enough to come near the 50 MB limit)."""
    count = rng.choice((10000, 200000, 1000000))
    at = data.rfind(b"xref")
    junk = b"".join(b"%d 0 obj\n<< /A [ %d 0 R ] >>\nendobj\n" % (100000 + k, 100000 + k + 1) for k in range(count))
    return Mutated(data[:at] + junk + data[at:])


def deep_nesting(rng, data):
    """Arrays or dictionaries nested thousands deep inside a field's value."""
    match, name = rng.choice(_field_objects(data))
    depth = rng.choice((100, 5000, 100000))
    value = rng.choice([b"[" * depth + b"]" * depth, b"<< /A " * depth + b">>" * depth])
    return Mutated(_replace_value(data, match, value), damaged=frozenset({_field_key(name)}))


def info_identity(rng, data):
    """The document information's identity keys damaged (model, version, hash)."""
    keys = list(re.finditer(rb"/Lovande\w+ \(([^)]*)\)", data))
    m = rng.choice(keys)
    new = rng.choice([b"", b"x" * 10000, b"\\376\\377", b"lovande-arbetssatt", b"2099.9"])
    return Mutated(data[:m.start(1)] + new + data[m.end(1):])


MUTATORS = [
    ("pdf.value.type", 4, value_wrong_type),
    ("pdf.value.equivalent", 2, value_equivalent),
    ("pdf.value.encoding", 2, value_broken_encoding),
    ("pdf.value.ref", 2, value_reference_loop),
    ("pdf.kids", 3, kids_loop),
    ("pdf.fields", 1, fields_loop),
    ("pdf.xref", 3, xref_damage),
    ("pdf.ref", 3, renumber_reference),
    ("pdf.delete", 2, delete_object),
    ("pdf.duplicate", 1, duplicate_object),
    ("pdf.length", 2, stream_length),
    ("pdf.objstm", 2, object_stream_damage),
    ("pdf.update", 3, incremental_update),
    ("pdf.objects", 1, many_objects),
    ("pdf.nesting", 1, deep_nesting),
    ("pdf.identity", 1, info_identity),
]
