"""Which municipality (and county) a form comes from, read from its free-text organisation field.

"Kommun/organisation" is one free-text field ("Bromölla kommun, Socialtjänsten", "Socialförvaltningen
i Malmö", "Stockholms stad", "Region Skåne"). FoU units compare by municipality and county, so the
field is matched against SCB's list of Sweden's 290 municipalities (data/kommuner.csv), by their
short names ("Falun", "Borås") and their official names ("Falu kommun", "Borås Stad", "Region
Gotland"): without regard to case, word order, the "kommun"/"stad" suffix or the genitive, and by
whole words only. A municipality is only named when exactly one is found; otherwise the form gets
``None`` and a reason, so the compiler can list it instead of guessing. A county named as a region
or "län" ("Region Skåne", "Region Jämtland Härjedalen", "Stockholms län"; the regions' names are in
data/lan.csv) gives the county without a municipality (Region Gotland is the municipality of
Gotland).
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from lovande_docs.collation import swedish_key

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
# What separates the parts of an organisation field ("Mora, Socialtjänsten", "IFO – Mora"): a name
# that is a whole part is taken even when it is also a common word.
_PARTS = re.compile(r"[,;:/|()\n]|\s[-–—]\s")


@dataclass(frozen=True)
class County:
    code: str  # "12"
    name: str  # "Skåne län"


@dataclass(frozen=True)
class Municipality:
    code: str  # "1272"
    name: str  # "Bromölla", "Falun"
    county: County
    official: str = ""  # "Bromölla kommun", "Falu kommun", "Borås Stad", "Region Gotland"


@dataclass(frozen=True)
class Place:
    """What the organisation field tells: a municipality (and its county), a county only, or
    nothing, with ``reason`` (NOT_FOUND, SEVERAL, EMPTY) when there is no municipality."""

    municipality: Municipality | None = None
    county: County | None = None
    reason: str | None = None
    candidates: tuple[str, ...] = ()  # names found when there were several


def _rows(name: str) -> list[dict[str, str]]:
    """The rows of a shipped data file (data/NAME), its comment lines left out."""
    text = resources.files("lovande_docs.compile").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#")))


@lru_cache(maxsize=1)
def municipalities() -> tuple[Municipality, ...]:
    """The 290 municipalities in code order, from the shipped data file."""
    counties: dict[str, County] = {}
    result = []
    for row in _rows("kommuner.csv"):
        county = counties.setdefault(row["lanskod"], County(row["lanskod"], row["lan"]))
        result.append(Municipality(row["kommunkod"], row["kommun"], county, row["officiellt_namn"]))
    return tuple(result)


@lru_cache(maxsize=1)
def regions() -> dict[str, str]:
    """The regions' official names → their county codes ("Region Sörmland" → "04"); Gotland has none."""
    return {row["region"]: row["lanskod"] for row in _rows("lan.csv") if row["region"]}


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
def _index() -> tuple[dict, dict, dict, dict, dict, dict, int]:
    """Lookup tables from word tuples: exact and folded, for municipalities, counties and regions."""
    exact: dict[tuple[str, ...], set[str]] = {}
    folded: dict[tuple[str, ...], set[str]] = {}
    for municipality in municipalities():
        words = tuple(_words(municipality.name))
        for key in {words, _genitive(words), _official_stem(municipality.official)}:
            exact.setdefault(key, set()).add(municipality.code)
            folded.setdefault(_fold(key), set()).add(municipality.code)
    county_exact: dict[tuple[str, ...], set[str]] = {}
    county_folded: dict[tuple[str, ...], set[str]] = {}
    for county in counties():
        short = _county_short(county)
        for key in {short, _genitive(short)}:
            county_exact.setdefault(key, set()).add(county.code)
            county_folded.setdefault(_fold(key), set()).add(county.code)
    region_exact: dict[tuple[str, ...], set[str]] = {}
    region_folded: dict[tuple[str, ...], set[str]] = {}
    for name, code in regions().items():
        key = tuple(_split_region(_words(name)))
        region_exact.setdefault(key, set()).add(code)
        region_folded.setdefault(_fold(key), set()).add(code)
    longest = max(len(k) for k in list(exact) + list(county_exact) + list(region_exact))
    return exact, folded, county_exact, county_folded, region_exact, region_folded, longest


def _official_stem(official: str) -> tuple[str, ...]:
    """"Falu kommun" → ("falu",), "Göteborgs Stad" → ("göteborgs",), "Region Gotland" → ("gotland",):
    the official name without its "kommun", "stad" or "Region", the form the name takes in it."""
    words = tuple(_words(official))
    if words and words[-1] in ("kommun", "stad"):
        words = words[:-1]
    return words[1:] if words[:1] == ("region",) else words


def _split_region(words: list[str]) -> list[str]:
    """"Västra Götalandsregionen", "Skåneregionen": the region glued to the county's name, split."""
    split: list[str] = []
    for word in words:
        for suffix in ("regionen", "regionens"):
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                split += [word[: -len(suffix)], "regionen"]
                break
        else:
            split.append(word)
    return split


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
    exact, folded, county_exact, county_folded, region_exact, region_folded, longest = _index()
    words: list[str] = []
    whole: set[tuple[int, int]] = set()  # (first, end) of each part between commas, dashes, slashes
    for part in _PARTS.split(text):
        part_words = _split_region(_words(part))
        if part_words:
            whole.add((len(words), len(words) + len(part_words)))
            words += part_words
    strong: set[str] = set()
    weak: set[str] = set()
    county_hits: set[str] = set()
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            key = tuple(words[i:i + n])
            region_codes = _lookup(key, region_exact, region_folded)
            if region_codes:  # a region's whole name: its county, never a municipality within it
                county_hits |= region_codes
                i += n
                break
            before = words[i - 1] if i else None
            after = words[i + n] if i + n < len(words) else None
            codes = _lookup(key, exact, folded)
            county_codes = _lookup(key, county_exact, county_folded)
            as_county = bool(county_codes) and (after in _COUNTY_AFTER or before in _COUNTY_BEFORE)
            if codes and not (as_county and not _is_gotland(codes)):
                if after in _MUNICIPALITY_AFTER or before in _MUNICIPALITY_BEFORE or (i, i + n) in whole \
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
        names = tuple(sorted((by_code[c].name for c in found), key=swedish_key))
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
