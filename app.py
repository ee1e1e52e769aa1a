"""Article Atlas: the Streamlit page. A thin shell: widgets, session state, caching, layout.

Everything that can be tested without Streamlit lives in geo/ (geoparsing, the map, the article
HTML, corrections, storage, exports). Settings are read here (environment first, then
`.streamlit/secrets.toml`) and passed in: ARTICLE_ATLAS_HOME (the SQLite store and files of
earlier releases; default ~/.local/share/article-atlas), DATABASE_URL (PostgreSQL instead of
SQLite), ARTICLE_ATLAS_RETENTION_DAYS / _MAX_CORRECTIONS / _MAX_ARTICLE_MB (geo.store.Limits)
and ARTICLE_ATLAS_ASSETS (URL prefix of ./static, default /app/static).
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import logging
import math
import os
from collections.abc import Callable

import streamlit as st

from geo import config
from geo.access import access_from
from geo.articles import SAMPLE_ID, check_size
from geo.bundle import page_bundle
from geo.claims import claim_lines, distance_lines, distance_table, figures_sections, ring_lines
from geo.corrections import add, choose, correction_keys, default_home, from_json, merge, remove, to_json, undo
from geo.errors import AtlasError, FetchError, InputError
from geo.gazetteer import Gazetteer
from geo.mapping import (Assets, MapData, build_map, in_view, map_version, map_view, measurement_layer, selection_layer,
                         standalone_html)
from geo.models import Corrections, Geoparse
from geo.page_map import PAGE_MAP_KEY, RenderedMap, kept_base_map, show_map
from geo.persist import PAGES_DIR
from geo.snapshot import find_chromium
from geo.store import TEAM, Store, StoreError, database_url, is_workspace_id, limits_from, migrate_files, new_workspace_id
from geo.text import ENCODINGS, guess_encoding, preview, to_utf8
from geo.textview import KIND_LABELS, article_css, markdown_text
from geo.web import FetchLimits, fetch_article

log = logging.getLogger("article_atlas")

HOME = default_home(os.environ)
ACCESS_SETTINGS = ("ARTICLE_ATLAS_AUTH", "ARTICLE_ATLAS_PASSWORD")
SETTINGS = ("DATABASE_URL", "ARTICLE_ATLAS_RETENTION_DAYS", "ARTICLE_ATLAS_MAX_CORRECTIONS", "ARTICLE_ATLAS_MAX_ARTICLE_MB")
ASSETS = Assets(os.environ.get("ARTICLE_ATLAS_ASSETS") or "/app/static")
MAP_HEIGHT = 620
MAP_KEY = PAGE_MAP_KEY
MAP_RETURNS = ("last_active_drawing", "last_object_clicked_count")  # what a click sends back (a rerun)
MAP_PANE = "atlas_map_pane"
MAP_FRAME = f'.st-key-{MAP_PANE} iframe[title="streamlit_folium.st_folium"]'  # where the render buttons read the view
NARROW_SCREEN_PX = 640  # below this Streamlit stacks columns: the map goes above the article
NARROW_LAYOUT_CSS = (f'@media (max-width:{NARROW_SCREEN_PX}px){{[data-testid="stColumn"]:has(.st-key-{MAP_PANE})'
                     '{order:-1}}')
UPLOAD_TYPES = ["txt", "md", "markdown", "html", "htm"]
UPLOAD_LIMIT_MB = math.ceil(config.MAX_ARTICLE_BYTES / 2**20)  # Streamlit's MB; = server.maxUploadSize
LANGUAGES = {"auto": "Detect", "de": "German", "en": "English"}
RING_CHOICES_KM = (10, 25, 50, 100, 250, 500, 1000)
SOURCES = ["Sample article", "Paste text", "Upload a file", "Web address"]
FETCH_LIMITS = FetchLimits()

# No emoji icon: resolving one imports Streamlit's emoji tables (~50 ms on the first view).
st.set_page_config(page_title="Article Atlas", layout="wide")


# --------------------------------------------------------------------------- resources


@st.cache_resource(show_spinner=False)
def gazetteer() -> Gazetteer:
    loaded = Gazetteer.default(cache_dir=config.INDEX_CACHE_DIR)  # the mapped index geo.serve warms too
    gc.freeze()  # the index lives as long as the server: keep it out of every later collection
    return loaded


def setting(name: str) -> str | None:
    """A setting from the environment, else from secrets.toml (none there: None)."""
    if os.environ.get(name):
        return os.environ[name]
    try:
        value = st.secrets.get(name)
    except Exception:  # noqa: BLE001 - no secrets.toml at all
        return None
    return str(value) if value not in (None, "") else None


@st.cache_resource(show_spinner=False)
def open_store(home: str, url: str | None, limits: tuple) -> Store:
    """One store per server: workspaces, corrections and articles (SQLite in `home` by default)."""
    store = Store.open(database_url(home=home, url=url), limits=limits_from(dict(limits)))
    for done in migrate_files(store, home):
        log.info("migrated: %s", done)
    return store


def current_store() -> Store:
    settings = {name: setting(name) for name in SETTINGS}
    url = settings.pop("DATABASE_URL")
    return open_store(str(HOME), url, tuple(sorted((k, v) for k, v in settings.items() if v)))


_ARTICLE_VIEW_CSS = article_css() + """
.atlas-view{height:%dpx;overflow-y:auto;padding:4px 12px 4px 2px;scroll-behavior:smooth}
""" % (MAP_HEIGHT - 8)
article_view = st.components.v2.component(
    "article_atlas.article_view",
    css=_ARTICLE_VIEW_CSS,
    js=(config.STATIC_DIR / "atlas" / "article-view.js").read_text(encoding="utf-8"),
)


# A session's first run sends the map and the article only, then this signal (static/atlas/map-drawn.js)
# asks for the rest once the map has drawn: the browser loads and draws the map first, not the tables'
# and widgets' scripts (some 2 MB) at the same time. Its trigger reruns the page, now in full.
map_drawn_signal = st.components.v2.component(
    "article_atlas.map_drawn",
    js=(config.STATIC_DIR / "atlas" / "map-drawn.js").read_text(encoding="utf-8"),
)
MAP_DRAWN_TIMEOUT_MS = 10_000  # the rest of the page comes even if the map never reports


# A render button (static/atlas/export-view.js): its click sends the map's current view and layers,
# so panning and zooming never rerun the page. Styled like st.button from the theme's variables.
_RENDER_BUTTON_CSS = """
.atlas-render{width:100%;min-height:2.5rem;padding:.25rem .75rem;margin:0;cursor:pointer;font:inherit;
  font-family:var(--st-font,inherit);font-size:1rem;line-height:1.6;color:var(--st-text-color,#31333f);
  background:var(--st-background-color,#fff);border:1px solid var(--st-border-color,rgba(49,51,63,.2));
  border-radius:var(--st-base-radius,.5rem)}
.atlas-render:hover,.atlas-render:focus-visible{border-color:var(--st-primary-color,#ff4b4b);
  color:var(--st-primary-color,#ff4b4b);outline:none}
.atlas-render:active{background:var(--st-primary-color,#ff4b4b);color:#fff}
"""
render_button = st.components.v2.component(
    "article_atlas.render_view",
    css=_RENDER_BUTTON_CSS,
    js=(config.STATIC_DIR / "atlas" / "export-view.js").read_text(encoding="utf-8"),
)


@st.cache_data(show_spinner=False, max_entries=16)
def prepare(source: bytes, filename: str, lang: str, corrections_json: str) -> dict:
    """Geoparse an article and everything the page draws from it (cached per input; the server
    process keeps it too, so the warm-up's sample is the first visitor's)."""
    return page_bundle(source, filename, lang, corrections_json, gazetteer=gazetteer(), keep_sample_in=PAGES_DIR)


@st.cache_resource(show_spinner=False, max_entries=32)
def base_map(version: str, online: bool, _data: MapData, plain_sample: bool = False) -> RenderedMap:
    """The base map rendered once per map and mode (`version` = map_version) for every session
    that shows it: it holds the article's places only, nothing of a session or workspace. The
    plain sample's is kept on disk for the next server process too (geo.persist)."""
    return kept_base_map(_data, version, online=online, assets=ASSETS, key=MAP_KEY,
                         keep_in=PAGES_DIR if plain_sample else None)


@st.cache_data(show_spinner=False, max_entries=16)
def distances(key: tuple, _result: Geoparse) -> list[dict]:
    """The article's distance table (geo.claims.distance_table), cached per input (`key`)."""
    return distance_table(_result, gazetteer=gazetteer())


@st.cache_data(show_spinner=False, max_entries=64)
def rings(place_id: str, radii: tuple[int, ...]) -> list[dict]:
    return ring_lines(gazetteer().geometry(place_id), radii) if gazetteer().row_of(place_id) is not None else []


# --------------------------------------------------------------------------- state


def init_state() -> None:
    ss = st.session_state
    if "article_id" in ss:
        return
    ss.selected = None
    ss.origin = None
    ss.fly = 0
    ss.scroll = 0
    ss.table_epoch = 0
    ss.measured = None  # ("claim" | "distance", row index): the figure drawn on the map
    ss.figures_epoch = 0
    ss.map_clicks_seen = None
    ss.png = ss.pdf = None
    ss.notice = None
    ss.pending_select = False
    ss.parsed_key = None
    ss.map_drawn = ss.get("map_drawn", False)  # not yet in a new session: its first run shows the map and article only
    ss.article_id = st.query_params.get("article", SAMPLE_ID)
    ss.wanted_place = st.query_params.get("place")
    linked = st.query_params.get("ws")  # a shared link opens the sharer's workspace
    ss.workspace = linked if is_workspace_id(linked) else new_workspace_id()
    ss.personal_workspace = ss.workspace if ss.workspace != TEAM else new_workspace_id()
    ss.workspace_kind = "team" if ss.workspace == TEAM else "personal"


def select(place_id: str | None, origin: str) -> None:
    """One selection, from the map, the article, the table or the list; the others follow."""
    ss = st.session_state
    ss.selected, ss.origin = place_id, origin
    if origin != "map":
        ss.fly += 1
    if origin != "article":
        ss.scroll += 1
    if origin != "list":
        ss.place_select = place_id
    if origin != "table":
        ss.table_epoch += 1
    if origin != "figure" and ss.get("measured") is not None:
        ss.measured = None
        ss.figures_epoch += 1


def select_after_rerun(place_id: str | None) -> None:
    """A selection made by a button below the widgets: applied at the top of the next run."""
    st.session_state.pending_select = place_id


def open_article(article_id: str) -> None:
    ss = st.session_state
    ss.article_id = article_id
    ss.selected, ss.origin, ss.wanted_place = None, None, None
    ss.map_clicks_seen = None
    ss.png = ss.pdf = None
    ss.pop(MAP_KEY, None)
    ss.pop("place_select", None)
    ss.table_epoch += 1
    ss.measured = None
    ss.pop("claim_select", None)


def load_corrections(store: Store) -> Corrections:
    try:
        return store.corrections(st.session_state.workspace)
    except StoreError as err:
        st.sidebar.warning(str(err))
        return Corrections()


def save_corrections(store: Store, edit: Callable[[Corrections], Corrections], notice: str) -> None:
    """Apply one edit to this session's workspace (one transaction: a concurrent save is kept)."""
    try:
        store.update(st.session_state.workspace, edit)
    except (InputError, StoreError) as err:
        st.session_state.notice = str(err)
        return
    st.session_state.notice = notice
    st.session_state.png = st.session_state.pdf = None


def sync_query_params() -> None:
    ss = st.session_state
    wanted = {"article": ss.article_id, "ws": ss.workspace}
    if ss.selected:
        wanted["place"] = ss.selected
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


# --------------------------------------------------------------------------- sidebar


def sidebar_input(store: Store) -> None:
    sb = st.sidebar
    sb.header("Article")
    mode = sb.radio("Source", SOURCES, key="input_mode", label_visibility="collapsed")
    sb.selectbox("Language", list(LANGUAGES), format_func=LANGUAGES.get, key="lang")
    data, filename, encoding = None, "", None
    if mode == "Sample article":
        if st.session_state.article_id != SAMPLE_ID and sb.button("Open the sample article", width="stretch"):
            open_article(SAMPLE_ID)
            st.rerun()
        return
    if mode == "Paste text":
        text = sb.text_area("Article text", height=220, key="pasted",
                            placeholder="Paste a news article (German or English)…")
        if sb.button("Map this article", type="primary", width="stretch", key="map_pasted"):
            data = text.encode("utf-8")
    elif mode == "Web address":
        url = sb.text_input("Web address of the article", key="article_url", placeholder="https://www.example.org/news/1")
        sb.caption("Needs internet: this server fetches the page (public web sites only; "
                   f"up to {FETCH_LIMITS.max_bytes // 1_000_000} MB, {FETCH_LIMITS.timeout_s:.0f} s).")
        if sb.button("Fetch and map", type="primary", width="stretch", key="map_url") and url.strip():
            try:
                with sb.spinner("Fetching the article…"):
                    data, filename = fetch_article(url, limits=FETCH_LIMITS)
            except FetchError as err:
                sb.error(str(err))
                return
    else:
        upload = sb.file_uploader("Article file (.txt, .md, .html)", type=UPLOAD_TYPES, key="upload",
                                  max_upload_size=UPLOAD_LIMIT_MB)  # Streamlit states it: "Limit 2MB per file"
        encoding = encoding_choice(upload.getvalue()) if upload is not None else None
        if upload is not None and sb.button("Map this file", type="primary", width="stretch", key="map_upload"):
            data, filename = upload.getvalue(), upload.name
    if data is None:
        return
    try:
        check_size(data)
        if encoding is not None:
            data = to_utf8(data, encoding)  # kept as UTF-8: a link reopens it read the same way
        with sb.status("Geoparsing…") as status:
            status.update(label="Reading the article and finding places…")
            prepare(data, filename, st.session_state.lang, to_json(load_corrections(store)))
            status.update(label="Done", state="complete")
        article_id = store.put_article(data, filename)
    except (InputError, StoreError) as err:
        sb.error(str(err))
        return
    open_article(article_id)
    st.rerun()


@st.cache_data(show_spinner=False, max_entries=4)
def _guess_encoding(data: bytes) -> tuple[str, bool]:
    guess = guess_encoding(data)
    return guess.encoding, guess.sure


def encoding_choice(data: bytes) -> str | None:
    """For a file that is not UTF-8: how to read it, chosen in the page (the guess preselected)."""
    if len(data) > config.MAX_ARTICLE_BYTES:
        return None
    encoding, sure = _guess_encoding(data)
    if encoding in ("utf-8", "utf-16"):
        return None
    sb = st.sidebar
    options = list(ENCODINGS) if encoding in ENCODINGS else [encoding, *ENCODINGS]
    chosen = sb.selectbox("Text encoding", options, index=options.index(encoding), key="encoding",
                          format_func=lambda e: ENCODINGS.get(e, e))
    sample = preview(data, chosen)
    sb.caption(("The file is not UTF-8." if sure else "The file is not UTF-8 and its encoding is uncertain.")
               + " If letters look wrong below, choose another encoding."
               + (f"\n\n«{markdown_text(sample)}»" if sample else ""))
    return chosen


def sidebar_settings() -> None:
    sb = st.sidebar
    sb.header("Map")
    sb.toggle("OpenStreetMap tiles (needs internet)", key="online", value=False,
              help="Off: everything comes from this machine (offline basemap). On: the map also loads "
                   "OpenStreetMap tiles from the internet.")
    sb.multiselect("Distance rings around the selected place (km)", RING_CHOICES_KM, key="rings",
                   help="Geodesic distance lines around the place selected on the map, in the article or a table.")


WORKSPACE_KINDS = {"personal": "Mine (this link)", "team": "Team (shared)"}


def _on_workspace_kind() -> None:
    ss = st.session_state
    ss.workspace = TEAM if ss.workspace_kind == "team" else ss.personal_workspace
    ss.png = None


def sidebar_corrections(store: Store, corrections: Corrections) -> None:
    sb = st.sidebar
    sb.header("Corrections")
    sb.radio("Workspace", list(WORKSPACE_KINDS), format_func=WORKSPACE_KINDS.get, key="workspace_kind",
             horizontal=True, on_change=_on_workspace_kind,
             help="Mine: corrections only you (and whoever opens this page's link) see. Team: one set of "
                  "corrections for everyone on this server who chooses it.")
    n = len(corrections.chosen) + len(corrections.removed) + len(corrections.added)
    where = ("the team workspace, shared by everyone who chooses it" if st.session_state.workspace == TEAM
             else "your workspace; this page's link opens it")
    sb.caption(f"{n} correction{'s' if n != 1 else ''}, applied to every article, in {where}.")
    if n:
        with sb.expander("Review corrections"):
            for section, items in (("chosen", corrections.chosen.items()),
                                   ("added", corrections.added.items()),
                                   ("removed", ((k, None) for k in sorted(corrections.removed)))):
                for key, place_id in items:
                    label = _correction_label(section, key, place_id)
                    left, right = st.columns([5, 2])
                    left.text(label)
                    if right.button("Undo", key=f"undo_{section}_{key}"):
                        save_corrections(store, lambda c, s=section, k=key: undo(c, s, k),
                                         markdown_text(f"Undone: {label}"))
                        st.rerun()
    sb.download_button("Export corrections (JSON)", data=to_json(corrections), file_name="article-atlas-corrections.json",
                       mime="application/json", width="stretch", on_click="ignore")
    upload = sb.file_uploader("Import corrections", type=["json"], key="corrections_upload")
    if upload is not None and sb.button("Import (merge)", width="stretch"):
        try:
            incoming = from_json(upload.getvalue())
        except InputError as err:
            sb.error(str(err))
        else:
            save_corrections(store, lambda c: merge(c, incoming), "Corrections imported.")
            st.rerun()
    if n and sb.button("Reset all corrections", width="stretch"):
        save_corrections(store, lambda c: Corrections(), "All corrections removed.")
        st.rerun()


def _correction_label(section: str, key: str, place_id: str | None) -> str:
    if "@" in key:  # a generic reference, corrected for one article (geo.resolve.generic_key)
        key = f"{key.split('@')[0]} (one article)"
    if section == "removed":
        target = gazetteer().by_id(key) if ":" in key else None
        return f"✕ {target.name if target else key} — not a place"
    target = gazetteer().by_id(place_id) if place_id else None
    name = f"{target.name} ({target.country or target.kind})" if target else place_id
    return f"{'+' if section == 'added' else '→'} {key} — {name}"


# --------------------------------------------------------------------------- workspace


def handle_map_click(place_ids: set[str]) -> None:
    """A click on the map reaches Python as st_folium's value (last_active_drawing carries the id)."""
    ss = st.session_state
    value = ss.get(MAP_KEY) or {}
    count = value.get("last_object_clicked_count")
    if not count or count == ss.map_clicks_seen:
        return
    ss.map_clicks_seen = count
    drawing = value.get("last_active_drawing") or {}
    place_id = (drawing.get("properties") or {}).get("id")
    if place_id in place_ids:
        select(place_id, "map")


def _on_article_select() -> None:
    value = st.session_state.get("article_view") or {}
    place_id = value.get("select")
    if place_id:
        select(place_id, "article")


def _on_list_select() -> None:
    select(st.session_state.get("place_select"), "list")


def _on_table_select() -> None:
    table = st.session_state.get(f"places_table_{st.session_state.table_epoch}")
    rows = (table or {}).get("selection", {}).get("rows", [])
    ids = st.session_state.get("table_ids", [])
    if rows and rows[0] < len(ids):
        select(ids[rows[0]], "table")


@st.fragment
def workspace(bundle: dict, corrections: Corrections, correction_store: Store, online: bool) -> None:
    ss = st.session_state
    result: Geoparse = bundle["result"]
    data = bundle["map"]
    ids = [p.id for p in result.places]
    if ss.pending_select is not False:
        select(ss.pending_select if ss.pending_select in ids else None, "correction")
        ss.pending_select = False
    handle_map_click(set(ids))
    if ss.selected not in ids:
        ss.selected = None
    if ss.get("place_select") not in [None, *ids]:
        ss.place_select = None

    st.html(f"<style>{NARROW_LAYOUT_CSS}</style>")
    left, right = st.columns([5, 7], gap="medium")
    with right, st.container(key=MAP_PANE):  # the map first: its iframe and scripts load longest
        lines, halos = measured_lines(bundle)
        layers = [selection_layer(data, ss.selected, fly=ss.origin != "map" and not (ss.origin == "figure" and lines),
                                  nonce=ss.fly),
                  measurement_layer(lines, halos=halos, data=data, focus_id=ss.selected,
                                    fly=ss.origin == "figure", nonce=ss.fly)]
        show_map(base_map(bundle["map_version"], online, data, bundle.get("plain_sample", False)), layers, key=MAP_KEY, height=MAP_HEIGHT,
                 returned_objects=MAP_RETURNS)
    with left:
        article_view(key="article_view", data={"html": bundle["html"], "version": bundle["html_version"],
                                               "selected": ss.selected, "scroll": ss.scroll},
                     on_select_change=_on_article_select, height="content")
    if not ss.map_drawn:  # the first run: the rest after the map is drawn (see map_drawn_signal)
        sync_query_params()
        return

    names = {p.id: f"{p.display_name} · {KIND_LABELS.get(p.kind, p.kind).lower()}" for p in result.places}
    st.selectbox("Go to a place", [None, *ids], key="place_select", on_change=_on_list_select,
                 format_func=lambda i: "—" if i is None else names.get(i, i),
                 help="Or click a highlighted name in the article, a row in the table, or a feature on the map.")
    ss.table_ids = ids
    rows = bundle["rows"]
    if rows:
        import pandas as pd  # here, not at the top: not while geo.serve's warm-up imports folium

        frame = pd.DataFrame(rows).drop(columns=["id"])
        selected_row = ids.index(ss.selected) if ss.selected in ids else None
        st.dataframe(
            frame, key=f"places_table_{ss.table_epoch}", hide_index=True, width="stretch",
            on_select=_on_table_select, selection_mode="single-row",
            selection_default={"selection": {"rows": [selected_row]}} if selected_row is not None else None,
            column_config={
                "Confidence": st.column_config.ProgressColumn("Confidence", min_value=0.0, max_value=1.0, format="percent"),
                "Mentions": st.column_config.NumberColumn("Mentions", format="%d"),
                "Corrected": st.column_config.CheckboxColumn("Corrected"),
            },
        )
    else:
        st.info("No places found in this article. Add a missed place by name below.")
    figures_panel(bundle)
    corrections_panel(result, corrections, correction_store)
    sync_query_params()


def measured_lines(bundle: dict) -> tuple[list[dict], list[str]]:
    """The chosen figure's line (and its places' halos), plus the distance rings asked for."""
    ss = st.session_state
    lines: list[dict] = []
    halos: list[str] = []
    if ss.measured is not None:
        table, index = ss.measured
        if table == "claim" and index < len(bundle["claims"]):
            claim = bundle["claims"][index]
            lines, halos = claim_lines(claim), [i for i in claim.subject if i != ss.selected]
        elif table == "distance":
            rows = distances(ss.parsed_key, bundle["result"])
            if index < len(rows):
                lines = distance_lines(rows[index])
                halos = [i for i in (rows[index]["from_id"], rows[index]["to_id"]) if i != ss.selected]
    if ss.selected and ss.get("rings"):
        lines = lines + rings(ss.selected, tuple(sorted(ss.rings)))
    return lines, halos


def show_figure(table: str, index: int | None) -> None:
    """A claim or distance chosen in the Figures panel: select its places, draw what was measured."""
    ss = st.session_state
    if index is None:
        ss.measured = None
        return
    if table == "claim":
        subject = ss.figure_claims[index].subject
        place = subject[-1] if subject else None
    else:
        place = ss.figure_distances[index]["to_id"]
    ss.measured = (table, index)
    select(place, "figure")
    if table != "claim":
        ss.claim_select = None


def _on_claim_select() -> None:
    show_figure("claim", st.session_state.get("claim_select"))


def _on_claim_table() -> None:
    rows = (st.session_state.get(f"claims_table_{st.session_state.figures_epoch}") or {}).get("selection", {}).get("rows", [])
    if rows:
        st.session_state.claim_select = rows[0]
        show_figure("claim", rows[0])


def _on_distance_table() -> None:
    rows = (st.session_state.get(f"distances_table_{st.session_state.figures_epoch}") or {}).get("selection", {}).get("rows", [])
    if rows:
        show_figure("distance", rows[0])


def figures_panel(bundle: dict) -> None:
    """The article's figures checked against the map, and the distances between its places."""
    import pandas as pd  # a second run's (see workspace)

    ss = st.session_state
    claims = bundle["claims"]
    ss.figure_claims = claims  # what the panel's callbacks read on the next run
    with st.expander(f"Figures ({len(claims)})", expanded=bool(claims)):
        tab_claims, tab_distances = st.tabs(["Claims in the article", "Distances"])
        with tab_claims:
            if not claims:
                st.caption("The article states no lengths, distances, areas or directions.")
            else:
                labels = {i: f"{c.text} — {c.verdict}" for i, c in enumerate(claims)}
                st.selectbox("Show a figure on the map", [None, *labels], key="claim_select", on_change=_on_claim_select,
                             format_func=lambda i: "—" if i is None else labels[i])
                chosen = ss.measured[1] if ss.measured and ss.measured[0] == "claim" else None
                st.dataframe(pd.DataFrame(bundle["claim_rows"]), key=f"claims_table_{ss.figures_epoch}", hide_index=True,
                             width="stretch", on_select=_on_claim_table, selection_mode="single-row",
                             selection_default={"selection": {"rows": [chosen]}} if chosen is not None else None)
                st.caption("Measured geodesically (WGS84) on the offline gazetteer: borders at full OSM resolution, "
                           "areas of the outlines, distances between nearest points. The verdict allows for the "
                           "hedge («rund», «knapp», “more than” …).")
        with tab_distances:
            if not st.toggle("Measure the distances between the places", key="show_distances",
                             help="Geodesic distances between the cities and facilities, and from each border "
                                  "and region to them (nearest points)."):
                return
            rows = ss.figure_distances = distances(ss.parsed_key, bundle["result"])
            if not rows:
                st.caption("Fewer than two places to measure between.")
            else:
                frame = pd.DataFrame([{"From": r["from"], "To": r["to"], "km": r["km"]} for r in rows])
                st.dataframe(frame, key=f"distances_table_{ss.figures_epoch}", hide_index=True, width="stretch",
                             on_select=_on_distance_table, selection_mode="single-row", height=260,
                             column_config={"km": st.column_config.NumberColumn("km", format="%.0f")})


def corrections_panel(result: Geoparse, corrections: Corrections, store: Store) -> None:
    ss = st.session_state
    place = result.place(ss.selected) if ss.selected else None
    fix, missing = st.columns(2, gap="medium")
    with fix:
        with st.container(border=True):
            if place is None:
                st.markdown("**Correct a place**")
                st.caption("Select a place (map, article, table or list) to pick another candidate or remove it.")
            else:
                st.markdown("**Correct the selected place**")
                st.text(f"{place.display_name} → {place.name} ({place.candidate.country or place.kind})")
                keys = correction_keys(result, place, corrections=corrections)
                options = {a.id: f"{a.name} · {a.kind} · {a.country or '—'}" for a in place.alternatives}
                query = st.text_input("Look up another place by name", key=f"lookup_{place.id}",
                                      placeholder="e.g. Minsk, Vladimir, Paris (Texas)")
                if query.strip():
                    for c in gazetteer().candidates(query, limit=10):
                        options.setdefault(c.id, f"{c.name} · {c.kind} · {c.country or '—'} · {c.source.split(' (')[0]}")
                options.pop(place.id, None)
                if any("@" in k for k in keys):
                    st.caption("Referred to generically here (e.g. «der Flughafen»): a change holds for this "
                               "article only.")
                if options:
                    choice = st.selectbox("Candidates", list(options), format_func=options.get, key=f"alt_{place.id}")
                    if st.button("Use this place", key=f"use_{place.id}", type="primary"):
                        save_corrections(store, lambda c: choose(c, keys, choice),
                                         markdown_text(f"«{place.display_name}» now means {options[choice]}."))
                        select_after_rerun(choice)
                        st.rerun()
                else:
                    st.caption("No other candidates; look one up by name.")
                if st.button(markdown_text(f"Remove «{place.display_name}»"), key=f"remove_{place.id}"):
                    save_corrections(store, lambda c: remove(c, keys or [place.id]),
                                     markdown_text(f"«{place.display_name}» is no longer read as a place."))
                    select_after_rerun(None)
                    st.rerun()
    with missing:
        with st.container(border=True):
            st.markdown("**Add a missed place**")
            written = st.text_input("Name as written in the article", key="add_written")
            lookup = st.text_input("Look up as (if the gazetteer spells it differently)", key="add_lookup")
            name = (lookup or written).strip()
            found = gazetteer().candidates(name, limit=10) if name else []
            if name and not found:
                st.caption("No place of that name in the offline gazetteer.")
            if found:
                labels = {c.id: f"{c.name} · {c.kind} · {c.country or '—'}" for c in found}
                choice = st.selectbox("Place", list(labels), format_func=labels.get, key="add_choice")
                if st.button("Add", key="add_button", disabled=not written.strip()):
                    try:
                        add(corrections, written, choice)  # a bad name is refused before saving
                    except InputError as err:
                        st.error(str(err))
                    else:
                        save_corrections(store, lambda c: add(c, written, choice),
                                         markdown_text(f"«{written.strip()}» now means {labels[choice]}."))
                        select_after_rerun(choice)
                        st.rerun()


# --------------------------------------------------------------------------- exports


def exports(bundle: dict) -> None:
    # geopandas loads here, after the first page has sent its map (geo.mapping needs shapely only)
    from geo.briefing import briefing_png, sheet_pdf
    from geo.export import geojson_text, geopackage_bytes, places_csv
    from geo.records import article_meta

    result: Geoparse = bundle["result"]
    data = bundle["map"]
    ss = st.session_state
    st.subheader("Export", divider="gray")
    headline = article_meta(result.article, places=result.places)
    kicker_col, title_col = st.columns([1, 4])
    kicker = kicker_col.text_input("Kicker", value=headline.kicker, key=f"export_kicker_{headline.sha256[:12]}",
                                   max_chars=40, help="The topic line printed small above the title "
                                                      "(«Russland»); leave it empty for none.")
    title = title_col.text_input("Title of the map and sheet", value=headline.title,
                                 key=f"export_title_{headline.sha256[:12]}", max_chars=160,
                                 help="The article's headline, shortened; edit it for your briefing.")
    meta = dataclasses.replace(article_meta(result.article, title=title, places=result.places),
                               kicker=" ".join(kicker.split()))
    if ss.get("export_meta") != meta:  # a new article or title: images rendered before are stale
        ss.export_meta, ss.png, ss.pdf = meta, None, None
    stem = meta.stem
    cols = st.columns(6)
    cols[0].download_button("GeoJSON", data=lambda: geojson_text(result, meta=meta), file_name=f"{stem}.geojson",
                            mime="application/geo+json", on_click="ignore", width="stretch")
    cols[1].download_button("GeoPackage", data=lambda: geopackage_bytes(result, meta=meta), file_name=f"{stem}.gpkg",
                            mime="application/geopackage+sqlite3", on_click="ignore", width="stretch")
    cols[2].download_button("CSV (places)", data=lambda: places_csv(result, meta=meta), file_name=f"{stem}.csv",
                            mime="text/csv", on_click="ignore", width="stretch")
    cols[3].download_button("HTML map (offline)", data=lambda: standalone_html(data, title=meta.title or "Article Atlas"),
                            file_name=f"{stem}.html", mime="text/html", on_click="ignore", width="stretch")
    renders = (("png", cols[4], "PNG", "image/png",
                lambda shown: briefing_png(result, meta, data=shown, gazetteer=gazetteer())),
               ("pdf", cols[5], "PDF sheet", "application/pdf",
                lambda shown: sheet_pdf(result, meta, data=shown, gazetteer=gazetteer(),
                                        sections=figures_sections(result))))
    request = ss.pop("render_request", None) or {}
    for key, col, label, mime, render in renders:
        with col:
            if find_chromium() is None:
                st.button(f"{label} (needs Chromium)", disabled=True, width="stretch", key=f"no_{key}",
                          help="Rendered by Chromium, which is not installed here.")
                continue
            if request.get("format") == key:
                try:
                    with st.spinner("Rendering in Chromium…"):
                        ss[key] = render(in_view(data, map_view(request.get("view"))))
                except AtlasError as err:
                    st.error(str(err))
            if ss.get(key) is not None:
                st.download_button(f"Download {label}", data=ss[key], file_name=f"{stem}.{key}", mime=mime,
                                   on_click="ignore", width="stretch", type="primary")
            render_button(key=f"render_{key}", height="content", on_render_change=_on_render(key),
                          data={"format": key, "frame": MAP_FRAME,
                                "label": "Render again" if ss.get(key) is not None else f"Render {label}",
                                "help": "Renders the map as it is now: its view and the layers switched on."})


def _on_render(key: str) -> Callable[[], None]:
    """A render button's callback: its request (format, the map's view) is rendered in this run."""
    def requested() -> None:
        value = (st.session_state.get(f"render_{key}") or {}).get("render")
        if value:
            st.session_state.render_request = value
    return requested


# --------------------------------------------------------------------------- page


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets.toml at all
        return False


def signed_in() -> bool:
    """The gate of a hosted link: open locally; a shared password or an OIDC sign-in when set."""
    try:
        access = access_from({name: setting(name) for name in ACCESS_SETTINGS}, oidc_configured=_oidc_configured())
    except InputError as err:
        st.error(f"Sign-in is misconfigured, so the dashboard stays closed: {err}")
        return False
    if access.mode == "open":
        return True
    if access.mode == "oidc":
        if getattr(st.user, "is_logged_in", False):  # absent where no identity provider answered
            st.sidebar.button("Sign out", on_click=st.logout)
            return True
        st.title("Article Atlas")
        st.write("This dashboard is private. Sign in to open it.")
        st.button("Sign in", type="primary", on_click=st.login, key="sign_in_oidc")
        return False
    if st.session_state.get("signed_in"):
        return True
    st.title("Article Atlas")
    with st.form("sign_in"):
        typed = st.text_input("Password", type="password", key="password",
                              help="The host of this dashboard gave it to you with the link.")
        if st.form_submit_button("Open the dashboard", type="primary"):
            if access.accepts(typed):
                st.session_state.signed_in = True
                st.rerun()
            log.warning("a wrong dashboard password was typed")  # never the password itself
            st.error("That password is not right.")
    return False


def main() -> None:
    init_state()
    ss = st.session_state
    if not signed_in():
        return
    try:
        store = current_store()
    except (StoreError, InputError) as err:
        st.error(f"The store of corrections and articles cannot be opened: {err}")
        return
    sidebar_input(store)
    if ss.map_drawn:
        sidebar_settings()
    corrections = load_corrections(store)
    if ss.map_drawn:
        sidebar_corrections(store, corrections)

    try:
        source, filename = store.get_article(ss.article_id)
    except (KeyError, StoreError):
        st.warning("The linked article is not stored on this server (or was deleted after the retention time); "
                   "showing the sample article instead.")
        open_article(SAMPLE_ID)
        source, filename = store.get_article(SAMPLE_ID)

    st.title("Article Atlas")
    progress = st.empty()  # one slot, filled or not: the elements below keep their place (no map remount)
    key = (hashlib.sha256(source).hexdigest(), filename, ss.lang, to_json(corrections))
    try:
        if ss.parsed_key != key:
            with progress.status("Geoparsing the article…") as status:
                bundle = prepare(source, filename, ss.lang, key[3])
                status.update(label=f"Found {len(bundle['result'].places)} places in {bundle['seconds']:.2f} s",
                              state="complete")
            ss.parsed_key = key
        else:
            bundle = prepare(source, filename, ss.lang, key[3])
    except InputError as err:
        st.error(str(err))
        if ss.article_id != SAMPLE_ID and st.button("Open the sample article"):
            open_article(SAMPLE_ID)
            st.rerun()
        return

    result: Geoparse = bundle["result"]
    if ss.wanted_place:  # a shared link: select its place once the article is parsed
        if result.place(ss.wanted_place) is not None:
            select(ss.wanted_place, "link")
        ss.wanted_place = None
    article = result.article
    language = {"de": "German", "en": "English"}.get(article.lang, article.lang)
    origin = "sample article" if ss.article_id == SAMPLE_ID else markdown_text(filename or "pasted text")
    st.caption(f"{len(result.places)} places · {language} · {len(article.text):,} characters · {origin}")
    for warning in article.warnings:
        st.info(warning)
    if ss.notice:
        st.toast(ss.notice)
        ss.notice = None
    workspace(bundle, corrections, store, bool(ss.get("online")))
    if ss.map_drawn:
        exports(bundle)
    else:
        map_drawn_signal(key="map_drawn_signal", data={"frame": MAP_FRAME, "timeout_ms": MAP_DRAWN_TIMEOUT_MS},
                         on_drawn_change=_on_map_drawn, height="content")


def _on_map_drawn() -> None:
    st.session_state.map_drawn = True


try:
    main()
except Exception:  # never a traceback in the page: the log has it
    log.exception("Article Atlas page failed")
    st.error("Something went wrong while drawing this page; the details are in the server log. "
             "Reload the page, or open the sample article.")
