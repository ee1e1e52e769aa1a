"""World-news probes (issue 8): famous places win unless the text names a reason for a namesake.

The probes are tests/probes/world_news.tsv (sentences written for this suite; see tools/probes.py
for the format). The issue's own table is asserted row by row; the whole suite and the capital
of every country are asserted as shares, with the failures printed.
"""

from __future__ import annotations

import pytest

from tools.probes import (
    CAPITALS_GOAL,
    PROBE_GOAL,
    Probe,
    capital_probes,
    check,
    format_report,
    read_probes,
    run_probes,
    share,
)

PROBES = read_probes()
ISSUE_ROWS = [p for p in PROBES if p.category == "issue"]
MIN_PROBES = 220
# Issue rows still wrong, by TSV line, with the cause (strict: a fix makes the test fail until
# the entry is removed). Issue 8 stays open while this is not empty.
KNOWN_OPEN = {
}
# The share the suite holds today: a ratchet below the goal (PROBE_GOAL, printed by make bench),
# raised as fixes land, so that no change loses what was reached (97.9 % on 2026-12-02).
PROBE_FLOOR = 0.97


def _issue_param(probe: Probe):
    marks = [pytest.mark.xfail(reason=KNOWN_OPEN[probe.line], strict=True)] if probe.line in KNOWN_OPEN else []
    return pytest.param(probe, marks=marks, id=f"{probe.lang}-{probe.surface}-{probe.line}")


@pytest.fixture(scope="module")
def outcomes(gazetteer):
    return run_probes(PROBES, gazetteer)


@pytest.fixture(scope="module")
def capital_outcomes(gazetteer):
    return run_probes(capital_probes(gazetteer), gazetteer)


def test_the_suite_is_large_and_bilingual():
    english = sum(p.lang == "en" for p in PROBES)
    german = sum(p.lang == "de" for p in PROBES)
    assert len(PROBES) >= MIN_PROBES
    assert min(english, german) >= 0.4 * len(PROBES), (english, german)
    assert len({(p.sentence, p.surface) for p in PROBES}) == len(PROBES), "a probe is listed twice"


@pytest.mark.parametrize("probe", [_issue_param(p) for p in ISSUE_ROWS])
def test_issue_table_row(probe: Probe, gazetteer):
    from geo import geoparse

    outcome = check(probe, geoparse(probe.sentence, lang=probe.lang, gazetteer=gazetteer))
    assert outcome.ok, f"{probe.label}: chose {outcome.chosen}; expected {probe.expect} ({probe.note})"


def test_world_news_probes_share(outcomes):
    report = format_report(outcomes)
    print(report)
    assert share(outcomes) >= PROBE_FLOOR, f"{share(outcomes):.1%} (floor {PROBE_FLOOR:.1%}, goal {PROBE_GOAL:.0%})\n{report}"


def test_capitals_are_recognised_and_resolved(capital_outcomes):
    report = format_report(capital_outcomes)
    print(report)
    assert len(capital_outcomes) >= 2 * 190, "fewer capitals than countries: the gazetteer lost PPLC rows"
    for lang in ("en", "de"):
        in_lang = [o for o in capital_outcomes if o.probe.lang == lang]
        assert share(in_lang) >= CAPITALS_GOAL, f"{lang}: {share(in_lang):.1%}\n{report}"


def test_a_wrong_answer_is_caught(gazetteer):
    """The judge itself: Moscow, Russia is not Moscow, Idaho; an unrecognised surface is wrong."""
    from geo import geoparse

    result = geoparse("A bomb exploded in Moscow.", lang="en", gazetteer=gazetteer)
    idaho = Probe(lang="en", category="t", sentence="A bomb exploded in Moscow.", surface="Moscow",
                  expect="46.732,-117.0", km=30)
    assert not check(idaho, result).ok
    missing = Probe(lang="en", category="t", sentence="A bomb exploded in Moscow.", surface="bomb",
                    expect="country:RU")
    outcome = check(missing, result)
    assert not outcome.ok and outcome.cause == "not recognised"
