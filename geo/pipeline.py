"""The whole pipeline in one call: text → passages → mentions → places.

    from geo import geoparse
    result = geoparse("Putin ist in Minsk eingetroffen.")
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import GeocoderError
from geo.gazetteer import Gazetteer
from geo.models import Article, Candidate, Corrections, Geoparse, Mention, Place
from geo.recognize import Recognizer
from geo.resolve import resolve
from geo.text import load_article, read_article_file

if TYPE_CHECKING:
    from geo.geocoders import OnlineGeocoder

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
                     corrections: Corrections | None = None, online: OnlineGeocoder | None = None) -> Geoparse:
    """Places of an already loaded Article.

    `online`: an optional online geocoder asked only for names the offline gazetteer could not
    place (a street, a building). If it fails, the offline result stands with a warning.
    """
    gazetteer = gazetteer or Gazetteer.default()
    raw = recognizer(gazetteer).find(article, extra_names=(corrections.added if corrections else None))
    places, unresolved = resolve(article, raw, gazetteer, corrections)
    warnings: list[str] = []
    if online is not None and unresolved:
        places, unresolved, warnings = _resolve_online(article, places, unresolved, online)
    return Geoparse(article=article, places=tuple(places), unresolved=tuple(unresolved),
                    warnings=tuple(warnings))


def _resolve_online(article: Article, places: list[Place], unresolved: list[Mention],
                    online: OnlineGeocoder) -> tuple[list[Place], list[Mention], list[str]]:
    """Ask the online geocoder for each unresolved name (it caches repeats), qualified by a city
    of its passage."""
    cities = {m.passage: p.candidate.name for p in places if p.kind == "city" for m in p.mentions}
    found: dict[str, tuple[Candidate, list[Mention]]] = {}
    still: list[Mention] = []
    for index, mention in enumerate(unresolved):
        if mention.form != "name":
            still.append(mention)
            continue
        query = mention.text if mention.passage not in cities else f"{mention.text}, {cities[mention.passage]}"
        try:
            candidate = online.lookup(query)
        except GeocoderError as err:
            return places, still + unresolved[index:], [f"{err} Offline results are shown."]
        if candidate is None:
            still.append(mention)
        else:
            found.setdefault(candidate.id, (candidate, []))[1].append(mention)
    extra = [Place(candidate=candidate, display_name=mentions[0].text, confidence=0.5, mentions=tuple(mentions))
             for candidate, mentions in found.values()]
    return sorted(places + extra, key=lambda p: (p.mentions[0].start, p.id)), still, []


def geoparse(source: str | bytes, *, lang: str = "auto", filename: str = "",
             gazetteer: Gazetteer | None = None, corrections: Corrections | None = None,
             online: OnlineGeocoder | None = None) -> Geoparse:
    """Geoparse pasted text or uploaded bytes (.txt, .md, .html)."""
    article = load_article(source, filename=filename, lang=lang)
    return geoparse_article(article, gazetteer=gazetteer, corrections=corrections, online=online)


def geoparse_file(path: str | Path, *, lang: str = "auto", gazetteer: Gazetteer | None = None,
                  corrections: Corrections | None = None, online: OnlineGeocoder | None = None) -> Geoparse:
    """Geoparse an article file; unreadable input raises geo.errors.InputError."""
    article = read_article_file(path, lang=lang)
    return geoparse_article(article, gazetteer=gazetteer, corrections=corrections, online=online)
