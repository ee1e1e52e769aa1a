"""The folium map, tested by what it renders: local assets only, every place, a stable base map."""

from __future__ import annotations

import json
import re

import pytest
import shapely
from streamlit_folium import _get_map_string, generate_js_hash

from geo.config import STATIC_DIR
from geo.mapping import (ATTRIBUTION, Assets, build_map, map_data, selection_layer, standalone_html,
                         view_bounds)
from geo.models import Article, Candidate, Geoparse, Mention, Passage, Place
from tests.conftest import ROOT

_URL = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


@pytest.fixture(scope="module")
def sample_result(sample_text):
    from geo.pipeline import geoparse

    return geoparse(sample_text)


@pytest.fixture(scope="module")
def sample_data(sample_result):
    return map_data(sample_result)


def _rendered(m) -> str:
    return m.get_root().render()


def test_the_map_module_does_not_load_geopandas():
    import subprocess
    import sys

    code = "import sys, geo.mapping; print('geopandas' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.stdout.split() == ["False"], run.stderr


def test_every_place_is_one_feature_with_its_popup(sample_result, sample_data):
    ids = [f["id"] for layer in sample_data.layers.values() for f in layer["features"]]
    assert sorted(ids) == sorted(p.id for p in sample_result.places)
    for layer in sample_data.layers.values():
        for feature in layer["features"]:
            props = feature["properties"]
            assert props["popup"].startswith('<div class="atlas-popup"') and props["tooltip"]
    border = sample_data.layers["borders"]["features"][0]["properties"]
    assert "km" in border["name"]


def test_map_loads_nothing_from_the_internet(sample_data):
    page = _rendered(build_map(sample_data))
    urls = _URL.findall(page)
    assert urls, "the page should reference its vendored assets"
    assert all(u.startswith("/app/static/") for u in urls), urls
    assert "cdn" not in page.lower() and "https://" not in page.split("<body>")[0]
    for url in urls + [Assets().url("basemap/countries.geojson"), Assets().url("basemap/cities.geojson")]:
        assert (STATIC_DIR / url.removeprefix("/app/static/")).is_file(), url
    assert "tile.openstreetmap.org" not in page


def test_online_mode_adds_openstreetmap_tiles_only_when_asked(sample_data):
    assert "tile.openstreetmap.org" in _rendered(build_map(sample_data, online=True))


def test_attribution_carries_the_data_credits(sample_data):
    page = _rendered(build_map(sample_data))
    for credit in ("OpenStreetMap contributors", "ODbL", "GeoNames", "CC BY 4.0", "Natural Earth"):
        assert credit in ATTRIBUTION
    assert json.dumps(ATTRIBUTION)[1:-1].split(" ·")[0] in page


def test_basemap_is_fetched_not_embedded(sample_data):
    page = _rendered(build_map(sample_data))
    assert "/app/static/basemap/countries.geojson" in page
    assert len(page) < 400_000, "the basemap must stay out of the per-rerun payload"


def test_layers_per_kind_with_a_control_and_a_legend(sample_data):
    page = _rendered(build_map(sample_data))
    for title in ("Countries (3)", "Borders (1)", "Cities (", "Facilities ("):
        assert title in page
    assert "L.control.layers" in page and "atlas-legend" in page


def test_base_map_is_identical_across_reruns(sample_data):
    """st_folium keys the component on the map script: same data, same key, no reload."""
    first, second = build_map(sample_data), build_map(sample_data)
    for m in (first, second):
        m.render()
    assert generate_js_hash(_get_map_string(first), "atlas_map") == generate_js_hash(_get_map_string(second), "atlas_map")
    selection_layer(sample_data, "geonames:702550")  # a selection never touches the base map
    third = build_map(sample_data)
    third.render()
    assert generate_js_hash(_get_map_string(third), "atlas_map") == generate_js_hash(_get_map_string(first), "atlas_map")


def test_selection_layer_flies_to_the_place(sample_data):
    def script(group):
        from folium import Map

        m = Map(tiles=None)
        group.add_to(m)
        return m.get_root().render()

    lviv = script(selection_layer(sample_data, "geonames:702550", nonce=3))
    assert "flyTo" in lviv and '"geonames:702550"' in lviv and "request 3" in lviv
    russia = script(selection_layer(sample_data, "country:RU", nonce=1))
    assert "flyToBounds" in russia
    quiet = script(selection_layer(sample_data, "geonames:702550", fly=False))
    assert "flyTo" not in quiet and "atlasSelected" in quiet
    assert "AtlasFocus" not in script(selection_layer(sample_data, None))
    assert script(selection_layer(sample_data, "geonames:702550", nonce=4)) != lviv


def _box(west, south, east, north):
    return shapely.box(west, south, east, north)


def test_view_fits_the_smaller_features_not_a_continent():
    russia = _box(19.6, 41.2, 180.0, 81.9)
    minsk, kyiv = shapely.Point(27.56, 53.9), shapely.Point(30.52, 50.45)
    (south, west), (north, east) = view_bounds([russia, minsk, kyiv])
    assert (west, south, east, north) == (27.56, 50.45, 30.52, 53.9)
    assert view_bounds([russia]) == [[41.2, 19.6], [81.9, 180.0]]
    assert view_bounds([]) is None


def test_sample_view_is_eastern_europe(sample_data):
    (south, west), (north, east) = sample_data.bounds
    assert 40 < south < 50 and 55 < north < 62 and 15 < west < 25 and 35 < east < 45


def test_display_geometry_is_light(sample_data):
    size = len(json.dumps(sample_data.layers))
    assert size < 250_000, f"{size} bytes of layers re-sent on every rerun"


def _hostile_result() -> Geoparse:
    text = 'Minsk </script><script>window.pwned=1</script> <img src=x onerror="window.pwned=1">'
    candidate = Candidate(id="geonames:625144", name="Minsk", kind="city", lat=53.9, lon=27.56, country="BY",
                          source="</script><script>window.pwned=2</script>")
    place = Place(candidate=candidate, display_name="Minsk", confidence=0.9,
                  mentions=(Mention(0, 5, "Minsk", 0),))
    article = Article(text=text, lang="en", passages=(Passage(0, 0, len(text), 0),))
    return Geoparse(article=article, places=(place,))


def test_hostile_text_cannot_break_out_of_the_map_script():
    data = map_data(_hostile_result())
    for page in (_rendered(build_map(data)), standalone_html(data, title="</title><script>x()</script>")):
        assert "window.pwned" in page  # present, but only inside escaped JSON strings
        assert "<script>window.pwned" not in page and "<img src=x" not in page
        assert "</title><script>x()" not in page


def test_standalone_html_inlines_every_asset(sample_data):
    page = standalone_html(sample_data, title="Putin in Minsk")
    assert not re.findall(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=", page, flags=re.IGNORECASE)
    assert "Leaflet 1.9.4" in page
    assert "Cabo Verde" in page, "the basemap is inlined"
    assert "data:image/png;base64," in page, "CSS images are inlined"
    assert "<title>Putin in Minsk</title>" in page
    scripts = _scripts(page)  # a library containing "</script" would end its element early
    assert any("Leaflet 1.9.4" in s for s in scripts)
    assert "atlasReady" in scripts[-1] and "sourceMappingURL" not in page


def _scripts(page: str) -> list[str]:
    from html.parser import HTMLParser

    class Scripts(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found, self.inside = [], False

        def handle_starttag(self, tag, attrs):
            if tag == "script":
                self.inside = True
                self.found.append("")

        def handle_endtag(self, tag):
            self.inside = False if tag == "script" else self.inside

        def handle_data(self, data):
            if self.inside:
                self.found[-1] += data

    parser = Scripts()
    parser.feed(page)
    return parser.found


def test_measurement_layer_draws_escaped_lines_and_flies_to_them(sample_data):
    from geo.mapping import measurement_layer

    lines = [{"points": [[51.0, 25.0], [51.5, 25.5]], "label": "<img src=x onerror=alert(1)> 62 km", "kind": "measure"},
             {"points": [[50.0, 24.0], [50.5, 24.5], [50.0, 24.0]], "label": "100 km", "kind": "ring"}]
    group = measurement_layer(lines, data=sample_data, halos=["geonames:702550"], focus_id="border:BY-UA",
                              fly=True, nonce=3)
    m = build_map(sample_data)
    group.add_to(m)
    rendered = m.get_root().render()
    assert "<img src=x" not in rendered and "&lt;img src=x" in rendered
    assert "atlas-measure" in rendered and "atlas-ring" in rendered and "atlas-halo" in rendered
    assert "flyToBounds" in rendered and "[[50.0, 24.0], [51.5, 25.5]]" in rendered
    quiet = measurement_layer(lines[:1])
    assert not any(type(c).__name__ == "_Focus" for c in quiet._children.values())


def test_an_image_inlines_only_the_basemap_it_can_show(sample_data):
    """A briefing image cannot be panned: outlines and cities far outside its view stay out of it;
    the interactive HTML export keeps the whole world."""
    from geo.mapping import image_extent

    (south, west), (north, east) = image_extent(sample_data.detail_bounds)
    assert west < 21 and east > 40.2 and south < 43.6 and north > 59.9, "the places' own view is kept"
    image = _rendered(build_map(sample_data, assets=None, briefing=True))
    for far in ('"Brazil"', '"Australia"', '"Buenos Aires"'):
        assert far not in image
    for near in ('"Belarus"', '"Ukraine"', '"Poland"'):
        assert near in image
    export = standalone_html(sample_data)
    assert '"Brazil"' in export and '"Buenos Aires"' in export
    assert image_extent(None) is None
    assert image_extent([[-40.0, -70.0], [40.0, 140.0]]) is None, "a view across the world keeps every outline"


def test_a_view_from_the_browser_is_checked_and_brought_back_to_the_world():
    from geo.mapping import MapView, map_view

    view = map_view({"bounds": [[49.3, 383.7], [53.5, 390.2]], "zoom": 7, "layers": ["cities", "cities", "borders"]})
    assert view.layers == ("cities", "borders")
    assert [c for corner in view.bounds for c in corner] == pytest.approx([49.3, 23.7, 53.5, 30.2])
    assert map_view({"bounds": [[-97, -400], [97, 400]], "layers": []}).bounds == ((-90, -180), (90, 180))
    for bad in (None, {}, {"bounds": "x", "layers": []}, {"bounds": [[53, 20], [49, 30]], "layers": []},
                {"bounds": [[49, 20], [53, 30]], "layers": ["no such layer"]},
                {"bounds": [[49, "nan"], [53, 30]], "layers": []}):
        assert map_view(bad) is None, bad
    with pytest.raises(ValueError, match="south < north"):
        MapView(bounds=((53, 20), (49, 30)), layers=())


def test_a_briefing_of_a_view_fits_that_view_with_the_layers_left_on(sample_data):
    from geo.mapping import in_view, map_view

    view = map_view({"bounds": [[49.3, 23.7], [53.5, 30.2]], "layers": ["cities", "facilities"]})
    shown = in_view(sample_data, view)
    assert set(shown.layers) == {"cities", "facilities"} and set(shown.counts) == {"city", "facility"}
    assert in_view(sample_data, None) is sample_data
    script = build_map(shown, assets=None, briefing=True).get_root().render()
    assert "map.fitBounds([[49.3, 23.7], [53.5, 30.2]], {padding: [0, 0], maxZoom: 12" in script
    assert '"kind": "border"' not in script and '"kind": "city"' in script
    fitted = build_map(sample_data, assets=None, briefing=True).get_root().render()
    assert "padding: [56, 56], maxZoom: 7" in fitted and '"kind": "border"' in fitted
    # the page's map names its layers for window.atlasView()
    page = build_map(sample_data).get_root().render()
    assert 'window.atlasLayerGroups = window.atlasLayerGroups || {})["borders"]' in page
    assert "window.atlasView = function" in page
