"""Data exports of a geoparse that stand on their own: GeoJSON, GeoPackage, CSV.

Each carries every place's record (geo.records.place_record: names, kind, confidence and the
reason for it, source, id, mention count) with the quotes, the article's own sentences, and the
article's metadata (title, byline, date, source file, SHA-256 of its text).

Map exports (standalone HTML, briefing PNG and PDF) live in geo.mapping and geo.briefing.
"""

from __future__ import annotations

import csv
import io
import json
import math
import tempfile
from pathlib import Path

import shapely

from geo.gazetteer import Gazetteer
from geo.kinds import LAYERS
from geo.layers import build_layers, place_geometry
from geo.models import Geoparse
from geo.records import ArticleMeta, article_meta, place_record

__all__ = [
    "QUOTE_SEPARATOR",
    "CSV_COLUMNS",
    "feature_collection",
    "geojson_text",
    "geopackage_bytes",
    "places_csv",
]

# Between two quotes in a text column (GeoPackage, CSV): a blank line, as between paragraphs.
QUOTE_SEPARATOR = "\n\n"
CSV_COLUMNS = [
    "n", "display_name", "name", "kind", "country", "mentions", "confidence", "reason", "key_quote", "quotes",
    "lat", "lon", "length_km", "source", "id", "article_title", "article_date", "article_source", "article_sha256",
]
_MENTION_COLUMNS = ["place_id", "display_name", "kind", "text", "form", "start", "end", "passage", "passage_text"]


def feature_collection(result: Geoparse, gazetteer: Gazetteer | None = None, *,
                       meta: ArticleMeta | None = None) -> dict:
    """The GeoJSON FeatureCollection of a geoparse (contract of `python -m geo extract`), with the
    article's metadata under "article" and each place's quotes in its properties."""
    gazetteer = gazetteer or Gazetteer.default()
    meta = meta or article_meta(result.article, places=result.places)
    features = []
    for place in result.places:
        properties = place_record(place, result.article)
        if place.kind != "border":
            properties.pop("length_km")
        if not place.alternatives:
            properties.pop("alternatives")
        geometry = shapely.geometry.mapping(place_geometry(place, gazetteer))
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    article = result.article
    return {
        "type": "FeatureCollection",
        "article": meta.as_dict(),
        "lang": article.lang,
        "passages": [{"index": p.index, "start": p.start, "end": p.end, "role": p.role, "paragraph": p.paragraph}
                     for p in article.passages],
        "unresolved": [m.as_dict() for m in result.unresolved],
        "features": features,
    }


def geojson_text(result: Geoparse, gazetteer: Gazetteer | None = None, *, meta: ArticleMeta | None = None) -> str:
    return json.dumps(feature_collection(result, gazetteer, meta=meta), ensure_ascii=False, allow_nan=False,
                      default=_finite)


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _mention_rows(result: Geoparse) -> list[dict]:
    article = result.article
    rows = []
    for place in result.places:
        for m in place.mentions:
            rows.append({"place_id": place.id, "display_name": place.display_name, "kind": place.kind,
                         "text": m.text, "form": m.form, "start": m.start, "end": m.end, "passage": m.passage,
                         "passage_text": " ".join(article.passage_text(m.passage).split())})
    return rows


def geopackage_bytes(result: Geoparse, gazetteer: Gazetteer | None = None, *,
                     meta: ArticleMeta | None = None) -> bytes:
    """A GeoPackage: one layer per kind of place (quotes as text, list columns as JSON text), a
    `mentions` table (each mention's text, offsets and sentence) and an `article` table (metadata)."""
    import pandas as pd
    import pyogrio

    meta = meta or article_meta(result.article, places=result.places)
    layers = build_layers(result, gazetteer)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article-atlas.gpkg"
        for name in LAYERS:
            frame = layers[name]
            if frame.empty:
                continue
            frame = frame.copy()
            frame["quotes"] = frame["quotes"].map(QUOTE_SEPARATOR.join)
            for column in ("mentions", "passages", "alternatives"):
                frame[column] = frame[column].map(lambda v: json.dumps(v, ensure_ascii=False))
            frame.to_file(path, layer=name, driver="GPKG")
        mentions = pd.DataFrame(_mention_rows(result), columns=_MENTION_COLUMNS)
        pyogrio.write_dataframe(mentions, path, layer="mentions", driver="GPKG")
        article = pd.DataFrame([{"key": k, "value": "" if v is None else str(v)} for k, v in meta.as_dict().items()])
        pyogrio.write_dataframe(article, path, layer="article", driver="GPKG")
        return path.read_bytes()


def places_csv(result: Geoparse, *, meta: ArticleMeta | None = None) -> str:
    """One row per place, numbered as on the briefing sheet: the table an analyst pastes into a
    briefing ("get the data"), quotes and the article it came from included."""
    meta = meta or article_meta(result.article, places=result.places)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for n, place in enumerate(result.places, 1):
        r = place_record(place, result.article)
        writer.writerow({
            "n": n, "display_name": r["display_name"], "name": r["name"], "kind": r["kind"],
            "country": r["country"] or "", "mentions": r["mention_count"], "confidence": r["confidence"],
            "reason": r["reason"] or "", "key_quote": r["key_quote"], "quotes": QUOTE_SEPARATOR.join(r["quotes"]),
            "lat": r["lat"], "lon": r["lon"], "length_km": r["length_km"] if r["length_km"] is not None else "",
            "source": r["source"], "id": r["id"], "article_title": meta.title,
            "article_date": meta.date.isoformat() if meta.date else "", "article_source": meta.source_name,
            "article_sha256": meta.sha256,
        })
    return out.getvalue()
