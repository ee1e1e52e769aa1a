"""The page's logic, headless (streamlit.testing.v1.AppTest): first visit, links, selection,
input, corrections. What the browser does with it is in test_browser.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.store import TEAM, Store, database_url, is_workspace_id

APP = str(Path(__file__).resolve().parents[1] / "app.py")
WARSAW, LVIV, KYIV = "geonames:756135", "geonames:702550", "geonames:703448"


@pytest.fixture()
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("ARTICLE_ATLAS_HOME", str(tmp_path))
    return tmp_path


def _app(query: dict | None = None) -> AppTest:
    """The page as a visitor sees it once the map has drawn (a browser's first run shows the map
    and the article only; test_the_first_run_shows_the_map_and_article_then_the_rest)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["map_drawn"] = True
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def _store(home: Path) -> Store:
    return Store.open(database_url(home=home))


def _param(at: AppTest, name: str) -> str:
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def _elements(node):
    children = getattr(node, "children", None)
    for child in (children.values() if isinstance(children, dict) else children or []):
        yield child
        yield from _elements(child)


def _map(at: AppTest) -> dict:
    found = [e for e in _elements(at.main) if getattr(e, "type", "") == "component_instance"]
    assert len(found) == 1, "one map"
    return json.loads(found[0].proto.json_args)


def _article(at: AppTest) -> dict:
    found = [e for e in _elements(at.main) if getattr(e, "type", "") == "bidi_component"
             and getattr(e, "key", "") == "article_view"]
    assert len(found) == 1, "one article view"
    return json.loads(found[0].proto.json)


def _ok(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def _click_map(at: AppTest, place_id: str, count: int) -> AppTest:
    at.session_state["atlas_map"] = {"last_active_drawing": {"type": "Feature", "geometry": None,
                                                             "properties": {"id": place_id}},
                                     "last_object_clicked_count": count}
    return at.run()


def test_first_visit_shows_the_sample_article(home):
    at = _app()
    _ok(at)
    assert at.title[0].value == "Article Atlas"
    status = [e for e in at.main.children.values() if type(e).__name__ == "Status"]
    assert status and status[0].label.startswith("Found ") and "places in" in status[0].label
    assert "places" in at.caption[0].value and "sample article" in at.caption[0].value
    assert _param(at, "article") == "sample" and is_workspace_id(_param(at, "ws")) and _param(at, "ws") != TEAM
    article = _article(at)
    assert 'data-place="geonames:625144"' in article["html"] and article["selected"] is None
    table = at.dataframe[0].value
    assert {"Place", "Kind", "Country", "Mentions", "Confidence", "Source"} <= set(table.columns)
    assert len(table) >= 15
    assert [b.label for b in at.get("download_button")][:4] == ["GeoJSON", "GeoPackage", "CSV (places)",
                                                                   "HTML map (offline)"]


def test_map_assets_are_served_locally(home):
    args = _map(_app())
    assert args["js_links"] and all(u.startswith("/app/static/") for u in args["js_links"] + args["css_links"])
    assert "leaflet.js" in args["js_links"][0]
    assert args["returned_objects"] == ["last_active_drawing", "last_object_clicked_count"]
    assert "/app/static/basemap/countries.geojson" in args["script"]


def test_online_mode_adds_tiles_and_drops_the_offline_basemap(home):
    at = _app()
    assert "tile.openstreetmap.org" not in _map(at)["script"]
    at.sidebar.toggle(key="online").set_value(True).run()
    script = _map(at)["script"]
    assert "tile.openstreetmap.org" in script and "basemap/countries.geojson" not in script


def test_map_click_selects_the_place_everywhere(home):
    at = _app()
    before = _map(at)
    at = _click_map(at, WARSAW, 1)
    _ok(at)
    assert at.session_state["selected"] == WARSAW
    assert at.query_params["place"] in (WARSAW, [WARSAW])
    assert _article(at)["selected"] == WARSAW
    assert at.selectbox(key="place_select").value == WARSAW
    after = _map(at)
    assert after["key"] == before["key"], "the base map must not reload"
    assert WARSAW in after["feature_group"] and "flyTo" not in after["feature_group"]


def test_choosing_a_place_flies_the_map_without_reloading_it(home):
    at = _app()
    key = _map(at)["key"]
    at.selectbox(key="place_select").select(LVIV).run()
    _ok(at)
    args = _map(at)
    assert args["key"] == key
    assert "flyTo" in args["feature_group"] and LVIV in args["feature_group"]
    article = _article(at)
    assert article["selected"] == LVIV and article["scroll"] >= 1
    first = args["feature_group"]
    at.selectbox(key="place_select").select(KYIV).run()
    assert _map(at)["key"] == key and _map(at)["feature_group"] != first


def test_a_shared_link_reopens_the_same_view(home):
    at = _app({"article": "sample", "place": KYIV})
    _ok(at)
    assert at.session_state["selected"] == KYIV and _article(at)["selected"] == KYIV
    assert "flyTo" in _map(at)["feature_group"]


def test_an_unknown_linked_article_falls_back_to_the_sample(home):
    at = _app({"article": "0123456789abcdef"})
    assert not at.exception
    assert any("not stored" in w.value for w in at.warning)
    assert at.query_params["article"] in ("sample", ["sample"])


def _paste(at: AppTest, text: str) -> AppTest:
    at.sidebar.radio(key="input_mode").set_value("Paste text").run()
    at.sidebar.text_area(key="pasted").input(text)
    return at.sidebar.button(key="map_pasted").click().run()


def test_pasted_article_is_stored_and_linked(home):
    at = _paste(_app(), "Putin flew from Moscow to Minsk, then on to Warsaw.")
    _ok(at)
    article_id = at.query_params["article"]
    article_id = article_id[0] if isinstance(article_id, list) else article_id
    assert article_id != "sample" and _store(home).get_article(article_id)[1] == ""
    assert "3 places" in at.caption[0].value
    again = _app({"article": article_id})  # a restart, or a colleague with the link
    _ok(again)
    assert "3 places" in again.caption[0].value


def test_hostile_article_is_escaped_in_the_page(home):
    at = _paste(_app(), 'Putin in Minsk. <script>window.pwned=1</script> <img src=x onerror="window.pwned=1"> Kyiv.')
    _ok(at)
    html = _article(at)["html"]
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html and "<script" not in html and "<img" not in html
    assert "<img src=x" not in _map(at)["script"]


@pytest.mark.parametrize("text, message", [
    ("   ", "The article is empty"),
    ("x" * 2_000_001, "up to 2 MB"),
    ("1234 5678 9012 3456 7890 !!!! ???? ....", "does not look like article text"),
])
def test_bad_input_gets_a_clear_message(home, text, message):
    at = _paste(_app(), text)
    assert not at.exception
    assert any(message in e.value for e in at.sidebar.error), [e.value for e in at.sidebar.error]
    assert at.query_params["article"] in ("sample", ["sample"]), "the page keeps the article it had"


def test_corrections_persist_and_the_page_follows(home):
    at = _click_map(_app(), WARSAW, 1)
    remove = next(b for b in at.button if b.key == f"remove_{WARSAW}")
    at = remove.click().run()
    _ok(at)
    workspace = at.session_state["workspace"]
    assert _store(home).corrections(workspace).removed == {"warschau"}
    assert WARSAW not in _map(at)["script"] and "Warschau" not in set(at.dataframe[0].value["Place"])
    assert not any(str(home) in c.value for c in at.sidebar.caption), "no server path in the page"
    restarted = _app({"ws": workspace})
    assert "Warschau" not in set(restarted.dataframe[0].value["Place"]), "corrections survive a restart"
    export = next(b for b in restarted.sidebar.get("download_button") if "corrections" in b.label.lower())
    assert export is not None
    undo = next(b for b in restarted.sidebar.button if b.key == "undo_removed_warschau")
    at = undo.click().run()
    assert "Warschau" in set(at.dataframe[0].value["Place"])


def test_pick_another_candidate(home):
    at = _app({"place": "geonames:498817"})  # St. Petersburg, Russia
    alternatives = at.selectbox(key="alt_geonames:498817")
    assert "St. Petersburg · city · US" in alternatives.options, alternatives.options
    at = alternatives.select("geonames:4171563").run()
    at = next(b for b in at.button if b.key == "use_geonames:498817").click().run()
    _ok(at)
    stored = _store(home).corrections(at.session_state["workspace"])
    assert stored.chosen == {"st petersburg": "geonames:4171563"}
    table = at.dataframe[0].value
    row = table[table["Place"] == "St. Petersburg"].iloc[0]
    assert row["Country"] == "United States" and bool(row["Corrected"])
    assert at.session_state["selected"] == "geonames:4171563"


def test_figures_panel_lists_the_sample_claim_and_draws_it(home):
    at = _app()
    _ok(at)
    assert [e.label for e in at.expander if e.label.startswith("Figures")] == ["Figures (1)"]
    claims = next(d.value for d in at.dataframe if "Verdict" in d.value.columns)
    row = claims.iloc[0]
    assert row["Claim"] == "rund 1000 Kilometer lange Grenze" and row["Verdict"] == "plausible"
    assert row["Claimed"] == "1,000 km" and row["Measured"].startswith("1,08") and row["Difference"] == "+8 %"
    assert not any("km" in d.value.columns for d in at.dataframe), "distances only when asked"
    at.toggle(key="show_distances").set_value(True).run()
    distances = next(d.value for d in at.dataframe if "km" in d.value.columns)
    assert {"Lviv", "Lutsk", "Rivne", "Donbas"} <= set(distances[distances["From"] == "Belarus–Ukraine border"]["To"])
    key = _map(at)["key"]
    at.selectbox(key="claim_select").select(0).run()
    _ok(at)
    assert at.session_state["selected"] == "border:BY-UA"
    layers = _map(at)
    assert layers["key"] == key, "the base map must not reload"
    assert "atlas-measure" in layers["feature_group"] and "measured 1,084 km" in layers["feature_group"]
    assert "flyToBounds" in layers["feature_group"]
    at.selectbox(key="place_select").select(LVIV).run()  # another selection clears the figure
    assert at.session_state["measured"] is None and "atlas-measure" not in _map(at)["feature_group"]


def test_distance_rings_around_the_selected_place(home):
    at = _app()
    at.selectbox(key="place_select").select(LVIV).run()
    assert "atlas-ring" not in _map(at)["feature_group"]
    at.multiselect(key="rings").select(100).run()
    _ok(at)
    assert "atlas-ring" in _map(at)["feature_group"] and "100 km" in _map(at)["feature_group"]


def _remove_warsaw(at: AppTest) -> AppTest:
    at = _click_map(at, WARSAW, 1)
    return next(b for b in at.button if b.key == f"remove_{WARSAW}").click().run()


def _places(at: AppTest) -> set[str]:
    return set(at.dataframe[0].value["Place"])


def test_each_visitor_has_a_workspace_and_a_link_shows_the_sharers(home):
    alice = _remove_warsaw(_app())
    _ok(alice)
    assert "Warschau" not in _places(alice)
    bob = _app()  # another visitor, no link
    assert bob.session_state["workspace"] != alice.session_state["workspace"]
    assert "Warschau" in _places(bob), "one visitor's corrections do not change another's map"
    shared = _app({"ws": _param(alice, "ws"), "article": "sample"})  # alice sent her link
    assert "Warschau" not in _places(shared)


def test_the_team_workspace_is_an_explicit_choice(home):
    alice = _app()
    alice.sidebar.radio(key="workspace_kind").set_value("team").run()
    assert _param(alice, "ws") == TEAM
    alice = _remove_warsaw(alice)
    assert "Warschau" not in _places(alice)
    bob = _app()
    assert "Warschau" in _places(bob), "the team workspace is not the default"
    bob.sidebar.radio(key="workspace_kind").set_value("team").run()
    assert "Warschau" not in _places(bob)
    bob.sidebar.radio(key="workspace_kind").set_value("personal").run()
    assert "Warschau" in _places(bob) and _param(bob, "ws") != TEAM


def test_a_bad_workspace_id_in_the_link_gets_a_new_workspace(home):
    at = _app({"ws": "../../etc/passwd"})
    _ok(at)
    assert is_workspace_id(_param(at, "ws")) and _param(at, "ws") != "../../etc/passwd"


@pytest.mark.parametrize("url, message", [
    ("http://10.0.0.1/admin", "public web sites only"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("file:///etc/passwd", "Only http:// and https://"),
])
def test_a_refused_web_address_gets_a_clear_message(home, url, message):
    at = _app()
    at.sidebar.radio(key="input_mode").set_value("Web address").run()
    at.sidebar.text_input(key="article_url").input(url)
    at = at.sidebar.button(key="map_url").click().run()
    assert not at.exception
    assert any(message in e.value for e in at.sidebar.error), [e.value for e in at.sidebar.error]
    assert _param(at, "article") == "sample"


def test_a_shared_password_closes_the_page_until_typed(home, monkeypatch, caplog):
    secret = "correct horse 42"
    monkeypatch.setenv("ARTICLE_ATLAS_PASSWORD", secret)
    at = _app({"ws": TEAM})
    _ok(at)
    assert not at.dataframe and not at.sidebar.radio, "nothing of the dashboard before signing in"
    at.text_input(key="password").input("hunter2-typo")
    at = at.button[0].click().run()
    assert [e.value for e in at.error] == ["That password is not right."] and not at.dataframe
    at.text_input(key="password").input(secret)
    at = at.button[0].click().run()
    _ok(at)
    assert len(at.dataframe[0].value) >= 15 and _param(at, "ws") == TEAM, "the link's workspace is kept"
    assert secret not in caplog.text and "hunter2-typo" not in caplog.text
    assert any("wrong dashboard password" in r.message for r in caplog.records), "the failure itself is logged"


def test_no_sign_in_for_a_local_session(home):
    at = _app()
    _ok(at)
    assert not [t for t in at.text_input if t.key == "password"] and at.dataframe


def test_oidc_sign_in_shows_only_the_sign_in_button(home, monkeypatch):
    monkeypatch.setenv("ARTICLE_ATLAS_AUTH", "oidc")
    at = _app()
    assert any("misconfigured" in e.value and "[auth]" in e.value for e in at.error), "no [auth] section: closed"
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "atlas", "client_secret": "s3cret-client",
                          "server_metadata_url": "https://id.example/.well-known/openid-configuration"}
    at.run()
    assert not at.exception
    assert [b.key for b in at.button] == ["sign_in_oidc"] and not at.dataframe


def test_a_render_request_exports_the_view_and_layers_it_carries(home, monkeypatch):
    """A render button sends the map's view with its click (static/atlas/export-view.js; for real
    in tests/test_browser.py): the export shows that view and only the layers switched on, while
    a pan or zoom sends nothing (the map returns clicks only). Without a view it fits the places."""
    import geo.briefing

    rendered = []
    monkeypatch.setattr(geo.briefing, "briefing_png", lambda result, meta, *, data, gazetteer:
                        rendered.append(("png", data)) or b"\x89PNG view")
    monkeypatch.setattr(geo.briefing, "sheet_pdf", lambda result, meta, *, data, gazetteer, sections:
                        rendered.append(("pdf", data)) or b"%PDF view")
    at = _app()
    assert not {"bounds", "zoom", "center"} & set(_map(at)["returned_objects"]), "a pan must not rerun the page"
    assert not [b.label for b in at.get("download_button") if b.label.startswith("Download")]
    view = {"bounds": [[52.5, 25.0], [55.0, 30.5]], "zoom": 7, "layers": ["cities", "facilities"]}
    at.session_state["render_request"] = {"format": "png", "view": view, "at": 1}
    at.run()
    _ok(at)
    (kind, data), = rendered
    assert kind == "png" and data.view.bounds == ((52.5, 25.0), (55.0, 30.5))
    assert set(data.layers) == {"cities", "facilities"} and set(data.counts) == {"city", "facility"}
    assert "Download PNG" in [b.label for b in at.get("download_button")]
    at.session_state["render_request"] = {"format": "pdf", "view": None, "at": 2}
    at.run()
    _ok(at)
    kind, data = rendered[-1]
    assert kind == "pdf" and data.view is None and "borders" in data.layers, "no view: fitted, every layer"


def test_the_first_run_shows_the_map_and_article_then_the_rest(home):
    """A new session's first run: the map, the article and the signal that asks for the rest
    once the map has drawn (static/atlas/map-drawn.js); its trigger runs the whole page."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    _ok(at)
    assert _map(at)["script"] and _article(at)["html"]
    assert not at.dataframe and not any(str(t.key).startswith("export_kicker") for t in at.text_input)
    signals = [e for e in _elements(at.main) if getattr(e, "type", "") == "bidi_component"
               and getattr(e, "key", "") == "map_drawn_signal"]
    assert len(signals) == 1
    at.session_state["map_drawn"] = True  # what the signal's trigger callback sets
    at.run()
    _ok(at)
    assert at.dataframe and any(str(t.key).startswith("export_kicker") for t in at.text_input)
