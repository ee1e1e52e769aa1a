"""Rules: evidence for or against a name match being a place.

Each rule is a function `(match, ctx) -> Evidence`: a score delta on the gazetteer's prior
scale (a weight from `WEIGHTS`), `VETO` (not a place), `ACCEPT` (kept whatever its score) or
None (nothing to say). Rules read the match and its context and change nothing. `judge` runs
`WORD_RULES` (the words alone, before the look-up), then `RULES` (after the readings), adds
their deltas in that order to the prior of the match's best entry and keeps the match when the
sum reaches `ACCEPT_THRESHOLD`; the first veto ends the judgement.
"""

from __future__ import annotations

import math
import re

from geo.gazetteer import FAMOUS_PRIOR, MAJOR_PRIOR, WELL_KNOWN_PRIOR, NameType, haversine_km
from geo.lexicon import (ASSEMBLIES, BUILDING_CUES, DETERMINERS, DIRECTIONS, KIN_NOUNS, LIST_CUE_KINDS, LIST_CUES,
                         LIST_JOINERS, LOCATIVE, MONTHS, NEARBY_WORDS, NOT_PLACES, ORG_HEADS, ORG_NOUNS, ORG_WORDS,
                         PERSON_TITLES, PLACE_CUES, PLACE_PREDICATES, QUANTIFIERS, REGION_NOUNS, STOPWORDS,
                         STRONG_LOCATIVE, VESSEL_HEADS, AMOUNT_WORDS, CURRENCY_WORDS, ARABIC_ARTICLES,
                         word_frequencies)
from geo.recognize.judge import ACCEPT, VETO, Context, Evidence, Match, Rule
from geo.recognize.names import may_be_adjective
from geo.recognize.readings import CODES, adjective_reading, compound_head
from geo.recognize.tokens import HYPHENS, Token, after_party, after_place_comma, joins_compound

__all__ = [
    "WEIGHTS", "WORD_RULES", "RULES", "not_a_place_word", "inside_person_name", "too_short", "contraction", "all_caps_code",
    "brand_compound", "bare_abbreviation", "unknown_adjective", "lowercase_name", "nickname_of_words",
    "multiword_name", "after_locative", "article_before_town", "followed_by_organisation", "everyday_word",
    "frequent_word", "first_name", "sentence_start", "adjective_without_noun", "cue_word", "stated_region",
    "abbreviation_only", "after_organisation_noun", "compound_tail", "adjective_in_a_name", "english_adjective",
    "noun_in_phrase", "place_predicate", "located_in", "place_list", "nearby_place", "title_word_alone",
    "landform_name", "route_joint", "list_items", "after_quantifier", "after_amount", "currency_name", "function_word_start", "names_an_organisation",
    "named_elsewhere", "after_postcode", "assembly_not_building", "in_compound_adjective", "dateline", "ship_name",
    "place_noun_alone", "compound_modifier", "arabic_article", "neighbouring_place", "near_named_places", "far_from_named_places", "before_month", "after_kin_noun", "part_of_town",
    "foreign_adjective_before", "english_phrase", "name_article", "names_far_apart", "after_acronym",
]

# The evidence weights, on the gazetteer's prior scale (log10 of population). Set by hand; a fit
# over annotated data may replace the values (the rules read them when they run).
WEIGHTS: dict[str, float] = {
    "multiword_name": 2.0,  # a name of several words is rarely anything else
    "after_acronym": -2.0,  # «CNN Türk», "BBC Persian": a name after an organisation's acronym
    "after_locative": 1.5,  # in, nach, near …
    "article_before_town": -4.0,  # «der Zug»: a German town takes no article
    "everyday_word": -2.0,  # an English word written in lower case too (Police, Reading)
    "frequent_word": -2.0,  # per unit of word frequency (Zipf) above what the place's size explains
    "first_name": -1.5,  # "George said"
    "sentence_start": -1.5,  # a capitalised first word of a German sentence says nothing
    "sentence_start_en": -0.5,  # … of an English one, a little
    "cue_word": 1.0,  # die Stadt Zug, the state of New York
    "stated_region": 1.5,  # Paris, Texas
    "located_in": 2.0,  # Salem in Massachusetts (a region that holds one of its entries)
    "place_predicate": 2.0,  # «Lingenau liegt im Bregenzerwald»
    "noun_in_phrase": -3.0,  # «auf der Basis», «starken Regen»: a frequent German noun in a noun phrase
    "place_list": 1.5,  # «in den Gemeinden Doren, Damüls und Bizau»: a list of places
    "nearby_place": 1.5,  # «im nahe gelegenen Wattenberg»: a participle of place before the name
    "named_elsewhere": 2.0,  # the article names the place elsewhere: a headline's first word is it too (more than
                             # a sentence start costs)
    "after_postcode": 1.5,  # «6850 Dornbirn»: an address's town
    "currency_name": -3.0,  # «der starke Franken»: the money, unless the words around it say place
    "dateline": 2.0,  # «Mentone, 6. April.»: where a report was sent from
    "neighbouring_place": 1.5,  # «Ilanz - Trun», «Passugg, Tschiertschen»: the next item is a place nearby
    "part_of_town": 1.5,  # «Feldkirch Tisis»: a place a few km from the town named right before it
    "near_named_places": 1.5,  # «Ischgl und Galtür … Nauders»: a small place near places the article names
    "far_from_named_places": -1.5,  # a little-known place abroad, far from every place the article names
}
_DAYS_IN_MONTH = 31
_FORMAL_PRONOUNS = frozenset("sie ihr ihre ihnen ihren ihrem ihrer ihres".split())  # capitalised mid-sentence too
_SHORT_DATELINE = 3  # letters of the shortest dateline in capitals (ROME, KYIV, BAKU; not AP, UN)
_DATELINE_MARKS = frozenset(".(–—-:")  # after a dateline in capitals: «WINDHAAG.», «BERLIN (dpa)», «GENF –»
_COMPOUND_HEAD_ZIPF = 3.5  # a word this frequent after a hyphen heads the compound (Airport 3.8, Sees 3.6 in German)
_NOUN_ZIPF = 4.0  # a German word this frequent (Zipf) is a noun first (Regen 4.6, Basis 4.8; Thun 3.6)
_ATTRIBUTIVE_ENDINGS = ("e", "en", "er", "es", "em")  # «starken Regen», «überschwemmte Strassen»
_OPENING_QUOTES = frozenset("\"“„«‹‘'")
_QUOTED_NAME_WORDS = 4  # words of a quoted organisation name before the match
_LIST_ITEM_WORDS = 3  # words an item of a list may have (Bad Ischl, Frankfurt am Main)
# A word's expected frequency for a place of its size: slope × log10(population) + base (Zipf).
_EXPECTED_SLOPE = 0.75
_EXPECTED_BASE = 0.5
_FREQUENCY_FREE = 0.5  # excess frequency that costs nothing
_WORD_NOT_NAME_ZIPF = 3.0  # a German word this frequent is a word, whatever its ending says
_NEIGHBOUR_KM = 30.0  # list or route neighbours with entries this near each other are two places, not two words
_NEIGHBOUR_ENTRIES = 10  # entries of each name compared
_FOREIGN_WORD_ZIPF = 3.5  # a word German uses less than this (Zipf) is foreign to it (naval; alliance 3.3, from names)
_APART_KM = 300.0  # two little-known places side by side this far apart are a person's two names
_ROMANCE_ARTICLES = frozenset("le la les los las el il lo l".split())  # Romance articles that start names
_ADJECTIVE_OWNER_KM = 150.0  # a town this near the place an adjective before it names can be that place's
_PART_KM = 8.0  # a place this near the town named right before it is the town's part («Feldkirch Tisis»)
_NEAR_NAMED_KM = 30.0  # a small place this near a place the article names lies in the article's area
_FAR_NAMED_KM = 1000.0  # … and one this far from all of them (at least _FAR_ANCHORS of them) lies outside it
_FAR_ANCHORS = 3
_ROUTE_TOWN_PRIOR = 4.0  # a town this well known (10,000 people) before a hyphen starts a route, not a compound
_MODIFIER_EXCESS = 0.25  # excess frequency (Zipf) that makes a hyphenated compound's first part a noun
_EXONYM_WORD_EXCESS = 1.0  # above this an everyday word that is only an exonym is no place
_DATIVE_PLURAL_ENDINGS = ("ern", "eln")  # Keller → in Kellern, Hügel → auf Hügeln
_INFLECTED_DISCOUNT = 0.5  # Zipf an inflected form is taken below its noun
# Nouns of a state's official name after its adjective: «Russische Föderation», «Islamische Republik»
_STATE_NOUNS = frozenset("foderation republik eidgenossenschaft reich konigreich furstentum emirate union".split())
# Last parts of German names of a landform, which take an article: «am Großvolderberg», «am Fellhorn»
_LANDFORM_ENDINGS = ("berg", "horn", "kopf", "joch", "kogel", "alm", "alpe", "eck", "egg", "see", "tal", "bach")
_CONTRACTED_LOCATIVE = frozenset("am im vom beim zum".split())  # an/in/von/bei/zu + dem
_ROUTE_DASHES = frozenset("-–—")  # «Rapperswil - Niederweningen»: a spaced dash joins the two ends of a route
_UNSPACED_ROUTE_DASHES = frozenset("–—")  # «Landquart–Klosters»: an en or em dash does unspaced too
_TITLE_WORDS = frozenset(("bad",))  # «Bad Schwanberg»: the spa title of a German town, no place on its own
# German nouns for a kind of place (cue words, list cues, region nouns): «der Kanton», «die Städte»
_PLACE_NOUNS = frozenset().union(*PLACE_CUES.values(), *LIST_CUE_KINDS.values(), REGION_NOUNS, LIST_CUES)
_SHORT_KEY = 2  # letters
_CODE_LENGTH = 4  # all-caps words this short are codes unless known (AP, II, LE, MW)
_CONTRACTION = re.compile(r"['’](?:ve|re|ll|d|t|m)$", re.I)


# ------------------------------------------------------------------ one word on its own


def not_a_place_word(match: Match, ctx: Context) -> Evidence:
    """ "Die", "Norden", "Präsident": a function word, direction, title or known non-place."""
    key = match.key
    if not match.multiword and (key in STOPWORDS or key in NOT_PLACES or key in DIRECTIONS or key in PERSON_TITLES):
        return VETO
    return None


def name_article(match: Match, ctx: Context) -> Evidence:
    """ «die Weiler Le Frignoley und Les Epenays», "El Alamein": a French, Spanish or Italian
    article before a capitalised word starts a name the index lacks; alone it is no place (Les,
    a spelling of Lezhë in Albania)."""
    if match.multiword or match.key not in _ROMANCE_ARTICLES:
        return None
    k = match.j + 1
    tokens = ctx.tokens
    if k < len(tokens) and tokens[k].text in ("'", "’"):
        return VETO  # L'Aquila, D'Arco
    if k < len(tokens) and tokens[k].is_word and tokens[k].cap and tokens[k].passage == tokens[match.i].passage:
        return VETO
    return None


def inside_person_name(match: Match, ctx: Context) -> Evidence:
    """ "Wladimir Putin", "Präsident Macron": a word of a person's name."""
    return VETO if not match.multiword and match.j in ctx.persons else None


def too_short(match: Match, ctx: Context) -> Evidence:
    """ "Al", "St", "Eta": two letters are no name, unless written in capitals, a dotted
    abbreviation ("Ky." is Kentucky) or a village in a German list of places («im Raum Balgach,
    Au und Heerbrugg»)."""
    if (not match.multiword and len(match.key) <= _SHORT_KEY and not match.surface.isupper()
            and not ctx.names.is_abbreviation(match.key, ctx.article, ctx.tokens[match.j])
            and not (ctx.lang == "de" and _in_list_of_places(ctx, match.i, match.j))):
        return VETO
    return None


def _in_list_of_places(ctx: Context, i: int, j: int) -> bool:
    """Tokens i..j are an item of a list that a place noun or a preposition of place opens, or
    whose item before was kept as a place («in Balgach, Au und Heerbrugg»)."""
    before, after, opener = list_items(ctx, i, j)
    if before is None and after is None:
        return False
    if before is not None and before in ctx.accepted:
        return True
    return opener is not None and (ctx.tokens[opener].norm in LIST_CUES or ctx.tokens[opener].norm in LOCATIVE)


def title_word_alone(match: Match, ctx: Context) -> Evidence:
    """«in Bad Schwanberg»: a German town's title (Bad) before a capitalised word belongs to a
    name the index may lack; alone it is no place (Bād in Iran)."""
    if match.multiword or match.key not in _TITLE_WORDS:
        return None
    nxt = match.next_word
    return VETO if nxt is not None and nxt.cap and nxt.start == ctx.tokens[match.j].end + 1 else None


def place_noun_alone(match: Match, ctx: Context) -> Evidence:
    """«im gesamten Kanton», «das Dorf», «der Weiler»: in German a place noun on its own is the
    noun, not one of the places it also names (Kanton: Guangzhou; Weiler, Ort, Dorf: villages);
    only a bare preposition makes it a name («in Weiler», «nach Dorf»)."""
    if ctx.lang != "de" or match.multiword or match.key not in _PLACE_NOUNS:
        return None
    prev = match.prev_word
    return None if prev is not None and prev.norm in LOCATIVE else VETO


def arabic_article(match: Match, ctx: Context) -> Evidence:
    """«in Al-Hilla und Al-Musajib», "As-Salif": an Arabic article joined by a hyphen to the
    next word belongs to that name; alone it is no place (Al: Alabama), even in a list."""
    if match.multiword or match.surface.casefold() not in ARABIC_ARTICLES:
        return None
    return VETO if joins_compound(ctx.tokens, match.j + 1) else None


def contraction(match: Match, ctx: Context) -> Evidence:
    """ "I've", "don't": an English contraction."""
    return VETO if not match.multiword and _CONTRACTION.search(match.surface) else None


def all_caps_code(match: Match, ctx: Context) -> Evidence:
    """ "AP", "II", "MW": codes and initialisms, not places; but "KYIV, Ukraine" and "KYIV
    (Reuters) -" are datelines, USA a curated acronym, and ROME is Rome where the text also
    writes Rome."""
    surface = match.surface
    if (not match.multiword and surface.isupper() and len(surface) <= _CODE_LENGTH and surface not in ctx.acronyms
            and not match.qualifier and match.key not in ctx.written and not _opening_dateline(match, ctx)):
        return VETO
    return None


def brand_compound(match: Match, ctx: Context) -> Evidence:
    """ "Wal-Mart", "Coca-Cola": an English hyphenated brand, unless the first part is a major
    place (Russia-Ukraine)."""
    if match.multiword or ctx.lang != "en":
        return None
    tokens, j = ctx.tokens, match.j
    nxt = tokens[j + 1] if j + 1 < len(tokens) else None
    if (nxt is not None and nxt.text in HYPHENS and nxt.start == tokens[j].end and j + 2 < len(tokens)
            and tokens[j + 2].cap and ctx.names.top_prior(match.key) < MAJOR_PRIOR):
        return VETO
    return None


def compound_tail(match: Match, ctx: Context) -> Evidence:
    """«am Euro-Airport», «am Ufer des Kivu-Sees»: in German, a town named like a frequent word
    after a hyphen that joins it to the word before is that compound's head noun (Sées in
    France, a village called Airport), not a place of its own."""
    if ctx.lang != "de" or not _single_name(match) or match.kind != "city" or match.i < 2:
        return None  # English hyphens join a party and a district (DFL-Cook, R-Marshall): no compounds
    if (joins_compound(ctx.tokens, match.i - 1) and ctx.frequencies.get(match.key, 0.0) >= _COMPOUND_HEAD_ZIPF
            and not _route_from_town(match, ctx)):
        return VETO
    return None


def _route_from_town(match: Match, ctx: Context) -> bool:
    """«die Strecke Lausanne-Bern»: a known town before the hyphen and one after join a route,
    no compound (Euro-Airport, Kivu-Sees: no town before)."""
    first = ctx.tokens[match.i - 2]
    rows = ctx.names.rows(first.norm, allow_codes=False, lang=ctx.lang) if first.is_word and first.cap else []
    gazetteer = ctx.names.gazetteer
    return (match.kind == "city" and bool(rows) and rows[0][1] >= _ROUTE_TOWN_PRIOR
            and gazetteer.kind_of(rows[0][0]) in ("city", "country"))  # also «Luxemburg-Trier-Koblenz»


def compound_modifier(match: Match, ctx: Context) -> Evidence:
    """«die Ski-Cracks», «der Landes-Experte», «die Essen-Lieferung»: in German, a word joined by a
    hyphen to the noun after it, used more often than a place of its size would be named, is the
    compound's first noun (Ski in Norway, the Landes, Essen), not a place; «die Zürich-Reise»,
    «US-Truppen» keep their place (a name as frequent as its size explains, or a code). A hyphen
    that leaves the noun to a later word does the same: «Gemeinde-, Landes- und Bundesstraßen»."""
    if ctx.lang != "de" or not _single_name(match) or match.surface.isupper():
        return None
    if not (joins_compound(ctx.tokens, match.j + 1) or _suspended_hyphen(ctx.tokens, match.j + 1)):
        return None
    return VETO if _excess_frequency(match, ctx) > _MODIFIER_EXCESS else None


def _suspended_hyphen(tokens: list[Token], k: int) -> bool:
    """Token k is a hyphen right after a word that leaves its noun to a later compound: «Landes-
    und Bundesstraßen», «Gemeinde-, Landes-»."""
    if not (0 < k < len(tokens) - 1 and tokens[k].text in HYPHENS and tokens[k - 1].end == tokens[k].start):
        return False
    after = tokens[k + 1]
    return after.text == "," or after.norm in LIST_JOINERS


def _excess_frequency(match: Match, ctx: Context) -> float:
    """How much more often the key is used (Zipf) than a place of its size or fame is named."""
    population = ctx.names.gazetteer.size_of(match.best_row)
    size = max(math.log10(population), match.prior) if population > 0 else match.prior  # a capital's fame counts
    return _word_frequency(match, ctx) - _expected_frequency(size)


_HOME_COUNTRIES = {"de": frozenset("DE AT CH LI LU".split())}  # where the language's news is local
_FOREIGN_TOWN_DISCOUNT = 1.0  # Zipf: a town abroad is named that much less than a home town of its size


def _expected_at_home(match: Match, ctx: Context, expected: float) -> float:
    """«Berg und Tal»: German news names a town of 15,000 people in India (Tāl) far less often
    than one of that size at home, so a German word that is such a town's name is a word; the
    home namesakes (hamlets called Tal in Austria) are expected at their own size."""
    home = _HOME_COUNTRIES.get(ctx.lang)
    gazetteer = ctx.names.gazetteer
    if home is None or gazetteer.kind_of(match.best_row) != "city" or gazetteer.value("country", match.best_row) in home:
        return expected
    at_home = [(row, prior) for row, prior in match.rows if gazetteer.value("country", row) in home]
    if not at_home:
        return expected - _FOREIGN_TOWN_DISCOUNT
    row, prior = at_home[0]  # (the best-known namesake at home: Lech on the Arlberg, not Lech in Cambodia)
    population = gazetteer.size_of(row)
    return max(expected - _FOREIGN_TOWN_DISCOUNT,
               _expected_frequency(math.log10(population) if population > 0 else prior))


def _expected_frequency(size: float) -> float:
    """The word frequency (Zipf) a place of this size (log10 of its people, or its prior) explains."""
    return _EXPECTED_SLOPE * size + _EXPECTED_BASE


def in_compound_adjective(match: Match, ctx: Context) -> Evidence:
    """«die Deutsch-Südamerikanische Bank», «der Hamburg-Amerikanischen Linie»: in German, a
    name joined by a hyphen to a capitalised adjective in -isch is the first part of a compound
    adjective inside an organisation's name (a spaced OCR hyphen too: «Deutsch - Ueberseeische»);
    the lower-case «die deutsch-französische Grenze» is left to the adjective readings."""
    if ctx.lang != "de" or not ctx.tokens[match.i].cap:
        return None
    tokens, j = ctx.tokens, match.j
    if not (j + 2 < len(tokens) and tokens[j + 1].text in HYPHENS and tokens[j + 2].passage == tokens[j].passage):
        return None
    after = tokens[j + 2]
    return VETO if after.is_word and after.cap and may_be_adjective(after) else None


def bare_abbreviation(match: Match, ctx: Context) -> Evidence:
    """ "TX", "Miss.", "Mass.": a state abbreviation counts only as in "Austin, TX" or "D-Mass.";
    a dotted one that is no word or name ("S.C.", "Ky.") anywhere."""
    types = match.types
    if not (types and types <= CODES):
        return None
    tokens, i, j, text = ctx.tokens, match.i, match.j, ctx.article.text
    end = tokens[j].end
    dotted = "." in text[end:end + 1] or "." in match.surface
    bare = match.key.replace(" ", "")
    risky = bare in ctx.common_words or bare in ctx.first_names or bare in PERSON_TITLES
    if not (after_place_comma(tokens, i) or after_party(tokens, i)) and (not dotted or risky):
        return VETO
    return None


def unknown_adjective(match: Match, ctx: Context) -> Evidence:
    """ "weissrussischen" is Belarus's adjective; an inflected word the index knows only as a
    place name counts as an adjective only for a large city (Minsker, not Hofer)."""
    if (adjective_reading(match) and NameType.ADJ not in match.types
            and not (ctx.tokens[match.j].cap and ctx.names.is_city_adjective(match.found_rows))):
        return VETO
    return None


def lowercase_name(match: Match, ctx: Context) -> Evidence:
    """ "the reading room": a place name is capitalised; only adjectives may be lower case."""
    return VETO if not adjective_reading(match) and not ctx.tokens[match.i].cap else None


def nickname_of_words(match: Match, ctx: Context) -> Evidence:
    """ "North Side" is Oildale's nickname, but in an English text a side of town: a town's
    alternate name made of everyday words and directions."""
    if (match.multiword and match.best_type == NameType.ALT and match.kind == "city" and ctx.lang == "en"
            and all(t.norm in ctx.common_words or t.norm in DIRECTIONS
                    for t in ctx.tokens[match.i:match.j + 1] if t.is_word)):
        return VETO
    return None


# ------------------------------------------------------------------ context


def multiword_name(match: Match, ctx: Context) -> Evidence:
    """ "Frankfurt am Main", "New South Wales": several words that together name a place."""
    return WEIGHTS["multiword_name"] if match.multiword else None


def after_acronym(match: Match, ctx: Context) -> Evidence:
    """ «der Sender CNN Türk», "BBC Persian reported": a one-word name right after an acronym in
    capitals that names no place (CNN, BBC, ZDF) is the rest of that organisation's name."""
    if match.multiword or match.i < 1 or match.surface.isupper():
        return None
    prev = ctx.tokens[match.i - 1]
    if (prev.is_word and prev.text.isupper() and len(prev.text) >= 2 and prev.end + 1 == ctx.tokens[match.i].start
            and prev.passage == ctx.tokens[match.i].passage and prev.text not in ctx.acronyms
            and not ctx.names.rows(prev.norm, allow_codes=False, lang=ctx.lang)):
        return WEIGHTS["after_acronym"]
    return None


def after_locative(match: Match, ctx: Context) -> Evidence:
    """ "in Lingenau", "nach Kiew", "near Austin": a preposition of place before the name; in
    German only a strong one before a frequent noun («in Essen», not «vor Regen», «von Strassen»);
    «am Großvolderberg» before a landform's name; «Bad Schwanberg» after a spa title."""
    prev = match.prev_word
    if prev is not None and prev.norm in _CONTRACTED_LOCATIVE and landform_name(match.key):
        return WEIGHTS["after_locative"]  # «am Großvolderberg», «im Irrsee»
    if prev is not None and prev.norm in _TITLE_WORDS and ctx.lang == "de":
        return WEIGHTS["after_locative"]  # «Bad Schwanberg»: the town the title belongs to
    if prev is None or prev.norm not in LOCATIVE:
        return None
    if (ctx.lang != "en" and prev.norm not in STRONG_LOCATIVE and not match.multiword
            and ctx.frequencies.get(ctx.tokens[match.i].norm, 0.0) >= _NOUN_ZIPF):
        return None
    return WEIGHTS["after_locative"]


def article_before_town(match: Match, ctx: Context) -> Evidence:
    """ "der Zug", "die Mark": a German town takes no article (unless it heads a compound,
    «die Kertsch-Brücke»), so a word after one is most likely a noun."""
    prev = match.prev_word
    if (ctx.lang != "en" and prev is not None and prev.norm in DETERMINERS and not match.multiword
            and match.kind == "city" and match.form == "name" and not compound_head(match, ctx)
            and not landform_name(match.key)):
        return WEIGHTS["article_before_town"]
    return None


def landform_name(key: str) -> bool:
    """«am Großvolderberg», «am Wattenberg», «im Irrsee»: a German name made of a word and a
    landform (Berg, Horn, See, Tal …) takes an article, as the landform does; a word that merely
    ends so is no such name («im Spital»: a hospital, not Spittal)."""
    return (any(key.endswith(ending) and len(key) >= len(ending) + 3 for ending in _LANDFORM_ENDINGS)
            and word_frequencies("de").get(key, 0.0) < _WORD_NOT_NAME_ZIPF)


def nearby_place(match: Match, ctx: Context) -> Evidence:
    """«im nahe gelegenen Wattenberg», «im benachbarten Kufstein», "in nearby Troy": a word that
    says the name is a place near another."""
    prev = match.prev_word
    return WEIGHTS["nearby_place"] if prev is not None and prev.norm in NEARBY_WORDS else None


def followed_by_organisation(match: Match, ctx: Context) -> Evidence:
    """ "Washington Post", "Virginia Commonwealth University": an organisation word among the
    capitalised words right after the name (not for a building's own name); in German also a
    compound of one («die Berliner Börsen-Zeitung», «das Wiener Fremdenblatt», «das
    Kiew-Nachrichtenbüro»)."""
    if match.in_name:
        return None
    tokens, j = ctx.tokens, match.j
    k = j + 2 if ctx.lang == "de" and joins_compound(tokens, j + 1) else j + 1  # «Central-News-Büro»
    for _ in range(2 if ctx.lang == "de" else 1):  # German: «die Matterhorn Gotthard Bahn» too
        if k >= len(tokens):
            break
        token = tokens[k]
        if not (token.is_word and token.cap and token.passage == tokens[j].passage) or token.norm in STOPWORDS:
            break
        if token.norm in ORG_WORDS or ctx.lang == "de" and _organisation_compound(tokens, k):
            return VETO
        k += 1
    return None


def _organisation_compound(tokens: list[Token], k: int) -> bool:
    """The German word at k is a compound whose head is an organisation's (Tageblatt,
    Kantonalbank, genitive Tageblatts), or is joined by a hyphen to one (Börsen-Zeitung; OCR
    may space the hyphen: «Börsen - Zeitung»)."""
    if _organisation_head(tokens[k].norm, _ORG_HEAD_ENDINGS):
        return True  # «des Salzburger Feuerwehrverbandes»: the head in any case
    return (k + 2 < len(tokens) and tokens[k + 1].text in HYPHENS and tokens[k + 2].is_word
            and (tokens[k + 2].norm in ORG_WORDS or _organisation_head(tokens[k + 2].norm)))


def _organisation_head(norm: str, endings: tuple[str, ...] = ("", "s"), stem: int = 0) -> bool:
    """The word ends in an organisation's head noun (`ORG_HEADS`) and one of `endings`, after at
    least `stem` more letters: Tageblatt, Tageblatts; Polizeireviers, Feuerwehren."""
    return any(norm.endswith(head + ending) and len(norm) >= len(head + ending) + stem
               for head in ORG_HEADS for ending in endings)


def assembly_not_building(match: Match, ctx: Context) -> Evidence:
    """«Der Reichstag hat das Gesetz beschlossen», «in der Sitzung des Reichstags»: an assembly
    named like its building is the assembly, an organisation; only a word of the building beside
    it («vor dem Reichstag», «die Kuppel des Reichstags», "the Knesset building") makes it the
    place. The building's own name («das Reichstagsgebäude») is another key and stays."""
    if match.key not in ASSEMBLIES or match.kind != "facility":
        return None
    tokens, k = ctx.tokens, match.i - 1
    if k >= 0 and tokens[k].norm in DETERMINERS:
        k -= 1
    before = tokens[k] if k >= 0 and tokens[k].is_word and tokens[k].passage == tokens[match.i].passage else None
    nxt = match.next_word
    if (before is not None and before.norm in BUILDING_CUES) or (nxt is not None and nxt.norm in BUILDING_CUES):
        return None
    return VETO


def _single_name(match: Match) -> bool:
    return not match.multiword and match.form == "name"


def everyday_word(match: Match, ctx: Context) -> Evidence:
    """ "Police said", "Reading", "Bush": in English a capitalised word that is a word first."""
    if (_single_name(match) and ctx.lang == "en" and match.key in ctx.common_words
            and not match.surface.isupper()):
        return WEIGHTS["everyday_word"]
    return None


def frequent_word(match: Match, ctx: Context) -> Evidence:
    """ "Mann", "Stelle", "Hall": a word used far more often than a place of this size would be
    named; vetoed when the place is only an exonym somewhere (Mann → Isle of Man). After a German
    article (rerouted to a river or region) the score is the measure, not the towns' people."""
    if not _single_name(match):
        return None
    population = ctx.names.gazetteer.size_of(match.best_row) if not match.article_kind else 0
    expected = _expected_frequency(math.log10(population) if population > 0 else match.prior)
    excess = _word_frequency(match, ctx) - _expected_at_home(match, ctx, expected)
    if excess <= _FREQUENCY_FREE:
        return None
    if excess > _EXONYM_WORD_EXCESS and match.best_type == NameType.ALT:
        return VETO
    return WEIGHTS["frequent_word"] * (excess - _FREQUENCY_FREE)


def _word_frequency(match: Match, ctx: Context) -> float:
    """How often the word is used (Zipf); a German dative plural of an -er/-el noun counts as its
    noun, a little less (the hamlets Kellern, Fischern, Messern beside «aus Kellern pumpen»).

    A German word written with an umlaut or ß is looked up as written: the matching key folds
    «Hüsten» to «husten» (to cough), but nobody writes the verb with an umlaut."""
    key = match.key
    if ctx.lang == "de" and not match.multiword and not match.surface.isascii():
        key = match.surface.casefold()  # as wordfreq writes it (ß → ss); the table holds such forms beside the keys
    frequency = ctx.frequencies.get(key, 0.0)
    if ctx.lang == "de" and key.endswith(_DATIVE_PLURAL_ENDINGS):
        frequency = max(frequency, ctx.frequencies.get(key[:-1], 0.0) - _INFLECTED_DISCOUNT)
    return frequency


def first_name(match: Match, ctx: Context) -> Evidence:
    """ "George said": a first name alone is rarely a place."""
    return WEIGHTS["first_name"] if _single_name(match) and match.key in ctx.first_names else None


def after_kin_noun(match: Match, ctx: Context) -> Evidence:
    """ "her daughter, Brittany,", «sein Sohn Florian»: a first name after a kin noun (a comma
    between or not) is that person (but "Mother Russia" is no first name)."""
    if not _single_name(match) or match.key not in ctx.first_names:
        return None
    k = match.i - 1
    if k >= 0 and ctx.tokens[k].text == ",":
        k -= 1
    return VETO if k >= 0 and ctx.tokens[k].is_word and ctx.tokens[k].norm in KIN_NOUNS else None


def sentence_start(match: Match, ctx: Context) -> Evidence:
    """ "Bild berichtet …": a capitalised first word says nothing; only well-known places pass
    (a dateline in capitals is no ordinary first word: «WINDHAAG. Nur …»). In German only a word
    of the language is capitalised there for the sentence's sake («Bild», «Heute», «Laut»): a
    name German has no word for («Nauders ist erreichbar») reads the same anywhere."""
    if not (_single_name(match) and ctx.tokens[match.i].sentence_start) or _opening_dateline(match, ctx):
        return None
    if ctx.lang == "en":
        return WEIGHTS["sentence_start_en"]
    return WEIGHTS["sentence_start"] if _german_word(ctx.tokens[match.i].norm, ctx) else None


_INFLECTIONS = ("en", "n", "es", "s", "e", "er")  # «Muren», «Hofes»: a noun's plural and case endings


def _german_word(norm: str, ctx: Context) -> bool:
    """The word (or its stem without an inflection ending) is in the language's word list."""
    if norm in ctx.frequencies:
        return True
    return any(norm.endswith(e) and len(norm) - len(e) >= 3 and norm[: -len(e)] in ctx.frequencies
               for e in _INFLECTIONS)


def adjective_without_noun(match: Match, ctx: Context) -> Evidence:
    """ "Minsker" needs its noun: «der Minsker Flugplatz», not «sagte der Minsker»."""
    nxt = match.next_word
    if match.form == "adjective" and match.kind == "city" and not (nxt is not None and nxt.cap):
        return VETO
    return None


def adjective_in_a_name(match: Match, ctx: Context) -> Evidence:
    """«der Deutsche Wetterdienst», «die Schweizerische Nationalbank»: German writes an -isch
    adjective in capitals inside a sentence only as part of a name (an organisation's), which
    mentions no place; a state's own name stays («die Russische Föderation»)."""
    if ctx.lang != "de" or match.form != "adjective" or match.multiword or not match.key.endswith("sch"):
        return None
    token, nxt = ctx.tokens[match.i], match.next_word
    if not token.cap or token.sentence_start or match.surface.isupper() or nxt is None or not nxt.cap:
        return None
    return None if nxt.norm in _STATE_NOUNS else VETO


def english_adjective(match: Match, ctx: Context) -> Evidence:
    """«London City (Swiss, zweimal)», «mit British Airways»: an English adjective inside German
    text is a brand's name (Swiss, the airline), not Switzerland."""
    if ctx.lang != "de" or match.form != "adjective" or match.multiword:
        return None
    languages = ctx.names.gazetteer.name_languages(match.key, match.best_row, NameType.ADJ)
    return VETO if languages == {"en"} else None


def cue_word(kind: str) -> Rule:
    """The rule for one kind of `PLACE_CUES` (city: Stadt, city; region: Kanton, state)."""

    def rule(match: Match, ctx: Context) -> Evidence:
        return WEIGHTS["cue_word"] if kind in match.cues else None

    rule.__name__ = rule.__qualname__ = f"{kind}_cue"
    rule.__doc__ = (f""" "die Stadt Zug", "Minsk city", "the state of New York": a {kind} cue word right before or
    after the name (or before its of/von).""")
    return rule


def dateline(match: Match, ctx: Context) -> Evidence:
    """«Mentone, 6. April. Heute fand …», "Paris, March 3 —": a name before a comma and a date
    (a day and a month, either way round) is the place a report comes from; so is a name in
    capitals opening a paragraph before a full stop, a dash or a bracket («WINDHAAG. Nur wenige
    Tage …», «BERLIN (dpa) –»), or one run into its paragraph's first sentence («Schwarzach Nach
    dem Starkregen …»)."""
    tokens, j = ctx.tokens, match.j
    if _opening_dateline(match, ctx):
        return WEIGHTS["dateline"]
    if not (j + 3 < len(tokens) and tokens[j + 1].text == ","):
        return None
    date = [t for t in tokens[j + 2:j + 5] if t.text != "." and t.passage == tokens[j].passage][:2]
    if len(date) < 2:
        return None
    days = [t for t in date if t.text.isdigit() and 1 <= int(t.text) <= _DAYS_IN_MONTH]
    months = [t for t in date if t.norm in MONTHS]
    return WEIGHTS["dateline"] if days and months else None


def _opening_dateline(match: Match, ctx: Context) -> bool:
    """The name opens its paragraph as a dateline: in capitals before a mark («WINDHAAG. Nur …»),
    or, in German, run into the text before a capitalised function word («Schwarzach Nach dem
    Starkregen …», «Cevio - Bei Gewittern …»: such a word is capitalised only where a sentence starts, so the name stands
    apart; the formal «Sie», «Ihr» are capitalised anywhere)."""
    tokens, j = ctx.tokens, match.j
    if j + 1 >= len(tokens):
        return False
    after = tokens[j + 1]
    capitals = (match.surface.isupper() and after.text in _DATELINE_MARKS
                and (len(match.key) > _CODE_LENGTH  # «KYIV (Reuters) –»: a short one if well known
                     or len(match.key) >= _SHORT_DATELINE and ctx.names.top_prior(match.key) >= WELL_KNOWN_PRIOR))
    if after.text in _ROUTE_DASHES and j + 2 < len(tokens):
        after = tokens[j + 2]  # «Cevio - Bei heftigen Gewittern …»
    run_in = (ctx.lang == "de" and not match.surface.isupper() and after.is_word and after.cap
              and not after.text.isupper() and after.norm in STOPWORDS and after.norm not in _FORMAL_PRONOUNS)
    if not (capitals or run_in):
        return False
    passages, first = ctx.article.passages, tokens[match.i]
    passage = passages[first.passage]  # the name opens its passage, and that passage its paragraph
    return passage.start == first.start and (passage.index == 0
                                             or passages[passage.index - 1].paragraph != passage.paragraph)


def stated_region(match: Match, ctx: Context) -> Evidence:
    """ "Paris, Texas", "Frankfort, Ky.": a state or country named after a comma."""
    return WEIGHTS["stated_region"] if match.qualifier else None


def abbreviation_only(match: Match, ctx: Context) -> Evidence:
    """ "Austin, TX", "D-Mass.": an abbreviation that passed `bare_abbreviation` is kept."""
    types = match.types
    return ACCEPT if types and types <= CODES else None


def after_organisation_noun(match: Match, ctx: Context) -> Evidence:
    """ «die US-Universität Yale», «der Konzern Bayer», «die Kantonspolizei Graubünden»: a name
    right after an organisation noun (or a German compound ending in one), or after its
    abbreviation in brackets («die Bereichsalarmzentrale (BAZ) Amstetten»), or in a list after one
    («die Feuerwehren Unzmarkt und St. Georgen»), names the organisation
    (but «die Stadt Zug», «die Gemeinde Au» are places: their nouns are place cues)."""
    if match.kind == "country":
        return None
    tokens, k = ctx.tokens, match.i - 1
    prev = match.prev_word
    if (k >= 3 and tokens[k].text == ")" and tokens[k - 2].text == "(" and tokens[k - 1].text.isupper()
            and tokens[k - 3].is_word):  # «die Bereichsalarmzentrale (BAZ) Amstetten»: its abbreviation between
        prev, k = tokens[k - 3], k - 3
    while k >= 1 and match.i - k <= _QUOTED_NAME_WORDS and (tokens[k].text in _OPENING_QUOTES or tokens[k].cap):
        if tokens[k].text in _OPENING_QUOTES:  # «die Agentur "Khit Thit Media"»: a word of the quoted name
            prev = tokens[k - 1] if tokens[k - 1].is_word else prev
            break
        k -= 1
    if prev is not None and names_an_organisation(prev, ctx.lang):
        return VETO
    if _organisation_of_the_area(ctx, match.i - 1):
        return VETO
    return VETO if ctx.lang == "de" and _list_after_organisation(ctx, match.i) else None


def _organisation_of_the_area(ctx: Context, k: int) -> bool:
    """«die Feuerwehr Region Hindelbank», «die Polizei Region Thun»: an organisation noun, then
    an area noun, then the name (token k is the area noun): the organisation's name."""
    tokens = ctx.tokens
    if ctx.lang != "de" or k < 1 or tokens[k].norm not in _AREA_NOUNS:
        return False
    before = tokens[k - 1]
    return before.is_word and before.passage == tokens[k].passage and names_an_organisation(before, ctx.lang)


_AREA_NOUNS = frozenset({"region", "bezirk", "kreis", "kanton", "land", "stadt", "gemeinde", "raum"})


_ORG_LIST_REACH = 24  # tokens back from a list item to the organisation noun that opens the list


def _list_after_organisation(ctx: Context, i: int) -> bool:
    """«die Feuerwehren Unzmarkt und St. Georgen»: the list the name at token i ends opens with
    an organisation noun (only names, dots, commas and «und» between; an apposition after a
    comma, «der Rheinischen Bank, Essen, …», is the organisation's seat, a place)."""
    tokens = ctx.tokens
    joined = False  # (a compound's hyphen joins the parts of one item: «die FF Winklern-Einöde, Afritz und Treffen»)
    for k in range(i - 1, max(-1, i - 1 - _ORG_LIST_REACH), -1):
        token = tokens[k]
        if token.passage != tokens[i].passage:
            return False
        if token.is_word and token.cap and names_an_organisation(token, ctx.lang):
            return joined and tokens[k + 1].is_word  # «der Rheinischen Bank, Essen,»: the bank's seat
        compound = joins_compound(tokens, k)
        joined = joined or token.text == "," or token.norm in LIST_JOINERS or compound
        if not (token.is_word and token.cap or token.text in ",." or token.norm in LIST_JOINERS or compound):
            return False
    return False


_ORG_HEAD_ENDINGS = ("", "s", "en", "es", "n")  # «des Polizeireviers Görlitz», «die Feuerwehren Thal und Rheineck»
_ORG_STEM = 3  # letters before the head: «Tiefbauamt», not «Amt Neuhaus»


def names_an_organisation(word: Token, lang: str) -> bool:
    """An organisation noun, or in German a compound ending in one in any case or number
    («Kantonspolizei», «Tiefbauamt», «des Polizeireviers»)."""
    norm = word.norm
    if norm in ORG_NOUNS:
        return True
    if lang != "de" or not word.cap:
        return False
    if any(norm.endswith(e) and norm[:len(norm) - len(e)] in ORG_NOUNS for e in _ORG_HEAD_ENDINGS if e):
        return True  # «die Feuerwehren Thal und Rheineck»: the noun inflected
    return _organisation_head(norm, _ORG_HEAD_ENDINGS, stem=_ORG_STEM)


def after_postcode(match: Match, ctx: Context) -> Evidence:
    """«6850 Dornbirn», «D-79098 Freiburg», "Austin, TX 78701": a postcode of four or five digits
    right before the name is an address's town (a year, 1900-2099, is not)."""
    i = match.i
    if i == 0:
        return None
    code = ctx.tokens[i - 1]
    digits = code.text.rsplit("-", 1)[-1]
    if (code.end + 1 == ctx.tokens[i].start and digits.isdigit() and len(digits) in (4, 5)
            and not digits.startswith("0") and not (len(digits) == 4 and 1900 <= int(digits) <= 2099)):
        return WEIGHTS["after_postcode"]
    return None


def named_elsewhere(match: Match, ctx: Context) -> Evidence:
    """«Lingenau: Mure verschüttet Strasse … In Lingenau rückte die Feuerwehr aus»: a name the
    article was found to name as a place elsewhere is that place here too (one sense per text),
    which the first word of a sentence or headline needs (English dev halves: LGL recall +0.8
    points, TR-News precision −0.5, pooled acc@161 +0.1)."""
    if match.form != "name" or match.key not in ctx.named_elsewhere:
        return None
    return WEIGHTS["named_elsewhere"]


def after_quantifier(match: Match, ctx: Context) -> Evidence:
    """«mehrere Keller», «zahlreiche Muren», «zwei Muren»: in German a capitalised word after a
    quantifier or a number word is a plural noun; a town takes none."""
    prev = match.prev_word
    if (ctx.lang == "de" and prev is not None and prev.norm in QUANTIFIERS and match.kind == "city"
            and not match.multiword):
        return VETO
    return None


def after_amount(match: Match, ctx: Context) -> Evidence:
    """«5 Franken», «80 Millionen Franken», «2,5 Mio. Franken»: in German a name right after a
    figure or a word for an amount is the unit or currency counted, not a place; a place this
    famous stays (the year in «die WM 2006 Deutschland»). A town after a bare figure stays too:
    the figure is a postcode («6850 Dornbirn») or a line's number («die S15 Rapperswil - Uster»,
    «Linie 7 Wollishofen»)."""
    if ctx.lang != "de" or match.multiword or match.i == 0 or match.prior >= FAMOUS_PRIOR:
        return None
    before = ctx.tokens[match.i - 1]
    if before.passage == ctx.tokens[match.i].passage and before.text[0].isdigit():
        return None if match.kind == "city" else VETO
    prev = match.prev_word
    return VETO if prev is not None and prev.norm in AMOUNT_WORDS else None


def currency_name(match: Match, ctx: Context) -> Evidence:
    """«Der starke Franken belastet die Exporteure», «den Schweizer Franken»: a German name that is
    a currency's (`CURRENCY_WORDS`) is the money unless the words around it say place («in
    Franken», a list of places), which outweigh this."""
    if ctx.lang == "de" and not match.multiword and match.key in CURRENCY_WORDS:
        return WEIGHTS["currency_name"]
    return None


def function_word_start(match: Match, ctx: Context) -> Evidence:
    """«Im Tal gingen Muren ab»: a little-known name that starts with an article or a contracted
    preposition (a locality «Im Tal», «Am Berg») is those words first."""
    if (match.multiword and ctx.tokens[match.i].norm in DETERMINERS and match.prior < WELL_KNOWN_PRIOR
            and ctx.lang == "de"):
        return VETO
    return None


def ship_name(match: Match, ctx: Context) -> Evidence:
    """«das Panzerschiff „Deutschland“», «an Bord des Dampfers Bremen», "the liner Normandie":
    a name right after a word for a ship (or its quotation mark) names the ship."""
    tokens, k = ctx.tokens, match.i - 1
    if k >= 0 and tokens[k].text in _OPENING_QUOTES:
        k -= 1
    before = tokens[k] if k >= 0 else None
    if before is None or not before.is_word or before.passage != tokens[match.i].passage:
        return None
    # German compounds end in the word (Panzerschiff); English ones do not (township, leadership)
    vessel = before.norm.endswith(VESSEL_HEADS) if ctx.lang == "de" else before.norm in VESSEL_HEADS
    return VETO if vessel else None


def noun_in_phrase(match: Match, ctx: Context) -> Evidence:
    """ «auf der Basis», «des Landes», «starken Regen», «des schlechten Wetters», «überschwemmte
    Strassen», «der Rheinischen Bank»: a frequent German noun after an article or an attributive adjective (lower case, or a
    capitalised -isch one of a name) is the noun (but «in Essen», «nach Hof», «der Kanton Zug»
    are places: no article or adjective before them, and «an der Donau», «in den Alpen» name a
    river or a range, which take one)."""
    prev = match.prev_word
    if ctx.lang == "en" or prev is None or match.multiword or match.form != "name":
        return None
    # the word as written, or its uninflected key where that is a word first («des schlechten
    # Wetters»: Wetter; not «Thüringens», as frequent as its size explains)
    frequency = ctx.frequencies.get(ctx.tokens[match.i].norm, 0.0)
    if frequency < _NOUN_ZIPF and _excess_frequency(match, ctx) > 0:
        frequency = max(frequency, ctx.frequencies.get(match.key, 0.0))
    if frequency < _NOUN_ZIPF or compound_head(match, ctx) or _names_a_feature(match, ctx) or _home_state(match, ctx):
        return None
    attributive = (not prev.cap and prev.norm.endswith(_ATTRIBUTIVE_ENDINGS) and prev.norm not in STOPWORDS
                   and prev.norm not in LOCATIVE and prev.norm not in LIST_JOINERS
                   or prev.cap and may_be_adjective(prev))  # «der Rheinischen Bank»: a name's adjective
    if attributive and not prev.cap and match.located_in and _excess_frequency(match, ctx) > _FREQUENCY_FREE:
        # «das deutsche Wetter»: a word first, which the place adjective describes; it does not
        # qualify a town named Wetter (but «im deutschen Vaihingen», «im texanischen Paris»)
        return VETO
    return WEIGHTS["noun_in_phrase"] if prev.norm in DETERMINERS or attributive else None


def _home_state(match: Match, ctx: Context) -> bool:
    """«im Saarland», «ins Tessin», «im Jura»: a state or canton of the language's own countries
    takes its article and is named as often as its size explains, so its frequency says nothing
    (but «der Zug» is used far more than the canton is: the train)."""
    gazetteer = ctx.names.gazetteer
    row = match.best_row
    return (gazetteer.value("feature", row) == "ADM1" and gazetteer.value("country", row) in _HOME_COUNTRIES.get(ctx.lang, ())
            and _excess_frequency(match, ctx) <= _FREQUENCY_FREE)


def _names_a_feature(match: Match, ctx: Context) -> bool:
    """«an der Donau», «den Rhein», «in den Alpen»: the best entry is a river, sea or mountain
    range, whose German name takes its article; frequent as a word only because it is famous."""
    return ctx.names.gazetteer.value("id", match.best_row).startswith("physical:")


def place_predicate(match: Match, ctx: Context) -> Evidence:
    """ «Lingenau liegt im Bregenzerwald.», «Doren grenzt an Langenegg», "Troy lies on the
    Hudson": a name followed by a verb that says where it lies; not a noun after its article,
    whose verb is another's («wo sich der Flughafen des Landes befindet»)."""
    nxt, prev = match.next_word, match.prev_word
    if prev is not None and ctx.lang == "de" and prev.norm in DETERMINERS and not match.multiword:
        return None
    return WEIGHTS["place_predicate"] if nxt is not None and nxt.norm in PLACE_PREDICATES else None


def located_in(match: Match, ctx: Context) -> Evidence:
    """ "Salem in Massachusetts", «Troy im Bundesstaat New York»: the region after «in» holds one
    of the name's entries (`readings.located_in_region`)."""
    return WEIGHTS["located_in"] if match.located_in else None


def list_items(ctx: Context, i: int, j: int) -> tuple[int | None, int | None, int | None]:
    """Tokens i..j as an item of a list in one sentence: (last token of the item before, first
    token of the item after, the word before the list's first item), None where there is none.

    Items are capitalised words joined by commas, «und», «oder», «sowie»: «zwischen Bobitz,
    Gägelow und Hohenkirchen»."""
    tokens = ctx.tokens

    def joined(k: int) -> bool:
        return 0 <= k < len(tokens) and (tokens[k].text == "," or tokens[k].norm in LIST_JOINERS or route_joint(tokens, k))

    def item_start(last: int) -> int:
        k = last
        while (k - 1 >= 0 and last - k < _LIST_ITEM_WORDS - 1 and tokens[k - 1].is_word and tokens[k - 1].cap
               and tokens[k - 1].norm not in LIST_CUES and not tokens[k].sentence_start):
            k -= 1
        return k

    passage = tokens[i].passage
    before = after = None
    k = i - 1
    if joined(k) and k - 1 >= 0 and tokens[k - 1].is_word and tokens[k - 1].cap and tokens[k - 1].passage == passage:
        before = k - 1
    k = j + 1
    if joined(k) and k + 1 < len(tokens) and tokens[k + 1].is_word and tokens[k + 1].cap and tokens[k + 1].passage == passage:
        after = k + 1
    if before is None and after is None:
        return None, None, None
    first = i
    while joined(first - 1) and first - 2 >= 0 and tokens[first - 2].is_word and tokens[first - 2].cap:
        first = item_start(first - 2)
    opener = tokens[first - 1] if first >= 1 and tokens[first - 1].is_word else None
    return before, after, first - 1 if opener is not None else None


def route_joint(tokens: list[Token], k: int) -> bool:
    """Token k joins the two ends of a route: a spaced dash («Rapperswil - Niederweningen», «die
    Linie Giswil – Meiringen»), an en or em dash even unspaced («die Strecke Landquart–Klosters»:
    never a compound's hyphen) or a slash between two words («Romont/Palézieux»)."""
    if not 0 < k < len(tokens) - 1:
        return False
    before, joint, after = tokens[k - 1], tokens[k], tokens[k + 1]
    if joint.text in _ROUTE_DASHES:
        spaced = before.end < joint.start and joint.end < after.start
        return spaced or joint.text in _UNSPACED_ROUTE_DASHES and before.is_word and after.is_word
    return joint.text == "/" and before.end == joint.start and joint.end == after.start and before.is_word


def place_list(match: Match, ctx: Context) -> Evidence:
    """ «In den Gemeinden Schröcken, Lingenau, Doren und Bizau …», «zwischen Bobitz, Gägelow und
    Hohenkirchen»: a name in a list is a place when a neighbour in the list was kept as one, or
    the list follows a preposition of place or a noun for places (Gemeinden, Orte, Kantone)."""
    prev = match.prev_word
    if prev is not None and prev.norm in LIST_CUES:
        return WEIGHTS["place_list"]
    before, after, opener = list_items(ctx, match.i, match.j)
    if before is None and after is None:
        return None
    if before in ctx.accepted or after in ctx.accepted:
        return WEIGHTS["place_list"]
    if opener is not None and opener != match.i - 1:
        word = ctx.tokens[opener].norm
        if (word in LOCATIVE or word in LIST_CUES) and not _list_of_words(ctx, opener + 1):
            return WEIGHTS["place_list"]
    return None


def _list_of_words(ctx: Context, first: int) -> bool:
    """«in diesen Gebieten Gebäude und Strassen»: a list whose first item is a frequent word that
    names no place lists things, whatever noun or preposition stands before it."""
    token = ctx.tokens[first]
    return (ctx.lang == "de" and ctx.frequencies.get(token.norm, 0.0) >= _NOUN_ZIPF
            and not ctx.names.gazetteer.has_key(token.norm))


def _within_km(gazetteer, rows, points, km: float) -> bool:
    """Whether one of the entries `rows` lies within `km` of one of `points` (lat, lon)."""
    for row, _ in rows:
        lat, lon = gazetteer.point_of(row)
        if any(haversine_km(lat, lon, *point) <= km for point in points):
            return True
    return False


def near_named_places(match: Match, ctx: Context) -> Evidence:
    """«Ischgl und Galtür sind abgeschnitten. Nauders ist nur über die Schweiz erreichbar.»: a
    little-known place (no word of the language) with an entry within 30 km of a distinctive place
    the article names elsewhere lies in the area the article reports on (one region per text, as
    a reader assumes). Only in the second pass, which knows the places kept (`named_points`)."""
    if not ctx.named_points or match.form != "name" or match.prior >= WELL_KNOWN_PRIOR:
        return None
    if ctx.frequencies.get(ctx.tokens[match.i].norm, 0.0) >= _WORD_NOT_NAME_ZIPF:
        return None
    points = [(lat, lon) for key, lat, lon in ctx.named_points if key != match.key]
    if points and _within_km(ctx.names.gazetteer, match.rows[:_NEIGHBOUR_ENTRIES], points, _NEAR_NAMED_KM):
        return WEIGHTS["near_named_places"]
    return None


def far_from_named_places(match: Match, ctx: Context) -> Evidence:
    """«In Galtür, Ischgl und Nauders liegt Schnee. Jayanca meldet nichts.»: a little-known place
    with no entry within 1,000 km of any of three or more distinctive places the article names
    lies outside the area it reports on: a word or a person that happens to be a village's name
    abroad (a Peruvian village in a Tyrolean snow report). It weighs against, it does not veto
    («von Mure bedroht» still keeps a town named Mure on its preposition). Only in the second pass
    (`named_points`); a well-known place is named from anywhere."""
    if match.form != "name" or match.prior >= WELL_KNOWN_PRIOR or match.multiword:
        return None
    points = [(lat, lon) for key, lat, lon in ctx.named_points if key != match.key]
    if len({key for key, _, _ in ctx.named_points if key != match.key}) < _FAR_ANCHORS:
        return None
    if _within_km(ctx.names.gazetteer, match.rows[:_NEIGHBOUR_ENTRIES], points, _FAR_NAMED_KM):
        return None
    return WEIGHTS["far_from_named_places"]


def neighbouring_place(match: Match, ctx: Context) -> Evidence:
    """ «Ilanz - Trun, gesperrt», «Passugg - Tschiertschen», «Sevgein, Riein und Duvin»: the item
    next to the name in a route or list is a name with an entry within a few kilometres of one of
    its entries. Two capitalised words that happen to be names of neighbouring places are two
    places (no list cue or preposition needed: a road report's lines have none)."""
    if ctx.lang == "en" or match.multiword or match.form != "name":
        return None  # (English capitalises names only: its lists need no such help)
    before, after, _ = list_items(ctx, match.i, match.j)
    points = None
    for k in (after, before):
        if k is None:
            continue
        other = ctx.names.longest_name(ctx.tokens, k, ctx.lang) if k == after else _name_ending_at(ctx, k)
        if other is None or other[1] == match.key:
            continue
        if points is None:
            gazetteer = ctx.names.gazetteer
            points = [gazetteer.point_of(row) for row, _ in match.rows[:_NEIGHBOUR_ENTRIES]]
        if _within_km(ctx.names.gazetteer, ctx.names.rows(other[1], allow_codes=False)[:_NEIGHBOUR_ENTRIES],
                      points, _NEIGHBOUR_KM):
            return WEIGHTS["neighbouring_place"]
    return None


def foreign_adjective_before(match: Match, ctx: Context) -> Evidence:
    """ «in den Schweizer Bergen», «die Tiroler Landes»: in German a place's adjective right
    before a town that lies neither in that country nor near that place makes the word a noun
    (the Swiss mountains, not Bergen in Norway); «der Walliser Ort Saas», «das Tiroler Landeck»
    keep theirs."""
    if ctx.lang != "de" or not _single_name(match) or match.kind != "city" or match.i == 0:
        return None
    k = match.i - 1
    before = ctx.tokens[k]
    if not (before.is_word and before.cap and before.norm.endswith("er")):
        return None
    found = _name_ending_at(ctx, k)
    if found is None or found[2] != "adjective":
        return None
    gazetteer = ctx.names.gazetteer
    owners = ctx.names.rows(found[1], allow_codes=False)[:_NEIGHBOUR_ENTRIES]
    if not owners:
        return None
    countries = {gazetteer.value("country", row) for row, _ in owners if gazetteer.kind_of(row) == "country"}
    points = [gazetteer.point_of(row) for row, _ in owners if gazetteer.kind_of(row) != "country"]
    for row, _ in match.rows[:_NEIGHBOUR_ENTRIES]:
        if gazetteer.value("country", row) in countries:
            return None
        lat, lon = gazetteer.point_of(row)
        if any(haversine_km(lat, lon, *point) <= _ADJECTIVE_OWNER_KM for point in points):
            return None
    return VETO


def english_phrase(match: Match, ctx: Context) -> Evidence:
    """ «bei der Werft German Naval Yards»: in German text a word German hardly uses, which is an
    everyday English word, beside another capitalised English word, is part of an English name
    or phrase (Naval, a town in the Philippines)."""
    if ctx.lang != "de" or not _single_name(match) or match.key not in ctx.common_words:
        return None
    if ctx.frequencies.get(match.key, 0.0) >= _FOREIGN_WORD_ZIPF:
        return None
    for k in (match.i - 1, match.j + 1):
        if 0 <= k < len(ctx.tokens):
            word = ctx.tokens[k]
            if (word.is_word and word.cap and word.passage == ctx.tokens[match.i].passage
                    and word.norm in ctx.common_words and ctx.frequencies.get(word.norm, 0.0) < _NOUN_ZIPF
                    and not ctx.names.gazetteer.has_key(word.norm)):
                return VETO
    return None


def names_far_apart(match: Match, ctx: Context) -> Evidence:
    """ «der Tagessieg von Egan Bernal»: in German two capitalised words side by side, each the
    name of a little-known place, the two places far apart, are a person's first and last name
    (Egan in Minnesota, Bernal in Peru), not two places; «Feldkirch Tisis» lies a few km apart."""
    if ctx.lang != "de" or not _single_name(match) or match.prior >= MAJOR_PRIOR:
        return None
    tokens = ctx.tokens
    gazetteer = ctx.names.gazetteer
    for k in (match.i - 1, match.j + 1):
        if not (0 <= k < len(tokens) and tokens[k].is_word and tokens[k].cap
                and tokens[k].passage == tokens[match.i].passage and tokens[k].norm not in STOPWORDS
                and tokens[k].norm not in _PLACE_NOUNS
                and ctx.frequencies.get(tokens[k].norm, 0.0) < _WORD_NOT_NAME_ZIPF):
            continue  # (a word beside the name, «die Stadt Bachmut», «im Raum Balgach», is no other name)
        other = ctx.names.rows(tokens[k].norm, allow_codes=False)[:_NEIGHBOUR_ENTRIES]
        if not other or other[0][1] >= MAJOR_PRIOR or gazetteer.kind_of(other[0][0]) != "city":
            continue
        points = [gazetteer.point_of(row) for row, _ in other]
        if not _within_km(gazetteer, match.rows[:_NEIGHBOUR_ENTRIES], points, _APART_KM):
            return VETO
    return None


def part_of_town(match: Match, ctx: Context) -> Evidence:
    """ «In Feldkirch Tisis stürzte ein Baum», «in Dornbirn Hatlerdorf»: in German a town's name
    and, after a space only, the name of a place within a few kilometres of it: the town's part
    or village, named the way local news writes it (Berlin-Kreuzberg with a hyphen is indexed)."""
    if ctx.lang != "de" or match.multiword or match.form != "name" or match.i == 0:
        return None
    before = ctx.tokens[match.i - 1]
    if not (before.is_word and before.cap and before.passage == ctx.tokens[match.i].passage
            and before.end < ctx.tokens[match.i].start):
        return None
    town = _name_ending_at(ctx, match.i - 1)
    if town is None or town[1] == match.key:
        return None
    gazetteer = ctx.names.gazetteer
    towns = [gazetteer.point_of(row) for row, _ in ctx.names.rows(town[1], allow_codes=False)[:_NEIGHBOUR_ENTRIES]
             if gazetteer.kind_of(row) == "city"]
    places = [(row, prior) for row, prior in match.rows[:_NEIGHBOUR_ENTRIES] if gazetteer.kind_of(row) == "city"]
    return WEIGHTS["part_of_town"] if _within_km(gazetteer, places, towns, _PART_KM) else None


def before_month(match: Match, ctx: Context) -> Evidence:
    """ «seit Mitte April», «bis Ende Mai», «Anfang Juni»: in German a word right before a month's
    name is part of a date (Mitte is also Berlin's central district, Ende a town in Indonesia)."""
    nxt = match.next_word
    if (ctx.lang == "de" and not match.multiword and nxt is not None and nxt.cap and nxt.norm in MONTHS
            and ctx.tokens[match.j + 1] is nxt):
        return VETO
    return None


def _name_ending_at(ctx: Context, k: int):
    """The gazetteer name of one or two words ending at token k (the item before a list joint)."""
    for start in (k, k - 1):
        if start < 0 or not ctx.tokens[start].is_word:
            continue
        found = ctx.names.longest_name(ctx.tokens, start, ctx.lang)
        if found is not None and found[0] == k:
            return found
    return None


# Rules on the words alone: run before the name is looked up, they may not read its entries.
WORD_RULES: list[Rule] = [
    not_a_place_word, name_article, inside_person_name, arabic_article, too_short, title_word_alone, place_noun_alone, contraction, all_caps_code,
    brand_compound, in_compound_adjective,
]
# Rules on the looked-up, read match.
RULES: list[Rule] = [
    bare_abbreviation, unknown_adjective, lowercase_name, nickname_of_words, compound_tail,
    compound_modifier, after_organisation_noun, after_quantifier, after_amount, currency_name, function_word_start, multiword_name, after_locative,
    article_before_town, noun_in_phrase, followed_by_organisation, place_predicate, located_in, place_list, after_acronym,
    neighbouring_place, near_named_places, far_from_named_places, part_of_town, foreign_adjective_before, english_phrase, names_far_apart, before_month, nearby_place, named_elsewhere, after_postcode, assembly_not_building, ship_name,
    everyday_word, frequent_word, first_name, after_kin_noun, sentence_start, adjective_without_noun,
    adjective_in_a_name,
    english_adjective,
    *(cue_word(kind) for kind in PLACE_CUES), stated_region, dateline, abbreviation_only,
]
