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
])
def test_airports_by_the_names_articles_use(gazetteer, name, icao):
    assert gazetteer.candidates(name, limit=1)[0].id == f"airport:{icao}"


def test_demonyms_mean_the_sovereign_country(gazetteer):
    for adjective, country in (("French", "FR"), ("American", "US"), ("Chinese", "CN")):
        assert [c.id for c in gazetteer.candidates(adjective)] == [f"country:{country}"]


def test_belarus_ukraine_border_length(gazetteer):
    border = gazetteer.border_between("UA", "BY")
    assert border is not None and border.kind == "border"
    assert border.length_km == pytest.approx(1084, rel=0.02)


def test_no_border_between_countries_that_do_not_touch(gazetteer):
    assert gazetteer.border_between("DE", "RU") is None


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
    assert total < 40_000_000
