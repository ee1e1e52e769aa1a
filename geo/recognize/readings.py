"""Readings: what a name match is taken to be before the rules weigh it.

A reading changes which of the match's entries count (its rows), its form (name or adjective),
its kind or its end; it gives no evidence. Each is a function `(match, ctx) -> None` that
rewrites the match in place, run in the order of `READINGS`.
"""

from __future__ import annotations

from geo.gazetteer import NameType
from geo.lexicon import DETERMINERS, LIST_CUE_KINDS, LIST_JOINERS, PERSON_TITLES, PLACE_CUES
from geo.recognize.judge import ACCEPT_THRESHOLD, Context, Match, Reading
from geo.recognize.names import may_be_adjective
from geo.recognize.tokens import joins_compound, previous_word, previous_word_index

__all__ = [
    "READINGS", "CODES", "take_dot", "adjective_entries", "adjective_name", "river_or_region_after_article",
    "river_after_the", "town_without_article", "cue_words", "list_cue", "located_in_region", "region_in_brackets", "compound_head",
    "adjective_reading", "region_adjective_before",
]

CODES = frozenset({NameType.ABBR, NameType.CODE})
_ADJ_ONLY = frozenset({NameType.ADJ})
_OF = frozenset({"of", "von"})
_LIST_REACH = 16  # tokens back from a list item to the plural noun that opens the list
# "Butler, Warren and Hamilton counties": each is «X County» in the index, not a region «Hamilton»
# (Bermuda's); a plural noun after a list reads its kind only where the bare name is the region's.
_NAMED_WITH_THEIR_NOUN = frozenset({"counties"})


def adjective_reading(match: Match) -> bool:
    """The name index matched an adjective (russischen, Minsker) or the key only names adjectives."""
    types = match.types
    return match.found_form == "adjective" or bool(types and types <= _ADJ_ONLY)


def compound_head(match: Match, ctx: Context) -> bool:
    """The name is the first part of a hyphenated compound: «die Kertsch-Brücke»."""
    tokens, j = ctx.tokens, match.j
    return tokens[j].end == match.end and joins_compound(tokens, j + 1) and tokens[j + 2].cap


def take_dot(match: Match, ctx: Context) -> None:
    """ "Frankfort, Ky.": an abbreviation's dot belongs to the mention."""
    types, text = match.types, ctx.article.text
    if types and types <= CODES and match.end < len(text) and text[match.end] == ".":
        match.end += 1


def adjective_entries(match: Match, ctx: Context) -> None:
    """ "die russischen Truppen": an adjective means the entries it is the adjective of."""
    if NameType.ADJ in match.types and adjective_reading(match):
        match.form = "adjective"
        names = ctx.names
        match.rows = [(r, s) for r, s in match.rows if names.is_adjective_of(match.key, r)] or match.rows
        match.set_best(names)


def adjective_name(match: Match, ctx: Context) -> None:
    """ "Deutsch": the key's best entry is named so as an adjective (Germany's), not as a place."""
    if match.best_type == NameType.ADJ:
        match.form = "adjective"


def river_or_region_after_article(match: Match, ctx: Context) -> None:
    """ "am Dnipro", "der Zug": a German town takes no article, so the name is the river or
    region of that name when one is known well enough (the name's type stays the town's)."""
    prev = match.prev_word
    if (ctx.lang == "en" or prev is None or prev.norm not in DETERMINERS or match.multiword
            or match.kind != "city" or match.form != "name" or compound_head(match, ctx)):
        return
    kind_of = ctx.names.gazetteer.kind_of
    others = [(r, p) for r, p in match.rows if kind_of(r) != "city"]
    if others and others[0][1] >= ACCEPT_THRESHOLD:
        match.rows = others  # not even nearby towns make it the city
        match.best_row, match.prior = others[0]
        match.kind = match.article_kind = kind_of(match.best_row)


_RIVER_ARTICLES_DE = frozenset("der die den dem des am zur vom".split())  # «an der Elbe», «am Inn», «zur Donau»
# The noun itself: «südlich des Flusses Dnipro», «über den Strom Amur», "the river Severn".
_RIVER_NOUNS = {"de": frozenset("fluss flusses flusse strom stroms stromes".split()), "en": frozenset(["river"])}


def river_after_the(match: Match, ctx: Context) -> None:
    """ "along the Mississippi", "the Hudson", «entlang der Elbe», «am Inn»: a river takes an
    article, a state or town does not (a country may: the Congo, the Gambia). The best entry and
    its prior stay as they were. (Not «im»: «im Tessin» is the canton, not the river.) The noun
    river itself before the name (`_RIVER_NOUNS`: «des Flusses Dnipro») says the same."""
    prev = match.prev_word
    if prev is None or match.multiword or match.kind == "other" and ctx.lang == "en":
        return
    article = ctx.lang == "en" and prev.norm == "the" or ctx.lang == "de" and prev.norm in _RIVER_ARTICLES_DE
    if not (article or prev.norm in _RIVER_NOUNS.get(ctx.lang, ())):
        return
    gazetteer = ctx.names.gazetteer
    if any(gazetteer.value("feature", r) == "RIVER" for r, _ in match.rows):
        match.rows = [(r, p) for r, p in match.rows if gazetteer.kind_of(r) in ("other", "country")]
        match.article_kind = "other"


# Prepositions that take a town's bare name: «in Enns», «nach Aller…», "in Hudson".
_BARE_PREPOSITIONS = {"de": frozenset("in nach aus bei von ab bis".split()),
                      "en": frozenset("in at from to near".split())}
# Features German and English name with their article: «an der Enns», "the Hudson", «am Chiemsee».
_ARTICLE_FEATURES = frozenset({"RIVER", "LAKE", "MOUNTAINS", "SEA", "OCEAN", "GULF", "BAY", "STRAIT", "CANAL"})


def town_without_article(match: Match, ctx: Context) -> None:
    """«Der Unfall passierte in Enns», "a fire in Hudson": after a preposition with no article a
    name that is both a river (lake, range, sea) and a town is the town; the feature would take
    its article («in der Enns», "in the Hudson"). The feature's entries leave the match's rows."""
    prev = match.prev_word
    if prev is None or match.multiword or prev.norm not in _BARE_PREPOSITIONS.get(ctx.lang, ()):
        return
    gazetteer = ctx.names.gazetteer
    kept = [(r, p) for r, p in match.rows if gazetteer.value("feature", r) not in _ARTICLE_FEATURES]
    if kept and len(kept) < len(match.rows) and any(gazetteer.kind_of(r) == "city" for r, _ in kept):
        match.rows = kept


def cue_words(match: Match, ctx: Context) -> None:
    """ "die Stadt Zug", "Minsk city", "the state of New York": the kinds whose cue words stand
    right before or after the name, or before its "of"/"von" (a title is no cue: Gov. Bush)."""
    prev = match.prev_word
    of_noun = None
    if prev is not None and prev.norm in _OF:
        of_noun = previous_word(ctx.tokens, previous_word_index(ctx.tokens, match.i))
    before = prev if prev is not None and prev.norm not in PERSON_TITLES else None
    near = [w.norm for w in (before, match.next_word, of_noun) if w is not None]
    if near:
        match.cues = tuple(kind for kind, words in PLACE_CUES.items() if not words.isdisjoint(near))


def list_cue(match: Match, ctx: Context) -> None:
    """ «in den Provinzen Salaheddin, Kirkuk und Anbar», «die Regionen Sagaing und Mandalay»: a
    plural noun before a list gives every name in it its kind, not only the first; so does one
    right after it: "the Bryansk and Kursk regions", "in the Kherson, Zaporizhzhia regions"."""
    if match.cues:
        return
    tokens = ctx.tokens
    passage = tokens[match.i].passage
    for k, step in ((match.i - 1, -1), (match.j + 1, 1)):
        while 0 <= k < len(tokens) and abs(k - match.i) <= _LIST_REACH and tokens[k].passage == passage:
            token = tokens[k]
            for kind, words in LIST_CUE_KINDS.items():
                if token.norm in words and not (step > 0 and token.norm in _NAMED_WITH_THEIR_NOUN):
                    match.cues = (kind,)
                    return
            if not (token.text == "," or token.norm in LIST_JOINERS or token.is_word and token.cap):
                break
            k += step


def located_in_region(match: Match, ctx: Context) -> None:
    """ "Salem in Massachusetts", «Hamilton in Neuseeland», «Florence im US-Bundesstaat Alabama»:
    a region or country after «in» that holds one of the name's entries qualifies it, as
    "Paris, Texas" does (resolution then picks the entry inside)."""
    _qualify_by_region(match, ctx, ctx.names.region_after_in)


def region_in_brackets(match: Match, ctx: Context) -> None:
    """«Eichstätt (Bayern)», «Bauma (Schweiz)»: a region or country in brackets after a name that
    holds one of its entries qualifies it, as "Paris, Texas" does."""
    _qualify_by_region(match, ctx, ctx.names.region_in_brackets)


def region_adjective_before(match: Match, ctx: Context) -> None:
    """«das thüringische Windehausen», «im bayerischen Kochel»: in German a lower-case adjective
    of a region or country right before a name that has an entry there qualifies it, as «Kochel
    in Bayern» would."""
    if ctx.lang == "de" and match.i >= 1:
        _qualify_by_region(match, ctx, lambda tokens, _j, lang: _adjective_before(tokens, match.i, ctx))


def _adjective_before(tokens, i: int, ctx: Context) -> str:
    """The key of the lower-case place adjective right before token i, '' if there is none."""
    k = i - 1
    before = tokens[k]
    if not before.is_word or before.cap or before.passage != tokens[i].passage or not may_be_adjective(before):
        return ""
    found = ctx.names.longest_name(tokens, k, ctx.lang)
    return found[1] if found is not None and found[0] == k and found[2] == "adjective" else ""


def _qualify_by_region(match: Match, ctx: Context, region_after) -> None:
    """Qualify a name by the region `region_after(tokens, j, lang)` finds beside it (after token j,
    or before the name: `region_adjective_before`), if that region holds one of its entries."""
    if match.qualifier or match.form != "name":
        return
    key = region_after(ctx.tokens, match.j, ctx.lang)
    if key and key != match.key and ctx.names.holds(key, match.rows):
        match.qualifier = key
        match.located_in = True


READINGS: list[Reading] = [
    take_dot, adjective_entries, adjective_name, river_or_region_after_article, river_after_the,
    town_without_article, cue_words,
    list_cue, located_in_region, region_in_brackets, region_adjective_before,
]
