"""Generic references: der Flughafen, des nahen AKW, the border; resolved from context later."""

from __future__ import annotations

import re

from geo.lexicon import DETERMINERS, GENERIC_FACILITIES, LOCATIVE, STOPWORDS
from geo.models import Article, RawMention
from geo.recognize.names import Names, variants
from geo.recognize.tokens import Token

__all__ = ["generic", "anchor", "border_side", "stated_length", "GENERIC_FIRST_WORDS"]

_BORDER_WORDS = frozenset({"grenze", "border", "grenzen", "frontier"})
_PLURAL_BORDER_WORDS = frozenset({"grenzen"})
_BORDER_LINKS = frozenset({"zu", "zur", "zum", "mit", "with", "to"})  # die Grenze zu …, the border with …
_LENGTH_UNITS = frozenset({"kilometer", "km", "kilometre", "kilometres", "kilometers"})
_LENGTH_WINDOW = 6  # words before a border noun that may state its length
# First word of every generic phrase → (feature, phrases split into words, longest first).
_GENERIC_STARTS: dict[str, list[tuple[str, list[str]]]] = {}
for _feature, _phrases in GENERIC_FACILITIES.items():
    for _phrase in sorted(_phrases, key=len, reverse=True):
        _GENERIC_STARTS.setdefault(_phrase.split()[0], []).append((_feature, _phrase.split()))
# The words `generic` can start at: at any other it finds nothing (the scan skips them early).
GENERIC_FIRST_WORDS = frozenset(_GENERIC_STARTS) | _BORDER_WORDS


def generic(tokens: list[Token], i: int, article: Article, names: Names) -> tuple[RawMention, int] | None:
    """A generic place noun (Flughafen, AKW, Grenze) and the index of its last token."""
    token = tokens[i]
    norm = token.norm
    for feature, parts in _GENERIC_STARTS.get(norm, ()):
        if [t.norm for t in tokens[i:i + len(parts)]] != parts:
            continue
        span_end = i + len(parts) - 1
        anchor_key, anchor_end = anchor(tokens, i, span_end, names)
        last = max(span_end, anchor_end)
        mention = RawMention(token.start, tokens[last].end, article.text[token.start:tokens[last].end],
                             token.passage, " ".join(parts), "generic", [], 0.0, generic=feature,
                             anchor_key=anchor_key)
        return mention, last
    if norm in _BORDER_WORDS:
        side = border_side(tokens, i, article.lang, names)
        if norm in _PLURAL_BORDER_WORDS and not side:
            return None  # «Ärzte ohne Grenzen», «die Grenzen nach innen»: no border of two named states
        mention = RawMention(token.start, token.end, token.text, token.passage, norm, "generic", [], 0.0,
                             generic="BORDER", number_km=stated_length(tokens, i), anchor_key=side)
        return mention, i
    return None


def anchor(tokens: list[Token], i: int, j: int, names: Names) -> tuple[str, int]:
    """A place qualifying a generic noun: Minsker Flugplatz, Flughafen Minsk, Minsk airport.

    Returns the anchor's key and the index of the last token the mention covers.
    """
    gazetteer = names.gazetteer
    before = tokens[i - 1] if i > 0 else None
    if (before is not None and before.is_word and before.cap and before.passage == tokens[i].passage
            and before.norm not in STOPWORDS and before.norm not in DETERMINERS
            and before.norm not in LOCATIVE):  # «Am Flughafen Frankfurt»: "Am" is no place
        for variant, _ in ((before.norm, "name"), *variants(before, "de")):
            if variant and gazetteer.has_key(variant):
                return variant, j
    after = tokens[j + 1] if j + 1 < len(tokens) else None
    if after is not None and after.is_word and after.cap and after.passage == tokens[j].passage:
        if gazetteer.has_key(after.norm) and after.norm not in STOPWORDS:
            return after.norm, j + 1
    return "", j


def border_side(tokens: list[Token], i: int, lang: str, names: Names) -> str:
    """The country a border is named with: «die Grenze zu Ägypten», "the border with Poland"."""
    k = i + 1
    if k + 1 >= len(tokens) or tokens[k].norm not in _BORDER_LINKS or tokens[k].passage != tokens[i].passage:
        return ""
    k += 1
    if tokens[k].norm in DETERMINERS and k + 1 < len(tokens):
        k += 1  # die Grenze mit der Ukraine
    match = names.longest_name(tokens, k, lang)
    if match is None:
        return ""
    rows = names.rows(match[1], allow_codes=False, lang=lang)
    return match[1] if rows and names.gazetteer.kind_of(rows[0][0]) == "country" else ""


def stated_length(tokens: list[Token], i: int) -> float | None:
    """'rund 1000 Kilometer lange Grenze', 'the 1,084-km border' → 1000.0 / 1084.0."""
    window = tokens[max(0, i - _LENGTH_WINDOW):i]
    for k, token in enumerate(window):
        if token.text[0].isdigit() and k + 1 < len(window):
            if window[k + 1].norm in _LENGTH_UNITS:
                digits = re.sub(r"[^\d]", "", token.text)
                if digits:
                    return float(digits)
    return None
