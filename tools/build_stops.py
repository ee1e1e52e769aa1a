"""Villages and town parts named by public-transport stops (npm `db-hafas-stations`).

GeoNames and its postal codes lack many villages and town parts that local news names (Hüsten
and Herdringen in Arnsberg, Calmbach in Bad Wildbad, Birgsau in Oberstdorf). Deutsche Bahn's
stop list names them: a stop is «Place Detail, Town» («Hüsten Marktstraße, Arnsberg», «Birgsau,
Oberstdorf»), or a station «Town-Place». The package's `data.ndjson` (id, name, weight) and
`full.ndjson` (with the point) are read as data, never run.

    rows(cities, admin1)   # called once by tools/build_data.py after the postal localities

What becomes a row:
- a stop's name loses what only transit uses: «Bahnhof», «Hbf», «Bf», «Busbahnhof», «Schule»,
  «Kirche», «Mitte», «Ort», platform letters («A/1», «Bus(B/2)»), bracketed qualifiers;
- its place is the stop segment's first word, when it is one name (capitalised letters, an
  inner hyphen allowed) that no German word list knows (Debian `wngerman`: nouns, first names)
  nor wordfreq counts as common (Zipf ≥ 3.5), that no street, building or stop noun ends
  («Goethestraße», «Versöhnerkirche», «Tierheim» is a word), and that is no adjective before a
  street («Hüstener Straße»); a place word seen at one stop only counts when it is the whole
  stop name («Birgsau, Oberstdorf»), else it needs two stops;
- «Place, Town» and «Town-Place» with a known town of that name within PART_KM: a town part
  (PPLX, also named «Town-Place»); otherwise a village (PPL);
- the same name within MERGE_KM is one place (its stops' mean point), and a name within reach of
  a gazetteer town of that name (build_localities' rule: 5 km or 0.05 km × √population) is that
  town: no row;
- countries by the admin-1 outline holding the point: DE, AT, CH, LI, and South Tyrol.
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from pathlib import Path

import numpy as np

from geo.gazetteer import haversine_km
from geo.normalize import normalize
from tools.build_localities import CITY_KM_PER_ROOT, MERGE_KM, PART_KM, WORD_ZIPF
from tools.fetch import NPM_PACKAGES, deb_package, npm_package

__all__ = ["COUNTRIES", "clean_stop", "place_of", "stop_places", "rows", "german_words"]

COUNTRIES = ("DE", "AT", "CH", "LI")
PARTIAL = {"IT": ("admin1:IT:bozen",)}  # South Tyrol
# Words only transit uses: dropped wherever they stand in a stop's name.
TRANSIT_WORDS = frozenset(
    "bahnhof hbf bf busbahnhof zob schule kirche mitte ort bus bushof busbf haltestelle gleis steig "
    "bstg abzw abzw. abzweig wendeplatz wendeschleife schleife".split())
_PLATFORM = re.compile(r"^(?:[A-Z]\d?|\d+|[A-Z]?/\d+|[A-Z]/[A-Z0-9]+|\(?[A-Z]/\d+\)?)$")  # A, B2, A/1, 3
_BRACKET = re.compile(r"\s*\([^)]*\)")
_TOWN_TAIL = re.compile(r"\s+(?:a\.\s?M\.|v\.\s?d\.\s?H(?:öhe)?\.?|i\.\s?\w+\.?|a\.\s?d\.\s?\w+\.?|a\.\s?\w+\.?)$")
_NAME = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)*$")
# Endings of streets, buildings and stop features: such a word names no village.
_NOT_A_PLACE = re.compile(
    r"(?:straße|strasse|str|weg|platz|allee|gasse|ring|damm|ufer|chaussee|markt|park|kirche|schule|"
    r"bahnhof|halle|friedhof|zentrum|center|klinik|krankenhaus|hospital|stadion|heim|haus|gymnasium|"
    r"kaserne|werk|werke|anlage|garten|kreuz|siedlung|brücke|tor|bad|schleife|kreisel|"
    r"wache|amt|hallenbad|freibad|post|apotheke|kapelle|denkmal|museum|rathaus|hof)$", re.I)
STREET_NOUNS = frozenset("straße strasse str. str weg platz allee gasse ring damm ufer chaussee".split())
MIN_LETTERS = 4


def clean_stop(name: str) -> tuple[str, str]:
    """(stop segment, town) of a stop's name, without what only transit uses.

    >>> clean_stop("Neheim-Hüsten Bahnhof B/2, Arnsberg")
    ('Neheim-Hüsten', 'Arnsberg')
    >>> clean_stop("Wehr Ort, Wehr (Baden)")
    ('Wehr', 'Wehr')
    """
    parts = [p.strip() for p in name.split(", ")]
    segment, town = (parts[0], parts[-1]) if len(parts) > 1 else (parts[0], "")
    town = _TOWN_TAIL.sub("", _BRACKET.sub("", town)).strip()
    words = [w for w in _BRACKET.sub(" ", segment).split()
             if w.lower().strip(".") not in TRANSIT_WORDS and w.lower() not in TRANSIT_WORDS
             and not _PLATFORM.match(w)]
    return " ".join(words), town


def place_of(segment: str, words: set[str], common: set[str]) -> tuple[str, bool] | None:
    """(place word, whether it is the whole segment) of a cleaned stop segment, or None.

    `words`: the German word list (as written: «Tierheim», «Karl»); `common`: frequent words in
    lower case (umlauts kept).

    >>> place_of("Hüsten Marktstraße", set(), set())
    ('Hüsten', False)
    >>> place_of("Hüstener Straße", set(), set())
    """
    tokens = segment.split()
    if not tokens:
        return None
    first = tokens[0]
    if len(tokens) > 1 and tokens[1].lower() in STREET_NOUNS:
        return None  # «Hüstener Straße», «Alte Weg»: a street
    if not _NAME.match(first) or len(first.replace("-", "")) < MIN_LETTERS:
        return None
    if first in words or first.lower() in common or _NOT_A_PLACE.search(first):
        return None
    if any(part in words or part.lower() in common for part in first.split("-")) and "-" in first:
        return None  # «Kloster-Neuburg»-like compounds of a word: the word decides
    return first, len(tokens) == 1


def stop_places(stops: list[dict], towns: dict[str, list[tuple[float, float]]], words: frozenset[str],
                common: set[str]) -> list[dict]:
    """Villages and town parts of stops {id, name, lat, lon}: {name, names, feature, lat, lon, ids}.

    `towns`: normalised name → points of the known towns a part may belong to.
    """
    def near(key: str, lat: float, lon: float) -> bool:
        return any(haversine_km(lat, lon, y, x) <= PART_KM for y, x in towns.get(key, ()))

    seen: dict[tuple, list[dict]] = defaultdict(list)  # (normalised place, town) → stops
    for stop in stops:
        segment, town = clean_stop(stop["name"])
        if not town and "-" in segment and " " not in segment:
            head, _, tail = segment.partition("-")  # a station «Arnsberg-Hüsten»
            if near(normalize(head), stop["lat"], stop["lon"]):
                segment, town = tail, head
        found = place_of(segment, words, common)
        if found is None:
            continue
        place, whole = found
        if normalize(place) == normalize(town):
            continue  # «Wehr Ort, Wehr»: the town itself
        seen[(place, town)].append({**stop, "whole": whole})
    clusters: dict[str, list[dict]] = defaultdict(list)
    for (place, town), group in seen.items():
        if len(group) < 2 and not group[0]["whole"]:
            continue  # one stop «Xyz Detail»: too little to tell a place from a detail
        lat = float(np.mean([s["lat"] for s in group]))
        lon = float(np.mean([s["lon"] for s in group]))
        part = bool(town) and near(normalize(town), lat, lon)
        names = [f"{town}-{place}"] if part else []
        for cluster in clusters[normalize(place)]:
            if haversine_km(lat, lon, cluster["lat"], cluster["lon"]) <= MERGE_KM:
                break
        else:
            cluster = {"name": place, "names": [], "feature": "PPLX" if part else "PPL",
                       "lat": lat, "lon": lon, "ids": [], "points": []}
            clusters[normalize(place)].append(cluster)
        cluster["ids"] += [s["id"] for s in group]
        cluster["points"] += [(s["lat"], s["lon"]) for s in group]
        cluster["lat"], cluster["lon"] = np.mean(cluster["points"], axis=0).tolist()
        cluster["names"] += [n for n in names if n not in cluster["names"]]
        if not part:
            cluster["feature"] = "PPL"
    return [c for group in clusters.values() for c in group]


def read_stops() -> list[dict]:
    """Every stop with a point: {id, name, lat, lon}."""
    stops = []
    with open(npm_package("db_stops") / "full.ndjson", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            location = record.get("location") or {}
            if location.get("latitude") is None:
                continue
            stops.append({"id": record["id"], "name": record["name"],
                          "lat": float(location["latitude"]), "lon": float(location["longitude"])})
    return stops


@functools.lru_cache(maxsize=1)
def german_words() -> frozenset[str]:
    """Debian wngerman's words as written (nouns capitalised, first names included); read once
    per build (the stops, the towns' and localities' short names and the Gemeinden ask for it)."""
    path = deb_package("wngerman") / "usr/share/dict/ngerman"
    return frozenset(w for w in path.read_text(encoding="utf-8").split("\n") if w)


def common_german_words() -> set[str]:
    """German words at least as frequent as WORD_ZIPF (wordfreq, a data-build requirement)."""
    import wordfreq

    floor = 10.0 ** (WORD_ZIPF - 9.0)
    return {w for w, f in wordfreq.get_frequency_dict("de").items() if f >= floor}


def rows(cities: list[dict], admin1) -> list[dict]:
    """Gazetteer entries (the build's city-row format) for the stops' villages it lacks."""
    common = common_german_words()
    known: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    wanted = set(COUNTRIES) | set(PARTIAL)
    for city in cities:
        if city["country"] not in wanted:
            continue
        reach = max(MERGE_KM, CITY_KM_PER_ROOT * float(city.get("population") or 0) ** 0.5)
        for name in {normalize(n) for n, _kind, _lang in city["names"]}:
            known[name].append((city["lat"], city["lon"], reach))
    towns = {key: [(lat, lon) for lat, lon, _ in points] for key, points in known.items()}
    found = stop_places(read_stops(), towns, german_words(), common)
    fresh = []
    for place in found:
        keys = {normalize(n) for n in [place["name"], *place["names"]]}
        if not any(haversine_km(place["lat"], place["lon"], lat, lon) <= reach
                   for key in keys for lat, lon, reach in known.get(key, ())):
            fresh.append(place)
    for place in fresh:
        place["country"] = ""
    region = _admin1_of_any(fresh, admin1)
    version = NPM_PACKAGES["db_stops"].rsplit("@", 1)[1]
    out = []
    for place, (country, admin) in zip(fresh, region):
        if country not in COUNTRIES and admin not in PARTIAL.get(country, ()):
            continue
        out.append({
            "id": f"stop:{place['ids'][0]}", "kind": "city", "feature": place["feature"],
            "name": place["name"], "name_de": place["name"], "country": country, "admin1": admin,
            "admin2": "", "population": 0, "lat": round(place["lat"], 5), "lon": round(place["lon"], 5),
            "source": f"DB stops {' '.join(place['ids'][:3])} (db-hafas-stations {version})",
            # German names (lang de): English text reads none of them (geo.gazetteer.ranked_rows)
            "names": [(place["name"], "name", "de")] + [(n, "alt", "de") for n in place["names"]],
        })
    return out


def _admin1_of_any(places: list[dict], admin1) -> list[tuple[str, str]]:
    """(country, admin-1 id) of the outline holding each point, ("", "") outside all."""
    import geopandas as gpd

    if not places:
        return []
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy([p["lon"] for p in places],
                                                           [p["lat"] for p in places]), crs="EPSG:4326")
    joined = gpd.sjoin(points, admin1[["id", "country", "geometry"]], how="left", predicate="intersects")
    joined = joined[~joined.index.duplicated()]
    out = [("", "")] * len(places)
    for index, row in joined.iterrows():
        if isinstance(row["id"], str):
            out[index] = (row["country"], row["id"])
    return out


if __name__ == "__main__":  # a quick look: how many, and a sample
    import geopandas as gpd

    ROOT = Path(__file__).resolve().parents[1]
    admin1 = gpd.read_parquet(ROOT / "data" / "regions.parquet")
    admin1 = admin1[admin1["id"].str.startswith("admin1:")]
    import pandas as pd

    places = pd.read_parquet(ROOT / "data" / "places.parquet")
    cities = [{"country": r.country, "lat": r.lat, "lon": r.lon, "population": r.population,
               "names": [(r.name, "name", "")]} for r in places[places["kind"] == "city"].itertuples()]
    out = rows(cities, admin1)
    from collections import Counter

    print(len(out), Counter(r["country"] for r in out), Counter(r["feature"] for r in out))
    for r in out[::max(1, len(out) // 60)]:
        print(r["id"], r["name"], r["feature"], r["country"], r["names"][1:])
