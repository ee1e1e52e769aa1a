"""Exports of a geoparse: GeoJSON (the CLI contract), GeoPackage, CSV of places.

Map exports (standalone HTML, PNG) live in geo.mapping and geo.snapshot.
"""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

import shapely

from geo.gazetteer import Gazetteer
from geo.layers import LAYERS, build_layers, place_geometry
from geo.models import Geoparse

__all__ = ["feature_collection", "geojson_text", "geopackage_bytes", "places_csv"]


def feature_collection(result: Geoparse, gazetteer: Gazetteer | None = None) -> dict:
    """The GeoJSON FeatureCollection of a geoparse (contract of `python -m geo extract`)."""
    gazetteer = gazetteer or Gazetteer.default()
    features = []
    for place in result.places:
        c = place.candidate
        properties = {
            "id": c.id,
            "name": c.name,
            "display_name": place.display_name,
            "kind": c.kind,
            "lat": c.lat,
            "lon": c.lon,
            "confidence": place.confidence,
            "source": c.source,
            "country": c.country or None,
            "mentions": [{"start": m.start, "end": m.end, "text": m.text, "passage": m.passage, "form": m.form}
                         for m in place.mentions],
        }
        if c.kind == "border":
            properties["length_km"] = c.length_km
        if place.alternatives:
            properties["alternatives"] = [{"id": a.id, "name": a.name, "kind": a.kind} for a in place.alternatives]
        geometry = shapely.geometry.mapping(place_geometry(place, gazetteer))
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    article = result.article
    return {
        "type": "FeatureCollection",
        "lang": article.lang,
        "passages": [{"index": p.index, "start": p.start, "end": p.end, "role": p.role, "paragraph": p.paragraph}
                     for p in article.passages],
        "unresolved": [m.as_dict() for m in result.unresolved],
        "features": features,
    }


def geojson_text(result: Geoparse, gazetteer: Gazetteer | None = None) -> str:
    return json.dumps(feature_collection(result, gazetteer), ensure_ascii=False, allow_nan=False,
                      default=_finite)


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def geopackage_bytes(result: Geoparse, gazetteer: Gazetteer | None = None) -> bytes:
    """A GeoPackage with one layer per kind (list columns stored as JSON text)."""
    layers = build_layers(result, gazetteer)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article-atlas.gpkg"
        for name in LAYERS:
            frame = layers[name]
            if frame.empty:
                continue
            frame = frame.copy()
            for column in ("mentions", "passages", "alternatives"):
                frame[column] = frame[column].map(lambda v: json.dumps(v, ensure_ascii=False))
            frame.to_file(path, layer=name, driver="GPKG")
        return path.read_bytes() if path.exists() else b""


def places_csv(result: Geoparse) -> str:
    """One row per place: the table an analyst pastes into a briefing."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["display_name", "name", "kind", "country", "mentions", "confidence", "lat", "lon", "source", "id"])
    for p in result.places:
        c = p.candidate
        writer.writerow([p.display_name, c.name, c.kind, c.country, len(p.mentions), p.confidence,
                         c.lat, c.lon, c.source, c.id])
    return out.getvalue()
