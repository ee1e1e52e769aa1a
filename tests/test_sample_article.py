"""The sample article (NZZ, 19 Dec 2022), every detail, through the real pipeline.

The expected mentions below are a hand annotation of the article (passage index, surface
text, the place meant); the code has no knowledge of this text.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pyproj import Geod

from geo.gazetteer import haversine_km
from geo.pipeline import geoparse_file
from tests.conftest import ROOT, SAMPLE

# place label → (kind, check) where check is a place id or (lat, lon, tolerance km)
PLACES = {
    "Russland": ("country", "country:RU"),
    "Weissrussland": ("country", "country:BY"),
    "Ukraine": ("country", "country:UA"),
    "Minsk": ("city", (53.90, 27.57, 15)),
    "Moskau": ("city", (55.76, 37.62, 15)),
    "St. Petersburg": ("city", (59.94, 30.31, 15)),
    "Sotschi": ("city", (43.60, 39.73, 15)),
    "Kiew": ("city", (50.45, 30.52, 15)),
    "Warschau": ("city", (52.23, 21.01, 15)),
    "Lwiw": ("city", (49.84, 24.03, 15)),
    "Luzk": ("city", (50.75, 25.34, 15)),
    "Riwne": ("city", (50.62, 26.25, 15)),
    "Donbass": ("region", "region:donbass"),
    "Kreml": ("facility", (55.7520, 37.6175, 2)),
    "Rivne nuclear plant": ("facility", (51.3275, 25.8917, 10)),
    "Minsk airport": ("facility", (53.8825, 28.0307, 10)),
    "BY-UA border": ("border", "border:BY-UA"),
}
# Genuine place references beyond the required ones (composite and historical regions).
ALSO_ALLOWED = {"region:union-state", "historical:soviet-union", "region:western-ukraine"}

# (passage, surface, place label): every place-name mention in the article.
MENTIONS = [
    (0, "Russland", "Russland"), (0, "Kreml", "Kreml"), (0, "Minsk", "Minsk"),
    (1, "Weissrussland", "Weissrussland"), (1, "Moskau", "Moskau"), (1, "Ukraine", "Ukraine"),
    (2, "Minsk", "Minsk"), (3, "Warschau", "Warschau"),
    (4, "Minsk", "Minsk"), (4, "Russlands", "Russland"), (4, "Weissrusslands", "Weissrussland"),
    (6, "Flughafen", "Minsk airport"),
    (7, "Minsk", "Minsk"), (7, "Moskau", "Moskau"), (7, "St. Petersburg", "St. Petersburg"),
    (7, "Sotschi", "Sotschi"), (8, "Minsker Flugplatz", "Minsk airport"),
    (9, "Minsk", "Minsk"), (9, "Kreml", "Kreml"), (12, "Minsk", "Minsk"),
    (13, "Ukraine", "Ukraine"), (13, "Kiew", "Kiew"), (13, "Kreml", "Kreml"), (14, "Minsk", "Minsk"),
    (17, "Moskau", "Moskau"), (18, "Kreml", "Kreml"), (19, "Russlands", "Russland"),
    (21, "Russland", "Russland"), (22, "Ukraine", "Ukraine"), (23, "Minsk", "Minsk"),
    (28, "Ukraine", "Ukraine"), (28, "Moskau", "Moskau"), (28, "Minsk", "Minsk"),
    (30, "Kiew", "Kiew"), (30, "Weissrussland", "Weissrussland"),
    (31, "Ukraine", "Ukraine"), (31, "Grenze", "BY-UA border"),
    (32, "Lwiw", "Lwiw"), (32, "Luzk", "Luzk"), (32, "Riwne", "Riwne"), (32, "AKW", "Rivne nuclear plant"),
    (33, "Donbass", "Donbass"), (34, "Ukraine", "Ukraine"), (34, "Weissrussland", "Weissrussland"),
    (35, "Minsk", "Minsk"), (38, "Russlands", "Russland"), (39, "Minsk", "Minsk"),
]
NOT_PLACES = ["Wladimir", "Alexander", "Paul", "Nato", "Hilfe", "AP", "Norden", "Dass", "Putin", "Pavel"]


@pytest.fixture(scope="module")
def result():
    return geoparse_file(SAMPLE)


def _matches(place, label) -> bool:
    kind, check = PLACES[label]
    if place.kind != kind:
        return False
    if isinstance(check, str):
        return place.id == check
    lat, lon, km = check
    return haversine_km(lat, lon, place.candidate.lat, place.candidate.lon) <= km


def _place_of(result, label):
    found = [p for p in result.places if _matches(p, label)]
    return found[0] if found else None


def test_language_and_passages(result):
    article = result.article
    assert article.lang == "de"
    assert article.passages[0].role == "title"
    assert any(p.role == "dateline" for p in article.passages)
    assert any(p.role == "caption" for p in article.passages)


@pytest.mark.parametrize("label", sorted(PLACES))
def test_every_place_is_found_and_resolved(result, label):
    assert _place_of(result, label) is not None, f"{label} missing: {[p.id for p in result.places]}"


def test_geometry_types(result):
    from geo.layers import build_layers

    layers = build_layers(result)
    kinds = {row.id: row.geometry.geom_type for frame in layers.values() for row in frame.itertuples()}
    for label in ("Russland", "Weissrussland", "Ukraine", "Donbass"):
        assert kinds[_place_of(result, label).id] in ("Polygon", "MultiPolygon")
    assert kinds["border:BY-UA"] in ("LineString", "MultiLineString")
    assert kinds[_place_of(result, "Minsk").id] == "Point"


def test_border_length(result):
    border = _place_of(result, "BY-UA border")
    assert border.candidate.length_km == pytest.approx(1084, rel=0.02)


def test_at_least_95_percent_of_mentions_linked(result):
    text = result.article.text
    linked = 0
    for passage, surface, label in MENTIONS:
        p = result.article.passages[passage]
        assert surface in text[p.start:p.end], (passage, surface)  # the annotation itself is right
        place = _place_of(result, label)
        if place and any(m.passage == passage and m.text == surface for m in place.mentions):
            linked += 1
    assert linked / len(MENTIONS) >= 0.95, f"{linked}/{len(MENTIONS)} linked"


def test_no_false_places(result):
    allowed = {_place_of(result, label).id for label in PLACES if _place_of(result, label)} | ALSO_ALLOWED
    assert {p.id for p in result.places} <= allowed
    texts = {m.text for p in result.places for m in p.mentions}
    assert not texts & set(NOT_PLACES)


def test_mentions_point_at_their_text(result):
    text = result.article.text
    for place in result.places:
        for m in place.mentions:
            assert text[m.start:m.end] == m.text
            passage = result.article.passages[m.passage]
            assert passage.start <= m.start < m.end <= passage.end


def test_donbass_area(result):
    from geo.gazetteer import Gazetteer

    geometry = Gazetteer.default().geometry("region:donbass")
    area = abs(Geod(ellps="WGS84").geometry_area_perimeter(geometry)[0]) / 1e6
    assert area == pytest.approx(52_900, rel=0.02)


def test_cli_extract_contract():
    run = subprocess.run([sys.executable, "-m", "geo", "extract", str(SAMPLE)], capture_output=True,
                         text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    collection = json.loads(run.stdout)
    assert collection["type"] == "FeatureCollection"
    assert collection["passages"][0] == {"index": 0, "start": 0, "end": collection["passages"][0]["end"],
                                         "role": "title", "paragraph": 0}
    required = {"id", "name", "display_name", "kind", "lat", "lon", "confidence", "source", "mentions"}
    for feature in collection["features"]:
        props = feature["properties"]
        assert required <= set(props)
        assert 0 <= props["confidence"] <= 1
        assert {"start", "end", "text", "passage"} <= set(props["mentions"][0])
        expected = {"city": "Point", "facility": "Point", "border": "LineString"}.get(props["kind"])
        if expected:
            assert feature["geometry"]["type"].endswith(expected)
        else:
            assert feature["geometry"]["type"].endswith("Polygon")
    borders = [f for f in collection["features"] if f["properties"]["kind"] == "border"]
    assert borders and borders[0]["properties"]["length_km"] == pytest.approx(1084, rel=0.02)


def test_cli_records_corpus_and_unreadable_input(tmp_path):
    english = tmp_path / "a.txt"
    english.write_text("Protesters marched from Kyiv to Lviv on Sunday.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.7 \x00\x01")
    run = subprocess.run([sys.executable, "-m", "geo", "extract", str(SAMPLE), str(english), str(empty), str(binary),
                          "--format", "records", "--jobs", "1"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2  # two inputs could not be geoparsed …
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and "scan.pdf" in errors[1] and "empty" in errors[0]  # … one line each
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["path"] for r in records if r["record"] != "geometry"] == [str(SAMPLE), str(english), str(empty), str(binary)]
    assert [r["record"] for r in records[:4]] == ["article", "article", "error", "error"]
    assert {p["name"] for p in records[1]["places"]} == {"Kyiv", "Lviv"}
    referenced = {p["geometry"] for r in records[:2] for p in r["places"]}
    assert referenced == {r["id"] for r in records if r["record"] == "geometry"}  # each outline once

def test_cli_jsonl_is_one_feature_collection_a_line(tmp_path):
    """`--format jsonl` keeps the contract the shared reference scorers read: one FeatureCollection
    with its path a line; an unreadable input is one error line and no collection."""
    english = tmp_path / "a.txt"
    english.write_text("Protesters marched from Kyiv to Lviv on Sunday.", encoding="utf-8")
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.7 \x00\x01")
    run = subprocess.run([sys.executable, "-m", "geo", "extract", str(english), str(binary), "--format", "jsonl"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1 and "scan.pdf" in run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert [c["path"] for c in lines] == [str(english)]
    assert {f["properties"]["name"] for f in lines[0]["features"]} == {"Kyiv", "Lviv"}
