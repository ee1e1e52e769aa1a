"""Article Atlas: turn a news article into places with passage-linked geometry, offline.

    from geo import geoparse, build_layers
    result = geoparse(open("article.txt", encoding="utf-8").read())
    layers = build_layers(result)          # {"countries": GeoDataFrame, …}

Names are imported on first use (PEP 562), so `from geo.gazetteer import Gazetteer` does not
pay for geopandas.
"""

from importlib import import_module

_EXPORTS = {
    "geoparse": "geo.pipeline", "geoparse_article": "geo.pipeline", "geoparse_file": "geo.pipeline",
    "build_layers": "geo.layers", "Gazetteer": "geo.gazetteer", "Corrections": "geo.models",
    "Article": "geo.models", "Passage": "geo.models", "Mention": "geo.models", "Candidate": "geo.models",
    "Place": "geo.models", "Geoparse": "geo.models",
    "AtlasError": "geo.errors", "InputError": "geo.errors", "EmptyArticle": "geo.errors",
    "DataError": "geo.errors", "GeocoderError": "geo.errors", "GeocoderTimedOut": "geo.errors",
    "GeocoderUnavailable": "geo.errors",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
