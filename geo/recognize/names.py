"""Names: what the gazetteer's index holds at a word (the longest name, inflected forms)."""

from __future__ import annotations

import re

from geo.gazetteer import WELL_KNOWN_PRIOR, Gazetteer, NameType, haversine_km
from geo.lexicon import ARABIC_ARTICLES, DIRECTIONS, PERSON_TITLES, REGION_NOUNS, SWISS_CANTON_CODES
from geo.models import Article
from geo.normalize import normalize
from geo.recognize.tokens import HYPHENS, Token

__all__ = ["NameMatch", "Names", "PARTICLES", "variants", "may_be_adjective"]

NameMatch = tuple[int, str, str]  # (last token index, key, form)

_MAX_WORDS = 7
_IN = frozenset({"in", "im"})
_OF_THE = frozenset({"des", "der", "von"})  # a compass part of a region: «im Süden des Libanons»
_COUNTRY_CODE_LENGTH = 3  # ISO 3166 alpha-3: CAN, USA, AUT
# A German ADM2 unit is a Regierungsbezirk (~7,000 km²: «Gummersbach (Bezirk Köln)» lies 40 km
# from its point), ten times an Austrian or Swiss Bezirk.
_LARGE_DISTRICT_COUNTRIES = frozenset({"DE"})
_LARGE_DISTRICT_KM = 75.0
_KREIS_KM = 40.0  # a German Kreis (ADM3, ~1,200 km², the largest 5,500): its towns lie this near its point
_DISTRICT_KM = 25.0  # a town this near a district's point lies in it (Austrian, Swiss, German units carry no code)
_ROWS_CACHE_LIMIT = 200_000
_ROWS_KEPT = 25
# Lower-case words allowed inside a multi-word name (Frankfurt am Main, Stratford-upon-Avon).
PARTICLES = frozenset(
    "am an der dem den bei im in ob of on upon sur sous en de del della di da do dos das du la le les "
    "van von y i sankt st saint and und the au aux".split()  # Republic of the Congo, Port-au-Prince
) | ARABIC_ARTICLES | frozenset("ed es ez ibn bin abu".split())  # «Deir al-Balah», «Ras al-Ain», «Deir es-Sor»
# Abbreviated German link words, each written with its dot: «Waidhofen a. d. Ybbs», «Rothenburg
# o. d. Tauber», «St. Georgen b. Grieskirchen» (geo.normalize indexes these spellings).
_ABBREVIATED_LINKS = frozenset("a d o b".split())
_ELIDED = re.compile(r"^[dDlL]['’][A-ZÀ-Þ]")  # Côte d'Ivoire, Val d'Aosta: an elided particle before a name
# German adjectives and plurals inside a name: «den Vereinigten Arabischen Emiraten» is the
# Vereinigte Arabische Emirate, «den Niederlanden» the Niederlande (ending → nominative ending).
_GERMAN_INFLECTIONS = (("en", "e"), ("er", "e"), ("es", "e"), ("em", "e"))
# Longest first: "sudost" before "sud" (keys are normalised: Süd → sud).
_DIRECTION_PREFIXES = ("nordost", "nordwest", "sudost", "sudwest", "nord", "sud", "ost", "west", "ober", "unter")
_CIVIC_WORDS = frozenset(
    "council hall commission manager schools school attorney clerk police limits board government".split())
# A country's name before «gebiet» names its territory (Kamerungebiet, in den Kamerungebieten).
_TERRITORY_SUFFIXES = ("gebietes", "gebieten", "gebiets", "gebiete", "gebiet")
# (deutsch is the one country adjective not in -isch: «im deutschen Vaihingen», «bundesdeutsche»)
_ADJECTIVE_ENDINGS = ("isch", "ische", "ischen", "ischer", "isches", "ischem",
                      "deutsch", "deutsche", "deutschen", "deutscher", "deutsches", "deutschem")
_CITY_ADJECTIVE_POPULATION = 50_000  # "Minsker" alone: only a city this large has a known adjective


_VARIANTS_KEPT = 50_000  # words whose variants are kept across articles
_variants_of: dict[tuple[str, str, bool, str], tuple[tuple[str, str], ...]] = {}


_NO_GENITIVE_S = ("ss", "xs", "zs")  # a German name ending so takes no genitive s (die Reuss, des Laax)
# A landform's noun that English news writes in lower case after the name: "the Crimean
# peninsula", "the Gaza strip", "the Jordan valley"; it continues a name the index holds with it.
_LOWERCASE_LANDFORMS = frozenset(
    "peninsula river valley mountains sea lake island islands desert strait strip gulf bay canal delta plateau".split())
_GENITIVE_PRIOR = 4.0  # a genitive s is read off a town of 10,000 or more (Bachmuts), not off a hamlet (Saas → Saa)
_INFLECTED_MARGIN = 1.0  # an inflected reading wins over a place spelled as written only if ten times better known
_CLOSED_PART = 3  # letters the second word of a hyphenated compound needs (See)


# Nouns a town's genitive stands before: «in Schlotheims Ortsteil Hohenbergen», «Dientens
# Bürgermeister»; there a small town's genitive s is read too (elsewhere only a big one's).
_PARTS_OF_TOWN = frozenset(normalize(w) for w in """
    ortsteil ortsteile ortsteilen stadtteil stadtteile stadtteilen gemeindeteil ortschaft ortschaften
    bürgermeister bürgermeisterin gemeinderat stadtrat ortskern ortszentrum innenstadt altstadt
    einwohner einwohnerinnen feuerwehr pfarrkirche bahnhof umgebung nachbargemeinde
    """.split())


def _before_part_of_town(tokens: list[Token], k: int) -> bool:
    """Token k stands right before one of `_PARTS_OF_TOWN`, in its passage."""
    return (k + 1 < len(tokens) and tokens[k + 1].norm in _PARTS_OF_TOWN
            and tokens[k + 1].passage == tokens[k].passage)


def _closed_compound(gazetteer: Gazetteer, tokens: list[Token], i: int, lang: str) -> NameMatch | None:
    """«am Ufer des Kivu-Sees»: German may hyphenate a compound the index writes closed
    (Kivusee): the two words joined, as written or without a genitive s."""
    if lang == "en" or i + 2 >= len(tokens):
        return None
    hyphen, second = tokens[i + 1], tokens[i + 2]
    if not (hyphen.text in HYPHENS and hyphen.start == tokens[i].end and second.start == hyphen.end and second.is_word):
        return None
    if len(second.norm) < _CLOSED_PART:
        return None  # «Nacht-S-Bahn»: a letter is no word of a name
    closed = tokens[i].norm + second.norm
    for key in (closed, closed[:-1] if closed.endswith("s") else ""):
        if len(key) >= len(tokens[i].norm) + _CLOSED_PART and gazetteer.has_key(key):
            return i + 2, key, "name"
    return None


def variants(token: Token, lang: str) -> tuple[tuple[str, str], ...]:
    """Keys an inflected word may stand for, with the mention form they imply (kept by word)."""
    cache_key = (token.text, token.norm, token.cap, lang)
    found = _variants_of.get(cache_key)
    if found is None:
        if len(_variants_of) >= _VARIANTS_KEPT:
            _variants_of.clear()
        found = _variants_of[cache_key] = tuple(_variants(token.text, token.norm, token.cap, lang))
    return found


def _variants(word: str, norm: str, cap: bool, lang: str) -> list[tuple[str, str]]:
    """`variants` of a word, its key and whether it is capitalised."""
    out: list[tuple[str, str]] = []
    if len(norm) < 4:
        return out
    if word[-2:].lower() in ("'s", "’s"):  # Canada's, CAMBRIDGE'S
        out.append((normalize(word[:-2]), "name"))
    if norm.endswith("s") and not (lang != "en" and norm.endswith(_NO_GENITIVE_S)):
        # Russlands, Moskaus (genitive; but the Reuss, Laax are their own nominative); in English
        # only plural demonyms: Russians, not Riverbanks → Riverbank.
        form = "plural" if lang == "en" else "genitive"
        out.append((norm[:-1], form))
        if norm.endswith("es"):
            out.append((norm[:-2], form))
    if cap and norm.endswith("er") and lang != "en":
        # City adjectives: Minsker, Kiewer, Bremer (Bremen), Münchner (München), Basler (Basel)
        out.append((norm[:-2], "adjective"))
        out.append((norm[:-2] + "en", "adjective"))
        if norm.endswith("ner"):
            out.append((norm[:-3] + "en", "adjective"))
        if norm.endswith("ler"):
            out.append((norm[:-3] + "el", "adjective"))
    if cap and lang != "en":
        # Südlibanon, Nordsyrien, Ostpolens: a part of a country (only countries: Westberlin
        # is no Berlin of its own, Ostfriesland no Friesland).
        for prefix in _DIRECTION_PREFIXES:
            rest = norm[len(prefix):]
            if norm.startswith(prefix) and len(rest) >= 4:
                out.append((rest, "part"))
                if rest.endswith("s"):
                    out.append((rest[:-1], "part"))
                break
    if cap and lang != "en":
        # Kamerungebiet, des Saargebietes: a country's territory (only countries, as above)
        for suffix in _TERRITORY_SUFFIXES:
            rest = norm[: -len(suffix)]
            if norm.endswith(suffix) and len(rest) >= 4:
                out.append((rest, "part"))
                break
    if cap and lang != "en" and norm.endswith("en"):
        out.append((norm[:-1], "dative"))  # dative plural: (in den) Niederlanden, Emiraten
    if not cap or lang != "en":
        # russischen → russisch: only a key the index holds as an adjective (Olten is no
        # inflected «Olt», Baden no inflected «Bad»).
        for ending in ("en", "er", "es", "em", "e"):
            if norm.endswith(ending):
                out.append((norm[: -len(ending)], "inflected"))
                break
    return out


def _nominative_prefix(gazetteer: Gazetteer, key: str, word: str) -> str:
    """The key with its last word in the nominative, if only that form starts a longer name
    («vereinigten» → «vereinigte»: Vereinigte Arabische Emirate); else the key."""
    stem = key[: len(key) - len(word)]
    for ending, nominative in _GERMAN_INFLECTIONS:
        if word.endswith(ending):
            candidate = stem + word[: -len(ending)] + nominative
            if gazetteer.has_prefix(candidate + " "):
                return candidate
    return key


def may_be_adjective(token: Token) -> bool:
    """Lower-case words are only tried as adjectives (russischen, weissrussische)."""
    norm = token.norm
    return len(norm) >= 6 and norm.endswith(_ADJECTIVE_ENDINGS)


_SPACED_JOIN_PRIOR = 4.0  # a name spelled across a spaced dash must be this well known (a region, a town of 10,000)


def _spaced(tokens: list[Token], k: int) -> bool:
    """Token k (a dash) has a space on both sides."""
    return 0 < k < len(tokens) - 1 and tokens[k - 1].end < tokens[k].start and tokens[k].end < tokens[k + 1].start


_NUMBER_SIGNS = frozenset({"no", "nos", "nr", "nrn"})  # "No. 16", «Nr. 5»: the numero sign, not Norway


def _number_sign(tokens: list[Token], k: int) -> bool:
    """Token k is an abbreviation for «number» before a figure ("District of Ohio, No. 16-cr")."""
    return (tokens[k].norm in _NUMBER_SIGNS and k + 2 < len(tokens) and tokens[k + 1].text == "."
            and tokens[k + 2].text[:1].isdigit())


def _article_of_a_name(tokens: list[Token], i: int, last: int) -> bool:
    """Token i is a short capitalised word (not in capitals, no dot) that starts a longer name,
    not a state's code: "Sanaa, Al Masirah TV said", "Tunis, La Presse reported" (AL, LA)."""
    word = tokens[i]
    k = last + 1
    return (i == last and len(word.text) <= 3 and not word.text.isupper() and k < len(tokens)
            and tokens[k].is_word and tokens[k].cap and tokens[k].start == word.end + 1
            and tokens[k].passage == word.passage)


def _courtesy_title(tokens: list[Token], i: int, last: int) -> bool:
    """Token i is a title before a person's name, not a state: "in Iran, Ms. Moayyad and her
    husband moved" (Ms. is also Mississippi's postal code)."""
    k = last + 1
    while k < len(tokens) and tokens[k].text == ".":
        k += 1
    return (i == last and tokens[i].norm in PERSON_TITLES and k < len(tokens) and tokens[k].is_word
            and tokens[k].cap and tokens[k].passage == tokens[i].passage)


def _abbreviated_link(tokens: list[Token], k: int) -> bool:
    """ «a.» in «Waidhofen a. d. Ybbs»: an abbreviated link word, its dot right after it."""
    return (tokens[k].norm in _ABBREVIATED_LINKS and k + 1 < len(tokens) and tokens[k + 1].text == "."
            and tokens[k + 1].start == tokens[k].end)


class Names:
    """The gazetteer as the recogniser asks it: ranked rows (cached), longest names, kinds."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._rows_cache: dict[tuple[str, bool, str], list[tuple[int, float]]] = {}
        self._postings_cache: dict[str, tuple[tuple[tuple[int, int], ...], frozenset[int]]] = {}

    def rows(self, key: str, allow_codes: bool, lang: str = "") -> list[tuple[int, float]]:
        """The entries a key can mean, best first, with their prior (at most 25)."""
        cache_key = (key, allow_codes, lang)
        rows = self._rows_cache.get(cache_key)
        if rows is None:
            if len(self._rows_cache) > _ROWS_CACHE_LIMIT:
                self._rows_cache.clear()  # a long-running server stays bounded
            rows = self.gazetteer.ranked_rows(key, allow_codes=allow_codes, text_lang=lang)[:_ROWS_KEPT]
            self._rows_cache[cache_key] = rows
        return rows

    def _postings_of(self, key: str) -> tuple[tuple[tuple[int, int], ...], frozenset[int]]:
        found = self._postings_cache.get(key)
        if found is None:
            if len(self._postings_cache) > _ROWS_CACHE_LIMIT:
                self._postings_cache.clear()
            postings = tuple(self.gazetteer.postings(key))
            found = self._postings_cache[key] = postings, frozenset(t for _, t in postings)
        return found

    def postings(self, key: str) -> tuple[tuple[int, int], ...]:
        """(entry row, NameType) of every entry a key names, in stored order (kept by key)."""
        return self._postings_of(key)[0]

    def name_types(self, key: str) -> frozenset[int]:
        """The NameTypes of a key's postings (kept by key)."""
        return self._postings_of(key)[1]

    def _inflection_wins(self, inflected: str, written: str) -> bool:
        """Read an inflected German word as `inflected` rather than as the place spelled `written`: when
        that place is ten times less known (a hamlet «Russlands»), or the written key names only
        places the inflected one names too («Londons», an alternate name of London)."""
        prior, written_prior = self.top_prior(inflected), self.top_prior(written)
        if prior > written_prior + _INFLECTED_MARGIN:
            return True
        if prior < written_prior:
            return False
        inflected_rows = {row for row, _ in self.rows(inflected, allow_codes=False)}
        return all(row in inflected_rows for row, _ in self.rows(written, allow_codes=False))

    def _only_abbreviated(self, key: str) -> bool:
        """A key the index holds only as a code or abbreviation (WI, Ky.)."""
        types = self.name_types(key)
        return bool(types) and all(t in (NameType.CODE, NameType.ABBR) for t in types)

    def top_prior(self, key: str) -> float:
        """The prior of the best entry a key names (-1 if none)."""
        rows = self.rows(key, allow_codes=False)
        return rows[0][1] if rows else -1.0

    def is_place_word(self, token: Token, prior: float = WELL_KNOWN_PRIOR) -> bool:
        """A capitalised word that names a place at least this well known."""
        return self.top_prior(token.norm) >= prior

    def _has_parts(self, row: int) -> bool:
        """A country or first-level region, whose parts German names by a compass or height
        prefix (Südlibanon, Nordhessen, Obersteiermark); a town's are its own places (Westberlin)."""
        kind = self.gazetteer.kind_of(row)
        return kind == "country" or kind == "region" and self.gazetteer.value("feature", row) == "ADM1"

    def is_adjective_of(self, key: str, row: int) -> bool:
        return any(r == row and t == NameType.ADJ for r, t in self.postings(key))

    def is_city_adjective(self, rows: list[tuple[int, float]]) -> bool:
        """The best entry is a city large enough for its adjective to stand alone (Minsker)."""
        row, _ = rows[0]
        return (self.gazetteer.kind_of(row) == "city"
                and self.gazetteer.population_of(row) >= _CITY_ADJECTIVE_POPULATION)

    def is_abbreviation(self, key: str, article: Article, last: Token) -> bool:
        """A dotted state or province abbreviation (Ky., Ga.), known to the index as such."""
        dotted = article.text[last.end:last.end + 1] == "."
        return dotted and NameType.ABBR in self.name_types(key)

    def qualifier(self, tokens: list[Token], j: int, lang: str) -> str:
        """The region or country named right after a comma (Paris, Texas; Frankfort, Ky.), or the
        canton a Swiss canton code right after the name names (Buchs SG, Wil ZH)."""
        if (lang == "de" and j + 1 < len(tokens) and tokens[j + 1].text in SWISS_CANTON_CODES
                and tokens[j + 1].start == tokens[j].end + 1 and tokens[j + 1].passage == tokens[j].passage):
            return SWISS_CANTON_CODES[tokens[j + 1].text]
        if j + 2 >= len(tokens) or tokens[j + 1].text != "," or not tokens[j + 2].cap:
            return ""
        match = self.longest_name(tokens, j + 2, lang)
        if (match is None or _courtesy_title(tokens, j + 2, match[0]) or _number_sign(tokens, j + 2)
                or _article_of_a_name(tokens, j + 2, match[0])):
            return ""
        key = match[1]
        rows = self.rows(key, allow_codes=False)
        if rows and self.gazetteer.kind_of(rows[0][0]) in ("country", "region"):
            return key
        return ""

    def region_after_in(self, tokens: list[Token], j: int, lang: str) -> str:
        """The region or country named after «in»/«im» right after token j, with an optional
        region noun between (Salem in Massachusetts; Florence im US-Bundesstaat Alabama; Troy, in
        Rensselaer County), or a compass part of it («Hula im Süden des Libanons»)."""
        k = j + 1
        if k < len(tokens) and tokens[k].text == ",":
            k += 1
        if k >= len(tokens) or tokens[k].norm not in _IN or tokens[k].passage != tokens[j].passage:
            return ""
        k += 1
        if (k + 2 < len(tokens) and tokens[k].norm in DIRECTIONS and tokens[k + 1].norm in _OF_THE
                and tokens[k + 1].passage == tokens[j].passage):
            k += 2  # «im Süden des Libanons», «im Norden von Syrien»
        noun = None
        if k + 2 < len(tokens) and tokens[k + 1].text in HYPHENS and tokens[k + 2].norm in REGION_NOUNS:
            k += 3  # US-Bundesstaat
        elif k < len(tokens) and tokens[k].norm in REGION_NOUNS:
            noun, k = k, k + 1
        if k >= len(tokens) or not tokens[k].cap:
            return ""
        # «im Bezirk Lienz»: the district's own name with its noun first, else the name alone
        match = (self.longest_name(tokens, noun, lang) if noun is not None else None) or self.longest_name(tokens, k, lang)
        if match is None:
            return ""
        regions = self.gazetteer.ranked_rows(match[1], kinds={"country", "region"}, allow_codes=False)
        return match[1] if regions else ""  # New York: the state too, not only the city

    def region_in_brackets(self, tokens: list[Token], j: int, lang: str) -> str:
        """The region or country named in brackets right after token j: «Eichstätt (Bayern)»,
        «Montpellier (Frankreich)», «Lake Louise (CAN)» (a country's key for its code)."""
        k = j + 1
        if not (k + 2 < len(tokens) and tokens[k].text == "(" and tokens[k + 1].cap
                and tokens[k + 1].passage == tokens[j].passage):
            return ""
        inside = tokens[k + 1]
        if len(inside.text) == _COUNTRY_CODE_LENGTH and inside.text.isalpha() and tokens[k + 2].text == ")":
            # «Lake Louise (Can)», «Beaver Creek (USA)»: a country's three-letter code, as sports results write it
            countries = self.gazetteer.ranked_rows(inside.norm, kinds={"country"}, allow_codes=True)
            if countries:
                return normalize(self.gazetteer.value("name", countries[0][0]))
        match = self.longest_name(tokens, k + 1, lang)
        if match is None or match[0] + 1 >= len(tokens) or tokens[match[0] + 1].text != ")":
            return ""
        regions = self.gazetteer.ranked_rows(match[1], kinds={"country", "region"}, allow_codes=False)
        return match[1] if regions else ""

    def holds(self, region_key: str, rows: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """The entries among `rows` that lie in a region or country the key can mean (by admin-1
        or admin-2 code, or country)."""
        gazetteer = self.gazetteer
        scopes: set[str] = set()
        districts = []  # second-level units whose towns carry no code of them: by distance
        for row, _ in gazetteer.ranked_rows(region_key, kinds={"country", "region"}, allow_codes=False)[:5]:
            scopes.add(gazetteer.value("country", row) if gazetteer.kind_of(row) == "country"
                       else gazetteer.value("id", row))
            feature = gazetteer.value("feature", row)
            if feature == "ADM2":
                reach = _LARGE_DISTRICT_KM if gazetteer.value("country", row) in _LARGE_DISTRICT_COUNTRIES else _DISTRICT_KM
                districts.append((gazetteer.point_of(row), reach))
            elif feature == "ADM3":  # a German Kreis
                districts.append((gazetteer.point_of(row), _KREIS_KM))
        return [(r, p) for r, p in rows
                if gazetteer.value("admin1", r) in scopes or gazetteer.value("country", r) in scopes
                or gazetteer.value("admin2", r) in scopes
                or any(haversine_km(*gazetteer.point_of(r), *point) <= reach for point, reach in districts)]

    def city_of_council(self, tokens: list[Token], match: NameMatch) -> bool:
        """ "Dublin City Council", "Springfield City Hall": the town, not a place called "… City"
        (but Kansas City Council is Kansas City's)."""
        last, key, _ = match
        if not key.endswith(" city") or last + 1 >= len(tokens) or tokens[last + 1].norm not in _CIVIC_WORDS:
            return False
        rows = self.rows(key, allow_codes=False)
        if not rows:
            return False
        row = rows[0][0]
        own_name = any(r == row and t == NameType.NAME for r, t in self.postings(key))
        return not (own_name and self.gazetteer.kind_of(row) == "city")

    def starts_multiword_place(self, tokens: list[Token], i: int) -> bool:
        """A multi-word place name starts at token i (Red Deer, Monroe County)."""
        match = self.longest_name(tokens, i, "en")
        return match is not None and match[0] > i and match[2] == "name"

    def longest_name(self, tokens: list[Token], i: int, lang: str,
                     last_allowed: int | None = None) -> NameMatch | None:
        """(last token index, key, form) of the longest gazetteer name starting at token i
        (ending at `last_allowed` at the latest)."""
        first = tokens[i]
        if not first.cap and not may_be_adjective(first):
            return None
        gazetteer = self.gazetteer
        best = None
        key = first.norm
        last = i
        words = 1
        while True:
            token = tokens[last]
            found = None
            if gazetteer.has_key(key) and (token.cap or last == i or token.norm not in PARTICLES):
                found = (last, key, "name")
            prefix = key[: len(key) - len(token.norm)]
            for variant, form in variants(token, lang):
                if form in ("plural", "inflected"):
                    if NameType.ADJ not in self.name_types(prefix + variant):
                        continue
                    form = "name" if form == "plural" else "adjective"
                elif form == "dative":
                    # Only a country or region's plural name (die Niederlande): Baden is no
                    # dative of Bade, a town in Taiwan.
                    rows = self.rows(prefix + variant, allow_codes=False)
                    if not rows or gazetteer.kind_of(rows[0][0]) not in ("country", "region"):
                        continue
                    form = "name"
                elif form == "part":
                    rows = self.rows(prefix + variant, allow_codes=False) if not prefix else []
                    if found is not None or not rows or not self._has_parts(rows[0][0]):
                        continue
                if form == "genitive":
                    if (self.top_prior(prefix + variant) < _GENITIVE_PRIOR and not prefix
                            and not _before_part_of_town(tokens, last)):
                        continue
                    form = "name"
                if variant and gazetteer.has_key(prefix + variant) and not self._only_abbreviated(prefix + variant):
                    # Canada's, Russlands: the inflected form wins over a hamlet spelled that way
                    # (an abbreviation is never inflected: «Wies» is no genitive of WI, Wisconsin)
                    # (but Laas, a village, stays Laas, not Laa an der Thaya).
                    if found is None or (self.top_prior(prefix + variant) > self.top_prior(found[1]) if lang == "en"
                                         else self._inflection_wins(prefix + variant, found[1])):
                        found = (last, prefix + variant, form)
                    break
            if found is not None:
                best = found
            if words < _MAX_WORDS and lang != "en" and not gazetteer.has_prefix(key + " "):
                key = _nominative_prefix(gazetteer, key, token.norm)
            if words >= _MAX_WORDS or not gazetteer.has_prefix(key + " "):
                break
            nxt = last + 1
            if (nxt + 2 < len(tokens) and tokens[nxt].text == "(" and tokens[nxt + 1].is_word
                    and tokens[nxt + 2].text == ")" and gazetteer.has_key(f"{key} ({tokens[nxt + 1].norm})")):
                # «Frankfurt (Oder)»: the bracket is part of the name
                key, last = f"{key} ({tokens[nxt + 1].norm})", nxt + 2
                best = (last, key, "name")
                break
            if nxt < len(tokens) and tokens[nxt].text in (".", "'") and tokens[nxt].start == tokens[last].end:
                nxt += 1  # St. Petersburg, U.S.
            if nxt < len(tokens) and tokens[nxt].text in HYPHENS:
                if (_spaced(tokens, nxt) and nxt + 1 < len(tokens)
                        and self.top_prior(key + " " + tokens[nxt + 1].norm) < _SPACED_JOIN_PRIOR):
                    break  # «Stalden - Saas-Grund»: a spaced dash joins two places (but «Elsass - Lothringen» in OCR)
                nxt += 1  # Baden-Württemberg, Unionsstaat Weissrussland-Russland
            if (nxt >= len(tokens) or not tokens[nxt].is_word or tokens[nxt].passage != first.passage
                    or last_allowed is not None and nxt > last_allowed):
                break
            if (not tokens[nxt].cap and tokens[nxt].norm not in PARTICLES and not _ELIDED.match(tokens[nxt].text)
                    and not _abbreviated_link(tokens, nxt)
                    and not (tokens[nxt].norm in _LOWERCASE_LANDFORMS and gazetteer.has_key(key + " " + tokens[nxt].norm))):
                break
            key = key + " " + tokens[nxt].norm
            last = nxt
            words += 1
        if best is None or best[0] == i:
            best = _closed_compound(gazetteer, tokens, i, lang) or best
        return best
