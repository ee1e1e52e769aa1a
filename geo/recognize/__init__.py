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
   Rules that need only the words (stop words, persons, contractions) are `rules.WORD_RULES`,
   run before the name is even looked up.

Adding a rule (a German list of towns, a noun that is a word first, an organisation, an
English phrase inside German text):

1. write one function in `rules.py`, `def my_rule(match: Match, ctx: Context) -> Evidence`,
   that reads the match (`key`, `surface`, `i`/`j`, `prev_word`, `next_word`, `kind`, `form`,
   `rows`, …) and the context (`tokens`, `article`, `lang`, `names`, `persons`, lexicons),
   changes nothing, and returns a weight from `WEIGHTS` (add its name there), `VETO`,
   `ACCEPT` or None; its docstring quotes the text it handles;
2. put it in `RULES`, or in `WORD_RULES` if it reads only the words (`i`, `j`, `key`,
   `surface`, neighbours), not the entries (the order matters only for the sum's rounding and
   for speed: cheap vetoes first);
3. add one test in `tests/test_rules.py` that calls it on a sentence of your own
   (`tests/test_rules.py` shows how to build a match and its context without a geoparse).

A rule that changes what the match is (another entry, another form) is a reading instead:
a function in `readings.py` that rewrites the match in place, listed in `READINGS`.
"""

from geo.models import RawMention
from geo.recognize.judge import (ACCEPT, ACCEPT_THRESHOLD, VETO, Context, Evidence, Match, judge, look_up, read_match,
                                  words_of)
from geo.recognize.readings import READINGS
from geo.recognize.rules import RULES, WEIGHTS, WORD_RULES
from geo.recognize.scan import Recognizer
from geo.recognize.tokens import Token, tokenize

__all__ = [
    "Recognizer", "RawMention", "Token", "tokenize", "ACCEPT_THRESHOLD", "WORD_RULES", "RULES", "READINGS",
    "WEIGHTS", "VETO", "ACCEPT", "Evidence", "Match", "Context", "judge", "words_of", "look_up", "read_match",
]
