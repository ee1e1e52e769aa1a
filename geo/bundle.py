"""Everything the page draws from one article, computed once per input in a server process.

`page_bundle` geoparses an article with a set of corrections and derives what the dashboard
shows (the map's data, the article's HTML, the table rows, the stated figures). The result is
kept per input (a few articles), so that the server's warm-up (`geo.serve`) computes the sample
article before the first visitor's page asks for it, and a page that asks while the warm-up is
still at it waits for that result instead of computing it a second time.

`keep_sample_in` (the page and the warm-up pass geo.persist.PAGES_DIR): the sample article
without corrections, what every new visitor's first page shows, is also kept on disk
(geo.persist), so that a new server process reads it (~3 ms) instead of geoparsing it (~0.7 s
of CPU while the first page waits). Nothing else is written: a visitor's article or corrections
never leave the process.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from pathlib import Path

from geo.articles import sample_source

from geo.claims import claim_rows, find_claims
from geo.corrections import apply_removals, from_json, to_json
from geo.gazetteer import Gazetteer
from geo.mapping import map_data, map_version
from geo.models import Corrections
from geo.persist import kept
from geo.pipeline import geoparse
from geo.textview import article_html, country_names, place_rows

__all__ = ["page_bundle"]

_KEPT = 8  # inputs kept per process (the page's own cache holds more, per session input)
_bundles: OrderedDict[tuple, dict] = OrderedDict()
_computing: dict[tuple, threading.Lock] = {}
_lock = threading.Lock()


def page_bundle(source: bytes, filename: str, lang: str, corrections_json: str, *, gazetteer: Gazetteer,
                keep_sample_in: Path | None = None) -> dict:
    """The page's view of an article (see the module docstring); the same dict for the same input."""
    key = (hashlib.sha256(source).hexdigest(), filename, lang, corrections_json)
    with _lock:
        if key in _bundles:
            _bundles.move_to_end(key)
            return _bundles[key]
        computing = _computing.setdefault(key, threading.Lock())
    with computing:  # a second caller waits for the first one's result
        with _lock:
            if key in _bundles:
                return _bundles[key]
        plain = _is_plain_sample(source, filename, corrections_json)
        bundle = kept(keep_sample_in if plain else None, ("page_bundle", key),
                      lambda: {**_compute(source, filename, lang, corrections_json, gazetteer), "plain_sample": plain})
        with _lock:
            _bundles[key] = bundle
            while len(_bundles) > _KEPT:
                _bundles.popitem(last=False)
            _computing.pop(key, None)
    return bundle


def _is_plain_sample(source: bytes, filename: str, corrections_json: str) -> bool:
    """The sample article without corrections (the only input kept on disk)."""
    return (source, filename) == sample_source() and corrections_json == to_json(Corrections())


def _compute(source: bytes, filename: str, lang: str, corrections_json: str, gazetteer: Gazetteer) -> dict:
    corrections = from_json(corrections_json)
    started = time.perf_counter()
    result = apply_removals(geoparse(source, lang=lang, filename=filename, gazetteer=gazetteer,
                                     corrections=corrections), corrections)
    parsed = time.perf_counter() - started
    names = country_names(result.places, gazetteer)
    html = article_html(result)
    claims = find_claims(result, gazetteer=gazetteer)
    data = map_data(result, gazetteer=gazetteer)
    return {
        "result": result,
        "map": data,
        "map_version": map_version(data),
        "html": html,
        "html_version": hashlib.sha256(html.encode("utf-8")).hexdigest()[:16],
        "rows": place_rows(result, names),
        "claims": claims,
        "claim_rows": claim_rows(claims),
        "seconds": parsed,
    }
