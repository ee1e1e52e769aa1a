"""Persons: the words of an article that belong to people's names (no place is read there)."""

from __future__ import annotations

from geo.gazetteer import FAMOUS_PRIOR
from geo.lexicon import PERSON_TITLES, STOPWORDS
from geo.recognize.names import Names
from geo.recognize.tokens import Token

__all__ = ["person_positions"]

_SURNAME_WORDS = 3  # at most this many capitalised words after a first name or title


def person_positions(tokens: list[Token], names: Names, first_names: frozenset[str],
                     common_words: frozenset[str]) -> set[int]:
    """Token positions that belong to person names, including surnames seen elsewhere.

    "Präsident Wladimir Putin … Putins Besuch": a first name or title and the capitalised words
    after it (not "Alberta Health Services": Health is a word; not "Jenny Palma" if Palma were
    a famous place); a titled word that names no well-known place (Präsident Macron).
    """
    positions: set[int] = set()
    surnames: set[str] = set()
    n = len(tokens)
    for i, token in enumerate(tokens):
        if not token.is_word or not token.cap:
            continue
        titled = i > 0 and tokens[i - 1].norm in PERSON_TITLES or (
            i > 1 and tokens[i - 1].text == "." and tokens[i - 2].norm in PERSON_TITLES)
        is_first = token.norm in first_names and token.norm not in STOPWORDS  # "The" is a name too
        if not (is_first or titled):
            continue
        if is_first and not titled and names.starts_multiword_place(tokens, i):
            continue  # Red Deer, Monroe County
        k = i + 1
        run = []
        while k < n and tokens[k].is_word and tokens[k].cap and tokens[k].passage == token.passage:
            if (tokens[k].norm in STOPWORDS or tokens[k].norm in common_words
                    or names.is_place_word(tokens[k], FAMOUS_PRIOR)):
                break  # Alberta Health Services: "Health" is no surname; Jenny Palma is one
            run.append(k)
            k += 1
            if len(run) == _SURNAME_WORDS:
                break
        if is_first and run:  # (Präsident) Wladimir Putin
            positions.add(i)
            positions.update(run)
            surnames.add(tokens[run[-1]].norm)
        elif titled and (is_first or not names.is_place_word(token)):  # Präsident Macron
            positions.add(i)
            if not is_first:
                surnames.add(token.norm)
    if surnames:
        genitives = {s + "s" for s in surnames}
        for i, token in enumerate(tokens):
            if token.cap and (token.norm in surnames or token.norm in genitives):
                positions.add(i)
    return positions
