"""The judge: a name match is read, weighed by the rules, and kept above one threshold.

match → judge → annotate, as in spaCy's span_ruler: `judge` knows no policy of its own; it
applies the readings and the rules it is given (`geo.recognize.readings.READINGS`,
`geo.recognize.rules.RULES` by default, see `geo.recognize.scan.Recognizer`) in order. The score
starts from the gazetteer prior of the match's best entry (log10 of population for a town, 8
for a country) and the rules add their evidence to it on that scale.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from geo.gazetteer import NameType
from geo.lexicon import common_english_words, curated_acronyms, first_names, word_frequencies
from geo.models import Article, RawMention
from geo.recognize.names import NameMatch, Names
from geo.recognize.tokens import Token, next_word, previous_word

__all__ = [
    "ACCEPT_THRESHOLD", "VETO", "ACCEPT", "Verdict", "Evidence", "Rule", "Reading", "Match", "Context",
    "read_match", "judge",
]

ACCEPT_THRESHOLD = 3.2  # the score a match needs to be kept, on the gazetteer's prior scale


class Verdict:
    """Evidence that is not a score: VETO drops the match, ACCEPT keeps it whatever its score."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


VETO = Verdict("VETO")
ACCEPT = Verdict("ACCEPT")
Evidence = float | Verdict | None  # None: the rule has nothing to say about this match


@dataclass(frozen=True, slots=True)
class Context:
    """What the rules may consult besides the match: the article, its tokens, the lexicons."""

    article: Article
    tokens: list[Token] = field(repr=False)
    names: Names = field(repr=False)
    persons: frozenset[int] | set[int] = frozenset()  # token positions inside person names
    written: frozenset[str] | set[str] = frozenset()  # keys the text also writes in ordinary case
    first_names: frozenset[str] = field(default=frozenset(), repr=False)
    common_words: frozenset[str] = field(default=frozenset(), repr=False)  # lower-case English words
    acronyms: frozenset[str] = field(default=frozenset(), repr=False)  # all-caps aliases a curator listed (USA)
    frequencies: dict[str, float] = field(default_factory=dict, repr=False)  # key → Zipf frequency (its language)

    @property
    def lang(self) -> str:
        return self.article.lang

    @classmethod
    def of(cls, article: Article, tokens: list[Token], names: Names, *, persons: set[int] | None = None,
           written: set[str] | None = None) -> Context:
        """A context with the product's lexicons (first names, English words, acronyms)."""
        return cls(article, tokens, names, persons if persons is not None else frozenset(),
                   written if written is not None else frozenset(), first_names(), common_english_words(),
                   curated_acronyms(), word_frequencies(article.lang))


@dataclass(slots=True)
class Match:
    """A gazetteer name at tokens i..j and how it reads; readings may change the reading part.

    `found_form` and `found_rows` are what the name index gave (form: name, adjective or part,
    as in Südlibanon); `form`, `rows`, `best_row`, `prior`, `kind`, `best_type`, `article_kind`,
    `cues` and `end` are the current reading, which the readings may change.
    """

    i: int
    j: int
    key: str
    found_form: str
    surface: str  # the matched words as written
    multiword: bool
    found_rows: list[tuple[int, float]]  # the entries the key names, best first, as looked up
    types: set[NameType]
    rows: list[tuple[int, float]]
    form: str
    best_row: int
    prior: float
    kind: str
    best_type: NameType
    end: int  # character end of the mention (a dotted abbreviation takes its dot: "Ky.")
    prev_word: Token | None
    next_word: Token | None
    qualifier: str  # key of the region or country after a comma: Paris, Texas → "texas"
    in_name: bool = False  # the match starts a building's name (Middletown High School)
    article_kind: str = ""  # a kind the grammar implies (am Dnipro: the river, not the city)
    cues: tuple[str, ...] = ()  # kinds whose cue words stand beside the name (die Stadt Zug: city)

    @property
    def part(self) -> bool:
        """Südlibanon: judged as the country's name, linked like an adjective."""
        return self.found_form == "part"

    def set_best(self, names: Names) -> None:
        """Take the first of `rows` as the best entry (its prior, kind and name type)."""
        self.best_row, self.prior = self.rows[0]
        self.kind = names.gazetteer.kind_of(self.best_row)
        self.best_type = min((t for r, t in names.gazetteer.postings(self.key) if r == self.best_row),
                             default=NameType.NAME)


Rule = Callable[[Match, Context], Evidence]
Reading = Callable[[Match, Context], None]


def read_match(ctx: Context, i: int, found: NameMatch, *, in_name: bool = False) -> Match | None:
    """The match of a name found at token i, read plainly (None if the index has no entry).

    All-caps codes (MSQ, BY) are not looked up; all-caps names (BERLIN, USA) are.
    """
    j, key, form = found
    tokens, article, names = ctx.tokens, ctx.article, ctx.names
    rows = names.rows(key, allow_codes=False, lang=article.lang)
    if not rows:
        return None
    first, last = tokens[i], tokens[j]
    reading = "name" if form == "part" else form
    match = Match(i, j, key, form, article.text[first.start:last.end], j > i, rows, names.types(key), rows,
                  reading, 0, 0.0, "", NameType.NAME, last.end, previous_word(tokens, i), next_word(tokens, j),
                  names.qualifier(tokens, j, article.lang), in_name)
    match.set_best(names)
    return match


def judge(match: Match, ctx: Context, readings: Sequence[Reading], rules: Sequence[Rule]) -> RawMention | None:
    """Settle the match's reading, weigh the rules' evidence in order, keep it above the threshold."""
    for read in readings:
        read(match, ctx)
    score = match.prior
    accepted = False
    for rule in rules:
        evidence = rule(match, ctx)
        if evidence is None:
            continue
        if evidence is VETO:
            return None
        if evidence is ACCEPT:
            accepted = True
        else:
            score += evidence
    if accepted:
        score = max(score, ACCEPT_THRESHOLD)
    if score < ACCEPT_THRESHOLD:
        return None
    first = ctx.tokens[match.i]
    return RawMention(first.start, match.end, ctx.article.text[first.start:match.end], first.passage, match.key,
                      "adjective" if match.part else match.form, match.rows, score,
                      match.cues[-1] if match.cues else match.article_kind,
                      qualifier=match.qualifier)

