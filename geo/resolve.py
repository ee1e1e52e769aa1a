"""Resolution: choose, for every recognised name, the place it means, using the article.

Evidence, in the order a reader weighs it: the place's importance (the gazetteer prior), the
countries the article talks about, the distance to the article's other places, cue words
(Stadt, Region), and "one sense per article" (a name keeps its meaning throughout).
Generic references are then resolved from what surrounds them: the airport of the city in
play, the nuclear plant near the places just named, the border between the two countries
in play (checked against a length the text states).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from geo.extract import ACCEPT_THRESHOLD, RawMention
from geo.gazetteer import Gazetteer, haversine_km
from geo.models import Article, Candidate, Mention, Place

__all__ = ["resolve", "Corrections", "article_scope", "generic_key"]

_ITERATIONS = 20  # at most; beliefs usually settle within ten rounds
_SETTLED = 1e-3  # largest change of any belief that counts as settled
_COUNTRY_WEIGHT = 3.0
_CUE_WEIGHT = 2.5
_QUALIFIER_WEIGHT = 3.0
_SUPPORT_WEIGHT = 10.0
_BELIEF_SHARPNESS = 1.0
_MAX_CANDIDATES = 25
_MIN_CANDIDATES = 5
_MAX_POOL = 2000  # candidates of all groups together (an N×N fit matrix): long texts get fewer each
_REGION_WEIGHT = 4.0
_CONTAINED = 2.0  # a town in the state or county named fits better than any neighbour
_SHADOW = 0.25  # the say of nearby places and state coherence for a town named like a state
_WEAK_VOICE = 0.3  # the least say a barely recognised name has over the others
_BORDER_EVIDENCE = {"country": 2.0, "region": 1.0, "city": 0.5}
_NAMED_SIDE = 5.0  # evidence for the country a border is named with
_AS_QUALIFIER = "|qualifier"  # group key suffix of a name in «Place, State» position


@dataclass(frozen=True)
class Corrections:
    """A user's corrections, applied to every article (see geo.corrections for storage).

    `chosen`: normalised name → place id to use instead of the automatic choice.
    `removed`: normalised names (or place ids) that are not places.
    `added`: normalised name → place id, for names the recogniser missed.
    """

    chosen: dict[str, str] = field(default_factory=dict)
    removed: frozenset[str] = frozenset()
    added: dict[str, str] = field(default_factory=dict)


@dataclass
class _Group:
    key: str
    mentions: list[RawMention]
    rows: list[tuple[int, float]]
    choice: int = -1
    scores: dict[int, float] = field(default_factory=dict)
    forced: bool = False

    @property
    def strength(self) -> float:
        return max(m.score for m in self.mentions)

    @property
    def qualifiers(self) -> set[str]:
        return {m.qualifier for m in self.mentions if m.qualifier}

    @property
    def cue(self) -> str:
        cues = [m.cue for m in self.mentions if m.cue]
        return Counter(cues).most_common(1)[0][0] if cues else ""


def resolve(article: Article, raw: list[RawMention], gazetteer: Gazetteer,
            corrections: Corrections | None = None) -> tuple[list[Place], list[Mention]]:
    """Places (with their mentions and alternatives) and the mentions left unresolved."""
    corrections = corrections or Corrections()
    named = [m for m in raw if not m.generic and m.rows and m.key not in corrections.removed]
    groups = _group(named, gazetteer)
    _apply_choices(groups, corrections, gazetteer)
    _choose(groups, gazetteer)
    assignments: dict[str, list[Mention]] = defaultdict(list)
    candidates: dict[str, Candidate] = {}
    alternatives: dict[str, list[Candidate]] = {}
    confidence: dict[str, float] = {}
    forced_ids: set[str] = set()
    for group in groups.values():
        row = group.choice
        candidate = gazetteer.candidate(row)
        if candidate.id in corrections.removed:
            continue
        candidates[candidate.id] = candidate
        conf = _confidence(group)
        confidence[candidate.id] = max(confidence.get(candidate.id, 0.0), conf)
        if group.forced:
            forced_ids.add(candidate.id)
        others = sorted(((s, r) for r, s in group.scores.items() if r != row), reverse=True)[:3]
        alternatives.setdefault(candidate.id, [gazetteer.candidate(r, s) for s, r in others])
        assignments[candidate.id].extend(_mention(m) for m in group.mentions)
    unresolved: list[Mention] = [_mention(m) for m in raw if not m.generic and not m.rows
                                 and m.key not in corrections.removed]
    scope = article_scope(article)
    for m in raw:
        if not m.generic or generic_key(m.key, scope) in corrections.removed:
            continue
        chosen = gazetteer.by_id(corrections.chosen.get(generic_key(m.key, scope), ""))
        if chosen is not None:
            resolved = chosen, 1.0  # the user said which airport "der Flughafen" is
            forced_ids.add(chosen.id)
        else:
            resolved = _resolve_generic(m, article, groups, gazetteer)
        if resolved is None:
            unresolved.append(_mention(m, scope))
            continue
        candidate, conf = resolved
        candidates.setdefault(candidate.id, candidate)
        confidence[candidate.id] = max(confidence.get(candidate.id, 0.0), conf)
        assignments[candidate.id].append(_mention(m, scope))
    places = []
    for place_id, items in assignments.items():
        mentions = tuple(sorted(set(items), key=lambda m: (m.start, m.end)))
        candidate = candidates[place_id]
        conf = confidence[place_id]
        if all(m.form == "adjective" for m in mentions):
            conf *= 0.7  # only "westukrainischen": the place itself is not named
        places.append(Place(
            candidate=candidate,
            display_name=_display_name(candidate, mentions, article.lang),
            confidence=round(min(1.0, max(0.0, conf)), 3),
            mentions=mentions,
            alternatives=tuple(alternatives.get(place_id, ())),
            corrected=place_id in forced_ids,
        ))
    places.sort(key=lambda p: (p.mentions[0].start, p.id))
    return places, unresolved


# ------------------------------------------------------------------------ named mentions


def _group(mentions: list[RawMention], gazetteer: Gazetteer) -> dict[str, _Group]:
    """Mentions by key: one meaning per name and article. A name qualifying the place before it
    («Vicksburg, Mississippi») is grouped apart, as the state or country it must be there,
    whatever the name means elsewhere in the text (the Mississippi, the river)."""
    groups: dict[str, _Group] = {}
    previous = None
    for m in mentions:
        key, rows = m.key, m.rows
        if previous is not None and previous.qualifier == m.key and m.start - previous.end <= 3:
            # Only a state or country that holds one of the places it follows: «Crockett,
            # Palestine and Houston» is a list of Texas towns.
            holders = {gazetteer.value("admin1", r) for r, _ in previous.rows} | {
                gazetteer.value("country", r) for r, _ in previous.rows}
            regional = [(r, p) for r, p in m.rows
                        if gazetteer.kind_of(r) == "region" and gazetteer.value("id", r) in holders
                        or gazetteer.kind_of(r) == "country" and gazetteer.value("country", r) in holders]
            if regional:
                key, rows = m.key + _AS_QUALIFIER, regional
        previous = m
        group = groups.get(key)
        if group is None:
            groups[key] = _Group(key, [m], list(rows))
        else:
            group.mentions.append(m)
    return groups


def _apply_choices(groups: dict[str, _Group], corrections: Corrections, gazetteer: Gazetteer) -> None:
    for key, group in groups.items():
        place_id = corrections.chosen.get(key)
        if place_id is None:
            continue
        row = gazetteer.row_of(place_id)
        if row is None:
            continue
        if all(r != row for r, _ in group.rows):
            group.rows.insert(0, (row, group.rows[0][1] if group.rows else 5.0))
        group.choice, group.forced = row, True


def _choose(groups: dict[str, _Group], gazetteer: Gazetteer) -> None:
    """Pick each group's place by how well it fits the candidates of all the other groups.

    Every group keeps a soft belief over its candidates (softmax of its scores). A candidate
    gains support from each other group's best-fitting candidate, weighted by that group's
    belief in it: nearby points, a city inside a region or country that is a candidate
    elsewhere. Beliefs are updated until they settle; "Athens … Georgia" settles on the US pair
    even though Greece and the Caucasus start ahead.
    """
    import numpy as np

    qualifiers = {key: _qualifier_scopes(group, gazetteer) for key, group in groups.items()}
    items = list(groups.values())
    if not items:
        return
    codes = {"": 0}
    limit = max(_MIN_CANDIDATES, min(_MAX_CANDIDATES, _MAX_POOL // max(1, len(items))))
    info = [_CandidateSet(group, gazetteer, qualifiers[group.key], codes, limit) for group in items]
    beliefs = [_softmax(c.base) for c in info]
    # All candidates of all groups in one pool: fit[i, j] between any two of them.
    sizes = [len(c.rows) for c in info]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int)
    own_group = np.repeat(np.arange(len(items)), sizes)
    pool = _CandidatePool(info)
    fit = _affinity(pool, pool)
    weights = [_voice(g) for g in items]
    weight_array = np.array(weights)
    for _ in range(_ITERATIONS):
        # How much each group believes in each country (a country's own candidate counts too).
        masses = []
        for cands, belief in zip(info, beliefs):
            mass: dict[str, float] = defaultdict(float)
            for country, region, p in zip(cands.country, cands.region, belief.tolist()):
                if country:
                    mass[country] += p
                if region:
                    mass[region] += p
            masses.append(mass)
        # Everyone's weighted belief in each country and region; a group subtracts its own.
        everyone: dict[str, float] = defaultdict(float)
        for weight, mass in zip(weights, masses):
            for key, p in mass.items():
                everyone[key] += weight * p
        all_weights = sum(weights)
        # Each candidate's best fit in every other group, weighted by that group's belief.
        best = np.maximum.reduceat(fit * np.concatenate(beliefs)[None, :], starts, axis=1)
        best[np.arange(len(own_group)), own_group] = 0.0
        support_all = best @ weight_array
        new_beliefs = []
        for a, (group, cands) in enumerate(zip(items, info)):
            support = support_all[starts[a]:starts[a] + sizes[a]]
            own, own_weight = masses[a], weights[a]
            coherence = np.array([everyone[c] - own_weight * own.get(c, 0.0) if c else 0.0 for c in cands.country])
            regional = np.array([everyone[r] - own_weight * own.get(r, 0.0) if r else 0.0 for r in cands.region])
            total = all_weights - own_weight if len(items) > 1 else 0.0
            scores = cands.base
            if total:
                scores = scores + (_SUPPORT_WEIGHT * support + _COUNTRY_WEIGHT * coherence
                                   + _REGION_WEIGHT * regional * cands.shadowed) / total
            group.scores = dict(zip(cands.rows.tolist(), scores.tolist()))
            new_beliefs.append(_softmax(scores))
        change = max(float(np.abs(new - old).max()) for new, old in zip(new_beliefs, beliefs))
        beliefs = new_beliefs
        if change < _SETTLED:
            break
    for group in items:
        if not group.forced:
            group.choice = max(group.scores, key=group.scores.get)


def _voice(group: _Group) -> float:
    """How much a group's places steer the others: more with more mentions, less when the
    recognition was only just accepted ("Country Club", "Hampton" in a street list)."""
    recognition = min(1.0, max(_WEAK_VOICE, (group.strength - ACCEPT_THRESHOLD) / 2.0))
    return math.log2(1.0 + len(group.mentions)) * recognition


class _CandidateSet:
    """A group's candidate rows with what the affinity needs, as arrays."""

    def __init__(self, group: _Group, gazetteer: Gazetteer, scopes: set[str], codes: dict[str, int],
                 limit: int = 25) -> None:
        import numpy as np

        rows = [row for row, _ in group.rows][:limit]
        if group.forced:
            rows = [group.choice]
        self.rows = np.array(rows)
        base = []
        for row, prior in group.rows[:len(rows)]:
            score = prior
            if group.cue and gazetteer.kind_of(row) == group.cue:
                score += _CUE_WEIGHT
            if scopes and (gazetteer.value("admin1", row) in scopes or gazetteer.value("country", row) in scopes):
                score += _QUALIFIER_WEIGHT
            base.append(score)
        self.base = np.array(base) if not group.forced else np.array([10.0])
        self.lat = np.array([gazetteer.point_of(r)[0] for r in rows])
        self.lon = np.array([gazetteer.point_of(r)[1] for r in rows])
        self.kind = [gazetteer.kind_of(r) for r in rows]
        self.country = [gazetteer.value("country", r) or "" for r in rows]
        self.admin1 = [gazetteer.value("admin1", r) or "" for r in rows]
        self.admin2 = [gazetteer.value("admin2", r) or "" for r in rows]
        self.ids = [gazetteer.value("id", r) for r in rows]
        # A town named like a country or state the name also means (Mexico, Missouri; California,
        # Pennsylvania) needs more than nearby places to win over it: its county or state named.
        top_kind = self.kind[0] if rows else ""
        self.shadowed = np.array([
            _SHADOW if top_kind in ("country", "region") and k == "city" else 1.0 for k in self.kind])
        # The same as integer arrays for _affinity (0: none), numbered by the shared `codes`.
        self.is_country = np.array([k == "country" for k in self.kind], dtype=bool)
        self.country_code = np.array([codes.setdefault(c, len(codes)) for c in self.country])
        self.admin1_id = np.array([codes.setdefault(c, len(codes)) for c in self.admin1])
        self.admin2_id = np.array([codes.setdefault(c, len(codes)) for c in self.admin2])
        self.id_array = np.array([codes.setdefault(c, len(codes)) for c in self.ids])
        # The first-level region a candidate lies in, or is (for coherence within a state).
        self.region = [i if i.startswith("admin1:") else a for i, a in zip(self.ids, self.admin1)]


class _CandidatePool:
    """The candidates of several groups, end to end (the arrays _affinity reads)."""

    def __init__(self, sets: list[_CandidateSet]) -> None:
        import numpy as np

        for name in ("lat", "lon", "shadowed", "is_country", "country_code", "admin1_id", "admin2_id", "id_array"):
            setattr(self, name, np.concatenate([getattr(c, name) for c in sets]))


def _affinity(a: _CandidatePool, b: _CandidatePool):
    """Fit between every candidate of a (rows) and of b (columns): 0..1 by distance, more
    for a town inside a state or county that is a candidate of the other."""
    import numpy as np

    distance = haversine_km(a.lat[:, None], a.lon[:, None], b.lat[None, :], b.lon[None, :])
    fit = np.maximum(0.0, 1.0 - np.log10(1.0 + distance / 10.0) / 3.0)
    fit = fit * a.shadowed[:, None]  # containment below still counts in full
    # A country fits what lies in it; two countries, or a country and what lies outside it,
    # fit by proximity only, at half weight.
    either_country = a.is_country[:, None] | b.is_country[None, :]
    in_country = ((a.is_country[:, None] != b.is_country[None, :])
                  & (a.country_code[:, None] == b.country_code[None, :]) & (a.country_code[:, None] != 0))
    fit = np.where(either_country, np.where(in_country, 1.0, fit * 0.5), fit)
    # A town in the state or county the text names.
    contained = ((a.admin1_id[:, None] == b.id_array[None, :]) & (a.admin1_id[:, None] != 0)
                 | (b.admin1_id[None, :] == a.id_array[:, None]) & (b.admin1_id[None, :] != 0)
                 | (a.admin2_id[:, None] == b.id_array[None, :]) & (a.admin2_id[:, None] != 0)
                 | (b.admin2_id[None, :] == a.id_array[:, None]) & (b.admin2_id[None, :] != 0))
    return np.where(~either_country & contained, _CONTAINED, fit)


def _softmax(scores):
    import numpy as np

    shifted = np.exp((scores - scores.max()) * _BELIEF_SHARPNESS)
    return shifted / shifted.sum()


def _qualifier_scopes(group: _Group, gazetteer: Gazetteer) -> set[str]:
    """Admin-1 ids and country codes the qualifiers of a group can mean (Texas → admin1:US:texas)."""
    scopes: set[str] = set()
    for key in group.qualifiers:
        for row, _ in gazetteer.ranked_rows(key, kinds={"country", "region"}, allow_codes=False)[:5]:
            if gazetteer.kind_of(row) == "country":
                scopes.add(gazetteer.value("country", row))
            else:
                scopes.add(gazetteer.value("id", row))
    return scopes


def _confidence(group: _Group) -> float:
    scores = sorted(group.scores.values(), reverse=True) if group.scores else [group.rows[0][1]]
    margin = scores[0] - scores[1] if len(scores) > 1 else 3.0
    certainty = 0.5 + 0.5 * math.tanh(margin / 2.0)
    recognition = min(1.0, 0.6 + 0.1 * max(0.0, group.strength - 3.2))
    if group.forced:
        return 1.0
    return certainty * recognition


def _mention(m: RawMention, scope: str = "") -> Mention:
    return Mention(m.start, m.end, m.text, m.passage, m.form, generic_key(m.key, scope) if m.generic else m.key)


def article_scope(article: Article) -> str:
    """A short fingerprint of an article's text: generic corrections hold for it alone."""
    import hashlib

    return hashlib.sha1(article.text.encode("utf-8")).hexdigest()[:12]


def generic_key(key: str, scope: str) -> str:
    """The correction key of a generic reference: «der Flughafen» means one airport in one article."""
    return f"{key}@{scope}"


_POSSESSIVE = re.compile(r"(?<=\w)['’]s?$")  # Russia's → Russia, Texas' → Texas


def _display_name(candidate: Candidate, mentions: tuple[Mention, ...], lang: str) -> str:
    """The article's own spelling: its commonest name form, else the most specific phrase."""
    own = candidate.name.casefold()
    names = [m.text if m.text.casefold() == own else _POSSESSIVE.sub("", m.text)  # St. John's stays
             for m in mentions if m.form in ("name", "nested")]
    if names:
        counts = Counter(names)
        # The commonest spelling; a tie goes to ordinary case (Kyiv, not the dateline's KYIV).
        best = min(counts, key=lambda text: (-counts[text], text.isupper(), names.index(text)))
        if best.isupper() and len(best) > 4:  # only the dateline's BEIJING: the gazetteer's Beijing
            return candidate.name_de if lang == "de" and candidate.name_de else candidate.name
        return best
    if candidate.kind == "border" or all(m.form == "adjective" for m in mentions):
        return candidate.name_de if lang == "de" and candidate.name_de else candidate.name
    generic = [m.text for m in mentions if m.form == "generic"]
    if generic:
        return max(generic, key=len)
    return mentions[0].text


# ------------------------------------------------------------------------ generic mentions


def _resolve_generic(m: RawMention, article: Article, groups: dict[str, _Group],
                     gazetteer: Gazetteer) -> tuple[Candidate, float] | None:
    if m.generic == "AIRP":
        return _airport(m, article, groups, gazetteer)
    if m.generic == "NUCLEAR_PLANT":
        return _nuclear_plant(m, article, groups, gazetteer)
    if m.generic == "BORDER":
        return _border(m, article, groups, gazetteer)
    return None


def _places_near(m: RawMention, article: Article, groups: dict[str, _Group], gazetteer: Gazetteer,
                 kinds: tuple[str, ...], window: int) -> list[tuple[int, int, float]]:
    """(row, passage distance, weight) of resolved places around a mention's passage."""
    found = []
    for group in groups.values():
        if gazetteer.kind_of(group.choice) not in kinds:
            continue
        for other in group.mentions:
            distance = m.passage - other.passage
            if -window <= distance <= window:
                weight = 1.0 / (1.0 + abs(distance)) * (1.5 if other.start < m.start else 1.0)
                if other.form == "adjective":
                    weight *= 0.5  # "the Hungarian prime minister" speaks less of Hungary's land
                found.append((group.choice, distance, weight))
    return found


def _anchor_row(m: RawMention, groups: dict[str, _Group], gazetteer: Gazetteer, kind: str = "city") -> int | None:
    """The row of the place a generic mention names (Flughafen Frankfurt, die Grenze zu Polen):
    its group's choice, else the best entry of that kind."""
    if not m.anchor_key:
        return None
    group = groups.get(m.anchor_key)
    if group is not None:
        return group.choice
    rows = gazetteer.ranked_rows(m.anchor_key, kinds={kind}, allow_codes=False)
    return rows[0][0] if rows else None


def _anchor_country(m: RawMention, groups: dict[str, _Group], gazetteer: Gazetteer) -> str:
    """The country code of the country a generic mention names (its anchor), or ''."""
    row = _anchor_row(m, groups, gazetteer, kind="country")
    if row is None or gazetteer.kind_of(row) != "country":
        return ""
    return gazetteer.value("country", row) or ""


def _airport(m, article, groups, gazetteer):
    city = _anchor_row(m, groups, gazetteer)
    certainty = 0.9 if city is not None else 0.7
    if city is None:
        near = _places_near(m, article, groups, gazetteer, ("city",), window=2)
        weights: Counter = Counter()
        for row, _, weight in near:
            weights[row] += weight
        if not weights:
            return None
        city = weights.most_common(1)[0][0]
    lat, lon = gazetteer.point_of(city)
    city_name = gazetteer.value("name", city).lower()
    best, best_score = None, -math.inf
    for airport, km in gazetteer.nearest(lat, lon, features={"AIRP"}, max_km=60.0, limit=8):
        name = airport.name.lower()
        score = -km / 20.0
        if any(word in name for word in ("international", "national", "intl")):
            score += 1.5
        if city_name in name:
            score += 0.5
        if score > best_score:
            best, best_score = airport, score
    if best is None:
        return None
    return best, certainty


def _nuclear_plant(m, article, groups, gazetteer):
    near = _places_near(m, article, groups, gazetteer, ("city", "region"), window=0)
    if not near:
        near = _places_near(m, article, groups, gazetteer, ("city", "region"), window=2)
    if not near:
        return None
    rows = {row for row, _, _ in near}
    admin1 = {gazetteer.value("admin1", r) for r in rows} | {gazetteer.value("id", r) for r in rows}
    names = {gazetteer.value("name", r).lower() for r in rows}
    best, best_score = None, -math.inf
    seen = set()
    for row in rows:
        lat, lon = gazetteer.point_of(row)
        for plant, km in gazetteer.nearest(lat, lon, features={"NUCLEAR_PLANT"}, max_km=250.0, limit=5):
            if plant.id in seen:
                continue
            seen.add(plant.id)
            score = -km / 100.0
            if plant.admin1 and plant.admin1 in admin1:
                score += 2.0
            if any(name in plant.name.lower() for name in names):
                score += 2.0
            if score > best_score:
                best, best_score = plant, score
    if best is None:
        return None
    return best, 0.85 if best_score > 0 else 0.6


def _border(m, article, groups, gazetteer):
    weights: Counter = Counter()
    for row, _, weight in _places_near(m, article, groups, gazetteer, ("country", "city", "region"), window=3):
        country = gazetteer.value("country", row)
        if country:  # a country counts most, then a region in it (Bayern), then a town
            weights[country] += weight * _BORDER_EVIDENCE[gazetteer.kind_of(row)]
    side = _anchor_country(m, groups, gazetteer)  # «die Grenze zu Ägypten»: Egypt is one side
    if side:
        weights[side] += _NAMED_SIDE
    best, best_score = None, -math.inf
    codes = [c for c, _ in weights.most_common(6)]
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            border = gazetteer.border_between(a, b)
            if border is None:
                continue
            score = weights[a] + weights[b]
            if m.number_km and border.length_km:
                score -= 3.0 * abs(math.log(border.length_km / m.number_km))
            if score > best_score:
                best, best_score = border, score
    if best is None:
        return None
    stated_fits = bool(m.number_km and best.length_km and abs(math.log(best.length_km / m.number_km)) < 0.35)
    return best, 0.85 if stated_fits else 0.55
