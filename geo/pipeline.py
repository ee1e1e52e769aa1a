"""The whole pipeline in one call: text → passages → mentions → places.

    from geo import geoparse
    result = geoparse("Putin ist in Minsk eingetroffen.")
"""

from __future__ import annotations

import threading
from pathlib import Path

from geo.extract import Recognizer
from geo.gazetteer import Gazetteer
from geo.models import Article, Geoparse
from geo.resolve import Corrections, resolve
from geo.text import load_article, read_article_file

__all__ = ["geoparse", "geoparse_article", "geoparse_file", "recognizer"]

_recognizers: dict[int, Recognizer] = {}
_lock = threading.Lock()


def recognizer(gazetteer: Gazetteer | None = None) -> Recognizer:
    """One Recognizer per gazetteer (it caches lookups), shared across calls and threads."""
    gazetteer = gazetteer or Gazetteer.default()
    with _lock:
        found = _recognizers.get(id(gazetteer))
        if found is None:
            found = _recognizers[id(gazetteer)] = Recognizer(gazetteer)
        return found


def geoparse_article(article: Article, *, gazetteer: Gazetteer | None = None,
                     corrections: Corrections | None = None) -> Geoparse:
    """Places of an already loaded Article."""
    gazetteer = gazetteer or Gazetteer.default()
    raw = recognizer(gazetteer).find(article, extra_names=(corrections.added if corrections else None))
    places, unresolved = resolve(article, raw, gazetteer, corrections)
    return Geoparse(article=article, places=tuple(places), unresolved=tuple(unresolved))


def geoparse(source: str | bytes, *, lang: str = "auto", filename: str = "",
             gazetteer: Gazetteer | None = None, corrections: Corrections | None = None) -> Geoparse:
    """Geoparse pasted text or uploaded bytes (.txt, .md, .html)."""
    article = load_article(source, filename=filename, lang=lang)
    return geoparse_article(article, gazetteer=gazetteer, corrections=corrections)


def geoparse_file(path: str | Path, *, lang: str = "auto", gazetteer: Gazetteer | None = None,
                  corrections: Corrections | None = None) -> Geoparse:
    """Geoparse an article file; unreadable input raises geo.errors.InputError."""
    article = read_article_file(path, lang=lang)
    return geoparse_article(article, gazetteer=gazetteer, corrections=corrections)
