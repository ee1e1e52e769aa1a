"""The scan: every word of an article is tried as the start of a place mention, in text order."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from geo.gazetteer import MAJOR_PRIOR, WELL_KNOWN_PRIOR, Gazetteer
from geo.lexicon import THOROUGHFARES, common_english_words, curated_acronyms, first_names
from geo.models import Article, RawMention
from geo.recognize.generic import GENERIC_FIRST_WORDS, generic
from geo.recognize.judge import Context, Reading, Rule, judge
from geo.recognize.local import local_known, local_place
from geo.recognize.names import NameMatch, Names, may_be_adjective
from geo.recognize.persons import person_positions
from geo.recognize.readings import READINGS
from geo.recognize.rules import RULES, WORD_RULES, list_items, names_an_organisation
from geo.recognize.streets import before_thoroughfare, street
from geo.recognize.tokens import HYPHENS, Token, tokenize

__all__ = ["Recognizer"]

_USER_SCORE = 10.0  # a name the user added is sure
_COUNTY_WORDS = (" county", " parish")  # a county's building or road stands in that county
_INERT_KEPT = 50_000  # lower-case words whose `_starts_nothing` answer is kept across articles
_DISTINCTIVE_ENTRIES = 2  # a kept name with at most this many entries tells the article's area


def _starts_nothing(token: Token) -> bool:
    """A lower-case word that is no adjective starts no name, street or building; only a
    generic noun (the border, der Flughafen) may start there. (It depends on the word's key
    alone: the scan keeps the answer by key.)"""
    return not token.cap and token.norm not in GENERIC_FIRST_WORDS and not may_be_adjective(token)


class Recognizer:
    """Finds place mentions in an article with the gazetteer's name index.

    `word_rules`, `readings` and `rules` are the judge's policy (`WORD_RULES`, `READINGS`,
    `RULES` by default): replace them to try another rule set on the same scan.
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, word_rules: Sequence[Rule] | None = None,
                 readings: Sequence[Reading] | None = None, rules: Sequence[Rule] | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.default()
        self.names = Names(self.gazetteer)
        self.common_words = common_english_words()
        self.acronyms = curated_acronyms()
        self._inert: dict[str, bool] = {}  # lower-case word's key → _starts_nothing
        self.word_rules = list(WORD_RULES if word_rules is None else word_rules)
        self.readings = list(READINGS if readings is None else readings)
        self.rules = list(RULES if rules is None else rules)

    def find(self, article: Article, extra_names: dict[str, str] | None = None) -> list[RawMention]:
        """Mentions in text order. `extra_names`: normalised name → place id the user added."""
        tokens = tokenize(article)
        names = self.names
        persons = person_positions(tokens, names, first_names(article.lang), self.common_words, article.lang)
        written = {t.norm for t in tokens if t.is_word and t.cap and not t.text.isupper()}
        ctx = Context.of(article, tokens, names, persons=persons, written=written)
        extra = self._extra_patterns(extra_names)
        mentions: list[RawMention] = []
        in_lists: list[tuple[int, NameMatch]] = []  # names rejected inside a list, judged again at the end
        refused: list[tuple[int, NameMatch]] = []  # other names rejected, judged again if kept elsewhere
        judged: list[tuple[int, NameMatch, RawMention]] = []  # names kept by the judge, judged again too
        i = 0
        n = len(tokens)
        lang = article.lang
        inert = self._inert
        if len(inert) > _INERT_KEPT:
            inert.clear()
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
            if not token.cap:
                skip = inert.get(token.norm)
                if skip is None:
                    skip = inert[token.norm] = _starts_nothing(token)
                if skip:
                    i += 1
                    continue
            if i in persons:
                i += 1
                continue
            match = names.longest_name(tokens, i, lang)
            if match is not None and names.city_of_council(tokens, match):
                match = names.longest_name(tokens, i, lang, last_allowed=match[0] - 1) or match
            found_street = None
            if (match is None or (match[0] == i and names.top_prior(match[1]) < WELL_KNOWN_PRIOR)
                    or before_thoroughfare(tokens, match[0], lang)):
                # a small place, or a name before a street word (but "Florida Highway Patrol" names Florida)
                found_street = street(tokens, i, article, self.common_words)
            if found_street is not None:
                town = self._building_town(ctx, i, match, found_street)
                # Klosterstraße, Main Street: named, not in the gazetteer; but "Youngstown State
                # University" or "Woodstock General Hospital" stand in the town they are named after.
                mentions.append(town if town is not None else found_street[0])
                i = found_street[1] + 1
                continue
            if match is None:
                local = local_place(tokens, i, article, names, mentions, looked_up=True) if token.cap else None
                if local is not None:
                    mentions.extend(local[0])
                    i = local[1] + 1
                    continue
                found = generic(tokens, i, article, names)
                if found is None:
                    i += 1
                    continue
                mention, last = found
                previous = mentions[-1] if mentions else None
                if (previous is not None and previous.form in ("adjective", "name")
                        and mention.anchor_key == previous.key
                        and not article.text[previous.end:mention.start].strip()):
                    # "Minsker Flugplatz", "Minsk airport": one mention of the airport, not of Minsk.
                    mentions.pop()
                    mention.start, mention.text = previous.start, article.text[previous.start:mention.end]
                mentions.append(mention)
                i = last + 1
                continue
            if match[0] > i and i > 0 and names_an_organisation(tokens[i - 1], lang):
                i = match[0] + 1  # «die Polizei Zell am Ziller»: no word of the organisation's place is a place
                continue
            # (a known place's adjective names no place of its own: «die Kärntner Gemeinde Feld am See»)
            known = local_known(tokens, i, match[0], article, names, mentions) if match[2] != "adjective" else None
            if known is not None:
                mentions.append(known)
                i = match[0] + 1
                continue
            mention = self._judge(ctx, i, match)
            if mention is None and any(k is not None for k in list_items(ctx, i, match[0])[:2]):
                in_lists.append((i, match))
            elif mention is None:
                refused.append((i, match))
            if mention is not None:
                ctx.accepted.update((i, match[0]))
                mentions.append(mention)
                judged.append((i, match, mention))
                mentions.extend(self._nested(tokens, i, match[0], mention.rows))
                i = match[0] + 1
                continue
            local = local_place(tokens, i, article, names, mentions, looked_up=True)
            if local is not None:  # «in der Fachura-Schule in Dschabalia»: not the village Fachura
                mentions.extend(local[0])
                i = local[1] + 1
                continue
            found_street = street(tokens, i, article, self.common_words) if match[0] > i else None
            if found_street is not None:
                # "Douglas County Hospital": the county, refused before "Hospital", names the building
                town = self._building_town(ctx, i, match, found_street)
                mentions.append(town if town is not None else found_street[0])
                i = found_street[1] + 1
                continue
            found = generic(tokens, i, article, names)  # "AKW" is also a code of some village
            if found is not None:
                mentions.append(found[0])
                i = found[1] + 1
            else:
                i += 1
        if in_lists:
            mentions = self._list_neighbours(ctx, mentions, in_lists)
        return self._second_pass(ctx, mentions, refused, judged)

    def _second_pass(self, ctx: Context, mentions: list[RawMention], refused: list[tuple[int, NameMatch]],
                     judged: list[tuple[int, NameMatch, RawMention]]) -> list[RawMention]:
        """Judge again, knowing the places the article names: the names rejected in the scan
        (`rules.named_elsewhere`, `rules.near_named_places`) and the little-known ones kept
        (`rules.far_from_named_places`)."""
        kept = {m.key for m in mentions if m.form == "name"}
        points = self._distinctive_points(mentions)
        again = refused if points else [(i, match) for i, match in refused if match[1] in kept]
        if points:
            mentions = self._judge_kept_again(ctx, mentions, judged, points)
            kept = {m.key for m in mentions if m.form == "name"}
        if not again:
            return mentions
        ctx = replace(ctx, named_elsewhere=frozenset(kept), named_points=points)
        for i, match in again:
            mention = self._judge(ctx, i, match)
            if mention is not None and not any(m.start < mention.end and mention.start < m.end for m in mentions):
                mentions.append(mention)
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _judge_kept_again(self, ctx: Context, mentions: list[RawMention],
                          judged: list[tuple[int, NameMatch, RawMention]],
                          points: tuple[tuple[str, float, float], ...]) -> list[RawMention]:
        """The little-known names kept in the scan, judged again with the article's places known;
        a name counts as named elsewhere only if another mention of it was kept."""
        small = [(i, match, m) for i, match, m in judged
                 if m.form == "name" and m.rows and m.rows[0][1] < WELL_KNOWN_PRIOR]
        if not small:
            return mentions
        counts = Counter(m.key for m in mentions if m.form == "name")
        dropped = set()
        for i, match, mention in small:
            elsewhere = frozenset(k for k, c in counts.items() if c > (1 if k == mention.key else 0))
            if self._judge(replace(ctx, named_elsewhere=elsewhere, named_points=points), i, match) is None:
                dropped.add(id(mention))
        return [m for m in mentions if id(m) not in dropped] if dropped else mentions

    def _distinctive_points(self, mentions: list[RawMention]) -> tuple[tuple[str, float, float], ...]:
        """(key, lat, lon) of the names kept with few entries (`rules.near_named_places`): a name
        with many («Neustadt») says nothing about the article's area."""
        gazetteer = self.names.gazetteer
        points = {}
        for m in mentions:
            if m.form == "name" and 0 < len(m.rows) <= _DISTINCTIVE_ENTRIES and m.key not in points:
                points[m.key] = [(m.key, *gazetteer.point_of(row)) for row, _ in m.rows]
        return tuple(p for rows in points.values() for p in rows)

    def _list_neighbours(self, ctx: Context, mentions: list[RawMention],
                         in_lists: list[tuple[int, NameMatch]]) -> list[RawMention]:
        """Judge again the names of a list rejected in the scan, now that the places after them
        are known (`rules.place_list`: «Schröcken, Lingenau und Wien»), until none changes."""
        changed = True
        while changed and in_lists:
            changed = False
            for item in list(in_lists):
                i, match = item
                before, after, _ = list_items(ctx, i, match[0])
                if before not in ctx.accepted and after not in ctx.accepted:
                    continue
                in_lists.remove(item)
                mention = self._judge(ctx, i, match)
                if mention is None or any(m.start < mention.end and mention.start < m.end for m in mentions):
                    continue
                ctx.accepted.update((i, match[0]))
                mentions.append(mention)
                changed = True
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _judge(self, ctx: Context, i: int, match: NameMatch, *, in_name: bool = False) -> RawMention | None:
        return judge(ctx, i, match, self.word_rules, self.readings, self.rules, in_name=in_name)

    def _building_town(self, ctx: Context, i: int, match: NameMatch | None,
                       found_street: tuple[RawMention, int]) -> RawMention | None:
        """The town a building or institution is named after (Middletown High School), if any."""
        if match is None or match[0] >= found_street[1] or match[2] != "name":
            return None
        if ctx.tokens[match[0] + 1].text in ("'", "’"):
            return None  # St. Mary's Hospital is a saint's, not St. Marys
        suffix = ctx.tokens[found_street[1]]
        county = match[1].endswith(_COUNTY_WORDS)
        if suffix.norm in THOROUGHFARES.get(ctx.lang, frozenset()) and not county:
            return None  # Oxford Road runs through many towns; a County Road is its county's
        mention = self._judge(ctx, i, match, in_name=True)
        if mention is None:
            return None
        kind = self.gazetteer.kind_of(mention.rows[0][0])
        return mention if kind == "city" or (kind == "region" and county) else None

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

    @staticmethod
    def _match_extra(tokens: list[Token], i: int, extra: dict[str, list[tuple[list[str], int]]],
                     article: Article) -> tuple[RawMention, int] | None:
        for words, row in extra.get(tokens[i].norm, ()):
            found, k = [], i
            while k < len(tokens) and len(found) < len(words):
                if tokens[k].is_word:
                    found.append(k)
                elif tokens[k].text not in HYPHENS and tokens[k].text != ".":
                    break
                k += 1
            if [tokens[x].norm for x in found] == words:
                start, end = tokens[i].start, tokens[found[-1]].end
                mention = RawMention(start, end, article.text[start:end], tokens[i].passage, " ".join(words),
                                     "name", [(row, _USER_SCORE)], _USER_SCORE)
                return mention, found[-1]
        return None

    # ------------------------------------------------------------------ composites

    def _nested(self, tokens: list[Token], i: int, j: int, rows: list[tuple[int, float]]) -> list[RawMention]:
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
            rows = self.names.rows(token.norm, allow_codes=False)
            if (rows and self.gazetteer.kind_of(rows[0][0]) in ("country", "region") and rows[0][1] >= MAJOR_PRIOR
                    and token.norm not in self.common_words):
                nested.append(RawMention(token.start, token.end, token.text, token.passage, token.norm,
                                         "nested", rows, rows[0][1]))
        return nested
