"""Small validated values that flow through the pipeline.

text → Passage → Mention → Candidate → Place. All frozen: a stage never edits what an
earlier stage produced, it makes new values. Two values pass between stages: `RawMention`,
the recogniser's working value (mutable while recognition runs) that resolution reads, and
`Corrections`, the user's corrections that resolution applies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = [
    "KINDS",
    "Passage",
    "Mention",
    "Candidate",
    "Place",
    "Article",
    "Geoparse",
    "RawMention",
    "Corrections",
]

KINDS = ("country", "region", "city", "facility", "border", "historical", "other")


def _check_point(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValueError(f"coordinates must be finite, got ({lat}, {lon})")
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"latitude must be within ±90°, got {lat}")
    if not -180.0 <= lon <= 180.0:
        raise ValueError(f"longitude must be within ±180°, got {lon}")


@dataclass(frozen=True, slots=True)
class Passage:
    """A span of the article: a title, dateline, caption, paragraph or sentence.

    Offsets index the plain text the user sees; `paragraph` groups sentences.
    """

    index: int
    start: int
    end: int
    paragraph: int
    role: str = "paragraph"  # title, lead, caption, heading, paragraph

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad passage span {self.start}..{self.end}")


@dataclass(frozen=True, slots=True)
class Mention:
    """One place reference in the text, with exact character offsets.

    `form`: name (a toponym), adjective (russischen, Minsker), generic (der Flughafen, the
    border), nested (a name inside a longer one: Russland in «Unionsstaat Weissrussland-Russland»).
    """

    start: int
    end: int
    text: str
    passage: int
    form: str = "name"
    key: str = ""  # the recogniser's matching key (Russlands → "russland"): what corrections use

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad mention span {self.start}..{self.end}")
        if len(self.text) != self.end - self.start:
            raise ValueError("mention text does not match its span")

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "passage": self.passage, "form": self.form}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A gazetteer entry that a name could mean."""

    id: str
    name: str
    kind: str
    lat: float
    lon: float
    country: str = ""
    population: int | None = None
    source: str = ""
    feature: str = ""
    name_de: str = ""
    admin1: str = ""
    length_km: float | None = None
    score: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}; expected one of {KINDS}")
        _check_point(self.lat, self.lon)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country or None,
            "population": self.population,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place with every mention of it and the alternatives it beat."""

    candidate: Candidate
    display_name: str
    confidence: float
    mentions: tuple[Mention, ...]
    alternatives: tuple[Candidate, ...] = ()
    corrected: bool = False
    reason: str = ""  # the evidence that decided, in a few words ("capital; named state Texas")

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be within 0..1, got {self.confidence}")

    @property
    def id(self) -> str:
        return self.candidate.id

    @property
    def kind(self) -> str:
        return self.candidate.kind

    @property
    def name(self) -> str:
        return self.candidate.name

    @property
    def passages(self) -> tuple[int, ...]:
        return tuple(sorted({m.passage for m in self.mentions}))


@dataclass(frozen=True, slots=True)
class Article:
    """The plain text the user sees, its language and its passages."""

    text: str
    lang: str
    passages: tuple[Passage, ...]
    title: str = ""
    source_name: str = ""
    warnings: tuple[str, ...] = ()

    def passage_text(self, index: int) -> str:
        passage = self.passages[index]
        return self.text[passage.start:passage.end]

    def passage_at(self, offset: int) -> int:
        """Index of the passage that holds a character offset (binary search)."""
        lo, hi = 0, len(self.passages) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            passage = self.passages[mid]
            if offset < passage.start:
                hi = mid - 1
            elif offset >= passage.end:
                lo = mid + 1
            else:
                return mid
        return max(0, min(lo, len(self.passages) - 1))


@dataclass(frozen=True, slots=True)
class Geoparse:
    """Everything geoparsing found in one article."""

    article: Article
    places: tuple[Place, ...]
    unresolved: tuple[Mention, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())  # e.g. an online geocoder that failed

    def place(self, place_id: str) -> Place | None:
        return next((p for p in self.places if p.id == place_id), None)


@dataclass(slots=True)
class RawMention:
    """A recognised span before resolution: its candidate rows and the evidence for it."""

    start: int
    end: int
    text: str
    passage: int
    key: str
    form: str  # name, adjective, nested, generic
    rows: list[tuple[int, float]] = field(default_factory=list)  # (gazetteer row, prior), best first
    score: float = 0.0
    cue: str = ""  # kind suggested by a cue word (city, region) or a facility feature
    generic: str = ""  # for generic mentions: AIRP, NUCLEAR_PLANT, BORDER
    anchor_key: str = ""  # a name that qualifies a generic mention (Minsker → minsk)
    number_km: float | None = None  # a length stated next to a generic border mention
    qualifier: str = ""  # key of the region/country after a comma: Paris, Texas → "texas"


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
