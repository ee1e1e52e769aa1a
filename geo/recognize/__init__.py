"""Recognition: find the spans of an article that name places.

No statistical model. The scan (`scan.Recognizer.find`) tries every word as the start of the
longest gazetteer name (`names`: multi-word names, hyphen compounds, German inflection and
city adjectives), after person names (`persons`), streets and buildings (`streets`) and generic
references (`generic`: der Flughafen, the border) have had their say. Each name match is then
judged (`judge`), as in spaCy's span_ruler, match → judge → annotate:

1. `readings.READINGS` settle what the match is taken to be (its entries, form and kind:
   «am Dnipro» is the river, "russischen" an adjective);
2. `rules.RULES` give evidence, in order: a score delta (a weight of `rules.WEIGHTS`), `VETO`
   or `ACCEPT`. The score starts at the prior of the match's best entry (the gazetteer's scale:
   log10 of population, a country 8) and the match is kept at `ACCEPT_THRESHOLD` or above.

Adding a rule (a German list of towns, a noun that is a word first, an organisation, an
English phrase inside German text):

1. write one function in `rules.py`, `def my_rule(match: Match, ctx: Context) -> Evidence`,
   that reads the match (`key`, `surface`, `i`/`j`, `prev_word`, `next_word`, `kind`, `form`,
   `rows`, …) and the context (`tokens`, `article`, `lang`, `names`, `persons`, lexicons),
   changes nothing, and returns a weight from `WEIGHTS` (add its name there), `VETO`,
   `ACCEPT` or None; its docstring quotes the text it handles;
2. put it in `RULES` (the order matters only for the sum's rounding and for speed: cheap
   vetoes first);
3. add one test in `tests/test_rules.py` that calls it on a sentence of your own
   (`tests/test_rules.py` shows how to build a match and its context without a geoparse).

A rule that changes what the match is (another entry, another form) is a reading instead:
a function in `readings.py` that rewrites the match in place, listed in `READINGS`.
"""

from geo.models import RawMention
from geo.recognize.judge import ACCEPT, ACCEPT_THRESHOLD, VETO, Context, Evidence, Match, judge, read_match
from geo.recognize.readings import READINGS
from geo.recognize.rules import RULES, WEIGHTS
from geo.recognize.scan import Recognizer
from geo.recognize.tokens import Token, tokenize

__all__ = [
    "Recognizer", "RawMention", "Token", "tokenize", "ACCEPT_THRESHOLD", "RULES", "READINGS", "WEIGHTS",
    "VETO", "ACCEPT", "Evidence", "Match", "Context", "judge", "read_match",
]
