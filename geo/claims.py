"""The article's geographic figures, read and checked against what we measure.

    claims = find_claims(geoparse(text))     # lengths, distances, areas, directions
    [c.as_dict() for c in claims]            # claimed vs measured, difference, verdict
    distance_table(result)                   # geodesic distances between the article's places

Three steps, each a pure function:
1. `read_statements(text, passages)` reads figures from the text alone: a number (1000,
   1'000, 1.000, 1,000, 2,5, "1.5 million", «tausend», "two hundred") with its unit (km,
   Kilometer, miles, m, km², Quadratkilometer, square miles, hectares, Hektar), the hedge in
   front of it («rund», «knapp», "more than" …), what it measures (a length: «lange Grenze»,
   "long border"; a distance: "from", «von», «nördlich von»; an area) and size comparisons
   («so gross wie die Schweiz», "the size of Belgium"), and directions («nördlich von Kiew»).
2. `find_claims` attaches each statement to the places or border of its sentence (from the
   geoparse: every place keeps its mentions' offsets) and measures it on the gazetteer's
   geometry with pyproj's geodesic on WGS84: border lengths at full OSM resolution (the
   gazetteer's `length_km`), river lengths on their lines, areas of outlines, distances
   between nearest points.
3. `verdict` sets claimed against measured within bands that respect the hedge (see
   `VERDICT_BANDS`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import shapely
import shapely.affinity
import shapely.ops

from geo.gazetteer import Gazetteer
from geo.layers import place_geometry
from geo.models import Geoparse, Mention, Passage, Place

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from pyproj import Geod, Transformer

__all__ = [
    "VERDICTS",
    "ACCURATE_PCT",
    "VERDICT_BANDS",
    "OFF_MARGIN_PCT",
    "POINT_SLACK_KM",
    "DIRECTION_PLAUSIBLE_DEG",
    "DIRECTION_OFF_DEG",
    "GENERALISED_LINE_CAVEAT",
    "ATTACHMENT_RATIO",
    "UNCERTAIN_PLACE",
    "HEDGES",
    "UNITS",
    "DIRECTIONS_DE",
    "DIRECTIONS_EN",
    "SUBJECT_WINDOW",
    "Statement",
    "Measurement",
    "Claim",
    "parse_number",
    "read_statements",
    "find_claims",
    "verdict",
    "direction_verdict",
    "distance_between",
    "distance_table",
    "distance_rings",
    "claim_rows",
    "claims_section",
    "figures_sections",
    "claim_lines",
    "ring_lines",
    "distance_lines",
]



@lru_cache(maxsize=1)
def _geod() -> Geod:
    """pyproj's geodesic on WGS84, imported on first use (pyproj costs the page's first load)."""
    from pyproj import Geod

    return Geod(ellps="WGS84")


# --------------------------------------------------------------------------- verdicts

VERDICTS = ("accurate", "plausible", "off", "wrong", "unmeasured")

ACCURATE_PCT = 3.0
"""Within this of the measurement either way a figure is `accurate`: our own measuring error
(outlines simplified for display change areas by ~0.1 %, a city is a point at its centre)."""

VERDICT_BANDS: dict[str, tuple[float, float]] = {
    "none": (-10.0, 10.0),
    "approx": (-15.0, 15.0),
    "under": (-15.0, ACCURATE_PCT),
    "over": (-ACCURATE_PCT, 50.0),
    "at_most": (-50.0, ACCURATE_PCT),
}
"""The measured value's difference from the claim, in percent of the claim, that the hedge
allows for `plausible` (low, high): measured = claimed × (1 + difference / 100).

- none («1000 Kilometer», "1,000 km"): a plain figure in an article is a rounded one; ±10 %.
- approx («rund», «etwa», «ungefähr», «ca.», "about", "some", "roughly", "around"): ±15 %.
  «rund 1000» for 1,084 km is +8 %: plausible.
- under («fast», «knapp», «beinahe», "nearly", "almost", "just under"): a little less than
  stated, up to 15 % less; more than stated only within our measuring error.
- over («über», «mehr als», «gut», «mindestens», "more than", "over", "at least"): at least
  the figure (within our measuring error) and not more than half again: "more than 1,000 km"
  for 3,000 km is true but misleads.
- at_most («weniger als», «bis zu», «höchstens», "less than", "up to", "under"): the mirror.

Outside its band by up to `OFF_MARGIN_PCT` percentage points a claim is `off`; farther it
is `wrong` (1,000 km for the Poland–Belarus border, measured 418 km: −58 %, wrong). A
one-sided hedge is never `wrong` on the side it allows: "more than 200 km" for 400 km is
true, if far understated (`off`).
"""

OFF_MARGIN_PCT = 20.0
"""How far outside its plausible band (percentage points) a claim is `off` rather than `wrong`."""

POINT_SLACK_KM = 5.0
"""A distance that misses by no more than this is never worse than `plausible`: a city is a
point at its centre, and "30 km from Kyiv" is often measured from its edge."""

DIRECTION_PLAUSIBLE_DEG = 45.0
"""A stated direction («nördlich von», "north-east of") holds within this of the measured
bearing: half the angle between two of the four main compass points."""

DIRECTION_OFF_DEG = 90.0
"""Farther from the measured bearing than `DIRECTION_PLAUSIBLE_DEG` but within this: `off`;
beyond (north for a place that lies south-east): `wrong`."""

GENERALISED_LINE_CAVEAT = ("its line is generalised (Natural Earth 50m rivers) and reads 15-20 % short "
                           "(Danube 2,386 of 2,850 km): measured, not judged")
"""Why a river's length gets no verdict: only borders carry a length measured at full resolution."""

ATTACHMENT_RATIO = 100.0
"""A figure a hundred times larger or smaller than what its place measures is about something
else in the sentence ("a property of five hectares" beside Costa Rica), not a wrong claim:
it is left unmeasured rather than called wrong."""

UNCERTAIN_PLACE = 0.5
"""A verdict that rests on a place resolved with less confidence than this says so in its note
(the figure may be right and the place wrong: Mitrovica in Kosovo read as Sremska Mitrovica)."""

_RANK = {name: i for i, name in enumerate(VERDICTS)}

# --------------------------------------------------------------------------- tables

HEDGES: dict[str, str] = {
    # approx
    "rund": "approx", "runde": "approx", "runden": "approx", "etwa": "approx", "ungefähr": "approx",
    "ungefaehr": "approx", "circa": "approx", "ca.": "approx", "zirka": "approx", "annähernd": "approx",
    "schätzungsweise": "approx", "about": "approx", "around": "approx", "roughly": "approx",
    "approximately": "approx", "approx.": "approx", "some": "approx", "an estimated": "approx",
    "nearly": "under", "almost": "under", "just under": "under", "not quite": "under",
    "fast": "under", "knapp": "under", "knappe": "under", "knapper": "under", "beinahe": "under",
    "nahezu": "under", "gut": "over", "gute": "over", "guten": "over", "über": "over", "ueber": "over",
    "mehr als": "over", "mindestens": "over", "weit über": "over", "more than": "over", "over": "over",
    "just over": "over", "well over": "over", "at least": "over", "upwards of": "over",
    "weniger als": "at_most", "bis zu": "at_most", "höchstens": "at_most", "less than": "at_most",
    "up to": "at_most", "under": "at_most", "no more than": "at_most", "fewer than": "at_most",
}
"""Hedge phrase (lower case, as written before the number) → the band it allows."""

UNITS: dict[str, tuple[str, float]] = {
    "km": ("length", 1.0),
    "mi": ("length", 1.609344),
    "m": ("length", 0.001),
    "km2": ("area", 1.0),
    "mi2": ("area", 2.589988110336),
    "ha": ("area", 0.01),
}
"""Unit → (dimension, factor to km or km²)."""

# Spellings of each unit, longest first within the alternation (a regex, case-insensitive
# unless scoped with (?-i:…)).
_UNIT_SPELLINGS: tuple[tuple[str, str], ...] = (
    ("km2", r"quadratkilomet(?:er|re)(?:n|s)?|square[\s-]+kilomet(?:re|er)s?|sq\.?\s*kilomet(?:re|er)s?"
            r"|sq\.?\s*km|km²|km2|qkm"),
    ("mi2", r"quadratmeilen|square[\s-]+miles?|sq\.?\s*mi(?:les?)?\.?"),
    ("ha", r"hekt(?:ar|are)(?:n|s)?|hectares?|(?-i:ha)"),
    ("km", r"kilomet(?:er|re)(?:n|s)?|(?-i:km|Km|KM)"),
    ("mi", r"miles?|meilen"),
    ("m", r"met(?:er|re)(?:n|s)?|(?-i:m)"),
)
_LETTER = "A-Za-zÄÖÜäöüßÀ-ÿ"
_UNIT_RE = re.compile(
    rf"(?<![{_LETTER}])(?:" + "|".join(f"(?P<{key}>{spelling})" for key, spelling in _UNIT_SPELLINGS)
    + rf")(?![{_LETTER}0-9²])", re.IGNORECASE)

_NUMBER_RE = r"\d{1,3}(?:['’\u2009\u202f\u00a0]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*"
_SCALES: dict[str, float] = {
    "million": 1e6, "millionen": 1e6, "millions": 1e6, "mio.": 1e6, "mio": 1e6,
    "billion": 1e9, "billions": 1e9, "milliarde": 1e9, "milliarden": 1e9, "mrd.": 1e9,
    "thousand": 1e3, "thousands": 1e3, "tausend": 1e3, "hundred": 1e2, "hundert": 1e2,
}
_SCALE_RE = "|".join(sorted((re.escape(s) for s in _SCALES), key=len, reverse=True))
_DIGITS_BEFORE_UNIT = re.compile(
    rf"(?<![\w.,'’])(?P<number>{_NUMBER_RE})(?:[\s\u00a0]+(?P<scale>{_SCALE_RE})(?![\w]))?[\s\u00a0\u202f-]*$",
    re.IGNORECASE)
_WORD = re.compile(rf"[{_LETTER}]+")

_EN_SMALL = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_EN_SCALE = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
_DE_UNIT = {"ein": 1, "eins": 1, "zwei": 2, "zwo": 2, "drei": 3, "vier": 4, "fünf": 5, "fuenf": 5, "sechs": 6,
            "sieben": 7, "acht": 8, "neun": 9}
_DE_TEEN = {"zehn": 10, "elf": 11, "zwölf": 12, "zwoelf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15,
            "fuenfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19}
_DE_TENS = {"zwanzig": 20, "dreissig": 30, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "fuenfzig": 50,
            "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90}
_ONE_BEFORE_SCALE = {"a", "an", "one", "ein", "eine", "einer"}

# Compass: direction word → bearing (degrees clockwise from north).
DIRECTIONS_DE: dict[str, float] = {
    "nördlich": 0, "noerdlich": 0, "nordöstlich": 45, "nordoestlich": 45, "östlich": 90, "oestlich": 90,
    "südöstlich": 135, "suedoestlich": 135, "südlich": 180, "suedlich": 180, "südwestlich": 225,
    "suedwestlich": 225, "westlich": 270, "nordwestlich": 315,
}
DIRECTIONS_EN: dict[str, float] = {
    "north": 0, "north-east": 45, "northeast": 45, "east": 90, "south-east": 135, "southeast": 135,
    "south": 180, "south-west": 225, "southwest": 225, "west": 270, "north-west": 315, "northwest": 315,
}
_COMPASS_NAMES = {0: "north", 45: "north-east", 90: "east", 135: "south-east", 180: "south",
                  225: "south-west", 270: "west", 315: "north-west"}
_DIR_DE = "|".join(sorted(DIRECTIONS_DE, key=len, reverse=True))
_DIR_EN = "|".join(sorted((re.escape(d) for d in DIRECTIONS_EN), key=len, reverse=True))

# What follows a figure: a length («lange Grenze», "long", "-long", "in length") …
_LENGTH_AFTER = re.compile(r"^[\s-]*(?:lang(?:e|en|er|es|em)?|long|in\s+length)(?![\w])", re.IGNORECASE)
# … a length announced before it ("a length of", «auf einer Länge von», "stretches for", "border of")
_LENGTH_BEFORE = re.compile(
    r"(?:length\s+of|länge\s+von|stretch(?:es|ing)?(?:\s+for)?|runs?\s+for|extends?\s+for|erstreckt\s+sich\s+über"
    r"|(?:border|frontier|boundary|grenze)\s+(?:of|von))\s*(?:\S+\s+)?$", re.IGNORECASE)
# … a noun right after the unit ("the 1,084-km border", «die 1000-Kilometer-Grenze»)
_BORDER_NOUNS = r"border|frontier|boundary|grenze|grenzlinie|landgrenze"
_LINE_NOUN_AFTER = re.compile(rf"^[\s-]*(?:long\s+|lange?n?\s+)?(?P<noun>{_BORDER_NOUNS})(?![\w])", re.IGNORECASE)
_BORDER_WORD = re.compile(rf"(?<![\w])(?:{_BORDER_NOUNS})(?:n)?(?![\w])", re.IGNORECASE)
# … a distance: "from", «von», «vom», "north of", «nördlich von», «südlich Kiews», «entfernt»
_DISTANCE_AFTER = re.compile(
    rf"^[\s,]*(?:(?:weiter\s+|further\s+|to\s+the\s+)?(?P<dir>{_DIR_DE}|{_DIR_EN})(?![\w])\s*(?:of|von|vom|der|des)?"
    rf"|(?P<prep>(?:away\s+)?from|outside|off|von|vom|vor|ab|entfernt|away|distant))(?![\w])",
    re.IGNORECASE)
_PHRASE = re.compile(r"[\s-]*((?:[\w'’]+(?:-[\w'’]+)*)(?:[ \u00a0]+[\w'’]+(?:-[\w'’]+)*){0,3})")
_WORD_OR_HYPHENED = re.compile(r"[\w'’]+(?:-[\w'’]+)*")
_PHRASE_BREAK = frozenset(
    "and or but is was are were which that who where in on at to with through across along between of under "
    "over near und oder aber ist war sind waren liegt lag die im am an auf durch entlang zwischen unter bei nahe "
    "über".split())
_CLAUSE_BREAK = frozenset("and or but is was are were which that und oder aber ist war sind waren liegt lag".split())
_SPEED_AFTER = re.compile(r"^\s*(?:/\s*h|/\s*std|per\s+hour|an\s+hour|pro\s+stunde|in\s+der\s+stunde)(?![\w])",
                          re.IGNORECASE)
_BETWEEN = re.compile(r"(?<![\w])(?:between|zwischen)(?![\w])", re.IGNORECASE)
# Direction without a figure: «nördlich von Kiew», "north of Kyiv".
_DIRECTION_ONLY = re.compile(
    rf"(?<![\w-])(?P<dir>{_DIR_DE})\s+(?:von|vom|der|des)(?![\w])|(?<![\w-])(?:to\s+the\s+)?(?<![Tt]he\s)(?P<dir_en>{_DIR_EN})\s+of(?![\w])",
    re.IGNORECASE)
# Size comparisons: «(etwa) (doppelt) so gross wie», "(about) (twice) the size of", "as large as".
_FACTORS: dict[str, float] = {
    "doppelt": 2, "zweimal": 2, "dreimal": 3, "viermal": 4, "fünfmal": 5, "zehnmal": 10, "halb": 0.5,
    "twice": 2, "half": 0.5, "three times": 3, "four times": 4, "five times": 5, "ten times": 10,
}
_FACTOR_RE = "|".join(sorted((re.escape(f) for f in _FACTORS), key=len, reverse=True))
_COMPARISON = re.compile(
    rf"(?<![\w])(?:(?P<factor>{_FACTOR_RE}|\d+(?:[.,]\d+)?[\s-]*(?:mal|times))\s+)?"
    r"(?:so\s+(?:gross|groß)\s+wie|(?:the\s+)?size\s+of|as\s+(?:large|big)\s+as)(?![\w])",
    re.IGNORECASE)
_HEDGE_BEFORE = re.compile(
    r"(?<![\w])(?P<hedge>" + "|".join(sorted((re.escape(h) for h in HEDGES), key=len, reverse=True))
    + r")[\s\u00a0]+(?:(?:so|the|die|der|das)\s+)?$", re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(r"[$£€¥]\s*$|(?:USD|EUR|CHF|Fr\.)\s*$")

# How near a subject must be mentioned to the figure it belongs to (characters).
SUBJECT_WINDOW = 60

_POINT_KINDS = ("city", "facility")
_CLIP_COORDINATES = 2_000  # outlines with more vertices are clipped near the pair before measuring


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class Statement:
    """A geographic figure as written, before anything is measured.

    `kind`: length, distance, area, comparison (an area given as another place's size),
    direction (a compass direction without a figure), figure (a length unit with no cue
    saying what it measures). `value` is the claim in km (length, distance) or km² (area,
    comparison; None until the reference place is measured); `quantity` and `unit` are as
    written (a comparison's quantity is its factor and its unit "size of"). `cue_end`: where
    the words that name what is measured begin (after "from", «lange», "between", "size of"),
    `noun_end` where they end (up to three words). `attributive`: the figure qualifies the words
    after it («1000 Kilometer lange Grenze», "a 2.5 km long tunnel"), not the ones before
    ("the Danube is 2,850 km long").
    """

    kind: str
    text: str
    start: int
    end: int
    passage: int
    quantity: float | None
    unit: str
    value: float | None
    hedge: str = ""
    hedge_class: str = "none"
    direction: float | None = None
    cue_end: int = 0
    noun_end: int = 0
    attributive: bool = False
    between: bool = False
    border_noun: bool = False

    @property
    def dimension(self) -> str:
        return "area" if self.kind in ("area", "comparison") else "length"


@dataclass(frozen=True, slots=True)
class Measurement:
    """What we measured for a claim: `value` in km or km², how, and the line drawn on the map.

    `line`: ((lat, lon), …) of the measured segment or border, or () for an area.
    `bearing`: degrees clockwise from north, from the reference place to the located one.
    """

    value: float
    unit: str
    method: str
    line: tuple[tuple[float, float], ...] = ()
    bearing: float | None = None
    caveat: str = ""  # set when the geometry is too coarse to judge the claim by


@dataclass(frozen=True, slots=True)
class Claim:
    """A statement attached to the places it is about, measured and judged."""

    statement: Statement
    subject: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    measurement: Measurement | None = None
    difference_pct: float | None = None
    verdict: str = "unmeasured"
    direction_verdict: str | None = None
    note: str = ""

    @property
    def text(self) -> str:
        return self.statement.text

    @property
    def start(self) -> int:
        return self.statement.start

    @property
    def end(self) -> int:
        return self.statement.end

    def as_dict(self) -> dict:
        """JSON-ready: the CLI's output, the page's table and the briefing sheet read this."""
        s, m = self.statement, self.measurement
        claimed_key = "claimed_km2" if s.dimension == "area" else "claimed_km"
        out = {
            "text": s.text, "start": s.start, "end": s.end, "passage": s.passage, "kind": s.kind,
            "quantity": s.quantity, "unit": s.unit, "hedge": s.hedge or None,
            claimed_key: None if s.value is None else _round(s.value),
            "measured": None if m is None else _round(m.value),
            "measured_unit": None if m is None else m.unit,
            "difference_pct": None if self.difference_pct is None else round(self.difference_pct, 1),
            "verdict": self.verdict,
            "subject": list(self.subject),
            "subject_names": list(self.names),
            "method": None if m is None else m.method,
            "note": self.note or None,
        }
        if s.direction is not None:
            out["direction"] = {
                "claimed": _COMPASS_NAMES.get(int(s.direction), f"{s.direction:.0f}°"),
                "measured_bearing": None if m is None or m.bearing is None else round(m.bearing, 1),
                "verdict": self.direction_verdict or "unmeasured",
            }
        return out


def _round(value: float) -> float:
    return round(value, 1) if value < 10_000 else float(round(value))


# --------------------------------------------------------------------------- numbers


def parse_number(written: str) -> float:
    """A number as articles write it: 1000, 1'000, 1.000, 1,000, 2,5, 1.5, 1,084.5, 1.084,5.

    A separator followed by exactly three digits groups thousands, any other marks decimals
    (1.000 and 1,000 are a thousand; 2,5 and 1.5 are fractions); apostrophes and thin spaces
    always group. Raises ValueError for anything else.
    """
    text = re.sub(r"['’\u2009\u202f\u00a0]", "", written.strip())
    if not re.fullmatch(r"\d+(?:[.,]\d+)*", text):
        raise ValueError(f"not a number: {written!r}")
    seps = [c for c in text if c in ".,"]
    if not seps:
        return float(text)
    if len(set(seps)) == 2:  # 1,084.5 / 1.084,5: the last one is the decimal mark
        last = max(text.rfind("."), text.rfind(","))
        return float(re.sub(r"[.,]", "", text[:last]) + "." + text[last + 1:])
    groups = re.split(r"[.,]", text)
    if len(seps) > 1 or (len(groups[1]) == 3 and groups[0] != "0"):
        if all(len(g) == 3 for g in groups[1:]):
            return float("".join(groups))
        if len(seps) > 1:
            raise ValueError(f"not a number: {written!r}")
    return float(groups[0] + "." + groups[1])


def _english_words(words: Sequence[str]) -> float | None:
    """"two hundred", "a thousand", "one hundred and fifty", "twenty-five", "1.5" + "million"."""
    total, current, seen = 0.0, 0.0, False
    for k, word in enumerate(words):
        if word in _ONE_BEFORE_SCALE and word in ("a", "an", "one"):
            if word in ("a", "an") and (k + 1 >= len(words) or words[k + 1] not in _EN_SCALE):
                return None
            current += 1
        elif word in _EN_SMALL:
            if current % 100 and (_EN_SMALL[word] >= 10 or current % 10):  # "five twenty", "twenty-five six"
                return None
            current += _EN_SMALL[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in ("thousand", "million"):
            total += (current or 1) * _EN_SCALE[word]
            current = 0
        elif word == "and" and seen and k + 1 < len(words):
            continue
        else:
            return None
        seen = True
    return total + current if seen else None


def _german_below_100(word: str) -> int | None:
    if not word:
        return 0
    for table in (_DE_UNIT, _DE_TEEN, _DE_TENS):
        if word in table:
            return table[word]
    if "und" in word:
        unit, _, tens = word.partition("und")
        if unit in _DE_UNIT and tens in _DE_TENS:
            return _DE_UNIT[unit] + _DE_TENS[tens]
    return None


def _german_below_1000(word: str) -> int | None:
    if "hundert" in word:
        left, _, right = word.partition("hundert")
        hundreds = _DE_UNIT.get(left) if left else 1
        rest = _german_below_100(right)
        return None if hundreds is None or rest is None else hundreds * 100 + rest
    return _german_below_100(word)


def _german_word(word: str) -> int | None:
    """«tausend», «zweihundert», «dreitausendfünfhundert», «fünfzig», «zehntausend»."""
    word = word.lower().replace("ß", "ss")
    if word in ("ein", "eins", "eine"):
        return None  # an article far more often than a number
    if "tausend" in word:
        left, _, right = word.partition("tausend")
        thousands = _german_below_1000(left) if left else 1
        rest = _german_below_1000(right) if right else 0
        return None if not thousands or rest is None else thousands * 1000 + rest
    return _german_below_1000(word)


def _quantity_before(text: str, end: int) -> tuple[float, int] | None:
    """The number that ends right before `end` (the unit): its value and start offset."""
    head = text[max(0, end - 60):end]
    offset = end - len(head)
    found = _DIGITS_BEFORE_UNIT.search(head)
    if found:
        before = head[:found.start()]
        if _CURRENCY_BEFORE.search(before):
            return None
        try:
            value = parse_number(found.group("number"))
        except ValueError:
            return None
        scale = found.group("scale")
        if scale:
            value *= _SCALES[scale.lower()]
        return value, offset + found.start()
    # number words: the longest run of words right before the unit that reads as a number
    words = list(_WORD.finditer(head))
    run: list[re.Match] = []
    cursor = len(head)
    for word in reversed(words):
        gap = head[word.end():cursor]
        if gap.strip(" -\u00a0") or len(run) >= 8:
            break
        run.insert(0, word)
        cursor = word.start()
    for k in range(len(run)):
        tokens = [w.group().lower() for w in run[k:]]
        if len(tokens) == 1:
            value = _german_word(run[k].group())
            if value is None and tokens[0] in _EN_SMALL:
                value = _EN_SMALL[tokens[0]]
        elif tokens[-1] in _SCALES and all(t in _ONE_BEFORE_SCALE or t in _EN_SMALL or t in _EN_SCALE
                                           or _german_word(t) for t in tokens[:-1]) and not _english_words(tokens):
            # «zwei Millionen», «eine Million»
            lead = tokens[:-1]
            base = 1 if len(lead) == 1 and lead[0] in _ONE_BEFORE_SCALE else (
                _german_word(lead[0]) if len(lead) == 1 else _english_words(lead))
            value = None if not base else base * _SCALES[tokens[-1]]
        else:
            value = _english_words(tokens)
        if value:
            return float(value), offset + run[k].start()
    return None


# --------------------------------------------------------------------------- reading


def _hedge_before(text: str, start: int) -> tuple[str, str, int]:
    """«rund», «knapp», "more than" … right before a number: (as written, band, its start)."""
    head = text[max(0, start - 40):start]
    found = _HEDGE_BEFORE.search(head)
    if not found:
        return "", "none", start
    written = found.group("hedge")
    return written, HEDGES[written.lower()], start - len(head) + found.start()


def _passages_of(text: str, passages: Sequence[Passage] | None) -> list[tuple[int, int, int]]:
    if passages:
        return [(p.index, p.start, p.end) for p in passages]
    return [(0, 0, len(text))]


def read_statements(text: str, passages: Sequence[Passage] | None = None) -> list[Statement]:
    """Every geographic figure, comparison and direction in the text, sentence by sentence."""
    found: list[Statement] = []
    for index, p_start, p_end in _passages_of(text, passages):
        sentence = text[p_start:p_end]
        taken: list[tuple[int, int]] = []
        for unit_match in _UNIT_RE.finditer(sentence):
            statement = _figure(sentence, unit_match, p_start, index)
            if statement is not None:
                found.append(statement)
                taken.append((statement.start - p_start, statement.end - p_start))
        for comparison in _COMPARISON.finditer(sentence):
            found.append(_comparison(sentence, comparison, p_start, index))
        for direction in _DIRECTION_ONLY.finditer(sentence):
            if any(s <= direction.start() < e + 12 for s, e in taken):
                continue  # «100 Kilometer nördlich von Kiew»: part of the distance
            found.append(_direction(sentence, direction, p_start, index))
    return sorted(found, key=lambda s: s.start)


def _figure(sentence: str, unit_match: re.Match, offset: int, passage: int) -> Statement | None:
    unit = unit_match.lastgroup
    quantity = _quantity_before(sentence, unit_match.start())
    if quantity is None:
        return None
    value, start = quantity
    hedge, band, hedge_start = _hedge_before(sentence, start)
    rest = sentence[unit_match.end():]
    if _SPEED_AFTER.match(rest):
        return None  # 60 km/h, "194 kilometres an hour": a speed, not a place's size
    dimension, factor = UNITS[unit]
    end = unit_match.end()
    kind, direction, cue_end, border_noun, attributive = "figure", None, end, False, False
    between = bool(_BETWEEN.search(sentence[max(0, hedge_start - SUBJECT_WINDOW):hedge_start])) or bool(
        re.match(r"^\s*(?:between|zwischen)(?![\w])", rest, re.IGNORECASE))
    if dimension == "area":
        kind = "area"
    elif (noun := _LINE_NOUN_AFTER.match(rest)) is not None:  # "the 1,084-km border"
        kind, border_noun, attributive = "length", True, True
        cue_end, end = end + noun.start("noun"), end + noun.end()
    elif (length := _LENGTH_AFTER.match(rest)) is not None:
        kind, cue_end = "length", end + length.end()
        phrase = _noun_phrase(sentence, cue_end)
        cue_word = length.group().strip(" -").lower()
        attributive = phrase[1] > phrase[0] and (cue_word not in ("lang", "in length") or rest.startswith("-"))
        end = phrase[1] if attributive else cue_end
        border_noun = attributive and bool(_BORDER_WORD.search(sentence, phrase[0], phrase[1]))
    elif _LENGTH_BEFORE.search(sentence[:hedge_start]):
        kind = "length"
        border_noun = bool(_BORDER_WORD.search(sentence[:hedge_start]))
    elif (distance := _DISTANCE_AFTER.match(rest)) is not None or between:
        kind = "distance"
        if distance is not None:
            cue_end = end + distance.end()
            if distance.group("dir"):
                direction = float(_bearing_of(distance.group("dir")))
                end = cue_end
    elif unit == "m":
        return None  # a bare "m" with nothing geographic around it (1.5m people, 5 m tall)
    if kind == "length" and not attributive:
        border_noun = border_noun or bool(_BORDER_WORD.search(sentence[:hedge_start]))
    noun_end = _noun_phrase(sentence, cue_end)[1] if kind != "length" or not attributive else end
    if kind == "distance":
        border_noun = bool(_BORDER_WORD.search(sentence, cue_end, noun_end))
    text_start = hedge_start
    return Statement(
        kind=kind, text=sentence[text_start:end], start=offset + text_start, end=offset + end, passage=passage,
        quantity=value, unit=unit_match.group(), value=value * factor, hedge=hedge, hedge_class=band,
        direction=direction, cue_end=offset + cue_end, noun_end=offset + noun_end, attributive=attributive,
        between=between and kind == "distance", border_noun=border_noun,
    )


def _noun_phrase(sentence: str, start: int) -> tuple[int, int]:
    """The words a figure's cue leads to, up to its head noun: (start, end) in the sentence.

    «1000 Kilometer lange [gemeinsame Grenze], die …», «2,5 Kilometer lange [Tunnel] führt»,
    "30 km from [the Polish border] and …", "100 km north of [Kyiv] lies …". The phrase ends
    before a break word (and, of, liegt …), after a border noun, and after a capitalised word
    (a German noun, a name) unless a border noun follows it ("the Belarusian border").
    """
    found = _PHRASE.match(sentence, start)
    if not found:
        return start, start
    words = list(_WORD_OR_HYPHENED.finditer(sentence, found.start(1), found.end()))
    end = found.start(1)
    for k, word in enumerate(words):
        lower = word.group().lower()
        if lower in _PHRASE_BREAK and (k > 0 or lower in _CLAUSE_BREAK):
            break
        end = word.end()
        if _BORDER_WORD.fullmatch(word.group()):
            break
        following = words[k + 1].group() if k + 1 < len(words) else ""
        if word.group()[0].isupper() and not _BORDER_WORD.fullmatch(following):
            break
    return found.start(1), end


def _bearing_of(word: str) -> float:
    key = word.lower()
    return DIRECTIONS_DE.get(key, DIRECTIONS_EN.get(key.replace(" ", "-"), 0.0))


def _comparison(sentence: str, match: re.Match, offset: int, passage: int) -> Statement:
    written = match.group("factor")
    factor = 1.0
    if written:
        factor = _FACTORS.get(written.lower()) or parse_number(re.match(r"[\d.,]+", written).group())
    hedge, band, start = _hedge_before(sentence, match.start())
    return Statement(
        kind="comparison", text=sentence[start:match.end()], start=offset + start, end=offset + match.end(),
        passage=passage, quantity=factor, unit="size of", value=None, hedge=hedge, hedge_class=band,
        cue_end=offset + match.end(),
    )


def _direction(sentence: str, match: re.Match, offset: int, passage: int) -> Statement:
    word = match.group("dir") or match.group("dir_en")
    return Statement(
        kind="direction", text=match.group(), start=offset + match.start(), end=offset + match.end(),
        passage=passage, quantity=None, unit="", value=None, direction=float(_bearing_of(word)),
        cue_end=offset + match.end(), noun_end=offset + _noun_phrase(sentence, match.end())[1],
    )


# --------------------------------------------------------------------------- attaching


@dataclass(frozen=True, slots=True)
class _Named:
    """One mention of a place in the claim's sentence."""

    mention: Mention
    place: Place

    @property
    def start(self) -> int:
        return self.mention.start


@dataclass
class _Context:
    result: Geoparse
    gazetteer: Gazetteer
    by_passage: dict[int, list[_Named]] = field(default_factory=dict)
    geometries: dict[str, object] = field(default_factory=dict)

    def named(self, passage: int) -> list[_Named]:
        return self.by_passage.get(passage, [])

    def geometry(self, place_id: str):
        if place_id not in self.geometries:
            place = self.result.place(place_id)
            geometry = (place_geometry(place, self.gazetteer) if place is not None
                        else self.gazetteer.geometry(place_id))
            shapely.prepare(geometry)  # a fresh copy per context: `intersects` then is fast
            self.geometries[place_id] = geometry
        return self.geometries[place_id]

    def shape(self, place_id: str) -> str:
        """point, line or area: what a place's geometry can measure."""
        kind = self.geometry(place_id).geom_type
        return "point" if kind == "Point" else "line" if "LineString" in kind else "area"


def _context(result: Geoparse, gazetteer: Gazetteer) -> _Context:
    ctx = _Context(result, gazetteer)
    for place in result.places:
        for mention in place.mentions:
            ctx.by_passage.setdefault(mention.passage, []).append(_Named(mention, place))
    for named in ctx.by_passage.values():
        named.sort(key=lambda n: n.start)
    return ctx


def _after(ctx: _Context, s: Statement, *, shapes: Iterable[str] = ("point", "line", "area"),
           exclude: Iterable[str] = (), window: int = SUBJECT_WINDOW) -> _Named | None:
    shapes, exclude = set(shapes), set(exclude)
    for n in ctx.named(s.passage):
        if s.cue_end <= n.start <= s.cue_end + window and n.place.id not in exclude and ctx.shape(n.place.id) in shapes:
            return n
    return None


def _before(ctx: _Context, s: Statement, *, prefer: Sequence[str], exclude: Iterable[str] = (),
            shapes: Iterable[str] = ("point", "line", "area")) -> _Named | None:
    """The nearest place named before the figure in its sentence, by kind preference."""
    exclude, shapes = set(exclude), set(shapes)
    candidates = [n for n in ctx.named(s.passage)
                  if n.mention.end <= s.start and n.place.id not in exclude and n.mention.form != "adjective"
                  and ctx.shape(n.place.id) in shapes]
    for kinds in prefer:
        chosen = [n for n in candidates if n.place.kind in kinds.split("|")]
        if chosen:
            return chosen[-1]
    return None


def _border_in_sentence(ctx: _Context, s: Statement, also: Iterable[str] = ()) -> str | None:
    """A border for «die Grenze»: one named in the sentence, or that of two countries it names
    (or of a country it names and the country of a place it locates: `also`)."""
    named = ctx.named(s.passage)
    borders = [n for n in named if n.place.kind == "border"]
    if borders:
        return min(borders, key=lambda n: abs(n.start - s.start)).place.id
    countries: list[str] = []
    for code in [n.place.candidate.country for n in named if n.place.kind == "country"] + list(also):
        if code and code not in countries:
            countries.append(code)
    for i, a in enumerate(countries):
        for b in countries[i + 1:]:
            border = ctx.gazetteer.border_between(a, b)
            if border is not None:
                return border.id
    return None


def _in_phrase(ctx: _Context, s: Statement, shapes: Iterable[str]) -> _Named | None:
    shapes = set(shapes)
    return next((n for n in ctx.named(s.passage) if s.cue_end <= n.start < max(s.noun_end, s.cue_end + 1)
                 and ctx.shape(n.place.id) in shapes), None)


def _subjects(ctx: _Context, s: Statement) -> tuple[str, ...]:
    """The place ids a statement is about (for a distance: the reference first, then the located)."""
    if s.kind == "figure":  # "the 2,850-kilometre Danube": a line named right after the figure
        line = _in_phrase(ctx, s, ("line",))
        return (line.place.id,) if line is not None else ()
    if s.kind == "length":
        if s.attributive:  # «1000 Kilometer lange Grenze», "the 2,850 km long Danube", "a 2.5 km tunnel"
            line = _in_phrase(ctx, s, ("line",))
            if line is not None:
                return (line.place.id,)
            border = _border_in_sentence(ctx, s) if s.border_noun else None
            return (border,) if border else ()
        before = _before(ctx, s, prefer=("border|other|region",), shapes=("line",))  # "the Danube is … long"
        if before is not None:
            return (before.place.id,)
        border = _border_in_sentence(ctx, s) if s.border_noun else None
        return (border,) if border else ()
    if s.kind == "area":
        before = _before(ctx, s, prefer=("region|historical", "country"), shapes=("area",))
        after = before or _after(ctx, s, shapes=("area",))
        return (after.place.id,) if after else ()
    if s.kind == "comparison":
        reference = _after(ctx, s, shapes=("area",))
        if reference is None:
            return ()
        subject = _before(ctx, s, prefer=("region|historical", "country"), shapes=("area",),
                          exclude=(reference.place.id,))
        return (reference.place.id, subject.place.id) if subject else (reference.place.id,)
    if s.kind in ("distance", "direction"):
        if s.between:
            return _between(ctx, s)
        if s.noun_end <= s.cue_end:  # "200 miles to the northwest, …", «30 Kilometer entfernt.»: from where?
            return ()
        prefer = ("city|facility", "region|other|border", "country|historical")
        located = _before(ctx, s, prefer=prefer)
        if s.border_noun:  # "30 km from the Polish border", «von der Grenze zu Weissrussland»
            border = _in_phrase(ctx, s, ("line",))
            also = [located.place.candidate.country] if located is not None else []
            anchor_id = border.place.id if border is not None and border.place.kind == "border" else (
                _border_in_sentence(ctx, s, also))
            anchor_end = s.noun_end
        else:
            anchor = _after(ctx, s)
            anchor_id = anchor.place.id if anchor else None
            anchor_end = anchor.mention.end if anchor else s.noun_end
        if anchor_id is None:
            return ()
        anchor_geometry = ctx.geometry(anchor_id)
        # a place that holds or touches the reference is not N km from it (Holliday, Missouri)
        apart = {n.place.id for n in ctx.named(s.passage) if n.place.id == anchor_id
                 or ctx.geometry(n.place.id).intersects(anchor_geometry)}
        if located is None or located.place.id in apart:
            located = _before(ctx, s, prefer=prefer, exclude=apart)
        if located is None:  # «30 Kilometer nördlich von Kiew liegt Irpin»
            later = [n for n in ctx.named(s.passage) if n.start >= anchor_end and n.place.id not in apart
                     and n.mention.form != "adjective"]
            located = later[0] if later else None
        return (anchor_id, located.place.id) if located else (anchor_id,)
    return ()


def _between(ctx: _Context, s: Statement) -> tuple[str, ...]:
    text = ctx.result.article.text
    passage = ctx.result.article.passages[s.passage] if s.passage < len(ctx.result.article.passages) else None
    lo = passage.start if passage else 0
    hits = [m for m in _BETWEEN.finditer(text, lo, s.end + SUBJECT_WINDOW)]
    if not hits:
        return ()
    after = hits[-1].end()
    ids: list[str] = []
    for n in ctx.named(s.passage):
        if n.start >= after and n.place.id not in ids:
            ids.append(n.place.id)
        if len(ids) == 2:
            break
    return tuple(ids) if len(ids) == 2 else ()


# --------------------------------------------------------------------------- measuring


@lru_cache(maxsize=256)
def _aeqd(lat: float, lon: float) -> tuple[Transformer, Transformer]:
    from pyproj import Transformer

    crs = f"+proj=aeqd +lat_0={lat:.5f} +lon_0={lon:.5f} +datum=WGS84 +units=m"
    return (Transformer.from_crs("EPSG:4326", crs, always_xy=True),
            Transformer.from_crs(crs, "EPSG:4326", always_xy=True))


def _project(geometry, transformer: Transformer):
    return shapely.transform(geometry, lambda xy: _xy(transformer, xy))


def _xy(transformer: Transformer, xy):
    import numpy as np

    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def _geodesic_km(a, b) -> tuple[float, float]:
    """Distance (km) and forward azimuth (degrees, 0..360) from point a to point b (lon, lat)."""
    azimuth, _, metres = _geod().inv(a.x, a.y, b.x, b.y)
    return metres / 1000.0, azimuth % 360.0


def distance_between(a, b) -> tuple[float, object, object]:
    """Geodesic distance (km) between two geometries (EPSG:4326) at their nearest points.

    The nearest points are found on a plane scaled by the cosine of their mean latitude
    (twice, re-centred on the first estimate), where a degree of longitude and of latitude
    weigh as on the ground; the distance itself is pyproj's geodesic between those points.
    Returns (km, point on a, point on b); 0 when they touch or one lies inside the other.
    """
    if a.geom_type == "Point" and b.geom_type == "Point":
        return _geodesic_km(a, b)[0], a, b
    if a.intersects(b):
        point = a if a.geom_type == "Point" else b if b.geom_type == "Point" else (
            shapely.intersection(a, b).representative_point())
        return 0.0, point, point
    pa, pb = shapely.ops.nearest_points(a, b)
    # Only the parts near the first estimate can hold the nearest points: clip big outlines.
    reach = pa.distance(pb) * 2 + 1.0
    box = (min(pa.x, pb.x) - reach * 2, min(pa.y, pb.y) - reach, max(pa.x, pb.x) + reach * 2, max(pa.y, pb.y) + reach)
    a, b = (shapely.clip_by_rect(g, *box) if shapely.get_num_coordinates(g) > _CLIP_COORDINATES else g
            for g in (a, b))
    for _ in range(2):
        squeeze = max(0.05, math.cos(math.radians((pa.y + pb.y) / 2)))
        qa, qb = shapely.ops.nearest_points(shapely.affinity.scale(a, squeeze, 1.0, origin=(0, 0)),
                                            shapely.affinity.scale(b, squeeze, 1.0, origin=(0, 0)))
        pa, pb = shapely.Point(qa.x / squeeze, qa.y), shapely.Point(qb.x / squeeze, qb.y)
    return _geodesic_km(pa, pb)[0], pa, pb


def _segment(pa, pb, points: int = 24) -> tuple[tuple[float, float], ...]:
    """The geodesic from pa to pb as (lat, lon) points, for drawing."""
    middle = _geod().npts(pa.x, pa.y, pb.x, pb.y, points) if points else []
    line = [(pa.x, pa.y), *middle, (pb.x, pb.y)]
    return tuple((round(lat, 5), round(lon, 5)) for lon, lat in line)


def _line_points(geometry, tolerance: float = 0.01) -> tuple[tuple[float, float], ...]:
    """A border or river as one run of (lat, lon) points (its longest part), for drawing."""
    simple = shapely.simplify(geometry, tolerance)
    parts = list(shapely.get_parts(shapely.line_merge(simple) if "Multi" in simple.geom_type else simple))
    longest = max(parts, key=lambda g: g.length)
    return tuple((round(y, 5), round(x, 5)) for x, y in longest.coords)


def _area_km2(geometry) -> float:
    return abs(_geod().geometry_area_perimeter(geometry)[0]) / 1e6


def _measure(ctx: _Context, s: Statement, subject: tuple[str, ...]) -> Measurement | None:
    if not subject:
        return None
    if s.kind == "length":
        place_id = subject[0]
        candidate = ctx.gazetteer.by_id(place_id)
        geometry = ctx.geometry(place_id)
        if candidate is not None and candidate.length_km:
            return Measurement(candidate.length_km, "km", "geodesic length at full OSM resolution (gazetteer)",
                               _line_points(geometry))
        if "LineString" not in geometry.geom_type:
            return None
        return Measurement(_geod().geometry_length(geometry) / 1000.0, "km", "geodesic length of the line",
                           _line_points(geometry), caveat=GENERALISED_LINE_CAVEAT)
    if s.kind == "area":
        return Measurement(_area_km2(ctx.geometry(subject[0])), "km²", "geodesic area of the outline")
    if s.kind == "comparison":
        if len(subject) < 2:
            return None
        return Measurement(_area_km2(ctx.geometry(subject[1])), "km²", "geodesic area of the outline")
    if s.kind in ("distance", "direction") and len(subject) == 2:
        anchor, located = ctx.geometry(subject[0]), ctx.geometry(subject[1])
        km, pa, pb = distance_between(anchor, located)
        bearing = _geodesic_km(pa, pb)[1] if km > 0 else None
        method = ("geodesic distance between centres" if anchor.geom_type == located.geom_type == "Point"
                  else "geodesic distance between nearest points")
        return Measurement(km, "km", method, _segment(pa, pb), bearing)
    return None


# --------------------------------------------------------------------------- judging


def verdict(claimed: float, measured: float, hedge: str = "none", *, slack: float = 0.0) -> tuple[float, str]:
    """(difference %, verdict) of a measurement against a claim with its hedge band.

    >>> verdict(1000, 1084.5, "approx")
    (8.45, 'plausible')
    """
    if claimed <= 0:
        raise ValueError("a claim must be positive")
    difference = (measured - claimed) / claimed * 100.0
    low, high = VERDICT_BANDS.get(hedge, VERDICT_BANDS["none"])
    if abs(measured - claimed) <= slack:
        low, high = min(low, difference), max(high, difference)
    if low <= difference <= high:
        label = "accurate" if abs(difference) <= ACCURATE_PCT else "plausible"
    elif low - OFF_MARGIN_PCT <= difference <= high + OFF_MARGIN_PCT:
        label = "off"
    elif (hedge == "over" and difference > high) or (hedge == "at_most" and difference < low):
        label = "off"  # true, but far under- or overstated
    else:
        label = "wrong"
    return round(difference, 2), label


def direction_verdict(claimed: float, bearing: float) -> str:
    """A stated compass direction against the measured bearing (degrees)."""
    gap = abs((bearing - claimed + 180.0) % 360.0 - 180.0)
    if gap <= DIRECTION_PLAUSIBLE_DEG:
        return "plausible"
    return "off" if gap <= DIRECTION_OFF_DEG else "wrong"


def _worse(a: str, b: str | None) -> str:
    return a if b is None or _RANK[a] >= _RANK[b] else b


def _judge(ctx: _Context, s: Statement) -> Claim:
    subject = _subjects(ctx, s)
    if s.kind == "figure" and subject:
        s = replace(s, kind="length", attributive=True)
    names = tuple(_name(ctx, i) for i in subject)
    measurement = _measure(ctx, s, subject)
    if s.kind == "comparison" and subject:
        s = replace(s, value=s.quantity * _area_km2(ctx.geometry(subject[0])))
    claim = Claim(statement=s, subject=subject, names=names, measurement=measurement)
    if measurement is None:
        if not subject:
            note = "no place or border in its sentence to measure it against"
        elif s.kind in ("distance", "direction", "comparison") and len(subject) == 1:
            note = f"only {names[0]} is named with it: no second place to measure from"
        else:
            note = f"{', '.join(names)} has no geometry that measures a {s.kind}"
        return replace(claim, note=note)
    label, difference = "unmeasured", None
    if measurement.caveat:
        return replace(claim, difference_pct=None, note=measurement.caveat)
    if s.value and measurement.value and not (
            1 / ATTACHMENT_RATIO <= measurement.value / s.value <= ATTACHMENT_RATIO):
        return replace(claim, note=f"{', '.join(names)} measures {_km_text(measurement.value, measurement.unit)}: "
                                   "the figure is probably about something else in its sentence")
    if s.value:
        slack = POINT_SLACK_KM if s.kind == "distance" else 0.0
        difference, label = verdict(s.value, measurement.value, s.hedge_class, slack=slack)
    direction = None
    if s.direction is not None:
        direction = direction_verdict(s.direction, measurement.bearing) if measurement.bearing is not None else None
        if direction is not None:
            label = direction if label == "unmeasured" else _worse(label, direction)
    uncertain = [f"{_name(ctx, i)} ({ctx.result.place(i).confidence:.0%})" for i in subject
                 if ctx.result.place(i) is not None and ctx.result.place(i).confidence < UNCERTAIN_PLACE]
    note = f"rests on uncertain places: {', '.join(uncertain)}" if uncertain else ""
    return replace(claim, difference_pct=difference, verdict=label, direction_verdict=direction, note=note)


def _name(ctx: _Context, place_id: str) -> str:
    place = ctx.result.place(place_id)
    if place is not None:
        return place.name
    candidate = ctx.gazetteer.by_id(place_id)
    return candidate.name if candidate else place_id


def find_claims(result: Geoparse, *, gazetteer: Gazetteer | None = None) -> list[Claim]:
    """Every geographic figure of the article, attached to its places, measured and judged."""
    gazetteer = gazetteer or Gazetteer.default()
    article = result.article
    ctx = _context(result, gazetteer)
    return [_judge(ctx, s) for s in read_statements(article.text, article.passages)]


def claim_rows(claims: Sequence[Claim]) -> list[dict]:
    """One display row per claim (the page's Figures table, the briefing sheet)."""
    rows = []
    for claim in claims:
        d = claim.as_dict()
        unit = "km²" if claim.statement.dimension == "area" else "km"
        claimed = d.get("claimed_km2", d.get("claimed_km"))
        rows.append({
            "Claim": claim.text,
            "Places": " · ".join(claim.names) or "—",
            "Claimed": "—" if claimed is None else f"{claimed:,.0f} {unit}",
            "Measured": "—" if d["measured"] is None else f"{d['measured']:,.0f} {unit}",
            "Difference": "—" if d["difference_pct"] is None else f"{d['difference_pct']:+.0f} %",
            "Verdict": claim.verdict + (f" (direction {claim.direction_verdict})"
                                        if claim.direction_verdict not in (None, claim.verdict) else ""),
        })
    return rows


def claims_section(claims: Sequence[Claim]) -> tuple[str, str] | None:
    """The briefing sheet's "Figures" section (heading, escaped HTML table), or None without claims."""
    import html

    rows = claim_rows(claims)
    if not rows:
        return None
    columns = list(rows[0])
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(r[c]))}</td>" for c in columns) + "</tr>" for r in rows)
    return "Figures in the article, measured", f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def figures_sections(result: Geoparse, *, gazetteer: Gazetteer | None = None) -> list[tuple[str, str]]:
    """The briefing sheet's extra sections for an article: its figures, measured (if any)."""
    section = claims_section(find_claims(result, gazetteer=gazetteer))
    return [section] if section else []


# --------------------------------------------------------------------------- distances


def distance_table(result: Geoparse, *, gazetteer: Gazetteer | None = None) -> list[dict]:
    """Geodesic distances between the article's places, nearest first within each group.

    - between cities and facilities (their points), and from regions to them (nearest point
      of the outline);
    - from each border line to the cities, facilities and regions in play («how far do Lwiw,
      Luzk, Riwne and the Donbass lie from the Belarus–Ukraine border»).
    Countries are left out (a country touches its own borders and holds its cities), and so
    are pairs that touch or overlap (distance 0).
    """
    gazetteer = gazetteer or Gazetteer.default()
    ctx = _context(result, gazetteer)
    points = [p for p in result.places if p.kind in _POINT_KINDS]
    regions = [p for p in result.places if p.kind == "region"]
    borders = [p for p in result.places if p.kind == "border"]
    rows: list[dict] = []

    def add(group: str, a: Place, b: Place) -> None:
        km, pa, pb = distance_between(ctx.geometry(a.id), ctx.geometry(b.id))
        if round(km, 1) <= 0:  # touching, inside, or the same spot (the Kremlin and Moscow's centre)
            return
        rows.append({"group": group, "from": a.name, "from_id": a.id, "to": b.name, "to_id": b.id,
                     "km": round(km, 1), "bearing": round(_geodesic_km(pa, pb)[1], 1),
                     "line": _segment(pa, pb, 8)})

    for border in borders:
        for other in [*points, *regions]:
            add("border", border, other)
    for region in regions:
        for point in points:
            add("region", region, point)
    for i, a in enumerate(points):
        for b in points[i + 1:]:
            add("places", a, b)
    order = {"border": 0, "region": 1, "places": 2}
    return sorted(rows, key=lambda r: (order[r["group"]], r["from"], r["km"]))


def distance_rings(geometry, radii_km: Iterable[float], *, points: int = 96) -> list[tuple[float, object]]:
    """Lines at the given distances around a point, line or area (EPSG:4326 in and out).

    Drawn in an azimuthal equidistant projection centred on the feature, exact for a point
    (a geodesic circle) and within a few percent for a line or area up to ~1,000 km across.
    """
    centre = geometry if geometry.geom_type == "Point" else geometry.representative_point()
    forward, back = _aeqd(round(centre.y, 3), round(centre.x, 3))
    projected = _project(geometry, forward)
    rings = []
    for km in sorted(set(float(r) for r in radii_km if r and r > 0)):
        outline = projected.buffer(km * 1000.0, quad_segs=max(4, points // 4))
        boundary = outline.exterior if outline.geom_type == "Polygon" else shapely.boundary(outline)
        rings.append((km, _project(boundary, back)))
    return rings


# --------------------------------------------------------------------------- map overlays


def _km_text(value: float, unit: str = "km") -> str:
    return f"{value:,.0f} {unit}" if value >= 10 else f"{value:,.1f} {unit}"


def claim_lines(claim: Claim) -> list[dict]:
    """What the map draws for a claim: its measured line with a plain-text label.

    [{"points": [[lat, lon], …], "label": "measured 1,084 km · claimed rund 1,000 km", "kind": "measure"}]
    (empty for an area, whose outline the selection already draws).
    """
    m, s = claim.measurement, claim.statement
    if m is None or len(m.line) < 2:
        return []
    claimed = "" if s.value is None else f" · claimed {(s.hedge + ' ') if s.hedge else ''}{_km_text(s.value)}"
    return [{"points": [list(p) for p in m.line], "label": f"measured {_km_text(m.value)}{claimed}",
             "kind": "measure"}]


def distance_lines(row: dict) -> list[dict]:
    """The map line of a distance-table row."""
    return [{"points": [list(p) for p in row["line"]], "label": f"{row['from']} – {row['to']}: {_km_text(row['km'])}",
             "kind": "measure"}]


def ring_lines(geometry, radii_km: Iterable[float]) -> list[dict]:
    """Distance rings around a feature as map lines, each labelled with its distance."""
    out = []
    for km, ring in distance_rings(geometry, radii_km):
        for part in shapely.get_parts(ring):
            out.append({"points": [[round(y, 4), round(x, 4)] for x, y in part.coords], "label": _km_text(km),
                        "kind": "ring"})
    return out
