"""Persons: the words of an article that belong to people's names (no place is read there)."""

from __future__ import annotations

from geo.gazetteer import FAMOUS_PRIOR, MAJOR_PRIOR
from geo.lexicon import ARABIC_ARTICLES, PERSON_TITLES, STOPWORDS
from geo.normalize import normalize
from geo.recognize.names import Names
from geo.recognize.tokens import HYPHENS, Token, joins_compound

__all__ = ["person_positions"]

_SURNAME_WORDS = 3  # at most this many capitalised words after a first name or title
_SURNAME_LETTERS = 3  # a word after an initial this long is a surname (not «N. Y.»)
# Nobiliary particles: «Graf von Bismarck», «Fürst zu Fürstenberg», «Erich vom Stein»; «von der
# Leyen», «von und zu Guttenberg» take a link word.
_PARTICLES = frozenset({"von", "zu", "vom"})
_PARTICLE_LINKS = frozenset({"der", "und", "zu"})
_TITLE_ENDINGS = ("en", "n", "s", "es")  # inflected titles: des Fürsten, den Grafen, des Herzogs
# Offices of a town, district, region or state: «der Bürgermeister von Villach» is its mayor, «der
# Gouverneur von Charkiw» its oblast's governor, never a house «von Villach» or «von Charkiw»
_PLACE_OFFICES = frozenset(normalize(w) for w in """
    bürgermeister bürgermeisterin oberbürgermeister oberbürgermeisterin landrat landrätin gemeindepräsident
    gemeindepräsidentin stadtpräsident stadtpräsidentin ortsvorsteher ortsvorsteherin bezirkshauptmann
    bezirkshauptfrau gemeindeammann stadtammann mayor
    gouverneur gouverneurin regionalgouverneur regionalgouverneurin militärgouverneur provinzgouverneur
    gebietsgouverneur landeshauptmann landeshauptfrau ministerpräsident ministerpräsidentin präfekt präfektin
    regierungspräsident regierungspräsidentin statthalter statthalterin stadtkommandant
    """.split())
_PLACE_BEFORE_PARTICLE = 4.0  # a first name naming a place this well known is the place (Wallis 4.7, Otto 2.5)
_STATES = frozenset({"country", "region", "historical", "continent"})  # «König von Preußen» rules a place


def person_positions(tokens: list[Token], names: Names, first_names: frozenset[str],
                     common_words: frozenset[str], lang: str = "en") -> set[int]:
    """Token positions that belong to person names, including surnames seen elsewhere.

    "Präsident Wladimir Putin … Putins Besuch": a first name, title or (German) initial and the
    capitalised words after it (not "Alberta Health Services": Health is a word; not "Jenny Palma" if Palma were
    a famous place); a titled word that names no well-known place (Präsident Macron).
    """
    positions: set[int] = set()
    surnames: set[str] = set()
    n = len(tokens)
    capitalised: list[int] = []  # the tokens each step reads, found in one pass
    particles: list[int] = []
    for i, token in enumerate(tokens):
        if token.cap:
            capitalised.append(i)
        elif token.norm in _PARTICLES:
            particles.append(i)
    for i in capitalised:
        token = tokens[i]
        if not token.is_word:
            continue  # «Ⅷ»: upper case, but no letter
        titled = i > 0 and tokens[i - 1].norm in PERSON_TITLES or (
            i > 1 and tokens[i - 1].text == "." and tokens[i - 2].norm in PERSON_TITLES) or (
            lang == "de" and _after_initial(tokens, i)) or _after_titled_article(tokens, i)
        # "The" is a name too; «AD Saarbrücken» (Autobahndreieck), "AL" are abbreviations: news
        # writes no first name in capitals
        is_first = token.norm in first_names and token.norm not in STOPWORDS and not _abbreviation(token)
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
    for k in particles:
        run = _noble_surname(tokens, k, names, first_names)
        if run:
            positions.update(run)
            surnames.add(tokens[run[-1]].norm)
    for k in sorted(positions):  # double-barrelled: «Prinz Schönburg-Hartenstein», «Wiedebach⸗ Nostitz»
        while joins_compound(tokens, k + 1) and tokens[k + 2].cap and tokens[k + 2].passage == tokens[k].passage:
            k += 2
            positions.add(k)
            surnames.add(tokens[k].norm)
    if surnames:
        genitives = {s + "s" for s in surnames}
        for i in capitalised:
            if tokens[i].norm in surnames or tokens[i].norm in genitives:
                positions.add(i)
    return positions


def _abbreviation(token: Token) -> bool:
    """A word of two or more capitals only (AD, AS, JFK): an abbreviation, no first name."""
    return len(token.text) > 1 and token.text.isupper()


def _after_titled_article(tokens: list[Token], i: int) -> bool:
    """«Gouverneur al-Bakur», "President al-Sisi": an Arabic name's article after a title."""
    return (i > 2 and tokens[i - 1].text in HYPHENS and tokens[i - 1].start == tokens[i - 2].end
            and tokens[i - 2].norm in ARABIC_ARTICLES and tokens[i - 3].norm in PERSON_TITLES)


def _after_initial(tokens: list[Token], i: int) -> bool:
    """«Ingenieur C. Jensen», «die Weinfirma W. Schlieben»: in German a capital letter and its dot
    before a word are a first name's initial (English abbreviates directions so: W. Main St.), but
    not the end of «Frankfurt a. M.»."""
    initial = tokens[i - 2] if i > 1 else None
    if not (initial is not None and tokens[i - 1].text == "." and len(initial.text) == 1 and initial.text.isupper()
            and initial.passage == tokens[i].passage and len(tokens[i].norm) >= _SURNAME_LETTERS):
        return False
    # «Frankfurt a. M. Freiberg»: the letter ends a town's abbreviated name, after a lower-case link
    return not (i > 3 and tokens[i - 3].text == "." and tokens[i - 4].is_word and not tokens[i - 4].cap)


def _is_title(norm: str) -> bool:
    """A title before a name, also inflected (des Fürsten, dem Grafen, des Botschafters)."""
    return norm in PERSON_TITLES or any(norm.endswith(e) and norm[:-len(e)] in PERSON_TITLES for e in _TITLE_ENDINGS)


def _noble_surname(tokens: list[Token], k: int, names: Names, first_names: frozenset[str]) -> list[int]:
    """The surname after a nobiliary particle at k that follows a title or a first name:
    «Botschafter von Hassell», «Fürst zu Fürstenberg», «Erich von Bibow» (villages named so), but
    «König von Preußen», «Botschafter von Frankreich»: after «von» a state, a region or a large
    city is the place the title is of; after «zu» a country or a large city."""
    before = tokens[k - 1] if k >= 1 else None
    if before is None or not before.is_word or before.passage != tokens[k].passage or _is_place_office(before.norm):
        return []
    if not (_is_title(before.norm) or _is_first_name(before, first_names) and not names.is_place_word(before, _PLACE_BEFORE_PARTICLE)
            and not (k >= 2 and _is_first_name(tokens[k - 2], first_names))):
        # «der Kaufmann Richard Heinrich zu Berlin»: a first name after a first name is a surname;
        # «im Wallis vom Grossen St. Bernhard»: a first name that is also a known place is the place
        return []
    m = k + 1
    while m < len(tokens) and tokens[m].norm in _PARTICLE_LINKS and not tokens[m].cap and m - k <= 2:
        m += 1
    if not (m < len(tokens) and tokens[m].is_word and tokens[m].cap and tokens[m].passage == tokens[k].passage
            and tokens[m].norm not in STOPWORDS):
        return []
    run = [m]  # one word (German nouns follow: «von Bismarcks Rede»), or a compound of two
    while joins_compound(tokens, run[-1] + 1) and tokens[run[-1] + 2].cap and len(run) < _SURNAME_WORDS:
        run.append(run[-1] + 2)
    rows = names.rows(tokens[run[0]].norm, allow_codes=False)
    if not rows:
        return run
    kind, prior = names.gazetteer.kind_of(rows[0][0]), rows[0][1]
    if kind == "country" or kind == "city" and prior >= MAJOR_PRIOR:
        return []  # «Botschafter von Frankreich», «Heinrich zu Berlin» (zu: in, in old usage)
    if tokens[k].norm != "zu" and (kind in _STATES or prior >= MAJOR_PRIOR):
        return []  # «König von Preußen»; but «Fürst zu Hohenlohe» is a house, named after its land
    return run


def _is_place_office(norm: str) -> bool:
    """«der Bürgermeisterin», «des Landrats», «des Gouverneurs»: an office of a place, also inflected."""
    return norm in _PLACE_OFFICES or any(norm.endswith(e) and norm[:-len(e)] in _PLACE_OFFICES for e in _TITLE_ENDINGS)


def _is_first_name(token: Token, first_names: frozenset[str]) -> bool:
    return token.is_word and token.cap and token.norm in first_names and token.norm not in STOPWORDS
