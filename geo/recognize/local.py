"""Local places no offline gazetteer holds, placed at the town the text puts them in.

«Der Bereich Dreibrücken in Diepoldsau», «das Einkaufszentrum Rheinpark in St. Margrethen»,
«den Kesselbach in Altstätten», «im Köditzer Ortsteil Brunn»: a name the index lacks, which a
noun or its own last part says is a place (a town part, a shopping centre, a stream), and a
known town the sentence says it lies in. The mention is kept as a generic one (`LOCAL`) with
that town as its anchor; the resolver places it at the town's point and says so
(`geo.resolve._local_place`): an approximate position, not a surveyed one.
"""

from __future__ import annotations

from geo.lexicon import DETERMINERS, LIST_JOINERS, STOPWORDS, word_frequencies
from geo.models import Article, RawMention
from geo.recognize.names import Names, variants
from geo.recognize.tokens import HYPHENS, Token

__all__ = ["LOCAL", "LOCAL_NOUNS", "LOCAL_ENDINGS", "local_place", "local_part"]

LOCAL = "LOCAL"  # the generic code of a local place (RawMention.generic)

# Nouns before a name that say what kind of local place it is. A part of a town («die
# Stadtteile Stiepel und Weitmar») may take the town the text spoke of last as its anchor;
# the others need a town named beside them.
_PART_NOUNS = frozenset(
    """
    ortsteil ortsteils ortsteile ortsteilen stadtteil stadtteils stadtteile stadtteilen gemeindeteil gemeindeteils
    gemeindeteile gemeindeteilen vorort vororts vororte vororten vorstadt ortschaftsbereich fraktion
    """.split()
)
LOCAL_NOUNS: dict[str, str] = {
    **{noun: "city" for noun in _PART_NOUNS},
    **{noun: "city" for noun in "ort ortes weiler weilers dorf dorfes dörfer dörfern siedlung quartier viertel bereich "
                                "hamlet suburb neighborhood neighbourhood".split()},
    **{noun: "facility" for noun in "einkaufszentrum einkaufszentrums kloster klosters bahnhof bahnhofs schule spital "
                                    "krankenhaus klinik stadion kirche moschee hotel flüchtlingslager lager camp "
                                    "mall monastery school hospital".split()},
}
# Last parts of a German name that say what it names: «Kesselbach», «Obertrumersee», «Ava-Brücke».
LOCAL_ENDINGS: tuple[tuple[str, str], ...] = (
    ("bachs", "other"), ("bach", "other"), ("sees", "other"), ("see", "other"),
    ("brücke", "facility"), ("turms", "facility"), ("turm", "facility"), ("schule", "facility"),
)
_ANCHOR_WORDS = frozenset("in im bei beim nahe von vom near".split())  # «Dreibrücken in Diepoldsau»
_DISTRICT_WORDS = frozenset("kreis landkreis bezirk".split())  # «Neuhengstett im Kreis Calw»: the district's town
_ANCHOR_REACH = 3  # words between the name and «in»
_LAST_TOWN_PASSAGES = 4  # sentences back the town of «die Stadtteile X und Y» may have been named
_WORD_ZIPF = 3.0  # a word this frequent is a word (Bereich, Zentrum), not an unknown name
_PART_KM = 30.0  # a town part lies this near its town: a namesake farther away is another place
_NAME_WORDS = 3  # words a local name may have (Zürich Tiefenbrunnen; hyphenated parts count once)


def local_place(tokens: list[Token], i: int, article: Article, names: Names,
                mentions: list[RawMention]) -> tuple[list[RawMention], int] | None:
    """The local places a name the index lacks starts at token i (a list after a part noun
    gives several: «die Stadtteile Stiepel und Weitmar»), and the index of the last token."""
    if not _unknown_name_start(tokens, i, article, names):
        return None
    last = _name_end(tokens, i)
    prev = tokens[i - 1] if i > 0 and tokens[i - 1].passage == tokens[i].passage else None
    kind = LOCAL_NOUNS.get(prev.norm, "") if prev is not None and prev.is_word else ""
    noun = prev.norm if kind else ""
    if not kind:
        kind = _kind_by_ending(article.text[tokens[i].start:tokens[last].end].lower())
    if not kind and not _said_after(tokens, last):
        return None
    items = [(i, last)]
    k = last + 1
    while noun in _PART_NOUNS and k + 1 < len(tokens) and tokens[k].norm in LIST_JOINERS | {","}:
        if not _unknown_name_start(tokens, k + 1, article, names):
            break
        end = _name_end(tokens, k + 1)
        items.append((k + 1, end))
        k = end + 1
    anchor_key, said = _anchor_after(tokens, items[-1][1], names)
    kind = LOCAL_NOUNS.get(said, kind)  # «Birgsau, einem Gemeindeteil von Oberstdorf»: a village
    if not anchor_key and noun:
        anchor_key = _town_adjective(tokens, i - 1, names) or (
            _last_town(tokens[i].passage, mentions, names) if noun in _PART_NOUNS else "")
    if not anchor_key:
        return None
    found = []
    for start, end in items:
        first, final = tokens[start], tokens[end]
        text = article.text[first.start:final.end]
        found.append(RawMention(first.start, final.end, text, first.passage, _key(text), "generic", [], 0.0,
                                cue=kind, generic=LOCAL, anchor_key=anchor_key))
    return found, items[-1][1]


def _key(text: str) -> str:
    from geo.normalize import normalize

    return normalize(text)


def _unknown_name_start(tokens: list[Token], i: int, article: Article, names: Names) -> bool:
    """Token i is a capitalised word mid-sentence that is no frequent word and starts no name
    the index holds."""
    if i >= len(tokens):
        return False
    token = tokens[i]
    if not (token.is_word and token.cap) or token.sentence_start or token.text.isupper():
        return False
    if token.norm in STOPWORDS or token.norm in DETERMINERS:
        return False
    if word_frequencies(article.lang).get(token.norm, 0.0) >= _WORD_ZIPF:
        return False
    return names.longest_name(tokens, i, article.lang) is None


def _name_end(tokens: list[Token], i: int) -> int:
    """The last token of a name starting at i: hyphenated parts joined without spaces
    («Fachura-Schule»)."""
    k = i
    while (k + 2 < len(tokens) and tokens[k + 1].text in HYPHENS and tokens[k + 1].start == tokens[k].end
           and tokens[k + 2].start == tokens[k + 1].end and tokens[k + 2].is_word and k - i < 2 * _NAME_WORDS):
        k += 2
    return k


def _said_after(tokens: list[Token], last: int) -> bool:
    """A place noun follows the name within a few words («Birgsau, einem Gemeindeteil von …»)."""
    passage = tokens[last].passage
    return any(t.passage == passage and t.norm in LOCAL_NOUNS
               for t in tokens[last + 1:last + 2 + _ANCHOR_REACH])


def _kind_by_ending(name: str) -> str:
    for ending, kind in LOCAL_ENDINGS:
        if name.endswith(ending) and len(name) >= len(ending) + 3:
            return kind
    return ""


def _town_key(tokens: list[Token], k: int, names: Names) -> str:
    """The key of a town named at token k (its own key or an inflected form), or ''."""
    if not (0 <= k < len(tokens)) or not tokens[k].is_word or not tokens[k].cap:
        return ""
    match = names.longest_name(tokens, k, "de")
    keys = [match[1]] if match is not None else []
    keys += [v for v, form in variants(tokens[k], "de") if form == "name"]
    for key in keys:
        rows = names.rows(key, allow_codes=False)
        if rows and names.gazetteer.kind_of(rows[0][0]) == "city":
            return key
    return ""


def _anchor_after(tokens: list[Token], last: int, names: Names) -> tuple[str, str]:
    """«Dreibrücken in Diepoldsau», «Einödsbach, einem Gemeindeteil von Oberstdorf», «Neuhengstett
    im Kreis Calw»: the key of a town after «in/bei/von» within a few words of the name, and the
    place noun said between them ('' for none)."""
    passage = tokens[last].passage
    said = ""
    for k in range(last + 1, min(len(tokens), last + 2 + _ANCHOR_REACH)):
        token = tokens[k]
        if token.passage != passage or token.text in ".;:!?":
            break
        if token.norm in LOCAL_NOUNS:
            said = token.norm
        if token.norm in _ANCHOR_WORDS:
            nxt = k + 1
            if nxt < len(tokens) and tokens[nxt].norm in _DISTRICT_WORDS:
                nxt += 1
            return _town_key(tokens, nxt, names), said
    return "", said


def _town_adjective(tokens: list[Token], k: int, names: Names) -> str:
    """«im Köditzer Ortsteil Brunn»: the town whose adjective stands before the part noun."""
    k -= 1
    if k < 0 or not tokens[k].cap or not tokens[k].norm.endswith("er"):
        return ""
    for key, form in variants(tokens[k], "de"):
        if form == "adjective":
            rows = names.rows(key, allow_codes=False)
            if rows and names.gazetteer.kind_of(rows[0][0]) == "city":
                return key
    return ""


def _last_town(passage: int, mentions: list[RawMention], names: Names) -> str:
    """The town the text named last, in this passage or shortly before (the town whose parts
    «die südlichen Stadtteile» are)."""
    for m in reversed(mentions):
        if passage - m.passage > _LAST_TOWN_PASSAGES:
            return ""
        if m.form == "name" and m.rows and names.gazetteer.kind_of(m.rows[0][0]) == "city":
            return m.key
    return ""


def local_part(tokens: list[Token], i: int, last: int, article: Article, names: Names,
               mentions: list[RawMention]) -> RawMention | None:
    """«im Köditzer Ortsteil Brunn»: a name the index holds, said to be a part of a town, none of
    whose entries lies near that town (Brunn is also Brno's German name): a local place there."""
    prev = tokens[i - 1] if i > 0 and tokens[i - 1].passage == tokens[i].passage else None
    if prev is None or prev.norm not in _PART_NOUNS:
        return None
    anchor_key, _ = _anchor_after(tokens, last, names)
    anchor_key = anchor_key or _town_adjective(tokens, i - 1, names) or _last_town(tokens[i].passage, mentions, names)
    if not anchor_key:
        return None
    from geo.gazetteer import haversine_km

    gazetteer = names.gazetteer
    town = names.rows(anchor_key, allow_codes=False)[0][0]
    lat, lon = gazetteer.point_of(town)
    first, final = tokens[i], tokens[last]
    text = article.text[first.start:final.end]
    for row, _ in names.rows(_key(text), allow_codes=False):
        if haversine_km(lat, lon, *gazetteer.point_of(row)) <= _PART_KM:
            return None
    return RawMention(first.start, final.end, text, first.passage, _key(text), "generic", [], 0.0,
                      cue="city", generic=LOCAL, anchor_key=anchor_key)
