"""The offline gazetteer resolves names in German, English and local spellings."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pyproj import Geod

from geo.gazetteer import haversine_km
from geo.normalize import name_variants, normalize
from tests.conftest import ROOT

# Reference coordinates (Wikipedia) of the places each spelling must resolve to.
CITIES = {
    "Minsk": (53.90, 27.57),
    "Moskau": (55.76, 37.62),
    "St. Petersburg": (59.94, 30.31),
    "Sankt Petersburg": (59.94, 30.31),
    "Sotschi": (43.60, 39.73),
    "Kiew": (50.45, 30.52),
    "Kyiv": (50.45, 30.52),
    "Warschau": (52.23, 21.01),
    "Lwiw": (49.84, 24.03),
    "Lviv": (49.84, 24.03),
    "Luzk": (50.75, 25.34),
    "Riwne": (50.62, 26.25),
    "München": (48.14, 11.58),
    "Muenchen": (48.14, 11.58),
    "Mailand": (45.46, 9.19),
    "Peking": (39.90, 116.40),
    "Kairo": (30.04, 31.24),
    "Genf": (46.20, 6.14),
    "Den Haag": (52.08, 4.30),
    "Sankt Gallen": (47.42, 9.38),
    "St. Gallen": (47.42, 9.38),
    "New York": (40.71, -74.01),
}
COUNTRIES = {
    "Weissrussland": "BY", "Weißrussland": "BY", "Belarus": "BY", "Russland": "RU",
    "Rußland": "RU", "Ukraine": "UA", "Polen": "PL", "Schweiz": "CH", "Oesterreich": "AT",
    "Vereinigte Staaten": "US", "Deutschland": "DE", "Germany": "DE",
    # short and former forms news uses (curated/aliases.csv)
    "Democratic Republic of Congo": "CD", "DRC": "CD", "DR Kongo": "CD", "Republic of Congo": "CG",
    "Kongo-Brazzaville": "CG", "UAE": "AE", "VAE": "AE", "Bosnia": "BA", "Bosnien": "BA", "Swaziland": "SZ",
    "DPRK": "KP", "State of Palestine": "PS", "Palästinensergebiete": "PS", "Kirgisien": "KG",
}


@pytest.mark.parametrize("name", sorted(CITIES))
def test_city_spellings_resolve_to_the_right_city(gazetteer, name):
    best = gazetteer.candidates(name, limit=1)[0]
    lat, lon = CITIES[name]
    assert best.kind == "city"
    assert haversine_km(lat, lon, best.lat, best.lon) < 15, best


@pytest.mark.parametrize("name", sorted(COUNTRIES))
def test_country_names_in_german_and_english(gazetteer, name):
    best = gazetteer.candidates(name, limit=1)[0]
    assert (best.kind, best.country) == ("country", COUNTRIES[name])


def test_an_austrian_district_is_named_without_its_towns_locational_addition(gazetteer):
    """«Bezirk Spittal» is the Bezirk Spittal an der Drau (tools/build_data.build_admin2); the bare
    «Spittal» stays the town's."""
    best = gazetteer.candidates("Bezirk Spittal", limit=1)[0]
    assert (best.kind, best.country) == ("region", "AT") and "Spittal an der Drau" in best.name
    assert gazetteer.candidates("Spittal", limit=1)[0].kind == "city"


def test_a_governorate_named_after_its_town_has_the_towns_spelling(gazetteer):
    """«Hodeidah province»: tools/build_data.lend_town_names, the Arabic article not counted."""
    regions = [c for c in gazetteer.candidates("Hodeidah", limit=None) if c.kind == "region"]
    assert [c.country for c in regions] == ["YE"]


def test_donbass_is_the_union_of_two_oblasts(gazetteer):
    best = gazetteer.candidates("Donbass", limit=1)[0]
    assert best.kind == "region" and best.country == "UA"
    area = abs(Geod(ellps="WGS84").geometry_area_perimeter(gazetteer.geometry(best.id))[0]) / 1e6
    assert area == pytest.approx(52_900, rel=0.02)


def test_kremlin_is_a_facility_in_moscow(gazetteer):
    best = gazetteer.candidates("Kreml", limit=1)[0]
    assert best.kind == "facility" and best.country == "RU"
    assert haversine_km(55.7520, 37.6175, best.lat, best.lon) < 1


@pytest.mark.parametrize("name", ["AKW Riwne", "Kernkraftwerk Riwne", "Rivne nuclear power plant"])
def test_rivne_nuclear_plant(gazetteer, name):
    best = gazetteer.candidates(name, limit=1)[0]
    assert best.kind == "facility"
    assert haversine_km(51.3275, 25.8917, best.lat, best.lon) < 10


def test_minsk_airport_by_code_and_by_proximity(gazetteer):
    assert "airport:UMMS" in [c.id for c in gazetteer.candidates("MSQ")]
    (nearest, km), = gazetteer.nearest(53.90, 27.57, features={"AIRP"}, limit=1)
    assert nearest.id == "airport:UMMS" and km < 50
    assert haversine_km(53.8825, 28.0307, nearest.lat, nearest.lon) < 10


@pytest.mark.parametrize("name, icao", [
    ("Pearson International Airport", "CYYZ"),  # listed as "Toronto Pearson International Airport"
    ("Macdonald-Cartier International Airport", "CYOW"),  # "Ottawa / Macdonald-Cartier …"
    ("O'Hare International Airport", "KORD"),
    ("Heathrow Airport", "EGLL"),
    ("London Gatwick", "EGKK"),  # city and own name
    ("London-Stansted", "EGSS"),
    ("Istanbul Sabiha Gökçen", "LTFJ"),  # listed as "Sabiha Gokcen International Airport", city Istanbul
])
def test_airports_by_the_names_articles_use(gazetteer, name, icao):
    assert gazetteer.candidates(name, limit=1)[0].id == f"airport:{icao}"


def test_an_arabic_ad_din_is_found_joined(gazetteer):
    assert gazetteer.candidates("Salaheddin", limit=1)[0].id == "admin1:IQ:sala-ad-din"


def test_an_airport_takes_no_region_or_large_town_by_city_and_name(gazetteer):
    """Berlin Brandenburg Airport is not «Berlin-Brandenburg»; DFW not the Dallas-Fort Worth area."""
    assert all(c.id != "airport:EDDB" for c in gazetteer.candidates("Berlin-Brandenburg"))
    assert all(c.id != "airport:KDFW" for c in gazetteer.candidates("Dallas Fort Worth"))


def test_demonyms_mean_the_sovereign_country(gazetteer):
    for adjective, country in (("French", "FR"), ("American", "US"), ("Chinese", "CN")):
        assert [c.id for c in gazetteer.candidates(adjective)] == [f"country:{country}"]


def test_belarus_ukraine_border_length(gazetteer):
    border = gazetteer.border_between("UA", "BY")
    assert border is not None and border.kind == "border"
    assert border.length_km == pytest.approx(1084, rel=0.02)


def test_no_border_between_countries_that_do_not_touch(gazetteer):
    assert gazetteer.border_between("DE", "RU") is None


def test_border_between_finds_every_border_by_its_id(gazetteer):
    """border_between looks among the border rows only (no dict of every id): each border's
    countries, in either order, give the entry its id names."""
    borders = gazetteer.borders_of("DE")
    assert {b.id for b in borders} >= {"border:AT-DE", "border:CH-DE", "border:DE-PL"}
    for border in borders:
        first, second = border.id.removeprefix("border:").split("-")
        assert gazetteer.border_between(second, first) == gazetteer.by_id(border.id) == border


def test_border_line_lies_on_both_country_outlines(gazetteer):
    """Country polygons drawn on the map and the border line agree (same coverage)."""
    import shapely

    line = gazetteer.geometry("border:BY-UA")
    for country in ("country:BY", "country:UA"):
        outline = gazetteer.geometry(country).boundary
        points = shapely.get_coordinates(line)
        assert max(shapely.distance(shapely.points(points), outline)) < 1e-6


def test_crimea_belongs_to_ukraine(gazetteer):
    import shapely

    simferopol = shapely.Point(34.10, 44.95)
    assert gazetteer.geometry("country:UA").contains(simferopol)
    assert not gazetteer.geometry("country:RU").contains(simferopol)


def test_person_words_are_not_cities_by_default_order(gazetteer):
    """Lookup is context-free: a famous city beats a village of the same name."""
    assert gazetteer.candidates("Paris", limit=1)[0].country == "FR"


def test_normalisation_folds_spelling_but_not_meaning():
    assert normalize("Weißrussland") == normalize("Weissrussland") == normalize("WEISSRUSSLAND")
    assert normalize("Deutſchland") == "deutschland"
    assert normalize("L’viv") == normalize("L'viv") == "lviv"
    assert normalize("Baden-Württemberg") == "baden wurttemberg"
    assert "oesterreich" in name_variants("Österreich")
    assert {"st gallen", "sankt gallen", "saint gallen"} <= name_variants("St. Gallen")


def test_abbreviated_german_link_words_are_name_variants():
    """Waidhofen a. d. Ybbs, Waidhofen/Ybbs, Frankfurt a. M., Ried i. I.: one town each."""
    assert {normalize("Waidhofen a. d. Ybbs"), normalize("Waidhofen/Ybbs")} <= name_variants("Waidhofen an der Ybbs")
    assert {normalize("Frankfurt a. M."), normalize("Frankfurt a. Main")} <= name_variants("Frankfurt am Main")
    assert normalize("Ried i. I.") in name_variants("Ried im Innkreis")
    assert normalize("Rothenburg o. d. Tauber") in name_variants("Rothenburg ob der Tauber")
    assert normalize("Neumarkt Oberpfalz") not in name_variants("Neumarkt in der Oberpfalz")  # no river link
    assert name_variants("Andermatt") == {"andermatt"}
    assert name_variants("Amstetten") == {"amstetten"}


def test_offline_geocoder_is_a_geopy_geocoder():
    from geopy.geocoders.base import Geocoder
    from geopy.location import Location

    from geo.geocoders import OfflineGeocoder

    geocoder = OfflineGeocoder()
    assert isinstance(geocoder, Geocoder)
    location = geocoder.geocode("Riwne")
    assert isinstance(location, Location)
    assert haversine_km(50.62, 26.25, location.latitude, location.longitude) < 15
    assert geocoder.geocode("Qxzzyq") is None
    several = geocoder.geocode("Paris", exactly_one=False, limit=3)
    assert len(several) == 3 and several[0].raw["country"] == "FR"
    assert geocoder.reverse((53.90, 27.56)).raw["name"] == "Minsk"


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "geo", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_lookup_contract():
    result = _cli("lookup", "Riwne", "--limit", "3")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows and set(rows[0]) == {"id", "name", "kind", "lat", "lon", "country", "population", "source"}
    assert rows[0]["country"] == "UA" and rows[0]["kind"] == "city"


def test_cli_border_contract():
    result = _cli("border", "BY", "UA")
    assert result.returncode == 0, result.stderr
    feature = json.loads(result.stdout)
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] in ("LineString", "MultiLineString")
    assert feature["properties"]["length_km"] == pytest.approx(1084, rel=0.02)
    missing = _cli("border", "DE", "RU")
    assert missing.returncode == 1 and missing.stdout == ""
    assert len(missing.stderr.strip().splitlines()) == 1


# Villages and town parts cities500 lacks (GeoNames keeps their people on the commune), from
# GeoNames postal codes: (country, lat, lon) from Wikipedia.
LOCALITIES = {
    "Widnau": ("CH", 47.40, 9.63),
    "Heerbrugg": ("CH", 47.41, 9.63),
    "Lavin": ("CH", 46.77, 10.11),
    "Gargellen": ("AT", 46.97, 9.92),
    "Gägelow": ("DE", 53.89, 11.38),
    "Appenzell-Eggerstanden": ("CH", 47.32, 9.47),  # a part of Appenzell
    "Pittsburg": ("US", 37.17, -84.12),  # Kentucky, unincorporated (cities500 has the Kansas one)
}


@pytest.mark.parametrize("name", sorted(LOCALITIES))
def test_localities_cities500_lacks(gazetteer, name):
    country, lat, lon = LOCALITIES[name]
    # (Gägelow also names a GeoNames village 40 km away: the namesake stays a candidate.)
    near = [c for c in gazetteer.candidates(name, limit=None)
            if c.country == country and haversine_km(lat, lon, c.lat, c.lon) < 5]
    assert len(near) == 1, near
    best = near[0]
    assert best.kind == "city" and best.feature in ("PPL", "PPLX") and best.admin1.startswith(f"admin1:{country}:")
    assert best.source.startswith("GeoNames postal codes") and best.population is None


@pytest.mark.parametrize("name, lat, lon, region", [
    ("Jeffersonville", 38.28, -85.74, "admin1:US:indiana"),  # on the Ohio: the outline said Kentucky
    ("Cairo", 37.01, -89.18, "admin1:US:illinois"),  # at the Ohio–Mississippi confluence
    ("Kehl", 48.57, 7.82, "admin1:DE:baden-wurttemberg"),  # on the Rhine, across from Strasbourg
    ("Mainz", 50.00, 8.27, "admin1:DE:rheinland-pfalz"),  # across the Rhine from Wiesbaden (Hesse)
])
def test_a_border_town_keeps_its_geonames_region(gazetteer, name, lat, lon, region):
    town = next(c for c in gazetteer.candidates(name, limit=None, kinds={"city"})
                if haversine_km(lat, lon, c.lat, c.lon) < 5 and c.population)
    assert town.admin1 == region


@pytest.mark.parametrize("name, ident", [
    ("Tschassiw Jar", "geonames:710915"),  # German transliteration; «Jar» alone is a word
    ("Bosnien-Herzegowina", "country:BA"),
    ("Kirgistan", "country:KG"),
])
def test_generated_and_curated_spellings(gazetteer, name, ident):
    assert gazetteer.candidates(name, limit=1)[0].id == ident


def test_a_postal_locality_never_duplicates_a_geonames_town(gazetteer):
    # Berlin's postal codes spread over 40 km, Thun's and Bad Wildbad's over a few: all are the
    # GeoNames town, which keeps its population.
    for name in ("Berlin", "Thun", "Bad Wildbad", "Arnsberg"):
        found = gazetteer.candidates(name, limit=None, kinds={"city"})
        town = next(c for c in found if c.source.startswith("GeoNames ") and c.population)
        doubles = [c for c in found if c.source.startswith("GeoNames postal codes")
                   and haversine_km(town.lat, town.lon, c.lat, c.lon) < 40]
        assert doubles == [], name


def test_derived_data_stays_lean():
    total = sum(p.stat().st_size for p in (ROOT / "data").rglob("*") if p.is_file())
    assert total < 45_000_000  # the stop villages (tools/build_stops.py) brought it to 41.5 MB


def test_few_postings_rank_as_the_array_version_does(gazetteer):
    """ranked_rows takes a plain-Python path for keys with few postings: same rows, same floats."""
    import random

    keys = len(gazetteer._starts) - 1
    sample = random.Random(12).sample(range(keys), 4000)
    sample += [gazetteer._find(normalize(name)) for name in ("New York", "Bern", "Lviv", "Washington", "Zug")]
    options = [(None, True, ""), (None, False, "en"), ({"country", "region"}, False, ""), ({"city"}, True, "de")]
    for i in sample:
        start, stop = int(gazetteer._starts[i]), int(gazetteer._starts[i + 1])
        for kinds, allow_codes, lang in options:
            assert (gazetteer._ranked_few(start, stop, kinds, allow_codes, lang)
                    == gazetteer._ranked_many(start, stop, kinds, allow_codes, lang)), (i, kinds, allow_codes, lang)


def test_sorted_keys_search_as_bisect_over_a_list():
    """The key index bisects a sample, then the bytes of a block: the same answers as bisect on
    the whole list, at block edges, before the first and after the last key too."""
    import bisect
    import random

    import pyarrow as pa

    from geo.gazetteer import _SortedKeys

    words = sorted({"".join(random.Random(n).choices("abcdeéz ", k=1 + n % 7)) for n in range(3000)})
    index = _SortedKeys(pa.array(words, pa.large_string()))
    probes = words + [w + "a" for w in words[::7]] + [w[:-1] for w in words[::5]] + ["", "\x00", "zzzzzzzzz", "é" * 9]
    for probe in probes:
        i = bisect.bisect_left(words, probe)
        assert index.lower_bound(probe) == i, probe
        assert index.find(probe) == (i if i < len(words) and words[i] == probe else -1), probe
        assert index.has_prefix(probe) == (i < len(words) and words[i].startswith(probe)), probe
    assert [index[i] for i in range(len(words))] == words


def test_ids_of_entries_other_than_towns_are_unique_and_no_towns(gazetteer):
    """row_of looks up such ids in a dict of their own, before the dict of every id."""
    from collections import Counter

    import numpy as np

    from geo.gazetteer import _CITY

    ids = gazetteer._all_strings("id")
    others = Counter(ids[row] for row in np.flatnonzero(gazetteer._kind != _CITY).tolist())
    assert others and max(others.values()) == 1
    assert not others.keys() & {ids[row] for row in np.flatnonzero(gazetteer._kind == _CITY).tolist()}
    for place_id in ("country:BY", "admin1:US:texas", "border:BY-UA", "geonames:625144", "country:XX"):
        assert gazetteer.row_of(place_id) == gazetteer._row_of_id.get(place_id)


def test_the_mapped_index_answers_like_the_parquet_files(tmp_path):
    from geo.gazetteer import Gazetteer, index_key

    mapped, plain = Gazetteer(cache_dir=tmp_path), Gazetteer(cache_dir=None)
    assert mapped.index_dir == tmp_path / index_key(mapped.data_dir) and plain.index_dir is None
    assert {p.name for p in mapped.index_dir.iterdir()} >= {"names.arrow", "postings.arrow", "places.arrow", "ids.npy"}
    for name in ("Riwne", "Minsk", "St. Petersburg", "Springfield", "Weissrusslands", "Xyzzyville", "Den Haag"):
        assert mapped.candidates(name, limit=None) == plain.candidates(name, limit=None)
    for prefix in ("new yo", "sankt ", "zzzq", "a"):
        assert mapped.has_prefix(prefix) == plain.has_prefix(prefix)
    assert mapped.row_of("country:BY") == plain.row_of("country:BY") and mapped.row_of("country:XX") is None
    assert mapped.borders_of("BY") == plain.borders_of("BY")
    written = (mapped.index_dir / "done").stat().st_mtime_ns
    assert Gazetteer(cache_dir=tmp_path).index_dir == mapped.index_dir  # reused, not rewritten
    assert (mapped.index_dir / "done").stat().st_mtime_ns == written


def test_an_unwritable_cache_falls_back_to_the_parquet_files(tmp_path):
    from geo.gazetteer import Gazetteer

    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    gazetteer = Gazetteer(cache_dir=blocker / "index")
    assert gazetteer.index_dir is None and gazetteer.candidates("Minsk")[0].country == "BY"

# ----------------------------------------------------------------------------- data gaps (issue 8)

# First-level regions by their full official name, their short name and their usual
# abbreviation, across continents: (name, region id).
REGION_NAMES = [
    ("Khyber Pakhtunkhwa", "admin1:PK:k-p"), ("KPK", "admin1:PK:k-p"), ("K.P.", "admin1:PK:k-p"),
    ("North-West Frontier", "admin1:PK:k-p"),
    ("Federally Administered Tribal Areas", "admin1:PK:f-a-t-a"), ("FATA", "admin1:PK:f-a-t-a"),
    ("Islamabad Capital Territory", "admin1:PK:f-c-t"),
    ("Federal Capital Territory", "admin1:NG:federal-capital-territory"),
    ("FCT Abuja", "admin1:NG:federal-capital-territory"),
    ("Kahramanmaraş", "admin1:TR:k-maras"), ("Kahramanmaras", "admin1:TR:k-maras"),
    ("K. Maraş", "admin1:TR:k-maras"),
    ("Cross River State", "admin1:NG:cross-river"), ("Balochistan", "admin1:PK:baluchistan"),
    ("Nordrhein-Westfalen", "admin1:DE:nordrhein-westfalen"), ("NRW", "admin1:DE:nordrhein-westfalen"),
    ("North Rhine-Westphalia", "admin1:DE:nordrhein-westfalen"), ("Bavaria", "admin1:DE:bayern"),
    ("Freistaat Bayern", "admin1:DE:bayern"), ("Kärnten", "admin1:AT:karnten"),
    ("KwaZulu-Natal", "admin1:ZA:kwazulu-natal"), ("KZN", "admin1:ZA:kwazulu-natal"),
    ("New South Wales", "admin1:AU:new-south-wales"), ("NSW", "admin1:AU:new-south-wales"),
    ("Tamil Nadu", "admin1:IN:tamil-nadu"), ("Kharkiv Oblast", "admin1:UA:kharkiv"),
    ("São Paulo", "admin1:BR:sao-paulo"), ("British Columbia", "admin1:CA:british-columbia"),
]


@pytest.mark.parametrize("name,ident", REGION_NAMES)
def test_regions_answer_to_full_short_and_abbreviated_names(gazetteer, name, ident):
    found = [c.id for c in gazetteer.candidates(name, limit=None, kinds={"region"})]
    assert ident in found, (name, found[:5])


def test_an_abbreviated_region_is_shown_by_its_full_name(gazetteer):
    assert gazetteer.by_id("admin1:PK:k-p").name == "Khyber Pakhtunkhwa"
    assert gazetteer.by_id("admin1:TR:k-maras").name == "Kahramanmaraş"
    assert gazetteer.by_id("admin1:PK:f-a-t-a").name == "Federally Administered Tribal Areas"


# Landscapes, valleys, lakes, Landkreise and city districts news uses as places, with the point
# (Wikipedia) they must lie near: (name, lat, lon, km).
AREAS = [
    ("Bregenzerwald", 47.40, 9.90, 25), ("Emmental", 46.95, 7.75, 25), ("Engadin", 46.60, 9.95, 40),
    ("Allgäu", 47.70, 10.30, 50), ("Wachau", 48.37, 15.45, 20), ("Montafon", 47.05, 9.95, 20),
    ("Zillertal", 47.25, 11.85, 20), ("Ötztal", 47.10, 10.93, 25), ("Waldviertel", 48.65, 15.20, 50),
    ("Salzkammergut", 47.70, 13.65, 40), ("Ruhrgebiet", 51.50, 7.25, 40), ("Attersee", 47.87, 13.54, 10),
    ("Mondsee", 47.82, 13.38, 8), ("Brienzersee", 46.73, 7.96, 10), ("Neusiedler See", 47.83, 16.75, 15),
    ("Hochsauerlandkreis", 51.30, 8.35, 30), ("Zollernalbkreis", 48.25, 8.95, 30),
    ("Berlin-Kreuzberg", 52.50, 13.40, 5), ("Wien-Favoriten", 48.17, 16.38, 5),
    ("Hamburg-Altona", 53.55, 9.93, 6),
    ("Gesäuse", 47.57, 14.62, 15), ("Jauntal", 46.62, 14.70, 20), ("Oberinntal", 47.20, 10.75, 30),
    ("Oberhalbstein", 46.55, 9.60, 15), ("Mittelbünden", 46.65, 9.60, 25), ("Limmattal", 47.41, 8.40, 15),
    ("Tölzer Land", 47.72, 11.50, 25), ("Burggrafenamt", 46.67, 11.15, 20), ("Seiser Alm", 46.54, 11.62, 8),
    ("Karwendel", 47.42, 11.45, 25), ("Hohe Tauern", 47.10, 12.70, 50), ("Pilatus", 46.98, 8.25, 3),
    ("Säuling", 47.54, 10.75, 3), ("Schöckl", 47.20, 15.47, 3),
    # German Kreise (BKG outlines): their official, short and genitive names
    ("Kreis Segeberg", 53.93, 10.30, 25), ("Landkreis Cham", 49.22, 12.66, 30),
    ("Ostprignitz-Ruppin", 52.98, 12.65, 40), ("Kreises Segeberg", 53.93, 10.30, 25),
    ("Landkreis Wittenberg", 51.87, 12.65, 35), ("Eifelkreis Bitburg-Prüm", 50.05, 6.45, 35),
    ("Region Hannover", 52.38, 9.73, 35),
    # islands and island groups German and English news name (were missing, or another place)
    ("Kreta", 35.24, 24.90, 80), ("Azoren", 38.50, -28.00, 300), ("Matsu-Inseln", 26.16, 119.95, 30),
    ("Teneriffa", 28.27, -16.60, 40), ("Lanzarote", 29.03, -13.63, 30), ("Elba", 42.78, 10.27, 25),
    ("Åland", 60.20, 20.00, 80), ("Sachalin", 50.70, 142.90, 400), ("Kykladen", 37.00, 25.20, 120),
    ("Spratly-Inseln", 10.00, 114.30, 200), ("Osterinsel", -27.12, -109.35, 20), ("Föhr", 54.72, 8.50, 10),
]


@pytest.mark.parametrize("name,lat,lon,km", AREAS)
def test_landscapes_lakes_districts_are_places(gazetteer, name, lat, lon, km):
    best = gazetteer.candidates(name, limit=1)[0]
    assert haversine_km(lat, lon, best.lat, best.lon) < km, best


# Rivers under their German and English names: (name, river id).
RIVERS = [
    ("Weichsel", "physical:vistula"), ("Vistula", "physical:vistula"), ("Rhein", "physical:rhine"),
    ("Rhine", "physical:rhine"), ("Maas", "physical:meuse"), ("Meuse", "physical:meuse"),
    ("Oder", "physical:oder"), ("Inn", "physical:inn"), ("Save", "physical:sava"), ("Sava", "physical:sava"),
    ("Mur", "physical:mur"), ("Drau", "physical:drava"), ("Drava", "physical:drava"),
    ("Salzach", "physical:salzach"), ("Ybbs", "physical:ybbs"), ("Thaya", "physical:thaya"),
    ("Irrawaddy", "physical:irrawaddy"), ("Ayeyarwady", "physical:irrawaddy"), ("Schelde", "physical:scheldt"),
    ("Sulm", "physical:sulm"), ("Laßnitz", "physical:lassnitz"), ("Etsch", "physical:etsch"),
    ("Adige", "physical:etsch"), ("Eisack", "physical:eisack"), ("Sanna", "physical:sanna"),
    ("Moesa", "physical:moesa"), ("Mindel", "physical:mindel"), ("Kocher", "physical:kocher"),
    ("Mulde", "physical:mulde"), ("Aller", "physical:aller"), ("Pleiße", "physical:pleisse"),
    ("Hunte", "physical:hunte"), ("Rur", "physical:rur"),
]


@pytest.mark.parametrize("name,ident", RIVERS)
def test_rivers_under_german_and_english_names(gazetteer, name, ident):
    rivers = [c for c in gazetteer.candidates(name, limit=None) if c.feature == "RIVER"]
    assert rivers and rivers[0].id == ident, [(c.id, c.feature) for c in gazetteer.candidates(name, limit=5)]


# German names of capitals where they differ from the English one (Duden; StAGN list of
# country names and capitals), by country.
CAPITALS_DE = {
    "AT": "Wien", "PL": "Warschau", "RU": "Moskau", "UA": "Kiew", "CZ": "Prag", "IT": "Rom",
    "GR": "Athen", "PT": "Lissabon", "BE": "Brüssel", "DK": "Kopenhagen", "RS": "Belgrad",
    "RO": "Bukarest", "CN": "Peking", "IN": "Neu-Delhi", "EG": "Kairo", "DZ": "Algier", "LY": "Tripolis",
    "SY": "Damaskus", "IQ": "Bagdad", "IR": "Teheran", "MX": "Mexiko-Stadt", "LT": "Wilna",
    "MD": "Chișinău", "GE": "Tiflis", "AZ": "Baku", "KW": "Kuwait-Stadt", "SA": "Riad",
    "ET": "Addis Abeba", "SD": "Khartum", "TN": "Tunis", "CY": "Nikosia", "IL": "Jerusalem",
    "LB": "Beirut", "JO": "Amman", "KR": "Seoul", "KP": "Pjöngjang", "MN": "Ulan-Bator",
    "FI": "Helsinki", "IS": "Reykjavík", "LU": "Luxemburg", "HT": "Port-au-Prince", "MM": "Naypyidaw",
    "TW": "Taipeh", "VN": "Hanoi", "KH": "Phnom Penh", "BY": "Minsk", "CH": "Bern",
}
CAPITAL_KM = 30  # a capital's name must find a city this close to the capital


def _capitals(gazetteer):
    import pyarrow.parquet as pq

    places = pq.read_table(ROOT / "data" / "places.parquet", columns=["id", "kind", "feature", "country"]).to_pandas()
    countries = sorted(places.loc[places["kind"] == "country", "country"])
    capitals = places[places["feature"] == "PPLC"].groupby("country")["id"].first()
    return countries, capitals


def test_every_capital_is_in_the_index_under_its_english_and_german_name(gazetteer):
    """Each capital answers to its English and German name (among the cities of that name: a
    small capital need not outrank a bigger namesake without context, Hamilton in Bermuda)."""
    countries, capitals = _capitals(gazetteer)
    wrong = []
    for country in countries:
        capital = gazetteer.by_id(capitals[country]) if country in capitals else None
        if capital is None:
            continue  # a territory without a capital of its own (Antarctica, Bouvet Island …)
        for name in {capital.name, CAPITALS_DE.get(country, capital.name)}:
            found = gazetteer.candidates(name, limit=None, kinds={"city"})
            if not any(haversine_km(capital.lat, capital.lon, c.lat, c.lon) < CAPITAL_KM for c in found):
                wrong.append((country, name))
    assert not wrong, wrong
    assert len(capitals) >= 190  # nearly every country's capital is marked PPLC


@pytest.mark.parametrize("name,country", [
    ("Port-au-Prince", "HT"), ("Naypyidaw", "MM"), ("Nay Pyi Taw", "MM"), ("Islamabad", "PK"),
    ("Abuja", "NG"), ("Kyjiw", "UA"), ("Pjöngjang", "KP"), ("Ulan Bator", "MN"), ("Addis Abeba", "ET"),
    ("Taipeh", "TW"), ("Neu-Delhi", "IN"),
])
def test_capital_variants_find_the_capital_first(gazetteer, name, country):
    _, capitals = _capitals(gazetteer)
    capital = gazetteer.by_id(capitals[country])
    best = gazetteer.candidates(name, limit=1, kinds={"city"})[0]
    assert haversine_km(capital.lat, capital.lon, best.lat, best.lon) < CAPITAL_KM, (best, capital)


# Rule-made spellings (tools/transliterate.py): German transcriptions of Ukrainian and Russian
# names, spelling variants of Arabic names: (name, lat, lon) of the place (Wikipedia).
GENERATED = [
    ("Dworitschna", 49.85, 37.68), ("Kupjansk", 49.71, 37.62),
    ("Schebekino", 50.40, 36.89), ("Wuhledar", 47.78, 37.25), ("Pokrowsk", 48.28, 37.18),
    ("Saporischschja", 47.84, 35.14), ("Tschernihiw", 51.49, 31.29), ("Charkiw", 49.99, 36.23),
    ("Deir es-Sor", 35.33, 40.14), ("Dschabalia", 31.53, 34.48), ("Sweida", 32.71, 36.57),
    ("Suweida", 32.71, 36.57),
]


@pytest.mark.parametrize("name,lat,lon", GENERATED)
def test_generated_spellings_look_up(gazetteer, name, lat, lon):
    best = gazetteer.candidates(name, limit=1, kinds={"city"})[0]  # Sweida is also its governorate
    assert haversine_km(lat, lon, best.lat, best.lon) < 15, best


def test_generated_spellings_make_no_common_word_a_key(gazetteer):
    """A rule-made spelling (a town's posting with a language: GeoNames' own carry none) is never
    a frequent word: «Mir», «Dar», «Tor» stay words unless GeoNames itself spells a town so."""
    for word in ("mir", "dar", "tor", "lisa", "sale", "kamin", "dom"):
        span = gazetteer._range(word)
        if span is None:
            continue
        start, stop = span
        generated = [int(r) for r, lang in zip(gazetteer._entry[start:stop], gazetteer._lang[start:stop])
                     if lang and gazetteer.kind_of(int(r)) == "city"]
        assert not generated, (word, [gazetteer.value("name", r) for r in generated])


def test_german_town_names_without_their_locational_addition(gazetteer):
    """«Straß in Steiermark» is also «Straß», «Sankt Johann im Pongau» «Sankt Johann» (tools/build_data.py)."""
    assert "Straß in Steiermark" in {c.name for c in gazetteer.candidates("Straß", limit=None)}
    assert "Sankt Johann im Pongau" in {c.name for c in gazetteer.candidates("Sankt Johann", limit=25)}
    assert "physical:val-mustair" in {c.id for c in gazetteer.candidates("Münstertal", limit=10)}
    # the short form is a name, not a weak alternate, even where GeoNames lists it as one
    # («Haibach» of «Haibach im Mühlkreis», which then ranked far below every postal Haibach)
    from geo.gazetteer import NameType
    types = {gazetteer.value("name", row): t for row, t in gazetteer.postings("haibach")}
    assert types.get("Haibach im Mühlkreis") == NameType.NAME, types


def test_an_island_keeps_its_name_from_its_main_town(gazetteer):
    """GeoNames gives an island's name to its main town as an alternate: the index leaves it out
    (tools/build_data.curated_island_keys), so «Teneriffa» is the island, «Kreta» Crete; a curated
    alias naming a town stays (Chan Junis)."""
    names = {key: {c.id for c in gazetteer.candidates(key, limit=None)} for key in ("Teneriffa", "Kreta", "Chan Junis")}
    assert names["Teneriffa"] == {"physical:tenerife"}
    assert "geonames:260114" not in names["Kreta"] and "admin1:GR:kriti" in names["Kreta"]
    assert "geonames:281124" in names["Chan Junis"]


def test_localities_are_also_named_without_their_locational_addition(gazetteer):
    """A postal locality «Neumarkt an der Raab» is «Neumarkt» too (tools/build_data.add_short_names),
    though town words are frequent (Neumarkt: Zipf 3); a dictionary or everyday word is not."""
    for short, full in (("Neumarkt", "Neumarkt an der Raab"), ("Eisenberg", "Eisenberg an der Pinka"),
                        ("St. Sigmund", "St. Sigmund im Sellrain")):
        assert full in {c.name for c in gazetteer.candidates(short, limit=None)}, short
    # (the word tests need the data build's wordfreq and wngerman: tools/build_data.add_short_names)


def test_a_region_named_after_its_town_takes_the_towns_spellings():
    """tools/build_data.lend_town_names on made-up entries: the region gets the town's one-word
    spellings, not its longer names; a region with no town of its name gets nothing."""
    from tools.build_data import lend_town_names

    region = {"id": "admin1:XX:nord", "kind": "region", "name": "Nordstadt", "names": [["Nordstadt", "name", ""]]}
    other = {"id": "admin1:XX:sud", "kind": "region", "name": "Südland", "names": [["Südland", "name", ""]]}
    town = {"id": "geonames:1", "kind": "city", "admin1": "admin1:XX:nord", "population": 50_000,
            "names": [("Nordstadt", "name", ""), ("Nordstat", "alt", "de"), ("Nordstadt am See", "alt", "")]}
    village = {"id": "geonames:2", "kind": "city", "admin1": "admin1:XX:sud", "population": 500,
               "names": [("Nordstadt", "name", ""), ("Nordgrad", "alt", "en")]}
    assert lend_town_names([region, other, town, village]) == 1
    assert ("Nordstat", "alt", "de") in region["names"]
    assert all(name != "Nordstadt am See" for name, _, _ in region["names"])
    assert other["names"] == [["Südland", "name", ""]]  # its town is named otherwise


def test_a_region_named_after_its_town_takes_spellings_without_the_arabic_article():
    """«Al Hudaydah» governorate: its town's «Hodeidah» has as many words once the article is not
    counted, so «Hodeidah province» can name the governorate; «Hodeidah Port» still is not lent."""
    from tools.build_data import lend_town_names

    region = {"id": "admin1:YY:hud", "kind": "region", "name": "Al Hudaydah", "names": [["Al Hudaydah", "name", ""]]}
    town = {"id": "geonames:3", "kind": "city", "admin1": "admin1:YY:hud", "population": 700_000,
            "names": [("Al Ḩudaydah", "name", ""), ("Hodeidah", "alt", "en"), ("Hodeidah Port", "alt", "")]}
    assert lend_town_names([region, town]) == 1
    assert ("Hodeidah", "alt", "en") in region["names"]


def test_a_short_name_is_no_dictionary_word_as_written():
    """tools/build_data.locality_short_name: «Dienten am Hochkönig» is «Dienten» (the verb is
    «dienten»); «Stein an der Traun» is not «Stein», a noun; an everyday word is left out too."""
    from tools.build_data import locality_short_name

    dictionary = {"dienten", "Stein", "Bad"}
    everyday = frozenset({"holz"})
    assert locality_short_name("Dienten am Hochkönig", "AT", everyday, dictionary) == "Dienten"
    assert locality_short_name("Stein an der Traun", "DE", everyday, dictionary) == ""
    assert locality_short_name("Holz am See", "CH", everyday, dictionary) == ""
    assert locality_short_name("Dienten am Hochkönig", "FR", everyday, dictionary) == ""  # German-speaking only


def test_capes_peninsulas_and_ranges_by_their_german_and_english_names(gazetteer):
    """curated/landscapes.csv: the capes, peninsulas, ranges and historical regions news names."""
    for name, english in (("Kap der Guten Hoffnung", "Cape of Good Hope"), ("Nordkap", "North Cape"),
                          ("Kamtschatka", "Kamchatka Peninsula"), ("Vogesen", "Vosges"),
                          ("Siebenbürgen", "Transylvania"), ("Green Mountains", "Green Mountains")):
        best = gazetteer.candidates(name, limit=1)[0]
        assert best.name == english, (name, best)


def test_a_german_double_town_name_gives_both_parts():
    from tools.build_data import german_double_name_parts

    frequent = frozenset({"stadt"})
    assert german_double_name_parts("Garmisch-Partenkirchen", "DE", frequent) == ["Garmisch", "Partenkirchen"]
    assert german_double_name_parts("Baden-Baden", "DE", frequent) == []
    assert german_double_name_parts("Lauda-Stadt", "DE", frequent) == ["Lauda"]  # a common word is left out
    assert german_double_name_parts("Sankt Moritz", "CH", frequent) == []  # a title and a name
    assert german_double_name_parts("Saint-Denis", "FR", frequent) == []  # German-speaking countries only


def test_south_tyrol_and_north_tyrol_by_their_names(gazetteer):
    """curated/aliases.csv, regions.csv: the province's German, English and Italian names, North
    Tyrol as the state, and the region of the two autonomous provinces."""
    for name in ("Südtirol", "South Tyrol", "Alto Adige"):
        assert "admin1:IT:bozen" in {c.id for c in gazetteer.candidates(name, limit=5)}, name
    assert "admin1:AT:tirol" in {c.id for c in gazetteer.candidates("Nordtirol", limit=5)}
    assert "region:trentino-south-tyrol" in {c.id for c in gazetteer.candidates("Trentino-Südtirol", limit=5)}


def test_german_only_names_of_towns_are_not_read_in_english(gazetteer):
    """A village only the German stop list names (Hüsten, a part of Arnsberg) is a German name:
    English text does not read it; German text does."""
    def ids(key, lang):
        return {gazetteer.value("id", row) for row, _ in gazetteer.ranked_rows(key, text_lang=lang)}

    assert any(i.startswith("stop:") for i in ids("husten", "de"))
    assert not any(i.startswith("stop:") for i in ids("husten", "en"))


def test_regions_of_one_province_by_their_names(gazetteer):
    """curated/aliases.csv: an autonomous community or region of a single province is that unit."""
    for name, unit in (("Balearen", "admin1:ES:baleares"), ("Asturien", "admin1:ES:asturias"),
                       ("Aostatal", "admin1:IT:aoste"), ("Region Murcia", "admin1:ES:murcia"),
                       ("Brussels-Capital Region", "admin1:BE:brussels")):
        assert unit in {c.id for c in gazetteer.candidates(name, limit=5)}, name
    assert "region:marche" not in {c.id for c in gazetteer.candidates("Marken", limit=5)}
