"""The judge: a name match is read, weighed by the rules, and kept above one threshold.

match → judge → annotate, as in spaCy's span_ruler: `judge` knows no policy of its own; it
applies the rules and readings it is given (by default `rules.WORD_RULES`, `readings.READINGS`
and `rules.RULES`, see `scan.Recognizer`) in order. Rules on the words alone run before the
name is looked up (cheap vetoes first). The score starts from the gazetteer prior of the
match's best entry (log10 of population for a town, 8 for a country) and the rules add their
evidence to it on that scale.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geo.config import DATA_DIR
from geo.gazetteer import NameType
from geo.lexicon import common_english_words, curated_acronyms, first_names, word_frequencies
from geo.models import Article, RawMention
from geo.recognize.names import NameMatch, Names
from geo.recognize.tokens import Token, next_word, previous_word

__all__ = [
    "ACCEPT_THRESHOLD", "VETO", "ACCEPT", "Verdict", "Evidence", "Rule", "Reading", "Match", "Context",
    "words_of", "look_up", "read_match", "judge", "Judgement", "tracing", "load_scales", "SCALES",
]

ACCEPT_THRESHOLD = 3.2  # the score a match needs to be kept, on the gazetteer's prior scale
SCALES_FILE = DATA_DIR / "recognizer-weights.json"  # written by `make fit` (tools/fit_recognizer.py)


def load_scales(path: Path = SCALES_FILE) -> dict[str, dict[str, float]]:
    """How much each rule's evidence counts, by language and rule name (1 = as the rule says, its
    hand-set weight): fitted on the dev halves by tools/fit_recognizer.py; empty if the file is
    missing."""
    try:
        stored = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(lang): {str(name): float(value) for name, value in rules.items()}
            for lang, rules in stored.get("scales", {}).items()}


SCALES = load_scales()


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
    accepted: set[int] = field(default_factory=set, repr=False)  # first and last tokens of the names kept so far
    named_elsewhere: frozenset[str] | set[str] = frozenset()  # keys kept elsewhere in the article (second pass)
    # (key, lat, lon) of the distinctive places kept elsewhere in the article (second pass)
    named_points: tuple[tuple[str, float, float], ...] = ()
    lang: str = field(init=False)  # the article's language

    def __post_init__(self) -> None:
        object.__setattr__(self, "lang", self.article.lang)

    @classmethod
    def of(cls, article: Article, tokens: list[Token], names: Names, *, persons: set[int] | None = None,
           written: set[str] | None = None) -> Context:
        """A context with the product's lexicons (first names, English words, acronyms)."""
        return cls(article, tokens, names, persons if persons is not None else frozenset(),
                   written if written is not None else frozenset(), first_names(article.lang), common_english_words(),
                   curated_acronyms(), word_frequencies(article.lang))


@dataclass(slots=True)
class Match:
    """A gazetteer name at tokens i..j: its words, its entries, and how it reads.

    The words (`i` … `in_name`) are known before the name is looked up, which is all that
    `WORD_RULES` may read. `found_rows` and `postings` are what the index holds for the key;
    `rows`, `form`, `best_row`, `prior`, `kind`, `best_type`, `article_kind`, `cues` and `end`
    are the current reading, which the readings may change.
    """

    i: int
    j: int
    key: str
    found_form: str  # what the name index matched: name, adjective, or part (Südlibanon)
    surface: str  # the matched words as written
    multiword: bool
    end: int  # character end of the mention (a dotted abbreviation takes its dot: "Ky.")
    prev_word: Token | None
    next_word: Token | None
    qualifier: str  # key of the region or country after a comma: Paris, Texas → "texas"
    in_name: bool = False  # the match starts a building's name (Middletown High School)
    located_in: bool = False  # the qualifier is a region after «in»: Salem in Massachusetts
    # Looked up (`look_up`):
    found_rows: list[tuple[int, float]] = ()  # the entries the key names, best first, with their prior
    postings: tuple[tuple[int, int], ...] = ()  # (entry row, NameType) of every entry the key names
    types: frozenset[int] | set[int] = frozenset()  # the NameTypes among them
    # The reading (`READINGS`):
    rows: list[tuple[int, float]] = ()
    form: str = "name"
    best_row: int = -1
    prior: float = 0.0
    kind: str = ""
    best_type: int = NameType.NAME
    article_kind: str = ""  # a kind the grammar implies (am Dnipro: the river, not the city)
    cues: tuple[str, ...] = ()  # kinds whose cue words stand beside the name (die Stadt Zug: city)

    @property
    def part(self) -> bool:
        """Südlibanon: judged as the country's name, linked like an adjective."""
        return self.found_form == "part"

    def set_best(self, names: Names) -> None:
        """Take the first of `rows` as the best entry (its prior, kind and name type)."""
        best_row, self.prior = self.rows[0]
        self.best_row = best_row
        self.kind = names.gazetteer.kind_of(best_row)
        self.best_type = min((t for r, t in self.postings if r == best_row), default=NameType.NAME)


Rule = Callable[[Match, Context], Evidence]
Reading = Callable[[Match, Context], None]


def words_of(ctx: Context, i: int, found: NameMatch, *, in_name: bool = False) -> Match:
    """The match of a name found at token i (`Names.longest_name`), before it is looked up."""
    j, key, form = found
    tokens = ctx.tokens
    first, last = tokens[i], tokens[j]
    return Match(i, j, key, form, ctx.article.text[first.start:last.end], j > i, last.end,
                 previous_word(tokens, i), next_word(tokens, j), ctx.names.qualifier(tokens, j, ctx.lang), in_name,
                 form="name" if form == "part" else form)


def look_up(match: Match, ctx: Context) -> bool:
    """Give the match its entries and read it plainly; False if the index has none.

    All-caps codes (MSQ, BY) are not looked up; all-caps names (BERLIN, USA) are.
    """
    names = ctx.names
    rows = names.rows(match.key, allow_codes=False, lang=ctx.lang)
    if not rows:
        return False
    match.found_rows = match.rows = rows
    match.postings = names.postings(match.key)
    match.types = names.name_types(match.key)
    match.set_best(names)
    return True


def read_match(ctx: Context, i: int, found: NameMatch, *, in_name: bool = False) -> Match | None:
    """The match of a name found at token i, looked up and read plainly (None without entries)."""
    match = words_of(ctx, i, found, in_name=in_name)
    return match if look_up(match, ctx) else None


@dataclass(frozen=True, slots=True)
class Judgement:
    """One judged match, as `tracing` records it: its span, prior, the rules' evidence (rule
    name, delta before its scale) and the verdict. tools/fit_recognizer.py fits the scales on these."""

    start: int
    end: int
    form: str
    prior: float
    evidence: tuple[tuple[str, float], ...]
    veto: str | None  # the rule that vetoed it
    accepted: bool  # a rule said ACCEPT
    kept: bool


_TRACE: contextvars.ContextVar[list[Judgement] | None] = contextvars.ContextVar("judgements", default=None)


@contextlib.contextmanager
def tracing() -> Iterator[list[Judgement]]:
    """Record every judgement made inside the block (in this thread) in the list it gives."""
    judgements: list[Judgement] = []
    token = _TRACE.set(judgements)
    try:
        yield judgements
    finally:
        _TRACE.reset(token)


def _weigh(rules, match, ctx, named: list | None = None) -> tuple[list[float], bool] | None:
    """The rules' evidence on a match, in order: (score deltas, accepted), None at the first veto.
    A delta counts `SCALES[lang][rule]` times (1 unless fitted); `named` collects (rule, delta, verdict)."""
    deltas: list[float] = []
    accepted = False
    scales = SCALES.get(ctx.lang) if SCALES else None
    for rule in rules:
        evidence = rule(match, ctx)
        if evidence is None:
            continue
        if named is not None:
            named.append((rule.__name__, evidence))
        if evidence is VETO:
            return None
        if evidence is ACCEPT:
            accepted = True
        else:
            deltas.append(evidence * scales[rule.__name__] if scales and rule.__name__ in scales else evidence)
    return deltas, accepted


def judge(ctx: Context, i: int, found: NameMatch, word_rules: Sequence[Rule], readings: Sequence[Reading],
          rules: Sequence[Rule], *, in_name: bool = False) -> RawMention | None:
    """Judge the name found at token i: the word rules, the look-up, the readings, the rules.

    The score is the prior of the best entry plus the rules' deltas in order (word rules first);
    the first veto ends the judgement; the match is kept at `ACCEPT_THRESHOLD` or above.
    """
    match = words_of(ctx, i, found, in_name=in_name)
    trace = _TRACE.get()
    named = [] if trace is not None else None
    words = _weigh(word_rules, match, ctx, named)
    if words is None or not look_up(match, ctx):
        return None
    for read in readings:
        read(match, ctx)
    weighed = _weigh(rules, match, ctx, named)
    if weighed is None:
        if trace is not None:
            _record(trace, ctx, i, match, named, kept=False)
        return None
    accepted = words[1] or weighed[1]
    score = match.prior
    for delta in words[0] + weighed[0]:
        score += delta
    if accepted:
        score = max(score, ACCEPT_THRESHOLD)
    if trace is not None:
        _record(trace, ctx, i, match, named, kept=score >= ACCEPT_THRESHOLD)
    if score < ACCEPT_THRESHOLD:
        return None
    first = ctx.tokens[i]
    return RawMention(first.start, match.end, ctx.article.text[first.start:match.end], first.passage, match.key,
                      "adjective" if match.part else match.form, match.rows, score,
                      "|".join(match.cues) if match.cues else match.article_kind,
                      qualifier=match.qualifier)


def _record(trace: list[Judgement], ctx: Context, i: int, match: Match, named: list, *, kept: bool) -> None:
    veto = next((name for name, evidence in named if evidence is VETO), None)
    trace.append(Judgement(
        ctx.tokens[i].start, match.end, "adjective" if match.part else match.form, match.prior,
        tuple((name, float(evidence)) for name, evidence in named if not isinstance(evidence, Verdict)),
        veto, any(evidence is ACCEPT for _, evidence in named), kept))
