"""tools/build_localities.py: postal place names become locality names by small rules."""

from __future__ import annotations

import pytest

from geo.gazetteer import haversine_km
from tools.build_localities import clean_name, localities, phrase_like


@pytest.mark.parametrize(("country", "raw", "expected"), [
    ("CH", "Aarau 1", ("Aarau", [])),  # a numbered post office is its town
    ("CH", "Wohlen AG", ("Wohlen", ["Wohlen AG"])),  # canton letters
    ("CH", "Biel/Bienne", ("Biel", ["Bienne"])),  # both languages
    ("AT", "Oberwart / Felsöör", ("Oberwart", ["Felsöör"])),
    ("CH", "Vichères (Liddes)", ("Vichères", ["Vichères (Liddes)"])),
    ("CH", "Zofingen PF UBS", None),  # PostFinance, a bank: receivers, not places
    ("AT", "Klagenfurt,01.Bez.:Innere Stadt", None),  # a numbered district office
    ("DE", "hagebau Handelsgesellschaft", None),
])
def test_clean_name(country, raw, expected):
    assert clean_name(country, raw) == expected


def _record(city, code, lat, lon, country="CH", accuracy=4.0):
    return {"country_code": country, "postal_code": code, "city": city, "latitude": lat,
            "longitude": lon, "accuracy": accuracy}


def test_a_part_of_a_nearby_town_is_a_pplx_with_the_town_in_its_names():
    towns = {"appenzell": [(47.33, 9.41)]}
    found = localities([_record("Appenzell Eggerstanden", "9050", 47.33, 9.45)], towns, set())
    assert [(p["name"], p["feature"]) for p in found] == [("Eggerstanden", "PPLX")]
    assert "Appenzell-Eggerstanden" in found[0]["names"]


def test_no_part_of_a_far_town_nor_one_named_by_a_word():
    towns = {"appenzell": [(46.0, 7.0)], "zofingen": [(47.29, 7.95)]}
    found = localities([_record("Appenzell Eggerstanden", "9050", 47.33, 9.45),
                        _record("Zofingen Station", "4800", 47.29, 7.95)], towns, {"station"})
    assert [(p["name"], p["feature"]) for p in found] == [("Appenzell Eggerstanden", "PPL")]


def test_one_name_within_merge_distance_is_one_place_and_namesakes_stay_apart():
    found = localities([_record("Stuben", "6762", 47.13, 10.17, "AT"),
                        _record("Stuben", "6763", 47.14, 10.18, "AT"),
                        _record("Stuben", "7434", 47.43, 16.25, "AT")], {}, set())
    assert sorted((p["name"], len(p["codes"])) for p in found) == [("Stuben", 1), ("Stuben", 2)]


def test_german_large_receivers_are_left_out():
    assert localities([_record("Stadt Arnsberg", "59753", 51.44, 7.97, "DE", accuracy=0.0)], {}, set()) == []


def test_south_tyrol_lists_one_place_under_both_names():
    found = localities([_record("Gargazon", "39010", 46.58, 11.2, "IT"),
                        _record("Gargazzone", "39010", 46.58, 11.2, "IT")], {}, set())
    assert [(p["name"], p["names"]) for p in found] == [("Gargazon", ["Gargazzone"])]


# Villages named like everyday German words (all in the postal table) stay words in a text.
WORDS_NOT_PLACES = (
    "Auf dem Hof stand ein alter Traktor, und die Kinder spielten in der Au hinter dem Haus.",
    "Die Wies war nass vom Regen, deshalb blieben die Kühe in den warmen Stuben des Stalls.",
    "Nach langen Verhandlungen einigten sich die Parteien auf einen Kompromiss.",
    "Im Dorf gab es einen Bach, einen Berg, ein Moos und eine Grub, aber keinen Bahnhof.",
)


@pytest.mark.parametrize("text", WORDS_NOT_PLACES)
def test_villages_named_like_words_do_not_flood_a_text(text):
    from geo.pipeline import geoparse

    assert [p.name for p in geoparse(text, lang="de").places] == []


@pytest.mark.parametrize(("name", "expected"), [
    ("State University", True),  # everyday words ending in an institution's noun
    ("State Park", True),
    ("East Texas", True),  # a compass word and a state: the region
    ("Tennessee Colony", False),  # towns that local news names
    ("Big Creek", False),
    ("Van Voorhis", False),
    ("Atalissa", False),  # one word: the recogniser's word rules judge it
])
def test_us_postal_names_that_read_as_phrases_are_left_out(name, expected):
    frequency = {"state": 1e-4, "university": 1e-4, "park": 1e-4, "big": 1e-3, "creek": 1e-5, "east": 1e-4,
                 "colony": 1e-5, "van": 1e-5}
    assert phrase_like(name, {"texas", "tennessee"}, frequency) is expected


@pytest.mark.parametrize(("text", "name"), [
    ("Auch in Widnau stand das Wasser in den Kellern.", "Widnau"),  # uncounted: a village's prior
    ("Die Feuerwehr aus Widnau half in Heerbrugg.", "Heerbrugg"),
])
def test_an_uncounted_village_is_found_after_a_preposition(text, name):
    from geo.pipeline import geoparse

    found = [p for p in geoparse(text, lang="de").places if p.name == name]
    assert found and found[0].id.startswith("postal:CH:")


# tools/build_stops.py: villages and town parts named by public-transport stops (made-up names).
from tools.build_stops import clean_stop, place_of, stop_places  # noqa: E402


@pytest.mark.parametrize(("raw", "expected"), [
    ("Kolmbrunn Bahnhof, Tannstett", ("Kolmbrunn", "Tannstett")),  # a word only transit uses
    ("Kolmbrunn Schule/Kirche, Tannstett", ("Kolmbrunn Schule/Kirche", "Tannstett")),
    ("Kolmbrunn Mitte B/2, Tannstett (Baden)", ("Kolmbrunn", "Tannstett")),  # platform, bracket
    ("Ostheim-Kolmbrunn Hbf A, Tannstett a.M.", ("Ostheim-Kolmbrunn", "Tannstett")),
    ("Kolmbrunn Ort", ("Kolmbrunn", "")),
])
def test_a_stop_name_loses_what_only_transit_uses(raw, expected):
    assert clean_stop(raw) == expected


@pytest.mark.parametrize(("segment", "expected"), [
    ("Kolmbrunn Lindenweg", ("Kolmbrunn", False)),  # a village and its stop
    ("Kolmbrunn", ("Kolmbrunn", True)),
    ("Kolmbrunner Straße", None),  # an adjective before a street
    ("Tierheim", None),  # a German word (the word list)
    ("Mühle", None),  # a frequent word, checked with its umlaut
    ("Lindenstraße", None),  # a street's, a building's ending
    ("Sankt-Florianskirche", None),
    ("ALDI Markt", None),  # capitals: a shop
    ("Au", None),  # too short to tell
])
def test_the_place_of_a_stop_is_its_first_word_when_no_word_list_knows_it(segment, expected):
    assert place_of(segment, {"Tierheim"}, {"mühle"}) == expected


def _stop(ident, name, lat, lon):
    return {"id": ident, "name": name, "lat": lat, "lon": lon}


def test_a_place_before_a_nearby_town_is_its_town_part_also_named_town_hyphen_part():
    found = stop_places([_stop("1", "Kolmbrunn Lindenweg, Tannstett", 50.0, 8.0),
                         _stop("2", "Kolmbrunn Bahnhof, Tannstett", 50.01, 8.0)],
                        {"tannstett": [(50.02, 8.02)]}, set(), set())
    assert [(p["name"], p["feature"], p["names"], p["ids"]) for p in found] == [
        ("Kolmbrunn", "PPLX", ["Tannstett-Kolmbrunn"], ["1", "2"])]


def test_a_station_town_hyphen_part_gives_the_part():
    found = stop_places([_stop("1", "Tannstett-Kolmbrunn", 50.0, 8.0)],
                        {"tannstett": [(50.02, 8.02)]}, set(), set())
    assert [(p["name"], p["feature"]) for p in found] == [("Kolmbrunn", "PPLX")]


def test_one_stop_with_a_detail_is_too_little_and_a_far_town_makes_a_village():
    found = stop_places([_stop("1", "Kolmbrunn Lindenweg, Tannstett", 50.0, 8.0),
                         _stop("2", "Ödwies, Tannstett", 50.0, 8.0)],
                        {"tannstett": [(52.0, 8.0)]}, set(), set())
    assert [(p["name"], p["feature"], p["names"]) for p in found] == [("Ödwies", "PPL", [])]


def test_the_town_itself_and_namesakes_far_apart():
    found = stop_places([_stop("1", "Tannstett Ort, Tannstett", 50.0, 8.0),
                         _stop("2", "Ödwies, Tannstett", 50.0, 8.0),
                         _stop("3", "Ödwies, Brakel", 48.0, 11.0)], {}, set(), set())
    assert sorted((p["name"], p["lat"]) for p in found) == [("Ödwies", 48.0), ("Ödwies", 50.0)]


def test_a_stop_place_near_a_known_town_of_its_name_is_that_town(monkeypatch):
    import tools.build_stops as stops

    monkeypatch.setattr(stops, "read_stops", lambda: [_stop("1", "Ödwies, Tannstett", 50.0, 8.0),
                                                      _stop("2", "Kolmbrunn, Tannstett", 50.0, 8.0)])
    monkeypatch.setattr(stops, "german_words", set)
    monkeypatch.setattr(stops, "common_german_words", set)  # (wordfreq is a data-build requirement only)
    monkeypatch.setattr(stops, "_admin1_of_any", lambda places, admin1: [("DE", "admin1:DE:x")] * len(places))
    cities = [{"country": "DE", "lat": 50.02, "lon": 8.0, "population": 0, "names": [("Ödwies", "name", "")]}]
    out = stops.rows(cities, None)
    assert [(r["name"], r["id"], r["population"]) for r in out] == [("Kolmbrunn", "stop:2", 0)]


def test_a_town_part_named_like_a_word_is_checked_with_its_umlauts():
    """«Kolmbach Mühle» is no part («mühle» is a word); «Kolmbach Hüsten» is («husten» is, «hüsten» not)."""
    towns = {"kolmbach": [(50.0, 8.0)]}
    found = localities([_record("Kolmbach Mühle", "1", 50.0, 8.01, "DE"),
                        _record("Kolmbach Hüsten", "2", 50.0, 8.01, "DE")], towns, {"mühle", "husten"})
    assert [(p["name"], p["feature"]) for p in found] == [("Hüsten", "PPLX")]


def test_a_municipality_is_also_named_without_its_qualifier():
    """tools/build_gemeinden.base_name: VG250 writes «Weißenborn/Erzgeb.», «Sondheim v.d. Rhön»,
    «Wernau (Neckar)»; news writes the name before the qualifier. A merger's name has none."""
    from tools.build_gemeinden import base_name

    assert base_name("Weißenborn/Erzgeb.") == "Weißenborn"
    assert base_name("Sondheim v.d. Rhön") == "Sondheim"
    assert base_name("Wernau (Neckar)") == "Wernau"
    assert base_name("Lausnitz b. Neustadt an der Orla") == "Lausnitz"
    assert base_name("Unstruttal") == "" and base_name("Drei Gleichen") == ""


def test_germanys_municipalities_without_a_town_of_their_name_are_places(gazetteer):
    """tools/build_gemeinden: mergers named after their river, landscape or history (BKG VG250)."""
    for name, lat, lon in (("Unstruttal", 51.3, 10.4), ("Südeichsfeld", 51.18, 10.27), ("Drei Gleichen", 50.9, 10.84)):
        best = [c for c in gazetteer.candidates(name, limit=None) if c.country == "DE"][0]
        assert best.kind == "city" and haversine_km(best.lat, best.lon, lat, lon) < 15, (name, best)
