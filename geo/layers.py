"""Layers: the resolved places as GeoDataFrames (EPSG:4326), one per kind of feature.

These layers feed the map and every export; their rows keep each place's mentions and
passage indexes so provenance reaches the popup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shapely

from geo.gazetteer import Gazetteer
from geo.kinds import KIND_LAYER, LAYERS
from geo.models import Geoparse, Place
from geo.records import place_record

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["LAYERS", "KIND_LAYER", "build_layers", "place_geometry", "place_record"]

CRS = "EPSG:4326"
_COLUMNS = [
    "id", "name", "display_name", "kind", "kind_label", "feature", "country", "confidence", "reason", "source",
    "mention_count", "mentions", "passages", "quotes", "key_quote", "lat", "lon", "length_km", "population",
    "alternatives", "corrected", "geometry",
]


def place_geometry(place: Place, gazetteer: Gazetteer):
    """Polygon, line or point of a place (a point for places from online sources)."""
    if gazetteer.row_of(place.id) is not None:
        return gazetteer.geometry(place.id)
    return shapely.Point(place.candidate.lon, place.candidate.lat)


def build_layers(result: Geoparse, gazetteer: Gazetteer | None = None) -> dict[str, gpd.GeoDataFrame]:
    """{layer name: GeoDataFrame} for every layer in LAYERS (empty frames included)."""
    import geopandas as gpd  # here, not at import: the map and the CLI do not need pandas

    gazetteer = gazetteer or Gazetteer.default()
    rows: dict[str, list[dict]] = {name: [] for name in LAYERS}
    for place in result.places:
        record = place_record(place, result.article)
        record["geometry"] = place_geometry(place, gazetteer)
        rows[KIND_LAYER[place.kind]].append(record)
    return {
        name: gpd.GeoDataFrame(records, columns=_COLUMNS, geometry="geometry", crs=CRS)
        for name, records in rows.items()
    }
