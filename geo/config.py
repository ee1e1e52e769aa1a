"""Defaults in one place. The library never reads the environment; app.py and the CLI do."""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "PROJECT_ROOT",
    "DATA_DIR",
    "INDEX_CACHE_DIR",
    "STATIC_DIR",
    "SAMPLE_ARTICLE",
    "MAX_ARTICLE_BYTES",
    "DEFAULT_LANGUAGE",
    "USER_AGENT",
    "ONLINE_TIMEOUT_S",
    "ONLINE_MIN_DELAY_S",
]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT_ROOT / "data"
# The gazetteer's memory-mapped index for corpus runs (geo.batch), derived from data/ on first
# load (not committed).
INDEX_CACHE_DIR = PROJECT_ROOT / "build" / "index"
STATIC_DIR = PROJECT_ROOT / "static"
SAMPLE_ARTICLE = PROJECT_ROOT / "samples" / "nzz-2022-12-19-putin-minsk.de.txt"

# An article is text a person pasted or uploaded: 2 MB is some 300,000 words, far past any
# news article, and still geoparsed in seconds. The one limit: bytes of a file as given, of
# pasted text as UTF-8 (geo.text.check_size); nothing below it is refused for its length.
MAX_ARTICLE_BYTES = 2_000_000
DEFAULT_LANGUAGE = "auto"

# Online geocoding (optional): Nominatim's policy asks for an identifying agent and ≤ 1 req/s.
USER_AGENT = "article-atlas/0.1 (offline-first geoparser)"
ONLINE_TIMEOUT_S = 5.0
ONLINE_MIN_DELAY_S = 1.0
