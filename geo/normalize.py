"""Name normalisation shared by the data build and the gazetteer.

Matching must survive case, ß/ss, diacritics, the long s (ſ), apostrophes, hyphens and
abbreviation dots, while the original spelling is kept elsewhere for display.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize", "name_variants"]

# Characters folded before decomposition: long s, typographic apostrophes, dashes.
_TRANSLATE = str.maketrans(
    {
        "ſ": "s",
        "ß": "ss",
        "ẞ": "ss",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "ı": "i",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "’": "",
        "'": "",
        "`": "",
        "´": "",
        "ʼ": "",
        "ʻ": "",
        "‘": "",
        "-": " ",
        "‐": " ",
        "‑": " ",
        "‒": " ",
        "–": " ",
        "—": " ",
        "⸗": " ",
        "_": " ",
        ".": " ",
        ",": " ",
        "/": " ",
    }
)
_SPACES = re.compile(r"\s+")


def normalize(name: str) -> str:
    """Return the matching key of a place name: lower case, ASCII-folded, single-spaced.

    >>> normalize("Weißrussland") == normalize("Weissrussland") == "weissrussland"
    True
    >>> normalize("St. Petersburg")
    'st petersburg'
    """
    folded = name.translate(_TRANSLATE)
    if folded.isascii():  # most words: NFKD changes nothing and casefold() is lower()
        return _SPACES.sub(" ", folded.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", folded)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_SAINT_PREFIXES = ("st ", "sankt ", "saint ", "san ", "ste ", "sainte ")
# Spellings of a first word that name the same place: St. Gallen, Mt. Pleasant, Ft. Worth.
_INTERCHANGEABLE_PREFIXES = (("st ", "sankt ", "saint "), ("mt ", "mount "), ("ft ", "fort "))
_INTERCHANGEABLE_SUFFIXES = ((" county", " co"),)  # Loudon Co.
# German link words of a town's name and their abbreviations: Waidhofen a. d. Ybbs, Ried i. I.,
# Kirchberg a. Wagram, Rothenburg o. d. Tauber, St. Georgen b. Grieskirchen.
_ABBREVIATED_LINKS = (
    (" an der ", " a d "), (" in der ", " i d "), (" ob der ", " o d "),
    (" am ", " a "), (" an ", " a "), (" im ", " i "), (" bei ", " b "),
)
# Links to a river, which a slash may replace: Waidhofen/Ybbs, Frankfurt/Main.
_RIVER_LINKS = (" an der ", " am ", " an ")


def name_variants(name: str) -> set[str]:
    """All matching keys under which a gazetteer name is indexed.

    Besides the plain key: the German umlaut transliteration (Österreich → Oesterreich),
    the interchangeable prefixes (St./Sankt/Saint, Mt./Mount, Ft./Fort), County/Co., and a
    German town's abbreviated link words (Waidhofen an der Ybbs → a. d. Ybbs, /Ybbs).
    """
    keys = {normalize(name)}
    if any(ch in name for ch in "äöüÄÖÜ"):
        keys.add(normalize(name.translate(_UMLAUTS)))
    for key in list(keys):
        for prefixes in _INTERCHANGEABLE_PREFIXES:
            for prefix in prefixes:
                if key.startswith(prefix):
                    rest = key[len(prefix):]
                    keys.update(p + rest for p in prefixes)
    for key in list(keys):
        for long, short in _INTERCHANGEABLE_SUFFIXES:
            if key.endswith(long):
                keys.add(key[: -len(long)] + short)
    for key in list(keys):
        keys.update(_abbreviated_links(key))
    keys.discard("")
    return keys


def _abbreviated_links(key: str) -> set[str]:
    """A key's spellings with its first German link word abbreviated (and the last word to its
    initial: Frankfurt a. M.), or the link dropped before a river (Waidhofen/Ybbs).

    >>> sorted(_abbreviated_links("waidhofen an der ybbs"))
    ['waidhofen a d y', 'waidhofen a d ybbs', 'waidhofen ybbs']
    """
    for link, short in _ABBREVIATED_LINKS:
        head, found, tail = key.partition(link)
        if not found or not head or not tail:
            continue
        out = {head + short + tail}
        if " " not in tail:
            out.add(head + short + tail[0])
        if link in _RIVER_LINKS:
            out.add(f"{head} {tail}")
        return out
    return set()


def is_saint_prefix(key: str) -> bool:
    """True when a key starts with a saint prefix (used to join 'St.' with the next token)."""
    return key.startswith(_SAINT_PREFIXES)
