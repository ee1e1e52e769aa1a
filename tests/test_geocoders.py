"""Online geocoders are options: failures become clear errors and offline results stay."""

from __future__ import annotations

import socket

import pytest
from geopy import exc
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.errors import GeocoderTimedOut, GeocoderUnavailable
from geo.geocoders import OnlineGeocoder, candidate_from_location
from geo.pipeline import geoparse

TEXT = "Die Polizei sperrte die Klosterstraße in Berlin."


class SlowGeocoder(Geocoder):
    """A geopy geocoder whose service never answers in time."""

    def geocode(self, query, *, exactly_one=True, timeout=None):
        raise exc.GeocoderTimedOut("Service timed out")


class FixedGeocoder(Geocoder):
    """A geopy geocoder that knows one street (stands in for Nominatim's answer)."""

    def __init__(self):
        super().__init__()
        self.queries = []

    def geocode(self, query, *, exactly_one=True, timeout=None):
        self.queries.append(query)
        raw = {"osm_type": "way", "osm_id": 42, "class": "highway", "type": "residential"}
        return Location("Klosterstraße, Mitte, Berlin", (52.5170, 13.4118), raw)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends


def test_timeout_becomes_a_clear_error():
    online = OnlineGeocoder(SlowGeocoder(), min_delay_seconds=0)
    with pytest.raises(GeocoderTimedOut, match="did not answer"):
        online.lookup("Klosterstraße")


def test_unreachable_nominatim_becomes_a_clear_error():
    from geopy.geocoders import Nominatim

    nominatim = Nominatim(user_agent="article-atlas-test", domain=f"127.0.0.1:{_closed_port()}", scheme="http",
                          timeout=2)
    with pytest.raises(GeocoderUnavailable, match="unreachable"):
        OnlineGeocoder(nominatim, min_delay_seconds=0).lookup("Klosterstraße")


def test_offline_results_survive_a_failing_online_geocoder():
    result = geoparse(TEXT, online=OnlineGeocoder(SlowGeocoder(), min_delay_seconds=0))
    assert any(p.name == "Berlin" for p in result.places)
    assert [m.text for m in result.unresolved] == ["Klosterstraße"]
    assert result.warnings and "did not answer" in result.warnings[0]


def test_online_geocoder_places_what_the_gazetteer_cannot():
    fixed = FixedGeocoder()
    result = geoparse(TEXT, online=OnlineGeocoder(fixed, min_delay_seconds=0))
    street = next(p for p in result.places if p.id == "osm:way/42")
    assert street.display_name == "Klosterstraße" and street.kind == "other"
    assert fixed.queries == ["Klosterstraße, Berlin"]
    assert not result.unresolved and not result.warnings


def test_candidate_from_nominatim_location_keeps_attribution():
    location = Location("Minsk, Belarus", (53.9, 27.56), {"osm_type": "relation", "osm_id": 59195,
                                                          "class": "boundary", "type": "administrative"})
    candidate = candidate_from_location(location, source="Nominatim")
    assert candidate.id == "osm:relation/59195"
    assert "OpenStreetMap" in candidate.source
