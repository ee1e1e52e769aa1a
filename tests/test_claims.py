"""Geographic figures: reading them (German and English), attaching, measuring and judging.

Sentences are written for these tests; measurements come from the real gazetteer and pyproj.
"""

from __future__ import annotations

import json

import pytest
import shapely
from pyproj import Geod

from geo.claims import (ACCURATE_PCT, HEDGES, OFF_MARGIN_PCT, VERDICT_BANDS, claim_rows, direction_verdict,
                        distance_between, distance_rings, distance_table, find_claims, parse_number,
                        read_statements, verdict)
from geo.pipeline import geoparse

GEOD = Geod(ellps="WGS84")


def one(text: str):
    found = [s for s in read_statements(text) if s.kind != "direction"]
    assert len(found) == 1, found
    return found[0]


def claims(text: str, lang: str):
    return [c.as_dict() for c in find_claims(geoparse(text, lang=lang))]


def only_claim(text: str, lang: str) -> dict:
    found = claims(text, lang)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("written, value", [
    ("1000", 1000), ("1'000", 1000), ("1’000", 1000), ("1.000", 1000), ("1,000", 1000), ("2,5", 2.5),
    ("1.5", 1.5), ("1,084.5", 1084.5), ("1.084,5", 1084.5), ("10.000.000", 10_000_000), ("0,500", 0.5),
    ("603,628", 603_628), ("62\u202f000", 62_000),
])
def test_number_formats(written, value):
    assert parse_number(written) == pytest.approx(value)


def test_not_a_number_is_refused():
    with pytest.raises(ValueError):
        parse_number("1,00,0")


@pytest.mark.parametrize("text, km", [
    ("Die Strecke ist rund 1000 Kilometer lang.", 1000),
    ("Die Strecke ist rund 1'000 Kilometer lang.", 1000),
    ("Die Strecke ist rund 1.000 Kilometer lang.", 1000),
    ("The road is about 1,000 km long.", 1000),
    ("Der 2,5 Kilometer lange Tunnel ist neu.", 2.5),
    ("The area is 1.5 million square kilometres.", 1.5e6),
    ("Die Fläche beträgt 1,5 Millionen Quadratkilometer.", 1.5e6),
    ("Die Strecke ist über tausend Kilometer lang.", 1000),
    ("The road is a thousand kilometres long.", 1000),
    ("The road is two hundred miles long.", 200 * 1.609344),
    ("The road is one hundred and fifty km long.", 150),
    ("The road is twenty-five km long.", 25),
    ("Die Strasse ist zweihundertfünfzig Kilometer lang.", 250),
    ("Die Strasse ist dreitausend Kilometer lang.", 3000),
    ("Die Fläche misst zwei Millionen Hektar.", 20_000),
    ("The park covers 300 hectares.", 3),
    ("Die Brücke ist 800 Meter lang.", 0.8),
    ("The bridge is 800 m long.", 0.8),
    ("The lake covers 120 sq mi.", 120 * 2.589988),
    ("Der See hat 58 km² Fläche.", 58),
    ("Der See misst 58 qkm.", 58),
])
def test_quantities_in_both_languages(text, km):
    assert one(text).value == pytest.approx(km, rel=1e-6)


def test_money_and_bare_m_are_no_figures():
    assert read_statements("The firm raised $1.5m in Minsk and 3 m people watched.") == []
    assert read_statements("Fast 1500 Menschen sitzen im Lager, 62'000 Soldaten.") == []


# --------------------------------------------------------------------------- hedges


@pytest.mark.parametrize("text, hedge, band", [
    ("rund 1000 Kilometer lange Grenze", "rund", "approx"),
    ("etwa 1000 Kilometer lange Grenze", "etwa", "approx"),
    ("fast 1000 Kilometer lange Grenze", "fast", "under"),
    ("knapp 1000 Kilometer lange Grenze", "knapp", "under"),
    ("über 1000 Kilometer lange Grenze", "über", "over"),
    ("mehr als 1000 Kilometer lange Grenze", "mehr als", "over"),
    ("gut 1000 Kilometer lange Grenze", "gut", "over"),
    ("a border about 1,000 km long", "about", "approx"),
    ("a border nearly 1,000 km long", "nearly", "under"),
    ("a border more than 1,000 km long", "more than", "over"),
    ("a border some 1,000 km long", "some", "approx"),
    ("a border almost 1,000 km long", "almost", "under"),
    ("a border roughly 1,000 km long", "roughly", "approx"),
    ("a border less than 1,000 km long", "less than", "at_most"),
    ("a border 1,000 km long", "", "none"),
])
def test_hedges(text, hedge, band):
    statement = one(text)
    assert (statement.hedge, statement.hedge_class) == (hedge, band)
    assert statement.text.startswith(hedge or "1")
    assert HEDGES.get(hedge, "none") == band


# --------------------------------------------------------------------------- verdict bands


def test_verdict_bands():
    assert verdict(1000, 1084.5, "approx") == (8.45, "plausible")  # «rund 1000» for BY–UA
    assert verdict(1000, 1020, "none")[1] == "accurate"
    assert verdict(1000, 1150, "none")[1] == "off"
    assert verdict(1000, 417.7, "approx")[1] == "wrong"  # 1,000 km for Poland–Belarus
    assert verdict(1000, 950, "under")[1] == "plausible"  # «knapp 1000» for 950
    assert verdict(1000, 1100, "under")[1] == "off"  # «knapp 1000» is less than 1000
    assert verdict(1000, 1100, "over")[1] == "plausible"  # «über 1000» for 1100
    assert verdict(1000, 900, "over")[1] == "off"
    assert verdict(1000, 3000, "over")[1] == "off"  # true, but far understated: never "wrong"
    assert verdict(30, 34, "none", slack=5)[1] == "plausible"  # a city is a point
    low, high = VERDICT_BANDS["approx"]
    assert verdict(100, 100 + high + OFF_MARGIN_PCT + 1, "approx")[1] == "wrong"
    assert verdict(100, 100 + ACCURATE_PCT, "none")[1] == "accurate"
    with pytest.raises(ValueError):
        verdict(0, 10)


def test_direction_verdicts():
    assert direction_verdict(0, 344) == "plausible"  # "north of" for north-north-west
    assert direction_verdict(0, 80) == "off"
    assert direction_verdict(180, 344) == "wrong"


# --------------------------------------------------------------------------- attaching and measuring


def test_sample_article_border_claim(sample_text):
    """The NZZ article's «rund 1000 Kilometer lange Grenze», through the real pipeline."""
    found = [c.as_dict() for c in find_claims(geoparse(sample_text, filename="sample.txt"))]
    borders = [c for c in found if c["kind"] == "length"]
    assert len(borders) == 1, found
    claim = borders[0]
    assert claim["text"] == "rund 1000 Kilometer lange Grenze"
    assert sample_text[claim["start"]:claim["end"]] == claim["text"]
    assert (claim["quantity"], claim["unit"], claim["hedge"], claim["claimed_km"]) == (1000, "Kilometer", "rund", 1000)
    assert claim["subject"] == ["border:BY-UA"]
    assert 1070 <= claim["measured"] <= 1100  # the real border: about 1,084 km
    assert 7 <= claim["difference_pct"] <= 10 and claim["verdict"] == "plausible"
    assert all(c["verdict"] in ("accurate", "plausible", "unmeasured") for c in found)  # nothing else flagged


@pytest.mark.parametrize("text, lang", [
    ("Polen und Weissrussland teilen eine rund 1000 Kilometer lange Grenze.", "de"),
    ("Poland and Belarus share a 1,000-km border.", "en"),
])
def test_wrong_border_length_is_flagged(text, lang):
    claim = only_claim(text, lang)
    assert claim["subject"] == ["border:BY-PL"]
    assert 400 <= claim["measured"] <= 430 and claim["difference_pct"] < -50
    assert claim["verdict"] == "wrong"


@pytest.mark.parametrize("text, lang", [
    ("Die Grenze zwischen Polen und Weissrussland ist 418 Kilometer lang.", "de"),
    ("The border between Poland and Belarus is 418 km long.", "en"),
])
def test_predicative_border_length(text, lang):
    claim = only_claim(text, lang)
    assert claim["subject"] == ["border:BY-PL"] and claim["verdict"] == "accurate"


def test_a_length_of_something_unmapped_is_not_pinned_on_a_place():
    claim = only_claim("Der 2,5 Kilometer lange Tunnel führt unter dem Rhein hindurch, sagte man in Basel.", "de")
    assert claim["kind"] == "length" and claim["subject"] == [] and claim["verdict"] == "unmeasured"


def test_river_length_is_measured_but_not_judged():
    claim = only_claim("The Danube is 2,850 km long and flows into the Black Sea.", "en")
    assert claim["subject"] == ["physical:danube"] and claim["measured"] > 1000
    assert claim["verdict"] == "unmeasured" and "generalised" in claim["note"]


@pytest.mark.parametrize("text, lang, anchor, located, verdict_", [
    ("Lutsk lies some 130 km from the Belarusian border.", "en", "border:BY-UA", "geonames:702569", "accurate"),
    ("Luzk liegt knapp 130 Kilometer von der Grenze zu Weissrussland entfernt.", "de", "border:BY-UA",
     "geonames:702569", "accurate"),
    ("Zwischen Lwiw und Kiew liegen gut 470 Kilometer Luftlinie.", "de", "geonames:702550", "geonames:703448",
     "accurate"),
    ("Minsk is 200 miles from Vilnius, the Lithuanian capital.", "en", "geonames:593116", "geonames:625144", "wrong"),
    ("Warsaw is more than a thousand kilometres from Moscow.", "en", "geonames:524901", "geonames:756135",
     "plausible"),
])
def test_distances(text, lang, anchor, located, verdict_):
    claim = only_claim(text, lang)
    assert claim["kind"] == "distance"
    assert claim["subject"] == [anchor, located]
    assert claim["verdict"] == verdict_, claim


@pytest.mark.parametrize("text, lang, verdict_", [
    ("Das Kernkraftwerk Tschernobyl liegt rund 100 Kilometer nördlich von Kiew.", "de", "plausible"),
    ("The Chernobyl nuclear plant lies about 100 km south of Kyiv.", "en", "wrong"),
])
def test_distance_with_a_direction(text, lang, verdict_):
    claim = only_claim(text, lang)
    assert claim["subject"] == ["geonames:703448", "facility:npp-chernobyl"]
    assert 95 <= claim["measured"] <= 115
    assert claim["direction"]["claimed"] in ("north", "south")
    assert 320 <= claim["direction"]["measured_bearing"] <= 360  # Chernobyl is north-north-west of Kyiv
    assert claim["verdict"] == verdict_


@pytest.mark.parametrize("text, lang, verdict_", [
    ("Die Stadt Lwiw liegt westlich von Kiew, sagte der Bürgermeister.", "de", "plausible"),
    ("The city of Lviv lies east of Kyiv.", "en", "wrong"),
])
def test_direction_without_a_figure(text, lang, verdict_):
    claim = only_claim(text, lang)
    assert claim["kind"] == "direction" and claim["subject"] == ["geonames:703448", "geonames:702550"]
    assert claim["verdict"] == verdict_


@pytest.mark.parametrize("text, lang", [
    ("The Donbas covers roughly 53,000 square kilometres.", "en"),
    ("Der Donbass umfasst fast 53.000 Quadratkilometer, sagte man in Kiew.", "de"),
    ("Der Donbass umfasst 5,3 Millionen Hektar.", "de"),
])
def test_areas(text, lang):
    claim = only_claim(text, lang)
    assert claim["kind"] == "area" and claim["subject"] == ["region:donbass"]
    assert 50_000 <= claim["measured"] <= 56_000 and claim["verdict"] == "accurate"
    assert "claimed_km2" in claim and "claimed_km" not in claim


@pytest.mark.parametrize("text, lang, reference, subject, verdict_", [
    ("Der Donbass ist etwa so gross wie die Schweiz.", "de", "country:CH", "region:donbass", "off"),
    ("Belarus is about twice the size of Portugal.", "en", "country:PT", "country:BY", "plausible"),
    ("Belarus is the size of Belgium.", "en", "country:BE", "country:BY", "wrong"),
])
def test_size_comparisons(text, lang, reference, subject, verdict_):
    claim = only_claim(text, lang)
    assert claim["kind"] == "comparison" and claim["subject"] == [reference, subject]
    assert claim["verdict"] == verdict_


def test_claim_without_places_is_listed_unmeasured():
    claim = only_claim("Die Truppen rückten am Montag rund 30 Kilometer vor.", "de")
    assert claim["verdict"] == "unmeasured" and claim["subject"] == [] and claim["note"]


def test_claim_rows_for_the_page():
    rows = claim_rows(find_claims(geoparse("Poland and Belarus share a 1,000-km border.", lang="en")))
    assert rows == [{"Claim": "1,000-km border", "Places": "Belarus–Poland border", "Claimed": "1,000 km",
                     "Measured": "418 km", "Difference": "-58 %", "Verdict": "wrong"}]


# --------------------------------------------------------------------------- geometry


def test_distance_between_nearest_points_is_geodesic():
    meridian = shapely.LineString([(0, -10), (0, 10)])
    km, on_line, at_point = distance_between(meridian, shapely.Point(1, 0))
    assert km == pytest.approx(GEOD.inv(0, 0, 1, 0)[2] / 1000, rel=1e-4)  # 111.32 km along the equator
    assert on_line.y == pytest.approx(0, abs=1e-6)
    square = shapely.box(10, 50, 12, 52)
    assert distance_between(square, shapely.Point(11, 51))[0] == 0  # inside
    km = distance_between(square, shapely.Point(11, 53))[0]
    assert km == pytest.approx(GEOD.inv(11, 52, 11, 53)[2] / 1000, rel=1e-3)


def test_distance_rings_are_at_their_radius():
    centre = shapely.Point(30.52, 50.45)
    rings = distance_rings(centre, [100, 50])
    assert [km for km, _ in rings] == [50, 100]
    for km, ring in rings:
        for lon, lat in ring.coords:
            assert GEOD.inv(centre.x, centre.y, lon, lat)[2] / 1000 == pytest.approx(km, rel=5e-3)
    line_rings = distance_rings(shapely.LineString([(24, 51.5), (32, 51.5)]), [100])
    assert line_rings[0][1].geom_type in ("LinearRing", "LineString", "MultiLineString")


def test_distance_table_of_the_sample(sample_text):
    """How far Lwiw, Luzk, Riwne and the Donbass lie from the Belarus–Ukraine border."""
    rows = distance_table(geoparse(sample_text, filename="sample.txt"))
    from_border = {r["to_id"]: r["km"] for r in rows if r["from_id"] == "border:BY-UA"}
    lviv, lutsk, rivne, donbas = (from_border[i] for i in ("geonames:702550", "geonames:702569", "geonames:695594",
                                                          "region:donbass"))
    assert 100 <= lutsk <= 160 and 100 <= rivne <= 160 and 150 <= lviv <= 220 and 400 <= donbas <= 600
    assert max(lutsk, rivne) < lviv < donbas
    pairs = {(r["from_id"], r["to_id"]): r["km"] for r in rows if r["group"] == "places"}
    minsk_moscow = pairs.get(("geonames:625144", "geonames:524901")) or pairs[("geonames:524901", "geonames:625144")]
    assert minsk_moscow == pytest.approx(GEOD.inv(27.56667, 53.9, 37.61556, 55.75222)[2] / 1000, rel=0.01)
    assert all(r["km"] > 0 for r in rows)
    assert not any(r["from_id"].startswith("country:") or r["to_id"].startswith("country:") for r in rows)


def test_cli_claims(capsys, sample_text, tmp_path):
    from geo.cli import main

    path = tmp_path / "article.txt"
    path.write_text(sample_text, encoding="utf-8")
    assert main(["claims", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    claim = next(c for c in out if c["subject"] == ["border:BY-UA"])
    assert {"text", "start", "end", "quantity", "unit", "claimed_km", "measured", "difference_pct", "verdict",
            "subject"} <= set(claim)
    assert main(["claims", str(path), "--distances"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert any(r["from_id"] == "border:BY-UA" and r["to_id"] == "region:donbass" for r in rows)
    assert main(["claims", str(tmp_path / "missing.txt")]) == 1
    assert "missing.txt" in capsys.readouterr().err


def test_a_figure_far_off_its_place_is_about_something_else():
    claim = only_claim("In Costa Rica he owns three properties that cover a combined five hectares.", "en")
    assert claim["subject"] == ["country:CR"] and claim["verdict"] == "unmeasured"
    assert "something else" in claim["note"]


def test_no_reference_no_distance_and_regions_are_no_directions():
    assert only_claim("More than 200 miles to the northwest, police officers in Minsk stopped a car.",
                      "en")["verdict"] == "unmeasured"
    assert [s for s in read_statements("She spent her third year in the South of France.")] == []
    claim = only_claim("He taught English in Perpignan, south of France.", "en")
    assert claim["verdict"] == "unmeasured"  # Perpignan lies in France: not south of it


def test_speeds_are_no_figures():
    assert read_statements("Böen von bis zu 60 km/h, der Wagen fuhr 194 kilometres an hour.") == []


def test_sheet_section_lists_the_claim():
    """The briefing sheet's Figures section: one row per claim, none without claims."""
    from geo import geoparse
    from geo.claims import figures_sections

    text = "Die rund 1000 Kilometer lange Grenze zwischen Belarus und der Ukraine ist gesperrt."
    sections = figures_sections(geoparse(text, lang="de"))
    assert len(sections) == 1
    heading, html = sections[0]
    assert "measured" in heading and "1,000 km" in html and "plausible" in html
    assert figures_sections(geoparse("Putin traf Lukaschenko in Minsk.", lang="de")) == []
