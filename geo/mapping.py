"""The folium map of a geoparse, offline first.

    data = map_data(result)                      # JSON-ready layers; cache this, not the Map
    m = build_map(data)                          # folium.Map for st_folium (assets from /app/static)
    highlight = selection_layer(data, place_id)  # st_folium(feature_group_to_add=…): moves, never reloads
    html = standalone_html(data, title=…)        # one file, every asset inlined, renders offline

Offline by default: Leaflet and the basemap come from static/ (served by Streamlit at
/app/static/, see .streamlit/config.toml) and nothing is fetched from a CDN. The basemap is a
static file the browser fetches once and caches; it is not part of the per-rerun payload.
OpenStreetMap tiles are an option (`online=True`).

Browser-side hooks (read by tests and the bench): window.atlasMap, atlasReady,
atlasBasemapReady, atlasSelected, atlasFlights, atlasTimes; every place's element carries
data-place-id and data-kind. window.atlasView() describes what the map shows now (its bounds,
zoom and the place layers switched on): the page's export buttons read it when clicked, so a
briefing shows the user's view without the page rerunning on every pan (see `MapView`).

Every string that reaches the browser as HTML was escaped by geo.textview; JavaScript here
only moves ids, numbers and that pre-escaped HTML around.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import html
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import folium
import shapely
from branca.element import Element, MacroElement
from folium.template import Template
from folium.utilities import JsCode

from geo.config import STATIC_DIR
from geo.gazetteer import Gazetteer
from geo.kinds import DEFAULT_GLYPH, KIND_COLOURS, KIND_LABELS, KIND_LAYER, LAYER_TITLES, LAYERS, feature_glyph, kind_of
from geo.layers import place_geometry
from geo.models import Geoparse, Place
from geo.records import map_label
from geo.textview import country_names, popups, tooltip_html

__all__ = [
    "STATIC_URL",
    "ATTRIBUTION",
    "Assets",
    "MapData",
    "MapView",
    "map_view",
    "in_view",
    "map_data",
    "map_version",
    "view_bounds",
    "image_extent",
    "build_map",
    "selection_layer",
    "measurement_layer",
    "standalone_html",
    "RawHTML",
]

# Where Streamlit serves ./static (server.enableStaticServing).
STATIC_URL = "/app/static"
ATTRIBUTION = (
    "Places: GeoNames (CC BY 4.0), airportsdata (MIT), curated tables · "
    "Outlines and borders © OpenStreetMap contributors (ODbL), Natural Earth, © GeoBasis-DE / BKG 2017"
)
_OSM_ATTRIBUTION = "Tiles © OpenStreetMap contributors"
# jQuery (vendored beside Leaflet) is not loaded: the map binds its popups itself and uses no
# folium element that calls `$`. Add ("jquery", "vendor/jquery/jquery.min.js") if one ever does.
_JS = (
    ("leaflet", "vendor/leaflet/leaflet.js"),
    ("leaflet_setup", "vendor/leaflet-setup.js"),
    ("atlas_labels", "atlas/labels.js"),
)
_CSS = (
    ("leaflet_css", "vendor/leaflet/leaflet.css"),
    ("atlas_css", "atlas/map.css"),
)
_BASEMAP_COUNTRIES = "basemap/countries.geojson"
_BASEMAP_CITIES = "basemap/cities.geojson"
_BASEMAP_LITE = "atlas/basemap-lite.geojson"  # tools/vendor_assets.py
_DETAIL_ZOOM = 6
# A briefing view wider than this (degrees of longitude) is drawn below the detail zoom at 1280 CSS px.
_WIDE_VIEW_DEGREES = 20.0
# A feature no larger than this (degrees, both ways) takes part in the initial view.
_VIEW_MAX_EXTENT = 20.0
_POINT_ZOOM = 6
_DETAIL_MIN_PLACES = 2  # a locator map fits the places inside the countries when there are this many
_FIT_PADDING = 24  # px around the places in the initial view
_BRIEFING_ZOOM_SNAP = 0.25  # an image fits its places closely; the page keeps whole zoom levels
_BRIEFING_FIT_PADDING = 56  # a briefing image leaves room for the outermost labels
_FOCUS_MAX_ZOOM = 7
_MAX_ZOOM = 12  # offline: the basemap has no more detail than this
_MAX_ZOOM_ONLINE = 18
_WORLD_DEGREES = 360.0
# An image's inlined basemap (see image_extent): whatever a 3:1 image fitted to the places can
# show lies within this many times the places' larger side across, that side up and down, plus
# the margin; past _IMAGE_WORLD_DEGREES the whole world is kept.
_IMAGE_REACH = 1.6
_IMAGE_MARGIN_DEGREES = 8.0
_IMAGE_WORLD_DEGREES = 90.0
# A briefing of places this close together (the larger side, in degrees) is a close-up: it may
# zoom in to _CLOSE_UP_MAX_ZOOM, draws the countries' finer outlines (the gazetteer's, 0.01°,
# where the basemap file's 0.03° would visibly miss the regions) and an inset locator map.
_CLOSE_UP_DEGREES = 3.0
_CLOSE_UP_MAX_ZOOM = 9
_INSET_CONTEXT = 4.0  # the inset shows the main view padded by this many times its size each way
_OUTLINE_DECIMALS = 4


@dataclass(frozen=True)
class Assets:
    """Where the browser finds the map's JavaScript, CSS and basemap (a URL prefix for static/)."""

    base: str = STATIC_URL

    def url(self, path: str) -> str:
        return f"{self.base.rstrip('/')}/{path}"

    @property
    def js(self) -> list[tuple[str, str]]:
        return [(name, self.url(path)) for name, path in _JS]

    @property
    def css(self) -> list[tuple[str, str]]:
        return [(name, self.url(path)) for name, path in _CSS]


@dataclass(frozen=True)
class MapView:
    """What the page's map showed when an export was asked for: its bounds and the place layers
    switched on in its layer control. A briefing of it shows this, not the places fitted.

    `bounds`: ((south, west), (north, east)), latitudes within ±90, at most 360° of longitude.
    `layers`: names from geo.kinds.LAYERS.
    """

    bounds: tuple[tuple[float, float], tuple[float, float]]
    layers: tuple[str, ...]

    def __post_init__(self) -> None:
        (south, west), (north, east) = self.bounds
        if not all(math.isfinite(v) for v in (south, west, north, east)):
            raise ValueError(f"map view {self.bounds}: every coordinate must be a finite number")
        if not -90 <= south < north <= 90:
            raise ValueError(f"map view {self.bounds}: needs -90 <= south < north <= 90")
        if not 0 < east - west <= _WORLD_DEGREES:
            raise ValueError(f"map view {self.bounds}: needs west < east, at most 360° apart")
        unknown = set(self.layers) - set(LAYERS)
        if unknown:
            raise ValueError(f"map view: unknown layers {sorted(unknown)}; known: {', '.join(LAYERS)}")

    def as_dict(self) -> dict:
        (south, west), (north, east) = self.bounds
        return {"bounds": [[south, west], [north, east]], "layers": list(self.layers)}


def map_view(value: object) -> MapView | None:
    """The browser's description of its map (window.atlasView(): {"bounds": [[s, w], [n, e]],
    "layers": [...]}) as a MapView: latitudes clamped to ±90, a view panned round the world moved
    back to it; None when it is missing or malformed (an export then fits the places)."""
    if not isinstance(value, dict):
        return None
    try:
        (south, west), (north, east) = ((float(a), float(b)) for a, b in value["bounds"])
        layers = tuple(str(name) for name in value["layers"])
        south, north = max(-90.0, south), min(90.0, north)
        if east - west >= _WORLD_DEGREES:
            west, east = -180.0, 180.0
        else:
            shift = _WORLD_DEGREES * math.floor(((west + east) / 2 + 180.0) / _WORLD_DEGREES)
            west, east = west - shift, east - shift
        return MapView(bounds=((south, west), (north, east)), layers=tuple(dict.fromkeys(layers)))
    except (KeyError, TypeError, ValueError):
        return None


@dataclass(frozen=True)
class MapData:
    """Everything the map draws, JSON-ready: cache it across reruns, build the Map per run.

    `layers`: layer name → GeoJSON FeatureCollection (display geometry, pre-escaped HTML).
    `focus`: place id → {"anchor": [lat, lon], "bounds": [[s, w], [n, e]] or None, "geometry": …}.
    `bounds`: the initial view [[s, w], [n, e]], or None for an empty map.
    `view`: a view the user chose (see in_view); a briefing then shows it, not the fitted places.
    """

    layers: dict[str, dict]
    focus: dict[str, dict]
    bounds: list[list[float]] | None
    counts: dict[str, int] = field(default_factory=dict)
    # A locator map's view: the places inside the countries (a regional story shows its region,
    # not the whole country around it); None: the same as `bounds`.
    detail_bounds: list[list[float]] | None = None
    view: MapView | None = None

    @property
    def place_ids(self) -> list[str]:
        return [f["id"] for layer in self.layers.values() for f in layer["features"]]


def in_view(data: MapData, view: MapView | None) -> MapData:
    """The map as the user left it: only the layers switched on (and their kinds in the legend),
    shown at the view's bounds. `view=None`: the map as it is (fitted to the places)."""
    if view is None:
        return data
    layers = {name: layer for name, layer in data.layers.items() if name in view.layers}
    counts = {kind: n for kind, n in data.counts.items() if KIND_LAYER.get(kind) in view.layers}
    return dataclasses.replace(data, layers=layers, counts=counts, view=view)


# --------------------------------------------------------------------------- data


def _display_geometry(geometry):
    """A lighter geometry for the browser: simplified by size, small islands dropped, 0.001° grid."""
    if geometry.geom_type == "Point":
        return geometry
    minx, miny, maxx, maxy = geometry.bounds
    extent = max(maxx - minx, maxy - miny)
    tolerance = min(0.2, max(0.002, extent / 500.0))
    simple = shapely.simplify(geometry, tolerance, preserve_topology=True)
    if simple.geom_type in ("Polygon", "MultiPolygon"):
        parts = list(shapely.get_parts(simple))
        kept = [p for p in parts if p.area >= (3 * tolerance) ** 2] or [max(parts, key=lambda p: p.area)]
        simple = shapely.MultiPolygon(kept) if len(kept) > 1 else kept[0]
    simple = shapely.set_precision(simple, 0.01 if tolerance >= 0.05 else 0.001)
    return simple if not simple.is_empty else geometry


_SHAPES: dict[tuple[int, str], tuple] = {}
_SHAPES_MAX = 512  # display shapes kept per process (a country outline simplifies in ~0.1 s)


def _display_shape(gazetteer: Gazetteer, place_id: str, full):
    """(display geometry, its GeoJSON mapping) of a gazetteer place, computed once per process;
    a place from an online source (not in the gazetteer) is computed each time."""
    key = (id(gazetteer), place_id)
    found = _SHAPES.get(key) if gazetteer.row_of(place_id) is not None else None
    if found is None:
        geometry = _display_geometry(full)
        found = (geometry, shapely.geometry.mapping(geometry))
        if gazetteer.row_of(place_id) is not None:
            if len(_SHAPES) >= _SHAPES_MAX:
                _SHAPES.clear()
            _SHAPES[key] = found
    return found


def _bounds(geometry) -> list[list[float]]:
    minx, miny, maxx, maxy = geometry.bounds
    return [[round(miny, 4), round(minx, 4)], [round(maxy, 4), round(maxx, 4)]]


def view_bounds(geometries) -> list[list[float]] | None:
    """The initial view: fit the features that are not continent-sized (cities, regions, borders,
    small countries), so one mention of Russia does not force a world view; all if none is small."""
    geometries = [g for g in geometries if g is not None and not g.is_empty]
    if not geometries:
        return None

    def extent(g):
        minx, miny, maxx, maxy = g.bounds
        return max(maxx - minx, maxy - miny)

    small = [g for g in geometries if extent(g) <= _VIEW_MAX_EXTENT] or geometries
    minx = min(g.bounds[0] for g in small)
    miny = min(g.bounds[1] for g in small)
    maxx = max(g.bounds[2] for g in small)
    maxy = max(g.bounds[3] for g in small)
    return [[round(miny, 4), round(minx, 4)], [round(maxy, 4), round(maxx, 4)]]


def map_data(result: Geoparse, *, gazetteer: Gazetteer | None = None) -> MapData:
    """The map's layers, per-place focus and initial view for a geoparse."""
    gazetteer = gazetteer or Gazetteer.default()
    names = country_names(result.places, gazetteer)
    popup = popups(result, names)
    by_layer: dict[str, list[Place]] = {layer: [] for layer in LAYERS}
    for place in result.places:
        by_layer[KIND_LAYER[place.kind]].append(place)
    collections: dict[str, dict] = {}
    focus: dict[str, dict] = {}
    geometries = []
    inner = []  # geometries of the places that are not countries
    counts: dict[str, int] = {}
    numbers = {place.id: n for n, place in enumerate(result.places, 1)}
    for layer in LAYERS:
        features = []
        for place in by_layer[layer]:
            full = place_geometry(place, gazetteer)
            geometry, shape = _display_shape(gazetteer, place.id, full)
            geometries.append(full)
            if place.kind != "country":
                inner.append(full)
            properties = {
                "id": place.id,
                "kind": place.kind,
                "popup": popup[place.id],
                "tooltip": tooltip_html(place),
                # plain text: the labels script sets it with textContent
                "name": map_label(place),
                "n": numbers[place.id],
                "rank": kind_of(place.kind).label_rank,
                "mentions": len(place.mentions),
            }
            if geometry.geom_type in ("Polygon", "MultiPolygon"):
                properties["area"] = round(float(full.area), 3)
                point = full.representative_point()
                properties["labelAt"] = [round(point.y, 4), round(point.x, 4)]
            if layer == "facilities":
                properties["glyph"] = feature_glyph(place.candidate.feature)
            if layer == "cities":
                properties["capital"] = place.candidate.feature == "PPLC"
            features.append({
                "type": "Feature",
                "id": place.id,
                "geometry": shape,
                "properties": properties,
            })
            focus[place.id] = {
                "anchor": [round(place.candidate.lat, 5), round(place.candidate.lon, 5)],
                "bounds": None if full.geom_type == "Point" else _bounds(full),
                "geometry": shape,
            }
            counts[place.kind] = counts.get(place.kind, 0) + 1
        collections[layer] = {"type": "FeatureCollection", "features": features}
    detail = view_bounds(inner) if len(inner) >= _DETAIL_MIN_PLACES else None
    return MapData(layers=collections, focus=focus, bounds=view_bounds(geometries), counts=counts,
                   detail_bounds=detail)


def map_version(data: MapData) -> str:
    """A digest of everything the map draws: equal digests, equal maps (the page renders a base
    map once per digest and shares it between sessions, geo.page_map)."""
    parts = [data.layers, data.bounds, data.counts, data.detail_bounds]
    if data.view is not None:  # a page's map has none: its digest stays what it was
        parts.append(data.view.as_dict())
    body = json.dumps(parts, sort_keys=True)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:24]


# --------------------------------------------------------------------------- map elements


class _Panes(MacroElement):
    """The view (set before any layer is drawn, without animation: folium starts the map at
    [0, 0]) and the panes: basemap under everything, border lines above areas, city dots
    under markers."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            {%- if this.bounds %}
            map.fitBounds({{ this.bounds|tojson }}, {padding: [{{ this.padding }}, {{ this.padding }}], maxZoom: {{ this.max_zoom }}, animate: false});
            {%- else %}
            map.setView([50, 20], 3, {animate: false});
            {%- endif %}
            var panes = {atlasBasemap: 250, atlasLines: 450, atlasPoints: 590};
            Object.keys(panes).forEach(function (name) {
                var pane = map.createPane(name);
                pane.style.zIndex = panes[name];
            });
            map.getPane('atlasBasemap').style.pointerEvents = 'none';
            map.attributionControl.setPrefix('Leaflet');  // credited as text: no link out of an offline map
            map.attributionControl.addAttribution({{ this.attribution|tojson }});
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, attribution: str, bounds: list | None, *, padding: int = _FIT_PADDING,
                 max_zoom: int = _FOCUS_MAX_ZOOM) -> None:
        super().__init__()
        self._name = "AtlasPanes"
        self.attribution = attribution
        self.bounds = bounds
        self.max_zoom = int(max_zoom)
        self.padding = int(padding)


class _Basemap(MacroElement):
    """Land, country outlines and major cities, drawn on a canvas under the places.

    `urls` mode: static files the browser fetches once and keeps (Streamlit serves them with
    ETag/Last-Modified), so a rerun never re-sends them. A light outline file is drawn first;
    the detailed one is fetched the first time the map is zoomed to 6 or closer.
    `data` mode: the detailed outlines and cities inlined (the standalone export).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            (window.atlasTimes = window.atlasTimes || {}).script = performance.now();
            var renderer = L.canvas({pane: 'atlasBasemap', padding: 0.5});
            var style = {color: '#9aa5b1', weight: 0.7, fillColor: '#f4f1ea', fillOpacity: 1};
            function countries(data) {
                return L.geoJSON(data, {renderer: renderer, pane: 'atlasBasemap', interactive: false, style: style});
            }
            // Zooms at which city names show (map.css: none below NAMES_ZOOM, capitals only below
            // ALL_NAMES_ZOOM). Each name is a DOM element (a permanent tooltip): one is made only
            // once the zoom shows it, not 700 at once for a map that opens at zoom 4.
            var NAMES_ZOOM = 5, ALL_NAMES_ZOOM = 7;
            function cities(data) {
                var unnamed = [];
                L.geoJSON(data, {
                    pane: 'atlasBasemap', interactive: false,
                    pointToLayer: function (feature, latlng) {
                        var marker = L.circleMarker(latlng, {
                            renderer: renderer, pane: 'atlasBasemap', interactive: false, radius: 2,
                            color: '#6e7781', weight: 1, fillColor: '#ffffff', fillOpacity: 1
                        });
                        unnamed.push({marker: marker, city: feature.properties});
                        return marker;
                    }
                }).addTo(map);
                function name() {
                    var zoom = map.getZoom();
                    unnamed = unnamed.filter(function (item) {
                        if (zoom < NAMES_ZOOM || (zoom < ALL_NAMES_ZOOM && !item.city.capital)) { return true; }
                        var label = document.createElement('span');
                        label.textContent = item.city.name;
                        item.marker.bindTooltip(label, {
                            permanent: true, direction: 'right', offset: [3, 0],
                            className: 'atlas-basemap-label' + (item.city.capital ? ' capital' : '')
                        });
                        return false;
                    });
                    if (!unnamed.length) { map.off('zoomend', name); }
                }
                map.on('zoomend', name);
                name();
            }
            function done() {
                window.atlasTimes.basemap = performance.now();
                window.atlasBasemapReady = (window.atlasBasemapReady || 0) + 1;
                map.fire('atlas:basemap');
                // on screen: two animation frames later (Leaflet draws its canvas in the first)
                requestAnimationFrame(function () {
                    requestAnimationFrame(function () { window.atlasTimes.shown = performance.now(); });
                });
            }
            function zoomClass() {
                var c = map.getContainer();
                c.classList.toggle('atlas-z-low', map.getZoom() < NAMES_ZOOM);
                c.classList.toggle('atlas-z-mid', map.getZoom() >= NAMES_ZOOM && map.getZoom() < ALL_NAMES_ZOOM);
            }
            map.on('zoomend', zoomClass);
            zoomClass();
            {%- if this.urls %}
            function load(url) {
                return fetch(url, {cache: 'force-cache'}).then(function (r) {
                    if (!r.ok) { throw new Error(url + ': ' + r.status); }
                    return r.json();
                });
            }
            function failed(err) {
                console.error('Article Atlas basemap:', err);
                window.atlasBasemapError = String(err);
            }
            var lite = null, detail = null, detailRequested = false;
            function pick() {
                var wantDetail = map.getZoom() >= {{ this.detail_zoom }};
                if (wantDetail && !detailRequested) {
                    detailRequested = true;
                    load({{ this.urls.detail|tojson }}).then(function (data) {
                        detail = countries(data);
                        window.atlasBasemapDetail = true;
                        pick();
                    }).catch(failed);
                }
                var show = wantDetail && detail ? detail : lite;
                [lite, detail].forEach(function (layer) {
                    if (layer && layer !== show && map.hasLayer(layer)) { map.removeLayer(layer); }
                });
                if (show && !map.hasLayer(show)) { show.addTo(map); }
            }
            var cityData = load({{ this.urls.cities|tojson }});
            load({{ this.urls.lite|tojson }})
                .then(function (data) { lite = countries(data); pick(); map.on('zoomend', pick); return cityData; })
                .then(cities)
                .then(done)
                .catch(failed);
            {%- else %}
            countries({{ this.countries_json }}).addTo(map);
            cities({{ this.cities_json }});
            done();
            {%- endif %}
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, *, urls: dict[str, str] | None = None, static_dir: Path = STATIC_DIR,
                 lite: bool = False, near: list | None = None, fine: bool = False) -> None:
        super().__init__()
        self._name = "AtlasBasemap"
        self.urls = urls
        self.detail_zoom = _DETAIL_ZOOM
        if urls is None:
            countries, cities = static_dir / (_BASEMAP_LITE if lite else _BASEMAP_COUNTRIES), static_dir / _BASEMAP_CITIES
            if near is None:
                # the files' own JSON text, inlined as is (parsing and re-dumping 2.5 MB took seconds)
                self.countries_json, self.cities_json = _inline_json(countries), _inline_json(cities)
            else:
                self.countries_json = _fine_countries_near(countries, near) if fine else _features_near(countries, near)
                self.cities_json = _features_near(cities, near)


@functools.lru_cache(maxsize=4)
def _inline_json(path: Path) -> str:
    """A JSON file's text, checked and made safe to inline in a <script>."""
    text = path.read_text(encoding="utf-8")
    json.loads(text)  # a broken file fails here, not as a blank map
    return _safe_in_tag(text, "script")


@functools.lru_cache(maxsize=4)
def _features_with_boxes(path: Path) -> tuple[tuple[tuple[float, float, float, float], str], ...]:
    """A GeoJSON file's features, each with its (west, south, east, north) and its JSON text."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return tuple((tuple(shapely.bounds(shapely.geometry.shape(f["geometry"])).tolist()),
                  json.dumps(f, ensure_ascii=False, separators=(",", ":"))) for f in features)


def image_extent(bounds: list | None) -> list[list[float]] | None:
    """What an image fitted to `bounds` can show, generously: [[s, w], [n, e]], or None for the
    whole world. An image cannot be panned, so its basemap needs nothing beyond this."""
    if not bounds:
        return None
    (south, west), (north, east) = bounds
    middle = math.radians(max(-80.0, min(80.0, (south + north) / 2)))
    reach = max(east - west, (north - south) / math.cos(middle))  # the larger side, in degrees of longitude
    if reach > _IMAGE_WORLD_DEGREES:
        return None
    across = _IMAGE_REACH * reach + _IMAGE_MARGIN_DEGREES
    up = reach + _IMAGE_MARGIN_DEGREES
    middle_lon = (west + east) / 2
    return [[max(-90.0, (south + north) / 2 - up), middle_lon - across], [min(90.0, (south + north) / 2 + up), middle_lon + across]]


def _view_degrees(bounds: list) -> float:
    """A view's size for choosing how to draw it: its longitude span, or its latitude span
    stretched to a landscape image's shape, whichever is larger."""
    (south, west), (north, east) = bounds
    return max(east - west, (north - south) * 1.6)


def _close_up(bounds: list | None) -> bool:
    """Whether a briefing of these bounds is a close-up (see _CLOSE_UP_DEGREES)."""
    return bool(bounds) and _view_degrees(bounds) <= _CLOSE_UP_DEGREES


def _texts_near(path: Path, extent: list) -> list[str]:
    """The JSON texts of the file's features whose box meets `extent` (see image_extent)."""
    (south, west), (north, east) = extent
    return [text for (w, s, e, n), text in _features_with_boxes(path) if w <= east and e >= west and s <= north and n >= south]


def _feature_collection(texts: list[str]) -> str:
    """Feature JSON texts as one FeatureCollection, made safe to inline in a <script>."""
    return _safe_in_tag('{"type":"FeatureCollection","features":[' + ",".join(texts) + "]}", "script")


def _fine_countries_near(path: Path, extent: list) -> str:
    """The countries whose box meets `extent`, with the gazetteer's finer outlines clipped to it
    (the basemap file's own where the gazetteer has none), made safe to inline."""
    (south, west), (north, east) = extent
    gazetteer = Gazetteer.default()
    kept = []
    for text in _texts_near(path, extent):
        feature = json.loads(text)
        try:
            shape = gazetteer.geometry(f"country:{feature['properties'].get('iso2', '')}")
        except KeyError:
            shape = None
        if shape is not None:
            shape = shapely.clip_by_rect(shape, west, south, east, north)
            if shape.is_empty:
                continue
            shape = shapely.set_precision(shape, 10 ** -_OUTLINE_DECIMALS)
            feature["geometry"] = shapely.geometry.mapping(shape)
        kept.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return _feature_collection(kept)


def _features_near(path: Path, extent: list) -> str:
    """The file's features whose box meets `extent` (see image_extent), as a FeatureCollection
    made safe to inline in a <script>."""
    return _feature_collection(_texts_near(path, extent))


class _Inset(MacroElement):
    """A briefing close-up's locator map: the wider land around, the main view as a red frame,
    in a top corner that covers none of the places (none if both would)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            var size = {w: 250, h: 170, margin: 10};
            var box = map.getContainer().getBoundingClientRect();
            var points = [];
            map.eachLayer(function (layer) {
                if (layer.getLatLng && layer.feature) { points.push(map.latLngToContainerPoint(layer.getLatLng())); }
            });
            function free(corner) {
                var x0 = corner === 'topleft' ? 0 : box.width - size.w - 2 * size.margin;
                return points.every(function (p) {
                    return p.x < x0 - 12 || p.x > x0 + size.w + 2 * size.margin + 12 || p.y > size.h + 2 * size.margin + 12;
                });
            }
            var corner = ['topright', 'topleft'].filter(free)[0];
            if (!corner) { return; }
            var Inset = L.Control.extend({options: {position: corner}, onAdd: function () {
                var div = L.DomUtil.create('div', 'atlas-inset');
                div.style.width = size.w + 'px'; div.style.height = size.h + 'px';
                return div;
            }});
            var control = new Inset();
            control.addTo(map);
            var inset = L.map(control.getContainer(), {
                zoomControl: false, attributionControl: false, dragging: false, scrollWheelZoom: false,
                doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false,
                zoomSnap: 0.25, fadeAnimation: false, zoomAnimation: false, markerZoomAnimation: false
            });
            L.geoJSON({{ this.land_json }}, {interactive: false,
                style: {color: '#9aa5b1', weight: 0.6, fillColor: '#f4f1ea', fillOpacity: 1}}).addTo(inset);
            var view = map.getBounds();
            inset.fitBounds(view.pad({{ this.context }}), {animate: false});
            L.rectangle(view, {interactive: false, color: '#cf222e', weight: 2, fill: false}).addTo(inset);
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, bounds: list, *, static_dir: Path = STATIC_DIR) -> None:
        super().__init__()
        self._name = "AtlasInset"
        self.context = _INSET_CONTEXT
        (south, west), (north, east) = bounds
        reach = max(east - west, north - south) * (2 * _INSET_CONTEXT + 1) + _IMAGE_MARGIN_DEGREES
        middle = [(south + north) / 2, (west + east) / 2]
        extent = [[middle[0] - reach, middle[1] - reach * 1.6], [middle[0] + reach, middle[1] + reach * 1.6]]
        self.land_json = _features_near(static_dir / _BASEMAP_LITE, extent)


class _Finish(MacroElement):
    """Stack areas by size (small on top, so each stays clickable), add the legend, name every
    place (static/atlas/labels.js), mark ready. A briefing map has no page controls: no zoom
    buttons, no layer switcher, no attribution box (its credits are printed beside the map)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            function stack() {
                var areas = [];
                map.eachLayer(function (layer) {
                    var p = layer.feature && layer.feature.properties;
                    if (p && p.area !== undefined && layer.bringToFront) { areas.push(layer); }
                });
                areas.sort(function (a, b) { return b.feature.properties.area - a.feature.properties.area; });
                areas.forEach(function (layer) { layer.bringToFront(); });
            }
            stack();
            map.on('overlayadd', stack);
            {%- if this.show_legend %}
            var legend = L.control({position: 'bottomright'});
            legend.onAdd = function () {
                var div = L.DomUtil.create('div', 'atlas-legend');
                div.innerHTML = {{ this.legend|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo(map);
            {%- endif %}
            {%- if this.briefing %}
            if (map.attributionControl) { map.attributionControl.remove(); }
            if (map.zoomControl) { map.zoomControl.remove(); }
            {%- endif %}
            {%- if this.title %}
            var title = L.control({position: 'topright'});
            title.onAdd = function () {
                var div = L.DomUtil.create('div', 'atlas-title');
                div.textContent = {{ this.title|tojson }};
                return div;
            };
            title.addTo(map);
            {%- endif %}
            window.atlasLabeller = window.atlasLabels ? window.atlasLabels(map, {numbers: {{ this.numbers|tojson }}}) : null;
            window.atlasView = function () {
                var b = map.getBounds(), groups = window.atlasLayerGroups || {};
                return {
                    bounds: [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]],
                    zoom: map.getZoom(),
                    layers: Object.keys(groups).filter(function (name) { return map.hasLayer(groups[name]); })
                };
            };
            window.atlasMap = map;
            (window.atlasTimes = window.atlasTimes || {}).places = performance.now();
            window.atlasReady = true;
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, counts: dict[str, int], title: str = "", *, briefing: bool = False,
                 numbers: bool = False, legend: bool = True) -> None:
        super().__init__()
        self._name = "AtlasFinish"
        self.legend = _legend_html(counts, numbers=not briefing)
        self.title = title
        self.briefing = briefing
        self.numbers = numbers
        self.show_legend = legend


def _legend_html(counts: dict[str, int], *, numbers: bool = True) -> str:
    """Legend rows for the kinds on the map (our own markup; only numbers vary)."""
    rows = []
    for kind, label in KIND_LABELS.items():
        if not counts.get(kind):
            continue
        colour = KIND_COLOURS[kind]
        rows.append(f'<div class="atlas-legend-row"><span class="atlas-swatch s-{kind}" style="--k:{colour}"></span>'
                    f'{label}' + (f' <span class="atlas-legend-n">{int(counts[kind])}</span>' if numbers else '')
                    + '</div>')
    if not rows:
        rows.append('<div class="atlas-legend-row">No places found</div>')
    return "".join(rows)


_ON_EACH_FEATURE = JsCode("""
function (feature, layer) {
    var p = feature.properties;
    if (p.popup) {
        // Pan a popup into view only after streamlit-folium has sent the click (it debounces
        // 250 ms and restarts on every moveend): an immediate auto-pan would delay the article.
        layer.bindPopup(p.popup, {maxWidth: 380, minWidth: 220, maxHeight: 300, autoPan: false,
                                  className: 'atlas-popup-wrap'});
        layer.on('popupopen', function (e) {
            setTimeout(function () {
                if (!e.popup.isOpen()) { return; }
                // keep the popup clear of the layer control in the top-right corner
                var control = layer._map && layer._map.getContainer().querySelector('.leaflet-control-layers');
                if (control) {
                    e.popup.options.autoPanPaddingTopRight = L.point(control.offsetWidth + 16, control.offsetHeight + 16);
                }
                e.popup.options.autoPan = true;
                e.popup.update();
                e.popup.options.autoPan = false;
            }, 300);
        });
    }
    if (p.tooltip) {
        layer.bindTooltip(p.tooltip, {direction: 'top', sticky: !layer.getLatLng, className: 'atlas-tooltip'});
    }
    // A click sends the feature back to Python: its id is all the page needs, not its geometry.
    layer.toGeoJSON = function () {
        return {type: 'Feature', geometry: null, properties: {id: p.id, kind: p.kind}};
    };
    layer.on('add', function () {
        var element = layer.getElement ? layer.getElement() : null;
        if (element) {
            element.setAttribute('data-place-id', p.id);
            element.setAttribute('data-kind', p.kind);
            element.classList.add('atlas-place');
        }
    });
}
""")


def _area_style(kind: str):
    colour = KIND_COLOURS[kind]
    dash = "6 4" if kind in ("region", "historical") else None
    fill = {"country": 0.10, "region": 0.14, "historical": 0.05}.get(kind, 0.1)

    def style(feature):
        out = {"color": colour, "weight": 1.6, "opacity": 0.9, "fillColor": colour, "fillOpacity": fill}
        if dash:
            out["dashArray"] = dash
        return out

    return style


def _border_style(feature):
    return {"color": KIND_COLOURS["border"], "weight": 4, "opacity": 0.95, "pane": "atlasLines"}


def _city_style(feature):
    capital = feature["properties"].get("capital")
    return {"radius": 8 if capital else 6.5, "color": "#ffffff", "weight": 2, "fill": True,
            "fillColor": KIND_COLOURS["city"], "fillOpacity": 1, "opacity": 1, "pane": "atlasPoints"}


def _facility_style(feature):
    glyph = feature["properties"].get("glyph", DEFAULT_GLYPH)
    return {"html": f'<span class="atlas-glyph">{glyph}</span>', "className": "atlas-icon",
            "iconSize": [24, 24], "iconAnchor": [12, 12], "popupAnchor": [0, -10], "tooltipAnchor": [0, -12]}


class _LayerName(MacroElement):
    """Names a place layer for window.atlasView() (which layers the layer control has on)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (window.atlasLayerGroups = window.atlasLayerGroups || {})[{{ this.layer|tojson }}] = {{ this._parent.get_name() }};
        {% endmacro %}
    """)

    def __init__(self, layer: str) -> None:
        super().__init__()
        self._name = "AtlasLayerName"
        self.layer = layer


def _add_places(m: folium.Map, data: MapData) -> None:
    for layer in LAYERS:
        collection = data.layers.get(layer) or {"features": []}
        features = collection["features"]
        if not features:
            continue
        group = folium.FeatureGroup(name=f"{LAYER_TITLES[layer]} ({len(features)})", show=True)
        _LayerName(layer).add_to(group)
        kwargs = {"on_each_feature": _ON_EACH_FEATURE}
        if layer in ("countries", "regions"):
            # countries and regions share a layer per kind; style each feature by its own kind
            by_kind: dict[str, list] = {}
            for f in features:
                by_kind.setdefault(f["properties"]["kind"], []).append(f)
            for kind, subset in by_kind.items():
                # A region known only as a point (a canal, a strait) is a ring in its kind's colour.
                folium.GeoJson({"type": "FeatureCollection", "features": subset},
                               style_function=_area_style(kind), marker=folium.CircleMarker(radius=8),
                               **kwargs).add_to(group)
        elif layer == "borders":
            folium.GeoJson(collection, style_function=_border_style, **kwargs).add_to(group)
        elif layer == "cities":
            folium.GeoJson(collection, style_function=_city_style, marker=folium.CircleMarker(), **kwargs).add_to(group)
        else:
            folium.GeoJson(collection, style_function=_facility_style,
                           marker=folium.Marker(icon=folium.DivIcon()), **kwargs).add_to(group)
        group.add_to(m)


def _wide(bounds: list | None) -> bool:
    """Whether a view of these bounds is drawn below the basemap's detail zoom on a briefing image."""
    return not bounds or _view_degrees(bounds) > _WIDE_VIEW_DEGREES


def _briefing_bounds(data: MapData) -> list[list[float]] | None:
    """What a briefing image fits: the user's view, else the places inside the countries, else all."""
    if data.view is not None:
        return [list(corner) for corner in data.view.bounds]
    return data.detail_bounds or data.bounds


def build_map(data: MapData, *, assets: Assets | None = Assets(), online: bool = False,
              title: str = "", briefing: bool = False, numbers: bool = False, legend: bool = True) -> folium.Map:
    """The base map: identical for identical data, so st_folium never reloads it on a rerun.

    `assets=None` inlines every asset and the basemap (for the standalone export).
    `online=True` adds OpenStreetMap tiles (the only thing that then leaves the machine).
    `briefing=True`: a map for an image (no page controls, more room around the places);
    `numbers=True` puts each place's number (its row in the briefing's list) before its name.
    A briefing of a `data.view` (see in_view) fits that view, not the places.
    """
    m = folium.Map(location=None, tiles=None, zoom_start=3, min_zoom=2, max_zoom=_MAX_ZOOM_ONLINE if online else _MAX_ZOOM,
                   control_scale=True, zoom_control=not briefing, world_copy_jump=True,
                   **({"zoom_snap": _BRIEFING_ZOOM_SNAP} if briefing else {}))
    if assets is None:
        m.default_js, m.default_css = [], []
        _inline_assets(m)
    else:
        m.default_js, m.default_css = assets.js, assets.css
    shown = _briefing_bounds(data)
    close = briefing and _close_up(shown)
    if briefing and data.view is not None:  # the user's view, as closely as the image's shape allows
        _Panes(ATTRIBUTION, shown, padding=0, max_zoom=_MAX_ZOOM).add_to(m)
    elif briefing:
        _Panes(ATTRIBUTION, shown, padding=_BRIEFING_FIT_PADDING,
               max_zoom=_CLOSE_UP_MAX_ZOOM if close else _FOCUS_MAX_ZOOM).add_to(m)
    else:
        _Panes(ATTRIBUTION, data.bounds, padding=_FIT_PADDING).add_to(m)
    if online:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", attr=_OSM_ATTRIBUTION, control=False).add_to(m)
    else:
        urls = None if assets is None else {"lite": assets.url(_BASEMAP_LITE), "detail": assets.url(_BASEMAP_COUNTRIES),
                                            "cities": assets.url(_BASEMAP_CITIES)}
        # an image of a wide view draws the light outlines, as the page does below zoom 6
        lite = briefing and urls is None and _wide(shown)
        # an image cannot be panned: it carries only the outlines and cities it can show
        near = image_extent(shown) if briefing and urls is None else None
        inlined_close = close and urls is None
        _Basemap(urls=urls, lite=lite, near=near, fine=inlined_close).add_to(m)
        if inlined_close:
            _Inset(shown).add_to(m)
    _add_places(m, data)
    if not briefing:
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
    _Finish(data.counts, title=title, briefing=briefing, numbers=numbers, legend=legend).add_to(m)
    return m


# --------------------------------------------------------------------------- selection


class _Focus(MacroElement):
    """Fly to the selected place and open its popup (runs each time the selection changes)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            var id = {{ this.place_id|tojson }}, focus = {{ this.focus|tojson }};
            /* request {{ this.nonce }} */
            window.atlasSelected = id;
            function open() {
                map.eachLayer(function (layer) {
                    var p = layer.feature && layer.feature.properties;
                    if (p && p.id === id && layer.getPopup && layer.getPopup()) {
                        layer.openPopup(layer.getLatLng ? layer.getLatLng() : L.latLng(focus.anchor));
                    }
                });
            }
            {%- if this.fly %}
            map.once('moveend', function () { window.atlasFlights = (window.atlasFlights || 0) + 1; open(); });
            if (focus.bounds) {
                map.flyToBounds(focus.bounds, {maxZoom: {{ this.max_zoom }}, padding: [30, 30], duration: 0.8});
            } else {
                map.flyTo(focus.anchor, Math.max(map.getZoom(), {{ this.point_zoom }}), {duration: 0.8});
            }
            {%- endif %}
        })({{ this._parent._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, place_id: str, focus: dict, *, fly: bool, nonce: int) -> None:
        super().__init__()
        self._name = "AtlasFocus"
        self.place_id = place_id
        self.focus = {"anchor": focus["anchor"], "bounds": focus["bounds"]}
        self.fly = fly
        self.nonce = int(nonce)
        self.max_zoom = _FOCUS_MAX_ZOOM
        self.point_zoom = _POINT_ZOOM


def selection_layer(data: MapData, place_id: str | None, *, fly: bool = True, nonce: int = 0) -> folium.FeatureGroup:
    """A halo around the selected place, and (with `fly`) a flight to it that opens its popup.

    Pass it as st_folium's `feature_group_to_add`: the map is updated in place, not reloaded.
    A new `nonce` repeats the flight for the same place.
    """
    group = folium.FeatureGroup(name="Selected", control=False)
    focus = data.focus.get(place_id) if place_id else None
    if focus is None:
        return group
    geometry = focus["geometry"]
    if geometry["type"] == "Point":
        folium.CircleMarker(location=focus["anchor"], radius=15, color="#111111", weight=3, opacity=0.9,
                            fill=False, interactive=False, pane="atlasPoints", class_name="atlas-halo").add_to(group)
    else:
        halo = {"type": "Feature", "geometry": geometry, "properties": {}}
        folium.GeoJson(halo, style_function=lambda f: {"color": "#111111", "weight": 4, "opacity": 0.85,
                                                         "fill": False, "pane": "atlasLines"},
                       interactive=False, class_name="atlas-halo").add_to(group)
    _Focus(place_id, focus, fly=fly, nonce=nonce).add_to(group)
    return group


_MEASURE_STYLE = {
    "measure": {"color": "#111111", "weight": 3, "opacity": 0.9, "dash_array": "8 6"},
    "ring": {"color": "#0072B2", "weight": 1.5, "opacity": 0.8, "dash_array": "4 4"},
}


def measurement_layer(lines: list[dict], *, halos: list[str] = (), data: MapData | None = None,
                      focus_id: str | None = None, fly: bool = False, nonce: int = 0) -> folium.FeatureGroup:
    """Measured lines and distance rings (geo.claims.claim_lines / ring_lines) over the map.

    `halos`: more places to ring (a claim's other places); with `fly`, the map flies to the
    lines and opens `focus_id`'s popup. Labels are plain text, escaped here. Pass it beside
    `selection_layer` in st_folium's `feature_group_to_add` (a list): it never reloads the map.
    """
    group = folium.FeatureGroup(name="Measured", control=False)
    points = []
    for line in lines:
        style = _MEASURE_STYLE.get(line.get("kind"), _MEASURE_STYLE["measure"])
        tooltip = folium.Tooltip(html.escape(str(line.get("label", ""))), permanent=line.get("kind") == "measure",
                                 sticky=False, class_name="atlas-measure-label")
        folium.PolyLine(line["points"], tooltip=tooltip, interactive=True, pane="atlasLines",
                        class_name=f"atlas-{line.get('kind', 'measure')}", **style).add_to(group)
        points.extend(line["points"])
    for place_id in halos:
        focus = data.focus.get(place_id) if data is not None else None
        if focus is not None and focus["geometry"]["type"] == "Point":
            folium.CircleMarker(location=focus["anchor"], radius=15, color="#111111", weight=3, opacity=0.9,
                                fill=False, interactive=False, pane="atlasPoints", class_name="atlas-halo").add_to(group)
    if fly and points and focus_id:
        lats, lons = [p[0] for p in points], [p[1] for p in points]
        bounds = [[min(lats), min(lons)], [max(lats), max(lons)]]
        _Focus(focus_id, {"anchor": points[len(points) // 2], "bounds": bounds}, fly=True, nonce=nonce).add_to(group)
    return group


# --------------------------------------------------------------------------- standalone export


class RawHTML(Element):
    """Markup put into the page as it is: never compiled as a Jinja template, so a title from
    the article holding «{{ … }}» stays text, and a 150 kB script is not parsed as a template."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.markup = markup

    def render(self, **kwargs) -> str:
        return self.markup


def _inline_assets(m: folium.Map, static_dir: Path = STATIC_DIR) -> None:
    """Put Leaflet, jQuery and the CSS into the page itself (images as data: URIs)."""
    header = m.get_root().header
    for name, path in _CSS:
        css = (static_dir / path).read_text(encoding="utf-8")
        css = _inline_css_urls(css, (static_dir / path).parent)
        header.add_child(RawHTML(f"<style>{_safe_in_tag(css, 'style')}</style>"), name=f"inline_{name}")
    for name, path in _JS:
        js = re.sub(r"^//# sourceMappingURL=.*$", "", (static_dir / path).read_text(encoding="utf-8"), flags=re.MULTILINE)
        header.add_child(RawHTML(f"<script>{_safe_in_tag(js, 'script')}</script>"), name=f"inline_{name}")


def _inline_css_urls(css: str, folder: Path) -> str:
    def replace(match: re.Match) -> str:
        target = match.group(1).strip("'\"")
        if target.startswith(("data:", "#", "http:", "https:")):
            return match.group(0)
        file = folder / target
        if not file.is_file():
            return match.group(0)
        mime = "image/png" if file.suffix == ".png" else "image/svg+xml" if file.suffix == ".svg" else "application/octet-stream"
        return f"url(data:{mime};base64,{base64.b64encode(file.read_bytes()).decode('ascii')})"

    return re.sub(r"url\(([^)]+)\)", replace, css)


def _safe_in_tag(text: str, tag: str) -> str:
    """Text that cannot close the element it is inlined into."""
    return re.sub(f"</({tag})", r"<\\/\1", text, flags=re.IGNORECASE)


def standalone_html(data: MapData, *, title: str = "Article Atlas") -> str:
    """One HTML file with the map, its assets and the basemap inlined: opens offline, anywhere."""
    m = build_map(data, assets=None, online=False, title=title)
    root = m.get_root()
    root.header.add_child(RawHTML(f"<title>{html.escape(title)}</title>"), name="atlas_title", index=0)
    root.header.add_child(RawHTML('<meta charset="utf-8">'), name="atlas_charset", index=0)
    return root.render()
