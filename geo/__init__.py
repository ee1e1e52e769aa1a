"""Article Atlas: turn a news article into places with passage-linked geometry, offline.

    from geo import geoparse, build_layers
    result = geoparse(open("article.txt", encoding="utf-8").read())
    layers = build_layers(result)          # {"countries": GeoDataFrame, …}
"""

from geo.errors import AtlasError, DataError, GeocoderError, GeocoderTimedOut, GeocoderUnavailable, InputError
from geo.gazetteer import Gazetteer
from geo.layers import build_layers
from geo.models import Article, Candidate, Geoparse, Mention, Passage, Place
from geo.pipeline import geoparse, geoparse_article, geoparse_file
from geo.resolve import Corrections

__all__ = [
    "geoparse", "geoparse_article", "geoparse_file", "build_layers", "Gazetteer", "Corrections",
    "Article", "Passage", "Mention", "Candidate", "Place", "Geoparse",
    "AtlasError", "InputError", "DataError", "GeocoderError", "GeocoderTimedOut", "GeocoderUnavailable",
]
