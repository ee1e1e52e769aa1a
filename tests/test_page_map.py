"""The page's map component: a base map rendered once sends what st_folium sends on every run."""

from __future__ import annotations

import pytest
import streamlit_folium

from geo import page_map
from geo.mapping import build_map, map_data, measurement_layer, selection_layer
from geo.page_map import layers_script, render_map, show_map

RETURNED = ["last_active_drawing", "last_object_clicked_count"]
LVIV, WARSAW = "geonames:702550", "geonames:756135"


@pytest.fixture(scope="module")
def sample_data(sample_text):
    from geo.pipeline import geoparse

    return map_data(geoparse(sample_text))


def _captured(monkeypatch, module, call) -> dict:
    sent: list[dict] = []
    monkeypatch.setattr(module, "_component_func", lambda **kwargs: sent.append(kwargs) or kwargs["default"])
    call()
    assert len(sent) == 1
    return {k: v for k, v in sent[0].items() if k != "on_change"}


def _layers(data, place_id: str, *, nonce: int):
    line = {"kind": "measure", "points": [[49.84, 24.03], [52.23, 21.01]], "label": "Lviv–Warsaw <b>km</b>"}
    return [selection_layer(data, place_id, fly=True, nonce=nonce),
            measurement_layer([line], halos=[WARSAW], data=data, focus_id=place_id, fly=True, nonce=nonce)]


@pytest.mark.parametrize("online", [False, True])
def test_show_map_sends_what_st_folium_sends(monkeypatch, sample_data, online):
    expected = _captured(monkeypatch, streamlit_folium, lambda: streamlit_folium.st_folium(
        build_map(sample_data, online=online), key="atlas_map", height=620, use_container_width=True,
        returned_objects=RETURNED, feature_group_to_add=_layers(sample_data, LVIV, nonce=3)))
    rendered = render_map(build_map(sample_data, online=online), key="atlas_map")
    got = _captured(monkeypatch, page_map, lambda: show_map(
        rendered, _layers(sample_data, LVIV, nonce=3), key="atlas_map", height=620, returned_objects=RETURNED))
    assert got.keys() == expected.keys()
    for name in expected.keys() - {"default"}:
        assert got[name] == expected[name], name
    # The default is st_folium's but for the click count: the front end's own 0, so the map's
    # first value equals it and a new session is not run twice.
    assert got["default"] == {**expected["default"], "last_object_clicked_count": 0}
    assert LVIV in got["feature_group"] and "flyTo" in got["feature_group"]


def test_one_rendered_map_serves_every_selection_without_a_new_key(monkeypatch, sample_data):
    """The component's key follows the base map only: a selection is a layer, never a reload."""
    rendered = render_map(build_map(sample_data), key="atlas_map")
    first = _captured(monkeypatch, page_map, lambda: show_map(rendered, _layers(sample_data, LVIV, nonce=1),
                                                              key="atlas_map", height=620))
    second = _captured(monkeypatch, page_map, lambda: show_map(rendered, _layers(sample_data, WARSAW, nonce=2),
                                                               key="atlas_map", height=620))
    assert first["key"] == second["key"] and first["script"] == second["script"]
    assert LVIV in first["feature_group"] and WARSAW in second["feature_group"]
    assert first["feature_group"] != second["feature_group"]
    assert render_map(build_map(sample_data), key="atlas_map").component_key == rendered.component_key
    assert render_map(build_map(sample_data, online=True), key="atlas_map").component_key != rendered.component_key


def test_layers_are_rendered_apart_from_any_base_map(sample_data):
    script = layers_script([selection_layer(sample_data, LVIV, fly=False)])
    assert "map_div.addLayer(feature_group_feature_group_0)" in script and LVIV in script
    assert layers_script([]) == ""


def test_map_version_follows_what_the_map_draws(sample_text):
    from geo.corrections import apply_removals
    from geo.mapping import map_version
    from geo.models import Corrections
    from geo.pipeline import geoparse

    first, again = map_data(geoparse(sample_text)), map_data(geoparse(sample_text))
    assert map_version(first) == map_version(again)
    corrections = Corrections(removed=frozenset({"geonames:625144"}))  # Minsk is no place
    removed = apply_removals(geoparse(sample_text, corrections=corrections), corrections)
    assert "geonames:625144" not in map_data(removed).place_ids
    assert map_version(map_data(removed)) != map_version(first), "a correction changes the map it shares"
