"""Municipality and county recognition in the organisation field (issue #15.2)."""
from __future__ import annotations

import csv
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lovande_docs.compile.municipality import EMPTY, NOT_FOUND, SEVERAL, counties, municipalities, recognise, regions

MUNICIPALITIES = municipalities()
# departments and other words an organisation field holds besides the place
DEPARTMENTS = ["Socialtjänsten", "Vård och omsorg", "Individ- och familjeomsorgen", "Socialförvaltningen",
               "Enheten för missbruk", "Äldreomsorgen", "Barn och unga", "Funktionsstöd", "IFO", "Hemtjänsten",
               "Familjecentralen", "Arbetsmarknadsförvaltningen", "Utförarenheten"]


def _genitive(name: str) -> str:
    return name if name.endswith(("s", "x", "z")) else name + "s"


def test_the_shipped_list_is_scbs_290_municipalities_in_21_counties():
    text = resources.files("lovande_docs.compile").joinpath("data/kommuner.csv").read_text(encoding="utf-8")
    assert "SCB" in text and "967319129a6a3e8494316421fb64cf5d140714a3" in text  # the source is recorded
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    assert len(rows) == len(MUNICIPALITIES) == 290
    assert len({r["officiellt_namn"] for r in rows}) == 290
    assert len({r["kommunkod"] for r in rows}) == 290 and len({r["kommun"] for r in rows}) == 290
    assert len(counties()) == 21 and {c.code for c in counties()} == {r["lanskod"] for r in rows}
    assert all(r["kommunkod"][:2] == r["lanskod"] for r in rows)  # a municipality's code starts with its county's
    by_name = {m.name: m for m in MUNICIPALITIES}
    assert (by_name["Stockholm"].code, by_name["Göteborg"].code, by_name["Malmö"].code) == ("0180", "1480", "1280")
    assert by_name["Bromölla"].county.name == "Skåne län" and by_name["Gotland"].code == "0980"
    assert (by_name["Falun"].official, by_name["Borås"].official, by_name["Gotland"].official,
            by_name["Umeå"].official, by_name["Kalmar"].official) == (
        "Falu kommun", "Borås Stad", "Region Gotland", "Umeå kommun", "Kalmar kommun")
    # every official name is "<name> kommun", its genitive, or one of the named exceptions
    stad = {m.name for m in MUNICIPALITIES if m.official.lower().endswith(" stad")}
    assert stad == {"Stockholm", "Göteborg", "Malmö", "Borås", "Helsingborg", "Västerås", "Landskrona", "Lidingö",
                    "Mölndal", "Solna", "Sundbyberg", "Vaxholm", "Trollhättan", "Haparanda"}
    for m in MUNICIPALITIES:
        if m.name not in stad | {"Falun", "Gotland"}:
            assert m.official in (f"{m.name} kommun", f"{m.name}s kommun"), m


def test_recognition_over_all_290_official_names_and_short_names():
    """Issue #21: every official name ("Falu kommun", "Borås Stad", "Region Gotland", alone or with a
    department) and every short name ("Falun", "Borås", "Gotland") gives its municipality and county."""
    missed = []
    for m in MUNICIPALITIES:
        for text in (m.official, m.official.upper(), f"{m.official}, Socialtjänsten", f"Socialförvaltningen, {m.official}",
                     f"{m.official}s socialförvaltning" if m.official.endswith(("kommun", "stad", "Stad")) else m.official,
                     m.name, f"Socialtjänsten i {m.name}", f"Socialtjänsten, {m.name}", f"{m.name} – IFO"):
            place = recognise(text)
            if (place.municipality, place.county) != (m, m.county):
                missed.append(text)
    assert missed == []


def test_every_region_gives_its_county_and_no_municipality():
    """"Region Jämtland Härjedalen" names the county, not the municipality Härjedalen."""
    assert len(regions()) == 20  # 21 counties; Region Gotland is the municipality
    by_code = {c.code: c for c in counties()}
    for name, code in regions().items():
        for text in (name, f"{name}, FoU-enheten", name.upper()):
            place = recognise(text)
            assert place.municipality is None and place.county == by_code[code], text
    assert recognise("Region Jämtland Härjedalen, Härjedalens kommun").municipality.name == "Härjedalen"


@pytest.mark.parametrize("municipality", MUNICIPALITIES, ids=lambda m: m.code)
def test_every_municipality_by_its_official_forms(municipality):
    for text in (f"{municipality.name} kommun", f"{_genitive(municipality.name)} kommun",
                 f"Socialtjänsten i {municipality.name}", municipality.name.upper(),
                 f"{municipality.name} kommuns socialtjänst"):
        place = recognise(text)
        assert place.municipality == municipality, text
        assert place.county == municipality.county


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(MUNICIPALITIES), st.sampled_from(["{} kommun", "{g} kommun", "{g} kommuns", "{} stad",
                                                          "{g} stad", "Kommun: {}", "i {}", "{}"]),
       st.lists(st.sampled_from(DEPARTMENTS), max_size=2), st.booleans(), st.sampled_from([", ", " – ", " / ", ", "]),
       st.sampled_from([str, str.lower, str.upper, str.title]))
def test_recognised_whatever_the_order_case_suffix_and_departments(municipality, pattern, departments, place_first,
                                                                 separator, case):
    place_text = pattern.format(municipality.name, g=_genitive(municipality.name))
    if pattern == "{}" and departments:
        place_text = f"{municipality.name} kommun"  # a bare name among other words needs its suffix or "i"
    parts = [place_text, *departments] if place_first else [*departments, place_text]
    text = case(separator.join(parts))
    assert recognise(text).municipality == municipality, text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(DEPARTMENTS), min_size=1, max_size=4), st.integers(0, 99))
def test_no_municipality_is_guessed_from_other_words(departments, number):
    place = recognise(", ".join(departments) + f" {number}")
    assert place.municipality is None and place.reason == NOT_FOUND


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(MUNICIPALITIES), min_size=2, max_size=3, unique=True))
def test_two_municipalities_are_not_guessed_between(several):
    place = recognise(" och ".join(f"{m.name} kommun" for m in several))
    assert place.municipality is None and place.reason == SEVERAL
    assert set(place.candidates) == {m.name for m in several}


def test_regions_and_counties():
    assert recognise("Region Skåne").municipality is None and recognise("Region Skåne").county.code == "12"
    assert recognise("Stockholms län").municipality is None and recognise("Stockholms län").county.code == "01"
    assert recognise("Region Stockholm, FoU").municipality is None
    assert recognise("Västra Götalandsregionen").county.name == "Västra Götalands län"
    assert recognise("Region Jönköpings län").county.code == "06"
    assert recognise("Region Gotland").municipality.code == "0980"  # the region that is a municipality
    assert recognise("Stockholms stad, Stockholms län").municipality.code == "0180"


def test_homographs_and_common_words():
    assert recognise("Håbo kommun").municipality.code == "0305"
    assert recognise("Habo kommun").municipality.code == "0643"
    assert recognise("Malmo stad").municipality.name == "Malmö"  # written without the Swedish letters
    assert recognise("Vara kommun").municipality.name == "Vara"
    assert recognise("Kalix kommun").municipality.name == "Kalix" and recognise("Borås stad").municipality.name == "Borås"
    for text in ("Boende för unga som vill vara delaktiga", "Mark och miljö, Socialtjänsten", "Kommun A",
                 "Vård och omsorg, Sala och Mora"):
        assert recognise(text).municipality is None, text
    assert recognise(None).reason == EMPTY and recognise("  ").reason == EMPTY
