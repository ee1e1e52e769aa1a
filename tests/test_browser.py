"""The page in a real browser: `streamlit run app.py` on 127.0.0.1, Debian chromium via Playwright.

Screenshots go to artifacts/ (git-ignored): look at them, a blank map is the classic failure.
Timings are not asserted here; `make bench` reports them (tools/bench_browser.py).
"""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from geo.snapshot import find_chromium
from tools.bench_browser import (MAP_IFRAME, AppServer, clickable_marker, launch_chromium, timed_click,
                                 wait_for_full_page, wait_for_highlight, wait_for_map)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
LVIV, SOCHI = "geonames:702550", "geonames:491422"
HOSTILE_TEXT = (
    'Putin flew to Minsk. <script>window.pwned = 1; document.title = "pwned"</script>\n\n'
    "Then on to Kyiv <img src=x onerror=\"window.pwned = 2; document.title = 'pwned'\"> "
    '<svg onload="window.pwned = 3"></svg> and back to Minsk.'
)
HOSTILE_HTML = (
    "<html><head><title>Report &lt;img src=y onerror=window.pwned=4&gt;</title>"
    "<script>window.pwned = 5</script></head><body><h1>Putin in Minsk</h1>"
    "<p>He met the Kyiv delegation &lt;img src=z onerror=\"window.pwned=6\"&gt; in Minsk.</p></body></html>"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if find_chromium() is None:
        pytest.skip("Debian chromium is not installed (`make chromium`)")
    with AppServer(tmp_path_factory.mktemp("atlas-home")) as running:
        yield running


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch_chromium(p)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.requests = []  # every request of the page and its frames, websockets included
    page.errors = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("websocket", lambda ws: page.requests.append(ws.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture(scope="module")
def sample_places() -> list[str]:
    """Place ids of the sample in the table's order."""
    from geo.articles import sample_source
    from geo.pipeline import geoparse

    source, filename = sample_source()
    return [p.id for p in geoparse(source, filename=filename).places]


@pytest.fixture(scope="module")
def sample_ids(sample_places) -> list[str]:
    return sorted(sample_places)


def _shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=False)
    return path


def _colours(png: bytes) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").resize((200, 150))
    return len(set(image.tobytes()[i:i + 3] for i in range(0, 200 * 150 * 3, 3)))


def _open(page, server, query: str = ""):
    page.goto(server.url + query)
    return wait_for_map(page)


def _place_ids(frame) -> list[str]:
    return sorted(set(frame.evaluate(
        "Array.from(document.querySelectorAll('[data-place-id]')).map(e => e.getAttribute('data-place-id'))")))


def _article_marks(page, selector: str) -> list[str]:
    return page.evaluate("""(selector) => {
        const host = document.querySelector('[data-testid="stBidiComponentIsolated"]');
        return Array.from(host.shadowRoot.querySelectorAll(selector)).map(m => m.dataset.place || m.id);
    }""", selector)


def test_map_renders_offline_with_every_sample_place(page, server, sample_ids):
    frame = _open(page, server)
    assert _place_ids(frame) == sample_ids
    assert page.locator(MAP_IFRAME).bounding_box()["height"] > 400
    land = frame.evaluate("""() => {
        const canvas = document.querySelector('.leaflet-atlasBasemap-pane canvas');
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let drawn = 0;
        for (let i = 3; i < data.length; i += 4 * 16) { if (data[i] > 0) drawn++; }
        return drawn / (data.length / (4 * 16));
    }""")
    assert land > 0.2, f"the offline basemap covers only {land:.0%} of the map"
    assert frame.evaluate("typeof L !== 'undefined' && L.version") == "1.9.4"
    _shot(page, "browser-map.png")
    colours = _colours(page.locator(MAP_IFRAME).screenshot())
    assert colours > 40, f"the map looks blank ({colours} colours)"
    assert not page.errors, page.errors


def test_no_request_leaves_localhost(page, server):
    frame = _open(page, server)
    wait_for_full_page(page)
    marker = clickable_marker(frame)
    timed_click(page, frame, marker)
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Go to a place").locator("input").click()
    page.keyboard.type("Lwiw")
    page.keyboard.press("Enter")
    frame.wait_for_function(f"window.atlasSelected === '{LVIV}' && window.atlasBasemapDetail === true",
                            timeout=30_000)
    assert len(page.requests) > 20
    outside = [u for u in page.requests
               if urlparse(u).scheme not in ("data", "blob", "about") and urlparse(u).hostname != "127.0.0.1"]
    assert outside == [], outside
    assert any(u.endswith("/app/static/vendor/leaflet/leaflet.js") for u in page.requests)


def test_clicking_a_marker_highlights_its_passage(page, server):
    frame = _open(page, server)
    wait_for_full_page(page)  # picked while the rest of the page is drawn, a marker may be covered when clicked
    marker = clickable_marker(frame)
    assert marker is not None, "no uncovered city marker to click"
    seconds = timed_click(page, frame, marker)
    selected = _article_marks(page, "mark.selected")
    assert selected and set(selected) == {marker["id"]}
    passages = _article_marks(page, ".passage.selected")
    assert passages and all(p.startswith("passage-") for p in passages)
    popup = frame.locator(".leaflet-popup-content .atlas-popup")
    popup.wait_for(timeout=5_000)
    assert popup.get_attribute("data-place") == marker["id"]
    visible = page.evaluate("""(id) => {
        const host = document.querySelector('[data-testid="stBidiComponentIsolated"]');
        const view = host.shadowRoot.querySelector('.atlas-view');
        const mark = host.shadowRoot.querySelector('mark.selected');
        return new Promise(resolve => setTimeout(() => {
            const v = view.getBoundingClientRect(), m = mark.getBoundingClientRect();
            resolve(m.top >= v.top && m.bottom <= v.bottom);
        }, 900));
    }""", marker["id"])
    assert visible, "the article scrolls to the first mention"
    _shot(page, "browser-click.png")
    print(f"click → passage highlighted in {seconds * 1000:.0f} ms")


def test_choosing_a_place_moves_the_map_without_reloading_it(page, server, sample_places):
    frame = _open(page, server)
    frame.evaluate("window.atlasSurvivor = 'still here'")
    iframe = page.locator(MAP_IFRAME).element_handle()
    before = frame.evaluate("[window.atlasMap.getCenter().lat, window.atlasMap.getCenter().lng, window.atlasMap.getZoom()]")
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Go to a place").locator("input").click()
    page.keyboard.type("Lwiw")
    page.keyboard.press("Enter")
    frame.wait_for_function(f"window.atlasSelected === '{LVIV}' && window.atlasFlights >= 1", timeout=20_000)
    lat, lng, zoom = frame.evaluate("[window.atlasMap.getCenter().lat, window.atlasMap.getCenter().lng, window.atlasMap.getZoom()]")
    assert math.hypot(lat - 49.84, lng - 24.03) < 1.0 and zoom >= 6, (before, (lat, lng, zoom))
    assert frame.evaluate("window.atlasSurvivor") == "still here", "the map was reloaded"
    assert page.evaluate("(el) => el === document.querySelector('iframe[title=\"streamlit_folium.st_folium\"]')", iframe)
    wait_for_highlight(page, LVIV)
    assert frame.locator(".leaflet-popup-content .atlas-popup").get_attribute("data-place") == LVIV
    _shot(page, "browser-list.png")

    # article → map: click the mention «Sotschi» in the text
    host = page.locator('[data-testid="stBidiComponentIsolated"]')
    host.locator(f'mark[data-place="{SOCHI}"]').first.click()
    frame.wait_for_function(f"window.atlasSelected === '{SOCHI}' && window.atlasFlights >= 2", timeout=20_000)
    lat, lng = frame.evaluate("[window.atlasMap.getCenter().lat, window.atlasMap.getCenter().lng]")
    assert math.hypot(lat - 43.6, lng - 39.73) < 1.0
    assert frame.evaluate("window.atlasSurvivor") == "still here"
    assert parse_qs(urlparse(page.url).query)["place"] == [SOCHI]
    _shot(page, "browser-article-to-map.png")

    # table → map: tick the row of Warsaw (rows are 35 px under a 35 px header)
    warsaw = "geonames:756135"
    # the places table: the first grid of the page (the Figures panel's comes after it)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 35 * sample_places.index(warsaw) + 17)
    frame.wait_for_function(f"window.atlasSelected === '{warsaw}' && window.atlasFlights >= 3", timeout=20_000)
    lat, lng = frame.evaluate("[window.atlasMap.getCenter().lat, window.atlasMap.getCenter().lng]")
    assert math.hypot(lat - 52.23, lng - 21.01) < 1.0
    assert frame.evaluate("window.atlasSurvivor") == "still here"


def _paste(page, text: str) -> None:
    page.get_by_text("Paste text", exact=True).click()
    area = page.locator('[data-testid="stTextArea"] textarea')
    area.fill(text)
    area.press("Control+Enter")
    page.get_by_role("button", name="Map this article").click()


def _assert_nothing_ran(page, frame) -> None:
    assert page.evaluate("window.pwned") is None
    assert frame.evaluate("window.pwned") is None
    assert "pwned" not in page.title()
    local = [urlparse(u).path for u in page.requests]
    assert not {"/x", "/y", "/z"} & set(local), "an injected <img> was loaded"
    assert not page.errors, page.errors


def _new_article_shown(page, *, places: int):
    """Wait for a newly entered article's map (with this many places); return (map frame, article text)."""
    page.wait_for_url(lambda url: "article=sample" not in url, timeout=15_000)
    frame = wait_for_map(page)
    frame.wait_for_function(f"document.querySelectorAll('[data-place-id]').length === {places}", timeout=15_000)
    text = page.evaluate("""() => document.querySelector('[data-testid="stBidiComponentIsolated"]')
                                   .shadowRoot.querySelector('.atlas-view').textContent""")
    return frame, text


def test_hostile_article_executes_nothing(page, server):
    _open(page, server)
    _paste(page, HOSTILE_TEXT)
    frame, text = _new_article_shown(page, places=2)
    assert '<script>window.pwned = 1; document.title = "pwned"</script>' in text
    assert "<img src=x onerror=" in text
    quoted = []
    for name, place_id in (("Minsk", "geonames:625144"), ("Kyiv", "geonames:703448")):
        # open both popups: they quote the hostile passages
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Go to a place").locator("input").click()
        page.keyboard.type(name)
        page.keyboard.press("Enter")
        popup = frame.locator(f'.leaflet-popup-content .atlas-popup[data-place="{place_id}"]')
        popup.wait_for(timeout=20_000)
        quoted.append(popup.inner_text())
        frame.wait_for_timeout(900)
    assert "<script>" in quoted[0] and "<img src=x" in quoted[1], quoted
    _shot(page, "browser-hostile.png")
    _assert_nothing_ran(page, frame)


def test_hostile_html_upload_executes_nothing(page, server, tmp_path):
    _open(page, server)
    upload = tmp_path / "report.html"
    upload.write_text(HOSTILE_HTML, encoding="utf-8")
    page.get_by_text("Upload a file", exact=True).click()
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Article file")
    uploader.locator('input[type="file"]').set_input_files(str(upload))
    page.get_by_role("button", name="Map this file").click()
    frame, text = _new_article_shown(page, places=2)
    assert '<img src=z onerror="window.pwned=6">' in text
    _shot(page, "browser-hostile-upload.png")
    _assert_nothing_ran(page, frame)


def test_exports_download_and_the_html_map_opens_offline(page, server, browser, sample_ids, tmp_path):
    import csv
    import json

    _open(page, server)
    downloads = {}
    for label in ("GeoJSON", "CSV (places)", "HTML map (offline)", "GeoPackage"):
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name=label).click()
        downloads[label] = tmp_path / download.value.suggested_filename
        download.value.save_as(downloads[label])
    collection = json.loads(downloads["GeoJSON"].read_text(encoding="utf-8"))
    assert sorted(f["properties"]["id"] for f in collection["features"]) == sample_ids
    rows = list(csv.DictReader(downloads["CSV (places)"].read_text(encoding="utf-8").splitlines()))
    assert sorted(r["id"] for r in rows) == sample_ids
    assert downloads["GeoPackage"].read_bytes()[:16] == b"SQLite format 3\x00"
    page.get_by_role("button", name="Render PNG").click()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download PNG").click(timeout=60_000)
    png = tmp_path / download.value.suggested_filename
    download.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and _colours(png.read_bytes()) > 40

    offline = browser.new_context(viewport={"width": 1200, "height": 800})
    try:
        exported = offline.new_page()
        leaving = []
        exported.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                       else (leaving.append(route.request.url), route.abort()))
        exported.goto(downloads["HTML map (offline)"].as_uri())
        exported.wait_for_function("window.atlasReady === true && window.atlasBasemapReady >= 1", timeout=20_000)
        assert _place_ids(exported.main_frame) == sample_ids
        assert leaving == []
        exported.wait_for_timeout(300)
        _shot(exported, "browser-export-html.png")
    finally:
        offline.close()


def test_png_export_renders_the_map(sample_ids):
    if find_chromium() is None:
        pytest.skip("Debian chromium is not installed (`make chromium`)")
    from geo.articles import sample_source
    from geo.mapping import map_data, standalone_html
    from geo.pipeline import geoparse
    from geo.snapshot import png_bytes
    from PIL import Image

    source, filename = sample_source()
    png = png_bytes(standalone_html(map_data(geoparse(source, filename=filename)), title="Sample"),
                    width=1200, height=800)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "export.png").write_bytes(png)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (1200, 800)
    assert _colours(png) > 40, "the exported PNG looks blank"
    # the nine city dots (#E69F00, radius 6.5 px) at their size: not blank, not caught mid-zoom
    raw = image.tobytes()
    orange = sum(1 for i in range(0, len(raw), 3) if abs(raw[i] - 0xE6) < 12 and abs(raw[i + 1] - 0x9F) < 12
                 and raw[i + 2] < 40)
    assert 9 * 60 < orange < 9 * 400, f"{orange} city-coloured pixels"


def _ids_once(page, *, without: str | None = None, timeout_s: float = 30.0) -> list[str]:
    """The map's place ids, waiting (the map is rebuilt after a correction) until `without` is gone."""
    import time

    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout_s
    while True:
        try:
            ids = _place_ids(wait_for_map(page, 90))
        except PlaywrightError as error:  # the old map frame went away mid-read: read the new one
            if "detached" not in str(error) or time.monotonic() > deadline:
                raise
            ids = [without]
        if without not in ids or time.monotonic() > deadline:
            return ids
        time.sleep(0.2)


def test_two_visitors_keep_their_corrections_apart_and_a_link_shares_a_view(browser, server):
    warsaw = "geonames:756135"
    contexts = [browser.new_context(viewport={"width": 1500, "height": 1000}) for _ in range(3)]
    alice, bob, carol = (c.new_page() for c in contexts)
    try:
        alice.goto(server.url + f"?place={warsaw}")
        wait_for_map(alice, 90)  # three pages at once on a busy two-core machine: be patient
        alice.get_by_role("button", name="Remove «Warschau»").click()
        assert warsaw not in _ids_once(alice, without=warsaw)
        alice.locator('[data-testid="stBidiComponentIsolated"]').locator(f'mark[data-place="{SOCHI}"]').first.click()
        alice.wait_for_url(lambda url: f"place={SOCHI.replace(':', '%3A')}" in url or f"place={SOCHI}" in url,
                           timeout=20_000)
        link = alice.url
        assert "ws=" in link

        bob.goto(server.url)  # another visitor, at the same time, on the same server
        assert warsaw in _ids_once(bob), "one visitor's removal changed another's map"
        assert parse_qs(urlparse(bob.url).query)["ws"] != parse_qs(urlparse(link).query)["ws"]

        carol.goto(link)  # alice sent her link
        assert warsaw not in _ids_once(carol)
        frame = wait_for_map(carol, 90)
        frame.wait_for_function(f"window.atlasSelected === '{SOCHI}'", timeout=20_000)
        wait_for_highlight(carol, SOCHI)
        _shot(carol, "browser-shared-link.png")
    finally:
        for c in contexts:
            c.close()


def test_a_narrow_screen_shows_the_map_above_the_article(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    try:
        page.goto(server.url)
        wait_for_map(page, 90)
        boxes = page.evaluate("""() => {
            const map = document.querySelector('iframe[title="streamlit_folium.st_folium"]').getBoundingClientRect();
            const text = document.querySelector('[data-testid="stBidiComponentIsolated"]').getBoundingClientRect();
            return {map: [map.top, map.bottom, map.width], text: [text.top, text.width]};
        }""")
        assert boxes["map"][1] <= boxes["text"][0] + 1, boxes
        assert boxes["map"][2] > 300 and boxes["text"][1] > 300, "one column: both use the screen's width"
        _shot(page, "browser-narrow.png")
    finally:
        context.close()


def _drag_and_zoom(page) -> None:
    """Zoom in with the mouse wheel and drag the map, as a user would."""
    box = page.locator(MAP_IFRAME).bounding_box()
    x, y = box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.55
    page.mouse.move(x, y)
    page.mouse.wheel(0, -240)
    page.wait_for_timeout(800)
    page.mouse.down()
    page.mouse.move(x + 120, y + 60, steps=8)
    page.mouse.up()
    page.wait_for_timeout(800)


def _contains(outer, inner, slack: float = 1e-6) -> bool:
    (s1, w1), (n1, e1) = outer
    (s2, w2), (n2, e2) = inner
    return s1 <= s2 + slack and w1 <= w2 + slack and n1 >= n2 - slack and e1 >= e2 - slack


def test_a_briefing_exported_from_the_page_shows_the_view_and_layers_left_on(page, server, sample_places, tmp_path):
    """Pan, zoom and switch the borders off: nothing reaches Python (no rerun), and the PNG and
    the PDF sheet rendered afterwards show that view without the border."""
    import pypdf
    from PIL import Image

    from geo.briefing import PNG_VIEW_KEY

    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    frame = _open(page, server)
    fitted = frame.evaluate("window.atlasView()")
    page.wait_for_timeout(1000)
    quiet = len(sent)
    _drag_and_zoom(page)
    frame.locator(".leaflet-control-layers-overlays label").filter(has_text="Borders").click()
    page.wait_for_timeout(1000)
    assert len(sent) == quiet, "a pan, zoom or layer switch sent something to the server (a rerun)"
    wanted = frame.evaluate("window.atlasView()")
    assert wanted["zoom"] > fitted["zoom"] and "borders" not in wanted["layers"] and "cities" in wanted["layers"]

    files = {}
    for label in ("PNG", "PDF sheet"):
        page.locator("button.atlas-render").filter(has_text=f"Render {label}").click()
        with page.expect_download(timeout=90_000) as download:
            page.get_by_role("button", name=f"Download {label}").click(timeout=90_000)
        files[label] = tmp_path / download.value.suggested_filename
        download.value.save_as(files[label])
    _shot(page, "browser-export-view.png")

    image = Image.open(files["PNG"])
    assert image.size == (1920, 1080)
    shown = json.loads(image.text[PNG_VIEW_KEY])
    assert _contains(shown["bounds"], wanted["bounds"]), (shown, wanted)
    (south, west), (north, east) = shown["bounds"]
    (s, w), (n, e) = wanted["bounds"]
    assert north - south < 1.5 * (n - s), "the image shows the view, not much more around it"
    assert (north - south) < 0.5 * (fitted["bounds"][1][0] - fitted["bounds"][0][0]), "zoomed in, as the page was"
    assert shown["layers"] == wanted["layers"]
    raw = image.convert("RGB").crop((0, 200, 1920, 1000)).tobytes()
    border = sum(1 for i in range(0, len(raw), 3) if abs(raw[i] - 0xD5) < 12 and abs(raw[i + 1] - 0x5E) < 12
                 and raw[i + 2] < 30)
    assert border < 50, f"{border} border-coloured pixels: the border layer was switched off"
    (ARTIFACTS / "browser-export-view-briefing.png").write_bytes(files["PNG"].read_bytes())

    text = " ".join(p.extract_text() for p in pypdf.PdfReader(files["PDF sheet"]).pages)
    flat = re.sub(r"\s+", "", text)
    # the places' list names the border «Grenze Belarus–Ukraine (Belarus–Ukraine border)»; the claims
    # check (an extra section about the article's own figure) may still quote it
    assert "GrenzeBelarus–Ukraine(" not in flat and "(landborder)" not in flat, "the border is neither listed nor measured"
    assert "Lwiw" in text and "Minsk" in text
    extent = re.search(r"themapshows([\d.]+)°N–([\d.]+)°N,([\d.]+)°E–([\d.]+)°E", flat)
    assert extent, "the sheet says what its map shows"
    lat_s, lat_n, lon_w, lon_e = (float(v) for v in extent.groups())
    assert _contains([[lat_s, lon_w], [lat_n, lon_e]], wanted["bounds"], slack=0.01), (extent.groups(), wanted)
    assert lat_n - lat_s < 0.5 * (fitted["bounds"][1][0] - fitted["bounds"][0][0])
