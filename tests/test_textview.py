"""The article and popup HTML: every mention marked, everything from the article escaped."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from geo.models import Article, Candidate, Geoparse, Mention, Passage, Place
from geo.textview import (KIND_COLOURS, article_css, article_html, border_label_html, excerpt, markdown_text,
                          place_rows, popup_html, tooltip_html)

HOSTILE = ('Putin flew to Minsk. <script>window.pwned=1</script> Then <img src=x onerror="window.pwned=1"> '
           'to Kyiv & "back".\n\nMinsk again.')


def _place(text: str, name: str, ident: str, kind: str = "city", *, country: str = "BY", display: str = "",
           source: str = "GeoNames test") -> Place:
    mentions = []
    for match in re.finditer(re.escape(display or name), text):
        mentions.append(Mention(match.start(), match.end(), match.group(), 0 if match.start() < 96 else 1))
    candidate = Candidate(id=ident, name=name, kind=kind, lat=53.9, lon=27.56, country=country, source=source)
    return Place(candidate=candidate, display_name=display or name, confidence=0.87, mentions=tuple(mentions))


@pytest.fixture()
def hostile() -> Geoparse:
    text = HOSTILE
    first = text.index("\n\n")
    passages = (Passage(0, 0, first, 0, "paragraph"), Passage(1, first + 2, len(text), 1, "paragraph"))
    minsk = _place(text, "Minsk", "geonames:625144")
    kyiv = _place(text, "Kyiv", "geonames:703448", country="UA", source='evil <b onmouseover="x()">source</b>')
    return Geoparse(article=Article(text=text, lang="en", passages=passages), places=(minsk, kyiv))


class _Checker(HTMLParser):
    """Collects tags and checks that every element is closed in order."""

    VOID = {"br"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def _parse(markup: str) -> _Checker:
    checker = _Checker()
    checker.feed(markup)
    checker.close()
    assert checker.stack == [], f"unclosed {checker.stack}"
    return checker


def test_hostile_article_text_is_escaped_everywhere(hostile):
    for markup in (article_html(hostile), *(popup_html(p, hostile.article) for p in hostile.places),
                   *(tooltip_html(p) for p in hostile.places)):
        checker = _parse(markup)
        assert {t for t, _ in checker.tags} <= {"article", "h2", "h3", "p", "span", "mark", "br", "div", "b", "ol", "li"}
        assert "<script" not in markup and "<img" not in markup
        assert not [name for _, attrs in checker.tags for name in attrs if name.startswith("on")]


def test_article_html_keeps_the_text_and_marks_every_mention(hostile):
    markup = article_html(hostile)
    checker = _parse(markup)
    assert "".join(checker.text).replace("\n", "") == HOSTILE.replace("\n\n", "")
    marks = [attrs for tag, attrs in checker.tags if tag == "mark"]
    expected = [(m.start, p.id) for p in hostile.places for m in p.mentions]
    assert sorted((int(a["data-start"]), a["data-place"]) for a in marks) == sorted(expected)
    ids = [attrs["id"] for _, attrs in checker.tags if "id" in attrs]
    assert len(ids) == len(set(ids))
    assert {a["data-kind"] for a in marks} == {"city"}
    assert 'id="passage-0"' in markup and 'id="passage-1"' in markup


def test_popup_quotes_each_passage_with_the_mention_highlighted(hostile):
    minsk = hostile.places[0]
    markup = popup_html(minsk, hostile.article, country_name="Belarus")
    checker = _parse(markup)
    assert [t for t, _ in checker.tags].count("li") == len(minsk.passages) == 2
    assert markup.count("<mark>Minsk</mark>") == 2
    text = "".join(checker.text)
    for needle in ("Minsk", "City", "Belarus", "2 mentions", "Confidence 87%", "GeoNames test"):
        assert needle in text
    kyiv = popup_html(hostile.places[1], hostile.article)
    assert "&lt;b onmouseover=&quot;x()&quot;&gt;" in kyiv and "<b onmouseover" not in kyiv


def test_popup_names_the_english_name_when_the_article_spells_it_differently():
    text = "Putin reiste nach Moskau."
    place = _place(text, "Moscow", "geonames:524901", display="Moskau", country="RU")
    article = Article(text=text, lang="de", passages=(Passage(0, 0, len(text), 0),))
    markup = popup_html(place, article, country_name="Russia")
    assert "<b>Moskau</b>" in markup and "(Moscow)" in markup and "1 mention" in markup


def test_nested_mentions_nest_in_the_html(sample_text):
    from geo.pipeline import geoparse

    result = geoparse(sample_text)
    markup = article_html(result)
    _parse(markup)
    union = re.search(r'<mark[^>]*data-place="region:union-state"[^>]*>(.*?)</mark></mark>', markup)
    assert union, "the Union State mention should contain the nested country mentions"
    assert 'data-place="country:BY"' in union.group(1) and 'data-place="country:RU"' in union.group(0)
    marks = re.findall(r'<mark class="mention k-[a-z]+" [^>]*data-place="([^"]+)"', markup)
    assert len(marks) == sum(len(p.mentions) for p in result.places)


def test_excerpt_shortens_long_passages_around_the_mention():
    text = ("Lorem ipsum dolor sit amet " * 20) + "in Minsk " + ("consectetur adipiscing elit " * 20)
    mention = Mention(text.index("Minsk"), text.index("Minsk") + 5, "Minsk", 0)
    article = Article(text=text, lang="en", passages=(Passage(0, 0, len(text), 0),))
    short = excerpt(article, 0, [mention], limit=120)
    assert "<mark>Minsk</mark>" in short
    assert short.startswith("…") and short.endswith("…")
    assert len(html.unescape(re.sub("<[^>]+>", "", short))) < 140


def test_border_label_carries_the_measured_length():
    border = Candidate(id="border:BY-UA", name="Belarus–Ukraine border", kind="border", lat=51.5, lon=27.0,
                       length_km=1084.5)
    place = Place(candidate=border, display_name="Grenze", confidence=0.85,
                  mentions=(Mention(15, 21, "Grenze", 0, "generic"),))
    assert border_label_html(place) == "Belarus–Ukraine border · 1,084 km"


def test_css_has_a_colour_for_every_kind():
    css = article_css()
    for kind, colour in KIND_COLOURS.items():
        assert f".k-{kind}{{--k:{colour}}}" in css


def test_place_rows_are_plain_values(hostile):
    rows = place_rows(hostile, {"BY": "Belarus", "UA": "Ukraine"})
    assert [r["Place"] for r in rows] == ["Minsk", "Kyiv"]
    assert rows[0]["Country"] == "Belarus" and rows[0]["Mentions"] == 2 and rows[0]["Kind"] == "City"


def test_markdown_text_keeps_file_names_as_text():
    assert markdown_text("[x](javascript:alert(1)).html") == r"\[x\]\(javascript\:alert\(1\)\)\.html"
    assert markdown_text("<img src=x onerror=y>") == r"\<img src=x onerror=y\>"
    assert markdown_text("**bold** _it_") == r"\*\*bold\*\* \_it\_"
