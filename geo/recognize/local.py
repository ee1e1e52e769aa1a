"""Local places no offline gazetteer holds, placed at the town the text puts them in.

«Der Bereich Dreibrücken in Diepoldsau», «das Einkaufszentrum Rheinpark in St. Margrethen»,
«den Kesselbach in Altstätten», «im Köditzer Ortsteil Brunn», «In Diepoldsau stand der Bereich
Dreibrücken unter Wasser»: a name the index lacks, which a noun or its own last part says is a
place (a town part, a shopping centre, a stream), and a known town the sentence says it lies in
(after the name, or before it in the same sentence when a noun says what the name is). The mention is kept as a generic one (`LOCAL`) with
that town as its anchor; the resolver places it at the town's point and says so
(`geo.resolve._local_place`): an approximate position, not a surveyed one.
"""

from __future__ import annotations

import math

from geo.gazetteer import WELL_KNOWN_PRIOR, haversine_km
from geo.lexicon import DETERMINERS, LIST_JOINERS, STOPWORDS, word_frequencies
from geo.models import Article, RawMention
from geo.normalize import normalize
from geo.recognize.names import Names, variants
from geo.recognize.tokens import HYPHENS, Token

__all__ = ["LOCAL", "LOCAL_NOUNS", "LOCAL_ENDINGS", "local_place", "local_known"]

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
LOCAL_NOUNS: dict[str, str] = {normalize(noun): kind for noun, kind in {
    **{noun: "city" for noun in _PART_NOUNS},
    **{noun: "city" for noun in "ort ortes weiler weilers dorf dorfes dörfer dörfern siedlung quartier viertel bereich "
                                "hamlet suburb neighborhood neighbourhood".split()},
    **{noun: "facility" for noun in "einkaufszentrum einkaufszentrums kloster klosters bahnhof bahnhofs schule spital "
                                    "krankenhaus klinik stadion kirche moschee hotel flüchtlingslager lager camp "
                                    "mall monastery school hospital".split()},
}.items()}
# Last parts of a German name that say what it names: «Kesselbach», «Obertrumersee», «Ava-Brücke».
LOCAL_ENDINGS: tuple[tuple[str, str], ...] = (
    ("bachs", "other"), ("bach", "other"), ("sees", "other"), ("see", "other"),
    ("brücke", "facility"), ("turms", "facility"), ("turm", "facility"), ("schule", "facility"),
)
_ANCHOR_WORDS = frozenset("in im bei beim nahe von vom near".split())  # «Dreibrücken in Diepoldsau»
_QUALIFYING = frozenset("im bei beim nahe".split())  # right after a name they say where it lies («Marbach bei Villingen»)
# Nouns of an area named after its town: «im Kreis Calw», «(Bezirk Zwettl)», «im Raum Kupjansk».
_DISTRICT_WORDS = frozenset("kreis landkreis bezirk gemeinde stadt raum grossraum".split())
_LOCATIVE_BEFORE = frozenset("in nach aus bei zwischen nahe von".split())  # «in Neuhengstett im Kreis Calw»
_ANCHOR_REACH = 3  # words between the name and «in»
_LAST_TOWN_PASSAGES = 4  # sentences back the town of «die Stadtteile X und Y» may have been named
_WORD_ZIPF = 3.0  # a word this frequent is a word (Bereich, Zentrum), not an unknown name
_NOUN_ZIPF = 4.0  # … nor a known name's word (Zentrum 4.8; Marbach 3.0 is the town's name)
_PART_KM = 30.0  # a town part lies this near its town: a namesake farther away is another place
KNOWN_BESIDE_SCORE = 5.0  # a known entry the text puts beside its town: kept (above the judge's threshold)
_NAME_WORDS = 3  # words a local name may have (Zürich Tiefenbrunnen; hyphenated parts count once)


def local_place(tokens: list[Token], i: int, article: Article, names: Names,
                mentions: list[RawMention], *, looked_up: bool = False) -> tuple[list[RawMention], int] | None:
    """The local places a name starting at token i stands for (a list after a part noun gives
    several: «die Stadtteile Stiepel und Weitmar»), and the index of the last token.

    The name is one the index lacks, or one the judge did not keep («in der Fachura-Schule in
    Dschabalia»: Fachura is also a Syrian village); `looked_up`: the caller has looked the name
    up already (the scan has), so the index is not asked again."""
    if not _name_start(tokens, i, article, names, known=looked_up):
        return None
    last = _name_end(tokens, i)
    prev = _word_before(tokens, i)
    kind = LOCAL_NOUNS.get(prev.norm, "") if prev is not None else ""
    noun = prev.norm if kind else ""
    if not kind:
        kind = _kind_by_ending(article.text[tokens[i].start:tokens[last].end].lower())
    if not kind and not (prev is not None and prev.norm in _LOCATIVE_BEFORE) and not _said_after(tokens, last):
        return None  # nothing can say it is a place: no noun, ending, locative or noun after it
    anchor_key, said, qualifier = _anchor_after(tokens, last, names)
    if not kind and qualifier and prev is not None and prev.norm in _LOCATIVE_BEFORE:
        kind = "city"  # «in Neuhengstett im Kreis Calw», «bei Schwann (Gemeinde Straubenhardt)»
    kind = LOCAL_NOUNS.get(said, kind)  # «Birgsau, einem Gemeindeteil von Oberstdorf»: a village
    if not kind:
        return None
    items = [(i, last)]
    k = last + 1
    while noun in _PART_NOUNS and k + 1 < len(tokens) and tokens[k].norm in LIST_JOINERS | {","}:
        if not _name_start(tokens, k + 1, article, names):
            break
        end = _name_end(tokens, k + 1)
        items.append((k + 1, end))
        k = end + 1
    if len(items) > 1:
        anchor_key, _, _ = _anchor_after(tokens, items[-1][1], names)
    if not anchor_key and noun:  # a town part: the town named shortly before; another place: in its sentence
        anchor_key = _town_adjective(tokens, i - 1, names) or _last_town(
            tokens[i].passage, mentions, names, _LAST_TOWN_PASSAGES if noun in _PART_NOUNS else 0)
    if not anchor_key:
        return None
    return [_mention(tokens, start, end, article, kind, anchor_key) for start, end in items], items[-1][1]


def local_known(tokens: list[Token], i: int, last: int, article: Article, names: Names,
                mentions: list[RawMention]) -> RawMention | None:
    """A name the index holds that the text puts in or near a town none of its entries lies
    near: «im Köditzer Ortsteil Brunn» (Brunn is also Brno's German name), «von Marbach bei
    Villingen-Schwenningen», «Dietmanns (Bezirk Waidhofen a. d. Thaya)». A local place there."""
    prev = _word_before(tokens, i)
    if prev is None or not _name_start(tokens, i, article, names, known=True,
                                       zipf=_NOUN_ZIPF if prev.norm not in _PART_NOUNS else math.inf):
        return None  # «im Ortschaftsbereich Hart»: after a part noun even a word is a name
    anchor_key, _, qualifier = _anchor_after(tokens, last, names)
    if prev.norm in _PART_NOUNS:
        anchor_key = anchor_key or _town_adjective(tokens, i - 1, names) or _last_town(tokens[i].passage, mentions, names)
    elif not qualifier and not ((prev.norm in _LOCATIVE_BEFORE or prev.norm in LOCAL_NOUNS)
                                and last + 1 < len(tokens) and tokens[last + 1].norm == "in"):
        return None  # «Merkel in Paris», «aus Wien in Berlin»: no place said to lie in another
    if not anchor_key:
        return None
    mention = _mention(tokens, i, last, article, LOCAL_NOUNS.get(prev.norm, "city"), anchor_key)
    if prev.norm not in _PART_NOUNS and names.top_prior(mention.key) >= WELL_KNOWN_PRIOR:
        return None  # «aus Hof bei Regen»? a well-known town is that town unless called a part
    gazetteer = names.gazetteer
    towns = [gazetteer.point_of(row) for row, _ in names.rows(anchor_key, allow_codes=False)]
    entries = names.rows(mention.key, allow_codes=False)
    if qualifier and names.holds(anchor_key, entries):
        return None  # «Gummersbach (Bezirk Köln)»: the district holds a town of that name; that town
    distance = {row: min((haversine_km(*gazetteer.point_of(row), *town) for town in towns), default=math.inf)
                for row, _ in entries}
    beside = sorted(((row, prior) for row, prior in entries if distance[row] <= _PART_KM),
                    key=lambda item: distance[item[0]])  # the nearest first
    if beside:
        # the index knows it beside a town of that name («im Köditzer Ortsteil Brunn»): that entry,
        # not a better-known namesake (Brno)
        return RawMention(mention.start, mention.end, mention.text, mention.passage, mention.key, "name",
                          beside, KNOWN_BESIDE_SCORE, mention.cue)
    return mention


def _mention(tokens: list[Token], start: int, end: int, article: Article, kind: str, anchor_key: str) -> RawMention:
    first, final = tokens[start], tokens[end]
    text = article.text[first.start:final.end]
    return RawMention(first.start, final.end, text, first.passage, _key(text), "generic", [], 0.0,
                      cue=kind, generic=LOCAL, anchor_key=anchor_key)


def _word_before(tokens: list[Token], i: int) -> Token | None:
    prev = tokens[i - 1] if i > 0 and tokens[i - 1].passage == tokens[i].passage else None
    return prev if prev is not None and prev.is_word else None


def _key(text: str) -> str:
    return normalize(text)


def _name_start(tokens: list[Token], i: int, article: Article, names: Names, *, known: bool = False,
                zipf: float = _WORD_ZIPF) -> bool:
    """Token i is a capitalised word mid-sentence less frequent than `zipf` that (unless
    `known`) starts no name the index holds."""
    if i >= len(tokens):
        return False
    token = tokens[i]
    if not (token.is_word and token.cap) or token.sentence_start or token.text.isupper():
        return False
    if token.norm in STOPWORDS or token.norm in DETERMINERS:
        return False
    if word_frequencies(article.lang).get(token.norm, 0.0) >= zipf:
        return False
    return known or names.longest_name(tokens, i, article.lang) is None


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
    if ((match is None or match[0] == k) and word_frequencies("de").get(tokens[k].norm, 0.0) >= _NOUN_ZIPF
            and names.top_prior(tokens[k].norm) < WELL_KNOWN_PRIOR):
        return ""  # «im Raum»: a word (Rauma is a town in Finland); «in Essen» is Essen, «St. Gallen» a name
    keys = [match[1]] if match is not None else []
    keys += [v for v, form in variants(tokens[k], "de") if form in ("name", "genitive")]
    for key in keys:
        rows = names.rows(key, allow_codes=False)
        if rows and names.gazetteer.kind_of(rows[0][0]) == "city":
            return key
    return ""


def _anchor_after(tokens: list[Token], last: int, names: Names) -> tuple[str, str, bool]:
    """Where the text puts the name ending at token `last`: (the key of a town or district, the
    place noun said between them or '', whether the words are a qualifier of place).

    «Dreibrücken in Diepoldsau», «Birgsau, einem Gemeindeteil von Oberstdorf» (a town after
    «in/bei/von» within a few words); qualifiers: «Neuhengstett im Kreis Calw», «Dietmanns
    (Bezirk Waidhofen a. d. Thaya)», «Hart, Gemeinde Reichersberg», «Marbach bei Villingen»."""
    passage = tokens[last].passage
    said = ""
    for k in range(last + 1, min(len(tokens), last + 2 + _ANCHOR_REACH)):
        token = tokens[k]
        if token.passage != passage or token.text in ".;:!?":
            break
        if token.norm in _DISTRICT_WORDS and (k == last + 1 or tokens[k - 1].text in "(,"
                                              or tokens[k - 1].norm in _ANCHOR_WORDS):
            key = _district_key(tokens, k, names)  # «(Bezirk Waidhofen a. d. Thaya)», «im Kreis Calw»
            return key, said, bool(key) and k <= last + 2
        if token.norm in LOCAL_NOUNS:
            said = token.norm
        if token.norm in _ANCHOR_WORDS:
            if k + 1 < len(tokens) and tokens[k + 1].norm in _DISTRICT_WORDS:
                key = _district_key(tokens, k + 1, names)  # «im Kreis Calw», «im Bezirk Schwaz»
                return key, said, bool(key) and k == last + 1
            key = _town_key(tokens, k + 1, names)
            return key, said, bool(key) and k == last + 1 and token.norm in _QUALIFYING
    return "", said, False


def _district_key(tokens: list[Token], k: int, names: Names) -> str:
    """The district a district noun at token k names («Bezirk Schwaz» as a whole), else the town
    it is named after («Kreis Calw»: Calw)."""
    found = names.longest_name(tokens, k, "de")
    if found is not None:
        rows = names.rows(found[1], allow_codes=False)
        if rows and names.gazetteer.value("feature", rows[0][0]) in ("ADM2", "ADM3"):
            return found[1]
    return _town_key(tokens, k + 1, names)


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


def _last_town(passage: int, mentions: list[RawMention], names: Names, reach: int = _LAST_TOWN_PASSAGES) -> str:
    """The town the text named last, in this passage or up to `reach` passages before (the town
    whose parts «die südlichen Stadtteile» are)."""
    for m in reversed(mentions):
        if passage - m.passage > reach:
            return ""
        if m.form == "name" and m.rows and names.gazetteer.kind_of(m.rows[0][0]) == "city":
            return m.key
    return ""

