"""Which municipality (and county) a form comes from, read from its free-text organisation field.

"Kommun/organisation" is one free-text field ("Bromölla kommun, Socialtjänsten", "Socialförvaltningen
i Malmö", "Stockholms stad", "Region Skåne"). FoU units compare by municipality and county, so the
field is matched against SCB's list of Sweden's 290 municipalities (data/kommuner.csv): without
regard to case, word order, the "kommun"/"stad" suffix or the genitive, and by whole words only.
A municipality is only named when exactly one is found; otherwise the form gets ``None`` and a
reason, so the compiler can list it instead of guessing. A county named as a region or "län"
("Region Skåne", "Stockholms län") gives the county without a municipality (Region Gotland is the
municipality of Gotland).
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

NOT_FOUND, SEVERAL, EMPTY = "not_found", "several", "empty"

# Words after a name that mark it as the municipality / as the county.
_MUNICIPALITY_AFTER = frozenset({"kommun", "kommuns", "kommunen", "stad", "stads", "staden"})
_MUNICIPALITY_BEFORE = frozenset({"i", "kommun", "stad"})
_COUNTY_AFTER = frozenset({"län", "läns", "lan", "lans"})
_COUNTY_BEFORE = frozenset({"region", "regionen", "landstinget"})
# Names that are also common Swedish words (once folded): taken only beside "kommun", "stad" or "i".
_COMMON_WORDS = frozenset({"ale", "berg", "eda", "kil", "mark", "vara", "are", "ange", "mala", "nora", "sala",
                           "mora", "bro"})
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u", "æ": "a", "ø": "o"})
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class County:
    code: str  # "12"
    name: str  # "Skåne län"


@dataclass(frozen=True)
class Municipality:
    code: str  # "1272"
    name: str  # "Bromölla"
    county: County


@dataclass(frozen=True)
class Place:
    """What the organisation field tells: a municipality (and its county), a county only, or
    nothing, with ``reason`` (NOT_FOUND, SEVERAL, EMPTY) when there is no municipality."""

    municipality: Municipality | None = None
    county: County | None = None
    reason: str | None = None
    candidates: tuple[str, ...] = ()  # names found when there were several


@lru_cache(maxsize=1)
def municipalities() -> tuple[Municipality, ...]:
    """The 290 municipalities in code order, from the shipped data file."""
    text = resources.files("lovande_docs.compile").joinpath("data/kommuner.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    counties: dict[str, County] = {}
    result = []
    for row in csv.DictReader(lines):
        county = counties.setdefault(row["lanskod"], County(row["lanskod"], row["lan"]))
        result.append(Municipality(row["kommunkod"], row["kommun"], county))
    return tuple(result)


@lru_cache(maxsize=1)
def counties() -> tuple[County, ...]:
    return tuple(sorted({m.county for m in municipalities()}, key=lambda c: c.code))


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


def _fold(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w.translate(_FOLD) for w in words)


def _genitive(words: tuple[str, ...]) -> tuple[str, ...]:
    last = words[-1]
    return words if last.endswith(("s", "x", "z")) else words[:-1] + (last + "s",)


def _county_short(county: County) -> tuple[str, ...]:
    """"Stockholms län" → ("stockholm",), "Västra Götalands län" → ("västra", "götaland"): the
    county's own name (true of all 21: the genitive -s is dropped, "Kalmar län" has none)."""
    words = tuple(_words(county.name))
    words = words[:-1] if words[-1] == "län" else words
    return words[:-1] + (words[-1][:-1],) if words[-1].endswith("s") else words


@lru_cache(maxsize=1)
def _index() -> tuple[dict, dict, dict, dict, int]:
    """Lookup tables from word tuples: exact and folded, for municipalities and counties."""
    exact: dict[tuple[str, ...], set[str]] = {}
    folded: dict[tuple[str, ...], set[str]] = {}
    for municipality in municipalities():
        words = tuple(_words(municipality.name))
        for key in {words, _genitive(words)}:
            exact.setdefault(key, set()).add(municipality.code)
            folded.setdefault(_fold(key), set()).add(municipality.code)
    county_exact: dict[tuple[str, ...], set[str]] = {}
    county_folded: dict[tuple[str, ...], set[str]] = {}
    for county in counties():
        short = _county_short(county)
        for key in {short, _genitive(short)}:
            county_exact.setdefault(key, set()).add(county.code)
            county_folded.setdefault(_fold(key), set()).add(county.code)
    longest = max(len(k) for k in list(exact) + list(county_exact))
    return exact, folded, county_exact, county_folded, longest


def _lookup(key: tuple[str, ...], exact: dict, folded: dict) -> set[str]:
    found = exact.get(key)
    if found:
        return found
    found = folded.get(_fold(key), set())
    return found if len(found) == 1 else set()  # Håbo/Habo: folded forms must be unique


def recognise(text: str | None) -> Place:
    """The municipality and county named in an organisation field (see the module docstring)."""
    if not text or not text.strip():
        return Place(reason=EMPTY)
    by_code = {m.code: m for m in municipalities()}
    county_by_code = {c.code: c for c in counties()}
    exact, folded, county_exact, county_folded, longest = _index()
    words = _words(text)
    # "Västra Götalandsregionen", "Skåneregionen": the region glued to the county's name
    split: list[str] = []
    for word in words:
        for suffix in ("regionen", "regionens"):
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                split += [word[: -len(suffix)], "regionen"]
                break
        else:
            split.append(word)
    words = split
    strong: set[str] = set()
    weak: set[str] = set()
    county_hits: set[str] = set()
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            key = tuple(words[i:i + n])
            before = words[i - 1] if i else None
            after = words[i + n] if i + n < len(words) else None
            codes = _lookup(key, exact, folded)
            county_codes = _lookup(key, county_exact, county_folded)
            as_county = bool(county_codes) and (after in _COUNTY_AFTER or before in _COUNTY_BEFORE)
            if codes and not (as_county and not _is_gotland(codes)):
                if after in _MUNICIPALITY_AFTER or before in _MUNICIPALITY_BEFORE or len(key) == len(words) \
                        or (before in _COUNTY_BEFORE and _is_gotland(codes)):
                    strong |= codes
                elif " ".join(_fold(key)) not in _COMMON_WORDS and " ".join(_fold(key)).rstrip("s") not in _COMMON_WORDS:
                    weak |= codes
                i += n
                break
            if county_codes:
                county_hits |= county_codes
                i += n
                break
        else:
            i += 1
    found = strong or weak
    if len(found) == 1:
        municipality = by_code[next(iter(found))]
        return Place(municipality, municipality.county)
    county = county_by_code[next(iter(county_hits))] if len(county_hits) == 1 else None
    if len(found) > 1:
        names = tuple(sorted(by_code[c].name for c in found))
        counties_found = {by_code[c].county for c in found}
        if county is None and len(counties_found) == 1:
            county = next(iter(counties_found))
        return Place(None, county, SEVERAL, names)
    return Place(None, county, NOT_FOUND)


@lru_cache(maxsize=4096)
def place_of(organisation: str | None) -> Place:
    """``recognise``, remembered: the compiler asks once per form and sheet, and units repeat."""
    return recognise(organisation)


def _is_gotland(codes: set[str]) -> bool:
    return codes == {"0980"}
