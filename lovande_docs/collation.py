"""The one Swedish sort key for everything the tool shows sorted (workbook, report): å, ä, ö after
z, in that order; é as e, ü as y, æ as ä and ø as ö (as Svenska Akademiens ordlista sorts them);
case only breaks ties. Python's own order puts Ä before Å, and locale collation is not there on
every machine (Windows), so the order is spelt out here."""
from __future__ import annotations

_AFTER_Z = ("\U0010fff1", "\U0010fff2", "\U0010fff3")  # above every letter, so "Åre" comes after "Zinkgruvan"
_ORDER = str.maketrans({"å": _AFTER_Z[0], "ä": _AFTER_Z[1], "æ": _AFTER_Z[1], "ö": _AFTER_Z[2], "ø": _AFTER_Z[2],
                        "é": "e", "è": "e", "ü": "y", "á": "a", "à": "a"})


def swedish_key(text: str | None) -> tuple:
    """Sort key in Swedish alphabetical order; None (a missing name) sorts last."""
    if text is None:
        return (True, "", "")
    folded = " ".join(text.casefold().split())
    return (False, folded.translate(_ORDER), text)
