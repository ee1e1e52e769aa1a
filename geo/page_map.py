"""The page's map: streamlit-folium's component, with the base map rendered once per map.

    rendered = render_map(build_map(data), key="atlas_map")   # cache this across sessions
    value = show_map(rendered, [selection_layer(data, place_id)], key="atlas_map", height=620)

`st_folium` renders the whole folium map on every run of the page: every place's GeoJSON
through folium's Jinja templates, twice, and walks every coordinate for the map's bounds.
For the sample article that was most of the script's CPU per run, and each new session runs
the page at least twice. The base map is the same for the same article and corrections (see
geo.mapping.build_map), so its strings are made once (`render_map`) and each run renders only
its own small layers (the selection, measured lines), exactly as `st_folium` does.

What reaches the browser is streamlit-folium's own component with the arguments `st_folium`
would send (tests/test_page_map.py compares them; only the click count's default is the front
end's own 0, which spares every new session a second run of the page), so its front end, its key (a new base map
remounts the component, a new selection does not) and its returned values are unchanged. The
helpers used are streamlit-folium's (pinned in requirements.txt).

A `RenderedMap` holds only the article's map (its places, escaped popups, asset URLs): nothing
of a session, so one may be shared by every session showing that map.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import folium
import streamlit as st
from folium.elements import JSCSSMixin
from streamlit_folium import (_component_func, _get_feature_group_string, _get_header, _get_html, _get_map_string,
                              generate_js_hash, get_full_id)

__all__ = ["PAGE_MAP_KEY", "RenderedMap", "render_map", "kept_base_map", "layers_script", "show_map"]

PAGE_MAP_KEY = "atlas_map"  # the dashboard's map (app.py's MAP_KEY)

# st_folium's initial value of each returned object (before the first interaction).
_NO_VALUE = ("last_clicked", "last_object_clicked", "last_object_clicked_count", "last_object_clicked_tooltip",
             "last_object_clicked_popup", "all_drawings", "last_active_drawing", "last_circle_radius",
             "last_circle_polygon", "selected_layers", "selected_tags", "last_geocoder_result")
# What the front end itself holds before the first click, where st_folium says None. Its first
# value is sent only if it differs from the default: with st_folium's None every new session sent
# {"last_object_clicked_count": 0} once the map was drawn, and ran the page again for nothing.
_FRONT_END_START = {"last_object_clicked_count": 0}


@dataclass(frozen=True)
class RenderedMap:
    """A folium map as streamlit-folium's component receives it (made by `render_map`)."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    bounds: tuple[tuple[float | None, float | None], ...]
    zoom: object
    component_key: str  # the component's key: changes with the base map, never with a layer


def _links(m: folium.Map) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The CSS and JS URLs of the map and its elements, in st_folium's order, without repeats."""
    css: list[str] = []
    js: list[str] = []

    def walk(element) -> None:
        if isinstance(element, JSCSSMixin):
            css.extend(href for _, href in getattr(element, "default_css", []))
            js.extend(src for _, src in getattr(element, "default_js", []))
        for child in getattr(element, "_children", {}).values():
            walk(child)

    walk(m)
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))


def render_map(m: folium.Map, *, key: str) -> RenderedMap:
    """Render a base map once, as `st_folium(m, key=key)` would on every run (this consumes `m`:
    its element ids are rewritten; build a new map for anything else)."""
    m.get_root().render()
    m.render()
    html = _get_html(m)
    header = _get_header(m)
    script = _get_map_string(m)
    try:
        (south, west), (north, east) = m.get_bounds()
    except AttributeError:
        (south, west), (north, east) = (None, None), (None, None)
    css, js = _links(m)
    return RenderedMap(script=script, header=header, html=html, map_id=get_full_id(m), css_links=css, js_links=js,
                       bounds=((south, west), (north, east)), zoom=m.options.get("zoom"),
                       component_key=generate_js_hash(script, key, False))


def kept_base_map(data, version: str, *, online: bool, assets, key: str, keep_in: Path | None) -> RenderedMap:
    """`render_map(build_map(data, assets=assets, online=online), key=key)`, kept in `keep_in`
    for later processes (geo.persist; `version` = geo.mapping.map_version(data)); None: rendered."""
    from geo.mapping import build_map
    from geo.persist import kept

    return kept(keep_in, ("base_map", version, online, assets, key),
                lambda: render_map(build_map(data, assets=assets, online=online), key=key))


def layers_script(layers: Sequence[folium.FeatureGroup]) -> str:
    """The layers as st_folium's `feature_group` script: added to the map in the browser, never
    reloading it. Each is rendered under a bare map (ids are normalised to the shown map's)."""
    parent = folium.Map(location=None, tiles=None)
    return "".join(_get_feature_group_string(layer, map=parent, idx=i) for i, layer in enumerate(layers))


def _defaults(rendered: RenderedMap, returned_objects: Iterable[str] | None) -> dict:
    (south, west), (north, east) = rendered.bounds
    values = {name: _FRONT_END_START.get(name) for name in _NO_VALUE}
    values["bounds"] = {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}}
    values["zoom"] = rendered.zoom
    wanted = None if returned_objects is None else set(returned_objects)
    return {name: value for name, value in values.items() if wanted is None or name in wanted}


def show_map(rendered: RenderedMap, layers: Sequence[folium.FeatureGroup], *, key: str, height: int,
             width: int | None = None, returned_objects: Sequence[str] | None = None,
             on_change: Callable[[], None] | None = None) -> dict:
    """The map in the page (what `st_folium(..., use_container_width=True)` shows); its value as
    st_folium returns it, also kept in `st.session_state[key]` after an interaction. `rendered`
    must have been made with the same `key`."""

    def changed() -> None:
        st.session_state[key] = st.session_state.get(rendered.component_key, {})
        if on_change is not None:
            on_change()

    return _component_func(
        script=rendered.script, header=rendered.header, html=rendered.html, id=rendered.map_id,
        key=rendered.component_key, height=height, width=width,
        returned_objects=None if returned_objects is None else list(returned_objects),
        default=_defaults(rendered, returned_objects), zoom=None, center=None,
        feature_group=layers_script(layers), return_on_hover=False, layer_control=None, pixelated=False,
        css_links=list(rendered.css_links), js_links=list(rendered.js_links), on_change=changed,
        wrap_longitude=False,
    )
