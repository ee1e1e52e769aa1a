"""Streets and buildings: named, not in the offline gazetteer, recognised and left unresolved."""

from __future__ import annotations

from geo.lexicon import STOPWORDS, STREET_SUFFIXES, THOROUGHFARES
from geo.models import Article, RawMention
from geo.normalize import normalize
from geo.recognize.tokens import Token

__all__ = ["street", "before_thoroughfare", "unresolved"]

_GERMAN_STREET_ENDINGS = ("strasse", "str", "gasse", "allee", "chaussee")
_GERMAN_STREET_WORDS = frozenset({"strasse", "str", "platz", "allee", "chaussee", "gasse", "damm", "ufer"})
_GERMAN_THOROUGHFARE_ENDS = ("strasse", "gasse", "allee")  # Bundesstraße, Landesstraße, Hauptgasse
_MIN_STREET_WORD = 3  # letters of a street's first word
_DOTTED_PREFIXES = frozenset({"st", "ft", "mt"})  # St. Cloud Hospital, Ft. Worth Zoo: shorter, but a name
_MAX_NAME_WORDS = 4  # words before an English street word (Bob Wills Museum)


def street(tokens: list[Token], i: int, article: Article,
           common_words: frozenset[str]) -> tuple[RawMention, int] | None:
    """A street or building name starting at token i, and the index of its last token.

    German: one word ending in -straße/-str./-gasse/-allee/-chaussee (Klosterstraße), or a
    city adjective before Straße/Str./Platz (Leipziger Str.). English: capitalised words
    before Street/Road/Museum/… (Main Street, Bob Wills Museum).
    """
    first = tokens[i]
    dotted = first.norm in _DOTTED_PREFIXES and i + 1 < len(tokens) and tokens[i + 1].text == "."
    if (not first.cap or len(first.norm) < _MIN_STREET_WORD and not dotted or first.norm in STOPWORDS
            or first.sentence_start and first.norm in common_words):
        return None  # "Texas A&M University" is no street named "M University"
    lang = article.lang
    if lang == "de":
        norm = first.norm
        for suffix in _GERMAN_STREET_ENDINGS:
            if norm.endswith(suffix) and len(norm) > len(suffix) + 2:
                last = i + 1 if suffix == "str" and i + 1 < len(tokens) and tokens[i + 1].text == "." else i
                return unresolved(tokens, i, last, article), last
        nxt = i + 1
        if (norm.endswith("er") and nxt < len(tokens) and tokens[nxt].cap
                and _is_german_street_word(tokens[nxt].norm)):
            last = nxt + 1 if nxt + 1 < len(tokens) and tokens[nxt + 1].text == "." else nxt
            return unresolved(tokens, i, last, article), last
        return None
    suffixes = STREET_SUFFIXES.get(lang, frozenset())
    k = i
    while k + 1 < len(tokens) and tokens[k + 1].passage == first.passage and k - i < _MAX_NAME_WORDS:
        nxt = tokens[k + 1]
        if nxt.text in ("'", "’") or nxt.text == "." or (nxt.is_word and nxt.cap):
            k += 1
            if nxt.is_word and nxt.norm in suffixes and k > i:
                return unresolved(tokens, i, k, article), k
            continue
        break
    return None


def before_thoroughfare(tokens: list[Token], last: int, lang: str) -> bool:
    """Whether the word after a name makes it a street (Washington Drive, Texas Avenue,
    «Wiener Bundesstraße»)."""
    nxt = last + 1
    if not (nxt < len(tokens) and tokens[nxt].is_word and tokens[nxt].cap
            and tokens[nxt].passage == tokens[last].passage):
        return False
    norm = tokens[nxt].norm
    return norm in THOROUGHFARES.get(lang, frozenset()) or (lang == "de" and norm.endswith(_GERMAN_THOROUGHFARE_ENDS))


def _is_german_street_word(norm: str) -> bool:
    """Straße, Platz … or a compound of a thoroughfare (Bundesstraße, Hauptgasse)."""
    return norm in _GERMAN_STREET_WORDS or norm.endswith(_GERMAN_THOROUGHFARE_ENDS)


def unresolved(tokens: list[Token], i: int, last: int, article: Article) -> RawMention:
    """A named thing the gazetteer cannot place (kind "other", no rows)."""
    start, end = tokens[i].start, tokens[last].end
    text = article.text[start:end]
    return RawMention(start, end, text, tokens[i].passage, normalize(text), "name", [], 0.0, cue="other")
