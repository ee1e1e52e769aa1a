"""HTML views of a geoparse: the article with every mention highlighted, and feature popups.

Article text is user input. Every character of it reaches HTML through `html.escape` in this
module and nowhere else; the only markup in the output is ours. The article HTML carries ids
and data attributes so the page can highlight a place's mentions and scroll to them:

    <span class="passage" id="passage-4" data-passage="4"> … 
      <mark class="mention k-city" id="mention-7" data-place="geonames:625144" data-kind="city"
            data-passage="4" data-start="318" data-end="323">Minsk</mark> … </span>
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from geo.gazetteer import Gazetteer
from geo.kinds import KIND_COLOURS, KIND_LABELS
from geo.models import Article, Geoparse, Mention, Place
from geo.records import EXCERPT_CHARS, excerpt_span, map_label, place_record

__all__ = [
    "KIND_COLOURS",
    "KIND_LABELS",
    "article_html",
    "article_css",
    "popup_html",
    "tooltip_html",
    "border_label_html",
    "country_names",
    "excerpt",
    "popups",
    "place_rows",
    "markdown_text",
]

_BLOCK_TAG = {"title": "h2", "heading": "h3"}


def _e(value: object) -> str:
    """Escape text for HTML content and attribute values."""
    return html.escape(str(value), quote=True)


def country_names(places: Iterable[Place], gazetteer: Gazetteer | None = None) -> dict[str, str]:
    """ISO alpha-2 code → English country name, for the countries the places lie in."""
    gazetteer = gazetteer or Gazetteer.default()
    names: dict[str, str] = {}
    for place in places:
        code = place.candidate.country
        if code and code not in names:
            country = gazetteer.by_id(f"country:{code}")
            names[code] = country.name if country is not None else code
    return names


# --------------------------------------------------------------------------- article


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    mention: Mention
    place: Place | None  # None: a mention nothing was resolved for


def _spans(result: Geoparse) -> list[_Span]:
    spans = [_Span(m.start, m.end, m, place) for place in result.places for m in place.mentions]
    spans += [_Span(m.start, m.end, m, None) for m in result.unresolved]
    # Outer spans first, so nested mentions (Russland inside «Unionsstaat Weissrussland-Russland»)
    # become children of the longer one.
    spans.sort(key=lambda s: (s.start, -s.end, s.place is None))
    return spans


def _text(text: str) -> str:
    return _e(text).replace("\n", "<br>")


def _mark_open(span: _Span, number: int) -> str:
    m = span.mention
    if span.place is None:
        return (f'<mark class="mention unresolved" id="mention-{number}" data-passage="{m.passage}" '
                f'data-start="{m.start}" data-end="{m.end}" title="not resolved to a place">')
    place = span.place
    title = f"{place.name} · {KIND_LABELS.get(place.kind, place.kind)}"
    return (f'<mark class="mention k-{_e(place.kind)}" id="mention-{number}" data-place="{_e(place.id)}" '
            f'data-kind="{_e(place.kind)}" data-passage="{m.passage}" data-start="{m.start}" '
            f'data-end="{m.end}" data-form="{_e(m.form)}" title="{_e(title)}" tabindex="0">')


def _render(text: str, start: int, end: int, spans: list[_Span], counter: list[int]) -> str:
    """Text[start:end] with the spans inside it as nested <mark> elements."""
    out: list[str] = []
    position = start
    i = 0
    while i < len(spans):
        span = spans[i]
        s, e = max(span.start, position), min(span.end, end)
        if s >= e:  # swallowed by an earlier span that overlapped it
            i += 1
            continue
        out.append(_text(text[position:s]))
        inner = []
        j = i + 1
        while j < len(spans) and spans[j].start < e:
            inner.append(spans[j])
            j += 1
        number = counter[0]
        counter[0] += 1
        out.append(_mark_open(span, number))
        out.append(_render(text, s, e, inner, counter))
        out.append("</mark>")
        position = e
        i = j
    out.append(_text(text[position:end]))
    return "".join(out)


def article_html(result: Geoparse) -> str:
    """The article as HTML: paragraphs, passages and highlighted mentions, all text escaped."""
    article = result.article
    text = article.text
    spans = _spans(result)
    counter = [0]
    blocks: list[str] = []
    groups: list[list] = []  # a block: consecutive passages of one paragraph and one role
    for passage in article.passages:
        last = groups[-1][-1] if groups else None
        if last is not None and last.paragraph == passage.paragraph and last.role == passage.role:
            groups[-1].append(passage)
        else:
            groups.append([passage])
    cursor = 0
    for passages in groups:
        role = passages[0].role
        tag = _BLOCK_TAG.get(role, "p")
        parts: list[str] = []
        gap = text[cursor:passages[0].start]
        if gap.strip():  # text outside any passage is still shown, never dropped
            blocks.append(f'<p class="gap">{_text(gap.strip())}</p>')
        position = passages[0].start
        for passage in passages:
            parts.append(_text(text[position:passage.start]))
            inside = [s for s in spans if passage.start <= s.start < passage.end]
            body = _render(text, passage.start, passage.end, inside, counter)
            parts.append(f'<span class="passage" id="passage-{passage.index}" data-passage="{passage.index}" '
                         f'data-role="{_e(passage.role)}">{body}</span>')
            position = passage.end
        cursor = position
        blocks.append(f'<{tag} class="block role-{_e(role)}" data-paragraph="{passages[0].paragraph}">'
                      f'{"".join(parts)}</{tag}>')
    tail = text[cursor:]
    if tail.strip():
        blocks.append(f'<p class="gap">{_text(tail.strip())}</p>')
    lang = _e(article.lang or "und")
    return f'<article class="atlas-article" lang="{lang}">{"".join(blocks)}</article>'


def article_css() -> str:
    """Styles of article_html: one colour per kind, a stronger look for the selected place."""
    rules = [
        ".atlas-article{font-size:0.95rem;line-height:1.6;color:#1f2328}",
        ".atlas-article h2{font-size:1.25rem;line-height:1.3;margin:0 0 .6rem}",
        ".atlas-article h3{font-size:1.05rem;margin:1rem 0 .4rem}",
        ".atlas-article p{margin:0 0 .8rem}",
        ".atlas-article .role-caption,.atlas-article .role-dateline{color:#57606a;font-size:.85rem}",
        ".atlas-article .role-lead{font-weight:500}",
        ".atlas-article mark.mention{background:transparent;color:inherit;border-radius:3px;padding:0 1px;"
        "cursor:pointer;border-bottom:2px solid var(--k);background:color-mix(in srgb,var(--k) 16%,transparent)}",
        ".atlas-article mark.mention:hover,.atlas-article mark.mention:focus{background:color-mix(in srgb,var(--k) 32%,transparent);outline:none}",
        ".atlas-article mark.unresolved{--k:#8c959f;border-bottom-style:dashed;cursor:default;background:transparent}",
        ".atlas-article mark.selected{background:color-mix(in srgb,var(--k) 45%,transparent);"
        "box-shadow:0 0 0 2px var(--k);font-weight:600}",
        ".atlas-article .passage.selected{background:#fff8c5;border-radius:3px}",
    ]
    rules += [f".atlas-article .k-{kind}{{--k:{colour}}}" for kind, colour in KIND_COLOURS.items()]
    return "\n".join(rules)


# --------------------------------------------------------------------------- popups


def excerpt(article: Article, passage_index: int, mentions: Iterable[Mention], *, limit: int = EXCERPT_CHARS) -> str:
    """One passage as escaped HTML with the given mentions highlighted, shortened around them."""
    passage = article.passages[passage_index]
    start, end, inside = excerpt_span(article, passage_index, mentions, limit=limit)
    text = article.text
    out = ["…" if start > passage.start else ""]
    position = start
    for m in inside:
        if m.start < position:
            continue
        out.append(_text(text[position:m.start]))
        out.append(f"<mark>{_text(text[m.start:m.end])}</mark>")
        position = m.end
    out.append(_text(text[position:end]))
    out.append("…" if end < passage.end else "")
    return "".join(out).strip()


def popup_html(place: Place, article: Article, *, country_name: str = "") -> str:
    """A feature's popup: names, kind, country, mentions with their passages, confidence, source."""
    c = place.candidate
    kind = KIND_LABELS.get(place.kind, place.kind)
    english = f' <span class="ap-en">({_e(c.name)})</span>' if c.name != place.display_name else ""
    meta = [f'<span class="ap-kind" style="--k:{KIND_COLOURS.get(place.kind, "#666")}">{_e(kind)}</span>']
    if country_name and place.kind != "country":
        meta.append(_e(country_name))
    if c.length_km:
        meta.append(f"{c.length_km:,.0f} km")
    count = len(place.mentions)
    meta.append(f"{count} mention{'s' if count != 1 else ''}")
    passages = []
    for index in place.passages:
        passages.append(f'<li data-passage="{index}">«{excerpt(article, index, place.mentions)}»</li>')
    corrected = " · corrected by you" if place.corrected else ""
    reason = f' <span class="ap-reason">({_e(place.reason)})</span>' if place.reason else ""
    return (
        f'<div class="atlas-popup" data-place="{_e(place.id)}">'
        f'<div class="ap-title"><b>{_e(place.display_name)}</b>{english}</div>'
        f'<div class="ap-meta">{" · ".join(meta)}</div>'
        f'<ol class="ap-passages">{"".join(passages)}</ol>'
        f'<div class="ap-foot">Confidence {place.confidence:.0%}{corrected}{reason}<br>'
        f'Source: {_e(c.source)}</div></div>'
    )


def tooltip_html(place: Place) -> str:
    """The short hover label: the article's spelling and the kind."""
    kind = KIND_LABELS.get(place.kind, place.kind).lower()
    return f"<b>{_e(place.display_name)}</b> · {_e(kind)}"


def border_label_html(place: Place) -> str:
    """The label of a border line: its name and measured length (escaped)."""
    return _e(map_label(place))


def popups(result: Geoparse, names: Mapping[str, str]) -> dict[str, str]:
    """place id → popup HTML for every place of a geoparse."""
    return {p.id: popup_html(p, result.article, country_name=names.get(p.candidate.country, ""))
            for p in result.places}


def place_rows(result: Geoparse, names: Mapping[str, str]) -> list[dict]:
    """One row per place for the page's table (plain values from geo.records.place_record; the
    table escapes nothing itself because it renders text, never HTML)."""
    rows = []
    for p in result.places:
        record = place_record(p)
        rows.append({
            "id": record["id"],
            "Place": record["display_name"],
            "English name": record["name"],
            "Kind": record["kind_label"],
            "Country": names.get(p.candidate.country, record["country"] or ""),
            "Mentions": record["mention_count"],
            "Confidence": round(record["confidence"], 3),
            "Why": record["reason"] or "",
            "Source": record["source"],
            "Corrected": record["corrected"],
        })
    return rows


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def markdown_text(text: str) -> str:
    """Text safe to show where Streamlit renders Markdown (captions, button labels, toasts):
    every Markdown and HTML character is backslash-escaped, so a file name like
    «[x](javascript:…).html» or «<img onerror=…>» stays text."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text.replace("\n", " "))
