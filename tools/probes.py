"""World-news probes: short sentences whose right reading is known (issue 8).

    python -m tools.probes                 # share right per language and category, then failures
    python -m tools.probes --capitals      # also every country's capital, English and German
    python -m tools.probes --category small --lang de

The probes live in tests/probes/world_news.tsv, one a line: lang, category, sentence, surface
(the words whose place is checked), expect and km, note. `expect` is a gazetteer id
(`country:CD`, `admin1:US:georgia`), which must match exactly, or a point `lat,lon`, which the
chosen place must lie within `km` of. A probe whose surface no mention covers is wrong
("not recognised"). tests/test_world_news.py asserts the shares; tools/bench.py prints them.
"""

from __future__ import annotations

import argparse
import csv
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

__all__ = [
    "PROBES_PATH",
    "PROBE_GOAL",
    "CAPITALS_GOAL",
    "CAPITAL_KM",
    "Probe",
    "Outcome",
    "read_probes",
    "capital_probes",
    "check",
    "run_probes",
    "share",
    "shares_by",
    "format_report",
    "main",
]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PROBES_PATH = PROJECT_ROOT / "tests" / "probes" / "world_news.tsv"
PROBE_GOAL = 0.97  # share of world-news probes right (issue 8, "done when")
CAPITALS_GOAL = 0.97  # share of capitals recognised and resolved, per language
CAPITAL_KM = 25.0  # a capital may be found as a duplicate entry a few km from the PPLC point
DEFAULT_KM = 50.0  # tolerance of a point expectation when the probe gives none
CAPITAL_SENTENCE = {"en": "Talks were held in {}.", "de": "Die Gespräche fanden in {} statt."}


@dataclass(frozen=True, slots=True)
class Probe:
    """One sentence and the place its surface must resolve to."""

    lang: str
    category: str
    sentence: str
    surface: str
    expect: str  # a gazetteer id, or "lat,lon"
    km: float = DEFAULT_KM
    note: str = ""
    line: int = 0
    also: tuple[str, ...] = ()  # further ids accepted (a city-state's country for its capital)

    def __post_init__(self) -> None:
        if self.surface not in self.sentence:
            raise ValueError(f"line {self.line}: surface {self.surface!r} not in {self.sentence!r}")
        if self.point is None and ":" not in self.expect:
            raise ValueError(f"line {self.line}: expect must be an id or 'lat,lon', got {self.expect!r}")

    @property
    def point(self) -> tuple[float, float] | None:
        """The expected point, when `expect` is one."""
        parts = self.expect.split(",")
        if len(parts) != 2:
            return None
        try:
            return float(parts[0]), float(parts[1])
        except ValueError:
            return None

    @property
    def span(self) -> tuple[int, int]:
        start = self.sentence.index(self.surface)
        return start, start + len(self.surface)

    @property
    def label(self) -> str:
        return f"{self.lang}/{self.category}: {self.sentence} [{self.surface}]"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What geoparsing chose for a probe's surface and whether that is right."""

    probe: Probe
    ok: bool
    chosen: str  # "id name (country, kind) km-from-expected" or why nothing was chosen
    cause: str = ""  # for a wrong one: "not recognised", "wrong place", "wrong kind"
    chosen_id: str = ""
    mention: str = ""  # the text of the mention that covered the surface


def read_probes(path: Path = PROBES_PATH) -> list[Probe]:
    """The probes of a TSV file (header: lang category sentence surface expect km note)."""
    probes = []
    with open(path, encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), start=2):
            probes.append(Probe(lang=row["lang"], category=row["category"], sentence=row["sentence"],
                                surface=row["surface"], expect=row["expect"],
                                km=float(row["km"]) if row.get("km") else DEFAULT_KM,
                                note=row.get("note") or "", line=line))
    return probes


def _key(name: str) -> str:
    """A name for comparison: case, diacritics and punctuation dropped (San José = San Jose)."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in folded if ch.isalnum() and not unicodedata.combining(ch))


def german_city_names() -> dict[str, str]:
    """German names of cities from CLDR's time-zone exemplar cities (babel): Warsaw → Warschau,
    Vienna → Wien, Tbilisi → Tiflis. Keyed by the folded English name; only names that differ."""
    from babel import Locale

    german, english = Locale("de").time_zones, Locale("en").time_zones
    names = {}
    for zone, forms in german.items():
        if "city" not in forms:
            continue
        name_en = english.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")
        name_de = forms["city"].replace("\u00ad", "")  # CLDR hyphenates: Reyk\u00adja\u00advík
        if _key(name_en) != _key(name_de):
            names[_key(name_en)] = name_de
    return names


def capital_probes(gazetteer) -> list[Probe]:
    """For every country of the gazetteer with a GeoNames capital (PPLC): an English and a German
    sentence naming the capital. The gazetteer's cities carry no German names (`name_de` is the
    GeoNames name), so the German one comes from CLDR (`german_city_names`) when it has one.

    A capital whose name a more populous city of another country shares (Hamilton, Bermuda;
    Victoria, Seychelles) is named with its country, as a newspaper would. A more populous entry
    of the same name in the capital's own country is accepted too: GeoNames sometimes marks a
    small duplicate as the capital (San José, Costa Rica: PPLC 3621841 lies 150 km from the city).
    """
    countries: dict[str, tuple[str, str]] = {}
    capitals: dict[str, list[int]] = defaultdict(list)
    for row in range(len(gazetteer)):
        if gazetteer.value("feature", row) == "PPLC":
            capitals[gazetteer.value("country", row)].append(row)
        elif gazetteer.value("id", row).startswith("country:"):
            countries[gazetteer.value("country", row)] = (gazetteer.value("name", row),
                                                          gazetteer.value("name_de", row) or "")
    german = german_city_names()
    probes = []
    for code, (country_en, country_de) in sorted(countries.items()):
        for row in capitals.get(code, []):
            name = gazetteer.value("name", row)
            population = gazetteer.population_of(row)
            same = [c for c in gazetteer.candidates(name, limit=50, kinds={"city"})
                    if c.country == code and (c.population or 0) > population and _key(c.name) == _key(name)]
            also = tuple(c.id for c in same)
            # A city-state's capital is named like the country: the country is a right reading too.
            city_state = _key(name) == _key(country_en)
            if city_state:
                also += (f"country:{code}",)
            size = max([population] + [c.population or 0 for c in same])
            qualify = not city_state and any(
                c.country != code and (c.population or 0) > size and _key(c.name) == _key(name)
                for c in gazetteer.candidates(name, limit=50, kinds={"city"}))
            names = {"en": name, "de": german.get(_key(name)) or gazetteer.value("name_de", row) or name}
            lat, lon = gazetteer.point_of(row)
            for lang, template in CAPITAL_SENTENCE.items():
                where = names[lang]
                if qualify:
                    where = f"{where}, {country_en}" if lang == "en" else f"{where} ({country_de or country_en})"
                probes.append(Probe(lang=lang, category="capital", sentence=template.format(where),
                                    surface=names[lang], expect=f"{lat},{lon}", km=CAPITAL_KM,
                                    note=f"{gazetteer.value('id', row)}, capital of {country_en}"
                                         + ("; named with its country" if qualify else ""), also=also))
    return probes


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    from geo.gazetteer import haversine_km

    return float(haversine_km(a[0], a[1], b[0], b[1]))


def check(probe: Probe, result) -> Outcome:
    """Judge one geoparse result: the place whose mention overlaps the surface most."""
    start, end = probe.span
    best = None
    for place in result.places:
        for mention in place.mentions:
            overlap = min(end, mention.end) - max(start, mention.start)
            if overlap > 0 and (best is None or overlap > best[0]):
                best = (overlap, place, mention)
    if best is None:
        unresolved = [m.text for m in result.unresolved if min(end, m.end) > max(start, m.start)]
        why = f"unresolved mention {unresolved[0]!r}" if unresolved else "no mention"
        return Outcome(probe, False, why, cause="not recognised")
    _, place, mention = best
    candidate = place.candidate
    point = probe.point
    distance = _km((candidate.lat, candidate.lon), point) if point else None
    described = (f"{candidate.id} {candidate.name} ({candidate.country or '-'}, {candidate.kind}, "
                 f"conf {place.confidence:.2f})" + (f" {distance:,.0f} km off" if distance is not None else ""))
    if mention.text != probe.surface:
        described += f" via mention {mention.text!r}"
    if candidate.id == probe.expect or candidate.id in probe.also:
        ok = True
    elif point is not None:
        ok = distance <= probe.km
    else:
        ok = False
    cause = "" if ok else _cause(probe, candidate, distance)
    return Outcome(probe, ok, described, cause=cause, chosen_id=candidate.id, mention=mention.text)


def _cause(probe: Probe, candidate, distance: float | None) -> str:
    """A first sorting of a wrong answer (the report refines it)."""
    expected_country = probe.expect.startswith("country:")
    if expected_country != (candidate.kind == "country"):
        return "wrong kind"
    return "wrong place"


def run_probes(probes: Iterable[Probe], gazetteer=None) -> list[Outcome]:
    """Geoparse every probe's sentence (one shared gazetteer) and judge it."""
    from geo import geoparse
    from geo.gazetteer import Gazetteer

    gazetteer = gazetteer or Gazetteer.default()
    outcomes = []
    for probe in probes:
        result = geoparse(probe.sentence, lang=probe.lang, gazetteer=gazetteer)
        outcomes.append(check(probe, result))
    return outcomes


def share(outcomes: Sequence[Outcome]) -> float:
    """Share of outcomes right (0.0 for none)."""
    return sum(o.ok for o in outcomes) / len(outcomes) if outcomes else 0.0


def shares_by(outcomes: Sequence[Outcome], field: str) -> dict[str, tuple[int, int]]:
    """(right, total) per value of a probe field ("lang", "category")."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for outcome in outcomes:
        entry = counts[getattr(outcome.probe, field)]
        entry[0] += outcome.ok
        entry[1] += 1
    return {key: (right, total) for key, (right, total) in sorted(counts.items())}


def format_report(outcomes: Sequence[Outcome], *, failures: bool = True) -> str:
    """Shares overall, per language, per category and per both; then each failure."""
    right = sum(o.ok for o in outcomes)
    lines = [f"probes right: {right}/{len(outcomes)} = {share(outcomes):.1%}"]
    for field in ("lang", "category"):
        for key, (ok, total) in shares_by(outcomes, field).items():
            lines.append(f"  {field} {key:<8} {ok:>4}/{total:<4} {ok / total:6.1%}")
    pairs: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for o in outcomes:
        pairs[f"{o.probe.category}/{o.probe.lang}"][0] += o.ok
        pairs[f"{o.probe.category}/{o.probe.lang}"][1] += 1
    for key, (ok, total) in sorted(pairs.items()):
        lines.append(f"  {key:<14} {ok:>4}/{total:<4} {ok / total:6.1%}")
    if failures:
        wrong = [o for o in outcomes if not o.ok]
        causes: dict[str, int] = defaultdict(int)
        for o in wrong:
            causes[o.cause] += 1
        lines.append(f"failures ({len(wrong)}): " + ", ".join(f"{c} {n}" for c, n in sorted(causes.items())))
        for o in wrong:
            where = f"line {o.probe.line}" if o.probe.line else o.probe.note
            lines.append(f"  [{o.cause}] {o.probe.label} → {o.chosen}; expected {o.probe.expect}"
                         f" ({where}{'; ' + o.probe.note if o.probe.line and o.probe.note else ''})")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the probe shares and failures; exit 1 when a share is under its goal."""
    parser = argparse.ArgumentParser(prog="python -m tools.probes", description=__doc__.split("\n")[0])
    parser.add_argument("--path", type=Path, default=PROBES_PATH, help="default: %(default)s")
    parser.add_argument("--capitals", action="store_true", help="also the capital of every country")
    parser.add_argument("--lang", help="only probes in this language")
    parser.add_argument("--category", help="only probes of this category")
    parser.add_argument("--no-failures", action="store_true", help="shares only")
    args = parser.parse_args(argv)

    from geo.gazetteer import Gazetteer

    gazetteer = Gazetteer.default()
    probes = read_probes(args.path)
    if args.capitals:
        probes += capital_probes(gazetteer)
    probes = [p for p in probes if (not args.lang or p.lang == args.lang)
              and (not args.category or p.category == args.category)]
    outcomes = run_probes(probes, gazetteer)
    print(format_report(outcomes, failures=not args.no_failures))
    suite = [o for o in outcomes if o.probe.category != "capital"]
    capitals = [o for o in outcomes if o.probe.category == "capital"]
    below = (suite and share(suite) < PROBE_GOAL) or (capitals and share(capitals) < CAPITALS_GOAL)
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
