"""Tokens of an article and their neighbours: the recogniser's view of the text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.models import Article
from geo.normalize import normalize

__all__ = [
    "HYPHENS", "Token", "tokenize", "joins_compound", "previous_word_index", "previous_word", "next_word",
    "after_place_comma", "after_party",
]

_TOKEN = re.compile(r"[^\W\d_]+(?:['’‘ʻ][^\W\d_]+)*|\d+(?:[.,'’]\d+)*|[^\w\s]")  # Nuku‘alofa, Hawaiʻi
HYPHENS = frozenset("-‐‑⸗")
# The double oblique hyphen of Fraktur type: OCR of old newspapers keeps it, often with a space or
# a line break after it («Oeſterreich⸗ Ungarn», «Kaiſer⸗ Wilhelmsland»); it is never a dash.
FRAKTUR_HYPHEN = "⸗"
_CONSONANTS = frozenset("bcdfghklmnpqrstvwxzß")


@dataclass(slots=True)
class Token:
    """A word, number or punctuation mark with its character offsets in the article."""

    start: int
    end: int
    text: str
    norm: str
    is_word: bool
    cap: bool
    passage: int
    sentence_start: bool


_WORDS_KEPT = 50_000  # words whose (norm, is_word, cap) are kept across articles, per reading
_word_info: dict[bool, dict[str, tuple[str, bool, bool]]] = {False: {}, True: {}}


def _read_word(word: str, fraktur: bool) -> tuple[str, bool, bool]:
    """A word's key, whether it is a word (not a number or mark), and whether it is capitalised."""
    if fraktur and len(word) > 1 and word[0] == "J" and word[1] in _CONSONANTS:
        # Fraktur OCR reads I as J (Jtalien, Jm, Jn): no German word starts like that.
        norm = normalize("I" + word[1:])
    else:
        norm = normalize(word)
    known = _word_info[fraktur]
    if len(known) >= _WORDS_KEPT:
        known.clear()
    info = known[word] = (norm, word[0].isalpha(), word[0].isupper())
    return info


def tokenize(article: Article) -> list[Token]:
    """Word and punctuation tokens with offsets, passage index and sentence-start flag."""
    tokens: list[Token] = []
    append = tokens.append
    text = article.text
    find = text.find
    fraktur = article.lang == "de"
    known = _word_info[fraktur]
    for passage in article.passages:
        first = True
        index = passage.index
        end = passage.start
        # Only white space and underscores lie between two tokens, and no token holds either:
        # a token starts where its text is next found (cheaper than a match object each).
        for word in _TOKEN.findall(text, passage.start, passage.end):
            start = find(word, end)
            end = start + len(word)
            info = known.get(word)
            if info is None:
                info = _read_word(word, fraktur)
                known = _word_info[fraktur]
            norm, is_word, cap = info
            append(Token(start, end, word, norm, is_word, cap, index, first and is_word))
            if is_word:
                first = False
            elif word == ":":
                first = True  # «Russland: Putin …» starts anew after a colon
    return tokens


def joins_compound(tokens: list[Token], k: int) -> bool:
    """Token k is a hyphen joining the words on either side into one compound: «Kivu-Sees»,
    «Medjidie⸗ Orden» (a Fraktur hyphen may have a space or line break after it); «Kivu - Sees»
    with spaces is a dash."""
    if not 0 < k < len(tokens) - 1:
        return False
    hyphen, before, after = tokens[k], tokens[k - 1], tokens[k + 1]
    if hyphen.text not in HYPHENS or not before.is_word or before.end != hyphen.start or not after.is_word:
        return False
    return hyphen.end == after.start or hyphen.text == FRAKTUR_HYPHEN


def previous_word_index(tokens: list[Token], i: int) -> int | None:
    """The word before token i in its passage, across dots and apostrophes ("Gov. Bush")."""
    k = i - 1
    while k >= 0 and not tokens[k].is_word and tokens[k].text in ".'’":
        k -= 1
    if k >= 0 and tokens[k].is_word and tokens[k].passage == tokens[i].passage:
        return k
    return None


def previous_word(tokens: list[Token], i: int) -> Token | None:
    k = previous_word_index(tokens, i)
    return tokens[k] if k is not None else None


def next_word(tokens: list[Token], j: int) -> Token | None:
    """The token right after j if it is a word of the same passage."""
    k = j + 1
    if k < len(tokens) and tokens[k].is_word and tokens[k].passage == tokens[j].passage:
        return tokens[k]
    return None


def after_place_comma(tokens: list[Token], i: int) -> bool:
    """Token i follows a capitalised word and a comma: "Austin, TX"."""
    return i >= 2 and tokens[i - 1].text == "," and tokens[i - 2].is_word and tokens[i - 2].cap


def after_party(tokens: list[Token], i: int) -> bool:
    """A US politician's party and state: Sen. John Kerry, D-Mass.; Rep. Joe Barton, R-Texas."""
    return (i >= 2 and tokens[i - 1].text in HYPHENS and tokens[i - 2].text in ("D", "R", "I")
            and tokens[i - 2].end == tokens[i - 1].start and tokens[i - 1].end == tokens[i].start)
