"""A place as a record, and an article's metadata: the one shape every export and view uses.

    meta = article_meta(result.article, places=result.places)   # kicker, headline, byline, date, hash, stem
    record = place_record(place, result.article)  # id, names, kind, confidence, reason, quotes …

The map's popups, the page's table, GeoJSON, GeoPackage, CSV, the briefing sheet and the
command line all build on `place_record`; quotes are the article's own text (plain text here:
HTML views escape it themselves).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from geo.kinds import kind_of
from geo.models import Article, Mention, Passage, Place
from geo.normalize import normalize

__all__ = [
    "EXCERPT_CHARS",
    "TITLE_MAX_CHARS",
    "ArticleMeta",
    "article_meta",
    "split_kicker",
    "excerpt_span",
    "quote_text",
    "place_quotes",
    "key_passage",
    "key_quote",
    "place_record",
    "map_label",
    "shorten_title",
    "slug",
]

EXCERPT_CHARS = 260  # a quote longer than this is shortened around its mentions
TITLE_MAX_CHARS = 100  # a headline on a map: one line of a 1920 px slide, two of the sheet
_HEAD_CHARS = 800  # a byline or date is looked for in the article's first characters
_STEM_WORDS = 4
_BYLINE_MAX_CHARS = 90
# A kicker (NZZ «Dachzeile», a topic line above the headline): at most this many words and characters.
KICKER_MAX_WORDS = 2
KICKER_MAX_CHARS = 32
_KICKER_LABEL_MAX_WORDS = 3  # «ÖFFENTLICHER VERKEHR: Der Zug …», «EXCLUSIVE: …»
_HEADLINE_MIN_WORDS = 3  # what is left of a headline after its kicker is split off
_SENTENCE_PUNCTUATION = re.compile(r"[.!?:;,«»\"“”„]")

_MONTHS = {
    # English and German month names (and their usual abbreviations) → month number
    **{m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                   "september", "october", "november", "december"), 1)},
    **{m: i for i, m in enumerate(("januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
                                   "september", "oktober", "november", "dezember"), 1)},
    "jänner": 1, "maerz": 3, "sept": 9,
    **{m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                   "dec"), 1)},
    "mär": 3, "okt": 10, "dez": 12,
}
_MONTH_NAMES_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December")
_MONTH_NAMES_DE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
                   "Oktober", "November", "Dezember")
_MONTH = r"(?P<month>[A-Za-zÄÖÜäöü]{3,9})\.?"
_DATE_PATTERNS = (
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)\b"),  # 2022-12-19
    re.compile(r"\b(?P<day>\d{1,2})\.\s?(?P<mnum>\d{1,2})\.\s?(?P<year>(?:19|20)\d\d)\b"),  # 19.12.2022
    re.compile(rf"\b(?P<day>\d{{1,2}})\.?\s+{_MONTH}\s+(?P<year>(?:19|20)\d\d)\b"),  # 19. Dezember 2022, 19 Dec 2022
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>(?:19|20)\d\d)\b"),  # December 19, 2022
)
_BYLINE_PREFIX = re.compile(r"^\s*(?:von|by|text:|autor:|author:)\s+", re.IGNORECASE)
# "(Reuters) -", "(dpa) –", "KYIV, Ukraine (AP) —": the agency of a wire story.
_AGENCY = re.compile(r"\((?P<agency>Reuters|AP|AFP|dpa|DPA|Bloomberg|APA|SDA|KNA|epd|KEYSTONE-SDA)\)\s*[-–—]")
_SOURCE_LINE = re.compile(r"^\s*(?:source|quelle)\s*:\s*(?P<source>[^\n]{2,60})$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What a briefing says about its article: the text gives these, or they stay empty.

    `title`: the headline shortened for a map (TITLE_MAX_CHARS); `headline`: as written, without
    its `kicker` (the topic line above it, «Russland», shown small above the title or not at all).
    `sha256`: of the article's plain text, so an export names exactly what it was made from.
    """

    title: str
    headline: str
    byline: str
    date: dt.date | None
    outlet: str
    source_name: str
    lang: str
    sha256: str
    kicker: str = ""

    @property
    def source_line(self) -> str:
        """«Paul Flückiger, Warschau · 19 Dec 2022»: outlet, byline and date, as far as known."""
        parts = [p for p in (self.outlet, self.byline, self.date_text) if p]
        return " · ".join(parts)

    @property
    def date_text(self) -> str:
        """The date as the article's readers write it: «19. Dezember 2022», «19 December 2022»."""
        if not self.date:
            return ""
        if self.lang == "de":
            return f"{self.date.day}. {_MONTH_NAMES_DE[self.date.month - 1]} {self.date.year}"
        return f"{self.date.day} {_MONTH_NAMES_EN[self.date.month - 1]} {self.date.year}"

    @property
    def stem(self) -> str:
        """A file name without suffix: «2022-12-19-putin-bittet-lukaschenko-um»."""
        words = slug(self.title or Path(self.source_name).stem or "article").split("-")
        name = "-".join(w for w in words[:_STEM_WORDS] if w) or "article"
        return f"{self.date.isoformat()}-{name}" if self.date else name

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "headline": self.headline,
            "kicker": self.kicker or None,
            "byline": self.byline or None,
            "date": self.date.isoformat() if self.date else None,
            "outlet": self.outlet or None,
            "source_name": self.source_name or None,
            "lang": self.lang,
            "sha256": self.sha256,
        }


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens (umlauts spelled out: «Weißrussland» → weissrussland)."""
    import unicodedata

    text = text.casefold().replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def shorten_title(headline: str, limit: int = TITLE_MAX_CHARS) -> str:
    """A headline that fits a map: whole if short, else up to a sentence or colon break that
    leaves at least a third of the limit, else cut at a word with an ellipsis."""
    headline = " ".join(headline.split())
    if len(headline) <= limit:
        return headline
    cut = None
    for match in re.finditer(r"[:?!.](?=\s)| [–—-] ", headline[: limit + 1]):
        if match.start() >= limit // 3:
            cut = match.start() + (1 if match.group() in "?!" else 0)
    if cut is not None:
        return headline[:cut].rstrip(" :–—-.")
    words = headline[:limit].rsplit(" ", 1)[0]
    return words.rstrip(" ,;:–—-") + " …"


def _find_date(text: str) -> tuple[dt.date, re.Match] | None:
    found = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            month = match.groupdict().get("mnum")
            number = int(month) if month else _MONTHS.get(match.group("month").casefold())
            try:
                date = dt.date(int(match.group("year")), number or 0, int(match.group("day")))
            except (TypeError, ValueError):
                continue
            found.append((match.start(), date, match))
    if not found:
        return None
    _, date, match = min(found, key=lambda f: f[0])
    return date, match


def _byline(article: Article, match: re.Match) -> str:
    """The short passage (or line) that holds the date, without it: «Paul Flückiger, Warschau»."""
    text = article.text
    passage = article.passages[article.passage_at(match.start())] if article.passages else None
    if passage is not None and passage.start <= match.start() < passage.end:
        start, end = passage.start, passage.end
    else:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end < 0 else end
    if end - start > _BYLINE_MAX_CHARS:
        return ""
    rest = (text[start:match.start()] + " " + text[match.end():end]).strip(" ,;|·-–—\t")
    rest = _BYLINE_PREFIX.sub("", " ".join(rest.split()))
    if not rest or len(rest.split()) > 8 or not rest[0].isupper():
        return ""
    return rest


def _is_kicker(line: str) -> bool:
    """«Russland», «Am Arlberg», «Euro-Airport»: one or two words, short, no sentence punctuation."""
    words = line.split()
    return (0 < len(words) <= KICKER_MAX_WORDS and len(line) <= KICKER_MAX_CHARS
            and not _SENTENCE_PUNCTUATION.search(line) and any(c.isalpha() for c in line))


def _title_passage(article: Article) -> Passage | None:
    """The passage the article's title was read from (the first line's first sentence), or None
    when the title came from elsewhere (an HTML <title>) or the text has no title line."""
    first = article.passages[0] if article.passages else None
    if first is None or first.role != "title" or article.text[first.start:first.end] != article.title:
        return None
    return first


def _kicker_line(article: Article) -> tuple[str, str] | None:
    """A kicker on a line of its own: «Russland» / «Putin bittet Lukaschenko um Hilfe» / … →
    («Russland», «Putin bittet Lukaschenko um Hilfe»): the headline is the next line's first
    sentence (a dateline between them is skipped). A next line that is itself that short is no
    headline: nothing is split."""
    first = _title_passage(article)
    if first is None or not _is_kicker(article.title):
        return None
    if any(p.paragraph == first.paragraph for p in article.passages[1:]):
        return None  # the kicker-like words open a longer first line
    following = next((p for p in article.passages[1:] if p.role != "dateline"), None)
    if following is None:
        return None
    headline = " ".join(article.text[following.start:following.end].split())
    if _is_kicker(headline):
        return None
    return " ".join(article.title.split()), headline


_KICKER_LABEL = re.compile(r"^(?P<kicker>[^\W\d_][^\W_]*(?:[ -][^\W_]+)*):\s+(?P<rest>\S.*)$")


def _kicker_label(headline: str) -> tuple[str, str] | None:
    """A capitalised label before a colon: «ÖFFENTLICHER VERKEHR: Der Zug, der in Zug durchfährt»,
    «EXCLUSIVE: Putin flies to Minsk». A mixed-case «Hochwasser in Bayern: Pegel steigen» is the
    headline itself and stays whole."""
    match = _KICKER_LABEL.match(headline)
    if match is None:
        return None
    kicker, rest = match.group("kicker"), match.group("rest")
    letters = [c for c in kicker if c.isalpha()]
    if (len(letters) < 2 or kicker != kicker.upper() or len(kicker.split()) > _KICKER_LABEL_MAX_WORDS
            or len(rest.split()) < _HEADLINE_MIN_WORDS):
        return None
    return kicker, rest


def _glued_place_kicker(article: Article, mentions: Iterable[Mention]) -> tuple[str, str] | None:
    """A German kicker that lost its line break: «Russland Putin bittet Lukaschenko um Hilfe».
    The first word is a place named in its base form and the next word is capitalised too: German
    writes no «Russland Putin» in a sentence (it writes «Russlands Präsident Putin», «Russland
    droht …»). English headlines capitalise every word, so the rule is German only."""
    first = _title_passage(article)
    if first is None or article.lang != "de":
        return None
    words = article.title.split()
    if len(words) < 1 + _HEADLINE_MIN_WORDS or not words[1][:1].isupper():
        return None
    start = first.start + (len(article.title) - len(article.title.lstrip()))
    for mention in mentions:
        if (mention.start == start and mention.end == start + len(words[0]) and mention.form == "name"
                and normalize(mention.text) == mention.key):
            return words[0], " ".join(words[1:])
    return None


def split_kicker(article: Article, places: Iterable[Place] = ()) -> tuple[str, str]:
    """(kicker, headline) of the article's title: the kicker is a topic line above the headline
    («Russland»), on its own line, as a capitalised label, or (German, `places` given) glued to
    the headline; "" when there is none."""
    headline = " ".join((article.title or "").split())
    mentions = [m for place in places for m in place.mentions]
    found = _kicker_line(article) or _kicker_label(headline) or _glued_place_kicker(article, mentions)
    return found or ("", headline)


def article_meta(article: Article, *, title: str | None = None,
                 places: Iterable[Place] = ()) -> ArticleMeta:
    """The article's headline (its kicker apart, see split_kicker: pass the geoparse's `places`
    for the German rule), byline, date and outlet where its text gives them; `title` overrides
    the headline (the page lets the user edit it)."""
    text = article.text
    head = text[:_HEAD_CHARS]
    kicker, headline = split_kicker(article, places)
    date, byline = None, ""
    dated = _find_date(head)
    if dated:
        date, match = dated
        byline = _byline(article, match)
    elif article.source_name:
        from_name = _find_date(article.source_name)
        date = from_name[0] if from_name else None
    outlet = ""
    agency = _AGENCY.search(head)
    if agency:
        outlet = agency.group("agency")
    else:
        source = _SOURCE_LINE.search(text)
        outlet = source.group("source").strip() if source else ""
    chosen = " ".join((title or "").split()) or shorten_title(headline)
    return ArticleMeta(
        title=chosen,
        headline=headline,
        byline=byline,
        date=date,
        outlet=outlet,
        source_name=article.source_name,
        lang=article.lang,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        kicker=kicker,
    )


# --------------------------------------------------------------------------- quotes


def excerpt_span(article: Article, passage_index: int, mentions: Iterable[Mention], *,
                 limit: int = EXCERPT_CHARS) -> tuple[int, int, list[Mention]]:
    """Where a quote of one passage starts and ends (shortened around the given mentions, cut
    at words, never inside a mention) and the mentions inside it."""
    passage = article.passages[passage_index]
    inside = sorted((m for m in mentions if passage.start <= m.start < passage.end), key=lambda m: m.start)
    start, end = passage.start, passage.end
    if end - start > limit and inside:
        centre = (inside[0].start + inside[-1].end) // 2
        start = max(passage.start, centre - limit // 2)
        end = min(passage.end, start + limit)
        start = max(passage.start, end - limit)
        while start > passage.start and not article.text[start - 1].isspace():
            start -= 1
        while end < passage.end and not article.text[end].isspace():
            end += 1
    return start, end, [m for m in inside if m.start >= start and m.end <= end]


def quote_text(article: Article, passage_index: int, mentions: Iterable[Mention], *,
               limit: int = EXCERPT_CHARS) -> str:
    """One passage as plain text, shortened around the mentions («…» marks a cut)."""
    passage = article.passages[passage_index]
    start, end, _ = excerpt_span(article, passage_index, mentions, limit=limit)
    body = " ".join(article.text[start:end].split())
    return ("…" if start > passage.start else "") + body + ("…" if end < passage.end else "")


def place_quotes(place: Place, article: Article, *, limit: int = EXCERPT_CHARS) -> list[str]:
    """Every passage that mentions the place, in the article's order."""
    return [quote_text(article, index, place.mentions, limit=limit) for index in place.passages]


_QUOTE_ROLE_RANK = {"paragraph": 0, "lead": 1, "heading": 2, "title": 3, "caption": 4, "dateline": 5}
_QUOTE_FORM_RANK = {"name": 0, "nested": 1, "adjective": 2, "generic": 3}


def key_passage(place: Place, article: Article) -> int | None:
    """The passage a briefing quotes for a place: the first that names it in running text
    (before an adjective, a headline or a caption); None for a place without mentions."""
    if not place.mentions:
        return None

    def rank(m: Mention):
        role = article.passages[m.passage].role if m.passage < len(article.passages) else "paragraph"
        return (_QUOTE_FORM_RANK.get(m.form, 4), _QUOTE_ROLE_RANK.get(role, 0), m.start)

    return min(place.mentions, key=rank).passage


def key_quote(place: Place, article: Article, *, limit: int = EXCERPT_CHARS) -> str:
    """The text of key_passage, shortened around the place's mentions."""
    index = key_passage(place, article)
    return "" if index is None else quote_text(article, index, place.mentions, limit=limit)


# --------------------------------------------------------------------------- the record


def map_label(place: Place) -> str:
    """The name a place carries on a map (plain text): the article's spelling; a border its
    name and measured length."""
    if place.kind == "border":
        length = f" · {place.candidate.length_km:,.0f} km" if place.candidate.length_km else ""
        return f"{place.candidate.name}{length}"
    return place.display_name


def place_record(place: Place, article: Article | None = None) -> dict:
    """A place as plain values (no geometry): what GeoJSON, GeoPackage, CSV, the page's table and
    the command line write. With the article, it also carries the quotes."""
    c = place.candidate
    record = {
        "id": c.id,
        "name": c.name,
        "display_name": place.display_name,
        "kind": c.kind,
        "kind_label": kind_of(c.kind).label,
        "feature": c.feature,
        "country": c.country or None,
        "confidence": place.confidence,
        "reason": place.reason or None,
        "source": c.source,
        "mention_count": len(place.mentions),
        "mentions": [m.as_dict() for m in place.mentions],
        "passages": list(place.passages),
        "lat": c.lat,
        "lon": c.lon,
        "length_km": c.length_km,
        "population": c.population,
        "alternatives": [{"id": a.id, "name": a.name, "kind": a.kind, "country": a.country or None,
                          "lat": a.lat, "lon": a.lon, "score": a.score} for a in place.alternatives],
        "corrected": place.corrected,
    }
    if article is not None:
        record["quotes"] = place_quotes(place, article)
        record["key_quote"] = key_quote(place, article)
    return record
