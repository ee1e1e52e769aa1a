"""Briefing exports rendered for real by Debian chromium: the locator-map PNG, the SVG, the A4
sheet (PDF text read back with pypdf), and the offline HTML map with every marker clickable.

Images go to artifacts/ (git-ignored): look at them.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from geo.snapshot import find_chromium

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
# Written for this test: a German regional story with places close together.
FLOOD_DE = (
    "Hochwasser in Bayern: Donau steigt in Passau und Regensburg\n\n"
    "Von Anna Berger, München 3. Juni 2024\n\n"
    "In Passau stieg die Donau am Montag auf zehn Meter. In Regensburg und Kelheim wurden Sandsäcke verteilt.\n\n"
    "Auch in Augsburg, Günzburg und Ulm mussten Menschen ihre Häuser verlassen. Am Flughafen München fielen "
    "Flüge aus, die Strecke zwischen Stuttgart und München war gesperrt."
)


@pytest.fixture(scope="module")
def renderer():
    if find_chromium() is None:
        pytest.skip("Debian chromium is not installed (`make chromium`)")
    from geo.snapshot import Renderer

    with Renderer() as running:
        yield running


@pytest.fixture(scope="module")
def sample():
    from geo.articles import sample_source
    from geo.pipeline import geoparse

    source, filename = sample_source()
    return geoparse(source, filename=filename)


@pytest.fixture(scope="module")
def flood():
    from geo.pipeline import geoparse

    return geoparse(FLOOD_DE, filename="flood.txt", lang="de")


def _image(png: bytes):
    from PIL import Image

    return Image.open(io.BytesIO(png)).convert("RGB")


def _colours(image) -> int:
    small = image.resize((200, 150))
    raw = small.tobytes()
    return len({raw[i:i + 3] for i in range(0, len(raw), 3)})


def _page_layout(renderer, html: str, width: int, height: int) -> dict:
    """Open a map page as the PNG export does and report its controls, labels and markers."""
    page = renderer._open(html, width=width, height=height, scale=1.0, wait_map=True)
    try:
        return page.evaluate("""() => { const origin = document.querySelector('.folium-map').getBoundingClientRect();
        return {
            controls: Array.from(document.querySelectorAll(
                '.leaflet-control-zoom, .leaflet-control-layers, .leaflet-control-attribution')).length,
            labels: window.atlasLabelBoxes,
            basemap: Array.from(document.querySelectorAll('.atlas-basemap-label')).filter(
                el => getComputedStyle(el).visibility !== 'hidden' && el.getBoundingClientRect().width > 0
            ).map(el => { const r = el.getBoundingClientRect();
                          return {name: el.textContent, x: r.left - origin.left, y: r.top - origin.top,
                                  w: r.width, h: r.height}; }),
            size: {w: origin.width, h: origin.height},
            markers: Array.from(document.querySelectorAll('[data-place-id]')).filter(
                el => el.getAttribute('data-kind') === 'city' || el.getAttribute('data-kind') === 'facility'
            ).map(el => { const r = el.getBoundingClientRect();
                          return {id: el.getAttribute('data-place-id'), x: r.left - origin.left, y: r.top - origin.top,
                                  w: r.width, h: r.height}; }),
            title: document.querySelector('.atlas-brief-head h1') && document.querySelector('.atlas-brief-head h1').textContent,
            credits: document.querySelector('.atlas-brief-foot') && document.querySelector('.atlas-brief-foot').textContent,
        }; }""")
    finally:
        page.close()


def _overlap(a: dict, b: dict) -> float:
    dx = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return dx * dy if dx > 0 and dy > 0 else 0.0


@pytest.mark.parametrize("article", ["sample", "flood"])
def test_briefing_png_is_a_labelled_locator_map(renderer, request, article):
    from geo.briefing import _layout, briefing_html, briefing_png
    from geo.mapping import map_data
    from geo.records import article_meta

    result = request.getfixturevalue(article)
    meta = article_meta(result.article)
    png = briefing_png(result, meta, renderer=renderer)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"briefing-{article}.png").write_bytes(png)
    image = _image(png)
    assert image.size == (1920, 1080)
    # the map area (between the title and the credits) is drawn, not blank
    map_area = image.crop((0, 200, 1920, 1000))
    assert _colours(map_area) > 40, "the map looks blank"
    # the places' own colours are in it: city dots
    raw = map_area.tobytes()
    orange = sum(1 for i in range(0, len(raw), 3) if abs(raw[i] - 0xE6) < 14 and abs(raw[i + 1] - 0x9F) < 14
                 and raw[i + 2] < 50)
    cities = sum(1 for p in result.places if p.kind == "city")
    assert orange > cities * 80, f"{orange} city-coloured pixels for {cities} cities"

    width, height, _ = _layout(1920, 1080, 1.0)
    layout = _page_layout(renderer, briefing_html(map_data(result), meta), width, height)
    assert layout["controls"] == 0, "no zoom buttons, layer switcher or attribution box in a briefing image"
    assert layout["title"] == meta.title and "OpenStreetMap" in layout["credits"] and "Article Atlas" in layout["credits"]
    labels = layout["labels"]
    assert sorted(label["id"] for label in labels) == sorted(p.id for p in result.places)
    assert all(label["shown"] for label in labels), [label for label in labels if not label["shown"]]
    shown = [label for label in labels if label["shown"]]
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            assert _overlap(a, b) == 0, f"labels of {a['id']} and {b['id']} collide"
    markers = layout["markers"]
    for label in shown:
        for marker in markers:
            assert _overlap(label, marker) < 4, f"the label of {label['id']} hides the marker of {marker['id']}"


def test_basemap_names_never_collide_nor_leave_the_map(renderer):
    # Jerusalem and East Jerusalem are both capitals on the basemap, a few pixels apart at this view
    from geo.briefing import _layout, briefing_html
    from geo.mapping import map_data
    from geo.pipeline import geoparse
    from geo.records import article_meta

    result = geoparse("In Damaskus und in Kairo wurde demonstriert, auch auf den Golanhöhen.",
                      filename="syrien.txt", lang="de")
    width, height, _ = _layout(1920, 1080, 1.0)
    layout = _page_layout(renderer, briefing_html(map_data(result), article_meta(result.article)), width, height)
    names, size = layout["basemap"], layout["size"]
    assert len(names) >= 3, names  # the basemap still names the cities around
    for i, a in enumerate(names):
        assert a["x"] >= 0 and a["y"] >= 0 and a["x"] + a["w"] <= size["w"] and a["y"] + a["h"] <= size["h"], a
        for b in names[i + 1:]:
            assert _overlap(a, b) == 0, f"basemap names {a['name']} and {b['name']} collide"
        for label in layout["labels"]:
            assert _overlap(a, label) == 0, f"basemap name {a['name']} covers the label of {label['id']}"


def test_basemap_city_names_are_made_when_the_zoom_shows_them(renderer):
    # places on three continents open the map on the world (zoom < 5): no name made yet; at 5
    # the capitals' names; from 7 every city's
    from geo.mapping import map_data, standalone_html
    from geo.pipeline import geoparse

    result = geoparse("Delegations from Tokyo, Lima and Oslo met in Nairobi.", filename="world.txt", lang="en")
    page = renderer._open(standalone_html(map_data(result)), width=1200, height=800, scale=1.0, wait_map=True)
    try:
        count = """() => [window.atlasMap.getZoom(), document.querySelectorAll('.atlas-basemap-label').length,
                          document.querySelectorAll('.atlas-basemap-label:not(.capital)').length]"""
        zoom, names, others = page.evaluate(count)
        assert zoom < 5 and names == 0, (zoom, names)
        for target, want_capitals_only in ((5, True), (7, False)):
            page.evaluate(f"""() => new Promise(done => {{ window.atlasMap.once('zoomend', () => done());
                              window.atlasMap.setView([50.1, 8.7], {target}, {{animate: false}}); }})""")
            zoom, names, others = page.evaluate(count)
            assert zoom == target and names > 0, (zoom, names)
            assert (others == 0) == want_capitals_only, (zoom, names, others)
    finally:
        page.close()


def test_a_close_up_zooms_in_and_carries_an_inset_locator(renderer, sample):
    from geo.briefing import _layout, briefing_html
    from geo.mapping import map_data
    from geo.pipeline import geoparse
    from geo.records import article_meta

    width, height, _ = _layout(1920, 1080, 1.0)
    script = """() => { const map = document.querySelector('.folium-map'), inset = document.querySelector('.atlas-inset');
        const box = inset && inset.getBoundingClientRect();
        return {zoom: window[map.id].getZoom(), inset: !!(inset && inset.querySelector('.leaflet-pane')),
                covered: box ? Array.from(document.querySelectorAll('[data-place-id]')).filter(el => {
                    const r = el.getBoundingClientRect();
                    return r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom;
                }).length : 0}; }"""

    def layout(result):
        page = renderer._open(briefing_html(map_data(result), article_meta(result.article)), width=width,
                              height=height, scale=1.0, wait_map=True)
        try:
            return page.evaluate(script)
        finally:
            page.close()

    valley = layout(geoparse("Lawinen sperrten die Straßen nach Lech, Warth und Stuben in Vorarlberg.",
                             filename="arlberg.txt", lang="de"))
    assert valley["zoom"] > 7 and valley["inset"] and valley["covered"] == 0, valley
    wide = layout(sample)  # Belarus to Sochi: no close-up, no inset
    assert wide["zoom"] <= 7 and not wide["inset"], wide


def test_png_size_and_scale_options(renderer, flood):
    from geo.briefing import briefing_png
    from geo.records import article_meta

    png = briefing_png(flood, article_meta(flood.article), size=(800, 600), scale=2, renderer=renderer)
    assert _image(png).size == (1600, 1200)


def test_briefing_sheet_pdf_has_every_place_and_a_quote(renderer, sample):
    import pypdf

    from geo.briefing import sheet_pdf
    from geo.records import article_meta, key_quote

    meta = article_meta(sample.article)
    pdf = sheet_pdf(sample, meta, renderer=renderer)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "briefing-sample.pdf").write_bytes(pdf)
    assert 1 <= len(pypdf.PdfReader(io.BytesIO(pdf)).pages) <= 2, "the sheet itself takes one or two pages"
    # an extra section (the claims check's figures) follows the places table, on a page of its own if need be
    extra = ("Figures checked", "<p>Border length stated: 1,000 km &lt;check&gt;</p>")
    reader = pypdf.PdfReader(io.BytesIO(sheet_pdf(sample, meta, renderer=renderer, sections=[extra])))
    assert len(reader.pages) <= 3
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (842, 595), "A4 landscape"
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", "", text)
    for place in sample.places:
        assert re.sub(r"\s+", "", place.display_name) in flat, place.display_name
    assert meta.headline.replace(" ", "") in flat and "19.Dezember2022" in flat
    quote = key_quote(next(p for p in sample.places if p.display_name == "Minsk"), sample.article)
    assert re.sub(r"\s+", "", quote)[:60] in flat
    assert "1,084km" in flat, "the measured border length"
    assert "Figureschecked" in flat and "<check>" in text, "an extra section, its HTML escaped by the caller"
    assert "OpenStreetMap" in text


def test_briefing_svg_is_vector_text_and_paths(renderer, flood):
    import shutil

    if shutil.which("pdftocairo") is None:
        pytest.skip("poppler-utils is not installed (`make system`)")
    from geo.briefing import briefing_svg
    from geo.records import article_meta

    svg = briefing_svg(flood, article_meta(flood.article), size=(1280, 720), renderer=renderer).decode("utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert svg.count("<path") > 100, "places, borders and glyphs are vector paths"
    assert 'width="1280' in svg or 'width="960' in svg


def test_exported_html_is_offline_and_every_marker_clicks(renderer, sample):
    from geo.mapping import map_data, standalone_html

    html = standalone_html(map_data(sample), title="Sample")
    # no tag loads anything from outside the file (Leaflet's own source names its home page in a
    # string: that is checked in the rendered page below, where it must not become a link)
    tags = re.findall(r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert tags == [] and re.findall(r"url\(\s*['\"]?(?:https?:)?//", html) == []
    leaving: list[str] = []
    page = renderer._browser.new_page(viewport={"width": 1200, "height": 800})
    try:
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                   else (leaving.append(route.request.url), route.abort()))
        path = Path(renderer._folder.name) / "export.html"
        path.write_text(html, encoding="utf-8")
        page.goto(path.as_uri())
        page.wait_for_function("window.atlasReady === true && window.atlasBasemapReady >= 1 && "
                               "window.atlasLabelsReady >= 1", timeout=30_000)
        page.wait_for_timeout(200)
        covered = page.evaluate("""() => {
            const out = {checked: 0, covered: []};
            for (const el of document.querySelectorAll('[data-place-id]')) {
                if (!['city', 'facility'].includes(el.getAttribute('data-kind')) && el.tagName !== 'path') continue;
                if (el.tagName === 'path' && !el.getAttribute('d').includes('a')) continue;  // areas and lines
                const r = el.getBoundingClientRect();
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) continue;
                out.checked++;
                const top = document.elementFromPoint(x, y);
                if (!(top === el || el.contains(top))) {
                    out.covered.push(el.getAttribute('data-place-id') + ' under ' +
                                     (top.closest('[data-place-id]') || top).getAttribute('data-place-id'));
                }
            }
            return out;
        }""")
        points = [p for p in sample.places if p.kind in ("city", "facility")]
        assert covered["checked"] >= len(points) - 1, covered  # all but one inside the default view at least
        assert covered["covered"] == [], covered["covered"]
        assert leaving == []
        external = page.evaluate("""() => Array.from(document.querySelectorAll('[src], [href]'))
            .map(el => el.getAttribute('src') || el.getAttribute('href')).filter(u => /^(https?:)?\\/\\//.test(u))""")
        assert external == [], external
        # a real click on Minsk opens Minsk's popup, not the airport's
        minsk = page.locator('[data-place-id="geonames:625144"]')
        box = minsk.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.locator(".leaflet-popup-content .atlas-popup").wait_for(timeout=5_000)
        assert page.locator(".leaflet-popup-content .atlas-popup").get_attribute("data-place") == "geonames:625144"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "export-html-click.png"))
    finally:
        page.close()


def test_the_command_line_fits_the_places_and_the_png_says_so(tmp_path):
    """`python -m geo export --png` has no page view: its map fits the places, every layer on,
    and the PNG records that view and its title (the page's own view: tests/test_browser.py)."""
    import json
    import subprocess
    import sys

    from PIL import Image

    from geo.briefing import PNG_VIEW_KEY
    from geo.kinds import KIND_LAYER
    from geo.pipeline import geoparse

    if find_chromium() is None:
        pytest.skip("Debian chromium is not installed (`make chromium`)")
    article = tmp_path / "flood.txt"
    article.write_text(FLOOD_DE, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "geo", "export", str(article), "--lang", "de", "--png",
                          str(tmp_path / "map.png"), "--size", "1280x720"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    image = Image.open(tmp_path / "map.png")
    assert image.size == (1280, 720) and image.text["Title"].startswith("Hochwasser in Bayern")
    shown = json.loads(image.text[PNG_VIEW_KEY])
    (south, west), (north, east) = shown["bounds"]
    places = geoparse(FLOOD_DE, filename="flood.txt", lang="de").places
    cities = [p.candidate for p in places if p.kind == "city"]
    assert cities and all(south < c.lat < north and west < c.lon < east for c in cities), shown
    assert set(shown["layers"]) == {KIND_LAYER[p.kind] for p in places}
