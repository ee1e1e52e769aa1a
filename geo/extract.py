"""Recognition: find the spans of an article that name places.

No statistical model: the gazetteer's name index is scanned for the longest name at every
capitalised word (multi-word names, hyphenated compounds, German inflection and city
adjectives included), and each match is kept or dropped by rules a reader would apply:
person names (first-name lexicon, titles, surnames seen in the article), organisations,
function words, German determiners before a city name, all-caps codes, and a prior from the
place's importance. Generic references (der Flughafen, des nahen AKW, die Grenze) are marked
here and resolved from context in `geo.resolve`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from geo.gazetteer import Gazetteer, NameType
from geo.lexicon import (
    DETERMINERS, DIRECTIONS, GENERIC_FACILITIES, LOCATIVE, NOT_PLACES, ORG_WORDS, PERSON_TITLES,
    PLACE_CUES, STOPWORDS, STREET_SUFFIXES, THOROUGHFARES, common_english_words, curated_acronyms,
    first_names, word_frequencies,
)
from geo.models import Article
from geo.normalize import normalize

__all__ = ["RawMention", "Recognizer", "tokenize"]

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,'’]\d+)*|[^\w\s]")
_HYPHENS = frozenset("-‐‑")
_MAX_WORDS = 7
_ROWS_CACHE_LIMIT = 200_000
# Lower-case words allowed inside a multi-word name (Frankfurt am Main, Stratford-upon-Avon).
_PARTICLES = frozenset(
    "am an der dem den bei im in ob of on upon sur sous en de del della di da do dos das du la le les "
    "van von y i sankt st saint and und".split()
)
ACCEPT_THRESHOLD = 3.2
_LOWERCASE_WORD_PENALTY = 2.0
_EXCESS_FREE = 0.5
_EXCESS_WEIGHT = 2.0
_CONSONANTS = frozenset("bcdfghklmnpqrstvwxzß")
_CONTRACTION = re.compile(r"['’](?:ve|re|ll|d|t|m)$", re.I)
_OF = frozenset({"of", "von"})
# Longest first: "sudost" before "sud" (keys are normalised: Süd → sud).
_DIRECTION_PREFIXES = ("nordost", "nordwest", "sudost", "sudwest", "nord", "sud", "ost", "west")
_CIVIC_WORDS = frozenset(
    "council hall commission manager schools school attorney clerk police limits board government".split())
_BORDER_WORDS = frozenset({"grenze", "border", "grenzen", "frontier"})
_BORDER_LINKS = frozenset({"zu", "zur", "zum", "mit", "with", "to"})  # die Grenze zu …, the border with …
_GERMAN_STREET_ENDINGS = ("strasse", "str", "gasse", "allee", "chaussee")
_GERMAN_STREET_WORDS = frozenset({"strasse", "str", "platz", "allee", "chaussee", "gasse", "damm", "ufer"})
# First word of every generic phrase → (feature, phrases split into words, longest first).
_GENERIC_STARTS: dict[str, list[tuple[str, list[str]]]] = {}
for _feature, _phrases in GENERIC_FACILITIES.items():
    for _phrase in sorted(_phrases, key=len, reverse=True):
        _GENERIC_STARTS.setdefault(_phrase.split()[0], []).append((_feature, _phrase.split()))


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    norm: str
    is_word: bool
    cap: bool
    passage: int
    sentence_start: bool


@dataclass(slots=True)
class RawMention:
    """A recognised span before resolution: its candidate rows and the evidence for it."""

    start: int
    end: int
    text: str
    passage: int
    key: str
    form: str  # name, adjective, nested, generic
    rows: list[tuple[int, float]] = field(default_factory=list)
    score: float = 0.0
    cue: str = ""  # kind suggested by a cue word (city, region) or a facility feature
    generic: str = ""  # for generic mentions: AIRP, NUCLEAR_PLANT, BORDER
    anchor_key: str = ""  # a name that qualifies a generic mention (Minsker → minsk)
    number_km: float | None = None  # a length stated next to a generic border mention
    qualifier: str = ""  # key of the region/country after a comma: Paris, Texas → "texas"


def tokenize(article: Article) -> list[Token]:
    """Word and punctuation tokens with offsets, passage index and sentence-start flag."""
    tokens: list[Token] = []
    text = article.text
    norm_cache: dict[str, str] = {}
    fraktur = article.lang == "de"
    for passage in article.passages:
        first = True
        for match in _TOKEN.finditer(text, passage.start, passage.end):
            word = match.group()
            is_word = word[0].isalpha()
            norm = norm_cache.get(word)
            if norm is None:
                if fraktur and len(word) > 1 and word[0] == "J" and word[1] in _CONSONANTS:
                    # Fraktur OCR reads I as J (Jtalien, Jm, Jn): no German word starts like that.
                    norm = norm_cache[word] = normalize("I" + word[1:])
                else:
                    norm = norm_cache[word] = normalize(word)
            tokens.append(Token(match.start(), match.end(), word, norm, is_word, word[0].isupper(),
                                passage.index, first and is_word))
            if is_word:
                first = False
            elif word == ":":
                first = True  # «Russland: Putin …» starts anew after a colon
    return tokens


class Recognizer:
    """Finds place mentions in an article with the gazetteer's name index."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.default()
        self.first_names = first_names()
        self.common_words = common_english_words()
        self.acronyms = curated_acronyms()
        self._rows_cache: dict[tuple[str, bool, str], list[tuple[int, float]]] = {}

    # ------------------------------------------------------------------ public

    def find(self, article: Article, extra_names: dict[str, str] | None = None) -> list[RawMention]:
        """Mentions in text order. `extra_names`: normalised name → place id the user added."""
        tokens = tokenize(article)
        persons = self._person_positions(tokens)
        written = {t.norm for t in tokens if t.is_word and t.cap and not t.text.isupper()}
        extra = self._extra_patterns(extra_names)
        mentions: list[RawMention] = []
        i = 0
        n = len(tokens)
        while i < n:
            token = tokens[i]
            if not token.is_word:
                i += 1
                continue
            added = self._match_extra(tokens, i, extra, article) if extra else None
            if added is not None:
                mentions.append(added[0])
                i = added[1] + 1
                continue
            if i in persons:
                i += 1
                continue
            match = self._longest_name(tokens, i, article.lang)
            if match is not None and self._city_of_council(tokens, match):
                match = self._longest_name(tokens, i, article.lang, last_allowed=match[0] - 1) or match
            street = None
            if (match is None or (match[0] == i and self._top_prior(match[1]) < 5.0)
                    or self._before_thoroughfare(tokens, match[0], article.lang)):
                street = self._street(tokens, i, article)  # but "Florida Highway Patrol" names Florida
            if street is not None:
                town = self._building_town(tokens, i, match, street, persons, written, article)
                # Klosterstraße, Main Street: named, not in the gazetteer; but "Youngstown State
                # University" or "Woodstock General Hospital" stand in the town they are named after.
                mentions.append(town if town is not None else street[0])
                i = street[1] + 1
                continue
            if match is None:
                found = self._generic(tokens, i, article)
                if found is None:
                    i += 1
                    continue
                generic, last = found
                previous = mentions[-1] if mentions else None
                if (previous is not None and previous.form in ("adjective", "name") and generic.anchor_key == previous.key
                        and not article.text[previous.end:generic.start].strip()):
                    # "Minsker Flugplatz", "Minsk airport": one mention of the airport, not of Minsk.
                    mentions.pop()
                    generic.start, generic.text = previous.start, article.text[previous.start:generic.end]
                mentions.append(generic)
                i = last + 1
                continue
            end_index, key, form = match
            mention = self._judge(tokens, i, end_index, key, form, persons, written, article)
            if mention is not None:
                mentions.append(mention)
                mentions.extend(self._nested(tokens, i, end_index, article, mention.rows))
                i = end_index + 1
                continue
            found = self._generic(tokens, i, article)  # "AKW" is also a code of some village
            if found is not None:
                mentions.append(found[0])
                i = found[1] + 1
            else:
                i += 1
        return mentions

    # ------------------------------------------------------------------ user-added names

    def _extra_patterns(self, extra_names: dict[str, str] | None) -> dict[str, list[tuple[list[str], int]]]:
        """First word → [(all words, entry row)] for the names a user added."""
        patterns: dict[str, list[tuple[list[str], int]]] = {}
        for key, place_id in (extra_names or {}).items():
            row = self.gazetteer.row_of(place_id)
            words = key.split()
            if row is None or not words:
                continue
            patterns.setdefault(words[0], []).append((words, row))
        return patterns

    def _match_extra(self, tokens, i, extra, article) -> tuple[RawMention, int] | None:
        for words, row in extra.get(tokens[i].norm, ()):
            found, k = [], i
            while k < len(tokens) and len(found) < len(words):
                if tokens[k].is_word:
                    found.append(k)
                elif tokens[k].text not in _HYPHENS and tokens[k].text != ".":
                    break
                k += 1
            if [tokens[x].norm for x in found] == words:
                start, end = tokens[i].start, tokens[found[-1]].end
                mention = RawMention(start, end, article.text[start:end], tokens[i].passage, " ".join(words),
                                     "name", [(row, 10.0)], 10.0)
                return mention, found[-1]
        return None

    # ------------------------------------------------------------------ names

    def _rows(self, key: str, allow_codes: bool, lang: str = "") -> list[tuple[int, float]]:
        cache_key = (key, allow_codes, lang)
        rows = self._rows_cache.get(cache_key)
        if rows is None:
            if len(self._rows_cache) > _ROWS_CACHE_LIMIT:
                self._rows_cache.clear()  # a long-running server stays bounded
            rows = self.gazetteer.ranked_rows(key, allow_codes=allow_codes, text_lang=lang)[:25]
            self._rows_cache[cache_key] = rows
        return rows

    def _top_prior(self, key: str) -> float:
        rows = self._rows(key, allow_codes=False)
        return rows[0][1] if rows else -1.0

    def _variants(self, token: Token, lang: str) -> list[tuple[str, str]]:
        """Keys an inflected word may stand for, with the mention form they imply."""
        word, norm = token.text, token.norm
        out: list[tuple[str, str]] = []
        if len(norm) < 4:
            return out
        if word[-2:].lower() in ("'s", "’s"):  # Canada's, CAMBRIDGE'S
            out.append((normalize(word[:-2]), "name"))
        if norm.endswith("s"):
            # Russlands, Moskaus (genitive); in English only plural demonyms: Russians, not
            # Riverbanks → Riverbank.
            form = "plural" if lang == "en" else "name"
            out.append((norm[:-1], form))
            if norm.endswith("es"):
                out.append((norm[:-2], form))
        if token.cap and norm.endswith("er") and lang != "en":
            # City adjectives: Minsker, Kiewer, Bremer (Bremen), Münchner (München), Basler (Basel)
            out.append((norm[:-2], "adjective"))
            out.append((norm[:-2] + "en", "adjective"))
            if norm.endswith("ner"):
                out.append((norm[:-3] + "en", "adjective"))
            if norm.endswith("ler"):
                out.append((norm[:-3] + "el", "adjective"))
        if token.cap and lang != "en":
            # Südlibanon, Nordsyrien, Ostpolens: a part of a country (only countries: Westberlin
            # is no Berlin of its own, Ostfriesland no Friesland).
            for prefix in _DIRECTION_PREFIXES:
                rest = norm[len(prefix):]
                if norm.startswith(prefix) and len(rest) >= 4:
                    out.append((rest, "part"))
                    if rest.endswith("s"):
                        out.append((rest[:-1], "part"))
                    break
        if not token.cap or lang != "en":
            for ending in ("en", "er", "es", "em", "e"):
                if norm.endswith(ending):
                    out.append((norm[: -len(ending)], "adjective"))
                    break
        return out

    def _city_of_council(self, tokens: list[Token], match: tuple[int, str, str]) -> bool:
        """ "Dublin City Council", "Springfield City Hall": the town, not a place called "… City"
        (but Kansas City Council is Kansas City's)."""
        last, key, _ = match
        if not key.endswith(" city") or last + 1 >= len(tokens) or tokens[last + 1].norm not in _CIVIC_WORDS:
            return False
        rows = self._rows(key, allow_codes=False)
        if not rows:
            return False
        row = rows[0][0]
        own_name = any(r == row and t == NameType.NAME for r, t in self.gazetteer.postings(key))
        return not (own_name and self.gazetteer.kind_of(row) == "city")

    def _longest_name(self, tokens: list[Token], i: int, lang: str,
                      last_allowed: int | None = None) -> tuple[int, str, str] | None:
        """(last token index, key, form) of the longest gazetteer name starting at token i
        (ending at `last_allowed` at the latest)."""
        first = tokens[i]
        if not first.cap and not self._may_be_adjective(first):
            return None
        gazetteer = self.gazetteer
        best = None
        key = first.norm
        last = i
        words = 1
        while True:
            token = tokens[last]
            found = None
            if gazetteer.has_key(key) and (token.cap or last == i or token.norm not in _PARTICLES):
                found = (last, key, "name")
            prefix = key[: len(key) - len(token.norm)]
            for variant, form in self._variants(token, lang):
                if form == "plural":
                    if not any(t == NameType.ADJ for _, t in gazetteer.postings(prefix + variant)):
                        continue
                    form = "name"
                elif form == "part":
                    rows = self._rows(prefix + variant, allow_codes=False) if not prefix else []
                    if found is not None or not rows or gazetteer.kind_of(rows[0][0]) != "country":
                        continue
                if variant and gazetteer.has_key(prefix + variant):
                    # Canada's, Russlands: the inflected form wins over a hamlet spelled that way.
                    if found is None or self._top_prior(prefix + variant) > self._top_prior(found[1]):
                        found = (last, prefix + variant, form)
                    break
            if found is not None:
                best = found
            if words >= _MAX_WORDS or not gazetteer.has_prefix(key + " "):
                break
            nxt = last + 1
            if nxt < len(tokens) and tokens[nxt].text in (".", "'") and tokens[nxt].start == tokens[last].end:
                nxt += 1  # St. Petersburg, U.S.
            if nxt < len(tokens) and tokens[nxt].text in _HYPHENS:
                nxt += 1  # Baden-Württemberg, Unionsstaat Weissrussland-Russland
            if (nxt >= len(tokens) or not tokens[nxt].is_word or tokens[nxt].passage != first.passage
                    or last_allowed is not None and nxt > last_allowed):
                break
            if not tokens[nxt].cap and tokens[nxt].norm not in _PARTICLES:
                break
            key = key + " " + tokens[nxt].norm
            last = nxt
            words += 1
        return best

    def _may_be_adjective(self, token: Token) -> bool:
        """Lower-case words are only tried as adjectives (russischen, weissrussische)."""
        norm = token.norm
        return len(norm) >= 6 and norm.endswith(("isch", "ische", "ischen", "ischer", "isches", "ischem"))

    def _building_town(self, tokens, i, match, street, persons, written, article) -> RawMention | None:
        """The town a building or institution is named after (Middletown High School), if any."""
        if match is None or match[0] >= street[1] or match[2] != "name":
            return None
        suffix = tokens[street[1]]
        if suffix.norm in THOROUGHFARES.get(article.lang, frozenset()):
            return None  # Oxford Road runs through many towns, it is no mention of Oxford
        mention = self._judge(tokens, i, match[0], match[1], match[2], persons, written, article, in_name=True)
        if mention is None or self.gazetteer.kind_of(mention.rows[0][0]) != "city":
            return None
        return mention

    def _judge(self, tokens, i, j, key, form, persons, written, article, in_name: bool = False) -> RawMention | None:
        """Keep a name match if the evidence says it is a place; score it.

        `written`: the keys of capitalised words the text writes in ordinary case (Rome, not ROME).
        `in_name`: the match starts a building's name, so the words after it are no evidence
        of an organisation.
        """
        first, last = tokens[i], tokens[j]
        surface = article.text[first.start:last.end]
        multiword = j > i
        part = form == "part"  # Südlibanon: judged as the country's name, linked like an adjective
        if part:
            form = "name"
        if not multiword:
            if (key in STOPWORDS or key in NOT_PLACES or key in DIRECTIONS or key in PERSON_TITLES
                    or j in persons):
                return None
            if len(key) <= 2 and not surface.isupper() and not self._is_abbreviation(key, article, last):
                return None  # "Al", "St", "Eta" (but "Ky." is Kentucky)
            if _CONTRACTION.search(surface):
                return None  # I've, don't
            if (surface.isupper() and len(surface) <= 4 and surface not in self.acronyms
                    and not self._qualifier(tokens, j, article.lang)
                    and key not in written):
                # AP, II, LE, MW: codes and initialisms, not places; but "KYIV, Ukraine" is a
                # dateline, and ROME is Rome where the text also writes Rome.
                return None
            nxt = tokens[j + 1] if j + 1 < len(tokens) else None
            if (article.lang == "en" and nxt is not None and nxt.text in _HYPHENS
                    and nxt.start == last.end and j + 2 < len(tokens) and tokens[j + 2].cap
                    and self._top_prior(key) < 6.0):
                return None  # Wal-Mart, Coca-Cola: a brand, unless a big place (Russia-Ukraine)
        # All-caps codes (MSQ, BY, AP) never count; all-caps names (BERLIN, USA) do.
        rows = self._rows(key, allow_codes=False, lang=article.lang)
        if not rows:
            return None
        types = {t for _, t in self.gazetteer.postings(key)}
        if types and types <= {NameType.ABBR, NameType.CODE}:
            dotted = "." in article.text[last.end:last.end + 1] or "." in surface
            bare = key.replace(" ", "")
            risky = bare in self.common_words or bare in self.first_names or bare in PERSON_TITLES
            if not (self._after_place_comma(tokens, i) or self._after_party(tokens, i)) and (not dotted or risky):
                return None  # TX, Miss., Mass. only as in "Austin, TX" or "D-Mass."; S.C., Ky. anywhere
            if dotted and last.end < len(article.text) and article.text[last.end] == ".":
                last = Token(last.start, last.end + 1, last.text + ".", last.norm, last.is_word, last.cap,
                             last.passage, False)
                surface = article.text[first.start:last.end]
        if form == "adjective" or (types and types <= {NameType.ADJ}):
            if NameType.ADJ in types:
                form = "adjective"
                rows = [(r, s) for r, s in rows if self._is_adj_row(key, r)] or rows
            elif not (last.cap and self._is_city_adjective(rows)):
                return None
        elif not first.cap:
            return None
        best_row, prior = rows[0]
        best_kind = self.gazetteer.kind_of(best_row)
        best_type = min((t for r, t in self.gazetteer.postings(key) if r == best_row), default=NameType.NAME)
        if (multiword and best_type == NameType.ALT and best_kind == "city" and article.lang == "en"
                and all(t.norm in self.common_words or t.norm in DIRECTIONS for t in tokens[i:j + 1] if t.is_word)):
            return None  # "North Side" is Oildale's nickname, but in a text it is a side of town
        if best_type == NameType.ADJ:
            form = "adjective"  # "Deutsch" here is Germany's adjective, not a place name
        score = prior + (2.0 if multiword else 0.0)
        prev_word = self._previous_word(tokens, i)
        next_word = self._next_word(tokens, j)
        article_kind = ""  # a kind the grammar implies (am Dnipro: not the city)
        if prev_word is not None and prev_word.norm in LOCATIVE:
            score += 1.5
        compound_head = (j + 2 < len(tokens) and tokens[j + 1].text in _HYPHENS and tokens[j + 1].start == last.end
                         and tokens[j + 2].cap)  # "die Kertsch-Brücke": the article is the bridge's
        if (article.lang != "en" and prev_word is not None and prev_word.norm in DETERMINERS and not multiword
                and not compound_head):
            if best_kind == "city" and form == "name":
                # "am Dnipro" is the river, "der Zug" no town: a city takes no article.
                others = [(r, p) for r, p in rows if self.gazetteer.kind_of(r) != "city"]
                if others and others[0][1] >= ACCEPT_THRESHOLD:
                    rows = others  # not even nearby towns make it the city
                    best_row, prior = others[0]
                    best_kind = article_kind = self.gazetteer.kind_of(best_row)
                    score = prior
                else:
                    score -= 4.0
        if (article.lang == "en" and prev_word is not None and prev_word.norm == "the" and not multiword
                and best_kind != "other"):
            # "along the Mississippi", "the Hudson": a river takes "the", a state or town does not
            # (a country may: the Congo, the Gambia).
            if any(self.gazetteer.value("feature", r) == "RIVER" for r, _ in rows):
                rows = [(r, p) for r, p in rows if self.gazetteer.kind_of(r) in ("other", "country")]
                article_kind = "other"
        if not in_name and self._names_organisation(tokens, j):
            return None  # Washington Post, Virginia Commonwealth University
        if not multiword and form == "name":
            if article.lang == "en" and key in self.common_words and not surface.isupper():
                score -= _LOWERCASE_WORD_PENALTY  # Police, Reading, Bush: a word first
            # A word used far more often than a place of this size would be: Mann, Stelle, Hall.
            # (After a German article the word is most likely a noun: "der Zug" is a train, so
            # the rerouted region is measured by its score, not by the people of its towns.)
            population = self.gazetteer.size_of(best_row) if not article_kind else 0
            size = math.log10(population) if population > 0 else prior
            excess = word_frequencies(article.lang).get(key, 0.0) - (0.75 * size + 0.5)
            if excess > _EXCESS_FREE:
                score -= _EXCESS_WEIGHT * (excess - _EXCESS_FREE)
                if excess > 1.0 and best_type == NameType.ALT:
                    return None  # an everyday word that is only an exonym somewhere (Mann → Isle of Man)
            if key in self.first_names:
                score -= 1.5  # "George said": a first name alone is rarely a place
            if first.sentence_start:
                # A capitalised first word says nothing; only well-known places pass here.
                score -= 0.5 if article.lang == "en" else 1.5
        if form == "adjective" and best_kind == "city" and not (next_word is not None and next_word.cap):
            return None  # "Minsker" needs its noun: Minsker Flugplatz
        cue = article_kind
        # "the state of New York", "die Stadt Zug": the noun before "of"/"von" counts as well.
        of_noun = None
        if prev_word is not None and prev_word.norm in _OF:
            of_noun = self._previous_word(tokens, self._previous_word_index(tokens, i))
        before = prev_word if prev_word is not None and prev_word.norm not in PERSON_TITLES else None  # Gov. Bush
        for kind, words in PLACE_CUES.items():
            if any(w is not None and w.norm in words for w in (before, next_word, of_noun)):
                cue = kind
                score += 1.0
        qualifier = self._qualifier(tokens, j, article.lang)
        if qualifier:
            score += 1.5
        if types and types <= {NameType.ABBR, NameType.CODE}:
            score = max(score, ACCEPT_THRESHOLD)
        if score < ACCEPT_THRESHOLD:
            return None
        return RawMention(first.start, last.end, surface, first.passage, key, "adjective" if part else form,
                          rows, score, cue, qualifier=qualifier)

    def _is_abbreviation(self, key: str, article: Article, last: Token) -> bool:
        """A dotted state or province abbreviation (Ky., Ga.), known to the index as such."""
        dotted = article.text[last.end:last.end + 1] == "."
        return dotted and any(t == NameType.ABBR for _, t in self.gazetteer.postings(key))

    @staticmethod
    def _names_organisation(tokens, j, reach: int = 1) -> bool:
        """An organisation word among the capitalised words right after a name."""
        for k in range(j + 1, min(len(tokens), j + 1 + reach)):
            token = tokens[k]
            if not token.is_word or not token.cap or token.passage != tokens[j].passage:
                return False
            if token.norm in ORG_WORDS:
                return True
        return False

    @staticmethod
    def _after_place_comma(tokens, i) -> bool:
        return i >= 2 and tokens[i - 1].text == "," and tokens[i - 2].is_word and tokens[i - 2].cap

    @staticmethod
    def _after_party(tokens, i) -> bool:
        """A US politician's party and state: Sen. John Kerry, D-Mass.; Rep. Joe Barton, R-Texas."""
        return (i >= 2 and tokens[i - 1].text in _HYPHENS and tokens[i - 2].text in ("D", "R", "I")
                and tokens[i - 2].end == tokens[i - 1].start and tokens[i - 1].end == tokens[i].start)

    def _qualifier(self, tokens, j, lang) -> str:
        """The region or country named right after a comma (Paris, Texas; Frankfort, Ky.)."""
        if j + 2 >= len(tokens) or tokens[j + 1].text != "," or not tokens[j + 2].cap:
            return ""
        match = self._longest_name(tokens, j + 2, lang)
        if match is None:
            return ""
        key = match[1]
        rows = self._rows(key, allow_codes=False)
        if rows and self.gazetteer.kind_of(rows[0][0]) in ("country", "region"):
            return key
        return ""

    def _is_adj_row(self, key: str, row: int) -> bool:
        return any(r == row and t == NameType.ADJ for r, t in self.gazetteer.postings(key))

    def _is_city_adjective(self, rows: list[tuple[int, float]]) -> bool:
        row, _ = rows[0]
        return self.gazetteer.kind_of(row) == "city" and self.gazetteer.population_of(row) >= 50_000

    @staticmethod
    def _previous_word(tokens, i) -> Token | None:
        k = Recognizer._previous_word_index(tokens, i)
        return tokens[k] if k is not None else None

    @staticmethod
    def _previous_word_index(tokens, i) -> int | None:
        k = i - 1
        while k >= 0 and not tokens[k].is_word and tokens[k].text in ".'’":
            k -= 1
        if k >= 0 and tokens[k].is_word and tokens[k].passage == tokens[i].passage:
            return k
        return None

    @staticmethod
    def _next_word(tokens, j) -> Token | None:
        k = j + 1
        if k < len(tokens) and tokens[k].is_word and tokens[k].passage == tokens[j].passage:
            return tokens[k]
        return None

    def _nested(self, tokens, i, j, article, rows) -> list[RawMention]:
        """Country or region names inside a composite's name (Unionsstaat Weissrussland-Russland).

        Only curated composites: "South Africa" or "Western Australia" do not mention Africa
        or Australia.
        """
        if j == i or self.gazetteer.value("feature", rows[0][0]) != "COMPOSITE":
            return []
        nested = []
        for k in range(i + 1, j + 1):
            token = tokens[k]
            if not token.is_word or not token.cap:
                continue
            rows = self._rows(token.norm, allow_codes=False)
            if (rows and self.gazetteer.kind_of(rows[0][0]) in ("country", "region") and rows[0][1] >= 6.0
                    and token.norm not in self.common_words):
                nested.append(RawMention(token.start, token.end, token.text, token.passage, token.norm,
                                         "nested", rows, rows[0][1]))
        return nested

    # ------------------------------------------------------------------ streets and buildings

    def _street(self, tokens: list[Token], i: int, article: Article) -> tuple[RawMention, int] | None:
        """A street or building name no offline gazetteer holds: recognised, left unresolved.

        German: one word ending in -straße/-str./-gasse/-allee/-chaussee (Klosterstraße), or a
        city adjective before Straße/Str./Platz (Leipziger Str.). English: capitalised words
        before Street/Road/Museum/… (Main Street, Bob Wills Museum).
        """
        first = tokens[i]
        if (not first.cap or len(first.norm) < 3 or first.norm in STOPWORDS
                or first.sentence_start and first.norm in self.common_words):
            return None  # "Texas A&M University" is no street named "M University"
        lang = article.lang
        if lang == "de":
            norm = first.norm
            for suffix in _GERMAN_STREET_ENDINGS:
                if norm.endswith(suffix) and len(norm) > len(suffix) + 2:
                    last = i + 1 if suffix == "str" and i + 1 < len(tokens) and tokens[i + 1].text == "." else i
                    return self._unresolved(tokens, i, last, article), last
            nxt = i + 1
            if (norm.endswith("er") and nxt < len(tokens) and tokens[nxt].cap
                    and tokens[nxt].norm in _GERMAN_STREET_WORDS):
                last = nxt + 1 if nxt + 1 < len(tokens) and tokens[nxt + 1].text == "." else nxt
                return self._unresolved(tokens, i, last, article), last
            return None
        suffixes = STREET_SUFFIXES.get(lang, frozenset())
        k = i
        while k + 1 < len(tokens) and tokens[k + 1].passage == first.passage and k - i < 4:
            nxt = tokens[k + 1]
            if nxt.text in ("'", "’") or nxt.text == "." or (nxt.is_word and nxt.cap):
                k += 1
                if nxt.is_word and nxt.norm in suffixes and k > i:
                    return self._unresolved(tokens, i, k, article), k
                continue
            break
        return None

    @staticmethod
    def _before_thoroughfare(tokens: list[Token], last: int, lang: str) -> bool:
        """Whether the word after a name makes it a street (Washington Drive, Texas Avenue)."""
        nxt = last + 1
        return (nxt < len(tokens) and tokens[nxt].is_word and tokens[nxt].cap
                and tokens[nxt].passage == tokens[last].passage
                and tokens[nxt].norm in THOROUGHFARES.get(lang, frozenset()))

    @staticmethod
    def _unresolved(tokens, i, last, article) -> RawMention:
        start, end = tokens[i].start, tokens[last].end
        text = article.text[start:end]
        return RawMention(start, end, text, tokens[i].passage, normalize(text), "name", [], 0.0, cue="other")

    # ------------------------------------------------------------------ persons

    def _person_positions(self, tokens: list[Token]) -> set[int]:
        """Token positions that belong to person names, including surnames seen elsewhere."""
        names = self.first_names
        positions: set[int] = set()
        surnames: set[str] = set()
        n = len(tokens)
        for i, token in enumerate(tokens):
            if not token.is_word or not token.cap:
                continue
            titled = i > 0 and tokens[i - 1].norm in PERSON_TITLES or (
                i > 1 and tokens[i - 1].text == "." and tokens[i - 2].norm in PERSON_TITLES)
            is_first = token.norm in names and token.norm not in STOPWORDS  # "The" is a name too
            if not (is_first or titled):
                continue
            if is_first and not titled and self._starts_multiword_place(tokens, i):
                continue  # Red Deer, Monroe County
            k = i + 1
            run = []
            while k < n and tokens[k].is_word and tokens[k].cap and tokens[k].passage == token.passage:
                if (tokens[k].norm in STOPWORDS or tokens[k].norm in self.common_words
                        or self._is_place_word(tokens[k], 7.0)):
                    break  # Alberta Health Services: "Health" is no surname; Jenny Palma is one
                run.append(k)
                k += 1
                if len(run) == 3:
                    break
            if is_first and run:  # (Präsident) Wladimir Putin
                positions.add(i)
                positions.update(run)
                surnames.add(tokens[run[-1]].norm)
            elif titled and (is_first or not self._is_place_word(token)):  # Präsident Macron
                positions.add(i)
                if not is_first:
                    surnames.add(token.norm)
        if surnames:
            genitives = {s + "s" for s in surnames}
            for i, token in enumerate(tokens):
                if token.cap and (token.norm in surnames or token.norm in genitives):
                    positions.add(i)
        return positions

    def _starts_multiword_place(self, tokens: list[Token], i: int) -> bool:
        match = self._longest_name(tokens, i, "en")
        return match is not None and match[0] > i and match[2] == "name"

    def _is_place_word(self, token: Token, prior: float = 5.0) -> bool:
        """A capitalised word that names a place at least this well known."""
        return self._top_prior(token.norm) >= prior

    # ------------------------------------------------------------------ generic references

    def _generic(self, tokens: list[Token], i: int, article: Article) -> tuple[RawMention, int] | None:
        """A generic place noun (Flughafen, AKW, Grenze) and the index of its last token."""
        token = tokens[i]
        norm = token.norm
        for feature, parts in _GENERIC_STARTS.get(norm, ()):
            if [t.norm for t in tokens[i:i + len(parts)]] != parts:
                continue
            span_end = i + len(parts) - 1
            anchor, anchor_end = self._anchor(tokens, i, span_end)
            last = max(span_end, anchor_end)
            mention = RawMention(token.start, tokens[last].end, article.text[token.start:tokens[last].end],
                                 token.passage, " ".join(parts), "generic", [], 0.0, generic=feature,
                                 anchor_key=anchor)
            return mention, last
        if norm in _BORDER_WORDS:
            mention = RawMention(token.start, token.end, token.text, token.passage, norm, "generic", [], 0.0,
                                 generic="BORDER", number_km=self._stated_length(tokens, i),
                                 anchor_key=self._border_side(tokens, i, article.lang))
            return mention, i
        return None

    def _anchor(self, tokens, i, j) -> tuple[str, int]:
        """A place qualifying a generic noun: Minsker Flugplatz, Flughafen Minsk, Minsk airport.

        Returns the anchor's key and the index of the last token the mention covers.
        """
        before = tokens[i - 1] if i > 0 else None
        if (before is not None and before.is_word and before.cap and before.passage == tokens[i].passage
                and before.norm not in STOPWORDS and before.norm not in DETERMINERS
                and before.norm not in LOCATIVE):  # «Am Flughafen Frankfurt»: "Am" is no place
            for variant, _ in [(before.norm, "name")] + self._variants(before, "de"):
                if variant and self.gazetteer.has_key(variant):
                    return variant, j
        after = tokens[j + 1] if j + 1 < len(tokens) else None
        if after is not None and after.is_word and after.cap and after.passage == tokens[j].passage:
            if self.gazetteer.has_key(after.norm) and after.norm not in STOPWORDS:
                return after.norm, j + 1
        return "", j

    def _border_side(self, tokens, i, lang) -> str:
        """The country a border is named with: «die Grenze zu Ägypten», "the border with Poland"."""
        k = i + 1
        if k + 1 >= len(tokens) or tokens[k].norm not in _BORDER_LINKS or tokens[k].passage != tokens[i].passage:
            return ""
        k += 1
        if tokens[k].norm in DETERMINERS and k + 1 < len(tokens):
            k += 1  # die Grenze mit der Ukraine
        match = self._longest_name(tokens, k, lang)
        if match is None:
            return ""
        rows = self._rows(match[1], allow_codes=False, lang=lang)
        return match[1] if rows and self.gazetteer.kind_of(rows[0][0]) == "country" else ""

    @staticmethod
    def _stated_length(tokens, i) -> float | None:
        """'rund 1000 Kilometer lange Grenze', 'the 1,084-km border' → 1000.0 / 1084.0."""
        window = tokens[max(0, i - 6):i]
        for k, token in enumerate(window):
            if token.text[0].isdigit() and k + 1 < len(window):
                unit = window[k + 1].norm
                if unit in ("kilometer", "km", "kilometre", "kilometres", "kilometers"):
                    digits = re.sub(r"[^\d]", "", token.text)
                    if digits:
                        return float(digits)
        return None
